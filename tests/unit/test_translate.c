/* test_translate: the cBPF → eBPF translator (vm/translate*.c) instruction
 * by instruction: the shapes it emits for each target, what the programs
 * compute (run in the interpreter, against tests/common/cbpf_ref.c), the
 * invalid and unsupported inputs it refuses, and jump bridging past the
 * 16-bit eBPF offset on long programs. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "cbpf.h"
/* <pcap/bpf.h> (through cbpf_ref.h) and <linux/bpf.h> (through context.h)
 * both define struct bpf_insn: libpcap's is renamed here. */
#define bpf_insn pcap_bpf_insn
#include "cbpf_ref.h"
#undef bpf_insn
#include "run.h"
#include "translate.h"
#include "verify.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(code, k) ((struct bpfcap_insn){ (code), 0, 0, (k) })
#define J(code, k, jt, jf) ((struct bpfcap_insn){ (code), (jt), (jf), (k) })
#define AD(n) ((uint32_t)(CBPF_SKF_AD_OFF + (n)))

static const uint8_t pkt[64] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, /* MACs */
	0x08, 0x00,                                                             /* IPv4 */
	0x45, 0x00, 0x00, 0x32, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0xab, 0xcd, /* IP */
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x00, 0x50, 0x1f, 0x90, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00, /* TCP */
	0x50, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static struct ebpf_prog xlate_ok(const struct bpfcap_insn *p, size_t len, enum ebpf_target t)
{
	struct ebpf_prog e;
	struct bpfcap_error err = { 0 };
	int rc = ebpf_translate(p, len, t, &e, &err);
	if (rc != 0)
		ck_abort_msg("translation (%s) failed: %s", ebpf_target_name(t), err.msg);
	/* Every translation passes our verifier. */
	if (ebpf_verify(e.insns, e.len, t, &err) != 0)
		ck_abort_msg("the verifier rejects the %s translation: %s", ebpf_target_name(t), err.msg);
	return e;
}

static int xlate_rc(const struct bpfcap_insn *p, size_t len, enum ebpf_target t, char *msg,
		    size_t msgsz)
{
	struct ebpf_prog e;
	struct bpfcap_error err = { 0 };
	int rc = ebpf_translate(p, len, t, &e, &err);
	if (rc == 0)
		ebpf_prog_free(&e);
	else if (msg)
		snprintf(msg, msgsz, "%s", err.msg);
	return rc;
}

static int is_jump(const struct ebpf_insn *i)
{
	uint8_t cls = EBPF_CLASS(i->code);
	return (cls == EBPF_JMP || cls == EBPF_JMP32) && i->code != EBPF_OP_CALL &&
	       i->code != EBPF_OP_EXIT;
}

/* Every jump forward and inside the program, every instruction reachable,
 * the program ends in EXIT or JA.  (Plain ifs in the loop: each Check
 * assertion costs a write.) */
static void assert_well_formed(const struct ebpf_prog *e)
{
	ck_assert_uint_gt(e->len, 0);
	ck_assert_uint_le(e->len, EBPF_MAX_INSNS);
	uint8_t *seen = calloc(e->len, 1);
	seen[0] = 1;
	for (size_t pc = 0; pc < e->len; pc++) {
		const struct ebpf_insn *i = &e->insns[pc];
		if (!seen[pc])
			ck_abort_msg("insn %zu is unreachable", pc);
		if (is_jump(i)) {
			if (i->off < 0 || pc + 1 + (size_t)i->off >= e->len)
				ck_abort_msg("insn %zu jumps out of the program or back (%d)", pc, i->off);
			seen[pc + 1 + (size_t)i->off] = 1;
			if (i->code == (EBPF_JMP | EBPF_JA))
				continue;
		}
		if (i->code == EBPF_OP_EXIT)
			continue;
		if (pc + 1 >= e->len)
			ck_abort_msg("falls off the end at %zu", pc);
		seen[pc + 1] = 1;
	}
	free(seen);
}

/* Runs both translations of p on data and compares with cbpf_ref. */
static uint32_t run_both(const struct bpfcap_insn *p, size_t len, const uint8_t *data,
			 uint32_t caplen, const struct ref_meta *rm)
{
	static const struct ref_meta zero;
	if (!rm)
		rm = &zero;
	uint32_t want = ref_run((const struct pcap_bpf_insn *)(const void *)p, data, caplen, caplen, rm);
	for (int t = 0; t < 2; t++) {
		struct ebpf_prog e = xlate_ok(p, len, (enum ebpf_target)t);
		assert_well_formed(&e);
		struct ebpf_rng rng;
		ebpf_rng_seed(&rng, 1);
		uint32_t got;
		struct bpfcap_error err = { 0 };
		int rc = ebpf_prog_run_interp(&e, data, caplen, caplen, &rm->m, &rng, &got, &err);
		if (rc != 0 || got != want)
			ck_abort_msg("%s: eBPF %u (rc %d: %s), cbpf_ref %u", ebpf_target_name(t), got, rc,
				     err.msg, want);
		ebpf_prog_free(&e);
	}
	return want;
}

static int insn_eq(struct ebpf_insn a, struct ebpf_insn b)
{
	return a.code == b.code && a.dst == b.dst && a.src == b.src && a.off == b.off && a.imm == b.imm;
}

static void assert_code(const struct ebpf_prog *e, const struct ebpf_insn *want, size_t n)
{
	ck_assert_uint_eq(e->len, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(insn_eq(e->insns[i], want[i]),
			      "insn %zu: got code 0x%02x dst %u src %u off %d imm %d, want 0x%02x %u %u %d %d",
			      i, e->insns[i].code, e->insns[i].dst, e->insns[i].src, e->insns[i].off,
			      e->insns[i].imm, want[i].code, want[i].dst, want[i].src, want[i].off,
			      want[i].imm);
}

/* ---- shapes ----------------------------------------------------------------------- */

START_TEST(test_ret_k)
{
	struct bpfcap_insn p[] = { S(CBPF_RET | CBPF_K, 0x80000001) };
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_SOCKET);
	struct ebpf_insn want[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_MOV32_IMM(EBPF_REG_0, (int32_t)0x80000001),
		EBPF_EXIT_INSN(),
	};
	assert_code(&e, want, N(want));
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 0x80000001u);
}
END_TEST

START_TEST(test_ld_abs_socket)
{
	struct bpfcap_insn p[] = { S(CBPF_LD | CBPF_H | CBPF_ABS, 12), S(CBPF_RET | CBPF_A, 0) };
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_SOCKET);
	struct ebpf_insn want[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LD_ABS(EBPF_H, 12),
		EBPF_EXIT_INSN(),
	};
	assert_code(&e, want, N(want));
	ck_assert_uint_eq(e.uses, 0);
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 0x0800);
	ck_assert_uint_eq(run_both(p, N(p), pkt, 13, NULL), 0); /* out of bounds */
}
END_TEST

/* The direct target's convention: r9 = data, r8 = data_end, one check per
 * straight-line stretch covering every constant-offset load in it. */
START_TEST(test_ld_abs_direct_merged_check)
{
	struct bpfcap_insn p[] = {
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		S(CBPF_ST, 0),
		S(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		S(CBPF_LDX | CBPF_W | CBPF_MEM, 0),
		S(CBPF_ALU | CBPF_ADD | CBPF_X, 0),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_DIRECT);
	struct ebpf_insn want[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_9, EBPF_REG_6, EBPF_DCTX_OFF(data)),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_8, EBPF_REG_6, EBPF_DCTX_OFF(data_end)),
		EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9),
		EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, 24), /* the largest end of the stretch */
		EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, EBPF_REG_8, 11),
		EBPF_LDX_MEM(EBPF_H, EBPF_REG_0, EBPF_REG_9, 12),
		EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 16),
		EBPF_STX_MEM(EBPF_W, EBPF_REG_10, EBPF_REG_0, -64),
		EBPF_LDX_MEM(EBPF_B, EBPF_REG_0, EBPF_REG_9, 23), /* no second check */
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_7, EBPF_REG_10, -64),
		EBPF_ALU32_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_7),
		EBPF_EXIT_INSN(),
		EBPF_MOV32_IMM(EBPF_REG_0, 0), /* reject */
		EBPF_EXIT_INSN(),
	};
	/* The JGT's offset: from insn 5 to the reject block at 13. */
	want[5].off = 13 - 5 - 1;
	assert_code(&e, want, N(want));
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 0x0800 + 0x06);
	/* 23 bytes: the first load fits, the second does not: 0 either way. */
	ck_assert_uint_eq(run_both(p, N(p), pkt, 23, NULL), 0);
}
END_TEST

/* A jump target starts a new stretch: its loads get their own check. */
START_TEST(test_direct_check_per_stretch)
{
	struct bpfcap_insn p[] = {
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x0800, 0, 1),
		S(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_DIRECT);
	size_t checks = 0;
	for (size_t i = 0; i < e.len; i++)
		checks += e.insns[i].code == (EBPF_JMP | EBPF_JGT | EBPF_X);
	ck_assert_uint_eq(checks, 2);
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 6);
	/* 20 bytes: the EtherType is there, the protocol is not: 0. */
	ck_assert_uint_eq(run_both(p, N(p), pkt, 20, NULL), 0);
}
END_TEST

/* Ancillary protocol: socket reads the raw __be16 and swaps; direct reads
 * the metadata in host order. */
START_TEST(test_ancillary_shapes)
{
	struct bpfcap_insn p[] = { S(CBPF_LD | CBPF_H | CBPF_ABS, AD(CBPF_SKF_AD_PROTOCOL)),
				   S(CBPF_RET | CBPF_A, 0) };
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_SOCKET);
	struct ebpf_insn ws[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_6, EBPF_SKB_OFF(protocol)),
		EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 16),
		EBPF_EXIT_INSN(),
	};
	assert_code(&e, ws, N(ws));
	ebpf_prog_free(&e);
	e = xlate_ok(p, N(p), EBPF_TARGET_DIRECT);
	struct ebpf_insn wd[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_9, EBPF_REG_6, EBPF_DCTX_OFF(data)),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_8, EBPF_REG_6, EBPF_DCTX_OFF(data_end)),
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_6, EBPF_DCTX_META_OFF(protocol)),
		EBPF_EXIT_INSN(),
	};
	assert_code(&e, wd, N(wd));
	ebpf_prog_free(&e);
}
END_TEST

/* LD IND on direct: X from MSH is small, so X + k cannot be negative and
 * the SKF_*_OFF resolution is left out; X from TAX keeps it. */
START_TEST(test_ld_ind_direct_shapes)
{
	struct bpfcap_insn small[] = {
		S(CBPF_LDX | CBPF_B | CBPF_MSH, 14),
		S(CBPF_LD | CBPF_H | CBPF_IND, 16),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct ebpf_prog e = xlate_ok(small, N(small), EBPF_TARGET_DIRECT);
	struct ebpf_insn want[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_9, EBPF_REG_6, EBPF_DCTX_OFF(data)),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_8, EBPF_REG_6, EBPF_DCTX_OFF(data_end)),
		EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9),
		EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, 15),
		EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, EBPF_REG_8, 13),
		EBPF_LDX_MEM(EBPF_B, EBPF_REG_7, EBPF_REG_9, 14),
		EBPF_ALU32_IMM(EBPF_AND, EBPF_REG_7, 0xf),
		EBPF_ALU32_IMM(EBPF_LSH, EBPF_REG_7, 2),
		EBPF_MOV32_REG(EBPF_REG_3, EBPF_REG_7),
		EBPF_ALU32_IMM(EBPF_ADD, EBPF_REG_3, 16),
		EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_3),
		EBPF_MOV64_REG(EBPF_REG_4, EBPF_REG_2),
		EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_4, 2),
		EBPF_JMP_REG(EBPF_JGT, EBPF_REG_4, EBPF_REG_8, 3),
		EBPF_LDX_MEM(EBPF_H, EBPF_REG_0, EBPF_REG_2, 0),
		EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 16),
		EBPF_EXIT_INSN(),
		EBPF_MOV32_IMM(EBPF_REG_0, 0),
		EBPF_EXIT_INSN(),
	};
	assert_code(&e, want, N(want));
	ck_assert(!(e.uses & EBPF_USES_NET_OFF));
	ebpf_prog_free(&e);
	struct bpfcap_insn any[] = {
		S(CBPF_LD | CBPF_B | CBPF_ABS, 14),
		S(CBPF_MISC | CBPF_TAX, 0),
		S(CBPF_LD | CBPF_H | CBPF_IND, 16),
		S(CBPF_RET | CBPF_A, 0),
	};
	e = xlate_ok(any, N(any), EBPF_TARGET_DIRECT);
	int net = 0;
	for (size_t i = 0; i < e.len; i++)
		net |= insn_eq(e.insns[i], EBPF_LDX_MEM(EBPF_W, EBPF_REG_4, EBPF_REG_6,
							 EBPF_DCTX_META_OFF(net_off)));
	ck_assert(net);
	ck_assert(e.uses & EBPF_USES_NET_OFF);
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(any, N(any), pkt, sizeof pkt, NULL), 0); /* 0x45 + 16: past the end */
	ck_assert_uint_eq(run_both(small, N(small), pkt, sizeof pkt, NULL), 8080); /* TCP dst port */
}
END_TEST

/* A block reached by one edge keeps the range proven before the jump. */
START_TEST(test_direct_check_inherited)
{
	struct bpfcap_insn p[] = {
		S(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		J(CBPF_JMP | CBPF_JEQ | CBPF_K, 6, 0, 1),
		S(CBPF_LD | CBPF_H | CBPF_ABS, 12), /* only from the jeq: 24 bytes proven */
		S(CBPF_RET | CBPF_A, 0),            /* two predecessors */
	};
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_DIRECT);
	size_t checks = 0;
	for (size_t i = 0; i < e.len; i++)
		checks += e.insns[i].code == (EBPF_JMP | EBPF_JGT | EBPF_X);
	ck_assert_uint_eq(checks, 1);
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 0x0800);
	ck_assert_uint_eq(run_both(p, N(p), pkt, 23, NULL), 0);
}
END_TEST

/* K >= 0x80000000: JMP32 with the immediate (a 64-bit JMP would
 * sign-extend it). */
START_TEST(test_jump_k_high_bit)
{
	struct bpfcap_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_IMM, 0x90000000),
		J(CBPF_JMP | CBPF_JGT | CBPF_K, 0x80000000, 0, 1),
		S(CBPF_RET | CBPF_K, 1),
		S(CBPF_RET | CBPF_K, 2),
	};
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_SOCKET);
	int found = 0;
	for (size_t i = 0; i < e.len; i++)
		if (EBPF_CLASS(e.insns[i].code) == EBPF_JMP32 && (uint32_t)e.insns[i].imm == 0x80000000u)
			found = 1;
	ck_assert_msg(found, "no JMP32 against 0x80000000");
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 1);
	p[0].k = 0x7fffffff;
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 2);
}
END_TEST

/* Every conditional with K and X, taken and not, jt or jf = 0. */
START_TEST(test_conditionals)
{
	static const uint16_t ops[] = { CBPF_JEQ, CBPF_JGT, CBPF_JGE, CBPF_JSET };
	static const uint32_t vals[] = { 0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff };
	for (size_t o = 0; o < N(ops); o++)
		for (int src = 0; src < 2; src++)
			for (size_t a = 0; a < N(vals); a++)
				for (size_t b = 0; b < N(vals); b++)
					for (int shape = 0; shape < 3; shape++) {
						uint8_t jt = shape == 1 ? 0 : 1, jf = shape == 0 ? 0 : shape == 1 ? 1 : 2;
						struct bpfcap_insn p[] = {
							S(CBPF_LDX | CBPF_W | CBPF_IMM, vals[b]),
							S(CBPF_LD | CBPF_W | CBPF_IMM, vals[a]),
							J(CBPF_JMP | ops[o] | (src ? CBPF_X : CBPF_K), vals[b], jt, jf),
							S(CBPF_RET | CBPF_K, 10),
							S(CBPF_RET | CBPF_K, 11),
							S(CBPF_RET | CBPF_K, 12),
						};
						run_both(p, N(p), pkt, sizeof pkt, NULL);
					}
}
END_TEST

START_TEST(test_alu_semantics)
{
	/* Every ALU op with K and X on edge values, against cbpf_ref. */
	static const uint16_t ops[] = { CBPF_ADD, CBPF_SUB, CBPF_MUL, CBPF_DIV, CBPF_MOD, CBPF_AND,
					CBPF_OR, CBPF_XOR, CBPF_LSH, CBPF_RSH };
	static const uint32_t vals[] = { 0, 1, 3, 31, 32, 33, 63, 0x80000000, 0xffffffff };
	for (size_t o = 0; o < N(ops); o++)
		for (size_t a = 0; a < N(vals); a++)
			for (size_t b = 0; b < N(vals); b++) {
				struct bpfcap_insn px[] = {
					S(CBPF_LDX | CBPF_W | CBPF_IMM, vals[b]),
					S(CBPF_LD | CBPF_W | CBPF_IMM, vals[a]),
					S(CBPF_ALU | ops[o] | CBPF_X, 0),
					S(CBPF_RET | CBPF_A, 0),
				};
				run_both(px, N(px), pkt, sizeof pkt, NULL);
				int k_ok = !((ops[o] == CBPF_DIV || ops[o] == CBPF_MOD) && vals[b] == 0) &&
					   !((ops[o] == CBPF_LSH || ops[o] == CBPF_RSH) && vals[b] >= 32);
				if (k_ok) {
					struct bpfcap_insn pk[] = {
						S(CBPF_LD | CBPF_W | CBPF_IMM, vals[a]),
						S(CBPF_ALU | ops[o] | CBPF_K, vals[b]),
						S(CBPF_RET | CBPF_A, 0),
					};
					run_both(pk, N(pk), pkt, sizeof pkt, NULL);
				}
			}
	struct bpfcap_insn neg[] = { S(CBPF_LD | CBPF_W | CBPF_IMM, 5), S(CBPF_ALU | CBPF_NEG, 0),
				     S(CBPF_RET | CBPF_A, 0) };
	ck_assert_uint_eq(run_both(neg, N(neg), pkt, sizeof pkt, NULL), 0xfffffffbu);
}
END_TEST

/* Division by X = 0 returns 0 from the program; a shift by X >= 32 gives
 * A = 0 and the program goes on. */
START_TEST(test_div_zero_and_wide_shift)
{
	struct bpfcap_insn div[] = {
		S(CBPF_LDX | CBPF_W | CBPF_IMM, 0), S(CBPF_LD | CBPF_W | CBPF_IMM, 10),
		S(CBPF_ALU | CBPF_DIV | CBPF_X, 0), S(CBPF_RET | CBPF_K, 7),
	};
	ck_assert_uint_eq(run_both(div, N(div), pkt, sizeof pkt, NULL), 0);
	div[2].code = CBPF_ALU | CBPF_MOD | CBPF_X;
	ck_assert_uint_eq(run_both(div, N(div), pkt, sizeof pkt, NULL), 0);
	struct bpfcap_insn sh[] = {
		S(CBPF_LDX | CBPF_W | CBPF_IMM, 32), S(CBPF_LD | CBPF_W | CBPF_IMM, 0xffff),
		S(CBPF_ALU | CBPF_LSH | CBPF_X, 0), S(CBPF_ALU | CBPF_ADD | CBPF_K, 1),
		S(CBPF_RET | CBPF_A, 0),
	};
	ck_assert_uint_eq(run_both(sh, N(sh), pkt, sizeof pkt, NULL), 1);
	sh[0].k = 33;
	sh[2].code = CBPF_ALU | CBPF_RSH | CBPF_X;
	ck_assert_uint_eq(run_both(sh, N(sh), pkt, sizeof pkt, NULL), 1);
	sh[0].k = 4;
	ck_assert_uint_eq(run_both(sh, N(sh), pkt, sizeof pkt, NULL), 0xfff + 1);
}
END_TEST

/* LDX MSH keeps A (socket: through r8) when A is read afterwards. */
START_TEST(test_msh_keeps_a)
{
	struct bpfcap_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_IMM, 1000),
		S(CBPF_LDX | CBPF_B | CBPF_MSH, 14),
		S(CBPF_ALU | CBPF_ADD | CBPF_X, 0),
		S(CBPF_RET | CBPF_A, 0),
	};
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 1000 + 20);
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_SOCKET);
	int saved = 0;
	for (size_t i = 0; i < e.len; i++)
		saved |= insn_eq(e.insns[i], EBPF_MOV64_REG(EBPF_REG_8, EBPF_REG_0));
	ck_assert(saved);
	ebpf_prog_free(&e);
	/* A dead after MSH: no save. */
	struct bpfcap_insn q[] = {
		S(CBPF_LDX | CBPF_B | CBPF_MSH, 14),
		S(CBPF_LD | CBPF_H | CBPF_IND, 16),
		S(CBPF_RET | CBPF_A, 0),
	};
	e = xlate_ok(q, N(q), EBPF_TARGET_SOCKET);
	for (size_t i = 0; i < e.len; i++)
		ck_assert(!insn_eq(e.insns[i], EBPF_MOV64_REG(EBPF_REG_8, EBPF_REG_0)));
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(q, N(q), pkt, sizeof pkt, NULL), 0x1f90);
}
END_TEST

/* Scratch slots read before written are zeroed at entry, and only they. */
START_TEST(test_scratch_init)
{
	struct bpfcap_insn p[] = {
		S(CBPF_LD | CBPF_W | CBPF_IMM, 9),
		S(CBPF_ST, 2),
		S(CBPF_LD | CBPF_W | CBPF_MEM, 3), /* never written: 0 */
		S(CBPF_LDX | CBPF_W | CBPF_MEM, 2),
		S(CBPF_ALU | CBPF_ADD | CBPF_X, 0),
		S(CBPF_RET | CBPF_A, 0),
	};
	struct ebpf_prog e = xlate_ok(p, N(p), EBPF_TARGET_SOCKET);
	int init3 = 0, init2 = 0;
	for (size_t i = 0; i < e.len; i++) {
		init3 |= insn_eq(e.insns[i], EBPF_ST_MEM(EBPF_W, EBPF_REG_10, -64 + 12, 0));
		init2 |= insn_eq(e.insns[i], EBPF_ST_MEM(EBPF_W, EBPF_REG_10, -64 + 8, 0));
	}
	ck_assert(init3);
	ck_assert(!init2);
	ebpf_prog_free(&e);
	ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, NULL), 9);
}
END_TEST

START_TEST(test_ancillary)
{
	struct ref_meta rm;
	memset(&rm, 0, sizeof rm);
	rm.m.protocol = 0x86dd;
	rm.m.pkt_type = 4;
	rm.m.ifindex = 7;
	rm.m.mark = 0xdeadbeef;
	rm.m.queue = 3;
	rm.m.hash = 0x12345678;
	rm.m.vlan_tci = 0xe00a;
	rm.m.vlan_present = 1;
	rm.m.vlan_tpid = 0x88a8;
	static const uint32_t ns[] = { CBPF_SKF_AD_PROTOCOL, CBPF_SKF_AD_PKTTYPE, CBPF_SKF_AD_IFINDEX,
				       CBPF_SKF_AD_MARK, CBPF_SKF_AD_QUEUE, CBPF_SKF_AD_RXHASH,
				       CBPF_SKF_AD_VLAN_TAG, CBPF_SKF_AD_VLAN_TAG_PRESENT,
				       CBPF_SKF_AD_VLAN_TPID };
	static const uint32_t want[] = { 0x86dd, 4, 7, 0xdeadbeef, 3, 0x12345678, 0xe00a, 1, 0x88a8 };
	for (size_t i = 0; i < N(ns); i++) {
		struct bpfcap_insn p[] = { S(CBPF_LD | CBPF_B | CBPF_ABS, AD(ns[i])), S(CBPF_RET | CBPF_A, 0) };
		ck_assert_uint_eq(run_both(p, N(p), pkt, sizeof pkt, &rm), want[i]);
	}
	struct bpfcap_insn x[] = { S(CBPF_LDX | CBPF_W | CBPF_IMM, 0xff00), S(CBPF_LD | CBPF_W | CBPF_IMM, 0x0ff0),
				   S(CBPF_LD | CBPF_W | CBPF_ABS, AD(CBPF_SKF_AD_ALU_XOR_X)),
				   S(CBPF_RET | CBPF_A, 0) };
	ck_assert_uint_eq(run_both(x, N(x), pkt, sizeof pkt, &rm), 0xf0f0);
	/* CPU and RANDOM are helper calls (8 and 7). */
	struct bpfcap_insn c[] = { S(CBPF_LD | CBPF_W | CBPF_ABS, AD(CBPF_SKF_AD_CPU)),
				   S(CBPF_LD | CBPF_W | CBPF_ABS, AD(CBPF_SKF_AD_RANDOM)),
				   S(CBPF_RET | CBPF_A, 0) };
	struct ebpf_prog e = xlate_ok(c, N(c), EBPF_TARGET_SOCKET);
	int c7 = 0, c8 = 0;
	for (size_t i = 0; i < e.len; i++) {
		c7 |= insn_eq(e.insns[i], EBPF_CALL_HELPER(EBPF_HELPER_GET_PRANDOM_U32));
		c8 |= insn_eq(e.insns[i], EBPF_CALL_HELPER(EBPF_HELPER_GET_SMP_PROCESSOR_ID));
	}
	ck_assert(c7 && c8);
	ck_assert(e.uses & EBPF_USES_HELPERS);
	ebpf_prog_free(&e);
	/* HATYPE: direct only. */
	struct bpfcap_insn h[] = { S(CBPF_LD | CBPF_W | CBPF_ABS, AD(CBPF_SKF_AD_HATYPE)), S(CBPF_RET | CBPF_A, 0) };
	char msg[256];
	ck_assert_int_eq(xlate_rc(h, N(h), EBPF_TARGET_SOCKET, msg, sizeof msg), BPFCAP_E_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(msg, "SO_ATTACH_FILTER"));
	e = xlate_ok(h, N(h), EBPF_TARGET_DIRECT);
	rm.m.hatype = 772;
	uint32_t got;
	ck_assert_int_eq(ebpf_prog_run_interp(&e, pkt, sizeof pkt, sizeof pkt, &rm.m, NULL, &got, NULL), 0);
	ck_assert_uint_eq(got, 772);
	ebpf_prog_free(&e);
}
END_TEST

/* SKF_NET_OFF / SKF_LL_OFF, on LD ABS, LD IND and MSH. */
START_TEST(test_negative_offsets)
{
	struct ref_meta rm;
	memset(&rm, 0, sizeof rm);
	rm.m.net_off = 14;
	struct bpfcap_insn net[] = { S(CBPF_LD | CBPF_B | CBPF_ABS, (uint32_t)(CBPF_SKF_NET_OFF + 9)),
				     S(CBPF_RET | CBPF_A, 0) };
	ck_assert_uint_eq(run_both(net, N(net), pkt, sizeof pkt, &rm), 6);
	for (int t = 0; t < 2; t++) {
		struct ebpf_prog e = xlate_ok(net, N(net), (enum ebpf_target)t);
		ck_assert(e.uses & EBPF_USES_NET_OFF);
		ebpf_prog_free(&e);
	}
	struct bpfcap_insn ll[] = { S(CBPF_LD | CBPF_H | CBPF_ABS, (uint32_t)(CBPF_SKF_LL_OFF + 12)),
				    S(CBPF_RET | CBPF_A, 0) };
	ck_assert_uint_eq(run_both(ll, N(ll), pkt, sizeof pkt, &rm), 0x0800);
	struct bpfcap_insn ind[] = { S(CBPF_LDX | CBPF_W | CBPF_IMM, 12),
				     S(CBPF_LD | CBPF_W | CBPF_IND, (uint32_t)CBPF_SKF_NET_OFF),
				     S(CBPF_RET | CBPF_A, 0) };
	ck_assert_uint_eq(run_both(ind, N(ind), pkt, sizeof pkt, &rm), 0x0a000001);
	struct bpfcap_insn msh[] = { S(CBPF_LDX | CBPF_B | CBPF_MSH, (uint32_t)CBPF_SKF_NET_OFF),
				     S(CBPF_TXA | CBPF_MISC, 0), S(CBPF_RET | CBPF_A, 0) };
	ck_assert_uint_eq(run_both(msh, N(msh), pkt, sizeof pkt, &rm), 20);
	struct bpfcap_insn low[] = { S(CBPF_LD | CBPF_B | CBPF_ABS, (uint32_t)(CBPF_SKF_LL_OFF - 1)),
				     S(CBPF_RET | CBPF_K, 1) };
	ck_assert_uint_eq(run_both(low, N(low), pkt, sizeof pkt, &rm), 0);
	/* The same for MSH: nothing unreachable after the jump to reject. */
	low[0].code = CBPF_LDX | CBPF_B | CBPF_MSH;
	ck_assert_uint_eq(run_both(low, N(low), pkt, sizeof pkt, &rm), 0);
	rm.m.net_off = 60; /* past the end for a word */
	ck_assert_uint_eq(run_both(ind, N(ind), pkt, sizeof pkt, &rm), 0);
}
END_TEST

/* ---- refused programs ----------------------------------------------------------- */

static void assert_refused(const struct bpfcap_insn *p, size_t len, int want_rc, const char *needle)
{
	for (int t = 0; t < 2; t++) {
		char msg[256] = "";
		int rc = xlate_rc(p, len, (enum ebpf_target)t, msg, sizeof msg);
		ck_assert_msg(rc == want_rc, "%s: rc %d, want %d (%s)", ebpf_target_name(t), rc, want_rc, msg);
		ck_assert_msg(strstr(msg, needle), "message '%s' lacks '%s'", msg, needle);
	}
}

START_TEST(test_invalid)
{
	struct bpfcap_insn jump_out[] = { J(CBPF_JMP | CBPF_JEQ | CBPF_K, 1, 0, 5), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(jump_out, N(jump_out), BPFCAP_E_INVALID, "insn 0");
	struct bpfcap_insn ja_out[] = { S(CBPF_JMP | CBPF_JA, 1), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(ja_out, N(ja_out), BPFCAP_E_INVALID, "past the end");
	struct bpfcap_insn no_ret[] = { S(CBPF_LD | CBPF_W | CBPF_IMM, 1) };
	assert_refused(no_ret, N(no_ret), BPFCAP_E_INVALID, "return");
	struct bpfcap_insn mem[] = { S(CBPF_LD | CBPF_W | CBPF_IMM, 1), S(CBPF_ST, 16), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(mem, N(mem), BPFCAP_E_INVALID, "insn 1: scratch memory index 16");
	struct bpfcap_insn ldm[] = { S(CBPF_LDX | CBPF_W | CBPF_MEM, 99), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(ldm, N(ldm), BPFCAP_E_INVALID, "scratch");
	struct bpfcap_insn shift[] = { S(CBPF_ALU | CBPF_LSH | CBPF_K, 32), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(shift, N(shift), BPFCAP_E_INVALID, "shift by 32");
	struct bpfcap_insn div0[] = { S(CBPF_ALU | CBPF_DIV | CBPF_K, 0), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(div0, N(div0), BPFCAP_E_INVALID, "division by the constant 0");
	struct bpfcap_insn mod0[] = { S(CBPF_ALU | CBPF_MOD | CBPF_K, 0), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(mod0, N(mod0), BPFCAP_E_INVALID, "modulo");
	struct bpfcap_insn op[] = { S(0x0e, 0), S(CBPF_RET | CBPF_K, 0) }; /* RET X: not classic BPF */
	assert_refused(op, N(op), BPFCAP_E_INVALID, "unknown opcode 0x0e");
	struct bpfcap_insn op2[] = { S(CBPF_LD | CBPF_H | CBPF_LEN, 0), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(op2, N(op2), BPFCAP_E_INVALID, "unknown opcode");
	struct bpfcap_insn anc[] = { S(CBPF_LD | CBPF_W | CBPF_ABS, AD(2)), S(CBPF_RET | CBPF_K, 0) };
	assert_refused(anc, N(anc), BPFCAP_E_INVALID, "SKF_AD_OFF + 2");
	assert_refused(NULL, 0, BPFCAP_E_INVALID, "empty");
}
END_TEST

START_TEST(test_unsupported)
{
	static const uint32_t ns[] = { CBPF_SKF_AD_PAY_OFFSET, CBPF_SKF_AD_NLATTR, CBPF_SKF_AD_NLATTR_NEST };
	for (size_t i = 0; i < N(ns); i++) {
		struct bpfcap_insn p[] = { S(CBPF_LD | CBPF_W | CBPF_ABS, AD(ns[i])), S(CBPF_RET | CBPF_A, 0) };
		assert_refused(p, N(p), BPFCAP_E_UNSUPPORTED, "SO_ATTACH_FILTER");
	}
	/* Past 65,535 the direct target cannot reach a constant offset. */
	struct bpfcap_insn far[] = { S(CBPF_LD | CBPF_B | CBPF_ABS, 70000), S(CBPF_RET | CBPF_A, 0) };
	char msg[256];
	ck_assert_int_eq(xlate_rc(far, N(far), EBPF_TARGET_DIRECT, msg, sizeof msg), BPFCAP_E_UNSUPPORTED);
	ck_assert_int_eq(xlate_rc(far, N(far), EBPF_TARGET_SOCKET, msg, sizeof msg), 0);
}
END_TEST

/* ---- long programs -------------------------------------------------------------- */

/* A program whose jumps reach past 32,767 eBPF instructions: n fillers
 * (one eBPF instruction each), with every stride-th one a test that jumps
 * to one of five returns at the end (through a cBPF JA, which reaches
 * anywhere): trampolines for several targets share islands, and chain. */
static struct bpfcap_insn *long_prog(size_t n, size_t stride, size_t *len)
{
	struct bpfcap_insn *p = calloc(n + 12, sizeof *p);
	size_t i = 0;
	uint32_t tests = 0;
	p[i++] = S(CBPF_LD | CBPF_B | CBPF_ABS, 23);
	while (i < n) {
		if (stride && i % stride == 0 && i + 2 < n) {
			/* Test number t is taken when the packet's byte 23 is t. */
			p[i] = J(CBPF_JMP | CBPF_JEQ | CBPF_K, tests++ % 256, 0, 1);
			i++;
			p[i] = S(CBPF_JMP | CBPF_JA, 0); /* patched below */
			i++;
			continue;
		}
		p[i] = S(CBPF_LDX | CBPF_W | CBPF_IMM, (uint32_t)i); /* one eBPF insn, A intact */
		i++;
	}
	size_t end = i;
	p[i++] = S(CBPF_RET | CBPF_A, 0);
	for (uint32_t r = 0; r < 5; r++)
		p[i++] = S(CBPF_RET | CBPF_K, 77 + r); /* the far targets */
	for (size_t j = 0, r = 0; j < end; j++)
		if (p[j].code == (CBPF_JMP | CBPF_JA))
			p[j].k = (uint32_t)(end + 1 + r++ % 5 - j - 1);
	*len = i;
	return p;
}

START_TEST(test_jump_bridging)
{
	static const size_t sizes[][2] = { { 40000, 0 }, { 40000, 1000 }, { 120000, 97 }, { 300000, 5000 } };
	for (size_t s = 0; s < N(sizes); s++) {
		size_t len;
		struct bpfcap_insn *p = long_prog(sizes[s][0], sizes[s][1], &len);
		if (sizes[s][1] == 0) {
			/* ldb [23]; jeq #6, ja far; fillers... */
			p[1] = J(CBPF_JMP | CBPF_JEQ | CBPF_K, 6, 0, 1);
			p[2] = S(CBPF_JMP | CBPF_JA, (uint32_t)(len - 1 - 3)); /* ret #81 */
		}
		for (int t = 0; t < 2; t++) {
			struct ebpf_prog e = xlate_ok(p, len, (enum ebpf_target)t);
			ck_assert_uint_gt(e.len, 32767);
			assert_well_formed(&e);
			ebpf_prog_free(&e);
		}
		/* And it computes what the cBPF does: byte 23 = v takes the far
		 * jump of test v (to return 77 + v % 5), if there is one. */
		static const uint8_t vs[] = { 6, 17, 2, 200 };
		for (size_t v = 0; v < N(vs); v++) {
			uint8_t b[64];
			memcpy(b, pkt, sizeof b);
			b[23] = vs[v];
			uint32_t r = run_both(p, len, b, sizeof b, NULL);
			if (sizes[s][1] && (size_t)vs[v] < sizes[s][0] / sizes[s][1] - 1)
				ck_assert_uint_eq(r, 77 + vs[v] % 5u);
		}
		free(p);
	}
}
END_TEST

/* 1000 `host` terms: about 3,000 cBPF instructions with our optimizer
 * (libpcap: 5,759), past the kernel's
 * 4,096 for classic filters; translated well under EBPF_MAX_INSNS. */
START_TEST(test_host_chain)
{
	size_t cap = 1000 * 24 + 1;
	char *expr = malloc(cap), *w = expr;
	for (int i = 0; i < 1000; i++)
		w += sprintf(w, "%shost 10.%d.%d.1", i ? " or " : "", i / 250, i % 250);
	struct bpfcap_prog prog;
	struct bpfcap_error err = { 0 };
	ck_assert_msg(bpfcap_compile(expr, NULL, &prog, &err) == 0, "%s", err.msg);
	ck_assert_uint_gt(prog.len, 2000);
	uint8_t hit[64], miss[64];
	memcpy(miss, pkt, sizeof miss);
	miss[26] = 192, miss[30] = 192; /* 192.0.0.1 > 192.0.0.2: no term */
	memcpy(hit, miss, sizeof hit);
	hit[26] = 10, hit[27] = 3, hit[28] = 249, hit[29] = 1; /* the last term */
	for (int t = 0; t < 2; t++) {
		struct ebpf_prog e = xlate_ok(prog.insns, prog.len, (enum ebpf_target)t);
		ck_assert_uint_lt(e.len, EBPF_MAX_INSNS);
		assert_well_formed(&e);
		uint32_t got;
		ck_assert_int_eq(ebpf_prog_run_interp(&e, hit, sizeof hit, sizeof hit, NULL, NULL, &got, NULL), 0);
		ck_assert_uint_eq(got, 262144);
		ck_assert_int_eq(ebpf_prog_run_interp(&e, miss, sizeof miss, sizeof miss, NULL, NULL, &got, NULL), 0);
		ck_assert_uint_eq(got, 0);
		ebpf_prog_free(&e);
	}
	bpfcap_prog_free(&prog);
	free(expr);
}
END_TEST

START_TEST(test_too_big)
{
	/* 1,000,001 fillers: more than eBPF allows. */
	size_t n = EBPF_MAX_INSNS + 1;
	struct bpfcap_insn *p = calloc(n + 1, sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = S(CBPF_ALU | CBPF_ADD | CBPF_K, 1);
	p[n] = S(CBPF_RET | CBPF_A, 0);
	char msg[256];
	ck_assert_int_eq(xlate_rc(p, n + 1, EBPF_TARGET_SOCKET, msg, sizeof msg), BPFCAP_E_TOOBIG);
	free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("translate");
	TCase *tc = tcase_create("translate");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ret_k);
	tcase_add_test(tc, test_ld_abs_socket);
	tcase_add_test(tc, test_ld_abs_direct_merged_check);
	tcase_add_test(tc, test_direct_check_per_stretch);
	tcase_add_test(tc, test_direct_check_inherited);
	tcase_add_test(tc, test_ancillary_shapes);
	tcase_add_test(tc, test_ld_ind_direct_shapes);
	tcase_add_test(tc, test_jump_k_high_bit);
	tcase_add_test(tc, test_conditionals);
	tcase_add_test(tc, test_alu_semantics);
	tcase_add_test(tc, test_div_zero_and_wide_shift);
	tcase_add_test(tc, test_msh_keeps_a);
	tcase_add_test(tc, test_scratch_init);
	tcase_add_test(tc, test_ancillary);
	tcase_add_test(tc, test_negative_offsets);
	tcase_add_test(tc, test_invalid);
	tcase_add_test(tc, test_unsupported);
	tcase_add_test(tc, test_jump_bridging);
	tcase_add_test(tc, test_host_chain);
	tcase_add_test(tc, test_too_big);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
