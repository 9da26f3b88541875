#!/usr/bin/env python3
"""bench/phases.py: the phase table of bench/phases.sh.

Reads `perf script -F comm,pid,tid,time,event,trace` output of the
sched_process_fork/exec/exit tracepoints and splits each `run --rm`
of an engine into phases (medians over the runs, in ms).

Each run starts at the exec of the engine by the loop's shell. Its
processes are followed by pid through the fork events: the runtime's
create is the first runtime exec among them, the start the next one that
is not a child of the create (runc's init re-execs itself there), the
container command the first exec after the create's exit that is neither
the runtime, the engine nor conmon. berth starts a crun container without
a `crun start` (runtime/conmon.h, oci_start_crun_fifo): its runs have no
start exec, and the start phase is the create's exit to the command. A process of the run that outlives the
engine (conmon's exit command, a detached removal, the runtime's delete)
is counted apart.
"""
import os
import re
import statistics
import sys

LINE = re.compile(r'\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):\s+sched:(\S+):\s*(.*)')


def events(path):
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if m:
                comm, pid, tid, t, ev, tr = m.groups()
                yield comm, int(pid), int(tid), float(t) * 1000.0, ev, tr


def runs(path, engine):
    """One dict per run of engine: the times of its milestones."""
    parent = {}
    parent_comm = {}
    out = []
    cur = None
    mine = set()
    for comm, pid, tid, t, ev, tr in events(path):
        if ev == 'sched_process_fork':
            child = int(re.search(r'child_pid=(\d+)', tr).group(1))
            parent[child] = pid
            parent_comm[child] = re.search(r'comm=(\S+)', tr).group(1)
            if cur is not None and pid in mine:
                mine.add(child)
            continue
        if ev == 'sched_process_exec':
            fn = re.search(r'filename=(\S+)', tr).group(1)
            base = os.path.basename(fn)
            if fn == engine and parent_comm.get(pid) == 'bash' and pid not in mine:
                # an engine started by the loop's shell (not conmon's exit
                # command, which may exec after the next run began): a new run
                cur = {'t0': t, 'pid': pid}
                out.append(cur)
                mine = {pid}
                continue
            if cur is None or pid not in mine:
                continue
            if base in ('crun', 'runc'):
                if 'create' not in cur:
                    cur['create'], cur['create_pid'] = t, pid
                elif 'start' not in cur and 'cmd' not in cur and \
                        not descends(pid, cur['create_pid'], parent):
                    cur['start'] = t
            elif base not in (os.path.basename(engine), 'conmon') and 'create_end' in cur \
                    and 'cmd' not in cur:
                cur['cmd'], cur['cmd_pid'] = t, pid
            continue
        if ev == 'sched_process_exit' and cur is not None and pid == tid and pid in mine:
            if pid == cur.get('create_pid') and 'create_end' not in cur:
                cur['create_end'] = t
            if pid == cur.get('cmd_pid') and 'cmd_end' not in cur:
                cur['cmd_end'] = t
            if pid == cur['pid']:
                cur['end'] = t
            elif 'end' in cur:
                cur['last'] = t
    return [r for r in out if all(k in r for k in
                                  ('create', 'create_end', 'cmd', 'cmd_end', 'end'))]


def descends(pid, ancestor, parent):
    while pid in parent:
        pid = parent[pid]
        if pid == ancestor:
            return True
    return False


PHASES = [
    ('front: engine exec -> runtime create exec', lambda r: r['create'] - r['t0']),
    ('runtime create (exec -> exit)', lambda r: r['create_end'] - r['create']),
    ('the start: create exit -> command exec', lambda r: r['cmd'] - r['create_end']),
    ('  of it, runtime start exec -> command exec', lambda r: r['cmd'] - r['start']),
    ('the command (exec -> exit)', lambda r: r['cmd_end'] - r['cmd']),
    ('tail: command exit -> engine exit', lambda r: r['end'] - r['cmd_end']),
    ('total: engine exec -> exit', lambda r: r['end'] - r['t0']),
    ("engine exit -> the run's last process exits", lambda r: max(r.get('last', r['end']) - r['end'], 0)),
]


def med(xs):
    return statistics.median(xs) if xs else float('nan')


def phase(runs_, f):
    """f over the runs that have its milestones (no runtime start exec: none)."""
    out = []
    for r in runs_:
        try:
            out.append(f(r))
        except KeyError:
            pass
    return out


def main():
    rt, nruns, berth, btxt, podman, ptxt, floor = sys.argv[1:8]
    b = runs(btxt, berth)
    p = runs(ptxt, podman)
    print(f"run --rm --network none IMAGE true with {rt}: medians of {nruns} runs (ms),")
    print(f"from perf sched events (berth {len(b)} runs parsed, podman {len(p)})")
    print(f"{'phase':44s} {'podman':>9s} {'berth':>9s}")
    for name, f in PHASES:
        print(f"{name:44s} {med(phase(p, f)):9.2f} {med(phase(b, f)):9.2f}")
    if floor:
        tot = []
        start = {}
        for comm, pid, tid, t, ev, tr in events(floor):
            if ev == 'sched_process_exec' and tr.split('filename=')[1].split()[0].endswith('crun'):
                start.setdefault(pid, t)
            elif ev == 'sched_process_exit' and pid == tid and pid in start:
                tot.append(t - start.pop(pid))
        fl = med(tot)
        bt = med([r['end'] - r['t0'] for r in b])
        print(f"{'bare crun run of its default bundle':44s} {fl:9.2f}")
        print(f"berth = {bt / fl:.2f}x the bare crun run; berth's own share "
              f"(front + tail) = {med([r['create'] - r['t0'] + r['end'] - r['cmd_end'] for r in b]):.2f} ms")


if __name__ == '__main__':
    main()
