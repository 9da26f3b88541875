/*
 * test_spec.c: the OCI spec of a default container, item by item against
 * SPEC-podman.md §4, then each flag family; user.c's lookup rules.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/seccomp.h"
#include "runtime/spec.h"
#include "runtime/user.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"
#include "unit.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char *default_caps[] = {
    "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP",
    "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", NULL,
};
static char rootfs[] = "/tmp/berth-spec-XXXXXX";
static char *seccomp_path;
static char *host_env[] = { "HOME=/root", "http_proxy=http://proxy:3128", "FOO=from-host",
                            "PATH=/host/bin", NULL };

static void setup_rootfs(void)
{
    _cleanup_free_ char *etc = NULL, *pw = NULL, *gr = NULL;
    FILE *f;

    if (!mkdtemp(rootfs))
        abort();
    etc = fs_join(rootfs, "etc");
    mkdir(etc, 0755);
    {   /* the --workdir of t_misc exists, as spec_build checks */
        _cleanup_free_ char *srv = fs_join(rootfs, "srv");
        mkdir(srv, 0755);
    }
    pw = fs_join(etc, "passwd");
    gr = fs_join(etc, "group");
    f = fopen(pw, "we");
    fputs("root:x:0:0:root:/root:/bin/sh\n# comment\nbin:x:1:1:bin:/bin:/bin/false\n"
          "alice:x:1000:1000:Alice:/home/alice:/bin/sh\nnobody:x:65534:65534::/nonexistent:\n", f);
    fclose(f);
    f = fopen(gr, "we");
    fputs("root:x:0:\nwheel:x:10:alice,bob\naudio:x:29:alice\nalice:x:1000:\n"
          "nogroup:x:65534:\n", f);
    fclose(f);
}

static struct config cfg_default(void)
{
    static char *no_ulimits[] = { NULL };
    struct config c = { 0 };
    c.default_capabilities = default_caps;
    c.default_ulimits = no_ulimits;
    c.pids_limit = 2048;
    c.umask = "0022";
    c.http_proxy = true;
    return c;
}

static struct spec_host host_default(void)
{
    struct spec_host h = { 0 };
    h.bounding = spec_caps_from_mask(0x1fffeffffffULL);     /* no CAP_SYS_RESOURCE */
    for (int r = 0; r < RLIM_NLIMITS; r++)
        h.rlimits[r].rlim_cur = h.rlimits[r].rlim_max = RLIM_INFINITY;
    h.rlimits[RLIMIT_NOFILE].rlim_cur = 1024;
    h.rlimits[RLIMIT_NOFILE].rlim_max = 20000;
    h.rlimits[RLIMIT_NPROC].rlim_cur = h.rlimits[RLIMIT_NPROC].rlim_max = 96364;
    h.swap_accounting = true;
    snprintf(h.hostname, sizeof(h.hostname), "thehost");
    h.environ = host_env;
    h.rootfs = rootfs;
    h.rundir = "/run/b/ctr";
    h.shm_dir = "/run/b/ctr/shm";
    h.seccomp_default = seccomp_path;
    h.created = "2024-01-02T03:04:05.000000006Z";
    return h;
}

/* Builds with ctr/image JSON text; returns the spec or NULL (error text in *emsg). */
static json_t *build(const char *ctr_text, const char *img_text, struct config *cfg,
                     struct spec_host *h, char **emsg)
{
    json_error_t je;
    _cleanup_json_ json_t *ctr = json_loads(ctr_text, 0, &je);
    _cleanup_json_ json_t *img = img_text ? json_loads(img_text, 0, &je) : NULL;
    struct config dc = cfg_default();
    struct spec_host dh = host_default();
    struct berr *err = NULL;
    json_t *out = NULL;

    if (!ctr || (img_text && !img)) {
        printf("# bad test JSON: %s\n", je.text);
        spec_host_free(&dh);
        return NULL;
    }
    if (spec_build(cfg ? cfg : &dc, ctr, img, h ? h : &dh, &out, &err) < 0) {
        if (emsg)
            *emsg = str_dup(err->msg);
        else
            printf("# spec_build: %s\n", err->msg);
        berr_free(err);
    }
    spec_host_free(&dh);
    return out;
}

static char *dump(json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : str_dup("(null)");
}

#define CHECK_JSON(j, want) do { \
    _cleanup_free_ char *d_ = dump(j); \
    CHECK_STR(d_, want); \
} while (0)

static json_t *path(json_t *j, const char *p)
{
    _cleanup_free_ char *copy = str_dup(p);
    char *save = NULL;

    for (char *k = strtok_r(copy, ".", &save); j && k; k = strtok_r(NULL, ".", &save)) {
        char *end;
        long idx = strtol(k, &end, 10);
        j = *end == '\0' && json_is_array(j) ? json_array_get(j, (size_t) idx)
                                             : json_object_get(j, k);
    }
    return j;
}

static bool env_has(json_t *spec, const char *kv)
{
    size_t i;
    json_t *v;

    json_array_foreach(path(spec, "process.env"), i, v)
        if (str_eq(json_string_value(v), kv))
            return true;
    return false;
}

static bool env_key(json_t *spec, const char *k)
{
    size_t i, kl = strlen(k);
    json_t *v;

    json_array_foreach(path(spec, "process.env"), i, v)
        if (strncmp(json_string_value(v), k, kl) == 0 && json_string_value(v)[kl] == '=')
            return true;
    return false;
}

static char *mount_dests(json_t *spec)
{
    struct sbuf b = SBUF_INIT;
    size_t i;
    json_t *m;

    json_array_foreach(path(spec, "mounts"), i, m)
        sbuf_addf(&b, "%s%s", i ? " " : "", json_string_value(json_object_get(m, "destination")));
    return sbuf_steal(&b);
}

static json_t *mount_at(json_t *spec, const char *dst)
{
    size_t i;
    json_t *m;

    json_array_foreach(path(spec, "mounts"), i, m)
        if (str_eq(json_string_value(json_object_get(m, "destination")), dst))
            return m;
    return NULL;
}

static const char *IMG = "{\"Env\":[\"PATH=/img/bin\",\"IMGVAR=1\"],\"Cmd\":[\"sh\"]}";

/* ---- the default container, SPEC §4 item by item ---- */

static void t_default_process(void)
{
    _cleanup_json_ json_t *s = build("{\"id\":\"" ID "\"}", IMG, NULL, NULL, NULL);

    CHECK(s);
    if (!s)
        return;
    CHECK_JSON(path(s, "ociVersion"), "\"1.0.2-dev\"");
    /* podman's: the primary group is the first additional one */
    CHECK_JSON(path(s, "process.user"), "{\"uid\":0,\"gid\":0,\"umask\":18,\"additionalGids\":[0]}");
    CHECK_JSON(path(s, "process.args"), "[\"sh\"]");
    CHECK_JSON(path(s, "process.cwd"), "\"/\"");
    CHECK_JSON(path(s, "process.terminal"), "false");
    CHECK(env_has(s, "PATH=/img/bin"));         /* image wins over the built-in */
    CHECK(env_has(s, "TERM=xterm"));
    CHECK(env_has(s, "container=podman"));
    CHECK(env_has(s, "IMGVAR=1"));
    CHECK(env_has(s, "HOSTNAME=0123456789ab"));
    CHECK(env_has(s, "HOME=/root"));
    CHECK(env_has(s, "http_proxy=http://proxy:3128"));
    CHECK(!env_key(s, "FOO"));
    CHECK_JSON(path(s, "process.capabilities.bounding"),
               "[\"CAP_AUDIT_WRITE\",\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FOWNER\",\"CAP_FSETID\","
               "\"CAP_KILL\",\"CAP_MKNOD\",\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\",\"CAP_SETFCAP\","
               "\"CAP_SETGID\",\"CAP_SETPCAP\",\"CAP_SETUID\",\"CAP_SYS_CHROOT\"]");
    CHECK(json_equal(path(s, "process.capabilities.bounding"), path(s, "process.capabilities.effective")));
    CHECK(json_equal(path(s, "process.capabilities.bounding"), path(s, "process.capabilities.permitted")));
    CHECK(!path(s, "process.capabilities.inheritable"));
    CHECK(!path(s, "process.capabilities.ambient"));
    CHECK(!path(s, "process.rlimits"));          /* default_ulimits = [] */
    CHECK(!path(s, "process.noNewPrivileges"));
    CHECK(!path(s, "process.oomScoreAdj"));
}

static void t_default_root_hostname_annotations(void)
{
    _cleanup_json_ json_t *s = build("{\"id\":\"" ID "\"}", IMG, NULL, NULL, NULL);

    CHECK(s);
    if (!s)
        return;
    CHECK_STR(json_string_value(path(s, "root.path")), rootfs);
    CHECK(!path(s, "root.readonly"));
    CHECK_JSON(path(s, "hostname"), "\"0123456789ab\"");
    CHECK_JSON(path(s, "annotations"),
               "{\"io.container.manager\":\"libpod\","
               "\"io.kubernetes.cri-o.Created\":\"2024-01-02T03:04:05.000000006Z\","
               "\"io.kubernetes.cri-o.TTY\":\"false\","
               "\"io.podman.annotations.autoremove\":\"FALSE\","
               "\"io.podman.annotations.init\":\"FALSE\","
               "\"io.podman.annotations.privileged\":\"FALSE\","
               "\"io.podman.annotations.publish-all\":\"FALSE\","
               "\"org.opencontainers.image.stopSignal\":\"15\"}");
}

static void t_default_mounts(void)
{
    _cleanup_json_ json_t *s = build("{\"id\":\"" ID "\"}", IMG, NULL, NULL, NULL);
    _cleanup_free_ char *d = NULL;

    CHECK(s);
    if (!s)
        return;
    d = mount_dests(s);
    CHECK_STR(d, "/proc /dev /sys /dev/pts /dev/mqueue /etc/hosts /run/.containerenv "
                 "/etc/hostname /etc/resolv.conf /dev/shm /sys/fs/cgroup");
    CHECK_JSON(mount_at(s, "/proc"), "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
               "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]}");
    CHECK_JSON(path(mount_at(s, "/dev"), "options"),
               "[\"nosuid\",\"noexec\",\"strictatime\",\"mode=755\",\"size=65536k\"]");
    CHECK_JSON(path(mount_at(s, "/sys"), "options"), "[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]");
    CHECK_JSON(path(mount_at(s, "/dev/pts"), "options"),
               "[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\",\"gid=5\"]");
    CHECK_JSON(path(mount_at(s, "/dev/mqueue"), "options"), "[\"nosuid\",\"noexec\",\"nodev\"]");
    CHECK_JSON(mount_at(s, "/etc/hosts"), "{\"destination\":\"/etc/hosts\",\"type\":\"bind\","
               "\"source\":\"/run/b/ctr/hosts\",\"options\":[\"bind\",\"rprivate\"]}");
    CHECK_JSON(path(mount_at(s, "/etc/resolv.conf"), "source"), "\"/run/b/ctr/resolv.conf\"");
    CHECK_JSON(path(mount_at(s, "/etc/hostname"), "source"), "\"/run/b/ctr/hostname\"");
    CHECK_JSON(path(mount_at(s, "/run/.containerenv"), "source"), "\"/run/b/ctr/.containerenv\"");
    CHECK_JSON(mount_at(s, "/dev/shm"), "{\"destination\":\"/dev/shm\",\"type\":\"bind\","
               "\"source\":\"/run/b/ctr/shm\",\"options\":[\"bind\",\"rprivate\",\"nosuid\",\"noexec\",\"nodev\"]}");
    CHECK_JSON(mount_at(s, "/sys/fs/cgroup"), "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\","
               "\"source\":\"cgroup\",\"options\":[\"rprivate\",\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]}");
}

static void t_default_linux(void)
{
    _cleanup_json_ json_t *s = build("{\"id\":\"" ID "\"}", IMG, NULL, NULL, NULL);

    CHECK(s);
    if (!s)
        return;
    CHECK_JSON(path(s, "linux.resources"),
               "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],\"pids\":{\"limit\":2048}}");
    CHECK_JSON(path(s, "linux.cgroupsPath"), "\"/berth_parent/berth-" ID "\"");
    CHECK_JSON(path(s, "linux.namespaces"), "[{\"type\":\"pid\"},{\"type\":\"network\"},"
               "{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]");
    CHECK_JSON(path(s, "linux.maskedPaths"),
               "[\"/proc/acpi\",\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\","
               "\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/proc/scsi\","
               "\"/sys/firmware\",\"/sys/fs/selinux\",\"/sys/dev/block\"]");
    CHECK_JSON(path(s, "linux.readonlyPaths"),
               "[\"/proc/asound\",\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]");
    CHECK(!path(s, "linux.sysctl"));
    CHECK(!path(s, "linux.devices"));
    CHECK_JSON(path(s, "linux.seccomp.defaultAction"), "\"SCMP_ACT_ERRNO\"");
    CHECK_JSON(path(s, "linux.seccomp.defaultErrnoRet"), "38");
    CHECK_INT(json_array_size(path(s, "linux.seccomp.syscalls")), 19);
}

/* ---- flag families ---- */

static void t_args(void)
{
    static const struct { const char *ctr, *img, *want; } cases[] = {
        { "", "{\"Entrypoint\":[\"/ep\"],\"Cmd\":[\"a\"]}", "[\"/ep\",\"a\"]" },
        { ",\"command\":[\"b\",\"c\"]", "{\"Entrypoint\":[\"/ep\"],\"Cmd\":[\"a\"]}", "[\"/ep\",\"b\",\"c\"]" },
        { ",\"entrypoint\":[\"/x\"]", "{\"Entrypoint\":[\"/ep\"],\"Cmd\":[\"a\"]}", "[\"/x\"]" },
        { ",\"entrypoint\":[\"/x\"],\"command\":[\"y\"]", "{\"Cmd\":[\"a\"]}", "[\"/x\",\"y\"]" },
        { ",\"entrypoint\":[\"\"],\"command\":[\"ls\"]", "{\"Entrypoint\":[\"/ep\"]}", "[\"ls\"]" },
        { ",\"entrypoint\":[],\"command\":[\"ls\"]", "{\"Entrypoint\":[\"/ep\"]}", "[\"ls\"]" },
        { ",\"command\":[\"ls\"]", NULL, "[\"ls\"]" },
        { ",\"entrypoint\":[\"\"]", "{\"Cmd\":[\"a\"]}", NULL },     /* cleared: image Cmd unused */
        { "", "{}", NULL },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        _cleanup_free_ char *ctr = str_fmt("{\"id\":\"" ID "\"%s}", cases[i].ctr), *msg = NULL;
        _cleanup_json_ json_t *s = build(ctr, cases[i].img, NULL, NULL, &msg);
        if (cases[i].want) {
            CHECK_JSON(path(s, "process.args"), cases[i].want);
        } else {
            CHECK(!s);
            CHECK_STR(msg, "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
        }
    }
}

static void t_init(void)
{
    _cleanup_json_ json_t *s = build("{\"id\":\"" ID "\",\"init\":true,\"initPath\":\"/bin/true\","
                                     "\"command\":[\"sleep\",\"5\"]}", NULL, NULL, NULL, NULL);
    _cleanup_free_ char *msg = NULL;
    json_t *bad;

    CHECK_JSON(path(s, "process.args"), "[\"/run/podman-init\",\"--\",\"sleep\",\"5\"]");
    CHECK_JSON(mount_at(s, "/run/podman-init"), "{\"destination\":\"/run/podman-init\",\"type\":\"bind\","
               "\"source\":\"/bin/true\",\"options\":[\"bind\",\"ro\",\"rprivate\"]}");
    CHECK_JSON(path(s, "annotations.io\\.podman"), "(null)");
    CHECK_STR(json_string_value(json_object_get(path(s, "annotations"), "io.podman.annotations.init")), "TRUE");
    bad = build("{\"id\":\"" ID "\",\"init\":true,\"initPath\":\"/bin/true\",\"command\":[\"x\"],"
                "\"namespaces\":{\"pid\":\"host\"}}", NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "cannot add init binary as PID 1 (PID namespace isn't private)");
}

static void t_env(void)
{
    struct config cfg = cfg_default();
    char *cenv[] = { "CONF=1", "TERM=vt100", NULL };
    _cleanup_json_ json_t *s = NULL, *h = NULL;

    cfg.env = cenv;
    s = build("{\"id\":\"" ID "\",\"hostname\":\"web\",\"env\":[\"IMGVAR=user\",\"FOO\",\"NOPE\","
              "\"HOME=/custom\",\"A=b=c\"],\"command\":[\"x\"]}", IMG, &cfg, NULL, NULL);
    CHECK(env_has(s, "CONF=1"));
    CHECK(env_has(s, "TERM=vt100"));
    CHECK(env_has(s, "IMGVAR=user"));
    CHECK(env_has(s, "FOO=from-host"));
    CHECK(!env_key(s, "NOPE"));
    CHECK(env_has(s, "HOME=/custom"));
    CHECK(env_has(s, "A=b=c"));
    CHECK(env_has(s, "HOSTNAME=web"));
    CHECK_JSON(path(s, "hostname"), "\"web\"");
    h = build("{\"id\":\"" ID "\",\"envHost\":true,\"httpProxy\":false,\"command\":[\"x\"],"
              "\"namespaces\":{\"uts\":\"host\"}}", NULL, NULL, NULL, NULL);
    CHECK(env_has(h, "FOO=from-host"));
    CHECK(env_has(h, "PATH=/host/bin"));
    CHECK(env_has(h, "HOSTNAME=thehost"));
    CHECK(!path(h, "hostname"));
}

static void t_user(void)
{
    _cleanup_json_ json_t *a = build("{\"id\":\"" ID "\",\"user\":\"alice\",\"groups\":[\"nogroup\",\"7\"],"
                                     "\"command\":[\"x\"]}", NULL, NULL, NULL, NULL);
    _cleanup_json_ json_t *b = build("{\"id\":\"" ID "\",\"command\":[\"x\"]}",
                                     "{\"User\":\"4242:29\"}", NULL, NULL, NULL);
    _cleanup_free_ char *msg = NULL;
    json_t *bad;

    CHECK_JSON(path(a, "process.user"), "{\"uid\":1000,\"gid\":1000,\"umask\":18,\"additionalGids\":[1000,10,29,65534,7]}");
    CHECK(env_has(a, "HOME=/home/alice"));
    CHECK_JSON(path(b, "process.user"), "{\"uid\":4242,\"gid\":29,\"umask\":18,\"additionalGids\":[29]}");
    CHECK(!env_key(b, "HOME"));
    bad = build("{\"id\":\"" ID "\",\"user\":\"mallory\",\"command\":[\"x\"]}", NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "unable to find user mallory: no matching entries in passwd file");
}

static void t_user_text(void)
{
    const char *pw = "root:x:0:0::/root:/bin/sh\nbob:x:5:6::/b:\nbroken line\n";
    const char *gr = "g6:x:6:\nstaff:x:50:bob,carl\nother:x:51:carl\n";
    struct ctr_user u = { 0 };
    struct berr *err = NULL;

    CHECK(user_resolve_text(pw, gr, "bob", NULL, &u, &err) == 0);
    CHECK_INT(u.uid, 5);
    CHECK_INT(u.gid, 6);
    CHECK_STR(u.home, "/b");
    CHECK_INT(u.ngroups, 1);
    CHECK_INT(u.ngroups ? u.groups[0] : 0, 50);
    user_free(&u);
    CHECK(user_resolve_text(pw, gr, "5:staff", (char *[]){ "other", "staff", "keep-groups", NULL }, &u, &err) == 0);
    CHECK_INT(u.gid, 50);
    CHECK_INT(u.ngroups, 1);        /* staff is primary; other added */
    CHECK_INT(u.ngroups ? u.groups[0] : 0, 51);
    user_free(&u);
    CHECK(user_resolve_text(NULL, NULL, "", NULL, &u, &err) == 0);
    CHECK_INT(u.uid, 0);
    CHECK(u.home == NULL);
    user_free(&u);
    CHECK(user_resolve_text(pw, gr, "bob:nosuch", NULL, &u, &err) < 0);
    CHECK_STR(err ? err->msg : NULL, "unable to find group nosuch: no matching entries in group file");
    CHECK(user_resolve_text(pw, gr, "0", (char *[]){ "nosuch", NULL }, &u, &err) < 0);
    CHECK(user_resolve_text(pw, gr, "4294967295", NULL, &u, &err) < 0);
    berr_free(err);
}

static void t_caps(void)
{
    _cleanup_json_ json_t *a = build("{\"id\":\"" ID "\",\"capAdd\":[\"net_admin\",\"CAP_SYS_TIME\",\"SYS_RESOURCE\"],"
                                     "\"capDrop\":[\"chown\",\"CAP_MKNOD\",\"AUDIT_WRITE\"],\"command\":[\"x\"]}",
                                     NULL, NULL, NULL, NULL);
    _cleanup_json_ json_t *b = build("{\"id\":\"" ID "\",\"capDrop\":[\"ALL\"],\"capAdd\":[\"KILL\"],"
                                     "\"command\":[\"x\"]}", NULL, NULL, NULL, NULL);
    _cleanup_json_ json_t *u = build("{\"id\":\"" ID "\",\"user\":\"1000\",\"capAdd\":[\"NET_RAW\"],"
                                     "\"command\":[\"x\"]}", NULL, NULL, NULL, NULL);
    _cleanup_free_ char *msg = NULL;
    json_t *bad, *eff;

    eff = path(a, "process.capabilities.effective");
    CHECK_INT(json_array_size(eff), 13);   /* 14 - 3 + 2 (SYS_RESOURCE not in host set) */
    CHECK_JSON(path(a, "process.capabilities.bounding.4"), "\"CAP_NET_ADMIN\"");
    CHECK_JSON(path(b, "process.capabilities.bounding"), "[\"CAP_KILL\"]");
    CHECK_JSON(path(u, "process.capabilities.effective"), "[\"CAP_NET_RAW\"]");
    CHECK_JSON(path(u, "process.capabilities.ambient"), "[\"CAP_NET_RAW\"]");
    CHECK_INT(json_array_size(path(u, "process.capabilities.bounding")), 14);
    /* no CAP_AUDIT_WRITE: 3 socket rules instead of 1 */
    CHECK_INT(json_array_size(path(a, "linux.seccomp.syscalls")), 21);
    bad = build("{\"id\":\"" ID "\",\"capAdd\":[\"CAP_NOPE\"],\"command\":[\"x\"]}", NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "unknown capability \"CAP_NOPE\"");
}

static void t_privileged(void)
{
    _cleanup_json_ json_t *s = build("{\"id\":\"" ID "\",\"privileged\":true,\"command\":[\"x\"]}",
                                     NULL, NULL, NULL, NULL);

    CHECK(s);
    if (!s)
        return;
    CHECK_INT(json_array_size(path(s, "process.capabilities.bounding")), 40);
    CHECK_JSON(path(s, "linux.maskedPaths"), "[]");
    CHECK_JSON(path(s, "linux.readonlyPaths"), "[]");
    CHECK(!path(s, "linux.seccomp"));
    CHECK_JSON(path(mount_at(s, "/sys"), "options"), "[\"rprivate\",\"nosuid\",\"noexec\",\"nodev\",\"rw\"]");
    CHECK_JSON(path(mount_at(s, "/sys/fs/cgroup"), "options.5"), "\"rw\"");
    CHECK_JSON(path(s, "linux.resources.devices"), "[{\"allow\":true,\"access\":\"rwm\"}]");
    CHECK(json_array_size(path(s, "linux.devices")) > 0);
    CHECK_JSON(path(s, "annotations.io"), "(null)");
    CHECK_STR(json_string_value(json_object_get(path(s, "annotations"), "io.podman.annotations.privileged")), "TRUE");
}

static void t_rlimits(void)
{
    struct config cfg = cfg_default();
    struct spec_host h = host_default();
    char *ul[] = { "nproc=4194304:4194304", NULL };
    _cleanup_json_ json_t *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    _cleanup_free_ char *text = NULL;

    a = build("{\"id\":\"" ID "\",\"ulimits\":[\"nofile=100:200\",\"core=-1\"],\"command\":[\"x\"]}",
              NULL, NULL, NULL, NULL);
    CHECK_JSON(path(a, "process.rlimits"),
               "[{\"type\":\"RLIMIT_NOFILE\",\"soft\":100,\"hard\":200},"
               "{\"type\":\"RLIMIT_CORE\",\"soft\":-1,\"hard\":-1},"
               "{\"type\":\"RLIMIT_NPROC\",\"soft\":96364,\"hard\":96364}]");
    text = spec_dump(a);
    CHECK(text && strstr(text, "\"hard\": 18446744073709551615"));
    CHECK(text && strstr(text, "\"soft\": 18446744073709551615"));
    cfg.default_ulimits = ul;
    b = build("{\"id\":\"" ID "\",\"command\":[\"x\"]}", NULL, &cfg, NULL, NULL);
    CHECK_JSON(path(b, "process.rlimits"),
               "[{\"type\":\"RLIMIT_NPROC\",\"soft\":96364,\"hard\":96364},"
               "{\"type\":\"RLIMIT_NOFILE\",\"soft\":20000,\"hard\":20000}]");
    h.cap_sys_resource = true;
    c = build("{\"id\":\"" ID "\",\"command\":[\"x\"]}", NULL, &cfg, &h, NULL);
    CHECK_JSON(path(c, "process.rlimits"),
               "[{\"type\":\"RLIMIT_NPROC\",\"soft\":4194304,\"hard\":4194304},"
               "{\"type\":\"RLIMIT_NOFILE\",\"soft\":1048576,\"hard\":1048576}]");
    d = build("{\"id\":\"" ID "\",\"ulimits\":[\"host\"],\"command\":[\"x\"]}", NULL, &cfg, NULL, NULL);
    CHECK(d && !path(d, "process.rlimits"));
    spec_host_free(&h);
}

static void t_ulimit_parse(void)
{
    struct berr *err = NULL;
    uint64_t s, h;
    int r;

    CHECK(spec_ulimit_parse("nofile=10:20", &r, &s, &h, &err) == 0 && r == RLIMIT_NOFILE && s == 10 && h == 20);
    CHECK(spec_ulimit_parse("stack=unlimited", &r, &s, &h, &err) == 0 && s == RLIM_INFINITY && h == RLIM_INFINITY);
    CHECK(spec_ulimit_parse("nofile=30:20", &r, &s, &h, &err) < 0);
    CHECK(spec_ulimit_parse("bogus=1", &r, &s, &h, &err) < 0);
    CHECK_STR(err ? err->msg : NULL, "invalid ulimit type: bogus: invalid argument");
    CHECK(spec_ulimit_parse("nofile", &r, &s, &h, &err) < 0);
    CHECK(spec_ulimit_parse("nofile=x", &r, &s, &h, &err) < 0);
    berr_free(err);
    CHECK_INT(spec_signal_parse("SIGKILL"), 9);
    CHECK_INT(spec_signal_parse("term"), 15);
    CHECK_INT(spec_signal_parse("2"), 2);
    CHECK_INT(spec_signal_parse("RTMIN+1"), SIGRTMIN + 1);
    CHECK_INT(spec_signal_parse("NOPE"), -1);
    CHECK_STR(spec_cap_name("net_admin"), "CAP_NET_ADMIN");
    CHECK(spec_cap_name("CAP_X") == NULL);
}

static void t_mounts(void)
{
    _cleanup_free_ char *d1 = NULL, *d2 = NULL, *msg = NULL;
    _cleanup_json_ json_t *s = build(
        "{\"id\":\"" ID "\",\"command\":[\"x\"],\"mounts\":["
        "{\"type\":\"bind\",\"source\":\"/tmp\",\"destination\":\"/data/deep/er\",\"options\":[\"ro\"]},"
        "{\"type\":\"tmpfs\",\"destination\":\"/scratch\",\"options\":[\"size=1m\",\"rshared\"]},"
        "{\"type\":\"volume\",\"source\":\"/tmp\",\"destination\":\"/etc/hosts\",\"options\":[\"bind\"]},"
        "{\"type\":\"tmpfs\",\"destination\":\"/t2\",\"options\":[\"notmpcopyup\"]}]}",
        NULL, NULL, NULL, NULL);
    _cleanup_json_ json_t *ro = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"readOnly\":true,"
                                      "\"noHosts\":true,\"timezone\":\"UTC\","
                                      "\"mounts\":[{\"type\":\"bind\",\"source\":\"/tmp\",\"destination\":\"/tmp\"}]}",
                                      NULL, NULL, NULL, NULL);
    json_t *bad;

    d1 = mount_dests(s);
    CHECK_STR(d1, "/proc /dev /sys /scratch /t2 /dev/pts /dev/mqueue /run/.containerenv /etc/hostname "
                  "/etc/resolv.conf /dev/shm /etc/hosts /sys/fs/cgroup /data/deep/er");
    CHECK_JSON(mount_at(s, "/data/deep/er"), "{\"destination\":\"/data/deep/er\",\"type\":\"bind\","
               "\"source\":\"/tmp\",\"options\":[\"ro\",\"rbind\",\"rprivate\"]}");
    CHECK_JSON(mount_at(s, "/scratch"), "{\"destination\":\"/scratch\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
               "\"options\":[\"size=1m\",\"rshared\",\"tmpcopyup\"]}");
    CHECK_JSON(path(mount_at(s, "/t2"), "options"), "[\"rprivate\"]");
    CHECK_JSON(mount_at(s, "/etc/hosts"), "{\"destination\":\"/etc/hosts\",\"type\":\"bind\","
               "\"source\":\"/tmp\",\"options\":[\"bind\",\"rprivate\"]}");
    CHECK(ro && path(ro, "root.readonly") && json_is_true(path(ro, "root.readonly")));
    d2 = mount_dests(ro);
    CHECK_STR(d2, "/proc /dev /sys /run /tmp /dev/pts /dev/mqueue /run/.containerenv /etc/hostname /etc/resolv.conf "
                  "/dev/shm /var/tmp /etc/localtime /sys/fs/cgroup");
    CHECK_JSON(path(mount_at(ro, "/etc/hostname"), "options"),
               "[\"bind\",\"rprivate\",\"ro\",\"nosuid\",\"noexec\",\"nodev\"]");
    CHECK_JSON(path(mount_at(ro, "/run"), "options"), "[\"rw\",\"rprivate\",\"nosuid\",\"nodev\",\"tmpcopyup\"]");
    CHECK_JSON(path(mount_at(ro, "/tmp"), "type"), "\"bind\"");
    CHECK_JSON(path(mount_at(ro, "/etc/localtime"), "source"), "\"/usr/share/zoneinfo/UTC\"");
    bad = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"mounts\":[{\"source\":\"/tmp\",\"destination\":\"/a\"},"
                "{\"type\":\"tmpfs\",\"destination\":\"/a\"}]}", NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "/a: duplicate mount destination: invalid argument");
    free(msg);
    msg = NULL;
    bad = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"mounts\":[{\"source\":\"/no/such/dir\",\"destination\":\"/a\"}]}",
                NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "statfs /no/such/dir: no such file or directory");
}

static void t_resources_devices(void)
{
    struct spec_host h = host_default();
    _cleanup_json_ json_t *s = build(
        "{\"id\":\"" ID "\",\"command\":[\"x\"],\"resources\":{\"memory\":67108864,\"cpus\":1.5,"
        "\"cpuShares\":512,\"cpusetCpus\":\"0\",\"pidsLimit\":100},\"devices\":[\"/dev/null:/dev/mynull:r\"]}",
        NULL, NULL, NULL, NULL);
    _cleanup_json_ json_t *u = NULL;

    CHECK_JSON(path(s, "linux.resources.memory"), "{\"limit\":67108864,\"swap\":134217728}");
    CHECK_JSON(path(s, "linux.resources.cpu"), "{\"quota\":150000,\"period\":100000,\"shares\":512,\"cpus\":\"0\"}");
    CHECK_JSON(path(s, "linux.resources.pids"), "{\"limit\":100}");
    CHECK_JSON(path(s, "linux.resources.devices.1"),
               "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"r\"}");
    CHECK_JSON(path(s, "linux.devices"), "[{\"path\":\"/dev/mynull\",\"type\":\"c\",\"major\":1,\"minor\":3,"
               "\"fileMode\":438,\"uid\":0,\"gid\":0}]");
    h.cgroup_manager = "systemd";
    u = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"resources\":{\"memory\":1000,\"memorySwap\":-1,"
              "\"pidsLimit\":0}}", NULL, NULL, &h, NULL);
    CHECK_JSON(path(u, "linux.resources.memory"), "{\"limit\":1000,\"swap\":-1}");
    CHECK_JSON(path(u, "linux.resources.pids"), "{\"limit\":-1}");
    CHECK_JSON(path(u, "linux.cgroupsPath"), "\"machine.slice:berth:" ID "\"");
    spec_host_free(&h);
}

static void t_namespaces_sysctls(void)
{
    struct spec_host h = host_default();
    struct config cfg = cfg_default();
    char *sysctls[] = { "net.ipv4.ping_group_range=0 0", NULL };
    _cleanup_json_ json_t *a = NULL, *b = NULL, *c = NULL;
    _cleanup_free_ char *msg = NULL;
    json_t *bad;

    cfg.default_sysctls = sysctls;
    a = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"namespaces\":{\"network\":\"host\",\"ipc\":\"host\"},"
              "\"sysctls\":{\"kernel.domainname\":\"x\"}}", NULL, &cfg, NULL, NULL);
    CHECK_JSON(path(a, "linux.namespaces"), "[{\"type\":\"pid\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]");
    CHECK_JSON(path(a, "linux.sysctl"), "{\"kernel.domainname\":\"x\"}");
    CHECK_JSON(path(mount_at(a, "/dev/shm"), "source"), "\"/dev/shm\"");
    h.ns_path[SPEC_NS_NET] = "/run/netns/x";
    h.cgroup_v2 = true;
    b = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"namespaces\":{\"network\":\"container:abc\",\"uts\":\"ns:/proc/1/ns/uts\"}}",
              NULL, &cfg, &h, NULL);
    CHECK_JSON(path(b, "linux.namespaces"), "[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/run/netns/x\"},"
               "{\"type\":\"ipc\"},{\"type\":\"uts\",\"path\":\"/proc/1/ns/uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}]");
    CHECK_JSON(path(b, "linux.sysctl"), "{\"net.ipv4.ping_group_range\":\"0 0\"}");
    h.ns_path[SPEC_NS_NET] = NULL;
    c = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"namespaces\":{\"network\":\"none\"}}", NULL, &cfg, &h, NULL);
    CHECK_JSON(path(c, "linux.namespaces.1"), "{\"type\":\"network\"}");
    bad = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"namespaces\":{\"network\":\"host\"},"
                "\"sysctls\":{\"net.core.somaxconn\":\"1\"}}", NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "sysctl \"net.core.somaxconn\" cannot be set since Network Namespace set to host: invalid argument");
    spec_host_free(&h);
}

static void t_security_opts(void)
{
    _cleanup_free_ char *file = NULL, *msg = NULL;
    _cleanup_json_ json_t *a = NULL, *b = NULL, *c = NULL;
    json_t *bad;
    FILE *f;

    a = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"securityOpts\":[\"no-new-privileges\","
              "\"seccomp=unconfined\",\"mask=/proc/foo:/sys/bar\",\"unmask=/proc/kcore:/proc/sys\",\"label=disable\"]}",
              NULL, NULL, NULL, NULL);
    CHECK_JSON(path(a, "process.noNewPrivileges"), "true");
    CHECK(!path(a, "linux.seccomp"));
    CHECK_INT(json_array_size(path(a, "linux.maskedPaths")), 12);
    CHECK_JSON(path(a, "linux.maskedPaths.10"), "\"/proc/foo\"");
    CHECK_JSON(path(a, "linux.maskedPaths.1"), "\"/proc/keys\"");
    CHECK_INT(json_array_size(path(a, "linux.readonlyPaths")), 5);
    b = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"securityOpts\":[\"unmask=ALL\"]}", NULL, NULL, NULL, NULL);
    CHECK_JSON(path(b, "linux.maskedPaths"), "[]");
    file = str_fmt("%s/prof.json", rootfs);
    f = fopen(file, "we");
    fputs("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
          "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}", f);
    fclose(f);
    {
        _cleanup_free_ char *ctr = str_fmt("{\"id\":\"" ID "\",\"command\":[\"x\"],\"securityOpts\":[\"seccomp=%s\"]}", file);
        c = build(ctr, NULL, NULL, NULL, NULL);
    }
    CHECK_JSON(path(c, "linux.seccomp"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
               "[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
    CHECK_STR(json_string_value(json_object_get(path(c, "annotations"), "io.podman.annotations.seccomp")), file);
    bad = build("{\"id\":\"" ID "\",\"command\":[\"x\"],\"securityOpts\":[\"bogus\"]}", NULL, NULL, NULL, &msg);
    CHECK(!bad);
    CHECK_STR(msg, "invalid --security-opt 1: \"bogus\": invalid argument");
}

static void t_misc(void)
{
    _cleanup_json_ json_t *s = build(
        "{\"id\":\"" ID "\",\"command\":[\"x\"],\"terminal\":true,\"rm\":true,\"workdir\":\"/srv\","
        "\"stopSignal\":9,\"oomScoreAdj\":-5,\"umask\":\"0077\",\"annotations\":{\"k\":\"v\"}}",
        "{\"WorkingDir\":\"/img\",\"StopSignal\":\"SIGINT\"}", NULL, NULL, NULL);
    _cleanup_json_ json_t *i = build("{\"id\":\"" ID "\",\"command\":[\"x\"]}",
                                     "{\"WorkingDir\":\"/img\",\"StopSignal\":\"SIGINT\"}", NULL, NULL, NULL);
    _cleanup_free_ char *text = NULL;
    json_t *a = path(s, "annotations");

    CHECK_JSON(path(s, "process.terminal"), "true");
    CHECK_JSON(path(s, "process.cwd"), "\"/srv\"");
    CHECK_JSON(path(s, "process.oomScoreAdj"), "-5");
    CHECK_JSON(path(s, "process.user.umask"), "63");
    CHECK_STR(js_str(a, "io.kubernetes.cri-o.TTY", NULL), "true");
    CHECK_STR(js_str(a, "io.podman.annotations.autoremove", NULL), "TRUE");
    CHECK_STR(js_str(a, "org.opencontainers.image.stopSignal", NULL), "9");
    CHECK_STR(js_str(a, "k", NULL), "v");
    CHECK_JSON(path(i, "process.cwd"), "\"/img\"");
    CHECK_STR(js_str(path(i, "annotations"), "org.opencontainers.image.stopSignal", NULL), "2");
    text = spec_dump(s);
    CHECK(text && strstr(text, "\"ociVersion\": \"1.0.2-dev\""));
    {   /* a --workdir missing from the root file system: podman's 126 */
        _cleanup_json_ json_t *ctr = json_loads("{\"id\":\"" ID "\",\"command\":[\"x\"],"
                                                "\"workdir\":\"/nope\"}", 0, NULL);
        _cleanup_json_ json_t *img = json_object(), *out = NULL;
        struct spec_host h = host_default();
        struct config cfg = cfg_default();
        struct berr *err = NULL;
        CHECK(spec_build(&cfg, ctr, img, &h, &out, &err) < 0);
        CHECK(err && err->exit_code == 126 && strstr(err->msg, "workdir \"/nope\" does not exist"));
        berr_free(err);
        spec_host_free(&h);
    }
}

int main(void)
{
    struct berr *err = NULL;
    int rc;

    setup_rootfs();
    if (seccomp_default_path(NULL, &seccomp_path, &err) < 0) {
        printf("# %s\n", err->msg);
        berr_free(err);
    }
    UNIT_RUN(t_default_process);
    UNIT_RUN(t_default_root_hostname_annotations);
    UNIT_RUN(t_default_mounts);
    UNIT_RUN(t_default_linux);
    UNIT_RUN(t_args);
    UNIT_RUN(t_init);
    UNIT_RUN(t_env);
    UNIT_RUN(t_user);
    UNIT_RUN(t_user_text);
    UNIT_RUN(t_caps);
    UNIT_RUN(t_privileged);
    UNIT_RUN(t_rlimits);
    UNIT_RUN(t_ulimit_parse);
    UNIT_RUN(t_mounts);
    UNIT_RUN(t_resources_devices);
    UNIT_RUN(t_namespaces_sysctls);
    UNIT_RUN(t_security_opts);
    UNIT_RUN(t_misc);
    rc = unit_done();
    fs_rm_rf(rootfs, &err);
    berr_free(err);
    free(seccomp_path);
    return rc;
}
