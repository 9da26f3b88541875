/*
 * util/bpfcompact.c: see bpfcompact.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/bpfcompact.h"
#include "util/cleanup.h"

#define DATA_LEN ((uint32_t) sizeof(struct seccomp_data))
#define NFIELDS  (DATA_LEN / 4)
#define JEQ_K    (BPF_JMP | BPF_JEQ | BPF_K)
#define MAX_JUMP 255u
#define RAW_NONE   (-1)    /* compactor.raw: A holds no field as loaded */
#define RAW_UNSEEN (-2)    /* not reached yet (or at all) */
/* instructions bpf_same runs at most, ~30 ms here (the default profile
 * takes 0.25M): a program beyond it is not shown alike, so kept as it is */
#define SAME_BUDGET (16LL * 1000 * 1000)

/* ---- the programs modelled: the kernel's seccomp instruction set
 * (seccomp_check_filter), less the ALU forms whose edge cases (division
 * by zero, shifts of 32 or more) depend on a register's value ---- */

static bool known(const struct sock_filter *f)
{
    switch (f->code) {
    case BPF_LD | BPF_W | BPF_ABS:
        return f->k < DATA_LEN && (f->k & 3) == 0;
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
        return f->k < BPF_MEMWORDS;
    case BPF_ALU | BPF_LSH | BPF_K:
    case BPF_ALU | BPF_RSH | BPF_K:
        return f->k < 32;
    case BPF_ALU | BPF_DIV | BPF_K:
        return f->k != 0;
    case BPF_LD | BPF_W | BPF_LEN:
    case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_LD | BPF_IMM:
    case BPF_LDX | BPF_IMM:
    case BPF_MISC | BPF_TAX:
    case BPF_MISC | BPF_TXA:
    case BPF_ALU | BPF_NEG:
    case BPF_ALU | BPF_ADD | BPF_K:
    case BPF_ALU | BPF_ADD | BPF_X:
    case BPF_ALU | BPF_SUB | BPF_K:
    case BPF_ALU | BPF_SUB | BPF_X:
    case BPF_ALU | BPF_MUL | BPF_K:
    case BPF_ALU | BPF_MUL | BPF_X:
    case BPF_ALU | BPF_OR | BPF_K:
    case BPF_ALU | BPF_OR | BPF_X:
    case BPF_ALU | BPF_AND | BPF_K:
    case BPF_ALU | BPF_AND | BPF_X:
    case BPF_ALU | BPF_XOR | BPF_K:
    case BPF_ALU | BPF_XOR | BPF_X:
    case BPF_JMP | BPF_JA:
    case BPF_JMP | BPF_JEQ | BPF_K:
    case BPF_JMP | BPF_JEQ | BPF_X:
    case BPF_JMP | BPF_JGT | BPF_K:
    case BPF_JMP | BPF_JGT | BPF_X:
    case BPF_JMP | BPF_JGE | BPF_K:
    case BPF_JMP | BPF_JGE | BPF_X:
    case BPF_JMP | BPF_JSET | BPF_K:
    case BPF_JMP | BPF_JSET | BPF_X:
    case BPF_RET | BPF_K:
    case BPF_RET | BPF_A:
        return true;
    }
    return false;
}

static bool is_cond(const struct sock_filter *f)
{
    return BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) != BPF_JA;
}

/* What A holds after f, as the flows below follow it: the field f loads
 * (its index), A_CHANGED (another value: a constant, memory, arithmetic,
 * X) or A_KEPT (what it held before f). */
#define A_CHANGED (-1)
#define A_KEPT    (-2)
static int a_after(const struct sock_filter *f)
{
    if (f->code == (BPF_LD | BPF_W | BPF_ABS))
        return (int) (f->k / 4);
    if (BPF_CLASS(f->code) == BPF_LD || BPF_CLASS(f->code) == BPF_ALU ||
        f->code == (BPF_MISC | BPF_TXA))
        return A_CHANGED;
    return A_KEPT;
}

/* Where control goes after p[i]: up to two successors (-1: none). */
static void succ(const struct sock_filter *p, size_t i, long long s[2])
{
    const struct sock_filter *f = &p[i];

    s[0] = s[1] = -1;
    if (BPF_CLASS(f->code) == BPF_RET)
        return;
    if (BPF_CLASS(f->code) != BPF_JMP)
        s[0] = (long long) i + 1;
    else if (BPF_OP(f->code) == BPF_JA)
        s[0] = (long long) i + 1 + f->k;
    else {
        s[0] = (long long) i + 1 + f->jt;
        s[1] = (long long) i + 1 + f->jf;
    }
}

/* A program the kernel would load and this models: every instruction
 * known, every jump inside it (so its last instruction returns). */
static bool valid(const struct sock_filter *p, size_t n)
{
    if (n == 0 || n > BPF_MAXINSNS)
        return false;
    for (size_t i = 0; i < n; i++) {
        long long s[2];
        if (!known(&p[i]))
            return false;
        succ(p, i, s);
        if (s[0] >= (long long) n || s[1] >= (long long) n)
            return false;
    }
    return true;
}

/* ---- the interpreter ---- */

/* p (valid) run on d; *read: the fields (bit per 4-byte word of d) it
 * loaded. -2 once *budget instructions have run (budget NULL: none). */
static long long run(const struct sock_filter *p, size_t n, const struct seccomp_data *d,
                     uint32_t *read, long long *budget)
{
    const unsigned char *data = (const unsigned char *) d;
    uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
    size_t pc = 0;

    while (pc < n) {
        const struct sock_filter *f = &p[pc++];
        uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
        bool c;

        if (budget && --*budget < 0)
            return -2;
        switch (BPF_CLASS(f->code)) {
        case BPF_LD:
            if (BPF_MODE(f->code) == BPF_ABS) {
                memcpy(&a, data + f->k, sizeof(a));
                if (read)
                    *read |= 1u << (f->k / 4);
            } else
                a = BPF_MODE(f->code) == BPF_LEN ? DATA_LEN
                  : BPF_MODE(f->code) == BPF_IMM ? f->k : mem[f->k];
            break;
        case BPF_LDX:
            x = BPF_MODE(f->code) == BPF_LEN ? DATA_LEN
              : BPF_MODE(f->code) == BPF_IMM ? f->k : mem[f->k];
            break;
        case BPF_ST:
            mem[f->k] = a;
            break;
        case BPF_STX:
            mem[f->k] = x;
            break;
        case BPF_ALU:
            switch (BPF_OP(f->code)) {
            case BPF_ADD: a += src; break;
            case BPF_SUB: a -= src; break;
            case BPF_MUL: a *= src; break;
            case BPF_OR:  a |= src; break;
            case BPF_AND: a &= src; break;
            case BPF_XOR: a ^= src; break;
            case BPF_LSH: a <<= src; break;
            case BPF_RSH: a >>= src; break;
            case BPF_DIV: a /= src; break;
            case BPF_NEG: a = -a; break;
            }
            break;
        case BPF_JMP:
            if (BPF_OP(f->code) == BPF_JA) {
                pc += f->k;
                break;
            }
            switch (BPF_OP(f->code)) {
            case BPF_JEQ: c = a == src; break;
            case BPF_JGT: c = a > src; break;
            case BPF_JGE: c = a >= src; break;
            default:      c = (a & src) != 0; break;
            }
            pc += c ? f->jt : f->jf;
            break;
        case BPF_RET:
            return BPF_RVAL(f->code) == BPF_A ? a : f->k;
        case BPF_MISC:
            if (BPF_MISCOP(f->code) == BPF_TAX)
                x = a;
            else
                a = x;
            break;
        }
    }
    return -1;
}

long long bpf_run(const struct sock_filter *p, size_t n, const struct seccomp_data *d)
{
    return valid(p, n) ? run(p, n, d, NULL, NULL) : -1;
}

/* ---- bpf_same: the inputs that tell every region apart ---- */

struct vals {
    uint32_t *v;
    size_t n, cap;
};

static int vals_add(struct vals *s, uint32_t v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        uint32_t *nv = realloc(s->v, cap * sizeof(*nv));
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = v;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
    return x < y ? -1 : x > y;
}

static void vals_sort(struct vals *s)
{
    size_t o = 0;

    if (s->n)
        qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
    for (size_t i = 0; i < s->n; i++)
        if (o == 0 || s->v[o - 1] != s->v[i])
            s->v[o++] = s->v[i];
    s->n = o;
}

/* Adds to f[] the constants p compares each field with (and their
 * neighbours): which fields A may hold at each instruction, flowed
 * forward (jumps only go forward). */
static int critical(const struct sock_filter *p, size_t n, struct vals f[NFIELDS])
{
    _cleanup_free_ uint32_t *in = calloc(n, sizeof(*in));

    if (!in)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct sock_filter *ins = &p[i];
        int after = a_after(ins);
        uint32_t held = after == A_KEPT ? in[i] : after == A_CHANGED ? 0 : 1u << after;
        long long s[2];

        if (is_cond(ins) && BPF_SRC(ins->code) == BPF_K) {
            for (unsigned fl = 0; fl < NFIELDS; fl++) {
                if (!(held & (1u << fl)))
                    continue;
                if (vals_add(&f[fl], ins->k) < 0 || vals_add(&f[fl], ins->k + 1) < 0 ||
                    vals_add(&f[fl], ins->k - 1) < 0)
                    return -1;
                for (unsigned b = 0; BPF_OP(ins->code) == BPF_JSET && b < 32; b++)
                    if ((ins->k & (1u << b)) && vals_add(&f[fl], 1u << b) < 0)
                        return -1;
            }
        }
        succ(p, i, s);
        for (int j = 0; j < 2; j++)
            if (s[j] >= 0)
                in[s[j]] |= held;
    }
    return 0;
}

static bool same_on(const struct sock_filter *a, size_t na, const struct sock_filter *b,
                    size_t nb, const struct seccomp_data *d, uint32_t *read, long long *budget)
{
    long long ra = run(a, na, d, read, budget), rb = run(b, nb, d, read, budget);

    return ra >= 0 && ra == rb;
}

static void set_field(struct seccomp_data *d, unsigned field, uint32_t v)
{
    memcpy((unsigned char *) d + 4 * field, &v, sizeof(v));
}

bool bpf_same(const struct sock_filter *a, size_t na, const struct sock_filter *b, size_t nb)
{
    struct vals f[NFIELDS] = { 0 };
    long long budget = SAME_BUDGET;
    bool same = false;

    if (!valid(a, na) || !valid(b, nb) || critical(a, na, f) < 0 || critical(b, nb, f) < 0)
        goto out;
    for (unsigned fl = 0; fl < NFIELDS; fl++) {
        if (vals_add(&f[fl], 0) < 0 || vals_add(&f[fl], UINT32_MAX) < 0)
            goto out;
        vals_sort(&f[fl]);
    }
    /* nr (field 0) crossed with arch (field 1); the other fields, one at
     * a time over their values, wherever a path reads them */
    for (size_t i = 0; i < f[1].n; i++) {
        for (size_t j = 0; j < f[0].n; j++) {
            struct seccomp_data d = { .nr = (int) f[0].v[j], .arch = f[1].v[i] };
            uint32_t read = 0;
            if (!same_on(a, na, b, nb, &d, &read, &budget))
                goto out;
            for (unsigned fl = 2; fl < NFIELDS; fl++) {
                if (!(read & (1u << fl)))
                    continue;
                for (size_t k = 0; k < f[fl].n; k++) {
                    struct seccomp_data e = d;
                    set_field(&e, fl, f[fl].v[k]);
                    if (!same_on(a, na, b, nb, &e, NULL, &budget))
                        goto out;
                }
            }
        }
    }
    same = true;
out:
    for (unsigned fl = 0; fl < NFIELDS; fl++)
        free(f[fl].v);
    return same;
}

/* ---- bpf_compact ---- */

/* An instruction of the new program, its jumps not yet offsets: to an
 * instruction of the old one (REF_OLD) or to one of the new (REF_NEW). */
enum ref { REF_NONE, REF_OLD, REF_NEW };

struct item {
    struct sock_filter ins;
    enum ref tk, fk;
    size_t t, f;
};

/* one test of a chain: A == key goes to the old instruction tgt */
struct test {
    uint32_t key;
    size_t tgt, ord;
};

static int cmp_test(const void *a, const void *b)
{
    const struct test *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* values [lo, next range's lo) go to the old instruction tgt */
struct range {
    uint32_t lo;
    size_t tgt;
};

struct compactor {
    const struct sock_filter *p;
    unsigned *pred;         /* edges into each instruction */
    bool *inner;            /* a chain's test after its head */
    bool *plain;            /* a test kept as written */
    signed char *raw;       /* the field A holds as loaded at each
                             * instruction, on every path; -1: none */
    struct item *items;
    size_t ni;
    long long *pos;         /* old instruction -> its new index, -1: gone */
    struct test *tests;     /* scratch per chain */
    struct range *ranges;
    size_t *pad;            /* distinct targets of one chain */
    size_t *slot;           /* each range's pad entry */
};

/* the next test of the chain after p[i] (its not-equal edge, to a jeq
 * reached from nowhere else), or -1; none from or to a test kept as
 * written */
static long long chain_next(const struct compactor *c, size_t i)
{
    size_t nx;

    if (c->p[i].code != JEQ_K || c->plain[i])
        return -1;
    nx = i + 1 + c->p[i].jf;
    return c->p[nx].code == JEQ_K && c->pred[nx] == 1 && !c->plain[nx] ? (long long) nx : -1;
}

static struct item *item_new(struct compactor *c)
{
    struct item *it = &c->items[c->ni++];

    memset(it, 0, sizeof(*it));
    return it;
}

/* The search over c->ranges[a..b] (b > a), its nodes appended to
 * c->items in preorder: each tests A >= the first value of its right
 * half, which follows its left half; a half of one range goes straight
 * to that range's pad entry, c->items[pad_at + c->slot[range]]. */
static void emit_nodes(struct compactor *c, size_t a, size_t b, size_t pad_at)
{
    const struct range *r = c->ranges;
    const size_t *slot = c->slot;
    size_t m = (a + b + 1) / 2, self = c->ni;
    struct item *it = item_new(c);

    it->ins = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, r[m].lo, 0, 0);
    it->tk = it->fk = REF_NEW;
    /* left half right after this node: m - 1 - a nodes; then the right */
    it->f = m - 1 == a ? pad_at + slot[a] : self + 1;
    it->t = m == b ? pad_at + slot[m] : self + 1 + (m - 1 - a);
    if (m - 1 > a)
        emit_nodes(c, a, m - 1, pad_at);
    if (b > m)
        emit_nodes(c, m, b, pad_at);
}

/* Where a jump from the chain headed by p[h] to p[t] may go instead:
 * through unconditional jumps to where they lead, and from a return to
 * the first return after h that is the same (libseccomp repeats them). */
static size_t canon(const struct compactor *c, size_t h, size_t t)
{
    while (c->p[t].code == (BPF_JMP | BPF_JA))
        t += 1 + c->p[t].k;
    if (BPF_CLASS(c->p[t].code) == BPF_RET)
        for (size_t r = h + 1; r < t; r++)
            if (c->p[r].code == c->p[t].code && c->p[r].k == c->p[t].k)
                return r;
    return t;
}

/* The first len tests of the chain headed by p[h] stay as written: 0. */
static int keep_chain(struct compactor *c, size_t h, size_t len)
{
    for (long long i = (long long) h, nx; i >= 0 && len > 0; i = nx, len--) {
        nx = chain_next(c, (size_t) i);
        c->inner[i] = false;
        c->plain[i] = true;
    }
    return 0;
}

/* Where the chain sends v: its first test of v, else its default.
 * tests: sorted by key, one per key (the first). */
static size_t chain_sends(const struct test *tests, size_t len, size_t dflt, uint32_t v)
{
    size_t lo = 0, hi = len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tests[mid].key < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < len && tests[lo].key == v ? tests[lo].tgt : dflt;
}

/* Where the emitted search (nodes from c->items[at], its pad from
 * pad_at) sends v. */
static size_t search_sends(const struct compactor *c, size_t at, size_t pad_at, uint32_t v)
{
    while (at < pad_at) {
        const struct item *it = &c->items[at];
        bool taken;
        switch (BPF_OP(it->ins.code)) {     /* as written, not as meant */
        case BPF_JGE: taken = v >= it->ins.k; break;
        case BPF_JGT: taken = v > it->ins.k; break;
        case BPF_JEQ: taken = v == it->ins.k; break;
        default:      taken = (v & it->ins.k) != 0; break;
        }
        at = taken ? it->t : it->f;
    }
    return c->pad[at - pad_at];
}

/* Does the search emitted at c->items[at] send every value where the
 * chain does? Both change only at a key or just after one (the ranges
 * start at 0, a key or a key + 1), so each key, its neighbours and 0
 * try every stretch of values either treats alike. */
static bool search_is_chain(const struct compactor *c, const struct test *tests, size_t len,
                            size_t dflt, size_t at, size_t pad_at)
{
    if (search_sends(c, at, pad_at, 0) != chain_sends(tests, len, dflt, 0))
        return false;
    for (size_t i = 0; i < len; i++)
        for (uint32_t d = 0; d < 3; d++) {
            uint32_t v = tests[i].key + d - 1;  /* wraps at 0 and the top: both tried */
            if (search_sends(c, at, pad_at, v) != chain_sends(tests, len, dflt, v))
                return false;
        }
    return true;
}

/* A search for the first (up to) limit tests of a chain: c->tests (one
 * per key), c->ranges, c->pad and c->slot hold it. */
struct plan {
    size_t walked;      /* the tests taken */
    size_t keys;        /* c->tests: their keys, each once */
    size_t dflt;        /* where the last one's not-equal edge goes */
    size_t nr, npad;    /* c->ranges, c->pad */
    long long cut;      /* the test the chain goes on with, or -1 */
};

static void plan(struct compactor *c, size_t h, size_t limit, struct plan *pl)
{
    long long i = (long long) h, last = i;
    uint64_t next = 0;
    size_t len = 0;

    memset(pl, 0, sizeof(*pl));
    for (; i >= 0 && len < limit; last = i, i = chain_next(c, (size_t) i)) {
        c->tests[len] = (struct test) { c->p[i].k, canon(c, h, (size_t) i + 1 + c->p[i].jt), len };
        len++;
    }
    pl->walked = len;
    pl->cut = i;            /* -1 at the chain's end */
    pl->dflt = canon(c, h, (size_t) last + 1 + c->p[last].jf);
    /* the first test of a key decides: the others go */
    qsort(c->tests, len, sizeof(*c->tests), cmp_test);
    {
        size_t o = 0;
        for (size_t t = 0; t < len; t++)
            if (o == 0 || c->tests[t].key != c->tests[o - 1].key)
                c->tests[o++] = c->tests[t];
        pl->keys = o;
    }
    for (size_t t = 0; t < pl->keys; t++) {
        const struct test *te = &c->tests[t];
        if (te->key > next && (pl->nr == 0 || c->ranges[pl->nr - 1].tgt != pl->dflt))
            c->ranges[pl->nr++] = (struct range) { (uint32_t) next, pl->dflt };
        if (pl->nr == 0 || c->ranges[pl->nr - 1].tgt != te->tgt)
            c->ranges[pl->nr++] = (struct range) { te->key, te->tgt };
        next = (uint64_t) te->key + 1;
    }
    if (next <= UINT32_MAX && c->ranges[pl->nr - 1].tgt != pl->dflt)
        c->ranges[pl->nr++] = (struct range) { (uint32_t) next, pl->dflt };
    /* the pad, after the nodes: one entry per distinct target */
    for (size_t r = 0; r < pl->nr; r++) {
        size_t sl = 0;
        while (sl < pl->npad && c->pad[sl] != c->ranges[r].tgt)
            sl++;
        if (sl == pl->npad)
            c->pad[pl->npad++] = c->ranges[r].tgt;
        c->slot[r] = sl;
    }
}

/* Emits the chain headed by p[h] as a search: 1; or its first tests, if
 * the whole one's search would not be within the reach of a jump (the
 * rest then a chain of its own); or, if that gains nothing, marks them
 * to be kept as written: 0. */
static int emit_chain(struct compactor *c, size_t h)
{
    struct plan pl;
    size_t limit = SIZE_MAX;

    for (;;) {
        plan(c, h, limit, &pl);
        if (pl.nr - 1 + pl.npad <= MAX_JUMP || pl.walked <= 16)
            break;
        limit = pl.walked / 2;
    }
    if (pl.cut >= 0)
        c->inner[pl.cut] = false;   /* the rest: a chain headed there */
    /* shorter, and every jump inside within reach */
    if (pl.nr - 1 + pl.npad >= pl.walked || pl.nr - 1 + pl.npad > MAX_JUMP)
        return keep_chain(c, h, pl.walked);
    size_t at = c->ni, pad_at = at + pl.nr - 1;
    if (pl.nr > 1)
        emit_nodes(c, 0, pl.nr - 1, pad_at);
    if (!search_is_chain(c, c->tests, pl.keys, pl.dflt, at, pad_at)) {
        c->ni = at;     /* cannot happen; if it did, the tests as they were */
        return keep_chain(c, h, pl.walked);
    }
    c->pos[h] = (long long) at;
    /* a return is copied, anything else jumped to */
    for (size_t sl = 0; sl < pl.npad; sl++) {
        struct item *it = item_new(c);
        if (BPF_CLASS(c->p[c->pad[sl]].code) == BPF_RET) {
            it->ins = c->p[c->pad[sl]];
            continue;
        }
        it->ins = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
        it->tk = REF_OLD;
        it->t = c->pad[sl];
    }
    return 1;
}

/* Offsets from references; false if a jump cannot be written. */
static bool resolve(struct compactor *c, struct sock_filter *out)
{
    for (size_t j = 0; j < c->ni; j++) {
        struct item *it = &c->items[j];
        long long to[2] = { -1, -1 };
        enum ref k[2] = { it->tk, it->fk };
        size_t r[2] = { it->t, it->f };

        out[j] = it->ins;
        for (int e = 0; e < 2; e++) {
            if (k[e] == REF_NONE)
                continue;
            to[e] = k[e] == REF_NEW ? (long long) r[e] : c->pos[r[e]];
            if (to[e] <= (long long) j)
                return false;
            to[e] -= (long long) j + 1;
        }
        if (BPF_CLASS(it->ins.code) != BPF_JMP)
            continue;
        if (BPF_OP(it->ins.code) == BPF_JA) {
            if (to[0] > UINT32_MAX)
                return false;
            out[j].k = (uint32_t) to[0];
            continue;
        }
        if (to[0] > (long long) MAX_JUMP || to[1] > (long long) MAX_JUMP)
            return false;
        out[j].jt = (uint8_t) to[0];
        out[j].jf = (uint8_t) to[1];
    }
    return true;
}

static void compactor_free(struct compactor *c)
{
    free(c->pred);
    free(c->inner);
    free(c->plain);
    free(c->raw);
    free(c->items);
    free(c->pos);
    free(c->tests);
    free(c->ranges);
    free(c->pad);
    free(c->slot);
}

int bpf_compact(const struct sock_filter *in, size_t n, struct sock_filter **out, size_t *out_n)
{
    _cleanup_(compactor_free) struct compactor c = { .p = in };
    _cleanup_free_ struct sock_filter *res = NULL;

    *out = NULL;
    *out_n = 0;
    if (!valid(in, n))
        return 0;
    c.pred = calloc(n, sizeof(*c.pred));
    c.inner = calloc(n, sizeof(*c.inner));
    c.plain = calloc(n, sizeof(*c.plain));
    c.raw = malloc(n * sizeof(*c.raw));
    c.items = calloc(n, sizeof(*c.items));
    c.pos = calloc(n, sizeof(*c.pos));
    c.tests = calloc(n, sizeof(*c.tests));
    c.ranges = calloc(2 * n + 1, sizeof(*c.ranges));
    c.pad = calloc(n, sizeof(*c.pad));
    c.slot = calloc(2 * n + 1, sizeof(*c.slot));
    if (!c.pred || !c.inner || !c.plain || !c.raw || !c.items || !c.pos || !c.tests ||
        !c.ranges || !c.pad || !c.slot)
        return -1;
    memset(c.raw, RAW_UNSEEN, n * sizeof(*c.raw));
    c.raw[0] = RAW_NONE;
    for (size_t i = 0; i < n; i++) {
        long long s[2];
        int after = a_after(&in[i]);
        signed char held = after == A_KEPT ? c.raw[i] : after == A_CHANGED ? RAW_NONE
                                                                          : (signed char) after;
        /* scratch memory: the kernel checks its loads in the order laid
         * out, which a new layout could upset; libseccomp never uses it */
        if (BPF_CLASS(in[i].code) == BPF_ST || BPF_CLASS(in[i].code) == BPF_STX ||
            ((BPF_CLASS(in[i].code) == BPF_LD || BPF_CLASS(in[i].code) == BPF_LDX) &&
             BPF_MODE(in[i].code) == BPF_MEM))
            return 0;
        succ(in, i, s);
        for (int j = 0; j < 2; j++) {
            if (s[j] < 0)
                continue;
            c.pred[s[j]]++;
            if (c.raw[s[j]] == RAW_UNSEEN)
                c.raw[s[j]] = held;
            else if (c.raw[s[j]] != held)
                c.raw[s[j]] = RAW_NONE;
        }
    }
    for (size_t i = 0; i < n; i++) {
        long long nx = chain_next(&c, i);
        if (nx >= 0)
            c.inner[nx] = true;
    }
    for (size_t i = 0; i < n; i++) {
        c.pos[i] = -1;
        if (c.inner[i])
            continue;   /* emitted (or dropped) with its head */
        if (chain_next(&c, i) >= 0) {
            /* only a field as loaded: bpf_same tries every value that
             * matters of those */
            if ((c.raw[i] >= 0 ? emit_chain(&c, i) : keep_chain(&c, i, SIZE_MAX)) > 0)
                continue;
        }
        c.pos[i] = (long long) c.ni;
        struct item *it = item_new(&c);
        it->ins = in[i];
        if (BPF_CLASS(in[i].code) == BPF_JMP) {
            long long s[2];
            succ(in, i, s);
            it->tk = REF_OLD;
            it->t = (size_t) s[0];
            if (s[1] >= 0) {
                it->fk = REF_OLD;
                it->f = (size_t) s[1];
            }
        }
    }
    if (c.ni >= n)
        return 0;       /* nothing gained */
    /* what falls through still falls through to the same instruction */
    for (size_t i = 0; i + 1 < n; i++)
        if (c.pos[i] >= 0 && BPF_CLASS(in[i].code) != BPF_JMP &&
            BPF_CLASS(in[i].code) != BPF_RET && c.pos[i + 1] != c.pos[i] + 1)
            return 0;
    if (!(res = calloc(c.ni, sizeof(*res))))
        return -1;
    if (!resolve(&c, res) || !bpf_same(in, n, res, c.ni))
        return 0;
    *out = STEAL_PTR(res);
    *out_n = c.ni;
    return 1;
}
