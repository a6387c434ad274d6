/* test_kfilter: the classic program a packet socket runs (capture/kfilter.c).
 *  - The direction prologue gives libpcap's linux_check_direction verdict
 *    for every packet type, interface and -Q setting, and hands the
 *    program A = 0 as cBPF promises.
 *  - The LINUX_SLL2 rebase: on every packet of the project's sll2.pcap, the
 *    rebased program run from the network header with the header's fields
 *    as metadata (what a cooked socket's filter sees) gives the verdict of
 *    the original program on the whole frame; header fields the kernel
 *    cannot supply make the rebase refuse.  As in libpcap (fix_program
 *    leaves BPF_LEN alone), `len` in the kernel is the cooked socket's
 *    packet length, 20 bytes short of the SLL2 frame's: the original is
 *    run with that length. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpf.h"
#include "cbpf_ref.h"
#include "harness.h"
#include "kfilter.h"
#include "protocols.h"

#define LO 1
#define ETH0 2

static struct bpfcap_prog accept_all(void)
{
	struct bpfcap_prog p = { calloc(1, sizeof *p.insns), 1 };
	p.insns[0] = (struct bpfcap_insn){ CBPF_RET | CBPF_K, 0, 0, 1000 };
	return p;
}

/* pcap-linux.c linux_check_direction, written out. */
static int libpcap_keeps(enum direction dir, int lo_visible, uint32_t pkt_type, uint32_t ifindex)
{
	if (pkt_type == LINUX_SLL_OUTGOING) {
		if (lo_visible && ifindex == LO)
			return 0;
		return dir != DIR_IN;
	}
	return dir != DIR_OUT;
}

START_TEST(direction_matches_libpcap)
{
	static const uint32_t types[] = { LINUX_SLL_HOST, LINUX_SLL_BROADCAST, LINUX_SLL_MULTICAST,
					  LINUX_SLL_OTHERHOST, LINUX_SLL_OUTGOING };
	static const enum direction dirs[] = { DIR_INOUT, DIR_IN, DIR_OUT };
	uint8_t pkt[64] = { 0 };
	int cases = 0;
	for (int d = 0; d < 3; d++)
		for (int lo = 0; lo < 2; lo++) {
			struct bpfcap_prog p = accept_all();
			ck_assert_int_eq(kfilter_add_direction(&p, dirs[d], lo ? LO : 0), 0);
			if (dirs[d] == DIR_INOUT && !lo)
				ck_assert_uint_eq(p.len, 1); /* nothing to test: unchanged */
			for (int t = 0; t < 5; t++)
				for (uint32_t ifx = LO; ifx <= ETH0; ifx++) {
					struct ref_meta m = { .m = { .pkt_type = types[t], .ifindex = ifx } };
					uint32_t got = ref_run((const struct bpf_insn *)p.insns, pkt,
							       sizeof pkt, sizeof pkt, &m);
					int want = libpcap_keeps(dirs[d], lo, types[t], ifx);
					ck_assert_msg(got == (want ? 1000u : 0u),
						      "dir %d lo %d type %u ifindex %u: got %u", d, lo,
						      types[t], ifx, got);
					cases++;
				}
			bpfcap_prog_free(&p);
		}
	ck_assert_int_eq(cases, 60);
}
END_TEST

/* "st M[0]; ldx M[0]; txa; add #7; ret a" returns 7 only if A was 0. */
START_TEST(direction_prologue_leaves_a_zero)
{
	struct bpfcap_prog p = { calloc(5, sizeof *p.insns), 5 };
	p.insns[0] = (struct bpfcap_insn){ CBPF_ST, 0, 0, 0 };
	p.insns[1] = (struct bpfcap_insn){ CBPF_LDX | CBPF_MEM, 0, 0, 0 };
	p.insns[2] = (struct bpfcap_insn){ CBPF_MISC | CBPF_TXA, 0, 0, 0 };
	p.insns[3] = (struct bpfcap_insn){ CBPF_ALU | CBPF_ADD | CBPF_K, 0, 0, 7 };
	p.insns[4] = (struct bpfcap_insn){ CBPF_RET | CBPF_A, 0, 0, 0 };
	ck_assert_int_eq(kfilter_add_direction(&p, DIR_IN, LO), 0);
	uint8_t pkt[16] = { 0 };
	struct ref_meta m = { .m = { .pkt_type = LINUX_SLL_HOST, .ifindex = ETH0 } };
	ck_assert_uint_eq(ref_run((const struct bpf_insn *)p.insns, pkt, 16, 16, &m), 7);
	bpfcap_prog_free(&p);
}
END_TEST

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int compile_sll2_live(const char *expr, struct bpfcap_prog *p)
{
	struct bpfcap_compile_opts o = { .linktype = LINKTYPE_LINUX_SLL2, .mode = BPFCAP_MODE_LIVE,
					 .optimize = 1 };
	struct bpfcap_error err;
	return bpfcap_compile(expr, &o, p, &err);
}

START_TEST(rebase_sll2_keeps_every_verdict)
{
	static const char *const exprs[] = {
		"", "tcp", "udp port 53", "ip6", "icmp or icmp6", "arp", "inbound", "outbound and tcp",
		"ip[9] = 17", "tcp[tcpflags] & tcp-syn != 0", "len > 100", "net 10.0.0.0/8",
		"ip6 and udp", "portrange 1-1024", "greater 200", "ip proto 47", "tcp port 80 or tcp port 443",
		"not ip and not ip6",
	};
	char err[256];
	char *path = th_asprintf("%s/sll2.pcap", th_corpus_dir());
	struct th_pcap pf;
	ck_assert_msg(th_pcap_load(path, &pf, err, sizeof err) == 0, "%s", err);
	free(path);
	ck_assert_uint_gt(pf.count, 100);
	size_t compared = 0, matched = 0;
	for (size_t e = 0; e < sizeof exprs / sizeof exprs[0]; e++) {
		struct bpfcap_prog orig, rebased;
		ck_assert_int_eq(compile_sll2_live(exprs[e], &orig), 0);
		ck_assert_int_eq(compile_sll2_live(exprs[e], &rebased), 0);
		ck_assert_msg(kfilter_rebase_sll2(&rebased) == 0, "rebase refused %s", exprs[e]);
		for (size_t i = 0; i < pf.count; i++) {
			const struct th_packet *k = &pf.pkts[i];
			if (k->caplen < LINUX_SLL2_HDR_LEN)
				continue;
			struct ref_meta whole = { .m = { .net_off = LINUX_SLL2_HDR_LEN } };
			struct ref_meta cooked = { .m = {
				.protocol = (uint32_t)(k->data[0] << 8 | k->data[1]),
				.ifindex = be32_at(k->data + LINUX_SLL2_IFINDEX_OFF),
				.pkt_type = k->data[LINUX_SLL2_PKTTYPE_OFF],
				.net_off = 0 } };
			uint32_t want = ref_run((const struct bpf_insn *)orig.insns, k->data, k->caplen,
						k->wirelen - LINUX_SLL2_HDR_LEN, &whole);
			uint32_t got = ref_run((const struct bpf_insn *)rebased.insns,
					       k->data + LINUX_SLL2_HDR_LEN,
					       k->caplen - LINUX_SLL2_HDR_LEN,
					       k->wirelen - LINUX_SLL2_HDR_LEN, &cooked);
			/* Both are "keep this many bytes": the cooked socket's
			 * count starts 20 bytes later. */
			ck_assert_msg((want != 0) == (got != 0), "%s, packet %zu: %u vs %u", exprs[e], i,
				      want, got);
			compared++;
			matched += want != 0;
		}
		bpfcap_prog_free(&orig);
		bpfcap_prog_free(&rebased);
	}
	th_pcap_free(&pf);
	printf("rebase: %zu verdicts compared, %zu matches\n", compared, matched);
	ck_assert_uint_gt(matched, compared / 20);
	ck_assert_uint_lt(matched, compared);
}
END_TEST

START_TEST(rebase_refuses_header_fields_the_kernel_lacks)
{
	/* ARPHRD type (offset 8) and the link-layer address (12..19). */
	static const char *const exprs[] = { "link[8:2] = 1", "link[12] = 0xff" };
	for (int e = 0; e < 2; e++) {
		struct bpfcap_prog p;
		ck_assert_int_eq(compile_sll2_live(exprs[e], &p), 0);
		ck_assert_msg(kfilter_rebase_sll2(&p) == -1, "rebase took %s", exprs[e]);
		bpfcap_prog_free(&p);
	}
	/* Protocol, ifindex, packet type: ancillary loads. */
	struct bpfcap_prog p;
	ck_assert_int_eq(compile_sll2_live("link[0:2] = 0x800", &p), 0);
	ck_assert_int_eq(kfilter_rebase_sll2(&p), 0);
	int ancillary = 0;
	for (size_t i = 0; i < p.len; i++)
		ancillary += CBPF_CLASS(p.insns[i].code) == CBPF_LD &&
			     p.insns[i].k == (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_PROTOCOL);
	ck_assert_int_eq(ancillary, 1);
	bpfcap_prog_free(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kfilter");
	TCase *tc = tcase_create("kfilter");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, direction_matches_libpcap);
	tcase_add_test(tc, direction_prologue_leaves_a_zero);
	tcase_add_test(tc, rebase_sll2_keeps_every_verdict);
	tcase_add_test(tc, rebase_refuses_header_fields_the_kernel_lacks);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
