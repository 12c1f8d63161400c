/*
 * observe.c - one JSON event (docs/events.md) or JSON alert in, one line for
 * people out, in the spirit of `tetra getevents -o compact`:
 *
 *   🚀 process vm /usr/bin/curl https://example.com
 *   🔌 connect vm /usr/bin/curl tcp 10.0.0.5:51234 -> 93.184.216.34:443
 *
 * An event line is: emoji, a word padded to KIND_WIDTH (what happened:
 * "process" for an exec, "open" for openat; --type takes it too), where
 * the process runs, its binary, then what matters for that kind. An alert
 * is "🔥 <priority> <rule>: <output>".
 *
 * Design notes:
 * - Every emoji used is East Asian Wide with emoji presentation by default,
 *   so terminals draw them two columns wide and the words after them line
 *   up (🗑 ✏ ☠ are text-presentation characters and would not).
 * - Strings in events come from the watched processes (file names,
 *   arguments), so they are never written raw: control characters, C1
 *   controls and bidirectional overrides are escaped. A file named
 *   "x\n🚀 process ..." cannot forge a line or drive the terminal.
 * - Optional fields fall back quietly (a path from args.name, a binary from
 *   comm, "?" when nothing is known); only a line that is not an event or
 *   alert at all is an error.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "observe.h"

#define KIND_WIDTH 7          /* "process", "connect" */
#define CONTAINER_ID_CHARS 12 /* as `docker ps` shortens ids */

#define STYLE_RESET   "\033[0m"
#define STYLE_BOLD    "\033[1m"
#define STYLE_RED     "\033[31m"
#define STYLE_GREEN   "\033[32m"
#define STYLE_YELLOW  "\033[33m"
#define STYLE_BLUE    "\033[34m"
#define STYLE_MAGENTA "\033[35m"
#define STYLE_CYAN    "\033[36m"

struct strlist {
	char **v;
	size_t n;
};

struct observe {
	bool color;
	struct strlist namespaces, pods, types;
	pcre2_code **binaries;
	size_t nbinaries;
	pcre2_match_data *match; /* one pair: only "did it match" is asked */
	long *pids;
	size_t npids;
};

/* ---- filters ------------------------------------------------------------ */

/* What the filters look at, taken from an event or an alert. */
struct subject {
	const char *kind;    /* kind key, or "alert" */
	const char *syscall; /* syscall name, for syscall events */
	const char *word;    /* the word shown after the emoji, for events */
	bool has_pid;
	json_int_t pid;
	const char *binary;
	const char *pod_uid;
	const char *container_id;
};

static int strlist_add(struct strlist *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	char *copy;

	if (!v)
		return -1;
	l->v = v;
	copy = strdup(s);
	if (!copy)
		return -1;
	l->v[l->n++] = copy;
	return 0;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static bool any_is_prefix(const struct strlist *l, const char *s)
{
	if (!s)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (strncmp(s, l->v[i], strlen(l->v[i])) == 0)
			return true;
	return false;
}

static bool any_equals(const struct strlist *l, const char *s)
{
	if (!s)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(s, l->v[i]) == 0)
			return true;
	return false;
}

static bool pid_listed(const struct observe *ob, json_int_t pid)
{
	for (size_t i = 0; i < ob->npids; i++)
		if (ob->pids[i] == pid)
			return true;
	return false;
}

static bool binary_matches(const struct observe *ob, const char *binary)
{
	for (size_t i = 0; i < ob->nbinaries; i++)
		if (pcre2_match(ob->binaries[i], (PCRE2_SPTR)binary, PCRE2_ZERO_TERMINATED, 0, 0,
				ob->match, NULL) >= 0)
			return true;
	return false;
}

/* cheapest tests first: the regex runs only on what the others let through */
static bool subject_passes(const struct observe *ob, const struct subject *s)
{
	if (ob->types.n && !any_equals(&ob->types, s->kind) &&
	    !any_equals(&ob->types, s->syscall) && !any_equals(&ob->types, s->word))
		return false;
	if (ob->npids && !(s->has_pid && pid_listed(ob, s->pid)))
		return false;
	if (ob->pods.n && !any_is_prefix(&ob->pods, s->pod_uid))
		return false;
	if (ob->namespaces.n && !any_is_prefix(&ob->namespaces, s->pod_uid) &&
	    !any_is_prefix(&ob->namespaces, s->container_id))
		return false;
	if (ob->nbinaries && !(s->binary && binary_matches(ob, s->binary)))
		return false;
	return true;
}

static int add_binary(struct observe *ob, const char *pattern, char *err, size_t errlen)
{
	PCRE2_SIZE offset;
	int code;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
				       &code, &offset, NULL);
	pcre2_code **v;

	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "bad regex at offset %zu: %s", (size_t)offset, (char *)msg);
		return -1;
	}
	v = realloc(ob->binaries, (ob->nbinaries + 1) * sizeof(*v));
	if (!v) {
		pcre2_code_free(re);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ob->binaries = v;
	ob->binaries[ob->nbinaries++] = re;
	return 0;
}

static int add_pid(struct observe *ob, const char *text, char *err, size_t errlen)
{
	char *end;
	long pid;
	long *v;

	errno = 0;
	pid = strtol(text, &end, 10);
	if (!isdigit((unsigned char)*text) || errno || *end || pid <= 0 || pid > INT_MAX) {
		snprintf(err, errlen, "not a process id");
		return -1;
	}
	v = realloc(ob->pids, (ob->npids + 1) * sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ob->pids = v;
	ob->pids[ob->npids++] = pid;
	return 0;
}

int observe_add_filter(struct observe *ob, enum observe_filter_by by, const char *value,
		       char *err, size_t errlen)
{
	struct strlist *list;

	switch (by) {
	case OBSERVE_BY_BINARY:
		return add_binary(ob, value, err, errlen);
	case OBSERVE_BY_PID:
		return add_pid(ob, value, err, errlen);
	case OBSERVE_BY_NAMESPACE:
		list = &ob->namespaces;
		break;
	case OBSERVE_BY_POD:
		list = &ob->pods;
		break;
	case OBSERVE_BY_TYPE:
		list = &ob->types;
		break;
	default:
		snprintf(err, errlen, "unknown filter");
		return -1;
	}
	if (!*value) {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	if (strlist_add(list, value) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

struct observe *observe_new(void)
{
	struct observe *ob = calloc(1, sizeof(*ob));

	if (!ob)
		return NULL;
	ob->match = pcre2_match_data_create(1, NULL);
	if (!ob->match) {
		free(ob);
		return NULL;
	}
	return ob;
}

void observe_set_color(struct observe *ob, bool color)
{
	ob->color = color;
}

void observe_free(struct observe *ob)
{
	if (!ob)
		return;
	strlist_free(&ob->namespaces);
	strlist_free(&ob->pods);
	strlist_free(&ob->types);
	for (size_t i = 0; i < ob->nbinaries; i++)
		pcre2_code_free(ob->binaries[i]);
	free(ob->binaries);
	pcre2_match_data_free(ob->match);
	free(ob->pids);
	free(ob);
}

/* ---- reading the JSON ------------------------------------------------- */

/* jansson returns NULL for a NULL or non-object `obj`, so lookups chain */
static const char *get_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool get_int(const json_t *obj, const char *key, json_int_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return true;
}

/* the n-th (from 0) string-valued argument, in the syscall's order */
static const char *nth_string_arg(json_t *args, int n)
{
	const char *key;
	json_t *v;

	json_object_foreach(args, key, v) {
		if (json_is_string(v) && n-- == 0)
			return json_string_value(v);
	}
	return NULL;
}

/* the sockaddr argument (an object with a family), whatever its name */
static json_t *sockaddr_arg(json_t *args)
{
	const char *key;
	json_t *v;

	json_object_foreach(args, key, v) {
		if (get_str(v, "family"))
			return v;
	}
	return NULL;
}

/* ---- writing ------------------------------------------------------------ */

struct render {
	FILE *out;
	bool color;
};

/*
 * Write a string from the event with what could forge a line or command
 * the terminal escaped: C0 controls and DEL as \n \t \r or \xNN, C1
 * controls and the bidirectional marks/overrides (U+200E/F, U+202A-E,
 * U+2066-9) as \uNNNN. Input is valid UTF-8 (jansson checks), so a lead
 * byte is always followed by its continuation bytes. Returns the number of
 * characters written, for padding.
 */
static size_t put_text_n(struct render *r, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
	size_t chars = 0;

	while (p < end) {
		unsigned c = p[0];
		unsigned cp = 0;
		size_t len = 0;

		if (c < 0x20 || c == 0x7f)
			len = 1;
		else if (c == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f)
			len = 2, cp = p[1];
		else if (c == 0xe2 && p + 2 < end &&
			 ((p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
					    (p[2] >= 0xaa && p[2] <= 0xae))) ||
			  (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			len = 3, cp = 0x2000 | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
		if (!len) {
			chars += (c & 0xc0) != 0x80;
			p++;
			continue;
		}
		fwrite(run, 1, (size_t)(p - run), r->out);
		if (len > 1)
			chars += (size_t)fprintf(r->out, "\\u%04x", cp);
		else if (c == '\n')
			chars += (size_t)fprintf(r->out, "\\n");
		else if (c == '\t')
			chars += (size_t)fprintf(r->out, "\\t");
		else if (c == '\r')
			chars += (size_t)fprintf(r->out, "\\r");
		else
			chars += (size_t)fprintf(r->out, "\\x%02x", c);
		p += len;
		run = p;
	}
	fwrite(run, 1, (size_t)(p - run), r->out);
	return chars;
}

static size_t put_text(struct render *r, const char *s)
{
	return put_text_n(r, s, strlen(s));
}

static size_t put_styled(struct render *r, const char *style, const char *s)
{
	size_t chars;

	if (r->color && style)
		fputs(style, r->out);
	chars = put_text(r, s);
	if (r->color && style)
		fputs(STYLE_RESET, r->out);
	return chars;
}

/* "emoji word   " with the word padded so that what follows lines up */
static void put_head(struct render *r, const char *emoji, const char *style, const char *word)
{
	size_t n;

	fputs(emoji, r->out);
	fputc(' ', r->out);
	n = put_styled(r, style, word);
	do
		fputc(' ', r->out);
	while (n++ < KIND_WIDTH);
}

/* the pod uid, else the container id shortened, else the node */
static void put_where(struct render *r, const json_t *root, const json_t *process)
{
	const json_t *container = json_object_get(process, "container");
	const char *pod = get_str(container, "pod_uid");
	const char *id = get_str(container, "id");
	const char *node = get_str(root, "node_name");

	if (pod && *pod) {
		put_text(r, pod);
	} else if (id && *id) {
		size_t n = 0;

		/* count characters, not bytes: never cut a UTF-8 sequence */
		for (int chars = 0; id[n] && chars < CONTAINER_ID_CHARS; chars++)
			do
				n++;
			while ((id[n] & 0xc0) == 0x80);
		put_text_n(r, id, n);
	} else {
		put_text(r, node && *node ? node : "?");
	}
}

/* " /usr/bin/curl https://example.com" */
static void put_process(struct render *r, const json_t *process, bool with_arguments)
{
	const char *binary = get_str(process, "binary");
	const char *arguments = get_str(process, "arguments");

	if (!binary || !*binary)
		binary = get_str(process, "comm");
	fputc(' ', r->out);
	put_styled(r, STYLE_BOLD, binary && *binary ? binary : "?");
	if (with_arguments && arguments && *arguments) {
		fputc(' ', r->out);
		put_text(r, arguments);
	}
}

/* "10.0.0.5:443", "[::1]:443" */
static void put_hostport(struct render *r, const char *addr, json_int_t port)
{
	bool v6 = strchr(addr, ':') != NULL;

	if (v6)
		fputc('[', r->out);
	put_text(r, addr);
	fprintf(r->out, "%s:%" JSON_INTEGER_FORMAT, v6 ? "]" : "", port);
}

/* a sockaddr argument: host:port, a unix socket's path, or the family */
static void put_sockaddr(struct render *r, const json_t *sa)
{
	const char *addr = get_str(sa, "addr");
	const char *path = get_str(sa, "path");
	const char *family = get_str(sa, "family");
	json_int_t port = 0;

	get_int(sa, "port", &port);
	if (addr)
		put_hostport(r, addr, port);
	else if (path)
		put_text(r, path);
	else
		put_text(r, family ? family : "?");
}

/*
 * A socket as "[proto ]LOCAL ARROW REMOTE". The local side comes from the
 * fd object, or from `sa` when sa_is_local (bind); the remote side from
 * `sa`, or from the fd. Unknown sides (no address; port 0 for the remote,
 * as on a listening socket) are left out. With arrow NULL only one side is
 * shown: the peer when connected, else the local address - what a dup'd
 * fd now reads from. Returns false, writing nothing, when no side is known.
 */
static bool put_socket(struct render *r, const json_t *fd, const json_t *sa, bool sa_is_local,
		       const char *arrow)
{
	const char *proto = get_str(fd, "proto");
	const char *laddr = get_str(fd, "laddr");
	const char *raddr = get_str(fd, "raddr");
	json_int_t lport = 0, rport = 0;
	bool local, remote;

	get_int(fd, "lport", &lport);
	get_int(fd, "rport", &rport);
	local = sa_is_local ? sa != NULL : laddr != NULL;
	remote = (!sa_is_local && sa) || (raddr && rport != 0);
	if (!arrow && remote)
		local = false;
	if (!local && !remote)
		return false;
	fputc(' ', r->out);
	if (proto) {
		put_text(r, proto);
		fputc(' ', r->out);
	}
	if (local) {
		if (sa_is_local)
			put_sockaddr(r, sa);
		else
			put_hostport(r, laddr, lport);
	}
	if (local && remote)
		fprintf(r->out, " %s ", arrow);
	if (remote) {
		if (!sa_is_local && sa)
			put_sockaddr(r, sa);
		else
			put_hostport(r, raddr, rport);
	}
	return true;
}

/* " <what the fd is>": the socket's sides, else its name; false if unknown */
static bool put_fd_name(struct render *r, const json_t *fd, const char *arrow)
{
	const char *name = get_str(fd, "name");

	if (put_socket(r, fd, NULL, false, arrow))
		return true;
	if (!name || !*name)
		return false;
	fputc(' ', r->out);
	put_text(r, name);
	return true;
}

/* a generic argument value: numbers as numbers, modes in octal */
static void put_arg_value(struct render *r, const char *name, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		put_text(r, json_string_value(v));
		break;
	case JSON_INTEGER:
		if (strcmp(name, "mode") == 0)
			fprintf(r->out, "%#llo", (unsigned long long)json_integer_value(v));
		else
			fprintf(r->out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(r->out, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("true", r->out);
		break;
	case JSON_FALSE:
		fputs("false", r->out);
		break;
	case JSON_NULL:
		fputs("null", r->out);
		break;
	case JSON_OBJECT:
		if (get_str(v, "family"))
			put_sockaddr(r, v);
		else
			fputs("{...}", r->out);
		break;
	case JSON_ARRAY:
		fputs("[...]", r->out);
		break;
	}
}

/* ---- syscalls ----------------------------------------------------------- */

/* How a syscall's details are written. */
enum sc_details {
	SD_OPEN,     /* the path */
	SD_CLOSE,    /* what the fd was */
	SD_CONNECT,  /* the 4-tuple, remote side from the sockaddr */
	SD_BIND,     /* the sockaddr, as the local side */
	SD_ACCEPT,   /* the new connection, local <- remote */
	SD_DUP,      /* "fd NEW -> what it now is" */
	SD_PATHS,    /* "path[ -> path2]" */
	SD_ARGS,     /* path or fd, then the other arguments as name=value */
};

struct sc_group {
	const char *emoji;
	const char *style;
	enum sc_details details;
};

enum {
	G_EXEC, G_FORK, G_OPEN, G_CLOSE, G_CONNECT, G_BIND, G_ACCEPT, G_SOCKET, G_SEND, G_DUP,
	G_DELETE, G_RENAME, G_DIR, G_ATTR, G_PRIV, G_PTRACE, G_KILL, G_MODULE, G_BPF, G_MOUNT,
	G_MEMORY, G_OTHER,
};

static const struct sc_group sc_groups[] = {
	[G_EXEC]    = { "🚀", STYLE_GREEN,   SD_PATHS },   /* a failed exec */
	[G_FORK]    = { "🧬", STYLE_GREEN,   SD_ARGS },
	[G_OPEN]    = { "📬", STYLE_BLUE,    SD_OPEN },
	[G_CLOSE]   = { "📪", STYLE_BLUE,    SD_CLOSE },
	[G_CONNECT] = { "🔌", STYLE_CYAN,    SD_CONNECT },
	[G_BIND]    = { "🔗", STYLE_CYAN,    SD_BIND },
	[G_ACCEPT]  = { "🔗", STYLE_CYAN,    SD_ACCEPT },
	[G_SOCKET]  = { "🔗", STYLE_CYAN,    SD_ARGS },
	[G_SEND]    = { "📤", STYLE_CYAN,    SD_CONNECT },
	[G_DUP]     = { "🔀", STYLE_BLUE,    SD_DUP },
	[G_DELETE]  = { "🧹", STYLE_BLUE,    SD_PATHS },
	[G_RENAME]  = { "📝", STYLE_BLUE,    SD_PATHS },
	[G_DIR]     = { "📁", STYLE_BLUE,    SD_PATHS },
	[G_ATTR]    = { "🔧", STYLE_BLUE,    SD_ARGS },
	[G_PRIV]    = { "🔑", STYLE_YELLOW,  SD_ARGS },
	[G_PTRACE]  = { "🐛", STYLE_YELLOW,  SD_ARGS },
	[G_KILL]    = { "💀", STYLE_YELLOW,  SD_ARGS },
	[G_MODULE]  = { "🧩", STYLE_YELLOW,  SD_ARGS },
	[G_BPF]     = { "🐝", STYLE_YELLOW,  SD_ARGS },
	[G_MOUNT]   = { "📦", STYLE_YELLOW,  SD_ARGS },
	[G_MEMORY]  = { "🧠", STYLE_YELLOW,  SD_ARGS },
	[G_OTHER]   = { "❓", NULL,          SD_ARGS },
};

/*
 * The syscalls of bpf/syscall_list.h, with the word shown for them. Like
 * Tetragon's "open", the word names what happened rather than which
 * variant of the call did it (openat, openat2 and creat all open a file),
 * and fits KIND_WIDTH so that the columns stay aligned; the arguments
 * shown tell the variants apart where it matters (ruid=, euid=). --type
 * takes the word as well as the syscall name. Other syscalls show their
 * own name and the ❓ group.
 */
static const struct sc_kind {
	const char *name;
	const char *word;
	int group;
} sc_kinds[] = {
	{ "execve", "exec", G_EXEC }, { "execveat", "exec", G_EXEC },
	{ "clone", "clone", G_FORK }, { "clone3", "clone", G_FORK },
	{ "fork", "fork", G_FORK }, { "vfork", "vfork", G_FORK },
	{ "open", "open", G_OPEN }, { "openat", "open", G_OPEN }, { "openat2", "open", G_OPEN },
	{ "creat", "open", G_OPEN }, { "open_by_handle_at", "open", G_OPEN },
	{ "close", "close", G_CLOSE },
	{ "connect", "connect", G_CONNECT },
	{ "bind", "bind", G_BIND },
	{ "accept", "accept", G_ACCEPT }, { "accept4", "accept", G_ACCEPT },
	{ "socket", "socket", G_SOCKET }, { "listen", "listen", G_SOCKET },
	{ "sendto", "sendto", G_SEND }, { "sendmsg", "sendmsg", G_SEND },
	{ "dup", "dup", G_DUP }, { "dup2", "dup", G_DUP }, { "dup3", "dup", G_DUP },
	{ "unlink", "unlink", G_DELETE }, { "unlinkat", "unlink", G_DELETE },
	{ "rmdir", "rmdir", G_DELETE },
	{ "rename", "rename", G_RENAME }, { "renameat", "rename", G_RENAME },
	{ "renameat2", "rename", G_RENAME },
	{ "link", "link", G_RENAME }, { "linkat", "link", G_RENAME },
	{ "symlink", "symlink", G_RENAME }, { "symlinkat", "symlink", G_RENAME },
	{ "mkdir", "mkdir", G_DIR }, { "mkdirat", "mkdir", G_DIR },
	{ "chdir", "chdir", G_DIR }, { "fchdir", "chdir", G_DIR },
	{ "chmod", "chmod", G_ATTR }, { "fchmod", "chmod", G_ATTR },
	{ "fchmodat", "chmod", G_ATTR }, { "fchmodat2", "chmod", G_ATTR },
	{ "chown", "chown", G_ATTR }, { "fchown", "chown", G_ATTR },
	{ "fchownat", "chown", G_ATTR }, { "lchown", "chown", G_ATTR },
	{ "truncate", "trunc", G_ATTR }, { "ftruncate", "trunc", G_ATTR },
	{ "setuid", "setuid", G_PRIV }, { "setreuid", "setuid", G_PRIV },
	{ "setresuid", "setuid", G_PRIV },
	{ "setgid", "setgid", G_PRIV }, { "setregid", "setgid", G_PRIV },
	{ "setresgid", "setgid", G_PRIV },
	{ "capset", "capset", G_PRIV },
	{ "ptrace", "ptrace", G_PTRACE },
	{ "process_vm_readv", "vmread", G_PTRACE }, { "process_vm_writev", "vmwrite", G_PTRACE },
	{ "kill", "kill", G_KILL }, { "tkill", "kill", G_KILL }, { "tgkill", "kill", G_KILL },
	{ "init_module", "insmod", G_MODULE }, { "finit_module", "insmod", G_MODULE },
	{ "delete_module", "rmmod", G_MODULE },
	{ "kexec_load", "kexec", G_MODULE }, { "kexec_file_load", "kexec", G_MODULE },
	{ "bpf", "bpf", G_BPF }, { "perf_event_open", "perf", G_BPF },
	{ "mount", "mount", G_MOUNT }, { "umount2", "umount", G_MOUNT },
	{ "pivot_root", "pivot", G_MOUNT }, { "chroot", "chroot", G_MOUNT },
	{ "setns", "setns", G_MOUNT }, { "unshare", "unshare", G_MOUNT },
	{ "memfd_create", "memfd", G_MEMORY }, { "mmap", "mmap", G_MEMORY },
	{ "mprotect", "mprot", G_MEMORY }, { "userfaultfd", "uffd", G_MEMORY },
};

/* NULL for a syscall vigil does not describe */
static const struct sc_kind *sc_kind(const char *name)
{
	if (name)
		for (size_t i = 0; i < sizeof(sc_kinds) / sizeof(sc_kinds[0]); i++)
			if (strcmp(name, sc_kinds[i].name) == 0)
				return &sc_kinds[i];
	return NULL;
}

/* the word shown for a syscall event: its kind's word, else its own name */
static const char *syscall_word(const json_t *sc)
{
	const char *name = get_str(sc, "name");
	const struct sc_kind *k = sc_kind(name);

	return k ? k->word : name ? name : "syscall";
}

static void details_open(struct render *r, json_t *sc)
{
	json_t *args = json_object_get(sc, "args");
	const char *path = get_str(sc, "path");

	if (!path)
		path = get_str(args, "name");
	if (path) {
		fputc(' ', r->out);
		put_text(r, path);
	} else {
		put_fd_name(r, json_object_get(sc, "fd"), "->");
	}
}

static void details_close(struct render *r, json_t *sc)
{
	json_t *fd = json_object_get(sc, "fd");
	json_int_t num;

	if (put_fd_name(r, fd, "->"))
		return;
	if (get_int(fd, "num", &num) || get_int(json_object_get(sc, "args"), "fd", &num))
		fprintf(r->out, " fd %" JSON_INTEGER_FORMAT, num);
}

/* connect, sendto, sendmsg: the destination is the sockaddr when there is one */
static void details_connect(struct render *r, json_t *sc)
{
	json_t *fd = json_object_get(sc, "fd");

	put_socket(r, fd, sockaddr_arg(json_object_get(sc, "args")), false, "->");
}

static void details_bind(struct render *r, json_t *sc)
{
	json_t *fd = json_object_get(sc, "fd");
	json_t *sa = sockaddr_arg(json_object_get(sc, "args"));

	if (!put_socket(r, fd, sa, sa != NULL, "->"))
		put_fd_name(r, fd, "->");
}

static void details_accept(struct render *r, json_t *sc)
{
	put_fd_name(r, json_object_get(sc, "fd"), "<-");
}

/* "fd 0 -> tcp 127.0.0.1:4444": the new fd and what it now refers to */
static void details_dup(struct render *r, json_t *sc)
{
	json_t *fd = json_object_get(sc, "fd");
	json_t *args = json_object_get(sc, "args");
	json_int_t num;
	bool have_new;
	const char *key;
	json_t *v;

	have_new = get_int(fd, "num", &num) || (get_int(sc, "ret", &num) && num >= 0);
	if (have_new)
		fprintf(r->out, " fd %" JSON_INTEGER_FORMAT " ->", num);
	if (put_fd_name(r, fd, NULL))
		return;
	/* the fd table did not know it: name the old fd (the first argument) */
	json_object_foreach(args, key, v) {
		if (json_is_integer(v)) {
			fprintf(r->out, " fd %" JSON_INTEGER_FORMAT, json_integer_value(v));
			return;
		}
	}
	if (have_new)
		fputs(" ?", r->out);
}

static void details_paths(struct render *r, json_t *sc)
{
	json_t *args = json_object_get(sc, "args");
	const char *path = get_str(sc, "path");
	const char *path2 = get_str(sc, "path2");

	if (!path)
		path = get_str(args, "name");
	if (!path)
		path = nth_string_arg(args, 0);
	if (!path2)
		path2 = nth_string_arg(args, 1);
	if (!path) {
		put_fd_name(r, json_object_get(sc, "fd"), "->");
		return;
	}
	fputc(' ', r->out);
	put_text(r, path);
	if (path2) {
		fputs(" -> ", r->out);
		put_text(r, path2);
	}
}

/*
 * The path (or the fd) the call works on, then its arguments as
 * name=value. Once a path or fd has been shown, the string arguments (the
 * path itself) and the fd arguments (fd, dirfd, olddirfd...) would only
 * repeat it and are left out.
 */
static void details_args(struct render *r, json_t *sc)
{
	json_t *args = json_object_get(sc, "args");
	const char *path = get_str(sc, "path");
	const char *path2 = get_str(sc, "path2");
	bool shown = false;
	const char *key;
	json_t *v;

	if (path) {
		fputc(' ', r->out);
		put_text(r, path);
		if (path2) {
			fputs(" -> ", r->out);
			put_text(r, path2);
		}
		shown = true;
	} else {
		shown = put_fd_name(r, json_object_get(sc, "fd"), "->");
	}
	json_object_foreach(args, key, v) {
		size_t n = strlen(key);

		if (shown && (json_is_string(v) || (n >= 2 && strcmp(key + n - 2, "fd") == 0)))
			continue;
		fputc(' ', r->out);
		put_text(r, key);
		fputc('=', r->out);
		put_arg_value(r, key, v);
	}
}

/* " ENOENT" when the call failed, " ret=-N" if the errno has no name */
static void put_failure(struct render *r, const json_t *sc)
{
	const char *error = get_str(sc, "error");
	json_int_t ret;

	if (error) {
		fputc(' ', r->out);
		put_styled(r, STYLE_RED, error);
	} else if (get_int(sc, "ret", &ret) && ret < 0) {
		char text[32];

		snprintf(text, sizeof(text), "ret=%" JSON_INTEGER_FORMAT, ret);
		fputc(' ', r->out);
		put_styled(r, STYLE_RED, text);
	}
}

/* ---- event kinds -------------------------------------------------------- */

static void render_exec(struct render *r, const json_t *root, json_t *body, const char *word)
{
	json_t *process = json_object_get(body, "process");

	put_head(r, "🚀", STYLE_GREEN, word);
	put_where(r, root, process);
	put_process(r, process, true);
}

/* the process is the child, still running its parent's image */
static void render_fork(struct render *r, const json_t *root, json_t *body, const char *word)
{
	json_t *process = json_object_get(body, "process");
	json_int_t pid;

	put_head(r, "🧬", STYLE_GREEN, word);
	put_where(r, root, process);
	put_process(r, process, true);
	if (get_int(process, "pid", &pid))
		fprintf(r->out, " child %" JSON_INTEGER_FORMAT, pid);
}

static void render_exit(struct render *r, const json_t *root, json_t *body, const char *word)
{
	json_t *process = json_object_get(body, "process");
	const char *signal = get_str(body, "signal");
	json_int_t status;

	put_head(r, "💥", STYLE_MAGENTA, word);
	put_where(r, root, process);
	put_process(r, process, true);
	if (signal) {
		fputc(' ', r->out);
		put_styled(r, STYLE_RED, signal);
		if (json_is_true(json_object_get(body, "core_dumped")))
			fputs(" (core dumped)", r->out);
	} else if (get_int(body, "status", &status)) {
		char text[32];

		snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT, status);
		fputc(' ', r->out);
		put_styled(r, status ? STYLE_RED : NULL, text);
	}
}

static void render_syscall(struct render *r, const json_t *root, json_t *sc, const char *word)
{
	json_t *process = json_object_get(sc, "process");
	const char *name = get_str(sc, "name");
	const struct sc_kind *k = sc_kind(name);
	const struct sc_group *g = &sc_groups[k ? k->group : G_OTHER];
	json_int_t nr;

	put_head(r, g->emoji, g->style, word);
	put_where(r, root, process);
	put_process(r, process, false);
	if (!name && get_int(sc, "nr", &nr))
		fprintf(r->out, " nr=%" JSON_INTEGER_FORMAT, nr);
	switch (g->details) {
	case SD_OPEN:    details_open(r, sc); break;
	case SD_CLOSE:   details_close(r, sc); break;
	case SD_CONNECT: details_connect(r, sc); break;
	case SD_BIND:    details_bind(r, sc); break;
	case SD_ACCEPT:  details_accept(r, sc); break;
	case SD_DUP:     details_dup(r, sc); break;
	case SD_PATHS:   details_paths(r, sc); break;
	case SD_ARGS:    details_args(r, sc); break;
	}
	put_failure(r, sc);
	if (json_is_true(json_object_get(sc, "truncated")))
		fputs(" (truncated)", r->out);
}

/* the word shown for a network event: its type */
static const char *network_word(const json_t *net)
{
	const char *type = get_str(net, "type");

	return type ? type : "network";
}

/* connect and close read local -> remote; an accepted connection local <- remote */
static void render_network(struct render *r, const json_t *root, json_t *net,
			   const char *word)
{
	json_t *process = json_object_get(net, "process");
	const char *type = get_str(net, "type");
	const char *protocol = get_str(net, "protocol");
	const char *saddr = get_str(net, "saddr");
	const char *daddr = get_str(net, "daddr");
	const char *emoji = "🔌", *arrow = "->";
	json_int_t sport = 0, dport = 0;

	if (type && strcmp(type, "accept") == 0)
		emoji = "🔗", arrow = "<-";
	else if (type && strcmp(type, "close") == 0)
		emoji = "📪";
	get_int(net, "sport", &sport);
	get_int(net, "dport", &dport);
	put_head(r, emoji, STYLE_CYAN, word);
	put_where(r, root, process);
	put_process(r, process, false);
	if (protocol) {
		fputc(' ', r->out);
		put_text(r, protocol);
	}
	fputc(' ', r->out);
	put_hostport(r, saddr ? saddr : "?", sport);
	fprintf(r->out, " %s ", arrow);
	put_hostport(r, daddr ? daddr : "?", dport);
}

/* "killed (kernel) openat /etc/shadow by rule "Protect shadow"" */
static void render_enforcement(struct render *r, const json_t *root, json_t *enf,
			       const char *word)
{
	json_t *process = json_object_get(enf, "process");
	const char *action = get_str(enf, "action");
	const char *syscall = get_str(enf, "syscall");
	const char *path = get_str(enf, "path");
	const char *daddr = get_str(enf, "daddr");
	const char *rule = get_str(enf, "rule");
	json_int_t dport = 0;

	put_head(r, "⛔", STYLE_RED, word);
	put_where(r, root, process);
	put_process(r, process, true);
	fputc(' ', r->out);
	put_styled(r, STYLE_RED STYLE_BOLD, action ? action : "?");
	if (syscall) {
		fputc(' ', r->out);
		put_text(r, syscall);
	}
	if (path) {
		fputc(' ', r->out);
		put_text(r, path);
	} else if (daddr) {
		get_int(enf, "dport", &dport);
		fputc(' ', r->out);
		put_hostport(r, daddr, dport);
	}
	if (rule) {
		fputs(" by rule \"", r->out);
		put_text(r, rule);
		fputc('"', r->out);
	}
}

static const struct kind {
	const char *key;
	const char *word;                          /* shown after the emoji, */
	const char *(*word_of)(const json_t *body); /* or taken from the event */
	void (*render)(struct render *r, const json_t *root, json_t *body, const char *word);
} kinds[] = {
	{ "process_exec", "process", NULL, render_exec },
	{ "process_fork", "fork", NULL, render_fork },
	{ "process_exit", "exit", NULL, render_exit },
	{ "syscall", NULL, syscall_word, render_syscall },
	{ "network", NULL, network_word, render_network },
	{ "enforcement", "enforce", NULL, render_enforcement },
};

/* ---- alerts --------------------------------------------------------------- */

static const char *priority_style(const char *priority)
{
	static const char *const severe[] = { "emergency", "alert", "critical", "error" };

	if (!priority)
		return NULL;
	for (size_t i = 0; i < sizeof(severe) / sizeof(severe[0]); i++)
		if (strcasecmp(priority, severe[i]) == 0)
			return STYLE_RED STYLE_BOLD;
	if (strcasecmp(priority, "warning") == 0)
		return STYLE_YELLOW;
	return STYLE_CYAN;
}

static void render_alert(struct render *r, const json_t *alert)
{
	const char *priority = get_str(alert, "priority");

	put_head(r, "🔥", priority_style(priority), priority ? priority : "?");
	put_styled(r, STYLE_BOLD, get_str(alert, "rule"));
	fputs(": ", r->out);
	put_text(r, get_str(alert, "output"));
}

/* an alert is filtered on the Falco fields its rule chose to output */
static void alert_subject(const json_t *alert, struct subject *s)
{
	const json_t *fields = json_object_get(alert, "output_fields");

	memset(s, 0, sizeof(*s));
	s->kind = "alert";
	s->has_pid = get_int(fields, "proc.pid", &s->pid);
	s->binary = get_str(fields, "proc.exepath");
	s->pod_uid = get_str(fields, "k8s.pod.uid");
	s->container_id = get_str(fields, "container.id");
}

static void event_subject(const struct kind *kind, const json_t *body, struct subject *s)
{
	const json_t *process = json_object_get(body, "process");
	const json_t *container = json_object_get(process, "container");

	s->kind = kind->key;
	s->syscall = strcmp(kind->key, "syscall") == 0 ? get_str(body, "name") : NULL;
	s->word = kind->word ? kind->word : kind->word_of(body);
	s->has_pid = get_int(process, "pid", &s->pid);
	s->binary = get_str(process, "binary");
	s->pod_uid = get_str(container, "pod_uid");
	s->container_id = get_str(container, "id");
}

/* ---- one line ------------------------------------------------------------ */

/*
 * Reasons go to a terminal too; input text in them (jansson quotes the
 * bad token, an unknown key is named) has its control characters replaced.
 */
static void __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static bool is_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return false;
	return true;
}

/* why an object without a known kind key is not an event */
static void explain_unknown(const json_t *root, char *err, size_t errlen)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)root, key, v) {
		if (strcmp(key, "node_name") != 0 && strcmp(key, "time") != 0) {
			fail(err, errlen, "unknown event kind \"%s\"", key);
			return;
		}
	}
	fail(err, errlen, "no event kind");
}

enum observe_result observe_line(struct observe *ob, const char *line, size_t len, FILE *out,
				 char *err, size_t errlen)
{
	struct render r = { out, ob->color };
	const struct kind *kind = NULL;
	enum observe_result result;
	struct subject s;
	json_error_t jerr;
	json_t *root, *body = NULL;

	if (is_blank(line, len))
		return OBSERVE_BLANK;
	root = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
	if (!root) {
		fail(err, errlen, "not JSON: %s (column %d)", jerr.text, jerr.column);
		return OBSERVE_BAD;
	}
	if (!json_is_object(root)) {
		fail(err, errlen, "not a JSON object");
		json_decref(root);
		return OBSERVE_BAD;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !kind; i++) {
		body = json_object_get(root, kinds[i].key);
		if (body)
			kind = &kinds[i];
	}
	if (kind && !json_is_object(body)) {
		fail(err, errlen, "\"%s\" is not an object", kind->key);
		result = OBSERVE_BAD;
	} else if (kind) {
		event_subject(kind, body, &s);
		result = subject_passes(ob, &s) ? OBSERVE_SHOWN : OBSERVE_HIDDEN;
		if (result == OBSERVE_SHOWN) {
			kind->render(&r, root, body, s.word);
			fputc('\n', out);
		}
	} else if (get_str(root, "rule") && get_str(root, "output")) {
		alert_subject(root, &s);
		result = subject_passes(ob, &s) ? OBSERVE_SHOWN : OBSERVE_HIDDEN;
		if (result == OBSERVE_SHOWN) {
			render_alert(&r, root);
			fputc('\n', out);
		}
	} else {
		explain_unknown(root, err, errlen);
		result = OBSERVE_BAD;
	}
	json_decref(root);
	return result;
}
