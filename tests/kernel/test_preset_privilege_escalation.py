"""test_preset_privilege_escalation.py - the privilege-escalation pack on real activity.

Each case performs the behaviour a rule describes, for real and harmlessly
(on copies of the test helper, scratch files, a uniquely named file in
/etc/sudoers.d removed afterwards), asserts exactly that rule's alert and its
key fields, then performs a near miss and asserts, after agent.sync(), that
the rule stayed quiet for it.
"""
import os
import shutil
import socket
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, TOP, BUILD, case, eq, require_root, results  # noqa: E402
from preset_watch import fields, mark, named_copy, quiet, scratch, use  # noqa: E402

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
CAP_CHOWN, CAP_NET_RAW, CAP_SYS_ADMIN = 0, 13, 21

agent = None


RULE_SETUID_BIT = "Setuid or Setgid Bit Set on File"


@case("preset-privilege-escalation-setuid-bit")
def t_setuid_bit():
    s = scratch()
    try:
        # chmod(1) with a numeric and a symbolic mode, a helper's fchmod with setgid, creates with 04755
        f = os.path.join(s.dir, "shell-copy")
        shutil.copy("/bin/true", f)
        subprocess.run(["chmod", "4755", f], check=True)
        a = fields(RULE_SETUID_BIT, lambda o: o["evt.abspath"] == f and o["proc.name"] == "chmod")
        eq(a["evt.arg.mode"], "04755", "mode")
        os.chmod(f, 0o755)
        p = subprocess.Popen(["chmod", "u+s", f])
        p.wait()
        a = fields(RULE_SETUID_BIT, lambda o: o["proc.pid"] == p.pid)
        eq(a["evt.abspath"], f, "path")
        s.run("fchmod", f, "2755")
        a = fields(RULE_SETUID_BIT, lambda o: o["proc.name"] == s.name and o["evt.type"] == "fchmod")
        eq(a["fd.name"], f, "fd.name")
        eq(a["evt.arg.mode"], "02755", "mode")
        # file type bits above the permission bits do not hide the setuid bit
        s.run("chmod", f, "104755")
        fields(RULE_SETUID_BIT, lambda o: o["proc.name"] == s.name and o["evt.arg.mode"] == "0104755")
        g = os.path.join(s.dir, "created-setuid")
        s.run("creat", g, "4755")
        a = fields(RULE_SETUID_BIT, lambda o: o["fd.name"] == g)
        eq(a["evt.type"], "openat", "syscall")
        g2 = os.path.join(s.dir, "created-setgid")
        s.run("creat-call", g2, "2711")
        a = fields(RULE_SETUID_BIT, lambda o: o["fd.name"] == g2)
        eq(a["evt.type"], "creat", "syscall")
        # near miss: ordinary modes, and the sticky bit alone
        since = mark()
        h = os.path.join(s.dir, "plain")
        shutil.copy("/bin/true", h)
        subprocess.run(["chmod", "755", h], check=True)
        s.run("chmod", h, "1777")
        s.run("creat", os.path.join(s.dir, "plain-created"), "0755")
        quiet(RULE_SETUID_BIT, since, lambda o: o["proc.name"] in (s.name, "chmod"))
    finally:
        s.cleanup()


RULE_BECAME_ROOT = "Process Became Root Outside Sudo-like Tools"


@case("preset-privilege-escalation-became-root")
def t_became_root():
    s = scratch()
    try:
        # a setuid-root program run by nobody (ruid 65534, euid 0) makes its real uid 0,
        # with each of the three calls
        for call in ("setuid", "setreuid", "setresuid"):
            s.run("regain-root", call)
            a = fields(RULE_BECAME_ROOT, lambda o: o["proc.name"] == s.name and o["evt.type"] == call)
            eq(a["user.uid"], 0, "uid after the call")
        # near miss: dropping root, sudo doing its job, and root of a user namespace made by nobody
        # (uid 0 there is nobody on the host)
        since = mark()
        s.run("drop-root")
        sudo = named_copy(s, "sudo")
        subprocess.run([sudo, "sudo-root"], check=True)
        os.chmod(s.dir, 0o755)
        ns_root = named_copy(s, "vgt-nsroot")
        os.chmod(os.path.dirname(ns_root), 0o755)
        subprocess.run(NOBODY + ["unshare", "--user", "--map-root-user", ns_root, "sudo-root"], check=True)
        quiet(RULE_BECAME_ROOT, since, lambda o: o["proc.name"] in (s.name, "sudo", "vgt-nsroot"))
    finally:
        s.cleanup()


RULE_CAPSET = "Dangerous Capabilities Raised by Non-Root Process"


@case("preset-privilege-escalation-capset-dangerous")
def t_capset():
    s = scratch()
    try:
        s.run("caps-as-nobody", str(CAP_SYS_ADMIN))
        a = fields(RULE_CAPSET, lambda o: o["proc.name"] == s.name)
        eq(a["user.uid"], 65534, "uid")
        eq(a["thread.cap_effective"], "CAP_SYS_ADMIN", "effective capabilities")
        # near miss: a non-root daemon keeping only CAP_NET_RAW (as ping or chrony do)
        since = mark()
        s.run("caps-as-nobody", str(CAP_NET_RAW))
        quiet(RULE_CAPSET, since, lambda o: o["proc.name"] == s.name)
    finally:
        s.cleanup()


RULE_CAPS_EXEC = "Non-Root Program Started with Dangerous Capabilities"
RULE_SETCAP = "File Capabilities Set with Setcap"


@case("preset-privilege-escalation-setcap-and-file-capabilities")
def t_file_caps():
    s = scratch()
    try:
        os.chmod(s.dir, 0o755)  # nobody must reach the program
        target = named_copy(s, "vgt-capped")
        os.chmod(os.path.dirname(target), 0o755)
        subprocess.run(["setcap", "cap_setuid,cap_dac_override+ep", target], check=True)
        a = fields(RULE_SETCAP, lambda o: o["proc.name"] == "setcap" and target in o["proc.cmdline"])
        eq(a["user.uid"], 0, "uid")
        # nobody runs it: the capabilities are effective at once, and it can make itself root
        subprocess.run(NOBODY + [target, "regain-root", "setuid"], check=True)
        a = fields(RULE_CAPS_EXEC, lambda o: o["proc.exepath"] == target)
        eq(a["user.uid"], 65534, "uid")
        eq(a["thread.cap_effective"], "CAP_DAC_OVERRIDE CAP_SETUID", "effective capabilities")
        fields(RULE_BECAME_ROOT, lambda o: o["proc.exepath"] == target)
        # near miss: newuidmap, which Debian ships with cap_setuid for rootless containers; then the
        # capabilities removed, listed, and the program run by nobody without them
        since = mark()
        uidmap = named_copy(s, "newuidmap")
        os.chmod(os.path.dirname(uidmap), 0o755)
        subprocess.run(["setcap", "cap_setuid+ep", uidmap], check=True)
        subprocess.run(NOBODY + [uidmap, "exit", "0"], check=True)
        quiet(RULE_CAPS_EXEC, since, lambda o: o["proc.exepath"] == uidmap)
        subprocess.run(["setcap", "-r", target], check=True)
        subprocess.run(["getcap", target], check=True, capture_output=True)
        subprocess.run(NOBODY + [target, "exit", "0"], check=True)
        quiet(RULE_SETCAP, since, lambda o: target in o["proc.cmdline"])
        quiet(RULE_CAPS_EXEC, since, lambda o: o["proc.exepath"] == target)
        # ambient capabilities handed to a non-root program that has no file capabilities
        s.run("ambient-exec", str(CAP_CHOWN), target, "exit", "0")
        fields(RULE_CAPS_EXEC, lambda o: o["proc.exepath"] == target and o["thread.cap_effective"] == "CAP_CHOWN")
        # near miss: the same capable caller failing to start a program that does not exist
        since = mark()
        s.run("ambient-exec", str(CAP_CHOWN), os.path.join(s.dir, "absent"), check=False)
        quiet(RULE_CAPS_EXEC, since, lambda o: o["proc.name"] == s.name)
    finally:
        s.cleanup()


RULE_USERNS = "User Namespace Created by Unprivileged User"


@case("preset-privilege-escalation-unprivileged-userns")
def t_userns():
    s = scratch()
    try:
        p = subprocess.Popen(NOBODY + ["unshare", "--user", "--map-root-user", "true"], stderr=subprocess.PIPE)
        if p.wait() != 0:
            raise AssertionError("unshare as nobody failed: %s" % p.stderr.read())
        a = fields(RULE_USERNS, lambda o: o["proc.pid"] == p.pid)
        eq(a["proc.name"], "unshare", "process")
        eq(a["evt.type"], "unshare", "syscall")
        eq(a["user.uid"], 65534, "uid")
        # the namespace's root then runs `true` with every capability (in its namespace):
        # that is this rule's business, not the capability rules'
        quiet(RULE_CAPS_EXEC, 0, lambda o: o["proc.pid"] == p.pid)
        s.run("userns", "clone")
        a = fields(RULE_USERNS, lambda o: o["proc.name"] == s.name)
        eq(a["evt.type"], "clone", "syscall")
        if "CLONE_NEWUSER" not in a["evt.arg.flags"]:
            raise AssertionError("flags %r" % a["evt.arg.flags"])
        # near miss: root making a user namespace, and nobody making a plain child
        since = mark()
        root = subprocess.Popen(["unshare", "--user", "true"])
        root.wait()
        s.run("drop-root")
        quiet(RULE_USERNS, since, lambda o: o["proc.pid"] == root.pid or o["proc.name"] == s.name)
    finally:
        s.cleanup()


RULE_EMPTY_ARGV = "Program Executed with Empty Argument List"


@case("preset-privilege-escalation-empty-argv")
def t_empty_argv():
    s = scratch()
    try:
        target = named_copy(s, "pkexec")
        s.run("exec-argc0", target, check=False)
        a = fields(RULE_EMPTY_ARGV, lambda o: o["proc.exepath"] == target)
        eq(a["proc.name"], "pkexec", "process")
        # near miss: the same program with its name in argv[0]
        since = mark()
        subprocess.run([target, "exit", "0"], check=True)
        quiet(RULE_EMPTY_ARGV, since, lambda o: o["proc.exepath"] == target)
    finally:
        s.cleanup()


RULE_GCONV = "GCONV Module Configuration Prepared Outside System Paths"


@case("preset-privilege-escalation-gconv")
def t_gconv():
    s = scratch()
    try:
        # PwnKit's preparation: a directory named GCONV_PATH=., a file in it, a gconv-modules file
        subprocess.run(["mkdir", "GCONV_PATH=."], cwd=s.dir, check=True)
        a = fields(RULE_GCONV, lambda o: o["proc.name"] == "mkdir" and
                   o["evt.abspath"] == os.path.join(s.dir, "GCONV_PATH=."))
        eq(a["evt.type"], "mkdir", "syscall")
        subprocess.run(["touch", "GCONV_PATH=./pwnkit"], cwd=s.dir, check=True)
        fields(RULE_GCONV, lambda o: o["fd.name"] == os.path.join(s.dir, "GCONV_PATH=.", "pwnkit"))
        os.mkdir(os.path.join(s.dir, "pwnkit"))
        subprocess.run(["sh", "-c", "echo 'module UTF-8// PWNKIT// pwnkit 2' > pwnkit/gconv-modules"],
                       cwd=s.dir, check=True)
        a = fields(RULE_GCONV, lambda o: o["fd.name"] == os.path.join(s.dir, "pwnkit", "gconv-modules"))
        eq(a["proc.name"], "sh", "process")
        # near miss: the system's gconv-modules read, a similarly named note written
        since = mark()
        for sysfile in ("/usr/lib/x86_64-linux-gnu/gconv/gconv-modules",):
            if os.path.exists(sysfile):
                s.run("open-read", sysfile)
        s.run("open-trunc", os.path.join(s.dir, "gconv-notes.txt"))
        quiet(RULE_GCONV, since, lambda o: o["proc.name"] == s.name)
    finally:
        s.cleanup()


RULE_SUDO_MINUS_ONE = "Sudo Run as User ID Minus One"
RULE_SAMEDIT = "Sudoedit Heap Overflow Attempt"


@case("preset-privilege-escalation-sudo-exploit-arguments")
def t_sudo_exploits():
    s = scratch()
    try:
        # sudo is not installed here: a copy named sudo/sudoedit receives the arguments (and exits)
        sudo = named_copy(s, "sudo")
        sudoedit = named_copy(s, "sudoedit")
        subprocess.run([sudo, "-u#-1", "id"], capture_output=True)
        a = fields(RULE_SUDO_MINUS_ONE, lambda o: o["proc.exepath"] == sudo)
        eq(a["proc.cmdline"], "sudo -u#-1 id", "cmdline")
        subprocess.run([sudo, "--user=#4294967295", "id"], capture_output=True)
        fields(RULE_SUDO_MINUS_ONE, lambda o: o["proc.cmdline"] == "sudo --user=#4294967295 id")
        subprocess.run([sudoedit, "-s", "\\", "AAAAAAAA"], capture_output=True)
        a = fields(RULE_SAMEDIT, lambda o: o["proc.exepath"] == sudoedit)
        eq(a["proc.cmdline"], "sudoedit -s \\ AAAAAAAA", "cmdline")
        subprocess.run([sudoedit, "-s", "/"], capture_output=True)
        fields(RULE_SAMEDIT, lambda o: o["proc.cmdline"] == "sudoedit -s /")
        # near miss: ordinary sudo and sudoedit use
        since = mark()
        subprocess.run([sudo, "-u", "root", "id"], capture_output=True)
        subprocess.run([sudo, "-i"], capture_output=True)
        subprocess.run([sudoedit, "/etc/hostname"], capture_output=True)
        subprocess.run([sudoedit, "-u", "alice", "/etc/my-site.conf"], capture_output=True)
        mine = lambda o: o["proc.exepath"] in (sudo, sudoedit)
        quiet(RULE_SUDO_MINUS_ONE, since, mine)
        quiet(RULE_SAMEDIT, since, mine)
    finally:
        s.cleanup()


RULE_SUDOERS = "Sudoers Configuration Modified"


@case("preset-privilege-escalation-sudoers-modified")
def t_sudoers():
    s = scratch()
    made_dir = False
    # names with a dot are never read by sudo, so even a stray file could grant nothing
    target = "/etc/sudoers.d/vgt-%s.test" % uuid.uuid4().hex[:8]
    tmp = "/etc/sudoers.d/.vgt-%s.tmp" % uuid.uuid4().hex[:8]
    try:
        if not os.path.isdir("/etc/sudoers.d"):
            os.mkdir("/etc/sudoers.d", 0o750)
            made_dir = True
        s.run("open-trunc", target)
        a = fields(RULE_SUDOERS, lambda o: o["proc.name"] == s.name and o["fd.name"] == target)
        eq(a["evt.type"], "openat", "syscall")
        os.unlink(target)
        # sed -i's way: a temporary file renamed over the target
        s.run("open-trunc", tmp)
        s.run("rename", tmp, target)
        a = fields(RULE_SUDOERS, lambda o: o["proc.name"] == s.name and o["evt.abspath.dst"] == target)
        if a["evt.type"] not in ("rename", "renameat", "renameat2"):
            raise AssertionError("syscall %r" % a["evt.type"])
        # near miss: visudo writing it, anyone reading it
        since = mark()
        visudo = named_copy(s, "visudo")
        subprocess.run([visudo, "open-trunc", target], check=True)
        s.run("open-read", target)
        quiet(RULE_SUDOERS, since, lambda o: o["proc.name"] in (s.name, "visudo"))
    finally:
        for p in (target, tmp):
            if os.path.exists(p):
                os.unlink(p)
        if made_dir:
            os.rmdir("/etc/sudoers.d")
        s.cleanup()


RULE_RUNTIME_SOCKET = "Container Runtime Socket Connection by Unexpected Process"


@case("preset-privilege-escalation-container-runtime-socket")
def t_runtime_socket():
    s = scratch()
    servers = []
    try:
        # a Docker API socket mounted at an unusual place (as in a container) and a decoy
        def listen(name):
            path = os.path.join(s.dir, name)
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            srv.bind(path)
            srv.listen(8)
            servers.append(srv)
            return path
        sock = listen("docker.sock")
        other = listen("app.sock")
        s.run("connect-unix", sock)
        a = fields(RULE_RUNTIME_SOCKET, lambda o: o["proc.name"] == s.name)
        eq(a["evt.arg.addr"], sock, "socket")
        s.run("connect-unix", "docker.sock")  # relative to the working directory
        fields(RULE_RUNTIME_SOCKET, lambda o: o["proc.name"] == s.name and o["evt.arg.addr"] == "docker.sock")
        # near miss: the docker client on that socket, the helper on another socket
        since = mark()
        docker = named_copy(s, "docker")
        subprocess.run([docker, "connect-unix", sock], check=True)
        s.run("connect-unix", other)
        quiet(RULE_RUNTIME_SOCKET, since, lambda o: o["proc.exepath"] == docker or o["proc.name"] == s.name)
    finally:
        for srv in servers:
            srv.close()
        s.cleanup()


RULE_SETUID_RUN = "Unusual Setuid Root Program Run by Unprivileged User"


@case("preset-privilege-escalation-unusual-setuid-root-program")
def t_setuid_run():
    s = scratch()
    try:
        # a setuid-root copy of a program, run by nobody: it runs as root
        planted = named_copy(s, "vgt-" + uuid.uuid4().hex[:8])
        os.chown(planted, 0, 0)
        os.chmod(planted, 0o4755)
        os.chmod(s.dir, 0o755)
        p = subprocess.Popen(NOBODY + [planted, "exit", "0"])
        eq(p.wait(), 0, "the planted program's status")
        a = fields(RULE_SETUID_RUN, lambda o: o["proc.exepath"] == planted)
        eq(a["user.ruid"], 65534, "real uid")
        # near misses: passwd, a setuid program the system ships; the same copy without the bit
        since = mark()
        q = subprocess.Popen(NOBODY + ["passwd", "-S"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        q.wait()
        os.chmod(planted, 0o755)
        r = subprocess.Popen(NOBODY + [planted, "exit", "0"])
        r.wait()
        quiet(RULE_SETUID_RUN, since, lambda o: o["proc.pid"] in (q.pid, r.pid))
    finally:
        s.cleanup()


def main():
    global agent
    require_root()
    agent = Agent("--json", "--preset", "all", marker=True)
    use(agent)
    try:
        for t in (t_setuid_bit, t_became_root, t_capset, t_file_caps, t_userns, t_empty_argv, t_gconv,
                  t_sudo_exploits, t_sudoers, t_runtime_socket, t_setuid_run):
            t()
    finally:
        agent.stop()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
