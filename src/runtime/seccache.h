/*
 * runtime/seccache.h: crun's compiled seccomp filters, kept per boot and
 * handed back to crun through its `run.oci.seccomp_bpf_data` annotation,
 * so that crun compiles berth's profile once rather than at every create
 * (crun's own cache needs libgcrypt, which Debian's crun 1.8 is built
 * without: it compiles at every create, ~5-15 ms here).
 *
 * An entry, <tmp_dir>/seccomp/<hash>, holds a header (the crun binary's
 * identity, /etc/ld.so.cache's, the kernel's, and the spec's
 * linux.seccomp object in full) and the filter crun wrote for a
 * container whose spec had exactly that header, compacted
 * (util/bpfcompact.h: the default profile's 790 instructions become
 * 204, each load ~1 ms less and each syscall ~9 tests, not up to ~400).
 * A lookup compares the whole header, so a hash collision only misses. Only for crun, a spec
 * with linux.seccomp, no listenerPath and no run.oci.seccomp* annotation
 * of the user's; runc has no such annotation and compiles as before.
 */
#ifndef BERTH_SECCACHE_H
#define BERTH_SECCACHE_H

#include <jansson.h>

#include "runtime/ociruntime.h"

#define SECCACHE_ANNOTATION "run.oci.seccomp_bpf_data"

/* Before the spec is written, with the cache in cache_dir
 * (<tmp_dir>/seccomp): a hit sets the annotation in spec; a miss
 * returns the entry's path and header in *miss (to be filled by
 * seccache_store once crun has compiled the filter), else NULL.
 * seccomp_text: js_dumps_sorted(linux.seccomp, 0) when the caller has it
 * (seccomp_file_to_oci), else NULL. */
void seccache_annotate(const char *cache_dir, const struct oci_runtime *r, json_t *spec,
                       const char *seccomp_text, char **miss);
/* After `crun create` of container id: keeps crun's filter under miss
 * (seccache_annotate's). Frees miss. */
void seccache_store(char *miss, char *const *runtime_flags, const char *id);

#endif
