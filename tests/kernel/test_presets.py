"""test_presets.py - properties every preset pack must have, and the packs on
ordinary work:

- the packs load with no error and no warning, every rule carries a maturity,
  MITRE tactic and technique, host/container and enforce-safety tags, an
  allowlist, and (unless stable) is disabled by default; there are at least 60;
- every rule has a trigger test (its name appears in a test_preset_*.py);
- docs/presets.md shows exactly what `vigil presets list --markdown` prints;
- an idle machine raises no alert from any pack;
- building the project from a fresh copy and running its unit tests, with the
  stable packs loaded in enforce mode, raises no stable alert and kills nothing.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Agent, TOP, VIGIL, case, eq, require_root, results  # noqa: E402

PRESETS = os.path.join(TOP, "presets")


def preset_rules():
    """(pack, rule name, tags, enabled, condition) from `vigil rules list`-independent parsing"""
    out = subprocess.run([VIGIL, "presets", "list", "--markdown"], capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError("vigil presets list failed: " + out.stderr)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows.append(cells)
    return rows, out.stdout


@case("presets-load-clean")
def t_load():
    p = subprocess.run([VIGIL, "rules", "validate", PRESETS], capture_output=True, text=True)
    eq(p.returncode, 0, "validate status: " + p.stderr)
    if p.stderr.strip():
        raise AssertionError("warnings:\n" + p.stderr)


@case("presets-rule-metadata")
def t_metadata():
    listing = subprocess.run([VIGIL, "rules", "list", "--json", "-r", PRESETS], capture_output=True, text=True)
    eq(listing.returncode, 0, "rules list")
    rules = json.loads(listing.stdout)
    if len(rules) < 60:
        raise AssertionError("only %d rules in the packs" % len(rules))
    problems = []
    for r in rules:
        name, tags = r["name"], r["tags"]
        mat = [t for t in tags if t.startswith("maturity_")]
        if len(mat) != 1:
            problems.append("%s: maturity tags %r" % (name, mat))
        elif (mat[0] == "maturity_stable") != r["enabled"]:
            problems.append("%s: %s but enabled=%s" % (name, mat[0], r["enabled"]))
        if r["enforce"] != "none" and "enforce_safe" not in tags:
            problems.append(name + ": enforces but is not tagged enforce_safe")
        if not any(t.startswith("mitre_") for t in tags):
            problems.append(name + ": no mitre_ tactic")
        if not any(re.match(r"^(T|TA)\d{4}", t) for t in tags):
            problems.append(name + ": no MITRE technique id")
        if "host" not in tags and "container" not in tags:
            problems.append(name + ": neither host nor container")
        if ("enforce_safe" in tags) == ("enforce_unsafe" in tags):
            problems.append(name + ": needs exactly one of enforce_safe / enforce_unsafe")
        if r["all_types"]:
            problems.append(name + ": no event type restriction")
    for path in glob.glob(os.path.join(PRESETS, "[!_]*.yaml")):
        text = open(path).read()
        for block in re.split(r"\n(?=- )", text):
            m = re.match(r"- rule: (.+)", block)
            if m and "user_known_" not in block:
                problems.append("%s: no user_known_ allowlist" % m.group(1).strip())
    if problems:
        raise AssertionError("; ".join(problems[:20]))


@case("presets-every-rule-has-a-trigger-test")
def t_tests():
    rows, _ = preset_rules()
    tests = "".join(open(p).read() for p in glob.glob(os.path.join(TOP, "tests", "kernel", "test_preset_*.py")))
    missing = [r[1] for r in rows if r[1] not in tests]
    if missing:
        raise AssertionError("no test names: " + ", ".join(missing))


@case("presets-docs-table-current")
def t_docs():
    _, table = preset_rules()
    doc = open(os.path.join(TOP, "docs", "presets.md")).read()
    if table not in doc:
        raise AssertionError("docs/presets.md is not current: regenerate its table with "
                             "'build/vigil presets list --markdown'")


@case("presets-idle-machine-no-alerts")
def t_idle():
    agent = Agent("--json", "--preset", "all")
    try:
        time.sleep(10)
        alerts = ["%s: %s" % (a["rule"], a["output"]) for a in agent.alerts()]
        eq(alerts, [], "alerts on an idle machine")
    finally:
        agent.stop()


@case("presets-build-and-tests-quiet-and-unharmed-in-enforce-mode")
def t_ordinary_work():
    work = tempfile.mkdtemp(prefix="vigil-fp-", dir=os.path.join(TOP, "build"))
    agent = Agent("--json", "--enforce", "--control-socket", os.path.join(work, "control.sock"))
    try:
        clone = os.path.join(work, "src")
        subprocess.run(["git", "clone", "-q", TOP, clone], check=True)
        # the shared reference files sit beside the checkout
        shared = os.path.join(TOP, "..", "shared")
        if os.path.isdir(shared) and not os.path.exists(os.path.join(work, "shared")):
            os.symlink(os.path.realpath(shared), os.path.join(work, "shared"))
        build = subprocess.run(["make", "-j2", "all", "tests-build"], cwd=clone, capture_output=True, text=True)
        eq(build.returncode, 0, "build status (killed?): " + build.stderr[-500:])
        unit = subprocess.run(["sh", "tests/run-all.sh", "--unit"], cwd=clone, capture_output=True, text=True)
        if unit.returncode != 0:
            raise AssertionError("unit tests failed under enforcement: " + unit.stdout[-800:])
        time.sleep(1)
        stable = [(a["rule"], a.get("enforcement")) for a in agent.alerts()
                  if "maturity_stable" in a.get("tags", [])]
        eq(stable, [], "stable alerts during ordinary work")
    finally:
        agent.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    require_root()
    for t in (t_load, t_metadata, t_tests, t_docs, t_idle, t_ordinary_work):
        t()
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
