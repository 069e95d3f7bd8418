/* The library itself: its version, the versions of the libraries under it,
 * and the data directory (set > $IOTNET_DATA_DIR > compiled in) that the
 * YANG modules, the bundled catalogs and the catalog schema are read from. */
#include <criterion/criterion.h>
#include <graphviz/graphviz_version.h>
#include <igraph_version.h>
#include <libxml/xmlversion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#define HOME IOTNET_MODELS_DIR "/topologies/home.xml"

static char relocated[64];

static void setup(void)
{
    unsetenv("IOTNET_DATA_DIR");
    unsetenv("IOTNET_YANG_DIR");
    iotnet_error_clear();
    snprintf(relocated, sizeof relocated, "/tmp/iotnet-data-XXXXXX");
    cr_assert_not_null(mkdtemp(relocated));
}

static void teardown(void)
{
    char path[128];
    for (const char *const *part = (const char *const[]){"yang", "catalogs", NULL}; *part; part++) {
        snprintf(path, sizeof path, "%s/%s", relocated, *part);
        unlink(path);
    }
    rmdir(relocated);
}

TestSuite(library, .init = setup, .fini = teardown);

/* The relocated directory gets yang/ and catalogs/ as links to the tree's. */
static void relocate_data(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/yang", relocated);
    cr_assert_eq(symlink(IOTNET_MODELS_DIR "/yang", path), 0);
    snprintf(path, sizeof path, "%s/catalogs", relocated);
    cr_assert_eq(symlink(IOTNET_MODELS_DIR "/catalogs", path), 0);
}

Test(library, version_is_major_minor_patch)
{
    const char *v = iotnet_version();
    cr_assert_not_null(v);
    unsigned major, minor, patch;
    char rest;
    cr_assert_eq(sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &rest), 3, "version \"%s\"", v);
}

Test(library, dependencies_are_named_with_the_versions_in_use)
{
    const char *want[][2] = {
        {"libyang", IOTNET_LIBYANG_VERSION},
        {"libxml2", LIBXML_DOTTED_VERSION},
        {"igraph", IGRAPH_VERSION},
        {"Graphviz", PACKAGE_VERSION},
    };
    iotnet_dependency dep;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        expect_ok(iotnet_dependency_next(i, &dep));
        expect_str(dep.name, want[i][0]);
        expect_str(dep.version, want[i][1]);
    }
    expect_error(iotnet_dependency_next(4, &dep), IOTNET_EINVAL, "no dependency 4 (there are 4)");
    expect_error(iotnet_dependency_next(0, NULL), IOTNET_EINVAL, "out is NULL");
}

Test(library, data_dir_is_the_one_set_then_the_environment_then_the_compiled_in)
{
    expect_str(iotnet_data_dir(), IOTNET_MODELS_DIR);
    setenv("IOTNET_DATA_DIR", "", 1);
    expect_str(iotnet_data_dir(), IOTNET_MODELS_DIR);
    setenv("IOTNET_DATA_DIR", "/opt/iotnet/share/iotnet", 1);
    expect_str(iotnet_data_dir(), "/opt/iotnet/share/iotnet");
    expect_ok(iotnet_data_dir_set(relocated));
    expect_str(iotnet_data_dir(), relocated);
    expect_ok(iotnet_data_dir_set(NULL));
    expect_str(iotnet_data_dir(), "/opt/iotnet/share/iotnet");
}

Test(library, data_dir_set_refuses_what_is_not_a_directory_and_keeps_the_one_in_use)
{
    expect_ok(iotnet_data_dir_set(relocated));
    expect_error(iotnet_data_dir_set("/nonexistent/iotnet"), IOTNET_EIO,
                 "/nonexistent/iotnet: not a directory (the data directory holds yang/ and catalogs/)");
    expect_str(iotnet_error_last()->file, "/nonexistent/iotnet");
    expect_error(iotnet_data_dir_set(HOME), IOTNET_EIO, HOME ": not a directory");
    expect_str(iotnet_data_dir(), relocated);
}

Test(library, an_empty_data_dir_names_what_is_missing)
{
    setenv("IOTNET_DATA_DIR", relocated, 1);
    char want[160];
    iotnet_catalog *cat = NULL;
    snprintf(want, sizeof want, "%s/catalogs: cannot open the catalog directory", relocated);
    expect_error(iotnet_catalog_default(&cat), IOTNET_EIO, want);
    cr_assert_null(cat);
    iotnet_net *net = NULL;
    snprintf(want, sizeof want, "%s/yang", relocated);
    expect_error(iotnet_net_load(&net, HOME, NULL), IOTNET_EIO, want);
    cr_assert_null(net);
    /* the schema of a catalog file comes from there too */
    expect_ok(iotnet_catalog_new(&cat));
    snprintf(want, sizeof want, "the catalog schema %s/catalogs/schema/catalog.rng could not be loaded", relocated);
    expect_error(iotnet_catalog_load_file(cat, IOTNET_TEST_DIR "/data/catalogs/controls-test.xml"), IOTNET_EIO,
                 want);
    iotnet_catalog_free(cat);
}

/* What a relocated installation does: IOTNET_DATA_DIR names the new place. */
Test(library, a_relocated_data_dir_serves_models_catalogs_and_analysis)
{
    relocate_data();
    setenv("IOTNET_DATA_DIR", relocated, 1);
    iotnet_net *net = NULL;
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    iotnet_catalog *cat = NULL;
    expect_ok(iotnet_catalog_default(&cat));
    cr_assert_gt(iotnet_catalog_threat_count(cat), 0);
    iotnet_findings *f = NULL;
    expect_ok(iotnet_analyze(&f, net, cat, NULL));
    cr_assert_gt(iotnet_findings_count(f), 0);
    iotnet_findings_free(f);
    iotnet_catalog_free(cat);
    iotnet_net_free(net);
}

Test(library, yang_dir_from_the_environment_still_wins_for_the_modules)
{
    setenv("IOTNET_DATA_DIR", relocated, 1); /* empty: no yang/ here */
    setenv("IOTNET_YANG_DIR", IOTNET_MODELS_DIR "/yang", 1);
    iotnet_net *net = NULL;
    expect_ok(iotnet_net_load(&net, HOME, NULL));
    iotnet_net_free(net);
}
