/* Small shared helpers: growable text buffers, bounded file reading and atomic file writes. */
#ifndef IOTNET_UTIL_H
#define IOTNET_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/** A growable NUL-terminated text buffer. Zero-initialise before use. */
typedef struct iotnet__buf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* set once an allocation fails; later appends do nothing */
} iotnet__buf;

int iotnet__buf_append(iotnet__buf *b, const char *s, size_t n);
int iotnet__buf_puts(iotnet__buf *b, const char *s);
int iotnet__buf_printf(iotnet__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Hand the text to the caller (free()) and reset the buffer; NULL if an append failed. */
char *iotnet__buf_detach(iotnet__buf *b);
void iotnet__buf_free(iotnet__buf *b);
/** Append a CSV field (RFC 4180): quoted when it holds a comma, quote or line break. NULL appends nothing. */
int iotnet__buf_csv(iotnet__buf *b, const char *value);

/**
 * Write `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync'd and renamed over `path`. Records IOTNET_EIO on failure.
 */
int iotnet__write_file_atomic(const char *path, const char *data, size_t len);

/**
 * Record IOTNET_EINVAL "LABEL: SIZE bytes is more than the limit of MAX bytes (LIMIT)",
 * or, for an input of unknown size (`size` 0), that reading stopped past the limit.
 * `limit` names the setting, e.g. "max_bytes". Returns IOTNET_EINVAL.
 */
int iotnet__too_big(const char *label, unsigned long long size, size_t max, const char *limit);

/**
 * Read everything from `fd` into a NUL-terminated malloc'd buffer, at most
 * `max` bytes: a regular file over the limit is refused before reading, any
 * other input (pipe, FIFO, device) once it has given max + 1 bytes. A
 * directory is refused. Records IOTNET_EIO (or IOTNET_EINVAL for the limit)
 * naming `label`.
 */
int iotnet__read_fd(int fd, const char *label, size_t max, const char *limit, char **out, size_t *out_len);

/** iotnet__read_fd() of the file at `path`, named by its path in messages. */
int iotnet__read_file(const char *path, size_t max, const char *limit, char **out, size_t *out_len);

/** strdup that records IOTNET_ENOMEM on failure. */
char *iotnet__strdup(const char *s);

/**
 * Whether `s` is valid UTF-8 without control characters other than tab,
 * newline and carriage return: text that XML, YANG strings and Graphviz
 * can carry as it is.
 */
int iotnet__text_is_clean(const char *s);

/**
 * Copy `s` with every byte that is not valid UTF-8, and every control
 * character but tab, newline and carriage return, replaced by '?'.
 * Returns NULL (ENOMEM recorded) on failure.
 */
char *iotnet__text_clean(const char *s);

/**
 * The shortest text that reads back as the same double ("0.1",
 * "0.3333333333333333", "1e-10", "-0", "1e+300"), in plain notation where
 * one is as short ("40", not "4e+01"). Always in the C locale's notation.
 * `buf` holds at least IOTNET__DOUBLE_TEXT_MAX bytes.
 */
#define IOTNET__DOUBLE_TEXT_MAX 32
void iotnet__double_format(char *buf, double value);

/**
 * `value` with `digits` fraction digits ("4.250"), as a YANG decimal64 with
 * that many fraction digits holds it, in the C locale's notation.
 */
void iotnet__decimal_format(char *buf, size_t size, double value, int digits);

/**
 * Whether a decimal64 leaf with `digits` fraction digits holds `value`
 * exactly: written by iotnet__decimal_format() and read back as libyang's
 * integer over 10^digits, it is the same double, below 1e15 in magnitude.
 */
int iotnet__decimal_holds(double value, int digits);

/**
 * Read a double written by iotnet__double_format() or any decimal such as
 * "2.5" or "-1e-3" (the C locale's notation), the nearest double to it.
 * @return 0, or -1 when `text` is not all a number or is beyond the range
 *         of a double (nothing recorded)
 */
int iotnet__double_parse(const char *text, double *out);

#endif
