/*
 * cmd_observe.c - `vigil observe [FILE|-]`: the command line and the
 * reading loop around observe.c, which renders each line.
 *
 * Input is read with read(2) in batches rather than through stdio, so the
 * loop knows when it is about to wait for more: output is flushed before
 * every read (and after every line when stdout is a terminal), so a slow
 * stream shows up at once and a fast one is written in large blocks.
 *
 * A bad line is reported on stderr with its number and skipped; the stream
 * goes on, since one garbled line from a pipe should not hide the rest.
 * The exit status stays 0 and a final note counts the bad lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "observe.h"

#define READ_SIZE  (64 * 1024)
#define MAX_LINE   (16 * 1024 * 1024) /* longer lines are skipped, not buffered */

static const char usage_text[] =
	"usage: vigil observe [OPTIONS] [FILE|-]\n"
	"\n"
	"Print the event stream of `vigil run --events` (one JSON object per line,\n"
	"see docs/events.md) as one line per event; vigil's JSON alerts are shown\n"
	"as \"🔥 <priority> <rule>: <output>\". Reads FILE, or standard input when\n"
	"FILE is - or absent.\n"
	"\n"
	"Filters (each may be repeated; a line is shown when it matches one value of\n"
	"every filter given):\n"
	"  --namespace NS   pod uid or container id starts with NS (the Kubernetes\n"
	"                   namespace is not in the event stream yet)\n"
	"  --pod POD        pod uid starts with POD\n"
	"  --binary REGEX   process.binary matches the PCRE2 pattern REGEX\n"
	"  --type TYPE      event kind (process_exec, process_fork, process_exit,\n"
	"                   syscall, network, enforcement, alert), syscall name\n"
	"                   (openat), or the word shown after the emoji (exit;\n"
	"                   open: openat, open, creat...)\n"
	"  --pid PID        process id\n"
	"Alerts are matched on their output_fields proc.pid, proc.exepath,\n"
	"k8s.pod.uid and container.id; an alert without the field does not match.\n"
	"\n"
	"Output:\n"
	"  --color[=WHEN]   colour: auto (when stdout is a terminal; the default),\n"
	"                   always, never\n"
	"  --help           show this text\n"
	"\n"
	"Lines that are not events or alerts are reported on stderr with their line\n"
	"number and skipped, and a final note counts them. Exit status: 0 at the end\n"
	"of input, 1 on a read or write error, 2 on a usage error or when FILE cannot\n"
	"be opened.\n";

static int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("observe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'vigil observe --help'.\n", stderr);
	return 2;
}

/* "observe: line 12: why", or "observe: FILE: line 12: why" when reading a file */
static void warn_line(const char *file, unsigned long lineno, const char *why)
{
	if (file)
		fprintf(stderr, "observe: %s: line %lu: %s\n", file, lineno, why);
	else
		fprintf(stderr, "observe: line %lu: %s\n", lineno, why);
}

/*
 * Read lines from fd until EOF and render them. `file` names the input in
 * messages (NULL for stdin). Returns the exit status.
 */
static int observe_stream(struct observe *ob, int fd, const char *file)
{
	bool tty = isatty(STDOUT_FILENO);
	size_t cap = READ_SIZE, len = 0;
	char *buf = malloc(cap);
	unsigned long lineno = 0, bad = 0;
	bool skipping = false; /* dropping the rest of an over-long line */
	char err[512];
	int status = 0;

	if (!buf) {
		fprintf(stderr, "observe: out of memory\n");
		return 1;
	}
	for (;;) {
		size_t from = 0, scan, end;
		ssize_t n;
		char *nl;

		if (fflush(stdout) != 0) {
			fprintf(stderr, "observe: write error: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (len == cap && cap >= MAX_LINE) {
			if (!skipping) {
				snprintf(err, sizeof(err), "longer than %d MiB, skipped", MAX_LINE >> 20);
				warn_line(file, ++lineno, err);
				bad++;
				skipping = true;
			}
			len = 0;
		} else if (len == cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				fprintf(stderr, "observe: out of memory\n");
				status = 1;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "observe: %s: %s\n", file ? file : "stdin", strerror(errno));
			status = 1;
			break;
		}
		scan = len; /* what came before has no newline */
		end = len + (size_t)n;
		if (n == 0 && len > 0 && !skipping) {
			/* a last line without its newline */
			buf[end] = '\n';
			end++;
		}
		while ((nl = memchr(buf + scan, '\n', end - scan))) {
			if (skipping) {
				skipping = false;
			} else {
				enum observe_result res;

				lineno++;
				res = observe_line(ob, buf + from, (size_t)(nl - (buf + from)), stdout,
						   err, sizeof(err));
				if (res == OBSERVE_BAD) {
					warn_line(file, lineno, err);
					bad++;
				} else if (res == OBSERVE_SHOWN && tty) {
					fflush(stdout);
				}
			}
			from = scan = (size_t)(nl - buf) + 1;
		}
		len = end - from;
		memmove(buf, buf + from, len);
		if (n == 0)
			break;
	}
	free(buf);
	if (status == 0 && fflush(stdout) != 0) {
		fprintf(stderr, "observe: write error: %s\n", strerror(errno));
		status = 1;
	}
	if (bad)
		fprintf(stderr, "observe: %lu of %lu lines were not events and were skipped\n", bad,
			lineno);
	return status;
}

int cmd_observe(int argc, char **argv)
{
	static const struct option options[] = {
		{ "namespace", required_argument, NULL, 'n' },
		{ "pod", required_argument, NULL, 'p' },
		{ "binary", required_argument, NULL, 'b' },
		{ "type", required_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'P' },
		{ "color", optional_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct observe *ob;
	const char *file = NULL;
	int color = -1; /* -1: decide from isatty */
	int fd = STDIN_FILENO;
	int status;
	int opt, idx;

	ob = observe_new();
	if (!ob) {
		fprintf(stderr, "observe: out of memory\n");
		return 1;
	}
	/* 0 makes glibc start over, in case an earlier command used getopt */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, &idx)) != -1) {
		enum observe_filter_by by;
		char err[512];

		switch (opt) {
		case 'n': by = OBSERVE_BY_NAMESPACE; break;
		case 'p': by = OBSERVE_BY_POD; break;
		case 'b': by = OBSERVE_BY_BINARY; break;
		case 't': by = OBSERVE_BY_TYPE; break;
		case 'P': by = OBSERVE_BY_PID; break;
		case 'c':
			if (!optarg || strcmp(optarg, "always") == 0) {
				color = 1;
			} else if (strcmp(optarg, "never") == 0) {
				color = 0;
			} else if (strcmp(optarg, "auto") == 0) {
				color = -1;
			} else {
				observe_free(ob);
				return usage_error("--color takes auto, always or never, not '%s'", optarg);
			}
			continue;
		case 'h':
			fputs(usage_text, stdout);
			observe_free(ob);
			return 0;
		case ':':
			observe_free(ob);
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			observe_free(ob);
			if (optopt) {
				char name[3] = { '-', (char)optopt, 0 };

				return usage_error("unknown option '%s'", name);
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
		if (observe_add_filter(ob, by, optarg, err, sizeof(err)) < 0) {
			fprintf(stderr, "observe: --%s '%s': %s\n", options[idx].name, optarg, err);
			observe_free(ob);
			return 2;
		}
	}
	if (argc - optind > 1) {
		observe_free(ob);
		return usage_error("one input at most, not also '%s'", argv[optind + 1]);
	}
	if (argc - optind == 1 && strcmp(argv[optind], "-") != 0)
		file = argv[optind];
	observe_set_color(ob, color < 0 ? isatty(STDOUT_FILENO) : color);

	if (file) {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "observe: %s: %s\n", file, strerror(errno));
			observe_free(ob);
			return 2;
		}
	}
	status = observe_stream(ob, fd, file);
	if (file)
		close(fd);
	observe_free(ob);
	return status;
}
