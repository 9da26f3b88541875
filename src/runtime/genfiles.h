/*
 * runtime/genfiles.h: the files berth generates into a container's run
 * directory and bind-mounts (SPEC-podman.md §4.7): /etc/hosts,
 * /etc/resolv.conf, /etc/hostname and /run/.containerenv. The builders are
 * pure (text in, malloc'd text out, NULL only when out of memory);
 * genfiles_write() puts one into place atomically.
 */
#ifndef BERTH_GENFILES_H
#define BERTH_GENFILES_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/err.h"

struct hosts_opts {
    char **add_hosts;           /* --add-host "name:ip" ("host-gateway" = host_ip) */
    const char *base;           /* base hosts file text (host's or image's); NULL: none */
    const char *host_ip;        /* host.containers.internal address; NULL/"": none */
    const char *hostname;
    const char *name;           /* container name */
    char **aliases;             /* network aliases, written after the name */
    char **ips;                 /* container addresses; NULL/empty: 127.0.0.1 */
};

/* /etc/hosts: first the --add-host entries, then the base file's entries
 * (comments and blank lines dropped) as "<ip>\t<names>"; then
 * "127.0.0.1 localhost", "::1 localhost", "<host_ip> host.containers.internal"
 * and "<ip> <hostname> <name> <aliases>" per address, where a name is
 * written only if no line of the first part already has it and an entry
 * left with no names is skipped. --no-hosts is the caller's (no file). */
char *genfiles_hosts(const struct hosts_opts *o);

struct resolv_opts {
    const char *host;           /* the host's resolv.conf text; NULL: none */
    bool private_netns;         /* drop 127.0.0.0/8 and ::1 resolvers of the host */
    bool ipv6;                  /* keep the host's IPv6 resolvers */
    char **servers;             /* dns_servers + --dns: replace everything */
    char **searches;            /* dns_searches + --dns-search ("." alone: none) */
    char **options;             /* dns_options + --dns-option */
    char **net_servers;         /* the network's resolvers (aardvark), first */
    char **net_searches;
};

/* /etc/resolv.conf: "search ...", "nameserver ..." lines, "options ...".
 * Without --dns: the network's servers then the host's (filtered as
 * above); when none remain, 8.8.8.8 and 8.8.4.4 (and Google's IPv6 pair
 * with ipv6). Search domains and options: the user's if given, else the
 * network's + host's. */
char *genfiles_resolv(const struct resolv_opts *o);

/* The host resolv.conf to start from: /etc/resolv.conf, or systemd-resolved's
 * /run/systemd/resolve/resolv.conf when the only server is 127.0.0.53, or
 * NetworkManager's no-stub file for 127.0.0.1 (when those exist). Returns
 * its text in *out (NULL if unreadable; not an error). */
int genfiles_read_host_resolv(char **out, struct berr **err);

/* /etc/hostname: the name without a newline. */
char *genfiles_hostname(const char *hostname);

struct containerenv {
    bool privileged;            /* only privileged containers get content */
    const char *name, *id, *image, *image_id;
    bool rootless, graph_root_mounted;
};
/* /run/.containerenv: empty, or for privileged containers
 * engine="berth-<version>", name, id, image, imageid, rootless=0|1 and
 * graphRootMounted=1 when set. */
char *genfiles_containerenv(const struct containerenv *e);

/* Writes dir/name atomically for readers, unsynced (fs_write_replace: the
 * files are rebuilt at every init), with mode (0644 for these). */
int genfiles_write(const char *dir, const char *name, const char *text, mode_t mode,
                   struct berr **err);

#endif
