/* Date and duration text (yangio_time.c), for topology files, catalog
 * conditions and the attribute checks. Each records IOTNET_EINVAL on bad input. */
#ifndef IOTNET_YANGIO_TIME_H
#define IOTNET_YANGIO_TIME_H

#include <stddef.h>
#include <stdint.h>

/** Parse a yang:date-and-time (any offset, fractions dropped) into seconds since the epoch, UTC. */
int iotnet__date_parse(int64_t *out, const char *text);
/** Write seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ" (years 0000..9999) into buf[32]. */
int iotnet__date_format(char *buf, size_t size, int64_t seconds);
/** Parse an ISO 8601 duration of whole units (P1Y2M3W4DT5H6M7S; Y=365 d, M=30 d, W=7 d) into seconds. */
int iotnet__duration_parse(int64_t *out, const char *text);
/** Write a non-negative duration as "P<n>D" when it is whole days, else "PT<n>S". */
int iotnet__duration_format(char *buf, size_t size, int64_t seconds);

#endif
