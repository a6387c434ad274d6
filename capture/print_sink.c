/* Printing sink: see print_sink.h. */
#include "print_sink.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "print.h"

/* A printer per link type (a pcapng file may mix them); few, so a list. */
struct sink_printer {
	int dlt;
	struct printer *pr;
};

struct print_sink {
	struct print_opts popts;
	int line_buffered;
	struct sink_printer *printers;
	size_t n;
	struct pbuf buf;
};

/* tcpdump's -x/-xx/-X/-XX/-A/-AA: -A wins over -X, -X over -x; doubling
 * any of them includes the link-layer header. */
static int dump_mode(const struct options *o)
{
	if (o->Aflag)
		return o->Aflag > 1 ? PRINT_DUMP_ASCII_LL : PRINT_DUMP_ASCII;
	if (o->Xflag)
		return o->Xflag > 1 || o->xflag > 1 ? PRINT_DUMP_HEXASCII_LL : PRINT_DUMP_HEXASCII;
	if (o->xflag)
		return o->xflag > 1 ? PRINT_DUMP_HEX_LL : PRINT_DUMP_HEX;
	return PRINT_DUMP_NONE;
}

struct print_sink *print_sink_open(const struct options *o)
{
	struct print_sink *s = calloc(1, sizeof *s);
	if (!s) {
		fprintf(stderr, "bpfcap: out of memory\n");
		return NULL;
	}
	s->popts = (struct print_opts){
		.n_level = o->n_level,
		.eflag = o->eflag,
		.vflag = o->vflag,
		.qflag = o->qflag,
		.ts_mode = o->tflag > PRINT_TS_SINCE_FIRST ? PRINT_TS_SINCE_FIRST : o->tflag,
		.dump_mode = dump_mode(o),
		.number = o->number,
		.abs_seq = o->abs_seq,
		.nano = o->nano,
	};
	s->line_buffered = o->line_buffered;
	return s;
}

int print_sink_supports(int dlt)
{
	return printer_supports(dlt);
}

static struct printer *printer_for(struct print_sink *s, int dlt)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->printers[i].dlt == dlt)
			return s->printers[i].pr;
	struct sink_printer *grown = realloc(s->printers, (s->n + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	s->printers = grown;
	struct printer *pr = printer_new(&s->popts, dlt);
	if (!pr)
		return NULL;
	s->printers[s->n++] = (struct sink_printer){ dlt, pr };
	return pr;
}

int print_sink_packet(struct print_sink *s, int dlt, uint64_t ts_sec, int64_t ts_nsec,
		      uint32_t caplen, uint32_t wirelen, const uint8_t *data)
{
	struct printer *pr = printer_for(s, dlt);
	if (!pr) {
		fprintf(stderr, "bpfcap: out of memory (printer)\n");
		return -1;
	}
	/* A file's fraction is printed as libpcap scaled it, unchecked: in
	 * microseconds unless nanoseconds were asked for. */
	struct print_record rec = {
		.ts_sec = (int64_t)ts_sec,
		.ts_frac = (uint32_t)(s->popts.nano ? ts_nsec : ts_nsec / 1000),
		.caplen = caplen,
		.wirelen = wirelen,
		.data = data,
	};
	if (!print_packet(pr, &rec, &s->buf)) {
		fprintf(stderr, "bpfcap: out of memory (printing)\n");
		return -1;
	}
	return s->line_buffered ? print_sink_flush(s) : 0;
}

int print_sink_flush(struct print_sink *s)
{
	size_t off = 0;
	while (off < s->buf.len) {
		ssize_t n = write(STDOUT_FILENO, s->buf.data + off, s->buf.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "bpfcap: writing to the standard output: %s\n",
				n < 0 ? strerror(errno) : "no progress");
			s->buf.len = 0;
			return -1;
		}
		off += (size_t)n;
	}
	s->buf.len = 0;
	return 0;
}

void print_sink_close(struct print_sink *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		printer_free(s->printers[i].pr);
	free(s->printers);
	pbuf_free(&s->buf);
	free(s);
}
