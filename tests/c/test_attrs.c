/* Free typed attributes on nodes, links and zones: every type, column typing,
 * unset, iteration and the fate of attributes of removed elements. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static iotnet_net *net;
/* One element of each table, created by the fixture. */
static iotnet_index elem[3];

static iotnet_index add_node(const char *id, const char *kind)
{
    iotnet_node_spec s = IOTNET_NODE_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    s.id = id;
    s.kind = kind;
    s.zone = "lan";
    expect_ok(iotnet_node_add(net, &ix, &s));
    return ix;
}

static iotnet_index add_link(const char *id, const char *a, const char *b)
{
    iotnet_link_spec l = IOTNET_LINK_SPEC_INIT;
    iotnet_index ix = IOTNET_NONE;
    l.id = id;
    l.a = a;
    l.b = b;
    expect_ok(iotnet_link_add(net, &ix, &l));
    return ix;
}

static void setup(void)
{
    net = NULL;
    expect_ok(iotnet_net_new(&net));
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    z.id = "lan";
    z.kind = "home-lan";
    expect_ok(iotnet_zone_add(net, &elem[IOTNET_ENTITY_ZONE], &z));
    elem[IOTNET_ENTITY_NODE] = add_node("cam", "camera");
    add_node("gw", "home-router");
    elem[IOTNET_ENTITY_LINK] = add_link("gw-cam", "gw", "cam");
}

static void teardown(void)
{
    iotnet_net_free(net);
    net = NULL;
}

TestSuite(attrs, .init = setup, .fini = teardown);

static iotnet_value string_value(const char *s)
{
    iotnet_value v = {.type = IOTNET_ATTR_STRING, .string = s};
    return v;
}

static iotnet_value int_value(iotnet_attr_type type, int64_t i)
{
    iotnet_value v = {.type = type, .integer = i};
    return v;
}

/* Compare the part of two values that their type uses. */
static void assert_same_value(const iotnet_value *got, const iotnet_value *want, const char *what)
{
    cr_assert_eq(got->type, want->type, "%s: type %d, expected %d", what, got->type, want->type);
    switch (want->type) {
    case IOTNET_ATTR_STRING:
        cr_assert_str_eq(got->string, want->string, "%s", what);
        break;
    case IOTNET_ATTR_FLOAT:
        cr_assert_float_eq(got->real, want->real, 1e-12, "%s", what);
        break;
    case IOTNET_ATTR_BOOL:
        cr_assert_eq(got->boolean, want->boolean, "%s", what);
        break;
    default:
        cr_assert_eq(got->integer, want->integer, "%s", what);
        break;
    }
}

/* ---- every type on every table ------------------------------------ */

/* A value as a test parameter. Parameters are copied into the test process,
 * so the string is held inline rather than pointed to. */
typedef struct param_value {
    iotnet_attr_type type;
    char string[32];
    int64_t integer;
    double real;
    bool boolean;
} param_value;

static iotnet_value value_of(const param_value *p)
{
    iotnet_value v = {p->type, p->string, p->integer, p->real, p->boolean};
    return v;
}

typedef struct typed_case {
    iotnet_entity entity;
    param_value value;
    param_value other; /* a second value of the same type */
} typed_case;

#define TYPED_CASES(E)                                                                             \
    {E, {IOTNET_ATTR_STRING, "building 4", 0, 0.0, false},                                         \
     {IOTNET_ATTR_STRING, "", 0, 0.0, false}},                                                     \
    {E, {IOTNET_ATTR_INT, "", -42, 0.0, false}, {IOTNET_ATTR_INT, "", INT64_MAX, 0.0, false}},     \
    {E, {IOTNET_ATTR_FLOAT, "", 0, 2.5, false}, {IOTNET_ATTR_FLOAT, "", 0, -1e-3, false}},         \
    {E, {IOTNET_ATTR_BOOL, "", 0, 0.0, true}, {IOTNET_ATTR_BOOL, "", 0, 0.0, false}},              \
    {E, {IOTNET_ATTR_DATE, "", 1893456000, 0.0, false},                                            \
     {IOTNET_ATTR_DATE, "", -86400, 0.0, false}},                                                  \
    {E, {IOTNET_ATTR_DURATION, "", 315360000, 0.0, false},                                         \
     {IOTNET_ATTR_DURATION, "", 0, 0.0, false}}

ParameterizedTestParameters(attrs, every_type_on_every_table)
{
    static typed_case cases[] = {
        TYPED_CASES(IOTNET_ENTITY_NODE),
        TYPED_CASES(IOTNET_ENTITY_LINK),
        TYPED_CASES(IOTNET_ENTITY_ZONE),
    };
    return cr_make_param_array(typed_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(typed_case *p, attrs, every_type_on_every_table)
{
    iotnet_value value = value_of(&p->value), other = value_of(&p->other);
    iotnet_index ix = elem[p->entity];
    const char *what = iotnet_attr_type_name(value.type);
    iotnet_value got;

    cr_assert_eq(iotnet_attr_get(net, p->entity, ix, "k", &got), IOTNET_ENOTFOUND);
    expect_ok(iotnet_attr_set(net, p->entity, ix, "k", &value));
    expect_ok(iotnet_attr_get(net, p->entity, ix, "k", &got));
    assert_same_value(&got, &value, what);

    /* setting again replaces the value */
    expect_ok(iotnet_attr_set(net, p->entity, ix, "k", &other));
    expect_ok(iotnet_attr_get(net, p->entity, ix, "k", &got));
    assert_same_value(&got, &other, what);

    /* the element's only attribute is what iteration returns */
    size_t cursor = 0;
    const char *key = NULL;
    cr_assert_eq(iotnet_attr_next(net, p->entity, ix, &cursor, &key, &got), 1);
    cr_assert_str_eq(key, "k");
    assert_same_value(&got, &other, what);
    cr_assert_eq(iotnet_attr_next(net, p->entity, ix, &cursor, &key, &got), 0);

    expect_ok(iotnet_attr_unset(net, p->entity, ix, "k"));
    expect_error(iotnet_attr_get(net, p->entity, ix, "k", &got), IOTNET_ENOTFOUND, "k");
    cr_assert_eq(iotnet_attr_unset(net, p->entity, ix, "k"), IOTNET_ENOTFOUND);
    cursor = 0;
    cr_assert_eq(iotnet_attr_next(net, p->entity, ix, &cursor, &key, &got), 0);

    /* unset then reuse with the same type */
    expect_ok(iotnet_attr_set(net, p->entity, ix, "k", &value));
    expect_ok(iotnet_attr_get(net, p->entity, ix, "k", &got));
    assert_same_value(&got, &value, what);
}

typedef struct type_name_case {
    iotnet_attr_type type;
    char name[16];
} type_name_case;

ParameterizedTestParameters(attrs, type_names)
{
    static type_name_case cases[] = {
        {IOTNET_ATTR_STRING, "string"}, {IOTNET_ATTR_INT, "int"},   {IOTNET_ATTR_FLOAT, "float"},
        {IOTNET_ATTR_BOOL, "bool"},     {IOTNET_ATTR_DATE, "date"},
        {IOTNET_ATTR_DURATION, "duration"},
    };
    return cr_make_param_array(type_name_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(type_name_case *p, attrs, type_names)
{
    cr_assert_str_eq(iotnet_attr_type_name(p->type), p->name);
}

/* ---- values are the model's ---------------------------------------- */

Test(attrs, string_values_are_copied)
{
    char buf[32] = "rack 7";
    iotnet_value v = string_value(buf);
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, elem[IOTNET_ENTITY_NODE], "location", &v));
    strcpy(buf, "overwritten");
    iotnet_value got;
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_NODE, elem[IOTNET_ENTITY_NODE], "location", &got));
    cr_assert_str_eq(got.string, "rack 7");
}

Test(attrs, keys_are_copied)
{
    char key[16] = "site";
    iotnet_value v = int_value(IOTNET_ATTR_INT, 7);
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_ZONE, elem[IOTNET_ENTITY_ZONE], key, &v));
    strcpy(key, "gone");
    iotnet_value got;
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_ZONE, elem[IOTNET_ENTITY_ZONE], "site", &got));
    cr_assert_eq(got.integer, 7);
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_ZONE, elem[IOTNET_ENTITY_ZONE], "gone", &got),
                 IOTNET_ENOTFOUND);
}

Test(attrs, values_belong_to_their_element)
{
    iotnet_index gw;
    expect_ok(iotnet_node_find(net, &gw, "gw"));
    iotnet_index cam = elem[IOTNET_ENTITY_NODE];
    iotnet_value a = int_value(IOTNET_ATTR_INT, 1), b = int_value(IOTNET_ATTR_INT, 2), got;
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "rank", &a));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, gw, "rank", &b));
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, "rank", &got));
    cr_assert_eq(got.integer, 1);
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_NODE, gw, "rank", &got));
    cr_assert_eq(got.integer, 2);
    expect_ok(iotnet_attr_unset(net, IOTNET_ENTITY_NODE, cam, "rank"));
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_NODE, gw, "rank", &got));
    cr_assert_eq(got.integer, 2, "unsetting on one node leaves the other");
}

/* ---- column types --------------------------------------------------- */

Test(attrs, column_type_is_fixed_by_the_first_value)
{
    iotnet_index gw;
    expect_ok(iotnet_node_find(net, &gw, "gw"));
    iotnet_index cam = elem[IOTNET_ENTITY_NODE];
    iotnet_value i = int_value(IOTNET_ATTR_INT, 3), s = string_value("high"), got;
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "criticality", &i));

    /* on another node of the same table */
    expect_error(iotnet_attr_set(net, IOTNET_ENTITY_NODE, gw, "criticality", &s), IOTNET_ETYPE,
                 "criticality");
    const char *msg = iotnet_error_last()->message;
    cr_assert(strstr(msg, "int") && strstr(msg, "string"), "\"%s\" names both types", msg);
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, gw, "criticality", &got),
                 IOTNET_ENOTFOUND);

    /* on the same node: the old value stays */
    expect_error(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "criticality", &s), IOTNET_ETYPE,
                 "criticality");
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, "criticality", &got));
    cr_assert_eq(got.type, IOTNET_ATTR_INT);
    cr_assert_eq(got.integer, 3);
}

typedef struct mismatch_case {
    param_value first;
    param_value second;
    char first_name[16];
    char second_name[16];
} mismatch_case;

ParameterizedTestParameters(attrs, types_do_not_mix)
{
    /* DATE and DURATION share `integer` with INT but are types of their own */
    static mismatch_case cases[] = {
        {{IOTNET_ATTR_INT, "", 1, 0, false}, {IOTNET_ATTR_DATE, "", 1, 0, false}, "int", "date"},
        {{IOTNET_ATTR_DATE, "", 1, 0, false}, {IOTNET_ATTR_DURATION, "", 1, 0, false}, "date",
         "duration"},
        {{IOTNET_ATTR_INT, "", 1, 0, false}, {IOTNET_ATTR_FLOAT, "", 0, 1.0, false}, "int",
         "float"},
        {{IOTNET_ATTR_BOOL, "", 0, 0, true}, {IOTNET_ATTR_INT, "", 1, 0, false}, "bool", "int"},
        {{IOTNET_ATTR_FLOAT, "", 0, 1.0, false}, {IOTNET_ATTR_STRING, "1.0", 0, 0, false},
         "float", "string"},
        {{IOTNET_ATTR_DURATION, "", 60, 0, false}, {IOTNET_ATTR_BOOL, "", 0, 0, false},
         "duration", "bool"},
    };
    return cr_make_param_array(mismatch_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(mismatch_case *p, attrs, types_do_not_mix)
{
    iotnet_value first = value_of(&p->first), second = value_of(&p->second);
    iotnet_index gw;
    expect_ok(iotnet_node_find(net, &gw, "gw"));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, elem[IOTNET_ENTITY_NODE], "col", &first));
    expect_error(iotnet_attr_set(net, IOTNET_ENTITY_NODE, gw, "col", &second), IOTNET_ETYPE,
                 "col");
    const char *msg = iotnet_error_last()->message;
    cr_assert(strstr(msg, p->first_name), "\"%s\" lacks %s", msg, p->first_name);
    cr_assert(strstr(msg, p->second_name), "\"%s\" lacks %s", msg, p->second_name);
}

Test(attrs, columns_are_per_table)
{
    iotnet_value i = int_value(IOTNET_ATTR_INT, 3), s = string_value("three"), b = {0};
    b.type = IOTNET_ATTR_BOOL;
    b.boolean = true;
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, elem[IOTNET_ENTITY_NODE], "level", &i));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_LINK, elem[IOTNET_ENTITY_LINK], "level", &s));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_ZONE, elem[IOTNET_ENTITY_ZONE], "level", &b));
    iotnet_value got;
    expect_ok(iotnet_attr_get(net, IOTNET_ENTITY_LINK, elem[IOTNET_ENTITY_LINK], "level", &got));
    cr_assert_str_eq(got.string, "three");
}

/* ---- removal --------------------------------------------------------- */

Test(attrs, attributes_of_removed_elements_are_gone)
{
    iotnet_index cam = elem[IOTNET_ENTITY_NODE], link = elem[IOTNET_ENTITY_LINK];
    iotnet_value v = string_value("north wall"), got;
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "where", &v));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_LINK, link, "where", &v));

    /* removing the node removes its link too, with the attributes of both */
    expect_ok(iotnet_node_remove(net, cam));
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, "where", &got), IOTNET_ENOTFOUND);
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_LINK, link, "where", &got), IOTNET_ENOTFOUND);
    size_t cursor = 0;
    const char *key;
    cr_assert_neq(iotnet_attr_next(net, IOTNET_ENTITY_NODE, cam, &cursor, &key, &got), 1);
    cr_assert_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "where", &v), IOTNET_ENOTFOUND);

    /* a new node with the same id does not inherit them */
    iotnet_index again = add_node("cam", "camera");
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, again, "where", &got), IOTNET_ENOTFOUND);
    cursor = 0;
    cr_assert_eq(iotnet_attr_next(net, IOTNET_ENTITY_NODE, again, &cursor, &key, &got), 0);
    iotnet_index relinked = add_link("gw-cam", "gw", "cam");
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_LINK, relinked, "where", &got),
                 IOTNET_ENOTFOUND);
}

Test(attrs, attributes_of_a_removed_zone_are_gone)
{
    iotnet_zone_spec z = IOTNET_ZONE_SPEC_INIT;
    iotnet_index guest;
    z.id = "guest";
    z.kind = "guest-lan";
    expect_ok(iotnet_zone_add(net, &guest, &z));
    iotnet_value v = int_value(IOTNET_ATTR_INT, 9), got;
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_ZONE, guest, "vlan", &v));
    expect_ok(iotnet_zone_remove(net, guest));
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_ZONE, guest, "vlan", &got), IOTNET_ENOTFOUND);
    iotnet_index again;
    expect_ok(iotnet_zone_add(net, &again, &z));
    cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_ZONE, again, "vlan", &got), IOTNET_ENOTFOUND);
}

/* ---- iteration ------------------------------------------------------- */

Test(attrs, iteration_returns_each_attribute_once)
{
    iotnet_index cam = elem[IOTNET_ENTITY_NODE], gw;
    expect_ok(iotnet_node_find(net, &gw, "gw"));
    iotnet_value s = string_value("porch"), i = int_value(IOTNET_ATTR_INT, 3);
    iotnet_value f = {.type = IOTNET_ATTR_FLOAT, .real = 0.75};
    iotnet_value d = int_value(IOTNET_ATTR_DURATION, 3600);
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "note", &s));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, gw, "uptime", &d));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "criticality", &i));
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "score", &f));

    const char *keys[] = {"note", "criticality", "score"};
    const iotnet_value *values[] = {&s, &i, &f};
    int seen[3] = {0};
    size_t cursor = 0;
    const char *key;
    iotnet_value got;
    int rc, steps = 0;
    while ((rc = iotnet_attr_next(net, IOTNET_ENTITY_NODE, cam, &cursor, &key, &got)) == 1) {
        cr_assert_lt(++steps, 10, "iteration does not end");
        int which = -1;
        for (int k = 0; k < 3; k++)
            if (strcmp(key, keys[k]) == 0)
                which = k;
        cr_assert_geq(which, 0, "unexpected key %s on cam", key);
        seen[which]++;
        assert_same_value(&got, values[which], key);
    }
    cr_assert_eq(rc, 0);
    for (int k = 0; k < 3; k++)
        cr_assert_eq(seen[k], 1, "%s seen %d times", keys[k], seen[k]);

    /* after an unset the rest remains */
    expect_ok(iotnet_attr_unset(net, IOTNET_ENTITY_NODE, cam, "criticality"));
    cursor = 0;
    steps = 0;
    while (iotnet_attr_next(net, IOTNET_ENTITY_NODE, cam, &cursor, &key, &got) == 1) {
        cr_assert_str_neq(key, "criticality");
        cr_assert_lt(++steps, 10);
    }
    cr_assert_eq(steps, 2);

    /* the other node has only its own */
    cursor = 0;
    cr_assert_eq(iotnet_attr_next(net, IOTNET_ENTITY_NODE, gw, &cursor, &key, &got), 1);
    cr_assert_str_eq(key, "uptime");
    cr_assert_eq(got.integer, 3600);
    cr_assert_eq(iotnet_attr_next(net, IOTNET_ENTITY_NODE, gw, &cursor, &key, &got), 0);
}

Test(attrs, iteration_over_many_keys)
{
    iotnet_index cam = elem[IOTNET_ENTITY_NODE];
    char key[16];
    for (int k = 0; k < 40; k++) {
        snprintf(key, sizeof key, "k%02d", k);
        iotnet_value v = int_value(IOTNET_ATTR_INT, k);
        expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, key, &v));
    }
    int seen[40] = {0};
    size_t cursor = 0;
    const char *got_key;
    iotnet_value got;
    while (iotnet_attr_next(net, IOTNET_ENTITY_NODE, cam, &cursor, &got_key, &got) == 1) {
        int k = -1;
        cr_assert_eq(sscanf(got_key, "k%d", &k), 1, "key %s", got_key);
        cr_assert(k >= 0 && k < 40);
        cr_assert_eq(got.integer, k);
        seen[k]++;
    }
    for (int k = 0; k < 40; k++)
        cr_assert_eq(seen[k], 1, "k%02d seen %d times", k, seen[k]);
}

/* ---- refusals ------------------------------------------------------- */

/* A value a topology file cannot hold is refused when set, naming the
 * element, the attribute and what is accepted; nothing is stored. */
Test(attrs, values_a_file_cannot_hold_are_refused_when_set)
{
    iotnet_index cam = elem[IOTNET_ENTITY_NODE];
    struct {
        iotnet_value value;
        const char *message;
    } cases[] = {
        {{.type = IOTNET_ATTR_FLOAT, .real = NAN}, "node \"cam\": attribute \"k\": a float must be a finite number, not nan"},
        {{.type = IOTNET_ATTR_FLOAT, .real = INFINITY}, "node \"cam\": attribute \"k\": a float must be a finite number, not inf"},
        {{.type = IOTNET_ATTR_FLOAT, .real = -INFINITY}, "node \"cam\": attribute \"k\": a float must be a finite number, not -inf"},
        {int_value(IOTNET_ATTR_DURATION, -60), "node \"cam\": attribute \"k\": a duration must be 0 s or more, not -60 s"},
        {int_value(IOTNET_ATTR_DATE, 253402300800), /* 10000-01-01 */
         "node \"cam\": attribute \"k\": a date must be in the years 0000 to 9999, not 253402300800 s from 1970"},
        {int_value(IOTNET_ATTR_DATE, -62167219201), /* a second before 0000-01-01 */
         "node \"cam\": attribute \"k\": a date must be in the years 0000 to 9999, not -62167219201 s from 1970"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_assert_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "k", &cases[i].value), IOTNET_EINVAL);
        expect_str(iotnet_error_last()->message, cases[i].message);
        iotnet_value got;
        cr_assert_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, "k", &got), IOTNET_ENOTFOUND);
    }
    /* the ends of each range are accepted */
    iotnet_value edges[] = {
        {.type = IOTNET_ATTR_FLOAT, .real = DBL_MAX}, {.type = IOTNET_ATTR_FLOAT, .real = -DBL_MAX},
        int_value(IOTNET_ATTR_DURATION, 0), int_value(IOTNET_ATTR_DURATION, INT64_MAX),
        int_value(IOTNET_ATTR_DATE, 253402300799), int_value(IOTNET_ATTR_DATE, -62167219200),
    };
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        char key[16];
        snprintf(key, sizeof key, "edge%zu", i);
        expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, key, &edges[i]));
    }
}

Test(attrs, bad_arguments)
{
    iotnet_index cam = elem[IOTNET_ENTITY_NODE];
    iotnet_value v = int_value(IOTNET_ATTR_INT, 1), got;
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, NULL, &v), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "", &v), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "k", NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_set(NULL, IOTNET_ENTITY_NODE, cam, "k", &v), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_set(net, (iotnet_entity)7, cam, "k", &v), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam + 99, "k", &v), IOTNET_ENOTFOUND);
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_LINK, 99, "k", &v), IOTNET_ENOTFOUND);
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_ZONE, 99, "k", &v), IOTNET_ENOTFOUND);
    iotnet_value bad = {.type = (iotnet_attr_type)0};
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "k", &bad), IOTNET_EINVAL);
    bad.type = (iotnet_attr_type)42;
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "k", &bad), IOTNET_EINVAL);
    iotnet_value nostring = {.type = IOTNET_ATTR_STRING, .string = NULL};
    cr_expect_eq(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "k", &nostring), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, NULL, &got), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, "k", NULL), IOTNET_EINVAL);
    cr_expect_eq(iotnet_attr_unset(net, IOTNET_ENTITY_NODE, cam, NULL), IOTNET_EINVAL);
    size_t cursor = 0;
    const char *key;
    cr_expect_lt(iotnet_attr_next(net, IOTNET_ENTITY_NODE, cam, NULL, &key, &got), 0);
    cr_expect_lt(iotnet_attr_next(NULL, IOTNET_ENTITY_NODE, cam, &cursor, &key, &got), 0);

    /* none of the refused calls created the key or fixed its column type */
    cr_expect_eq(iotnet_attr_get(net, IOTNET_ENTITY_NODE, cam, "k", &got), IOTNET_ENOTFOUND);
    iotnet_value s = string_value("fine");
    expect_ok(iotnet_attr_set(net, IOTNET_ENTITY_NODE, cam, "k", &s));
}
