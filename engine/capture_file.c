/*
 * capture_file.c - writes and reads vigil capture files (layout in
 * capture_file.h).
 *
 * Both sides work on a plain file descriptor rather than stdio: the writer
 * sends each block with one write(2), so a full disk or a closed pipe is seen
 * on the call that caused it, with errno intact; the reader asks for exactly
 * the header or block it needs next, so it can say how many bytes were
 * missing and where. Buffers are sized once, from the format's limits, when
 * a file is opened; lengths read from a file are checked against those
 * limits before anything is read into them.
 */
#include "capture_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vigil_abi.h"

#define CAPTURE_MAGIC     "VIGILCAP"
#define CAPTURE_MAGIC_LEN 8
#define BLOCK_MAGIC       "VBLK"
#define BLOCK_MAGIC_LEN   4
#define RECORD_PREFIX     4     /* the u32 length before each record */
#define HEADER_CRC_AT     28    /* the file header's CRC covers bytes before it */

/*
 * Level 1: `vigil record` has to keep up with the live ring buffer, and on
 * records like these (repeated paths, creds and namespace ids) the fastest
 * level already gets most of the ratio the slow ones would.
 */
#define COMPRESS_LEVEL 1

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The `size` field of the struct vg_hdr that starts a record. */
static uint32_t record_size_field(const uint8_t *rec)
{
	return get_le32(rec + offsetof(struct vg_hdr, size));
}

static void copy_message(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

/* Write all of buf, retrying after signals and short writes. */
static int write_all(int fd, const uint8_t *buf, size_t n)
{
	while (n > 0) {
		ssize_t done = write(fd, buf, n);

		if (done < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += done;
		n -= (size_t)done;
	}
	return 0;
}

/*
 * Read up to n bytes, stopping early only at the end of the file. *got says
 * how many arrived, also when a read fails (-1, errno set).
 */
static int read_full(int fd, uint8_t *buf, size_t n, size_t *got)
{
	*got = 0;
	while (*got < n) {
		ssize_t done = read(fd, buf + *got, n - *got);

		if (done < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (done == 0)
			break;
		*got += (size_t)done;
	}
	return 0;
}

static bool is_stdio_path(const char *path)
{
	return strcmp(path, "-") == 0;
}

/* --- writer ------------------------------------------------------------------ */

struct capture_writer {
	int fd;
	bool own_fd;          /* false for stdout, which is not ours to close */
	char *name;           /* for messages: the path, or "<stdout>" */
	uint8_t *raw;         /* records waiting for the next block */
	size_t raw_len;
	uint8_t *block;       /* block header followed by room for compressed bytes */
	size_t comp_cap;
	z_stream zs;
	bool zs_ready;
	bool failed;          /* a write failed; the file is incomplete */
	char errmsg[512];     /* why, repeated by every later call */
};

static void writer_free(struct capture_writer *w)
{
	if (w->zs_ready)
		deflateEnd(&w->zs);
	free(w->name);
	free(w->raw);
	free(w->block);
	free(w);
}

/* Record a write failure for this and every later call; returns -1. */
__attribute__((format(printf, 4, 5)))
static int writer_fail(struct capture_writer *w, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof(w->errmsg), fmt, ap);
	va_end(ap);
	w->failed = true;
	copy_message(err, errlen, w->errmsg);
	return -1;
}

static int writer_failed(struct capture_writer *w, char *err, size_t errlen)
{
	copy_message(err, errlen, w->errmsg);
	return -1;
}

static int write_file_header(struct capture_writer *w, char *err, size_t errlen)
{
	uint8_t h[CAPTURE_FILE_HEADER_SIZE] = { 0 };

	memcpy(h, CAPTURE_MAGIC, CAPTURE_MAGIC_LEN);
	put_le16(h + 8, CAPTURE_FORMAT_VERSION);
	put_le16(h + 10, VG_ABI_VERSION);
	put_le32(h + 12, 0);
	put_le32(h + HEADER_CRC_AT, (uint32_t)crc32(0, h, HEADER_CRC_AT));
	if (write_all(w->fd, h, sizeof(h)) < 0)
		return writer_fail(w, err, errlen, "%s: write failed: %s", w->name, strerror(errno));
	return 0;
}

struct capture_writer *capture_writer_open(const char *path, char *err, size_t errlen)
{
	struct capture_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	w->fd = -1;
	w->name = strdup(is_stdio_path(path) ? "<stdout>" : path);
	w->comp_cap = compressBound(CAPTURE_BLOCK_RAW_MAX);
	w->raw = malloc(CAPTURE_BLOCK_RAW_MAX);
	w->block = malloc(CAPTURE_BLOCK_HEADER_SIZE + w->comp_cap);
	if (!w->name || !w->raw || !w->block) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (deflateInit(&w->zs, COMPRESS_LEVEL) != Z_OK) {
		snprintf(err, errlen, "%s: cannot start zlib compression", path);
		goto fail;
	}
	w->zs_ready = true;

	if (is_stdio_path(path)) {
		w->fd = STDOUT_FILENO;
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (w->fd < 0) {
			snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
			goto fail;
		}
		w->own_fd = true;
	}
	if (write_file_header(w, err, errlen) < 0)
		goto fail;
	return w;

fail:
	if (w->own_fd)
		close(w->fd);
	writer_free(w);
	return NULL;
}

/* Compress the buffered records into one block and write it. */
static int write_block(struct capture_writer *w, char *err, size_t errlen)
{
	uint8_t *h = w->block;
	size_t comp_len;
	int rc;

	if (w->raw_len == 0)
		return 0;
	deflateReset(&w->zs);
	w->zs.next_in = w->raw;
	w->zs.avail_in = (uInt)w->raw_len;
	w->zs.next_out = w->block + CAPTURE_BLOCK_HEADER_SIZE;
	w->zs.avail_out = (uInt)w->comp_cap;
	/* comp_cap is zlib's bound for a full block, so one call always finishes */
	rc = deflate(&w->zs, Z_FINISH);
	if (rc != Z_STREAM_END)
		return writer_fail(w, err, errlen, "%s: compression failed: %s", w->name, zError(rc));
	comp_len = w->comp_cap - w->zs.avail_out;

	memcpy(h, BLOCK_MAGIC, BLOCK_MAGIC_LEN);
	put_le32(h + 4, (uint32_t)w->raw_len);
	put_le32(h + 8, (uint32_t)comp_len);
	put_le32(h + 12, (uint32_t)crc32(0, w->raw, (uInt)w->raw_len));
	if (write_all(w->fd, w->block, CAPTURE_BLOCK_HEADER_SIZE + comp_len) < 0)
		return writer_fail(w, err, errlen, "%s: write failed: %s", w->name, strerror(errno));
	w->raw_len = 0;
	return 0;
}

int capture_writer_add(struct capture_writer *w, const void *rec, size_t len, char *err, size_t errlen)
{
	uint32_t size;

	if (w->failed)
		return writer_failed(w, err, errlen);
	if (len < sizeof(struct vg_hdr)) {
		snprintf(err, errlen, "%s: record of %zu bytes is shorter than a record header (%zu)",
			 w->name, len, sizeof(struct vg_hdr));
		return -1;
	}
	if (len > CAPTURE_RECORD_MAX) {
		snprintf(err, errlen, "%s: record of %zu bytes is over the %d-byte limit",
			 w->name, len, CAPTURE_RECORD_MAX);
		return -1;
	}
	size = record_size_field(rec);
	if (size != len) {
		snprintf(err, errlen, "%s: record size field %u differs from its length %zu",
			 w->name, size, len);
		return -1;
	}
	if (w->raw_len + RECORD_PREFIX + len > CAPTURE_BLOCK_RAW_MAX && write_block(w, err, errlen) < 0)
		return -1;
	put_le32(w->raw + w->raw_len, (uint32_t)len);
	memcpy(w->raw + w->raw_len + RECORD_PREFIX, rec, len);
	w->raw_len += RECORD_PREFIX + len;
	return 0;
}

int capture_writer_flush(struct capture_writer *w, char *err, size_t errlen)
{
	if (w->failed)
		return writer_failed(w, err, errlen);
	return write_block(w, err, errlen);
}

int capture_writer_close(struct capture_writer *w, char *err, size_t errlen)
{
	int rc = capture_writer_flush(w, err, errlen);

	if (w->own_fd && close(w->fd) < 0 && rc == 0)
		rc = writer_fail(w, err, errlen, "%s: close failed: %s", w->name, strerror(errno));
	writer_free(w);
	return rc;
}

/* --- reader ------------------------------------------------------------------ */

enum reader_state { READER_READING, READER_AT_END, READER_FAILED };

struct capture_reader {
	int fd;
	bool own_fd;          /* false for stdin */
	char *name;           /* for messages: the path, or "<stdin>" */
	unsigned long long offset; /* bytes of the file consumed so far */
	unsigned long long block_offset; /* where the current block's header starts */
	uint8_t *comp;        /* the current block's compressed bytes */
	uint8_t *raw;         /* ... and its records, checked */
	uint32_t raw_len;
	uint32_t pos;         /* next record's length prefix in raw */
	/*
	 * The record handed to the caller. In raw, records sit after a 4-byte
	 * prefix at any alignment; copying each into this malloc'd buffer
	 * lets callers read it as a struct. The copy costs far less than the
	 * inflate that produced it.
	 */
	uint8_t *rec;
	z_stream zs;
	bool zs_ready;
	enum reader_state state;
	char errmsg[512];
};

/* Record why the file cannot be read further; returns -1. */
__attribute__((format(printf, 4, 5)))
static int reader_fail(struct capture_reader *r, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
	va_end(ap);
	r->state = READER_FAILED;
	copy_message(err, errlen, r->errmsg);
	return -1;
}

static int check_file_header(struct capture_reader *r, char *err, size_t errlen)
{
	uint8_t h[CAPTURE_FILE_HEADER_SIZE];
	unsigned version, abi;
	uint32_t flags;
	size_t got;

	if (read_full(r->fd, h, sizeof(h), &got) < 0)
		return reader_fail(r, err, errlen, "%s: read error at offset %zu: %s",
				   r->name, got, strerror(errno));
	if (got == 0)
		return reader_fail(r, err, errlen, "%s: empty file, not a vigil capture", r->name);
	if (memcmp(h, CAPTURE_MAGIC, got < CAPTURE_MAGIC_LEN ? got : CAPTURE_MAGIC_LEN) != 0)
		return reader_fail(r, err, errlen, "%s: not a vigil capture", r->name);
	if (got < sizeof(h))
		return reader_fail(r, err, errlen,
				   "%s: truncated at offset 0: file header needs %d bytes, %zu left",
				   r->name, CAPTURE_FILE_HEADER_SIZE, got);
	/* the version first: a newer format may lay out the rest differently */
	version = get_le16(h + 8);
	if (version > CAPTURE_FORMAT_VERSION)
		return reader_fail(r, err, errlen,
				   "%s: capture format version %u is newer than this vigil (%d)",
				   r->name, version, CAPTURE_FORMAT_VERSION);
	if (version < CAPTURE_FORMAT_VERSION)
		return reader_fail(r, err, errlen, "%s: capture format version %u does not exist",
				   r->name, version);
	if (get_le32(h + HEADER_CRC_AT) != (uint32_t)crc32(0, h, HEADER_CRC_AT))
		return reader_fail(r, err, errlen, "%s: file header at offset 0: CRC mismatch", r->name);
	abi = get_le16(h + 10);
	if (abi != VG_ABI_VERSION)
		return reader_fail(r, err, errlen,
				   "%s: records use event ABI version %u, this vigil reads version %d",
				   r->name, abi, VG_ABI_VERSION);
	flags = get_le32(h + 12);
	if (flags != 0)
		return reader_fail(r, err, errlen, "%s: capture uses flags 0x%x this vigil does not know",
				   r->name, flags);
	r->offset = sizeof(h);
	return 0;
}

struct capture_reader *capture_reader_open(const char *path, char *err, size_t errlen)
{
	struct capture_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->fd = -1;
	r->name = strdup(is_stdio_path(path) ? "<stdin>" : path);
	r->comp = malloc(compressBound(CAPTURE_BLOCK_RAW_MAX));
	r->raw = malloc(CAPTURE_BLOCK_RAW_MAX);
	r->rec = malloc(CAPTURE_RECORD_MAX);
	if (!r->name || !r->comp || !r->raw || !r->rec) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	if (inflateInit(&r->zs) != Z_OK) {
		snprintf(err, errlen, "%s: cannot start zlib decompression", path);
		goto fail;
	}
	r->zs_ready = true;

	if (is_stdio_path(path)) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
			goto fail;
		}
		r->own_fd = true;
	}
	if (check_file_header(r, err, errlen) < 0)
		goto fail;
	return r;

fail:
	capture_reader_close(r);
	return NULL;
}

/* Inflate r->comp into r->raw, which must come out exactly raw_len bytes. */
static int inflate_block(struct capture_reader *r, uint32_t comp_len, uint32_t raw_len,
			 char *err, size_t errlen)
{
	int rc;

	inflateReset(&r->zs);
	r->zs.next_in = r->comp;
	r->zs.avail_in = comp_len;
	r->zs.next_out = r->raw;
	r->zs.avail_out = raw_len;
	rc = inflate(&r->zs, Z_FINISH);
	if (rc == Z_STREAM_END) {
		if (r->zs.avail_out != 0)
			return reader_fail(r, err, errlen,
					   "%s: block at offset %llu: decompresses to %u bytes, header says %u",
					   r->name, r->block_offset, raw_len - r->zs.avail_out, raw_len);
		if (r->zs.avail_in != 0)
			return reader_fail(r, err, errlen,
					   "%s: block at offset %llu: %u bytes follow the end of the compressed data",
					   r->name, r->block_offset, r->zs.avail_in);
		return 0;
	}
	/* Z_BUF_ERROR: the stream needs more input or more room; input first,
	 * since a stream cut inside its checksum has also filled the output */
	if (rc == Z_BUF_ERROR && r->zs.avail_in == 0)
		return reader_fail(r, err, errlen,
				   "%s: block at offset %llu: compressed data ends early",
				   r->name, r->block_offset);
	if (rc == Z_BUF_ERROR)
		return reader_fail(r, err, errlen,
				   "%s: block at offset %llu: decompresses to more than the %u bytes its header says",
				   r->name, r->block_offset, raw_len);
	if (rc == Z_MEM_ERROR)
		return reader_fail(r, err, errlen, "%s: block at offset %llu: out of memory",
				   r->name, r->block_offset);
	return reader_fail(r, err, errlen, "%s: block at offset %llu: compressed data is damaged (%s)",
			   r->name, r->block_offset, r->zs.msg ? r->zs.msg : zError(rc));
}

/* Check that raw holds whole records, each with a matching vg_hdr.size. */
static int check_records(struct capture_reader *r, uint32_t raw_len, char *err, size_t errlen)
{
	uint32_t pos = 0;

	while (pos < raw_len) {
		uint32_t left = raw_len - pos;
		uint32_t len, size;

		if (left < RECORD_PREFIX)
			return reader_fail(r, err, errlen,
					   "%s: block at offset %llu: record at raw offset %u: %u bytes left, too few for a record length",
					   r->name, r->block_offset, pos, left);
		len = get_le32(r->raw + pos);
		left -= RECORD_PREFIX;
		if (len < sizeof(struct vg_hdr))
			return reader_fail(r, err, errlen,
					   "%s: block at offset %llu: record at raw offset %u has length %u, shorter than a record header",
					   r->name, r->block_offset, pos, len);
		if (len > left)
			return reader_fail(r, err, errlen,
					   "%s: block at offset %llu: record at raw offset %u: record length %u runs past the block end (%u bytes left)",
					   r->name, r->block_offset, pos, len, left);
		size = record_size_field(r->raw + pos + RECORD_PREFIX);
		if (size != len)
			return reader_fail(r, err, errlen,
					   "%s: block at offset %llu: record at raw offset %u: record size field %u differs from its length %u",
					   r->name, r->block_offset, pos, size, len);
		pos += RECORD_PREFIX + len;
	}
	return 0;
}

/* Load the next block: 1 when one is ready, 0 at the clean end, -1 on error. */
static int read_block(struct capture_reader *r, char *err, size_t errlen)
{
	uint8_t h[CAPTURE_BLOCK_HEADER_SIZE];
	uint32_t raw_len, comp_len, crc;
	size_t got;

	r->block_offset = r->offset;
	if (read_full(r->fd, h, sizeof(h), &got) < 0)
		return reader_fail(r, err, errlen, "%s: read error at offset %llu: %s",
				   r->name, r->offset + got, strerror(errno));
	if (got == 0)
		return 0;
	if (got < sizeof(h))
		return reader_fail(r, err, errlen,
				   "%s: truncated at offset %llu: block header needs %d bytes, %zu left",
				   r->name, r->block_offset, CAPTURE_BLOCK_HEADER_SIZE, got);
	if (memcmp(h, BLOCK_MAGIC, BLOCK_MAGIC_LEN) != 0)
		return reader_fail(r, err, errlen, "%s: block at offset %llu: no block magic, not a block header",
				   r->name, r->block_offset);
	raw_len = get_le32(h + 4);
	comp_len = get_le32(h + 8);
	crc = get_le32(h + 12);
	if (raw_len == 0 || raw_len > CAPTURE_BLOCK_RAW_MAX)
		return reader_fail(r, err, errlen,
				   "%s: block at offset %llu: raw length %u is outside 1..%d",
				   r->name, r->block_offset, raw_len, CAPTURE_BLOCK_RAW_MAX);
	if (comp_len == 0 || comp_len > compressBound(raw_len))
		return reader_fail(r, err, errlen,
				   "%s: block at offset %llu: compressed length %u is impossible for %u raw bytes",
				   r->name, r->block_offset, comp_len, raw_len);
	r->offset += sizeof(h);

	if (read_full(r->fd, r->comp, comp_len, &got) < 0)
		return reader_fail(r, err, errlen, "%s: read error at offset %llu: %s",
				   r->name, r->offset + got, strerror(errno));
	if (got < comp_len)
		return reader_fail(r, err, errlen,
				   "%s: truncated at offset %llu: block at offset %llu needs %u compressed bytes, %zu left",
				   r->name, r->offset, r->block_offset, comp_len, got);
	r->offset += comp_len;

	if (inflate_block(r, comp_len, raw_len, err, errlen) < 0)
		return -1;
	if ((uint32_t)crc32(0, r->raw, raw_len) != crc)
		return reader_fail(r, err, errlen, "%s: block at offset %llu: CRC mismatch",
				   r->name, r->block_offset);
	if (check_records(r, raw_len, err, errlen) < 0)
		return -1;
	r->raw_len = raw_len;
	r->pos = 0;
	return 1;
}

int capture_reader_next(struct capture_reader *r, const void **rec, size_t *len,
			char *err, size_t errlen)
{
	uint32_t n;
	int rc;

	if (r->state == READER_FAILED) {
		copy_message(err, errlen, r->errmsg);
		return -1;
	}
	if (r->state == READER_AT_END)
		return 0;
	/* a checked block is never empty, so one read_block is enough */
	if (r->pos == r->raw_len) {
		rc = read_block(r, err, errlen);
		if (rc == 0)
			r->state = READER_AT_END;
		if (rc <= 0)
			return rc;
	}
	n = get_le32(r->raw + r->pos);
	memcpy(r->rec, r->raw + r->pos + RECORD_PREFIX, n);
	r->pos += RECORD_PREFIX + n;
	*rec = r->rec;
	*len = n;
	return 1;
}

void capture_reader_close(struct capture_reader *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	if (r->zs_ready)
		inflateEnd(&r->zs);
	free(r->name);
	free(r->comp);
	free(r->raw);
	free(r->rec);
	free(r);
}
