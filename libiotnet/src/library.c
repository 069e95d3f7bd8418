/* The library itself: its version, the versions of the libraries it runs
 * on, and the directory of its data files. */
#include "library_internal.h"

#include <graphviz/gvc.h>
#include <igraph.h>
#include <libxml/parser.h>
#include <libyang/version.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error_internal.h"
#include "util.h"

/* Where `make install` puts the data (the build passes PREFIX/share/iotnet,
 * or a source checkout's models/ for the binaries run from the tree). */
#ifndef IOTNET_DEFAULT_DATA_DIR
#define IOTNET_DEFAULT_DATA_DIR "/usr/local/share/iotnet"
#endif

/* libyang reports no version at run time and its header holds the soname's;
 * the build passes the release pkg-config knows. */
#ifndef IOTNET_LIBYANG_VERSION
#define IOTNET_LIBYANG_VERSION LY_VERSION
#endif

const char *iotnet_version(void)
{
    return "0.1.0";
}

/* ---- the libraries underneath ----------------------------------------- */

static char libxml2_version[32];
static char graphviz_version[32];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

/* libxml2 reports 20914 for 2.9.14. */
static void read_libxml2_version(void)
{
    long v = strtol(xmlParserVersion, NULL, 10);
    snprintf(libxml2_version, sizeof libxml2_version, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
}

/* Graphviz tells its version through a context; one without plugins is enough. */
static void read_graphviz_version(void)
{
    static const lt_symlist_t no_plugins[] = {{NULL, NULL}};
    GVC_t *gvc = gvContextPlugins(no_plugins, 0);
    const char *v = gvc ? gvcVersion(gvc) : NULL;
    snprintf(graphviz_version, sizeof graphviz_version, "%s", v ? v : "unknown");
    if (gvc)
        gvFreeContext(gvc);
}

static void read_versions(void)
{
    read_libxml2_version();
    read_graphviz_version();
}

int iotnet_dependency_next(size_t i, iotnet_dependency *out)
{
    if (!out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_dependency_next: out is NULL");
    pthread_once(&versions_once, read_versions);
    const char *igraph_text = NULL;
    igraph_version(&igraph_text, NULL, NULL, NULL);
    const iotnet_dependency all[] = {
        {"libyang", IOTNET_LIBYANG_VERSION[0] ? IOTNET_LIBYANG_VERSION : LY_VERSION},
        {"libxml2", libxml2_version},
        {"igraph", igraph_text ? igraph_text : "unknown"},
        {"Graphviz", graphviz_version},
    };
    if (i >= sizeof all / sizeof all[0])
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_dependency_next: no dependency %zu (there are %zu)", i,
                                 sizeof all / sizeof all[0]);
    *out = all[i];
    return 0;
}

/* ---- the data directory ----------------------------------------------- */

static char *chosen_dir; /* iotnet_data_dir_set()'s copy, or NULL */

const char *iotnet_data_dir(void)
{
    if (chosen_dir)
        return chosen_dir;
    const char *env = getenv("IOTNET_DATA_DIR");
    return env && *env ? env : IOTNET_DEFAULT_DATA_DIR;
}

int iotnet_data_dir_set(const char *dir)
{
    char *copy = NULL;
    if (dir) {
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            iotnet__error_set(IOTNET_EIO, "%s: not a directory (the data directory holds yang/ and catalogs/)", dir);
            iotnet__error_locate(dir, 0, NULL);
            return IOTNET_EIO;
        }
        if (!(copy = iotnet__strdup(dir)))
            return IOTNET_ENOMEM;
    }
    free(chosen_dir);
    chosen_dir = copy;
    return 0;
}

int iotnet__data_path(char *out, size_t size, const char *name)
{
    const char *dir = iotnet_data_dir();
    int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return iotnet__error_set(IOTNET_EINVAL, "the data directory %s makes too long a path", dir);
    return 0;
}
