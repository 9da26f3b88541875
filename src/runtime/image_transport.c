/*
 * runtime/image_transport.c: pull from and push to the transports other
 * than docker:// (podman's names): docker-archive:PATH[:REF],
 * oci-archive:PATH[:REF], oci:DIR[:REF] and dir:DIR. A pull loads them
 * as `load` does (every blob verified; nothing stored on a failure),
 * policy.json permitting; a push writes them as `save` does. REF names
 * the image inside (a RepoTag, or an OCI ref.name annotation).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/image_int.h"
#include "runtime/image_pull.h"
#include "runtime/image_reg_int.h"
#include "runtime/runtime.h"
#include "storage/reference.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

static const struct {
    const char *name;
    enum store_archive_fmt fmt;
    const char *default_domain;         /* for REF */
} transports[] = {
    { "docker-archive", SAF_DOCKER_ARCHIVE, "docker.io" },
    { "oci-archive", SAF_OCI_ARCHIVE, "localhost" },
    { "oci", SAF_OCI_DIR, "localhost" },
    { "dir", SAF_DOCKER_DIR, NULL },
};

static int find(const char *ref)
{
    for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
        size_t n = strlen(transports[i].name);
        if (!strncmp(ref, transports[i].name, n) && ref[n] == ':')
            return (int) i;
    }
    return -1;
}

const char *img_transport_of(const char *ref)
{
    int i = find(ref);
    return i < 0 ? NULL : transports[i].name;
}

/* "t:PATH[:REF]" into an absolute PATH and REF (NULL when none; dir:
 * takes no REF). */
static int split(const char *ref, int t, char **path, char **name, struct berr **err)
{
    const char *rest = ref + strlen(transports[t].name) + 1;
    const char *colon = transports[t].fmt == SAF_DOCKER_DIR ? NULL : strchr(rest, ':');
    _cleanup_free_ char *p = colon ? str_ndup(rest, (size_t) (colon - rest)) : str_dup(rest);

    *path = *name = NULL;
    if (!p)
        return berr_oom(err);
    if (!*p)
        return berr_kind(err, BK_INVALID, "invalid reference \"%s\": no path", ref);
    if (*p != '/') {
        char cwd[4096];
        if (!getcwd(cwd, sizeof(cwd)))
            return berr_sys(err, "getcwd");
        *path = str_fmt("%s/%s", cwd, p);
    } else {
        *path = STEAL_PTR(p);
    }
    if (colon && colon[1] && !(*name = str_dup(colon + 1)))
        return berr_oom(err);
    return *path ? 0 : berr_oom(err);
}

int img_pull_transport(struct runtime *rt, const char *ref, const struct img_pull_opts *o,
                       char ***ids, struct berr **err)
{
    int t = find(ref);
    _cleanup_free_ char *path = NULL, *name = NULL, *want = NULL;
    _cleanup_strv_ char **out = calloc(1, sizeof(char *));
    struct store_loaded *v = NULL;
    struct policy *pol = NULL;
    struct store *s;
    size_t n = 0;
    int rc = -1;

    if (!out)
        return berr_oom(err);
    if (split(ref, t, &path, &name, err) < 0)
        return -1;
    if (policy_load(o->signature_policy, &pol, err) < 0)
        return -1;
    rc = policy_allows(pol, transports[t].name, path, err);
    policy_free(pol);
    if (rc < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    rc = -1;
    progress_emit(o->progress, PROG_MSG, "Getting image source signatures", 0, 0);
    if (transports[t].fmt == SAF_DOCKER_DIR || transports[t].fmt == SAF_OCI_DIR) {
        if (store_load_dir(s, path, transports[t].fmt, name, &v, &n, err) < 0)
            return -1;
    } else {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return berr_sys(err, "open %s", path);
        if (store_load(s, fd, &v, &n, err) < 0)
            return -1;
    }
    /* REF picks one image of an archive by its name in it */
    if (name && transports[t].fmt != SAF_OCI_DIR &&
        ref_normalize_str(name, transports[t].default_domain, &want, err) < 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (want && !strv_contains(v[i].names, want))
            continue;
        if (strv_push(&out, v[i].id) < 0) {
            berr_oom(err);
            goto done;
        }
        img_event(rt, "pull", v[i].id, ref);
    }
    if (!out[0]) {
        berr_kind(err, BK_NO_SUCH, "%s: no image named %s in the archive", path, want);
        goto done;
    }
    progress_emit(o->progress, PROG_MSG, "Writing manifest to image destination", 0, 0);
    progress_emit(o->progress, PROG_MSG, "Storing signatures", 0, 0);
    *ids = STEAL_PTR(out);
    rc = 0;
done:
    store_loaded_free(v, n);
    return rc;
}

int img_push_transport(struct runtime *rt, const char *id, const char *src, const char *dest,
                       const struct img_push_opts *o, struct berr **err)
{
    int t = find(dest);
    _cleanup_free_ char *path = NULL, *name = NULL, *norm = NULL;
    struct store *s;
    struct berr *e = NULL;

    if (split(dest, t, &path, &name, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    /* the name recorded inside: REF, else the source's own name */
    const char *given = name ? name : src;
    if (transports[t].fmt == SAF_OCI_DIR || transports[t].fmt == SAF_OCI_ARCHIVE) {
        norm = name ? str_dup(name) : NULL;
    } else if (transports[t].default_domain &&
               ref_normalize_str(given, name ? transports[t].default_domain : "localhost",
                                 &norm, &e) < 0) {
        berr_free(e);           /* an id: no name */
        norm = NULL;
    }
    struct store_save_item item = { .id = id, .name = norm };
    progress_emit(o->progress, PROG_MSG, "Getting image source signatures", 0, 0);
    if (transports[t].fmt == SAF_OCI_DIR || transports[t].fmt == SAF_DOCKER_DIR) {
        if (store_save(s, &item, 1, transports[t].fmt, -1, path, err) < 0)
            return -1;
    } else {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return berr_sys(err, "create %s", path);
        if (store_save(s, &item, 1, transports[t].fmt, fd, NULL, err) < 0)
            return -1;
    }
    progress_emit(o->progress, PROG_MSG, "Writing manifest to image destination", 0, 0);
    progress_emit(o->progress, PROG_MSG, "Storing signatures", 0, 0);
    img_event(rt, "push", id, dest);
    return 0;
}
