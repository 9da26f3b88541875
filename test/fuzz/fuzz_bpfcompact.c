/*
 * test/fuzz/fuzz_bpfcompact.c: util/bpfcompact.c on seccomp programs
 * built from the input: chains of equality tests on loaded fields
 * (libseccomp's shape), order and bit tests, masks, jumps into chains
 * and over them, repeated returns. A program bpf_compact rewrites must
 * come out shorter and decide as the original did, on bpf_same's inputs
 * and on inputs drawn from the rest of the fuzz input.
 */
#include <linux/filter.h>

#include "fuzz.h"
#include "util/bpfcompact.h"

#define MAXP 160

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    return 0;
}

struct gen {
    const uint8_t *d;
    size_t n, i;
};

static unsigned byte(struct gen *g)
{
    return g->i < g->n ? g->d[g->i++] : 0;
}

static uint32_t word(struct gen *g)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++)
        v = v << 8 | byte(g);
    return v;
}

/* a value to compare with or to try: mostly small, sometimes any */
static uint32_t value(struct gen *g)
{
    unsigned b = byte(g);

    return b < 224 ? b % 24 : b < 240 ? 0xffffffffu - b % 4 : word(g);
}

/* a forward offset from p[i] (a body instruction): to one of the returns
 * or a few instructions on, within the 8 bits a conditional jump has */
static uint8_t reach(struct gen *g, size_t i, size_t total, size_t body, bool to_ret)
{
    size_t room = total - i - 1;
    size_t off = to_ret ? body - i - 1 + byte(g) % (total - body) : byte(g) % (room < 8 ? room : 8);

    return (uint8_t) (off <= 255 ? off : byte(g) % 8);     /* room > 255 there */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gen g = { data, size, 0 };
    struct sock_filter p[MAXP], *out = NULL;
    size_t body = byte(&g) % 150, nrets = 1 + byte(&g) % 6, total, on = 0;

    total = body + nrets;
    if (body)
        p[0] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    for (size_t i = body ? 1 : 0; i < body; i++) {
        unsigned op = byte(&g) % 16;
        uint8_t jt, jf;
        if (op < 10) {      /* a chain's test: to a return, on down the chain */
            jt = reach(&g, i, total, body, byte(&g) % 4 != 0);
            jf = byte(&g) % 8 ? 0 : reach(&g, i, total, body, false);
            p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value(&g), jt, jf);
        } else if (op < 12) {
            static const uint32_t fields[] = { 0, 4, 16, 20 };
            p[i] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, fields[byte(&g) % 4]);
        } else if (op < 14) {
            static const uint16_t tests[] = { BPF_JGE, BPF_JGT, BPF_JSET, BPF_JEQ };
            jt = reach(&g, i, total, body, byte(&g) % 2);
            jf = reach(&g, i, total, body, false);
            p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | tests[byte(&g) % 4] | BPF_K, value(&g), jt, jf);
        } else if (op == 14) {
            p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JA, reach(&g, i, total, body, byte(&g) % 2), 0, 0);
        } else {
            p[i] = (struct sock_filter) BPF_STMT(BPF_ALU | BPF_AND | BPF_K, word(&g));
        }
    }
    for (size_t r = 0; r < nrets; r++)
        p[body + r] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, byte(&g) % 3);

    if (bpf_compact(p, total, &out, &on) <= 0)
        return 0;
    if (on >= total || !bpf_same(p, total, out, on))
        abort();
    for (int k = 0; k < 64; k++) {
        struct seccomp_data d = { .nr = (int) value(&g), .arch = value(&g) };
        d.args[0] = value(&g);
        if (bpf_run(p, total, &d) != bpf_run(out, on, &d))
            abort();
    }
    free(out);
    return 0;
}
