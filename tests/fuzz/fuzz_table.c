/* libFuzzer harness: the tables of every model that loads (findings,
 * threats, exposure, zones) must build, arrange and render in every format,
 * and make a draft, or fail with an error; never crash or leak. */
#include "fuzz_model.h"

static void render_all(const iotnet_table *t)
{
    static const iotnet_table_format formats[] = {IOTNET_TABLE_XML2RFC, IOTNET_TABLE_MARKDOWN, IOTNET_TABLE_CSV,
                                                  IOTNET_TABLE_JSON, IOTNET_TABLE_HTML};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        char *text = NULL;
        if (iotnet_table_render(&text, t, formats[i]) == 0)
            iotnet_string_free(text);
    }
}

/* Every cell read back, then the table sorted and grouped on its first
 * column and rendered again. */
static void exercise(const iotnet_table *t)
{
    render_all(t);
    for (size_t r = 0; r < iotnet_table_row_count(t); r++)
        for (size_t c = 0; c < iotnet_table_column_count(t); c++)
            (void)iotnet_table_cell_text(t, r, c);
    iotnet_table_column_info first = {IOTNET_TABLE_COLUMN_INFO_VERSION, NULL, NULL, IOTNET_TABLE_TEXT, false};
    if (iotnet_table_column(t, 0, &first) != 0)
        return;
    iotnet_table_options opts = IOTNET_TABLE_OPTIONS_INIT;
    opts.sort = first.key;
    opts.group = first.key;
    opts.title = "Fuzzed <table> & \"title\"";
    iotnet_table *arranged = NULL;
    if (iotnet_table_arrange(&arranged, t, &opts) == 0) {
        for (size_t r = 0; r < iotnet_table_row_count(arranged); r++)
            (void)iotnet_table_row_span(arranged, r);
        render_all(arranged);
        iotnet_table_free(arranged);
    }
}

static void draft(const iotnet_table *const *tables, size_t count)
{
    static const iotnet_draft_format formats[] = {IOTNET_DRAFT_XML2RFC, IOTNET_DRAFT_MARKDOWN};
    iotnet_draft_options opts = IOTNET_DRAFT_OPTIONS_INIT;
    opts.date = 1796083200;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        char *text = NULL;
        if (iotnet_draft_render(&text, tables, count, formats[i], &opts) == 0)
            iotnet_string_free(text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotnet_net *net = fuzz_load_model(data, size);
    if (!net)
        return 0;
    const iotnet_catalog *cat = fuzz_default_catalog();
    iotnet_findings *findings = fuzz_analyze(net);
    iotnet_reach_options ro = IOTNET_REACH_OPTIONS_INIT;
    ro.from = "internet";
    ro.include_unreachable = true;
    iotnet_reach_result *rows = NULL;
    if (iotnet_reach(&rows, net, &ro) != 0)
        rows = NULL;
    iotnet_zone_matrix *matrix = NULL;
    if (iotnet_zone_matrix_compute(&matrix, net) != 0)
        matrix = NULL;

    iotnet_table *tables[4] = {NULL, NULL, NULL, NULL};
    size_t count = 0;
    if (findings && iotnet_table_findings(&tables[count], net, findings, cat, NULL) == 0)
        count++;
    if (iotnet_table_threats(&tables[count], net, cat, findings, NULL) == 0)
        count++;
    if (rows && iotnet_table_reach(&tables[count], net, rows, NULL) == 0)
        count++;
    if (matrix && iotnet_table_zone_matrix(&tables[count], net, matrix, NULL) == 0)
        count++;
    for (size_t i = 0; i < count; i++)
        exercise(tables[i]);
    if (count)
        draft((const iotnet_table *const *)tables, count);

    for (size_t i = 0; i < count; i++)
        iotnet_table_free(tables[i]);
    iotnet_zone_matrix_free(matrix);
    iotnet_reach_result_free(rows);
    iotnet_findings_free(findings);
    iotnet_net_free(net);
    return 0;
}
