/*
 * test_seccomp.c: profile conversion (SPEC-podman.md §4.5) and berth's
 * own data/seccomp.json.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include "runtime/seccomp.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

static char *default_caps[] = {
    "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP",
    "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", NULL,
};

static json_t *convert(const char *text, char **caps, const char *arch, char **errmsg)
{
    json_error_t je;
    _cleanup_json_ json_t *p = json_loads(text, 0, &je);
    struct berr *err = NULL;
    json_t *out = NULL;

    if (!p) {
        printf("# bad test JSON: %s\n", je.text);
        return NULL;
    }
    if (seccomp_to_oci(p, caps, arch, &out, &err) < 0) {
        if (errmsg)
            *errmsg = str_dup(err->msg);
        berr_free(err);
        return NULL;
    }
    return out;
}

static const char *first_name(json_t *o, size_t i)
{
    return json_string_value(json_array_get(
        json_object_get(json_array_get(json_object_get(o, "syscalls"), i), "names"), 0));
}

static void t_caps_filter(void)
{
    const char *prof = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
        "{\"names\":[\"chroot\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_CHROOT\"]}},"
        "{\"names\":[\"chroot\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,\"excludes\":{\"caps\":[\"CAP_SYS_CHROOT\"]}},"
        "{\"names\":[\"bpf\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_SYS_CHROOT\"]}},"
        "{\"names\":[\"bpf\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EPERM\",\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}"
        "]}";
    char *with[] = { "CAP_SYS_CHROOT", NULL }, *none[] = { NULL };
    _cleanup_json_ json_t *a = convert(prof, with, "amd64", NULL);
    _cleanup_json_ json_t *b = convert(prof, none, "amd64", NULL);
    json_t *sc;

    CHECK(a && b);
    if (!a || !b)
        return;
    sc = json_object_get(a, "syscalls");
    CHECK_INT(json_array_size(sc), 2);
    CHECK_STR(first_name(a, 0), "chroot");
    CHECK_STR(json_string_value(json_object_get(json_array_get(sc, 0), "action")), "SCMP_ACT_ALLOW");
    CHECK_STR(first_name(a, 1), "bpf");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(sc, 1), "errnoRet")), 1);
    CHECK(!json_object_get(json_array_get(sc, 0), "includes"));
    sc = json_object_get(b, "syscalls");
    CHECK_INT(json_array_size(sc), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(sc, 0), "action")), "SCMP_ACT_ERRNO");
    CHECK_STR(first_name(b, 1), "bpf");
}

static bool test_kernel_x32(void)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        _exit(syscall(0x40000000L | SYS_getpid) == -1 && errno == ENOSYS ? 1 : 0);
    waitpid(pid, &status, 0);
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

static void t_arch_map(void)
{
    const char *prof = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"archMap\":["
        "{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},"
        "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}],"
        "\"syscalls\":["
        "{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\",\"x32\"]}},"
        "{\"names\":[\"cacheflush\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"arm\",\"arm64\"]}},"
        "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":[\"arm64\"]}}]}";
    _cleanup_json_ json_t *x = convert(prof, default_caps, "amd64", NULL);
    _cleanup_json_ json_t *a = convert(prof, default_caps, "arm64", NULL);
    _cleanup_free_ char *xa = NULL, *aa = NULL;

    CHECK(x && a);
    if (!x || !a)
        return;
    xa = json_dumps(json_object_get(x, "architectures"), JSON_COMPACT);
    aa = json_dumps(json_object_get(a, "architectures"), JSON_COMPACT);
    /* x32 only where the kernel runs x32 calls (probed here on our own) */
    CHECK_STR(xa, test_kernel_x32() ? "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]"
                                    : "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]");
    CHECK_STR(aa, "[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"]");
    CHECK_INT(json_integer_value(json_object_get(x, "defaultErrnoRet")), 38);
    CHECK_INT(json_array_size(json_object_get(x, "syscalls")), 2);
    CHECK_STR(first_name(x, 0), "arch_prctl");
    CHECK_STR(first_name(x, 1), "read");
    CHECK_INT(json_array_size(json_object_get(a, "syscalls")), 1);
    CHECK_STR(first_name(a, 0), "cacheflush");
}

static void t_both_arch_forms(void)
{
    char *msg = NULL;
    json_t *o = convert("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                        "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}],\"syscalls\":[]}",
                        default_caps, "amd64", &msg);
    CHECK(!o);
    CHECK(msg && strstr(msg, "use either 'architectures' or 'archMap'"));
    free(msg);
    json_decref(o);
}

static void t_name_names_conflict(void)
{
    char *msg = NULL;
    json_t *o = convert("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
                        "{\"name\":\"read\",\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\","
                        "\"includes\":{\"caps\":[\"CAP_NOPE\"]}}]}",
                        default_caps, "amd64", &msg);
    CHECK(!o);
    CHECK_STR(msg, "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
    free(msg);
    json_decref(o);
}

static void t_unknown_dropped(void)
{
    _cleanup_json_ json_t *o = convert(
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\","
        "\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],\"syscalls\":["
        "{\"names\":[\"read\",\"berth_no_such_call\",\"chown32\"],\"action\":\"SCMP_ACT_ALLOW\"},"
        "{\"name\":\"another_bogus_call\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
        default_caps, "amd64", NULL);
    _cleanup_free_ char *names = NULL;

    CHECK(o);
    if (!o)
        return;
    CHECK_INT(json_array_size(json_object_get(o, "syscalls")), 1);
    names = json_dumps(json_object_get(json_array_get(json_object_get(o, "syscalls"), 0), "names"),
                       JSON_COMPACT);
    /* chown32 exists only for the x86 sub-architecture: kept */
    CHECK_STR(names, "[\"read\",\"chown32\"]");
}

static void t_errno_names(void)
{
    char *msg = NULL;
    _cleanup_json_ json_t *o = convert(
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"EPERM\",\"defaultErrnoRet\":38,"
        "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EINVAL\",\"errnoRet\":5},"
        "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
        "{\"names\":[\"open\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":2,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
        default_caps, "amd64", NULL);
    json_t *bad, *sc;

    CHECK(o);
    if (!o)
        return;
    sc = json_object_get(o, "syscalls");
    CHECK_INT(json_integer_value(json_object_get(o, "defaultErrnoRet")), 1);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(sc, 0), "errnoRet")), 22);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(sc, 1), "errnoRet")), 13);
    CHECK(!json_object_get(json_array_get(sc, 2), "errnoRet"));
    CHECK_INT(json_integer_value(json_object_get(json_array_get(json_object_get(json_array_get(sc, 2), "args"), 0), "valueTwo")), 0);
    CHECK_INT(seccomp_errno_by_name("ENOSYS"), ENOSYS);
    CHECK_INT(seccomp_errno_by_name("EFOO"), -1);
    bad = convert("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
                  "\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EFOO\"}]}", default_caps, "amd64", &msg);
    CHECK(!bad);
    CHECK(msg && strstr(msg, "EFOO"));
    free(msg);
}

/* berth's own profile gives 19 rules for the 14 default capabilities, as
 * SPEC §4.5 observed for podman's, with a plain socket ALLOW last. */
static void t_default_profile(void)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_json_ json_t *p = NULL, *o = NULL, *priv = NULL;
    struct berr *err = NULL;
    json_t *sc, *last;

    CHECK(seccomp_default_path(NULL, &path, &err) == 0);
    if (!path) {
        printf("# %s\n", err ? err->msg : "?");
        berr_free(err);
        return;
    }
    CHECK(seccomp_load_file(path, &p, &err) == 0);
    CHECK(p && seccomp_to_oci(p, default_caps, NULL, &o, &err) == 0);
    if (!o)
        return;
    CHECK_STR(json_string_value(json_object_get(o, "defaultAction")), "SCMP_ACT_ERRNO");
    CHECK_INT(json_integer_value(json_object_get(o, "defaultErrnoRet")), 38);
    sc = json_object_get(o, "syscalls");
    last = json_array_get(sc, json_array_size(sc) - 1);
    CHECK_STR(json_string_value(json_array_get(json_object_get(last, "names"), 0)), "socket");
    CHECK(!json_object_get(last, "args"));
    CHECK_STR(json_string_value(json_object_get(last, "action")), "SCMP_ACT_ALLOW");
    CHECK_INT(json_array_size(sc), 19);
    berr_free(err);
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

    if (fd >= 0)
        close(fd);
    return n == (ssize_t) strlen(text) ? 0 : -1;
}

/* How many entries the cache dir holds. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (!d)
        return errno == ENOENT ? 0 : -1;
    while ((de = readdir(d)))
        n += str_has_prefix(de->d_name, "oci-");
    closedir(d);
    return n;
}

/* Every entry's text after its key becomes repl (mode 0600). */
static void tamper(const char *dir, const char *repl)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    while (d && (de = readdir(d))) {
        _cleanup_free_ char *p = NULL, *buf = NULL, *out = NULL;
        struct berr *e = NULL;
        size_t len = 0;
        char *end;

        if (!str_has_prefix(de->d_name, "oci-"))
            continue;
        p = str_fmt("%s/%s", dir, de->d_name);
        if (!p || fs_read_file(p, &buf, &len, &e) < 0 || !(end = strstr(buf, "\n\n"))) {
            berr_free(e);
            CHECK(false);
            continue;
        }
        end[2] = '\0';
        out = str_fmt("%s%s", buf, repl);
        CHECK(out && write_text(p, out) == 0 && chmod(p, 0600) == 0);
    }
    if (d)
        closedir(d);
}

/* The cached conversion: a fresh profile is converted, not kept; an old
 * one is kept, and the entry is what a hit returns; an entry others may
 * write, a torn one, another bounding set, a rewrite of the same size
 * with its mtime put back (its ctime moved) are not taken. */
static void t_file_cache(void)
{
    char dir[] = "/tmp/test_seccomp.XXXXXX";
    _cleanup_free_ char *prof = NULL, *cache = NULL, *t1 = NULL, *t2 = NULL, *t3 = NULL;
    _cleanup_free_ char *d1 = NULL;
    _cleanup_json_ json_t *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL;
    struct berr *err = NULL;
    const char *chown_rule = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
                             "{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                             "{\"names\":[\"chown\"],\"action\":\"SCMP_ACT_ALLOW\","
                             "\"includes\":{\"caps\":[\"CAP_CHOWN\"]}}]}";

    if (!mkdtemp(dir)) {
        CHECK(false);
        return;
    }
    prof = str_fmt("%s/profile.json", dir);
    cache = str_fmt("%s/cache", dir);
    CHECK(write_text(prof, chown_rule) == 0);
    /* just written: converted, not kept (its times may not change at a
     * rewrite within the same clock tick) */
    CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o1, &t1, &err), 0);
    CHECK_INT(entries(cache), 0);
    json_decref(o1);
    free(t1);
    usleep(2200 * 1000);
    CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o1, &t1, &err), 0);
    CHECK_INT(entries(cache), 1);
    CHECK(o1 && t1 && (d1 = js_dumps_sorted(o1, 0)) && strcmp(d1, t1) == 0);
    CHECK_INT(json_array_size(json_object_get(o1, "syscalls")), 2);
    /* a hit returns the entry's object and text */
    tamper(cache, "{\"marker\":true}");
    CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o2, &t2, &err), 0);
    CHECK(o2 && json_is_true(json_object_get(o2, "marker")));
    CHECK_STR(t2, "{\"marker\":true}");
    /* an entry others may write is not taken: the conversion is made
     * again (and kept again, ours) */
    {
        _cleanup_free_ char *cmd = str_fmt("chmod 0666 %s/oci-*", cache);
        CHECK(cmd && system(cmd) == 0);
        json_decref(o2);
        o2 = NULL;
        CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o2, NULL, &err), 0);
        CHECK(o2 && json_equal(o1, o2));
        json_decref(o2);
        o2 = NULL;
        CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o2, NULL, &err), 0);
        CHECK(o2 && json_equal(o1, o2));
        CHECK_INT(entries(cache), 1);
    }
    /* a torn entry (not its key) is not taken either */
    {
        _cleanup_free_ char *cmd = str_fmt("for f in %s/oci-*; do printf '{}' > $f; "
                                           "chmod 0600 $f; done", cache);
        CHECK(cmd && system(cmd) == 0);
        json_decref(o2);
        o2 = NULL;
        CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o2, NULL, &err), 0);
        CHECK(o2 && json_equal(o1, o2));
    }
    /* another bounding set is another conversion (chown's rule needs CAP_CHOWN) */
    CHECK_INT(seccomp_file_to_oci(cache, prof, &default_caps[13], "amd64", &o3, &t3, &err), 0);
    CHECK_INT(json_array_size(json_object_get(o3, "syscalls")), 1);
    /* rewritten in place with the same size, its mtime put back: the
     * ctime moved, so chmod's rule is what comes back, not chown's */
    {
        struct stat st;
        _cleanup_json_ json_t *o7 = NULL;
        _cleanup_free_ char *same = str_dup(chown_rule);
        char *c = same ? strstr(same, "\"chown\"") : NULL;

        CHECK(c && stat(prof, &st) == 0);
        if (c) {
            memcpy(c, "\"chmod\"", 7);
            CHECK(write_text(prof, same) == 0);
            struct timespec ts[2] = { st.st_atim, st.st_mtim };
            CHECK(utimensat(AT_FDCWD, prof, ts, 0) == 0);
        }
        CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o7, NULL, &err), 0);
        CHECK_STR(json_string_value(json_array_get(json_object_get(
                      json_array_get(json_object_get(o7, "syscalls"), 1), "names"), 0)), "chmod");
    }
    /* another content altogether */
    CHECK(write_text(prof, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}") == 0);
    CHECK_INT(seccomp_file_to_oci(cache, prof, default_caps, "amd64", &o4, NULL, &err), 0);
    CHECK_STR(json_string_value(json_object_get(o4, "defaultAction")), "SCMP_ACT_ALLOW");
    /* no cache dir: a plain conversion, text still given */
    {
        _cleanup_json_ json_t *o5 = NULL;
        _cleanup_free_ char *t5 = NULL;
        CHECK_INT(seccomp_file_to_oci(NULL, prof, default_caps, "amd64", &o5, &t5, &err), 0);
        CHECK(o5 && t5 && json_equal(o4, o5));
    }
    /* a missing profile fails as seccomp_load_file does */
    {
        _cleanup_free_ char *gone = str_fmt("%s/none.json", dir);
        json_t *o6 = NULL;
        char *want = NULL;
        CHECK_INT(seccomp_file_to_oci(cache, gone, default_caps, "amd64", &o6, NULL, &err), -1);
        CHECK(err && strstr(err->msg, "loading seccomp profile"));
        if (err) {
            want = str_dup(err->msg);
            berr_freep(&err);
        }
        CHECK_INT(seccomp_load_file(gone, &o6, &err), -1);
        CHECK(want && err && strcmp(want, err->msg) == 0);
        free(want);
        berr_freep(&err);
    }
    {
        _cleanup_berr_ struct berr *e = NULL;
        CHECK(fs_rm_rf(dir, &e) == 0);
    }
    berr_free(err);
}

int main(void)
{
    UNIT_RUN(t_caps_filter);
    UNIT_RUN(t_arch_map);
    UNIT_RUN(t_both_arch_forms);
    UNIT_RUN(t_name_names_conflict);
    UNIT_RUN(t_unknown_dropped);
    UNIT_RUN(t_errno_names);
    UNIT_RUN(t_default_profile);
    UNIT_RUN(t_file_cache);
    return unit_done();
}
