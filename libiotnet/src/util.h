/* Small shared helpers: growable text buffers and atomic file writes. */
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
 * Read a whole file into a NUL-terminated malloc'd buffer.
 * Records IOTNET_EIO naming the file on failure.
 */
int iotnet__read_file(const char *path, char **out, size_t *out_len);

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
