#!/usr/bin/env python3
# tools/gen-seccomp.py: writes data/seccomp.json, berth's default seccomp
# profile, from the categorized lists below. Edit the lists, not the JSON.
# The format is containers/common's (SPEC-podman.md 4.5); the policy: deny
# with ENOSYS by default so that new syscalls make libcs fall back; allow
# what an unprivileged process needs; allow privileged calls only when the
# capability that the kernel checks for them is in the bounding set, and
# answer EPERM otherwise; keep a few obsolete or host-wide calls at EPERM.
import json, sys

EPERM, EINVAL = 1, 22

def rule(names, action="SCMP_ACT_ALLOW", comment="", args=None, inc=None, exc=None, errno=None):
    r = {"comment": comment, "names": sorted(names), "action": action}
    if args:
        r["args"] = args
    if inc:
        r["includes"] = inc
    if exc:
        r["excludes"] = exc
    if errno is not None:
        r["errnoRet"] = errno
    return r

def arg(index, value, op="SCMP_CMP_EQ"):
    return {"index": index, "value": value, "valueTwo": 0, "op": op}

allow = {
 "files and directories": """
  access faccessat faccessat2 chdir fchdir getcwd chmod fchmod fchmodat chown chown32
  fchown fchown32 fchownat lchown lchown32 creat open openat openat2 close close_range
  dup dup2 dup3 fcntl fcntl64 flock link linkat symlink symlinkat unlink unlinkat
  rename renameat renameat2 mkdir mkdirat mknod mknodat rmdir readlink readlinkat
  stat stat64 lstat lstat64 fstat fstat64 fstatat64 newfstatat statx statfs statfs64
  fstatfs fstatfs64 truncate truncate64 ftruncate ftruncate64 fallocate umask
  utime utimes utimensat utimensat_time64 futimesat getdents getdents64 readdir
  name_to_handle_at""",
 "reading and writing": """
  read readv pread64 preadv preadv2 write writev pwrite64 pwritev pwritev2
  lseek _llseek sendfile sendfile64 splice tee copy_file_range readahead
  fadvise64 fadvise64_64 fsync fdatasync sync syncfs sync_file_range""",
 "extended attributes": """
  getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr listxattr llistxattr
  flistxattr removexattr lremovexattr fremovexattr""",
 "file events and asynchronous io": """
  inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_mark
  io_setup io_destroy io_submit io_cancel io_getevents
  select _newselect pselect6 pselect6_time64 poll ppoll ppoll_time64
  epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_wait epoll_wait_old
  epoll_pwait epoll_pwait2 eventfd eventfd2 signalfd signalfd4
  timerfd timerfd_create timerfd_settime timerfd_settime64 timerfd_gettime timerfd_gettime64
  pipe pipe2 ioctl""",
 "memory": """
  brk mmap mmap2 munmap mremap mprotect madvise mincore msync mlock mlock2 mlockall
  munlock munlockall remap_file_pages memfd_create memfd_secret membarrier
  get_mempolicy set_mempolicy mbind pkey_alloc pkey_free pkey_mprotect""",
 "processes and threads": """
  clone clone3 fork vfork execve execveat exit exit_group wait4 waitid waitpid
  getpid getppid gettid getpgid setpgid getpgrp getsid setsid
  set_tid_address set_robust_list get_robust_list futex futex_time64 rseq
  set_thread_area get_thread_area prctl seccomp
  getpriority setpriority ioprio_get ioprio_set getcpu
  sched_yield sched_getaffinity sched_setaffinity sched_getattr sched_setattr
  sched_getparam sched_setparam sched_getscheduler sched_setscheduler
  sched_get_priority_max sched_get_priority_min
  sched_rr_get_interval sched_rr_get_interval_time64
  pidfd_open pidfd_getfd pidfd_send_signal process_mrelease
  process_vm_readv process_vm_writev ptrace
  getrlimit ugetrlimit setrlimit prlimit64 getrusage times
  capget capset restart_syscall syscall""",
 "credentials": """
  getuid getuid32 geteuid geteuid32 getgid getgid32 getegid getegid32
  getresuid getresuid32 getresgid getresgid32 getgroups getgroups32
  setuid setuid32 setgid setgid32 setreuid setreuid32 setregid setregid32
  setresuid setresuid32 setresgid setresgid32 setfsuid setfsuid32 setfsgid setfsgid32
  setgroups setgroups32""",
 "signals": """
  kill tkill tgkill pause rt_sigaction rt_sigprocmask rt_sigpending rt_sigreturn
  rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_sigqueueinfo rt_tgsigqueueinfo
  sigaction sigaltstack signal sigpending sigprocmask sigreturn sigsuspend""",
 "time and timers": """
  time gettimeofday clock_gettime clock_gettime64 clock_getres clock_getres_time64
  clock_nanosleep clock_nanosleep_time64 nanosleep clock_adjtime clock_adjtime64 adjtimex
  alarm getitimer setitimer timer_create timer_delete timer_getoverrun
  timer_gettime timer_gettime64 timer_settime timer_settime64""",
 "system v and posix ipc": """
  ipc msgget msgsnd msgrcv msgctl semget semop semtimedop semtimedop_time64 semctl
  shmget shmat shmdt shmctl mq_open mq_unlink mq_getsetattr mq_notify
  mq_timedsend mq_timedsend_time64 mq_timedreceive mq_timedreceive_time64""",
 "sockets (socket itself is below)": """
  socketcall socketpair bind listen accept accept4 connect shutdown
  getsockname getpeername getsockopt setsockopt send sendto sendmsg sendmmsg
  recv recvfrom recvmsg recvmmsg recvmmsg_time64""",
 "system information": """
  uname sysinfo syslog getrandom keyctl""",
 "namespaces and mounts: the kernel checks CAP_SYS_ADMIN in the container's user namespace": """
  mount umount umount2 pivot_root unshare setns mount_setattr move_mount open_tree
  fsopen fsconfig fsmount fspick""",
 "landlock sandboxing": """
  landlock_create_ruleset landlock_add_rule landlock_restrict_self""",
 "reboot only affects the container's pid namespace": """
  reboot""",
}

denied = """
  bdflush io_pgetevents kexec_file_load kexec_load migrate_pages move_pages
  nfsservctl nice oldfstat oldlstat oldolduname oldstat olduname
  pciconfig_iobase pciconfig_read pciconfig_write sgetmask ssetmask swapcontext
  swapoff swapon sysfs uselib userfaultfd ustat vm86 vm86old vmsplice"""

# Calls that need one capability: allowed when it is in the bounding set,
# EPERM (what the kernel would say) when it is not.
by_cap = [
    ("CAP_DAC_READ_SEARCH", "open_by_handle_at"),
    ("CAP_SYS_ADMIN", "bpf fanotify_init lookup_dcookie perf_event_open quotactl quotactl_fd setdomainname sethostname"),
    ("CAP_SYS_CHROOT", "chroot"),
    ("CAP_SYS_MODULE", "delete_module finit_module init_module query_module"),
    ("CAP_SYS_PACCT", "acct"),
    ("CAP_SYS_PTRACE", "kcmp process_madvise"),
    ("CAP_SYS_RAWIO", "ioperm iopl"),
    ("CAP_SYS_TIME", "clock_settime clock_settime64 settimeofday stime"),
    ("CAP_SYS_TTY_CONFIG", "vhangup"),
]

def words(s):
    return s.split()

rules = [rule(words(denied), "SCMP_ACT_ERRNO", errno=EPERM,
              comment="obsolete, or acting on the whole host: refused with EPERM")]
everything = []
for what, names in allow.items():
    everything += words(names)
rules.append(rule(everything, comment="the common allowlist: " + ", ".join(allow)))
# personality(2): only the execution domains programs really ask for:
# PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32, and the query 0xffffffff.
for v in (0x0, 0x8, 0x20000, 0x20008, 0xffffffff):
    rules.append(rule(["personality"], args=[arg(0, v)], comment="personality 0x%x" % v))
arch_rules = [
    ("amd64 x32", "arch_prctl", "x86_64 thread state"),
    ("amd64 x32 x86", "modify_ldt", "x86 local descriptor table"),
    ("arm arm64", "arm_fadvise64_64 arm_sync_file_range breakpoint cacheflush set_tls sync_file_range2", "arm helpers"),
    ("ppc64le", "sync_file_range2", "ppc64le variant"),
    ("s390 s390x", "s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr", "s390 helpers"),
]
for arches, names, c in arch_rules:
    rules.append(rule(words(names), inc={"arches": arches.split()}, comment=c))
for cap, names in by_cap:
    n = words(names)
    rules.append(rule(n, inc={"caps": [cap]}, comment="needs " + cap))
    rules.append(rule(n, "SCMP_ACT_ERRNO", exc={"caps": [cap]}, errno=EPERM,
                      comment="without " + cap + ": EPERM"))
# socket(2): without CAP_AUDIT_WRITE, refuse AF_NETLINK(16)/NETLINK_AUDIT(9)
# with EINVAL (so audit clients fall back quietly) and allow the rest.
noaudit = {"caps": ["CAP_AUDIT_WRITE"]}
rules.append(rule(["socket"], "SCMP_ACT_ERRNO", args=[arg(0, 16), arg(2, 9)], exc=noaudit,
                  errno=EINVAL, comment="netlink audit sockets need CAP_AUDIT_WRITE"))
rules.append(rule(["socket"], args=[arg(2, 9, "SCMP_CMP_NE")], exc=noaudit, comment="any protocol but NETLINK_AUDIT"))
rules.append(rule(["socket"], args=[arg(0, 16, "SCMP_CMP_NE")], exc=noaudit, comment="any family but AF_NETLINK"))
rules.append(rule(["socket"], inc=noaudit, comment="every socket with CAP_AUDIT_WRITE"))

profile = {
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 38,
    "archMap": [
        {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
        {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
        {"architecture": "SCMP_ARCH_MIPS64", "subArchitectures": ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"]},
        {"architecture": "SCMP_ARCH_MIPS64N32", "subArchitectures": ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"]},
        {"architecture": "SCMP_ARCH_MIPSEL64", "subArchitectures": ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"]},
        {"architecture": "SCMP_ARCH_MIPSEL64N32", "subArchitectures": ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"]},
        {"architecture": "SCMP_ARCH_PPC64LE", "subArchitectures": []},
        {"architecture": "SCMP_ARCH_RISCV64", "subArchitectures": []},
        {"architecture": "SCMP_ARCH_S390X", "subArchitectures": ["SCMP_ARCH_S390"]},
    ],
    "syscalls": rules,
}
out = json.dumps(profile, indent=1)
sys.stdout.write(out + "\n")
