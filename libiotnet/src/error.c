/* The thread-local last error and library initialisation. */
#include "error_internal.h"

#include <igraph.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_MAX 1024
#define FIELD_MAX 1024

typedef struct error_state {
    iotnet_error pub;
    char message[MESSAGE_MAX];
    char file[FIELD_MAX];
    char path[FIELD_MAX];
} error_state;

static _Thread_local error_state last = {{0, "", NULL, 0, NULL}, "", "", ""};

const iotnet_error *iotnet_error_last(void)
{
    last.pub.message = last.message;
    return &last.pub;
}

void iotnet_error_clear(void)
{
    last.pub.code = IOTNET_OK;
    last.message[0] = '\0';
    last.pub.file = NULL;
    last.pub.path = NULL;
    last.pub.line = 0;
}

/* Messages are one line: fold newlines that libraries put in theirs. */
static void fold_lines(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

int iotnet__error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last.message, sizeof last.message, fmt, ap);
    va_end(ap);
    fold_lines(last.message);
    last.pub.code = code;
    last.pub.message = last.message;
    last.pub.file = NULL;
    last.pub.path = NULL;
    last.pub.line = 0;
    return code;
}

void iotnet__error_locate(const char *file, long line, const char *path)
{
    if (file) {
        snprintf(last.file, sizeof last.file, "%s", file);
        last.pub.file = last.file;
    }
    if (line > 0)
        last.pub.line = line;
    if (path) {
        snprintf(last.path, sizeof last.path, "%s", path);
        last.pub.path = last.path;
    }
}

void iotnet__error_prefix(const char *prefix)
{
    char tmp[MESSAGE_MAX];
    size_t n = strlen(prefix);
    if (n > MESSAGE_MAX / 2)
        n = MESSAGE_MAX / 2;
    memcpy(tmp, prefix, n);
    memcpy(tmp + n, ": ", 2);
    size_t rest = strnlen(last.message, MESSAGE_MAX - n - 3);
    memcpy(tmp + n + 2, last.message, rest);
    tmp[n + 2 + rest] = '\0';
    memcpy(last.message, tmp, sizeof tmp);
}

const char *iotnet_strerror(int code)
{
    switch (code) {
    case IOTNET_OK: return "ok";
    case IOTNET_ENOMEM: return "out of memory";
    case IOTNET_EINVAL: return "invalid argument";
    case IOTNET_ENOTFOUND: return "not found";
    case IOTNET_EEXISTS: return "already exists";
    case IOTNET_EINUSE: return "still in use";
    case IOTNET_EKIND: return "unknown kind";
    case IOTNET_ETYPE: return "type mismatch";
    case IOTNET_EPARSE: return "malformed input";
    case IOTNET_EVALIDATION: return "invalid input";
    case IOTNET_EIO: return "input/output error";
    default: return "error";
    }
}

void iotnet_string_free(char *s)
{
    free(s);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libraries(void)
{
    /* igraph's default handler aborts the process; we report errors instead. */
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
}

void iotnet__init(void)
{
    pthread_once(&init_once, init_libraries);
}
