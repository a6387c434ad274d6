#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_select.h"

static int file_linktype(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "bpfcap: %s\n", errbuf);
		return -1;
	}
	int dlt = pcap_datalink(p);
	pcap_close(p);
	return dlt;
}

int select_linktype(const struct options *o)
{
	if (o->linktype_name) {
		int dlt = bpfcap_linktype_from_name(o->linktype_name);
		if (dlt < 0)
			dlt = pcap_datalink_name_to_val(o->linktype_name);
		if (dlt < 0)
			fprintf(stderr, "bpfcap: invalid data link type %s\n", o->linktype_name);
		return dlt;
	}
	if (o->read_file)
		return file_linktype(o->read_file);
	return bpfcap_linktype_from_name("EN10MB");
}

/* The expression, then a caret line under the offending bytes. */
static void print_caret(const char *expr, int column, int length)
{
	if (!expr || column < 0)
		return;
	fprintf(stderr, "  %s\n  ", expr);
	for (int i = 0; i < column; i++)
		fputc(expr[i] == '\t' ? '\t' : ' ', stderr);
	for (int i = 0; i < (length > 0 ? length : 1); i++)
		fputc('^', stderr);
	fputc('\n', stderr);
}

int compile_on_handle(struct pcap *p, const struct options *o, uint32_t netmask,
		      struct bpfcap_prog *prog)
{
	struct bpf_program bp;
	if (pcap_compile(p, &bp, o->expression, !o->no_optimize, netmask) < 0) {
		fprintf(stderr, "bpfcap: %s\n", pcap_geterr(p));
		return -1;
	}
	prog->len = bp.bf_len;
	prog->insns = calloc(bp.bf_len ? bp.bf_len : 1, sizeof *prog->insns);
	if (prog->insns)
		memcpy(prog->insns, bp.bf_insns, bp.bf_len * sizeof *prog->insns);
	pcap_freecode(&bp);
	if (!prog->insns) {
		fprintf(stderr, "bpfcap: out of memory\n");
		return -1;
	}
	return 0;
}

static int compile_with_libpcap(const struct options *o, int linktype, uint32_t netmask,
				struct bpfcap_prog *prog)
{
	pcap_t *p = pcap_open_dead(linktype, (int)(o->snaplen ? o->snaplen : 262144));
	if (!p) {
		fprintf(stderr, "bpfcap: libpcap cannot open link type %d\n", linktype);
		return 1;
	}
	int rc = compile_on_handle(p, o, netmask, prog);
	pcap_close(p);
	return rc ? 1 : 0;
}

int compile_filter(const struct options *o, int linktype, enum bpfcap_mode mode,
		   struct bpfcap_prog *prog)
{
	return compile_filter_netmask(o, linktype, mode, 0, prog);
}

int compile_filter_netmask(const struct options *o, int linktype, enum bpfcap_mode mode,
			   uint32_t netmask, struct bpfcap_prog *prog)
{
	/* libpcap's "unknown" only where the caller knows nothing either:
	 * tcpdump passes 0 without an interface. */
	uint32_t libpcap_mask = netmask ? netmask : PCAP_NETMASK_UNKNOWN;
	if (o->compiler == COMPILER_LIBPCAP)
		return compile_with_libpcap(o, linktype, libpcap_mask, prog);
	if (!bpfcap_linktype_supported(linktype)) {
		const char *name = pcap_datalink_val_to_name(linktype);
		fprintf(stderr, "bpfcap: link type %s is compiled by libpcap's pcap_compile\n",
			name ? name : "unknown");
		return compile_with_libpcap(o, linktype, libpcap_mask, prog);
	}
	struct bpfcap_compile_opts opts = {
		.linktype = linktype,
		.snaplen = o->snaplen,
		.mode = mode,
		.optimize = !o->no_optimize,
		.netmask_known = 1, /* tcpdump's netmask without an interface: 0 */
		.netmask = netmask,
	};
	struct bpfcap_error err;
	int rc = bpfcap_compile(o->expression, &opts, prog, &err);
	if (rc == BPFCAP_E_UNSUPPORTED) {
		fprintf(stderr, "bpfcap: %s; compiling with libpcap's pcap_compile\n", err.msg);
		return compile_with_libpcap(o, linktype, libpcap_mask, prog);
	}
	if (rc) {
		fprintf(stderr, "bpfcap: %s\n", err.msg);
		print_caret(o->expression, err.column, err.length);
		return 1;
	}
	return 0;
}

int expression_is_empty(const char *e)
{
	for (; e && *e; e++)
		if (*e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
			return 0;
	return 1;
}
