/* Paths inside the data directory (see iotnet/library.h). */
#ifndef IOTNET_LIBRARY_INTERNAL_H
#define IOTNET_LIBRARY_INTERNAL_H

#include <stddef.h>

#include "iotnet/library.h"

/**
 * DATA_DIR/name into `out` (e.g. "catalogs/schema/catalog.rng").
 * @return 0, or IOTNET_EINVAL recorded when it does not fit in `size`
 */
int iotnet__data_path(char *out, size_t size, const char *name);

#endif
