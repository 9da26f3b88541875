#!/usr/bin/env python3
"""test/tools/ptyrun.py: runs a command on a new pseudo-terminal of a
given size, feeds it input, and prints what it wrote. Used by the bats
tests of -it, window sizes and detach keys.

  ptyrun.py [--rows R --cols C] [--send TEXT]... [--wait-for TEXT] [--timeout S] -- CMD...

--send values are written in order (Python escapes: "\\x10\\x11" is
ctrl-p ctrl-q), each after --wait-for TEXT was seen, if given. Exits
with the command's exit status (128+N if killed by signal N), or 124 on
timeout."""
import argparse, fcntl, os, pty, select, signal, struct, sys, termios, time

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=24)
ap.add_argument("--cols", type=int, default=80)
ap.add_argument("--send", action="append", default=[])
ap.add_argument("--wait-for", default=None)
ap.add_argument("--timeout", type=float, default=20)
ap.add_argument("cmd", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd

pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", a.rows, a.cols, 0, 0))
out = b""
sends = [s.encode().decode("unicode_escape").encode("latin-1") for s in a.send]
deadline = time.time() + a.timeout
status = None
while time.time() < deadline:
    if sends and (a.wait_for is None or a.wait_for.encode() in out):
        time.sleep(0.2)
        os.write(fd, sends.pop(0))
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        out += data
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        try:
            while True:
                r, _, _ = select.select([fd], [], [], 0.2)
                if not r:
                    break
                data = os.read(fd, 4096)
                if not data:
                    break
                out += data
        except OSError:
            pass
        break
sys.stdout.write(out.decode(errors="replace"))
if status is None:
    try:
        _, status = os.waitpid(pid, 0 if time.time() < deadline else os.WNOHANG)
    except ChildProcessError:
        pass
    if status is None or time.time() >= deadline:
        os.kill(pid, signal.SIGKILL)
        sys.exit(124)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
