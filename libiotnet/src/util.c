/* Growable text buffers, file reading (with a size limit) and atomic file
 * writes, and doubles as text. */
#include "util.h"
#include "error_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int buf_reserve(iotnet__buf *b, size_t extra)
{
    if (b->failed)
        return IOTNET_ENOMEM;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing a text buffer to %zu bytes", cap);
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

int iotnet__buf_append(iotnet__buf *b, const char *s, size_t n)
{
    int error = buf_reserve(b, n);
    if (error)
        return error;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int iotnet__buf_puts(iotnet__buf *b, const char *s)
{
    return iotnet__buf_append(b, s, strlen(s));
}

int iotnet__buf_printf(iotnet__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return iotnet__error_set(IOTNET_EINVAL, "bad format string");
    int error = buf_reserve(b, (size_t)n);
    if (error)
        return error;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *iotnet__buf_detach(iotnet__buf *b)
{
    char *d = b->failed ? NULL : b->data;
    if (b->failed)
        free(b->data);
    else if (!d)
        d = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return d;
}

int iotnet__buf_csv(iotnet__buf *b, const char *value)
{
    if (!value)
        return 0;
    if (!strpbrk(value, ",\"\r\n"))
        return iotnet__buf_puts(b, value);
    iotnet__buf_puts(b, "\"");
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            iotnet__buf_puts(b, "\"");
        iotnet__buf_append(b, p, 1);
    }
    return iotnet__buf_puts(b, "\"");
}

void iotnet__buf_free(iotnet__buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int iotnet__write_file_atomic(const char *path, const char *data, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        iotnet__error_set(IOTNET_EIO, "cannot write %s: %s", path, strerror(e));
        iotnet__error_locate(path, 0, NULL);
        return IOTNET_EIO;
    }
    int failed = write_all(fd, data, len) != 0 || fsync(fd) != 0;
    int e = errno;
    /* mkstemp creates 0600; a written file should get the usual umask'd mode */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (close(fd) != 0)
        failed = 1;
    if (!failed && rename(tmp, path) != 0) {
        e = errno;
        failed = 1;
    }
    if (failed) {
        unlink(tmp);
        free(tmp);
        iotnet__error_set(IOTNET_EIO, "cannot write %s: %s", path, strerror(e));
        iotnet__error_locate(path, 0, NULL);
        return IOTNET_EIO;
    }
    free(tmp);
    return 0;
}

int iotnet__too_big(const char *label, unsigned long long size, size_t max, const char *limit)
{
    if (size)
        iotnet__error_set(IOTNET_EINVAL, "%s: %llu bytes is more than the limit of %zu bytes (%s)", label, size,
                          max, limit);
    else
        iotnet__error_set(IOTNET_EINVAL, "%s: more than the limit of %zu bytes (%s); reading stopped there",
                          label, max, limit);
    iotnet__error_locate(label, 0, NULL);
    return IOTNET_EINVAL;
}

static int read_failed(const char *label, const char *why)
{
    iotnet__error_set(IOTNET_EIO, "cannot read %s: %s", label, why);
    iotnet__error_locate(label, 0, NULL);
    return IOTNET_EIO;
}

/* Make room for `need` bytes and a NUL: at least double, never past max + 2 (max + 1 bytes read
 * show that the input is over the limit). */
static int grow_for(char **data, size_t *cap, size_t need, size_t max, const char *label)
{
    size_t want = *cap ? (*cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2) : 65536;
    if (want < need + 1)
        want = need + 1;
    if (want > max + 2)
        want = max + 2;
    char *grown = realloc(*data, want);
    if (!grown)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory reading %s", label);
    *data = grown;
    *cap = want;
    return 0;
}

int iotnet__read_fd(int fd, const char *label, size_t max, const char *limit, char **out, size_t *out_len)
{
    *out = NULL;
    if (max > SIZE_MAX - 2)
        max = SIZE_MAX - 2;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return read_failed(label, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return read_failed(label, "it is a directory, not a file");
    char *data = NULL;
    size_t len = 0, cap = 0;
    int error = 0;
    /* a regular file says its size: refuse a big one before reading it, and read
     * a small one into one buffer with a byte to spare for seeing its end */
    if (S_ISREG(st.st_mode)) {
        if ((unsigned long long)st.st_size > max)
            return iotnet__too_big(label, (unsigned long long)st.st_size, max, limit);
        error = grow_for(&data, &cap, (size_t)st.st_size + 1, max, label);
    }
    /* anything else (a pipe, a FIFO, a device, a file that grew) is read up to max + 1 bytes */
    while (!error) {
        if (len > max) {
            error = iotnet__too_big(label, 0, max, limit);
            break;
        }
        if (len + 1 >= cap && (error = grow_for(&data, &cap, len + 1, max, label)))
            break;
        ssize_t n = read(fd, data + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            error = read_failed(label, strerror(errno));
        else if (n == 0)
            break;
        else
            len += (size_t)n;
    }
    if (error) {
        free(data);
        return error;
    }
    data[len] = '\0';
    *out = data;
    if (out_len)
        *out_len = len;
    return 0;
}

int iotnet__read_file(const char *path, size_t max, const char *limit, char **out, size_t *out_len)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return read_failed(path, strerror(errno));
    int error = iotnet__read_fd(fd, path, max, limit, out, out_len);
    close(fd);
    return error;
}

char *iotnet__strdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        iotnet__error_set(IOTNET_ENOMEM, "out of memory");
    return d;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not valid. */
static size_t utf8_sequence(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2;
        cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = s[0] & 0x0Fu;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    static const uint32_t min_for_length[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

static int is_forbidden_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

int iotnet__text_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_sequence(p);
        if (n == 0 || (n == 1 && is_forbidden_control(*p)))
            return 0;
        p += n;
    }
    return 1;
}

char *iotnet__text_clean(const char *s)
{
    char *copy = iotnet__strdup(s);
    if (!copy)
        return NULL;
    unsigned char *p = (unsigned char *)copy;
    while (*p) {
        size_t n = utf8_sequence(p);
        if (n == 0 || (n == 1 && is_forbidden_control(*p))) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
    return copy;
}

/* ---- doubles as text, whatever the process's locale -------------------------- */

/* A program may set a locale whose decimal separator is a comma; files and
 * exports always use the C locale's point. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void c_numeric_make(void)
{
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* Switch this thread to the C numeric locale; returns what to switch back to. */
static locale_t c_numeric_enter(void)
{
    pthread_once(&c_numeric_once, c_numeric_make);
    return c_numeric ? uselocale(c_numeric) : (locale_t)0;
}

static void c_numeric_leave(locale_t previous)
{
    if (previous)
        uselocale(previous);
}

void iotnet__double_format(char *buf, double value)
{
    locale_t previous = c_numeric_enter();
    char shortest[IOTNET__DOUBLE_TEXT_MAX] = "";
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(buf, IOTNET__DOUBLE_TEXT_MAX, "%.*g", precision, value);
        if (strtod(buf, NULL) != value)
            continue;
        if (!strchr(buf, 'e'))
            break;
        if (!shortest[0])
            memcpy(shortest, buf, sizeof shortest);
    }
    if (strchr(buf, 'e') && shortest[0])
        memcpy(buf, shortest, sizeof shortest);
    c_numeric_leave(previous);
}

void iotnet__decimal_format(char *buf, size_t size, double value, int digits)
{
    locale_t previous = c_numeric_enter();
    snprintf(buf, size, "%.*f", digits, value);
    c_numeric_leave(previous);
}

int iotnet__decimal_holds(double value, int digits)
{
    if (!isfinite(value) || fabs(value) >= 1e15)
        return 0;
    char text[64], scaled[64];
    iotnet__decimal_format(text, sizeof text, value, digits);
    /* the digits without the point: the integer libyang keeps */
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < sizeof scaled; p++)
        if (*p != '.')
            scaled[n++] = *p;
    scaled[n] = '\0';
    double scale = 1.0;
    for (int i = 0; i < digits; i++)
        scale *= 10.0;
    return (double)strtoll(scaled, NULL, 10) / scale == value;
}

int iotnet__double_parse(const char *text, double *out)
{
    if (!text || !*text)
        return -1;
    locale_t previous = c_numeric_enter();
    char *end = NULL;
    double value = strtod(text, &end);
    c_numeric_leave(previous);
    if (*end || !isfinite(value))
        return -1;
    *out = value;
    return 0;
}
