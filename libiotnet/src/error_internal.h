/* Recording errors: every failing public function sets the thread's last error. */
#ifndef IOTNET_ERROR_INTERNAL_H
#define IOTNET_ERROR_INTERNAL_H

#include "iotnet/error.h"

/** Record an error (printf-style message) with no location; returns `code`. */
int iotnet__error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Attach a location to the error just recorded (any argument may be NULL/0). */
void iotnet__error_locate(const char *file, long line, const char *path);

/** Prefix the recorded message with "prefix: " (e.g. a file name for context). */
void iotnet__error_prefix(const char *prefix);

/** One-time library initialisation (igraph error handler); thread-safe. */
void iotnet__init(void);

#endif
