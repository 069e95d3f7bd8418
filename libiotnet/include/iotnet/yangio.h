/**
 * @file yangio.h
 * Topology files: load and save a model as YANG-modelled data (module
 * iotnet-topology), JSON (RFC 7951) or XML, validated by libyang.
 */
#ifndef IOTNET_YANGIO_H
#define IOTNET_YANGIO_H

#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_format {
    IOTNET_FORMAT_AUTO = 0,  /* from the file name (.json, .xml), else by content */
    IOTNET_FORMAT_JSON,
    IOTNET_FORMAT_XML
} iotnet_format;

typedef struct iotnet_load_options {
    unsigned int version;
    iotnet_format format;
    /** Extra directories (':'-separated) searched for YANG modules that
     *  extend the vocabulary (kinds), or NULL. The bundled modules are always found. */
    const char *yang_path;
    /** Where the bundled modules are; NULL uses IOTNET_YANG_DIR from the
     *  environment, then yang/ of the data directory (see library.h). */
    const char *yang_dir;
    /** Refuse inputs larger than this many bytes before parsing them: a
     *  regular file by its size, a pipe, FIFO or device once it has given one
     *  byte more; 0 means IOTNET_LOAD_MAX_BYTES_DEFAULT. */
    size_t max_bytes;
} iotnet_load_options;

#define IOTNET_LOAD_MAX_BYTES_DEFAULT ((size_t)1 << 30)
#define IOTNET_LOAD_OPTIONS_VERSION 1
#define IOTNET_LOAD_OPTIONS_INIT {IOTNET_LOAD_OPTIONS_VERSION, IOTNET_FORMAT_AUTO, NULL, NULL, 0}

/**
 * Load a topology file into a new model. On any error nothing is returned
 * and iotnet_error_last() names the file, the line (where the parser knows
 * it) and the data path. The file is read once (a FIFO or /dev/stdin works)
 * and holds one document: text after a JSON document is IOTNET_EPARSE.
 * @param[out] out the new model, the caller's (iotnet_net_free())
 * @param[in] path the file
 * @param[in] opts options, or NULL for defaults
 * @return 0, IOTNET_EIO (unreadable, a directory), IOTNET_EPARSE,
 *         IOTNET_EVALIDATION, IOTNET_EEXISTS, IOTNET_ENOTFOUND, IOTNET_EKIND,
 *         IOTNET_EINVAL (bad options, or the input is larger than max_bytes)
 */
int iotnet_net_load(iotnet_net **out, const char *path, const iotnet_load_options *opts);

/**
 * Load a topology from memory; `name` labels it in error messages.
 * Same contract as iotnet_net_load(); with format AUTO the first
 * non-blank character decides ('<' is XML, anything else JSON).
 * @param[out] out the new model, the caller's (iotnet_net_free())
 * @param[in] data the text (need not be NUL-terminated; NUL bytes are refused)
 * @param[in] len its length in bytes
 * @param[in] name a label for messages, or NULL for "<data>"
 * @param[in] opts options, or NULL for defaults
 * @return as iotnet_net_load()
 */
int iotnet_net_load_data(iotnet_net **out, const char *data, size_t len, const char *name,
                         const iotnet_load_options *opts);

typedef struct iotnet_save_options {
    unsigned int version;
    iotnet_format format;    /**< AUTO: from the file name, JSON by default */
    const char *yang_dir;    /**< as in iotnet_load_options */
    /** As in iotnet_load_options: the modules defining the model's kinds
     *  that are not in iotnet-topology (written as "module:kind"). */
    const char *yang_path;
} iotnet_save_options;

#define IOTNET_SAVE_OPTIONS_VERSION 1
#define IOTNET_SAVE_OPTIONS_INIT {IOTNET_SAVE_OPTIONS_VERSION, IOTNET_FORMAT_AUTO, NULL, NULL}

/**
 * Write a model as a topology file, atomically (a temporary file renamed
 * over `path`). The output validates against the module. Unset fields are
 * left out. Every kind the model uses must be an identity of iotnet-topology
 * or of a module in opts->yang_path.
 * @param[in] net the model (not modified)
 * @param[in] path the file; AUTO format is XML for a .xml name, else JSON
 * @param[in] opts options, or NULL for defaults
 * @return 0, IOTNET_EIO, IOTNET_EVALIDATION (the model cannot be written
 *         as valid data, e.g. a kind without a YANG identity), IOTNET_EINVAL
 */
int iotnet_net_save(const iotnet_net *net, const char *path, const iotnet_save_options *opts);

/**
 * Serialise a model to a string (JSON when the format is AUTO).
 * Same contract as iotnet_net_save().
 * @param[out] out the text, the caller's (iotnet_string_free()); NULL on error
 * @param[in] net the model
 * @param[in] opts options, or NULL for defaults
 * @return 0, IOTNET_EVALIDATION, IOTNET_EINVAL, IOTNET_ENOMEM
 */
int iotnet_net_save_data(const iotnet_net *net, char **out, const iotnet_save_options *opts);

#ifdef __cplusplus
}
#endif

#endif
