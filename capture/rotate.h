/* -w with tcpdump 4.99's file rotation: -C (size), -G (time), -W (count).
 *
 *   -C N  before writing a packet, if the file is already larger than
 *         N x 1,000,000 bytes, close it and open the next: OUT, OUT1,
 *         OUT2... (with -W: OUT0, OUT1... zero-padded to the width of
 *         W-1, and a ring that starts over at 0 after W files).
 *   -G S  before writing a packet, if S seconds or more have passed on
 *         the wall clock since the file was opened, open a new one named
 *         by strftime(OUT, localtime(now)); with -C the size count starts
 *         over.  With -W and without -C, stop after W files.
 * The clock is a parameter so tests can drive -G. */
#ifndef BPFCAP_CAPTURE_ROTATE_H
#define BPFCAP_CAPTURE_ROTATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pcap_write.h"

struct rotate_opts {
	const char *name;     /* -w; "-" is the standard output (no rotation) */
	int64_t size_limit;   /* -C in bytes, 0 for none */
	int seconds;          /* -G, 0 for none */
	int max_files;        /* -W, 0 for none */
	time_t (*clock)(void *ctx); /* NULL: time(NULL) */
	void *clock_ctx;
};

struct rotator;

/* Opens the first file.  Returns 0 or -1 with err. */
int rotator_open(const struct rotate_opts *ro, const struct pcapout_opts *po,
		 const struct pcapin_iface *first, struct rotator **out, char *err, size_t errlen);

/* Writes one record, rotating first when due.  Returns 0, 1 when -G -W
 * reached its file limit (nothing written: stop), or -1 with err. */
int rotator_write(struct rotator *r, const struct pcap_record *rec, uint32_t iface_index,
		  const struct pcapin_iface *iface, char *err, size_t errlen);

/* The name of the file being written (for messages and tests). */
const char *rotator_current(const struct rotator *r);

/* Writes out what the current file has buffered (-U).  0 or -1 with err. */
int rotator_flush(struct rotator *r, char *err, size_t errlen);

/* Closes the current file and frees.  Returns 0 or -1 with err. */
int rotator_close(struct rotator *r, char *err, size_t errlen);

/* The digits -W N gives file numbers (tcpdump's getWflagChars). */
int rotate_count_width(int max_files);

#endif
