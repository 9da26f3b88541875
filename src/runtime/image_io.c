/*
 * runtime/image_io.c: images in and out of archives: load (docker-archive,
 * oci-archive), save (those and the oci-dir / docker-dir layouts) and
 * import (a root file system tarball): runtime/image.h. The store does
 * the archive work (storage/load.c, save.c, import.c); this file picks the
 * names to record, writes a save atomically and writes the events. Pull
 * and push, when the registry client comes, belong here beside them.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/image_int.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/str.h"

void img_loaded_free(struct img_loaded *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        strv_free(v[i].names);
    free(v);
}

/* The images a load brought in, as img_load returns them (v taken), each
 * with its loadfromarchive event. */
static int loaded(struct runtime *rt, struct store_loaded *v, size_t *n, const char *source,
                  struct img_loaded **out, struct berr **err)
{
    struct img_loaded *res;

    /* the images are in: an out-of-memory from here on loses only the list */
    if (!(res = calloc(*n + 1, sizeof(*res)))) {
        store_loaded_free(v, *n);
        *n = 0;
        return berr_oom(err);
    }
    for (size_t i = 0; i < *n; i++) {
        memcpy(res[i].id, v[i].id, sizeof(res[i].id));
        res[i].names = STEAL_PTR(v[i].names);
        img_event(rt, "loadfromarchive", res[i].id, source);
    }
    store_loaded_free(v, *n);
    *out = res;
    return 0;
}

int img_load(struct runtime *rt, int fd, const char *source, struct img_loaded **out,
             size_t *n, struct berr **err)
{
    struct store *s;
    struct store_loaded *v = NULL;

    *out = NULL;
    *n = 0;
    if (rt_store(rt, &s, err) < 0 || store_load(s, fd, &v, n, err) < 0)
        return -1;
    return loaded(rt, v, n, source, out, err);
}

int img_load_dir(struct runtime *rt, const char *dir, struct img_loaded **out, size_t *n,
                 struct berr **err)
{
    _cleanup_free_ char *layout = str_fmt("%s/oci-layout", dir);
    _cleanup_free_ char *manifest = str_fmt("%s/manifest.json", dir);
    struct store_loaded *v = NULL;
    enum store_archive_fmt fmt;
    struct store *s;

    *out = NULL;
    *n = 0;
    if (!layout || !manifest)
        return berr_oom(err);
    if (access(layout, F_OK) == 0)
        fmt = SAF_OCI_DIR;
    else if (access(manifest, F_OK) == 0)
        fmt = SAF_DOCKER_DIR;
    else
        return berr_msg(err, "%s: neither an OCI layout (oci-layout) nor a docker-dir (manifest.json)",
                        dir);
    if (rt_store(rt, &s, err) < 0 || store_load_dir(s, dir, fmt, NULL, &v, n, err) < 0)
        return -1;
    return loaded(rt, v, n, dir, out, err);
}


static bool is_dir_format(enum store_archive_fmt f)
{
    return f == SAF_OCI_DIR || f == SAF_DOCKER_DIR;
}

/* img_save_check, and the store's name of the format. */
static int save_format(const char *format, size_t n, const char *output, bool multi,
                       enum store_archive_fmt *f, struct berr **err)
{
    struct stat st;

    if (store_archive_fmt_parse(format, f, err) < 0)
        return -1;
    if (multi && n > 1 && *f != SAF_DOCKER_ARCHIVE)
        return berr_msg(err, "unsupported format \"%s\" for saving multiple images (only docker-archive)",
                        format);
    if (!output && is_dir_format(*f))
        return berr_msg(err, "--format %s needs a directory: use -o DIR", format);
    /* podman's docker-archive writer adds to no archive (an empty file
     * is no archive yet) */
    if (output && *f == SAF_DOCKER_ARCHIVE && stat(output, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > 0)
        return berr_msg(err, "docker-archive doesn't support modifying existing images");
    return 0;
}

int img_save_check(const char *format, size_t n, const char *output, bool multi,
                   struct berr **err)
{
    enum store_archive_fmt f;

    return save_format(format, n, output, multi, &f, err);
}

/* The name to record for what the user typed: the image's own name it
 * means, or none for an id. *out NULL: no name. */
static int save_name(const struct img *img, const char *ref, char **out, struct berr **err)
{
    _cleanup_free_ char *full = NULL;
    _cleanup_ref_ struct ref r = { 0 };
    const char *pick = img->names[0];
    struct berr *e = NULL;

    *out = NULL;
    if (str_has_prefix(img->id, str_has_prefix(ref, "sha256:") ? ref + 7 : ref))
        return 0;
    if (ref_normalize_str(ref, "localhost", &full, &e) == 0) {
        for (char *const *n = img->names; *n; n++)
            if (!strcmp(*n, full))
                return (*out = str_dup(*n)) ? 0 : berr_oom(err);
    }
    berr_free(STEAL_PTR(e));
    /* a short name: the first of the image's names it matches */
    if (ref_parse(ref, &r, &e) == 0) {
        for (char *const *n = img->names; *n; n++)
            if (ref_short_matches(&r, *n)) {
                pick = *n;
                break;
            }
    }
    berr_free(e);
    return pick && !(*out = str_dup(pick)) ? berr_oom(err) : 0;
}

/* What img_save looked up: the images and the names to record. */
struct save_set {
    struct img **imgs;
    char **names;
    struct store_save_item *items;
    size_t n;
    strv more;                  /* without -m: the first image's other names */
};

static void save_set_free(struct save_set *ss)
{
    for (size_t i = 0; i < ss->n; i++) {
        img_free(ss->imgs ? ss->imgs[i] : NULL);
        free(ss->names ? ss->names[i] : NULL);
    }
    free(ss->imgs);
    free(ss->names);
    free(ss->items);
    strv_free(ss->more);
}

/* save without -m: the references after the first are names the first
 * image gets in the archive, normalized as podman's, not looked up */
static int save_set_more(struct save_set *ss, char *const *refs, size_t n, struct berr **err)
{
    for (size_t i = 1; i < n; i++) {
        _cleanup_free_ char *full = NULL;
        if (ref_normalize_str(refs[i], "localhost", &full, err) < 0)
            return berr_wrap(err, "normalizing name \"%s\"", refs[i]);
        if (strv_push(&ss->more, full) < 0)
            return berr_oom(err);
    }
    if (ss->n)
        ss->items[0].more_names = ss->more;
    return 0;
}

static int save_set_fill(struct store *s, char *const *refs, size_t n, struct save_set *ss,
                         struct berr **err)
{
    ss->n = n;
    ss->imgs = calloc(n + 1, sizeof(*ss->imgs));
    ss->names = calloc(n + 1, sizeof(*ss->names));
    ss->items = calloc(n + 1, sizeof(*ss->items));
    if (!ss->imgs || !ss->names || !ss->items)
        return berr_oom(err);
    for (size_t i = 0; i < n; i++) {
        if (img_lookup_store(s, refs[i], &ss->imgs[i], err) < 0 ||
            save_name(ss->imgs[i], refs[i], &ss->names[i], err) < 0)
            return -1;
        ss->items[i] = (struct store_save_item) { ss->imgs[i]->id, ss->names[i] };
    }
    return 0;
}

/* An archive file written under a temporary name and renamed over output
 * once whole: a failed save leaves no torso. */
static int save_file(struct store *s, const struct save_set *ss, enum store_archive_fmt fmt,
                     const char *output, struct berr **err)
{
    _cleanup_free_ char *tmp = str_fmt("%s.berth-XXXXXX", output);
    int fd, r;

    if (!tmp)
        return berr_oom(err);
    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
        return berr_sys(err, "create %s", output);
    r = store_save(s, ss->items, ss->n, fmt, fd, NULL, err);
    if (r == 0 && (fchmod(fd, 0644) < 0 || fsync(fd) < 0 || rename(tmp, output) < 0))
        r = berr_sys(err, "write %s", output);
    close(fd);
    if (r < 0)
        (void) unlink(tmp);
    return r;
}

int img_save(struct runtime *rt, char *const *refs, size_t n, const char *format,
             const char *output, int out_fd, bool multi, struct berr **err)
{
    struct save_set ss = { 0 };
    enum store_archive_fmt sf;
    struct store *s;
    size_t all = n;
    int r;

    if (save_format(format, n, output, multi, &sf, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    if (!multi)
        n = n ? 1 : 0;      /* podman: the first image, the rest its names */
    r = save_set_fill(s, refs, n, &ss, err);
    if (r == 0 && !multi && sf == SAF_DOCKER_ARCHIVE)
        r = save_set_more(&ss, refs, all, err);
    if (r == 0 && is_dir_format(sf))
        r = store_save(s, ss.items, n, sf, -1, output, err);
    else if (r == 0 && output)
        r = save_file(s, &ss, sf, output, err);
    else if (r == 0)
        r = store_save(s, ss.items, n, sf, out_fd, NULL, err);
    for (size_t i = 0; r == 0 && i < n; i++)
        img_event(rt, "save", ss.imgs[i]->id, output ? output : "");
    save_set_free(&ss);
    return r;
}

int img_import_name(const char *typed, char **out, struct berr **err)
{
    _cleanup_free_ char *name = NULL;

    if (img_name_normalize(typed, &name, err) < 0)
        return berr_wrap(err, "normalizing name \"%s\"", typed);
    if (strchr(name, '@'))
        return berr_msg(err, "%s: an image name cannot carry a digest", typed);
    *out = STEAL_PTR(name);
    return 0;
}

int img_import(struct runtime *rt, int fd, const struct img_import_opts *o, char id[65],
               struct berr **err)
{
    struct store_import_opts so = {
        .config = o->config, .comment = o->comment, .name = o->name,
        .arch = o->arch && *o->arch ? o->arch : NULL,
        .os = o->os && *o->os ? o->os : NULL,
        .variant = o->variant,
    };
    struct store *s;

    if (rt_store(rt, &s, err) < 0 || store_import(s, fd, &so, id, err) < 0)
        return -1;
    /* podman 4.3.1 writes no import event, only the tag (with the name
     * as typed) */
    if (o->name)
        img_event(rt, "tag", id, o->name_typed ? o->name_typed : o->name);
    return 0;
}
