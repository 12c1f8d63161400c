"""preset_watch.py - what the preset tests that run vg_priv and read alert fields share.

Those tests keep one agent for the whole file (use() gives it here), run vg_priv under
unique names, wait for an alert whose fields a predicate picks out, and check that the
benign part of a case, from a mark() on, raised nothing.
"""
import os
import shutil
import uuid

from harness import BUILD, Scratch, TOP, eq

PRIV = os.path.join(TOP, BUILD, "helpers", "vg_priv")

agent = None


def use(a):
    """the agent the functions below read"""
    global agent
    agent = a


def scratch():
    """a scratch directory holding vg_priv under a unique name"""
    s = Scratch()
    shutil.copy(PRIV, s.helper)
    return s


def named_copy(s, name):
    """vg_priv copied into its own directory under NAME (sudo, systemd-udevd, dmesg...)"""
    d = os.path.join(s.dir, uuid.uuid4().hex[:8])
    os.mkdir(d)
    path = os.path.join(d, name)
    shutil.copy(PRIV, path)
    return path


def mark():
    """once everything so far is processed: where the benign part of a case starts"""
    agent.sync()
    return len(agent.alerts())


def quiet(rule, since, pred):
    """after a sync, the rule raised nothing since `since` that pred picks out"""
    agent.sync()
    got = [a["output_fields"] for a in agent.alerts()[since:] if a["rule"] == rule and pred(a["output_fields"])]
    eq(got, [], "alerts of '%s' for the benign action" % rule)


def fields(rule, pred):
    return agent.wait_alert(rule, lambda a: pred(a["output_fields"]))["output_fields"]
