/* billaudit: the command table. Each subcommand is src/cmd_<name>.c. */
#include "cli.h"
#include "container.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const command_t commands[] = {
    {"init", cmd_init, "draft the account profile (account.json) from the downloaded files"},
    {"audit", cmd_audit, "audit bills, usage, payments and contracts; report findings"},
    {"detect", cmd_detect, "show the format, encoding, records and period of each input"},
    {"rules", cmd_rules, "list the rules and the law each cites"},
    {"terms", cmd_terms, "check contract text for unfair standard terms"},
    {"cron", cmd_cron, "monthly job: report only new findings, remember them in a state file"},
    {"letter", cmd_letter,
     "write a complaint letter: to the operator, the MIIT appeal body or 12315"},
    {"bundle", cmd_bundle,
     "write the evidence for a dispute into a directory, with a SHA-256 manifest"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f,
            "billaudit %s — evidence for disputed telecom charges\n\nusage: billaudit "
            "[--as-of YYYY-MM-DD] COMMAND [OPTIONS] [PATH...]\n\ncommands:\n",
            BILLAUDIT_VERSION);
    for (int i = 0; commands[i].name; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'billaudit help COMMAND' (or COMMAND --help) describes a command; 'billaudit "
               "version' prints the version; doc/ and 'man billaudit' are the reference. Exit "
               "status: 0 no findings, 1 "
               "findings, 2 error.\n");
}

/* Descriptors 0, 1 and 2 must be open before any file is: otherwise a state file or a
   lock would take descriptor 1 and receive the report. A closed stdin or stderr gets
   /dev/null; a closed stdout ends the run, since its report would go nowhere. */
static int standard_fds_open(void)
{
    int stdout_closed = fcntl(STDOUT_FILENO, F_GETFD) == -1;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1)
            continue;
        int nul = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (nul != fd) /* the lowest free descriptor is fd itself */
            return 0;
    }
    if (stdout_closed) {
        fprintf(stderr, "billaudit: standard output is closed\n");
        return 0;
    }
    return 1;
}

/* Every command writes to stdout through stdio; its final flush is checked here, so a
   full disk or a closed pipe is never a silent success. A reader that went away (EPIPE,
   `| head`) is not an error worth a word. */
static int finish_stdout(int rc)
{
    int failed = fflush(stdout) == EOF;
    int err = errno;
    if (!failed && !ferror(stdout))
        return rc;
    if (!failed) { /* an earlier write failed: retry one to learn why */
        clearerr(stdout);
        errno = 0;
        failed = fputc('\n', stdout) == EOF || fflush(stdout) == EOF;
        err = failed ? errno : EIO;
    }
    if (err == EPIPE)
        return rc;
    fprintf(stderr, "billaudit: write error: %s\n", strerror(err ? err : EIO));
    return 2;
}

int main(int argc, char **argv)
{
    xls_reader_main(argc, argv); /* returns only when this is not the .xls reader's run */
    signal(SIGPIPE, SIG_IGN);
    /* Over a file-size limit (ulimit -f) a write fails with EFBIG and is reported, and the
     * temporary removed, instead of the run dying silently with its debris left behind. */
    signal(SIGXFSZ, SIG_IGN);
    if (!standard_fds_open())
        return 2;
    /* --as-of before the command applies to it as after it (billaudit --as-of D audit …). */
    while (argc > 2 && !strncmp(argv[1], "--as-of", 7) && (argv[1][7] == '=' || !argv[1][7])) {
        int eq = argv[1][7] == '=';
        if (cli_as_of("", eq ? argv[1] + 8 : argv[2]) != 0)
            return 2;
        argc -= eq ? 1 : 2;
        argv += eq ? 1 : 2;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "help") && argc > 2) { /* help COMMAND = COMMAND --help */
        char *args[] = {argv[2], "--help", NULL};
        for (int i = 0; commands[i].name; i++)
            if (!strcmp(commands[i].name, argv[2]))
                return commands[i].run(2, args);
        fprintf(stderr, "billaudit: unknown command \"%s\"\n", diag_quote(argv[2]));
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return finish_stdout(0);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") || !strcmp(argv[1], "version")) {
        printf("billaudit %s\n", BILLAUDIT_VERSION);
        return finish_stdout(0);
    }
    for (int i = 0; commands[i].name; i++)
        if (!strcmp(commands[i].name, argv[1]))
            return finish_stdout(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "billaudit: unknown command \"%s\"\n", diag_quote(argv[1]));
    usage(stderr);
    return 2;
}
