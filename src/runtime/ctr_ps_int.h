/*
 * runtime/ctr_ps_int.h: shared by the ps files only: ctr_ps.c (rows,
 * sorting, the listing), ctr_ps_filter.c (--filter) and ctr_ps_item.c
 * (the item shapes).
 */
#ifndef BERTH_CTR_PS_INT_H
#define BERTH_CTR_PS_INT_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ctr_ps.h"
#include "runtime/ctr_view.h"

/* A row's records while it is read: a heap block of its own, freed (and
 * so reused by the next row) once its item is built; kept out of the
 * array of rows, whose every page would be a fault of its own. */
struct ps_rec {
    struct ctr_config cfg;      /* the view of its config, or the config */
    struct ctr_runstate st;
};

struct ps_row {
    char *id;
    struct ps_rec *rec;         /* NULL: not read, broken, or dropped */
    const struct ctr_config *cfg;   /* rec's, or an empty one: never NULL */
    const struct ctr_runstate *st;
    char *error;                /* why its records are broken */
    int state;                  /* as ps believes it */
    int exit_code;
    bool exited;
    long long created_ns, started_ns, finished_ns;
    bool has_size;
    long long rw_size, rootfs_size;
    json_t *command;            /* array of strings */
    size_t seq;                 /* list order, for a stable sort */
    json_t *item;               /* built early; then rec and command are gone */
    char *text;                 /* q->render's text of the item, made early */
    struct berr *text_err;      /* or why the render failed */
    char *sort_text;            /* the sort key of image/names/command, kept */
    bool external;              /* a root file system no record knows (--external) */
};

/* ctr_ps.c: what a row shows */
const char *ps_row_name(const struct ps_row *r);
const char *ps_row_image(const struct ps_row *r);
const char *ps_row_image_id(const struct ps_row *r);
const char *ps_row_state_name(const struct ps_row *r);
/* The command as one string, malloc'd; or appended to b. */
char *ps_row_cmd_text(const struct ps_row *r);
void ps_row_cmd_add(struct sbuf *b, const struct ps_row *r);

/* ctr_ps_filter.c */
enum fkey { F_ID, F_NAME, F_STATUS, F_LABEL, F_ANCESTOR, F_EXITED, F_BEFORE, F_SINCE, F_VOLUME,
            F_POD, F_HEALTH, F_RESTART_POLICY, F_NETWORK, F_UNTIL, F__N };

struct fvals {
    char **v;                   /* values */
    regex_t *re;                /* id/name: compiled values (NULL where invalid) */
    bool *re_ok;
    size_t n;
    long long when_ns;          /* before/since: the reference's creation;
                                   until: the time itself */
};

struct filters {
    struct fvals f[F__N];
    bool any;
};

int ps_filters_parse(char **in, struct filters *fs, struct berr **err);
void ps_filters_free(struct filters *fs);
/* before=/since= name a container: its creation time is the boundary. */
int ps_filters_resolve(struct runtime *rt, struct filters *fs, struct berr **err);
bool ps_row_matches(const struct filters *fs, const struct ps_row *r);

/* ctr_ps_item.c */
/* The template fields, and which of them a template may read. */
enum tfield {
    T_ID, T_IMAGE, T_COMMAND, T_CREATEDHUMAN, T_RUNNINGFOR, T_CREATED, T_CREATEDAT, T_STATUS,
    T_STATE, T_PORTS, T_NAMES, T_SIZE, T_LABELS, T_MOUNTS, T_NETWORKS, T_PID, T_IMAGEID, T_POD,
    T_PODNAME, T_EXITCODE, T_EXITED, T_EXITEDAT, T_STARTEDAT, T_AUTOREMOVE, T_ISINFRA,
    T_NAMESPACES, T_CGROUP, T_IPC, T_MNT, T_NET, T_PIDNS, T_USER, T_UTS, T__N
};
/* Which fields template t reads (a superset; all for NULL). */
void ps_tfields_wanted(const char *t, bool want[T__N]);
/* q->direct: the text of r (no error) as the template makes it of its
 * item; NULL when out of memory. */
char *ps_row_direct_text(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                         double now);
/* The row's item in the shape q asks for; NULL when out of memory. */
json_t *ps_row_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                    const bool want[T__N], double now);

#endif
