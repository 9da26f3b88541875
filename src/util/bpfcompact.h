/*
 * util/bpfcompact.h: a seccomp filter (classic BPF) made shorter without
 * changing a single decision.
 *
 * libseccomp compiles an allow list as one `jeq #nr` test per syscall, a
 * chain the kernel runs through linearly at every syscall and converts
 * and JIT-compiles at every filter load: ~800 instructions for the
 * default profile, ~1 ms of each container's start here. A chain of
 * equality tests of one value, entered only at its head, is a switch:
 * bpf_compact lays each one out again as a binary search over ranges of
 * values with the same outcome (the default profile: 790 -> 204
 * instructions, ~9 tests per syscall instead of up to ~400).
 *
 * Only a chain over a field as loaded (nr, arch, an argument word: no
 * arithmetic on the way) is rewritten, and the rewrite is checked twice:
 * each search against its chain on every key, the keys' neighbours and
 * 0 (where both can change their answer: a proof for that chain), then
 * the whole program against the original in bpf_same (the layout). A
 * chain whose search would not be within the reach of a jump is cut in
 * parts (the rest of a chain is a chain), each laid out on its own or,
 * gaining nothing, kept. A program with scratch memory (the kernel
 * checks its loads in layout order), an instruction this does not
 * model, a jump out of reach or nothing to gain is left as it is.
 */
#ifndef BERTH_BPFCOMPACT_H
#define BERTH_BPFCOMPACT_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>

/* The compacted form of in[0..n) in *out (malloc'd, *out_n instructions):
 * 1. 0 when in is kept as it is (*out NULL); -1 on OOM. */
int bpf_compact(const struct sock_filter *in, size_t n, struct sock_filter **out, size_t *out_n);

/* Runs p[0..n) on d as the kernel would: its return value, or -1 for a
 * program outside what bpf_compact models (bpf_compact keeps those). */
long long bpf_run(const struct sock_filter *p, size_t n, const struct seccomp_data *d);

/* Do a and b decide alike where bpf_compact can make them differ? Each
 * field is tried at every constant either program compares it with as
 * loaded, and at their neighbours: nr crossed with arch in full, each
 * other field one at a time (the rest 0) where a path reads it. That
 * covers every stretch of values a rewritten chain tells apart, not
 * every program: values after arithmetic, or conditions joining two
 * argument fields, are not all tried. false also past a budget of
 * instructions run (~30 ms here). */
bool bpf_same(const struct sock_filter *a, size_t na, const struct sock_filter *b, size_t nb);

#endif
