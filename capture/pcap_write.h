/* Writing capture files: pcap (libpcap's savefile format, micro- or
 * nanosecond, host byte order, as pcap_dump writes it) or pcapng (one
 * section; an interface description block per input interface, written
 * before its first packet; enhanced packet blocks).
 *
 * Writes are buffered (one write(2) per megabyte); when a write fails the
 * file is cut back to the last whole record so everything already written
 * stays readable. */
#ifndef BPFCAP_CAPTURE_PCAP_WRITE_H
#define BPFCAP_CAPTURE_PCAP_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "pcap_read.h"

#define BPFCAP_USERAPPL "bpfcap 0.1.0" /* pcapng shb_userappl */

struct pcapout_opts {
	int pcapng;          /* pcapng instead of pcap */
	int nano;            /* nanosecond timestamps (pcap magic a1b23c4d, pcapng if_tsresol 9) */
	const char *filter;  /* pcapng if_filter; NULL or "" for none */
};

struct pcapout;

/* Starts a file on fd (closed by pcapout_close unless it is 0, 1 or 2).
 * first is the input's first interface: a pcap file takes its link type
 * and snap length.  name is for messages.  Returns 0 or -1 with err. */
int pcapout_open(int fd, const char *name, const struct pcapout_opts *o,
		 const struct pcapin_iface *first, struct pcapout **out, char *err, size_t errlen);

/* Appends one record from interface iface (its description: a pcapng
 * file describes it before the first record; a pcap file refuses a link
 * type other than its own).  Returns 0 or -1 with err. */
int pcapout_write(struct pcapout *w, const struct pcap_record *rec, uint32_t iface_index,
		  const struct pcapin_iface *iface, char *err, size_t errlen);

/* Writes out what is buffered.  Returns 0 or -1 with err. */
int pcapout_flush(struct pcapout *w, char *err, size_t errlen);

/* Bytes in the file so far, buffered ones included (what ftell says on a
 * stdio stream: tcpdump's -C compares this). */
uint64_t pcapout_size(const struct pcapout *w);

/* Flushes, closes and frees.  Returns 0 or -1 with err (freed anyway). */
int pcapout_close(struct pcapout *w, char *err, size_t errlen);

#endif
