/*
 * storage/check.c: system check's part in the store (store.h): are the
 * layers every image names there, and (unless quick) do their stored
 * blobs still hash to the digests they came with, and their unpacked
 * files match the manifest written when they were unpacked (manifest.c)?
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "storage/internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

/* The first thing wrong with one layer that removing its images fixes,
 * malloc'd, or NULL; *changed: its files differ from its manifest while
 * its blob is intact (unpacking it again fixes that). */
static char *layer_problem(struct store *s, const struct store_layer_info *l, bool quick,
                           char **changed)
{
    _cleanup_free_ char *diff = st_path(s, "layers/%s/diff", l->chain), *blob = NULL;
    _cleanup_free_ char *files = NULL;
    char hex[65];
    int64_t size;
    struct berr *e = NULL;

    if (!diff)
        return NULL;
    if (!fs_is_dir(diff))
        return str_fmt("layer %.12s: its directory %s is missing", l->chain, diff);
    if (quick)
        return NULL;
    if (layer_manifest_verify(s, l->chain, &files, &e) < 0) {
        char *p = str_fmt("layer %.12s: %s", l->chain, e->msg);
        berr_free(e);
        return p;
    }
    if (!digest_valid(l->blob) || !(blob = blob_path(s, l->blob)))
        return files ? str_fmt("layer %.12s: its files changed (%s) and it has no blob to "
                               "unpack again", l->chain, files) : NULL;
    if (!fs_exists(blob))
        return str_fmt("layer %.12s: its blob %s is missing", l->chain, l->blob);
    if (blob_hash_file(blob, hex, &size, &e) < 0) {
        char *p = str_fmt("layer %.12s: %s", l->chain, e->msg);
        berr_free(e);
        return p;
    }
    if (strcmp(hex, l->blob + 7))
        return str_fmt("layer %.12s: its blob does not match its digest %s (content sha256:%s)",
                       l->chain, l->blob, hex);
    *changed = STEAL_PTR(files);
    return NULL;
}

/* One layer, checked once however many images share it: seen[chain] is
 * its image problem or null; a changed one gets the image in changed. */
static int check_layer(struct store *s, const struct store_layer_info *l, bool quick,
                       const char *image, json_t *seen, json_t *changed, char **problem)
{
    json_t *have = json_object_get(seen, l->chain), *c;
    _cleanup_free_ char *files = NULL;

    if (!have) {
        char *p = layer_problem(s, l, quick, &files);
        have = p ? json_string(p) : json_null();
        free(p);
        if (!have || json_object_set_new(seen, l->chain, have) < 0)
            return -1;
        if (files && json_object_set_new(changed, l->chain, json_pack("{s:s, s:[]}",
                                         "Problem", files, "Images")) < 0)
            return -1;
    }
    if ((c = json_object_get(changed, l->chain)) &&
        json_array_append_new(json_object_get(c, "Images"), json_string(image)) < 0)
        return -1;
    if (json_is_string(have) && !(*problem = str_dup(json_string_value(have))))
        return -1;
    return 0;
}

int store_check_images(struct store *s, bool quick, json_t **damaged, json_t **changed,
                       struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *seen = json_object();
    struct store_image **imgs = NULL;
    size_t n = 0;
    int rc = 0;

    if (!seen || !(*damaged = json_object()) || !(*changed = json_object()))
        return berr_oom(err);
    /* shared: no removal takes a layer away while its files are walked */
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (store_images(s, &imgs, &n, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        _cleanup_free_ struct store_layer_info *ls = NULL;
        _cleanup_free_ char *problem = NULL;
        size_t nl = 0;
        struct berr *e = NULL;

        if (store_image_layers(s, imgs[i], &ls, &nl, &e) < 0) {
            problem = str_dup(e->msg);
            berr_free(e);
        }
        for (size_t k = 0; rc == 0 && !problem && k < nl; k++)
            if (check_layer(s, &ls[k], quick, imgs[i]->id, seen, *changed, &problem) < 0)
                rc = berr_oom(err);
        if (rc == 0 && problem &&
            json_object_set_new(*damaged, imgs[i]->id, json_string(problem)) < 0)
            rc = berr_oom(err);
    }
    store_images_free(imgs, n);
    return rc;
}

int store_layer_reunpack(struct store *s, const char *chain, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;

    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    return layer_reunpack(s, chain, err);
}

int store_images_broken(struct store *s, json_t **out, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **ids = NULL;

    if (!(*out = json_object()))
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (st_img_ids(s, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_json_ json_t *rec = NULL;
        struct store_image *img = NULL;
        struct berr *e = NULL;

        if (st_img_record_read(s, ids[i], &rec, &e) == 0 && st_img_from_record(rec, &img, &e) == 0) {
            store_image_free(img);
            continue;
        }
        if (e->errnum != ENOENT && json_object_set_new(*out, ids[i], json_string(e->msg)) < 0) {
            berr_free(e);
            return berr_oom(err);
        }
        berr_free(e);
    }
    return 0;
}

int store_image_quarantine(struct store *s, const char *id, const char *why, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *qdir = st_path(s, "quarantine");
    _cleanup_free_ char *src = st_path(s, "images/%s.json", id);
    _cleanup_free_ char *dst = st_path(s, "quarantine/images-%s-%lld", id, (long long) time(NULL));
    _cleanup_free_ char *rec = dst ? str_fmt("%s/%s.json", dst, id) : NULL;
    _cleanup_free_ char *note = str_fmt("image %s: %s\n", id, why);

    if (!qdir || !src || !dst || !rec || !note)
        return berr_oom(err);
    if (strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64)
        return berr_new(err, BERR_ENGINE, 0, "quarantine image %s: not an image id", id);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (fs_mkdir_p(dst, 0700, err) < 0)
        return -1;
    if (rename(src, rec) < 0)
        return berr_sys(err, "quarantine image %s: move %s to %s", id, src, rec);
    if (fs_write_atomic(dst, "WHY", note, strlen(note), 0600, err) < 0)
        return -1;
    return st_img_names_rebuild(s, err);
}
