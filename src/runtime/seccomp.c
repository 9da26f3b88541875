/*
 * runtime/seccomp.c: profile lookup, loading and conversion to the OCI
 * linux.seccomp object. See seccomp.h for the rules; libseccomp is used
 * only to resolve names, never to load a filter (runc does that).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/seccomp.h"
#include "util/arch.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#ifndef BERTH_DATADIR
#define BERTH_DATADIR "/usr/local/share/berth"
#endif

int seccomp_default_path(const char *exe, char **out, struct berr **err)
{
    _cleanup_free_ char *self = NULL, *dir = NULL;
    _cleanup_sbuf_ struct sbuf tried = SBUF_INIT;
    char *p;

    p = str_fmt("%s/seccomp.json", BERTH_DATADIR);
    if (!p)
        return berr_oom(err);
    if (fs_exists(p)) {
        *out = p;
        return 0;
    }
    sbuf_add(&tried, p);
    free(p);

    if (!exe) {
        self = realpath("/proc/self/exe", NULL);
        exe = self;
    }
    dir = exe ? fs_dirname(exe) : NULL;
    for (int up = 0; dir && up < 4; up++) {
        char *parent;

        p = str_fmt("%s/data/seccomp.json", dir);
        if (!p)
            return berr_oom(err);
        if (fs_exists(p)) {
            *out = p;
            return 0;
        }
        sbuf_addf(&tried, ", %s", p);
        free(p);
        parent = fs_dirname(dir);
        if (!parent || strcmp(parent, dir) == 0) {
            free(parent);
            break;
        }
        free(dir);
        dir = parent;
    }
    if (tried.oom)
        return berr_oom(err);
    return berr_new(err, BERR_ENGINE, ENOENT, "berth's seccomp profile not found (looked at %s)",
                    sbuf_str(&tried));
}

/* The profile at path, opened (-1 with the error seccomp_load_file gives). */
static int open_profile(const char *path, struct berr **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        berr_sys(err, "open %s", path);
        return berr_wrap(err, "loading seccomp profile");
    }
    return fd;
}

/* The profile open at fd, parsed: a JSON object. */
static int read_profile(int fd, const char *path, json_t **out, struct berr **err)
{
    json_t *j = NULL;

    if (js_read_fd(fd, path, &j, err) < 0)
        return berr_wrap(err, "loading seccomp profile");
    if (!json_is_object(j)) {
        json_decref(j);
        return berr_msg(err, "loading seccomp profile %s: not a JSON object", path);
    }
    *out = j;
    return 0;
}

int seccomp_load_file(const char *path, json_t **out, struct berr **err)
{
    _cleanup_close_ int fd = open_profile(path, err);

    return fd < 0 ? -1 : read_profile(fd, path, out, err);
}

const char *seccomp_native_goarch(void)
{
    return arch_go();
}

/* GOARCH -> the libseccomp architecture an archMap entry names. */
static const char *goarch_to_scmp(const char *goarch)
{
    static const struct { const char *go, *scmp; } map[] = {
        { "amd64", "SCMP_ARCH_X86_64" },    { "arm64", "SCMP_ARCH_AARCH64" },
        { "386", "SCMP_ARCH_X86" },         { "arm", "SCMP_ARCH_ARM" },
        { "ppc64le", "SCMP_ARCH_PPC64LE" }, { "ppc64", "SCMP_ARCH_PPC64" },
        { "s390x", "SCMP_ARCH_S390X" },     { "s390", "SCMP_ARCH_S390" },
        { "riscv64", "SCMP_ARCH_RISCV64" }, { "mips64le", "SCMP_ARCH_MIPSEL64" },
        { "mips64", "SCMP_ARCH_MIPS64" },   { "mipsle", "SCMP_ARCH_MIPSEL" },
        { "mips", "SCMP_ARCH_MIPS" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++)
        if (strcmp(map[i].go, goarch) == 0)
            return map[i].scmp;
    return NULL;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token (via its name "x86_64"); 0 if unknown. */
static uint32_t scmp_arch_token(const char *scmp)
{
    char name[32];
    size_t i;

    if (!str_has_prefix(scmp, "SCMP_ARCH_"))
        return 0;
    scmp += strlen("SCMP_ARCH_");
    for (i = 0; scmp[i] && i + 1 < sizeof(name); i++)
        name[i] = (char) (scmp[i] >= 'A' && scmp[i] <= 'Z' ? scmp[i] - 'A' + 'a' : scmp[i]);
    name[i] = '\0';
    return seccomp_arch_resolve_name(name);
}

int seccomp_errno_by_name(const char *name)
{
#define E(x) { #x, x }
    static const struct { const char *n; int v; } names[] = {
        E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
        E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK),
        E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),
        E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE),
        E(EROFS), E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG),
        E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(EWOULDBLOCK), E(ENOMSG),
        E(EIDRM), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(EREMOTE), E(ENOLINK),
        E(EPROTO), E(EBADMSG), E(EOVERFLOW), E(EILSEQ), E(EUSERS), E(ENOTSOCK),
        E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
        E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(ENOTSUP), E(EPFNOSUPPORT), E(EAFNOSUPPORT),
        E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ENETRESET),
        E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN),
        E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN),
        E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EDQUOT),
        E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
        E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(ENOMEDIUM),
        E(EMEDIUMTYPE), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC), E(EBADSLT),
        E(ENONET), E(ENOPKG), E(EADV), E(ESRMNT), E(ECOMM), E(EMULTIHOP), E(EDOTDOT),
        E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN),
        E(ELIBMAX), E(ELIBEXEC), E(ERESTART), E(ESTRPIPE), E(EUCLEAN), E(ENOTNAM),
        E(ENAVAIL), E(EISNAM), E(EREMOTEIO), E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST),
        E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT),
    };
#undef E
    for (size_t i = 0; name && i < ARRAY_SIZE(names); i++)
        if (strcmp(names[i].n, name) == 0)
            return names[i].v;
    return -1;
}

/* The errno of an object with "<prefix>Ret" (number) and "<prefix>" (name,
 * wins). *out = -1 when neither is there. */
static int errno_of(json_t *o, const char *name_key, const char *num_key, long long *out,
                    struct berr **err)
{
    json_t *n = json_object_get(o, name_key), *v = json_object_get(o, num_key);

    *out = -1;
    if (json_is_string(n) && json_string_length(n)) {
        int e = seccomp_errno_by_name(json_string_value(n));
        if (e < 0)
            return berr_msg(err, "unknown errno name %s in seccomp profile",
                            json_string_value(n));
        *out = e;
    } else if (json_is_integer(v)) {
        *out = json_integer_value(v);
    } else if (v && !json_is_null(v)) {
        return berr_msg(err, "%s in seccomp profile must be a number", num_key);
    }
    return 0;
}

static bool str_in(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return true;
    return false;
}

/* The filter of SPEC §4.5: should this syscall entry be emitted? */
static bool entry_applies(json_t *sc, char *const *bounding, const char *goarch)
{
    json_t *inc = json_object_get(sc, "includes"), *exc = json_object_get(sc, "excludes");
    json_t *arches, *caps, *v;
    size_t i;

    arches = json_object_get(exc, "arches");
    if (str_in(arches, goarch))
        return false;
    caps = json_object_get(exc, "caps");
    json_array_foreach(caps, i, v)
        if (json_is_string(v) && strv_contains(bounding, json_string_value(v)))
            return false;
    arches = json_object_get(inc, "arches");
    if (json_array_size(arches) && !str_in(arches, goarch))
        return false;
    caps = json_object_get(inc, "caps");
    json_array_foreach(caps, i, v)
        if (!json_is_string(v) || !strv_contains(bounding, json_string_value(v)))
            return false;
    return true;
}

/* Whether this process runs under no seccomp filter ("Seccomp:\t0" in
 * /proc/self/status). */
static bool no_filter_around_us(void)
{
    char buf[4096];
    const char *p;

    if (fs_read_small("/proc/self/status", buf, sizeof(buf)) <= 0)
        return false;
    p = strstr(buf, "\nSeccomp:");
    return p && p[9] == '\t' && p[10] == '0' && p[11] == '\n';
}

/* Whether the kernel runs x32 system calls. Most kernels are built or
 * booted without the x32 ABI (Debian's: syscall.x32=y to enable it): then
 * an x32 section of a filter can never match, and leaving it out saves
 * the OCI runtime compiling a third copy of every rule (~11 ms of each
 * `runc create` with the default profile). An x32 call on such a kernel
 * fails either way (ENOSYS there, the filter's bad-arch action here), and
 * x32 programs cannot be executed at all. Under no seccomp filter, the
 * probe is an x32 getpid() of our own (harmless either way). Under one,
 * it runs in a child: the filter may kill the caller of an x32 call. A
 * vfork()ed one: a fork()ed child made every page berth wrote afterwards
 * a copy-on-write fault (~30 us each here). The child only makes the
 * call and _exit()s, all a vfork child may do; it costs 0.1-2 ms here
 * (waking the other CPU, twice), which is why it is the second choice. */
static bool kernel_runs_x32(void)
{
#if defined(__x86_64__)
    static int known = -1;
    int status = 0;
    pid_t pid;

    if (known >= 0)
        return known;
    if (no_filter_around_us()) {
        long r = syscall(0x40000000L | 39 /* __NR_getpid */);
        known = !(r == -1 && errno == ENOSYS);
        return known;
    }
    pid = vfork();
    if (pid == 0) {
        long r = syscall(0x40000000L | 39 /* __NR_getpid */);
        _exit(r == -1 && errno == ENOSYS ? 1 : 0);
    }
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    /* unsure (no fork, killed): keep x32 in the filter, as podman does */
    known = !(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1);
    return known;
#else
    return true;
#endif
}

/* An architecture a filter needs: all but x32 where the kernel has none. */
static bool arch_wanted(const char *scmp)
{
    if (!str_eq(scmp, "SCMP_ARCH_X32") || kernel_runs_x32())
        return true;
    log_debug("seccomp: the kernel does not run x32 system calls: SCMP_ARCH_X32 left out");
    return false;
}

/* Sets out's "architectures" from the profile and fills tokens[] (libseccomp
 * arch tokens to resolve names with, native first). */
static int convert_arches(json_t *prof, const char *goarch, json_t *out, uint32_t *tokens,
                          size_t *ntok, struct berr **err)
{
    json_t *archs = json_object_get(prof, "architectures"), *map = json_object_get(prof, "archMap");
    const char *native = goarch_to_scmp(goarch);
    _cleanup_json_ json_t *list = json_array();
    json_t *v, *e;
    size_t i, j;

    if (!list)
        return berr_oom(err);
    if (json_array_size(archs) && json_array_size(map))
        return berr_msg(err, "'architectures' and 'archMap' were specified in the seccomp "
                             "profile, use either 'architectures' or 'archMap'");
    if (json_array_size(archs)) {
        json_array_foreach(archs, i, v)
            if (json_is_string(v) && arch_wanted(json_string_value(v)) &&
                json_array_append(list, v) < 0)
                return berr_oom(err);
    }
    json_array_foreach(map, i, e) {
        if (!native || !str_eq(js_str(e, "architecture", NULL), native))
            continue;
        if (json_array_append(list, json_object_get(e, "architecture")) < 0)
            return berr_oom(err);
        json_array_foreach(json_object_get(e, "subArchitectures"), j, v)
            if (json_is_string(v) && arch_wanted(json_string_value(v)) &&
                json_array_append(list, v) < 0)
                return berr_oom(err);
    }
    *ntok = 0;
    if (native)
        tokens[(*ntok)++] = scmp_arch_token(native);
    json_array_foreach(list, i, v) {
        uint32_t t = scmp_arch_token(json_string_value(v));
        if (t && *ntok < 16 && (!*ntok || tokens[0] != t))
            tokens[(*ntok)++] = t;
    }
    if (json_array_size(list) && json_object_set(out, "architectures", list) < 0)
        return berr_oom(err);
    return 0;
}

static bool name_known(const char *name, const uint32_t *tokens, size_t ntok)
{
    for (size_t i = 0; i < ntok; i++)
        if (tokens[i] && seccomp_syscall_resolve_name_arch(tokens[i], name) >= 0)
            return true;
    return false;
}

/* One syscall entry to its OCI form; *out stays NULL when it has no name left. */
static int convert_entry(json_t *sc, const uint32_t *tokens, size_t ntok, json_t **out,
                         struct berr **err)
{
    json_t *name = json_object_get(sc, "name"), *names = json_object_get(sc, "names");
    json_t *args = json_object_get(sc, "args"), *v;
    _cleanup_json_ json_t *r = json_object(), *list = json_array();
    const char *action = js_str(sc, "action", NULL);
    long long eno;
    size_t i;

    if (!r || !list)
        return berr_oom(err);
    if (!action)
        return berr_msg(err, "seccomp profile: syscall entry without an action");
    if (json_is_string(name) && json_string_length(name)) {
        if (json_array_append(list, name) < 0)
            return berr_oom(err);
    } else {
        json_array_foreach(names, i, v)
            if (json_is_string(v) && json_array_append(list, v) < 0)
                return berr_oom(err);
    }
    for (i = 0; i < json_array_size(list);) {
        const char *n = json_string_value(json_array_get(list, i));
        if (ntok && !name_known(n, tokens, ntok)) {
            log_debug("seccomp: syscall %s is unknown on this architecture, dropped", n);
            json_array_remove(list, i);
        } else {
            i++;
        }
    }
    if (!json_array_size(list)) {
        *out = NULL;
        return 0;
    }
    if (errno_of(sc, "errno", "errnoRet", &eno, err) < 0)
        return -1;
    if (json_object_set(r, "names", list) < 0 || js_set_str(r, "action", action) < 0)
        return berr_oom(err);
    if (eno >= 0 && js_set_int(r, "errnoRet", eno) < 0)
        return berr_oom(err);
    if (json_array_size(args)) {
        _cleanup_json_ json_t *a = json_array();
        if (!a)
            return berr_oom(err);
        json_array_foreach(args, i, v) {
            json_t *o = json_pack("{s:I, s:I, s:I, s:s}", "index", js_int(v, "index", 0),
                                  "value", js_int(v, "value", 0),
                                  "valueTwo", js_int(v, "valueTwo", 0),
                                  "op", js_str(v, "op", "SCMP_CMP_EQ"));
            if (!o || json_array_append_new(a, o) < 0)
                return berr_oom(err);
        }
        if (json_object_set(r, "args", a) < 0)
            return berr_oom(err);
    }
    *out = STEAL_PTR(r);
    return 0;
}

int seccomp_to_oci(json_t *prof, char *const *bounding, const char *goarch, json_t **out,
                   struct berr **err)
{
    _cleanup_json_ json_t *o = json_object(), *calls = json_array();
    uint32_t tokens[16];
    size_t ntok = 0, i;
    long long eno;
    json_t *sc, *v;

    if (!o || !calls)
        return berr_oom(err);
    if (!goarch)
        goarch = seccomp_native_goarch();
    if (!json_is_object(prof))
        return berr_msg(err, "seccomp profile is not a JSON object");
    if (js_set_str(o, "defaultAction", js_str(prof, "defaultAction", "SCMP_ACT_ERRNO")) < 0)
        return berr_oom(err);
    if (errno_of(prof, "defaultErrno", "defaultErrnoRet", &eno, err) < 0)
        return -1;
    if (eno >= 0 && js_set_int(o, "defaultErrnoRet", eno) < 0)
        return berr_oom(err);
    if (convert_arches(prof, goarch, o, tokens, &ntok, err) < 0)
        return -1;
    if ((v = json_object_get(prof, "flags")) && json_array_size(v) &&
        json_object_set(o, "flags", v) < 0)
        return berr_oom(err);
    if ((v = json_object_get(prof, "listenerPath")) && json_string_length(v) &&
        json_object_set(o, "listenerPath", v) < 0)
        return berr_oom(err);
    if ((v = json_object_get(prof, "listenerMetadata")) && json_string_length(v) &&
        json_object_set(o, "listenerMetadata", v) < 0)
        return berr_oom(err);

    json_array_foreach(json_object_get(prof, "syscalls"), i, sc) {
        json_t *r = NULL;

        if (!json_is_object(sc))
            return berr_msg(err, "seccomp profile: syscall entry %zu is not an object", i);
        /* checked before the filters, so a bad entry fails on every host */
        if (json_string_length(json_object_get(sc, "name")) &&
            json_array_size(json_object_get(sc, "names")))
            return berr_msg(err, "'name' and 'names' were specified in the seccomp profile, "
                                 "use either 'name' or 'names'");
        if (!entry_applies(sc, bounding, goarch))
            continue;
        if (convert_entry(sc, tokens, ntok, &r, err) < 0)
            return -1;
        if (r && json_array_append_new(calls, r) < 0)
            return berr_oom(err);
    }
    if (json_object_set(o, "syscalls", calls) < 0)
        return berr_oom(err);
    *out = STEAL_PTR(o);
    return 0;
}

/* ---- the converted form of a profile file, cached ---- */

/* A file on a network or FUSE file system: its attributes may be cached
 * by the client while its content is not, and its server's clock is not
 * ours. Its conversion is not kept. */
static bool remote_fs(int fd)
{
    struct statfs sf;

    if (fstatfs(fd, &sf) < 0)
        return true;
    switch ((unsigned long) sf.f_type) {
    case 0x6969:        /* NFS */
    case 0xFF534D42:    /* CIFS */
    case 0xFE534D42:    /* SMB2 */
    case 0x517B:        /* SMB */
    case 0x65735546:    /* FUSE */
    case 0x01021997:    /* v9fs */
    case 0x786f4256:    /* vboxsf */
    case 0x47504653:    /* GPFS */
    case 0x00C36400:    /* Ceph */
    case 0x0BD00BD0:    /* Lustre */
        return true;
    default:
        return false;
    }
}

static bool same_file_state(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* What the conversion of the profile open at fd (stat ps) depends on, as
 * the first lines of its cache entry: the file (its identity; a write
 * changes its ctime, which nobody can set back), berth's binary (the
 * conversion's code and the libseccomp linked into it, which resolves the
 * names: its ctime too, which a copy that keeps the mtime cannot keep),
 * the architecture, whether the kernel runs x32 calls and the bounding
 * set. NULL when a stat fails (no caching). */
static char *oci_key(const char *path, const struct stat *ps, char *const *bounding,
                     const char *goarch)
{
    _cleanup_sbuf_ struct sbuf caps = { 0 };
    struct stat es;

    if (stat("/proc/self/exe", &es) < 0)
        return NULL;
    for (size_t i = 0; bounding && bounding[i]; i++)
        if ((i && sbuf_add(&caps, ",") < 0) || sbuf_add(&caps, bounding[i]) < 0)
            return NULL;
    return str_fmt("berth seccomp profile, OCI form 2\n"
                   "exe %llu:%llu:%lld:%lld.%09ld:%lld.%09ld\n"
                   "profile %s %llu:%llu:%lld:%lld.%09ld:%lld.%09ld\n"
                   "arch %s x32 %d\ncaps %s\n\n",
                   (unsigned long long) es.st_dev, (unsigned long long) es.st_ino,
                   (long long) es.st_size, (long long) es.st_mtim.tv_sec, es.st_mtim.tv_nsec,
                   (long long) es.st_ctim.tv_sec, es.st_ctim.tv_nsec,
                   path, (unsigned long long) ps->st_dev, (unsigned long long) ps->st_ino,
                   (long long) ps->st_size, (long long) ps->st_mtim.tv_sec, ps->st_mtim.tv_nsec,
                   (long long) ps->st_ctim.tv_sec, ps->st_ctim.tv_nsec, goarch,
                   (int) kernel_runs_x32(), sbuf_str(&caps));
}

/* The entry at file whose first bytes are key: its JSON object and the
 * text after the key, or false. Only a regular file of ours that nobody
 * else may write is taken (what it says decides a container's filter). */
static bool oci_cached(const char *file, const char *key, json_t **out, char **text)
{
    _cleanup_free_ char *buf = NULL;
    size_t len = 0, kl = strlen(key);
    json_t *j;

    if (fs_read_trusted(file, &buf, &len) <= 0 || len <= kl || memcmp(buf, key, kl) != 0)
        return false;
    j = js_loadb(buf + kl, len - kl, 0, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return false;
    }
    if (text && !(*text = str_dup(buf + kl))) {
        json_decref(j);
        return false;
    }
    *out = j;
    return true;
}

int seccomp_file_to_oci(const char *cache_dir, const char *path, char *const *bounding,
                        const char *goarch, json_t **out, char **text, struct berr **err)
{
    _cleanup_json_ json_t *prof = NULL, *sc = NULL;
    _cleanup_free_ char *key = NULL, *file = NULL, *dump = NULL;
    _cleanup_close_ int fd = -1;
    struct berr *e = NULL;
    struct stat before, after;

    if (text)
        *text = NULL;
    if (!goarch)
        goarch = seccomp_native_goarch();
    /* One open: the key is the identity of the very file whose bytes are
     * converted (a path whose link moved between a stat and an open would
     * pair one file's key with another's conversion). */
    if ((fd = open_profile(path, err)) < 0)
        return -1;
    if (cache_dir && fstat(fd, &before) == 0 && S_ISREG(before.st_mode) && !remote_fs(fd) &&
        (key = oci_key(path, &before, bounding, goarch)) &&
        (file = str_fmt("%s/oci-%016llx", cache_dir, (unsigned long long) str_fnv1a(key))) &&
        oci_cached(file, key, out, text))
        return 0;
    if (read_profile(fd, path, &prof, err) < 0 ||
        seccomp_to_oci(prof, bounding, goarch, &sc, err) < 0)
        return -1;
    if ((text || file) && !(dump = js_dumps_sorted(sc, 0)))
        return berr_oom(err);
    /* Kept only when the file did not change while it was read, and not
     * in the last two seconds: the kernel stamps times at its clock tick,
     * so a rewrite of the same size right after could keep the times the
     * key holds (git's "racy" entries). */
    time_t now = time(NULL);
    if (file && (fstat(fd, &after) < 0 || !same_file_state(&before, &after) ||
                 now - before.st_mtim.tv_sec < 2 || now - before.st_ctim.tv_sec < 2)) {
        free(file);
        file = NULL;
    }
    if (file) {
        /* per boot (the tmp dir), made again on a miss: atomic for
         * readers, not synced */
        _cleanup_free_ char *entry = str_fmt("%s%s", key, dump);
        if (!entry || fs_mkdir_p(cache_dir, 0700, &e) < 0 ||
            fs_write_replace(cache_dir, strrchr(file, '/') + 1, entry, strlen(entry), 0600,
                             &e) < 0)
            log_debug("seccomp profile cache: %s", e ? e->msg : "out of memory");
        berr_free(e);
    }
    if (text)
        *text = STEAL_PTR(dump);
    *out = STEAL_PTR(sc);
    return 0;
}
