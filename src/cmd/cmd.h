/*
 * cmd/cmd.h: the CLI layer's shared types. A command is a struct cmd
 * (name, help, options, function, runtime level), defined once in its
 * file under src/cmd/; cmd/table.c says where it is listed (top level,
 * a group such as container or image, or both) and how a group spells
 * it when podman's group name differs (`container ls` is ps).
 */
#ifndef BERTH_CMD_H
#define BERTH_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "util/err.h"
#include "util/opt.h"
#include "util/str.h"
#include "runtime/options.h"

struct runtime;

enum rt_level {
    RT_NONE,        /* nothing: version, help, completion */
    RT_CONFIG,      /* config files read, nothing created on disk */
    RT_FULL,        /* runtime init: state, locks, alive/refresh, events */
};

enum {
    CMD_HIDDEN = 1 << 0,        /* not listed in help or completion */
    CMD_STOP_AT_OPERAND = 1 << 1, /* run, create, exec: flags after the image are the command's */
    CMD_H_NOT_HELP = 1 << 2,    /* -h is a real flag (run/create: --hostname) */
};

/* The groups of the command tree (cmd/table.c lists their commands). */
enum cmd_group {
    CG_NONE,                    /* not a group */
    CG_ROOT,                    /* berth itself: the top-level commands */
    CG_CONTAINER, CG_IMAGE, CG_NETWORK, CG_SYSTEM, CG_VOLUME, CG_POD,
    CG_HEALTHCHECK, CG_SECRET,
};

struct cmd_ctx;

/* A command function returns its exit status (0, or a container's code)
 * or -1 with *err set. argv[0] is the command's name. */
struct cmd {
    const char *name;
    const char *aliases;        /* space-separated */
    const char *summary;        /* one line */
    const char *usage;          /* after the command path: "[options] CONTAINER..." */
    const char *description;    /* paragraph(s) for --help and the man page */
    const char *examples;       /* lines, each a command */
    const struct cmd_opt *opts;
    int (*fn)(struct cmd_ctx *cx, int argc, char **argv, struct berr **err);
    enum rt_level need;
    unsigned flags;
    enum cmd_group group;       /* a group: the commands table.c lists in it */
};

/* A command as a group lists it: the one definition, and the name and
 * aliases it has there (in a group, those can differ from the
 * definition's own: ps is `container ls`, aliases list and ps). */
struct cmd_sub {
    const struct cmd *cmd;
    const char *name;
    const char *aliases;        /* space-separated, or NULL */
};


struct cmd_ctx {
    struct gopts *g;
    const struct cmd *cmd;
    const char *name, *aliases; /* cmd as its group spells it ("ls" for ps) */
    char *path;                 /* "berth container ls" */
    char *argv0;                /* absolute path of this binary, for exit commands */
    const char *prog;           /* its name as invoked (argv[0]'s basename), for messages */
    char **all_argv;            /* main()'s argv, NULL-terminated (a pod's CreateCommand) */
    bool gopts_finished;        /* gopts_finish() ran */
    struct runtime *rt;         /* made on first cx_runtime() */
    enum rt_level rt_level;
    bool no_locale;             /* set before cx_runtime() by a command that reads
                                   no user regex, glob or archive (inspect): the
                                   locale files stay unmapped */
};

/* The table of top-level commands (cmd/table.c). */
extern const struct cmd cmd_root;

/* Sets up an option iterator for the current command: its table, the
 * global options, help printing and pflag-style error hints. */
void cmd_opt_init(struct opt_it *it, struct cmd_ctx *cx);
/* Ends the option loop of a command that takes no operands: c is the last
 * opt_next() result. Frees it. -1: error set (also "`berth x` takes no
 * arguments"); 1: --help was printed; 0: go on. */
int cmd_opt_done_noargs(struct cmd_ctx *cx, struct opt_it *it, int c, struct berr **err);
/* Prints "name, alias, alias" (help's Aliases line, the flags listing). */
void cmd_print_names(FILE *f, const struct cmd_sub *s);
/* Prints the help of the command spelled s, reached by path (as --help
 * does). */
void cmd_print_help(FILE *f, const struct cmd_sub *s, const char *path);
/* The command's examples as they read at path: a top-level command's
 * examples name it as "berth NAME", which a group spelling reads as its
 * own path ("berth ps -a" is "berth container ls -a" there), as podman
 * does. NULL when it has none, or out of memory (*oom set). */
char *cmd_examples(const struct cmd *c, const char *path, bool *oom);
/* The runtime at the given level, initialised once per process. */
int cx_runtime(struct cmd_ctx *cx, enum rt_level level, struct runtime **rt, struct berr **err);
/* After a command's option loop (c: the last opt_next() result): the
 * operand count checked with cobra's words (min..max, max < 0: no
 * limit), then --help, then the full runtime. 1: go on; else what the
 * command returns (it freed). */
int cmd_begin(struct cmd_ctx *cx, struct opt_it *it, int c, int min, int max,
              struct runtime **rt, struct berr **err);
/* An `exists` command with no options of its own and one operand: exit
 * 0 when exists(rt, operand), 1 when not (125 on a usage error). */
int cmd_exists_run(struct cmd_ctx *cx, int argc, char **argv,
                   bool (*exists)(struct runtime *rt, const char *name), struct berr **err);
/* Wrong operand count: podman's words, exit 125. */
int cmd_usage_err(struct cmd_ctx *cx, struct berr **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The global options (cmd/gopts.c): their table; applying one to a
 * struct gopts (before or after the command name); freeing what they set. */
extern const struct cmd_opt global_opts[];
int gopts_apply(void *g, const struct cmd_opt *o, const char *arg, bool bval, struct berr **err);
/* Once all flags are read: --debug, the --log-level check (podman's bare
 * message, exit 1), --noout. prog names berth as invoked. */
int gopts_finish(struct gopts *g, const char *prog, struct berr **err);
void gopts_free(struct gopts *g);
/* The command tree (cmd/table.c). cmd_find: the command of a group
 * named or aliased name, false if none. cmd_sub_next: the group's next
 * command after *s in name order (start from { 0 }), false after the
 * last; help lists commands sorted by name, as podman's does.
 * cmd_is_top: c is (also) a top-level command. */
bool cmd_find(const struct cmd *group, const char *name, struct cmd_sub *out);
bool cmd_sub_next(const struct cmd *group, struct cmd_sub *s);
bool cmd_is_top(const struct cmd *c);
#define cmd_foreach_sub(group, s) for (struct cmd_sub s = { 0 }; cmd_sub_next(group, &s);)

/* Prints "Error: msg" on stderr, escaped, so text that came from an
 * archive, a record or a flag cannot drive the terminal. The one error
 * printer: main() and cmd_err_next() use it. */
void cmd_print_error(const char *msg);
/* For commands that go on after a failure (rm a b c): e (taken over)
 * becomes the error the command will return, and the one it replaces is
 * printed at once as "Error: ..." on stderr, as podman prints every
 * failure; main() prints the last. */
void cmd_err_next(struct berr **last, struct berr *e);
/* The other way round, as podman's inspect of pods and networks: the
 * first error kept in *first (the command's), each later one printed at
 * once as an "error ..." line and freed. */
void cmd_err_first(struct berr **first, struct berr *e);

/* The answer to the question just printed on stdout, a line of stdin: 1
 * when it starts with "y" or "Y", 0 for any other; -1 (podman's "EOF")
 * when stdin ends before the line does. */
int cmd_answer(struct berr **err);
/* A prune's question: prints "WARNING! <warning>\nAre you sure you want to
 * continue? [y/N] " on stdout, as podman, and reads the answer
 * (cmd_answer). */
int cmd_confirm(const char *warning, struct berr **err);

/* Drops the runtime and anything else the context holds. */
void cmd_ctx_release(struct cmd_ctx *cx);

/* Verbose output helpers for --log-level debug/info, on stderr. */
void cmd_debug(struct cmd_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
