/*
 * output_stream.c - line output to stdio streams.
 */
#include <stdlib.h>
#include "output_stream.h"
#include "util.h"

struct stream {
	FILE *f;
	bool close_it;
};

static int stream_write(void *ctx, const char *line, size_t len, int level)
{
	struct stream *s = ctx;

	(void)level;
	if (fwrite(line, 1, len, s->f) != len || fputc('\n', s->f) == EOF)
		return -1;
	return 0;
}

static int stream_flush(void *ctx)
{
	struct stream *s = ctx;

	return fflush(s->f) == 0 ? 0 : -1;
}

static void stream_close(void *ctx)
{
	struct stream *s = ctx;

	if (s->close_it)
		fclose(s->f);
	else
		fflush(s->f);
	free(s);
}

struct output_sink output_stream_sink(FILE *f, const char *name, bool close_it)
{
	struct stream *s = vg_malloc(sizeof(*s));

	s->f = f;
	s->close_it = close_it;
	return (struct output_sink){
		.name = name, .write = stream_write, .flush = stream_flush, .close = stream_close, .ctx = s,
	};
}
