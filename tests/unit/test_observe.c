/*
 * test_observe.c - `vigil observe`: the line rendered for each event kind
 * (exact text, colour off), the filters, bad and sparse input, and the
 * command around it (options, exit status, warnings, flushing).
 */
#include "test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd.h"
#include "observe.h"

/* render one line; returns the result, *text the output (malloc'd) */
static enum observe_result run_line(struct observe *ob, const char *line, char **text, char *err,
				    size_t errlen)
{
	size_t size;
	FILE *out = open_memstream(text, &size);
	enum observe_result res;

	assert_non_null(out);
	err[0] = 0;
	res = observe_line(ob, line, strlen(line), out, err, errlen);
	fclose(out);
	return res;
}

/* `line` renders as `expected` (without the newline) through `ob` */
static void check_with(struct observe *ob, const char *line, const char *expected)
{
	char err[256];
	char *text;
	char *want;

	assert_int_equal(run_line(ob, line, &text, err, sizeof(err)), OBSERVE_SHOWN);
	want = malloc(strlen(expected) + 2);
	assert_non_null(want);
	strcpy(want, expected);
	strcat(want, "\n");
	assert_string_equal(text, want);
	free(want);
	free(text);
}

static void check(const char *line, const char *expected)
{
	struct observe *ob = observe_new();

	assert_non_null(ob);
	check_with(ob, line, expected);
	observe_free(ob);
}

/* `line` is rejected with a reason containing `why` */
static void check_bad(const char *line, const char *why)
{
	struct observe *ob = observe_new();
	char err[256];
	char *text;

	assert_int_equal(run_line(ob, line, &text, err, sizeof(err)), OBSERVE_BAD);
	assert_string_equal(text, "");
	if (!strstr(err, why))
		fail_msg("reason \"%s\" lacks \"%s\"", err, why);
	free(text);
	observe_free(ob);
}

static enum observe_result result_of(struct observe *ob, const char *line)
{
	char err[256];
	char *text;
	enum observe_result res = run_line(ob, line, &text, err, sizeof(err));

	assert_true(res == OBSERVE_SHOWN ? *text != 0 : *text == 0);
	free(text);
	return res;
}

#define CURL "\"process\":{\"pid\":4231,\"binary\":\"/usr/bin/curl\",\"arguments\":\"https://example.com\"}"
#define CAT "\"process\":{\"pid\":4240,\"binary\":\"/usr/bin/cat\"}"
#define VM ",\"node_name\":\"vm\",\"time\":\"2026-11-29T05:53:14.123456789Z\"}"

/* ---- each kind ------------------------------------------------------------ */

static void test_process_exec(void **state)
{
	(void)state;
	check("{\"process_exec\":{" CURL ",\"parent\":{\"pid\":1}}" VM,
	      "🚀 process vm /usr/bin/curl https://example.com");
	check("{\"process_exec\":{\"process\":{\"binary\":\"/usr/bin/id\",\"arguments\":\"\"}}" VM,
	      "🚀 process vm /usr/bin/id");
}

static void test_process_fork(void **state)
{
	(void)state;
	check("{\"process_fork\":{\"process\":{\"pid\":4232,\"binary\":\"/usr/bin/bash\","
	      "\"arguments\":\"-c x\",\"flags\":\"clone\"}}" VM,
	      "🧬 fork    vm /usr/bin/bash -c x child 4232");
}

static void test_process_exit(void **state)
{
	(void)state;
	check("{\"process_exit\":{" CURL ",\"status\":0}" VM,
	      "💥 exit    vm /usr/bin/curl https://example.com 0");
	check("{\"process_exit\":{" CURL ",\"status\":7}" VM,
	      "💥 exit    vm /usr/bin/curl https://example.com 7");
	check("{\"process_exit\":{\"process\":{\"binary\":\"/usr/bin/sleep\",\"arguments\":\"100\"},"
	      "\"signal\":\"SIGKILL\"}" VM,
	      "💥 exit    vm /usr/bin/sleep 100 SIGKILL");
	check("{\"process_exit\":{\"process\":{\"binary\":\"/a.out\"},\"signal\":\"SIGSEGV\","
	      "\"core_dumped\":true}" VM,
	      "💥 exit    vm /a.out SIGSEGV (core dumped)");
	/* neither status nor signal: nothing is made up */
	check("{\"process_exit\":{\"process\":{\"binary\":\"/a.out\"}}" VM, "💥 exit    vm /a.out");
}

static void test_where(void **state)
{
	(void)state;
	/* a container without a pod: the first 12 characters of its id */
	check("{\"process_exec\":{\"process\":{\"binary\":\"/bin/sh\",\"container\":{\"id\":"
	      "\"0123456789abcdef0123456789abcdef\",\"runtime\":\"docker\"}}}" VM,
	      "🚀 process 0123456789ab /bin/sh");
	check("{\"process_exec\":{\"process\":{\"binary\":\"/bin/sh\",\"container\":{\"id\":\"abc\"}}}" VM,
	      "🚀 process abc /bin/sh");
	/* a pod: its uid */
	check("{\"process_exec\":{\"process\":{\"binary\":\"/bin/sh\",\"container\":{\"id\":\"0123456789abcdef\","
	      "\"pod_uid\":\"1f2e3d4c-aaaa-bbbb-cccc-0123456789ab\"}}}" VM,
	      "🚀 process 1f2e3d4c-aaaa-bbbb-cccc-0123456789ab /bin/sh");
	/* no node name */
	check("{\"process_exec\":{\"process\":{\"binary\":\"/bin/sh\"}}}", "🚀 process ? /bin/sh");
	/* a binary-less process is named by comm, then "?" */
	check("{\"process_exec\":{\"process\":{\"binary\":\"\",\"comm\":\"kworker/0:1\"}}" VM,
	      "🚀 process vm kworker/0:1");
	check("{\"process_exec\":{}" VM, "🚀 process vm ?");
}

static void test_open_close(void **state)
{
	(void)state;
	check("{\"syscall\":{" CAT ",\"name\":\"openat\",\"nr\":257,\"ret\":3,\"args\":{\"dirfd\":-100,"
	      "\"name\":\"passwd\",\"flags\":0,\"mode\":0},\"path\":\"/etc/passwd\",\"fd\":{\"num\":3,"
	      "\"type\":\"file\",\"name\":\"/etc/passwd\"}}" VM,
	      "📬 open    vm /usr/bin/cat /etc/passwd");
	/* no path: args.name */
	check("{\"syscall\":{" CAT ",\"name\":\"open\",\"ret\":-2,\"error\":\"ENOENT\","
	      "\"args\":{\"name\":\"nope\",\"flags\":0}}" VM,
	      "📬 open    vm /usr/bin/cat nope ENOENT");
	/* neither: what the fd table knows */
	check("{\"syscall\":{" CAT ",\"name\":\"open_by_handle_at\",\"ret\":4,"
	      "\"fd\":{\"num\":4,\"type\":\"file\",\"name\":\"/srv/x\"}}" VM,
	      "📬 open    vm /usr/bin/cat /srv/x");
	/* a failure whose errno has no name */
	check("{\"syscall\":{" CAT ",\"name\":\"openat\",\"ret\":-531,\"path\":\"/x\"}" VM,
	      "📬 open    vm /usr/bin/cat /x ret=-531");
	check("{\"syscall\":{" CAT ",\"name\":\"close\",\"ret\":0,\"args\":{\"fd\":3},"
	      "\"fd\":{\"num\":3,\"type\":\"file\",\"name\":\"/etc/passwd\"}}" VM,
	      "📪 close   vm /usr/bin/cat /etc/passwd");
	check("{\"syscall\":{" CAT ",\"name\":\"close\",\"ret\":-9,\"error\":\"EBADF\","
	      "\"args\":{\"fd\":99}}" VM,
	      "📪 close   vm /usr/bin/cat fd 99 EBADF");
}

#define TCP_FD "\"fd\":{\"num\":3,\"type\":\"ipv4\",\"name\":\"10.0.0.5:51234->93.184.216.34:443\"," \
	"\"proto\":\"tcp\",\"laddr\":\"10.0.0.5\",\"lport\":51234,\"raddr\":\"93.184.216.34\",\"rport\":443}"

static void test_socket_syscalls(void **state)
{
	(void)state;
	check("{\"syscall\":{" CURL ",\"name\":\"connect\",\"ret\":0,\"args\":{\"fd\":3,\"addr\":"
	      "{\"family\":\"AF_INET\",\"addr\":\"93.184.216.34\",\"port\":443}}," TCP_FD "}" VM,
	      "🔌 connect vm /usr/bin/curl tcp 10.0.0.5:51234 -> 93.184.216.34:443");
	/* refused: no local side yet, the sockaddr says where to */
	check("{\"syscall\":{" CURL ",\"name\":\"connect\",\"ret\":-111,\"error\":\"ECONNREFUSED\","
	      "\"args\":{\"fd\":3,\"addr\":{\"family\":\"AF_INET6\",\"addr\":\"::1\",\"port\":8080}}}" VM,
	      "🔌 connect vm /usr/bin/curl [::1]:8080 ECONNREFUSED");
	check("{\"syscall\":{" CURL ",\"name\":\"connect\",\"ret\":0,\"args\":{\"fd\":3,\"addr\":"
	      "{\"family\":\"AF_UNIX\",\"path\":\"/run/x.sock\"}}}" VM,
	      "🔌 connect vm /usr/bin/curl /run/x.sock");
	check("{\"syscall\":{" CURL ",\"name\":\"connect\",\"ret\":0,\"args\":{\"fd\":3,\"addr\":"
	      "{\"family\":\"AF_NETLINK\"}}}" VM,
	      "🔌 connect vm /usr/bin/curl AF_NETLINK");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/dig\"},\"name\":\"sendto\",\"ret\":40,"
	      "\"args\":{\"fd\":3,\"size\":40,\"addr\":{\"family\":\"AF_INET\",\"addr\":\"8.8.8.8\","
	      "\"port\":53}},\"fd\":{\"num\":3,\"proto\":\"udp\",\"laddr\":\"0.0.0.0\",\"lport\":40000}}" VM,
	      "📤 sendto  vm /usr/bin/dig udp 0.0.0.0:40000 -> 8.8.8.8:53");
	/* sendmsg on a connected socket: the fd's peer */
	check("{\"syscall\":{" CURL ",\"name\":\"sendmsg\",\"ret\":10,\"args\":{\"fd\":3}," TCP_FD "}" VM,
	      "📤 sendmsg vm /usr/bin/curl tcp 10.0.0.5:51234 -> 93.184.216.34:443");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/nc\"},\"name\":\"bind\",\"ret\":0,"
	      "\"args\":{\"fd\":3,\"addr\":{\"family\":\"AF_INET\",\"addr\":\"0.0.0.0\",\"port\":4444}},"
	      "\"fd\":{\"num\":3,\"type\":\"ipv4\",\"proto\":\"tcp\"}}" VM,
	      "🔗 bind    vm /usr/bin/nc tcp 0.0.0.0:4444");
	/* a listening socket has no remote side */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/nc\"},\"name\":\"listen\",\"ret\":0,"
	      "\"args\":{\"fd\":3,\"backlog\":1},\"fd\":{\"num\":3,\"proto\":\"tcp\",\"laddr\":\"0.0.0.0\","
	      "\"lport\":4444,\"raddr\":\"0.0.0.0\",\"rport\":0}}" VM,
	      "🔗 listen  vm /usr/bin/nc tcp 0.0.0.0:4444 backlog=1");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/nc\"},\"name\":\"accept4\",\"ret\":4,"
	      "\"fd\":{\"num\":4,\"proto\":\"tcp\",\"laddr\":\"10.0.0.5\",\"lport\":4444,"
	      "\"raddr\":\"10.0.0.9\",\"rport\":40000}}" VM,
	      "🔗 accept  vm /usr/bin/nc tcp 10.0.0.5:4444 <- 10.0.0.9:40000");
	/* a new socket knows no address yet: its arguments */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/nc\"},\"name\":\"socket\",\"ret\":3,"
	      "\"args\":{\"domain\":2,\"type\":1,\"proto\":0},\"fd\":{\"num\":3,\"type\":\"ipv4\"}}" VM,
	      "🔗 socket  vm /usr/bin/nc domain=2 type=1 proto=0");
}

static void test_dup(void **state)
{
	(void)state;
	/* the reverse shell: stdin now reads from the peer */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/bash\"},\"name\":\"dup2\",\"ret\":0,"
	      "\"args\":{\"oldfd\":3,\"newfd\":0},\"fd\":{\"num\":0,\"type\":\"ipv4\",\"proto\":\"tcp\","
	      "\"laddr\":\"127.0.0.1\",\"lport\":51234,\"raddr\":\"127.0.0.1\",\"rport\":4444}}" VM,
	      "🔀 dup     vm /usr/bin/bash fd 0 -> tcp 127.0.0.1:4444");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/bash\"},\"name\":\"dup\",\"ret\":5,"
	      "\"args\":{\"fd\":1},\"fd\":{\"num\":5,\"type\":\"file\",\"name\":\"/tmp/log\"}}" VM,
	      "🔀 dup     vm /usr/bin/bash fd 5 -> /tmp/log");
	/* unknown to the fd table: the old fd, from the arguments */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/bash\"},\"name\":\"dup3\",\"ret\":7,"
	      "\"args\":{\"oldfd\":3,\"newfd\":7,\"flags\":0}}" VM,
	      "🔀 dup     vm /usr/bin/bash fd 7 -> fd 3");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/bash\"},\"name\":\"dup2\",\"ret\":-9,"
	      "\"error\":\"EBADF\",\"args\":{\"oldfd\":30,\"newfd\":0}}" VM,
	      "🔀 dup     vm /usr/bin/bash fd 30 EBADF");
}

static void test_path_syscalls(void **state)
{
	(void)state;
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/rm\"},\"name\":\"unlinkat\",\"ret\":0,"
	      "\"args\":{\"dirfd\":-100,\"name\":\"x\",\"flags\":0},\"path\":\"/tmp/x\"}" VM,
	      "🧹 unlink  vm /usr/bin/rm /tmp/x");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/rmdir\"},\"name\":\"rmdir\",\"ret\":-39,"
	      "\"error\":\"ENOTEMPTY\",\"args\":{\"path\":\"d\"},\"path\":\"/tmp/d\"}" VM,
	      "🧹 rmdir   vm /usr/bin/rmdir /tmp/d ENOTEMPTY");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/mv\"},\"name\":\"renameat2\",\"ret\":0,"
	      "\"args\":{\"olddirfd\":-100,\"oldpath\":\"a\",\"newdirfd\":-100,\"newpath\":\"b\","
	      "\"flags\":0},\"path\":\"/root/a\",\"path2\":\"/root/b\"}" VM,
	      "📝 rename  vm /usr/bin/mv /root/a -> /root/b");
	/* without path and path2: the string arguments in order */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/ln\"},\"name\":\"symlinkat\",\"ret\":0,"
	      "\"args\":{\"target\":\"/etc/shadow\",\"linkdirfd\":-100,\"linkpath\":\"s\"}}" VM,
	      "📝 symlink vm /usr/bin/ln /etc/shadow -> s");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/mount\"},\"name\":\"mount\",\"ret\":0,"
	      "\"args\":{\"dev\":\"proc\",\"dir\":\"/mnt\",\"type\":\"proc\",\"flags\":0},"
	      "\"path\":\"proc\",\"path2\":\"/mnt\"}" VM,
	      "📦 mount   vm /usr/bin/mount proc -> /mnt flags=0");
	check("{\"syscall\":{\"process\":{\"binary\":\"/bin/sh\"},\"name\":\"fchdir\",\"ret\":0,"
	      "\"args\":{\"fd\":3},\"fd\":{\"num\":3,\"type\":\"directory\",\"name\":\"/srv\"}}" VM,
	      "📁 chdir   vm /bin/sh /srv");
	check("{\"syscall\":{\"process\":{\"binary\":\"/bin/sh\"},\"name\":\"execve\",\"ret\":-2,"
	      "\"error\":\"ENOENT\",\"args\":{\"filename\":\"/nope\"},\"path\":\"/nope\"}" VM,
	      "🚀 exec    vm /bin/sh /nope ENOENT");
}

static void test_argument_syscalls(void **state)
{
	(void)state;
	/* a path replaces the dirfd and the path argument; modes are octal */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/chmod\"},\"name\":\"fchmodat\",\"ret\":0,"
	      "\"args\":{\"dirfd\":-100,\"filename\":\"x\",\"mode\":493},\"path\":\"/root/x\"}" VM,
	      "🔧 chmod   vm /usr/bin/chmod /root/x mode=0755");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/sudo\"},\"name\":\"setresuid\",\"ret\":0,"
	      "\"args\":{\"ruid\":0,\"euid\":0,\"suid\":0}}" VM,
	      "🔑 setuid  vm /usr/bin/sudo ruid=0 euid=0 suid=0");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/gdb\"},\"name\":\"ptrace\",\"ret\":-1,"
	      "\"error\":\"EPERM\",\"args\":{\"request\":16,\"pid\":1}}" VM,
	      "🐛 ptrace  vm /usr/bin/gdb request=16 pid=1 EPERM");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/kill\"},\"name\":\"kill\",\"ret\":0,"
	      "\"args\":{\"pid\":4300,\"sig\":9}}" VM,
	      "💀 kill    vm /usr/bin/kill pid=4300 sig=9");
	/* the module comes from the fd; the fd and string arguments are not repeated */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/sbin/insmod\"},\"name\":\"finit_module\","
	      "\"ret\":0,\"args\":{\"fd\":3,\"uargs\":\"\",\"flags\":0},"
	      "\"fd\":{\"num\":3,\"type\":\"file\",\"name\":\"/root/evil.ko\"}}" VM,
	      "🧩 insmod  vm /usr/sbin/insmod /root/evil.ko flags=0");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/sbin/bpftool\"},\"name\":\"bpf\",\"ret\":5,"
	      "\"args\":{\"cmd\":5,\"size\":120}}" VM,
	      "🐝 bpf     vm /usr/sbin/bpftool cmd=5 size=120");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/python3\"},\"name\":\"memfd_create\","
	      "\"ret\":3,\"args\":{\"name\":\"x\",\"flags\":1},"
	      "\"fd\":{\"num\":3,\"type\":\"anon\",\"name\":\"/memfd:x (deleted)\"}}" VM,
	      "🧠 memfd   vm /usr/bin/python3 /memfd:x (deleted) flags=1");
	/* without a path or fd, string arguments are shown */
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/sbin/rmmod\"},\"name\":\"delete_module\","
	      "\"ret\":0,\"args\":{\"name\":\"evil\",\"flags\":0}}" VM,
	      "🧩 rmmod   vm /usr/sbin/rmmod name=evil flags=0");
	check("{\"syscall\":{\"process\":{\"binary\":\"/usr/bin/unshare\"},\"name\":\"unshare\",\"ret\":0,"
	      "\"args\":{\"flags\":131072}}" VM,
	      "📦 unshare vm /usr/bin/unshare flags=131072");
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"mprotect\",\"ret\":0,"
	      "\"args\":{\"start\":4096,\"len\":4096,\"prot\":5}}" VM,
	      "🧠 mprot   vm /x start=4096 len=4096 prot=5");
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"clone3\",\"ret\":77,"
	      "\"args\":{\"size\":88}}" VM,
	      "🧬 clone   vm /x size=88");
}

static void test_other_syscalls(void **state)
{
	(void)state;
	/* a syscall without its own group: its name, every argument */
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"prctl\",\"ret\":0,"
	      "\"args\":{\"option\":15,\"name\":\"evil\",\"ok\":true,\"no\":false,\"nil\":null,"
	      "\"r\":1.5,\"list\":[1],\"obj\":{\"a\":1}}}" VM,
	      "❓ prctl   vm /x option=15 name=evil ok=true no=false nil=null r=1.5 list=[...] obj={...}");
	/* a long name is not cut; the columns just shift for that line */
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"name_to_handle_at\",\"ret\":0}" VM,
	      "❓ name_to_handle_at vm /x");
	/* no name at all */
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"nr\":999,\"ret\":-38,"
	      "\"error\":\"ENOSYS\"}" VM,
	      "❓ syscall vm /x nr=999 ENOSYS");
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"openat\",\"path\":\"/aaaa\","
	      "\"truncated\":true}" VM,
	      "📬 open    vm /x /aaaa (truncated)");
}

static void test_network(void **state)
{
	(void)state;
	check("{\"network\":{" CURL ",\"type\":\"connect\",\"protocol\":\"tcp\",\"family\":\"AF_INET\","
	      "\"saddr\":\"10.0.0.5\",\"sport\":51234,\"daddr\":\"93.184.216.34\",\"dport\":443,"
	      "\"cookie\":1}" VM,
	      "🔌 connect vm /usr/bin/curl tcp 10.0.0.5:51234 -> 93.184.216.34:443");
	check("{\"network\":{\"process\":{\"binary\":\"/usr/sbin/nginx\"},\"type\":\"accept\","
	      "\"protocol\":\"tcp\",\"family\":\"AF_INET6\",\"saddr\":\"fd00::1\",\"sport\":80,"
	      "\"daddr\":\"fd00::2\",\"dport\":5555}" VM,
	      "🔗 accept  vm /usr/sbin/nginx tcp [fd00::1]:80 <- [fd00::2]:5555");
	check("{\"network\":{" CURL ",\"type\":\"close\",\"protocol\":\"tcp\",\"saddr\":\"10.0.0.5\","
	      "\"sport\":51234,\"daddr\":\"93.184.216.34\",\"dport\":443}" VM,
	      "📪 close   vm /usr/bin/curl tcp 10.0.0.5:51234 -> 93.184.216.34:443");
	/* sparse: every field missing */
	check("{\"network\":{}" VM, "🔌 network vm ? ?:0 -> ?:0");
}

static void test_enforcement(void **state)
{
	(void)state;
	check("{\"enforcement\":{\"process\":{\"binary\":\"/usr/bin/cat\",\"arguments\":\"/etc/shadow\"},"
	      "\"action\":\"killed (kernel)\",\"rule\":\"Read shadow\",\"selector\":\"x\","
	      "\"syscall\":\"openat\",\"path\":\"/etc/shadow\"}" VM,
	      "⛔ enforce vm /usr/bin/cat /etc/shadow killed (kernel) openat /etc/shadow by rule \"Read shadow\"");
	check("{\"enforcement\":{" CURL ",\"action\":\"would deny\",\"rule\":\"No egress\","
	      "\"syscall\":\"connect\",\"daddr\":\"1.2.3.4\",\"dport\":443}" VM,
	      "⛔ enforce vm /usr/bin/curl https://example.com would deny connect 1.2.3.4:443 by rule \"No egress\"");
	check("{\"enforcement\":{}" VM, "⛔ enforce vm ? ?");
}

static void test_alert(void **state)
{
	(void)state;
	check("{\"time\":\"2026-11-29T05:53:14Z\",\"rule\":\"Terminal shell in container\","
	      "\"priority\":\"Warning\",\"output\":\"A shell was spawned (user=root)\","
	      "\"output_fields\":{\"proc.pid\":4250}}",
	      "🔥 Warning Terminal shell in container: A shell was spawned (user=root)");
	check("{\"rule\":\"R\",\"priority\":\"Critical\",\"output\":\"o\"}", "🔥 Critical R: o");
	check("{\"rule\":\"R\",\"output\":\"o\"}", "🔥 ?       R: o");
}

/* what a watched process names itself cannot forge a line or drive the terminal */
static void test_escaping(void **state)
{
	(void)state;
	check("{\"process_exec\":{\"process\":{\"binary\":\"/tmp/x\\n🚀 process vm /bin/ok\","
	      "\"arguments\":\"\\u001b[31mred\\t\\r\\u007f\"}}" VM,
	      "🚀 process vm /tmp/x\\n🚀 process vm /bin/ok \\x1b[31mred\\t\\r\\x7f");
	/* C1 controls (CSI is U+009B), bidi overrides; other Unicode is kept */
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"openat\","
	      "\"path\":\"/\\u009b31m\\u202egnp.exe \\u2066x\\u200f é\"}" VM,
	      "📬 open    vm /x /\\u009b31m\\u202egnp.exe \\u2066x\\u200f é");
	check("{\"rule\":\"R\\u001b\",\"priority\":\"P\\n\",\"output\":\"o\\u0007\"}",
	      "🔥 P\\n     R\\x1b: o\\x07");
}

static void test_color(void **state)
{
	struct observe *ob = observe_new();

	(void)state;
	assert_non_null(ob);
	observe_set_color(ob, true);
	check_with(ob, "{\"process_exit\":{\"process\":{\"binary\":\"/bin/false\"},\"status\":1}" VM,
		   "💥 \033[35mexit\033[0m    vm \033[1m/bin/false\033[0m \033[31m1\033[0m");
	check_with(ob, "{\"rule\":\"R\",\"priority\":\"Warning\",\"output\":\"o\"}",
		   "🔥 \033[33mWarning\033[0m \033[1mR\033[0m: o");
	observe_set_color(ob, false);
	check_with(ob, "{\"process_exit\":{\"process\":{\"binary\":\"/bin/false\"},\"status\":1}" VM,
		   "💥 exit    vm /bin/false 1");
	observe_free(ob);
}

/* ---- bad and sparse input -------------------------------------------------- */

static void test_bad_lines(void **state)
{
	(void)state;
	check_bad("not json", "not JSON: invalid token near 'not' (column 3)");
	check_bad("{\"process_exec\":", "not JSON: ");
	check_bad("{\"a\":1} {\"b\":2}", "not JSON: end of file expected");
	check_bad("\"\xff\"", "not JSON: ");
	check_bad("[1,2]", "not a JSON object");
	check_bad("42", "not a JSON object");
	check_bad("{\"process_kprobe\":{}" VM, "unknown event kind \"process_kprobe\"");
	check_bad("{\"node_name\":\"vm\",\"time\":\"t\"}", "no event kind");
	check_bad("{}", "no event kind");
	check_bad("{\"syscall\":\"openat\"" VM, "\"syscall\" is not an object");
	check_bad("{\"rule\":\"R\"}", "unknown event kind \"rule\"");
	/* control characters from the input do not reach the warning */
	check_bad("{\"\\u001b]0;x\":1}", "unknown event kind \"?]0;x\"");
}

static void test_blank_lines(void **state)
{
	struct observe *ob = observe_new();

	(void)state;
	assert_non_null(ob);
	assert_int_equal(result_of(ob, ""), OBSERVE_BLANK);
	assert_int_equal(result_of(ob, " \t\r"), OBSERVE_BLANK);
	observe_free(ob);
}

/* fields of the wrong type are treated as missing, never trusted */
static void test_wrong_types(void **state)
{
	(void)state;
	check("{\"process_exec\":{\"process\":\"x\"},\"node_name\":5}", "🚀 process ? ?");
	check("{\"process_exec\":{\"process\":{\"binary\":7,\"comm\":[],\"arguments\":{},"
	      "\"container\":\"c\"}}" VM,
	      "🚀 process vm ?");
	check("{\"process_exit\":{\"process\":{\"binary\":\"/x\"},\"status\":\"0\",\"signal\":9}" VM,
	      "💥 exit    vm /x");
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"connect\",\"ret\":\"-1\","
	      "\"args\":[1],\"fd\":\"3\",\"path\":5}" VM,
	      "🔌 connect vm /x");
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"dup2\",\"args\":\"a\","
	      "\"fd\":{\"num\":\"1\"}}" VM,
	      "🔀 dup     vm /x");
	check("{\"syscall\":{\"process\":{\"binary\":\"/x\"},\"name\":\"connect\","
	      "\"fd\":{\"proto\":\"tcp\",\"raddr\":\"1.1.1.1\",\"rport\":\"53\",\"laddr\":5}}" VM,
	      "🔌 connect vm /x");
	check("{\"network\":{\"process\":{\"binary\":\"/x\"},\"type\":1,\"saddr\":1,\"sport\":\"a\"}" VM,
	      "🔌 network vm /x ?:0 -> ?:0");
	check("{\"rule\":\"R\",\"priority\":3,\"output\":\"o\",\"output_fields\":[]}", "🔥 ?       R: o");
}

/* ---- filters -------------------------------------------------------------- */

#define EXEC_CURL "{\"process_exec\":{" CURL "}" VM
#define OPEN_CAT "{\"syscall\":{" CAT ",\"name\":\"openat\",\"path\":\"/etc/passwd\"}" VM
#define CONNECT_NET "{\"network\":{" CURL ",\"type\":\"connect\"}" VM
#define POD_EXEC "{\"process_exec\":{\"process\":{\"pid\":77,\"binary\":\"/bin/sh\",\"container\":" \
	"{\"id\":\"c0ffee00112233\",\"pod_uid\":\"1f2e3d4c-aaaa\"}}}" VM
#define CONTAINER_EXEC "{\"process_exec\":{\"process\":{\"pid\":78,\"binary\":\"/bin/sh\"," \
	"\"container\":{\"id\":\"deadbeef0011\"}}}" VM
#define ALERT_CURL "{\"rule\":\"R\",\"priority\":\"Notice\",\"output\":\"o\",\"output_fields\":" \
	"{\"proc.pid\":4231,\"proc.exepath\":\"/usr/bin/curl\",\"container.id\":\"deadbeef0011\"," \
	"\"k8s.pod.uid\":\"1f2e3d4c-aaaa\"}}"
#define ALERT_BARE "{\"rule\":\"R\",\"priority\":\"Notice\",\"output\":\"o\"}"

static struct observe *filtered(enum observe_filter_by by, const char *value)
{
	struct observe *ob = observe_new();
	char err[256];

	assert_non_null(ob);
	assert_int_equal(observe_add_filter(ob, by, value, err, sizeof(err)), 0);
	return ob;
}

static void add(struct observe *ob, enum observe_filter_by by, const char *value)
{
	char err[256];

	assert_int_equal(observe_add_filter(ob, by, value, err, sizeof(err)), 0);
}

static void test_filter_type(void **state)
{
	struct observe *ob;

	(void)state;
	ob = filtered(OBSERVE_BY_TYPE, "process_exec");
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, ALERT_BARE), OBSERVE_HIDDEN);
	observe_free(ob);

	/* a syscall name, or the word shown for it */
	ob = filtered(OBSERVE_BY_TYPE, "openat");
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_HIDDEN);
	observe_free(ob);
	ob = filtered(OBSERVE_BY_TYPE, "open");
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, "{\"syscall\":{\"name\":\"creat\"}}"), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, "{\"syscall\":{\"name\":\"close\"}}"), OBSERVE_HIDDEN);
	observe_free(ob);
	ob = filtered(OBSERVE_BY_TYPE, "syscall");
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, CONNECT_NET), OBSERVE_HIDDEN);
	observe_free(ob);

	/* repeated: any of them */
	ob = filtered(OBSERVE_BY_TYPE, "network");
	add(ob, OBSERVE_BY_TYPE, "alert");
	add(ob, OBSERVE_BY_TYPE, "exit");
	assert_int_equal(result_of(ob, CONNECT_NET), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, ALERT_BARE), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, "{\"process_exit\":{}}"), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_HIDDEN);
	observe_free(ob);

	/* the network event's type is its word */
	ob = filtered(OBSERVE_BY_TYPE, "connect");
	assert_int_equal(result_of(ob, CONNECT_NET), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, "{\"network\":{\"type\":\"close\"}}"), OBSERVE_HIDDEN);
	observe_free(ob);
}

static void test_filter_pid(void **state)
{
	struct observe *ob = filtered(OBSERVE_BY_PID, "4231");
	static const char *const bad[] = { "", "0", "-1", "12x", "x", "99999999999", " 1" };
	char err[256];

	(void)state;
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, ALERT_CURL), OBSERVE_SHOWN);
	/* no pid: cannot be shown to match */
	assert_int_equal(result_of(ob, ALERT_BARE), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, "{\"process_exec\":{}}"), OBSERVE_HIDDEN);
	add(ob, OBSERVE_BY_PID, "4240");
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_SHOWN);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(observe_add_filter(ob, OBSERVE_BY_PID, bad[i], err, sizeof(err)), -1);
		assert_string_equal(err, "not a process id");
	}
	observe_free(ob);
}

static void test_filter_binary(void **state)
{
	struct observe *ob = filtered(OBSERVE_BY_BINARY, "/c[a-z]+l$");
	char err[256];

	(void)state;
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, ALERT_CURL), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, ALERT_BARE), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, "{\"process_exec\":{\"process\":{\"comm\":\"curl\"}}}"),
			 OBSERVE_HIDDEN);
	add(ob, OBSERVE_BY_BINARY, "cat");
	assert_int_equal(result_of(ob, OPEN_CAT), OBSERVE_SHOWN);

	/* a bad pattern names the offset where it went wrong */
	assert_int_equal(observe_add_filter(ob, OBSERVE_BY_BINARY, "/usr/(bin", err, sizeof(err)), -1);
	assert_string_equal(err, "bad regex at offset 9: missing closing parenthesis");
	assert_int_equal(observe_add_filter(ob, OBSERVE_BY_BINARY, "a**", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad regex at offset 2: "));
	/* the failed patterns were not added */
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_SHOWN);
	observe_free(ob);
}

static void test_filter_pod_namespace(void **state)
{
	struct observe *ob;
	char err[256];

	(void)state;
	ob = filtered(OBSERVE_BY_POD, "1f2e");
	assert_int_equal(result_of(ob, POD_EXEC), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, CONTAINER_EXEC), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_HIDDEN);
	assert_int_equal(result_of(ob, ALERT_CURL), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, ALERT_BARE), OBSERVE_HIDDEN);
	observe_free(ob);
	ob = filtered(OBSERVE_BY_POD, "aaaa");
	assert_int_equal(result_of(ob, POD_EXEC), OBSERVE_HIDDEN); /* a prefix, not a substring */
	observe_free(ob);

	/* --namespace: the pod uid or the container id */
	ob = filtered(OBSERVE_BY_NAMESPACE, "1f2e3d4c");
	add(ob, OBSERVE_BY_NAMESPACE, "deadbeef");
	assert_int_equal(result_of(ob, POD_EXEC), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, CONTAINER_EXEC), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_HIDDEN);
	observe_free(ob);
	ob = filtered(OBSERVE_BY_NAMESPACE, "c0ffee");
	assert_int_equal(result_of(ob, POD_EXEC), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, CONTAINER_EXEC), OBSERVE_HIDDEN);
	assert_int_equal(observe_add_filter(ob, OBSERVE_BY_NAMESPACE, "", err, sizeof(err)), -1);
	assert_string_equal(err, "empty value");
	observe_free(ob);
}

/* filters of different kinds must all match */
static void test_filters_combine(void **state)
{
	struct observe *ob = filtered(OBSERVE_BY_TYPE, "process_exec");

	(void)state;
	add(ob, OBSERVE_BY_BINARY, "sh$");
	add(ob, OBSERVE_BY_NAMESPACE, "deadbeef");
	assert_int_equal(result_of(ob, CONTAINER_EXEC), OBSERVE_SHOWN);
	assert_int_equal(result_of(ob, POD_EXEC), OBSERVE_HIDDEN);   /* other container */
	assert_int_equal(result_of(ob, EXEC_CURL), OBSERVE_HIDDEN);  /* other binary */
	add(ob, OBSERVE_BY_PID, "77");
	assert_int_equal(result_of(ob, CONTAINER_EXEC), OBSERVE_HIDDEN); /* pid 78 */
	/* bad lines stay bad under filters */
	assert_int_equal(result_of(ob, "nope"), OBSERVE_BAD);
	observe_free(ob);
}

/* ---- the command -------------------------------------------------------- */

struct captured {
	int status;
	char *out;
	char *err;
};

static char *slurp(int fd)
{
	char *text = NULL;
	size_t len = 0;
	char buf[4096];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	text = calloc(1, 1);
	assert_non_null(text);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		text = realloc(text, len + (size_t)n + 1);
		assert_non_null(text);
		memcpy(text + len, buf, (size_t)n);
		len += (size_t)n;
		text[len] = 0;
	}
	close(fd);
	return text;
}

/* run cmd_observe with stdout and stderr going to temporary files */
static struct captured run_cmd(int argc, char **argv)
{
	char out_path[] = "/tmp/vigil-test-out-XXXXXX";
	char err_path[] = "/tmp/vigil-test-err-XXXXXX";
	int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
	int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
	struct captured c;

	assert_true(out_fd >= 0 && err_fd >= 0 && saved_out >= 0 && saved_err >= 0);
	unlink(out_path);
	unlink(err_path);
	fflush(stdout);
	fflush(stderr);
	dup2(out_fd, STDOUT_FILENO);
	dup2(err_fd, STDERR_FILENO);
	c.status = cmd_observe(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	c.out = slurp(out_fd);
	c.err = slurp(err_fd);
	return c;
}

static void captured_free(struct captured *c)
{
	free(c->out);
	free(c->err);
}

static void test_cmd_file(void **state)
{
	char *path = test_write_temp(".jsonl",
		EXEC_CURL "\n"
		"garbage\n"
		"\n"
		"{\"process_kprobe\":{}}\n"
		"{\"rule\":\"R\",\"priority\":\"Error\",\"output\":\"o\"}\n"
		"{\"process_exit\":{" CURL ",\"status\":0}" VM);   /* no final newline */
	char *argv[] = { "observe", "--color=auto", path, NULL };
	struct captured c;
	char *expect_err;

	(void)state;
	c = run_cmd(3, argv);
	assert_int_equal(c.status, 0);
	/* stdout is a file: no colour */
	assert_string_equal(c.out,
		"🚀 process vm /usr/bin/curl https://example.com\n"
		"🔥 Error   R: o\n"
		"💥 exit    vm /usr/bin/curl https://example.com 0\n");
	assert_true(asprintf(&expect_err,
		"observe: %s: line 2: not JSON: invalid token near 'garbage' (column 7)\n"
		"observe: %s: line 4: unknown event kind \"process_kprobe\"\n"
		"observe: 2 of 6 lines were not events and were skipped\n", path, path) > 0);
	assert_string_equal(c.err, expect_err);
	free(expect_err);
	captured_free(&c);

	/* filters and forced colour from the command line */
	{
		char *argv2[] = { "observe", "--type", "process_exit", "--color", "--pid=4231", path,
				  NULL };

		c = run_cmd(6, argv2);
		assert_int_equal(c.status, 0);
		assert_string_equal(c.out, "💥 \033[35mexit\033[0m    vm \033[1m/usr/bin/curl\033[0m "
				    "https://example.com 0\n");
		captured_free(&c);
	}
	unlink(path);
	free(path);
}

static void test_cmd_usage(void **state)
{
	static const struct {
		int argc;
		char *argv[4];
		const char *err;
	} cases[] = {
		{ 2, { "observe", "--bogus" }, "observe: unknown option '--bogus'\n" },
		{ 2, { "observe", "-x" }, "observe: unknown option '-x'\n" },
		{ 2, { "observe", "--pid" }, "observe: option '--pid' needs a value\n" },
		{ 3, { "observe", "--pid", "abc" }, "observe: --pid 'abc': not a process id\n" },
		{ 3, { "observe", "--binary", "a(b" },
		  "observe: --binary 'a(b': bad regex at offset 3: missing closing parenthesis\n" },
		{ 2, { "observe", "--color=sometimes" },
		  "observe: --color takes auto, always or never, not 'sometimes'\n" },
		{ 3, { "observe", "a", "b" }, "observe: one input at most, not also 'b'\n" },
		{ 2, { "observe", "/nonexistent/events" },
		  "observe: /nonexistent/events: No such file or directory\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[5] = { 0 };
		struct captured c;

		memcpy(argv, cases[i].argv, sizeof(cases[i].argv));
		c = run_cmd(cases[i].argc, argv);
		assert_int_equal(c.status, 2);
		assert_string_equal(c.out, "");
		if (strncmp(c.err, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("case %zu: stderr \"%s\", want \"%s\"", i, c.err, cases[i].err);
		captured_free(&c);
	}
}

static void test_cmd_help(void **state)
{
	char *argv[] = { "observe", "--help", NULL };
	struct captured c = run_cmd(2, argv);

	(void)state;
	assert_int_equal(c.status, 0);
	assert_true(strncmp(c.out, "usage: vigil observe [OPTIONS] [FILE|-]\n", 40) == 0);
	assert_non_null(strstr(c.out, "--namespace NS"));
	assert_string_equal(c.err, "");
	captured_free(&c);
}

/* a line longer than the 16 MiB limit is skipped; the next one is read */
static void test_cmd_long_line(void **state)
{
	char path[] = "/tmp/vigil-test-long-XXXXXX";
	int fd = mkstemp(path);
	size_t chunk = 1 << 20;
	char *filler = malloc(chunk);
	char *argv[] = { "observe", path, NULL };
	struct captured c;
	char *expect_err;

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(filler);
	memset(filler, 'x', chunk);
	for (int i = 0; i < 17; i++)
		assert_int_equal(write(fd, filler, chunk), (ssize_t)chunk);
	assert_int_equal(write(fd, "\n" EXEC_CURL "\n", strlen(EXEC_CURL) + 2),
			 (ssize_t)strlen(EXEC_CURL) + 2);
	close(fd);
	free(filler);
	c = run_cmd(2, argv);
	assert_int_equal(c.status, 0);
	assert_string_equal(c.out, "🚀 process vm /usr/bin/curl https://example.com\n");
	assert_true(asprintf(&expect_err,
		"observe: %s: line 1: longer than 16 MiB, skipped\n"
		"observe: 1 of 2 lines were not events and were skipped\n", path) > 0);
	assert_string_equal(c.err, expect_err);
	free(expect_err);
	captured_free(&c);
	unlink(path);
}

/*
 * Output to a pipe is buffered, but must be flushed before observe waits
 * for input: a line written into a stream that stays open is rendered at
 * once, not at EOF.
 */
static void test_cmd_flushes_before_waiting(void **state)
{
	int in[2], out[2];
	struct pollfd pfd;
	char buf[256];
	ssize_t n;
	pid_t pid;
	int status;

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "observe", "-", NULL };

		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		close(in[1]);
		close(out[0]);
		_exit(cmd_observe(2, argv));
	}
	close(in[0]);
	close(out[1]);
	assert_int_equal(write(in[1], EXEC_CURL "\n", strlen(EXEC_CURL) + 1),
			 (ssize_t)strlen(EXEC_CURL) + 1);
	pfd.fd = out[0];
	pfd.events = POLLIN;
	/* generous for valgrind; a buffered-until-EOF observe never answers */
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	n = read(out[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, "🚀 process vm /usr/bin/curl https://example.com\n");
	close(in[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(out[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_process_exec),
		cmocka_unit_test(test_process_fork),
		cmocka_unit_test(test_process_exit),
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_open_close),
		cmocka_unit_test(test_socket_syscalls),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_path_syscalls),
		cmocka_unit_test(test_argument_syscalls),
		cmocka_unit_test(test_other_syscalls),
		cmocka_unit_test(test_network),
		cmocka_unit_test(test_enforcement),
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_filter_type),
		cmocka_unit_test(test_filter_pid),
		cmocka_unit_test(test_filter_binary),
		cmocka_unit_test(test_filter_pod_namespace),
		cmocka_unit_test(test_filters_combine),
		cmocka_unit_test(test_cmd_file),
		cmocka_unit_test(test_cmd_usage),
		cmocka_unit_test(test_cmd_help),
		cmocka_unit_test(test_cmd_long_line),
		cmocka_unit_test(test_cmd_flushes_before_waiting),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
