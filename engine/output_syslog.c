/*
 * output_syslog.c - syslog(3) output.
 */
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include "output_syslog.h"
#include "util.h"

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "user", LOG_USER }, { "daemon", LOG_DAEMON }, { "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

int syslog_facility_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(facilities); i++)
		if (strcasecmp(name, facilities[i].name) == 0)
			return facilities[i].facility;
	return -1;
}

static int syslog_write(void *ctx, const char *line, size_t len, int level)
{
	(void)ctx;
	syslog(level & LOG_PRIMASK, "%.*s", (int)len, line);
	return 0;
}

static void syslog_close(void *ctx)
{
	(void)ctx;
	closelog();
}

struct output_sink output_syslog_sink(int facility)
{
	/* LOG_NDELAY: connect now, so a missing /dev/log shows at start, not mid-alert */
	openlog("vigil", LOG_PID | LOG_NDELAY, facility);
	return (struct output_sink){ .name = "syslog", .write = syslog_write, .close = syslog_close };
}
