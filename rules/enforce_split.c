/*
 * enforce_split.c - classifying a rule's conjuncts as kernel-evaluable or
 * not, and collecting the kernel-evaluable ones into selectors.
 *
 * Only exact equivalents go to the kernel: a kernel selector that matched
 * more than the rule would kill processes the rule does not describe. So
 * fields whose kernel counterpart is an approximation (fd.directory, glob
 * patterns, transformers) stay in userspace.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "ast.h"
#include "enforce_split.h"
#include "rule_engine.h"
#include "syscall_table.h"
#include "util.h"

static const char *const dim_names[VG_DIM_MAX] = {
	[VG_DIM_COMM] = "process name", [VG_DIM_PCOMM] = "parent name", [VG_DIM_EXE] = "binary",
	[VG_DIM_EXE_PREFIX] = "binary prefix", [VG_DIM_PATH] = "path", [VG_DIM_PATH_PREFIX] = "path prefix",
	[VG_DIM_PATH_SUFFIX] = "path suffix", [VG_DIM_UID] = "uid", [VG_DIM_DADDR] = "destination address",
	[VG_DIM_DPORT] = "destination port", [VG_DIM_CONTAINER] = "container", [VG_DIM_CGROUP] = "cgroup",
};

const char *vg_dim_name(enum vg_dim d)
{
	return (unsigned)d < VG_DIM_MAX ? dim_names[d] : "?";
}

static bool has_type(const uint8_t *types, int id)
{
	return types[id / 8] & (1 << (id % 8));
}

/* every type is a syscall whose first string argument is a path the kernel can read at entry */
static bool path_types(const uint8_t *types)
{
	static const int ok[] = {
		SYS_open, SYS_openat, SYS_openat2, SYS_creat, SYS_unlink, SYS_unlinkat, SYS_rename, SYS_renameat,
		SYS_renameat2, SYS_mkdir, SYS_mkdirat, SYS_rmdir, SYS_link, SYS_linkat, SYS_chmod, SYS_fchmodat,
		SYS_chown, SYS_fchownat, SYS_lchown, SYS_truncate, SYS_chdir, SYS_chroot, SYS_umount2,
	};
	bool any = false;

	for (int id = 0; id < EVT_MAX; id++) {
		if (!has_type(types, id))
			continue;
		bool found = false;

		for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
			found |= ok[i] == id;
		if (!found)
			return false;
		any = true;
	}
	return any;
}

/* every type carries a destination sockaddr */
static bool net_types(const uint8_t *types)
{
	bool any = false;

	for (int id = 0; id < EVT_MAX; id++) {
		if (!has_type(types, id))
			continue;
		if (id != SYS_connect && id != SYS_sendto)
			return false;
		any = true;
	}
	return any;
}

static void add_str(struct sel_pred *p, const char *s, size_t len)
{
	p->strs = vg_realloc(p->strs, (p->nstrs + 1) * sizeof(char *));
	p->strs[p->nstrs++] = vg_strndup(s, len);
}

static void add_num(struct sel_pred *p, uint64_t v)
{
	p->nums = vg_realloc(p->nums, (p->nnums + 1) * sizeof(uint64_t));
	p->nums[p->nnums++] = v;
}

static void pred_free(struct sel_pred *p)
{
	for (size_t i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	free(p->nums);
	free(p->nets);
	memset(p, 0, sizeof(*p));
}

/* the string values of a comparison: its scalar, its list, or its pmatch prefixes */
static bool strings_of(const struct cnode *c, struct sel_pred *p, const char *prefix)
{
	const struct operand *r = &c->rhs;
	size_t pl = strlen(prefix);
	char buf[VG_PATH_MAX * 2];

	if (r->kind == RV_SCALAR && r->v.type == FT_STRING) {
		vg_snprintf(buf, sizeof(buf), "%s%.*s", prefix, (int)r->v.str.len, r->v.str.s);
		add_str(p, buf, pl + r->v.str.len);
		return true;
	}
	if (r->kind == RV_LIST && r->strs) {
		const char *s;
		size_t len, it = 0;

		while (strset_next(r->strs, &it, &s, &len)) {
			vg_snprintf(buf, sizeof(buf), "%s%.*s", prefix, (int)len, s);
			add_str(p, buf, pl + len);
		}
		return true;
	}
	if (r->kind == RV_LIST && c->op == OP_PMATCH) {
		for (size_t i = 0; i < r->nprefixes; i++) {
			if (strpbrk(r->prefixes[i], "*?["))
				return false;  /* a glob: no exact kernel equivalent */
			add_str(p, r->prefixes[i], strlen(r->prefixes[i]));
		}
		return true;
	}
	return false;
}

static bool numbers_of(const struct cnode *c, struct sel_pred *p)
{
	const struct operand *r = &c->rhs;

	if (r->kind == RV_SCALAR) {
		add_num(p, (uint64_t)r->v.i);
		return true;
	}
	for (size_t i = 0; i < r->nnums; i++)
		add_num(p, (uint64_t)r->nums[i]);
	return r->kind == RV_LIST;
}

static bool is_path_field(const char *f)
{
	static const char *const names[] = { "fd.name", "evt.abspath", "evt.abspath.src", "fs.path.name",
					     "fs.path.source" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(f, names[i]) == 0)
			return true;
	return false;
}

/*
 * A single comparison as a predicate, or false if the kernel has no exact
 * equivalent for it with these event types.
 */
static bool classify_cmp(const struct cnode *c, const uint8_t *types, struct sel_pred *p)
{
	const char *f;
	enum op op = c->op;
	bool eq = op == OP_EQ || op == OP_IN || op == OP_INTERSECTS, ne = op == OP_NE;

	if (c->kind != CN_CMP || c->evt_type || c->lhs.ntr || c->lhs.multi || c->rhs.kind == RV_FIELD)
		return false;
	f = c->lhs.ref.def->name;
	p->src = c->src;
	p->negate = ne;
	if (!strcmp(f, "proc.name") || !strcmp(f, "proc.pname")) {
		p->dim = f[5] == 'n' ? VG_DIM_COMM : VG_DIM_PCOMM;
		return (eq || ne) && strings_of(c, p, "");
	}
	if (!strcmp(f, "proc.exepath")) {
		if (eq || ne) {
			p->dim = VG_DIM_EXE;
			return strings_of(c, p, "");
		}
		p->dim = VG_DIM_EXE_PREFIX;
		return (op == OP_STARTSWITH || op == OP_PMATCH) && strings_of(c, p, "");
	}
	if (is_path_field(f) && path_types(types)) {
		if (eq || ne)
			p->dim = VG_DIM_PATH;
		else if (op == OP_STARTSWITH || op == OP_PMATCH)
			p->dim = VG_DIM_PATH_PREFIX;
		else if (op == OP_ENDSWITH)
			p->dim = VG_DIM_PATH_SUFFIX;
		else
			return false;
		return strings_of(c, p, "");
	}
	if (!strcmp(f, "fd.filename") && path_types(types) && (eq || ne)) {
		p->dim = VG_DIM_PATH_SUFFIX;
		return strings_of(c, p, "/");
	}
	if (!strcmp(f, "user.uid") && (eq || ne)) {
		p->dim = VG_DIM_UID;
		return numbers_of(c, p);
	}
	if ((!strcmp(f, "fd.rport") || !strcmp(f, "fd.sport")) && net_types(types) && (eq || ne)) {
		p->dim = VG_DIM_DPORT;
		return numbers_of(c, p);
	}
	if ((!strcmp(f, "fd.rip") || !strcmp(f, "fd.sip") || !strcmp(f, "fd.rnet") || !strcmp(f, "fd.snet")) &&
	    net_types(types) && (eq || ne)) {
		p->dim = VG_DIM_DADDR;
		p->nets = vg_malloc((c->rhs.nnets ? c->rhs.nnets : 1) * sizeof(*p->nets));
		memcpy(p->nets, c->rhs.nets, c->rhs.nnets * sizeof(*p->nets));
		p->nnets = c->rhs.nnets;
		return p->nnets > 0;
	}
	if (!strcmp(f, "container.id") && (eq || ne) && c->rhs.kind == RV_SCALAR &&
	    c->rhs.v.str.len == 4 && !memcmp(c->rhs.v.str.s, "host", 4)) {
		p->dim = VG_DIM_CONTAINER;
		p->negate = false;
		add_num(p, ne ? 1 : 0);  /* != host: in a container */
		return true;
	}
	return false;
}

/*
 * A conjunct as one predicate: a comparison, its negation, or an OR of
 * comparisons on one dimension. On false, p holds nothing (all freed).
 */
static bool classify(const struct cnode *c, const uint8_t *types, struct sel_pred *p);

static bool classify_node(const struct cnode *c, const uint8_t *types, struct sel_pred *p)
{
	if (c->kind == CN_CMP)
		return classify_cmp(c, types, p);
	if (c->kind == CN_NOT) {
		if (!classify(c->kids[0], types, p) || p->dim == VG_DIM_CONTAINER)
			return false;
		p->negate = !p->negate;
		p->src = c->src;
		return true;
	}
	if (c->kind == CN_OR && c->nkids) {
		/* (a or b) on the same dimension and polarity: a union */
		if (!classify(c->kids[0], types, p) || p->negate)
			return false;
		for (size_t i = 1; i < c->nkids; i++) {
			struct sel_pred q;

			if (!classify(c->kids[i], types, &q))
				return false;
			if (q.dim != p->dim || q.negate) {
				pred_free(&q);
				return false;
			}
			for (size_t k = 0; k < q.nstrs; k++)
				add_str(p, q.strs[k], strlen(q.strs[k]));
			for (size_t k = 0; k < q.nnums; k++)
				add_num(p, q.nums[k]);
			if (q.nnets) {
				p->nets = vg_realloc(p->nets, (p->nnets + q.nnets) * sizeof(*p->nets));
				memcpy(p->nets + p->nnets, q.nets, q.nnets * sizeof(*p->nets));
				p->nnets += q.nnets;
			}
			pred_free(&q);
		}
		p->src = c->src;
		return true;
	}
	return false;
}

static bool classify(const struct cnode *c, const uint8_t *types, struct sel_pred *p)
{
	memset(p, 0, sizeof(*p));
	if (classify_node(c, types, p))
		return true;
	pred_free(p);
	return false;
}

/* the AND-ed parts of a node */
static void conjuncts(const struct cnode *c, const struct cnode ***v, size_t *n)
{
	if (c->kind == CN_AND) {
		for (size_t i = 0; i < c->nkids; i++)
			conjuncts(c->kids[i], v, n);
		return;
	}
	*v = vg_realloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = c;
}

static int check_lengths(const struct sel_pred *p, const char *rule, char *err, size_t n)
{
	for (size_t i = 0; i < p->nstrs; i++)
		if (strlen(p->strs[i]) >= VG_SEL_STR) {
			vg_snprintf(err, n, "rule '%s': '%.40s...' is longer than the %d bytes a kernel selector compares",
				    rule, p->strs[i], VG_SEL_STR - 1);
			return -1;
		}
	return 0;
}

static int split_branch(const struct rule *r, const struct cnode *root, struct sel_branch *b, bool *dead,
			char *err, size_t n)
{
	const struct cnode **parts = NULL;
	size_t nparts = 0;
	int rc = 0;

	*dead = false;
	memcpy(b->types, r->types, sizeof(b->types));
	conjuncts(root, &parts, &nparts);
	/* event types first: they decide what the other parts can use */
	for (size_t i = 0; i < nparts; i++) {
		const struct cnode *c = parts[i];

		if (c->kind == CN_CONST && !c->value)
			*dead = true;
		if (c->kind != CN_CMP || !c->evt_type)
			continue;
		for (size_t k = 0; k < EVT_BITMAP_BYTES; k++)
			b->types[k] &= c->op == OP_NE ? ~c->rhs.types[k] : c->rhs.types[k];
	}
	for (size_t i = 0; i < nparts && !*dead; i++) {
		const struct cnode *c = parts[i];
		struct sel_pred p;

		if ((c->kind == CN_CMP && c->evt_type) || c->kind == CN_CONST)
			continue;
		if (!classify(c, b->types, &p)) {
			b->rest = vg_realloc(b->rest, (b->nrest + 1) * sizeof(*b->rest));
			b->rest[b->nrest++] = c->src;
			continue;
		}
		/* one positive set per dimension: a second one is an intersection the maps cannot hold */
		bool clash = false;

		for (size_t k = 0; k < b->npreds; k++)
			clash |= b->preds[k].dim == p.dim && !p.negate && !b->preds[k].negate;
		if (clash || check_lengths(&p, r->def->name, err, n) < 0) {
			if (!clash)
				rc = -1;
			pred_free(&p);
			b->rest = vg_realloc(b->rest, (b->nrest + 1) * sizeof(*b->rest));
			b->rest[b->nrest++] = c->src;
			continue;
		}
		b->preds = vg_realloc(b->preds, (b->npreds + 1) * sizeof(*b->preds));
		b->preds[b->npreds++] = p;
	}
	free(parts);
	return rc;
}

static void branch_free(struct sel_branch *b)
{
	for (size_t i = 0; i < b->npreds; i++)
		pred_free(&b->preds[i]);
	free(b->preds);
	free(b->rest);
	memset(b, 0, sizeof(*b));
}

int enforce_split_rule(const struct rule *r, struct enforce_split *out, char *err, size_t n)
{
	const struct cnode *root = r->cond;
	const struct cnode *single[1] = { root };
	const struct cnode *const *tops = single;
	size_t ntops = 1;

	memset(out, 0, sizeof(*out));
	if (root->kind == CN_OR && root->nkids <= SPLIT_MAX_BRANCHES) {
		tops = (const struct cnode *const *)root->kids;
		ntops = root->nkids;
	}
	out->kernel_only = true;
	for (size_t i = 0; i < ntops; i++) {
		struct sel_branch b = { 0 };
		bool dead;

		if (split_branch(r, tops[i], &b, &dead, err, n) < 0) {
			branch_free(&b);
			enforce_split_free(out);
			return -1;
		}
		if (dead) {
			branch_free(&b);
			continue;
		}
		out->kernel_only &= b.nrest == 0;
		out->branches = vg_realloc(out->branches, (out->nbranches + 1) * sizeof(*out->branches));
		out->branches[out->nbranches++] = b;
	}
	return 0;
}

void enforce_split_free(struct enforce_split *s)
{
	for (size_t i = 0; i < s->nbranches; i++)
		branch_free(&s->branches[i]);
	free(s->branches);
	memset(s, 0, sizeof(*s));
}

char *sel_pred_text(const struct sel_pred *p)
{
	char buf[1024];
	size_t o = 0;

	o += vg_snprintf(buf + o, sizeof(buf) - o, "%s %s", vg_dim_name(p->dim), p->negate ? "not in" : "in");
	o += vg_snprintf(buf + o, o < sizeof(buf) ? sizeof(buf) - o : 0, " (");
	for (size_t i = 0; i < p->nstrs && o < sizeof(buf); i++)
		o += vg_snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? ", " : "", p->strs[i]);
	for (size_t i = 0; i < p->nnums && o < sizeof(buf); i++)
		o += vg_snprintf(buf + o, sizeof(buf) - o, "%s%llu", i ? ", " : "", (unsigned long long)p->nums[i]);
	for (size_t i = 0; i < p->nnets && o < sizeof(buf); i++) {
		char ip[64];

		inet_ntop(p->nets[i].addr.family == 4 ? AF_INET : AF_INET6, p->nets[i].addr.a, ip, sizeof(ip));
		o += vg_snprintf(buf + o, sizeof(buf) - o, "%s%s/%d", i ? ", " : "", ip, p->nets[i].prefix);
	}
	if (o < sizeof(buf))
		vg_snprintf(buf + o, sizeof(buf) - o, ")");
	return vg_strndup(buf, strnlen(buf, sizeof(buf)));
}
