/*
 * cmd/ctropts_table.c: the option tables of `create` and `run`: podman
 * 4.3.1's names, letters and value placeholders, our own help texts.
 * --help, the man pages and the completions are generated from them.
 */
#include "cmd/ctropts_int.h"
#include "cmd/resopts.h"

/* The tables are podman's alphabetical order; run has four more flags, so
 * the shared runs of entries are macros. */
#define OPTS_A                                                                                  \
    { "add-host", O_ADD_HOST, OPT_ARG, "strings", "Add a line to /etc/hosts (host:ip)", 0 },   \
    { "annotation", O_ANNOTATION, OPT_ARG, "strings", "Add an OCI annotation (key=value)", 0 }, \
    { "arch", O_ARCH, OPT_ARG, "ARCH", "use ARCH instead of the architecture of the machine for choosing images", 0 }, \
    { "attach", 'a', OPT_ARG, "strings", "Attach to stdin, stdout or stderr (repeatable)", 0 }, \
    { "authfile", O_AUTHFILE, OPT_ARG, "string", "Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override", 0 }, \
    RESOPTS_BLKIO                                                                               \
    { "cap-add", O_CAP_ADD, OPT_ARG, "strings", "Give the container these capabilities", 0 },  \
    { "cap-drop", O_CAP_DROP, OPT_ARG, "strings", "Take these capabilities away ('all': every one)", 0 }, \
    { "cgroup-conf", O_CGROUP_CONF, OPT_ARG, "strings", "A cgroup v2 file to write: KEY=VALUE (memory.high=1g)", 0 }, \
    { "cgroup-parent", O_CGROUP_PARENT, OPT_ARG, "string", "Parent cgroup of the container's cgroup", 0 }, \
    { "cgroupns", O_CGROUPNS, OPT_ARG, "string", "Cgroup namespace: host, private, container:NAME or ns:PATH (default: host on cgroup v1, private on v2)", 0 }, \
    { "cgroups", O_CGROUPS, OPT_ARG, "string", "enabled, disabled (no cgroup: crun only), no-conmon, or split (under berth's own cgroup) (default \"enabled\")", 0 }, \
    { "chrootdirs", O_CHROOTDIRS, OPT_ARG, "strings", "Directories inside the container that also get the generated /etc/hosts and /etc/resolv.conf", 0 }, \
    { "cidfile", O_CIDFILE, OPT_ARG, "string", "Write the container ID to this file (which must not exist)", 0 }, \
    { "conmon-pidfile", O_CONMON_PIDFILE, OPT_ARG, "string", "Path where conmon writes its PID at each start; a relative one is from the current directory (default: the container's run dir)", 0 }, \
    RESOPTS_CPU

#define OPTS_RUN_D                                                                              \
    { "detach", 'd', OPT_FLAG, NULL, "Run in the background and print the container ID", 0 },   \
    { "detach-keys", O_DETACH_KEYS, OPT_ARG, "[a-Z]", "Key sequence that detaches from the container: a letter or ctrl-<key>, comma separated (default \"ctrl-p,ctrl-q\"; \"\" disables)", 0 },

/* run only (podman's create has no --passwd) */
#define OPTS_RUN_PASSWD                                                                   \
    { "passwd", O_PASSWD, OPT_FLAG, NULL, "Add entries for a numeric --user and --hostuser to /etc/passwd and /etc/group (default true)", 0 },

#define OPTS_RUN_PRESERVE_FDS                                                             \
    { "preserve-fds", O_PRESERVE_FDS, OPT_ARG, "uint", "Pass our file descriptors 3 to 3+N-1 on to the container (default 0)", 0 },

/* B(P, F): P and F are run's --passwd and --preserve-fds, nothing for create */
#define OPTS_B(P, F)                                                                             \
    { "device", O_DEVICE, OPT_ARG, "strings", "Give the container a host device (/dev/x[:/dev/y][:rwm])", 0 }, \
    { "device-cgroup-rule", O_DEVICE_CGROUP_RULE, OPT_ARG, "strings", "Allow devices in the devices cgroup: 'c 1:3 rwm', 'b 8:* r'", 0 }, \
    RESOPTS_DEVICE_IO                                                                           \
    { "disable-content-trust", O_DCT, OPT_FLAG, NULL, "This is a Docker specific option and is a NOOP", 0 }, \
    { "dns", O_DNS, OPT_ARG, "strings", "DNS servers for /etc/resolv.conf", 0 },               \
    { "dns-option", O_DNS_OPTION, OPT_ARG, "strings", "Options for /etc/resolv.conf", 0 },     \
    { "dns-opt", O_DNS_OPTION, OPT_ARG, "strings", "Same as --dns-option", OPT_HIDDEN },      \
    { "dns-search", O_DNS_SEARCH, OPT_ARG, "strings", "Search domains for /etc/resolv.conf", 0 }, \
    { "entrypoint", O_ENTRYPOINT, OPT_ARG, "string", "Replace the image's ENTRYPOINT (a word or a JSON array; \"\" clears it)", 0 }, \
    { "env", 'e', OPT_ARG, "stringArray", "Set an environment variable (K=V; K alone copies ours)", 0 }, \
    { "env-file", O_ENV_FILE, OPT_ARG, "strings", "Read environment variables from a file, one K=V per line", 0 }, \
    { "env-host", O_ENV_HOST, OPT_FLAG, NULL, "Pass our whole environment into the container", 0 }, \
    { "env-merge", O_ENV_MERGE, OPT_ARG, "stringArray", "Rewrite a default variable (image, config) with ${VAR} references: PATH=/opt/bin:${PATH}", 0 }, \
    { "expose", O_EXPOSE, OPT_ARG, "strings", "Declare a port or range as exposed (for -P)", 0 }, \
    { "gidmap", O_GIDMAP, OPT_ARG, "strings", "GID map of the user namespace: CONTAINER:HOST:SIZE (repeatable; default: the --uidmap)", 0 }, \
    { "group-add", O_GROUP_ADD, OPT_ARG, "strings", "Extra groups for the container's process", 0 }, \
    { "health-cmd", O_HEALTH_CMD, OPT_ARG, "string", "Health check command: a shell command line, or a JSON array (exec form); \"none\" turns off the image's", 0 }, \
    { "health-interval", O_HEALTH_INTERVAL, OPT_ARG, "string", "Time between health checks (\"disable\": only healthcheck run) (default \"30s\")", 0 }, \
    { "health-on-failure", O_HEALTH_ON_FAILURE, OPT_ARG, "string", "What to do when the container turns unhealthy: none, kill, restart or stop (default \"none\")", 0 }, \
    { "health-retries", O_HEALTH_RETRIES, OPT_ARG, "uint", "Consecutive failures that make the container unhealthy (default 3)", 0 }, \
    { "health-start-period", O_HEALTH_START_PERIOD, OPT_ARG, "string", "Time after start when failures do not count yet (default \"0s\")", 0 }, \
    { "health-startup-cmd", O_HEALTH_STARTUP_CMD, OPT_ARG, "string", "A startup check (podman 4.4): run before the health check until it passes; forms as --health-cmd", 0 }, \
    { "health-startup-interval", O_HEALTH_STARTUP_INTERVAL, OPT_ARG, "string", "Time between startup checks (default \"30s\")", 0 }, \
    { "health-startup-retries", O_HEALTH_STARTUP_RETRIES, OPT_ARG, "uint", "Failed startup checks in a row after which the container is restarted (0: never)", 0 }, \
    { "health-startup-success", O_HEALTH_STARTUP_SUCCESS, OPT_ARG, "uint", "Passed startup checks in a row that end the startup phase (0: one)", 0 }, \
    { "health-startup-timeout", O_HEALTH_STARTUP_TIMEOUT, OPT_ARG, "string", "Time a startup check may take (default \"30s\")", 0 }, \
    { "health-timeout", O_HEALTH_TIMEOUT, OPT_ARG, "string", "Time a check may take before it is killed and counts as failed (default \"30s\")", 0 }, \
    { "hostname", 'h', OPT_ARG, "string", "The container's host name", 0 },                    \
    { "hostuser", O_HOSTUSER, OPT_ARG, "strings", "Add this host user's account (name or UID) to /etc/passwd in the container", 0 }, \
    { "http-proxy", O_HTTP_PROXY, OPT_FLAG, NULL, "Pass our proxy variables into the container (default true)", 0 }, \
    { "image-volume", O_IMAGE_VOLUME, OPT_ARG, "string", "What the image's VOLUMEs become: bind (new anonymous volumes), tmpfs or ignore (default \"bind\")", 0 }, \
    { "init", O_INIT, OPT_FLAG, NULL, "Run an init process as PID 1 that reaps zombies and forwards signals", 0 }, \
    { "init-path", O_INIT_PATH, OPT_ARG, "string", "The init binary for --init", 0 },           \
    { "interactive", 'i', OPT_FLAG, NULL, "Keep the container's stdin open", 0 },              \
    { "ip", O_IP, OPT_ARG, "string", "A fixed IPv4 address on the network", 0 },              \
    { "ip6", O_IP6, OPT_ARG, "string", "A fixed IPv6 address on the network", 0 },            \
    { "ipc", O_IPC, OPT_ARG, "string", "IPC namespace: shareable (the default), private, none, host, container:NAME (NAME's shareable) or ns:PATH", 0 }, \
    { "label", 'l', OPT_ARG, "stringArray", "Attach a label (key=value) to the container", 0 }, \
    { "label-file", O_LABEL_FILE, OPT_ARG, "strings", "Read labels from a file, one key=value per line", 0 }, \
    { "log-driver", O_LOG_DRIVER, OPT_ARG, "string", "Where the output goes: k8s-file, journald, none or passthrough (default \"k8s-file\"); journald needs a listening journal at create", 0 }, \
    { "log-opt", O_LOG_OPT, OPT_ARG, "strings", "Log options: path=FILE, max-size=SIZE, tag=TEXT", 0 }, \
    { "mac-address", O_MAC, OPT_ARG, "string", "A fixed MAC address (e.g. 92:d0:c6:0a:29:33)", 0 }, \
    RESOPTS_MEMORY                                                                              \
    { "kernel-memory", O_KERNEL_MEMORY, OPT_ARG, "string", "No longer supported: a no-op with a warning", OPT_HIDDEN }, \
    { "mount", O_MOUNT, OPT_ARG, "stringArray", "Add a mount: type=bind|volume|tmpfs|devpts|image,src=...,dst=...[,options]", 0 }, \
    { "name", O_NAME, OPT_ARG, "string", "Name the container", 0 },                            \
    { "net", O_NETWORK, OPT_ARG, "stringArray", "Same as --network", OPT_HIDDEN },              \
    { "network", O_NETWORK, OPT_ARG, "stringArray", "Network mode: bridge, none, host, container:NAME, ns:PATH, slirp4netns[:OPTIONS], or network names", 0 }, \
    { "network-alias", O_NETWORK_ALIAS, OPT_ARG, "strings", "Another DNS name for the container on its network", 0 }, \
    { "no-healthcheck", O_NO_HEALTHCHECK, OPT_FLAG, NULL, "Run no health check, not even the image's", 0 }, \
    { "no-hosts", O_NO_HOSTS, OPT_FLAG, NULL, "Keep the image's /etc/hosts instead of writing one", 0 }, \
    RESOPTS_OOM                                                                                 \
    { "oom-score-adj", O_OOM_SCORE_ADJ, OPT_ARG, "int", "OOM killer preference (-1000 to 1000)", 0 }, \
    { "os", O_OS, OPT_ARG, "OS", "use OS instead of the running OS for choosing images", 0 }, \
    P                                                                                           \
    { "passwd-entry", O_PASSWD_ENTRY, OPT_ARG, "string", "Template of the /etc/passwd entry berth adds: $USERNAME, $UID, $GID, $NAME, $HOME", 0 }, \
    { "personality", O_PERSONALITY, OPT_ARG, "string", "Execution domain: LINUX or LINUX32 (crun; runc 1.1 ignores it)", 0 }, \
    { "pid", O_PID, OPT_ARG, "string", "PID namespace: private, host, container:NAME or ns:PATH", 0 }, \
    { "pidfile", O_PIDFILE, OPT_ARG, "string", "Path where the runtime writes the container's PID at each start; a relative one is from the current directory, where podman 4.3.1 fails (default: the container's run dir)", 0 }, \
    RESOPTS_PIDS                                                                                \
    { "platform", O_PLATFORM, OPT_ARG, "string", "Specify the platform for selecting the image.  (Conflicts with --arch and --os)", 0 }, \
    { "pod", O_POD, OPT_ARG, "string", "Run in this pod (name or id), or in a new one: new:NAME", 0 }, \
    { "pod-id-file", O_POD_ID_FILE, OPT_ARG, "string", "Run in the pod whose id this file holds", 0 }, \
    F                                                                                           \
    { "privileged", O_PRIVILEGED, OPT_FLAG, NULL, "Give the container all capabilities and host devices", 0 }, \
    { "publish", 'p', OPT_ARG, "strings", "Publish a port: [[ip:][hostPort]:]containerPort[/proto]", 0 }, \
    { "publish-all", 'P', OPT_FLAG, NULL, "Publish every exposed port on a random host port", 0 }, \
    { "pull", O_PULL, OPT_ARG, "string", "When to pull the image: missing, always, never or newer (default \"missing\")", 0 }, \
    { "quiet", 'q', OPT_FLAG, NULL, "Do not report progress while pulling the image", 0 },      \
    { "read-only", O_READ_ONLY, OPT_FLAG, NULL, "Mount the root file system read-only", 0 },    \
    { "read-only-tmpfs", O_READ_ONLY_TMPFS, OPT_FLAG, NULL, "With --read-only, writable tmpfs on /run, /tmp and /var/tmp (default true)", 0 }, \
    { "replace", O_REPLACE, OPT_FLAG, NULL, "Remove an existing container of the same --name first", 0 }, \
    { "requires", O_REQUIRES, OPT_ARG, "strings", "Containers started before this one, by name or ID; NAME:healthy also waits until its health check passes", 0 }, \
    { "restart", O_RESTART, OPT_ARG, "string", "Restart policy: no, on-failure[:N], always or unless-stopped. berth has no daemon: the cleanup process conmon runs when the container exits applies it (with docker's back-off; never after a stop), and `berth system boot` after a reboot", 0 }, \
    { "rm", O_RM, OPT_FLAG, NULL, "Remove the container once it exits (its overlay is volatile: never synced to disk)", 0 },

#define OPTS_RUN_RMI                                                                            \
    { "rmi", O_RMI, OPT_FLAG, NULL, "With --rm, also remove the image if no container uses it", 0 },

#define OPTS_C                                                                                  \
    { "rootfs", O_ROOTFS, OPT_FLAG, NULL, "The first operand is a root file system directory, not an image", 0 }, \
    { "sdnotify", O_SDNOTIFY, OPT_ARG, "string", "With $NOTIFY_SOCKET set: container (tell MAINPID; the container gets the socket at /run/notify/notify.sock and its READY=1 is relayed), conmon (MAINPID and READY=1 once started) or ignore (default \"container\")", 0 }, \
    { "seccomp-policy", O_SECCOMP_POLICY, OPT_ARG, "string", "Seccomp profile: default, or image (the image's io.containers.seccomp.profile label) (default \"default\")", 0 }, \
    { "secret", O_SECRET, OPT_ARG, "stringArray", "Add secret NAME[,type=mount|env,target=PATH|VAR,uid=N,gid=N,mode=OCTAL]: a file at /run/secrets/NAME (or target), or an environment variable (its value is also in the OCI runtime's config.json, mode 0600; podman's is 0644)", 0 }, \
    { "security-opt", O_SECURITY_OPT, OPT_ARG, "stringArray", "Security options: seccomp=unconfined|FILE, no-new-privileges, mask=PATHS, unmask=PATHS|ALL", 0 }, \
    { "shm-size", O_SHM_SIZE, OPT_ARG, "<number>[<unit>]", "Size of /dev/shm (default from the config, 64m)", 0 },

#define OPTS_RUN_SIG                                                                            \
    { "sig-proxy", O_SIG_PROXY, OPT_FLAG, NULL, "Forward the signals we receive to the container (default true)", 0 },

#define OPTS_D                                                                                  \
    { "stop-signal", O_STOP_SIGNAL, OPT_ARG, "string", "Signal that stops the container (default SIGTERM)", 0 }, \
    { "stop-timeout", O_STOP_TIMEOUT, OPT_ARG, "uint", "Seconds to wait after the stop signal before SIGKILL (default 10)", 0 }, \
    { "subgidname", O_SUBGIDNAME, OPT_ARG, "string", "Map the user namespace's GIDs to this name's ranges in /etc/subgid ($BERTH_SUBGID_FILE)", 0 }, \
    { "subuidname", O_SUBUIDNAME, OPT_ARG, "string", "Map the user namespace's UIDs to this name's ranges in /etc/subuid ($BERTH_SUBUID_FILE)", 0 }, \
    { "sysctl", O_SYSCTL, OPT_ARG, "strings", "Set a namespaced kernel parameter (key=value)", 0 }, \
    { "systemd", O_SYSTEMD, OPT_ARG, "string", "Systemd mode (tmpfs /run, /tmp, the systemd cgroup, SIGRTMIN+3): true (when the command is init or systemd), false or always (default \"true\")", 0 }, \
    { "timeout", O_TIMEOUT, OPT_ARG, "uint", "Kill the container after this many seconds (0: never)", 0 }, \
    { "tls-verify", O_TLS_VERIFY, OPT_FLAG, NULL, "Require HTTPS and verify certificates when contacting registries for pulling images", 0 }, \
    { "tmpfs", O_TMPFS, OPT_ARG, "tmpfs", "Mount a tmpfs: /dir[:options]", 0 },               \
    { "tty", 't', OPT_FLAG, NULL, "Give the container a terminal", 0 },                        \
    { "tz", O_TZ, OPT_ARG, "string", "Time zone in the container: a zone name or 'local'", 0 }, \
    { "uidmap", O_UIDMAP, OPT_ARG, "strings", "UID map of the user namespace: CONTAINER:HOST:SIZE (repeatable; default: the --gidmap)", 0 }, \
    { "ulimit", O_ULIMIT, OPT_ARG, "strings", "Resource limit: name=soft[:hard], or 'host'", 0 }, \
    { "umask", O_UMASK, OPT_ARG, "string", "umask of the container's process (default \"0022\")", 0 }, \
    { "unsetenv", O_UNSETENV, OPT_ARG, "stringArray", "Drop a default variable (image, config, PATH, TERM, container)", 0 }, \
    { "unsetenv-all", O_UNSETENV_ALL, OPT_FLAG, NULL, "Drop every default variable", 0 }, \
    { "user", 'u', OPT_ARG, "string", "Run as this user: name|uid[:group|gid]", 0 },           \
    { "userns", O_USERNS, OPT_ARG, "string", "User namespace: host, private (with maps), auto[:size=N,uidmapping=C:H:S,gidmapping=C:H:S] (ranges of the \"containers\" user in /etc/subuid, /etc/subgid), ns:PATH or container:NAME; the image's layers are mapped by idmapped mounts, or where the kernel refuses them by a chowned copy of the image made once per mapping", 0 }, \
    { "uts", O_UTS, OPT_ARG, "string", "UTS namespace: private, host, container:NAME or ns:PATH", 0 }, \
    { "variant", O_VARIANT, OPT_ARG, "VARIANT", "Use VARIANT instead of the running architecture variant for choosing images", 0 }, \
    { "volume", 'v', OPT_ARG, "stringArray", "Mount a host path (/src:/dst), a named volume (NAME:/dst, made on first use) or a new anonymous volume (/dst); options after a second colon", 0 }, \
    { "volumes-from", O_VOLUMES_FROM, OPT_ARG, "stringArray", "Mount every volume and bind mount of another container: CTR[:ro|rw]", 0 }, \
    { "workdir", 'w', OPT_ARG, "string", "Working directory of the container's process", 0 },

const struct cmd_opt ctr_create_opts[] = { OPTS_A OPTS_B(, ) OPTS_C OPTS_D { 0 } };
const struct cmd_opt ctr_run_opts[] = {
    OPTS_A OPTS_RUN_D OPTS_B(OPTS_RUN_PASSWD, OPTS_RUN_PRESERVE_FDS) OPTS_RUN_RMI OPTS_C OPTS_RUN_SIG OPTS_D { 0 }
};

