/*
 * storage/registry/pull_int.h: what pull.c (manifests, config, the
 * record) and pull_layers.c (the layers: download, verify, unpack,
 * install) share.
 */
#ifndef BERTH_REGISTRY_PULL_INT_H
#define BERTH_REGISTRY_PULL_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "storage/internal.h"
#include "storage/registry/internal.h"

/* What the unpack thread reads at a time; big reads mean few wake-ups
 * (each costs dearly in a VM). */
#define FOLLOW_BUF (512u << 10)

struct player {
    size_t idx;
    struct pull *p;
    char blob[72], diff_id[72];
    char chain[65], parent[65];     /* parent "" for the base layer */
    char *media_type;
    int64_t size;                   /* the manifest's, -1 unknown */
    bool have;                      /* layer and blob in the store: skipped */
    bool have_layer;                /* layer there, blob not: download, verify */
    /* the download */
    char *file;
    int fd;
    struct sha256 h;
    bool hashing;
    struct http_xfer x;
    struct http_sink sink;
    bool dl_done, dl_ok;
    struct berr *dl_err;
    /* the follower: written by the transfer, read by the unpack thread */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t written;
    bool eof, abort;
    bool waiting;                   /* the reader sleeps: wake it */
    int64_t rpos;
    char *rbuf;                     /* FOLLOW_BUF bytes */
    /* the unpack thread */
    pthread_t th;
    bool th_started;
    atomic_bool th_done;
    char *dir;                      /* staging layer dir (holds diff/) */
    char diff_got[65];
    int64_t diff_size;
    struct berr *u_err;
    bool installed;
};

struct pull {
    struct store *s;
    struct reg_client *c;
    const struct store_pull_opts *o;
    char *host, *repo, *tag, *digest, *scope;
    char *stage;
    int stage_fd;
    bool overlay;
    struct player *l;
    size_t nl;
    struct berr *first_err;         /* the first layer failure */
};

static inline void pull_progress(struct pull *p, enum progress_ev ev, const char *what,
                                 int64_t done, int64_t total)
{
    progress_emit(p->o->progress, ev, what, done, total);
}

/* The layers of manifest man with the diff ids of config cfg: which the
 * store has already. */
int pull_plan_layers(struct pull *p, json_t *man, json_t *cfg, struct berr **err);
/* Downloads, verifies, unpacks and installs every layer the store lacks. */
int pull_download_layers(struct pull *p, struct berr **err);
void pull_layers_free(struct pull *p);

#endif
