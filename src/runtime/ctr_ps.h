/*
 * runtime/ctr_ps.h: `ps` over the containers' records.
 *
 * ps takes no lock and writes nothing: it reads each state record as it
 * is, with the view of the config kept in it (ctr_view.h), and decides
 * liveness as a reader without the lock does. A record that does not
 * parse is listed with State "error" and the problem in Status; it never
 * stops the listing. The store is opened only for sizes (-s).
 */
#ifndef BERTH_CTR_PS_H
#define BERTH_CTR_PS_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/runtime.h"

enum ps_shape {
    PS_JSON,        /* `ps --format json`: podman's ListContainer JSON */
    PS_TEMPLATE,    /* the fields podman's ps templates and tables see */
};

struct ps_query {
    bool all;               /* -a: not only running containers */
    bool size;              /* -s: Size from the store */
    long long last;         /* -n N: the N last created, any state; <= 0 off */
    bool latest;            /* -l: -n 1 */
    const char *sort;       /* command created id image names runningfor size
                               status; NULL: created */
    char **filters;         /* "key=value" strv, or NULL */
    enum ps_shape shape;
    bool no_trunc;          /* PS_TEMPLATE: full ids, whole commands */
    const char *tmpl;       /* PS_TEMPLATE: the template that will read the
                               items (only its fields are built); NULL: all */
    double now;             /* unix seconds for "ago"; 0: the clock */
    bool external;          /* --external: also root file systems in storage
                               no record knows (state "storage") */
    bool ns;                /* --ns: the namespaces of running containers */
    bool pod;               /* --pod: the default table shows Pod and PodName */
    /* ctr_ps_texts: texts made from each row directly, no item nor
     * template (render is then only for rows in error): PS_ROWS_TABLE,
     * the rows of ps's default table ("table {{.ID}}\t{{.Image}}\t
     * {{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}",
     * with pod the pod columns); PS_ROWS_IDS, -q's "{{.ID}}" */
    enum { PS_ROWS_TEMPLATE, PS_ROWS_TABLE, PS_ROWS_IDS } direct;
    /* ctr_ps_texts: turns an item into its text (malloc'd); called from
     * several threads at once, so it may only read what ctx points to */
    int (*render)(void *ctx, json_t *item, char **text, struct berr **err);
    void *render_ctx;
};

/* Checks the sort key and the filter syntax (podman's errors) without
 * touching the state, so a bad flag fails before runtime init. */
int ctr_ps_check(const struct ps_query *q, struct berr **err);

/* One object per container, oldest first (or as q->sort says), after
 * -a, the filters and -n/-l. *items is a new array. */
int ctr_ps_items(struct runtime *rt, const struct ps_query *q, json_t **items,
                 struct berr **err);

/* The same rows as ctr_ps_items, each rendered by q->render as soon as
 * it is read, so no row keeps its item: *texts (n of them) are new. */
int ctr_ps_texts(struct runtime *rt, const struct ps_query *q, char ***texts, size_t *n,
                 struct berr **err);

/* The containers ps's filters select, in any state (--filter of rm, stop,
 * restart and start, as podman's): their full ids and (names not NULL)
 * their names, index for index. New strvs. */
int ctr_ps_select(struct runtime *rt, char **filters, char ***ids, char ***names,
                  struct berr **err);

#endif
