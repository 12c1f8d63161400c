"""harness.py - running the real agent against the real kernel in tests.

An Agent starts `vigil run` with the given arguments, waits until it says it
is running, and collects its stdout (JSON lines) and stderr on threads.
Tests then act (run a helper with a unique name) and wait for the events
they expect. Results are printed one line per test case, in the form
tests/run-all.sh counts: "ok NAME", "not ok NAME: why", "SKIP NAME: why".
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

TOP = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("B", "build")
VIGIL = os.path.join(TOP, BUILD, "vigil")
HELPER = os.path.join(TOP, BUILD, "helpers", "vg_helper")


MARKER_RULE = """
- rule: vigil test marker
  desc: a test's marker process ran (used to know the agent has caught up)
  condition: evt.type in (execve, execveat) and proc.name startswith vgt-marker-
  output: marker %proc.name
  priority: DEBUG
  tags: [vigil_test]
"""


class Agent:
    """the agent; with marker=True a rule that lets sync() know it has caught up"""

    def __init__(self, *args, ready="running on", marker=False):
        self.marker_dir = None
        if marker:
            os.makedirs(SCRATCH_ROOT, exist_ok=True)
            self.marker_dir = tempfile.mkdtemp(prefix="vigil-marker-", dir=SCRATCH_ROOT)
            path = os.path.join(self.marker_dir, "marker.yaml")
            with open(path, "w") as f:
                f.write(MARKER_RULE)
            args = (*args, "-r", path)
        self.lines = []
        self.stderr = []
        self.cv = threading.Condition()
        cmd = [VIGIL, "run", *args] if VIGIL.endswith("/vigil") else [VIGIL, *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TOP)
        self.t_out = threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True)
        self.t_err = threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True)
        self.t_out.start()
        self.t_err.start()
        deadline = time.time() + 30
        with self.cv:
            while not any(ready in l for l in self.stderr):
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("agent did not start: " + "".join(self.stderr)[-2000:])
                self.cv.wait(0.1)

    def _read(self, f, into):
        for raw in f:
            line = raw.decode("utf-8", "replace")
            with self.cv:
                into.append(line)
                self.cv.notify_all()

    def events(self):
        out = []
        with self.cv:
            lines = list(self.lines)
        for l in lines:
            try:
                out.append(json.loads(l))
            except ValueError:
                pass
        return out

    def wait_for(self, pred, timeout=10.0, what="event"):
        """the first JSON line for which pred(obj) is true"""
        deadline = time.time() + timeout
        seen = 0
        while True:
            with self.cv:
                lines = self.lines[seen:]
            for l in lines:
                seen += 1
                try:
                    obj = json.loads(l)
                except ValueError:
                    continue
                try:
                    if pred(obj):
                        return obj
                except (KeyError, TypeError, IndexError):
                    pass
            if time.time() > deadline:
                raise AssertionError("timed out waiting for " + what)
            with self.cv:
                self.cv.wait(0.05)

    def alerts(self, rule=None):
        return [e for e in self.events() if "rule" in e and (rule is None or e["rule"] == rule)]

    def wait_alert(self, rule, pred=lambda a: True, timeout=10.0):
        return self.wait_for(lambda e: e.get("rule") == rule and pred(e), timeout, "alert '%s'" % rule)

    def sync(self, timeout=10.0):
        """run a marker process and wait for its alert: everything before it has been processed"""
        name = "vgt-marker-" + uuid.uuid4().hex[:8]
        os.makedirs(SCRATCH_ROOT, exist_ok=True)
        d = tempfile.mkdtemp(prefix="vigil-sync-", dir=SCRATCH_ROOT)
        try:
            path = os.path.join(d, name)
            shutil.copy(HELPER, path)
            subprocess.run([path, "exit", "0"], check=False)
            self.wait_for(lambda e: e.get("rule") == "vigil test marker" and
                          e["output_fields"]["proc.name"] == name[:15], timeout, "marker " + name)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def stop(self):
        if self.marker_dir:
            shutil.rmtree(self.marker_dir, ignore_errors=True)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.t_out.join(5)
        self.t_err.join(5)
        return self.proc.returncode


# Scratch space lives in the build tree, not /tmp: running programs from /tmp is
# itself something the presets flag, and these tests must not trip them by accident.
SCRATCH_ROOT = os.path.join(TOP, BUILD, "kt")


class Scratch:
    """a scratch directory and a uniquely named copy of the helper in it"""

    def __init__(self):
        os.makedirs(SCRATCH_ROOT, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="vigil-kt-", dir=SCRATCH_ROOT)
        self.name = "vgt-" + uuid.uuid4().hex[:8]
        self.helper = os.path.join(self.dir, self.name)
        shutil.copy(HELPER, self.helper)

    def run(self, *args, cwd=None, check=True, **kw):
        p = subprocess.run([self.helper, *args], cwd=cwd or self.dir, capture_output=True, text=True, **kw)
        if check and p.returncode != 0:
            raise AssertionError("helper %s failed (%d): %s" % (args, p.returncode, p.stderr))
        return p

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run_orphaned(args, timeout=20):
    """run `args` as an orphan, reparented away from this test before it executes, and wait
    for it: its ancestry in the agent is then the reaper's, not make's or the test's (rules
    that look at ancestors, e.g. 'not proc.aname in (make, ...)', see a clean chain)"""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            mid = os.getpid()
            if os.fork() == 0:
                while os.getppid() == mid:  # until the middle process below has exited
                    time.sleep(0.001)
                os.dup2(w, 1)
                os.dup2(w, 2)
                os.execv(args[0], args)
        finally:
            os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    out = b""
    deadline = time.time() + timeout
    with os.fdopen(r, "rb") as f:  # EOF: the orphan and everything it started have finished
        while time.time() < deadline:
            chunk = f.read1(4096)
            if not chunk:
                return out.decode(errors="replace")
            out += chunk
    raise AssertionError("%s did not finish in %ds" % (args, timeout))


def _cgroup_roots():
    """every mounted cgroup hierarchy, with this process's path in it"""
    roots = []
    mounts = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            parts = line.split()
            sep = parts.index("-")
            fstype, opts = parts[sep + 1], parts[sep + 3] if len(parts) > sep + 3 else ""
            if fstype == "cgroup2":
                mounts[""] = parts[4]
            elif fstype == "cgroup":
                for o in opts.split(","):
                    if o not in ("rw", "ro", "relatime", "nosuid", "nodev", "noexec"):
                        mounts.setdefault(o, parts[4])
    with open("/proc/self/cgroup") as f:
        for line in f:
            hid, ctrls, path = line.rstrip("\n").split(":", 2)
            key = "" if hid == "0" else ctrls.split(",")[0]
            if key in mounts:
                roots.append(os.path.join(mounts[key], path.lstrip("/")))
    return roots


class FakeContainer:
    """A container as the kernel sees one: a cgroup named the way docker names its
    containers (".../docker/<64 hex>", under this process's own cgroup in every
    hierarchy) and, optionally, new namespaces. Processes started with run()/popen()
    are moved into it before they exec. remove() deletes the cgroups."""

    def __init__(self):
        self.id = uuid.uuid4().hex + uuid.uuid4().hex
        self.dirs = []
        for root in _cgroup_roots():
            d = os.path.join(root, "docker", self.id)
            try:
                os.makedirs(d)
                self.dirs.append(d)
            except OSError:
                pass
        if not self.dirs:
            raise RuntimeError("cannot create a cgroup for a test container")

    def _enter(self):
        pid = str(os.getpid())
        for d in self.dirs:
            try:
                with open(os.path.join(d, "cgroup.procs"), "w") as f:
                    f.write(pid)
            except OSError:
                pass

    def popen(self, args, **kw):
        return subprocess.Popen(args, preexec_fn=self._enter, **kw)

    def run(self, args, **kw):
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        return subprocess.run(args, preexec_fn=self._enter, **kw)

    def remove(self):
        for d in self.dirs:
            for _ in range(50):
                try:
                    os.rmdir(d)
                    break
                except OSError:
                    time.sleep(0.1)  # its last processes are still exiting
            try:
                os.rmdir(os.path.dirname(d))  # "docker", if no other test container is there
            except OSError:
                pass


results = {"ok": 0, "fail": 0}


def case(name):
    """decorator: run the test, print ok/not ok"""
    def wrap(fn):
        def run(*a, **kw):
            try:
                fn(*a, **kw)
                print("ok " + name, flush=True)
                results["ok"] += 1
            except Exception as e:  # a failed assertion or a crash: both fail the case
                msg = str(e).splitlines()[0] if str(e) else type(e).__name__
                print("not ok %s: %s" % (name, msg), flush=True)
                traceback.print_exc(file=sys.stderr)
                results["fail"] += 1
        run.name = name
        return run
    return wrap


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def require_root():
    if os.geteuid() != 0:
        print("not ok kernel-tests: must run as root")
        sys.exit(1)
