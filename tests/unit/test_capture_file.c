/*
 * test_capture_file.c - the capture format: records survive a round trip
 * byte for byte, and every way a file can be cut, damaged or forged ends in
 * a message naming the file and offset, never a crash or a wrong record.
 *
 * Some tests build captures by hand from the layout documented in
 * capture_file.h, to reach states the writer never produces (records that
 * disagree with their length, blocks that lie about their sizes).
 */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include "capture_file.h"
#include "vigil_abi.h"

#define ERRLEN 512

/* --- helpers ----------------------------------------------------------------- */

struct bytes {
	uint8_t *p;
	size_t len, cap;
};

static void bytes_add(struct bytes *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static char *temp_path(void)
{
	char tmpl[] = "/tmp/vigil-cap-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	close(fd);
	return strdup(tmpl);
}

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static struct bytes read_file(const char *path)
{
	struct bytes b = { 0 };
	uint8_t buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		bytes_add(&b, buf, (size_t)n);
	close(fd);
	return b;
}

/* A record of `len` bytes whose contents follow from `seed`. */
static void make_record(uint8_t *rec, size_t len, uint32_t seed)
{
	struct vg_hdr h = {
		.kind = VG_EV_SYSCALL, .flags = 0, .size = (uint32_t)len,
		.ts = 1000000ull * seed, .pid = seed, .tid = seed + 1,
	};

	memcpy(rec, &h, sizeof(h));
	for (size_t i = sizeof(h); i < len; i++)
		rec[i] = (uint8_t)(seed * 31 + i * 7 + (i / 13));
}

/* Lengths that vary between records: header-sized up to a few KiB. */
static size_t record_len(uint32_t i)
{
	uint32_t x = i * 2654435761u;

	if (i % 97 == 96)
		return 3000 + x % 3000;
	return sizeof(struct vg_hdr) + x % 280;
}

/* Write n records (made by make_record/record_len), flushing every flush_every. */
static void write_capture(const char *path, uint32_t n, uint32_t flush_every)
{
	char err[ERRLEN];
	uint8_t rec[8192];
	struct capture_writer *w = capture_writer_open(path, err, sizeof(err));

	assert_non_null(w);
	for (uint32_t i = 0; i < n; i++) {
		size_t len = record_len(i);

		make_record(rec, len, i);
		assert_int_equal(capture_writer_add(w, rec, len, err, sizeof(err)), 0);
		if (flush_every && (i + 1) % flush_every == 0)
			assert_int_equal(capture_writer_flush(w, err, sizeof(err)), 0);
	}
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);
}

/*
 * Read `path` to its end, checking each record against make_record. Returns
 * what the last capture_reader_next returned, or -2 when the file would not
 * open; *count gets the records read and err the message.
 */
static int read_capture(const char *path, uint32_t *count, char *err)
{
	uint8_t want[8192];
	struct capture_reader *r;
	const void *rec;
	size_t len;
	int rc;

	*count = 0;
	r = capture_reader_open(path, err, ERRLEN);
	if (!r)
		return -2;
	while ((rc = capture_reader_next(r, &rec, &len, err, ERRLEN)) == 1) {
		assert_int_equal(len, record_len(*count));
		make_record(want, len, *count);
		assert_memory_equal(rec, want, len);
		(*count)++;
	}
	capture_reader_close(r);
	return rc;
}

/* The file offsets where blocks start, and the file's end (the last entry). */
static size_t block_offsets(const struct bytes *f, size_t *offs, size_t max)
{
	size_t n = 0, at = CAPTURE_FILE_HEADER_SIZE;

	while (at < f->len) {
		assert_true(n < max);
		offs[n++] = at;
		at += CAPTURE_BLOCK_HEADER_SIZE + get32(f->p + at + 8);
	}
	assert_int_equal(at, f->len);
	offs[n] = at;
	return n;
}

/* A file header as capture_file.h lays it out, with a correct CRC. */
static void craft_header(struct bytes *f, uint16_t version, uint16_t abi, uint32_t flags)
{
	uint8_t h[CAPTURE_FILE_HEADER_SIZE] = "VIGILCAP";

	h[8] = version & 0xff;
	h[9] = version >> 8;
	h[10] = abi & 0xff;
	h[11] = abi >> 8;
	put32(h + 12, flags);
	put32(h + 28, (uint32_t)crc32(0, h, 28));
	bytes_add(f, h, sizeof(h));
}

/* A block of the given raw bytes, correctly compressed and checksummed. */
static void craft_block(struct bytes *f, const void *raw, size_t raw_len)
{
	uint8_t h[CAPTURE_BLOCK_HEADER_SIZE];
	uLongf comp_len = compressBound(raw_len);
	uint8_t *comp = malloc(comp_len);

	assert_non_null(comp);
	assert_int_equal(compress2(comp, &comp_len, raw, raw_len, 1), Z_OK);
	memcpy(h, "VBLK", 4);
	put32(h + 4, (uint32_t)raw_len);
	put32(h + 8, (uint32_t)comp_len);
	put32(h + 12, (uint32_t)crc32(0, raw, raw_len));
	bytes_add(f, h, sizeof(h));
	bytes_add(f, comp, comp_len);
	free(comp);
}

/* Append a length-prefixed record (make_record contents) to raw block bytes. */
static void raw_add_record(struct bytes *raw, size_t len, uint32_t seed)
{
	uint8_t prefix[4], rec[8192];

	put32(prefix, (uint32_t)len);
	make_record(rec, len, seed);
	bytes_add(raw, prefix, 4);
	bytes_add(raw, rec, len);
}

/* Open the crafted bytes as a capture; return the error of the first failure. */
static int read_crafted(const char *path, const struct bytes *f, uint32_t *count, char *err)
{
	write_file(path, f->p, f->len);
	return read_capture(path, count, err);
}

/* --- round trips ------------------------------------------------------------- */

static void round_trip_many_records(void **state)
{
	char *path = temp_path();
	char err[ERRLEN] = "";
	size_t offs[64], n_blocks;
	struct bytes f;
	uint32_t count;

	(void)state;
	write_capture(path, 20000, 0);
	assert_int_equal(read_capture(path, &count, err), 0);
	assert_int_equal(count, 20000);

	/* about 3.6 MB of records: several blocks, none over the limit */
	f = read_file(path);
	n_blocks = block_offsets(&f, offs, 63);
	assert_true(n_blocks >= 8);
	for (size_t i = 0; i < n_blocks; i++) {
		uint32_t raw_len = get32(f.p + offs[i] + 4);

		assert_true(raw_len <= CAPTURE_BLOCK_RAW_MAX);
		/* blocks other than the last were filled close to the limit */
		if (i + 1 < n_blocks)
			assert_true(raw_len > CAPTURE_BLOCK_RAW_MAX - 6100);
	}
	free(f.p);
	unlink(path);
	free(path);
}

static void flush_ends_a_block(void **state)
{
	char *path = temp_path();
	char err[ERRLEN];
	uint8_t rec[8192];
	size_t offs[8];
	struct capture_writer *w = capture_writer_open(path, err, sizeof(err));
	struct bytes f;
	uint32_t count;

	(void)state;
	assert_non_null(w);
	for (uint32_t i = 0; i < 5; i++) {
		make_record(rec, record_len(i), i);
		assert_int_equal(capture_writer_add(w, rec, record_len(i), err, sizeof(err)), 0);
		if (i == 2) {
			assert_int_equal(capture_writer_flush(w, err, sizeof(err)), 0);
			/* nothing buffered: no empty block */
			assert_int_equal(capture_writer_flush(w, err, sizeof(err)), 0);
		}
	}
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);

	f = read_file(path);
	assert_int_equal(block_offsets(&f, offs, 7), 2);
	assert_int_equal(read_capture(path, &count, err), 0);
	assert_int_equal(count, 5);
	free(f.p);
	unlink(path);
	free(path);
}

static void empty_capture(void **state)
{
	char *path = temp_path();
	char err[ERRLEN];
	struct capture_writer *w = capture_writer_open(path, err, sizeof(err));
	struct capture_reader *r;
	struct bytes f;
	const void *rec;
	size_t len;

	(void)state;
	assert_non_null(w);
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);
	f = read_file(path);
	assert_int_equal(f.len, CAPTURE_FILE_HEADER_SIZE);
	assert_memory_equal(f.p, "VIGILCAP", 8);

	r = capture_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(capture_reader_next(r, &rec, &len, err, sizeof(err)), 0);
	assert_int_equal(capture_reader_next(r, &rec, &len, err, sizeof(err)), 0);
	capture_reader_close(r);
	free(f.p);
	unlink(path);
	free(path);
}

static void largest_record_fills_a_block(void **state)
{
	char *path = temp_path();
	char err[ERRLEN];
	uint8_t *big = malloc(CAPTURE_RECORD_MAX + 1);
	struct capture_writer *w = capture_writer_open(path, err, sizeof(err));
	struct capture_reader *r;
	const void *rec;
	size_t len;

	(void)state;
	assert_non_null(big);
	assert_non_null(w);
	make_record(big, 100, 1);
	assert_int_equal(capture_writer_add(w, big, 100, err, sizeof(err)), 0);
	make_record(big, CAPTURE_RECORD_MAX, 2);
	assert_int_equal(capture_writer_add(w, big, CAPTURE_RECORD_MAX, err, sizeof(err)), 0);
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);

	r = capture_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(capture_reader_next(r, &rec, &len, err, sizeof(err)), 1);
	assert_int_equal(len, 100);
	assert_int_equal(capture_reader_next(r, &rec, &len, err, sizeof(err)), 1);
	assert_int_equal(len, CAPTURE_RECORD_MAX);
	assert_memory_equal(rec, big, CAPTURE_RECORD_MAX);
	assert_int_equal(capture_reader_next(r, &rec, &len, err, sizeof(err)), 0);
	capture_reader_close(r);
	free(big);
	unlink(path);
	free(path);
}

/* Records of odd lengths sit unaligned in a block; the reader hands out aligned copies. */
static void records_come_back_aligned(void **state)
{
	char *path = temp_path();
	char err[ERRLEN];
	uint8_t rec[8192];
	struct capture_writer *w = capture_writer_open(path, err, sizeof(err));
	struct capture_reader *r;
	const void *got;
	size_t len;

	(void)state;
	assert_non_null(w);
	for (size_t l = 25; l < 33; l++) {
		make_record(rec, l, (uint32_t)l);
		assert_int_equal(capture_writer_add(w, rec, l, err, sizeof(err)), 0);
	}
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);
	r = capture_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	for (size_t l = 25; l < 33; l++) {
		assert_int_equal(capture_reader_next(r, &got, &len, err, sizeof(err)), 1);
		assert_int_equal(len, l);
		assert_int_equal((uintptr_t)got % 8, 0);
		assert_int_equal(((const struct vg_hdr *)got)->pid, l);
	}
	capture_reader_close(r);
	unlink(path);
	free(path);
}

/* --- the writer ---------------------------------------------------------------- */

static void writer_refuses_bad_records(void **state)
{
	char *path = temp_path();
	char err[ERRLEN];
	uint8_t rec[8192];
	struct capture_writer *w = capture_writer_open(path, err, sizeof(err));
	uint8_t *big = calloc(1, CAPTURE_RECORD_MAX + 1);
	uint32_t count;

	(void)state;
	assert_non_null(w);
	assert_non_null(big);
	make_record(rec, 20, 0);
	assert_int_equal(capture_writer_add(w, rec, 20, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "record of 20 bytes is shorter than a record header (24)"));
	assert_non_null(strstr(err, path));

	make_record(rec, 40, 0);
	assert_int_equal(capture_writer_add(w, rec, 48, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "record size field 40 differs from its length 48"));

	make_record(big, CAPTURE_RECORD_MAX + 1, 0);
	assert_int_equal(capture_writer_add(w, big, CAPTURE_RECORD_MAX + 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "over the 262140-byte limit"));

	/* the writer is still good */
	make_record(rec, record_len(0), 0);
	assert_int_equal(capture_writer_add(w, rec, record_len(0), err, sizeof(err)), 0);
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);
	assert_int_equal(read_capture(path, &count, err), 0);
	assert_int_equal(count, 1);
	free(big);
	unlink(path);
	free(path);
}

static void writer_reports_full_disk(void **state)
{
	char err[ERRLEN];

	(void)state;
	assert_null(capture_writer_open("/dev/full", err, sizeof(err)));
	assert_string_equal(err, "/dev/full: write failed: No space left on device");
	assert_null(capture_writer_open("/nonexistent-dir/x.vcap", err, sizeof(err)));
	assert_string_equal(err, "/nonexistent-dir/x.vcap: cannot create: No such file or directory");
}

static void writer_reports_closed_pipe(void **state)
{
	char err[ERRLEN], path[64];
	uint8_t rec[8192];
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct capture_writer *w;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
	w = capture_writer_open(path, err, sizeof(err));
	assert_non_null(w);
	close(fds[0]);
	sigaction(SIGPIPE, &ign, &old);

	make_record(rec, 64, 0);
	assert_int_equal(capture_writer_add(w, rec, 64, err, sizeof(err)), 0);
	assert_int_equal(capture_writer_flush(w, err, sizeof(err)), -1);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_non_null(strstr(err, ": write failed: Broken pipe"));
	/* the failure sticks: later calls report it and close says the file is incomplete */
	err[0] = '\0';
	assert_int_equal(capture_writer_add(w, rec, 64, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Broken pipe"));
	err[0] = '\0';
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Broken pipe"));

	sigaction(SIGPIPE, &old, NULL);
	close(fds[1]);
}

/* --- damaged files ------------------------------------------------------------- */

static void truncated_at_every_offset(void **state)
{
	char *path = temp_path(), *cut_path = temp_path();
	char err[ERRLEN];
	size_t offs[16], n_blocks;
	struct bytes f;

	(void)state;
	write_capture(path, 12, 4);
	f = read_file(path);
	n_blocks = block_offsets(&f, offs, 15);
	assert_int_equal(n_blocks, 3);

	for (size_t cut = 0; cut < f.len; cut++) {
		uint32_t count;
		size_t whole = 0;   /* blocks entirely before the cut */
		int rc;

		while (whole < n_blocks && offs[whole + 1] <= cut)
			whole++;
		write_file(cut_path, f.p, cut);
		err[0] = '\0';
		rc = read_capture(cut_path, &count, err);
		if (cut == 0) {
			assert_int_equal(rc, -2);
			assert_non_null(strstr(err, "empty file, not a vigil capture"));
		} else if (cut < CAPTURE_FILE_HEADER_SIZE) {
			assert_int_equal(rc, -2);
			assert_non_null(strstr(err, "truncated at offset 0: file header needs 32 bytes"));
		} else if (cut == offs[whole]) {
			/* a block boundary: a clean, shorter capture */
			assert_int_equal(rc, 0);
			assert_int_equal(count, 4 * whole);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(count, 4 * whole);
			assert_true(strncmp(err, cut_path, strlen(cut_path)) == 0);
			assert_non_null(strstr(err, ": truncated at offset "));
		}
	}
	free(f.p);
	unlink(path);
	unlink(cut_path);
	free(path);
	free(cut_path);
}

/* Whether file offset `at` is inside a block's deflate data (not the zlib header or checksum). */
static bool in_deflate_data(const struct bytes *f, const size_t *offs, size_t n_blocks, size_t at)
{
	for (size_t i = 0; i < n_blocks; i++) {
		size_t start = offs[i] + CAPTURE_BLOCK_HEADER_SIZE + 2;
		size_t end = offs[i] + CAPTURE_BLOCK_HEADER_SIZE + get32(f->p + offs[i] + 8) - 4;

		if (at >= start && at < end)
			return true;
	}
	return false;
}

static void corrupt_every_byte(void **state)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	char *path = temp_path(), *bad_path = temp_path();
	char err[ERRLEN];
	size_t offs[16], n_blocks;
	struct bytes f;

	(void)state;
	write_capture(path, 12, 4);
	f = read_file(path);
	n_blocks = block_offsets(&f, offs, 15);

	for (size_t m = 0; m < sizeof(masks); m++) {
		size_t unnoticed = 0;

		for (size_t at = 0; at < f.len; at++) {
			uint32_t count;
			int rc;

			f.p[at] ^= masks[m];
			write_file(bad_path, f.p, f.len);
			f.p[at] ^= masks[m];
			err[0] = '\0';
			rc = read_capture(bad_path, &count, err);
			if (rc == 0) {
				/*
				 * Deflate has bits that do not change what it
				 * decodes to (padding after the final code, some
				 * Huffman table entries), so a flip there goes
				 * unnoticed; read_capture has checked that every
				 * record came out intact. Anywhere else (headers,
				 * sizes, CRCs, zlib's own header and checksum)
				 * a change must be caught.
				 */
				assert_int_equal(count, 12);
				assert_true(in_deflate_data(&f, offs, n_blocks, at));
				unnoticed++;
				continue;
			}
			assert_true(strncmp(err, bad_path, strlen(bad_path)) == 0);
			if (at < CAPTURE_FILE_HEADER_SIZE) {
				assert_int_equal(rc, -2);
			} else {
				assert_int_equal(rc, -1);
				assert_non_null(strstr(err, "offset"));
			}
		}
		assert_true(unnoticed * 20 < f.len);
	}
	free(f.p);
	unlink(path);
	unlink(bad_path);
	free(path);
	free(bad_path);
}

static void header_problems(void **state)
{
	char *path = temp_path();
	char err[ERRLEN], want[ERRLEN];
	struct bytes f = { 0 };
	uint32_t count;

	(void)state;
	bytes_add(&f, "this is a text file, not anything else", 38);
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	snprintf(want, sizeof(want), "%s: not a vigil capture", path);
	assert_string_equal(err, want);

	f.len = 0;
	bytes_add(&f, "VIGIL", 5);
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	snprintf(want, sizeof(want), "%s: truncated at offset 0: file header needs 32 bytes, 5 left", path);
	assert_string_equal(err, want);

	f.len = 0;
	craft_header(&f, 3, VG_ABI_VERSION, 0);
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	snprintf(want, sizeof(want), "%s: capture format version 3 is newer than this vigil (1)", path);
	assert_string_equal(err, want);

	f.len = 0;
	craft_header(&f, 0, VG_ABI_VERSION, 0);
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	assert_non_null(strstr(err, "capture format version 0 does not exist"));

	f.len = 0;
	craft_header(&f, 1, VG_ABI_VERSION + 1, 0);
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	snprintf(want, sizeof(want), "%s: records use event ABI version %d, this vigil reads version %d",
		 path, VG_ABI_VERSION + 1, VG_ABI_VERSION);
	assert_string_equal(err, want);

	f.len = 0;
	craft_header(&f, 1, VG_ABI_VERSION, 0x4);
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	assert_non_null(strstr(err, "capture uses flags 0x4 this vigil does not know"));

	/* a reserved byte changed: the header CRC notices */
	f.len = 0;
	craft_header(&f, 1, VG_ABI_VERSION, 0);
	f.p[20] = 1;
	assert_int_equal(read_crafted(path, &f, &count, err), -2);
	assert_non_null(strstr(err, "file header at offset 0: CRC mismatch"));

	assert_null(capture_reader_open("/nonexistent-dir/x.vcap", err, sizeof(err)));
	assert_string_equal(err, "/nonexistent-dir/x.vcap: cannot open: No such file or directory");
	free(f.p);
	unlink(path);
	free(path);
}

/* A valid header and first block (4 records), then a block header with these fields. */
static void craft_with_block_header(struct bytes *f, uint32_t raw_len, uint32_t comp_len)
{
	struct bytes raw = { 0 };
	uint8_t h[CAPTURE_BLOCK_HEADER_SIZE];

	f->len = 0;
	craft_header(f, 1, VG_ABI_VERSION, 0);
	for (uint32_t i = 0; i < 4; i++)
		raw_add_record(&raw, record_len(i), i);
	craft_block(f, raw.p, raw.len);
	memcpy(h, "VBLK", 4);
	put32(h + 4, raw_len);
	put32(h + 8, comp_len);
	put32(h + 12, 0);
	bytes_add(f, h, sizeof(h));
	bytes_add(f, "0123456789", 10);
	free(raw.p);
}

static void absurd_lengths(void **state)
{
	char *path = temp_path();
	char err[ERRLEN], want[ERRLEN];
	struct bytes f = { 0 };
	uint32_t count;
	size_t second;

	(void)state;
	craft_with_block_header(&f, 0xffffffff, 100);
	second = f.len - 26;
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_int_equal(count, 4);
	snprintf(want, sizeof(want), "%s: block at offset %zu: raw length 4294967295 is outside 1..262144",
		 path, second);
	assert_string_equal(err, want);

	craft_with_block_header(&f, 0, 100);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "raw length 0 is outside"));

	craft_with_block_header(&f, 1000, 0xfffffff0);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "compressed length 4294967280 is impossible for 1000 raw bytes"));

	craft_with_block_header(&f, 1000, 0);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "compressed length 0 is impossible"));

	/* plausible lengths, but the file ends first */
	craft_with_block_header(&f, 1000, 900);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	snprintf(want, sizeof(want),
		 "%s: truncated at offset %zu: block at offset %zu needs 900 compressed bytes, 10 left",
		 path, second + 16, second);
	assert_string_equal(err, want);

	/* not a block at all */
	craft_with_block_header(&f, 1000, 900);
	memcpy(f.p + second, "XBLK", 4);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "no block magic"));
	free(f.p);
	unlink(path);
	free(path);
}

/* Checksummed blocks whose records break the rules: a writer bug or a forgery. */
static void bad_records_in_sound_blocks(void **state)
{
	static const struct {
		uint32_t prefix, size_field; /* length prefix and vg_hdr.size of the bad record */
		size_t body;                 /* bytes of the record actually present */
		const char *want;
	} cases[] = {
		{ 3, 3, 3, "record at raw offset 64 has length 3, shorter than a record header" },
		{ 900, 900, 300, "record at raw offset 64: record length 900 runs past the block end (300 bytes left)" },
		{ 48, 40, 48, "record at raw offset 64: record size field 40 differs from its length 48" },
		{ 0, 0, 0, "record at raw offset 64: 2 bytes left, too few for a record length" },
	};
	char *path = temp_path();
	char err[ERRLEN], want[ERRLEN];

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct bytes f = { 0 }, raw = { 0 };
		uint8_t prefix[4], rec[1024];
		struct capture_reader *r;
		const void *got;
		size_t second, len;
		uint32_t count = 0;

		craft_header(&f, 1, VG_ABI_VERSION, 0);
		raw_add_record(&raw, 100, 0);
		craft_block(&f, raw.p, raw.len);
		second = f.len;

		/* a good record of 60 bytes, then the bad one at raw offset 64 */
		raw.len = 0;
		raw_add_record(&raw, 60, 1);
		if (cases[c].body == 0) {
			bytes_add(&raw, "\x01\x02", 2);
		} else {
			put32(prefix, cases[c].prefix);
			make_record(rec, sizeof(rec), 2);
			put32(rec + offsetof(struct vg_hdr, size), cases[c].size_field);
			bytes_add(&raw, prefix, 4);
			bytes_add(&raw, rec, cases[c].body);
		}
		craft_block(&f, raw.p, raw.len);

		write_file(path, f.p, f.len);
		r = capture_reader_open(path, err, sizeof(err));
		assert_non_null(r);
		while (capture_reader_next(r, &got, &len, err, sizeof(err)) == 1)
			count++;
		/* the first block's record, but not the good one before the bad one */
		assert_int_equal(count, 1);
		snprintf(want, sizeof(want), "%s: block at offset %zu: %s", path, second, cases[c].want);
		assert_string_equal(err, want);
		/* the failure sticks */
		err[0] = '\0';
		assert_int_equal(capture_reader_next(r, &got, &len, err, sizeof(err)), -1);
		assert_string_equal(err, want);
		capture_reader_close(r);
		free(f.p);
		free(raw.p);
	}
	unlink(path);
	free(path);
}

/* A capture of one block holding four records; the block header is at offset 32. */
static void one_block_capture(struct bytes *f)
{
	struct bytes raw = { 0 };

	for (uint32_t i = 0; i < 4; i++)
		raw_add_record(&raw, record_len(i), i);
	f->len = 0;
	craft_header(f, 1, VG_ABI_VERSION, 0);
	craft_block(f, raw.p, raw.len);
	free(raw.p);
}

/* Blocks whose zlib stream disagrees with the sizes in the block header. */
static void sizes_that_disagree_with_zlib(void **state)
{
	char *path = temp_path();
	char err[ERRLEN];
	struct bytes f = { 0 };
	uint32_t count, raw_len, comp_len;
	uint8_t *h;

	(void)state;
	/* raw length one short: the stream has more */
	one_block_capture(&f);
	h = f.p + CAPTURE_FILE_HEADER_SIZE;
	raw_len = get32(h + 4);
	comp_len = get32(h + 8);
	put32(h + 4, raw_len - 1);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "block at offset 32: decompresses to more than the"));

	/* raw length one long: the stream ends first */
	put32(h + 4, raw_len + 1);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "block at offset 32: decompresses to"));
	assert_non_null(strstr(err, "header says"));

	/* compressed length one short: the stream is cut */
	one_block_capture(&f);
	h = f.p + CAPTURE_FILE_HEADER_SIZE;
	put32(h + 8, comp_len - 1);
	f.len--;
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "block at offset 32: compressed data ends early"));

	/* compressed length one long: a byte after the stream */
	one_block_capture(&f);
	bytes_add(&f, "", 1);
	h = f.p + CAPTURE_FILE_HEADER_SIZE;
	put32(h + 8, comp_len + 1);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "block at offset 32: 1 bytes follow the end of the compressed data"));

	/* garbage instead of a zlib stream */
	one_block_capture(&f);
	memset(f.p + CAPTURE_FILE_HEADER_SIZE + CAPTURE_BLOCK_HEADER_SIZE, 0x55, 8);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "block at offset 32: compressed data is damaged ("));
	assert_int_equal(count, 0);

	/* the sizes agree but a raw byte differs: only the CRC can tell */
	one_block_capture(&f);
	h = f.p + CAPTURE_FILE_HEADER_SIZE;
	put32(h + 12, get32(h + 12) ^ 1);
	assert_int_equal(read_crafted(path, &f, &count, err), -1);
	assert_non_null(strstr(err, "block at offset 32: CRC mismatch"));
	free(f.p);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_many_records),
		cmocka_unit_test(flush_ends_a_block),
		cmocka_unit_test(empty_capture),
		cmocka_unit_test(largest_record_fills_a_block),
		cmocka_unit_test(records_come_back_aligned),
		cmocka_unit_test(writer_refuses_bad_records),
		cmocka_unit_test(writer_reports_full_disk),
		cmocka_unit_test(writer_reports_closed_pipe),
		cmocka_unit_test(truncated_at_every_offset),
		cmocka_unit_test(corrupt_every_byte),
		cmocka_unit_test(header_problems),
		cmocka_unit_test(absurd_lengths),
		cmocka_unit_test(bad_records_in_sound_blocks),
		cmocka_unit_test(sizes_that_disagree_with_zlib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
