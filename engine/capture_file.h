/*
 * capture_file.h - vigil's capture format: kernel records saved to a file by
 * `vigil record` and read back by `vigil replay`.
 *
 * A capture is a fixed header followed by blocks. Each block is a
 * zlib-compressed run of length-prefixed records, with its own small header
 * carrying the compressed and raw sizes and a CRC-32 of the raw bytes, so a
 * damaged or cut file is detected at the exact block and offset and never
 * read past. Records are stored byte for byte as the kernel wrote them (see
 * bpf/vigil_abi.h): each starts with struct vg_hdr whose `size` is the
 * record's length.
 */
#ifndef VIGIL_CAPTURE_FILE_H
#define VIGIL_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>

struct capture_writer;
struct capture_reader;

/* Create (truncate) `path`; "-" means stdout. NULL on error with a message in err. */
struct capture_writer *capture_writer_open(const char *path, char *err, size_t errlen);

/* Append one record (`len` bytes starting with struct vg_hdr, hdr.size == len). */
int capture_writer_add(struct capture_writer *w, const void *rec, size_t len, char *err, size_t errlen);

/* Flush what is buffered into a block (also done automatically as blocks fill). */
int capture_writer_flush(struct capture_writer *w, char *err, size_t errlen);

/* Flush, close and free. Returns -1 if anything failed to reach the file. */
int capture_writer_close(struct capture_writer *w, char *err, size_t errlen);

/* Open `path` ("-": stdin) and check its header. NULL on error with a message. */
struct capture_reader *capture_reader_open(const char *path, char *err, size_t errlen);

/*
 * Next record: returns 1 with *rec/*len set (valid until the next call),
 * 0 at the clean end of the file, -1 on a damaged or truncated file with a
 * message naming the file and byte offset.
 */
int capture_reader_next(struct capture_reader *r, const void **rec, size_t *len,
			char *err, size_t errlen);

void capture_reader_close(struct capture_reader *r);

#endif /* VIGIL_CAPTURE_FILE_H */
