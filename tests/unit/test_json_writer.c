/*
 * test_json_writer.c - the event stream's JSON writer against jansson:
 * every ASCII byte and random valid UTF-8 strings come out exactly as
 * jansson's compact dump writes them; bytes that are not UTF-8 become
 * U+FFFD; keys, numbers, nesting and commas parse back to the same values.
 */
#include "test_util.h"

#include <jansson.h>

#include "json_writer.h"

static char *written(const char *s, size_t n)
{
	struct jw w;

	jw_init(&w);
	jw_strn(&w, s, n);
	return jw_take(&w, NULL);
}

static void same_as_jansson(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char *want, *got = written(s, n);

	assert_non_null(j);
	want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	assert_string_equal(got, want);
	free(want);
	free(got);
	json_decref(j);
}

static void every_ascii_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 0x80; c++) {
		char s[3] = { 'a', (char)c, 'b' };

		same_as_jansson(s, 3);
	}
}

/* xorshift64*: a fixed, repeatable sequence */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* appends the UTF-8 encoding of code point cp */
static size_t utf8_put(char *p, uint32_t cp)
{
	if (cp < 0x80)
		return p[0] = (char)cp, 1;
	if (cp < 0x800)
		return p[0] = (char)(0xc0 | cp >> 6), p[1] = (char)(0x80 | (cp & 63)), 2;
	if (cp < 0x10000) {
		p[0] = (char)(0xe0 | cp >> 12);
		p[1] = (char)(0x80 | ((cp >> 6) & 63));
		p[2] = (char)(0x80 | (cp & 63));
		return 3;
	}
	p[0] = (char)(0xf0 | cp >> 18);
	p[1] = (char)(0x80 | ((cp >> 12) & 63));
	p[2] = (char)(0x80 | ((cp >> 6) & 63));
	p[3] = (char)(0x80 | (cp & 63));
	return 4;
}

static void random_utf8_strings(void **state)
{
	(void)state;
	for (int round = 0; round < 2000; round++) {
		char s[256];
		size_t n = 0;
		size_t chars = rng() % 48;

		for (size_t i = 0; i < chars; i++) {
			uint32_t cp;

			switch (rng() % 4) {
			case 0: cp = rng() % 0x80; break;                 /* ASCII, controls too */
			case 1: cp = 0x80 + rng() % (0x800 - 0x80); break;
			case 2: cp = 0x800 + rng() % (0x10000 - 0x800); break;
			default: cp = 0x10000 + rng() % (0x110000 - 0x10000); break;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)  /* surrogates are not characters */
				cp = 'x';
			n += utf8_put(s + n, cp);
		}
		same_as_jansson(s, n);
	}
}

static void invalid_bytes_become_replacement_characters(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },                /* overlong '/' */
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* a surrogate */
		{ "\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },                 /* cut short */
		{ "\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* > U+10FFFF */
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },                         /* the euro sign stays */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = written(cases[i].in, strlen(cases[i].in));

		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void objects_arrays_and_numbers(void **state)
{
	struct jw w;
	json_error_t err;
	json_t *j;
	char *text;

	(void)state;
	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "name"); jw_str(&w, "a \"quoted\"\n\\ name");
	jw_key(&w, "min"); jw_int(&w, INT64_MIN);
	jw_key(&w, "max"); jw_uint(&w, UINT64_MAX);
	jw_key(&w, "zero"); jw_uint(&w, 0);
	jw_key(&w, "list"); jw_array(&w);
	jw_bool(&w, true); jw_bool(&w, false); jw_null(&w); jw_raw(&w, "{\"x\":1}", 7);
	jw_array_end(&w);
	jw_key(&w, "empty"); jw_object(&w); jw_object_end(&w);
	jw_object_end(&w);
	text = jw_take(&w, NULL);
	assert_string_equal(text, "{\"name\":\"a \\\"quoted\\\"\\n\\\\ name\",\"min\":-9223372036854775808,"
				  "\"max\":18446744073709551615,\"zero\":0,"
				  "\"list\":[true,false,null,{\"x\":1}],\"empty\":{}}");
	j = json_loads(text, JSON_DECODE_INT_AS_REAL, &err);  /* UINT64_MAX is past json_int_t */
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "a \"quoted\"\n\\ name");
	assert_int_equal(json_array_size(json_object_get(j, "list")), 4);
	json_decref(j);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_ascii_byte),
		cmocka_unit_test(random_utf8_strings),
		cmocka_unit_test(invalid_bytes_become_replacement_characters),
		cmocka_unit_test(objects_arrays_and_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
