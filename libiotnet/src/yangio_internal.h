/* Topology files through libyang: the pieces shared by yangio*.c. */
#ifndef IOTNET_YANGIO_INTERNAL_H
#define IOTNET_YANGIO_INTERNAL_H

#include <stdint.h>

#include <libyang/libyang.h>

#include "iotnet/net.h"
#include "iotnet/yangio.h"
#include "yangio_time.h"

/** The module that defines the topology data and the built-in kinds. */
#define IOTNET__TOPOLOGY_MODULE "iotnet-topology"

/** A libyang context with iotnet-topology and the user's modules loaded. */
typedef struct iotnet__yang {
    struct ly_ctx *ctx;
    const struct lys_module *topology;
} iotnet__yang;

/**
 * Create a context: the bundled modules from `yang_dir` (NULL: $IOTNET_YANG_DIR,
 * then the data directory's yang/) and every module found in the ':'-separated
 * `yang_path`. Also makes libyang log into the context's error list only.
 */
int iotnet__yang_open(iotnet__yang *out, const char *yang_dir, const char *yang_path);

/**
 * Create a context with the NULL-terminated list of `modules` implemented with all
 * their features, found in
 * `yang_dir` as above (out->topology is set when the list names iotnet-topology),
 * then every module of `yang_path`.
 */
int iotnet__yang_open_modules(iotnet__yang *out, const char *yang_dir, const char *yang_path,
                              const char *const *modules);

/** Destroy the context (NULL-safe fields). */
void iotnet__yang_close(iotnet__yang *y);

/**
 * Record libyang's first error as the last error: "LABEL:LINE: message (at PATH)",
 * located at (label, line, path). `code` 0 picks IOTNET_EPARSE for syntax errors
 * and IOTNET_EVALIDATION otherwise; `path` (may be NULL) stands in when libyang
 * gives none. Returns the code.
 */
int iotnet__yang_error(const struct ly_ctx *ctx, const char *label, int code, const char *path);

/**
 * After iotnet__yang_error() for a topology text that failed to load: when
 * the error is one libyang states as the rule broken (a link from a node to
 * itself), reword it to name the fault and locate it at its line in `text`.
 * Returns `code`.
 */
int iotnet__yang_reword_error(const char *label, const char *text, size_t len, iotnet_format format, int code);

/** Register in `net` every kind derived from node-kind or zone-kind in the context. */
int iotnet__yang_register_kinds(iotnet_net *net, const iotnet__yang *y, const char *label);

/** Fill an empty model from a validated data tree. Errors name `label` and the data path. */
int iotnet__yang_read(iotnet_net *net, const struct lyd_node *tree, const char *label);

/** Build a validated data tree (the caller frees it with lyd_free_all()) from a model. */
int iotnet__yang_build(struct lyd_node **out, const iotnet_net *net, const iotnet__yang *y,
                       const char *label);

/* An input of `size` bytes against a max_bytes option (0: the default); records IOTNET_EINVAL. */
int iotnet__size_check(const char *label, unsigned long long size, size_t max_bytes);
/* Read a whole input file, at most max_bytes (0: the default) of it (iotnet__read_file). */
int iotnet__read_input(const char *path, size_t max_bytes, char **text, size_t *len);
/* Copy `len` bytes of caller data into a NUL-terminated malloc'd `text`, as libyang reads it;
 * records IOTNET_ENOMEM. */
int iotnet__input_copy(const char *data, size_t len, char **text);
/* IOTNET_EPARSE "LABEL:LINE: NUL byte in the input" when the input holds one, else 0. */
int iotnet__input_check_nul(const char *label, const char *data, size_t len);
/* IOTNET_EPARSE "LABEL:LINE: ... after the end of the JSON document" when anything but blanks
 * follows the document of JSON text that libyang parsed (it stops at the end of the first value). */
int iotnet__input_check_json_end(const char *label, const char *data, size_t len);
/* The 1-based line of byte `offset` of an input. */
long iotnet__input_line(const char *data, size_t offset);

#endif
