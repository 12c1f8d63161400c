"""test_preset_container_escape.py - the container-escape pack on real activity.

Each case performs the behaviour a rule describes, for real and harmlessly,
asserts exactly that rule's alert and its key fields, then performs a near
miss and asserts, after agent.sync(), that the rule stayed quiet for it.
Kernel interfaces are called with arguments the kernel rejects: a garbage
module image, a module that does not exist, kexec with undefined flags, a
bogus file handle. Mounts happen in private mount namespaces that die with
the command; release_agent is a scratch file of that name. Container-only
rules run their trigger in a harness.FakeContainer.
"""
import os
import shutil
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, FakeContainer, Scratch, TOP, BUILD, case, eq, require_root, results  # noqa: E402
from preset_watch import fields, mark, named_copy, quiet, scratch, use  # noqa: E402

PRIVATE_MOUNTS = ["unshare", "--mount", "--propagation", "private"]

agent = None


def check(p):
    if p.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (p.args, p.returncode, p.stderr))
    return p


RULE_MODULE_LOAD = "Kernel Module Load Attempt"


@case("preset-container-escape-module-load")
def t_module_load():
    s = scratch()
    try:
        s.run("init-module")
        a = fields(RULE_MODULE_LOAD, lambda o: o["proc.name"] == s.name and o["evt.type"] == "init_module")
        if a["evt.res"] == "SUCCESS":
            raise AssertionError("the kernel accepted a garbage module")
        ko = os.path.join(s.dir, "vgt.ko")
        open(ko, "wb").write(b"\x7fELF not really a module" * 8)
        s.run("finit-module", ko)
        a = fields(RULE_MODULE_LOAD, lambda o: o["proc.name"] == s.name and o["evt.type"] == "finit_module")
        eq(a["fd.name"], ko, "module file")
        # near miss: the module file only read, udev loading a module for a device, and iptables
        # running modprobe for a netfilter table (a shell named iptables runs a helper named modprobe)
        since = mark()
        s.run("open-read", ko)
        udevd = named_copy(s, "systemd-udevd")
        check(subprocess.run([udevd, "finit-module", ko], capture_output=True, text=True))
        modprobe = named_copy(s, "modprobe")
        iptables = os.path.join(os.path.dirname(modprobe), "iptables")
        shutil.copy("/bin/sh", iptables)
        check(subprocess.run([iptables, "-c", '"$0" finit-module "$1"', modprobe, ko], capture_output=True, text=True))
        quiet(RULE_MODULE_LOAD, since, lambda o: o["proc.name"] in (s.name, "systemd-udevd", "modprobe"))
        # the same modprobe run from an ordinary shell is reported
        check(subprocess.run(["sh", "-c", '"$0" finit-module "$1"', modprobe, ko], capture_output=True, text=True))
        a = fields(RULE_MODULE_LOAD, lambda o: o["proc.exepath"] == modprobe)
        eq(a["proc.pname"], "sh", "parent")
    finally:
        s.cleanup()


RULE_MODULE_UNLOAD = "Kernel Module Unload Attempt"


@case("preset-container-escape-module-unload")
def t_module_unload():
    s = scratch()
    try:
        name = "vgt_%s" % uuid.uuid4().hex[:8]  # no such module
        s.run("delete-module", name)
        a = fields(RULE_MODULE_UNLOAD, lambda o: o["proc.name"] == s.name)
        eq(a["evt.arg.name"], name, "module")
        # near miss: modules listed
        since = mark()
        subprocess.run(["lsmod"], capture_output=True)
        s.run("open-read", "/proc/self/status")
        quiet(RULE_MODULE_UNLOAD, since, lambda o: o["proc.name"] in ("lsmod", "kmod", s.name))
    finally:
        s.cleanup()


RULE_MODULE_TOOL = "Kernel Module Tool Executed"


@case("preset-container-escape-module-tool")
def t_module_tool():
    s = scratch()
    try:
        missing = os.path.join(s.dir, "absent.ko")  # insmod fails to open it: nothing is loaded
        p = subprocess.Popen(["insmod", missing], stderr=subprocess.DEVNULL)
        p.wait()
        a = fields(RULE_MODULE_TOOL, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.cmdline"], "insmod " + missing, "cmdline")
        p = subprocess.Popen(["modprobe", "vgt_no_such_module"], stderr=subprocess.DEVNULL)
        p.wait()
        fields(RULE_MODULE_TOOL, lambda o: o["proc.pid"] == p.pid)
        # near miss: a dry run and a configuration query
        since = mark()
        p1 = subprocess.Popen(["modprobe", "-n", "vgt_no_such_module"], stderr=subprocess.DEVNULL)
        p2 = subprocess.Popen(["modprobe", "-V"], stdout=subprocess.DEVNULL)
        p1.wait()
        p2.wait()
        quiet(RULE_MODULE_TOOL, since, lambda o: o["proc.pid"] in (p1.pid, p2.pid))
    finally:
        s.cleanup()


RULE_BPF = "BPF Program Loaded by Unexpected Process"


@case("preset-container-escape-bpf")
def t_bpf():
    s = scratch()
    try:
        s.run("bpf", "map")
        a = fields(RULE_BPF, lambda o: o["proc.name"] == s.name and o["evt.arg.cmd"] == "BPF_MAP_CREATE")
        eq(a["evt.res"], "SUCCESS", "result")
        s.run("bpf", "prog")
        fields(RULE_BPF, lambda o: o["proc.name"] == s.name and o["evt.arg.cmd"] == "BPF_PROG_LOAD")
        # near miss: a known BPF agent doing the same, and bpftool as the build runs it (BTF dump)
        since = mark()
        tetragon = named_copy(s, "tetragon")
        check(subprocess.run([tetragon, "bpf", "prog"], capture_output=True, text=True))
        check(subprocess.run([tetragon, "bpf", "map"], capture_output=True, text=True))
        p = subprocess.Popen(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"],
                             stdout=subprocess.DEVNULL)
        if p.wait() != 0:
            raise AssertionError("bpftool btf dump failed")
        quiet(RULE_BPF, since, lambda o: o["proc.name"] == "tetragon" or o["proc.pid"] == p.pid)
    finally:
        s.cleanup()


RULE_DEBUGFS = "Debugfs Launched"


@case("preset-container-escape-debugfs")
def t_debugfs():
    s = scratch()
    try:
        # read-only, on a device that holds no ext filesystem: debugfs gives up
        p = subprocess.Popen(["debugfs", "-R", "stats", "/dev/null"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        p.wait()
        a = fields(RULE_DEBUGFS, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.cmdline"], "debugfs -R stats /dev/null", "cmdline")
        # near miss: its version asked
        since = mark()
        p = subprocess.Popen(["debugfs", "-V"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p.wait()
        quiet(RULE_DEBUGFS, since, lambda o: o["proc.pid"] == p.pid)
    finally:
        s.cleanup()


RULE_SENSITIVE_MOUNT = "Sensitive Filesystem Mounted in Container"
RULE_CONTAINER_MOUNT = "Mount Executed in Container"


@case("preset-container-escape-mounts-in-container")
def t_mounts():
    s = scratch()
    c = FakeContainer()
    try:
        procdir = os.path.join(s.dir, "proc")
        tmpdir = os.path.join(s.dir, "tmp")
        os.mkdir(procdir)
        os.mkdir(tmpdir)
        check(c.run(PRIVATE_MOUNTS + ["mount", "-t", "proc", "proc", procdir]))
        a = fields(RULE_SENSITIVE_MOUNT, lambda o: o["evt.abspath"] == procdir)
        eq(a["evt.arg.type"], "proc", "fstype")
        eq(a["container.id"], c.id[:12], "container")
        check(c.run(PRIVATE_MOUNTS + ["mount", "-t", "tmpfs", "vgt", tmpdir]))
        a = fields(RULE_CONTAINER_MOUNT, lambda o: o["evt.abspath"] == tmpdir)
        eq(a["evt.arg.type"], "tmpfs", "fstype")
        eq(a["proc.name"], "mount", "process")
        # near miss: the same mounts on the host; and the tmpfs is no sensitive mount
        since = mark()
        check(subprocess.run(PRIVATE_MOUNTS + ["mount", "-t", "proc", "proc", procdir], capture_output=True))
        check(subprocess.run(PRIVATE_MOUNTS + ["mount", "-t", "tmpfs", "vgt", tmpdir], capture_output=True))
        quiet(RULE_SENSITIVE_MOUNT, 0, lambda o: o["evt.abspath"] == tmpdir)
        quiet(RULE_CONTAINER_MOUNT, 0, lambda o: o["evt.abspath"] == procdir)  # one alert per mount
        mine = lambda o: o["evt.abspath"] in (procdir, tmpdir, "/")
        quiet(RULE_SENSITIVE_MOUNT, since, mine)
        quiet(RULE_CONTAINER_MOUNT, since, mine)
    finally:
        c.remove()
        s.cleanup()


RULE_RELEASE_AGENT = "Cgroup Release Agent Modified in Container"


@case("preset-container-escape-release-agent")
def t_release_agent():
    s = scratch()
    c = FakeContainer()
    try:
        # scratch files with the names: the real cgroup files are never touched
        agent_file = os.path.join(s.dir, "release_agent")
        notify = os.path.join(s.dir, "notify_on_release")
        check(c.run([s.helper, "open-trunc", agent_file]))
        a = fields(RULE_RELEASE_AGENT, lambda o: o["fd.name"] == agent_file)
        eq(a["container.id"], c.id[:12], "container")
        check(c.run([s.helper, "open-trunc", notify]))
        fields(RULE_RELEASE_AGENT, lambda o: o["fd.name"] == notify)
        # near miss: the same writes on the host, a read in the container
        since = mark()
        s.run("open-trunc", agent_file)
        check(c.run([s.helper, "open-read", notify]))
        quiet(RULE_RELEASE_AGENT, since, lambda o: o["proc.name"] == s.name)
    finally:
        c.remove()
        s.cleanup()


RULE_SETNS = "Namespace Joined from Container"
RULE_INIT_PROC = "Init Process Root or Namespaces Accessed from Container"


@case("preset-container-escape-setns-from-container")
def t_setns():
    s = scratch()
    c = FakeContainer()
    try:
        # the fake container shares the host's namespaces: joining the test's own (host) UTS namespace
        # is a no-op, but a real setns
        host_uts = "/proc/%d/ns/uts" % os.getpid()
        check(c.run([s.helper, "setns", host_uts]))
        a = fields(RULE_SETNS, lambda o: o["proc.name"] == s.name)
        eq(a["fd.name"], host_uts, "namespace")
        eq(a["container.id"], c.id[:12], "container")
        # near miss: the same on the host
        since = mark()
        s.run("setns", host_uts)
        quiet(RULE_SETNS, since, lambda o: o["proc.name"] == s.name)
    finally:
        c.remove()
        s.cleanup()


RULE_NSENTER = "Nsenter into Init Namespaces"


@case("preset-container-escape-nsenter-init")
def t_nsenter():
    s = scratch()
    sleeper = subprocess.Popen([s.helper, "sleep", "30"])
    try:
        # entering init's UTS namespace, which this test already shares (where init's /proc entries
        # are locked away, nsenter is refused: the command is what the rule reads)
        p = subprocess.Popen(["nsenter", "-t", "1", "-u", "true"], stderr=subprocess.DEVNULL)
        p.wait()
        a = fields(RULE_NSENTER, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.cmdline"], "nsenter -t 1 -u true", "cmdline")
        p = subprocess.Popen(["nsenter", "--uts=/proc/1/ns/uts", "true"], stderr=subprocess.DEVNULL)
        p.wait()
        fields(RULE_NSENTER, lambda o: o["proc.pid"] == p.pid)
        # busybox's nsenter applet
        p = subprocess.Popen(["busybox", "nsenter", "-t", "1", "-u", "true"], stderr=subprocess.DEVNULL)
        p.wait()
        eq(fields(RULE_NSENTER, lambda o: o["proc.pid"] == p.pid)["proc.name"], "busybox", "proc.name")
        # near miss: entering another process's namespace (as when debugging a container), and a
        # target that starts with 1 (beyond pid_max, so nsenter just fails)
        since = mark()
        p1 = subprocess.Popen(["nsenter", "-t", str(sleeper.pid), "-u", "true"])
        p2 = subprocess.Popen(["nsenter", "-t", "14194304", "-u", "true"], stderr=subprocess.DEVNULL)
        p3 = subprocess.Popen(["nsenter", "--target=14194304", "-u", "true"], stderr=subprocess.DEVNULL)
        for p in (p1, p2, p3):
            p.wait()
        quiet(RULE_NSENTER, since, lambda o: o["proc.pid"] in (p1.pid, p2.pid, p3.pid))
    finally:
        sleeper.kill()
        sleeper.wait()
        s.cleanup()


@case("preset-container-escape-init-root-from-container")
def t_init_root():
    s = scratch()
    c = FakeContainer()
    try:
        # where init's /proc entries are locked away these are refused; the attempt is reported all the same
        c.run([s.helper, "open-read", "/proc/1/root/etc/hostname"])
        a = fields(RULE_INIT_PROC, lambda o: o["proc.name"] == s.name)
        eq(a["evt.abspath"], "/proc/1/root/etc/hostname", "path")
        eq(a["evt.type"], "openat", "syscall")
        p = c.popen(["chroot", "/proc/1/root", "true"], stderr=subprocess.DEVNULL)
        p.wait()
        a = fields(RULE_INIT_PROC, lambda o: o["proc.pid"] == p.pid and o["evt.type"] == "chroot")
        eq(a["evt.abspath"], "/proc/1/root", "path")
        # near miss: the host doing the same, the container reading its own /proc entries
        since = mark()
        s.run("open-read", "/proc/1/root/etc/hostname", check=False)
        check(c.run([s.helper, "open-read", "/proc/self/status"]))
        quiet(RULE_INIT_PROC, since, lambda o: o["proc.name"] == s.name)
    finally:
        c.remove()
        s.cleanup()


RULE_KEXEC = "Kexec Load Attempt"


@case("preset-container-escape-kexec")
def t_kexec():
    s = scratch()
    try:
        s.run("kexec-load")
        a = fields(RULE_KEXEC, lambda o: o["proc.name"] == s.name and o["evt.type"] == "kexec_load")
        if a["evt.res"] == "SUCCESS":
            raise AssertionError("the kernel accepted a bogus kexec_load")
        s.run("kexec-file-load")
        fields(RULE_KEXEC, lambda o: o["proc.name"] == s.name and o["evt.type"] == "kexec_file_load")
        # near miss: whether a kernel is staged, read
        since = mark()
        if os.path.exists("/sys/kernel/kexec_loaded"):
            s.run("open-read", "/sys/kernel/kexec_loaded")
        s.run("exit", "0")
        quiet(RULE_KEXEC, since, lambda o: o["proc.name"] == s.name)
    finally:
        s.cleanup()


RULE_SHOCKER = "Open By Handle in Container"


@case("preset-container-escape-open-by-handle")
def t_open_by_handle():
    s = scratch()
    c = FakeContainer()
    try:
        check(c.run([s.helper, "open-by-handle"]))
        a = fields(RULE_SHOCKER, lambda o: o["proc.name"] == s.name)
        eq(a["container.id"], c.id[:12], "container")
        if a["evt.res"] == "SUCCESS":
            raise AssertionError("a bogus handle was accepted")
        # near miss: the same call on the host
        since = mark()
        s.run("open-by-handle")
        quiet(RULE_SHOCKER, since, lambda o: o["proc.name"] == s.name)
    finally:
        c.remove()
        s.cleanup()


RULE_HELPER_PATH = "Kernel Usermode Helper Path Modified"


@case("preset-container-escape-core-pattern")
def t_core_pattern():
    s = scratch()
    path = "/proc/sys/kernel/core_pattern"
    try:
        before = open(path).read()
        s.run("open-append", path)  # opened for writing, nothing written
        a = fields(RULE_HELPER_PATH, lambda o: o["proc.name"] == s.name)
        eq(a["fd.name"], path, "file")
        eq(open(path).read(), before, "core_pattern")
        # near miss: read by anyone, set by systemd-sysctl at boot
        since = mark()
        s.run("open-read", path)
        sysctl = named_copy(s, "systemd-sysctl")
        check(subprocess.run([sysctl, "open-append", path], capture_output=True, text=True))
        quiet(RULE_HELPER_PATH, since, lambda o: o["proc.name"] in (s.name, "systemd-sysctl"))
    finally:
        s.cleanup()


def main():
    global agent
    require_root()
    agent = Agent("--json", "--preset", "all", marker=True)
    use(agent)
    try:
        for t in (t_module_load, t_module_unload, t_module_tool, t_bpf, t_debugfs, t_mounts, t_release_agent,
                  t_setns, t_nsenter, t_init_root, t_kexec, t_open_by_handle, t_core_pattern):
            t()
    finally:
        agent.stop()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
