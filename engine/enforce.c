/*
 * enforce.c - enforcement runtime: planning selectors, writing them into
 * the kernel one generation at a time, deciding and carrying out actions.
 *
 * Planning. Each branch of each enforcing rule (enforce_split.h) whose mode
 * is not off becomes one selector, plus one per live escalation, 64 at most.
 * Where a selector is checked depends on its action and the hooks this
 * kernel has: a deny of an open or exec uses the BPF LSM hooks when the
 * kernel has them and is a kill at syscall entry or exec otherwise; a deny
 * of a connect uses the cgroup connect hooks (EPERM); kills are checked at
 * syscall entry, and for execs on the new image before it runs.
 *
 * Writing. Map entries are gathered per key and merged (several selectors
 * may share a value); prefix entries also carry the bits of every shorter
 * prefix of theirs, because an LPM lookup returns only the longest match.
 * Then: write the inactive generation, store active_gen, delete the old
 * generation's keys.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "alerts.h"
#include "decode.h"
#include "enforce.h"
#include "event.h"
#include "evttype.h"
#include "fd_table.h"
#include "kernel_capture.h"
#include "pipeline.h"
#include "proc.h"
#include "util.h"
#include "vigil.skel.h"

#define PENDING_NS (100 * 1000000ull)   /* how long a kernel action waits for its rule's match */

const char *enforce_mode_name(enum enforce_mode m)
{
	return m == MODE_ENFORCE ? "enforce" : m == MODE_AUDIT ? "audit" : "off";
}

int enforce_mode_parse(const char *s)
{
	if (!strcmp(s, "off"))
		return MODE_OFF;
	if (!strcmp(s, "audit"))
		return MODE_AUDIT;
	if (!strcmp(s, "on") || !strcmp(s, "enforce"))
		return MODE_ENFORCE;
	return -1;
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static bool rule_has_tag(const struct rule_def *d, const char *tag)
{
	for (size_t i = 0; i < d->ntags; i++)
		if (!strcmp(d->tags[i], tag))
			return true;
	return false;
}

static enum enforce_mode effective_mode(const struct enforcer *e, const struct rule_def *d)
{
	enum enforce_mode m = e->global;

	for (size_t i = 0; i < e->nov; i++) {
		const struct mode_override *o = &e->ov[i];

		if (o->tag ? rule_has_tag(d, o->pattern) : fnmatch(o->pattern, d->name, 0) == 0)
			m = o->mode;
	}
	return m;
}

/* --- safety ---------------------------------------------------------------------------- */

static bool never_act_on(const struct enforcer *e, const struct proc *p)
{
	if (!p || p->pid <= 1 || p->pid == (uint32_t)getpid())
		return true;
	/* kernel threads have no executable */
	if (!p->exe[0] && !p->args_len)
		return true;
	for (size_t i = 0; i < e->nnever; i++) {
		const char *n = e->never[i];

		if (!strcmp(n, p->task.comm) || !strcmp(n, p->exe) || !strcmp(n, proc_exe_name(p)))
			return true;
	}
	for (size_t i = 0; i < e->nnever_cgroups; i++)
		if (p->task.cgroup_id == e->never_cgroups[i])
			return true;
	return false;
}

/* --- planning ---------------------------------------------------------------------------- */

struct plan {
	int rule, esc, branch;
	uint8_t action;
	uint8_t slots[(VG_SEL_SLOTS + 7) / 8];
	const struct sel_pred *preds;
	size_t npreds;
	struct sel_pred owned[3];            /* escalations' own predicates */
};

static void slot_set(uint8_t *s, int slot)
{
	s[slot / 8] |= 1 << (slot % 8);
}

static bool is_open_nr(int nr)
{
	return nr == SYS_open || nr == SYS_openat || nr == SYS_openat2 || nr == SYS_creat;
}

/* where a branch is checked, given its action and this kernel's hooks */
static void place(struct plan *pl, const uint8_t *types, bool lsm, bool cgroup_connect)
{
	bool deny = pl->action == VG_ACT_DENY || pl->action == VG_ACT_AUDIT_DENY;

	for (int id = 0; id < VG_MAX_SYSCALLS; id++) {
		if (!(types[id / 8] & (1 << (id % 8))))
			continue;
		if (id == SYS_execve || id == SYS_execveat)
			slot_set(pl->slots, deny && lsm ? VG_HOOK_BPRM_CHECK : VG_HOOK_EXEC);
		else if (deny && lsm && is_open_nr(id))
			slot_set(pl->slots, VG_HOOK_FILE_OPEN);
		else if (deny && id == SYS_connect && (cgroup_connect || lsm))
			slot_set(pl->slots, VG_HOOK_CONNECT);
		else
			slot_set(pl->slots, id);
	}
}

static uint8_t action_for(enum enforce_action a, enum enforce_mode m, bool kernel_only)
{
	if (m == MODE_OFF)
		return VG_ACT_NONE;
	if (!kernel_only)
		return VG_ACT_USERSPACE;
	if (m == MODE_AUDIT)
		return a == ENFORCE_DENY ? VG_ACT_AUDIT_DENY : VG_ACT_AUDIT_KILL;
	return a == ENFORCE_DENY ? VG_ACT_DENY : VG_ACT_KILL;
}

static int plan_all(struct enforcer *e, struct plan *pl, size_t *n)
{
	bool lsm = e->k && e->k->lsm, cg = e->k && e->k->connect4;

	*n = 0;
	for (size_t r = 0; r < e->nrules; r++) {
		struct enforcing_rule *er = &e->rules[r];

		for (size_t b = 0; b < er->split.nbranches; b++) {
			const struct sel_branch *br = &er->split.branches[b];
			uint8_t act = action_for(er->action, er->mode, br->nrest == 0);

			if (act == VG_ACT_NONE)
				continue;
			if (*n >= VG_SEL_MAX) {
				vg_snprintf(e->error, sizeof(e->error),
					    "enforcing rules need more than %d kernel selectors (rule '%s')", VG_SEL_MAX,
					    er->name);
				return -1;
			}
			struct plan *p = &pl[(*n)++];

			memset(p, 0, sizeof(*p));
			p->rule = r;
			p->esc = -1;
			p->branch = b;
			p->action = act;
			p->preds = br->preds;
			p->npreds = br->npreds;
			place(p, br->types, lsm, cg);
		}
	}
	for (size_t i = 0; i < e->nesc && *n < VG_SEL_MAX; i++) {
		struct escalation *x = &e->esc[i];
		int r = -1;

		for (size_t k = 0; k < e->nrules; k++)
			if (!strcmp(e->rules[k].name, x->rule))
				r = k;
		if (r < 0 || e->rules[r].mode != MODE_ENFORCE)
			continue;
		struct plan *p = &pl[(*n)++];
		size_t np = 0;

		memset(p, 0, sizeof(*p));
		p->rule = r;
		p->esc = i;
		p->action = e->rules[r].action == ENFORCE_DENY ? VG_ACT_DENY : VG_ACT_KILL;
		slot_set(p->slots, x->slot);
		p->owned[np].dim = VG_DIM_EXE;
		p->owned[np].strs = &x->exe;
		p->owned[np++].nstrs = 1;
		if (x->path) {
			p->owned[np].dim = VG_DIM_PATH;
			p->owned[np].strs = &x->path;
			p->owned[np++].nstrs = 1;
		}
		if (x->have_addr) {
			p->owned[np].dim = VG_DIM_DADDR;
			p->owned[np].nets = &x->addr;
			p->owned[np++].nnets = 1;
		}
		p->preds = p->owned;
		p->npreds = np;  /* an address escalation's port is added by write_generation */
	}
	return 0;
}

/* --- map entries ------------------------------------------------------------------------- */

struct sentry {
	uint8_t dim;
	char *s;                /* not owned */
	uint64_t pos, neg;
};

struct nentry {
	uint8_t dim;
	uint64_t v, pos, neg;
};

struct netentry {
	struct ipnet net;
	uint64_t pos, neg;
};

struct entries {
	struct sentry *str, *lpm;
	size_t nstr, nlpm, capstr, caplpm;
	struct nentry *num;
	size_t nnum, capnum;
	struct netentry *net;
	size_t nnet, capnet;
};

static bool lpm_dim(int dim)
{
	return dim == VG_DIM_EXE_PREFIX || dim == VG_DIM_PATH_PREFIX || dim == VG_DIM_PATH_SUFFIX;
}

static void add_pred(struct entries *en, const struct sel_pred *p, uint64_t bit)
{
	uint64_t pos = p->negate ? 0 : bit, neg = p->negate ? bit : 0;

	for (size_t i = 0; i < p->nstrs; i++) {
		if (lpm_dim(p->dim)) {
			vg_grow(&en->lpm, &en->caplpm, en->nlpm + 1, sizeof(*en->lpm));
			en->lpm[en->nlpm++] = (struct sentry){ p->dim, p->strs[i], pos, neg };
		} else {
			vg_grow(&en->str, &en->capstr, en->nstr + 1, sizeof(*en->str));
			en->str[en->nstr++] = (struct sentry){ p->dim, p->strs[i], pos, neg };
		}
	}
	for (size_t i = 0; i < p->nnums; i++) {
		vg_grow(&en->num, &en->capnum, en->nnum + 1, sizeof(*en->num));
		en->num[en->nnum++] = (struct nentry){ p->dim, p->nums[i], pos, neg };
	}
	for (size_t i = 0; i < p->nnets; i++) {
		vg_grow(&en->net, &en->capnet, en->nnet + 1, sizeof(*en->net));
		en->net[en->nnet++] = (struct netentry){ p->nets[i], pos, neg };
	}
}

static int cmp_sentry(const void *a, const void *b)
{
	const struct sentry *x = a, *y = b;

	return x->dim != y->dim ? x->dim - y->dim : strcmp(x->s, y->s);
}

static int cmp_nentry(const void *a, const void *b)
{
	const struct nentry *x = a, *y = b;

	if (x->dim != y->dim)
		return x->dim - y->dim;
	return x->v < y->v ? -1 : x->v > y->v;
}

static size_t merge_str(struct sentry *v, size_t n)
{
	size_t o = 0;

	qsort(v, n, sizeof(*v), cmp_sentry);
	for (size_t i = 0; i < n; i++) {
		if (o && v[o - 1].dim == v[i].dim && !strcmp(v[o - 1].s, v[i].s)) {
			v[o - 1].pos |= v[i].pos;
			v[o - 1].neg |= v[i].neg;
		} else {
			v[o++] = v[i];
		}
	}
	return o;
}

/* suffixes are matched as prefixes of the reversed path */
static void reverse_into(char *dst, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		dst[i] = s[n - 1 - i];
	dst[n] = 0;
}

/* give every prefix entry the bits of its shorter prefixes (sorted input: ancestors come first) */
static void lpm_inherit(struct sentry *v, size_t n, char **keys)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (v[j].dim == v[i].dim && str_starts(keys[i], keys[j])) {
				v[i].pos |= v[j].pos;
				v[i].neg |= v[j].neg;
			}
}

static bool net_contains_net(const struct ipnet *outer, const struct ipnet *inner)
{
	if (outer->addr.family != inner->addr.family || outer->prefix > inner->prefix)
		return false;
	int full = outer->prefix / 8, rest = outer->prefix % 8;

	if (memcmp(outer->addr.a, inner->addr.a, full))
		return false;
	return !rest || !((outer->addr.a[full] ^ inner->addr.a[full]) & (0xff << (8 - rest)));
}

/* --- writing a generation ---------------------------------------------------------------------- */

struct written {
	void *keys;
	size_t n, cap, size;
};

static struct written wrote[2][4];  /* per generation: str, lpm, num, net keys written */

static int put(int fd, struct written *w, const void *key, size_t ksize, const struct vg_sel_bits *bits)
{
	if (bpf_map_update_elem(fd, key, bits, BPF_ANY) < 0)
		return -errno;
	w->size = ksize;
	vg_grow(&w->keys, &w->cap, w->n + 1, ksize);
	memcpy((char *)w->keys + w->n * ksize, key, ksize);
	w->n++;
	return 0;
}

static void forget(int fd, struct written *w)
{
	for (size_t i = 0; i < w->n; i++)
		bpf_map_delete_elem(fd, (char *)w->keys + i * w->size);
	w->n = 0;
}

static int map_fds(struct enforcer *e, int fds[4])
{
	fds[0] = bpf_map__fd(e->k->skel->maps.sel_str_map);
	fds[1] = bpf_map__fd(e->k->skel->maps.sel_lpm_map);
	fds[2] = bpf_map__fd(e->k->skel->maps.sel_num_map);
	fds[3] = bpf_map__fd(e->k->skel->maps.sel_net_map);
	return 0;
}

static int write_generation(struct enforcer *e, struct plan *pl, size_t npl)
{
	struct vg_sel_config cfg = { 0 };
	struct entries en = { 0 };
	uint32_t g = e->gen ^ 1;
	int fds[4], rc = 0;
	char **lkeys = NULL;

	for (size_t i = 0; i < npl; i++) {
		uint64_t bit = 1ull << i;
		struct plan *p = &pl[i];
		uint64_t has_pos[VG_DIM_MAX] = { 0 };

		for (int s = 0; s < VG_SEL_SLOTS; s++)
			if (p->slots[s / 8] & (1 << (s % 8)))
				cfg.sc_mask[s] |= bit;
		for (size_t k = 0; k < p->npreds; k++) {
			add_pred(&en, &p->preds[k], bit);
			cfg.used[p->preds[k].dim] |= bit;
			if (!p->preds[k].negate)
				has_pos[p->preds[k].dim] = 1;
		}
		if (p->esc >= 0 && e->esc[p->esc].have_addr) {
			struct sel_pred port = { .dim = VG_DIM_DPORT, .nnums = 1 };
			uint64_t v = e->esc[p->esc].port;

			port.nums = &v;
			add_pred(&en, &port, bit);
			cfg.used[VG_DIM_DPORT] |= bit;
			has_pos[VG_DIM_DPORT] = 1;
		}
		for (int d = 0; d < VG_DIM_MAX; d++)
			if (!has_pos[d])
				cfg.wild[d] |= bit;
		cfg.act_mask[p->action] |= bit;
	}
	en.nstr = merge_str(en.str, en.nstr);
	en.nlpm = merge_str(en.lpm, en.nlpm);
	qsort(en.num, en.nnum, sizeof(*en.num), cmp_nentry);
	if (en.nstr > VG_SEL_VALUES || en.nlpm > VG_SEL_VALUES || en.nnum > VG_SEL_VALUES || en.nnet > VG_SEL_VALUES) {
		vg_snprintf(e->error, sizeof(e->error), "enforcing rules need more than %d values of one kind "
			    "in kernel selectors", VG_SEL_VALUES);
		rc = -1;
		goto out;
	}
	/* suffix keys are reversed; sort again by the key actually stored */
	lkeys = vg_calloc(en.nlpm ? en.nlpm : 1, sizeof(char *));
	for (size_t i = 0; i < en.nlpm; i++) {
		lkeys[i] = vg_malloc(strlen(en.lpm[i].s) + 1);
		if (en.lpm[i].dim == VG_DIM_PATH_SUFFIX)
			reverse_into(lkeys[i], en.lpm[i].s);
		else
			strcpy(lkeys[i], en.lpm[i].s);
	}
	/* order by (dim, key) so that ancestors precede descendants */
	for (size_t i = 1; i < en.nlpm; i++)
		for (size_t j = i; j > 0; j--) {
			int c = en.lpm[j - 1].dim != en.lpm[j].dim ? en.lpm[j - 1].dim - en.lpm[j].dim
								   : strcmp(lkeys[j - 1], lkeys[j]);
			if (c <= 0)
				break;
			struct sentry t = en.lpm[j - 1];
			char *tk = lkeys[j - 1];

			en.lpm[j - 1] = en.lpm[j];
			en.lpm[j] = t;
			lkeys[j - 1] = lkeys[j];
			lkeys[j] = tk;
		}
	lpm_inherit(en.lpm, en.nlpm, lkeys);
	for (size_t i = 0; i < en.nnet; i++)
		for (size_t j = 0; j < en.nnet; j++)
			if (i != j && net_contains_net(&en.net[j].net, &en.net[i].net)) {
				en.net[i].pos |= en.net[j].pos;
				en.net[i].neg |= en.net[j].neg;
			}
	if (!e->k)
		goto out;

	map_fds(e, fds);
	for (int m = 0; m < 4; m++)
		forget(fds[m], &wrote[g][m]);  /* leftovers of this generation's last use */
	for (size_t i = 0; i < en.nstr && !rc; i++) {
		struct vg_sel_str_key k = { .gen = g, .dim = en.str[i].dim };
		struct vg_sel_bits b = { en.str[i].pos, en.str[i].neg };

		snprintf(k.s, sizeof(k.s), "%s", en.str[i].s);
		rc = put(fds[0], &wrote[g][0], &k, sizeof(k), &b);
	}
	for (size_t i = 0; i < en.nlpm && !rc; i++) {
		struct vg_sel_lpm_key k = { .gen = g, .dim = en.lpm[i].dim };
		struct vg_sel_bits b = { en.lpm[i].pos, en.lpm[i].neg };
		size_t len = strlen(lkeys[i]);

		memcpy(k.s, lkeys[i], len);
		k.prefixlen = (2 + len) * 8;
		rc = put(fds[1], &wrote[g][1], &k, sizeof(k), &b);
	}
	for (size_t i = 0; i < en.nnum && !rc; i++) {
		struct vg_sel_num_key k = { .gen = g, .dim = en.num[i].dim, .v = en.num[i].v };
		struct vg_sel_bits b = { en.num[i].pos, en.num[i].neg };

		/* merge duplicates of the sorted list into one entry */
		while (i + 1 < en.nnum && en.num[i + 1].dim == k.dim && en.num[i + 1].v == k.v) {
			i++;
			b.pos |= en.num[i].pos;
			b.neg |= en.num[i].neg;
		}
		rc = put(fds[2], &wrote[g][2], &k, sizeof(k), &b);
	}
	for (size_t i = 0; i < en.nnet && !rc; i++) {
		struct vg_sel_net_key k = { .gen = g, .family = en.net[i].net.addr.family };
		struct vg_sel_bits b = { en.net[i].pos, en.net[i].neg };

		k.prefixlen = 16 + en.net[i].net.prefix;
		memcpy(k.addr, en.net[i].net.addr.a, 16);
		rc = put(fds[3], &wrote[g][3], &k, sizeof(k), &b);
	}
	if (rc) {
		vg_snprintf(e->error, sizeof(e->error), "writing enforcement selectors failed: %s", strerror(-rc));
		rc = -1;
		goto out;
	}
	if (bpf_map_update_elem(bpf_map__fd(e->k->skel->maps.sel_config), &g, &cfg, BPF_ANY) < 0) {
		vg_snprintf(e->error, sizeof(e->error), "writing enforcement selectors failed: %s", strerror(errno));
		rc = -1;
		goto out;
	}
	/* the switch: one store; from here on the kernel reads generation g */
	__atomic_store_n(&e->k->skel->bss->active_gen, g, __ATOMIC_SEQ_CST);
	e->gen = g;
	for (int m = 0; m < 4; m++)
		forget(fds[m], &wrote[g ^ 1][m]);
out:
	for (size_t i = 0; i < en.nlpm && lkeys; i++)
		free(lkeys[i]);
	free(lkeys);
	free(en.str);
	free(en.lpm);
	free(en.num);
	free(en.net);
	return rc;
}

/* recompute and install everything; on failure nothing changes in the kernel */
static int install(struct enforcer *e)
{
	struct plan *pl = vg_calloc(VG_SEL_MAX, sizeof(*pl));
	size_t n;
	int rc = plan_all(e, pl, &n);

	if (rc == 0)
		rc = write_generation(e, pl, n);
	if (rc == 0) {
		e->nsel = n;
		memset(e->enforce_flags, 0, sizeof(e->enforce_flags));
		for (size_t i = 0; i < n; i++) {
			e->sel[i] = (struct selector_use){ pl[i].rule, pl[i].esc, pl[i].branch, pl[i].action };
			for (int s = 0; s < VG_MAX_SYSCALLS; s++)
				if (pl[i].slots[s / 8] & (1 << (s % 8)))
					e->enforce_flags[s] = VG_SC_ENFORCE;
		}
		if (e->k)
			kernel_capture_set_enforce(e->k, e->enforce_flags);
	}
	free(pl);
	return rc;
}

/* --- lifecycle ------------------------------------------------------------------------------- */

int enforcer_init(struct enforcer *e, struct kernel_capture *k, const struct enforce_opts *o)
{
	memset(e, 0, sizeof(*e));
	e->k = k;
	e->global = o->mode;
	e->ov = vg_calloc(o->nov ? o->nov : 1, sizeof(*e->ov));
	memcpy(e->ov, o->ov, o->nov * sizeof(*e->ov));
	e->nov = o->nov;
	e->never = vg_calloc(o->nnever ? o->nnever : 1, sizeof(char *));
	for (size_t i = 0; i < o->nnever; i++)
		e->never[i] = vg_strdup(o->never[i]);
	e->nnever = o->nnever;
	e->never_cgroups = vg_calloc(o->nnever_cgroups ? o->nnever_cgroups : 1, sizeof(uint64_t));
	for (size_t i = 0; i < o->nnever_cgroups; i++) {
		struct stat st;

		if (stat(o->never_cgroups[i], &st) < 0) {
			vg_snprintf(e->error, sizeof(e->error), "--never-kill-cgroup %s: %s", o->never_cgroups[i],
				    strerror(errno));
			enforcer_free(e);
			return -1;
		}
		e->never_cgroups[e->nnever_cgroups++] = st.st_ino;
	}
	e->esc_max = o->esc_max;
	e->esc_ttl_ns = o->esc_ttl_s * 1000000000ull;
	if (k) {
		/* the kernel's own never-kill lists: names that fit a task name, and cgroups */
		int nc = bpf_map__fd(k->skel->maps.never_comm), ng = bpf_map__fd(k->skel->maps.never_cgroup);
		uint8_t one = 1;

		for (size_t i = 0; i < e->nnever; i++) {
			char comm[VG_COMM_LEN] = { 0 };
			const char *base = strrchr(e->never[i], '/');

			snprintf(comm, sizeof(comm), "%s", base ? base + 1 : e->never[i]);
			bpf_map_update_elem(nc, comm, &one, BPF_ANY);
		}
		for (size_t i = 0; i < e->nnever_cgroups; i++)
			bpf_map_update_elem(ng, &e->never_cgroups[i], &one, BPF_ANY);
		e->gen = k->skel->bss->active_gen;
		k->skel->bss->enforce_off = o->mode == MODE_OFF;
	}
	return 0;
}

static void rules_free(struct enforcing_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		enforce_split_free(&v[i].split);
	}
	free(v);
}

void enforcer_free(struct enforcer *e)
{
	rules_free(e->rules, e->nrules);
	for (size_t i = 0; i < e->nesc; i++) {
		free(e->esc[i].rule);
		free(e->esc[i].exe);
		free(e->esc[i].path);
	}
	free(e->esc);
	for (size_t i = 0; i < e->npending; i++)
		free(e->pending[i].rec);
	for (size_t i = 0; i < e->nnever; i++)
		free(e->never[i]);
	free(e->never);
	free(e->never_cgroups);
	free(e->ov);
	for (int g = 0; g < 2; g++)
		for (int m = 0; m < 4; m++) {
			free(wrote[g][m].keys);
			memset(&wrote[g][m], 0, sizeof(wrote[g][m]));
		}
	memset(e, 0, sizeof(*e));
}

int enforcer_load(struct enforcer *e, const struct rule_engine *eng)
{
	struct enforcing_rule *old = e->rules, *nr = NULL;
	size_t nold = e->nrules, n = 0;

	for (size_t i = 0; i < eng->nrules; i++) {
		const struct rule *r = &eng->rules[i];

		if (!r->enabled || r->def->enforce == ENFORCE_NONE)
			continue;
		nr = vg_realloc(nr, (n + 1) * sizeof(*nr));
		struct enforcing_rule *er = &nr[n];

		memset(er, 0, sizeof(*er));
		er->name = vg_strdup(r->def->name);
		er->action = r->def->enforce;
		er->mode = effective_mode(e, r->def);
		er->rule = r;
		n++;
		if (enforce_split_rule(r, &er->split, e->error, sizeof(e->error)) < 0) {
			rules_free(nr, n);
			return -1;
		}
		/* counters survive a reload */
		for (size_t k = 0; k < nold; k++)
			if (!strcmp(old[k].name, er->name))
				er->c = old[k].c;
	}
	e->rules = nr;
	e->nrules = n;
	if (install(e) < 0) {
		rules_free(nr, n);
		e->rules = old;
		e->nrules = nold;
		return -1;
	}
	rules_free(old, nold);
	return 0;
}

int enforcer_set_mode(struct enforcer *e, enum enforce_mode m)
{
	enum enforce_mode prev = e->global;

	/* off takes effect before anything else is rewritten */
	if (e->k && m == MODE_OFF)
		__atomic_store_n(&e->k->skel->bss->enforce_off, 1, __ATOMIC_SEQ_CST);
	e->global = m;
	for (size_t i = 0; i < e->nrules; i++)
		e->rules[i].mode = effective_mode(e, e->rules[i].rule->def);
	if (install(e) < 0) {
		e->global = prev;
		for (size_t i = 0; i < e->nrules; i++)
			e->rules[i].mode = effective_mode(e, e->rules[i].rule->def);
		return -1;
	}
	if (e->k && m != MODE_OFF)
		__atomic_store_n(&e->k->skel->bss->enforce_off, 0, __ATOMIC_SEQ_CST);
	return 0;
}

/* --- acting ------------------------------------------------------------------------------------- */

static const char *kernel_action_text(uint8_t a)
{
	switch (a) {
	case VG_ACT_KILL: return "killed (kernel)";
	case VG_ACT_DENY: return "denied";
	case VG_ACT_AUDIT_KILL: return "would kill";
	case VG_ACT_AUDIT_DENY: return "would deny";
	default: return "spared (never-kill)";
	}
}

static void count(struct enforcing_rule *er, uint8_t a)
{
	switch (a) {
	case VG_ACT_KILL: er->c.kernel_kills++; break;
	case VG_ACT_DENY: er->c.denied++; break;
	case VG_ACT_AUDIT_KILL: er->c.would_kill++; break;
	case VG_ACT_AUDIT_DENY: er->c.would_deny++; break;
	default: er->c.spared++; break;
	}
}

void enforcer_kernel_act(struct enforcer *e, const struct event *ev, uint64_t now)
{
	const struct vg_enforce *r = (const void *)ev->hdr;

	if (r->selector >= e->nsel || r->generation != e->gen)
		return;  /* from a generation already replaced */
	const struct selector_use *u = &e->sel[r->selector];

	count(&e->rules[u->rule], r->action);
	if (e->npending == ENFORCE_MAX_PENDING) {
		free(e->pending[0].rec);
		memmove(e->pending, e->pending + 1, (ENFORCE_MAX_PENDING - 1) * sizeof(e->pending[0]));
		e->npending--;
	}
	struct kernel_act *p = &e->pending[e->npending++];

	p->len = r->h.size;
	p->rec = vg_malloc(p->len);
	memcpy(p->rec, r, p->len);
	p->seen = now;
	p->rule = u->rule;
}

static struct enforcing_rule *find_rule(struct enforcer *e, const struct rule *r)
{
	for (size_t i = 0; i < e->nrules; i++)
		if (e->rules[i].rule == r)
			return &e->rules[i];
	return NULL;
}

/* the slot an event's kind of call is checked at, for an escalation */
static int slot_of(const struct event *ev)
{
	if (ev->kind == EV_EXEC)
		return VG_HOOK_EXEC;
	return ev->kind == EV_SYSCALL ? (int)ev->sc->nr : -1;
}

static void escalate(struct enforcer *e, struct enforcing_rule *er, const struct event *ev, uint64_t now)
{
	struct escalation x = { 0 };
	int slot = slot_of(ev);

	if (slot < 0 || !ev->proc->exe[0] || strlen(ev->proc->exe) >= VG_SEL_STR)
		return;
	x.slot = slot;
	if (ev->kind == EV_SYSCALL && ev->fd && (ev->fd->type == FDT_IPV4 || ev->fd->type == FDT_IPV6)) {
		x.have_addr = true;
		x.addr.addr.family = ev->fd->type == FDT_IPV4 ? 4 : 6;
		memcpy(x.addr.addr.a, ev->fd->sock.raddr, 16);
		x.addr.prefix = x.addr.addr.family == 4 ? 32 : 128;
		x.port = ev->fd->sock.rport;
	} else if (ev->kind == EV_SYSCALL) {
		const char *p = ev->path[0] ? ev->path[0] : ev->fd && ev->fd->name[0] == '/' ? ev->fd->name : NULL;

		if (!p || strlen(p) >= VG_SEL_STR)
			return;
		x.path = (char *)p;
	}
	/* the same pattern again: refresh its expiry */
	for (size_t i = 0; i < e->nesc; i++) {
		struct escalation *o = &e->esc[i];

		if (o->slot == slot && !strcmp(o->rule, er->name) && !strcmp(o->exe, ev->proc->exe) &&
		    !!o->path == !!x.path && (!x.path || !strcmp(o->path, x.path)) && o->have_addr == x.have_addr &&
		    (!x.have_addr || (!memcmp(&o->addr, &x.addr, sizeof(x.addr)) && o->port == x.port))) {
			o->expires = now + e->esc_ttl_ns;
			return;
		}
	}
	if (e->nesc >= e->esc_max)
		return;
	x.rule = vg_strdup(er->name);
	x.exe = vg_strdup(ev->proc->exe);
	x.path = x.path ? vg_strdup(x.path) : NULL;
	x.expires = now + e->esc_ttl_ns;
	e->esc = vg_realloc(e->esc, (e->nesc + 1) * sizeof(*e->esc));
	e->esc[e->nesc++] = x;
	if (install(e) < 0) {
		e->nesc--;
		free(x.rule);
		free(x.exe);
		free(x.path);
	}
}

const char *enforcer_on_match(struct enforcer *e, const struct rule *r, const struct event *ev, uint64_t now,
			      char *buf, size_t n)
{
	struct enforcing_rule *er = r->def->enforce != ENFORCE_NONE ? find_rule(e, r) : NULL;
	bool deny;

	if (!er || er->mode == MODE_OFF)
		return NULL;
	deny = er->action == ENFORCE_DENY;
	/* did the kernel already act on this call? */
	for (size_t i = 0; i < e->npending; i++) {
		const struct vg_enforce *k = (const void *)e->pending[i].rec;

		if (e->pending[i].rule == er - e->rules && k->h.tid == ev->tid) {
			vg_snprintf(buf, n, "%s", kernel_action_text(k->action));
			free(e->pending[i].rec);
			memmove(&e->pending[i], &e->pending[i + 1], (e->npending - i - 1) * sizeof(e->pending[0]));
			e->npending--;
			return buf;
		}
	}
	if (er->mode == MODE_AUDIT) {
		if (deny)
			er->c.would_deny++;
		else
			er->c.would_kill++;
		return deny ? "would deny" : "would kill";
	}
	if (ev->kind == EV_EXIT)
		return NULL;  /* nothing left to stop */
	if (never_act_on(e, ev->proc)) {
		er->c.spared++;
		return "spared (never-kill)";
	}
	/* userspace finishes what the kernel could not decide alone */
	if (kill((pid_t)ev->pid, SIGKILL) < 0)
		return NULL;
	uint64_t t = boot_ns();
	uint64_t since = ev->kind == EV_SYSCALL && ev->sc->enter_ts ? ev->sc->enter_ts : ev->ts;

	er->c.user_kills++;
	vg_snprintf(buf, n, "killed (userspace, %llu us)", (unsigned long long)(t > since ? (t - since) / 1000 : 0));
	escalate(e, er, ev, now);
	return buf;
}

void enforcer_tick(struct enforcer *e, uint64_t now, struct pipeline *p)
{
	bool expired = false;

	for (size_t i = 0; i < e->nesc;) {
		if (e->esc[i].expires <= now) {
			free(e->esc[i].rule);
			free(e->esc[i].exe);
			free(e->esc[i].path);
			memmove(&e->esc[i], &e->esc[i + 1], (e->nesc - i - 1) * sizeof(e->esc[0]));
			e->nesc--;
			expired = true;
		} else {
			i++;
		}
	}
	if (expired)
		install(e);
	/* kernel actions no rule match claimed: report them on their own */
	while (e->npending && now - e->pending[0].seen > PENDING_NS) {
		struct kernel_act a = e->pending[0];
		const struct vg_enforce *k = (const void *)a.rec;
		struct event ev;
		struct arena arena = { 0 };

		memmove(e->pending, e->pending + 1, (e->npending - 1) * sizeof(e->pending[0]));
		e->npending--;
		if (p && a.rule < (int)e->nrules && decode_record(&p->dec, a.rec, a.len, &ev, &arena) == 1) {
			eval_begin(&p->eval);
			alert_emit(&p->alerts, e->rules[a.rule].rule, &ev, &p->eval, kernel_action_text(k->action));
			event_release(&ev);
		}
		arena_free(&arena);
		free(a.rec);
	}
}

/* --- reporting ------------------------------------------------------------------------------------ */

static const char *act_name(uint8_t a)
{
	static const char *const n[] = { "none", "kill", "deny", "audit kill", "audit deny", "userspace" };

	return a < ARRAY_SIZE(n) ? n[a] : "?";
}

static void slots_text(const struct enforcer *e, size_t i, char *buf, size_t n)
{
	size_t o = 0;
	const struct selector_use *u = &e->sel[i];
	const struct enforcing_rule *er = &e->rules[u->rule];

	buf[0] = 0;
	if (u->escalation >= 0) {
		const struct escalation *x = &e->esc[u->escalation];
		const char *name = x->slot < VG_MAX_SYSCALLS ? evttype_name(x->slot) : "exec";

		vg_snprintf(buf, n, "%s", name ? name : "?");
		return;
	}
	const struct sel_branch *b = &er->split.branches[u->branch];

	for (int id = 0; id < EVT_MAX && o < n; id++)
		if (b->types[id / 8] & (1 << (id % 8)) && evttype_name(id))
			o += vg_snprintf(buf + o, n - o, "%s%s", o ? "," : "", evttype_name(id));
}

void enforcer_report(const struct enforcer *e, FILE *f)
{
	uint64_t now = boot_ns();

	fprintf(f, "mode: %s%s\n", enforce_mode_name(e->global),
		e->k && e->k->skel->bss->enforce_off ? " (kernel actions stopped)" : "");
	fprintf(f, "selectors: %zu of %d (generation %u)\n", e->nsel, VG_SEL_MAX, e->gen);
	for (size_t i = 0; i < e->nsel; i++) {
		char types[512];

		slots_text(e, i, types, sizeof(types));
		fprintf(f, "  #%-2zu %-11s %-44s %s%s\n", i, act_name(e->sel[i].action), e->rules[e->sel[i].rule].name,
			types, e->sel[i].escalation >= 0 ? " (escalated)" : "");
	}
	fprintf(f, "escalated selectors: %zu of %zu\n", e->nesc, e->esc_max);
	for (size_t i = 0; i < e->nesc; i++) {
		const struct escalation *x = &e->esc[i];
		char dest[96] = "";

		if (x->have_addr) {
			char ip[64];

			inet_ntop(x->addr.addr.family == 4 ? AF_INET : AF_INET6, x->addr.addr.a, ip, sizeof(ip));
			snprintf(dest, sizeof(dest), " -> %s:%u", ip, x->port);
		}
		fprintf(f, "  %-40s %s %s%s%s, expires in %llus\n", x->rule, x->exe, x->path ? x->path : "", dest,
			x->slot == VG_HOOK_EXEC ? " (exec)" : "",
			(unsigned long long)(x->expires > now ? (x->expires - now) / 1000000000ull : 0));
	}
	fprintf(f, "counters:\n");
	fprintf(f, "  %-44s %8s %8s %8s %8s %8s %8s\n", "RULE", "KERNEL", "USER", "DENIED", "WOULDK", "WOULDD",
		"SPARED");
	for (size_t i = 0; i < e->nrules; i++) {
		const struct enforce_counters *c = &e->rules[i].c;

		fprintf(f, "  %-44s %8llu %8llu %8llu %8llu %8llu %8llu\n", e->rules[i].name,
			(unsigned long long)c->kernel_kills, (unsigned long long)c->user_kills,
			(unsigned long long)c->denied, (unsigned long long)c->would_kill,
			(unsigned long long)c->would_deny, (unsigned long long)c->spared);
	}
}

void enforcer_explain(const struct rule *r, bool lsm, bool cgroup_connect, FILE *f)
{
	struct enforce_split s;
	char err[512];

	if (r->def->enforce == ENFORCE_NONE) {
		fprintf(f, "enforcement: none (the rule has no 'enforce:' key; it only alerts)\n");
		return;
	}
	if (enforce_split_rule(r, &s, err, sizeof(err)) < 0) {
		fprintf(f, "enforcement: cannot be enforced: %s\n", err);
		return;
	}
	bool deny = r->def->enforce == ENFORCE_DENY;

	fprintf(f, "enforcement: %s, %s\n", deny ? "deny" : "kill",
		s.kernel_only ? "entirely in the kernel" :
		"kernel pre-filter, userspace finishes the condition and kills, then escalates");
	for (size_t b = 0; b < s.nbranches; b++) {
		const struct sel_branch *br = &s.branches[b];
		struct plan pl = { .action = deny ? VG_ACT_DENY : VG_ACT_KILL };

		place(&pl, br->types, lsm, cgroup_connect);
		fprintf(f, "  selector %zu:\n", b + 1);
		for (size_t k = 0; k < br->npreds; k++) {
			char *t = sel_pred_text(&br->preds[k]);

			fprintf(f, "    kernel:    %s\n", t);
			free(t);
		}
		for (size_t k = 0; k < br->nrest; k++) {
			char *t = ast_to_string(br->rest[k]);

			fprintf(f, "    userspace: %s\n", t);
			free(t);
		}
		fprintf(f, "    checked at:");
		for (int slot = 0; slot < VG_SEL_SLOTS; slot++) {
			if (!(pl.slots[slot / 8] & (1 << (slot % 8))))
				continue;
			switch (slot) {
			case VG_HOOK_EXEC: fprintf(f, " exec (the new image, before it runs: SIGKILL)"); break;
			case VG_HOOK_FILE_OPEN:
				fprintf(f, " LSM file_open and path_mknod (EPERM: the file is never opened or created)");
				break;
			case VG_HOOK_BPRM_CHECK: fprintf(f, " LSM bprm_check_security (EPERM: the binary never runs)"); break;
			case VG_HOOK_CONNECT:
				fprintf(f, " %s (EPERM: the connection is never made)",
					cgroup_connect ? "cgroup connect4/connect6" : "LSM socket_connect");
				break;
			default: fprintf(f, " %s entry (SIGKILL)", evttype_name(slot)); break;
			}
		}
		fprintf(f, "\n");
		if (deny && !lsm)
			fprintf(f, "    note: this kernel has no BPF LSM, so a deny of an open or exec is a SIGKILL at entry\n");
	}
	enforce_split_free(&s);
}
