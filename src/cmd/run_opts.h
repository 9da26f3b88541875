/*
 * cmd/run_opts.h: the flags of create and run, parsed into the container's
 * create-time configuration (runtime/spec.h) and the create parameters
 * (runtime/container.h).
 */
#ifndef BERTH_RUN_OPTS_H
#define BERTH_RUN_OPTS_H

#include <jansson.h>

#include "cmd/cmd.h"
#include "runtime/container.h"

extern const struct cmd_opt run_opts[];

struct run_args {
    json_t *spec;               /* runtime/spec.h create-time config */
    struct ctr_create_params p; /* points into the fields below */
    char *image;                /* or the rootfs dir with --rootfs */
    bool detach, interactive, tty, rm, rootfs, replace, quiet, sig_proxy;
    bool attach_in, attach_out, attach_err, attach_given;
    const char *detach_keys;
    const char *cidfile;
    const char *pull;           /* never | missing | always | newer */
    long long log_size_max;
    json_t *networks, *ports, *dns, *add_hosts;
    char *log_path, *log_tag, *restart, *cgroup_parent, *log_driver, *name;
};

int run_args_parse(struct cmd_ctx *cx, int argc, char **argv, bool is_run, struct run_args *a,
                   bool *help, struct berr **err);
void run_args_free(struct run_args *a);
/* "10m", "1g", "512" -> bytes, docker's RAMInBytes rules. */
int run_parse_size(const char *s, long long *out);

#endif
