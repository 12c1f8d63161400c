"""test_rules.py - rules evaluated on real kernel events.

- a rule on a path alerts exactly once, with the right fields, in text and JSON;
- fd.name is the file the kernel opened, through a symlinked directory, a /proc
  link or a copied dirfd;
- Falco's own stable rules file loads unmodified and its host rules fire on the
  real activity they describe;
- alerts reach a real rsyslog at the rule's level;
- a capture of real activity replays to the same alert, and `replay --bench
  --bench-rules` measures it and accounts for the match.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, TOP, VIGIL, case, eq, require_root, results  # noqa: E402

FALCO_RULES = os.path.realpath(os.path.join(TOP, "..", "shared", "third_party", "falco", "falco_rules.yaml"))

PATH_RULE = """
- rule: Test secret read
  desc: the test's secret file was opened
  condition: evt.type in (open, openat) and fd.name = %s
  output: secret read by %%proc.name (file=%%fd.name uid=%%user.uid parent=%%proc.pname cmd=%%proc.cmdline)
  priority: WARNING
  tags: [test, filesystem]
"""


@case("rules-path-rule-alerts-once-with-fields")
def t_path_rule():
    s = Scratch()
    secret = os.path.join(s.dir, "secret.txt")
    open(secret, "w").close()
    rules = os.path.join(s.dir, "r.yaml")
    with open(rules, "w") as f:
        f.write(PATH_RULE % secret)
    agent = Agent("--json", "-r", rules, marker=True)
    try:
        s.run("open", secret)
        s.run("open", os.path.join(s.dir, "r.yaml"))  # another file: no alert
        agent.sync()
        got = agent.alerts("Test secret read")
        eq(len(got), 1, "alerts for the secret")
        a = got[0]
        eq(a["priority"], "Warning", "priority")
        eq(a["source"], "syscall", "source")
        eq(a["tags"], ["test", "filesystem"], "tags")
        eq(a["hostname"], os.uname().nodename, "hostname")
        f = a["output_fields"]
        eq(f["proc.name"], s.name, "proc.name")
        eq(f["fd.name"], secret, "fd.name")
        eq(f["user.uid"], os.geteuid(), "user.uid")
        eq(f["proc.cmdline"], "%s open %s" % (s.name, secret), "proc.cmdline")
        want = "Warning secret read by %s (file=%s uid=%d parent=" % (s.name, secret, os.geteuid())
        if want not in a["output"]:
            raise AssertionError("output %r lacks %r" % (a["output"], want))
        if not a["time"].endswith("Z"):
            raise AssertionError("time not RFC 3339 UTC: " + a["time"])
    finally:
        agent.stop()
        s.cleanup()


@case("rules-fd-name-is-the-file-opened-through-symlinks-and-dirfds")
def t_real_path():
    # fd.name names the file the kernel opened: through a symlinked directory, a /proc
    # link, or a copied dirfd (fts in grep -r and find) it is still the real path, and
    # fd.nameraw keeps what the program asked for
    s = Scratch()
    real = os.path.join(s.dir, "real")
    os.mkdir(real)
    secret = os.path.join(real, "secret.txt")
    open(secret, "w").close()
    link = os.path.join(s.dir, "link")
    os.symlink(real, link)
    rules = os.path.join(s.dir, "r.yaml")
    with open(rules, "w") as f:
        f.write(PATH_RULE % secret)
    agent = Agent("--json", "-r", rules, marker=True)
    try:
        via_link = os.path.join(link, "secret.txt")
        via_proc = "/proc/self/root" + secret
        s.run("open", via_link)
        s.run("open", via_proc)
        s.run("openat-dup", real, "secret.txt")
        s.run("open", os.path.join(s.dir, "r.yaml"))  # another file: no alert
        agent.sync()
        got = agent.alerts("Test secret read")
        eq(len(got), 3, "alerts for the secret")
        eq([a["output_fields"]["fd.name"] for a in got], [secret] * 3, "fd.name")
        eq([a["output_fields"]["proc.cmdline"] for a in got],
           ["%s open %s" % (s.name, via_link), "%s open %s" % (s.name, via_proc),
            "%s openat-dup %s secret.txt" % (s.name, real)], "proc.cmdline")
    finally:
        agent.stop()
        s.cleanup()


@case("rules-path-rule-text-output")
def t_text_output():
    s = Scratch()
    secret = os.path.join(s.dir, "secret.txt")
    open(secret, "w").close()
    rules = os.path.join(s.dir, "r.yaml")
    with open(rules, "w") as f:
        f.write(PATH_RULE % secret)
    agent = Agent("-r", rules)
    try:
        s.run("open", secret)
        deadline = time.time() + 10
        while time.time() < deadline and not any("secret read by" in l for l in agent.lines):
            time.sleep(0.05)
        line = next(l for l in agent.lines if "secret read by" in l)
        # "2026-11-29T05:53:14.123456789+0000: Warning secret read by ..."
        ts, rest = line.split(": ", 1)
        if len(ts) != 34 or not ts.endswith("+0000"):
            raise AssertionError("bad time prefix %r" % ts)
        if not rest.startswith("Warning secret read by %s (file=%s" % (s.name, secret)):
            raise AssertionError("bad text alert %r" % rest)
    finally:
        agent.stop()
        s.cleanup()


@case("rules-record-replay-alerts-and-bench")
def t_record_replay():
    s = Scratch()
    secret = os.path.join(s.dir, "secret.txt")
    open(secret, "w").close()
    rules = os.path.join(s.dir, "r.yaml")
    with open(rules, "w") as f:
        f.write(PATH_RULE % secret)
    cap = os.path.join(s.dir, "cap.vcap")
    rec = subprocess.Popen([VIGIL, "record", "-o", cap], stderr=subprocess.PIPE, text=True)
    try:
        line = rec.stderr.readline()
        if "recording to" not in line:
            raise AssertionError("vigil record did not start: %r" % line)
        s.run("open", secret)
        s.run("open", secret)
        s.run("open", rules)  # another file: no alert
        time.sleep(0.5)  # the records reach the file before the recorder stops
    finally:
        rec.send_signal(signal.SIGINT)
        rec.wait(20)
    try:
        eq(rec.returncode, 0, "vigil record status")
        p = subprocess.run([VIGIL, "replay", cap, "--json", "-r", rules], capture_output=True, text=True, timeout=60)
        eq(p.returncode, 0, "replay status")
        alerts = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        mine = [a for a in alerts if a["output_fields"].get("proc.name") == s.name]
        eq(len(mine), 2, "replayed alerts for the helper's two opens")
        eq([a["output_fields"]["fd.name"] for a in mine], [secret, secret], "fd.name")
        eq([a["rule"] for a in mine], ["Test secret read"] * 2, "rule")

        p = subprocess.run([VIGIL, "replay", cap, "--bench", "--bench-seconds", "0.2", "-r", rules,
                            "--bench-rules", "5"], capture_output=True, text=True, timeout=120)
        eq(p.returncode, 0, "replay --bench --bench-rules status (%s)" % p.stderr.strip())
        if "rules enabled: 1," not in p.stdout:
            raise AssertionError("bench output lacks the rule count: %r" % p.stdout)
        row = [l for l in p.stdout.splitlines() if l.endswith("  Test secret read")]
        eq(len(row), 1, "the rule's cost line")
        # "COST ns SHARE%  CHECKED PASSED MATCHED  NAME": it matched what replay alerted on
        cols = row[0].split()
        eq(int(cols[5]), len([a for a in alerts if a["rule"] == "Test secret read"]), "matches counted")
        if int(cols[4]) < int(cols[5]) or int(cols[3]) < int(cols[4]):
            raise AssertionError("checked >= passed >= matched does not hold: %r" % row[0])

        for args, msg in ((["--bench-rules", "0", "--bench"], "--bench-rules wants a positive number"),
                          (["--bench-rules", "3"], "--bench-rules goes with --bench")):
            p = subprocess.run([VIGIL, "replay", cap, "-r", rules] + args, capture_output=True, text=True,
                               timeout=60)
            eq(p.returncode, 2, "status of replay %s" % " ".join(args))
            if msg not in p.stderr:
                raise AssertionError("replay %s: %r lacks %r" % (" ".join(args), p.stderr, msg))
    finally:
        s.cleanup()


def falco_case(agent, s, rule, action, pred=lambda a: True):
    action()
    return agent.wait_alert(rule, pred)


@case("rules-falco-stable-file-fires-on-host-activity")
def t_falco():
    if not os.path.exists(FALCO_RULES):
        raise AssertionError("missing " + FALCO_RULES)
    s = Scratch()
    agent = Agent("--json", "-r", FALCO_RULES, marker=True)
    try:
        mine = lambda a: a["output_fields"].get("proc.name") in (s.name, "find", "shred", "vgt-memfd", "x-" + s.name)
        # Read sensitive file untrusted: a program not in Falco's trusted lists opens /etc/shadow
        s.run("open", "/etc/shadow")
        a = agent.wait_alert("Read sensitive file untrusted", lambda a: a["output_fields"]["proc.name"] == s.name)
        eq(a["output_fields"]["fd.name"], "/etc/shadow", "fd.name")
        # Search Private Keys or Passwords: find looking for id_rsa
        subprocess.run(["find", s.dir, "-name", "id_rsa"], check=True)
        agent.wait_alert("Search Private Keys or Passwords",
                         lambda a: a["output_fields"]["proc.name"] == "find")
        # Execution from /dev/shm
        shm = "/dev/shm/x-" + s.name
        shutil.copy(s.helper, shm)
        try:
            subprocess.run([shm, "exit", "0"], check=True)
        finally:
            os.unlink(shm)
        agent.wait_alert("Execution from /dev/shm", lambda a: a["output_fields"]["proc.exepath"] == shm)
        # Fileless execution via memfd_create
        s.run("memfd-exec")
        agent.wait_alert("Fileless execution via memfd_create",
                         lambda a: a["output_fields"]["proc.name"] == "3" or "memfd:" in a["output_fields"]["proc.exepath"])
        # PTRACE anti-debug attempt and PTRACE attached to process
        s.run("traceme")
        agent.wait_alert("PTRACE anti-debug attempt", lambda a: a["output_fields"]["proc.name"] == s.name)
        s.run("ptrace-attach")
        agent.wait_alert("PTRACE attached to process", lambda a: a["output_fields"]["proc.name"] == s.name)
        # Create Symlink Over Sensitive Files
        s.run("symlink", "/etc/shadow", os.path.join(s.dir, "shadow-link"))
        agent.wait_alert("Create Symlink Over Sensitive Files", lambda a: a["output_fields"]["proc.name"] == s.name)
        # Create Hardlink Over Sensitive Files (the link may fail across filesystems; the attempt is the event)
        s.run("link", "/etc/shadow", os.path.join(s.dir, "shadow-hard"), check=False)
        agent.wait_alert("Create Hardlink Over Sensitive Files", lambda a: a["output_fields"]["proc.name"] == s.name)
        # Clear Log Activities: truncating a file named like a system log
        s.run("truncate", os.path.join(s.dir, "syslog"))
        agent.wait_alert("Clear Log Activities", lambda a: a["output_fields"]["proc.name"] == s.name)
        # Remove Bulk Data from Disk: shred
        victim = os.path.join(s.dir, "victim")
        open(victim, "w").write("x" * 100)
        subprocess.run(["shred", victim], check=True)
        agent.wait_alert("Remove Bulk Data from Disk", lambda a: a["output_fields"]["proc.name"] == "shred")
        # a benign run of the same helper raises none of these
        n = len(agent.alerts())
        s.run("open", os.path.join(s.dir, "victim"))
        agent.sync()
        extra = [a["rule"] for a in agent.alerts()[n:] if a["rule"] != "vigil test marker" and mine(a)]
        eq(extra, [], "alerts for benign activity")
    finally:
        agent.stop()
        s.cleanup()


RSYSLOG_CONF = """
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="%(sock)s" CreatePath="on")
template(name="lvl" type="string" string="%%syslogseverity-text%%|%%programname%%|%%msg%%\\n")
*.* action(type="omfile" file="%(out)s" template="lvl")
"""


@case("rules-alerts-reach-rsyslog-at-rule-level")
def t_syslog():
    rsyslogd = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"
    if not os.path.exists(rsyslogd):
        raise AssertionError("rsyslogd is not installed (make test-deps installs it)")
    s = Scratch()
    sock = os.path.join(s.dir, "log.sock")
    out = os.path.join(s.dir, "messages")
    conf = os.path.join(s.dir, "rsyslog.conf")
    pidf = os.path.join(s.dir, "rsyslog.pid")
    with open(conf, "w") as f:
        f.write(RSYSLOG_CONF % {"sock": sock, "out": out})
    secret = os.path.join(s.dir, "secret.txt")
    open(secret, "w").close()
    rules = os.path.join(s.dir, "r.yaml")
    with open(rules, "w") as f:
        f.write(PATH_RULE % secret)
    rs = subprocess.Popen([rsyslogd, "-n", "-f", conf, "-i", pidf])
    created_devlog = False
    agent = None
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        if not os.path.exists(sock):
            raise AssertionError("rsyslogd did not create its socket")
        # syslog(3) writes to /dev/log: give the agent a private mount namespace where
        # /dev/log is rsyslog's socket, so the host's logging is untouched
        if not os.path.exists("/dev/log"):
            open("/dev/log", "w").close()
            created_devlog = True
        wrapper = os.path.join(s.dir, "vigil-ns")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nmount --bind %s /dev/log && exec %s \"$@\"\n" % (sock, VIGIL))
        os.chmod(wrapper, 0o755)
        import harness
        saved = harness.VIGIL
        harness.VIGIL = "/usr/bin/unshare"
        try:
            agent = Agent("--mount", "--propagation", "private", wrapper, "run", "--syslog", "--no-stdout",
                          "-r", rules, ready="running on")
        finally:
            harness.VIGIL = saved
        s.run("open", secret)
        deadline = time.time() + 10
        text = ""
        while time.time() < deadline:
            if os.path.exists(out):
                text = open(out).read()
                if "secret read by" in text:
                    break
            time.sleep(0.1)
        line = next((l for l in text.splitlines() if "secret read by" in l), None)
        if not line:
            raise AssertionError("no alert in rsyslog's output: %r" % text[-500:])
        level, prog, msg = line.split("|", 2)
        eq(level, "warning", "syslog level")
        eq(prog, "vigil", "syslog ident")
        if "Warning secret read by %s (file=%s" % (s.name, secret) not in msg:
            raise AssertionError("syslog text %r" % msg)
    finally:
        if agent:
            agent.stop()
        rs.send_signal(signal.SIGTERM)
        rs.wait(10)
        if created_devlog:
            os.unlink("/dev/log")
        s.cleanup()


def main():
    require_root()
    for t in (t_path_rule, t_real_path, t_text_output, t_record_replay, t_falco, t_syslog):
        t()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
