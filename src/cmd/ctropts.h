/*
 * cmd/ctropts.h: the options of `create` and `run`, parsed into
 *
 *  - o->ctr: the container's create-time configuration, exactly the JSON
 *    object runtime/spec.h describes (the fields spec_build() reads), and
 *  - the rest of struct ctropts: what the lifecycle and the command need
 *    but the OCI spec does not (image, name, stdio, logging, restart,
 *    networks, ports, DNS, ...).
 *
 * Everything that can be checked without the runtime is checked here, with
 * podman 4.3.1's words where scripts may look for them, so a bad value
 * fails (125) before anything is created. What needs the runtime (the
 * image, a container named in container:NAME, network names, a free name)
 * is left to the caller.
 *
 * Usage (cmd/run.c):
 *
 *     _cleanup_(ctropts_free) struct ctropts o = { 0 };
 *     int r = ctropts_parse(cx, argc, argv, is_run, &o, err);
 *     if (r < 0 || o.help)
 *         return r;
 *     ... then cx_runtime(), json_object_set_new(o.ctr, "id", ...), ...
 */
#ifndef BERTH_CTROPTS_H
#define BERTH_CTROPTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cmd/cmd.h"
#include "runtime/image_pull.h"

/* The option tables (podman's names, letters and placeholders). `run` has
 * a few more than `create`: -d, --detach-keys, --sig-proxy, --rmi,
 * --preserve-fds, --passwd. Both commands must set
 * CMD_STOP_AT_OPERAND | CMD_H_NOT_HELP. */
extern const struct cmd_opt ctr_create_opts[];
extern const struct cmd_opt ctr_run_opts[];

enum ctr_pull {
    CTR_PULL_MISSING = 0,       /* default: pull only when not present */
    CTR_PULL_NEVER,
    CTR_PULL_ALWAYS,
    CTR_PULL_NEWER,
};

enum ctr_restart {
    CTR_RESTART_NO = 0,         /* "no" or "" (default) */
    CTR_RESTART_ON_FAILURE,     /* "on-failure[:N]"; N in restart_retries */
    CTR_RESTART_ALWAYS,
    CTR_RESTART_UNLESS_STOPPED,
};

/* One network to join (bridge mode). From --network NAME[:opts] (opts:
 * alias=, ip=, ip6=, mac=, interface_name=) and, when there is exactly one
 * network, --network-alias, --ip, --ip6, --mac-address. */
struct ctr_network {
    char *name;                 /* NULL: the default network ("bridge", "private"
                                   or no --network at all) */
    char **aliases;             /* NULL or a strv */
    char *ip, *ip6, *mac;       /* validated text, NULL when not given */
    char *interface_name;       /* NULL: the backend's choice (eth0, ...) */
};

struct ctropts {
    /* The spec.h create-time configuration: a new object owned by this
     * struct. Never holds "id" or "createdTime"; the caller adds those.
     * Only fields the user set are present, so "absent" keeps meaning
     * "the image's value / the config's default", as spec.h says.
     * Details of what this parser puts there:
     *  - command: the operands after the image (absent when none);
     *    entrypoint: --entrypoint "" -> [], a JSON array text -> that
     *    array, else [value].
     *  - env: "K=V" strings, already resolved against our own environment
     *    (-e K and env-file lines "K" take our value, -e 'K*' every
     *    variable starting with K; unset ones are dropped), one per key,
     *    the last value winning, in order of first appearance.
     *  - mounts: type "bind" (source absolute, existing; options as given
     *    minus copy/nocopy, relabel=shared|private as z|Z, plus "rw" unless
     *    ro/rw or O given), "tmpfs" (source "tmpfs"; options as given,
     *    size/mode from tmpfs-size/tmpfs-mode), "volume" (name, absent for
     *    an anonymous one; options as given), "devpts", "image" (source the
     *    image; options ["ro"] or ["rw"]). Destinations are cleaned and
     *    unique. volumesFrom: the --volumes-from values, checked;
     *    imageVolume: the --image-volume mode. The runtime resolves these
     *    three at create (runtime/ctr_mounts.h).
     *  - namespaces.network: "bridge", "none", "host", "container:NAME"
     *    (NAME as typed: the caller resolves it to an id), "ns:PATH".
     *    pid/ipc/uts: "private", "host", "container:NAME", "ns:PATH"
     *    (ipc "shareable" is stored as "private").
     *  - capAdd/capDrop: canonical "CAP_X" names or "ALL".
     *  - securityOpts: as given; seccomp=FILE made absolute.
     *  - initPath, seccomp files, bind sources: absolute paths. */
    json_t *ctr;

    bool help;                  /* --help was given and printed: return 0 */

    /* The first operand: an image reference, or with --rootfs an existing
     * directory, made absolute. */
    char *image;
    bool rootfs;                /* --rootfs: image is a root file system dir */

    char *name;                 /* --name, validated; NULL: generate one */
    bool replace;               /* --replace: remove a container of that name
                                   first (requires --name) */
    bool quiet;                 /* -q: no pull progress on stderr */
    enum ctr_pull pull;         /* --pull */
    struct img_reg_opts reg;    /* --authfile, --tls-verify: for a pull */
    const char *arch, *os, *variant, *platform;     /* a pull's platform (argv's) */

    /* stdio. attach_* are what `run` attaches to: with -a, exactly the
     * streams named; else, when not detached, stdout and stderr, and stdin
     * with -i. All false for `create` without -a. */
    bool detach;                /* -d (run only) */
    bool interactive;           /* -i: keep stdin open (also ctr.stdin) */
    bool tty;                   /* -t (also ctr.terminal) */
    bool attach_stdin, attach_stdout, attach_stderr;
    bool attach_given;          /* -a was used */
    char *detach_keys;          /* --detach-keys, validated; NULL: the config's
                                   default; "" disables detaching */
    bool sig_proxy;             /* --sig-proxy (run; default true) */
    unsigned preserve_fds;      /* --preserve-fds (run): fds 3.. checked open */
    bool rmi;                   /* --rmi (run): remove the image after --rm */

    bool rm;                    /* --rm (also ctr.rm) */
    char *cidfile;              /* --cidfile: checked absent now; the caller
                                   writes it with O_EXCL after create */

    /* logging */
    char *log_driver;           /* "k8s-file", "json-file" (the same), "none",
                                   "passthrough"; NULL: the config's default */
    char *log_path;             /* --log-opt path=; NULL: default */
    long long log_max_size;     /* --log-opt max-size= in bytes; -1: not set */
    char *log_tag;              /* --log-opt tag=; NULL: none */

    /* restart and stop */
    enum ctr_restart restart;
    bool restart_no;            /* --restart no given: podman records "no",
                                   "" when none was */
    unsigned restart_retries;   /* on-failure:N; 0 = no limit */
    bool stop_timeout_set;      /* --stop-timeout given */
    unsigned long long stop_timeout;    /* seconds (else config default, 10) */
    unsigned long long timeout;         /* --timeout seconds; 0 = none */

    char *cgroup_parent;        /* --cgroup-parent; NULL: default */
    char *pod;                  /* --pod, or the id --pod-id-file holds; NULL none */

    /* networking (the network layer parses ports; here only checked for a
     * known protocol). With --network none/host/container:/ns: ports are
     * dropped with podman's warning. */
    struct ctr_network *networks;       /* bridge mode: the networks to join */
    size_t nnetworks;                   /* 0: no --network (default network) */
    char **ports;               /* -p as typed (comma lists split), NULL: none */
    bool publish_all;           /* -P (also ctr.publishAll) */
    char **expose;              /* --expose: "80/tcp", "90-95/udp"; proto
                                   defaulted to tcp */
    char **dns, **dns_search, **dns_options;
    char **add_hosts;           /* "host:ip", validated */

    json_t *params_json;        /* owned: the JSON lists ctropts_create_params()
                                   points a ctr_create_params at */
};

/* Parses argv (argv[0] the command name) with cx->cmd's table. Returns 0
 * (o->help set if --help was printed) or -1 with *err set (exit 125).
 * On failure o still owns what it has; ctropts_free() it either way. */
int ctropts_parse(struct cmd_ctx *cx, int argc, char **argv, bool is_run, struct ctropts *o,
                  struct berr **err);
void ctropts_free(struct ctropts *o);
/* pod create: the flags it shares with create (network, ports, DNS,
 * hosts, hostname, labels, volumes, resources, cgroup parent, name,
 * replace) parsed into o as create's are; a flag of its own table that
 * create lacks goes to own(arg, it, err) (0, or -1 with *err). Operands
 * are left in no field: pod create takes none. */
struct opt_it;
int ctropts_parse_pod(struct cmd_ctx *cx, int argc, char **argv, struct ctropts *o,
                      int (*own)(void *arg, struct opt_it *it, struct berr **err), void *arg,
                      struct berr **err);
/* pod clone: the same, with operands POD [NAME]: POD goes to o->image,
 * NAME to o->name unless --name set it. */
int ctropts_parse_pod_clone(struct cmd_ctx *cx, int argc, char **argv, struct ctropts *o,
                            int (*own)(void *arg, struct opt_it *it, struct berr **err),
                            void *arg, struct berr **err);

/* Fills p (runtime/container.h) for ctr_create() from a parsed o. p borrows
 * from o: keep o until ctr_create() returns. Not carried by p (the caller's
 * business): detach/attach, detach_keys, sig_proxy, rmi, cidfile, pull,
 * quiet, replace, timeout, expose. */
struct ctr_create_params;
int ctropts_create_params(struct ctropts *o, struct ctr_create_params *p, struct berr **err);

/* Helpers shared with other commands (and unit tests). */
/* docker/podman sizes: "10", "10b", "1.5k", "10KB", "1g", "2 MiB" (1024
 * units, case-insensitive). Error text: invalid size: 'x'. */
int ctropts_parse_size(const char *s, long long *out, struct berr **err);
/* "SIGTERM", "term", "15", "RTMIN+3" -> the number; -1 if unknown. */
int ctropts_parse_signal(const char *s);

#endif
