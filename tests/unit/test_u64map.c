/*
 * test_u64map.c - the open-addressing map: put/get/del, replacement, key 0,
 * iteration, and long random sequences of inserts and deletions checked
 * against a plain reference array (backward-shift deletion must keep every
 * remaining key reachable, including runs that wrap past the array's end).
 */
#include "test_util.h"

#include <stdbool.h>

#include "u64map.h"

/* values are distinct addresses derived from an index */
static char values[1 << 16];
#define VAL(i) ((void *)&values[(i) & 0xffff])

/* xorshift64*: a fixed, repeatable sequence */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void empty_map(void **state)
{
	struct u64map m = { 0 };
	size_t it = 0;

	(void)state;
	assert_null(u64map_get(&m, 0));
	assert_null(u64map_get(&m, 42));
	assert_null(u64map_del(&m, 42));
	assert_false(u64map_next(&m, &it, NULL, NULL));
	assert_int_equal(m.len, 0);
	u64map_free(&m);
	u64map_free(&m);  /* freeing twice is harmless: free leaves an empty map */
}

static void put_get_del(void **state)
{
	struct u64map m = { 0 };

	(void)state;
	assert_null(u64map_put(&m, 7, VAL(1)));
	assert_null(u64map_put(&m, 8, VAL(2)));
	assert_ptr_equal(u64map_get(&m, 7), VAL(1));
	assert_ptr_equal(u64map_get(&m, 8), VAL(2));
	assert_null(u64map_get(&m, 9));
	assert_int_equal(m.len, 2);

	/* replace returns the old value and keeps the count */
	assert_ptr_equal(u64map_put(&m, 7, VAL(3)), VAL(1));
	assert_ptr_equal(u64map_get(&m, 7), VAL(3));
	assert_int_equal(m.len, 2);

	assert_ptr_equal(u64map_del(&m, 7), VAL(3));
	assert_null(u64map_get(&m, 7));
	assert_null(u64map_del(&m, 7));
	assert_ptr_equal(u64map_get(&m, 8), VAL(2));
	assert_int_equal(m.len, 1);

	/* a deleted key can come back */
	assert_null(u64map_put(&m, 7, VAL(4)));
	assert_ptr_equal(u64map_get(&m, 7), VAL(4));
	assert_int_equal(m.len, 2);
	u64map_free(&m);
	assert_int_equal(m.len, 0);
	assert_null(u64map_get(&m, 8));
}

/* 0 and the largest keys are ordinary keys */
static void edge_keys(void **state)
{
	static const uint64_t keys[] = { 0, 1, UINT64_MAX, UINT64_MAX - 1, 1ull << 32, 1ull << 63, 0xffffffffull };
	const size_t n = sizeof(keys) / sizeof(keys[0]);
	struct u64map m = { 0 };

	(void)state;
	assert_null(u64map_get(&m, 0));
	for (size_t i = 0; i < n; i++)
		assert_null(u64map_put(&m, keys[i], VAL(i)));
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(u64map_get(&m, keys[i]), VAL(i));
	/* keys that share their low 32 bits stay apart */
	assert_null(u64map_get(&m, 2ull << 32));
	assert_ptr_equal(u64map_del(&m, 0), VAL(0));
	assert_null(u64map_get(&m, 0));
	for (size_t i = 1; i < n; i++)
		assert_ptr_equal(u64map_get(&m, keys[i]), VAL(i));
	assert_null(u64map_put(&m, 0, VAL(99)));
	assert_ptr_equal(u64map_get(&m, 0), VAL(99));
	u64map_free(&m);
}

/* iteration visits every entry exactly once, with its value */
static void iteration(void **state)
{
	enum { N = 1000 };
	struct u64map m = { 0 };
	bool seen[N] = { false };
	size_t it = 0, count = 0;
	uint64_t k;
	void *v;

	(void)state;
	for (uint64_t i = 0; i < N; i++)
		u64map_put(&m, i * 3, VAL(i));
	while (u64map_next(&m, &it, &k, &v)) {
		assert_int_equal(k % 3, 0);
		assert_true(k / 3 < N);
		assert_false(seen[k / 3]);
		assert_ptr_equal(v, VAL(k / 3));
		seen[k / 3] = true;
		count++;
	}
	assert_int_equal(count, N);
	/* the iterator stays at the end */
	assert_false(u64map_next(&m, &it, &k, &v));
	/* key and value outputs are optional */
	it = 0;
	count = 0;
	while (u64map_next(&m, &it, NULL, NULL))
		count++;
	assert_int_equal(count, N);
	u64map_free(&m);
}

/* the map holds exactly the reference's live keys */
static void check_against(const struct u64map *m, const uint64_t *keys, const bool *live, size_t n)
{
	size_t nlive = 0, it = 0, iterated = 0;

	for (size_t i = 0; i < n; i++) {
		void *got = u64map_get(m, keys[i]);

		if (live[i]) {
			nlive++;
			if (got != VAL(i))
				fail_msg("key %#llx (index %zu) lost", (unsigned long long)keys[i], i);
		} else if (got) {
			fail_msg("deleted key %#llx (index %zu) still present", (unsigned long long)keys[i], i);
		}
	}
	assert_int_equal(m->len, nlive);
	while (u64map_next(m, &it, NULL, NULL))
		iterated++;
	assert_int_equal(iterated, nlive);
}

static void shuffle(size_t *order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

/*
 * Many keys, deleted in random order, with re-inserts along the way. Keys
 * are a mix of small sequential numbers (pids, fds) and random 64-bit ones.
 */
static void random_deletions_match_reference(void **state)
{
	enum { N = 20000 };
	uint64_t *keys = malloc(N * sizeof(*keys));
	bool *live = calloc(N, sizeof(*live));
	size_t *order = malloc(N * sizeof(*order));
	struct u64map m = { 0 };

	(void)state;
	assert_non_null(keys);
	assert_non_null(live);
	assert_non_null(order);
	rng_state = 0x9e3779b97f4a7c15ull;
	/* the top bit keeps random keys apart from the small ones; the fixed
	 * seed gives no repeats among them (the insert below would return one) */
	for (size_t i = 0; i < N; i++)
		keys[i] = i % 2 ? i : rng() | 1ull << 63;
	for (size_t i = 0; i < N; i++) {
		assert_null(u64map_put(&m, keys[i], VAL(i)));
		live[i] = true;
	}
	check_against(&m, keys, live, N);

	shuffle(order, N);
	for (size_t step = 0; step < N; step++) {
		size_t i = order[step];

		assert_ptr_equal(u64map_del(&m, keys[i]), VAL(i));
		live[i] = false;
		/* every few steps, bring back an earlier victim */
		if (step % 7 == 3) {
			size_t back = order[rng() % (step + 1)];

			if (!live[back]) {
				assert_null(u64map_put(&m, keys[back], VAL(back)));
				live[back] = true;
			}
		}
		if (step % 1000 == 0 || N - step < 50)
			check_against(&m, keys, live, N);
	}
	/* delete what the re-inserts left */
	for (size_t i = 0; i < N; i++)
		if (live[i]) {
			assert_ptr_equal(u64map_del(&m, keys[i]), VAL(i));
			live[i] = false;
		}
	check_against(&m, keys, live, N);
	assert_int_equal(m.len, 0);
	u64map_free(&m);
	free(keys);
	free(live);
	free(order);
}

/* the slot a key lands in when it is alone in a fresh 16-slot map */
static size_t home_of(uint64_t key)
{
	struct u64map m = { 0 };
	size_t home = (size_t)-1;

	u64map_put(&m, key, VAL(0));
	assert_int_equal(m.cap, 16);
	for (size_t i = 0; i < m.cap; i++)
		if (m.slots[i].used)
			home = i;
	u64map_free(&m);
	return home;
}

/*
 * A run of colliding keys that wraps from the last slot to the first: each
 * deletion must shift the right entries back across the wrap. Every order
 * of deleting four keys is tried.
 */
static void deletion_across_the_wrap(void **state)
{
	uint64_t at_end[4];
	size_t found = 0;

	(void)state;
	/* four keys whose home is the last slot: they fill slots 15, 0, 1, 2 */
	for (uint64_t k = 1; found < 4; k++)
		if (home_of(k) == 15)
			at_end[found++] = k;

	static const int perms[][4] = {
		{ 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 1, 0, 3, 2 }, { 2, 0, 3, 1 }, { 0, 2, 1, 3 }, { 1, 3, 0, 2 },
	};
	for (size_t p = 0; p < sizeof(perms) / sizeof(perms[0]); p++) {
		struct u64map m = { 0 };
		bool live[4] = { true, true, true, true };

		for (size_t i = 0; i < 4; i++)
			u64map_put(&m, at_end[i], VAL(i));
		assert_int_equal(m.cap, 16);
		assert_true(m.slots[15].used && m.slots[0].used && m.slots[1].used && m.slots[2].used);
		for (size_t d = 0; d < 4; d++) {
			int victim = perms[p][d];

			assert_ptr_equal(u64map_del(&m, at_end[victim]), VAL(victim));
			live[victim] = false;
			check_against(&m, at_end, live, 4);
		}
		u64map_free(&m);
	}
}

/* growing keeps every entry */
static void growth(void **state)
{
	struct u64map m = { 0 };

	(void)state;
	for (uint64_t i = 0; i < 5000; i++) {
		u64map_put(&m, i, VAL(i));
		/* the load factor stays under 3/4 */
		assert_true(m.len * 4 <= m.cap * 3);
	}
	for (uint64_t i = 0; i < 5000; i++)
		assert_ptr_equal(u64map_get(&m, i), VAL(i));
	u64map_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_map),
		cmocka_unit_test(put_get_del),
		cmocka_unit_test(edge_keys),
		cmocka_unit_test(iteration),
		cmocka_unit_test(random_deletions_match_reference),
		cmocka_unit_test(deletion_across_the_wrap),
		cmocka_unit_test(growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
