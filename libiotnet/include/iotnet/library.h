/**
 * @file library.h
 * The library itself: its version, the libraries it runs on, and where it
 * finds its data files.
 *
 * The data directory holds what the library reads at run time besides the
 * user's files: the bundled YANG modules in DIR/yang, the bundled catalogs
 * in DIR/catalogs and the catalog schema in DIR/catalogs/schema/catalog.rng.
 * `make install` puts them in PREFIX/share/iotnet and compiles that path in;
 * an installation moved elsewhere (DESTDIR, a relocated prefix, a bundle)
 * names its new place in the environment variable IOTNET_DATA_DIR; a program
 * that ships its own copy (the Python package does) names it with
 * iotnet_data_dir_set(). IOTNET_YANG_DIR, or a yang_dir in the load and
 * save options, still names the YANG directory alone.
 */
#ifndef IOTNET_LIBRARY_H
#define IOTNET_LIBRARY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The library version as "MAJOR.MINOR.PATCH" (static string). */
const char *iotnet_version(void);

/** A library libiotnet is built on. */
typedef struct iotnet_dependency {
    const char *name;    /**< "libyang", "libxml2", "igraph" or "Graphviz" */
    const char *version; /**< as the library reports it at run time ("2.9.14"); libyang,
                              which has no such call, as it was at build time */
} iotnet_dependency;

/**
 * The i-th library libiotnet is built on (static data; the first call asks
 * Graphviz for its version, which creates and frees a Graphviz context).
 * @param[in] i from 0 up
 * @param[out] out filled with borrowed static strings
 * @return 0, or IOTNET_EINVAL past the last one (or for a NULL out)
 */
int iotnet_dependency_next(size_t i, iotnet_dependency *out);

/**
 * The data directory in use: the one given to iotnet_data_dir_set(), else
 * $IOTNET_DATA_DIR when set and not empty, else the compiled-in
 * PREFIX/share/iotnet.
 * @return a borrowed string, valid until the next iotnet_data_dir_set() or
 *         change of IOTNET_DATA_DIR
 */
const char *iotnet_data_dir(void);

/**
 * Use `dir` as the data directory from now on, before IOTNET_DATA_DIR and
 * the compiled-in one; NULL goes back to those. Call it at start-up, before
 * anything is loaded and while no other thread uses the library: the
 * catalog schema is read once and kept.
 * @param[in] dir an existing directory (copied), or NULL
 * @return 0; IOTNET_EIO naming `dir` when it is not a directory, and the
 *         directory in use stays as it was; IOTNET_ENOMEM
 */
int iotnet_data_dir_set(const char *dir);

#ifdef __cplusplus
}
#endif

#endif
