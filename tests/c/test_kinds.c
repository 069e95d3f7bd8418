/* The kind hierarchy: the built-in vocabulary (kept identical to the identities
 * of the iotnet-topology YANG module), user kinds and is-a queries. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define TOPOLOGY_MODULE IOTNET_MODELS_DIR "/yang/iotnet-topology@2026-11-22.yang"

static iotnet_net *net;
/* A second model, and the identities read from the module: held here so that
 * the fixture frees them even when an assertion ends the test. */
static iotnet_net *other;
static struct identity *identities;

static void setup(void)
{
    net = other = NULL;
    identities = NULL;
    expect_ok(iotnet_net_new(&net));
}

static void teardown(void)
{
    iotnet_net_free(net);
    iotnet_net_free(other);
    free(identities);
    net = other = NULL;
    identities = NULL;
}

TestSuite(kinds, .init = setup, .fini = teardown);

static iotnet_kind kind_of(const char *name)
{
    iotnet_kind k = IOTNET_NONE;
    expect_ok(iotnet_kind_find(net, &k, name));
    cr_assert_neq(k, IOTNET_NONE);
    return k;
}

/* ---- the built-in hierarchy --------------------------------------- */

/* Parameters are copied into the test process: strings are held inline. */
typedef struct is_a_case {
    char kind[32];
    char ancestor[32];
    int expected;
} is_a_case;

ParameterizedTestParameters(kinds, builtin_is_a)
{
    static is_a_case cases[] = {
        {"camera", "camera", 1},
        {"camera", "iot-device", 1},
        {"camera", "device", 1},
        {"camera", "node-kind", 1},
        {"camera", "forwarding", 0},
        {"camera", "ot-device", 0},
        {"virtual-plc", "plc", 1},
        {"virtual-plc", "ot-device", 1},
        {"virtual-plc", "device", 1},
        {"plc", "virtual-plc", 0},
        {"home-router", "router", 1},
        {"home-router", "forwarding", 1},
        {"home-router", "device", 0},
        {"switch", "forwarding", 1},
        {"access-point", "forwarding", 1},
        {"engineering-workstation", "host", 1},
        {"vendor-cloud", "cloud-service", 1},
        {"internet", "node-kind", 1},
        {"industrial-dmz", "dmz", 1},
        {"industrial-dmz", "zone-kind", 1},
        {"dmz", "industrial-dmz", 0},
        {"home-lan", "node-kind", 0},
        {"camera", "zone-kind", 0},
        {"node-kind", "zone-kind", 0},
    };
    return cr_make_param_array(is_a_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(is_a_case *p, kinds, builtin_is_a)
{
    int rc = iotnet_kind_is(net, p->kind, p->ancestor);
    cr_assert_eq(rc, p->expected, "%s is-a %s: %d", p->kind, p->ancestor, rc);
    bool by_index = iotnet_kind_is_a(net, kind_of(p->kind), kind_of(p->ancestor));
    cr_assert_eq(by_index, p->expected == 1, "%s is-a %s by index", p->kind, p->ancestor);
}

Test(kinds, roots_have_no_parent)
{
    cr_assert_eq(iotnet_kind_parent(net, kind_of(IOTNET_KIND_NODE_ROOT)), IOTNET_NONE);
    cr_assert_eq(iotnet_kind_parent(net, kind_of(IOTNET_KIND_ZONE_ROOT)), IOTNET_NONE);
    cr_assert_eq(iotnet_kind_parent(net, kind_of(IOTNET_KIND_FORWARDING)),
                 kind_of(IOTNET_KIND_NODE_ROOT));
}

Test(kinds, parent_chain_of_camera)
{
    iotnet_kind k = kind_of("camera");
    const char *chain[] = {"camera", "iot-device", "device", "node-kind"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_neq(k, IOTNET_NONE, "chain ended before %s", chain[i]);
        cr_assert_str_eq(iotnet_kind_name(net, k), chain[i]);
        k = iotnet_kind_parent(net, k);
    }
    cr_assert_eq(k, IOTNET_NONE);
}

Test(kinds, kinds_are_numbered_densely)
{
    size_t count = iotnet_kind_count(net);
    cr_assert_gt(count, 60, "the built-in vocabulary has %zu kinds", count);
    for (iotnet_kind k = 0; k < count; k++) {
        const char *name = iotnet_kind_name(net, k);
        cr_assert_not_null(name, "kind %u has no name", k);
        iotnet_kind again;
        expect_ok(iotnet_kind_find(net, &again, name));
        cr_assert_eq(again, k, "%s", name);
        iotnet_kind parent = iotnet_kind_parent(net, k);
        cr_assert(parent == IOTNET_NONE || parent < count, "%s has parent %u", name, parent);
    }
    cr_assert_null(iotnet_kind_name(net, (iotnet_kind)count));
    cr_assert_null(iotnet_kind_name(net, IOTNET_NONE));
    cr_assert_eq(iotnet_kind_parent(net, (iotnet_kind)count), IOTNET_NONE);
    cr_assert_not(iotnet_kind_is_a(net, (iotnet_kind)count, kind_of("node-kind")));
}

Test(kinds, unknown_names_are_a_kind_error)
{
    iotnet_kind k;
    expect_error(iotnet_kind_find(net, &k, "flux-capacitor"), IOTNET_EKIND, "flux-capacitor");
    expect_error(iotnet_kind_is(net, "flux-capacitor", "device"), IOTNET_EKIND, "flux-capacitor");
    expect_error(iotnet_kind_is(net, "camera", "time-machine"), IOTNET_EKIND, "time-machine");
    cr_assert_eq(iotnet_kind_find(net, &k, "CAMERA"), IOTNET_EKIND, "names are case-sensitive");
    cr_assert_eq(iotnet_kind_find(net, &k, "iotnet:camera"), IOTNET_EKIND);
    cr_assert_eq(iotnet_kind_is(net, NULL, "device"), IOTNET_EINVAL);
}

/* ---- user kinds ----------------------------------------------------- */

Test(kinds, user_kind_joins_the_hierarchy)
{
    size_t before = iotnet_kind_count(net);
    iotnet_kind fridge = IOTNET_NONE;
    expect_ok(iotnet_kind_add(net, &fridge, "smart-fridge", "iot-device"));
    cr_assert_eq(iotnet_kind_count(net), before + 1);
    cr_assert_eq(fridge, kind_of("smart-fridge"));
    cr_assert_eq(fridge, (iotnet_kind)before, "kinds stay numbered 0..count-1");
    cr_assert_str_eq(iotnet_kind_name(net, fridge), "smart-fridge");
    cr_assert_eq(iotnet_kind_parent(net, fridge), kind_of("iot-device"));
    cr_assert_eq(iotnet_kind_is(net, "smart-fridge", "device"), 1);
    cr_assert_eq(iotnet_kind_is(net, "smart-fridge", "camera"), 0);
    cr_assert_eq(iotnet_kind_is(net, "camera", "smart-fridge"), 0);

    /* a kind under a user kind */
    expect_ok(iotnet_kind_add(net, NULL, "wine-fridge", "smart-fridge"));
    cr_assert_eq(iotnet_kind_is(net, "wine-fridge", "iot-device"), 1);

    /* and nodes may use it */
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix;
    s.id = "kitchen";
    s.kind = "wine-fridge";
    expect_ok(iotnet_node_add(net, &ix, &s));
    cr_assert_eq(iotnet_node_kind(net, ix), kind_of("wine-fridge"));
    cr_assert_not(iotnet_node_is_forwarding(net, ix));
}

Test(kinds, user_forwarding_kind_is_transit)
{
    expect_ok(iotnet_kind_add(net, NULL, "thread-border-router", "router"));
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix;
    s.id = "otbr";
    s.kind = "thread-border-router";
    expect_ok(iotnet_node_add(net, &ix, &s));
    cr_assert(iotnet_node_is_forwarding(net, ix));
}

Test(kinds, user_zone_kind_is_for_zones_only)
{
    expect_ok(iotnet_kind_add(net, NULL, "cleanroom", "zone-kind"));
    cr_assert_eq(iotnet_kind_is(net, "cleanroom", IOTNET_KIND_ZONE_ROOT), 1);
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = "fab";
    z.kind = "cleanroom";
    expect_ok(iotnet_zone_add(net, NULL, &z));
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    s.id = "n";
    s.kind = "cleanroom";
    expect_error(iotnet_node_add(net, NULL, &s), IOTNET_EKIND, "cleanroom");
}

Test(kinds, parent_must_exist)
{
    size_t before = iotnet_kind_count(net);
    expect_error(iotnet_kind_add(net, NULL, "robot-arm", "robot"), IOTNET_EKIND, "robot");
    cr_assert_eq(iotnet_kind_count(net), before);
    iotnet_kind k;
    cr_assert_eq(iotnet_kind_find(net, &k, "robot-arm"), IOTNET_EKIND);
    cr_expect_lt(iotnet_kind_add(net, NULL, "robot-arm", NULL), 0, "a new root is refused");
    cr_assert_lt(iotnet_kind_add(net, NULL, "", "device"), 0, "an empty name is refused");
    cr_assert_eq(iotnet_kind_count(net), before);
}

Test(kinds, same_name_under_another_parent_exists)
{
    expect_ok(iotnet_kind_add(net, NULL, "gadget", "iot-device"));
    size_t before = iotnet_kind_count(net);
    expect_error(iotnet_kind_add(net, NULL, "gadget", "ot-device"), IOTNET_EEXISTS, "gadget");
    expect_error(iotnet_kind_add(net, NULL, "camera", "device"), IOTNET_EEXISTS, "camera");
    cr_assert_eq(iotnet_kind_count(net), before);
    cr_assert_eq(iotnet_kind_parent(net, kind_of("gadget")), kind_of("iot-device"));
    cr_assert_eq(iotnet_kind_parent(net, kind_of("camera")), kind_of("iot-device"));
}

Test(kinds, re_adding_the_same_kind_is_fine)
{
    iotnet_kind first, second, builtin;
    expect_ok(iotnet_kind_add(net, &first, "gadget", "iot-device"));
    size_t before = iotnet_kind_count(net);
    expect_ok(iotnet_kind_add(net, &second, "gadget", "iot-device"));
    cr_assert_eq(first, second);
    cr_assert_eq(iotnet_kind_count(net), before);
    expect_ok(iotnet_kind_add(net, &builtin, "camera", "iot-device"));
    cr_assert_eq(builtin, kind_of("camera"));
    cr_assert_eq(iotnet_kind_count(net), before);
}

Test(kinds, user_kinds_belong_to_one_model)
{
    expect_ok(iotnet_net_new(&other));
    size_t before = iotnet_kind_count(other);
    expect_ok(iotnet_kind_add(net, NULL, "gadget", "iot-device"));
    cr_assert_eq(iotnet_kind_count(other), before);
    iotnet_kind k;
    cr_assert_eq(iotnet_kind_find(other, &k, "gadget"), IOTNET_EKIND);
}

/* ---- the built-in kinds are the YANG module's identities ----------- */

typedef struct identity {
    char name[256];
    char base[256]; /* "" for a root */
} identity;

typedef struct identity_table {
    identity *items;
    size_t count;
    size_t cap;
} identity_table;

typedef struct lexer {
    const char *p;
} lexer;

/* Skip white space and comments. */
static void skip_blank(lexer *lx)
{
    for (;;) {
        while (isspace((unsigned char)*lx->p))
            lx->p++;
        if (lx->p[0] == '/' && lx->p[1] == '/') {
            while (*lx->p && *lx->p != '\n')
                lx->p++;
        } else if (lx->p[0] == '/' && lx->p[1] == '*') {
            const char *end = strstr(lx->p + 2, "*/");
            lx->p = end ? end + 2 : lx->p + strlen(lx->p);
        } else {
            return;
        }
    }
}

/* The next YANG token into buf: a word, a quoted string (quotes kept so that
 * strings never look like keywords), or one of { } ;. Returns false at the end. */
static bool next_token(lexer *lx, char *buf, size_t size)
{
    skip_blank(lx);
    if (!*lx->p)
        return false;
    size_t n = 0;
    char c = *lx->p;
    if (c == '{' || c == '}' || c == ';') {
        lx->p++;
        snprintf(buf, size, "%c", c);
        return true;
    }
    if (c == '"' || c == '\'') {
        lx->p++;
        while (*lx->p && *lx->p != c) {
            if (c == '"' && *lx->p == '\\' && lx->p[1])
                lx->p++;
            lx->p++;
        }
        if (*lx->p)
            lx->p++;
        snprintf(buf, size, "%c", c);
        return true;
    }
    while (*lx->p && !isspace((unsigned char)*lx->p) && !strchr("{};\"'", *lx->p)) {
        if (n + 1 < size)
            buf[n++] = *lx->p;
        lx->p++;
    }
    buf[n] = '\0';
    return true;
}

static void table_push(identity_table *t, const char *name)
{
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        identity *grown = realloc(t->items, t->cap * sizeof *t->items);
        cr_assert_not_null(grown);
        t->items = identities = grown;
    }
    identity *id = &t->items[t->count++];
    snprintf(id->name, sizeof id->name, "%s", name);
    id->base[0] = '\0';
}

/* Read the body of `identity NAME { ... }` for its base statement. */
static void read_identity_body(lexer *lx, identity *id)
{
    char tok[256];
    int depth = 1;
    bool expect_base = false;
    while (depth > 0 && next_token(lx, tok, sizeof tok)) {
        if (tok[0] == '{' && !tok[1]) {
            depth++;
        } else if (tok[0] == '}' && !tok[1]) {
            depth--;
        } else if (expect_base) {
            const char *colon = strchr(tok, ':');
            cr_assert_eq(id->base[0], '\0', "identity %s has several bases", id->name);
            snprintf(id->base, sizeof id->base, "%s", colon ? colon + 1 : tok);
            expect_base = false;
        } else if (depth == 1 && strcmp(tok, "base") == 0) {
            expect_base = true;
        }
    }
}

static identity_table parse_identities(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    cr_assert_not_null(text);
    cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);

    identity_table t = {0};
    lexer lx = {text};
    char tok[256];
    while (next_token(&lx, tok, sizeof tok)) {
        if (strcmp(tok, "identity") != 0)
            continue;
        cr_assert(next_token(&lx, tok, sizeof tok), "identity without a name");
        table_push(&t, tok);
        cr_assert(next_token(&lx, tok, sizeof tok));
        if (tok[0] == '{')
            read_identity_body(&lx, &t.items[t.count - 1]);
    }
    free(text);
    return t;
}

static const identity *table_find(const identity_table *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return &t->items[i];
    return NULL;
}

Test(kinds, builtin_kinds_are_the_yang_identities)
{
    identity_table t = parse_identities(TOPOLOGY_MODULE);
    cr_assert_gt(t.count, 60, "only %zu identities parsed from the module", t.count);

    /* every identity is a kind with the same parent */
    for (size_t i = 0; i < t.count; i++) {
        const identity *id = &t.items[i];
        iotnet_kind k;
        int rc = iotnet_kind_find(net, &k, id->name);
        cr_assert_eq(rc, 0, "identity %s is not a built-in kind", id->name);
        iotnet_kind parent = iotnet_kind_parent(net, k);
        if (!id->base[0]) {
            cr_assert_eq(parent, IOTNET_NONE, "identity %s is a root in the module", id->name);
        } else {
            cr_assert_neq(parent, IOTNET_NONE, "kind %s has no parent, the module says %s",
                          id->name, id->base);
            cr_assert_str_eq(iotnet_kind_name(net, parent), id->base, "parent of %s", id->name);
        }
    }

    /* every built-in kind is an identity with the same base */
    size_t count = iotnet_kind_count(net);
    for (iotnet_kind k = 0; k < count; k++) {
        const char *name = iotnet_kind_name(net, k);
        const identity *id = table_find(&t, name);
        cr_assert_not_null(id, "built-in kind %s is not an identity of the module", name);
        iotnet_kind parent = iotnet_kind_parent(net, k);
        const char *pname = parent == IOTNET_NONE ? "" : iotnet_kind_name(net, parent);
        cr_assert_str_eq(pname, id->base, "parent of %s", name);
    }
    cr_assert_eq(count, t.count, "%zu kinds, %zu identities", count, t.count);
}

Test(kinds, identity_parser_sees_one_line_and_block_forms)
{
    /* guards the drift check above: both forms in the module must be recognised */
    identity_table t = parse_identities(TOPOLOGY_MODULE);
    const identity *router = table_find(&t, "router");
    const identity *home = table_find(&t, "home-router");
    const identity *root = table_find(&t, "zone-kind");
    cr_assert_not_null(router);
    cr_assert_str_eq(router->base, "forwarding");
    cr_assert_not_null(home);
    cr_assert_str_eq(home->base, "router");
    cr_assert_not_null(root);
    cr_assert_str_eq(root->base, "");
    cr_assert_null(table_find(&t, "identities."), "words inside descriptions are not identities");
}
