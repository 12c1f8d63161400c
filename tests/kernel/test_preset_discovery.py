"""test_preset_discovery.py - the discovery pack on real activity.

For every rule: the activity it describes is performed for real by processes
the test starts (uniquely named helper copies, or real programs whose pid is
known: nc, cat, sh, getent, bash on a pseudo-terminal) and must raise that
rule's alert with the fields an analyst needs; a near miss must not. Where a
near miss could silently not happen (an interactive shell that might not load
its history), a probe rule confirms that the access did take place.

The cloud metadata address is reached in a private network namespace where it
is a loopback address with a listener on it: a real TCP connection to
169.254.169.254:80 that never leaves the namespace, whatever this machine's
own network offers. "Containers" are harness.FakeContainer cgroups.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import (Agent, FakeContainer, Scratch, TOP, BUILD, case, eq,  # noqa: E402
                     require_root, results)
from preset_tools import Tools, VG_HELPER, any_of, by_name, by_pid, fields, pid_in, quiet, run  # noqa: E402

PREFIX = "preset-discovery-"

# confirms that a near miss really opened the file the rule is about
PROBE_RULES = """
- rule: vgt probe history open
  desc: a history file in a test directory was opened (the test checks its near misses happened)
  condition: evt.type in (open, openat, openat2) and fd.num >= 0 and fd.name contains /vgt-home- and fd.filename in (.bash_history, known_hosts)
  output: probe %fd.name by %proc.name
  priority: DEBUG
  tags: [vigil_test]
"""


class Home:
    """a uniquely named directory under /home, standing for another user's home; removed by remove()"""

    def __init__(self):
        self.dir = os.path.join("/home", "vgt-home-" + uuid.uuid4().hex[:8])
        os.makedirs(self.dir)

    def file(self, rel, text="ls\n"):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# --- scanning and sockets ---------------------------------------------------------------

@case(PREFIX + "network-scanner")
def t_scanner(agent):
    rule = "Network Scanner Executed"
    t = Tools()
    try:
        nmap = t.tool("nmap", VG_HELPER)
        pid = run([nmap, "-sS", "-p", "1-1000", "127.0.0.1"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "nmap", "proc.exepath": nmap, "proc.cmdline": "nmap -sS -p 1-1000 127.0.0.1"})
        pid = run([t.tool("masscan", VG_HELPER), "--ports", "0-65535", "10.0.0.0/8"], check=False)
        agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "network-scanner-benign")
def t_scanner_benign(agent):
    t = Tools()
    try:
        pids = [run([t.tool("nmap-report", VG_HELPER), "exit", "0"]), run([t.tool("map", VG_HELPER), "exit", "0"])]
        quiet(agent, "Network Scanner Executed", pid_in(pids), "look-alike names")
    finally:
        t.cleanup()


@case(PREFIX + "netcat-port-scan")
def t_nc(agent):
    rule = "Netcat Port Scan"
    nc = shutil.which("nc")
    if not nc:
        raise AssertionError("nc is not installed (scripts/install-deps.sh --test installs netcat-openbsd)")
    pid = run([nc, "-z", "-w", "1", "127.0.0.1", "1-3"], check=False)
    a = agent.wait_alert(rule, by_pid(pid))
    fields(a, {"proc.name": "nc", "proc.cmdline": "nc -z -w 1 127.0.0.1 1-3"})
    pid = run([nc, "-nvz", "127.0.0.1", "9"], check=False)
    agent.wait_alert(rule, by_pid(pid))
    # a range of ports without -z: each is connected to in turn
    pid = run([nc, "-v", "-w", "1", "127.0.0.1", "7-9"], check=False)
    agent.wait_alert(rule, by_pid(pid))


@case(PREFIX + "netcat-port-scan-benign")
def t_nc_benign(agent):
    nc = shutil.which("nc")
    if not nc:
        raise AssertionError("nc is not installed")
    pids = [run([nc, "-w", "1", "127.0.0.1", "9"], check=False), run([nc, "-h"], check=False)]
    quiet(agent, "Netcat Port Scan", pid_in(pids), "a plain connect, help")


@case(PREFIX + "packet-socket")
def t_packet(agent):
    rule = "Packet Socket Created"
    t = Tools()
    try:
        s = t.tool()
        run([s, "socket", "packet"])
        a = agent.wait_alert(rule, by_name(s))
        fields(a, {"evt.arg.domain": "AF_PACKET", "evt.res": "SUCCESS", "proc.exepath": s})
        # a capture tool's name on a copy outside the system directories is not the tool
        fake = t.tool("tcpdump")
        run([fake, "socket", "packet"])
        agent.wait_alert(rule, lambda a: a["output_fields"]["proc.exepath"] == fake)
    finally:
        t.cleanup()


@case(PREFIX + "packet-socket-benign")
def t_packet_benign(agent):
    t = Tools()
    try:
        s = t.tool()
        run([s, "socket", "udp"])
        run([s, "socket", "raw"])
        quiet(agent, "Packet Socket Created", by_name(s), "UDP and raw IP sockets")
    finally:
        t.cleanup()


@case(PREFIX + "raw-ip-socket")
def t_raw(agent):
    rule = "Raw IP Socket Created"
    t = Tools()
    try:
        s = t.tool()
        run([s, "socket", "raw"])
        a = agent.wait_alert(rule, by_name(s))
        fields(a, {"evt.arg.domain": "AF_INET", "evt.arg.type": "SOCK_RAW"})
        run([s, "socket", "raw6"])
        a = agent.wait_alert(rule, lambda a: by_name(s)(a) and a["output_fields"]["evt.arg.domain"] == "AF_INET6")
        eq(a["output_fields"]["evt.arg.type"], "SOCK_RAW|SOCK_CLOEXEC", "evt.arg.type")
    finally:
        t.cleanup()


@case(PREFIX + "raw-ip-socket-benign")
def t_raw_benign(agent):
    t = Tools()
    try:
        s = t.tool()
        run([s, "socket", "udp"])
        run([s, "socket", "packet"])
        quiet(agent, "Raw IP Socket Created", by_name(s), "UDP and packet sockets")
    finally:
        t.cleanup()


# --- histories and known hosts ------------------------------------------------------------------

@case(PREFIX + "other-user-history")
def t_history(agent):
    rule = "Read Shell History Of Another User"
    t = Tools()
    home = Home()
    try:
        hist = home.file(".bash_history", "mysql -u root -pSecret\n")
        r = t.tool()
        run([r, "read", hist])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": hist, "user.name": "root"})
        z = home.file(".zsh_history")
        run([r, "read", z, "openat"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == z)
        # a shell script reading it through a redirection
        pid = run(["bash", "-c", "while read l; do :; done < " + hist])
        a = agent.wait_alert(rule, by_pid(pid))
        eq(a["output_fields"]["proc.name"], "bash", "proc.name")
    finally:
        home.remove()
        t.cleanup()


@case(PREFIX + "other-user-history-benign")
def t_history_benign(agent):
    rule = "Read Shell History Of Another User"
    t = Tools()
    home = Home()
    try:
        r = t.tool()
        run([r, "read", t.file("root/.bash_history")])        # root reading a history in a root directory
        run([r, "read", home.file(".bash_history.bak")])
        # an interactive bash (on a pseudo-terminal) loads its HOME's history
        home.file(".bash_history")
        env = dict(os.environ, HOME=home.dir, HISTFILE=os.path.join(home.dir, ".bash_history"))
        subprocess.run(["script", "-qc", "bash --norc -i", "/dev/null"], input="exit\n", env=env,
                       capture_output=True, text=True, timeout=30, check=True)
        quiet(agent, rule, any_of(by_name(r), lambda a: a["output_fields"]["fd.name"].startswith(home.dir)),
              "own history, a backup, an interactive shell")
        if not [a for a in agent.alerts("vgt probe history open")
                if a["output_fields"]["proc.name"] == "bash" and a["output_fields"]["fd.name"].startswith(home.dir)]:
            raise AssertionError("the interactive bash did not open its history (the near miss did not happen)")
    finally:
        home.remove()
        t.cleanup()


@case(PREFIX + "known-hosts-read")
def t_known_hosts(agent):
    rule = "Read SSH Known Hosts By Non-SSH Program"
    t = Tools()
    try:
        kh = t.file("home/u/.ssh/known_hosts", "db01.internal ssh-ed25519 AAAA\n")
        r = t.tool()
        run([r, "read", kh])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": kh, "proc.exepath": r})
        pid = run(["cat", kh])
        agent.wait_alert(rule, by_pid(pid))
        fake = t.tool("ssh")
        run([fake, "read", kh, "openat"])
        agent.wait_alert(rule, lambda a: a["output_fields"]["proc.exepath"] == fake)
    finally:
        t.cleanup()


@case(PREFIX + "known-hosts-read-benign")
def t_known_hosts_benign(agent):
    rule = "Read SSH Known Hosts By Non-SSH Program"
    t = Tools()
    home = Home()
    try:
        r = t.tool()
        run([r, "read", t.file("home/u/.ssh/known_hosts.txt")])
        pids = []
        keygen = shutil.which("ssh-keygen")
        if keygen:
            kh = home.file(".ssh/known_hosts", "db01.internal ssh-ed25519 AAAA\n")
            pids.append(run([keygen, "-F", "db01.internal", "-f", kh], check=False))
        quiet(agent, rule, any_of(by_name(r), pid_in(pids)), "a look-alike name, ssh-keygen -F")
        if keygen and not [a for a in agent.alerts("vgt probe history open")
                           if a["output_fields"]["proc.name"] == "ssh-keygen"
                           and a["output_fields"]["fd.name"].startswith(home.dir)]:
            raise AssertionError("ssh-keygen did not open known_hosts (the near miss did not happen)")
    finally:
        home.remove()
        t.cleanup()


# --- enumeration ----------------------------------------------------------------------------

@case(PREFIX + "enumeration-tool")
def t_enum(agent):
    rule = "Privilege Escalation Enumeration Tool"
    t = Tools()
    try:
        peas = t.tool("linpeas.sh", VG_HELPER)
        pid = run([peas, "-a"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "linpeas.sh", "proc.exepath": peas})
        script = t.file("tools/LinEnum.sh", "")
        pid = run(["sh", script, "-t"])
        a = agent.wait_alert(rule, by_pid(pid))
        eq(a["output_fields"]["proc.cmdline"], "sh %s -t" % script, "proc.cmdline")
        pid = run([t.tool("pspy64", VG_HELPER), "-pf"], check=False)
        agent.wait_alert(rule, by_pid(pid))
        # fetched by curl or wget (only the command line matters: the URL does not exist)
        for dl in ("curl", "wget"):
            prog = shutil.which(dl)
            if prog:
                pid = run([prog, "-q" if dl == "wget" else "-s", "file:///nonexistent/linpeas.sh"], check=False)
                agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "enumeration-tool-benign")
def t_enum_benign(agent):
    t = Tools()
    try:
        script = t.file("tools/deploy.sh", "")
        pids = [run(["sh", script, "linpeas"]), run(["grep", "-c", "linpeas", script], check=False),
                run([t.tool("peas", VG_HELPER), "exit", "0"])]
        quiet(agent, "Privilege Escalation Enumeration Tool", pid_in(pids), "names only mentioned")
    finally:
        t.cleanup()


@case(PREFIX + "account-enumeration")
def t_accounts(agent):
    rule = "Local Account Enumeration"
    pid = run(["cat", "/etc/passwd"])
    a = agent.wait_alert(rule, by_pid(pid))
    fields(a, {"fd.name": "/etc/passwd", "proc.name": "cat"})
    pid = run(["getent", "passwd"])
    a = agent.wait_alert(rule, by_pid(pid))
    eq(a["output_fields"]["proc.cmdline"], "getent passwd", "proc.cmdline")
    pid = run(["awk", "-F:", "{print $1}", "/etc/group"])
    agent.wait_alert(rule, by_pid(pid))


@case(PREFIX + "account-enumeration-benign")
def t_accounts_benign(agent):
    pids = [run(["id", "root"]), run(["getent", "hosts", "localhost"]), run(["cat", "/etc/hostname"])]
    quiet(agent, "Local Account Enumeration", pid_in(pids), "id, a hosts lookup, another file")


@case(PREFIX + "cmdline-sweep")
def t_cmdline(agent):
    rule = "Process Command Line Sweep"
    pid = run(["cat", "/proc/1/cmdline"])
    a = agent.wait_alert(rule, by_pid(pid))
    fields(a, {"fd.name": "/proc/1/cmdline", "proc.name": "cat"})
    pid = run(["sh", "-c", "for p in /proc/1/cmdline /proc/2/cmdline; do read -r l < $p; done"], check=False)
    agent.wait_alert(rule, by_pid(pid))


@case(PREFIX + "cmdline-sweep-benign")
def t_cmdline_benign(agent):
    pids = [run(["ps", "-e", "-o", "pid,args"]), run(["cat", "/proc/self/cmdline"])]
    quiet(agent, "Process Command Line Sweep", pid_in(pids), "ps, a process's own command line")


# --- the cloud metadata service -----------------------------------------------------------------

def metadata_script(client, addr, port, listen=True):
    """a shell script for a private network namespace where ADDR is local: optionally a
    listener on ADDR:PORT, then CLIENT connects to it"""
    s = "ip link set lo up && ip addr add %s/32 dev lo && " % addr
    if listen:
        s += ("(nc -lk %s %d >/dev/null & l=$!; i=0; "
              "while ! ss -ltn | grep -q ' %s:%d ' && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; "
              "%s connect %s %d; kill $l)" % (addr, port, addr, port, client, addr, port))
    else:
        s += "%s connect %s %d" % (client, addr, port)
    return s


def in_netns(script, runner=subprocess.run):
    p = runner(["unshare", "--net", "sh", "-c", script], capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError("netns script failed (%d): %s" % (p.returncode, p.stderr.strip()))


@case(PREFIX + "metadata-from-container")
def t_metadata_container(agent):
    rule = "Cloud Metadata Service Contacted From Container"
    t = Tools()
    fc = FakeContainer()
    try:
        c = t.tool()
        in_netns(metadata_script(c, "169.254.169.254", 80), fc.run)
        a = agent.wait_alert(rule, by_name(c))
        fields(a, {"container.id": fc.id[:12], "evt.arg.addr": "169.254.169.254:80", "evt.res": "SUCCESS",
                   "proc.exepath": c})
        # the ECS credentials endpoint, refused: the attempt is reported
        c2 = t.tool()
        in_netns(metadata_script(c2, "169.254.170.2", 80, listen=False), fc.run)
        a = agent.wait_alert(rule, by_name(c2))
        fields(a, {"evt.arg.addr": "169.254.170.2:80", "evt.res": "ECONNREFUSED"})
    finally:
        fc.remove()
        t.cleanup()


@case(PREFIX + "metadata-from-container-benign")
def t_metadata_container_benign(agent):
    rule = "Cloud Metadata Service Contacted From Container"
    t = Tools()
    fc = FakeContainer()
    try:
        c = t.tool()
        in_netns(metadata_script(c, "169.254.169.253", 80), fc.run)     # a neighbouring link-local address
        h = t.tool()
        in_netns(metadata_script(h, "169.254.169.254", 80))             # on the host: the other rule's job
        quiet(agent, rule, any_of(by_name(c), by_name(h)), "another link-local address, a host process")
    finally:
        fc.remove()
        t.cleanup()


@case(PREFIX + "metadata-from-host")
def t_metadata_host(agent):
    rule = "Cloud Metadata Service Contacted"
    t = Tools()
    try:
        h = t.tool()
        in_netns(metadata_script(h, "169.254.169.254", 80))
        a = agent.wait_alert(rule, by_name(h))
        fields(a, {"evt.arg.addr": "169.254.169.254:80", "evt.res": "SUCCESS", "proc.exepath": h})
    finally:
        t.cleanup()


@case(PREFIX + "metadata-from-host-benign")
def t_metadata_host_benign(agent):
    rule = "Cloud Metadata Service Contacted"
    t = Tools()
    fc = FakeContainer()
    try:
        ci = t.tool("cloud-init")
        in_netns(metadata_script(ci, "169.254.169.254", 80))
        c = t.tool()
        in_netns(metadata_script(c, "169.254.169.254", 80), fc.run)     # in a container: the other rule's job
        quiet(agent, rule, any_of(by_name(ci), by_name(c)), "cloud-init, a container")
    finally:
        fc.remove()
        t.cleanup()


# --- lateral movement -----------------------------------------------------------------------------

@case(PREFIX + "ssh-unusual-parent")
def t_ssh_parent(agent):
    rule = "SSH Client Launched From Unusual Parent"
    t = Tools()
    try:
        nginx = t.tool("nginx")
        ssh = t.tool("ssh", VG_HELPER)
        run([nginx, "spawn", ssh, "-o", "StrictHostKeyChecking=no", "deploy@10.0.0.2"], check=False)
        a = agent.wait_alert(rule, by_name(ssh))
        fields(a, {"proc.cmdline": "ssh -o StrictHostKeyChecking=no deploy@10.0.0.2", "proc.pname": "nginx",
                   "proc.pexepath": nginx})
        java = t.tool("java")
        scp = t.tool("scp", VG_HELPER)
        run([java, "spawn", scp, "/etc/hostname", "x@10.0.0.2:/tmp/"], check=False)
        a = agent.wait_alert(rule, by_name(scp))
        eq(a["output_fields"]["proc.pname"], "java", "proc.pname")
    finally:
        t.cleanup()


@case(PREFIX + "ssh-unusual-parent-benign")
def t_ssh_parent_benign(agent):
    t = Tools()
    try:
        bash = t.tool("bash")
        ssh = t.tool("ssh", VG_HELPER)
        run([bash, "spawn", ssh, "db01"], check=False)
        run(["sh", "-c", "%s -V" % ssh], check=False)
        rsync = t.tool("rsync")
        run([rsync, "spawn", ssh, "-l", "backup", "db01", "rsync", "--server"], check=False)
        quiet(agent, "SSH Client Launched From Unusual Parent",
              lambda a: a["output_fields"]["proc.exepath"] == ssh, "a shell and rsync starting ssh")
    finally:
        t.cleanup()


@case(PREFIX + "container-exec-in-container")
def t_exec_container(agent):
    rule = "Container Exec Tool Used In Container"
    t = Tools()
    fc = FakeContainer()
    try:
        kubectl = t.tool("kubectl", VG_HELPER)
        fc.run([kubectl, "-n", "prod", "exec", "-it", "web-0", "--", "sh"])
        a = agent.wait_alert(rule, by_name(kubectl))
        fields(a, {"container.id": fc.id[:12], "proc.cmdline": "kubectl -n prod exec -it web-0 -- sh"})
        crictl = t.tool("crictl", VG_HELPER)
        fc.run([crictl, "exec", "-it", "4f2a", "cat", "/etc/shadow"])
        agent.wait_alert(rule, by_name(crictl))
    finally:
        fc.remove()
        t.cleanup()


@case(PREFIX + "container-exec-in-container-benign")
def t_exec_container_benign(agent):
    rule = "Container Exec Tool Used In Container"
    t = Tools()
    fc = FakeContainer()
    try:
        kubectl = t.tool("kubectl", VG_HELPER)
        fc.run([kubectl, "get", "pods", "-o", "wide"])
        run([kubectl, "exec", "web-0", "--", "id"], check=False)     # on the host: the other rule's job
        quiet(agent, rule, by_name(kubectl), "kubectl get in a container, exec on the host")
    finally:
        fc.remove()
        t.cleanup()


@case(PREFIX + "container-exec-on-host")
def t_exec_host(agent):
    rule = "Container Exec Tool Used On Host"
    t = Tools()
    try:
        kubectl = t.tool("kubectl", VG_HELPER)
        pid = run([kubectl, "exec", "-n", "kube-system", "etcd-0", "--", "sh"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "kubectl"})
        pid = run([t.tool("docker", VG_HELPER), "cp", "/etc/hostname", "web:/tmp/x"], check=False)
        agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "container-exec-on-host-benign")
def t_exec_host_benign(agent):
    rule = "Container Exec Tool Used On Host"
    t = Tools()
    fc = FakeContainer()
    try:
        kubectl = t.tool("kubectl", VG_HELPER)
        pids = [run([kubectl, "get", "pods"], check=False), run([kubectl, "logs", "executor-0"], check=False)]
        fc.run([kubectl, "exec", "web-0", "--", "id"])                 # in a container: the other rule's job
        quiet(agent, rule, any_of(pid_in(pids), by_name(kubectl)), "get and logs, exec in a container")
    finally:
        fc.remove()
        t.cleanup()


def main():
    require_root()
    probe_dir = tempfile.mkdtemp(prefix="vigil-probe-")
    probe = os.path.join(probe_dir, "probe.yaml")
    with open(probe, "w") as f:
        f.write(PROBE_RULES)
    agent = Agent("--json", "--preset", "all", "-r", probe, marker=True)
    try:
        for name, fn in sorted(globals().items()):
            if name.startswith("t_") and callable(fn):
                fn(agent)
    finally:
        agent.stop()
        shutil.rmtree(probe_dir, ignore_errors=True)
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
