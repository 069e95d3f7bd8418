/* Tables for documents: building by hand and from results, arranging
 * (columns, sorting, grouping), anchors, escaping in every format, drafts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define HOME IOTNET_MODELS_DIR "/topologies/home.xml"
#define NOW_2026 1795000000 /* 2026-11-18, a fixed "now" for dates */

/* A cell that needs escaping in every format. */
#define TRICKY "a <b> & \"c\" | d"

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static iotnet_table *custom(void)
{
    iotnet_table *t = NULL;
    expect_ok(iotnet_table_new(&t, IOTNET_TABLE_CUSTOM, "Lab 1"));
    expect_ok(iotnet_table_add_column(t, "name", "Name", IOTNET_TABLE_TEXT));
    expect_ok(iotnet_table_add_column(t, "count", "Count", IOTNET_TABLE_INT));
    expect_ok(iotnet_table_add_column(t, "tags", "Tags", IOTNET_TABLE_LIST));
    return t;
}

static void add(iotnet_table *t, const char *name, const char *count, const char *tags)
{
    const char *cells[] = {name, count, tags};
    expect_ok(iotnet_table_add_row(t, cells, 3));
}

static char *render(const iotnet_table *t, iotnet_table_format format)
{
    char *text = NULL;
    expect_ok(iotnet_table_render(&text, t, format));
    return text;
}

static iotnet_table *arranged(const iotnet_table *t, const char *columns, const char *sort, const char *group)
{
    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    o.columns = columns;
    o.sort = sort;
    o.group = group;
    iotnet_table *a = NULL;
    expect_ok(iotnet_table_arrange(&a, t, &o));
    return a;
}

static void expect_cells(const iotnet_table *t, size_t column, const char *const *expected, size_t n)
{
    cr_assert_eq(iotnet_table_row_count(t), n);
    for (size_t r = 0; r < n; r++)
        cr_assert_str_eq(iotnet_table_cell_text(t, r, column), expected[r], "row %zu", r);
}

/* ---- building ------------------------------------------------------ */

Test(table, custom_columns_and_rows_read_back)
{
    iotnet_table *t = custom();
    add(t, "x", "3", "a b");
    add(t, NULL, NULL, NULL);
    cr_assert_eq(iotnet_table_column_count(t), 3);
    cr_assert_eq(iotnet_table_find_column(t, "tags"), 2);
    cr_assert_eq(iotnet_table_find_column(t, "nope"), -1);
    iotnet_table_column_info c;
    expect_ok(iotnet_table_column(t, 1, &c));
    cr_assert_str_eq(c.label, "Count");
    cr_assert_eq(c.type, IOTNET_TABLE_INT);
    cr_assert_str_eq(iotnet_table_cell_text(t, 0, 2), "a b");
    cr_assert_str_eq(iotnet_table_cell_text(t, 1, 0), "", "a NULL cell is empty");
    cr_assert_null(iotnet_table_cell_text(t, 2, 0));
    cr_assert_eq(iotnet_table_row_span(t, 0), 1);
    cr_assert_str_eq(iotnet_table_title(t), "Lab 1");
    iotnet_table_free(t);
}

Test(table, bad_rows_and_columns_are_refused_and_change_nothing)
{
    iotnet_table *t = custom();
    expect_error(iotnet_table_add_column(t, "name", NULL, IOTNET_TABLE_TEXT), IOTNET_EINVAL, "exists");
    expect_error(iotnet_table_add_column(t, "two words", NULL, IOTNET_TABLE_TEXT), IOTNET_EINVAL, "two words");
    const char *two[] = {"a", "1"};
    expect_error(iotnet_table_add_row(t, two, 2), IOTNET_EINVAL, "2 cells");
    const char *bad[] = {"a", "many", ""};
    expect_error(iotnet_table_add_row(t, bad, 3), IOTNET_EINVAL, "'count' holds integers");
    cr_assert_eq(iotnet_table_row_count(t), 0);
    add(t, "a", "-4", "");
    expect_error(iotnet_table_add_column(t, "late", NULL, IOTNET_TABLE_TEXT), IOTNET_EINVAL, "before the first row");
    iotnet_table_free(t);

    iotnet_table *f = NULL;
    expect_ok(iotnet_table_new(&f, IOTNET_TABLE_FINDINGS, NULL));
    expect_error(iotnet_table_add_column(f, "x", NULL, IOTNET_TABLE_TEXT), IOTNET_EINVAL, "custom tables");
    expect_error(iotnet_table_new(&t, (iotnet_table_kind)42, NULL), IOTNET_EINVAL, "kind 42");
    cr_assert_null(t);
    iotnet_table_free(f);
}

/* ---- anchors ------------------------------------------------------- */

/* Arrays rather than pointers: Criterion hands the cases to another process. */
typedef struct anchor_case {
    iotnet_table_kind kind;
    bool unnamed;
    char name[48];
    char anchor[48];
} anchor_case;

ParameterizedTestParameters(table, derived_anchors)
{
    static anchor_case cases[] = {
        {IOTNET_TABLE_FINDINGS, false, "Connected home behind CGNAT", "findings-connected-home-behind-cgnat"},
        {IOTNET_TABLE_THREATS, false, "Process plant (Purdue model)", "threats-process-plant-purdue-model"},
        {IOTNET_TABLE_EXPOSURE, false, "  --Home--  ", "exposure-home"},
        {IOTNET_TABLE_ZONES, true, "", "zones"},
        {IOTNET_TABLE_ZONES, false, "\xc3\xa9t\xc3\xa9", "zones-t"},
        {IOTNET_TABLE_CUSTOM, false, "Lab & <1>", "lab-1"},
        {IOTNET_TABLE_CUSTOM, false, "2024 results", "t-2024-results"},
        {IOTNET_TABLE_CUSTOM, false, "Section 3", "t-section-3"},
        {IOTNET_TABLE_CUSTOM, false, "u-boot", "t-u-boot"},
        {IOTNET_TABLE_CUSTOM, false, "", "results"},
    };
    return cr_make_param_array(anchor_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(anchor_case *c, table, derived_anchors)
{
    iotnet_table *t = NULL, *again = NULL;
    const char *name = c->unnamed ? NULL : c->name;
    expect_ok(iotnet_table_new(&t, c->kind, name));
    expect_ok(iotnet_table_new(&again, c->kind, name));
    cr_assert_str_eq(iotnet_table_anchor(t), c->anchor);
    cr_assert_str_eq(iotnet_table_anchor(again), iotnet_table_anchor(t), "the same input, the same anchor");
    iotnet_table_free(t);
    iotnet_table_free(again);
}

/* A table without columns has no header row to write: every format and a
   draft refuse it rather than write a broken document. */
Test(table, a_table_without_columns_is_not_rendered)
{
    iotnet_table *t = NULL;
    expect_ok(iotnet_table_new(&t, IOTNET_TABLE_CUSTOM, "home"));
    iotnet_table_format formats[] = {IOTNET_TABLE_XML2RFC, IOTNET_TABLE_MARKDOWN, IOTNET_TABLE_CSV,
                                     IOTNET_TABLE_JSON, IOTNET_TABLE_HTML};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *text = (char *)"untouched";
        expect_error(iotnet_table_render(&text, t, formats[i]), IOTNET_EINVAL, "has no columns");
        cr_assert_null(text);
    }
    char *doc = NULL;
    const iotnet_table *tables[] = {t};
    expect_error(iotnet_draft_render(&doc, tables, 1, IOTNET_DRAFT_XML2RFC, NULL), IOTNET_EINVAL,
                 "has no columns");
    cr_assert_null(doc);
    expect_ok(iotnet_table_add_column(t, "device", NULL, IOTNET_TABLE_TEXT));
    char *text = render(t, IOTNET_TABLE_MARKDOWN);
    cr_assert(strstr(text, "| device |"), "%s", text);
    iotnet_string_free(text);
    iotnet_table_free(t);
}

Test(table, chosen_anchors_must_be_ids_xml2rfc_allows)
{
    iotnet_table *t = custom(), *a = NULL;
    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    const char *bad[] = {"table-1", "section-2", "figure-x", "u-1", "iref-z", "1abc", "has space", "é", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.anchor = bad[i];
        cr_assert_eq(iotnet_table_arrange(&a, t, &o), IOTNET_EINVAL, "anchor '%s' accepted", bad[i]);
        cr_assert(strstr(iotnet_error_last()->message, "anchor"));
        cr_assert_null(a);
    }
    o.anchor = "my_table.v2-final";
    o.title = "Mine";
    o.description = "shows mine.";
    expect_ok(iotnet_table_arrange(&a, t, &o));
    cr_assert_str_eq(iotnet_table_anchor(a), "my_table.v2-final");
    cr_assert_str_eq(iotnet_table_title(a), "Mine");
    cr_assert_str_eq(iotnet_table_description(a), "shows mine.");
    cr_assert_str_eq(iotnet_table_anchor(t), "lab-1", "the source table is unchanged");
    iotnet_table_free(a);
    iotnet_table_free(t);
}

/* ---- arranging ----------------------------------------------------- */

static iotnet_table *fruit(void)
{
    iotnet_table *t = custom();
    add(t, "pear", "10", "green");
    add(t, "apple", "9", "red");
    add(t, "fig", "", "purple");
    add(t, "apple", "100", "green");
    add(t, "pear", "-1", "yellow");
    return t;
}

Test(table, columns_are_chosen_and_ordered)
{
    iotnet_table *t = fruit();
    iotnet_table *a = arranged(t, "tags, name", NULL, NULL);
    cr_assert_eq(iotnet_table_column_count(a), 2);
    iotnet_table_column_info c;
    expect_ok(iotnet_table_column(a, 0, &c));
    cr_assert_str_eq(c.key, "tags");
    cr_assert_str_eq(iotnet_table_cell_text(a, 1, 1), "apple");
    iotnet_table_free(a);

    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    o.columns = "name,colour";
    expect_error(iotnet_table_arrange(&a, t, &o), IOTNET_EINVAL, "unknown column 'colour' (columns: name, count, tags)");
    o.columns = "name,name";
    expect_error(iotnet_table_arrange(&a, t, &o), IOTNET_EINVAL, "named twice");
    o.columns = " , ";
    expect_error(iotnet_table_arrange(&a, t, &o), IOTNET_EINVAL, "no column");
    iotnet_table_free(t);
}

Test(table, sorting_is_numeric_for_integers_stable_and_may_descend)
{
    iotnet_table *t = fruit();
    iotnet_table *a = arranged(t, NULL, "count", NULL);
    const char *ascending[] = {"fig", "pear", "apple", "pear", "apple"}; /* empty first, then -1 9 10 100 */
    expect_cells(a, 0, ascending, 5);
    iotnet_table_free(a);
    a = arranged(t, NULL, "-count", NULL);
    const char *descending[] = {"apple", "pear", "apple", "pear", "fig"};
    expect_cells(a, 0, descending, 5);
    iotnet_table_free(a);
    a = arranged(t, NULL, "name,-count", NULL);
    const char *by_name[] = {"100", "9", "", "10", "-1"};
    expect_cells(a, 1, by_name, 5);
    iotnet_table_free(a);
    a = arranged(t, "name", "tags", NULL); /* a sort key need not be shown */
    const char *by_tags[] = {"pear", "apple", "fig", "apple", "pear"}; /* green green purple red yellow, stable */
    expect_cells(a, 0, by_tags, 5);
    iotnet_table_free(a);
    iotnet_table_free(t);
}

Test(table, groups_keep_the_order_of_their_first_row_and_span_it)
{
    iotnet_table *t = fruit();
    iotnet_table *a = arranged(t, NULL, "-count", "name");
    /* by count: apple(100) pear(10) apple(9) pear(-1) fig(): apples first, then pears, then the fig */
    const char *names[] = {"apple", "apple", "pear", "pear", "fig"};
    const char *counts[] = {"100", "9", "10", "-1", ""};
    expect_cells(a, 0, names, 5);
    expect_cells(a, 1, counts, 5);
    size_t spans[] = {2, 0, 2, 0, 1};
    for (size_t r = 0; r < 5; r++)
        cr_assert_eq(iotnet_table_row_span(a, r), spans[r], "row %zu", r);
    iotnet_table_column_info c;
    expect_ok(iotnet_table_column(a, 0, &c));
    cr_assert(c.grouped);
    expect_ok(iotnet_table_column(a, 1, &c));
    cr_assert_not(c.grouped);

    iotnet_table *again = arranged(a, NULL, NULL, NULL); /* NULL keeps the grouping */
    cr_assert_eq(iotnet_table_row_span(again, 0), 2);
    iotnet_table_free(again);
    again = arranged(a, NULL, NULL, ""); /* "" removes it */
    cr_assert_eq(iotnet_table_row_span(again, 1), 1);
    iotnet_table_free(again);

    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    o.columns = "count";
    o.group = "name";
    expect_error(iotnet_table_arrange(&again, t, &o), IOTNET_EINVAL, "'name' is not among the columns shown");
    iotnet_table_free(a);
    iotnet_table_free(t);
}

/* ---- escaping ------------------------------------------------------ */

static iotnet_table *tricky(void)
{
    iotnet_table *t = custom();
    add(t, TRICKY, "1", "x|y *z*");
    add(t, "line one\nline two", "2", "");
    add(t, "  padded  ", "", "{{RFC8520}}");
    add(t, "", "3", "a");
    add(t, "ctl\x01" "bell\x07" " bad\xff" "byte", "4", "");
    return t;
}

static xmlDocPtr parse_xml(const char *text)
{
    xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "table.xml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "not well-formed XML:\n%s", text);
    return doc;
}

/* The text of the XPath's first node, the caller's. */
static char *xpath_text(xmlDocPtr doc, const char *path)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST path, ctx);
    cr_assert(r && r->nodesetval && r->nodesetval->nodeNr > 0, "no %s", path);
    char *s = (char *)xmlNodeGetContent(r->nodesetval->nodeTab[0]);
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return s;
}

static int xpath_count(xmlDocPtr doc, const char *path)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST path, ctx);
    int n = r && r->nodesetval ? r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return n;
}

static void expect_xpath(xmlDocPtr doc, const char *path, const char *expected)
{
    char *s = xpath_text(doc, path);
    cr_assert_str_eq(s, expected, "%s", path);
    xmlFree(s);
}

Test(table, xml2rfc_escapes_and_keeps_line_breaks)
{
    iotnet_table *t = tricky();
    char *xml = render(t, IOTNET_TABLE_XML2RFC);
    xmlDocPtr doc = parse_xml(xml);
    expect_xpath(doc, "/table/@anchor", "lab-1");
    expect_xpath(doc, "/table/name", "Lab 1");
    expect_xpath(doc, "/table/thead/tr/th[2]", "Count");
    expect_xpath(doc, "/table/thead/tr/th[2]/@align", "right");
    expect_xpath(doc, "/table/tbody/tr[1]/td[1]", TRICKY);
    expect_xpath(doc, "/table/tbody/tr[1]/td[3]", "x|y, *z*");
    cr_assert_eq(xpath_count(doc, "/table/tbody/tr[2]/td[1]/br"), 1, "a line break is <br/>");
    expect_xpath(doc, "/table/tbody/tr[2]/td[1]", "line oneline two");
    expect_xpath(doc, "/table/tbody/tr[4]/td[1]", "");
    expect_xpath(doc, "/table/tbody/tr[5]/td[1]", "ctl?bell? bad?byte");
    cr_assert(strstr(xml, "a &lt;b&gt; &amp; &quot;c&quot; | d"), "escaped text:\n%s", xml);
    xmlFreeDoc(doc);
    free(xml);
    iotnet_table_free(t);
}

Test(table, html_is_a_table_with_a_caption)
{
    iotnet_table *t = tricky();
    char *html = render(t, IOTNET_TABLE_HTML);
    xmlDocPtr doc = parse_xml(html);
    expect_xpath(doc, "/table/@id", "lab-1");
    expect_xpath(doc, "/table/caption", "Lab 1");
    expect_xpath(doc, "/table/tbody/tr[1]/td[1]", TRICKY);
    expect_xpath(doc, "/table/tbody/tr[1]/td[2]/@style", "text-align: right");
    xmlFreeDoc(doc);
    free(html);
    iotnet_table_free(t);
}

Test(table, markdown_escapes_what_kramdown_would_read_as_markup)
{
    iotnet_table *t = tricky();
    char *md = render(t, IOTNET_TABLE_MARKDOWN);
    cr_assert(strstr(md, "| Name | Count | Tags |\n|:---|---:|:---|\n"), "%s", md);
    cr_assert(strstr(md, "| a &lt;b&gt; &amp; \"c\" \\| d | 1 | x\\|y, \\*z\\* |\n"), "%s", md);
    cr_assert(strstr(md, "| line one<br>line two | 2 |  |\n"), "%s", md);
    cr_assert(strstr(md, "| &#32;&#32;padded&#32;&#32; |  | \\{\\{RFC8520\\}\\} |\n"), "%s", md);
    cr_assert(strstr(md, "|  | 3 | a |\n"), "%s", md);
    cr_assert(strstr(md, "| ctl?bell? bad?byte | 4 |  |\n"), "%s", md);
    cr_assert(strstr(md, "{: #lab-1 title=\"Lab 1\"}\n"), "%s", md);
    free(md);
    iotnet_table_free(t);
}

Test(table, markdown_titles_are_quoted_and_leading_markers_escaped)
{
    iotnet_table *t = custom(), *a = NULL;
    add(t, "- not a list", "1", "");
    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    o.title = "say \"hi\" & <bye> \\";
    expect_ok(iotnet_table_arrange(&a, t, &o));
    char *md = render(a, IOTNET_TABLE_MARKDOWN);
    cr_assert(strstr(md, "| \\- not a list |"), "%s", md);
    cr_assert(strstr(md, "title=\"say \\\"hi\\\" &amp; &lt;bye&gt; \\\\\"}"), "%s", md);
    free(md);
    iotnet_table_free(a);
    iotnet_table_free(t);
}

Test(table, csv_follows_rfc_4180)
{
    iotnet_table *t = tricky();
    char *csv = render(t, IOTNET_TABLE_CSV);
    cr_assert(starts_with(csv, "name,count,tags\r\n\"a <b> & \"\"c\"\" | d\",1,x|y *z*\r\n"), "%s", csv);
    cr_assert(strstr(csv, "\r\n\"line one\nline two\",2,\r\n"), "%s", csv);
    cr_assert(strstr(csv, "\r\n  padded  ,,{{RFC8520}}\r\n"), "%s", csv);
    cr_assert(strstr(csv, "\r\n,3,a\r\n"), "%s", csv);
    free(csv);
    iotnet_table_free(t);
}

Test(table, json_escapes_control_characters_and_types_cells)
{
    iotnet_table *t = tricky();
    char *json = render(t, IOTNET_TABLE_JSON);
    cr_assert(strstr(json, "\"anchor\": \"lab-1\""), "%s", json);
    cr_assert(strstr(json, "{\"key\": \"count\", \"label\": \"Count\", \"type\": \"int\", \"grouped\": false}"),
              "%s", json);
    cr_assert(strstr(json, "{\"name\": \"a <b> & \\\"c\\\" | d\", \"count\": 1, \"tags\": [\"x|y\", \"*z*\"]}"),
              "%s", json);
    cr_assert(strstr(json, "\"line one\\nline two\", \"count\": 2, \"tags\": []"), "%s", json);
    cr_assert(strstr(json, "\"count\": null"), "an empty integer is null:\n%s", json);
    cr_assert(strstr(json, "\"ctl\\u0001bell\\u0007 bad?byte\""), "%s", json);
    free(json);
    iotnet_table_free(t);
}

/* ---- grouping in the documents ------------------------------------- */

Test(table, grouped_rows_share_one_cell)
{
    iotnet_table *t = fruit();
    iotnet_table *a = arranged(t, "name,count", NULL, "name");
    char *xml = render(a, IOTNET_TABLE_XML2RFC);
    xmlDocPtr doc = parse_xml(xml);
    expect_xpath(doc, "/table/tbody/tr[1]/td[1]/@rowspan", "2");
    expect_xpath(doc, "/table/tbody/tr[1]/td[1]", "pear");
    cr_assert_eq(xpath_count(doc, "/table/tbody/tr[2]/td"), 1, "the covered row has no name cell");
    expect_xpath(doc, "/table/tbody/tr[2]/td[1]", "-1");
    cr_assert_eq(xpath_count(doc, "/table/tbody/tr[5]/td[1]/@rowspan"), 0, "a group of one needs no rowspan");
    xmlFreeDoc(doc);
    free(xml);
    char *md = render(a, IOTNET_TABLE_MARKDOWN);
    cr_assert(strstr(md, "| pear | 10 |\n|  | \\-1 |\n| apple | 9 |\n|  | 100 |\n| fig |  |\n"), "%s", md);
    free(md);
    iotnet_table_free(a);
    iotnet_table_free(t);
}

Test(table, an_empty_table_still_has_a_body_row)
{
    iotnet_table *t = custom();
    char *xml = render(t, IOTNET_TABLE_XML2RFC);
    xmlDocPtr doc = parse_xml(xml);
    expect_xpath(doc, "/table/tbody/tr/td/@colspan", "3");
    expect_xpath(doc, "/table/tbody/tr/td", "(none)");
    xmlFreeDoc(doc);
    free(xml);
    char *md = render(t, IOTNET_TABLE_MARKDOWN);
    cr_assert(strstr(md, "| (none) |  |  |\n"), "%s", md);
    free(md);
    char *csv = render(t, IOTNET_TABLE_CSV);
    cr_assert_str_eq(csv, "name,count,tags\r\n");
    free(csv);
    iotnet_table_free(t);
}

/* ---- tables of results --------------------------------------------- */

static iotnet_net *home;
static iotnet_catalog *cat;
static iotnet_findings *findings;

static void load_home(void)
{
    expect_ok(iotnet_net_load(&home, HOME, NULL));
    expect_ok(iotnet_catalog_default(&cat));
    iotnet_analyze_options o = IOTNET_ANALYZE_OPTIONS_INIT;
    o.now = NOW_2026;
    expect_ok(iotnet_analyze(&findings, home, cat, &o));
}

static void free_home(void)
{
    iotnet_findings_free(findings);
    iotnet_catalog_free(cat);
    iotnet_net_free(home);
}

TestSuite(results, .init = load_home, .fini = free_home);

Test(results, findings_table_has_a_row_per_finding_with_short_threat_ids)
{
    iotnet_table *t = NULL;
    expect_ok(iotnet_table_findings(&t, home, findings, cat, NULL));
    cr_assert_str_eq(iotnet_table_anchor(t), "findings-connected-home-behind-cgnat");
    cr_assert_str_eq(iotnet_table_title(t), "Findings for Connected home behind CGNAT");
    cr_assert_eq(iotnet_table_row_count(t), iotnet_findings_count(findings));
    const char *keys[] = {"threat", "target", "status", "residual_risk", "mitigations"};
    cr_assert_eq(iotnet_table_column_count(t), 5, "the default columns");
    for (size_t c = 0; c < 5; c++) {
        iotnet_table_column_info info;
        expect_ok(iotnet_table_column(t, c, &info));
        cr_assert_str_eq(info.key, keys[c]);
    }
    iotnet_finding first = {.version = IOTNET_FINDING_VERSION};
    expect_ok(iotnet_findings_get(findings, 0, &first));
    cr_assert_str_eq(iotnet_table_cell_text(t, 0, 0), strchr(first.threat, ':') + 1);
    iotnet_table_free(t);

    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    o.columns = "id,title,residual_risk";
    o.sort = "residual_risk,id";
    expect_ok(iotnet_table_findings(&t, home, findings, cat, &o));
    cr_assert(strchr(iotnet_table_cell_text(t, 0, 0), ':'), "a finding's id keeps its namespace");
    cr_assert(iotnet_table_cell_text(t, 0, 1)[0], "titles come from the catalog");
    size_t last = iotnet_table_row_count(t) - 1;
    cr_assert_leq(atoi(iotnet_table_cell_text(t, 0, 2)), atoi(iotnet_table_cell_text(t, last, 2)));
    iotnet_table_free(t);
}

Test(results, findings_can_be_added_one_by_one)
{
    iotnet_table *t = NULL, *a = NULL;
    expect_ok(iotnet_table_new(&t, IOTNET_TABLE_FINDINGS, iotnet_net_name(home)));
    for (size_t i = 0; i < 3; i++) {
        iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
        expect_ok(iotnet_findings_get(findings, i, &x));
        expect_ok(iotnet_table_add_finding(t, &x, cat));
    }
    expect_ok(iotnet_table_arrange(&a, t, NULL));
    cr_assert_eq(iotnet_table_row_count(a), 3);
    cr_assert_eq(iotnet_table_column_count(a), 5);
    iotnet_finding x = {.version = IOTNET_FINDING_VERSION};
    expect_ok(iotnet_findings_get(findings, 0, &x));
    expect_error(iotnet_table_add_finding(a, &x, cat), IOTNET_EINVAL, "not yet arranged");
    iotnet_table_free(a);
    iotnet_table_free(t);
}

Test(results, threats_table_groups_mitigations_under_their_threat)
{
    iotnet_table *t = NULL;
    expect_ok(iotnet_table_threats(&t, home, cat, findings, NULL));
    cr_assert_str_eq(iotnet_table_title(t), "Threats to Connected home behind CGNAT and the technologies that mitigate them");
    long threat = iotnet_table_find_column(t, "threat"), mitigation = iotnet_table_find_column(t, "mitigation");
    cr_assert(threat == 0 && mitigation > 0);
    size_t rows = iotnet_table_row_count(t), groups = 0;
    for (size_t r = 0; r < rows; r++) {
        size_t span = iotnet_table_row_span(t, r);
        if (!span)
            continue;
        groups++;
        for (size_t k = 1; k < span; k++)
            cr_assert_str_eq(iotnet_table_cell_text(t, r + k, 0), iotnet_table_cell_text(t, r, 0));
    }
    cr_assert_lt(groups, rows, "some threat has several candidate mitigations");
    iotnet_table *all = NULL;
    expect_ok(iotnet_table_threats(&all, home, cat, NULL, NULL));
    cr_assert_gt(iotnet_table_row_count(all), rows, "the whole catalog has more threats than apply");
    cr_assert_str_eq(iotnet_table_title(all), "Threats and the technologies that mitigate them");
    cr_assert_str_eq(iotnet_table_anchor(all), iotnet_table_anchor(t));
    iotnet_table_free(all);
    iotnet_table_free(t);
}

Test(results, exposure_table_names_the_entry_point)
{
    iotnet_reach_options ro = IOTNET_REACH_OPTIONS_INIT;
    ro.from = "internet";
    iotnet_reach_result *rows = NULL;
    expect_ok(iotnet_reach(&rows, home, &ro));
    iotnet_table *t = NULL;
    expect_ok(iotnet_table_reach(&t, home, rows, NULL));
    cr_assert_str_eq(iotnet_table_title(t), "What the Internet reaches in Connected home behind CGNAT");
    cr_assert_eq(iotnet_table_row_count(t), iotnet_reach_count(rows));
    long node = iotnet_table_find_column(t, "node"), service = iotnet_table_find_column(t, "service"),
         entry = iotnet_table_find_column(t, "entry"), exposure = iotnet_table_find_column(t, "exposure");
    bool found = false;
    const char *group = NULL;
    for (size_t r = 0; r < iotnet_table_row_count(t); r++) {
        if (iotnet_table_row_span(t, r))
            group = iotnet_table_cell_text(t, r, (size_t)node);
        cr_assert_str_eq(group, iotnet_table_cell_text(t, r, (size_t)node), "rows grouped by node");
        if (strcmp(iotnet_table_cell_text(t, r, (size_t)service), "p2p") == 0 &&
            strcmp(group, "cam-garden") == 0) {
            cr_assert_str_eq(iotnet_table_cell_text(t, r, (size_t)exposure), "hole-punchable");
            cr_assert_str_eq(iotnet_table_cell_text(t, r, (size_t)entry), "isp-router:32100");
            found = true;
        }
    }
    cr_assert(found);
    iotnet_reach_result_free(rows);
    iotnet_table_free(t);
}

Test(results, zone_table_shows_conduits_and_violations)
{
    iotnet_zone_matrix *m = NULL;
    expect_ok(iotnet_zone_matrix_compute(&m, home));
    iotnet_table *t = NULL;
    expect_ok(iotnet_table_zone_matrix(&t, home, m, NULL));
    cr_assert_eq(iotnet_table_row_count(t), iotnet_zone_matrix_count(m));
    bool found = false;
    for (size_t r = 0; r < iotnet_table_row_count(t); r++)
        if (strcmp(iotnet_table_cell_text(t, r, 1), "iot") == 0 && strstr(iotnet_table_cell_text(t, r, 2), "tcp/554")) {
            found = found || strcmp(iotnet_table_cell_text(t, r, 3), "home-to-iot") == 0;
        }
    cr_assert(found, "home -> iot through the conduit home-to-iot");
    iotnet_zone_matrix_free(m);
    iotnet_table_free(t);
}

/* ---- drafts -------------------------------------------------------- */

static void home_tables(iotnet_table *out[2])
{
    expect_ok(iotnet_table_findings(&out[0], home, findings, cat, NULL));
    iotnet_zone_matrix *m = NULL;
    expect_ok(iotnet_zone_matrix_compute(&m, home));
    expect_ok(iotnet_table_zone_matrix(&out[1], home, m, NULL));
    iotnet_zone_matrix_free(m);
}

Test(results, xml2rfc_draft_has_front_matter_and_a_section_per_table)
{
    iotnet_table *tables[2];
    home_tables(tables);
    iotnet_draft_options o = IOTNET_DRAFT_OPTIONS_INIT;
    o.date = NOW_2026;
    o.email = "owner@example.org";
    char *xml = NULL, *again = NULL;
    expect_ok(iotnet_draft_render(&xml, (const iotnet_table *const *)tables, 2, IOTNET_DRAFT_XML2RFC, &o));
    expect_ok(iotnet_draft_render(&again, (const iotnet_table *const *)tables, 2, IOTNET_DRAFT_XML2RFC, &o));
    cr_assert_str_eq(xml, again, "the same input, the same document");
    xmlDocPtr doc = parse_xml(xml);
    expect_xpath(doc, "/rfc/@version", "3");
    expect_xpath(doc, "/rfc/@docName", "draft-iotnet-connected-home-behind-cgnat-00");
    expect_xpath(doc, "/rfc/front/title", "Threats and Exposure of Connected home behind CGNAT");
    expect_xpath(doc, "/rfc/front/title/@abbrev", "Threats and Exposure of Connected home");
    expect_xpath(doc, "/rfc/front/author/@fullname", "libiotnet");
    expect_xpath(doc, "/rfc/front/author/address/email", "owner@example.org");
    expect_xpath(doc, "/rfc/front/date/@year", "2026");
    expect_xpath(doc, "/rfc/front/date/@month", "11");
    cr_assert_eq(xpath_count(doc, "/rfc/middle/section"), 5, "introduction, two tables, security, IANA");
    expect_xpath(doc, "/rfc/middle/section[2]/t/xref/@target", "findings-connected-home-behind-cgnat");
    expect_xpath(doc, "/rfc/middle/section[2]/table/@anchor", "findings-connected-home-behind-cgnat");
    expect_xpath(doc, "/rfc/middle/section[5]/name", "IANA Considerations");
    cr_assert_eq(xpath_count(doc, "//xref[not(@target=//table/@anchor)]"), 0, "every reference is local");
    xmlFreeDoc(doc);
    free(xml);
    free(again);
    iotnet_table_free(tables[0]);
    iotnet_table_free(tables[1]);
}

Test(results, markdown_draft_has_yaml_front_matter)
{
    iotnet_table *tables[2];
    home_tables(tables);
    iotnet_draft_options o = IOTNET_DRAFT_OPTIONS_INIT;
    o.date = NOW_2026;
    o.title = "A \"quoted\" title";
    o.docname = "draft-example-tables-03";
    char *md = NULL;
    expect_ok(iotnet_draft_render(&md, (const iotnet_table *const *)tables, 2, IOTNET_DRAFT_MARKDOWN, &o));
    cr_assert(starts_with(md, "---\ntitle: \"A \\\"quoted\\\" title\"\n"), "%s", md);
    cr_assert(strstr(md, "docname: draft-example-tables-03\n"), "%s", md);
    cr_assert(strstr(md, "date: 2026-11-18\n"), "%s", md);
    cr_assert(strstr(md, "\n--- abstract\n"), "%s", md);
    cr_assert(strstr(md, "\n--- middle\n"), "%s", md);
    cr_assert(strstr(md, "\n# Zone matrix of Connected home behind CGNAT {#sec-zones-connected-home-behind-cgnat}\n"),
              "%s", md);
    cr_assert(strstr(md, "{{zones-connected-home-behind-cgnat}} shows"), "%s", md);
    cr_assert(strstr(md, "{: #zones-connected-home-behind-cgnat title="), "%s", md);
    cr_assert(strstr(md, "\n--- back\n"), "%s", md);
    free(md);
    iotnet_table_free(tables[0]);
    iotnet_table_free(tables[1]);
}

Test(results, drafts_refuse_repeated_anchors_and_bad_names)
{
    iotnet_table *tables[2];
    home_tables(tables);
    const iotnet_table *twice[] = {tables[0], tables[0]};
    char *out = NULL;
    expect_error(iotnet_draft_render(&out, twice, 2, IOTNET_DRAFT_XML2RFC, NULL), IOTNET_EINVAL, "same anchor");
    expect_error(iotnet_draft_render(&out, twice, 0, IOTNET_DRAFT_XML2RFC, NULL), IOTNET_EINVAL, "at least one");
    iotnet_draft_options o = IOTNET_DRAFT_OPTIONS_INIT;
    const char *names[] = {"draft-x", "draft-Upper-00", "rfc-x-00", "draft-x-1", "draft-a b-00"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        o.docname = names[i];
        expect_error(iotnet_draft_render(&out, (const iotnet_table *const *)tables, 2, IOTNET_DRAFT_MARKDOWN, &o),
                     IOTNET_EINVAL, names[i]);
    }
    iotnet_table *clash = NULL;
    iotnet_table_options to = IOTNET_TABLE_OPTIONS_INIT;
    to.anchor = "introduction";
    expect_ok(iotnet_table_arrange(&clash, tables[1], &to));
    const iotnet_table *with_clash[] = {tables[0], clash};
    expect_error(iotnet_draft_render(&out, with_clash, 2, IOTNET_DRAFT_XML2RFC, NULL), IOTNET_EINVAL,
                 "that of a section");
    cr_assert_null(out);
    iotnet_table_free(clash);
    iotnet_table_free(tables[0]);
    iotnet_table_free(tables[1]);
}

Test(table, null_arguments_are_errors_not_crashes)
{
    char *out = NULL;
    expect_error(iotnet_table_render(&out, NULL, IOTNET_TABLE_CSV), IOTNET_EINVAL, "NULL");
    iotnet_table *t = custom();
    expect_error(iotnet_table_render(&out, t, (iotnet_table_format)99), IOTNET_EINVAL, "format 99");
    expect_error(iotnet_table_render(NULL, t, IOTNET_TABLE_CSV), IOTNET_EINVAL, "NULL");
    expect_error(iotnet_table_arrange(NULL, t, NULL), IOTNET_EINVAL, "NULL");
    iotnet_table *a = NULL;
    expect_error(iotnet_table_findings(&a, NULL, NULL, NULL, NULL), IOTNET_EINVAL, "NULL");
    expect_error(iotnet_table_reach(&a, NULL, NULL, NULL), IOTNET_EINVAL, "NULL");
    expect_error(iotnet_table_zone_matrix(&a, NULL, NULL, NULL), IOTNET_EINVAL, "NULL");
    expect_error(iotnet_table_threats(&a, NULL, NULL, NULL, NULL), IOTNET_EINVAL, "NULL");
    expect_error(iotnet_table_add_row(NULL, NULL, 0), IOTNET_EINVAL, "NULL");
    iotnet_table_options o = IOTNET_TABLE_OPTIONS_INIT;
    o.version = 7;
    expect_error(iotnet_table_arrange(&a, t, &o), IOTNET_EINVAL, "version 7");
    cr_assert_eq(iotnet_table_row_count(NULL), 0);
    cr_assert_null(iotnet_table_cell_text(NULL, 0, 0));
    iotnet_table_free(NULL);
    iotnet_table_free(t);
}
