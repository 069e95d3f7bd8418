/* Inputs that are wrong: each bad topology file is refused with the expected
 * code and a message naming the file, the line (where the parser knows it)
 * and the data path; the caller never gets a half-built model. Also the size
 * limit, a 100 MB input whose syntax error is near its end, and inputs that
 * are not regular files (devices, FIFOs, directories) for the topology, MUD
 * and catalog loaders. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define BAD IOTNET_TEST_DIR "/data/bad/"
#define TOPOLOGY "/iotnet-topology:topology"

/* The expected data path; ANY_PATH is not checked, "" means the error has none.
 * Strings are held in the struct: Criterion runs each case in a new process. */
#define ANY_PATH "?"

typedef struct bad_case {
    char file[40];
    int code;
    char needle[64];
    char path[128];
    long line;
} bad_case;

ParameterizedTestParameters(badinput, files_are_refused)
{
    static bad_case cases[] = {
        /* malformed syntax */
        {"malformed-json.json", IOTNET_EPARSE, "expected a JSON value", TOPOLOGY, 6},
        {"truncated.json", IOTNET_EPARSE, "Invalid character in JSON string",
         TOPOLOGY "/node[id='cam']", 6},
        {"top-level-array.json", IOTNET_EPARSE, "top-level JSON object", "", 2},
        {"malformed-xml.xml", IOTNET_EPARSE, "tag mismatch", TOPOLOGY "/node[id='gw']/vendor", 7},
        {"dtd.xml", IOTNET_EPARSE, "Document Type Declaration not supported", "", 2},
        {"empty.json", IOTNET_EPARSE, "empty input", "", 0},
        {"trailing-text.json", IOTNET_EPARSE,
         "\"}\" after the end of the JSON document, expected nothing more", "", 6},
        {"blank.xml", IOTNET_EPARSE, "empty input", "", 0},
        /* wrong types and ranges */
        {"port-string.json", IOTNET_EVALIDATION, "uint16 value \"https\"",
         TOPOLOGY "/node[id='cam']/service[name='web']/port", 8},
        {"port-range.json", IOTNET_EVALIDATION, "\"70000\" is out of type uint16",
         TOPOLOGY "/node[id='cam']/service[name='web']/port", 8},
        {"port-range.xml", IOTNET_EVALIDATION, "\"70000\" is out of type uint16",
         TOPOLOGY "/node[id='cam']/service[name='web']/port", 7},
        {"security-level-range.xml", IOTNET_EVALIDATION, "out of the allowed range",
         TOPOLOGY "/zone[id='control']/security-level/target", 6},
        {"bad-date.json", IOTNET_EVALIDATION, "\"1 January 2030\"",
         TOPOLOGY "/node[id='cam']/lifecycle/certificate-not-after", 4},
        {"bad-duration.json", IOTNET_EVALIDATION, "\"10 years\"",
         TOPOLOGY "/node[id='cam']/lifecycle/signed-artifact-lifetime", 4},
        {"huge-duration.json", IOTNET_EVALIDATION, "invalid duration \"P99999999999999Y\"",
         TOPOLOGY "/node[id='cam']/lifecycle/signed-artifact-lifetime", 0},
        /* duplicate keys */
        {"duplicate-node.json", IOTNET_EVALIDATION, "Duplicate instance of \"node\"",
         TOPOLOGY "/node[id='cam']", 8},
        {"duplicate-interface.xml", IOTNET_EVALIDATION, "Duplicate instance of \"interface\"",
         ANY_PATH, 11},
        /* references to what does not exist */
        {"dangling-zone.json", IOTNET_EVALIDATION, "Invalid leafref value \"nowhere\"",
         TOPOLOGY "/node[id='cam']/zone", 0},
        {"dangling-link-node.json", IOTNET_EVALIDATION, "Invalid leafref value \"ghost\"",
         TOPOLOGY "/link[id='l1']/b/node", 0},
        {"dangling-interface.json", IOTNET_EVALIDATION, "Invalid leafref value \"lan9\"",
         TOPOLOGY "/link[id='cam-gw']/b/interface", 0},
        {"dangling-forward.json", IOTNET_EVALIDATION, "Invalid leafref value \"camera\"",
         TOPOLOGY "/node[id='gw']/nat44/port-forward[name='cam']/to-node", 0},
        /* kinds */
        {"unknown-kind.json", IOTNET_EVALIDATION, "\"robot-vacuum\" value - identity not found",
         TOPOLOGY "/node[id='vac']/kind", 5},
        {"unknown-kind-module.json", IOTNET_EVALIDATION, "\"acme-kinds:robot-vacuum\"",
         TOPOLOGY "/node[id='vac']/kind", 5},
        {"zone-kind-on-node.json", IOTNET_EVALIDATION, "not derived from the base",
         TOPOLOGY "/node[id='gw']/kind", 4},
        /* unknown or missing nodes */
        {"unknown-leaf.json", IOTNET_EVALIDATION, "Node \"colour\" not found",
         TOPOLOGY "/node[id='cam']", 4},
        {"unknown-element.xml", IOTNET_EVALIDATION, "Node \"colour\" not found",
         TOPOLOGY "/node[id='cam']", 5},
        {"wrong-namespace.xml", IOTNET_EVALIDATION, "\"urn:example:not-iotnet\"", "", 2},
        {"missing-kind.json", IOTNET_EVALIDATION, "Mandatory node \"kind\"", ANY_PATH, 0},
        {"attribute-without-value.json", IOTNET_EVALIDATION, "Mandatory choice \"value\"",
         ANY_PATH, 0},
        /* the module's own rules */
        {"prefix-without-address.json", IOTNET_EVALIDATION, "prefix-length needs ipv4-address",
         TOPOLOGY "/node[id='gw']/interface[name='lan0']/prefix-length", 0},
        {"port-range-reversed.json", IOTNET_EVALIDATION, "upper-port needs a lower-port",
         TOPOLOGY "/node[id='fw']/policy/rule[name='web']/upper-port", 0},
        {"link-to-itself.json", IOTNET_EVALIDATION, "link \"loop\" connects node \"gw\" to itself",
         TOPOLOGY "/link[id='loop']", 7},
        {"link-to-itself.xml", IOTNET_EVALIDATION, "link \"loop\" connects node \"gw\" to itself",
         TOPOLOGY "/link[id='loop']", 16},
        /* valid for the schema, refused by the model */
        {"attribute-type-clash.json", IOTNET_ETYPE, "holds int values, not string",
         TOPOLOGY "/node[id='b']/attribute[name='floor']", 0},
        {"conduit-bad-port.json", IOTNET_EINVAL, "\"tcp/99999\"", TOPOLOGY "/conduit[id='c1']", 0},
        {"nat-inside-is-outside.json", IOTNET_EINVAL, "cannot be inside and outside",
         TOPOLOGY "/node[id='gw']/nat44", 0},
    };
    return cr_make_param_array(bad_case, cases, sizeof cases / sizeof cases[0]);
}

static void expect_located(const bad_case *c, const char *file)
{
    const iotnet_error *e = iotnet_error_last();
    cr_assert_eq(e->code, c->code, "%s: code %d, expected %d: %s", c->file, e->code, c->code,
                 e->message);
    cr_assert(strstr(e->message, c->needle), "%s: message \"%s\" lacks \"%s\"", c->file,
              e->message, c->needle);
    cr_assert(strncmp(e->message, file, strlen(file)) == 0, "message \"%s\" does not start with %s",
              e->message, file);
    cr_assert(e->file && strcmp(e->file, file) == 0, "%s: error file %s", c->file,
              e->file ? e->file : "(null)");
    cr_assert_eq(e->line, c->line, "%s: line %ld, expected %ld (%s)", c->file, e->line, c->line,
                 e->message);
    if (c->line > 0) {
        char at[64];
        snprintf(at, sizeof at, ":%ld: ", c->line);
        cr_assert(strstr(e->message, at), "%s: the message does not show the line: %s", c->file,
                  e->message);
    }
    if (!*c->path)
        cr_assert_null(e->path, "%s: unexpected path %s", c->file, e->path);
    else if (strcmp(c->path, ANY_PATH) != 0)
        cr_assert(e->path && strcmp(e->path, c->path) == 0, "%s: path %s, expected %s", c->file,
                  e->path ? e->path : "(null)", c->path);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    *len = fread(data, 1, (size_t)size, f);
    fclose(f);
    return data;
}

ParameterizedTest(bad_case *c, badinput, files_are_refused)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", BAD, c->file);
    static int sentinel;
    iotnet_net *net = (iotnet_net *)&sentinel; /* a failed load must reset it */
    int rc = iotnet_net_load(&net, path, NULL);
    cr_assert_eq(rc, c->code, "%s: returned %d: %s", c->file, rc, iotnet_error_last()->message);
    cr_assert_null(net, "%s: a failed load returned a model", c->file);
    expect_located(c, path);

    /* the same text from memory fails the same way */
    size_t len = 0;
    char *data = read_all(path, &len);
    net = (iotnet_net *)&sentinel;
    rc = iotnet_net_load_data(&net, data, len, path, NULL);
    free(data);
    cr_assert_eq(rc, c->code, "%s from memory: returned %d", c->file, rc);
    cr_assert_null(net);
    expect_located(c, path);
}

Test(badinput, nul_byte_is_refused_with_its_line)
{
    static const char text[] = "{\"iotnet-topology:topology\": {\n\"name\": \"a\0b\"}}";
    iotnet_net *net = NULL;
    expect_error(iotnet_net_load_data(&net, text, sizeof text - 1, "nul.json", NULL), IOTNET_EPARSE,
                 "nul.json:2: NUL byte");
    cr_assert_null(net);
    cr_assert_eq(iotnet_error_last()->line, 2);
}

/* ------------------------------------------------------------------ */
/* Size                                                                */

#define MiB ((size_t)1 << 20)

static char dir[64];
static char big[96];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/iotnet-badinput-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(big, sizeof big, "%s/big.json", dir);
}

static void remove_dir(void)
{
    unlink(big);
    rmdir(dir);
}

Test(badinput, size_limit_refuses_before_reading, .init = make_dir, .fini = remove_dir)
{
    /* a sparse 100 MiB file: the limit is checked before anything is read */
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)(100 * MiB)), 0);
    close(fd);

    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.max_bytes = 64 * MiB;
    iotnet_net *net = NULL;
    char expected[256];
    snprintf(expected, sizeof expected,
             "%s: 104857600 bytes is more than the limit of 67108864 bytes (max_bytes)", big);
    expect_error(iotnet_net_load(&net, big, &lo), IOTNET_EINVAL, expected);
    cr_assert_null(net);
    cr_assert_str_eq(iotnet_error_last()->file, big);

    /* the default limit is 1 GiB */
    cr_assert_eq(truncate(big, (off_t)IOTNET_LOAD_MAX_BYTES_DEFAULT + 1), 0);
    expect_error(iotnet_net_load(&net, big, NULL), IOTNET_EINVAL,
                 "1073741825 bytes is more than the limit of 1073741824 bytes (max_bytes)");
    cr_assert_null(net);

    /* from memory, the length counts */
    static const char text[] = "{\"iotnet-topology:topology\": {\"name\": \"small enough?\"}}";
    lo.max_bytes = 16;
    snprintf(expected, sizeof expected,
             "mem.json: %zu bytes is more than the limit of 16 bytes (max_bytes)", sizeof text - 1);
    expect_error(iotnet_net_load_data(&net, text, sizeof text - 1, "mem.json", &lo), IOTNET_EINVAL,
                 expected);
    cr_assert_null(net);
    lo.max_bytes = sizeof text - 1;
    expect_ok(iotnet_net_load_data(&net, text, sizeof text - 1, "mem.json", &lo));
    iotnet_net_free(net);
}

Test(badinput, syntax_error_at_the_end_of_100_megabytes, .init = make_dir, .fini = remove_dir,
     .timeout = 120)
{
    /* a valid start, 100 MiB of blank lines of 1 KiB, then a syntax error */
    FILE *f = fopen(big, "w");
    cr_assert_not_null(f);
    fputs("{\"iotnet-topology:topology\": {\"name\": \"padded\",\n", f);
    char line[1024];
    memset(line, ' ', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    const long blank_lines = (long)(100 * MiB / sizeof line);
    for (long i = 0; i < blank_lines; i++)
        cr_assert_eq(fwrite(line, 1, sizeof line, f), sizeof line);
    fputs("\"zone\": [}\n", f);
    cr_assert_eq(fclose(f), 0);

    iotnet_net *net = NULL;
    long error_line = blank_lines + 2;
    char where[128];
    snprintf(where, sizeof where, "%s:%ld: ", big, error_line);
    expect_error(iotnet_net_load(&net, big, NULL), IOTNET_EPARSE, where);
    cr_assert_null(net);
    cr_assert_eq(iotnet_error_last()->line, error_line);
}

/* ------------------------------------------------------------------ */
/* Inputs that are not regular files                                   */

static char fifo[96];

static void make_fifo(void)
{
    make_dir();
    snprintf(fifo, sizeof fifo, "%s/input.fifo", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    signal(SIGPIPE, SIG_IGN); /* a refused writer sees EPIPE */
}

static void remove_fifo(void)
{
    unlink(fifo);
    remove_dir();
}

/* A child process that writes `text` `times` times into the FIFO, then exits. */
static pid_t write_fifo(const char *text, int times)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int fd = open(fifo, O_WRONLY);
        for (int i = 0; fd >= 0 && i < times; i++)
            if (write(fd, text, strlen(text)) < 0)
                break;
        _exit(0);
    }
    return pid;
}

static void wait_writer(pid_t pid)
{
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
}

Test(badinput, a_device_is_read_only_up_to_max_bytes)
{
    /* /dev/zero never ends: reading stops one byte past the limit */
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.max_bytes = 4096;
    iotnet_net *net = NULL;
    expect_error(iotnet_net_load(&net, "/dev/zero", &lo), IOTNET_EINVAL,
                 "/dev/zero: more than the limit of 4096 bytes (max_bytes); reading stopped there");
    cr_assert_null(net);
    cr_assert_str_eq(iotnet_error_last()->file, "/dev/zero");

    iotnet_mud_load_options mo = IOTNET_MUD_LOAD_OPTIONS_INIT;
    mo.max_bytes = 100;
    iotnet_mud *mud = NULL;
    expect_error(iotnet_mud_load(&mud, "/dev/zero", &mo), IOTNET_EINVAL,
                 "/dev/zero: more than the limit of 100 bytes (max_bytes)");
    cr_assert_null(mud);
}

Test(badinput, a_catalog_file_has_a_size_limit)
{
    iotnet_catalog *cat = NULL;
    expect_ok(iotnet_catalog_new(&cat));
    char expected[160];
    snprintf(expected, sizeof expected, "/dev/zero: more than the limit of %zu bytes (IOTNET_CATALOG_MAX_BYTES",
             IOTNET_CATALOG_MAX_BYTES);
    expect_error(iotnet_catalog_load_file(cat, "/dev/zero"), IOTNET_EINVAL, expected);
    /* from memory, the length counts before anything is parsed */
    static const char text[] = "<catalog/>";
    snprintf(expected, sizeof expected, "big.xml: %zu bytes is more than the limit of %zu bytes",
             IOTNET_CATALOG_MAX_BYTES + 1, IOTNET_CATALOG_MAX_BYTES);
    expect_error(iotnet_catalog_loads(cat, text, IOTNET_CATALOG_MAX_BYTES + 1, "big.xml"), IOTNET_EINVAL, expected);
    cr_assert_eq(iotnet_catalog_threat_count(cat), 0);
    iotnet_catalog_free(cat);
}

Test(badinput, a_fifo_over_the_limit_is_refused, .init = make_fifo, .fini = remove_fifo, .timeout = 30)
{
    /* a writer that would give 10 MB; the reader stops after 1001 bytes */
    pid_t writer = write_fifo("                                                                \n", 160000);
    iotnet_load_options lo = IOTNET_LOAD_OPTIONS_INIT;
    lo.max_bytes = 1000;
    iotnet_net *net = NULL;
    char expected[160];
    snprintf(expected, sizeof expected, "%s: more than the limit of 1000 bytes (max_bytes)", fifo);
    expect_error(iotnet_net_load(&net, fifo, &lo), IOTNET_EINVAL, expected);
    cr_assert_null(net);
    wait_writer(writer);
}

Test(badinput, a_fifo_under_the_limit_loads, .init = make_fifo, .fini = remove_fifo, .timeout = 30)
{
    pid_t writer = write_fifo("{\"iotnet-topology:topology\": {\"node\": [{\"id\": \"gw\", \"kind\": \"home-router\"}]}}\n", 1);
    iotnet_net *net = NULL;
    expect_ok(iotnet_net_load(&net, fifo, NULL));
    cr_assert_eq(iotnet_node_count(net), 1);
    iotnet_net_free(net);
    wait_writer(writer);
}

Test(badinput, a_directory_is_named_as_one, .init = make_dir, .fini = remove_dir)
{
    char expected[160];
    snprintf(expected, sizeof expected, "cannot read %s: it is a directory, not a file", dir);
    iotnet_net *net = NULL;
    expect_error(iotnet_net_load(&net, dir, NULL), IOTNET_EIO, expected);
    cr_assert_null(net);
    cr_assert_str_eq(iotnet_error_last()->file, dir);
    iotnet_mud *mud = NULL;
    expect_error(iotnet_mud_load(&mud, dir, NULL), IOTNET_EIO, expected);
    iotnet_catalog *cat = NULL;
    expect_ok(iotnet_catalog_new(&cat));
    expect_error(iotnet_catalog_load_file(cat, dir), IOTNET_EIO, expected);
    /* and a directory without catalog files is not a silent empty load */
    snprintf(expected, sizeof expected, "%s: no catalog files (*.xml) in the directory", dir);
    expect_error(iotnet_catalog_load_dir(cat, dir), IOTNET_EIO, expected);
    cr_assert_str_eq(iotnet_error_last()->file, dir);
    iotnet_catalog_free(cat);
}
