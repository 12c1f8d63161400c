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
 *
 * Layout (all integers little-endian):
 *
 *   file header, 32 bytes
 *     0  magic "VIGILCAP"
 *     8  u16 format version (CAPTURE_FORMAT_VERSION)
 *    10  u16 event ABI version of the records (VG_ABI_VERSION)
 *    12  u32 flags (none defined; a reader refuses bits it does not know)
 *    16  12 reserved bytes, written as zero
 *    28  u32 CRC-32 of bytes 0..27
 *   then blocks, until the end of the file:
 *     0  magic "VBLK"
 *     4  u32 raw length (1..CAPTURE_BLOCK_RAW_MAX)
 *     8  u32 compressed length (at most zlib's compressBound(raw length))
 *    12  u32 CRC-32 of the raw bytes
 *    16  the compressed bytes: one complete zlib stream
 *   raw bytes of a block: records, each a u32 length then that many bytes.
 *
 * Every block is an independent zlib stream, so a reader holds one block at
 * a time and a damaged block cannot corrupt what follows it. A file ends
 * cleanly only at a block boundary.
 *
 * Writing to a pipe whose reader has gone raises SIGPIPE; a caller that
 * wants the "Broken pipe" message instead ignores SIGPIPE.
 */
#ifndef VIGIL_CAPTURE_FILE_H
#define VIGIL_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>

#define CAPTURE_FORMAT_VERSION    1
#define CAPTURE_FILE_HEADER_SIZE  32
#define CAPTURE_BLOCK_HEADER_SIZE 16
#define CAPTURE_BLOCK_RAW_MAX     (256 * 1024)
/* The largest record: one that fills a block with its length prefix. */
#define CAPTURE_RECORD_MAX        (CAPTURE_BLOCK_RAW_MAX - 4)

struct capture_writer;
struct capture_reader;

/*
 * Create (truncate) `path` with mode 0600, since captures hold command lines
 * and paths; "-" means stdout. Writes the file header at once. NULL on error
 * with a message in err.
 */
struct capture_writer *capture_writer_open(const char *path, char *err, size_t errlen);

/*
 * Append one record (`len` bytes starting with struct vg_hdr, hdr.size == len,
 * len <= CAPTURE_RECORD_MAX). A record that breaks these rules is refused
 * with -1 and the writer stays usable; a failed write makes every later call
 * fail with the same message.
 */
int capture_writer_add(struct capture_writer *w, const void *rec, size_t len, char *err, size_t errlen);

/* Flush what is buffered into a block (also done automatically as blocks fill). */
int capture_writer_flush(struct capture_writer *w, char *err, size_t errlen);

/* Flush, close and free. Returns -1 if anything failed to reach the file. */
int capture_writer_close(struct capture_writer *w, char *err, size_t errlen);

/* Open `path` ("-": stdin) and check its header. NULL on error with a message. */
struct capture_reader *capture_reader_open(const char *path, char *err, size_t errlen);

/*
 * Next record: returns 1 with *rec and *len set (valid until the next call, and
 * aligned for struct access), 0 at the clean end of the file, -1 on a
 * damaged or truncated file with a message naming the file and byte offset.
 * A block's records are all checked before the first of them is returned.
 * After 0 or -1, later calls return the same.
 */
int capture_reader_next(struct capture_reader *r, const void **rec, size_t *len,
			char *err, size_t errlen);

void capture_reader_close(struct capture_reader *r);

#endif /* VIGIL_CAPTURE_FILE_H */
