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
 * values with the same outcome (the default profile: ~800 -> ~150
 * instructions, ~9 tests per syscall instead of up to ~400).
 *
 * The rewrite is exact by construction, and checked: the result is kept
 * only if bpf_same finds both programs deciding alike on every region of
 * their inputs (see there); anything else (an instruction this does not
 * model, a jump out of range, nothing to gain) leaves the program as it is.
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

/* Do a and b decide alike? Every field either loads is tried at each
 * constant either compares it with, and at its neighbours, so for
 * programs of equality and order tests every region of values one of
 * them tells apart is tried: nr crossed with arch in full, each other
 * field wherever a path reads it. */
bool bpf_same(const struct sock_filter *a, size_t na, const struct sock_filter *b, size_t nb);

#endif
