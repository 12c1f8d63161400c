"""test_preset_credential_access.py - the credential-access pack on real activity.

For every rule: the activity it describes, performed for real on this machine by
processes the test starts (a uniquely named copy of a helper, or a real program
whose pid is known), must raise exactly that rule's alert with the fields an
analyst needs; and a near miss (an innocent path, an allowed program) must not.
System paths are touched only through uniquely named files that are removed
afterwards; /etc/shadow and friends are only read.
"""
import os
import shutil
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import (Agent, FakeContainer, Scratch, TOP, BUILD, case, eq,  # noqa: E402
                     require_root, results)
from preset_tools import Tools, by_name, by_pid, fields, quiet, run  # noqa: E402

PREFIX = "preset-credential-access-"


class Sleeper:
    """a process for others to read or trace; killed by stop()"""

    def __init__(self, tools):
        self.proc = subprocess.Popen([tools.tool(), "sleep", "60"])
        self.pid = self.proc.pid

    def stop(self):
        self.proc.kill()
        self.proc.wait()


# --- /etc/shadow and links to credential files ----------------------------------------------------

@case(PREFIX + "shadow-read")
def t_shadow(agent):
    rule = "Read Shadow Password File"
    t = Tools()
    try:
        reader = t.tool()
        run([reader, "read", "/etc/shadow"])
        a = agent.wait_alert(rule, by_name(reader))
        fields(a, {"fd.name": "/etc/shadow", "proc.exepath": reader, "user.uid": 0, "container.id": "host"})
        # relative to a directory fd, and through openat2
        run([reader, "read", "/etc/gshadow", "openat"])
        agent.wait_alert(rule, lambda a: by_name(reader)(a) and a["output_fields"]["fd.name"] == "/etc/gshadow")
        other = t.tool()
        run([other, "read", "/etc/shadow", "openat2"])
        agent.wait_alert(rule, by_name(other))
        # through another root: /proc/PID/root, as a container reaches the host's files (fd.name
        # is the file the kernel opened)
        run([other, "read", "/proc/self/root/etc/shadow"])
        agent.wait_alert(rule, lambda a: by_name(other)(a) and a["output_fields"]["fd.name"] == "/etc/shadow"
                         and "/proc/self/root/etc/shadow" in a["output_fields"]["proc.cmdline"])
        # through a symlinked directory, and by a trusted name that is only a symlink's: a link
        # named sshd to a reader is not sshd
        etc_link = os.path.join(t.dir, "etc-link")
        os.symlink("/etc", etc_link)
        run([other, "read", os.path.join(etc_link, "gshadow")])
        agent.wait_alert(rule, lambda a: by_name(other)(a) and a["output_fields"]["fd.name"] == "/etc/gshadow")
        os.makedirs(os.path.join(t.dir, "bin"))
        sshd = os.path.join(t.dir, "bin", "sshd")
        os.symlink("/usr/bin/cat", sshd)
        pid = run([sshd, "/etc/shadow"])
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "sshd", "proc.exepath": "/usr/bin/cat", "fd.name": "/etc/shadow"})
        # a copy of passwd outside the system directories is not trusted
        fake = t.tool("passwd", "/usr/bin/passwd")
        pid = run([fake, "-S", "root"])
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.exepath": fake})
    finally:
        t.cleanup()


@case(PREFIX + "shadow-read-benign")
def t_shadow_benign(agent):
    rule = "Read Shadow Password File"
    t = Tools()
    try:
        real = run(["/usr/bin/passwd", "-S", "root"])       # the real passwd reads it
        near = t.tool()
        run([near, "read", t.file("etc/shadow")])           # a file named shadow elsewhere
        quiet(agent, rule, lambda a: by_pid(real)(a) or by_name(near)(a), "passwd -S and a scratch shadow")
    finally:
        t.cleanup()


@case(PREFIX + "link-to-credential-file")
def t_link(agent):
    rule = "Link To Credential File"
    t = Tools()
    try:
        h = t.tool(src=os.path.join(TOP, BUILD, "helpers", "vg_helper"))
        link = os.path.join(t.dir, "innocent")
        run([h, "symlink", "/etc/shadow", link])
        a = agent.wait_alert(rule, by_name(h))
        fields(a, {"evt.arg.target": "/etc/shadow", "evt.abspath": link})
        # a relative target reaches it as well
        h2 = t.tool(src=os.path.join(TOP, BUILD, "helpers", "vg_helper"))
        run([h2, "symlink", "../../../../../../../../etc/gshadow", os.path.join(t.dir, "rel")])
        agent.wait_alert(rule, by_name(h2))
        # the same target written other ways, and the sudoers drop-in directory itself
        for i, target in enumerate(("/etc/./shadow", "//etc//shadow", "/etc/sudoers.d", "/etc/sudoers.d/")):
            run([h2, "symlink", target, os.path.join(t.dir, "odd%d" % i)])
            agent.wait_alert(rule, lambda a, tg=target: by_name(h2)(a) and a["output_fields"]["evt.arg.target"] == tg)
        # a hard link: the attempt is what counts, so this one fails (no such directory)
        # and no second name for the real file ever exists
        h3 = t.tool(src=os.path.join(TOP, BUILD, "helpers", "vg_helper"))
        run([h3, "link", "/etc/shadow", os.path.join(t.dir, "missing", "hard")], check=False)
        a = agent.wait_alert(rule, by_name(h3))
        eq(a["output_fields"]["evt.abspath"], "/etc/shadow", "evt.abspath")
    finally:
        t.cleanup()


@case(PREFIX + "link-to-credential-file-benign")
def t_link_benign(agent):
    t = Tools()
    try:
        h = t.tool(src=os.path.join(TOP, BUILD, "helpers", "vg_helper"))
        run([h, "symlink", "/etc/hostname", os.path.join(t.dir, "host")])
        run([h, "symlink", "/etc/shadowsocks.json", os.path.join(t.dir, "ss")])
        quiet(agent, "Link To Credential File", by_name(h), "links to other files")
    finally:
        t.cleanup()


# --- sudoers and PAM ----------------------------------------------------------------------

class SystemFile:
    """a uniquely named file in a system directory, created if its directory is missing;
    remove() deletes the file and any directory it had to create"""

    def __init__(self, directory, prefix="vigil-test-", text="# vigil test, safe to delete\n", create=True):
        self.made = []
        d = directory
        while not os.path.isdir(d):
            self.made.insert(0, d)
            d = os.path.dirname(d)
        for m in self.made:
            os.mkdir(m, 0o755)
        self.path = os.path.join(directory, prefix + uuid.uuid4().hex[:8])
        if create:
            with open(self.path, "w") as f:
                f.write(text)

    def remove(self):
        for p in (self.path,):
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass
        for m in reversed(self.made):
            try:
                os.rmdir(m)
            except OSError:
                pass


@case(PREFIX + "sudoers-read")
def t_sudoers(agent):
    rule = "Read Sudoers Configuration"
    t = Tools()
    f = SystemFile("/etc/sudoers.d")
    try:
        r = t.tool()
        run([r, "read", f.path])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": f.path, "proc.exepath": r})
        # a copy named sudo outside the system directories is still reported
        fake = t.tool("sudo")
        run([fake, "read", f.path, "openat2"])
        agent.wait_alert(rule, lambda a: a["output_fields"]["proc.exepath"] == fake)
    finally:
        f.remove()
        t.cleanup()


@case(PREFIX + "sudoers-read-benign")
def t_sudoers_benign(agent):
    t = Tools()
    try:
        r = t.tool()
        run([r, "read", t.file("etc/sudoers")])
        run([r, "read", t.file("etc/sudoers.d/x")])
        quiet(agent, "Read Sudoers Configuration", by_name(r), "scratch sudoers files")
    finally:
        t.cleanup()


@case(PREFIX + "pam-modify")
def t_pam_modify(agent):
    rule = "Modify PAM Configuration"
    t = Tools()
    created = SystemFile("/etc/pam.d", create=False)
    tmp = "/etc/.vigil-test-" + uuid.uuid4().hex[:8]
    moved = SystemFile("/etc/pam.d", create=False)
    try:
        w = t.tool()
        run([w, "write", created.path, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": created.path, "evt.type": "openat"})
        # written elsewhere, then renamed into place (as sed -i and editors do)
        with open(tmp, "w") as f:
            f.write("# vigil test\n")
        m = t.tool()
        run([m, "rename", tmp, moved.path])
        a = agent.wait_alert(rule, by_name(m))
        fields(a, {"evt.type": "rename", "evt.abspath.dst": moved.path})
    finally:
        created.remove()
        moved.remove()
        if os.path.exists(tmp):
            os.unlink(tmp)
        t.cleanup()


@case(PREFIX + "pam-modify-benign")
def t_pam_modify_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", os.path.join(t.dir, "common-auth"), "x"])
        os.makedirs(os.path.join(t.dir, "etc", "pam.d"))
        run([w, "write", os.path.join(t.dir, "etc", "pam.d", "sshd"), "x"])
        run([w, "read", "/etc/pam.d/other"])   # reading is not modifying
        quiet(agent, "Modify PAM Configuration", by_name(w), "scratch PAM-like files")
    finally:
        t.cleanup()


@case(PREFIX + "pam-read")
def t_pam_read(agent):
    rule = "Read PAM Configuration"
    t = Tools()
    try:
        r = t.tool()
        run([r, "read", "/etc/pam.d/other"])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": "/etc/pam.d/other"})
        run([r, "read", "/etc/security/limits.conf", "openat"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == "/etc/security/limits.conf")
        # su copied out of the system directories reads its PAM service file
        fake = t.tool("su", "/usr/bin/su")
        pid = run([fake, "root", "-c", "true"])
        agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "pam-read-benign")
def t_pam_read_benign(agent):
    t = Tools()
    try:
        pid = run(["/usr/bin/su", "root", "-c", "true"])   # su authenticating through PAM
        quiet(agent, "Read PAM Configuration", by_pid(pid), "su")
    finally:
        t.cleanup()


# --- SSH private keys ----------------------------------------------------------------------

KEY_TEXT = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n-----END OPENSSH PRIVATE KEY-----\n"


@case(PREFIX + "ssh-private-key-read")
def t_ssh_key(agent):
    rule = "Read SSH Private Key"
    t = Tools()
    host_key = SystemFile("/etc/ssh", prefix="ssh_host_vgt", create=False)
    try:
        key = t.file("home/u/.ssh/id_ed25519", KEY_TEXT)
        deploy = t.file("home/u/.ssh/deploy_github", KEY_TEXT)
        r = t.tool()
        run([r, "read", key])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": key, "proc.exepath": r})
        # a key under any other name in .ssh, opened relative to the directory
        r2 = t.tool()
        run([r2, "read", deploy, "openat"])
        a = agent.wait_alert(rule, by_name(r2))
        eq(a["output_fields"]["fd.name"], deploy, "fd.name")
        # a host key, through openat2
        host_key.path += "_key"
        with open(host_key.path, "w") as f:
            f.write(KEY_TEXT)
        r3 = t.tool()
        run([r3, "read", host_key.path, "openat2"])
        agent.wait_alert(rule, lambda a: by_name(r3)(a) and a["output_fields"]["fd.name"] == host_key.path)
        # a copy named ssh outside the system directories is not OpenSSH
        fake = t.tool("ssh")
        run([fake, "read", key])
        agent.wait_alert(rule, lambda a: a["output_fields"]["proc.exepath"] == fake)
        # copied with cp
        pid = run(["cp", key, os.path.join(t.dir, "loot")])
        agent.wait_alert(rule, by_pid(pid))
    finally:
        host_key.remove()
        t.cleanup()


@case(PREFIX + "ssh-private-key-read-benign")
def t_ssh_key_benign(agent):
    rule = "Read SSH Private Key"
    t = Tools()
    try:
        r = t.tool()
        run([r, "read", t.file("home/u/.ssh/id_ed25519.pub")])
        run([r, "read", t.file("home/u/.ssh/known_hosts")])
        run([r, "read", t.file("home/u/.ssh/config")])
        pids = []
        keygen = shutil.which("ssh-keygen")
        if keygen:
            # OpenSSH's own tool deriving the public key reads the private one
            key = os.path.join(t.dir, "home", "u", ".ssh", "id_ecdsa")
            run([keygen, "-q", "-t", "ecdsa", "-N", "", "-f", key])
            os.unlink(key + ".pub")
            pids.append(run([keygen, "-y", "-f", key]))
        quiet(agent, rule, lambda a: by_name(r)(a) or a["output_fields"]["proc.pid"] in pids,
              "public files and ssh-keygen")
    finally:
        t.cleanup()


# --- cloud, Kubernetes and other stored credentials ------------------------------------------------

@case(PREFIX + "cloud-credentials-read")
def t_cloud(agent):
    rule = "Read Cloud Provider Credentials"
    t = Tools()
    try:
        r = t.tool()
        aws = t.file("home/u/.aws/credentials", "[default]\naws_access_key_id = AKIAEXAMPLE\n")
        run([r, "read", aws])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": aws})
        gcp = t.file("home/u/.config/gcloud/application_default_credentials.json", "{}")
        run([r, "read", gcp, "openat2"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == gcp)
        az = t.file("home/u/.azure/msal_token_cache.json", "{}")
        run([r, "read", az, "openat"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == az)
    finally:
        t.cleanup()


@case(PREFIX + "cloud-credentials-read-benign")
def t_cloud_benign(agent):
    t = Tools()
    try:
        aws = t.file("home/u/.aws/credentials")
        cli = t.tool("aws")                   # the provider's own tool
        run([cli, "read", aws])
        r = t.tool()
        run([r, "read", t.file("home/u/.aws-notes/credentials")])
        quiet(agent, "Read Cloud Provider Credentials", lambda a: by_name(cli)(a) or by_name(r)(a),
              "aws reading its file, a look-alike path")
    finally:
        t.cleanup()


@case(PREFIX + "kube-credentials-read")
def t_kube(agent):
    rule = "Read Kubernetes Credentials"
    t = Tools()
    try:
        r = t.tool()
        conf = t.file("home/u/.kube/config", "apiVersion: v1\nkind: Config\n")
        run([r, "read", conf])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": conf, "proc.exepath": r})
        run([r, "read", conf, "openat"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["proc.cmdline"].endswith("openat"))
    finally:
        t.cleanup()


@case(PREFIX + "kube-credentials-read-benign")
def t_kube_benign(agent):
    t = Tools()
    try:
        conf = t.file("home/u/.kube/config")
        kubectl = t.tool("kubectl")
        run([kubectl, "read", conf])
        r = t.tool()
        run([r, "read", t.file("home/u/.kube/cache/discovery/servergroups.json")])
        quiet(agent, "Read Kubernetes Credentials", lambda a: by_name(kubectl)(a) or by_name(r)(a),
              "kubectl and the discovery cache")
    finally:
        t.cleanup()


SA_DIR = "/run/secrets/kubernetes.io/serviceaccount"


def in_private_mounts(script, runner=subprocess.run):
    """run a shell script in a private mount namespace (its mounts never reach the host)"""
    p = runner(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
               capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise AssertionError("script failed (%d): %s" % (p.returncode, p.stderr.strip()))
    return p


@case(PREFIX + "service-account-token-read")
def t_token(agent):
    rule = "Read Service Account Token By Unexpected Process"
    fc = FakeContainer()
    try:
        # in a container: tmpfs over /run, a token where Kubernetes mounts it, read by cat and python -c
        script = ("mount -t tmpfs vgt /run && mkdir -p %(d)s && echo tok > %(d)s/token && "
                  "echo ns > %(d)s/namespace && cat /var/run/secrets/kubernetes.io/serviceaccount/token && "
                  "%(py)s -c 'open(\"%(d)s/token\").read()'" % {"d": SA_DIR, "py": sys.executable})
        in_private_mounts(script, fc.run)
        mine = lambda a: a["output_fields"]["container.id"] == fc.id[:12]
        a = agent.wait_alert(rule, lambda a: mine(a) and a["output_fields"]["proc.name"] == "cat")
        # read as /var/run/...: the file the kernel opened is under /run (/var/run links there)
        fields(a, {"fd.name": "/run/secrets/kubernetes.io/serviceaccount/token"})
        agent.wait_alert(rule, lambda a: mine(a) and a["output_fields"]["proc.name"].startswith("python"))
    finally:
        fc.remove()
    # on a node: the copy kubelet keeps for a pod
    pod = str(uuid.uuid4())
    d = "/var/lib/kubelet/pods/%s/volumes/kubernetes.io~projected/kube-api-access-vgt" % pod
    in_private_mounts("mount -t tmpfs vgt /var/lib && mkdir -p %s && echo tok > %s/token && "
                      "cat %s/token" % (d, d, d))
    a = agent.wait_alert(rule, lambda a: a["output_fields"]["fd.name"] == d + "/token")
    fields(a, {"proc.name": "cat", "container.id": "host"})
    # other readers: xargs, and python reading its code from standard input
    pod = str(uuid.uuid4())
    d = "/var/lib/kubelet/pods/%s/volumes/kubernetes.io~projected/kube-api-access-vgt" % pod
    in_private_mounts("mount -t tmpfs vgt /var/lib && mkdir -p %s && echo tok > %s/token && "
                      "xargs -a %s/token echo > /dev/null && "
                      "echo 'open(\"%s/token\").read()' | %s -" % (d, d, d, d, sys.executable))
    agent.wait_alert(rule, lambda a: a["output_fields"]["fd.name"] == d + "/token"
                     and a["output_fields"]["proc.name"] == "xargs")
    agent.wait_alert(rule, lambda a: a["output_fields"]["fd.name"] == d + "/token"
                     and a["output_fields"]["proc.name"].startswith("python"))


@case(PREFIX + "service-account-token-read-benign")
def t_token_benign(agent):
    rule = "Read Service Account Token By Unexpected Process"
    t = Tools()
    fc = FakeContainer()
    try:
        app = t.tool()   # an application reading its own token
        script = ("mount -t tmpfs vgt /run && mkdir -p %(d)s && echo tok > %(d)s/token && "
                  "echo ns > %(d)s/namespace && cat %(d)s/namespace && %(app)s read %(d)s/token"
                  % {"d": SA_DIR, "app": app})
        in_private_mounts(script, fc.run)
        quiet(agent, rule, lambda a: a["output_fields"]["container.id"] == fc.id[:12],
              "cat of the namespace file, the application reading its token")
    finally:
        fc.remove()
        t.cleanup()


@case(PREFIX + "stored-credentials-read")
def t_stored(agent):
    rule = "Read Stored Service Credentials"
    t = Tools()
    try:
        r = t.tool()
        gc = t.file("home/u/.git-credentials", "https://u:tok@example.com\n")
        run([r, "read", gc])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": gc})
        pg = t.file("home/u/.pgpass", "db:5432:*:u:pw\n")
        run([r, "read", pg, "openat"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == pg)
        dock = t.file("home/u/.docker/config.json", "{}")
        run([r, "read", dock, "openat2"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == dock)
    finally:
        t.cleanup()


@case(PREFIX + "stored-credentials-read-benign")
def t_stored_benign(agent):
    t = Tools()
    try:
        git = t.tool("git")
        run([git, "read", t.file("home/u/.git-credentials")])
        r = t.tool()
        run([r, "read", t.file("home/u/.gitconfig")])
        quiet(agent, "Read Stored Service Credentials", lambda a: by_name(git)(a) or by_name(r)(a),
              "git and .gitconfig")
    finally:
        t.cleanup()


@case(PREFIX + "password-store-read")
def t_browser(agent):
    rule = "Read Browser Or Password Manager Store"
    t = Tools()
    try:
        r = t.tool()
        logins = t.file("home/u/.mozilla/firefox/abcd.default-release/logins.json", "{}")
        run([r, "read", logins])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": logins})
        chrome = t.file("home/u/.config/google-chrome/Default/Login Data", "")
        run([r, "read", chrome, "openat"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == chrome)
        kdbx = t.file("home/u/Documents/vault.kdbx", "")
        run([r, "read", kdbx])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"] == kdbx)
    finally:
        t.cleanup()


@case(PREFIX + "password-store-read-benign")
def t_browser_benign(agent):
    t = Tools()
    try:
        ff = t.tool("firefox-esr")
        logins = t.file("home/u/.mozilla/firefox/abcd.default-release/logins.json", "{}")
        run([ff, "read", logins])
        r = t.tool()
        run([r, "read", t.file("home/u/.mozilla/firefox/abcd.default-release/prefs.js")])
        quiet(agent, "Read Browser Or Password Manager Store", lambda a: by_name(ff)(a) or by_name(r)(a),
              "firefox and its preferences")
    finally:
        t.cleanup()


# --- other processes ----------------------------------------------------------------------

@case(PREFIX + "environ-read")
def t_environ(agent):
    rule = "Read Environment Of Another Process"
    t = Tools()
    s = Sleeper(t)
    try:
        r = t.tool()
        path = "/proc/%d/environ" % s.pid
        run([r, "read", path])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": path})
        r2 = t.tool()
        run([r2, "read", path, "openat"])
        agent.wait_alert(rule, lambda a: by_name(r2)(a) and a["output_fields"]["fd.name"] == path)
        pid = run(["cat", path])
        agent.wait_alert(rule, by_pid(pid))
    finally:
        s.stop()
        t.cleanup()


@case(PREFIX + "environ-read-benign")
def t_environ_benign(agent):
    t = Tools()
    try:
        r = t.tool()
        run([r, "read", "/proc/self/environ"])
        run([r, "read", "/proc/self/cmdline"])
        quiet(agent, "Read Environment Of Another Process", by_name(r), "its own environment")
    finally:
        t.cleanup()


@case(PREFIX + "memory-access")
def t_memory(agent):
    rule = "Access Memory Of Another Process"
    t = Tools()
    s = Sleeper(t)
    try:
        r = t.tool()
        run([r, "vm-read", str(s.pid)])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"evt.type": "process_vm_readv", "evt.arg.pid": str(s.pid), "evt.res": "SUCCESS"})
        r2 = t.tool()
        run([r2, "read", "/proc/%d/mem" % s.pid])
        a = agent.wait_alert(rule, by_name(r2))
        fields(a, {"fd.name": "/proc/%d/mem" % s.pid})
    finally:
        s.stop()
        t.cleanup()


@case(PREFIX + "memory-access-benign")
def t_memory_benign(agent):
    t = Tools()
    try:
        r = t.tool()
        run([r, "vm-read", "self"])
        run([r, "read", "/proc/self/mem"])
        quiet(agent, "Access Memory Of Another Process", by_name(r), "its own memory")
    finally:
        t.cleanup()


@case(PREFIX + "memory-map-read")
def t_maps(agent):
    rule = "Read Memory Map Of Another Process"
    t = Tools()
    s = Sleeper(t)
    try:
        r = t.tool()
        run([r, "read", "/proc/%d/maps" % s.pid])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"fd.name": "/proc/%d/maps" % s.pid})
        run([r, "read", "/proc/%d/smaps" % s.pid, "openat2"])
        agent.wait_alert(rule, lambda a: by_name(r)(a) and a["output_fields"]["fd.name"].endswith("/smaps"))
    finally:
        s.stop()
        t.cleanup()


@case(PREFIX + "memory-map-read-benign")
def t_maps_benign(agent):
    t = Tools()
    try:
        r = t.tool()
        run([r, "read", "/proc/self/maps"])
        quiet(agent, "Read Memory Map Of Another Process", by_name(r), "its own map")
    finally:
        t.cleanup()


@case(PREFIX + "ptrace-attach")
def t_ptrace(agent):
    rule = "Ptrace Attach To Another Process"
    t = Tools()
    s = Sleeper(t)
    try:
        r = t.tool()
        run([r, "ptrace", "PTRACE_ATTACH", str(s.pid)])
        a = agent.wait_alert(rule, by_name(r))
        fields(a, {"evt.arg.request": "PTRACE_ATTACH", "evt.arg.pid": str(s.pid), "proc.exepath": r})
        r2 = t.tool()
        run([r2, "ptrace", "PTRACE_SEIZE", str(s.pid)])
        a = agent.wait_alert(rule, by_name(r2))
        eq(a["output_fields"]["evt.arg.request"], "PTRACE_SEIZE", "request")
    finally:
        s.stop()
        t.cleanup()


@case(PREFIX + "ptrace-attach-benign")
def t_ptrace_benign(agent):
    t = Tools()
    try:
        h = t.tool(src=os.path.join(TOP, BUILD, "helpers", "vg_helper"))
        run([h, "traceme"])                    # asking to be traced is not tracing another
        r = t.tool()
        run([r, "ptrace-parent"])              # a sanitizer-style copy stopping its parent
        quiet(agent, "Ptrace Attach To Another Process", lambda a: by_name(h)(a) or by_name(r)(a),
              "traceme and the stop-the-world pattern")
    finally:
        t.cleanup()


# --- searches and tools --------------------------------------------------------------------

@case(PREFIX + "private-key-search")
def t_key_search(agent):
    rule = "Search For Private Keys Or Cloud Secrets"
    t = Tools()
    try:
        t.file("a/notes.txt", "hello\n")
        pid = run(["find", t.dir, "-name", "id_rsa"])
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "find", "proc.cmdline": "find %s -name id_rsa" % t.dir})
        pid = run(["grep", "-r", "BEGIN OPENSSH PRIVATE KEY", t.dir], check=False)
        agent.wait_alert(rule, by_pid(pid))
        pid = run(["busybox", "grep", "-ri", "aws_secret_access_key", t.dir], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        eq(a["output_fields"]["proc.name"], "busybox", "proc.name")
        pid = run(["find", t.dir, "-iname", "*.PEM"])
        agent.wait_alert(rule, by_pid(pid))
        # the same searches written other ways: PEM headers as patterns, key names as globs
        for args in (["grep", "-r", "-e", "-----BEGIN", t.dir], ["grep", "-rl", "OPENSSH", t.dir],
                     ["grep", "-rlE", "PRIV[A]TE KEY", t.dir], ["grep", "-rP", "PRIVATE\\s+KEY", t.dir],
                     ["find", t.dir, "-name", "*_ed25519"], ["find", t.dir, "-regex", ".*id_[rde]+.*"],
                     ["find", t.dir, "-name", "credentials"]):
            pid = run(args, check=False)
            agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "private-key-search-benign")
def t_key_search_benign(agent):
    t = Tools()
    try:
        t.file("a/notes.txt", "hello\n")
        pids = [run(["grep", "-r", "hello", t.dir]), run(["find", t.dir, "-name", "notes.txt"]),
                run(["grep", "-r", "pemberton", t.dir], check=False),
                run(["grep", "-r", "private beta", t.dir], check=False),
                run(["grep", "-r", "credentials", t.dir], check=False)]
        quiet(agent, "Search For Private Keys Or Cloud Secrets", lambda a: a["output_fields"]["proc.pid"] in pids,
              "ordinary searches")
    finally:
        t.cleanup()


@case(PREFIX + "password-search")
def t_password_search(agent):
    rule = "Search For Passwords In Files"
    t = Tools()
    try:
        t.file("a/app.conf", "password = hunter2\n")
        pid = run(["grep", "-rni", "PASSWORD", t.dir])
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "grep"})
        pid = run(["find", t.dir, "-name", "*secret*"])
        agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "password-search-benign")
def t_password_search_benign(agent):
    t = Tools()
    try:
        t.file("a/app.conf", "password = hunter2\n")
        pids = [run(["grep", "-rn", "hunter", t.dir]), run(["grep", "root", "/etc/passwd"])]
        quiet(agent, "Search For Passwords In Files", lambda a: a["output_fields"]["proc.pid"] in pids,
              "searches without a password pattern")
    finally:
        t.cleanup()


@case(PREFIX + "dumping-tool")
def t_dumping(agent):
    rule = "Credential Dumping Tool Executed"
    t = Tools()
    try:
        tool = t.tool("lazagne", os.path.join(TOP, BUILD, "helpers", "vg_helper"))
        pid = run([tool, "all"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "lazagne", "proc.exepath": tool})
        script = t.file("tools/laZagne.py", "")
        pid = run([sys.executable, script, "all"])
        a = agent.wait_alert(rule, by_pid(pid))
        eq(a["output_fields"]["proc.cmdline"].split()[1], script, "script argument")
        sh = t.file("tools/mimipenguin.sh", "")
        pid = run(["sh", sh])
        agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "dumping-tool-benign")
def t_dumping_benign(agent):
    t = Tools()
    try:
        script = t.file("tools/johnson_report.py", "")
        pids = [run([sys.executable, script, "john"]), run(["sh", "-c", "echo lazagne"])]
        quiet(agent, "Credential Dumping Tool Executed", lambda a: a["output_fields"]["proc.pid"] in pids,
              "scripts that only mention the names")
    finally:
        t.cleanup()


def main():
    require_root()
    agent = Agent("--json", "--preset", "all", marker=True)
    try:
        for name, fn in sorted(globals().items()):
            if name.startswith("t_") and callable(fn):
                fn(agent)
    finally:
        agent.stop()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
