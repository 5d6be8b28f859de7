/* Subcommands and their options, declared together so help never drifts from parsing. */
#ifndef BILLAUDIT_CLI_H
#define BILLAUDIT_CLI_H
#include <stdio.h>

typedef enum { OPT_FLAG, OPT_STR } opt_type_t;
typedef struct {
    char shortname; /* 0 = long only */
    const char *longname;
    const char *arg; /* metavar for OPT_STR */
    const char *help;
    opt_type_t type;
    void *dest; /* int* for OPT_FLAG, const char** for OPT_STR */
} opt_t;

/* usage is the command and its operands ("audit PATH..."): the options of the usage line
 * are generated from the table, so the line cannot drift from what is parsed.
 * Parses argv[1..] (argv[0] = the subcommand). Returns the index of the first operand,
 * -1 on a usage error (message printed), -2 when --help was printed. */
int opts_parse(const char *usage, const char *summary, const opt_t *opts, int argc, char **argv);
void opts_help(const char *usage, const char *summary, const opt_t *opts);
/* "usage: billaudit CMD [-x ARG] [--long] ... OPERANDS" + newline. */
void opts_usage(FILE *f, const char *usage, const opt_t *opts);

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command_t;
extern const command_t commands[];

/* Shared by audit-like commands: load the profile, inputs, prepare, run rules. 0 ok, 2 error. */
struct audit;
int cli_run_audit(struct audit *a, const char *account, char **paths, int npaths,
                  const char *only_rule);
int cli_month(const char *s, int *out); /* "YYYY-MM" -> ym; 0 ok */
/* --as-of VALUE for command cmd: 0 when a real date (now "today"), else -1, message printed. */
int cli_as_of(const char *cmd, const char *value);

int cmd_audit(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_terms(int argc, char **argv);
int cmd_cron(int argc, char **argv);
int cmd_letter(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_init(int argc, char **argv);
#endif
