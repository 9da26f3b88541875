/*
 * test/unit/test_bpfcompact.c: util/bpfcompact.c on crun's filter for
 * berth's default profile, on filters libseccomp builds here, and on
 * chains made by hand (first match, edges, entries into a chain's
 * middle, what is kept as it is).
 */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util/bpfcompact.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define ALLOW 0x7fff0000u

static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0,
                                   AUDIT_ARCH_X86_64 + 1, UINT32_MAX };
static const uint64_t argv_[] = { 0, 1, 2, 8, 0x20000, 0x20008, 0xffffffff, 0x100000000ULL,
                                  0x7e020000, 0x10000000, 40, 41, UINT64_MAX };

/* a and b on every nr below 1024 (and below 512 in x32's form) for each
 * arch above, and for x86_64's and i386's nr below 512 each value above
 * in each argument: the same return */
static bool same_everywhere(const struct sock_filter *a, size_t na, const struct sock_filter *b,
                            size_t nb)
{
    for (size_t ar = 0; ar < sizeof(arches) / sizeof(*arches); ar++)
        for (uint32_t i = 0; i < 1536; i++) {
            uint32_t nr = i < 1024 ? i : (i - 1024) | 0x40000000u;
            struct seccomp_data d = { .nr = (int) nr, .arch = arches[ar] };
            if (bpf_run(a, na, &d) != bpf_run(b, nb, &d) || bpf_run(a, na, &d) < 0)
                return false;
            for (int arg = 0; ar < 2 && nr < 512 && arg < 6; arg++)
                for (size_t v = 0; v < sizeof(argv_) / sizeof(*argv_); v++) {
                    struct seccomp_data e = d;
                    e.args[arg] = argv_[v];
                    if (bpf_run(a, na, &e) != bpf_run(b, nb, &e))
                        return false;
                }
        }
    return true;
}

/* p compacted (NULL: a failed check), said in a TAP comment as what, and
 * deciding as p does everywhere same_everywhere looks */
static struct sock_filter *compacted(const struct sock_filter *p, size_t n, size_t *on,
                                     const char *what)
{
    struct sock_filter *out = NULL;

    CHECK_INT(bpf_compact(p, n, &out, on), 1);
    if (out) {
        printf("# %s: %zu -> %zu instructions\n", what, n, *on);
        CHECK(same_everywhere(p, n, out, *on));
    }
    return out;
}

static void t_default_profile(void)
{
    _cleanup_free_ char *buf = NULL;
    _cleanup_free_ struct sock_filter *out = NULL;
    struct berr *e = NULL;
    size_t len = 0, n, on = 0;
    struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64 };

    /* the filter crun 1.8 compiled for berth's default profile */
    CHECK(fs_read_file("test/data/seccomp-default-crun-x86_64.bpf", &buf, &len, &e) == 0);
    if (!buf)
        return;
    n = len / sizeof(struct sock_filter);
    CHECK_INT(n, 790);
    if (!(out = compacted((struct sock_filter *) buf, n, &on, "default profile")))
        return;
    CHECK(on < n / 3);
    CHECK(bpf_same((struct sock_filter *) buf, n, out, on));
    /* what the profile says, both ways: read allowed, kexec_load not */
    d.nr = 0;
    CHECK_INT(bpf_run(out, on, &d), ALLOW);
    d.nr = 246;
    CHECK(bpf_run(out, on, &d) != ALLOW);
    CHECK_INT(bpf_run(out, on, &d), bpf_run((struct sock_filter *) buf, n, &d));
    /* compacting again gains nothing more that changes a decision */
    {
        _cleanup_free_ struct sock_filter *again = NULL;
        size_t an = 0;
        CHECK(bpf_compact(out, on, &again, &an) >= 0);
        if (again)
            CHECK(same_everywhere(out, on, again, an));
    }
}

/* ctx's program as libseccomp writes it (*n instructions), or NULL;
 * ctx released */
static struct sock_filter *exported(scmp_filter_ctx ctx, size_t *n)
{
    struct sock_filter *p = NULL;
    int fd = memfd_create("bpf", MFD_CLOEXEC);
    off_t size;

    if (fd >= 0 && seccomp_export_bpf(ctx, fd) == 0 && (size = lseek(fd, 0, SEEK_END)) > 0 &&
        (p = malloc((size_t) size)) && pread(fd, p, (size_t) size, 0) == size)
        *n = (size_t) size / sizeof(*p);
    else {
        free(p);
        p = NULL;
    }
    if (fd >= 0)
        close(fd);
    seccomp_release(ctx);
    return p;
}

/* a filter of libseccomp's with argument rules, for three arches */
static struct sock_filter *seccomp_built(size_t *n)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
    static const int denied[] = { 246, 320, 169, 167, 168, 163, 175, 176, 313, 155, 166 };

    if (!ctx)
        return NULL;
    if (seccomp_arch_add(ctx, SCMP_ARCH_X86) < 0 || seccomp_arch_add(ctx, SCMP_ARCH_X32) < 0)
        goto out;
    for (int nr = 0; nr < 335; nr++) {
        /* personality, clone, socket, prctl: below, by argument */
        bool skip = nr == 135 || nr == 56 || nr == 41 || nr == 157;
        for (size_t i = 0; i < sizeof(denied) / sizeof(*denied); i++)
            skip = skip || nr == denied[i];
        if (!skip && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) < 0 && nr < 300)
            goto out;
    }
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_EQ, 0)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_EQ, 8)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
                         SCMP_A0(SCMP_CMP_EQ, 0x20000)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, 0x7e020000, 0)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 40)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_GT, 5)) < 0)
        goto out;
    return exported(ctx, n);
out:
    seccomp_release(ctx);
    return NULL;
}

/* 150 syscalls allowed, 150 more each for one value of its first
 * argument (a target of its own each): more ranges than one search can
 * reach, so the chain is cut into parts, the part of plain ones gaining */
static void t_long_chain_cut(void)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
    _cleanup_free_ struct sock_filter *p = NULL, *out = NULL;
    size_t n = 0, on = 0;

    if (!ctx)
        return;
    for (int nr = 0; nr < 335; nr++) {
        int r = nr < 150 ? seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)
                         : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, (unsigned) nr));
        CHECK(r == 0 || nr >= 300);
    }
    p = exported(ctx, &n);
    CHECK(n > 0);
    if (!n)
        return;
    if (!(out = compacted(p, n, &on, "150 syscalls by argument, 150 not")))
        return;
    CHECK(on < n);
    for (uint32_t nr = 0; nr < 340; nr++) {
        struct seccomp_data d = { .nr = (int) nr, .arch = AUDIT_ARCH_X86_64 };
        d.args[0] = nr;
        CHECK_INT(bpf_run(out, on, &d), bpf_run(p, n, &d));
        d.args[0] = nr + 1;
        CHECK_INT(bpf_run(out, on, &d), bpf_run(p, n, &d));
    }
}

static void t_libseccomp(void)
{
    size_t n = 0, on = 0;
    _cleanup_free_ struct sock_filter *p = seccomp_built(&n);
    _cleanup_free_ struct sock_filter *out = NULL;
    struct seccomp_data d = { .nr = 135, .arch = AUDIT_ARCH_X86_64 };

    CHECK(p != NULL);
    if (!p)
        return;
    if (!(out = compacted(p, n, &on, "libseccomp, three arches")))
        return;
    CHECK(on < n / 2);
    /* the argument rules survive: personality(8) yes, personality(9) no */
    d.args[0] = 8;
    CHECK_INT(bpf_run(out, on, &d), ALLOW);
    d.args[0] = 9;
    CHECK_INT(bpf_run(out, on, &d), SECCOMP_RET_ERRNO | ENOSYS);
    d.nr = 41;
    d.args[0] = 40;
    CHECK_INT(bpf_run(out, on, &d), SECCOMP_RET_ERRNO | EPERM);
    d.nr = 157;
    d.args[0] = 6;
    CHECK_INT(bpf_run(out, on, &d), ALLOW);
    d.args[0] = 5;
    CHECK_INT(bpf_run(out, on, &d), SECCOMP_RET_ERRNO | ENOSYS);
}

/* ld nr; a chain of jeq (key i -> ret val i) ending in ret dflt */
static size_t chain(struct sock_filter *p, const uint32_t *keys, const uint32_t *vals, size_t n,
                    uint32_t dflt)
{
    size_t k = 0;

    p[k++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    for (size_t i = 0; i < n; i++)
        /* each test jumps over the rest of the chain and the default to
         * its own return */
        p[k++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, keys[i], (uint8_t) n, 0);
    p[k++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, dflt);
    for (size_t i = 0; i < n; i++)
        p[k++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, vals[i]);
    return k;
}

static long long nr_run(const struct sock_filter *p, size_t n, uint32_t nr)
{
    struct seccomp_data d = { .nr = (int) nr };
    return bpf_run(p, n, &d);
}

/* A chain cut into parts where the first parts gain nothing (scattered
 * keys, two targets in turn) and the last gains much (a run of keys):
 * the tests kept as written are not taken again as a chain's head. */
static void t_cut_after_kept(void)
{
    size_t cap = 1000, n = 0, on = 0;
    _cleanup_free_ struct sock_filter *p = calloc(cap, sizeof(*p));
    _cleanup_free_ struct sock_filter *out = NULL;

    if (!p)
        return;
    p[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    /* 6 groups of 100 tests, each group followed by its own two returns
     * (which the group's last test jumps over) */
    for (uint32_t g = 0; g < 6; g++) {
        for (uint32_t i = 0; i < 100; i++) {
            uint32_t t = g * 100 + i, key = t < 300 ? 2 * t : 1000 + t;
            uint8_t jt = (uint8_t) (99 - i + (t < 300 ? t % 2 : 0));
            p[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, key, jt,
                                                   i == 99 ? 2 : 0);
        }
        p[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 1);
        p[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 2);
    }
    p[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 0);
    CHECK_INT(nr_run(p, n, 4), 1);
    CHECK_INT(nr_run(p, n, 6), 2);
    CHECK_INT(nr_run(p, n, 1450), 1);
    CHECK_INT(nr_run(p, n, 7), 0);
    CHECK_INT(bpf_compact(p, n, &out, &on), 1);
    if (!out)
        return;
    CHECK(on < n - 200);
    for (uint32_t nr = 0; nr < 1700; nr++)
        CHECK_INT(nr_run(out, on, nr), nr_run(p, n, nr));
}

static void t_first_match_and_edges(void)
{
    static const uint32_t keys[] = { 5, 5, 0, UINT32_MAX, 6, 7, 8, 9, 10, UINT32_MAX - 1, 5, 11 };
    static const uint32_t vals[] = { 1, 2, 3, 4, 1, 1, 1, 1, 1, 5, 6, 1 };
    struct sock_filter p[64];
    size_t n = chain(p, keys, vals, 12, 99), on = 0;
    _cleanup_free_ struct sock_filter *out = NULL;

    CHECK_INT(nr_run(p, n, 5), 1);      /* the first test of 5 decides */
    CHECK_INT(bpf_compact(p, n, &out, &on), 1);
    if (!out)
        return;
    CHECK(on < n);
    CHECK_INT(nr_run(out, on, 5), 1);
    CHECK_INT(nr_run(out, on, 0), 3);
    CHECK_INT(nr_run(out, on, 1), 99);
    CHECK_INT(nr_run(out, on, 4), 99);
    CHECK_INT(nr_run(out, on, 11), 1);
    CHECK_INT(nr_run(out, on, 12), 99);
    CHECK_INT(nr_run(out, on, UINT32_MAX), 4);
    CHECK_INT(nr_run(out, on, UINT32_MAX - 1), 5);
    CHECK_INT(nr_run(out, on, UINT32_MAX - 2), 99);
    for (uint32_t nr = 0; nr < 64; nr++)
        CHECK_INT(nr_run(out, on, nr), nr_run(p, n, nr));
}

static void t_entered_mid_chain(void)
{
    /* ld nr; nr 5 jumps to the second chain's head (past the first
     * chain's test of 5); keys 1..20 -> ret 1, else ret 0 */
    struct sock_filter p[24];
    size_t n = 0, on = 0;
    _cleanup_free_ struct sock_filter *out = NULL;

    p[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    p[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 10, 0);
    for (uint32_t key = 1; key <= 20; key++, n++)
        p[n] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, key, (uint8_t) (23 - n - 1), 0);
    p[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 0);
    p[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 1);
    CHECK_INT(n, 24);
    CHECK_INT(nr_run(p, n, 5), 0);
    CHECK_INT(nr_run(p, n, 3), 1);
    CHECK_INT(bpf_compact(p, n, &out, &on), 1);
    if (!out)
        return;
    CHECK(on < n);
    CHECK_INT(nr_run(out, on, 5), 0);   /* not one switch of both chains */
    for (uint32_t nr = 0; nr < 64; nr++)
        CHECK_INT(nr_run(out, on, nr), nr_run(p, n, nr));
}

static void t_kept(void)
{
    struct sock_filter p[64];
    static const uint32_t keys[] = { 1, 3, 5, 7, 9, 11 };
    static const uint32_t vals[] = { 1, 1, 1, 1, 1, 1 };
    size_t n, on = 7;
    struct sock_filter *out = (struct sock_filter *) p;

    /* nothing to gain: scattered keys make more ranges than tests */
    n = chain(p, keys, vals, 6, 0);
    CHECK_INT(bpf_compact(p, n, &out, &on), 0);
    CHECK(out == NULL && on == 0);
    /* a byte load (no seccomp program has one): not modelled */
    n = chain(p, (const uint32_t[]) { 1, 2, 3, 4, 5, 6 }, vals, 6, 0);
    p[0] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0);
    CHECK_INT(bpf_compact(p, n, &out, &on), 0);
    CHECK_INT(bpf_run(p, n, &(struct seccomp_data) { 0 }), -1);
    /* a jump out of the program */
    n = chain(p, (const uint32_t[]) { 1, 2, 3, 4, 5, 6 }, vals, 6, 0);
    p[n - 1] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0);
    CHECK_INT(bpf_compact(p, n, &out, &on), 0);
    CHECK_INT(bpf_run(p, n, &(struct seccomp_data) { 0 }), -1);
    /* scratch memory: the kernel checks its loads in layout order (a
     * copied return before `ld M[0]` would fail that check) */
    {
        struct sock_filter m[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
            BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 99, 0, 2),
            BPF_STMT(BPF_ST, 0),
            BPF_JUMP(BPF_JMP | BPF_JA, 6, 0, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 7, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 6, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 5, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 4, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 3, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 2, 3),
            BPF_STMT(BPF_LD | BPF_MEM, 0),
            BPF_STMT(BPF_RET | BPF_A, 0),
            BPF_STMT(BPF_RET | BPF_K, ALLOW),
            BPF_STMT(BPF_RET | BPF_K, 0),
        };
        CHECK_INT(bpf_compact(m, sizeof(m) / sizeof(*m), &out, &on), 0);
        CHECK_INT(nr_run(m, sizeof(m) / sizeof(*m), 100), 100);
        CHECK_INT(nr_run(m, sizeof(m) / sizeof(*m), 3), ALLOW);
    }
    /* arithmetic before the chain: not a field as loaded */
    n = chain(p, (const uint32_t[]) { 1, 2, 3, 4, 5, 6 }, vals, 6, 0);
    memmove(p + 2, p + 1, (n - 1) * sizeof(*p));
    p[1] = (struct sock_filter) BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 100);
    n++;
    CHECK_INT(bpf_compact(p, n, &out, &on), 0);
    CHECK_INT(nr_run(p, n, 4), 0);
    CHECK_INT(nr_run(p, n, (uint32_t) -97), 1);
    /* a chain whose search would not fit the 255-instruction jumps */
    {
        size_t m = 1200;
        _cleanup_free_ struct sock_filter *q = calloc(m + 3, sizeof(*q));
        size_t k = 0;
        if (!q)
            return;
        q[k++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
        /* key 2i -> a jump over the rest to ret 1: 1200 ranges */
        for (size_t i = 0; i < m; i++)
            q[k++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) (2 * i),
                                                   (uint8_t) (m - i - 1 > 255 ? 0 : m - i), 0);
        q[k++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 0);
        q[k++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, 1);
        CHECK(bpf_compact(q, k, &out, &on) >= 0);
        if (out) {
            for (uint32_t nr = 0; nr < 2 * m + 4; nr++)
                CHECK_INT(nr_run(out, on, nr), nr_run(q, k, nr));
            free(out);
        }
    }
}

/* The kernel loads the compacted default profile, and it decides as
 * the profile says: getpid allowed, kexec_load EPERM, add_key ENOSYS
 * (the default action), in a child of its own. */
static void t_kernel_loads(void)
{
    _cleanup_free_ char *buf = NULL;
    _cleanup_free_ struct sock_filter *out = NULL;
    struct berr *e = NULL;
    size_t len = 0, on = 0;
    int ws = 0;
    pid_t pid;

    CHECK(fs_read_file("test/data/seccomp-default-crun-x86_64.bpf", &buf, &len, &e) == 0);
    if (!buf || bpf_compact((struct sock_filter *) buf, len / 8, &out, &on) != 1)
        return;
    if ((pid = fork()) == 0) {
        struct sock_fprog prog = { .len = (unsigned short) on, .filter = out };
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
            _exit(10);
        if (syscall(SYS_getpid) <= 0)
            _exit(11);
        if (syscall(SYS_kexec_load, 0, 0, 0, 0) != -1 || errno != EPERM)
            _exit(12);
        if (syscall(SYS_add_key, 0, 0, 0, 0, 0) != -1 || errno != ENOSYS)
            _exit(13);
        _exit(0);
    }
    CHECK(pid > 0 && waitpid(pid, &ws, 0) == pid);
    CHECK(WIFEXITED(ws));
    CHECK_INT(WEXITSTATUS(ws), 0);
}

/* bpf_same can fail: one return changed in crun's filter, one key moved */
static void t_same_tells_apart(void)
{
    _cleanup_free_ char *buf = NULL;
    struct berr *e = NULL;
    size_t len = 0, n;
    struct sock_filter *p;
    _cleanup_free_ struct sock_filter *q = NULL;

    CHECK(fs_read_file("test/data/seccomp-default-crun-x86_64.bpf", &buf, &len, &e) == 0);
    if (!buf)
        return;
    p = (struct sock_filter *) buf;
    n = len / sizeof(*p);
    if (!(q = malloc(len)))
        return;
    memcpy(q, p, len);
    CHECK(bpf_same(p, n, q, n));
    for (size_t i = 0; i < n; i++)
        if (q[i].code == (BPF_JMP | BPF_JEQ | BPF_K) && q[i].k == 200) {
            q[i].k = 2000;      /* tkill no more; 2000 instead */
            break;
        }
    CHECK(!bpf_same(p, n, q, n));
    memcpy(q, p, len);
    for (size_t i = n; i-- > 0;)
        if (q[i].code == (BPF_RET | BPF_K) && q[i].k == ALLOW) {
            q[i].k = SECCOMP_RET_KILL_PROCESS;
            break;
        }
    CHECK(!bpf_same(p, n, q, n));
}

/* a program too long to try in full is not shown alike (nor compacted) */
static void t_same_budget(void)
{
    size_t n = 4000, on = 0;
    _cleanup_free_ struct sock_filter *p = calloc(n, sizeof(*p));
    struct sock_filter *out = NULL;

    if (!p)
        return;
    p[0] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    for (size_t i = 1; i + 1 < n; i++)
        p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) i, 0, 0);
    p[n - 1] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, ALLOW);
    CHECK(!bpf_same(p, n, p, n));
    p[40] = p[n - 1];
    CHECK(bpf_same(p, 41, p, 41));              /* the same shape, short */
    p[40] = p[39];
    CHECK_INT(bpf_compact(p, n, &out, &on), 0);
    CHECK(out == NULL);
}

int main(void)
{
    UNIT_RUN(t_default_profile);
    UNIT_RUN(t_libseccomp);
    UNIT_RUN(t_long_chain_cut);
    UNIT_RUN(t_cut_after_kept);
    UNIT_RUN(t_first_match_and_edges);
    UNIT_RUN(t_entered_mid_chain);
    UNIT_RUN(t_kept);
    UNIT_RUN(t_kernel_loads);
    UNIT_RUN(t_same_tells_apart);
    UNIT_RUN(t_same_budget);
    return unit_done();
}
