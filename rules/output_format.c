/*
 * output_format.c - %field substitution in rule outputs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "output_format.h"
#include "util.h"

static bool field_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

int out_format_compile(struct out_format *f, const char *text, struct src_pos pos, struct slot_table *slots,
		       const char *item, struct diags *d, char **unknown_field)
{
	size_t segcap = 0, fcap = 0;
	const char *p = text;
	char *buf = vg_malloc(strlen(text) + 1);
	size_t blen = 0;

	memset(f, 0, sizeof(*f));
	while (*p) {
		if (p[0] == '%' && p[1] == '%') {
			buf[blen++] = '%';
			p += 2;
			continue;
		}
		if (p[0] != '%' || !isalpha((unsigned char)p[1])) {
			buf[blen++] = *p++;
			continue;
		}
		/* %name[.name...][\[arg\]] ; a trailing '.' ends a sentence, not the name */
		const char *start = p + 1, *e = start;

		while (field_char(*e))
			e++;
		while (e > start && e[-1] == '.')
			e--;
		struct ast_field af = { .name = vg_strndup(start, e - start), .pos = pos };

		if (*e == '[') {
			const char *close = strchr(e, ']');

			if (close) {
				af.arg = vg_strndup(e + 1, close - e - 1);
				e = close + 1;
			}
		}
		struct field_use u;
		char err[256];
		int rc = field_use_init(&u, &af, slots, err, sizeof(err));

		if (rc < 0) {
			if (unknown_field && strncmp(err, "unknown field", 13) == 0) {
				if (!*unknown_field)
					*unknown_field = vg_strdup(af.name);
			} else {
				diag_add(d, DIAG_ERROR, af.pos, item, "output: %s", err);
			}
			free(af.name);
			free(af.arg);
			free(buf);
			out_format_free(f);
			return -1;
		}
		free(af.name);
		free(af.arg);
		vg_grow(&f->fields, &fcap, f->nfields + 1, sizeof(*f->fields));
		f->fields[f->nfields] = u;
		vg_grow(&f->segs, &segcap, f->nsegs + 1, sizeof(*f->segs));
		f->segs[f->nsegs++] = (struct out_seg){ vg_strndup(buf, blen), (int)f->nfields++ };
		blen = 0;
		p = e;
	}
	vg_grow(&f->segs, &segcap, f->nsegs + 1, sizeof(*f->segs));
	f->segs[f->nsegs++] = (struct out_seg){ vg_strndup(buf, blen), -1 };
	free(buf);
	return 0;
}

void out_format_free(struct out_format *f)
{
	for (size_t i = 0; i < f->nsegs; i++)
		free(f->segs[i].text);
	for (size_t i = 0; i < f->nfields; i++)
		field_use_free(&f->fields[i]);
	free(f->segs);
	free(f->fields);
	memset(f, 0, sizeof(*f));
}

char *out_format_render(const struct out_format *f, struct eval_state *st, const struct event *ev)
{
	size_t cap = 256, len = 0;
	char *out = vg_malloc(cap);

	for (size_t i = 0; i < f->nsegs; i++) {
		char vbuf[4096];
		const char *val = "";
		size_t vlen = 0, tl = strlen(f->segs[i].text);

		if (f->segs[i].field >= 0) {
			struct fval v;

			if (field_value(st, &f->fields[f->segs[i].field], ev, 0, &v)) {
				if (v.type == FT_STRING) {
					val = v.str.s;
					vlen = v.str.len;
				} else {
					vlen = fval_format(&v, vbuf, sizeof(vbuf));
					val = vbuf;
				}
			} else {
				val = "<NA>";
				vlen = 4;
			}
		}
		vg_grow(&out, &cap, len + tl + vlen + 1, 1);
		memcpy(out + len, f->segs[i].text, tl);
		len += tl;
		memcpy(out + len, val, vlen);
		len += vlen;
	}
	out[len] = 0;
	return out;
}

json_t *out_format_fields(const struct out_format *f, struct eval_state *st, const struct event *ev)
{
	json_t *o = json_object();

	for (size_t i = 0; i < f->nfields; i++) {
		struct fval v;
		json_t *j;
		char buf[128];

		if (!field_value(st, &f->fields[i], ev, 0, &v)) {
			j = json_null();
		} else {
			switch (v.type) {
			case FT_STRING: j = json_stringn(v.str.s, v.str.len); break;
			case FT_BOOL: j = json_boolean(v.b); break;
			case FT_INT: j = json_integer(v.i); break;
			case FT_UINT:
			case FT_RELTIME:
			case FT_ABSTIME: j = json_integer((json_int_t)v.u); break;
			default:
				fval_format(&v, buf, sizeof(buf));
				j = json_string(buf);
				break;
			}
			if (!j)  /* not UTF-8 */
				j = json_string("<binary>");
		}
		json_object_set_new(o, f->fields[i].text, j);
	}
	return o;
}
