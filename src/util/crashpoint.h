/*
 * util/crashpoint.h: named points where berth dies as if killed with
 * SIGKILL, for the crash-injection tests (test/bats/crash.bats).
 *
 *   BERTH_TEST_CRASH_AT=<point>      die the first time <point> is passed
 *   BERTH_TEST_CRASH_AT=<point>:<n>  die the n-th time (1 is the first)
 *
 * A point is "<phase>:<step>", named for what has just been done:
 *   create:locked create:linked create:record create:storage (ctr_create.c)
 *   init:conmon init:mounting init:mounted init:netns init:network
 *   init:prepared init:created                        (ctr_prepare.c, ctr_net.c,
 *                                                      ctr_lifecycle.c; from
 *                                                      init:conmon to
 *                                                      init:prepared a conmon
 *                                                      waits for its start byte)
 *   start:intent start:started stop:stopping stop:signalled stop:stopped
 *   rm:cleaning rm:removing rm:storage rm:record      (ctr_lifecycle.c)
 *   exit:unsaved                                      (ctr_get.c: a --rm
 *                                                      container's exit found
 *                                                      by the process that
 *                                                      removes it, not yet
 *                                                      written)
 *   rm:aside                                          (storage/store.c: a
 *                                                      run --rm's rootfs moved
 *                                                      under tmp/, for a child)
 *   rm:rmtree                                         (rtdelete.c: the child
 *                                                      that removes the rootfs)
 *   podcreate:infraname podcreate:record              (pod_create.c)
 *   state:indexed state:deleted                       (state/record.c: the id
 *                                                      index's entry made, the
 *                                                      record renamed away)
 *   mapcopy:chowned                                   (storage/idmap_copy.c)
 * Every build has them: the variable is read once, at the first point
 * passed, and unset a point costs a load and a branch. conmon's exit
 * command does not inherit it (conmon gets an environment of its own).
 */
#ifndef BERTH_CRASHPOINT_H
#define BERTH_CRASHPOINT_H

/* -1: the variable not read yet; 0: unset; 1: a point is armed. */
extern int crash_point_armed;

void crash_point_check(const char *name);

static inline void crash_point(const char *name)
{
    if (__builtin_expect(crash_point_armed != 0, 0))
        crash_point_check(name);
}

#endif
