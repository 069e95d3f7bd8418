/* The iotnet command-line tool: commands, argument parsing, output. */
#ifndef IOTNET_CLI_H
#define IOTNET_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "iotnet/iotnet.h"
#include "util.h"

/* Exit codes (DESIGN.md section 7), the same in every command. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FINDINGS 1 /* findings at or above --fail-on: open threats, gaps, violations, changes */
#define CLI_EXIT_USAGE 2    /* unknown command or option, missing argument */
#define CLI_EXIT_INVALID 3  /* an input failed to load or validate, or an I/O error */

/* Options a command may accept, as a bit set. */
#define CLI_OPT_FORMAT 0x1u
#define CLI_OPT_OUTPUT 0x2u
#define CLI_OPT_YANG_PATH 0x4u
#define CLI_OPT_LENIENT 0x8u   /* --lenient, a flag */
#define CLI_OPT_DEVICE 0x10u   /* --device NODE */
#define CLI_OPT_INTO 0x20u     /* --into MODEL */
#define CLI_OPT_FROM 0x40u     /* --from SRC */
#define CLI_OPT_FROM_MANY 0x80u /* --from may be given more than once */
#define CLI_OPT_TO 0x100u      /* --to DST */
#define CLI_OPT_SERVICE 0x200u /* --service tcp/443 */
#define CLI_OPT_EXPLAIN 0x400u /* --explain, a flag */
#define CLI_OPT_ALL 0x800u     /* --all, a flag */
#define CLI_OPT_CATALOG 0x1000u   /* --catalog PATH, may be repeated */
#define CLI_OPT_ASSUME 0x2000u    /* --assume MITIGATION[@TARGET], may be repeated */
#define CLI_OPT_NO_BUNDLED 0x4000u /* --no-bundled, a flag */
#define CLI_OPT_NOW 0x8000u       /* --now DATE */
#define CLI_OPT_FRAMEWORK 0x10000u /* --framework NAME */
#define CLI_OPT_TABLE 0x20000u    /* --table KIND, may be repeated */
#define CLI_OPT_COLUMNS 0x40000u  /* --columns KEYS */
#define CLI_OPT_SORT 0x80000u     /* --sort KEYS */
#define CLI_OPT_GROUP 0x100000u   /* --group KEYS */
#define CLI_OPT_ANCHOR 0x200000u  /* --anchor ID */
#define CLI_OPT_TITLE 0x400000u   /* --title TEXT */
#define CLI_OPT_AUTHOR 0x800000u  /* --author NAME */
#define CLI_OPT_DOCNAME 0x1000000u /* --docname draft-NAME-NN */
#define CLI_OPT_EXPOSURE 0x2000000u /* --exposure, a flag */
#define CLI_OPT_FINDINGS 0x4000000u /* --findings, a flag */
#define CLI_OPT_FAIL_ON 0x8000000u  /* --fail-on WHAT */
#define CLI_OPT_FULL 0x10000000u    /* --full, a flag */

#define CLI_MAX_FROM 64 /* --from given more often is a usage error */
#define CLI_MAX_MANY 64 /* likewise --catalog and --assume */

/** What the command line said, after parsing. Strings point into argv. */
typedef struct cli_args {
    const char *command;    /* the command's name, for messages */
    const char *format;     /* --format, or the command's default */
    bool format_given;      /* --format was on the command line */
    const char *output;     /* -o FILE, or NULL for standard output */
    const char *yang_path;  /* --yang-path DIRS, or NULL */
    bool lenient;           /* --lenient */
    const char *device;     /* --device NODE, or NULL */
    const char *into;       /* --into MODEL, or NULL */
    const char *from[CLI_MAX_FROM]; /* --from SRC, in order */
    size_t from_count;
    const char *to;         /* --to DST, or NULL */
    const char *service;    /* --service FLOW, or NULL */
    bool explain;           /* --explain */
    bool all;               /* --all */
    const char *catalogs[CLI_MAX_MANY]; /* --catalog PATH, in order */
    size_t catalog_count;
    const char *assume[CLI_MAX_MANY];   /* --assume MITIGATION[@TARGET], in order */
    size_t assume_count;
    bool no_bundled;        /* --no-bundled */
    const char *now;        /* --now DATE, or NULL */
    const char *tables[CLI_MAX_MANY]; /* --table KIND, in order */
    size_t table_count;
    const char *columns;    /* --columns KEYS, or NULL */
    const char *sort;       /* --sort KEYS, or NULL */
    const char *group;      /* --group KEYS, or NULL */
    const char *anchor;     /* --anchor ID, or NULL */
    const char *title;      /* --title TEXT, or NULL */
    const char *author;     /* --author NAME, or NULL */
    const char *docname;    /* --docname NAME, or NULL */
    const char *framework;  /* --framework NAME, or NULL */
    bool exposure;          /* --exposure */
    bool findings;          /* --findings */
    const char *fail_on;    /* --fail-on WHAT, or NULL for the command's default */
    bool full;              /* --full */
    char **operands;        /* the positional arguments */
    size_t operand_count;
} cli_args;

typedef struct cli_command {
    const char *name;
    const char *summary;               /* one line for `iotnet --help` */
    const char *help;                  /* the text of `iotnet help NAME` */
    unsigned options;                  /* CLI_OPT_* accepted */
    const char *const *formats;        /* NULL-terminated; the first is the default */
    size_t min_operands;
    size_t max_operands;               /* SIZE_MAX for any number */
    const char *operand_name;          /* "FILE" or "MODEL", for messages */
    int (*run)(const cli_args *args);  /* returns an exit code */
    /* a command made of subcommands ("mud check"): NULL-terminated, each named
     * "COMMAND SUBCOMMAND"; run is then unused */
    const struct cli_command *const *subcommands;
} cli_command;

extern const cli_command cli_validate_command;
extern const cli_command cli_info_command;
extern const cli_command cli_export_command;
extern const cli_command cli_mud_command;
extern const cli_command cli_reach_command;
extern const cli_command cli_zones_command;
extern const cli_command cli_diff_command;
extern const cli_command cli_analyze_command;
extern const cli_command cli_table_command;
extern const cli_command cli_compliance_command;
extern const cli_command cli_oscal_command;

/* ---- inputs (input.c): each read once, "-" is standard input ---- */

/** How messages name standard input. */
#define CLI_STDIN_LABEL "<stdin>"
/** How messages name the size limit of a topology or MUD input, and of a catalog file (as the library does). */
#define CLI_INPUT_LIMIT "max_bytes"
#define CLI_CATALOG_LIMIT "IOTNET_CATALOG_MAX_BYTES, the limit for a catalog file"

/** An input read whole into memory (NUL-terminated). */
typedef struct cli_input {
    const char *path;  /* as named on the command line */
    const char *label; /* in messages: the path, or CLI_STDIN_LABEL */
    char *data;
    size_t len;
} cli_input;

/** Whether a file argument names standard input ("-"). */
bool cli_is_stdin(const char *path);
/** How messages name a file argument. */
const char *cli_input_label(const char *path);
/** Read a file argument whole, at most `max` bytes (`limit` names the limit in the message).
 *  Returns an iotnet code, the error naming the input. */
int cli_input_read(cli_input *in, const char *path, size_t max, const char *limit);
void cli_input_free(cli_input *in);

/** What kind of catalog an XML input is, by its root element (any prefix). */
#define CLI_NOT_CATALOG 0
#define CLI_CATALOG_THREATS 1  /* <catalog>: threats and mitigations */
#define CLI_CATALOG_CONTROLS 2 /* <controls>: a framework's control catalog */
int cli_catalog_type(const cli_input *in);

/** Whether an input looks like a MUD file (a top-level "ietf-mud:mud" member near its start). */
bool cli_is_mud_input(const cli_input *in);

/** Load a topology from an input (the format from its content) with the command's --yang-path.
 *  Returns an iotnet code. */
int cli_load_model_input(iotnet_net **out, const cli_args *args, const cli_input *in);
/** cli_load_model_input() of the file argument `path`, read once. */
int cli_load_model(iotnet_net **out, const cli_args *args, const char *path);

/** Load a MUD file from an input with the command's --lenient and --yang-path. Returns an iotnet code. */
int cli_load_mud_input(iotnet_mud **out, const cli_args *args, const cli_input *in);
/** cli_load_mud_input() of the file argument `path`, read once. */
int cli_load_mud(iotnet_mud **out, const cli_args *args, const char *path);

/** Add the catalog file argument `path` ("-": standard input) to a set. Returns an iotnet code. */
int cli_load_catalog_input(iotnet_catalog *cat, const char *path);

/* ---- --fail-on (fail_on.c): what makes analyze, compliance, zones and diff exit 1 ---- */

typedef enum cli_fail_kind {
    CLI_FAIL_NEVER, /* nothing: exit 0 once the output is written */
    CLI_FAIL_OPEN,  /* any open finding, gap, violation or change (the default) */
    CLI_FAIL_RISK,  /* an open finding whose residual risk is at least `risk` */
    CLI_FAIL_GAP    /* compliance: a control with the status gap */
} cli_fail_kind;

#define CLI_FAIL_ALLOWS(kind) (1u << (kind))

typedef struct cli_fail_on {
    cli_fail_kind kind;
    int risk; /* for CLI_FAIL_RISK: 1..25 */
} cli_fail_on;

/** --fail-on (default open) as one of the kinds in the bit set `allowed`.
 *  Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after a message naming the allowed values. */
int cli_parse_fail_on(cli_fail_on *out, const cli_args *args, unsigned allowed);

/** CLI_EXIT_FINDINGS when `fails`, else CLI_EXIT_OK: the exit code after the output was written. */
int cli_findings_exit(bool fails);

/* ---- evaluating catalogs (eval_args.c): analyze, compliance ---- */

/** The bundled catalogs (unless --no-bundled) and every --catalog, in order.
 *  Reports a failure on stderr and returns CLI_EXIT_INVALID, else CLI_EXIT_OK. */
int cli_load_catalogs(iotnet_catalog **out, const cli_args *args);

/** --now: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ as seconds since the epoch (UTC). */
bool cli_parse_now(const char *text, int64_t *out);

/** The --assume words split at their first '@' into `list`, with copies in
 *  `store` (CLI_MAX_MANY entries; the caller frees the first assume_count).
 *  Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after the message. */
int cli_parse_assumptions(const cli_args *args, iotnet_assumption *list, char **store);

/** A date as YYYY-MM-DDTHH:MM:SSZ in buf, or NULL for IOTNET_TIME_UNSET. */
const char *cli_date_text(char *buf, size_t size, int64_t seconds);

/** Analyze with the command's --all, --now and --assume (cmd_analyze.c).
 *  Returns an exit code after reporting a failure (a bad --now or --assume
 *  is a usage error). */
int cli_run_analysis(iotnet_findings **out, const cli_args *args, const iotnet_net *net,
                     const iotnet_catalog *cat);

/** iotnet analyze with `fail_on` deciding exit 1, also behind iotnet oscal
 *  assessment-results and compliance --format oscal. */
int cli_run_analyze(const cli_args *args, const cli_fail_on *fail_on);

/* ---- OSCAL (cmd_oscal.c) ---- */

/** Append the OSCAL assessment results of findings (args->format "oscal" or
 *  "oscal-xml"; the controls of args->framework only, when set) that the
 *  command's --now and --assume gave to out. Returns an iotnet code. */
int cli_oscal_assessment_results(iotnet__buf *out, const cli_args *args, const iotnet_net *net,
                                 const iotnet_catalog *cat, const iotnet_findings *findings);

/* ---- arguments (args.c) ---- */

/** Parse a command's arguments (argv[0] is the command name). Returns
 *  CLI_EXIT_OK when *out is ready, CLI_EXIT_USAGE after printing the usage
 *  error, or -1 when --help was printed and the tool should exit 0. */
int cli_parse_args(cli_args *out, const cli_command *cmd, int argc, char **argv);

/** Print "iotnet CMD: message" and a hint to --help on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Print a command's help. */
void cli_print_command_help(const cli_command *cmd, FILE *f);

/* ---- loading and output (output.c) ---- */

/** Append the last error as "FILE:LINE: message (path P)" (no newline). */
void cli_format_error(iotnet__buf *b, const char *file);

/** Whether a file name ends with `suffix` (".xml") after at least one other character. */
bool cli_has_suffix(const char *name, const char *suffix);

/** Print the last error, located in `file`, on stderr. */
void cli_report_error(const char *file);

/** Write text to -o FILE (see cli_write_file()), or to standard output. Returns an exit code. */
int cli_write_text(const cli_args *args, const char *data, size_t len);

/** cli_write_text() of a buffer, failing when an append to it ran out of memory. */
int cli_write_output(const cli_args *args, const iotnet__buf *text);

/** cli_load_model(), reporting a failure on stderr. Returns CLI_EXIT_OK or CLI_EXIT_INVALID. */
int cli_open_model(iotnet_net **out, const cli_args *args, const char *path);

/* ---- output files (output_file.c) ---- */

/** Write the whole text to the file `path` once it is complete: a new file
 *  appears atomically; an existing one keeps its mode, owner and hard links
 *  (the content is replaced through a temporary file renamed over it, or in
 *  place when it has other links or the directory forbids the rename); a
 *  symlink keeps pointing to the file it names, which is written; a device
 *  or FIFO is written through. A read-only file is refused. On failure the
 *  previous file is as it was. Reports a failure on stderr naming `command`
 *  and returns CLI_EXIT_INVALID, else CLI_EXIT_OK. */
int cli_write_file(const char *command, const char *path, const char *data, size_t len);

/** Refuse -o naming an input of the command: an operand or a --catalog file
 *  (or a *.xml of a --catalog directory), compared as files (device and
 *  inode), so symlinks and hard links to an input are caught too.
 *  Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after the message. */
int cli_check_output(const cli_args *args);

/* ---- JSON and CSV writing (output.c) ---- */

#define CLI_JSON_MAX_DEPTH 16

/** A pretty-printing JSON writer into a text buffer. */
typedef struct cli_json {
    iotnet__buf *b;
    int depth;
    bool has_items[CLI_JSON_MAX_DEPTH]; /* whether the open container has an item */
} cli_json;

/* `key` names the member inside an object; it is NULL inside an array. */
void cli_json_begin_object(cli_json *j, const char *key);
void cli_json_end_object(cli_json *j);
void cli_json_begin_array(cli_json *j, const char *key);
void cli_json_end_array(cli_json *j);
void cli_json_string(cli_json *j, const char *key, const char *value); /* NULL writes null */
void cli_json_int(cli_json *j, const char *key, long long value);
void cli_json_double(cli_json *j, const char *key, double value);
void cli_json_bool(cli_json *j, const char *key, bool value);
void cli_json_null(cli_json *j, const char *key);

/** In such a report, a file's "error" object: code, message, line (null when unknown), path and
 *  the whole "FILE:LINE: message" text. */
void cli_json_file_error(cli_json *j, int code, const char *message, long line, const char *path,
                         const char *text);
/** Begin a report on several files ("validate", "mud check"): in JSON an object whose
 *  "files" array the caller fills with an object per file; in text nothing. */
void cli_files_report_begin(cli_json *j, bool json);
/** End that report (in JSON "ok" and "failed" after the files), write `out` and free it.
 *  Returns the write's exit code when it failed, else CLI_EXIT_INVALID when any file failed. */
int cli_files_report_end(const cli_args *args, iotnet__buf *out, cli_json *j, bool json, size_t failed);

/** Append a CSV field, quoted when it holds a comma, quote or line break. */
void cli_csv_field(iotnet__buf *b, const char *value);

/* ---- result tables (output.c) ---- */

/** What a column holds; each type has its rendering in text, JSON and CSV. */
typedef enum cli_cell {
    CLI_CELL_TEXT, /* a string; NULL is "-" in text, null in JSON, empty in CSV */
    CLI_CELL_INT,  /* decimal digits; NULL as for text; a number in JSON */
    CLI_CELL_LIST  /* space-separated words: joined by the column's separator in
                      text, a JSON array of strings, the words as given in CSV */
} cli_cell;

typedef struct cli_column {
    const char *name;      /* the header in text and CSV, the key in JSON */
    cli_cell type;
    const char *separator; /* for lists in text: how words are joined (NULL: " ") */
} cli_column;

/** Rows of cells, copied in, rendered as an aligned text table, a JSON array
 *  of objects or CSV with a header. Zero-initialise, then cli_table_init(). */
typedef struct cli_table {
    const cli_column *columns;
    size_t column_count;
    char **cells; /* row-major; NULL for none */
    size_t rows;
    size_t cap;
    bool failed;  /* an allocation failed: rendering reports it */
} cli_table;

void cli_table_init(cli_table *t, const cli_column *columns, size_t column_count);
/** Append a row of column_count values (copied; NULL allowed). @return 0 or IOTNET_ENOMEM */
int cli_table_add(cli_table *t, const char *const *values);
/** The cell at (row, column), or NULL. */
const char *cli_table_cell(const cli_table *t, size_t row, size_t column);
/** Render as "text", "json" or "csv"; text and CSV begin with a header line. */
void cli_table_render(const cli_table *t, const char *format, iotnet__buf *b);
/** Write the rows as a JSON array of objects under `key` of an open container. */
void cli_table_json(const cli_table *t, cli_json *j, const char *key);
void cli_table_free(cli_table *t);

/* ---- model lookups shared by the commands (output.c) ---- */

/** A node's id (borrowed from the model), or NULL for IOTNET_NONE or a bad index. */
const char *cli_node_id(const iotnet_net *net, iotnet_index node);
/** A zone's id, likewise. */
const char *cli_zone_id(const iotnet_net *net, iotnet_index zone);
/** A conduit's id, likewise. */
const char *cli_conduit_id(const iotnet_net *net, iotnet_index conduit);
/** The last error's message when it is the one `code` came with, else the code's text. */
const char *cli_error_message(int code);
/** The name of an enumeration value, or `fallback`. */
const char *cli_enum_name(iotnet_enum type, int value, const char *fallback);
/** "tcp/443", "icmp", or the protocol alone when port is 0, into buf. */
const char *cli_flow_text(char *buf, size_t size, int protocol, unsigned port);

#endif
