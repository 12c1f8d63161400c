"""test_capture.py - the event stream against the real kernel.

One agent runs for all cases; each case runs a uniquely named helper and
asserts exact fields of the events it caused.
"""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, case, eq, require_root, results  # noqa: E402


def by_helper(s, key):
    return lambda e: key in e and e[key]["process"]["binary"] == s.helper


@case("capture-exec-fields")
def t_exec(agent):
    s = Scratch()
    try:
        os.mkdir(os.path.join(s.dir, "work"))
        cwd = os.path.join(s.dir, "work")
        s.run("exit", "0", cwd=cwd)
        ev = agent.wait_for(by_helper(s, "process_exec"), what="process_exec of the helper")
        p = ev["process_exec"]["process"]
        eq(p["binary"], s.helper, "binary")
        eq(p["arguments"], "exit 0", "arguments")
        eq(p["cwd"], cwd, "cwd")
        eq(p["uid"], os.getuid(), "uid")
        eq(p["euid"], os.geteuid(), "euid")
        eq(p["comm"], s.name, "comm")
        eq(p["ppid"], os.getpid(), "ppid")
        eq(p["flags"], "execve", "flags")
        parent = ev["process_exec"]["parent"]
        eq(parent["pid"], os.getpid(), "parent pid")
        eq(parent["binary"], os.path.realpath(sys.executable), "parent binary")
        eq(p["parent_exec_id"], parent["exec_id"], "parent_exec_id")
        if not p["exec_id"] or p["exec_id"] == parent["exec_id"]:
            raise AssertionError("exec_id missing or not unique")
        if "time" not in ev or not ev["time"].endswith("Z") or ev["node_name"] != os.uname().nodename:
            raise AssertionError("time/node_name wrong: %r %r" % (ev.get("time"), ev.get("node_name")))
    finally:
        s.cleanup()


@case("capture-openat-dirfd-absolute-path")
def t_openat(agent):
    s = Scratch()
    try:
        os.makedirs(os.path.join(s.dir, "data", "sub"))
        target = os.path.join(s.dir, "data", "sub", "file.txt")
        open(target, "w").close()
        out = s.run("openat", os.path.join(s.dir, "data"), "sub/../sub/file.txt")
        fd = int(out.stdout.strip())
        ev = agent.wait_for(lambda e: e["syscall"]["name"] == "openat" and
                            e["syscall"]["process"]["binary"] == s.helper and
                            e["syscall"]["args"]["name"] == "sub/../sub/file.txt", what="openat event")
        sc = ev["syscall"]
        eq(sc["ret"], fd, "ret")
        eq(sc["path"], target, "absolute path")
        eq(sc["fd"]["num"], fd, "fd num")
        eq(sc["fd"]["name"], target, "fd name")
        eq(sc["fd"]["type"], "file", "fd type")
    finally:
        s.cleanup()


def listener():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    return srv


@case("capture-connect-4tuple-and-tcp-events")
def t_connect(agent):
    s = Scratch()
    srv = listener()
    port = srv.getsockname()[1]
    try:
        p = subprocess.Popen([s.helper, "connect", "127.0.0.1", str(port)], stdout=subprocess.PIPE, text=True)
        conn, _ = srv.accept()
        cport = int(p.stdout.readline())
        conn.close()
        p.wait(10)
        eq(p.returncode, 0, "helper status")
        ev = agent.wait_for(lambda e: e["syscall"]["name"] == "connect" and
                            e["syscall"]["process"]["binary"] == s.helper, what="connect syscall")
        sc = ev["syscall"]
        eq(sc["ret"], 0, "connect ret")
        eq(sc["args"]["addr"], {"family": "AF_INET", "addr": "127.0.0.1", "port": port}, "sockaddr")
        fd = sc["fd"]
        eq((fd["type"], fd["proto"], fd["laddr"], fd["lport"], fd["raddr"], fd["rport"]),
           ("ipv4", "tcp", "127.0.0.1", cport, "127.0.0.1", port), "syscall 4-tuple")
        eq(fd["name"], "127.0.0.1:%d->127.0.0.1:%d" % (cport, port), "fd name")
        net = agent.wait_for(lambda e: e["network"]["type"] == "connect" and
                             e["network"]["process"]["binary"] == s.helper, what="tcp connect event")
        n = net["network"]
        eq((n["saddr"], n["sport"], n["daddr"], n["dport"]), ("127.0.0.1", cport, "127.0.0.1", port),
           "tcp connect 4-tuple")
        acc = agent.wait_for(lambda e: e["network"]["type"] == "accept" and e["network"]["sport"] == port and
                             e["network"]["dport"] == cport, what="tcp accept event")
        eq(acc["network"]["process"]["pid"], os.getpid(), "accept attributed to the listener")
        agent.wait_for(lambda e: e["network"]["type"] == "close" and e["network"]["sport"] == cport and
                       e["network"]["process"]["binary"] == s.helper, what="tcp close event")
    finally:
        srv.close()
        s.cleanup()


@case("capture-dup2-socket-onto-stdin")
def t_dup2(agent):
    s = Scratch()
    srv = listener()
    port = srv.getsockname()[1]
    try:
        p = subprocess.Popen([s.helper, "connect", "127.0.0.1", str(port), "dup2"], stdout=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, text=True)
        conn, _ = srv.accept()
        cport = int(p.stdout.readline())
        ev = agent.wait_for(lambda e: e["syscall"]["name"] == "dup2" and
                            e["syscall"]["process"]["binary"] == s.helper, what="dup2 event")
        conn.close()
        p.wait(10)
        sc = ev["syscall"]
        eq(sc["ret"], 0, "dup2 returned fd 0")
        eq(sc["args"]["newfd"], 0, "newfd")
        eq(sc["fd"]["type"], "ipv4", "fd type")
        eq(sc["fd"]["name"], "127.0.0.1:%d->127.0.0.1:%d" % (cport, port), "fd names the peer")
    finally:
        srv.close()
        s.cleanup()


@case("capture-exit-code")
def t_exit(agent):
    s = Scratch()
    try:
        p = s.run("exit", "7", check=False)
        eq(p.returncode, 7, "helper status")
        ev = agent.wait_for(by_helper(s, "process_exit"), what="process_exit")
        eq(ev["process_exit"]["status"], 7, "exit status")
        if "signal" in ev["process_exit"]:
            raise AssertionError("unexpected signal")
    finally:
        s.cleanup()


@case("capture-exit-signal-9")
def t_kill(agent):
    s = Scratch()
    try:
        p = subprocess.Popen([s.helper, "sleep", "30"])
        agent.wait_for(by_helper(s, "process_exec"), what="exec of the sleeper")
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
        ev = agent.wait_for(by_helper(s, "process_exit"), what="process_exit after kill -9")
        eq(ev["process_exit"]["signal"], "SIGKILL", "signal")
        eq(ev["process_exit"]["process"]["pid"], p.pid, "pid")
    finally:
        s.cleanup()


def main():
    require_root()
    agent = Agent("--events", "--syscalls", "openat,connect,dup2,execve,close")
    try:
        for t in (t_exec, t_openat, t_connect, t_dup2, t_exit, t_kill):
            t(agent)
    finally:
        rc = agent.stop()
        if rc != 0:
            print("not ok capture-agent-exit: status %s: %s" % (rc, "".join(agent.stderr)[-500:]))
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
