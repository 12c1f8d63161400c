"""test_preset_persistence.py - the persistence pack on real activity.

For every rule: the change it describes is made for real by processes the test
starts (a uniquely named copy of a helper, or a real account tool whose pid is
known), through the ways attackers make it (open for writing or appending,
openat relative to the directory, rename into place, symlink), and must raise
that rule's alert with the fields an analyst needs; a near miss must not.

Where a system path is the point, the test creates a uniquely named file there
(with a name the consuming daemon ignores where possible, and never with
content that does anything) and removes it, and any directory it had to create,
in `finally`. /etc/passwd and /etc/ld.so.preload are only opened for appending,
never written; ld.so.preload is removed again if it did not exist. Test users
have unique names and are deleted.
"""
import glob
import os
import shutil
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, Scratch, TOP, BUILD, case, eq, require_root, results  # noqa: E402
from preset_tools import Tools, VG_HELPER, any_of, by_name, by_pid, fields, on, quiet, run  # noqa: E402

PREFIX = "preset-persistence-"


class SystemPaths:
    """unique names in system directories; remove() deletes them and every directory
    that had to be created for them"""

    def __init__(self):
        self.paths = []
        self.made = []

    def name(self, directory, prefix="vigil-test-", suffix=""):
        missing = []
        d = directory
        while not os.path.isdir(d):
            missing.insert(0, d)
            d = os.path.dirname(d)
        for m in missing:
            os.mkdir(m, 0o755)
            self.made.append(m)
        p = os.path.join(directory, prefix + uuid.uuid4().hex[:8] + suffix)
        self.paths.append(p)
        return p

    def remove(self):
        for p in self.paths:
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass
        for m in reversed(self.made):
            try:
                os.rmdir(m)
            except OSError:
                pass


class TestUser:
    """a uniquely named account, deleted (with any home directory) by remove()"""

    def __init__(self):
        self.name = "vgt-" + uuid.uuid4().hex[:8]

    def remove(self):
        subprocess.run(["userdel", "-r", self.name], capture_output=True)
        subprocess.run(["groupdel", self.name], capture_output=True)


# --- cron and at ------------------------------------------------------------------------

@case(PREFIX + "cron-write")
def t_cron(agent):
    rule = "Write Cron Configuration"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        job = sp.name("/etc/cron.d")
        run([w, "write", job, "# vigil test, does nothing\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": job, "proc.exepath": w, "container.id": "host"})
        # through /proc/PID/root, as a container with the host's pid namespace reaches the host
        job2 = sp.name("/etc/cron.d")
        via_root = "/proc/self/root" + job2
        run([w, "append", via_root])
        agent.wait_alert(rule, on(w, "fd.name", job2))  # fd.name: the file the kernel opened
        # a user crontab in the spool, appended through openat2
        tab = sp.name("/var/spool/cron/crontabs")
        run([w, "append", tab, "openat2"])
        agent.wait_alert(rule, on(w, "fd.name", tab))
        # written elsewhere and moved into place
        tmp = sp.name("/etc", prefix=".vigil-test-")
        with open(tmp, "w") as f:
            f.write("# vigil test\n")
        moved = sp.name("/etc/cron.d")
        m = t.tool()
        run([m, "rename", tmp, moved])
        a = agent.wait_alert(rule, by_name(m))
        fields(a, {"evt.type": "rename", "evt.abspath.dst": moved})
        # a symlink dropped into cron.daily
        h = t.tool(src=VG_HELPER)
        link = sp.name("/etc/cron.daily")
        run([h, "symlink", "/nonexistent-vigil-test", link])
        a = agent.wait_alert(rule, by_name(h))
        eq(a["output_fields"]["evt.abspath"], link, "evt.abspath")
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "cron-write-benign")
def t_cron_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", t.path("etc/cron.d/job"), "x"])
        run([w, "write", t.path("var/spool/cron/crontabs/root"), "x"])
        run([w, "read", "/etc/cron.daily/" + sorted(os.listdir("/etc/cron.daily"))[0]])
        quiet(agent, "Write Cron Configuration", by_name(w), "scratch cron-like files, reading a job")
    finally:
        t.cleanup()


@case(PREFIX + "crontab-other-user")
def t_crontab(agent):
    rule = "Crontab Edits Another User's Table"
    t = Tools()
    try:
        crontab = t.tool("crontab", VG_HELPER)
        pid = run([crontab, "-u", "nobody", "-"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "crontab", "proc.cmdline": "crontab -u nobody -", "user.name": "root"})
        pid = run([crontab, "-unobody", "-e"], check=False)
        agent.wait_alert(rule, by_pid(pid))
    finally:
        t.cleanup()


@case(PREFIX + "crontab-other-user-benign")
def t_crontab_benign(agent):
    t = Tools()
    try:
        crontab = t.tool("crontab", VG_HELPER)
        pids = [run([crontab, "-u", "nobody", "-l"], check=False),   # only listing
                run([crontab, "-u", "root", "-e"], check=False),     # root's own table
                run([crontab, "-e"], check=False)]
        quiet(agent, "Crontab Edits Another User's Table", lambda a: a["output_fields"]["proc.pid"] in pids,
              "listing, own table")
    finally:
        t.cleanup()


@case(PREFIX + "at-job")
def t_at(agent):
    rule = "At Job Scheduled"
    t = Tools()
    sp = SystemPaths()
    try:
        at = t.tool("at", VG_HELPER)
        pid = run([at, "now", "+", "1", "minute"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "at", "evt.type": "execve"})
        pid = run([t.tool("batch", VG_HELPER)], check=False)
        agent.wait_alert(rule, by_pid(pid))
        # a job file written straight into the spool (the name is not one atd would run)
        w = t.tool()
        job = sp.name("/var/spool/cron/atjobs")
        run([w, "write", job, "# vigil test\n"])
        agent.wait_alert(rule, on(w, "fd.name", job))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "at-job-benign")
def t_at_benign(agent):
    t = Tools()
    sp = SystemPaths()
    try:
        at = t.tool("at", VG_HELPER)
        pids = [run([at, "-l"], check=False), run([at, "-d", "3"], check=False),
                run([t.tool("atq", VG_HELPER)], check=False)]
        atd = t.tool("atd")
        run([atd, "write", sp.name("/var/spool/cron/atjobs"), "x"])
        quiet(agent, "At Job Scheduled", lambda a: a["output_fields"]["proc.pid"] in pids or by_name(atd)(a),
              "listing and removing jobs, atd in its spool")
    finally:
        sp.remove()
        t.cleanup()


# --- systemd and init scripts ---------------------------------------------------------------

@case(PREFIX + "systemd-unit")
def t_systemd(agent):
    rule = "Systemd Unit Created Or Modified"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        unit = sp.name("/etc/systemd/system", suffix=".service")
        run([w, "write", unit, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": unit, "proc.exepath": w})
        # enabling by symlink (here: a mask to /dev/null)
        h = t.tool(src=VG_HELPER)
        link = sp.name("/etc/systemd/system", suffix=".timer")
        run([h, "symlink", "/dev/null", link])
        a = agent.wait_alert(rule, by_name(h))
        eq(a["output_fields"]["evt.abspath"], link, "evt.abspath")
        # the manager's own configuration, its shutdown hooks and the environment it hands units
        for d in ("/etc/systemd/system.conf.d", "/usr/lib/systemd/system-shutdown", "/etc/environment.d"):
            f = sp.name(d, suffix=".conf")
            run([w, "write", f, "# vigil test\n"])
            agent.wait_alert(rule, on(w, "fd.name", os.path.realpath(f)))
        user_env = t.path("home/u/.config/environment.d/path.conf")
        run([w, "write", user_env, "PATH=/tmp/x:$PATH\n"])
        agent.wait_alert(rule, on(w, "fd.name", user_env))
        # a user unit, no root needed
        user_timer = t.path("home/u/.config/systemd/user/backdoor.timer")
        run([w, "write", user_timer, "[Timer]\n"])
        agent.wait_alert(rule, on(w, "fd.name", user_timer))
        # written next to it and renamed into place
        tmp = t.file("home/u/.config/systemd/user/.tmp-unit", "[Service]\n")
        m = t.tool()
        run([m, "rename", tmp, t.path("home/u/.config/systemd/user/backdoor.service")])
        a = agent.wait_alert(rule, by_name(m))
        eq(a["output_fields"]["evt.type"], "rename", "evt.type")
        # a timer from the command line, and a unit file from elsewhere linked in
        pid = run([t.tool("systemd-run", VG_HELPER), "--on-calendar=hourly", "/usr/bin/id"], check=False)
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.cmdline": "systemd-run --on-calendar=hourly /usr/bin/id"})
        pid = run([t.tool("systemctl", VG_HELPER), "link", "/var/tmp/updater.service"], check=False)
        agent.wait_alert(rule, by_pid(pid))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "systemd-unit-benign")
def t_systemd_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", t.path("etc/systemd/system/x.service"), "x"])
        run([w, "write", t.path("home/u/.config/systemd-backup/user/x.service"), "x"])
        run([w, "read", "/lib/systemd/system/" + sorted(os.listdir("/lib/systemd/system"))[0]])
        pids = [run([t.tool("systemd-run", VG_HELPER), "--wait", "/usr/bin/id"], check=False),
                run([t.tool("systemctl", VG_HELPER), "enable", "ssh.service"], check=False)]
        quiet(agent, "Systemd Unit Created Or Modified", any_of(by_name(w), lambda a: a["output_fields"]["proc.pid"] in pids),
              "scratch units, reading a unit, a one-off systemd-run, enabling a unit by name")
    finally:
        t.cleanup()


@case(PREFIX + "init-script")
def t_init(agent):
    rule = "Init Script Or rc.local Modified"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        script = sp.name("/etc/init.d")
        run([w, "write", script, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": script})
        h = t.tool(src=VG_HELPER)
        link = sp.name("/etc/rc2.d", prefix="S99vigil-test-")
        run([h, "symlink", "../init.d/" + os.path.basename(script), link])
        a = agent.wait_alert(rule, by_name(h))
        eq(a["output_fields"]["evt.abspath"], link, "evt.abspath")
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "init-script-benign")
def t_init_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", t.path("etc/init.d/x"), "x"])
        run([w, "write", t.path("etc/rc.local"), "x"])
        run([w, "read", "/etc/init.d/" + sorted(os.listdir("/etc/init.d"))[0]])
        quiet(agent, "Init Script Or rc.local Modified", by_name(w), "scratch init files, reading a script")
    finally:
        t.cleanup()


# --- shell start-up files -------------------------------------------------------------------------

@case(PREFIX + "shell-profile")
def t_profile(agent):
    rule = "Shell Profile Modified"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        bashrc = t.file("home/u/.bashrc", "# user's\n")
        run([w, "append", bashrc])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": bashrc, "proc.exepath": w})
        aliases = t.path("home/u/.bash_aliases")
        run([w, "append", aliases, "openat2"])
        agent.wait_alert(rule, on(w, "fd.name", aliases))
        zshrc = t.path("home/u/.zshrc")
        run([w, "append", zshrc, "openat"])
        agent.wait_alert(rule, on(w, "fd.name", zshrc))
        # sed -i style: a temporary file renamed over .profile
        tmp = t.file("home/u/sedX1234", "x\n")
        m = t.tool()
        run([m, "rename", tmp, t.path("home/u/.profile")])
        a = agent.wait_alert(rule, by_name(m))
        fields(a, {"evt.type": "rename", "evt.abspath.dst": t.path("home/u/.profile")})
        # a system-wide one (no .sh suffix, so login shells do not source it)
        drop = sp.name("/etc/profile.d")
        run([w, "write", drop, "# vigil test\n"])
        agent.wait_alert(rule, on(w, "fd.name", drop))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "shell-profile-benign")
def t_profile_benign(agent):
    rule = "Shell Profile Modified"
    t = Tools()
    u = TestUser()
    try:
        w = t.tool()
        run([w, "write", t.path("home/u/.bashrc.bak"), "x"])
        run([w, "read", t.file("home/u/.profile")])
        # useradd -m copies /etc/skel's .bashrc and .profile into the new home
        pid = run(["useradd", "-m", u.name])
        quiet(agent, rule, any_of(by_name(w), by_pid(pid)), "a backup file, reading, useradd -m")
        if not os.path.exists(os.path.join("/home", u.name, ".bashrc")):
            raise AssertionError("useradd -m did not copy .bashrc (the near miss did not happen)")
    finally:
        u.remove()
        t.cleanup()


# --- SSH -------------------------------------------------------------------------------------

@case(PREFIX + "authorized-keys")
def t_authorized_keys(agent):
    rule = "SSH Authorized Keys Modified"
    t = Tools()
    try:
        w = t.tool()
        keys = t.file("home/u/.ssh/authorized_keys", "ssh-ed25519 AAAA user@host\n")
        run([w, "append", keys])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": keys, "proc.exepath": w, "user.uid": 0})
        tmp = t.file("home/u/.ssh/.new", "ssh-ed25519 AAAA attacker\n")
        m = t.tool()
        run([m, "rename", tmp, t.path("home/u/.ssh/authorized_keys2")])
        a = agent.wait_alert(rule, by_name(m))
        eq(a["output_fields"]["evt.abspath.dst"], t.path("home/u/.ssh/authorized_keys2"), "evt.abspath.dst")
        w2 = t.tool()
        new = t.path("home/v/.ssh/authorized_keys")
        run([w2, "append", new, "openat2"])
        agent.wait_alert(rule, on(w2, "fd.name", new))
    finally:
        t.cleanup()


@case(PREFIX + "authorized-keys-benign")
def t_authorized_keys_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", t.path("home/u/.ssh/known_hosts"), "x"])
        run([w, "read", t.file("home/u/.ssh/authorized_keys")])
        agent_tool = t.tool("google_guest_agent")     # the cloud's account agent managing keys
        run([agent_tool, "append", t.path("home/u/.ssh/authorized_keys")])
        quiet(agent, "SSH Authorized Keys Modified", any_of(by_name(w), by_name(agent_tool)),
              "known_hosts, reading keys, the guest agent")
    finally:
        t.cleanup()


@case(PREFIX + "ssh-config")
def t_ssh_config(agent):
    rule = "SSH Configuration Modified"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        # no .conf suffix: ssh's Include of ssh_config.d/*.conf does not read it
        drop = sp.name("/etc/ssh/ssh_config.d")
        run([w, "write", drop, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": drop})
        rc = t.path("home/u/.ssh/rc")
        run([w, "append", rc, "openat"])
        agent.wait_alert(rule, on(w, "fd.name", rc))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "ssh-config-benign")
def t_ssh_config_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", t.path("home/u/.ssh/config"), "Host x\n"])   # a user's own client settings
        run([w, "write", t.path("etc/ssh/sshd_config"), "x"])
        run([w, "read", "/etc/ssh/ssh_config"])
        quiet(agent, "SSH Configuration Modified", by_name(w), "user client config, scratch, reading")
    finally:
        t.cleanup()


# --- ld.so.preload and accounts -------------------------------------------------------------

PRELOAD = "/etc/ld.so.preload"


@case(PREFIX + "ld-preload")
def t_preload(agent):
    rule = "Dynamic Linker Preload Configured"
    t = Tools()
    existed = os.path.exists(PRELOAD)
    tmp = "/etc/.vigil-test-" + uuid.uuid4().hex[:8]
    try:
        w = t.tool()
        run([w, "append", PRELOAD])      # opened for appending, nothing written
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": PRELOAD, "evt.arg.flags": "O_WRONLY|O_CREAT|O_APPEND"})
        if not existed:
            # an empty file moved into place, as mv would install a prepared one
            os.unlink(PRELOAD)
            open(tmp, "w").close()
            m = t.tool()
            run([m, "rename", tmp, PRELOAD])
            a = agent.wait_alert(rule, by_name(m))
            fields(a, {"evt.type": "rename", "evt.abspath.dst": PRELOAD})
    finally:
        if not existed and os.path.exists(PRELOAD) and os.path.getsize(PRELOAD) == 0:
            os.unlink(PRELOAD)
        if os.path.exists(tmp):
            os.unlink(tmp)
        t.cleanup()


@case(PREFIX + "ld-preload-benign")
def t_preload_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "append", t.path("etc/ld.so.preload")])
        run([w, "read", "/etc/ld.so.cache"])
        quiet(agent, "Dynamic Linker Preload Configured", by_name(w), "a scratch ld.so.preload, the cache")
    finally:
        t.cleanup()


@case(PREFIX + "user-account")
def t_user(agent):
    rule = "User Account Created Or Modified"
    u = TestUser()
    try:
        pid = run(["useradd", "-s", "/usr/sbin/nologin", u.name])
        a = agent.wait_alert(rule, by_pid(pid))
        fields(a, {"proc.name": "useradd", "proc.cmdline": "useradd -s /usr/sbin/nologin " + u.name})
        pid = run(["usermod", "-c", "vigil test", u.name])
        agent.wait_alert(rule, by_pid(pid))
        # other tools for the same: a shell and an expiry changed, a password removed, a group made
        for args in (["chsh", "-s", "/bin/sh", u.name], ["chage", "-E", "-1", u.name], ["passwd", "-d", u.name],
                     ["groupadd", u.name + "g"], ["groupmod", "-n", u.name + "h", u.name + "g"]):
            pid = run(args)
            agent.wait_alert(rule, by_pid(pid))
    finally:
        subprocess.run(["groupdel", u.name + "h"], capture_output=True)
        subprocess.run(["groupdel", u.name + "g"], capture_output=True)
        u.remove()


@case(PREFIX + "user-account-benign")
def t_user_benign(agent):
    u = TestUser()
    try:
        subprocess.run(["useradd", u.name], check=True)
        pids = [run(["passwd", "-S", u.name]), run(["userdel", u.name]), run(["getent", "passwd", "root"])]
        quiet(agent, "User Account Created Or Modified", lambda a: a["output_fields"]["proc.pid"] in pids,
              "passwd -S, userdel and getent")
    finally:
        u.remove()


@case(PREFIX + "account-db-direct-write")
def t_account_db(agent):
    rule = "Account Database Written Directly"
    t = Tools()
    try:
        w = t.tool()
        run([w, "append", "/etc/passwd"])        # opened for appending, nothing written
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": "/etc/passwd", "proc.exepath": w})
        w2 = t.tool()
        run([w2, "append", "/etc/group", "openat"])
        agent.wait_alert(rule, on(w2, "fd.name", "/etc/group"))
        # a copy of an account tool outside the system directories is not trusted
        fake = t.tool("useradd")
        run([fake, "append", "/etc/shadow"])
        agent.wait_alert(rule, lambda a: a["output_fields"]["proc.exepath"] == fake)
    finally:
        t.cleanup()


@case(PREFIX + "account-db-direct-write-benign")
def t_account_db_benign(agent):
    t = Tools()
    u = TestUser()
    try:
        w = t.tool()
        run([w, "append", t.path("etc/passwd")])
        run([w, "read", "/etc/passwd"])
        pid = run(["useradd", u.name])       # the account tool writes all four files
        quiet(agent, "Account Database Written Directly", any_of(by_name(w), by_pid(pid)),
              "a scratch passwd, reading, useradd")
    finally:
        u.remove()
        t.cleanup()


# --- udev, modules, login hooks --------------------------------------------------------------

@case(PREFIX + "udev-rule")
def t_udev(agent):
    rule = "Udev Rule Created Or Modified"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        # no .rules suffix: udev ignores the file even if it reloads
        r = sp.name("/etc/udev/rules.d")
        run([w, "write", r, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": r})
        r2 = sp.name("/lib/udev/rules.d")
        run([w, "append", r2, "openat"])
        # on a merged-/usr system /lib links to /usr/lib, where the kernel finds the file
        agent.wait_alert(rule, on(w, "fd.name", os.path.realpath(r2)))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "udev-rule-benign")
def t_udev_benign(agent):
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        run([w, "write", t.path("etc/udev/rules.d/99-x.rules"), "x"])
        run([w, "read", "/lib/udev/rules.d/" + sorted(os.listdir("/lib/udev/rules.d"))[0]])
        adm = t.tool("udevadm")
        run([adm, "write", sp.name("/run/udev/rules.d"), "x"])
        quiet(agent, "Udev Rule Created Or Modified", any_of(by_name(w), by_name(adm)),
              "scratch rules, reading, udevadm")
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "module-config")
def t_modules(agent):
    rule = "Kernel Module Load Configuration Modified"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        # no .conf suffix: neither systemd-modules-load nor modprobe reads the file
        f = sp.name("/etc/modules-load.d")
        run([w, "write", f, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": f})
        f2 = sp.name("/etc/modprobe.d")
        run([w, "append", f2, "openat2"])
        agent.wait_alert(rule, on(w, "fd.name", f2))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "module-config-benign")
def t_modules_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "read", "/etc/modules"])
        run([w, "write", t.path("etc/modprobe.d/x.conf"), "x"])
        quiet(agent, "Kernel Module Load Configuration Modified", by_name(w), "reading, scratch")
    finally:
        t.cleanup()


@case(PREFIX + "login-hook")
def t_login_hook(agent):
    rule = "Login Hook Script Added"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        # not executable: run-parts skips it at login
        motd = sp.name("/etc/update-motd.d", prefix="99-vigil-test-")
        run([w, "write", motd, "# vigil test\n"])
        a = agent.wait_alert(rule, by_name(w))
        fields(a, {"fd.name": motd})
        desktop = t.path("home/u/.config/autostart/updater.desktop")
        run([w, "write", desktop, "[Desktop Entry]\n"])
        agent.wait_alert(rule, on(w, "fd.name", desktop))
        xs = t.path("home/u/.xsessionrc")
        run([w, "append", xs, "openat"])
        agent.wait_alert(rule, on(w, "fd.name", xs))
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "login-hook-benign")
def t_login_hook_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "write", t.path("home/u/.config/autostart-notes/x.desktop"), "x"])
        run([w, "write", t.path("home/u/.local/share/applications/x.desktop"), "x"])
        run([w, "read", "/etc/update-motd.d/" + sorted(os.listdir("/etc/update-motd.d"))[0]])
        quiet(agent, "Login Hook Script Added", by_name(w), "other desktop files, reading motd")
    finally:
        t.cleanup()


# --- hooks other programs run -------------------------------------------------------------

@case(PREFIX + "hook-script")
def t_hook(agent):
    rule = "Hook Script Or Loader Configuration Added"
    t = Tools()
    sp = SystemPaths()
    try:
        w = t.tool()
        # an apt hook, a logrotate script, a library path (comments only: nothing runs or loads them)
        for d in ("/etc/apt/apt.conf.d", "/etc/logrotate.d", "/etc/ld.so.conf.d"):
            f = sp.name(d)
            run([w, "write", f, "# vigil test\n"])
            a = agent.wait_alert(rule, on(w, "fd.name", f))
            fields(a, {"proc.exepath": w, "container.id": "host"})
        # a .pth file in the system Python's site directory, appended through openat2
        site = sorted(glob.glob("/usr/local/lib/python3*/dist-packages"))[0]
        pth = sp.name(site, suffix=".pth")
        run([w, "append", pth, "openat2"])
        agent.wait_alert(rule, on(w, "fd.name", pth))
        # a network hook written elsewhere and moved into place
        tmp = t.file("if-up-hook", "#!/bin/sh\n")
        hook = sp.name("/etc/network/if-up.d")
        m = t.tool()
        run([m, "rename", tmp, hook])
        a = agent.wait_alert(rule, by_name(m))
        fields(a, {"evt.type": "rename", "evt.abspath.dst": hook})
    finally:
        sp.remove()
        t.cleanup()


@case(PREFIX + "hook-script-benign")
def t_hook_benign(agent):
    t = Tools()
    try:
        w = t.tool()
        run([w, "read", "/etc/apt/apt.conf.d/" + sorted(os.listdir("/etc/apt/apt.conf.d"))[0]])
        run([w, "write", t.path("venv/lib/python3.11/site-packages/x.pth"), "import os\n"])
        run([w, "write", t.path("etc/logrotate.d/app"), "# not the system's\n"])
        quiet(agent, "Hook Script Or Loader Configuration Added", by_name(w),
              "reading an apt hook, a virtualenv's .pth, a logrotate file in a scratch tree")
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
