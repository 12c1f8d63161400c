"""test_enforce.py - enforcement against the real kernel.

Every enforcing rule here names the test's own uniquely named helper
(proc.name = vgt-...), so nothing else on the machine can ever match it:
kills and denials stay scoped to processes the test started.
"""
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, TOP, VIGIL, case, eq, require_root, results  # noqa: E402

KILL_RULE = """
- rule: Test protected file
  desc: the test helper opened the protected file
  condition: evt.type in (open, openat) and fd.name = %(path)s and proc.name = %(name)s
  output: protected file opened by %%proc.name (file=%%fd.name)
  priority: CRITICAL
  tags: [test]
  enforce: kill
"""

USERSPACE_RULE = """
- rule: Test protected file needing userspace
  desc: the kernel cannot check the parent's command line, so userspace finishes this rule
  condition: >
    evt.type in (open, openat) and fd.name = %(path)s and proc.name = %(name)s
    and proc.pcmdline contains %(token)s
  output: protected file opened by %%proc.name (file=%%fd.name)
  priority: CRITICAL
  tags: [test]
  enforce: kill
"""

DENY_CONNECT_RULE = """
- rule: Test denied connect
  desc: the test helper connects to the test port
  condition: evt.type = connect and fd.rport = %(port)d and proc.name = %(name)s
  output: connect by %%proc.name to port %%fd.rport
  priority: CRITICAL
  tags: [test]
  enforce: deny
"""


def control(s):
    """a control socket of this test's own, so that no other agent on the machine answers"""
    return os.path.join(s.dir, "control.sock")


def enforce_cmd(s, *args):
    return subprocess.run([VIGIL, "enforce", *args, "--socket", control(s)], capture_output=True, text=True)


def write_rules(s, text, **kw):
    path = os.path.join(s.dir, "rules-%d.yaml" % time.monotonic_ns())
    with open(path, "w") as f:
        f.write(text % kw)
    return path


def attempt(s, protected, marker):
    """the helper opens the protected file, then creates the marker"""
    p = subprocess.run([s.helper, "open", protected, marker], cwd=s.dir, capture_output=True)
    return p.returncode


def alert_for(agent, rule, timeout=10):
    return agent.wait_alert(rule, timeout=timeout)


def setup(s):
    protected = os.path.join(s.dir, "protected.txt")
    with open(protected, "w") as f:
        f.write("secret\n")
    return protected, os.path.join(s.dir, "marker")


@case("enforce-kill-in-kernel-before-return")
def t_kill():
    s = Scratch()
    protected, marker = setup(s)
    agent = Agent("--json", "--enforce", "--control-socket", control(s), "-r", write_rules(s, KILL_RULE, path=protected, name=s.name))
    try:
        rc = attempt(s, protected, marker)
        eq(rc, -signal.SIGKILL, "helper status")
        if os.path.exists(marker):
            raise AssertionError("the marker exists: the process ran on after the open")
        a = alert_for(agent, "Test protected file")
        eq(a.get("enforcement"), "killed (kernel)", "action")
        if "(killed (kernel))" not in a["output"]:
            raise AssertionError("output lacks the action: " + a["output"])
        # an open of another file by the same program is not touched
        eq(attempt(s, "/etc/hostname", marker), 0, "benign open")
        if not os.path.exists(marker):
            raise AssertionError("benign run did not create its marker")
    finally:
        agent.stop()
        s.cleanup()


@case("enforce-audit-reports-would-kill")
def t_audit():
    s = Scratch()
    protected, marker = setup(s)
    agent = Agent("--json", "--audit", "--control-socket", control(s), "-r", write_rules(s, KILL_RULE, path=protected, name=s.name))
    try:
        eq(attempt(s, protected, marker), 0, "helper status in audit mode")
        if not os.path.exists(marker):
            raise AssertionError("audit mode stopped the helper")
        a = alert_for(agent, "Test protected file")
        eq(a.get("enforcement"), "would kill", "action")
    finally:
        agent.stop()
        s.cleanup()


@case("enforce-off-alert-only")
def t_off():
    s = Scratch()
    protected, marker = setup(s)
    agent = Agent("--json", "--control-socket", control(s), "-r", write_rules(s, KILL_RULE, path=protected, name=s.name))
    try:
        eq(attempt(s, protected, marker), 0, "helper status with enforcement off")
        if not os.path.exists(marker):
            raise AssertionError("enforcement off stopped the helper")
        a = alert_for(agent, "Test protected file")
        if "enforcement" in a:
            raise AssertionError("alert carries an action with enforcement off: %r" % a["enforcement"])
    finally:
        agent.stop()
        s.cleanup()


@case("enforce-deny-connect-eperm-listener-never-sees-it")
def t_deny_connect():
    s = Scratch()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(1.5)
    port = srv.getsockname()[1]
    agent = Agent("--json", "--enforce", "--control-socket", control(s), "-r", write_rules(s, DENY_CONNECT_RULE, port=port, name=s.name))
    try:
        p = subprocess.run([s.helper, "connect", "127.0.0.1", str(port)], capture_output=True, text=True)
        eq(p.returncode, 101, "helper status (connect failed)")
        if "Operation not permitted" not in p.stderr:
            raise AssertionError("connect did not fail with EPERM: " + p.stderr)
        try:
            conn, _ = srv.accept()
            conn.close()
            raise AssertionError("the listener accepted a connection")
        except socket.timeout:
            pass
        a = alert_for(agent, "Test denied connect")
        eq(a.get("enforcement"), "denied", "action")
        # another port is not touched: connect and close
        other = socket.socket()
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        q = subprocess.Popen([s.helper, "connect", "127.0.0.1", str(other.getsockname()[1])],
                             stdout=subprocess.PIPE)
        c, _ = other.accept()
        c.close()
        eq(q.wait(10), 0, "connect to another port")
        other.close()
    finally:
        agent.stop()
        srv.close()
        s.cleanup()


@case("enforce-userspace-kill-then-kernel-after-escalation")
def t_escalation():
    s = Scratch()
    protected, marker = setup(s)
    token = "vgt-token-" + s.name
    rules = write_rules(s, USERSPACE_RULE, path=protected, name=s.name, token=token)
    agent = Agent("--json", "--enforce", "--control-socket", control(s), "-r", rules)
    try:
        # the parent's command line carries the token the rule needs; the helper lingers
        # after the open so that the kill from userspace finds it alive
        first = subprocess.run(["sh", "-c", '"$0" open "$1" "$2" 5; st=$?; : ' + token + '; exit $st',
                                s.helper, protected, marker], cwd=s.dir, capture_output=True)
        a = alert_for(agent, "Test protected file needing userspace")
        if not a.get("enforcement", "").startswith("killed (userspace, "):
            raise AssertionError("first attempt: %r" % a.get("enforcement"))
        # the shell reports its child's SIGKILL as 128+9
        eq(first.returncode, 128 + signal.SIGKILL, "first attempt status")
        out = enforce_cmd(s, "list").stdout
        if "escalated selectors: 1" not in out:
            raise AssertionError("no escalation listed:\n" + out)
        n = len(agent.alerts("Test protected file needing userspace"))
        try:
            os.unlink(marker)
        except FileNotFoundError:
            pass
        second = subprocess.run(["sh", "-c", '"$0" open "$1" "$2"; st=$?; : ' + token + '; exit $st',
                                 s.helper, protected, marker], cwd=s.dir, capture_output=True)
        eq(second.returncode, 128 + signal.SIGKILL, "second attempt status")
        if os.path.exists(marker):
            raise AssertionError("second attempt ran on: not killed in the kernel")
        deadline = time.time() + 10
        while time.time() < deadline and len(agent.alerts("Test protected file needing userspace")) <= n:
            time.sleep(0.05)
        last = agent.alerts("Test protected file needing userspace")[-1]
        eq(last.get("enforcement"), "killed (kernel)", "second attempt action")
    finally:
        agent.stop()
        s.cleanup()


@case("enforce-runtime-off-and-sighup-reload")
def t_runtime():
    s = Scratch()
    protected, marker = setup(s)
    other = os.path.join(s.dir, "other.txt")
    open(other, "w").close()
    rules = os.path.join(s.dir, "live.yaml")
    with open(rules, "w") as f:
        f.write(KILL_RULE % {"path": protected, "name": s.name})
    agent = Agent("--json", "--enforce", "--control-socket", control(s), "-r", rules)
    try:
        eq(attempt(s, protected, marker), -signal.SIGKILL, "killed while enforcing")
        # switch off at runtime: the next attempt survives at once
        out = enforce_cmd(s, "off")
        eq(out.returncode, 0, "vigil enforce off: " + out.stdout + out.stderr)
        eq(attempt(s, protected, marker), 0, "after 'vigil enforce off'")
        out = enforce_cmd(s, "on")
        eq(out.returncode, 0, "vigil enforce on")
        eq(attempt(s, protected, marker), -signal.SIGKILL, "after 'vigil enforce on'")
        # reload protects another file instead
        with open(rules, "w") as f:
            f.write(KILL_RULE % {"path": other, "name": s.name})
        agent.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while time.time() < deadline and not any("rules reloaded" in l for l in agent.stderr):
            time.sleep(0.05)
        eq(attempt(s, protected, marker), 0, "old protected file after reload")
        eq(attempt(s, other, marker), -signal.SIGKILL, "new protected file after reload")
        # a broken rules file is refused; the running rules stay in force
        with open(rules, "w") as f:
            f.write("- rule: broken\n  condition: (\n")
        agent.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while time.time() < deadline and not any("running rules stay" in l for l in agent.stderr):
            time.sleep(0.05)
        if not any("running rules stay" in l for l in agent.stderr):
            raise AssertionError("bad reload not reported")
        eq(attempt(s, other, marker), -signal.SIGKILL, "still enforced after a bad reload")
    finally:
        enforce_cmd(s, "off")
        agent.stop()
        s.cleanup()


@case("enforce-never-kills-pid1-or-never-kill-list")
def t_safety():
    s = Scratch()
    protected, marker = setup(s)
    agent = Agent("--json", "--enforce", "--control-socket", control(s), "--never-kill", s.name, "-r",
                  write_rules(s, KILL_RULE, path=protected, name=s.name))
    try:
        eq(attempt(s, protected, marker), 0, "a never-kill binary survives")
        a = alert_for(agent, "Test protected file")
        eq(a.get("enforcement"), "spared (never-kill)", "action")
    finally:
        agent.stop()
        s.cleanup()


@case("enforce-persist-survives-the-agent-until-enforce-off")
def t_persist():
    s = Scratch()
    protected, marker = setup(s)
    pins = "/sys/fs/bpf/vigil"
    agent = Agent("--json", "--enforce", "--persist", "--control-socket", control(s), "-r",
                  write_rules(s, KILL_RULE, path=protected, name=s.name))
    try:
        if not os.path.isdir(pins):
            raise AssertionError("nothing pinned in " + pins)
        eq(agent.stop(), 0, "agent exit status")
        # the agent is gone; the kernel still enforces
        eq(attempt(s, protected, marker), -signal.SIGKILL, "killed with the agent gone")
        out = subprocess.run([VIGIL, "enforce", "off", "--socket", control(s)], capture_output=True, text=True)
        eq(out.returncode, 0, "vigil enforce off: " + out.stdout + out.stderr)
        if os.path.exists(pins):
            raise AssertionError("pins left after 'vigil enforce off'")
        eq(attempt(s, protected, marker), 0, "after 'vigil enforce off'")
    finally:
        agent.stop()
        subprocess.run([VIGIL, "enforce", "off", "--socket", control(s)], capture_output=True)
        s.cleanup()


def main():
    require_root()
    for t in (t_kill, t_audit, t_off, t_deny_connect, t_escalation, t_runtime, t_safety, t_persist):
        t()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
