/*
 * storage/images.c: image records (images/<id>.json), the names index
 * (images/names.json), lookup by id / prefix / name / short name, tags
 * and removal (the layers it leaves are image_gc.c's).
 *
 * The records are the truth; names.json is derived from them so a lookup
 * by name reads one small file instead of every record. A writer marks
 * images/.dirty before it changes records and clears it after the index
 * is rewritten: a reader that sees the mark (its writer died: writers hold
 * the lock exclusively) scans the records instead, and the next writer
 * rebuilds the index. A name moves between images by first leaving the
 * old one, so a crash can lose a name but never give it to two images.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

void store_image_free(struct store_image *img)
{
    if (!img)
        return;
    free(img->digest);
    strv_free(img->names);
    strv_free(img->digests);
    free(img->manifest_type);
    free(img->created);
    free(img->top_layer);
    json_decref(img->record);
    free(img);
}

void store_images_free(struct store_image **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_image_free(v[i]);
    free(v);
}

int st_img_from_record(json_t *rec, struct store_image **out, struct berr **err)
{
    struct store_image *img = calloc(1, sizeof(*img));
    const char *id = js_str(rec, "id", NULL);

    if (!img)
        return berr_oom(err);
    if (!id || !ref_is_full_id(id)) {
        free(img);
        return berr_kind(err, BK_CORRUPT, "image record without a valid id");
    }
    snprintf(img->id, sizeof(img->id), "%s", id);
    img->record = json_incref(rec);
    img->digest = str_dup(js_str(rec, "digest", ""));
    img->names = js_to_strv(json_object_get(rec, "names"));
    img->digests = js_to_strv(json_object_get(rec, "digests"));
    img->manifest_type = str_dup(js_str(rec, "manifest_type", ""));
    img->created = str_dup(js_str(rec, "created", NULL));
    img->created_unix = js_int(rec, "created_unix", 0);
    img->loaded_unix = js_int(rec, "loaded", 0);
    img->size = js_int(rec, "size", 0);
    img->top_layer = str_dup(js_str(rec, "top_layer", NULL));
    img->nlayers = json_array_size(json_object_get(rec, "layers"));
    if (!img->digest || !img->manifest_type || (!img->names && json_object_get(rec, "names"))) {
        store_image_free(img);
        return berr_oom(err);
    }
    if (!img->names && !(img->names = calloc(1, sizeof(char *)))) {
        store_image_free(img);
        return berr_oom(err);
    }
    if (!img->digests && !(img->digests = calloc(1, sizeof(char *)))) {
        store_image_free(img);
        return berr_oom(err);
    }
    *out = img;
    return 0;
}

int st_img_record_read(const struct store *s, const char *id, json_t **out, struct berr **err)
{
    _cleanup_free_ char *p = st_path(s, "images/%s.json", id);

    if (!p)
        return berr_oom(err);
    return js_read_file(p, out, err);
}

/* Ids of every record, sorted (readdir only). */
static int record_ids(const struct store *s, char ***out, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "images");
    _cleanup_closedir_ DIR *d = NULL;
    _cleanup_strv_ char **v = NULL;
    struct dirent *de;

    if (!dir)
        return berr_oom(err);
    if (!(d = opendir(dir)))
        return berr_sys(err, "open %s", dir);
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n != 69 || !str_has_suffix(de->d_name, ".json"))
            continue;
        _cleanup_free_ char *id = str_ndup(de->d_name, 64);
        if (!id)
            return berr_oom(err);
        if (ref_is_full_id(id) && strv_push(&v, id) < 0)
            return berr_oom(err);
    }
    if (!v && !(v = calloc(1, sizeof(char *))))
        return berr_oom(err);
    strv_sort(v);
    *out = STEAL_PTR(v);
    return 0;
}

static int cmp_loaded(const void *a, const void *b)
{
    const struct store_image *x = *(struct store_image *const *) a;
    const struct store_image *y = *(struct store_image *const *) b;

    /* loaded_ns orders images loaded within one second (one archive,
     * or a script): podman lists them in the order they came. */
    long long xn = js_int(x->record, "loaded_ns", 0), yn = js_int(y->record, "loaded_ns", 0);

    if (x->loaded_unix != y->loaded_unix)
        return x->loaded_unix < y->loaded_unix ? -1 : 1;
    if (xn != yn)
        return xn < yn ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Every record that reads; *unreadable (if not NULL) counts the others. */
static int img_list(struct store *s, struct store_image ***out, size_t *n, size_t *unreadable,
                    struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    struct store_image **v;
    size_t k = 0;

    if (record_ids(s, &ids, err) < 0)
        return -1;
    if (!(v = calloc(strv_len(ids) + 1, sizeof(*v))))
        return berr_oom(err);
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_json_ json_t *rec = NULL;
        struct berr *e = NULL;
        if (st_img_record_read(s, ids[i], &rec, &e) < 0 || st_img_from_record(rec, &v[k], &e) < 0) {
            /* Out of memory is no broken record: a list without the
             * image would let the layer GC delete its layers. */
            if (e->errnum == ENOMEM) {
                store_images_free(v, k);
                *err = e;
                return -1;
            }
            /* One broken record never hides the others. */
            if (e->errnum != ENOENT) {
                log_warn("image %.12s: %s (`berth system check --repair` moves the broken "
                         "record aside)", ids[i], e->msg);
                if (unreadable)
                    ++*unreadable;
            }
            berr_free(e);
            continue;
        }
        k++;
    }
    qsort(v, k, sizeof(*v), cmp_loaded);
    *out = v;
    *n = k;
    return 0;
}

int st_img_list_locked(struct store *s, struct store_image ***out, size_t *n, struct berr **err)
{
    return img_list(s, out, n, NULL, err);
}

int st_img_list_counted(struct store *s, struct store_image ***out, size_t *n,
                        size_t *unreadable, struct berr **err)
{
    *unreadable = 0;
    return img_list(s, out, n, unreadable, err);
}

/* For system check (storage/check.c): every image record's id. */
int st_img_ids(const struct store *s, char ***out, struct berr **err)
{
    return record_ids(s, out, err);
}

int store_images(struct store *s, struct store_image ***out, size_t *n, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;

    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    return st_img_list_locked(s, out, n, err);
}

/* The names index of these records, {"name": "id"}; NULL on OOM. */
static json_t *names_map(struct store_image *const *v, size_t n)
{
    json_t *idx = json_object();

    for (size_t i = 0; idx && i < n; i++)
        for (char **nm = v[i]->names; *nm; nm++)
            if (json_object_set_new(idx, *nm, json_string(v[i]->id)) < 0) {
                json_decref(idx);
                return NULL;
            }
    return idx;
}

int st_img_names_rebuild(struct store *s, struct berr **err)
{
    struct store_image **v = NULL;
    size_t n = 0;
    _cleanup_json_ json_t *idx = NULL;
    _cleanup_free_ char *dir = st_path(s, "images");

    if (!dir)
        return berr_oom(err);
    if (st_img_list_locked(s, &v, &n, err) < 0)
        return -1;
    idx = names_map(v, n);
    store_images_free(v, n);
    if (!idx)
        return berr_oom(err);
    return js_write_atomic(dir, "names.json", idx, 0600, err);
}

static int mark_dirty(struct store *s, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "images");

    if (!dir)
        return berr_oom(err);
    return fs_write_atomic(dir, ".dirty", "", 0, 0600, err);
}

static int clear_dirty(struct store *s, struct berr **err)
{
    _cleanup_free_ char *p = st_path(s, "images/.dirty");

    if (!p)
        return berr_oom(err);
    if (unlink(p) < 0 && errno != ENOENT)
        return berr_sys(err, "remove %s", p);
    return 0;
}

static int write_record(struct store *s, json_t *rec, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "images");
    _cleanup_free_ char *name = str_fmt("%s.json", js_str(rec, "id", ""));

    if (!dir || !name)
        return berr_oom(err);
    return js_write_atomic(dir, name, rec, 0600, err);
}

/* Removes name from the array arr; true if it was there. */
static bool names_drop(json_t *arr, const char *name)
{
    size_t i;
    json_t *v;
    bool hit = false;

    for (i = json_array_size(arr); i-- > 0;) {
        v = json_array_get(arr, i);
        if (str_eq(json_string_value(v), name)) {
            (void) json_array_remove(arr, i);       /* i is in range: cannot fail */
            hit = true;
        }
    }
    return hit;
}

int st_img_record_commit(struct store *s, json_t *rec, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    json_t *names = json_object_get(rec, "names");
    const char *id = js_str(rec, "id", "");

    if (mark_dirty(s, err) < 0 || record_ids(s, &ids, err) < 0)
        return -1;
    /* Names leave their old images first. */
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_json_ json_t *other = NULL;
        struct berr *e = NULL;
        bool changed = false;
        if (!strcmp(ids[i], id))
            continue;
        if (st_img_record_read(s, ids[i], &other, &e) < 0) {
            berr_free(e);
            continue;
        }
        json_t *on = json_object_get(other, "names");
        size_t k;
        json_t *nm;
        json_array_foreach(names, k, nm)
            changed |= names_drop(on, json_string_value(nm));
        if (changed && write_record(s, other, err) < 0)
            return -1;
    }
    if (write_record(s, rec, err) < 0 || st_img_names_rebuild(s, err) < 0)
        return -1;
    return clear_dirty(s, err);
}

/* names.json, or (after a writer died) the names of every record. */
static int names_index(struct store *s, json_t **out, struct berr **err)
{
    _cleanup_free_ char *dirty = st_path(s, "images/.dirty");
    _cleanup_free_ char *idx = st_path(s, "images/names.json");
    struct store_image **v = NULL;
    size_t n = 0;

    if (!dirty || !idx)
        return berr_oom(err);
    if (!fs_exists(dirty)) {
        if (!fs_exists(idx))
            return (*out = json_object()) ? 0 : berr_oom(err);
        return js_read_file(idx, out, err);
    }
    if (st_img_list_locked(s, &v, &n, err) < 0)
        return -1;
    *out = names_map(v, n);
    store_images_free(v, n);
    return *out ? 0 : berr_oom(err);
}

static int load_image(struct store *s, const char *id, struct store_image **out,
                      struct berr **err)
{
    _cleanup_json_ json_t *rec = NULL;

    if (st_img_record_read(s, id, &rec, err) < 0)
        return -1;
    return st_img_from_record(rec, out, err);
}

static int not_known(struct berr **err, const char *ref)
{
    return berr_kind(err, BK_NO_SUCH, "%s: image not known", ref);
}

/* By full id or unique id prefix; 0 found, 1 none, -1 error. */
static int lookup_id(struct store *s, const char *hex, struct store_image **out,
                     struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    const char *hit = NULL;
    size_t n = strlen(hex);

    /* a full id names its record: no listing (a prefix that long matches
     * that record alone) */
    if (ref_is_full_id(hex)) {
        struct berr *e = NULL;
        if (load_image(s, hex, out, &e) == 0)
            return 0;
        if (e->errnum != ENOENT) {
            *err = e;
            return -1;
        }
        berr_free(e);
        return 1;
    }
    if (record_ids(s, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        if (strncmp(ids[i], hex, n))
            continue;
        if (hit)
            return berr_kind(err, BK_EXISTS, "%s: more than one image matches this ID prefix "
                             "(%.12s, %.12s)", hex, hit, ids[i]);
        hit = ids[i];
    }
    if (!hit)
        return 1;
    return load_image(s, hit, out, err) < 0 ? -1 : 0;
}

static bool has_digest(json_t *rec, const char *digest)
{
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(rec, "digests"), i, v)
        if (str_eq(json_string_value(v), digest))
            return true;
    return str_eq(js_str(rec, "digest", NULL), digest);
}

/* repo@digest: an image with a name in repo and the digest. */
static int lookup_digest(struct store *s, const struct ref *r, bool shortname,
                         struct store_image **out, const char *orig, struct berr **err)
{
    struct store_image **v = NULL;
    size_t n = 0;
    _cleanup_free_ char *repo = ref_repo(r);
    int rc = 1;

    if (!repo)
        return berr_oom(err);
    if (st_img_list_locked(s, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && rc == 1; i++) {
        if (!has_digest(v[i]->record, r->digest))
            continue;
        for (char **nm = v[i]->names; *nm; nm++) {
            bool match = shortname ? ref_short_matches(r, *nm)
                                   : (str_has_prefix(*nm, repo) &&
                                      ((*nm)[strlen(repo)] == ':' || (*nm)[strlen(repo)] == '@'));
            if (match) {
                *out = STEAL_PTR(v[i]);
                rc = 0;
                break;
            }
        }
    }
    store_images_free(v, n);
    return rc == 1 ? not_known(err, orig) : rc;
}

int st_img_lookup_locked(struct store *s, const char *ref, struct store_image **out,
                      struct berr **err)
{
    _cleanup_ref_ struct ref r = { 0 };
    _cleanup_json_ json_t *idx = NULL;
    struct berr *e = NULL;
    const char *hex = str_has_prefix(ref, "sha256:") ? ref + 7 : ref;
    int rc;

    if (!*ref)
        return berr_kind(err, BK_INVALID, "image name or ID cannot be empty");
    if (ref_is_hex(hex)) {
        if ((rc = lookup_id(s, hex, out, err)) <= 0)
            return rc;
        if (hex != ref)
            return not_known(err, ref);
    }
    if (ref_parse(ref, &r, &e) < 0) {
        berr_free(e);
        return not_known(err, ref);
    }
    bool shortname = r.domain == NULL;
    if (!shortname && ref_normalize(&r, "docker.io", err) < 0)
        return -1;
    if (r.digest)
        return lookup_digest(s, &r, shortname, out, ref, err);
    if (names_index(s, &idx, err) < 0)
        return -1;
    if (!shortname) {
        _cleanup_free_ char *full = ref_string(&r);
        if (!full)
            return berr_oom(err);
        const char *id = js_str(idx, full, NULL);
        if (!id || !ref_is_full_id(id))
            return not_known(err, ref);
        if (load_image(s, id, out, &e) < 0) {
            berr_free(e);
            return not_known(err, ref);
        }
        return 0;
    }
    /* A short name: every local name ending in it. */
    const char *key, *first = NULL;
    json_t *val;
    _cleanup_strv_ char **cands = NULL;
    bool ambiguous = false;
    json_object_foreach(idx, key, val) {
        const char *id = json_string_value(val);
        if (!id || !ref_short_matches(&r, key))
            continue;
        if (strv_push(&cands, key) < 0)
            return berr_oom(err);
        if (first && strcmp(first, id))
            ambiguous = true;
        first = first ? first : id;
    }
    if (!first)
        return not_known(err, ref);
    if (ambiguous) {
        strv_sort(cands);
        _cleanup_free_ char *list = strv_join(cands, ", ");
        return berr_kind(err, BK_EXISTS, "short name \"%s\" is ambiguous: it matches %s; "
                         "use a full name", ref, list ? list : "several images");
    }
    if (load_image(s, first, out, &e) < 0) {
        berr_free(e);
        return not_known(err, ref);
    }
    return 0;
}

int store_image_lookup(struct store *s, const char *ref, struct store_image **out,
                       struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;

    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    return st_img_lookup_locked(s, ref, out, err);
}

bool store_image_exists(struct store *s, const char *ref)
{
    struct store_image *img = NULL;
    struct berr *e = NULL;
    bool ok = store_image_lookup(s, ref, &img, &e) == 0;

    store_image_free(img);
    berr_free(e);
    return ok;
}

int store_image_config_json(struct store *s, const struct store_image *img, json_t **out,
                            struct berr **err)
{
    _cleanup_free_ char *d = str_fmt("sha256:%s", img->id);

    if (!d)
        return berr_oom(err);
    return blob_read_json(s, d, out, err);
}

int store_image_manifest_json(struct store *s, const struct store_image *img, json_t **out,
                              struct berr **err)
{
    return blob_read_json(s, js_str(img->record, "manifest", ""), out, err);
}

static char **keys_of(json_t *o)
{
    const char *k;
    json_t *v;
    char **out = calloc(1, sizeof(char *));

    json_object_foreach(o, k, v)
        if (!out || strv_push(&out, k) < 0) {
            strv_free(out);
            return NULL;
        }
    return out;
}

int store_image_cfg(struct store *s, const struct store_image *img,
                    struct store_image_cfg *out, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;
    json_t *c;

    memset(out, 0, sizeof(*out));
    if (store_image_config_json(s, img, &cfg, err) < 0)
        return berr_wrap(err, "image %.12s", img->id);
    c = json_object_get(cfg, "config");
    if (json_is_array(json_object_get(c, "Entrypoint")))
        out->entrypoint = js_to_strv(json_object_get(c, "Entrypoint"));
    if (json_is_array(json_object_get(c, "Cmd")))
        out->cmd = js_to_strv(json_object_get(c, "Cmd"));
    out->env = js_to_strv(json_object_get(c, "Env"));
    out->working_dir = str_dup(js_str(c, "WorkingDir", NULL));
    out->user = str_dup(js_str(c, "User", NULL));
    out->stop_signal = str_dup(js_str(c, "StopSignal", NULL));
    out->exposed_ports = keys_of(json_object_get(c, "ExposedPorts"));
    out->volumes = keys_of(json_object_get(c, "Volumes"));
    out->labels = json_is_object(json_object_get(c, "Labels"))
                      ? json_deep_copy(json_object_get(c, "Labels")) : json_object();
    out->architecture = str_dup(js_str(cfg, "architecture", NULL));
    out->os = str_dup(js_str(cfg, "os", NULL));
    if (json_is_object(json_object_get(c, "Healthcheck")))
        out->healthcheck = json_deep_copy(json_object_get(c, "Healthcheck"));
    if (!out->labels || !out->exposed_ports || !out->volumes) {
        store_image_cfg_free(out);
        return berr_oom(err);
    }
    return 0;
}

void store_image_cfg_free(struct store_image_cfg *c)
{
    strv_free(c->entrypoint);
    strv_free(c->cmd);
    strv_free(c->env);
    free(c->working_dir);
    free(c->user);
    free(c->stop_signal);
    strv_free(c->exposed_ports);
    strv_free(c->volumes);
    json_decref(c->labels);
    free(c->architecture);
    free(c->os);
    json_decref(c->healthcheck);
    memset(c, 0, sizeof(*c));
}

int store_image_tag(struct store *s, const char *id, const char *name, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *rec = NULL;
    json_t *names, *v;
    size_t i;

    /* A name is a repository and a tag; a digest names content and is
     * never a name (podman's words). */
    if (strchr(name, '@'))
        return berr_msg(err, "%s: tag by digest not supported", name);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_img_record_read(s, id, &rec, err) < 0)
        return -1;
    names = json_object_get(rec, "names");
    if (!json_is_array(names)) {
        names = json_array();
        if (!names || json_object_set_new(rec, "names", names) < 0)
            return berr_oom(err);
    }
    json_array_foreach(names, i, v)
        if (str_eq(json_string_value(v), name))
            return 0;
    if (json_array_append_new(names, json_string(name)) < 0)
        return berr_oom(err);
    json_t *hist = json_object_get(rec, "names_history");
    if (!json_is_array(hist)) {
        hist = json_array();
        if (!hist || json_object_set_new(rec, "names_history", hist) < 0)
            return berr_oom(err);
    }
    (void) names_drop(hist, name);      /* it moves to the front */
    if (json_array_insert_new(hist, 0, json_string(name)) < 0)
        return berr_oom(err);
    return st_img_record_commit(s, rec, err);
}

int store_image_untag(struct store *s, const char *id, const char *name, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *rec = NULL;

    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_img_record_read(s, id, &rec, err) < 0)
        return -1;
    json_t *names = json_object_get(rec, "names");
    if (!name) {
        if (json_object_set_new(rec, "names", json_array()) < 0)
            return berr_oom(err);
    } else if (!names_drop(names, name)) {
        return berr_kind(err, BK_NO_SUCH, "%s: tag not known", name);
    }
    return st_img_record_commit(s, rec, err);
}

int store_image_remove(struct store *s, const char *id, bool force, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **users = NULL;
    _cleanup_free_ char *rec = NULL, *mnt = NULL;

    /* Exclusive from the first check: no rootfs can be made from the
     * image between the check and the removal. */
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (store_image_containers(s, id, &users, err) < 0)
        return -1;
    if (users[0])
        return berr_kind(err, BK_STATE, "image used by %s: image is in use by a container",
                         users[0]);
    if (store_image_mounted(s, id, &mnt, err) < 0)
        return -1;
    if (mnt) {
        if (!force)
            return berr_kind(err, BK_STATE, "image %.12s is mounted at %s", id, mnt);
        if (store_image_unmount(s, id, true, NULL, err) < 0)
            return -1;
    }
    if (!(rec = st_path(s, "images/%s.json", id)))
        return berr_oom(err);
    if (mark_dirty(s, err) < 0)
        return -1;
    if (unlink(rec) < 0) {
        if (errno == ENOENT)
            return berr_kind(err, BK_NO_SUCH, "%s: image not known", id);
        return berr_sys(err, "remove %s", rec);
    }
    if (st_img_names_rebuild(s, err) < 0 || clear_dirty(s, err) < 0)
        return -1;
    return st_img_gc_layers(s, err);
}

char *store_image_lowerdir(struct store *s, const struct store_image *img, bool top)
{
    json_t *layers = json_object_get(img->record, "layers");
    size_t n = json_array_size(layers);
    _cleanup_sbuf_ struct sbuf lower = SBUF_INIT;

    /* top first, as an overlay mount lists them */
    for (size_t i = top ? n : n - 1; n && i-- > 0;)
        sbuf_addf(&lower, "%s%s/layers/%s/diff", lower.len ? ":" : "", s->graph,
                  json_string_value(json_array_get(layers, i)));
    return sbuf_steal(&lower);
}

json_t *store_image_graph_driver(struct store *s, const struct store_image *img)
{
    json_t *layers = json_object_get(img->record, "layers");
    size_t n = json_array_size(layers);
    _cleanup_free_ char *lower = NULL;
    json_t *data;

    if (strcmp(s->driver, "overlay") || n == 0)
        return json_pack("{s:s, s:n}", "Name", s->driver, "Data");
    const char *top = json_string_value(json_array_get(layers, n - 1));
    _cleanup_free_ char *upper = st_path(s, "layers/%s/diff", top);
    _cleanup_free_ char *work = st_path(s, "layers/%s/work", top);
    if (!(lower = store_image_lowerdir(s, img, false)) || !upper || !work)
        return NULL;
    data = *lower ? json_pack("{s:s, s:s, s:s}", "LowerDir", lower, "UpperDir", upper,
                              "WorkDir", work)
                  : json_pack("{s:s, s:s}", "UpperDir", upper, "WorkDir", work);
    return json_pack("{s:s, s:o}", "Name", s->driver, "Data", data);
}

int store_image_layers(struct store *s, const struct store_image *img,
                       struct store_layer_info **out, size_t *n, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    json_t *layers = json_object_get(img->record, "layers"), *x;
    size_t k, nl = json_array_size(layers);
    _cleanup_free_ struct store_layer_info *v = calloc(nl + 1, sizeof(*v));

    if (!v)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    json_array_foreach(layers, k, x) {
        _cleanup_json_ json_t *l = NULL;
        if (!json_string_value(x) || layer_read(s, json_string_value(x), &l, err) < 0)
            return berr_wrap(err, "image %.12s: layer %zu", img->id, k);
        snprintf(v[k].chain, sizeof(v[k].chain), "%s", json_string_value(x));
        snprintf(v[k].diff_id, sizeof(v[k].diff_id), "%s", js_str(l, "diff_id", ""));
        /* the blob this image came with (the record keeps them in layer
         * order); another image may have brought the layer differently
         * compressed first */
        const char *b = json_string_value(json_array_get(json_object_get(img->record, "blobs"), k));
        snprintf(v[k].blob, sizeof(v[k].blob), "%s", b ? b : js_str(l, "blob", ""));
        v[k].diff_size = js_int(l, "diff_size", 0);
    }
    *out = STEAL_PTR(v);
    *n = nl;
    return 0;
}
