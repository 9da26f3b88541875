/*
 * runtime/pkginfo.h: which distribution package installed a program, as
 * podman's `info` reports it (host.conmon.package, host.ociRuntime.package).
 */
#ifndef BERTH_PKGINFO_H
#define BERTH_PKGINFO_H

/* "conmon_2.1.6+ds1-1_amd64" (Debian), the rpm NVRA, or "Unknown". Answers
 * are kept in cache_dir (NULL: not kept). Never fails: NULL only when out
 * of memory. */
char *pkg_of(const char *path, const char *cache_dir);

#endif
