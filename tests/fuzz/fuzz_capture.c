/*
 * fuzz_capture.c - libFuzzer target for the capture reader and writer.
 *
 * The first input byte picks what the rest is:
 *   0  a whole capture file, as found on disk;
 *   1  the raw bytes of one block, which this target wraps in a valid file
 *      header and a correctly compressed and checksummed block, so the
 *      fuzzer reaches the record checks behind the CRC;
 *   2  a list of records (u16 length, then that many bytes of body) to
 *      write, flushing where a length has its top bit set, and read back;
 *      they must come back byte for byte.
 * Files live in a memfd, opened through /proc/self/fd, so nothing touches
 * the disk and the public API is used as is.
 *
 * Build and run (from the repository top):
 *   clang -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
 *       -Ibpf -Iengine tests/fuzz/fuzz_capture.c engine/capture_file.c -lz \
 *       -o build-fuzz/fuzz_capture
 *   build-fuzz/fuzz_capture -max_total_time=120 -max_len=4096
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "capture_file.h"
#include "vigil_abi.h"

static int memfd = -1;
static char memfd_path[64];
static volatile uint8_t sink;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* Replace the memfd's contents with buf. */
static void set_file(const uint8_t *buf, size_t len)
{
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, buf, len, 0) != (ssize_t)len)
		abort();
}

/* Read the memfd as a capture to its end; every record must agree with its header. */
static void read_all(void)
{
	char err[512];
	struct capture_reader *r = capture_reader_open(memfd_path, err, sizeof(err));
	const void *rec;
	size_t len;
	int rc;

	if (!r)
		return;
	while ((rc = capture_reader_next(r, &rec, &len, err, sizeof(err))) == 1) {
		const struct vg_hdr *h = rec;

		if (len < sizeof(*h) || h->size != len || len > CAPTURE_RECORD_MAX)
			abort();
		/* touch every byte so the sanitizer sees any overrun */
		for (size_t i = 0; i < len; i++)
			sink ^= ((const uint8_t *)rec)[i];
	}
	if (rc == -1 && strncmp(err, memfd_path, strlen(memfd_path)) != 0)
		abort();
	capture_reader_close(r);
}

static void fuzz_whole_file(const uint8_t *data, size_t size)
{
	set_file(data, size);
	read_all();
}

static void fuzz_block_contents(const uint8_t *raw, size_t raw_len)
{
	uint8_t *file;
	uLongf comp_len = compressBound(raw_len);
	size_t at = CAPTURE_FILE_HEADER_SIZE;

	if (raw_len == 0 || raw_len > CAPTURE_BLOCK_RAW_MAX)
		return;
	file = calloc(1, at + CAPTURE_BLOCK_HEADER_SIZE + comp_len);
	if (!file)
		abort();
	memcpy(file, "VIGILCAP", 8);
	file[8] = CAPTURE_FORMAT_VERSION;
	file[10] = VG_ABI_VERSION;
	put32(file + 28, (uint32_t)crc32(0, file, 28));
	if (compress2(file + at + CAPTURE_BLOCK_HEADER_SIZE, &comp_len, raw, raw_len, 1) != Z_OK)
		abort();
	memcpy(file + at, "VBLK", 4);
	put32(file + at + 4, (uint32_t)raw_len);
	put32(file + at + 8, (uint32_t)comp_len);
	put32(file + at + 12, (uint32_t)crc32(0, raw, raw_len));
	set_file(file, at + CAPTURE_BLOCK_HEADER_SIZE + comp_len);
	free(file);
	read_all();
}

/*
 * The next record of a round-trip input at *p: a u16 whose low 15 bits give
 * the length in 8-byte units past the vg_hdr and whose top bit asks for a
 * flush after it, then up to 16 bytes that start its body (the rest is
 * zero). Fills rec; false when the input is used up.
 */
static bool next_record(const uint8_t **p, const uint8_t *end, uint8_t *rec, size_t *len, bool *flush)
{
	struct vg_hdr h = { .kind = VG_EV_SYSCALL };
	unsigned word;
	size_t body;

	if (end - *p < 2)
		return false;
	word = (*p)[0] | (*p)[1] << 8;
	*p += 2;
	*len = sizeof(h) + (word & 0x7fff) * 8;
	if (*len > CAPTURE_RECORD_MAX)
		*len = CAPTURE_RECORD_MAX;
	*flush = word & 0x8000;
	body = (size_t)(end - *p);
	if (body > 16)
		body = 16;
	if (body > *len - sizeof(h))
		body = *len - sizeof(h);
	h.size = (uint32_t)*len;
	memset(rec, 0, *len);
	memcpy(rec, &h, sizeof(h));
	memcpy(rec + sizeof(h), *p, body);
	*p += body;
	return true;
}

static void fuzz_round_trip(const uint8_t *data, size_t size)
{
	static uint8_t rec[CAPTURE_RECORD_MAX];
	char err[512];
	struct capture_writer *w;
	struct capture_reader *r;
	const uint8_t *p;
	const void *got;
	size_t len, got_len;
	bool flush;

	w = capture_writer_open(memfd_path, err, sizeof(err));
	if (!w)
		abort();
	for (p = data; next_record(&p, data + size, rec, &len, &flush); ) {
		if (capture_writer_add(w, rec, len, err, sizeof(err)) != 0)
			abort();
		if (flush && capture_writer_flush(w, err, sizeof(err)) != 0)
			abort();
	}
	if (capture_writer_close(w, err, sizeof(err)) != 0)
		abort();

	r = capture_reader_open(memfd_path, err, sizeof(err));
	if (!r)
		abort();
	for (p = data; next_record(&p, data + size, rec, &len, &flush); ) {
		if (capture_reader_next(r, &got, &got_len, err, sizeof(err)) != 1 || got_len != len ||
		    memcmp(got, rec, len) != 0)
			abort();
	}
	if (capture_reader_next(r, &got, &got_len, err, sizeof(err)) != 0)
		abort();
	capture_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz-capture", 0);
		if (memfd < 0)
			abort();
		snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	}
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_whole_file(data + 1, size - 1);
		break;
	case 1:
		fuzz_block_contents(data + 1, size - 1);
		break;
	default:
		fuzz_round_trip(data + 1, size - 1);
		break;
	}
	return 0;
}
