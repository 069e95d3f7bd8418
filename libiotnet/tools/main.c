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
          "Each input file is read once, so pipes and FIFOs work; '-' reads standard input\n"
          "(the format, JSON or XML, comes from the content).\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  help       show the help of a command\n"
          "\n"
          "Exit status: 0 success, 1 findings (open threats, zone violations, reachability\n"
          "changes) or invalid input (a file failed to load or validate) or output that\n"
          "could not be written, 2 usage error.\n"
          "Run 'iotnet help COMMAND' or 'iotnet COMMAND --help' for a command's options.\n",
          f);
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
        return rc != CLI_EXIT_OK ? rc : (*sub)->run(&args);
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
        printf("iotnet %s\n", iotnet_version());
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
    return cmd->run(&args);
}
