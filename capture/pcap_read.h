/* Reading capture files: pcap (micro- and nanosecond, either byte order)
 * and pcapng (several sections of either byte order, several interfaces,
 * several link types), through one API that yields batches of records.
 *
 * The file is read through a 256 KiB buffer (measured faster here than
 * mapping it or libpcap's pcap_next_ex: docs/DESIGN.md); a record's data
 * points into that buffer and stays valid until the next
 * pcapin_next_batch call.  Every
 * length is checked against the bytes that remain: damage ends the stream
 * with an error that names its byte offset, after the records before it
 * have been returned. */
#ifndef BPFCAP_CAPTURE_PCAP_READ_H
#define BPFCAP_CAPTURE_PCAP_READ_H

#include <stddef.h>
#include <stdint.h>

enum pcapin_format { PCAPIN_PCAP, PCAPIN_PCAPNG };

/* One interface: a pcap file has one, a pcapng file one per IDB (numbered
 * across sections, so an index never changes meaning). */
struct pcapin_iface {
	int dlt;             /* libpcap's DLT_* number, what filters compile for */
	uint32_t linktype;   /* the file's LINKTYPE_* field, FCS/extension bits included */
	uint32_t snaplen;    /* the file's snap length, 0 (or past INT_MAX) made the maximum */
	int nano;            /* pcap: the file's timestamps are nanoseconds */
};

struct pcap_record {
	/* Seconds since the epoch and the fraction in nanoseconds, kept
	 * apart because a pcap file's fraction may be out of range, even
	 * negative: libpcap reads it as a signed 32-bit field and tcpdump
	 * writes it back scaled but unchecked (tcpdump's tests
	 * tcp_header_heapoverflow.pcap, timestamp_invalid_nano.pcap). */
	uint64_t ts_sec;
	int64_t ts_nsec;
	uint32_t caplen;     /* bytes at data */
	uint32_t wirelen;    /* bytes on the wire */
	uint32_t iface;      /* index for pcapin_iface */
	const uint8_t *data;
};

struct pcapin;

/* Opens path ("-" reads the standard input).  Returns 0, or -1 with a
 * message in err (without the program name). */
int pcapin_open(const char *path, struct pcapin **out, char *err, size_t errlen);

/* Reads size bytes at data instead of a file (tests, fuzzing); data must
 * outlive the reader, and records point into it. */
int pcapin_open_memory(const uint8_t *data, size_t size, struct pcapin **out, char *err,
		       size_t errlen);

enum pcapin_format pcapin_format(const struct pcapin *in);

/* The interfaces seen so far: a pcapng file may describe more as it goes,
 * so look again after each batch. */
size_t pcapin_iface_count(const struct pcapin *in);
const struct pcapin_iface *pcapin_iface(const struct pcapin *in, size_t i);

/* Up to max records into recs.  Returns how many (> 0), 0 at the end of
 * the file, -1 on damage: the records before it came in earlier batches,
 * pcapin_error says what and where. */
int pcapin_next_batch(struct pcapin *in, struct pcap_record *recs, int max);
const char *pcapin_error(const struct pcapin *in);

void pcapin_close(struct pcapin *in);

/* libpcap's largest sane caplen for a link type (max_snaplen_for_dlt). */
uint32_t pcap_max_snaplen(int dlt);

/* LINKTYPE_* (file) and DLT_* (filter) numbers differ for a few link types
 * (libpcap's pcap-common.c table; RAW is LINKTYPE 101 but DLT 12 on Linux). */
int pcap_linktype_to_dlt(uint32_t linktype);
uint32_t pcap_dlt_to_linktype(int dlt);

#endif
