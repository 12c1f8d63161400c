/*
 * test_fd_table.c - the per-process fd table: entries and their reference
 * counts through put/get/del/copy/clear, socket names (client->server, as
 * Falco writes them), fd type letters and names, and types read from
 * /proc/PID/fd link text.
 */
#include "test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fd_table.h"

static void entry_basics(void **state)
{
	struct fd_entry *e = fd_entry_new(FDT_FILE, "/etc/passwd");

	(void)state;
	assert_int_equal(e->refs, 1);
	assert_int_equal(e->type, FDT_FILE);
	assert_string_equal(e->name, "/etc/passwd");
	assert_int_equal(e->flags, 0);
	assert_int_equal(e->ino, 0);
	assert_ptr_equal(fd_entry_ref(e), e);
	assert_int_equal(e->refs, 2);
	fd_entry_unref(e);
	assert_int_equal(e->refs, 1);
	fd_entry_unref(e);
	assert_null(fd_entry_ref(NULL));
	fd_entry_unref(NULL);

	e = fd_entry_new(FDT_PIPE, "");
	assert_string_equal(e->name, "");
	fd_entry_unref(e);
}

static void put_get_del(void **state)
{
	struct fd_table t = { 0 };
	struct fd_entry *a = fd_entry_new(FDT_FILE, "/a");
	struct fd_entry *b = fd_entry_new(FDT_DIR, "/b");

	(void)state;
	assert_null(fd_table_get(&t, 0));
	fd_table_put(&t, 0, fd_entry_ref(a));   /* the table takes this reference */
	fd_table_put(&t, 3, fd_entry_ref(b));
	assert_int_equal(a->refs, 2);
	assert_ptr_equal(fd_table_get(&t, 0), a);
	assert_ptr_equal(fd_table_get(&t, 3), b);
	assert_null(fd_table_get(&t, 4));
	assert_null(fd_table_get(&t, -1));

	/* replacing releases the old entry's reference */
	fd_table_put(&t, 0, fd_entry_ref(b));
	assert_int_equal(a->refs, 1);
	assert_int_equal(b->refs, 3);
	assert_ptr_equal(fd_table_get(&t, 0), b);

	fd_table_del(&t, 0);
	assert_null(fd_table_get(&t, 0));
	assert_int_equal(b->refs, 2);
	fd_table_del(&t, 0);   /* deleting a closed fd is a no-op */
	fd_table_del(&t, 99);
	assert_int_equal(b->refs, 2);

	fd_table_clear(&t);
	assert_int_equal(b->refs, 1);
	assert_null(fd_table_get(&t, 3));
	/* a cleared table can be used again */
	fd_table_put(&t, 7, fd_entry_ref(a));
	assert_ptr_equal(fd_table_get(&t, 7), a);
	fd_table_clear(&t);
	fd_entry_unref(a);
	fd_entry_unref(b);
}

/* copy shares entries (a fork's fds refer to the same open files) */
static void copy_shares_entries(void **state)
{
	struct fd_table src = { 0 }, dst = { 0 };
	struct fd_entry *e[3];
	struct fd_entry *old = fd_entry_new(FDT_FILE, "/old");

	(void)state;
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "/f%d", i);
		e[i] = fd_entry_new(FDT_FILE, name);
		fd_table_put(&src, i, e[i]);
	}
	/* dst already has an fd that src also has, and one of its own */
	fd_table_put(&dst, 1, fd_entry_ref(old));
	fd_table_put(&dst, 9, fd_entry_new(FDT_PIPE, "pipe:[9]"));
	fd_table_copy(&dst, &src);
	for (int i = 0; i < 3; i++) {
		assert_ptr_equal(fd_table_get(&dst, i), e[i]);
		assert_ptr_equal(fd_table_get(&src, i), e[i]);
		assert_int_equal(e[i]->refs, 2);
	}
	assert_int_equal(old->refs, 1);   /* replaced in dst */
	assert_string_equal(fd_table_get(&dst, 9)->name, "pipe:[9]");
	fd_table_clear(&src);
	for (int i = 0; i < 3; i++)
		assert_int_equal(e[i]->refs, 1);
	assert_string_equal(fd_table_get(&dst, 2)->name, "/f2");
	fd_table_clear(&dst);
	fd_entry_unref(old);

	/* copying an empty table adds nothing */
	fd_table_copy(&dst, &src);
	assert_null(fd_table_get(&dst, 0));
	fd_table_clear(&dst);
}

static struct vg_sock inet_sock(int family, const char *laddr, uint16_t lport, const char *raddr, uint16_t rport)
{
	struct vg_sock s = { 0 };

	s.family = family;
	s.proto = IPPROTO_TCP;
	s.type = SOCK_STREAM;
	s.lport = lport;
	s.rport = rport;
	assert_int_equal(inet_pton(family, laddr, s.laddr), 1);
	assert_int_equal(inet_pton(family, raddr, s.raddr), 1);
	return s;
}

struct sock_case {
	int family;
	const char *laddr;
	uint16_t lport;
	const char *raddr;
	uint16_t rport;
	bool server;
	const char *name;
	enum fd_type type;
	uint8_t flags;
};

static const struct sock_case sock_cases[] = {
	/* the client side: local end first */
	{ AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80, false, "10.0.0.1:40000->10.0.0.2:80", FDT_IPV4, FDE_CONNECTED },
	/* the server side (accept): the peer is the client, so it comes first */
	{ AF_INET, "10.0.0.1", 8080, "10.0.0.9", 5555, true, "10.0.0.9:5555->10.0.0.1:8080", FDT_IPV4,
	  FDE_SERVER | FDE_CONNECTED },
	/* not connected yet */
	{ AF_INET, "0.0.0.0", 0, "0.0.0.0", 0, false, "0.0.0.0:0->0.0.0.0:0", FDT_IPV4, 0 },
	/* listening (bound, server, no peer) */
	{ AF_INET, "0.0.0.0", 8080, "0.0.0.0", 0, true, "0.0.0.0:0->0.0.0.0:8080", FDT_IPV4, FDE_SERVER },
	{ AF_INET6, "::1", 40000, "2001:db8::5", 443, false, "::1:40000->2001:db8::5:443", FDT_IPV6, FDE_CONNECTED },
	{ AF_INET6, "fe80::1", 22, "::ffff:10.0.0.9", 51000, true, "::ffff:10.0.0.9:51000->fe80::1:22", FDT_IPV6,
	  FDE_SERVER | FDE_CONNECTED },
};

static void socket_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sock_cases) / sizeof(sock_cases[0]); i++) {
		const struct sock_case *c = &sock_cases[i];
		struct vg_sock s = inet_sock(c->family, c->laddr, c->lport, c->raddr, c->rport);
		struct fd_entry *e = fd_entry_socket(&s, NULL, c->server);

		if (strcmp(e->name, c->name) != 0)
			fail_msg("case %zu: name \"%s\", want \"%s\"", i, e->name, c->name);
		assert_int_equal(e->type, c->type);
		assert_int_equal(e->flags, c->flags);
		assert_memory_equal(&e->sock, &s, sizeof(s));
		assert_int_equal(e->refs, 1);
		fd_entry_unref(e);
	}
}

static void other_socket_families(void **state)
{
	struct vg_sock s = { 0 };
	struct fd_entry *e;

	(void)state;
	s.family = AF_UNIX;
	e = fd_entry_socket(&s, "/run/app.sock", false);
	assert_int_equal(e->type, FDT_UNIX);
	assert_string_equal(e->name, "/run/app.sock");
	assert_int_equal(e->flags, FDE_CONNECTED);
	fd_entry_unref(e);

	e = fd_entry_socket(&s, "@abstract", true);
	assert_string_equal(e->name, "@abstract");
	assert_int_equal(e->flags, FDE_SERVER | FDE_CONNECTED);
	fd_entry_unref(e);

	/* an unnamed unix socket */
	e = fd_entry_socket(&s, NULL, false);
	assert_int_equal(e->type, FDT_UNIX);
	assert_string_equal(e->name, "");
	assert_int_equal(e->flags, 0);
	fd_entry_unref(e);

	s.family = AF_NETLINK;
	e = fd_entry_socket(&s, NULL, false);
	assert_int_equal(e->type, FDT_NETLINK);
	assert_string_equal(e->name, "");
	fd_entry_unref(e);

	s.family = AF_PACKET;
	e = fd_entry_socket(&s, NULL, false);
	assert_int_equal(e->type, FDT_UNKNOWN);
	assert_string_equal(e->name, "");
	assert_int_equal(e->sock.family, AF_PACKET);
	fd_entry_unref(e);
}

static void families(void **state)
{
	(void)state;
	assert_int_equal(fd_type_of_family(AF_INET), FDT_IPV4);
	assert_int_equal(fd_type_of_family(AF_INET6), FDT_IPV6);
	assert_int_equal(fd_type_of_family(AF_UNIX), FDT_UNIX);
	assert_int_equal(fd_type_of_family(AF_NETLINK), FDT_NETLINK);
	assert_int_equal(fd_type_of_family(AF_PACKET), FDT_UNKNOWN);
	assert_int_equal(fd_type_of_family(0), FDT_UNKNOWN);
}

/* fd.typechar and fd.type, as Falco prints them */
static void type_letters_and_names(void **state)
{
	static const struct {
		enum fd_type t;
		const char *letter, *name;
	} want[] = {
		{ FDT_UNKNOWN, "o", "<NA>" },     { FDT_FILE, "f", "file" },
		{ FDT_DIR, "d", "directory" },    { FDT_IPV4, "4", "ipv4" },
		{ FDT_IPV6, "6", "ipv6" },        { FDT_UNIX, "u", "unix" },
		{ FDT_PIPE, "p", "pipe" },        { FDT_EVENT, "e", "event" },
		{ FDT_SIGNALFD, "s", "signalfd" }, { FDT_EVENTPOLL, "l", "eventpoll" },
		{ FDT_INOTIFY, "i", "inotify" },  { FDT_TIMERFD, "t", "timerfd" },
		{ FDT_NETLINK, "n", "netlink" },  { FDT_BPF, "b", "bpf" },
		{ FDT_USERFAULTFD, "u", "userfaultfd" }, { FDT_IO_URING, "r", "io_uring" },
		{ FDT_MEMFD, "m", "memfd" },      { FDT_PIDFD, "P", "pidfd" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(fd_type_letter(want[i].t), want[i].letter);
		assert_string_equal(fd_type_name(want[i].t), want[i].name);
	}
	/* out of range */
	assert_string_equal(fd_type_letter((enum fd_type)200), "o");
	assert_string_equal(fd_type_name((enum fd_type)200), "<NA>");
}

static void types_of_links(void **state)
{
	static const struct {
		const char *link;
		enum fd_type t;
	} want[] = {
		{ "socket:[1]", FDT_UNKNOWN },   /* the family is not in the link */
		{ "pipe:[2]", FDT_PIPE },
		{ "anon_inode:[eventfd]", FDT_EVENT },
		{ "anon_inode:[signalfd]", FDT_SIGNALFD },
		{ "anon_inode:[eventpoll]", FDT_EVENTPOLL },
		{ "anon_inode:inotify", FDT_INOTIFY },
		{ "anon_inode:[timerfd]", FDT_TIMERFD },
		{ "anon_inode:bpf-map", FDT_BPF },
		{ "anon_inode:bpf-prog", FDT_BPF },
		{ "anon_inode:[userfaultfd]", FDT_USERFAULTFD },
		{ "anon_inode:[io_uring]", FDT_IO_URING },
		{ "anon_inode:[pidfd]", FDT_PIDFD },
		{ "anon_inode:[perf_event]", FDT_UNKNOWN },
		{ "/memfd:x (deleted)", FDT_MEMFD },
		{ "/memfd:", FDT_MEMFD },
		{ "/etc/passwd", FDT_FILE },
		{ "/dev/null", FDT_FILE },
		{ "/tmp/file (deleted)", FDT_FILE },
		{ "net:[4026531840]", FDT_UNKNOWN },
		{ "", FDT_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (fd_type_of_link(want[i].link) != want[i].t)
			fail_msg("\"%s\": type %d, want %d", want[i].link, fd_type_of_link(want[i].link), want[i].t);
}

static void addresses(void **state)
{
	uint8_t a[16] = { 0 };
	char buf[64];

	(void)state;
	assert_int_equal(inet_pton(AF_INET, "192.168.1.20", a), 1);
	fd_format_addr(AF_INET, a, buf, sizeof(buf));
	assert_string_equal(buf, "192.168.1.20");
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", a), 1);
	fd_format_addr(AF_INET6, a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	/* a buffer too small gives "?" rather than a cut address */
	fd_format_addr(AF_INET6, a, buf, 4);
	assert_string_equal(buf, "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(entry_basics),
		cmocka_unit_test(put_get_del),
		cmocka_unit_test(copy_shares_entries),
		cmocka_unit_test(socket_names),
		cmocka_unit_test(other_socket_families),
		cmocka_unit_test(families),
		cmocka_unit_test(type_letters_and_names),
		cmocka_unit_test(types_of_links),
		cmocka_unit_test(addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
