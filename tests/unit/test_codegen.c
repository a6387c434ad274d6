/* test_codegen: the code generator's contracts, checked against libpcap.
 *
 * - Unoptimized programs (-O) are libpcap's, instruction for instruction,
 *   for a table of expressions across the families: the same tests, in the
 *   same order (which decides verdicts on truncated packets), laid out the
 *   same way.  Where ours legitimately differs (scratch-register numbering in
 *   arithmetic, the unrolled protochain) the differential suites judge it.
 * - Semantic errors name the problem and point at it.
 * - Live mode: the VLAN offsets live in scratch memory written before use.
 * - The snap length is what a match returns; every program passes
 *   bpf_validate (so the kernel's classic checker has nothing to refuse). */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "cbpf.h"

static const char *const same_as_libpcap[] = {
	"ip", "arp", "tcp", "udp port 53", "host 10.0.0.1", "src net 10.0.0.0/8",
	"ether host 1:2:3:4:5:6", "ether broadcast", "ip multicast", "ip6 multicast",
	"less 100", "greater 1000", "len >= 64", "vlan 10", "vlan and vlan 20 and ip",
	"mpls 16 and ip", "pppoes 5 and ip6", "pppoed", "llc u", "stp", "ipx",
	"iso proto \\isis", "l1", "decnet host 1.1", "geneve 10 and tcp", "ip proto \\udp",
	"ether proto 0x88cc", "inbound", "ifindex 3", "not ip6 and (icmp or igmp)",
	"ip6 net fe80::/10", "host ::1", "rarp src 1.2.3.4", "sctp port 5672",
	"portrange 1-1023", "tcp dst port 80 and not src net 192.168.0.0/16",
};

static int compile(const char *expr, int linktype, enum bpfcap_mode mode, int optimize,
		   uint32_t snaplen, struct bpfcap_prog *p, struct bpfcap_error *err)
{
	struct bpfcap_compile_opts o = { .linktype = linktype, .snaplen = snaplen, .mode = mode,
					 .optimize = optimize };
	return bpfcap_compile(expr, &o, p, err);
}

START_TEST(unoptimized_matches_libpcap)
{
	const char *expr = same_as_libpcap[_i];
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program theirs;
	ck_assert_msg(pcap_compile(dead, &theirs, expr, 0, PCAP_NETMASK_UNKNOWN) == 0, "libpcap: %s",
		      pcap_geterr(dead));
	struct bpfcap_prog ours;
	struct bpfcap_error err;
	ck_assert_msg(compile(expr, DLT_EN10MB, BPFCAP_MODE_OFFLINE, 0, 0, &ours, &err) == 0, "%s: %s",
		      expr, err.msg);
	ck_assert_msg(ours.len == theirs.bf_len, "'%s': %zu instructions, libpcap %u", expr, ours.len,
		      theirs.bf_len);
	for (size_t i = 0; i < ours.len; i++) {
		const struct bpf_insn *t = &theirs.bf_insns[i];
		const struct bpfcap_insn *o = &ours.insns[i];
		ck_assert_msg(o->code == t->code && o->jt == t->jt && o->jf == t->jf && o->k == t->k,
			      "'%s' instruction %zu: ours {0x%x,%u,%u,0x%x} libpcap {0x%x,%u,%u,0x%x}",
			      expr, i, o->code, o->jt, o->jf, o->k, t->code, t->jt, t->jf, t->k);
	}
	bpfcap_prog_free(&ours);
	pcap_freecode(&theirs);
	pcap_close(dead);
}
END_TEST

struct error_case {
	const char *expr;
	int linktype;
	int code;
	const char *msg;  /* a substring of the message */
	int column;       /* -1: not checked */
};

static const struct error_case errors[] = {
	{ "port 70000", DLT_EN10MB, BPFCAP_E_SEMANTIC, "illegal port number 70000 > 65535", 0 },
	{ "ip port 80", DLT_EN10MB, BPFCAP_E_SEMANTIC, "illegal qualifier of 'port'", 0 },
	{ "net 10.0.0.1/8", DLT_EN10MB, BPFCAP_E_SEMANTIC, "non-network bits set", 0 },
	{ "host 10.0.0.0/8", DLT_EN10MB, BPFCAP_E_SEMANTIC, "Mask syntax for networks only", 0 },
	{ "ip6 host 1.2.3.4", DLT_EN10MB, BPFCAP_E_SEMANTIC, "'ip6' modifier applied to ip host", 0 },
	{ "tcp host 1.2.3.4", DLT_EN10MB, BPFCAP_E_SEMANTIC, "'tcp' modifier applied to host", 0 },
	{ "arp proto 6", DLT_EN10MB, BPFCAP_E_SEMANTIC, "arp does not encapsulate", 0 },
	{ "udp port http", DLT_EN10MB, BPFCAP_E_SEMANTIC, "port 'http' is tcp", 0 },
	{ "vlan 5000", DLT_EN10MB, BPFCAP_E_SEMANTIC, "VLAN tag 5000 greater than maximum 4095", 0 },
	{ "mpls and vlan", DLT_EN10MB, BPFCAP_E_SEMANTIC, "no VLAN match after MPLS", 9 },
	{ "vlan", 113, BPFCAP_E_SEMANTIC, "no VLAN support for Linux cooked v1", 0 },
	{ "mpls and arp", DLT_EN10MB, BPFCAP_E_SEMANTIC, "unsupported protocol over mpls", -1 },
	{ "tcp and udp", DLT_EN10MB, BPFCAP_E_SEMANTIC, "expression rejects all packets", -1 },
	{ "ip[0] / 0 = 1", DLT_EN10MB, BPFCAP_E_SEMANTIC, "division by zero", 8 },
	{ "ah[0] = 1", DLT_EN10MB, BPFCAP_E_SEMANTIC, "unsupported index operation", -1 },
	{ "ip or llc", 12, BPFCAP_E_SEMANTIC, "'llc' not supported for RAW", 6 },
	{ "tcp and ether host 1:2:3:4:5:6", 113, BPFCAP_E_SEMANTIC, "supported only on ethernet", 8 },
	{ "ip broadcast", DLT_EN10MB, BPFCAP_E_SEMANTIC, "netmask not known", 0 },
	{ "gateway 1.2.3.4", DLT_EN10MB, BPFCAP_E_UNSUPPORTED, "", -1 },
};

START_TEST(semantic_errors)
{
	const struct error_case *e = &errors[_i];
	struct bpfcap_prog p = { (void *)1, 1 };
	struct bpfcap_error err;
	int rc = compile(e->expr, e->linktype, BPFCAP_MODE_OFFLINE, 1, 0, &p, &err);
	ck_assert_msg(rc == e->code, "'%s': status %d, want %d (%s)", e->expr, rc, e->code, err.msg);
	ck_assert_msg(p.insns == NULL && p.len == 0, "'%s': a program was left behind", e->expr);
	ck_assert_msg(err.msg[0] != '\0', "'%s': empty message", e->expr);
	ck_assert_msg(strstr(err.msg, e->msg), "'%s': message '%s' lacks '%s'", e->expr, err.msg,
		      e->msg);
	if (e->column >= 0)
		ck_assert_msg(err.column == e->column && err.length >= 1,
			      "'%s': column %d length %d, want column %d", e->expr, err.column,
			      err.length, e->column);
}
END_TEST

/* In live mode the first "vlan" reads the skb's VLAN metadata, and the
 * scratch words holding the run-time offsets are written before any
 * instruction reads them (the kernel refuses a classic program that reads
 * unwritten scratch memory). */
START_TEST(live_vlan_initialises_scratch)
{
	struct bpfcap_prog p;
	struct bpfcap_error err;
	ck_assert_int_eq(compile("vlan and ip", DLT_EN10MB, BPFCAP_MODE_LIVE, 0, 0, &p, &err), 0);
	int meta = 0;
	uint16_t written = 0;
	for (size_t i = 0; i < p.len; i++) {
		const struct bpfcap_insn *in = &p.insns[i];
		if (in->code == (CBPF_LD | CBPF_ABS | CBPF_B) &&
		    in->k == (uint32_t)CBPF_SKF_AD_OFF + CBPF_SKF_AD_VLAN_TAG_PRESENT)
			meta = 1;
		if (in->code == CBPF_ST || in->code == CBPF_STX)
			written |= (uint16_t)(1u << in->k);
		/* Straight-line order suffices here: the stores come first. */
		if (in->code == (CBPF_LD | CBPF_MEM) || in->code == (CBPF_LDX | CBPF_MEM))
			ck_assert_msg(written & (1u << in->k), "M[%u] read at %zu before any write",
				      in->k, i);
	}
	ck_assert_msg(meta, "live 'vlan' does not read SKF_AD_VLAN_TAG_PRESENT");
	bpfcap_prog_free(&p);

	ck_assert_int_eq(compile("vlan and ip", DLT_EN10MB, BPFCAP_MODE_OFFLINE, 0, 0, &p, &err), 0);
	for (size_t i = 0; i < p.len; i++)
		ck_assert_msg((int32_t)p.insns[i].k > CBPF_SKF_AD_OFF ||
				      CBPF_CLASS(p.insns[i].code) != CBPF_LD,
			      "offline 'vlan' reads skb metadata at %zu", i);
	bpfcap_prog_free(&p);
}
END_TEST

static const char *const valid_everywhere[] = {
	"tcp port 80", "ip6 protochain 6", "protochain 17", "vlan 10 and tcp", "geneve and geneve",
	"tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "len - 14 > ip[2:2] * 2", "not (port 22 or 80)",
};

START_TEST(snaplen_and_validity)
{
	for (size_t i = 0; i < sizeof valid_everywhere / sizeof valid_everywhere[0]; i++) {
		for (int opt = 0; opt < 2; opt++) {
			for (int mode = 0; mode < 2; mode++) {
				struct bpfcap_prog p;
				struct bpfcap_error err;
				const char *e = valid_everywhere[i];
				ck_assert_msg(compile(e, DLT_EN10MB, (enum bpfcap_mode)mode, opt, 1234, &p,
						      &err) == 0, "'%s': %s", e, err.msg);
				ck_assert_msg(bpf_validate((const struct bpf_insn *)(const void *)p.insns,
							   (int)p.len),
					      "'%s' (opt %d, mode %d) fails bpf_validate", e, opt, mode);
				int accepts = 0;
				for (size_t k = 0; k < p.len; k++) {
					if (p.insns[k].code == (CBPF_RET | CBPF_K))
						ck_assert(p.insns[k].k == 0 || p.insns[k].k == 1234);
					accepts |= p.insns[k].code == (CBPF_RET | CBPF_K) &&
						   p.insns[k].k == 1234;
				}
				ck_assert_msg(accepts, "'%s' never returns the snap length", e);
				bpfcap_prog_free(&p);
			}
		}
	}
}
END_TEST

/* The empty expression is one "ret #snaplen", as libpcap's. */
START_TEST(empty_expression)
{
	const char *empties[] = { "", "   ", NULL };
	for (size_t i = 0; i < 3; i++) {
		struct bpfcap_prog p;
		struct bpfcap_error err;
		ck_assert_int_eq(compile(empties[i], DLT_EN10MB, BPFCAP_MODE_OFFLINE, 1, 0, &p, &err), 0);
		ck_assert_uint_eq(p.len, 1);
		ck_assert_uint_eq(p.insns[0].code, CBPF_RET | CBPF_K);
		ck_assert_uint_eq(p.insns[0].k, 262144);
		bpfcap_prog_free(&p);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("codegen");
	TCase *tc = tcase_create("codegen");
	tcase_add_loop_test(tc, unoptimized_matches_libpcap, 0,
			    (int)(sizeof same_as_libpcap / sizeof same_as_libpcap[0]));
	tcase_add_loop_test(tc, semantic_errors, 0, (int)(sizeof errors / sizeof errors[0]));
	tcase_add_test(tc, live_vlan_initialises_scratch);
	tcase_add_test(tc, snaplen_and_validity);
	tcase_add_test(tc, empty_expression);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
