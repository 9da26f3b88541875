/*
 * runtime/seccomp.h: seccomp profiles (containers/common JSON format) to the
 * OCI runtime spec's `linux.seccomp` object (SPEC-podman.md §4.5).
 *
 * Profile format: top level defaultAction, defaultErrnoRet | defaultErrno
 * (name, wins), architectures | archMap (not both), syscalls[], flags[],
 * listenerPath, listenerMetadata. A syscall entry: name | names[] (not
 * both), action, args[{index,value,valueTwo,op}], comment,
 * includes{caps[],arches[]}, excludes{caps[],arches[]}, errnoRet | errno
 * (name, wins).
 *
 * Conversion, entry by entry in file order; an entry is skipped when
 *   - excludes.arches names the native arch (Go names: amd64, arm64, ...),
 *   - any excludes.caps entry is in the bounding set,
 *   - includes.arches is non-empty and lacks the native arch,
 *   - any includes.caps entry is missing from the bounding set.
 * Every syscall name is resolved with libseccomp; a name that resolves on
 * none of the spec's architectures (native first, then the archMap's
 * sub-architectures, so 32-bit-only names such as chown32 survive for the
 * x86 compat ABI) is dropped with a debug line, and an entry left with no
 * names is dropped. The native architecture alone would drop the compat
 * names that 32-bit binaries in a container need; that is the deviation.
 *
 * Where berth's own profile is found (seccomp_default_path):
 *   1. $BERTH_DATADIR/seccomp.json, the compile-time -DBERTH_DATADIR
 *      (`make install` puts data/seccomp.json there);
 *   2. else data/seccomp.json next to the running binary or up to three
 *      directories above it (so ./berth and build/unit/test_* run from a
 *      source tree without installing).
 * The config's seccomp_profile and --security-opt seccomp=FILE come
 * before both; runtime/spec.c makes that choice.
 */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include <jansson.h>

#include "util/err.h"

/* The path of berth's default profile (malloc'd in *out). exe is the path
 * of the running binary (NULL: /proc/self/exe). Fails with a message
 * naming every place looked at when none exists. */
int seccomp_default_path(const char *exe, char **out, struct berr **err);

/* Reads and parses a profile file (checks only that it is a JSON object). */
int seccomp_load_file(const char *path, json_t **out, struct berr **err);

/* Go's GOARCH name of the machine berth runs on ("amd64", "arm64", ...). */
const char *seccomp_native_goarch(void);

/*
 * Converts a parsed profile into a new OCI linux.seccomp object.
 * bounding: the container's bounding capability set ("CAP_CHOWN", ...);
 * goarch: the architecture to convert for, NULL = native (tests pass
 * "arm64" and the like; syscall names are then resolved for that arch).
 * Errors (125): both architectures and archMap, both name and names, an
 * unknown errno name, a malformed entry.
 */
int seccomp_to_oci(json_t *profile, char *const *bounding, const char *goarch, json_t **out,
                   struct berr **err);

/* Errno name ("EPERM") to number; -1 if unknown. */
int seccomp_errno_by_name(const char *name);

/*
 * seccomp_load_file() and seccomp_to_oci() of the profile at path, through
 * a cache in cache_dir (NULL: none): the OCI form of a profile is kept
 * there per profile file (its identity: device, inode, size, mtime, ctime),
 * berth binary, architecture, x32 support and bounding set, and read back
 * instead of converted again (reading and converting berth's 30 KB
 * profile was a fifth of a run's instructions). The file is opened once:
 * the key is the identity of the file whose bytes are converted. Not kept:
 * a conversion of a file changed in the last two seconds or while it was
 * read, or of one on a network or FUSE file system. Only an entry that is a
 * regular file of ours, writable by nobody else, and that starts with the
 * exact key is taken. text (may be NULL): set to js_dumps_sorted(*out, 0),
 * the compact text seccache.h keys its filters by.
 */
int seccomp_file_to_oci(const char *cache_dir, const char *path, char *const *bounding,
                        const char *goarch, json_t **out, char **text, struct berr **err);

#endif
