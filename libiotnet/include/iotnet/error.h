/**
 * @file error.h
 * Return codes and the thread-local last error.
 *
 * Every function that can fail returns 0 or a negative IOTNET_E* code and
 * records a one-line message (plus file, line and data path where known)
 * that iotnet_error_last() returns until the next failure on this thread.
 */
#ifndef IOTNET_ERROR_H
#define IOTNET_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IOTNET_OK 0
#define IOTNET_ERROR -1       /* failure without a more specific code */
#define IOTNET_ENOMEM -2      /* out of memory */
#define IOTNET_EINVAL -3      /* an argument is invalid (NULL, out of range) */
#define IOTNET_ENOTFOUND -4   /* no element with that id or index */
#define IOTNET_EEXISTS -5     /* an element with that id exists already */
#define IOTNET_EINUSE -6      /* the element is still referenced */
#define IOTNET_EKIND -7       /* unknown kind, or kind of the wrong family */
#define IOTNET_ETYPE -8       /* attribute value of another type than its column */
#define IOTNET_EPARSE -9      /* input is not well-formed JSON/XML */
#define IOTNET_EVALIDATION -10 /* input is well-formed but breaks the schema or model rules */
#define IOTNET_EIO -11        /* a file could not be read or written */

/** The last error recorded on this thread. Fields are borrowed from
 *  thread-local storage and stay valid until the next failing call. */
typedef struct iotnet_error {
    int code;            /**< IOTNET_E* code */
    const char *message; /**< one line, never NULL */
    const char *file;    /**< input file, or NULL */
    long line;           /**< line in that file, or 0 when unknown */
    const char *path;    /**< data path (e.g. /iotnet-topology:topology/node[id='x']), or NULL */
} iotnet_error;

/**
 * The last error on this thread.
 * @return a borrowed pointer; code is IOTNET_OK and message "" when no error was recorded.
 */
const iotnet_error *iotnet_error_last(void);

/** Forget the last error on this thread. */
void iotnet_error_clear(void);

/**
 * A short English name for a return code ("not found", "already exists"...).
 * @param[in] code an IOTNET_E* code
 * @return a static string, never NULL
 */
const char *iotnet_strerror(int code);

/**
 * Free a string that the library returned as the caller's (NULL-safe).
 * @param[in] s the string
 */
void iotnet_string_free(char *s);

#ifdef __cplusplus
}
#endif

#endif
