"""test_errors.py - what a user sees when something is wrong: one line naming
the cause and the fix, exit status 2 for setup problems (1 for findings), and
nothing started or half-loaded.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Scratch, VIGIL, case, eq, require_root, results  # noqa: E402


def run(*args, user=None, **kw):
    cmd = [VIGIL, *args]
    if user:
        cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


@case("errors-not-root")
def t_not_root():
    p = run("run", "--no-rules", user=65534)
    eq(p.returncode, 2, "status")
    if "must run as root" not in p.stderr or p.stderr.count("\n") != 1:
        raise AssertionError("message: %r" % p.stderr)


@case("errors-bad-rules-file-names-position")
def t_bad_rules():
    s = Scratch()
    try:
        path = os.path.join(s.dir, "bad.yaml")
        with open(path, "w") as f:
            f.write("- rule: r\n  desc: d\n  condition: evt.type = open and proc.nme = x\n"
                    "  output: o\n  priority: WARNING\n")
        p = run("run", "-r", path)
        eq(p.returncode, 2, "run status")
        want = "%s:3:34: error: rule 'r': unknown field 'proc.nme'" % path
        if want not in p.stderr:
            raise AssertionError("message: %r" % p.stderr)
        if "running on" in p.stderr:
            raise AssertionError("the agent started anyway")
        v = run("rules", "validate", path)
        eq(v.returncode, 1, "validate status")
    finally:
        s.cleanup()


@case("errors-ring-buffer-size")
def t_ringbuf():
    p = run("run", "--no-rules", "--ringbuf-mb", "3")
    eq(p.returncode, 2, "status for a size that is not a power of two")
    if "power of two" not in p.stderr:
        raise AssertionError("message: %r" % p.stderr)


@case("errors-corrupt-capture-names-offset")
def t_capture():
    s = Scratch()
    try:
        cap = os.path.join(s.dir, "c.vcap")
        rec = run("record", "-o", cap, "--duration", "0.5", "--syscalls", "openat")
        eq(rec.returncode, 0, "record status: " + rec.stderr)
        data = bytearray(open(cap, "rb").read())
        cut = os.path.join(s.dir, "cut.vcap")
        open(cut, "wb").write(data[:len(data) - 7])
        p = run("replay", cut)
        eq(p.returncode, 1, "replay status of a truncated capture")
        if "truncated at offset" not in p.stderr:
            raise AssertionError("message: %r" % p.stderr)
        data[40] ^= 0xff
        bad = os.path.join(s.dir, "bad.vcap")
        open(bad, "wb").write(data)
        p = run("replay", bad)
        eq(p.returncode, 1, "replay status of a damaged capture")
        if "offset" not in p.stderr:
            raise AssertionError("message: %r" % p.stderr)
    finally:
        s.cleanup()


@case("errors-unknown-command-and-option")
def t_usage():
    eq(run("frobnicate").returncode, 2, "unknown command")
    eq(run("run", "--no-such-option").returncode, 2, "unknown option")
    eq(run("enforce", "sideways").returncode, 2, "unknown enforce mode")


def main():
    require_root()
    for t in (t_not_root, t_bad_rules, t_ringbuf, t_capture, t_usage):
        t()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
