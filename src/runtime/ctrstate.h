/*
 * runtime/ctrstate.h: container states, stored as podman's integers in
 * state.json ("state"), shown by ps/inspect as podman's strings.
 */
#ifndef BERTH_CTRSTATE_H
#define BERTH_CTRSTATE_H

enum ctr_state {
    CS_UNKNOWN = 0,
    CS_CONFIGURED = 1,  /* "created": in the state only */
    CS_CREATED = 2,     /* "initialized": conmon + runtime create done */
    CS_RUNNING = 3,
    CS_STOPPED = 4,     /* exited, still known to the OCI runtime */
    CS_PAUSED = 5,
    CS_EXITED = 6,      /* exited and deleted from the OCI runtime */
    CS_REMOVING = 7,
    CS_STOPPING = 8,
};

static inline const char *ctr_state_name(int s)
{
    static const char *const names[] = {
        "unknown", "created", "initialized", "running", "stopped",
        "paused", "exited", "removing", "stopping",
    };
    return s >= 0 && s <= CS_STOPPING ? names[s] : "unknown";
}

/* The state as ps and inspect show it. "stopped" is exited with the OCI
 * runtime's cleanup still to come (conmon's cleanup process runs a moment
 * after the exit): the same thing to a user, and a script must not see it
 * flicker between the two. */
static inline const char *ctr_state_shown(int s)
{
    return ctr_state_name(s == CS_STOPPED ? CS_EXITED : s);
}

#endif
