/*
 * runtime/ctr_ps.c: `ps` (ctr_ps.h): one row per container, read from its
 * state record (with the view of its config) on every CPU, filtered
 * (ctr_ps_filter.c), sorted, cut by -n/-l and turned into items
 * (ctr_ps_item.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/ctr_ps_int.h"
#include "runtime/image.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/thread.h"
#include "util/timefmt.h"

static const struct ctr_config no_cfg;
static const struct ctr_runstate no_st;

/* What a row read from the records; its item no longer needs them. */
static void row_drop_records(struct ps_row *r)
{
    if (r->rec) {
        ctr_config_free(&r->rec->cfg);
        ctr_runstate_free(&r->rec->st);
        free(r->rec);
        r->rec = NULL;
    }
    r->cfg = &no_cfg;
    r->st = &no_st;
    json_decref(r->command);
    r->command = NULL;
}

static void row_free(struct ps_row *r)
{
    free(r->id);
    free(r->error);
    row_drop_records(r);
    json_decref(r->item);
    free(r->sort_text);
    free(r->text);
    berr_free(r->text_err);
}

/* ---- the command ---- */

/* podman's ps Command, its config's Command: the argv without its
 * entrypoint, null when that leaves nothing (an entrypoint given without
 * a command drops the image's Cmd). A record from before commandStart:
 * the user's command, else the whole argv (exact for an image with no
 * entrypoint). NULL when out of memory. */
static json_t *row_command(const struct ps_row *r)
{
    json_t *all = r->cfg->command, *cmd = json_object_get(r->cfg->spec, "command");
    long long start = r->cfg->command_start;
    size_t n = json_array_size(all);
    json_t *out;

    if (start < 0 || !json_is_array(all)) {
        if (json_is_array(cmd))
            return json_array_size(cmd) ? json_incref(cmd) : json_null();
        if (!json_is_array(all) || json_is_array(json_object_get(r->cfg->spec, "entrypoint")))
            return json_null();
        start = 0;
    }
    if ((size_t) start >= n)
        return json_null();
    if (start == 0)
        return json_incref(all);
    if (!(out = json_array()))
        return NULL;
    for (size_t i = (size_t) start; i < n; i++)
        if (json_array_append(out, json_array_get(all, i)) < 0)
            return json_decref(out), NULL;
    return out;
}

/* ---- reading rows ---- */

/* One file per container: the state carries the config's view; a
 * record written before views existed is read whole. */
static int row_records(struct runtime *rt, struct ps_rec *rec, const char *id,
                       struct berr **err)
{
    struct berr *e = NULL;

    /* a sound record, its view too, straight from its text */
    if (ctr_read_state_quick(rt, id, &rec->st, &rec->cfg) == 0) {
        if (rec->cfg.view_version == CTR_VIEW_VERSION)
            return 0;
        ctr_config_free(&rec->cfg);     /* none, or of another version */
        return ctr_read(rt, id, &rec->cfg, NULL, err);
    }
    /* any other as every reader does */
    if (ctr_read(rt, id, NULL, &rec->st, err) < 0)
        return -1;
    if (rec->st.view && ctr_config_parse(rec->st.view, id, &rec->cfg, &e) == 0) {
        if (rec->cfg.view_version == CTR_VIEW_VERSION)
            return 0;
        ctr_config_free(&rec->cfg);
    }
    berr_free(e);   /* a view of another version, or broken: the config says */
    return ctr_read(rt, id, &rec->cfg, NULL, err);
}

/* A row whose records are damaged: what could be read of them (its name,
 * image, created time) and why (r->error), from the lenient reader that
 * rm uses. 1 when the record is gone; -1 out of memory. */
static int row_load_damaged(struct runtime *rt, struct ps_row *r, struct ps_rec *rec)
{
    struct berr *e = NULL;
    char *damage = NULL;

    if (ctr_read_salvage(rt, r->id, &rec->cfg, &rec->st, &damage, &e) < 0) {
        int gone = e->kind == BK_NO_SUCH;
        berr_free(e);
        return gone ? 1 : -1;
    }
    r->error = damage ? damage : str_dup("unreadable record");
    r->rec = rec;
    r->cfg = &rec->cfg;
    r->st = &rec->st;
    r->created_ns = rec->cfg.created_ns;
    r->state = CS_UNKNOWN;
    r->command = r->error ? row_command(r) : NULL;
    return r->command ? 0 : -1;
}

/* Reads row r. A damaged record is no error (r->error says why); 1: the
 * record is gone (removed while ps was listing); -1 is out of memory. */
static int row_load(struct runtime *rt, struct ps_row *r)
{
    struct ps_rec *rec = calloc(1, sizeof(*rec));
    const struct ctr_runstate *s;
    struct berr *e = NULL;
    int gone;

    r->cfg = &no_cfg;
    r->st = &no_st;
    if (!rec)
        return -1;
    if (row_records(rt, rec, r->id, &e) < 0) {
        gone = e->kind == BK_NO_SUCH;
        berr_free(e);
        ctr_config_free(&rec->cfg);
        ctr_runstate_free(&rec->st);
        if (!gone && (gone = row_load_damaged(rt, r, rec)) == 0)
            return 0;
        free(rec);
        return gone;
    }
    r->rec = rec;
    r->cfg = &rec->cfg;
    r->st = s = &rec->st;
    r->created_ns = r->cfg->created_ns;
    r->started_ns = s->started_ns;
    if (ctr_view_state(rt, r->id, s, &r->state, &r->exit_code, &r->finished_ns) < 0)
        r->state = (int) s->state;
    /* a start a killed command did not record: about when it began */
    if (r->state == CS_RUNNING && s->state == CS_CREATED)
        r->started_ns = proc_ticks_to_unix_ns(s->pid_start);
    r->exited = r->state == CS_EXITED || r->state == CS_STOPPED ||
                (s->exited && r->state != CS_RUNNING && r->state != CS_PAUSED);
    if (!r->exited && r->state != CS_STOPPED && r->state != CS_EXITED)
        r->exit_code = s->exit_code;
    r->command = row_command(r);
    return r->command ? 0 : -1;
}

const char *ps_row_name(const struct ps_row *r)
{
    return r->cfg->name ? r->cfg->name : "";
}

const char *ps_row_image(const struct ps_row *r)
{
    return r->cfg->image_name ? r->cfg->image_name : "";
}

const char *ps_row_image_id(const struct ps_row *r)
{
    return r->cfg->image_id ? r->cfg->image_id : "";
}

const char *ps_row_state_name(const struct ps_row *r)
{
    if (r->error)
        return "error";
    if (r->external)
        return "storage";
    return ctr_state_shown(r->state);
}


/* ---- sorting ---- */

enum sort_by { S_CREATED, S_ID, S_IMAGE, S_NAMES, S_COMMAND, S_RUNNINGFOR, S_STATUS, S_SIZE };
static enum sort_by sort_by;

static enum sort_by sort_key(const char *k)
{
    static const char *const keys[] = {
        [S_CREATED] = "created", [S_ID] = "id", [S_IMAGE] = "image", [S_NAMES] = "names",
        [S_COMMAND] = "command", [S_RUNNINGFOR] = "runningfor", [S_STATUS] = "status",
        [S_SIZE] = "size",
    };
    for (size_t i = 0; k && i < sizeof(keys) / sizeof(keys[0]); i++)
        if (str_eq(keys[i], k))
            return (enum sort_by) i;
    return S_CREATED;
}

static int cmp_ll(long long a, long long b) { return a < b ? -1 : a > b; }

void ps_row_cmd_add(struct sbuf *b, const struct ps_row *r)
{
    size_t i, n = 0;
    json_t *a;

    json_array_foreach(r->command, i, a) {
        if (!json_is_string(a))
            continue;
        if (n++)
            sbuf_addc(b, ' ');
        sbuf_addn(b, json_string_value(a), json_string_length(a));
    }
}

char *ps_row_cmd_text(const struct ps_row *r)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    ps_row_cmd_add(&b, r);
    return sbuf_steal(&b);
}

static char *row_sort_text(const struct ps_row *r)
{
    switch (sort_by) {
    case S_IMAGE: return str_dup(ps_row_image(r));
    case S_NAMES: return str_dup(ps_row_name(r));
    case S_COMMAND: return ps_row_cmd_text(r);
    default: return NULL;
    }
}

static int row_cmp(const void *pa, const void *pb)
{
    const struct ps_row *a = pa, *b = pb;
    int c = 0;

    switch (sort_by) {
    case S_ID: c = strcmp(a->id, b->id); break;
    case S_IMAGE:
    case S_NAMES:
    case S_COMMAND:
        c = strcmp(a->sort_text ? a->sort_text : "", b->sort_text ? b->sort_text : "");
        break;
    case S_RUNNINGFOR: c = cmp_ll(a->started_ns, b->started_ns); break;
    case S_STATUS: c = strcmp(ps_row_state_name(a), ps_row_state_name(b)); break;
    case S_SIZE: c = a->has_size && b->has_size ? cmp_ll(a->rw_size, b->rw_size) : 0; break;
    case S_CREATED: c = cmp_ll(a->created_ns, b->created_ns); break;
    }
    return c ? c : cmp_ll((long long) a->seq, (long long) b->seq);
}

/* ---- the listing ---- */

static void rows_free(struct ps_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        row_free(&rows[i]);
    free(rows);
}

/* The sizes of rows[0..n) (those with a record), in one pass of the
 * store: ps -s and system df over many containers. As before, a store
 * that cannot be read leaves the rows without sizes. */
static int rows_size(struct runtime *rt, struct ps_row *rows, size_t n, struct berr **err)
{
    _cleanup_free_ struct store_size_req *v = calloc(n ? n : 1, sizeof(*v));
    _cleanup_free_ size_t *at = calloc(n ? n : 1, sizeof(*at));
    _cleanup_free_ int64_t *rw = calloc(n ? n : 1, sizeof(*rw));
    _cleanup_free_ int64_t *img = calloc(n ? n : 1, sizeof(*img));
    struct berr *e = NULL;
    struct store *s;
    size_t k = 0;

    if (!v || !at || !rw || !img)
        return berr_oom(err);
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].rec)
            continue;
        at[k] = i;
        v[k] = (struct store_size_req) { .ctr_id = rows[i].id,
            .image_id = ps_row_image_id(&rows[i]), .rw = &rw[k], .image = &img[k] };
        k++;
    }
    if (rt_store(rt, &s, &e) < 0 || store_ctr_sizes(s, v, k, &e) < 0) {
        if (e->errnum == ENOMEM) {
            *err = e;
            return -1;
        }
        berr_free(e);
        return 0;
    }
    for (size_t j = 0; j < k; j++) {
        struct ps_row *r = &rows[at[j]];
        r->rw_size = rw[j];
        r->rootfs_size = rw[j] + img[j];
        r->has_size = true;
    }
    return 0;
}

/* Reading the rows: the state record of each container (with its view of
 * the config), parsed and turned into an item. With many containers this runs on every CPU (up to 8): each
 * worker takes the next chunk of ids and fills their rows (a row that
 * does not pass keeps no id). Nothing shared is written but the chunk
 * counter and the oom flag; the state handle opens its dir fd once. */
struct ps_load {
    struct runtime *rt;
    const struct ps_query *q;
    const struct filters *fs;
    const bool *want;
    double now;
    bool all, early;
    struct ps_row *rows;
    char **ids;
    size_t n;
    size_t next;                /* atomic: the next unclaimed id */
    int oom;                    /* atomic */
};

#define PS_CHUNK 32

static void ps_load_one(struct ps_load *L, size_t i)
{
    struct ps_row *row = &L->rows[i];
    int loaded;

    row->id = STEAL_PTR(L->ids[i]);
    row->seq = i;
    loaded = row_load(L->rt, row);
    if (loaded < 0)
        __atomic_store_n(&L->oom, 1, __ATOMIC_RELAXED);
    /* a container removed since the listing has no row (no phantom) */
    if (loaded > 0 || (!L->all && (row->error || row->state != CS_RUNNING)) ||
        !ps_row_matches(L->fs, row)) {
        row_free(row);
        memset(row, 0, sizeof(*row));
        return;
    }
    row->sort_text = row_sort_text(row);
    if (!L->early)
        return;
    if (L->q->direct && !row->error) {
        if (!(row->text = ps_row_direct_text(L->rt, row, L->q, L->now)))
            __atomic_store_n(&L->oom, 1, __ATOMIC_RELAXED);
        row_drop_records(row);
        return;
    }
    row->item = ps_row_item(L->rt, row, L->q, L->want, L->now);
    if (!row->item)
        __atomic_store_n(&L->oom, 1, __ATOMIC_RELAXED);
    row_drop_records(row);
    /* rendered at once, the item is gone: a text is a tenth of its heap */
    if (row->item && L->q->render) {
        if (L->q->render(L->q->render_ctx, row->item, &row->text, &row->text_err) < 0)
            row->text = NULL;
        json_decref(row->item);
        row->item = NULL;
    }
}

static void *ps_load_worker(void *arg)
{
    struct ps_load *L = arg;

    for (;;) {
        size_t i = __atomic_fetch_add(&L->next, PS_CHUNK, __ATOMIC_RELAXED);
        if (i >= L->n)
            return NULL;
        for (size_t end = i + PS_CHUNK < L->n ? i + PS_CHUNK : L->n; i < end; i++)
            ps_load_one(L, i);
    }
}

static void ps_load_rows(struct ps_load *L)
{
    pthread_t th[7];
    size_t nth = 0;
    int cpus = thread_cpus();

    /* a thread costs ~50 us: worth it from a few hundred files on */
    if (L->n >= 128 && cpus > 1) {
        size_t want = (size_t) (cpus < 8 ? cpus : 8) - 1;
        while (nth < want && thread_spawn_away(&th[nth], ps_load_worker, L) == 0)
            nth++;
    }
    ps_load_worker(L);
    for (size_t i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
}

/* Keeps the rows that passed (a row that did not has no id), in list
 * order; returns their number. */
static size_t rows_compact(struct ps_row *rows, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (!rows[i].id)
            continue;
        if (k != i) {
            rows[k] = rows[i];
            memset(&rows[i], 0, sizeof(rows[i]));
        }
        k++;
    }
    return k;
}

/* One --external row: a config made of what storage knows, as podman
 * lists such a container: named "unknown" (storage keeps no names), the
 * command "storage", the image it was made from by its first name. */
static int external_row(struct runtime *rt, struct store *s, const char *id, struct ps_row *r,
                        struct berr **err)
{
    _cleanup_free_ char *image = NULL;
    _cleanup_img_ struct img *img = NULL;
    _cleanup_json_ json_t *cfg = NULL;
    struct berr *e = NULL;
    long long created = 0;

    memset(r, 0, sizeof(*r));
    r->cfg = &no_cfg;
    r->st = &no_st;
    if (store_ctr_info(s, id, &image, &created, &e) < 0) {
        berr_free(e);           /* removed meanwhile: no row */
        return 0;
    }
    if (*image && img_lookup(rt, image, &img, &e) < 0)
        berr_free(e);
    cfg = json_pack("{s:s, s:s, s:I, s:{s:s, s:s}, s:[s]}", "id", id, "name", "unknown",
                    "createdNs", (json_int_t) created * 1000000000LL, "image", "id", image,
                    "name", img && img->names[0] ? img->names[0] : "", "command", "storage");
    if (!cfg || !(r->rec = calloc(1, sizeof(*r->rec))) || !(r->id = str_dup(id)))
        return berr_oom(err);
    if (ctr_config_parse(cfg, id, &r->rec->cfg, err) < 0)
        return -1;
    r->cfg = &r->rec->cfg;
    r->st = &r->rec->st;
    r->external = true;
    r->state = CS_UNKNOWN;
    r->created_ns = r->cfg->created_ns;
    r->command = json_incref(r->cfg->command);
    return 0;
}

/* Appends the --external rows to rows[0..*k). */
static int external_rows(struct runtime *rt, struct ps_row **rows, size_t *k, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    struct store *s;
    size_t n;
    struct ps_row *nv;

    if (ctr_external_ids(rt, &ids, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    n = strv_len(ids);
    if (!n)
        return 0;
    if (!(nv = realloc(*rows, (*k + n) * sizeof(**rows))))
        return berr_oom(err);
    *rows = nv;
    for (size_t i = 0; i < n; i++) {
        if (external_row(rt, s, ids[i], &nv[*k], err) < 0) {
            row_free(&nv[*k]);
            return -1;
        }
        if (nv[*k].id)
            (*k)++;
    }
    return 0;
}

/* The rows ps shows, read, filtered, cut and sorted: rows[first..*k). */
static int ps_rows(struct runtime *rt, const struct ps_query *q, struct ps_row **rowsp,
                   size_t *kp, size_t *firstp, bool *want, double *nowp, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    struct ps_row *rows = NULL;
    struct filters fs;
    size_t n = 0, k = 0, first = 0;
    long long last = q->latest ? 1 : q->last;
    bool all = q->all || last > 0;
    double now = q->now;
    int r = -1;

    if (ctr_ps_check(q, err) < 0 || ps_filters_parse(q->filters, &fs, err) < 0)
        return -1;
    if (now <= 0)
        now = (double) time_now_ns() / 1e9;
    /* podman: a status filter shows every state */
    if (fs.f[F_STATUS].n)
        all = true;
    if (ps_filters_resolve(rt, &fs, err) < 0 || ctr_list_ids(rt, &ids, err) < 0)
        goto out;
    n = strv_len(ids);
    rows = calloc(n ? n : 1, sizeof(*rows));
    if (!rows) {
        berr_oom(err);
        goto out;
    }
    ps_tfields_wanted(q->tmpl, want);
    sort_by = sort_key(q->sort);
    {
        struct ps_load L = {
            .rt = rt, .q = q, .fs = &fs, .want = want, .now = now, .all = all,
            /* Without -n/-l/-s every row that passes the filters is shown:
             * its item is built at once and its records dropped, so the
             * heap stays small (on a VM each new page is a costly fault:
             * 1000 containers of parsed records were 10 MB). */
            .early = last <= 0 && !q->size,
            .rows = rows, .ids = ids, .n = n,
        };
        ps_load_rows(&L);
        k = rows_compact(rows, n);
        if (L.oom) {
            berr_oom(err);
            goto out;
        }
    }
    /* -n/-l: the last created, in creation order */
    sort_by = S_CREATED;
    qsort(rows, k, sizeof(*rows), row_cmp);
    for (size_t i = 0; i < k; i++)
        rows[i].seq = i;        /* ties keep creation order */
    if (last > 0 && (size_t) last < k)
        first = k - (size_t) last;
    /* podman adds the external ones to what -n and the filters left */
    if (q->external && external_rows(rt, &rows, &k, err) < 0)
        goto out;
    if (q->size && rows_size(rt, rows + first, k - first, err) < 0)
        goto out;
    sort_by = sort_key(q->sort);
    /* by creation they are already, but for the external ones */
    if (sort_by != S_CREATED || q->external)
        qsort(rows + first, k - first, sizeof(*rows), row_cmp);
    r = 0;
out:
    if (r < 0) {
        rows_free(rows, k);
        rows = NULL;
        k = 0;
    }
    *rowsp = rows;
    *kp = k;
    *firstp = first;
    *nowp = now;
    ps_filters_free(&fs);
    return r;
}

/* The item of row r, as q asks for it. */
static json_t *row_take_item(struct runtime *rt, struct ps_row *r, const struct ps_query *q,
                             const bool *want, double now)
{
    return r->item ? STEAL_PTR(r->item) : ps_row_item(rt, r, q, want, now);
}

int ctr_ps_items(struct runtime *rt, const struct ps_query *q, json_t **items, struct berr **err)
{
    _cleanup_json_ json_t *out = json_array();
    struct ps_row *rows = NULL;
    size_t k = 0, first = 0;
    bool want[T__N];
    double now;
    int r = -1;

    if (!out)
        return berr_oom(err);
    if (ps_rows(rt, q, &rows, &k, &first, want, &now, err) < 0)
        return -1;
    for (size_t i = first; i < k; i++) {
        json_t *it = row_take_item(rt, &rows[i], q, want, now);
        if (!it || json_array_append_new(out, it) < 0) {
            berr_oom(err);
            goto out;
        }
    }
    *items = STEAL_PTR(out);
    r = 0;
out:
    rows_free(rows, k);
    return r;
}

int ctr_ps_texts(struct runtime *rt, const struct ps_query *q, char ***texts, size_t *n,
                 struct berr **err)
{
    struct ps_row *rows = NULL;
    size_t k = 0, first = 0, m = 0;
    bool want[T__N];
    double now;
    char **v;
    int r = -1;

    if (ps_rows(rt, q, &rows, &k, &first, want, &now, err) < 0)
        return -1;
    if (!(v = calloc(k - first + 1, sizeof(*v)))) {
        berr_oom(err);
        goto out;
    }
    for (size_t i = first; i < k; i++, m++) {
        struct ps_row *row = &rows[i];
        _cleanup_json_ json_t *it = NULL;

        if (row->text_err) {
            *err = STEAL_PTR(row->text_err);
            goto out;
        }
        if (row->text) {
            v[m] = STEAL_PTR(row->text);
            continue;
        }
        if (q->direct && !row->error && !row->item) {
            if (!(v[m] = ps_row_direct_text(rt, row, q, now))) {
                berr_oom(err);
                goto out;
            }
            continue;
        }
        if (!(it = row_take_item(rt, row, q, want, now))) {
            berr_oom(err);
            goto out;
        }
        if (q->render(q->render_ctx, it, &v[m], err) < 0)
            goto out;
    }
    *texts = STEAL_PTR(v);
    *n = m;
    r = 0;
out:
    strv_free(v);
    rows_free(rows, k);
    return r;
}

int ctr_ps_select(struct runtime *rt, char **filters, char ***ids, char ***names,
                  struct berr **err)
{
    struct ps_query q = { .all = true, .filters = filters, .shape = PS_TEMPLATE,
                          .no_trunc = true, .tmpl = "{{.ID}} {{.Names}}" };
    _cleanup_json_ json_t *items = NULL;
    _cleanup_strv_ char **vi = calloc(1, sizeof(char *)), **vn = calloc(1, sizeof(char *));
    json_t *it;
    size_t i;

    if (!vi || !vn)
        return berr_oom(err);
    if (ctr_ps_items(rt, &q, &items, err) < 0)
        return -1;
    json_array_foreach(items, i, it)
        if (strv_push(&vi, js_str(it, "ID", "")) < 0 || strv_push(&vn, js_str(it, "Names", "")) < 0)
            return berr_oom(err);
    *ids = STEAL_PTR(vi);
    if (names)
        *names = STEAL_PTR(vn);
    return 0;
}
