/* capture/print.h: print captured packets exactly as tcpdump 4.99.3 does.
 *
 * A printer turns one captured record into tcpdump's text (optional
 * packet number, timestamp, the protocol line, hex/ASCII dump lines,
 * the final newline) and appends it to a growable buffer the caller
 * owns. The caller formats a whole batch (a ring block, a chunk of a
 * file) into one buffer and writes it with one system call; the
 * printer itself never writes, never allocates per field and never
 * reads a byte past the record's captured length (every read goes
 * through the bounds-checked accessors of print_get.h).
 *
 * State tcpdump keeps across packets lives in the printer object: the
 * --number counter, the previous and first timestamps for -ttt and
 * -ttttt, the TCP connections seen for relative sequence numbers, the
 * cached UTC offset of the local time zone. There is no global
 * mutable state: two printers may run in two threads.
 */
#ifndef BPFCAP_PRINT_H
#define BPFCAP_PRINT_H

#include <stddef.h>
#include <stdint.h>

/* Growable output buffer. Zero-initialise, append with the printer,
 * write data[0..len), set len = 0 to reuse, pbuf_free() at the end. */
struct pbuf {
	char *data;
	size_t len;
	size_t cap;
};
void pbuf_free(struct pbuf *b);

/* Timestamp formats, tcpdump's -t count. */
enum print_ts {
	PRINT_TS_DEFAULT = 0, /* HH:MM:SS.frac, local time */
	PRINT_TS_NONE = 1,    /* -t */
	PRINT_TS_UNIX = 2,    /* -tt: seconds.frac since the epoch */
	PRINT_TS_DELTA = 3,   /* -ttt: since the previous packet */
	PRINT_TS_DATE = 4,    /* -tttt: YYYY-MM-DD HH:MM:SS.frac, local time */
	PRINT_TS_SINCE_FIRST = 5, /* -ttttt: since the first packet */
};

/* Raw dump after the line: tcpdump's -x/-xx/-X/-XX/-A/-AA. */
enum print_dump {
	PRINT_DUMP_NONE = 0,
	PRINT_DUMP_HEX,        /* -x   hex of the network layer and above */
	PRINT_DUMP_HEX_LL,     /* -xx  hex including the link header */
	PRINT_DUMP_HEXASCII,   /* -X */
	PRINT_DUMP_HEXASCII_LL,/* -XX */
	PRINT_DUMP_ASCII,      /* -A */
	PRINT_DUMP_ASCII_LL,   /* -AA */
};

struct print_opts {
	int n_level;      /* -n count: 0 prints addresses numerically too
	                     (bpfcap does no DNS), ports are always numbers */
	int eflag;        /* -e: link-level header */
	int vflag;        /* -v count */
	int qflag;        /* -q: quick, less protocol information */
	int ts_mode;      /* enum print_ts */
	int dump_mode;    /* enum print_dump */
	int number;       /* --number / -#: packet number first */
	int abs_seq;      /* -S: absolute TCP sequence numbers */
	int nano;         /* timestamps carry nanoseconds (--nano) */
	int utc;          /* print times in UTC instead of local time */
};

/* One captured record. */
struct print_record {
	int64_t ts_sec;
	uint32_t ts_frac;   /* within the second: microseconds, or nanoseconds
	                       when opts.nano; printed as given, like tcpdump
	                       prints a file's out-of-range fraction */
	uint32_t caplen;
	uint32_t wirelen;
	const uint8_t *data;
};

/* Link types are filter/protocols.h's LINKTYPE_* numbers (file and DLT
 * values both: RAW is 101 in files, 12 as a DLT). */
#include "protocols.h"

struct printer;

/* NULL when out of memory or the link type is not one we print
 * (printer_supports() says which are). */
struct printer *printer_new(const struct print_opts *opts, int linktype);
int printer_supports(int linktype);
/* Append the record's full text to OUT; returns the bytes appended,
 * 0 only when memory runs out (OUT is then unchanged). */
size_t print_packet(struct printer *pr, const struct print_record *rec, struct pbuf *out);
/* The innermost protocol the last print_packet() decoded ("tcp",
 * "arp", "ether"...): for per-protocol statistics in tests. */
const char *printer_last_protocol(const struct printer *pr);
void printer_free(struct printer *pr);

#endif
