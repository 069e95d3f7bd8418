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

#endif
