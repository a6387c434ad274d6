/* The printing sink: records formatted by capture/print.h into one buffer
 * per batch and written to standard output with one system call
 * (tcpdump's -l: after every packet). */
#ifndef BPFCAP_CAPTURE_PRINT_SINK_H
#define BPFCAP_CAPTURE_PRINT_SINK_H

#include <stdint.h>

#include "options.h"

struct print_sink;

/* NULL (message printed) when out of memory. */
struct print_sink *print_sink_open(const struct options *o);
/* 1 if records of this link type (DLT) can be printed. */
int print_sink_supports(int dlt);
/* Formats one record; flushes when -l asks for it.  0, or -1 with a
 * message printed (out of memory, a write error). */
int print_sink_packet(struct print_sink *s, int dlt, uint64_t ts_sec, int64_t ts_nsec,
		      uint32_t caplen, uint32_t wirelen, const uint8_t *data);
/* Writes what the batch formatted.  0, or -1 with a message printed. */
int print_sink_flush(struct print_sink *s);
void print_sink_close(struct print_sink *s);

#endif
