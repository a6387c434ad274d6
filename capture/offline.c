/* -r: the offline pipeline.  Records come from the reader in batches; each
 * is judged by the filter compiled for its interface's link type (one
 * program per link type: a pcapng file may mix them), then written or
 * counted.  --count runs a counting program (bpfcap_counter: the filter
 * wrapped to add matches and their wire bytes to a map, the shape the
 * kernel runs for a live --count) instead of the plain filter.  As tcpdump does, the packets before damage in the input are
 * processed and written before the error is reported. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_cli.h"
#include "filter_select.h"
#include "offline.h"
#include "pcap_read.h"
#include "protocols.h" /* link types and the SLL/SLL2 layouts */
#include "print_sink.h"
#include "rotate.h"

#define BATCH 1024


/* A compiled filter, shared by every interface of its link type. */
struct link_filter {
	int dlt;
	struct bpfcap_filter *filter; /* NULL: no expression, every packet matches */
	struct bpfcap_counter *counter; /* --count: replaces filter (every link has one) */
	uint64_t counted;             /* the counter's matched_packets after the last packet */
	uint64_t counted_bytes;
	struct bpfcap_pkt_meta meta;  /* the same for every packet, but for cooked headers */
	int meta_per_packet;          /* LINUX_SLL/SLL2: read each packet's header */
};

struct offline {
	const struct options *o;
	struct pcapin *in;
	int has_expression;
	struct link_filter *links;
	size_t n_links;
	struct link_filter **by_iface; /* interface index -> its link's filter */
	size_t n_ifaces;
	unsigned long long matched;
	struct print_sink *printer; /* NULL unless printing (no -w, no --count) */
	struct elf_filter *elf;     /* --filter-elf: judges every packet instead */
	char err[512];
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The SLL header (pcap-linktype LINUX_SLL): packet type, ARPHRD type,
 * address length, 8 address bytes, protocol.  SLL2: protocol, reserved,
 * interface index, ARPHRD type, packet type, address length, address. */
void offline_packet_meta(int dlt, const uint8_t *data, uint32_t caplen,
			 struct bpfcap_pkt_meta *meta)
{
	memset(meta, 0, sizeof *meta);
	switch (dlt) {
	case LINKTYPE_EN10MB:
		meta->net_off = ETHER_HDR_LEN;
		break;
	case LINKTYPE_LINUX_SLL:
		meta->net_off = LINUX_SLL_HDR_LEN;
		if (caplen >= LINUX_SLL_HDR_LEN) {
			meta->pkt_type = be16(data + LINUX_SLL_PKTTYPE_OFF);
			meta->hatype = be16(data + LINUX_SLL_HATYPE_OFF);
			meta->protocol = be16(data + LINUX_SLL_PROTO_OFF);
		}
		break;
	case LINKTYPE_LINUX_SLL2:
		meta->net_off = LINUX_SLL2_HDR_LEN;
		if (caplen >= LINUX_SLL2_HDR_LEN) {
			meta->protocol = be16(data + LINUX_SLL2_PROTO_OFF);
			meta->ifindex = be32(data + LINUX_SLL2_IFINDEX_OFF);
			meta->hatype = be16(data + LINUX_SLL2_HATYPE_OFF);
			meta->pkt_type = data[LINUX_SLL2_PKTTYPE_OFF];
		}
		break;
	default:
		break;
	}
}

static struct link_filter *link_for(struct offline *st, int dlt)
{
	for (size_t i = 0; i < st->n_links; i++)
		if (st->links[i].dlt == dlt)
			return &st->links[i];
	return NULL;
}

/* Where libpcap compiles (its compiler chosen, or a link type ours does
 * not cover), compile on the file itself as tcpdump does: for a savefile
 * libpcap's code differs from pcap_open_dead's (DLT_NULL/LOOP test the
 * address family in the byte order of the file and accept every BSD's
 * AF_INET6, gencode.c gen_linktype).  Returns 1 when it did not apply
 * (standard input, a file libpcap refuses, another first link type). */
static int compile_on_savefile(const struct options *o, int dlt, struct bpfcap_prog *prog)
{
	if (strcmp(o->read_file, "-") == 0 ||
	    (o->compiler != COMPILER_LIBPCAP && bpfcap_linktype_supported(dlt)))
		return 1;
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(o->read_file, errbuf);
	if (!p)
		return 1;
	if (pcap_datalink(p) != dlt) {
		pcap_close(p);
		return 1;
	}
	if (o->compiler != COMPILER_LIBPCAP) {
		const char *name = pcap_datalink_val_to_name(dlt);
		fprintf(stderr, "bpfcap: link type %s is compiled by libpcap's pcap_compile\n",
			name ? name : "unknown");
	}
	/* tcpdump's netmask when reading a file: 0 */
	int rc = compile_on_handle(p, o, 0, prog);
	pcap_close(p);
	if (rc)
		return -1;
	return 0;
}

/* Compiles and loads the filter for a link type not seen before. */
static struct link_filter *add_link(struct offline *st, int dlt)
{
	struct link_filter *grown = realloc(st->links, (st->n_links + 1) * sizeof *grown);
	if (!grown) {
		fprintf(stderr, "bpfcap: out of memory\n");
		return NULL;
	}
	st->links = grown;
	struct link_filter *l = &st->links[st->n_links];
	l->dlt = dlt;
	l->filter = NULL;
	l->counter = NULL;
	l->counted = l->counted_bytes = 0;
	offline_packet_meta(dlt, NULL, 0, &l->meta);
	l->meta_per_packet = dlt == LINKTYPE_LINUX_SLL || dlt == LINKTYPE_LINUX_SLL2;
	if (st->has_expression || st->o->count_only) {
		struct bpfcap_prog prog = { 0 };
		struct bpfcap_error err = { 0 };
		int rc;
		if (st->has_expression) {
			rc = compile_on_savefile(st->o, dlt, &prog);
			if (rc < 0 || (rc > 0 && compile_filter(st->o, dlt, BPFCAP_MODE_OFFLINE, &prog)))
				return NULL;
		} else if (bpfcap_compile(NULL, NULL, &prog, &err)) { /* --count of everything */
			fprintf(stderr, "bpfcap: %s\n", err.msg);
			return NULL;
		}
		enum bpfcap_engine engine = st->o->engine == ENGINE_INTERP ? BPFCAP_ENGINE_INTERP
									  : BPFCAP_ENGINE_JIT;
		if (st->o->count_only)
			rc = bpfcap_counter_load(&prog, engine, BPFCAP_COUNT_ONLY, &l->counter, &err);
		else
			rc = bpfcap_filter_load(&prog, engine, &l->filter, &err);
		bpfcap_prog_free(&prog);
		if (rc) {
			fprintf(stderr, "bpfcap: cannot load the filter: %s\n", err.msg);
			return NULL;
		}
	}
	st->n_links++;
	return l;
}

/* Filters for interfaces described since the last call.  by_iface holds
 * indexes into links until every link is added (links may move). */
static int update_filters(struct offline *st)
{
	size_t n = pcapin_iface_count(st->in);
	if (n == st->n_ifaces)
		return 0;
	struct link_filter **grown = realloc(st->by_iface, n * sizeof *grown);
	if (!grown) {
		fprintf(stderr, "bpfcap: out of memory\n");
		return -1;
	}
	st->by_iface = grown;
	for (size_t i = st->n_ifaces; i < n; i++) {
		int dlt = pcapin_iface(st->in, i)->dlt;
		if (!link_for(st, dlt) && !add_link(st, dlt))
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		st->by_iface[i] = link_for(st, pcapin_iface(st->in, i)->dlt);
	st->n_ifaces = n;
	return 0;
}

/* tcpdump's first line on standard error. */
static void report_reading(const struct offline *st)
{
	const struct pcapin_iface *first = pcapin_iface(st->in, 0);
	const char *name = pcap_datalink_val_to_name(first->dlt);
	fprintf(stderr, "reading from file %s", st->o->read_file);
	if (name)
		fprintf(stderr, ", link-type %s (%s)", name,
			pcap_datalink_val_to_description(first->dlt));
	else
		fprintf(stderr, ", link-type %u", (unsigned)first->dlt);
	fprintf(stderr, ", snapshot length %u\n", first->snaplen);
}

static int open_output(const struct offline *st, struct rotator **out)
{
	const struct options *o = st->o;
	struct rotate_opts ro = {
		.name = o->write_file,
		.size_limit = o->file_size,
		.seconds = o->rotate_seconds,
		.max_files = o->file_count,
	};
	struct pcapout_opts po = {
		.pcapng = o->pcapng,
		.nano = o->nano,
		.filter = st->has_expression ? o->expression : NULL,
	};
	char err[512];
	if (rotator_open(&ro, &po, pcapin_iface(st->in, 0), out, err, sizeof err)) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return -1;
	}
	return 0;
}

enum loop_end { END_OF_INPUT, END_DAMAGED, END_LIMIT, END_FILE_LIMIT, END_ERROR };

/* Filters and writes one batch.  Returns END_OF_INPUT to go on. */
/* Runs the counting program on r; 1 if it counted r as a match. */
static int counted(struct link_filter *l, const struct pcap_record *r,
		   const struct bpfcap_pkt_meta *m)
{
	struct bpfcap_counts c;
	bpfcap_counter_run(l->counter, r->data, r->caplen, r->wirelen, m);
	bpfcap_counter_read(l->counter, &c);
	int matched = c.matched_packets != l->counted;
	l->counted = c.matched_packets;
	l->counted_bytes = c.matched_bytes;
	return matched;
}

static enum loop_end process_batch(struct offline *st, const struct pcap_record *recs, int n,
				   struct rotator *out)
{
	const long long limit = st->o->count_limit;
	for (int i = 0; i < n; i++) {
		const struct pcap_record *r = &recs[i];
		struct link_filter *l = st->by_iface[r->iface];
		if (l->filter || l->counter || st->elf) {
			struct bpfcap_pkt_meta meta;
			const struct bpfcap_pkt_meta *m = &l->meta;
			if (l->meta_per_packet) {
				offline_packet_meta(l->dlt, r->data, r->caplen, &meta);
				m = &meta;
			}
			if (st->elf ? !elf_filter_run(st->elf, r->data, r->caplen, r->wirelen, m)
			    : l->counter ? !counted(l, r, m)
					 : !bpfcap_filter_run(l->filter, r->data, r->caplen, r->wirelen, m))
				continue;
		}
		if (out) {
			int rc = rotator_write(out, r, r->iface, pcapin_iface(st->in, r->iface), st->err,
					       sizeof st->err);
			if (rc == 1)
				return END_FILE_LIMIT;
			if (rc < 0)
				return END_ERROR;
		}
		if (st->printer && print_sink_packet(st->printer, l->dlt, r->ts_sec, r->ts_nsec,
						     r->caplen, r->wirelen, r->data))
			return END_ERROR;
		st->matched++;
		if (limit && st->matched >= (unsigned long long)limit)
			return END_LIMIT;
	}
	return END_OF_INPUT;
}

static enum loop_end run_loop(struct offline *st, struct rotator *out)
{
	struct pcap_record recs[BATCH]; /* 40 KiB */
	for (;;) {
		int n = pcapin_next_batch(st->in, recs, BATCH);
		if (n == 0)
			return END_OF_INPUT;
		if (n < 0)
			return END_DAMAGED;
		if (update_filters(st))
			return END_ERROR;
		enum loop_end end = process_batch(st, recs, n, out);
		/* One write per batch: what it printed, even when it ended early. */
		if (st->printer && print_sink_flush(st->printer))
			return END_ERROR;
		if (end != END_OF_INPUT)
			return end;
	}
}

static int check_flags(const struct options *o)
{
	if (!o->write_file && (o->file_size || o->rotate_seconds || o->file_count || o->pcapng)) {
		fprintf(stderr, "bpfcap: -C, -G, -W and --pcapng need -w\n");
		return 1;
	}
	if (o->engine == ENGINE_KERNEL || o->engine == ENGINE_CBPF) {
		fprintf(stderr, "bpfcap: --engine=kernel and --engine=cbpf are for live capture; "
				"-r runs jit or interp\n");
		return 1;
	}
	if (o->write_file && strcmp(o->write_file, "-") == 0 && (o->file_size || o->rotate_seconds)) {
		fprintf(stderr, "bpfcap: -C and -G need a file name, not -w -\n");
		return 1;
	}
	return 0;
}

static void free_state(struct offline *st)
{
	for (size_t i = 0; i < st->n_links; i++) {
		bpfcap_filter_free(st->links[i].filter);
		bpfcap_counter_free(st->links[i].counter);
	}
	free(st->links);
	free(st->by_iface);
	elf_filter_free(st->elf);
	print_sink_close(st->printer);
	pcapin_close(st->in);
}

int offline_run(const struct options *o)
{
	int status = check_flags(o);
	if (status)
		return status;
	struct offline st = { .o = o, .has_expression = !expression_is_empty(o->expression) };
	char err[512];
	if (o->filter_elf && st.has_expression) {
		fprintf(stderr, "bpfcap: --filter-elf replaces the expression: give one or the other\n");
		return 1;
	}
	if (o->filter_elf && !(st.elf = elf_filter_open(o)))
		return 1;
	if (pcapin_open(o->read_file, &st.in, err, sizeof err)) {
		fprintf(stderr, "bpfcap: %s: %s\n", o->read_file, err);
		elf_filter_free(st.elf);
		return 1;
	}
	report_reading(&st);
	if (!o->write_file && !o->count_only) {
		int dlt = pcapin_iface(st.in, 0)->dlt;
		if (!print_sink_supports(dlt)) {
			const char *name = pcap_datalink_val_to_name(dlt);
			fprintf(stderr, "bpfcap: printing link type %s is not supported yet; "
					"use -w or --count\n", name ? name : "unknown");
			free_state(&st);
			return 1;
		}
		if (!(st.printer = print_sink_open(o))) {
			free_state(&st);
			return 1;
		}
	}
	struct rotator *out = NULL;
	if (update_filters(&st) || (o->write_file && open_output(&st, &out))) {
		free_state(&st);
		return 1;
	}
	enum loop_end end = run_loop(&st, out);
	if (end == END_ERROR)
		fprintf(stderr, "bpfcap: %s\n", st.err);
	if (rotator_close(out, err, sizeof err)) {
		if (end != END_ERROR)
			fprintf(stderr, "bpfcap: %s\n", err);
		end = END_ERROR;
	}
	if (end == END_DAMAGED)
		fprintf(stderr, "bpfcap: %s: %s\n", o->read_file, pcapin_error(st.in));
	if (end == END_FILE_LIMIT)
		fprintf(stderr, "Maximum file limit reached: %d\n", o->file_count);
	if (o->count_only) {
		/* tcpdump's line; the counters' sum equals st.matched (each
		 * match was seen as a change of its link's counter). */
		printf("%llu packet%s\n", st.matched, st.matched == 1 ? "" : "s");
		if (o->vflag) { /* ours: tcpdump prints no byte count */
			unsigned long long bytes = 0;
			for (size_t i = 0; i < st.n_links; i++)
				bytes += st.links[i].counted_bytes;
			printf("%llu byte%s on the wire\n", bytes, bytes == 1 ? "" : "s");
		}
	}
	free_state(&st);
	return end == END_DAMAGED || end == END_ERROR ? 1 : 0;
}
