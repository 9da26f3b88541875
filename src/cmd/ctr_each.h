/*
 * cmd/ctr_each.h: running one operation over several containers, the
 * way podman's CLI does: each success prints the name the user gave;
 * each failure but the last is printed at once, the last one is returned
 * (main prints it), so the exit code follows the last failure. Named
 * containers are all looked up first: one that does not exist fails the
 * command before anything is done (unless --ignore, or rm -f).
 */
#ifndef BERTH_CTR_EACH_H
#define BERTH_CTR_EACH_H

#include "cmd/cmd.h"
#include "runtime/container.h"

struct ctr_each {
    struct runtime *rt;
    bool all;                   /* act on every container */
    bool ignore;                /* --ignore: no such container is fine */
    bool quiet;                 /* print nothing on success */
    bool latest;                /* -l: the most recently created */
    bool any;                   /* damaged records too (rm): ctr_get_any */
    bool external;              /* rm -f: a name no record has may be a root
                                   file system in the store no record names,
                                   removed (ctr_remove_external) and printed */
    bool listed;                /* the names are full ids the runtime listed
                                   (--filter): one removed meanwhile is skipped */
    /* the operation: on a locked container; may print */
    int (*fn)(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err);
    void *arg;
    /* which exit code a kind of failure gets (0: 125) */
    int code_no_such, code_state;
};

int ctr_each_run(struct ctr_each *e, char **names, int n, struct berr **err);

/* podman's check of how the containers are chosen, in its order and words
 * (validate.CheckAllLatestAndIDFile): --all, --latest, --cidfile (given;
 * has_cidfile: the command has the flag), --filter and n operands. */
int ctr_each_check(bool all, bool latest, int n, bool has_cidfile, bool cidfile, bool filter,
                   struct berr **err);

#endif
