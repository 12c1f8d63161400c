"""test_preset_defense_evasion.py - the defense-evasion pack on real activity.

Each case performs the behaviour a rule describes, for real and harmlessly
(uniquely named files in /var/log, /usr/bin, /etc and /tmp removed
afterwards, history files in a scratch home, copies of the test helper named
like the tools whose arguments a rule reads), asserts exactly that rule's
alert and its key fields, then performs a near miss and asserts, after
agent.sync(), that the rule stayed quiet for it.
"""
import os
import shutil
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, TOP, BUILD, case, eq, require_root, results  # noqa: E402
from preset_watch import fields, mark, named_copy, quiet, scratch, use  # noqa: E402


agent = None


def unique(prefix):
    return "%s/vgt-%s" % (prefix, uuid.uuid4().hex[:10])


def remove(*paths):
    for p in paths:
        if os.path.lexists(p):
            os.unlink(p)


RULE_LOG = "Log File Cleared or Removed"


@case("preset-defense-evasion-log-cleared")
def t_log():
    s = scratch()
    log = unique("/var/log") + ".log"
    rotated = log + ".1"
    try:
        with open(log, "a") as f:  # created for appending, as loggers do: not a clearing
            f.write("line\n")
        s.run("open-trunc", log)
        a = fields(RULE_LOG, lambda o: o["proc.name"] == s.name and o["fd.name"] == log)
        if "O_TRUNC" not in a["evt.arg.flags"]:
            raise AssertionError("flags %r" % a["evt.arg.flags"])
        subprocess.run(["truncate", "-s", "0", log], check=True)
        a = fields(RULE_LOG, lambda o: o["proc.name"] == "truncate" and o["fd.name"] == log)
        eq(a["evt.type"], "ftruncate", "syscall")
        s.run("creat-call", log, "644")
        fields(RULE_LOG, lambda o: o["proc.name"] == s.name and o["evt.type"] == "creat" and o["fd.name"] == log)
        s.run("truncate", log, "0")
        fields(RULE_LOG, lambda o: o["proc.name"] == s.name and o["evt.type"] == "truncate" and o["evt.abspath"] == log)
        subprocess.run(["sh", "-c", ": > " + log], check=True)
        fields(RULE_LOG, lambda o: o["proc.name"] == "sh" and o["fd.name"] == log)
        subprocess.run(["mv", log, rotated], check=True)
        a = fields(RULE_LOG, lambda o: o["proc.name"] == "mv" and o["evt.abspath"] == log)
        eq(a["evt.abspath.dst"], rotated, "rename target")
        subprocess.run(["rm", rotated], check=True)
        fields(RULE_LOG, lambda o: o["proc.name"] == "rm" and o["evt.abspath"] == rotated)
        # a doctored copy moved over the log
        doctored = os.path.join(s.dir, "doctored.log")
        with open(doctored, "w") as f:
            f.write("nothing happened\n")
        subprocess.run(["mv", doctored, rotated], check=True)
        fields(RULE_LOG, lambda o: o["proc.name"] == "mv" and o["evt.abspath.dst"] == rotated)
        os.unlink(rotated)
        # near miss: appending and reading, and logrotate truncating
        since = mark()
        with open(log, "a") as f:
            f.write("line\n")
        s.run("open-append", log)
        s.run("open-read", log)
        logrotate = named_copy(s, "logrotate")
        subprocess.run([logrotate, "open-trunc", log], check=True)
        quiet(RULE_LOG, since, lambda o: log in (o["fd.name"], o["evt.abspath"]))
    finally:
        remove(log, rotated)
        s.cleanup()


RULE_HISTORY = "Shell History Tampering"


@case("preset-defense-evasion-shell-history-tampering")
def t_history():
    s = scratch()
    try:
        hist = os.path.join(s.dir, ".bash_history")
        with open(hist, "a") as f:
            f.write("echo secret\n")
        subprocess.run(["sh", "-c", "cat /dev/null > .bash_history"], cwd=s.dir, check=True)
        a = fields(RULE_HISTORY, lambda o: o["proc.name"] == "sh" and o["fd.name"] == hist)
        eq(a["evt.type"], "openat", "syscall")
        subprocess.run(["rm", ".bash_history"], cwd=s.dir, check=True)
        fields(RULE_HISTORY, lambda o: o["proc.name"] == "rm" and o["evt.abspath"] == hist)
        # redirected to /dev/null: a plain symlink, then ln -sf over an existing file (temporary link renamed)
        subprocess.run(["ln", "-sf", "/dev/null", ".bash_history"], cwd=s.dir, check=True)
        a = fields(RULE_HISTORY, lambda o: o["proc.name"] == "ln" and o["evt.abspath"] == hist)
        eq(a["evt.type"], "symlinkat", "syscall")
        subprocess.run(["ln", "-sf", "/dev/null", ".bash_history"], cwd=s.dir, check=True)
        a = fields(RULE_HISTORY, lambda o: o["proc.name"] == "ln" and o["evt.abspath.dst"] == hist)
        if not a["evt.type"].startswith("rename"):
            raise AssertionError("syscall %r" % a["evt.type"])
        zsh = os.path.join(s.dir, ".zsh_history")
        open(zsh, "w").write(": 1:0;id\n")
        subprocess.run(["truncate", "-s0", zsh], check=True)
        fields(RULE_HISTORY, lambda o: o["proc.name"] == "truncate" and o["fd.name"] == zsh)
        py = os.path.join(s.dir, ".python_history")
        open(py, "w").write("import os\n")
        # a one-liner emptying a REPL's history (a copy named python3 with arguments)
        python = named_copy(s, "python3")
        subprocess.run([python, "open-trunc", py], check=True)
        fields(RULE_HISTORY, lambda o: o["proc.exepath"] == python and o["fd.name"] == py)
        subprocess.run(["shred", "-u", py], check=True)
        fields(RULE_HISTORY, lambda o: o["proc.name"] == "shred" and o["evt.abspath"] == py)
        # near miss: a shell saving its history through a temporary file, and history being read
        since = mark()
        remove(hist)
        open(hist, "w").write("ls\n")
        env = dict(os.environ, HOME=s.dir, HISTFILE=hist)
        subprocess.run(["bash", "-c", "set -o history; history -s 'echo hi'; history -w"], env=env, check=True)
        if "echo hi" not in open(hist).read():
            raise AssertionError("bash did not write its history")
        s.run("open-read", hist)
        tmp = hist + "-4242.tmp"  # the same, by another program using readline's scheme
        s.run("open-trunc", tmp)
        s.run("rename", tmp, hist)
        # psql (libedit) saving its own history by rewriting the file
        psql = named_copy(s, "psql")
        subprocess.run([psql, "open-trunc", os.path.join(s.dir, ".psql_history")], check=True)
        quiet(RULE_HISTORY, since, lambda o: o["proc.name"] in ("bash", "psql", s.name))
    finally:
        s.cleanup()


RULE_HISTORY_OFF = "Shell History Disabled on Command Line"


@case("preset-defense-evasion-history-disabled")
def t_history_disabled():
    s = scratch()
    try:
        p = subprocess.Popen(["bash", "-c", "unset HISTFILE; true"])
        p.wait()
        a = fields(RULE_HISTORY_OFF, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.name"], "bash", "process")
        subprocess.run(["env", "HISTFILE=/dev/null", s.helper, "exit", "0"], check=True)
        fields(RULE_HISTORY_OFF, lambda o: o["proc.name"] == "env" and "HISTFILE=/dev/null" in o["proc.cmdline"])
        p = subprocess.Popen(["bash", "-c", "export HISTSIZE=0; history -c"])
        p.wait()
        fields(RULE_HISTORY_OFF, lambda o: o["proc.pid"] == p.pid)
        # other ways of the same: history kept elsewhere, commands hidden, set off with odd spacing
        for cmd in ("export HISTFILE=/tmp/.h; true", "HISTCONTROL=ignorespace; true", "HISTIGNORE='*'; true",
                    "set  +o   history; true", "history -w /dev/null"):
            p = subprocess.Popen(["bash", "-c", cmd])
            p.wait()
            fields(RULE_HISTORY_OFF, lambda o: o["proc.pid"] == p.pid)
        # near miss: a shell only mentioning the variable
        since = mark()
        p = subprocess.Popen(["bash", "-c", "echo \"$HISTFILE $HISTSIZE\" > /dev/null; HISTSIZE=5000; true"])
        p.wait()
        quiet(RULE_HISTORY_OFF, since, lambda o: o["proc.pid"] == p.pid)
    finally:
        s.cleanup()


RULE_DELETED_EXEC = "Execution of Deleted Binary"


@case("preset-defense-evasion-deleted-binary-executed")
def t_deleted_exec():
    s = scratch()
    try:
        s.run("exec-deleted", s.dir)
        a = fields(RULE_DELETED_EXEC, lambda o: o["proc.exepath"].startswith(s.dir + "/vgt-deleted-"))
        eq(a["proc.cmdline"], "%s exit 0" % a["proc.name"], "cmdline")
        # near miss: the helper run from its file, and a memfd program (another pack's business)
        since = mark()
        s.run("exit", "0")
        quiet(RULE_DELETED_EXEC, since, lambda o: o["proc.exepath"].startswith(s.dir))
    finally:
        s.cleanup()


RULE_SELF_DELETE = "Process Deleted Its Own Executable"


@case("preset-defense-evasion-self-deleting-process")
def t_self_delete():
    s = scratch()
    try:
        dropper = named_copy(s, "vgt-dropper")
        subprocess.run([dropper, "self-delete"], check=True)
        a = fields(RULE_SELF_DELETE, lambda o: o["proc.exepath"] == dropper)
        eq(a["evt.abspath"], dropper, "path")
        if os.path.exists(dropper):
            raise AssertionError("the dropper is still there")
        # near miss: a process deleting another program
        since = mark()
        other = named_copy(s, "vgt-other")
        s.run("unlink", other)
        quiet(RULE_SELF_DELETE, since, lambda o: o["proc.name"] == s.name)
    finally:
        s.cleanup()


RULE_SYSBIN = "System Binary Renamed or Removed"


@case("preset-defense-evasion-system-binary-renamed-or-removed")
def t_system_binary():
    s = scratch()
    tool = unique("/usr/bin")
    moved = tool + ".orig"
    planted = unique("/usr/sbin")
    pkgfile = unique("/usr/bin")
    libdir = unique("/usr/lib")
    try:
        shutil.copy(s.helper, tool)
        subprocess.run(["mv", tool, moved], check=True)
        a = fields(RULE_SYSBIN, lambda o: o["proc.name"] == "mv" and o["evt.abspath"] == tool)
        eq(a["evt.abspath.dst"], moved, "target")
        subprocess.run(["rm", "-f", moved], check=True)
        fields(RULE_SYSBIN, lambda o: o["proc.name"] == "rm" and o["evt.abspath"] == moved)
        # a look-alike moved in from elsewhere, then removed with unlinkat from a directory fd
        look_alike = os.path.join(s.dir, "look-alike")
        shutil.copy(s.helper, look_alike)
        s.run("rename", look_alike, planted)
        fields(RULE_SYSBIN, lambda o: o["proc.name"] == s.name and o["evt.abspath.dst"] == planted)
        s.run("unlinkat", planted)
        a = fields(RULE_SYSBIN, lambda o: o["proc.name"] == s.name and o["evt.abspath"] == planted)
        eq(a["evt.type"], "unlinkat", "syscall")
        # a library under /usr/lib is a program too
        lib = unique("/usr/lib") + ".so"
        shutil.copy(s.helper, lib)
        subprocess.run(["rm", lib], check=True)
        fields(RULE_SYSBIN, lambda o: o["proc.name"] == "rm" and o["evt.abspath"] == lib)
        # near miss: the same tools in a scratch directory, dpkg removing a file, python caching bytecode
        since = mark()
        f = os.path.join(s.dir, "file")
        open(f, "w").close()
        subprocess.run(["mv", f, f + ".1"], check=True)
        subprocess.run(["rm", f + ".1"], check=True)
        shutil.copy(s.helper, pkgfile)
        dpkg = named_copy(s, "dpkg")
        subprocess.run([dpkg, "unlink", pkgfile], check=True)
        os.mkdir(libdir)
        open(os.path.join(libdir, "vgtmod.py"), "w").write("X = 1\n")
        subprocess.run([sys.executable, "-c", "import py_compile; py_compile.compile(%r, doraise=True)" %
                        os.path.join(libdir, "vgtmod.py")], check=True)
        if not os.listdir(os.path.join(libdir, "__pycache__")):
            raise AssertionError("python wrote no bytecode")
        # a unit file and a configuration file under /usr/lib renamed and removed: data, not programs
        unit = os.path.join(libdir, "vgt.service")
        open(unit, "w").write("[Unit]\n")
        subprocess.run(["mv", unit, unit + ".conf"], check=True)
        subprocess.run(["rm", unit + ".conf"], check=True)
        quiet(RULE_SYSBIN, since, lambda o: s.dir in (o["evt.abspath"] or "") or o["proc.name"] == "dpkg" or
              libdir in (o["evt.abspath"] or "") + (o["evt.abspath.dst"] or ""))
    finally:
        remove(tool, moved, planted, pkgfile)
        shutil.rmtree(libdir, ignore_errors=True)
        s.cleanup()


RULE_SERVICE_STOP = "Security Service Stopped"


@case("preset-defense-evasion-security-service-stopped")
def t_service_stop():
    s = scratch()
    try:
        # copies named like the service tools: nothing is really stopped
        systemctl = named_copy(s, "systemctl")
        pkill = named_copy(s, "pkill")
        subprocess.run([systemctl, "stop", "auditd"], capture_output=True)
        a = fields(RULE_SERVICE_STOP, lambda o: o["proc.exepath"] == systemctl)
        eq(a["proc.cmdline"], "systemctl stop auditd", "cmdline")
        subprocess.run([systemctl, "disable", "--now", "falco-modern-bpf.service"], capture_output=True)
        fields(RULE_SERVICE_STOP, lambda o: o["proc.cmdline"] == "systemctl disable --now falco-modern-bpf.service")
        subprocess.run([pkill, "-9", "osqueryd"], capture_output=True)
        fields(RULE_SERVICE_STOP, lambda o: o["proc.exepath"] == pkill)
        # near miss: status queries, and stopping an ordinary service
        since = mark()
        subprocess.run([systemctl, "status", "auditd"], capture_output=True)
        subprocess.run([systemctl, "stop", "nginx"], capture_output=True)
        subprocess.run([pkill, "-HUP", "nginx"], capture_output=True)
        quiet(RULE_SERVICE_STOP, since, lambda o: o["proc.exepath"] in (systemctl, pkill))
    finally:
        s.cleanup()


RULE_AUDIT_MAC = "Audit or MAC Protection Disabled"


@case("preset-defense-evasion-audit-or-mac-disabled")
def t_audit_mac():
    s = scratch()
    try:
        # copies named like the tools: the real ones (if any) are not touched
        auditctl = named_copy(s, "auditctl")
        setenforce = named_copy(s, "setenforce")
        teardown = named_copy(s, "aa-teardown")
        parser = named_copy(s, "apparmor_parser")
        for args in (["-e", "0"], ["-D"]):
            subprocess.run([auditctl] + args, capture_output=True)
            fields(RULE_AUDIT_MAC, lambda o: o["proc.cmdline"] == "auditctl " + " ".join(args))
        subprocess.run([setenforce, "0"], capture_output=True)
        fields(RULE_AUDIT_MAC, lambda o: o["proc.exepath"] == setenforce)
        subprocess.run([teardown], capture_output=True)
        fields(RULE_AUDIT_MAC, lambda o: o["proc.exepath"] == teardown)
        subprocess.run([parser, "-R", "/etc/apparmor.d/usr.sbin.vgt"], capture_output=True)
        a = fields(RULE_AUDIT_MAC, lambda o: o["proc.exepath"] == parser)
        eq(a["proc.cmdline"], "apparmor_parser -R /etc/apparmor.d/usr.sbin.vgt", "cmdline")
        # near miss: listing rules, enforcing, reloading a profile
        since = mark()
        subprocess.run([auditctl, "-l"], capture_output=True)
        subprocess.run([auditctl, "-e", "1"], capture_output=True)
        subprocess.run([setenforce, "1"], capture_output=True)
        subprocess.run([parser, "-r", "/etc/apparmor.d/usr.sbin.vgt"], capture_output=True)
        quiet(RULE_AUDIT_MAC, since, lambda o: o["proc.exepath"] in (auditctl, setenforce, parser))
    finally:
        s.cleanup()


RULE_DMESG = "Kernel Log Cleared"


@case("preset-defense-evasion-kernel-log-cleared")
def t_dmesg():
    s = scratch()
    try:
        # a copy named dmesg receives the arguments: the real ring buffer is kept
        dmesg = named_copy(s, "dmesg")
        subprocess.run([dmesg, "-C"], capture_output=True)
        a = fields(RULE_DMESG, lambda o: o["proc.exepath"] == dmesg)
        eq(a["proc.cmdline"], "dmesg -C", "cmdline")
        subprocess.run([dmesg, "--read-clear"], capture_output=True)
        fields(RULE_DMESG, lambda o: o["proc.cmdline"] == "dmesg --read-clear")
        subprocess.run([dmesg, "-Tc"], capture_output=True)
        fields(RULE_DMESG, lambda o: o["proc.cmdline"] == "dmesg -Tc")
        # near miss: the kernel log read, by the real dmesg and with options
        since = mark()
        p = subprocess.Popen(["dmesg"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p.wait()
        subprocess.run([dmesg, "-T", "--level", "crit"], capture_output=True)
        quiet(RULE_DMESG, since, lambda o: o["proc.pid"] == p.pid or o["proc.exepath"] == dmesg)
    finally:
        s.cleanup()


RULE_HOSTS = "Hosts File Modified"


@case("preset-defense-evasion-hosts-file-modified")
def t_hosts():
    s = scratch()
    try:
        before = open("/etc/hosts").read()
        s.run("open-append", "/etc/hosts")  # opened for writing, nothing written
        a = fields(RULE_HOSTS, lambda o: o["proc.name"] == s.name)
        eq(a["fd.name"], "/etc/hosts", "file")
        eq(open("/etc/hosts").read(), before, "/etc/hosts content")
        # near miss: read by anyone, written by NetworkManager
        since = mark()
        s.run("open-read", "/etc/hosts")
        nm = named_copy(s, "NetworkManager")
        subprocess.run([nm, "open-append", "/etc/hosts"], check=True)
        quiet(RULE_HOSTS, since, lambda o: o["proc.name"] in (s.name, "NetworkManager"))
    finally:
        s.cleanup()


RULE_TOUCH = "Timestamps Forged with Touch"


@case("preset-defense-evasion-timestomping")
def t_touch():
    s = scratch()
    planted = unique("/etc")
    try:
        open(planted, "w").close()
        p = subprocess.Popen(["touch", "-r", "/etc/hostname", planted])
        p.wait()
        fields(RULE_TOUCH, lambda o: o["proc.pid"] == p.pid)
        p = subprocess.Popen(["touch", "-d", "2019-03-01 10:00", planted])
        p.wait()
        a = fields(RULE_TOUCH, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.cmdline"], "touch -d 2019-03-01 10:00 " + planted, "cmdline")
        p = subprocess.Popen(["touch", "-t", "201903011000", os.path.basename(planted)], cwd="/etc")
        p.wait()
        a = fields(RULE_TOUCH, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.cwd"].rstrip("/"), "/etc", "cwd")
        # near miss: a plain touch of the system file, a dated touch of a scratch file
        since = mark()
        p1 = subprocess.Popen(["touch", planted])
        p2 = subprocess.Popen(["touch", "-d", "2019-03-01", "scratch-file"], cwd=s.dir)
        p1.wait()
        p2.wait()
        quiet(RULE_TOUCH, since, lambda o: o["proc.pid"] in (p1.pid, p2.pid))
    finally:
        remove(planted)
        s.cleanup()


RULE_HIDDEN_TMP = "Hidden File Created in Temporary Directory"


@case("preset-defense-evasion-hidden-file-in-tmp")
def t_hidden_tmp():
    s = scratch()
    hidden = "/tmp/.vgt-%s" % uuid.uuid4().hex[:10]
    hidden_dir = "/dev/shm/.vgt-%s" % uuid.uuid4().hex[:10]
    plain = unique("/tmp")
    plain_dir = unique("/tmp")
    moved = "/tmp/.vgt-%s" % uuid.uuid4().hex[:10]
    try:
        s.run("open-trunc", hidden)
        a = fields(RULE_HIDDEN_TMP, lambda o: o["proc.name"] == s.name)
        eq(a["fd.name"], hidden, "file")
        p = subprocess.Popen(["mkdir", hidden_dir])
        p.wait()
        a = fields(RULE_HIDDEN_TMP, lambda o: o["proc.pid"] == p.pid)
        eq(a["evt.abspath"], hidden_dir, "path")
        payload = os.path.join(s.dir, "payload")
        open(payload, "w").close()
        p = subprocess.Popen(["mv", payload, moved])
        p.wait()
        a = fields(RULE_HIDDEN_TMP, lambda o: o["proc.pid"] == p.pid)
        eq(a["evt.abspath.dst"], moved, "target")
        # near miss: a visible file in /tmp, a dot file in a visible directory of /tmp (as test suites
        # make), a dot file outside the temporary directories
        since = mark()
        s.run("open-trunc", plain)
        os.mkdir(plain_dir)
        s.run("open-trunc", os.path.join(plain_dir, ".hidden.yaml"))
        s.run("open-trunc", os.path.join(s.dir, ".config"))
        quiet(RULE_HIDDEN_TMP, since, lambda o: o["proc.name"] == s.name)
    finally:
        remove(hidden, plain, moved)
        shutil.rmtree(plain_dir, ignore_errors=True)
        if os.path.isdir(hidden_dir):
            os.rmdir(hidden_dir)
        s.cleanup()


RULE_PROC_MOUNT = "Process Hidden by Mount over Proc"


@case("preset-defense-evasion-mount-over-proc")
def t_proc_mount():
    s = scratch()
    victim = subprocess.Popen([s.helper, "sleep", "30"])
    try:
        empty = os.path.join(s.dir, "empty")
        os.mkdir(empty)
        # in a private mount namespace that dies with the command: the host never sees the mount
        target = "/proc/%d" % victim.pid
        p = subprocess.run(["unshare", "--mount", "--propagation", "private", "mount", "--bind", empty, target],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError("bind mount failed: " + p.stderr)
        a = fields(RULE_PROC_MOUNT, lambda o: o["evt.abspath"] == target)
        eq(a["proc.name"], "mount", "process")
        eq(a["evt.res"], "SUCCESS", "result")
        # near miss: the same bind mount between two scratch directories
        since = mark()
        other = os.path.join(s.dir, "other")
        os.mkdir(other)
        subprocess.run(["unshare", "--mount", "--propagation", "private", "mount", "--bind", empty, other],
                       check=True)
        quiet(RULE_PROC_MOUNT, since, lambda o: o["proc.name"] == "mount")
    finally:
        victim.kill()
        victim.wait()
        s.cleanup()


RULE_IO_URING = "io_uring Set Up by Unexpected Program"

IO_URING_SETUP = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)          # struct io_uring_params, zeroed
fd = libc.syscall(425, 8, params)                  # io_uring_setup(8 entries)
if fd >= 0:
    os.close(fd)
"""


@case("preset-defense-evasion-io-uring")
def t_io_uring():
    s = scratch()
    try:
        # python setting up a ring, as a file-reading tool built on io_uring would
        tok = "vgt-" + uuid.uuid4().hex[:8]
        p = subprocess.Popen([sys.executable, "-c", IO_URING_SETUP, tok])
        p.wait()
        a = fields(RULE_IO_URING, lambda o: o["proc.pid"] == p.pid)
        eq(a["evt.res"], "SUCCESS", "result")
        if tok not in a["proc.cmdline"]:
            raise AssertionError("cmdline %r" % a["proc.cmdline"])
        # near miss: an eventfd, and a ring set up by a program that uses io_uring for its work
        since = mark()
        q = subprocess.Popen([sys.executable, "-c", "import os; os.close(os.eventfd(0))"])
        q.wait()
        fio = os.path.join(s.dir, "fio")
        shutil.copy(sys.executable, fio)
        r = subprocess.Popen([fio, "-c", IO_URING_SETUP + "sys.exit(0 if fd >= 0 else 3)"])
        eq(r.wait(), 0, "the ring set up by fio")
        quiet(RULE_IO_URING, since, lambda o: o["proc.pid"] in (q.pid, r.pid))
    finally:
        s.cleanup()


def main():
    global agent
    require_root()
    agent = Agent("--json", "--preset", "all", marker=True)
    use(agent)
    try:
        for t in (t_log, t_history, t_history_disabled, t_deleted_exec, t_self_delete, t_system_binary,
                  t_service_stop, t_audit_mac, t_dmesg, t_hosts, t_touch, t_hidden_tmp, t_proc_mount, t_io_uring):
            t()
    finally:
        agent.stop()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
