"""preset_tools.py - what the preset tests that follow alerts by program share.

Those tests run uniquely named copies of a helper (or real programs whose pid they
know) and pick their alerts out by executable or pid: a scratch directory that makes
the copies, a runner that returns the pid, alert predicates, field checks, and the
check that a benign action raised nothing.
"""
import os
import shutil
import subprocess
import uuid

from harness import BUILD, Scratch, TOP, eq

CRED_HELPER = os.path.join(TOP, BUILD, "helpers", "vg_cred")
VG_HELPER = os.path.join(TOP, BUILD, "helpers", "vg_helper")


class Tools(Scratch):
    """a scratch directory with copies of vg_cred (or another helper) under chosen names"""

    def tool(self, name=None, src=CRED_HELPER):
        path = os.path.join(self.dir, name or "vgt-" + uuid.uuid4().hex[:8])
        shutil.copy(src, path)
        return path

    def path(self, rel):
        """a path in the scratch directory whose parent exists"""
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def file(self, rel, text="x\n"):
        path = self.path(rel)
        with open(path, "w") as f:
            f.write(text)
        return path


def run(args, check=True, **kw):
    """run a program with no input; return its pid (the alerts name it)"""
    kw.setdefault("stdin", subprocess.DEVNULL)
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    out, err = p.communicate(timeout=30)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (args, p.returncode, err.strip()))
    return p.pid


def by_pid(pid):
    return lambda a: a["output_fields"].get("proc.pid") == pid


def pid_in(pids):
    return lambda a: a["output_fields"].get("proc.pid") in pids


def by_name(path):
    """alerts about the program at PATH (a unique scratch copy, so earlier cases cannot match)"""
    return lambda a: a["output_fields"].get("proc.exepath") == path


def on(name, field, value):
    """alerts about the program at NAME whose FIELD is VALUE"""
    return lambda a: by_name(name)(a) and a["output_fields"].get(field) == value


def any_of(*preds):
    return lambda a: any(p(a) for p in preds)


def fields(alert, want):
    f = alert["output_fields"]
    for k, v in want.items():
        eq(f.get(k), v, k)


def quiet(agent, rule, pred, what):
    """after a sync, no alert of the rule matches pred"""
    agent.sync()
    got = [a["output"] for a in agent.alerts(rule) if pred(a)]
    if got:
        raise AssertionError("%s: unexpected alert: %s" % (what, got[0]))
