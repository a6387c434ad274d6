/* diff_live: live-mode code, bpfcap against libpcap.
 *
 * libpcap generates different code for a live Linux handle than for a
 * dead one: "vlan" tests the skb's VLAN metadata as well as the frame,
 * "inbound"/"ifindex" read skb fields.  This suite compiles each
 * expression of tests/diff/exprs/live.txt with bpfcap in
 * BPFCAP_MODE_LIVE and with libpcap on an activated capture handle on
 * "lo" (which needs CAP_NET_RAW: without it the suite is skipped), and
 * runs both programs on every corpus packet twice, as the kernel would
 * show it to a packet socket:
 *   - sent:     the frame as built, no VLAN metadata, PACKET_OUTGOING;
 *   - received: an outer 802.1Q/802.1ad tag moved into the metadata (the
 *               kernel's receive path does this before taps see the
 *               frame), PACKET_HOST.
 * Verdicts come from tests/common/cbpf_ref.c.  Prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpf.h"
#include "cbpf_ref.h"
#include "harness.h"
#include "protocols.h"

#define MAX_FRAME 65536

struct variant {
	uint8_t *data;
	uint32_t caplen, wirelen;
	struct ref_meta meta;
};

/* The received form of a frame: an outer 0x8100/0x88a8 tag removed from
 * the bytes and put into the metadata. */
static void make_received(const struct th_packet *p, struct variant *v, uint32_t ifindex)
{
	memset(&v->meta, 0, sizeof v->meta);
	v->meta.m.pkt_type = CBPF_PACKET_HOST;
	v->meta.m.ifindex = ifindex;
	uint16_t tpid = p->caplen >= 16 ? (uint16_t)(p->data[12] << 8 | p->data[13]) : 0;
	if (tpid == ETYPE_8021Q || tpid == ETYPE_8021AD) {
		v->meta.m.vlan_present = 1;
		v->meta.m.vlan_tpid = tpid;
		v->meta.m.vlan_tci = (uint16_t)(p->data[14] << 8 | p->data[15]);
		memcpy(v->data, p->data, ETHER_TYPE_OFF);
		memcpy(v->data + ETHER_TYPE_OFF, p->data + 16, p->caplen - 16);
		v->caplen = p->caplen - VLAN_TAG_LEN;
		v->wirelen = p->wirelen - VLAN_TAG_LEN;
	} else {
		memcpy(v->data, p->data, p->caplen);
		v->caplen = p->caplen;
		v->wirelen = p->wirelen;
	}
	if (v->caplen >= 14)
		v->meta.m.protocol = (uint16_t)(v->data[12] << 8 | v->data[13]);
}

static void make_sent(const struct th_packet *p, struct variant *v, uint32_t ifindex)
{
	memset(&v->meta, 0, sizeof v->meta);
	v->meta.m.pkt_type = CBPF_PACKET_OUTGOING;
	v->meta.m.ifindex = ifindex;
	memcpy(v->data, p->data, p->caplen);
	v->caplen = p->caplen;
	v->wirelen = p->wirelen;
	if (v->caplen >= 14)
		v->meta.m.protocol = (uint16_t)(v->data[12] << 8 | v->data[13]);
}

static int compile_libpcap_live(pcap_t *live, const char *expr, int optimize,
				struct bpf_program *bp)
{
	return pcap_compile(live, bp, expr, optimize, PCAP_NETMASK_UNKNOWN);
}

int main(void)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *live = pcap_create("lo", err);
	if (!live || pcap_activate(live) < 0) {
		printf("SKIP: cannot activate a capture handle on lo (needs CAP_NET_RAW): %s\n",
		       live ? pcap_geterr(live) : err);
		return 77;
	}
	char *tests = th_tests_dir();
	char *list_path = th_asprintf("%s/diff/exprs/live.txt", tests);
	char *corpus_path = th_asprintf("%s/en10mb.pcap", th_corpus_dir());
	struct th_list list;
	struct th_pcap pf;
	if (th_list_load(list_path, &list, err, sizeof err) < 0 ||
	    th_pcap_load(corpus_path, &pf, err, sizeof err) < 0) {
		printf("ERROR: %s\n0 passed, 1 failed\n", err);
		return 1;
	}
	struct variant v;
	memset(&v, 0, sizeof v);
	v.data = malloc(MAX_FRAME);
	unsigned passed = 0, failed = 0;
	unsigned long verdicts = 0;
	for (size_t i = 0; i < list.count; i++) {
		const char *expr = list.items[i];
		for (int optimize = 0; optimize <= 1; optimize++) {
			struct bpf_program bp;
			int theirs = compile_libpcap_live(live, expr, optimize, &bp);
			struct bpfcap_compile_opts o = { .linktype = 1, .snaplen = 262144,
							 .mode = BPFCAP_MODE_LIVE, .optimize = optimize };
			struct bpfcap_prog ours;
			struct bpfcap_error e;
			int rc = bpfcap_compile(expr, &o, &ours, &e);
			if (theirs < 0 || rc != 0) {
				if (theirs < 0 && rc != 0) {
					passed++;
				} else {
					failed++;
					printf("FAIL [%s] line %d '%s': %s\n", optimize ? "opt" : "noopt",
					       list.lineno[i], expr,
					       rc ? e.msg : pcap_geterr(live));
				}
				if (theirs == 0)
					pcap_freecode(&bp);
				if (rc == 0)
					bpfcap_prog_free(&ours);
				continue;
			}
			int bad = 0;
			for (size_t k = 0; k < pf.count && !bad; k++) {
				const struct th_packet *p = &pf.pkts[k];
				for (int form = 0; form < 2 && !bad; form++) {
					uint32_t ifindex = 1 + (uint32_t)(k % 3);
					if (form == 0)
						make_sent(p, &v, ifindex);
					else
						make_received(p, &v, ifindex);
					uint32_t a = ref_run(th_insns(&ours), v.data, v.caplen, v.wirelen, &v.meta);
					uint32_t b = ref_run(bp.bf_insns, v.data, v.caplen, v.wirelen, &v.meta);
					verdicts++;
					if (a != b) {
						printf("FAIL [%s] line %d '%s': packet #%zu (%s): bpfcap %u, libpcap %u\n",
						       optimize ? "opt" : "noopt", list.lineno[i], expr, k,
						       form ? "received" : "sent", a, b);
						bad = 1;
					}
				}
			}
			bad ? failed++ : passed++;
			pcap_freecode(&bp);
			bpfcap_prog_free(&ours);
		}
	}
	printf("live: %zu expressions x2, %zu packets x2 forms, %lu verdicts compared\n", list.count,
	       pf.count, verdicts);
	printf("%u passed, %u failed\n", passed, failed);
	free(v.data);
	th_pcap_free(&pf);
	th_list_free(&list);
	free(list_path);
	free(corpus_path);
	free(tests);
	pcap_close(live);
	return failed ? 1 : 0;
}
