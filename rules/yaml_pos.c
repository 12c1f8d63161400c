/*
 * yaml_pos.c - mapping libyaml marks and scalar values back to
 * file:line:column (see yaml_pos.h).
 *
 * Columns count characters, not bytes, as libyaml's marks do.
 */
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "yaml_pos.h"

/* Length of the line break at text[i], or 0: the breaks libyaml counts. */
static size_t break_len(const char *text, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)text;

	if (u[i] == '\n')
		return 1;
	if (u[i] == '\r')
		return i + 1 < len && u[i + 1] == '\n' ? 2 : 1;
	if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85)
		return 2;       /* NEL */
	if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))
		return 3;       /* LS, PS */
	return 0;
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

void yaml_source_init(struct yaml_source *src, const char *file, const char *text, size_t len)
{
	size_t i = 0, cap = 0, b;

	memset(src, 0, sizeof(*src));
	src->file = file;
	src->text = text;
	src->len = len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;  /* libyaml does not count a byte order mark */
	xgrow(&src->line_start, &cap, 1, sizeof(size_t));
	src->line_start[src->nlines++] = i;
	while (i < len) {
		b = break_len(text, len, i);
		if (b) {
			i += b;
			xgrow(&src->line_start, &cap, src->nlines + 1, sizeof(size_t));
			src->line_start[src->nlines++] = i;
		} else {
			i++;
		}
	}
}

void yaml_source_free(struct yaml_source *src)
{
	free(src->line_start);
	src->line_start = NULL;
	src->nlines = 0;
}

struct src_pos yaml_source_pos(const struct yaml_source *src, yaml_mark_t mark)
{
	struct src_pos pos = { src->file, (int)mark.line + 1, (int)mark.column + 1 };

	return pos;
}

struct src_pos yaml_source_pos_at(const struct yaml_source *src, size_t offset)
{
	size_t lo = 0, hi = src->nlines, mid, i;
	struct src_pos pos = { src->file, 1, 1 };

	if (offset > src->len)
		offset = src->len;
	/* the last line starting at or before offset */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (src->line_start[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	pos.line = (int)lo + 1;
	for (i = src->line_start[lo]; i < offset; i++)
		if (!is_continuation(src->text[i]))
			pos.col++;
	return pos;
}

/* Byte offset of a mark: its line's start, then `column` characters on. */
static size_t mark_offset(const struct yaml_source *src, yaml_mark_t mark)
{
	size_t off, col;

	if (mark.line >= src->nlines)
		return src->len;
	off = src->line_start[mark.line];
	for (col = 0; col < mark.column && off < src->len; col++) {
		off++;
		while (off < src->len && is_continuation(src->text[off]))
			off++;
	}
	return off;
}

/* A cursor over the raw text that knows its line and column. */
struct cursor {
	const struct yaml_source *src;
	size_t at, end;
	struct src_pos pos;
};

static void advance(struct cursor *c)
{
	const char *t = c->src->text;
	size_t b = break_len(t, c->src->len, c->at);

	if (b) {
		c->at += b;
		c->pos.line++;
		c->pos.col = 1;
		return;
	}
	c->at++;
	while (c->at < c->end && is_continuation(t[c->at]))
		c->at++;
	c->pos.col++;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes of UTF-8 for a code point. */
static size_t utf8_len(unsigned long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/*
 * A double-quoted escape at c->at (a backslash not ending a line): how many
 * raw bytes it spans and how many value bytes it produces.
 */
static void escape_size(const struct cursor *c, size_t *raw, size_t *produced)
{
	const char *t = c->src->text;
	size_t digits = 0, k;
	unsigned long cp = 0;
	char e = c->at + 1 < c->end ? t[c->at + 1] : '\0';

	switch (e) {
	case 'x': digits = 2; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	case 'N': case '_': *raw = 2; *produced = 2; return;
	case 'L': case 'P': *raw = 2; *produced = 3; return;
	default: *raw = 2; *produced = 1; return;
	}
	for (k = 0; k < digits && c->at + 2 + k < c->end; k++) {
		char h = t[c->at + 2 + k];

		cp = cp * 16 + (h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
	}
	*raw = 2 + digits;
	*produced = utf8_len(cp);
}

void yaml_scalar_text(const struct yaml_source *src, const yaml_node_t *node, struct loc_text *out)
{
	const char *v = (const char *)node->data.scalar.value;
	size_t vlen = node->data.scalar.length, i = 0, k, raw, produced;
	yaml_scalar_style_t style = node->data.scalar.style;
	struct src_pos *pos = xmalloc((vlen + 1) * sizeof(*pos));
	const char *t = src->text;
	struct cursor c;

	c.src = src;
	c.at = mark_offset(src, node->start_mark);
	c.end = mark_offset(src, node->end_mark);
	c.pos = yaml_source_pos(src, node->start_mark);
	if (c.end > src->len)
		c.end = src->len;

	/* what comes before the value: an opening quote, a block header line */
	if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		if (c.at < c.end)
			advance(&c);
	} else if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
		while (c.at < c.end && !break_len(t, src->len, c.at))
			advance(&c);
		if (c.at < c.end)
			advance(&c);
	}

	/*
	 * Walk both: a value byte that is not white space is the next equal
	 * raw byte (skipping indentation and folded line breaks); white space
	 * in the value (a folded break, say) takes the raw white space at
	 * hand. Escapes are stepped over as a whole. If the raw text runs out,
	 * which a consistent libyaml never makes happen, the rest of the value
	 * gets the last position.
	 */
	while (i < vlen) {
		if (c.at >= c.end)
			break;
		if (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && t[c.at] == '\\') {
			if (c.at + 1 < c.end && break_len(t, src->len, c.at + 1)) {
				advance(&c);    /* an escaped line break produces nothing */
				continue;
			}
			escape_size(&c, &raw, &produced);
			for (k = 0; k < produced && i < vlen; k++)
				pos[i++] = c.pos;
			for (k = 0; k < raw && c.at < c.end; k++)
				advance(&c);
			continue;
		}
		if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && v[i] == '\'' && t[c.at] == '\'' &&
		    c.at + 1 < c.end && t[c.at + 1] == '\'') {
			pos[i++] = c.pos;
			advance(&c);
			advance(&c);
			continue;
		}
		if (is_space(v[i])) {
			pos[i++] = c.pos;
			if (is_space(t[c.at]))
				advance(&c);
			continue;
		}
		while (c.at < c.end && t[c.at] != v[i])
			advance(&c);
		if (c.at >= c.end)
			break;
		pos[i++] = c.pos;
		/* the rest of a multi-byte character shares its position */
		c.at++;
		while (i < vlen && c.at < c.end && is_continuation(t[c.at]) && t[c.at] == v[i]) {
			pos[i++] = c.pos;
			c.at++;
		}
		c.pos.col++;
	}
	while (i < vlen)
		pos[i++] = c.pos;
	/* an empty value is best pointed at where the scalar is written */
	pos[vlen] = vlen ? c.pos : yaml_source_pos(src, node->start_mark);
	loc_text_init(out, xstrndup(v, vlen), vlen, pos);
}
