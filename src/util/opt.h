/*
 * util/opt.h: command-line options with pflag's (podman's) semantics.
 *
 *   --name value, --name=value, -n value, -nvalue, -abc (bundled flags),
 *   --flag, --flag=false, "--" ends options, operands may come between
 *   options unless the iterator stops at the first operand (run, exec).
 *
 * Error texts are pflag's, so scripts and people see what podman prints:
 *   unknown flag: --x / unknown shorthand flag: 'x' in -x /
 *   flag needs an argument: --name
 */
#ifndef BERTH_OPT_H
#define BERTH_OPT_H

#include <stdbool.h>

#include "util/err.h"

enum opt_kind {
    OPT_FLAG,       /* boolean; --x, --x=true|false */
    OPT_ARG,        /* takes a value */
};

enum {
    OPT_HIDDEN = 1 << 0,    /* accepted, not listed in --help */
};

struct cmd_opt {
    const char *name;       /* long name without "--" */
    int id;                 /* short letter, or >= 256 for long-only */
    enum opt_kind kind;
    const char *argname;    /* value placeholder in help: "string", "FORMAT" */
    const char *help;
    unsigned flags;
};

struct opt_it;
/* Called for a global option seen after the command name. */
typedef int (*opt_global_fn)(void *ctx, const struct cmd_opt *o, const char *arg, bool bval,
                             struct berr **err);
typedef void (*opt_help_fn)(void *ctx);
/* Called once when the options are all read (not after --help), before
 * opt_next() returns 0: where settings that depend on all flags apply. */
typedef int (*opt_done_fn)(void *ctx, struct berr **err);

struct opt_it {
    /* set up by the caller (see cmd_opt_init in cmd/cmd.h) */
    const struct cmd_opt *opts;
    const struct cmd_opt *gopts;    /* global options, may be NULL */
    opt_global_fn gfn;
    void *gctx;
    opt_help_fn help_fn;            /* prints the help for --help */
    void *help_ctx;
    opt_done_fn done_fn;            /* may be NULL */
    void *done_ctx;
    const char *cmdpath;            /* "berth ps": for "See 'berth ps --help'" */
    bool stop_at_operand;
    bool h_is_help;                 /* -h means --help (not in run/create) */

    /* results */
    bool help;                      /* --help was given and printed */
    const char *arg;                /* value of the option just returned */
    bool bval;                      /* OPT_FLAG value */
    const struct cmd_opt *opt;      /* the option just returned */
    char **args;                    /* operands, in order (pointers into argv) */
    int nargs;

    /* internal */
    int idx;
    const char *bundle;             /* rest of a -abc bundle */
    bool done, done_called;
    char **argv_ops;
};

void opt_init(struct opt_it *it, const struct cmd_opt *opts);
/* Returns the option's id (> 0), 0 at the end (it->args then holds the
 * operands), or -1 with *err set. argv[0] is the command name. */
int opt_next(struct opt_it *it, int argc, char **argv, struct berr **err);
void opt_free(struct opt_it *it);

/* Value checkers with pflag's wording:
 * invalid argument "x" for "-t, --time" flag: strconv.ParseUint: parsing "x": invalid syntax */
int opt_uint(struct opt_it *it, unsigned long long *out, struct berr **err);
int opt_int(struct opt_it *it, long long *out, struct berr **err);
int opt_bad_value(struct opt_it *it, const char *why, struct berr **err);

/* Prints "Options:" lines for the table, aligned as pflag does. */
#include <stdio.h>
void opt_print_table(FILE *f, const struct cmd_opt *opts);
/* Finds an option by long name in a table (for completion, man). */
const struct cmd_opt *opt_find_long(const struct cmd_opt *opts, const char *name);

#endif
