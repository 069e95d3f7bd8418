/* iotnet: the command-line front end of libiotnet. */
#include "cli.h"

#include <string.h>

static const cli_command *const commands[] = {
    &cli_validate_command,
    &cli_info_command,
    &cli_export_command,
    &cli_reach_command,
    &cli_zones_command,
    &cli_diff_command,
    &cli_analyze_command,
    &cli_table_command,
    &cli_compliance_command,
    &cli_oscal_command,
    &cli_mud_command,
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_main_help(FILE *f)
{
    fputs("Usage: iotnet COMMAND [OPTIONS] [ARGS]\n"
          "       iotnet --help | --version | help COMMAND\n"
          "\n"
          "Model home and industrial IoT networks with their firewall, NAT44 and MUD layers.\n"
          "The bundled YANG modules and catalogs are read from the data directory that\n"
          "--version names; the environment variable IOTNET_DATA_DIR names another.\n"
          "Each input file is read once, so pipes and FIFOs work; '-' reads standard input\n"
          "(the format, JSON or XML, comes from the content).\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  help       show the help of a command\n"
          "\n"
          "Exit status, the same in every command:\n"
          "  0  success\n"
          "  1  findings at or above --fail-on (analyze, compliance, zones, diff): open\n"
          "     threats, compliance gaps, conduit violations, reachability changes\n"
          "  2  usage error (an unknown option, a missing argument, -o naming an input)\n"
          "  3  invalid input (a file failed to load or validate) or an I/O error (output\n"
          "     that could not be written)\n"
          "Run 'iotnet help COMMAND' or 'iotnet COMMAND --help' for a command's options.\n",
          f);
}

/* The library's version, those of the libraries under it, and where its data is. */
static void print_version(void)
{
    printf("iotnet %s\n", iotnet_version());
    iotnet_dependency dep;
    for (size_t i = 0; iotnet_dependency_next(i, &dep) == 0; i++)
        printf("%s %s\n", dep.name, dep.version);
    printf("data directory %s\n", iotnet_data_dir());
}

/* A command whose arguments parsed: refuse -o naming an input, then run it. */
static int run_parsed(const cli_command *cmd, const cli_args *args)
{
    int rc = cli_check_output(args);
    return rc != CLI_EXIT_OK ? rc : cmd->run(args);
}

/* iotnet help [COMMAND] */
static int run_help(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_main_help(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error("help", "too many arguments: expected one COMMAND");
    const cli_command *cmd = find_command(argv[1]);
    if (!cmd)
        return cli_usage_error("help", "unknown command '%s'", argv[1]);
    cli_print_command_help(cmd, stdout);
    return CLI_EXIT_OK;
}

/* COMMAND SUBCOMMAND ARGS... (argv[0] is COMMAND) */
static int run_subcommand(const cli_command *cmd, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(cmd->name, "missing subcommand");
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        cli_print_command_help(cmd, stdout);
        return CLI_EXIT_OK;
    }
    for (const cli_command *const *sub = cmd->subcommands; *sub; sub++) {
        const char *space = strrchr((*sub)->name, ' ');
        if (strcmp(space ? space + 1 : (*sub)->name, name) != 0)
            continue;
        cli_args args;
        int rc = cli_parse_args(&args, *sub, argc - 1, argv + 1);
        if (rc < 0)
            return CLI_EXIT_OK; /* help was printed */
        return rc != CLI_EXIT_OK ? rc : run_parsed(*sub, &args);
    }
    return cli_usage_error(cmd->name, "unknown subcommand '%s'", name);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_main_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        print_version();
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0)
        return run_help(argc - 1, argv + 1);
    const cli_command *cmd = find_command(name);
    if (!cmd) {
        if (name[0] == '-')
            return cli_usage_error(NULL, "unknown option '%s'", name);
        return cli_usage_error(NULL, "unknown command '%s'", name);
    }
    if (cmd->subcommands)
        return run_subcommand(cmd, argc - 1, argv + 1);
    cli_args args;
    int rc = cli_parse_args(&args, cmd, argc - 1, argv + 1);
    if (rc < 0)
        return CLI_EXIT_OK; /* help was printed */
    if (rc != CLI_EXIT_OK)
        return rc;
    return run_parsed(cmd, &args);
}
