/*
 * test/ctrrec_same.h: ps's reader of state.json's text (ctr_runstate_scan)
 * against the way every other reader goes (jansson, ctr_runstate_parse,
 * ctr_config_parse of the view), for test/unit/test_ctrrec.c and
 * test/fuzz/fuzz_statescan.c alike: one comparison, so the two cannot
 * drift apart.
 */
#ifndef BERTH_TEST_CTRREC_SAME_H
#define BERTH_TEST_CTRREC_SAME_H

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "runtime/container.h"
#include "util/js.h"

#define CTRREC_SAME_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static inline bool str_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static inline bool json_same(json_t *a, json_t *b)
{
    return (!a && !b) || (a && b && json_equal(a, b));
}

/* What ps reads of a config, alike in a and b. */
static inline bool cfg_same(const struct ctr_config *a, const struct ctr_config *b)
{
    bool ok = str_same(a->name, b->name) && str_same(a->ns, b->ns) &&
              str_same(a->image_id, b->image_id) && str_same(a->image_name, b->image_name) &&
              str_same(a->restart_policy, b->restart_policy) &&
              str_same(a->log_driver, b->log_driver) && str_same(a->hostname, b->hostname) &&
              a->created_ns == b->created_ns && a->auto_remove == b->auto_remove &&
              a->view_version == b->view_version && a->stop_signal == b->stop_signal &&
              a->shm_size == b->shm_size && a->lock_id == b->lock_id &&
              a->stop_timeout == b->stop_timeout && json_same(a->command, b->command) &&
              json_same(a->labels, b->labels) && json_same(a->networks, b->networks) &&
              json_same(a->port_mappings, b->port_mappings) && json_same(a->spec, b->spec);

    for (int i = 0; i < SPEC_NS__COUNT; i++)
        ok = ok && str_same(a->ns_mode[i], b->ns_mode[i]);
    return ok;
}

/* The scan of text, without its view (view false) or with it (ps),
 * against the other readers: -1 the scan declined; 0 all read it alike;
 * 1 they differ (or the others refuse what the scan took). */
static inline int scan_vs_parse(const char *text, size_t len, bool view)
{
    struct ctr_runstate a, b;
    struct ctr_config ca, cb;
    struct berr *e = NULL;
    json_t *rec, *ja, *jb;
    int r = 1;

    if (ctr_runstate_scan(text, len, &a, view ? &ca : NULL) < 0)
        return -1;
    rec = js_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    if (rec && ctr_runstate_parse(rec, CTRREC_SAME_ID, &b, &e) == 0) {
        ja = ctr_runstate_json(&a);
        jb = ctr_runstate_json(&b);
        json_object_del(jb, "version");
        if (view)
            json_object_del(jb, "view");
        if (ja && jb && json_equal(ja, jb)) {
            if (!view)
                r = 0;
            else if (!b.view)
                r = ca.view_version == 0 ? 0 : 1;
            else if (ctr_config_parse(b.view, CTRREC_SAME_ID, &cb, &e) == 0) {
                r = cfg_same(&ca, &cb) ? 0 : 1;
                ctr_config_free(&cb);
            }
        }
        json_decref(ja);
        json_decref(jb);
        ctr_runstate_free(&b);
    }
    berr_freep(&e);
    json_decref(rec);
    ctr_runstate_free(&a);
    if (view)
        ctr_config_free(&ca);
    return r;
}

#endif
