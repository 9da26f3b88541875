/*
 * test/fuzz/fuzz_statescan.c: ctr_runstate_scan, ps's reader of
 * state.json's text (and of the config's view in it), against the way
 * every other reader goes (jansson, ctr_runstate_parse, ctr_config_parse
 * of the view): whatever text it takes, they must take too and read
 * alike. What it declines, they judge.
 */
#include <jansson.h>

#include "fuzz.h"
#include "runtime/container.h"
#include "util/js.h"

FUZZ_QUIET_INIT

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static bool str_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool json_same(json_t *a, json_t *b)
{
    return (!a && !b) || (a && b && json_equal(a, b));
}

static bool cfg_same(const struct ctr_config *a, const struct ctr_config *b)
{
    bool ok = str_same(a->name, b->name) && str_same(a->ns, b->ns) &&
              str_same(a->image_id, b->image_id) && str_same(a->image_name, b->image_name) &&
              str_same(a->restart_policy, b->restart_policy) &&
              str_same(a->hostname, b->hostname) && a->created_ns == b->created_ns &&
              a->auto_remove == b->auto_remove && a->view_version == b->view_version &&
              a->stop_signal == b->stop_signal && a->shm_size == b->shm_size &&
              json_same(a->command, b->command) && json_same(a->labels, b->labels) &&
              json_same(a->networks, b->networks) &&
              json_same(a->port_mappings, b->port_mappings) && json_same(a->spec, b->spec);

    for (int i = 0; i < SPEC_NS__COUNT; i++)
        ok = ok && str_same(a->ns_mode[i], b->ns_mode[i]);
    return ok;
}

/* 0: the scan declined or both read alike; abort() otherwise. */
static void check(const char *buf, size_t size, bool with_view)
{
    struct ctr_runstate a, b;
    struct ctr_config ca, cb;
    struct berr *e = NULL;
    json_t *rec, *ja, *jb;

    if (ctr_runstate_scan(buf, size, &a, with_view ? &ca : NULL) < 0)
        return;
    rec = js_loadb(buf, size, JSON_REJECT_DUPLICATES, NULL);
    if (!rec || ctr_runstate_parse(rec, ID, &b, &e) < 0)
        abort();
    ja = ctr_runstate_json(&a);
    jb = ctr_runstate_json(&b);
    json_object_del(jb, "version");
    if (with_view)
        json_object_del(jb, "view");
    if (!ja || !jb || !json_equal(ja, jb))
        abort();
    if (with_view && b.view) {
        if (ctr_config_parse(b.view, ID, &cb, &e) < 0 || !cfg_same(&ca, &cb))
            abort();
        ctr_config_free(&cb);
    } else if (with_view && ca.view_version != 0) {
        abort();
    }
    json_decref(ja);
    json_decref(jb);
    json_decref(rec);
    ctr_runstate_free(&a);
    ctr_runstate_free(&b);
    if (with_view)
        ctr_config_free(&ca);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check((const char *) data, size, false);
    check((const char *) data, size, true);
    return 0;
}
