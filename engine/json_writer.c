/*
 * json_writer.c - appending JSON text; see json_writer.h.
 */
#include <stdlib.h>
#include <string.h>
#include "json_writer.h"
#include "util.h"

void jw_init(struct jw *w)
{
	memset(w, 0, sizeof(*w));
}

void jw_free(struct jw *w)
{
	free(w->buf);
	jw_init(w);
}

/* an event line is 0.5 to 2 KiB: start at 1 KiB rather than double up from 8 bytes */
#define FIRST_CAP 1024

static void room(struct jw *w, size_t n)
{
	size_t need = w->len + n + 1;

	if (need > w->cap)
		vg_grow(&w->buf, &w->cap, need < FIRST_CAP ? FIRST_CAP : need, 1);
}

static void put(struct jw *w, const char *s, size_t n)
{
	room(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void putc1(struct jw *w, char c)
{
	room(w, 1);
	w->buf[w->len++] = c;
}

char *jw_take(struct jw *w, size_t *len)
{
	char *s;

	room(w, 0);
	w->buf[w->len] = 0;
	s = w->buf;
	if (len)
		*len = w->len;
	jw_init(w);
	return s;
}

/* a comma before a value that follows another */
static void value(struct jw *w)
{
	if (w->comma)
		putc1(w, ',');
	w->comma = true;
}

void jw_object(struct jw *w)
{
	value(w);
	putc1(w, '{');
	w->comma = false;
}

void jw_object_end(struct jw *w)
{
	putc1(w, '}');
	w->comma = true;
}

void jw_array(struct jw *w)
{
	value(w);
	putc1(w, '[');
	w->comma = false;
}

void jw_array_end(struct jw *w)
{
	putc1(w, ']');
	w->comma = true;
}

void jw_key(struct jw *w, const char *key)
{
	size_t n = strlen(key);

	value(w);
	room(w, n + 3);
	w->buf[w->len++] = '"';
	memcpy(w->buf + w->len, key, n);
	w->len += n;
	w->buf[w->len++] = '"';
	w->buf[w->len++] = ':';
	w->comma = false;
}

/* bytes written as they are inside a JSON string: ASCII from space up, but '"' and '\\' */
static const bool plain_byte[256] = {
	[0x20 ... 0x21] = true,		/* '"' (0x22) is escaped */
	[0x23 ... 0x5b] = true,		/* '\\' (0x5c) is escaped */
	[0x5d ... 0x7f] = true,
};

/* the length of the valid UTF-8 sequence at s (RFC 3629), or 0 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;  /* range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void jw_strn(struct jw *w, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";  /* as jansson writes them */
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	value(w);
	room(w, n + 2);
	w->buf[w->len++] = '"';
	while (i < n) {
		size_t run = i;

		/* plain bytes are copied in one go */
		while (run < n && plain_byte[s[run]])
			run++;
		if (run > i) {
			put(w, str + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = s[i];

		if (c >= 0x80) {
			size_t len = utf8_len(s + i, n - i);

			if (len)
				put(w, str + i, len);
			else
				put(w, "\xef\xbf\xbd", 3);  /* U+FFFD for each byte that is not UTF-8 */
			i += len ? len : 1;
			continue;
		}
		switch (c) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\t': put(w, "\\t", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			put(w, u, 6);
		}
		}
		i++;
	}
	putc1(w, '"');
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_uint(struct jw *w, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	value(w);
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, tmp + n, sizeof(tmp) - n);
}

void jw_int(struct jw *w, int64_t v)
{
	if (v >= 0) {
		jw_uint(w, (uint64_t)v);
		return;
	}
	value(w);
	putc1(w, '-');
	w->comma = false;
	jw_uint(w, -(uint64_t)v);
}

void jw_bool(struct jw *w, bool v)
{
	value(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_null(struct jw *w)
{
	value(w);
	put(w, "null", 4);
}

void jw_raw(struct jw *w, const char *json, size_t n)
{
	value(w);
	put(w, json, n);
}
