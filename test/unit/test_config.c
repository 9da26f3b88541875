/*
 * test/unit/test_config.c: config_load(): defaults, layering through
 * BERTH_CONFIG_ROOT, set bits, global flags, validation and file errors.
 * Every test points BERTH_CONFIG_ROOT at a fresh temporary directory so
 * the host's own /etc/berth never leaks in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/config.h"
#include "unit.h"
#include "util/fs.h"
#include "util/str.h"

static char root[64];

static void fresh_root(void)
{
    struct berr *e = NULL;

    if (root[0])
        fs_rm_rf(root, &e);
    berr_free(e);
    strcpy(root, "/tmp/berth-test-config.XXXXXX");
    if (!mkdtemp(root))
        abort();
    setenv("BERTH_CONFIG_ROOT", root, 1);
    unsetenv("BERTH_CONFIG");
}

/* Writes root/rel (creating its directories); returns the full path in a
 * static buffer. */
static const char *put(const char *rel, const char *text)
{
    static char path[512];
    struct berr *e = NULL;
    char *dir;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    dir = fs_dirname(path);
    if (fs_mkdir_p(dir, 0755, &e) < 0)
        abort();
    free(dir);
    f = fopen(path, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    return path;
}

static struct config *load(const struct gopts *g)
{
    static const struct gopts none;
    struct config *c = NULL;
    struct berr *e = NULL;

    if (config_load(g ? g : &none, &c, &e) < 0) {
        printf("#   config_load failed: %s\n", e->msg);
        berr_free(e);
        unit_cur_failed = 1;
        return NULL;
    }
    return c;
}

/* config_load must fail; returns the message (malloc'd). */
static char *load_err(const struct gopts *g)
{
    static const struct gopts none;
    struct config *c = NULL;
    struct berr *e = NULL;
    char *msg;

    if (config_load(g ? g : &none, &c, &e) == 0) {
        printf("#   config_load unexpectedly succeeded\n");
        config_free(c);
        unit_cur_failed = 1;
        return strdup("");
    }
    CHECK_INT(e->exit_code, 125);
    msg = strdup(e->msg);
    berr_free(e);
    return msg;
}

static const struct cfg_runtime *rt(const struct config *c, const char *name)
{
    for (int i = 0; i < c->n_runtimes; i++)
        if (!strcmp(c->runtimes[i].name, name))
            return &c->runtimes[i];
    return NULL;
}

static void t_defaults(void)
{
    struct config *c;
    FILE *f = fopen("/proc/1/comm", "r");
    char comm[32] = "";

    if (f) {
        if (!fgets(comm, sizeof(comm), f))
            comm[0] = '\0';
        fclose(f);
    }
    fresh_root();
    c = load(NULL);
    if (!c)
        return;
    if (geteuid() == 0) {
        CHECK_STR(c->graph_root, "/var/lib/berth/storage");
        CHECK_STR(c->static_dir, "/var/lib/berth/storage/libpod");
        CHECK_STR(c->volume_path, "/var/lib/berth/storage/volumes");
        CHECK_STR(c->run_root, "/run/berth/storage");
        CHECK_STR(c->tmp_dir, "/run/berth/libpod");
        CHECK_STR(c->network_config_dir, "/etc/berth/networks");
        CHECK_INT(c->pids_limit, 2048);
    }
    CHECK_STR(c->default_network, "berth");
    CHECK_STR(c->default_subnet, "10.87.0.0/16");
    CHECK_STR(c->network_backend, "netavark");
    CHECK_STR(c->log_driver, "k8s-file");
    CHECK_STR(c->events_logger, "file");
    CHECK_STR(c->events_logfile_path, "");
    CHECK_STR(c->cgroup_manager, strcmp(comm, "systemd\n") ? "cgroupfs" : "systemd");
    CHECK_STR(c->runtime, "");
    CHECK_STR(c->graph_driver, "");
    CHECK_STR(c->shm_size, "65536k");
    CHECK_STR(c->umask, "0022");
    CHECK_STR(c->detach_keys, "ctrl-p,ctrl-q");
    CHECK_INT(c->log_size_max, -1);
    CHECK_INT(c->stop_timeout, 10);
    CHECK_INT(c->events_logfile_max_size, 1000000);
    CHECK_INT(c->num_locks, 2048);
    CHECK(c->http_proxy && c->enable_port_reservation && !c->init && !c->no_pivot_root);
    CHECK_INT(strv_len(c->default_capabilities), 14);
    CHECK_STR(c->default_capabilities[0], "CAP_AUDIT_WRITE");
    CHECK_INT(strv_len(c->default_ulimits), 0);
    CHECK(c->default_ulimits != NULL);
    CHECK_INT(strv_len(c->conmon_path), 8);
    CHECK_STR(c->conmon_path[3], "/usr/bin/conmon");
    CHECK_INT(c->n_runtimes, 6);
    CHECK(rt(c, "crun") && rt(c, "runc") && rt(c, "runj") && rt(c, "kata") && rt(c, "runsc") &&
          rt(c, "krun"));
    if (rt(c, "runc"))
        CHECK_STR(rt(c, "runc")->paths[6], "/usr/lib/cri-o-runc/sbin/runc");
    CHECK(strv_contains(c->runtime_supports_json, "runc"));
    CHECK(!strv_contains(c->runtime_supports_nocgroups, "runc"));
    CHECK_INT(strv_len(c->env), 2);
    CHECK_INT(strv_len(c->files), 0);
    CHECK_INT(c->set, 0);
    config_free(c);
}

static void t_layering(void)
{
    struct config *c;
    char want[512];

    fresh_root();
    put("usr/share/berth/berth.conf",
        "[containers]\ndefault_capabilities = [\"chown\", \"cap_kill\", \"CAP_NET_RAW\"]\n"
        "log_size_max = 10000\npids_limit = 100\n"
        "[engine]\nruntime = \"crun\"\nconmon_path = [\"/a/conmon\", \"/b/conmon\"]\n"
        "[engine.runtimes]\nrunc = [\"/x/runc\"]\nmyrt = [\"/opt/myrt\"]\n");
    put("etc/berth/berth.conf",
        "[engine]\nruntime = \"runc\"\nconmon_path = [\"/c/conmon\"]\n"
        "[engine.runtimes]\ncrun = [\"/y/crun\", \"/z/crun\"]\n");
    put("etc/berth/berth.conf.d/20-b.conf", "[containers]\npids_limit = 20\n");
    put("etc/berth/berth.conf.d/10-a.conf", "[containers]\npids_limit = 10\nlog_size_max = -1\n");
    put("etc/berth/berth.conf.d/9-c.conf", "[containers]\npids_limit = 9\n");
    put("etc/berth/berth.conf.d/ignored.txt", "this is not TOML [");
    put("etc/berth/berth.conf.d/.hidden.conf", "neither [");
    c = load(NULL);
    if (!c)
        return;
    CHECK_INT(strv_len(c->files), 5);
    snprintf(want, sizeof(want), "%s/usr/share/berth/berth.conf", root);
    CHECK_STR(c->files[0], want);
    snprintf(want, sizeof(want), "%s/etc/berth/berth.conf", root);
    CHECK_STR(c->files[1], want);
    snprintf(want, sizeof(want), "%s/etc/berth/berth.conf.d/10-a.conf", root);
    CHECK_STR(c->files[2], want);
    snprintf(want, sizeof(want), "%s/etc/berth/berth.conf.d/9-c.conf", root);
    CHECK_STR(c->files[4], want);
    CHECK_INT(c->pids_limit, 9);                    /* the last file wins */
    CHECK_INT(c->log_size_max, -1);
    CHECK_STR(c->runtime, "runc");
    CHECK_INT(strv_len(c->conmon_path), 1);         /* arrays replace */
    CHECK_STR(c->conmon_path[0], "/c/conmon");
    CHECK_INT(c->n_runtimes, 7);                    /* runtimes merge */
    if (rt(c, "runc") && rt(c, "crun") && rt(c, "myrt") && rt(c, "kata")) {
        CHECK_STR(rt(c, "runc")->paths[0], "/x/runc");
        CHECK_INT(strv_len(rt(c, "runc")->paths), 1);
        CHECK_STR(rt(c, "crun")->paths[1], "/z/crun");
        CHECK_STR(rt(c, "myrt")->paths[0], "/opt/myrt");
        CHECK_STR(rt(c, "kata")->paths[0], "/usr/bin/kata-runtime");
    } else {
        CHECK(!"a runtime is missing");
    }
    CHECK_INT(strv_len(c->default_capabilities), 3);
    CHECK_STR(c->default_capabilities[0], "CAP_CHOWN");
    CHECK_STR(c->default_capabilities[1], "CAP_KILL");
    CHECK_STR(c->default_capabilities[2], "CAP_NET_RAW");
    CHECK(cfg_is_set(c, CF_RUNTIME) && cfg_is_set(c, CF_CONMON_PATH));
    CHECK(!cfg_is_set(c, CF_STATIC_DIR) && !cfg_is_set(c, CF_GRAPH_ROOT));
    config_free(c);
}

static void t_file_bits(void)
{
    struct config *c;

    fresh_root();
    put("etc/berth/berth.conf",
        "[engine]\nstatic_dir = \"/s\"\nevents_logger = \"none\"\n"
        "events_logfile_max_size = \"1m\"\n"
        "[storage]\ngraphroot = \"/g\"\ndriver = \"vfs\"\noptions = [\"vfs.ignore_chown_errors=true\"]\n"
        "[network]\nnetwork_backend = \"cni\"\nnetwork_config_dir = \"/n\"\n");
    c = load(NULL);
    if (!c)
        return;
    CHECK_STR(c->static_dir, "/s");
    CHECK_STR(c->graph_root, "/g");
    CHECK_STR(c->volume_path, "/g/volumes");       /* derived from the file's graph root */
    CHECK_STR(c->graph_driver, "vfs");
    CHECK_STR(c->graph_driver_options[0], "vfs.ignore_chown_errors=true");
    CHECK_STR(c->events_logger, "none");
    CHECK_INT(c->events_logfile_max_size, 1 << 20);
    CHECK_STR(c->network_backend, "cni");
    CHECK_INT(c->set, (1u << CF_STATIC_DIR) | (1u << CF_GRAPH_ROOT) | (1u << CF_GRAPH_DRIVER) |
                      (1u << CF_EVENTS_LOGGER) | (1u << CF_NETWORK_BACKEND) |
                      (1u << CF_NETWORK_CONFIG_DIR));
    config_free(c);

    /* a value equal to the default still counts as set */
    put("etc/berth/berth.conf", "[engine]\ntmp_dir = \"/run/berth/libpod\"\n");
    c = load(NULL);
    if (c)
        CHECK_INT(c->set, 1u << CF_TMP_DIR);
    config_free(c);
}

static void t_flags(void)
{
    char *conmon = (char *) "/opt/conmon";
    char *sopts[] = { (char *) "overlay.mountopt=nodev", NULL };
    char *rflags[] = { (char *) "debug", NULL };
    struct gopts g = {
        .root = (char *) "/r", .runroot = (char *) "/rr", .tmpdir = (char *) "/t",
        .runtime = (char *) "crun", .conmon = conmon, .storage_driver = (char *) "overlay",
        .events_backend = (char *) "none", .ns = (char *) "ns1",
        .network_backend = (char *) "cni", .cni_config_dir = (char *) "/cni",
        .storage_opts = sopts, .runtime_flags = rflags, .log_level = (char *) "debug",
        .syslog = true,
    };
    struct config *c;

    fresh_root();
    put("etc/berth/berth.conf", "[engine]\nstatic_dir = \"/from/file\"\nruntime = \"runc\"\n");
    c = load(&g);
    if (!c)
        return;
    CHECK_STR(c->graph_root, "/r");
    CHECK_STR(c->static_dir, "/r/libpod");          /* --root derives, like podman */
    CHECK_STR(c->volume_path, "/r/volumes");
    CHECK_STR(c->run_root, "/rr");
    CHECK_STR(c->tmp_dir, "/t");
    CHECK_STR(c->runtime, "crun");
    CHECK_INT(strv_len(c->conmon_path), 1);
    CHECK_STR(c->conmon_path[0], "/opt/conmon");
    CHECK_STR(c->graph_driver, "overlay");
    CHECK_STR(c->graph_driver_options[0], "overlay.mountopt=nodev");
    CHECK_STR(c->runtime_flags[0], "debug");
    CHECK_STR(c->events_logger, "none");
    CHECK_STR(c->namespace, "ns1");
    CHECK_STR(c->network_backend, "cni");
    CHECK_STR(c->network_config_dir, "/cni");       /* --cni-config-dir: the old name */
    CHECK_STR(c->log_level, "debug");
    CHECK(c->syslog);
    for (int f = 0; f < CF__COUNT; f++)
        if (f != CF_EVENTS_LOGFILE_PATH && f != CF_CGROUP_MANAGER)
            CHECK(cfg_is_set(c, (enum cfg_field) f));
    CHECK(!cfg_is_set(c, CF_EVENTS_LOGFILE_PATH) && !cfg_is_set(c, CF_CGROUP_MANAGER));
    config_free(c);

    /* --volumepath beats the --root derivation; nothing else is set */
    memset(&g, 0, sizeof(g));
    g.root = (char *) "/r2";
    g.volumepath = (char *) "/vols";
    g.network_config_dir = (char *) "/nets";
    g.cni_config_dir = (char *) "/cni";
    put("etc/berth/berth.conf", "");
    c = load(&g);
    if (!c)
        return;
    CHECK_STR(c->volume_path, "/vols");
    CHECK_STR(c->static_dir, "/r2/libpod");
    CHECK_STR(c->network_config_dir, "/nets");
    CHECK_INT(c->set, (1u << CF_GRAPH_ROOT) | (1u << CF_STATIC_DIR) | (1u << CF_VOLUME_PATH) |
                      (1u << CF_NETWORK_CONFIG_DIR));
    config_free(c);
}

static void t_one_file(void)
{
    struct gopts g = { 0 };
    struct config *c;
    char *m, path[512], other[512];

    fresh_root();
    put("etc/berth/berth.conf", "[engine]\nruntime = \"crun\"\n");
    snprintf(path, sizeof(path), "%s", put("only.conf", "[engine]\nruntime = \"runc\"\n"));
    snprintf(other, sizeof(other), "%s", put("other.conf", "[engine]\nruntime = \"kata\"\n"));

    setenv("BERTH_CONFIG", other, 1);
    c = load(NULL);
    if (c) {
        CHECK_STR(c->runtime, "kata");
        CHECK_INT(strv_len(c->files), 1);
        CHECK_STR(c->files[0], other);
    }
    config_free(c);

    g.config = path;                                /* the flag wins over the env */
    c = load(&g);
    if (c) {
        CHECK_STR(c->runtime, "runc");
        CHECK_INT(strv_len(c->files), 1);
        CHECK_STR(c->files[0], path);
    }
    config_free(c);

    g.config = (char *) "/nonexistent/berth-x.conf";
    m = load_err(&g);
    CHECK_STR(m, "reading config file /nonexistent/berth-x.conf: stat "
                 "/nonexistent/berth-x.conf: no such file or directory");
    free(m);
    setenv("BERTH_CONFIG", "/nonexistent/env.conf", 1);
    m = load_err(NULL);
    CHECK_STR(m, "reading config file /nonexistent/env.conf: stat /nonexistent/env.conf: "
                 "no such file or directory");
    free(m);
    unsetenv("BERTH_CONFIG");
}

/* One config file body -> the error expected from config_load (%s is the
 * file's path; NULL body means the flags make the error). */
static void expect_file_err(const char *body, const char *fmt)
{
    char want[1024];
    const char *path;
    char *m;

    fresh_root();
    path = put("etc/berth/berth.conf", body);
    snprintf(want, sizeof(want), fmt, path);
    m = load_err(NULL);
    CHECK_STR(m, want);
    free(m);
}

static void t_errors(void)
{
    struct gopts g = { 0 };
    char *m;

    expect_file_err("[engine]\nruntime = \"crun\"\nruntime = \"runc\"\n",
                    "%s:3:1: duplicate key runtime");
    expect_file_err("[engine]\nconmon_path = [\"a\"\n", "%s:3:1: unterminated array");
    expect_file_err("[engine]\nruntime = 7\n", "%s: engine.runtime: expected a string, got an integer");
    expect_file_err("[engine]\nconmon_path = \"/x\"\n",
                    "%s: engine.conmon_path: expected an array of strings, got a string");
    expect_file_err("[engine]\nconmon_path = [\"/x\", 1]\n",
                    "%s: engine.conmon_path: expected an array of strings, got an array");
    expect_file_err("[engine.runtimes]\nrunc = \"/x\"\n",
                    "%s: engine.runtimes.runc: expected an array of strings, got a string");
    expect_file_err("[containers]\nlog_size_max = \"big\"\n",
                    "%s: containers.log_size_max: expected an integer, got a string");
    expect_file_err("[containers]\nhttp_proxy = 1\n",
                    "%s: containers.http_proxy: expected a boolean, got an integer");
    expect_file_err("engine = 1\n", "%s: engine: expected a table, got an integer");
    expect_file_err("[engine]\nstatic_dir = \"rel\"\n",
                    "static directory must be an absolute path - instead got \"rel\"");
    expect_file_err("[engine]\ntmp_dir = \"\"\n",
                    "temporary directory must be an absolute path - instead got \"\"");
    expect_file_err("[engine]\nvolume_path = \"v\"\n",
                    "volume path must be an absolute path - instead got \"v\"");
    expect_file_err("[storage]\nrunroot = \"r\"\n",
                    "run root must be an absolute path - instead got \"r\"");
    expect_file_err("[containers]\nlog_size_max = 100\n",
                    "log size max should be negative or above 8192 (got 100)");
    expect_file_err("[engine]\nevents_logger = \"syslog\"\n",
                    "invalid events backend \"syslog\" (use \"file\", \"journald\" or "
                    "\"none\"): invalid argument");
    expect_file_err("[engine]\ncgroup_manager = \"foo\"\n",
                    "cgroup manager must be one of systemd and cgroupfs, not \"foo\": "
                    "invalid argument");
    expect_file_err("[network]\nnetwork_backend = \"slirp\"\n",
                    "unsupported network backend \"slirp\" (use \"netavark\" or \"cni\"): "
                    "invalid argument");
    expect_file_err("[containers]\numask = \"0999\"\n",
                    "invalid umask \"0999\": an octal value up to 0777");
    expect_file_err("[containers]\ndefault_ulimits = [\"nofile\"]\n",
                    "invalid ulimit \"nofile\": want type=soft[:hard]");
    expect_file_err("[engine]\nenv = [\"NOEQUALS\"]\n",
                    "invalid [engine] env entry \"NOEQUALS\": want KEY=VALUE");

    fresh_root();
    g.events_backend = (char *) "bogus";
    m = load_err(&g);
    CHECK_STR(m, "invalid events backend \"bogus\" (use \"file\", \"journald\" or \"none\"): "
              "invalid argument");
    free(m);
    g.events_backend = NULL;
    g.tmpdir = (char *) "relative/tmp";
    m = load_err(&g);
    CHECK_STR(m, "temporary directory must be an absolute path - instead got \"relative/tmp\"");
    free(m);
    g.tmpdir = NULL;
    g.root = (char *) "rel";
    m = load_err(&g);
    CHECK_STR(m, "graph root must be an absolute path - instead got \"rel\"");
    free(m);
}

static void t_misc(void)
{
    struct gopts g = { 0 };
    struct config *c;

    fresh_root();
    unsetenv("BERTH_T_NEW");
    setenv("BERTH_T_OLD", "keep", 1);
    put("etc/berth/berth.conf",
        "unknown_top = 1\n[secrets]\ndriver = \"file\"\n"
        "[engine]\nenv = [\"BERTH_T_NEW=1=2\", \"BERTH_T_OLD=replaced\"]\nno_such_key = true\n"
        "[engine.volume_plugins]\nx = \"/run/x.sock\"\n"
        "[network]\ndefault_subnet = \"10.99.0.0/16\"\n");
    /* a long --runroot is fine in berth (podman refuses over 50 chars) */
    g.runroot = (char *) "/a/very/long/run/root/that/is/longer/than/fifty/characters/x";
    c = load(&g);
    if (!c)
        return;
    CHECK_STR(getenv("BERTH_T_NEW"), "1=2");
    CHECK_STR(getenv("BERTH_T_OLD"), "keep");
    CHECK_STR(c->default_subnet, "10.99.0.0/16");
    CHECK_STR(c->run_root, g.runroot);
    config_free(c);
    config_free(NULL);
}

/* data/berth.conf: all commented out it changes nothing; with every
 * setting uncommented it still loads and gives the built-in defaults. */
static void t_vendor_file(void)
{
    char *text = NULL, *p;
    size_t len;
    struct berr *e = NULL;
    struct config *c, *d;
    const char *path;

    if (fs_read_file("data/berth.conf", &text, &len, &e) < 0) {
        printf("# skip: %s (run from the source tree)\n", e->msg);
        berr_free(e);
        return;
    }
    fresh_root();
    put("usr/share/berth/berth.conf", text);
    c = load(NULL);
    if (c)
        CHECK_INT(c->set, 0);
    config_free(c);

    /* uncomment "#key = ...", "#  \"item\"," and "#]" lines */
    for (p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        size_t k = 1;

        if (p[0] != '#')
            continue;
        while (p[k] == '_' || (p[k] >= 'a' && p[k] <= 'z'))
            k++;
        if ((k > 1 && !strncmp(p + k, " = ", 3)) || !strncmp(p, "#  \"", 4) ||
            !strncmp(p, "#]", 2))
            p[0] = ' ';
    }
    path = put("usr/share/berth/berth.conf", text);
    free(text);
    c = load(NULL);
    unlink(path);
    d = load(NULL);
    if (!c || !d) {
        config_free(c);
        config_free(d);
        return;
    }
    CHECK_INT(c->set, (1u << CF__COUNT) - 1);
    if (geteuid() == 0) {
        CHECK_STR(c->static_dir, d->static_dir);
        CHECK_STR(c->volume_path, d->volume_path);
        CHECK_STR(c->graph_root, d->graph_root);
        CHECK_INT(c->pids_limit, d->pids_limit);
    }
    CHECK_INT(strv_len(c->default_capabilities), strv_len(d->default_capabilities));
    CHECK_INT(strv_len(c->conmon_path), strv_len(d->conmon_path));
    CHECK_INT(c->n_runtimes, d->n_runtimes);
    for (int i = 0; i < c->n_runtimes && i < d->n_runtimes; i++) {
        CHECK_STR(c->runtimes[i].name, d->runtimes[i].name);
        CHECK_INT(strv_len(c->runtimes[i].paths), strv_len(d->runtimes[i].paths));
    }
    CHECK_STR(c->default_subnet, d->default_subnet);
    CHECK_STR(c->shm_size, d->shm_size);
    CHECK_INT(c->events_logfile_max_size, d->events_logfile_max_size);
    CHECK_INT(strv_len(c->cni_plugin_dirs), strv_len(d->cni_plugin_dirs));
    CHECK_INT(strv_len(c->files), 1);
    config_free(c);
    config_free(d);
}

int main(void)
{
    UNIT_RUN(t_defaults);
    UNIT_RUN(t_layering);
    UNIT_RUN(t_file_bits);
    UNIT_RUN(t_flags);
    UNIT_RUN(t_one_file);
    UNIT_RUN(t_errors);
    UNIT_RUN(t_misc);
    UNIT_RUN(t_vendor_file);
    if (root[0]) {
        struct berr *e = NULL;
        fs_rm_rf(root, &e);
        berr_free(e);
    }
    return unit_done();
}
