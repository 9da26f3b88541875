/*
 * runtime/ctr_pause.c: pause and unpause (SPEC-podman.md §3.3): the OCI
 * runtime's pause/resume, which freezes and thaws the container's
 * freezer cgroup (v1) or cgroup.freeze (v2).
 *
 * A paused container is kept by the rest of the lifecycle as podman
 * keeps it: kill works (runc thaws a frozen cgroup for SIGKILL), rm
 * refuses it without --force, start and restart refuse it. stop is
 * berth's own: it thaws the container and stops it (podman 4.3.1 sends
 * the signals to the frozen processes and then fails, "is running or
 * paused, refusing to clean up", leaving it paused).
 */
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "util/cleanup.h"

/* Runs pause (resume = false) or resume through c's OCI runtime. */
static int freeze(struct runtime *rt, struct ctr *c, bool resume, struct berr **err)
{
    struct ctr_rtcall x;
    int r;

    if (ctr_rtcall_get(rt, &c->cfg, &x, err) < 0) {
        ctr_rtcall_free(&x);
        return -1;
    }
    r = resume ? oci_resume(&x.cli, c->id, err) : oci_pause(&x.cli, c->id, err);
    ctr_rtcall_free(&x);
    return r;
}

int ctr_pause(struct runtime *rt, struct ctr *c, struct berr **err)
{
    int st = ctr_state(c);

    if (st == CS_PAUSED)
        return berr_kind(err, BK_STATE, "\"%s\" is already paused", c->id);
    /* sic: podman quotes the state, not the container */
    if (st != CS_RUNNING)
        return berr_kind(err, BK_STATE, "\"%s\" is not running, can't pause", ctr_state_shown(st));
    if (freeze(rt, c, false, err) < 0)
        return -1;
    c->st.state = CS_PAUSED;
    if (ctr_save(rt, c, err) < 0)
        return -1;
    ctr_emit(rt, c, "pause");
    return 0;
}

int ctr_unpause(struct runtime *rt, struct ctr *c, struct berr **err)
{
    if (ctr_state(c) != CS_PAUSED)
        return berr_kind(err, BK_STATE, "\"%s\" is not paused, can't unpause", c->id);
    if (freeze(rt, c, true, err) < 0)
        return -1;
    c->st.state = CS_RUNNING;
    if (ctr_save(rt, c, err) < 0)
        return -1;
    ctr_emit(rt, c, "unpause");
    return 0;
}
