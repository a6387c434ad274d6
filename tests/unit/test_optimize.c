/* test_optimize: focused cases for each optimizer pass, written as cBPF,
 * plus the invariants every result keeps (valid wide program, same
 * verdicts as the input under libpcap's bpf_filter, idempotence). */
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "cbpf.h"
#include "cbpf_ref.h"
#include "wprog.h"

#define S(code, k) cbpf_stmt((uint16_t)(code), (k))
#define J(code, k, jt, jf) cbpf_jump((uint16_t)(code), (k), (jt), (jf))
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Optimizes a cBPF program into *w (a wide program). */
static void optimize(const struct cbpf_insn *in, size_t len, struct wprog *w)
{
	struct bpfcap_error err;
	ck_assert_int_eq(wprog_from_cbpf(w, in, len), 0);
	ck_assert_msg(filter_optimize(w, &err) == 0, "optimize: %s", err.msg);
	ck_assert_msg(wprog_validate(w, &err) == 0, "invalid result: %s", err.msg);
}

static size_t count_code(const struct wprog *w, uint16_t code, uint32_t k, int match_k)
{
	size_t n = 0;
	for (size_t i = 0; i < w->len; i++)
		n += w->insns[i].code == code && (!match_k || w->insns[i].k == k);
	return n;
}

/* Verdicts of the input and of the optimized program on one buffer: equal
 * wherever the input's run does not end on a failed load (the optimizer,
 * like libpcap's, deletes loads whose values are unused). */
static void same_verdict(const struct cbpf_insn *in, size_t len, const struct wprog *w,
			 const uint8_t *pkt, uint32_t caplen, uint32_t wirelen)
{
	struct bpfcap_prog out;
	struct bpfcap_error err;
	ck_assert_int_eq(filter_assemble(w, &out, &err), 0);
	int failed;
	uint32_t want = ref_run_checked((const struct bpf_insn *)in, pkt, caplen, wirelen, &failed);
	uint32_t got = bpf_filter((const struct bpf_insn *)out.insns, pkt, wirelen, caplen);
	bpfcap_prog_free(&out);
	ck_assert_msg(failed || want == got, "caplen %u: want %u got %u", caplen, want, got);
}

static const uint8_t ipv4_tcp[64] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,          /* ethernet, IPv4 */
	0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, /* IPv4, TCP */
	0, 80, 0x04, 0x00,                                          /* ports 80 -> 1024 */
};

START_TEST(redundant_load_removed)
{
	/* ldh [12] twice in a row: the second is A's value already. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x800, 2, 0),
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x86dd, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_H | CBPF_ABS, 12, 1), 1);
	for (uint32_t cap = 0; cap <= 20; cap++)
		same_verdict(p, N(p), &w, ipv4_tcp, cap, 64);
	wprog_free(&w);
}
END_TEST

START_TEST(decided_jump_threaded)
{
	/* The second "jeq #0x800" on the true edge of the first is decided;
	 * its reload of [12] is dead on the decided path. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x800, 0, 5),
		S(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 6, 4, 0),
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x800, 0, 2),
		S(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 17, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_JMP | CBPF_JEQ | CBPF_K, 0x800, 1), 1);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_H | CBPF_ABS, 12, 1), 1);
	uint8_t pkt[64];
	memcpy(pkt, ipv4_tcp, sizeof pkt);
	for (int proto = 0; proto < 20; proto++) {
		pkt[23] = (uint8_t)proto;
		for (uint32_t cap = 0; cap <= 30; cap++)
			same_verdict(p, N(p), &w, pkt, cap, 64);
	}
	wprog_free(&w);
}
END_TEST

START_TEST(constant_folded)
{
	/* ld #2; add #3; st M[1]; ldx M[1]; txa; mul x; ret a: returns 25. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_IMM, 2),   S(CBPF_ALU | CBPF_ADD | CBPF_K, 3),
		S(CBPF_ST, 1),              S(CBPF_LDX | CBPF_MEM, 1),
		S(CBPF_MISC | CBPF_TXA, 0), S(CBPF_ALU | CBPF_MUL | CBPF_X, 0),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(w.len, 1);
	ck_assert_uint_eq(w.insns[0].code, CBPF_RET | CBPF_K);
	ck_assert_uint_eq(w.insns[0].k, 25);
	wprog_free(&w);
}
END_TEST

START_TEST(algebraic_identities)
{
	/* add #0, and #0xffffffff, lsh #0 leave A as is. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_B | CBPF_ABS, 14),
		S(CBPF_ALU | CBPF_ADD | CBPF_K, 0),
		S(CBPF_ALU | CBPF_AND | CBPF_K, 0xffffffff),
		S(CBPF_ALU | CBPF_LSH | CBPF_K, 0),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(w.len, 2);
	wprog_free(&w);
}
END_TEST

START_TEST(unreachable_removed_and_returns_merged)
{
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_LEN, 0),
		J(CBPF_JMP | CBPF_JGT | CBPF_K, 100, 0, 3),
		S(CBPF_RET | CBPF_K, 7),
		S(CBPF_LD | CBPF_IMM, 1),   /* unreachable */
		S(CBPF_RET | CBPF_A, 0),    /* unreachable */
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(w.len, 4);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_IMM, 0, 0), 0);
	wprog_free(&w);

	/* Two identical "ret #0" become one; a test with equal targets goes. */
	struct cbpf_insn q[] = {
		S(CBPF_LD | CBPF_W | CBPF_LEN, 0),
		J(CBPF_JMP | CBPF_JGT | CBPF_K, 100, 0, 2),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 200, 0, 0),
		S(CBPF_RET | CBPF_K, 0),
		S(CBPF_RET | CBPF_K, 0),
	};
	optimize(q, N(q), &w);
	ck_assert_uint_eq(w.len, 1);
	ck_assert_uint_eq(w.insns[0].code, CBPF_RET | CBPF_K);
	wprog_free(&w);
}
END_TEST

START_TEST(dead_load_removed_like_libpcap)
{
	/* The load's value is dead.  It would fail on a buffer under 104
	 * bytes; libpcap's optimizer deletes such a load all the same, and
	 * bpfcap follows it so that verdicts match tcpdump's: the input's
	 * failed run is the one case the contract leaves open. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_ABS, 100),
		S(CBPF_LD | CBPF_IMM, 1),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_W | CBPF_ABS, 100, 1), 0);
	uint8_t pkt[128] = { 0 };
	same_verdict(p, N(p), &w, pkt, 128, 128);
	wprog_free(&w);

	/* A load whose value is used stays, whatever came before it. */
	struct cbpf_insn q[] = {
		S(CBPF_LD | CBPF_W | CBPF_ABS, 20),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 5, 0, 2),
		S(CBPF_LD | CBPF_B | CBPF_ABS, 21),
		S(CBPF_RET | CBPF_A, 0),
		S(CBPF_RET | CBPF_K, 0),
	};
	optimize(q, N(q), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_B | CBPF_ABS, 21, 1), 1);
	for (uint32_t cap = 0; cap <= 32; cap++)
		same_verdict(q, N(q), &w, pkt, cap, 32);
	wprog_free(&w);
}
END_TEST

START_TEST(division_by_zero_kept)
{
	/* div x with X == 0 returns 0: a dead division still decides. */
	struct cbpf_insn p[] = {
		S(CBPF_LDX | CBPF_B | CBPF_MSH, 0),
		S(CBPF_ALU | CBPF_DIV | CBPF_X, 0),
		S(CBPF_RET | CBPF_K, 9),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_ALU | CBPF_DIV | CBPF_X, 0, 0), 1);
	uint8_t pkt[4] = { 0, 0, 0, 0 };
	same_verdict(p, N(p), &w, pkt, 4, 4);
	pkt[0] = 1;
	same_verdict(p, N(p), &w, pkt, 4, 4);
	wprog_free(&w);
}
END_TEST

START_TEST(compare_absorbs_subtraction)
{
	/* ldb [5]; sub #18; jeq #0 is ldb [5]; jeq #18. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_B | CBPF_ABS, 5),
		S(CBPF_ALU | CBPF_SUB | CBPF_K, 18),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(w.len, 4);
	ck_assert_uint_eq(count_code(&w, CBPF_JMP | CBPF_JEQ | CBPF_K, 18, 1), 1);
	wprog_free(&w);
}
END_TEST

START_TEST(dead_loads_covered_by_later_ones)
{
	/* Dead loads all go (libpcap's rule); on every buffer long enough
	 * for them the verdict is unchanged. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_ABS, 12), S(CBPF_LD | CBPF_W | CBPF_ABS, 16),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 20), S(CBPF_RET | CBPF_K, 1),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(w.len, 1);
	ck_assert_uint_eq(w.insns[0].code, CBPF_RET | CBPF_K);
	uint8_t pkt[32] = { 0 };
	for (uint32_t cap = 0; cap <= 32; cap++)
		same_verdict(p, N(p), &w, pkt, cap, 32);
	wprog_free(&w);

	/* Before "ret #0" a failing load changes nothing. */
	struct cbpf_insn q[] = { S(CBPF_LD | CBPF_W | CBPF_ABS, 40), S(CBPF_RET | CBPF_K, 0) };
	optimize(q, N(q), &w);
	ck_assert_uint_eq(w.len, 1);
	wprog_free(&w);
}
END_TEST

START_TEST(indirect_offset_folded)
{
	/* ld #4; ldxb 4*([14]&0xf); add x; tax; ldh [x+14] is
	 * ldxb 4*([14]&0xf); ldh [x+18] (X is dead afterwards). */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_IMM, 4),
		S(CBPF_LDX | CBPF_B | CBPF_MSH, 14),
		S(CBPF_ALU | CBPF_ADD | CBPF_X, 0),
		S(CBPF_MISC | CBPF_TAX, 0),
		S(CBPF_LD | CBPF_H | CBPF_IND, 14),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(w.len, 3);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_H | CBPF_IND, 18, 1), 1);
	uint8_t pkt[64];
	memcpy(pkt, ipv4_tcp, sizeof pkt);
	for (uint32_t cap = 0; cap <= 64; cap++)
		same_verdict(p, N(p), &w, pkt, cap, 64);
	wprog_free(&w);
}
END_TEST

START_TEST(chain_tests_grouped_by_value)
{
	/* ld [30] proves 34 bytes; then "[26]==1 or [30]==1 or [26]==2 or
	 * [30]==2" has pure tests only and groups into one load of each. */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_ABS, 30),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 9, 8, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 26),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 1, 7, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 30),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 1, 5, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 26),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 2, 3, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 30),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 2, 1, 0),
		S(CBPF_RET | CBPF_K, 0),
		S(CBPF_RET | CBPF_K, 5),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_W | CBPF_ABS, 26, 1), 1);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_W | CBPF_ABS, 30, 1), 2); /* + the first */
	ck_assert_uint_eq(w.len, 10);
	uint8_t pkt[40] = { 0 };
	for (uint32_t v26 = 0; v26 < 4; v26++)
		for (uint32_t v30 = 0; v30 < 4; v30++) {
			pkt[29] = (uint8_t)v26;
			pkt[33] = (uint8_t)(v30 == 3 ? 9 : v30);
			for (uint32_t cap = 24; cap <= 40; cap++)
				same_verdict(p, N(p), &w, pkt, cap, 40);
		}
	wprog_free(&w);
}
END_TEST

/* Programs from libpcap's compiler, unoptimized. */
static const char *const sample_exprs[] = {
	"tcp port 80", "host 10.0.0.1 and (port 22 or port 80)", "vlan 10 and tcp",
	"ip6 and udp", "not arp", "tcp[tcpflags] & tcp-syn != 0", "portrange 100-200",
	"host 1.2.3.4 or host 5.6.7.8 or host 9.10.11.12", "icmp or ip6 proto 58", NULL,
};

static int compile_unoptimized(const char *expr, struct bpf_program *bp)
{
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, 262144);
	int rc = pcap_compile(pc, bp, expr, 0, PCAP_NETMASK_UNKNOWN);
	pcap_close(pc);
	return rc;
}

START_TEST(idempotent)
{
	for (const char *const *e = sample_exprs; *e; e++) {
		struct bpf_program bp;
		ck_assert_int_eq(compile_unoptimized(*e, &bp), 0);
		struct wprog once, twice;
		optimize((const struct cbpf_insn *)bp.bf_insns, bp.bf_len, &once);
		struct bpfcap_error err;
		ck_assert_int_eq(wprog_from_cbpf(&twice, NULL, 0), 0);
		for (size_t i = 0; i < once.len; i++)
			ck_assert_int_eq(wprog_push(&twice, once.insns[i]), 0);
		ck_assert_int_eq(filter_optimize(&twice, &err), 0);
		ck_assert_msg(twice.len == once.len, "%s: %zu then %zu", *e, once.len, twice.len);
		for (size_t i = 0; i < once.len; i++) {
			ck_assert_uint_eq(once.insns[i].code, twice.insns[i].code);
			ck_assert_uint_eq(once.insns[i].k, twice.insns[i].k);
			ck_assert_uint_eq(once.insns[i].jt, twice.insns[i].jt);
		}
		ck_assert_msg(once.len <= bp.bf_len, "%s: bigger", *e);
		wprog_free(&once);
		wprog_free(&twice);
		pcap_freecode(&bp);
	}
}
END_TEST

START_TEST(jumps_stay_forward_and_long_jumps_assemble)
{
	/* A 300-host chain: long jumps need filter_assemble's bridges. */
	char expr[300 * 24] = "", *p = expr;
	for (int i = 1; i <= 300; i++)
		p += sprintf(p, "%shost 10.0.%d.%d", i > 1 ? " or " : "", i / 256, i % 256);
	struct bpf_program bp;
	ck_assert_int_eq(compile_unoptimized(expr, &bp), 0);
	struct wprog w;
	optimize((const struct cbpf_insn *)bp.bf_insns, bp.bf_len, &w);
	uint8_t pkt[64];
	memcpy(pkt, ipv4_tcp, sizeof pkt);
	for (int i = 0; i < 600; i++) {
		pkt[29] = (uint8_t)(i % 256);
		pkt[28] = (uint8_t)(i / 256);
		same_verdict((const struct cbpf_insn *)bp.bf_insns, bp.bf_len, &w, pkt, 64, 64);
		same_verdict((const struct cbpf_insn *)bp.bf_insns, bp.bf_len, &w, pkt, 32, 64);
	}
	/* Return islands keep the jumps to returns within 255 (only a jump
	 * to a far test block needs a bridge), and a second run gives the
	 * same program back. */
	struct bpfcap_prog out;
	struct bpfcap_error err;
	ck_assert_int_eq(filter_assemble(&w, &out, &err), 0);
	ck_assert_uint_le(out.len, w.len + 4);
	bpfcap_prog_free(&out);
	size_t len = w.len;
	ck_assert_int_eq(filter_optimize(&w, &err), 0);
	ck_assert_uint_eq(w.len, len);
	wprog_free(&w);
	pcap_freecode(&bp);
}
END_TEST

/* Random forward-only programs over a small instruction mix. */
static uint64_t seed = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed % n);
}

START_TEST(useless_test_removed)
{
	/* "jeq #1" only takes a shortcut to "ret #0": on A == 1 the next test
	 * fails and returns 0 as well (protochain's "next header NONE"). */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 1, 2, 0),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 6, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_JMP | CBPF_JEQ | CBPF_K, 1, 1), 0);
	ck_assert_uint_eq(count_code(&w, CBPF_JMP | CBPF_JEQ | CBPF_K, 6, 1), 1);
	uint8_t pkt[64];
	memcpy(pkt, ipv4_tcp, sizeof pkt);
	for (uint32_t v = 0; v < 8; v++) {
		pkt[23] = (uint8_t)v;
		for (uint32_t cap = 20; cap <= 30; cap++)
			same_verdict(p, N(p), &w, pkt, cap, 64);
	}
	wprog_free(&w);
}
END_TEST

START_TEST(chain_grouped_across_failing_load)
{
	/* [26]==a || [30]==a || [26]==b || [30]==b: the first [30] load may
	 * fail, so it may move later but nothing moves ahead of it; grouping
	 * gives [26]==a, [26]==b, [30]==a, [30]==b, one load each (libpcap's
	 * order). */
	struct cbpf_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_ABS, 26),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x0a000001, 6, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 30),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x0a000001, 4, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 26),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x0a000002, 2, 0),
		S(CBPF_LD | CBPF_W | CBPF_ABS, 30),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x0a000002, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_W | CBPF_ABS, 26, 1), 1);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_W | CBPF_ABS, 30, 1), 1);
	static const uint32_t addrs[] = { 0x0a000001, 0x0a000002, 0x0a000003 };
	uint8_t pkt[64];
	memcpy(pkt, ipv4_tcp, sizeof pkt);
	for (size_t s1 = 0; s1 < N(addrs); s1++) {
		for (size_t d = 0; d < N(addrs); d++) {
			for (int i = 0; i < 4; i++) {
				pkt[26 + i] = (uint8_t)(addrs[s1] >> (24 - 8 * i));
				pkt[30 + i] = (uint8_t)(addrs[d] >> (24 - 8 * i));
			}
			for (uint32_t cap = 24; cap <= 36; cap++)
				same_verdict(p, N(p), &w, pkt, cap, 64);
		}
	}
	wprog_free(&w);
}
END_TEST

START_TEST(wrapping_indirect_load_made_absolute)
{
	/* "ip[-8]": X = -8, [x+14].  bpf_filter fails the load (X + k wraps),
	 * libpcap's optimizer loads [6]: so do we (the input fails there, so
	 * the verdict is free, and tcpdump's is that program's). */
	struct cbpf_insn p[] = {
		S(CBPF_LDX | CBPF_IMM, 0xfffffff8u),
		S(CBPF_LD | CBPF_B | CBPF_IND, 14),
		J(CBPF_JMP | CBPF_JGT | CBPF_K, 2, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 0),
	};
	struct wprog w;
	optimize(p, N(p), &w);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_B | CBPF_ABS, 6, 1), 1);
	ck_assert_uint_eq(count_code(&w, CBPF_LD | CBPF_B | CBPF_IND, 0, 0), 0);
	wprog_free(&w);
}
END_TEST

START_TEST(random_programs_keep_verdicts)
{
	static const uint16_t codes[] = {
		CBPF_LD | CBPF_H | CBPF_ABS, CBPF_LD | CBPF_B | CBPF_ABS, CBPF_LD | CBPF_W | CBPF_ABS,
		CBPF_LD | CBPF_B | CBPF_IND, CBPF_LDX | CBPF_B | CBPF_MSH, CBPF_LD | CBPF_IMM,
		CBPF_LDX | CBPF_IMM, CBPF_ST, CBPF_STX, CBPF_LD | CBPF_MEM, CBPF_LDX | CBPF_MEM,
		CBPF_ALU | CBPF_ADD | CBPF_K, CBPF_ALU | CBPF_AND | CBPF_K,
		CBPF_ALU | CBPF_SUB | CBPF_X, CBPF_ALU | CBPF_DIV | CBPF_X, CBPF_MISC | CBPF_TAX,
		CBPF_MISC | CBPF_TXA,
	};
	long pairs = 0;
	for (int prog = 0; prog < 1500; prog++) {
		struct cbpf_insn p[40];
		size_t n = 10 + rnd(30), at = 0;
		/* M[0..1] written first: bpf_filter leaves them uninitialized. */
		p[at++] = S(CBPF_ST, 0);
		p[at++] = S(CBPF_ST, 1);
		for (; at + 1 < n; at++) {
			uint32_t room = (uint32_t)(n - 2 - at);
			if (rnd(3) == 0) {
				uint16_t op = (uint16_t)(rnd(2) ? CBPF_JEQ : CBPF_JGT);
				p[at] = J(CBPF_JMP | op | CBPF_K, rnd(4),
					  (uint8_t)rnd(room < 5 ? room + 1 : 5),
					  (uint8_t)rnd(room < 5 ? room + 1 : 5));
			} else {
				uint16_t c = codes[rnd(N(codes))];
				uint32_t k = rnd(16);
				if (c == CBPF_ST || c == CBPF_STX || CBPF_MODE(c) == CBPF_MEM)
					k %= 2;
				p[at] = S(c, k);
			}
		}
		p[at++] = S(CBPF_RET | CBPF_A, 0);
		struct wprog w;
		optimize(p, at, &w);
		uint8_t pkt[24];
		for (int k = 0; k < 70; k++) {
			uint32_t cap = rnd(25);
			for (int b = 0; b < 24; b++)
				pkt[b] = (uint8_t)rnd(4);
			same_verdict(p, at, &w, pkt, cap, cap + rnd(3));
			pairs++;
		}
		wprog_free(&w);
	}
	ck_assert_int_ge(pairs, 100000);
}
END_TEST

static Suite *optimize_suite(void)
{
	Suite *s = suite_create("optimize");
	TCase *tc = tcase_create("passes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, redundant_load_removed);
	tcase_add_test(tc, decided_jump_threaded);
	tcase_add_test(tc, constant_folded);
	tcase_add_test(tc, algebraic_identities);
	tcase_add_test(tc, unreachable_removed_and_returns_merged);
	tcase_add_test(tc, dead_load_removed_like_libpcap);
	tcase_add_test(tc, division_by_zero_kept);
	tcase_add_test(tc, compare_absorbs_subtraction);
	tcase_add_test(tc, dead_loads_covered_by_later_ones);
	tcase_add_test(tc, indirect_offset_folded);
	tcase_add_test(tc, chain_tests_grouped_by_value);
	tcase_add_test(tc, idempotent);
	tcase_add_test(tc, jumps_stay_forward_and_long_jumps_assemble);
	tcase_add_test(tc, useless_test_removed);
	tcase_add_test(tc, chain_grouped_across_failing_load);
	tcase_add_test(tc, wrapping_indirect_load_made_absolute);
	tcase_add_test(tc, random_programs_keep_verdicts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(optimize_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
