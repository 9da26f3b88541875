/*
 * test_conmon.c: conmon's argv and env, the exit command, runtime error
 * classification, oci-log parsing, /proc stat parsing, exit records.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "runtime/ociruntime.h"     /* must not clash with conmon.h */
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"

static char *joined(char **v)
{
    return strv_join(v, " ");
}

static void t_argv_default(void)
{
    char *ec[] = { "/usr/bin/berth", "--root", "/r", "container", "cleanup", "ID", NULL };
    struct conmon_opts o = {
        .conmon_path = "/usr/bin/conmon", .runtime_path = "/usr/sbin/runc", .id = "ID",
        .name = "web", .bundle = "/b", .rundir = "/r", .exit_dir = "/t/exits",
        .persist_dir = "/t/persist/ID", .runtime_supports_json = true, .exit_command = ec,
    };
    _cleanup_strv_ strv v = NULL;
    _cleanup_free_ char *s = NULL;
    struct berr *err = NULL;

    CHECK(conmon_argv(&o, &v, &err) == 0);
    s = joined(v);
    CHECK_STR(s, "/usr/bin/conmon --api-version 1 -c ID -u ID -r /usr/sbin/runc -b /b -p /r/pidfile "
                 "-n web --exit-dir /t/exits --persist-dir /t/persist/ID --full-attach "
                 "-l k8s-file:/b/ctr.log --log-level warning "
                 "--runtime-arg --log-format=json --runtime-arg --log --runtime-arg=/r/oci-log "
                 "--conmon-pidfile /r/conmon.pid --exit-command /usr/bin/berth "
                 "--exit-command-arg --root --exit-command-arg /r --exit-command-arg container "
                 "--exit-command-arg cleanup --exit-command-arg ID");
}

static void t_argv_options(void)
{
    char *flags[] = { "--systemd-cgroup=false", NULL };
    struct conmon_opts o = {
        .conmon_path = "conmon", .runtime_path = "/crun", .id = "X", .bundle = "/b",
        .rundir = "/r", .pidfile = "/my/pid", .exit_dir = "/e", .runtime_flags = flags,
        .systemd_cgroup = true, .log_driver = "none", .log_level = "debug",
        .log_size_max = 1000, .log_tag = "tag", .cgroups_disabled = true, .stdin = true,
        .timeout = 30, .no_pivot = true, .no_new_keyring = true, .runtime_supports_json = true,
    };
    _cleanup_strv_ strv v = NULL, w = NULL;
    _cleanup_free_ char *s = NULL, *t = NULL;
    struct berr *err = NULL;

    CHECK(conmon_argv(&o, &v, &err) == 0);
    s = joined(v);
    /* debug: --syslog, and no oci-log runtime args */
    CHECK_STR(s, "conmon --api-version 1 -c X -u X -r /crun -b /b -p /my/pid -n X --exit-dir /e "
                 "--full-attach --runtime-arg --systemd-cgroup=false -s -l none --log-level debug "
                 "--syslog --log-size-max 1000 --log-tag tag --runtime-arg --cgroup-manager "
                 "--runtime-arg disabled -i --timeout=30 --no-new-keyring --conmon-pidfile /r/conmon.pid "
                 "--no-pivot");
    o.terminal = true;
    o.log_driver = "k8s-file";
    o.log_path = "/logs/x.log";
    o.log_level = "info";
    CHECK(conmon_argv(&o, &w, &err) == 0);
    t = joined(w);
    CHECK(strstr(t, " -t ") && !strstr(t, " -i "));
    CHECK(strstr(t, "-l k8s-file:/logs/x.log --log-level info --log-size-max"));
    CHECK(!strstr(t, "--no-sync-log"));
    /* an --rm container's log goes with it: conmon need not sync it */
    strv_free(w);
    free(t);
    o.no_sync_log = true;
    CHECK(conmon_argv(&o, &w, &err) == 0);
    t = joined(w);
    CHECK(strstr(t, " --no-new-keyring --no-sync-log --conmon-pidfile "));
}

/* An exec session (SPEC §2.4): -u is the session, -t and -i together,
 * preserved fds as runtime options, then -e --exec-attach and the spec. */
static void t_argv_exec(void)
{
    char *ec[] = { "/usr/bin/berth", "container", "cleanup", "--exec", "SID", "ID", NULL };
    struct conmon_opts o = {
        .conmon_path = "/usr/bin/conmon", .runtime_path = "/usr/sbin/runc", .id = "ID",
        .cuuid = "SID", .name = "web", .bundle = "/b/SID", .rundir = "/b/SID",
        .pidfile = "/b/SID/exec_pid", .exit_dir = "/b/SID/exit", .log_driver = "none",
        .terminal = true, .stdin = true, .preserve_fds = 2, .exec_spec = "/b/SID/exec-process-1",
        .exit_command = ec,
    };
    _cleanup_strv_ strv v = NULL;
    _cleanup_free_ char *s = NULL;
    struct berr *err = NULL;

    CHECK(conmon_argv(&o, &v, &err) == 0);
    s = joined(v);
    CHECK_STR(s, "/usr/bin/conmon --api-version 1 -c ID -u SID -r /usr/sbin/runc -b /b/SID "
                 "-p /b/SID/exec_pid -n web --exit-dir /b/SID/exit --full-attach -l none "
                 "--log-level warning --runtime-opt --preserve-fds --runtime-opt 2 -t -i "
                 "--conmon-pidfile /b/SID/conmon.pid -e --exec-attach --exec-process-spec "
                 "/b/SID/exec-process-1 --exit-command /usr/bin/berth --exit-command-arg container "
                 "--exit-command-arg cleanup --exit-command-arg --exec --exit-command-arg SID "
                 "--exit-command-arg ID");
}

static void t_exit_command(void)
{
    char *sopts[] = { "overlay.mountopt=nodev", NULL };
    struct exitcmd_opts o = {
        .berth = "/usr/bin/berth", .root = "/var/lib/b", .runroot = "/run/b", .tmpdir = "/run/bl",
        .volumepath = "/var/lib/b/volumes", .cgroup_manager = "cgroupfs", .network_config_dir = "",
        .network_backend = "netavark", .runtime = "runc", .events_backend = "file",
        .storage_driver = "overlay", .storage_opts = sopts, .rm = true, .id = "abc",
    };
    _cleanup_strv_ strv v = NULL, w = NULL;
    _cleanup_free_ char *s = NULL, *t = NULL;
    struct berr *err = NULL;

    CHECK(conmon_exit_command(&o, &v, &err) == 0);
    s = joined(v);
    CHECK_STR(s, "/usr/bin/berth --root /var/lib/b --runroot /run/b --log-level warning "
                 "--cgroup-manager cgroupfs --tmpdir /run/bl --network-config-dir  "
                 "--network-backend netavark --volumepath /var/lib/b/volumes --runtime runc "
                 "--storage-driver overlay --storage-opt overlay.mountopt=nodev "
                 "--events-backend file container cleanup --rm abc");
    CHECK_STR(v[12], "");       /* the empty network config dir is an argument */
    o.rm = false;
    o.exec_session = "sid";
    o.log_level = "debug";
    o.config = "/etc/x.conf";
    CHECK(conmon_exit_command(&o, &w, &err) == 0);
    t = joined(w);
    CHECK(str_has_prefix(t, "/usr/bin/berth --config /etc/x.conf --root"));
    CHECK(str_has_suffix(t, "--syslog container cleanup --exec sid abc"));
}

static void t_env(void)
{
    char *vars[] = { "FOO=1", "PATH=/first", NULL };
    char *envp[] = { "PATH=/usr/bin:/bin", "HOME=/root", "LC_ALL=C", "SECRET=x",
                     "CONTAINERS_CONF=/c.conf", NULL };
    _cleanup_strv_ strv v = NULL;
    struct berr *err = NULL;

    CHECK(conmon_env(vars, envp, &v, &err) == 0);
    CHECK(strv_contains(v, "FOO=1"));
    CHECK(strv_contains(v, "_OCI_SYNCPIPE=3"));
    CHECK(strv_contains(v, "_OCI_STARTPIPE=4"));
    CHECK(strv_contains(v, "PATH=/usr/bin:/bin"));
    CHECK(!strv_contains(v, "PATH=/first"));
    CHECK(strv_contains(v, "HOME=/root"));
    CHECK(strv_contains(v, "LC_ALL=C"));
    CHECK(strv_contains(v, "CONTAINERS_CONF=/c.conf"));
    CHECK(strv_contains(v, "_CONTAINERS_ROOTLESS_UID="));
    CHECK(!strv_contains(v, "SECRET=x"));
}

static void t_classify(void)
{
    static const struct { const char *msg; int code; const char *want; } cases[] = {
        { "runc create failed: unable to start container process: exec: \"/nonexistent\": "
          "stat /nonexistent: no such file or directory", 127,
          "runc: runc create failed: unable to start container process: exec: \"/nonexistent\": "
          "stat /nonexistent: no such file or directory: OCI runtime attempted to invoke a command that was not found" },
        { "first line\nerror setting rlimit type 7: Operation not permitted\nlast\n", 126,
          "runc: error setting rlimit type 7: Operation not permitted: OCI permission denied" },
        { "exec: \"/etc\": Permission denied", 126,
          "runc: exec: \"/etc\": Permission denied: OCI permission denied" },
        { "exec: \"foo\": executable file not found in $PATH", 127,
          "runc: exec: \"foo\": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found" },
        { "something broke\n", 126, "runc: something broke: OCI runtime error" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct berr *err = NULL;
        CHECK(conmon_classify_error("runc", cases[i].msg, false, &err) < 0);
        CHECK_INT(err->exit_code, cases[i].code);
        CHECK_STR(err->msg, cases[i].want);
        berr_free(err);
    }
}

static void t_oci_log(void)
{
    _cleanup_free_ char *a = conmon_oci_log_message(
        "{\"level\":\"warning\",\"msg\":\"w\",\"time\":\"t\"}\n"
        "{\"level\":\"error\",\"msg\":\"the error\",\"time\":\"t\"}\n"
        "{\"level\":\"info\",\"msg\":\"later\",\"time\":\"t\"}\n");
    _cleanup_free_ char *b = conmon_oci_log_message("{\"level\":\"info\",\"msg\":\"only\"}");
    _cleanup_free_ char *c = conmon_oci_log_message("not json\n");

    CHECK_STR(a, "the error");
    CHECK_STR(b, "only");
    CHECK(c == NULL);
}

static void t_proc_stat(void)
{
    unsigned long long t = 0;
    const char *stat = "1234 (we ird) name)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                       "987654 1000 100 18446744073709551615";

    CHECK(proc_parse_start_time(stat, &t) == 0);
    CHECK_INT(t, 987654);
    CHECK(proc_parse_start_time("1 (x) S 1 2", &t) < 0);
    CHECK(proc_start_time(getpid(), &t) == 0 && t > 0);
    CHECK(proc_alive(getpid(), t));
    CHECK(!proc_alive(getpid(), t + 1));
    CHECK(proc_alive(getpid(), 0));
    CHECK(!proc_alive(0, 0));
    CHECK_INT(oci_status_parse("running"), OCI_RUNNING);
    CHECK_INT(oci_status_parse("creating"), -1);
}

/* A pidfd wakes its waiter when the process exits, and is refused for a
 * pid whose start time is not the one asked for (a recycled pid). */
static void t_pidfd(void)
{
    unsigned long long t = 0;
    pid_t pid = fork();
    int fd, status;

    if (pid == 0) {
        pause();
        _exit(0);
    }
    CHECK(pid > 0 && proc_start_time(pid, &t) == 0);
    CHECK_INT(proc_pidfd(pid, t + 1), -1);
    fd = proc_pidfd(pid, t);
    CHECK(fd >= 0);
    CHECK_INT(proc_pidfd_wait(fd, 20), 0);      /* still running */
    kill(pid, SIGKILL);
    CHECK_INT(proc_pidfd_wait(fd, 5000), 1);    /* at once, not after 5 s */
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK_INT(proc_pidfd(pid, t), -1);          /* reaped: gone */
    if (fd >= 0)
        close(fd);
}

static void t_exit_records(void)
{
    char dir[] = "/tmp/berth-exit-XXXXXX";
    struct berr *err = NULL;
    struct timespec when = { 0 };
    int code = -99;
    bool oom = true;

    CHECK(mkdtemp(dir) != NULL);
    CHECK_INT(conmon_read_exit_file(dir, "abc", &code, &when, &err), 0);
    CHECK(fs_write_atomic(dir, "abc", "137", 3, 0644, &err) == 0);
    CHECK_INT(conmon_read_exit_file(dir, "abc", &code, &when, &err), 1);
    CHECK_INT(code, 137);
    CHECK(when.tv_sec > 0);
    CHECK(fs_write_atomic(dir, "bad", "x", 1, 0644, &err) == 0);
    CHECK_INT(conmon_read_exit_file(dir, "bad", &code, NULL, &err), -1);
    CHECK_INT(conmon_read_persist(dir, &code, &oom, &err), 0);
    CHECK(!oom);
    CHECK(fs_write_atomic(dir, "exit", "3\n", 2, 0644, &err) == 0);
    CHECK(fs_write_atomic(dir, "oom", "", 0, 0644, &err) == 0);
    CHECK_INT(conmon_read_persist(dir, &code, &oom, &err), 1);
    CHECK_INT(code, 3);
    CHECK(oom);
    fs_rm_rf(dir, &err);
    berr_free(err);
}

int main(void)
{
    UNIT_RUN(t_argv_default);
    UNIT_RUN(t_argv_options);
    UNIT_RUN(t_argv_exec);
    UNIT_RUN(t_exit_command);
    UNIT_RUN(t_env);
    UNIT_RUN(t_classify);
    UNIT_RUN(t_oci_log);
    UNIT_RUN(t_proc_stat);
    UNIT_RUN(t_pidfd);
    UNIT_RUN(t_exit_records);
    return unit_done();
}
