/* test_interp: the eBPF interpreter, instruction by instruction, with the
 * programs built from vm/ebpf.h's constructors (so the header is tested
 * too).  Edge values, every jump condition both ways, byte swaps, memory
 * bounds, the stack, legacy packet loads, the budget, helpers, local calls
 * and atomics. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf.h"
#include "interp.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Runs prog with env (or an empty one); returns ebpf_run's status. */
static int run_env(const struct ebpf_insn *prog, size_t len, const struct ebpf_run_env *env,
		   struct ebpf_run_result *res, struct bpfcap_error *err)
{
	static const struct ebpf_run_env none;
	return ebpf_run(prog, len, env ? env : &none, res, err);
}

/* r0 of a program that must end normally. */
static uint64_t r0_of(const struct ebpf_insn *prog, size_t len)
{
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };
	int rc = run_env(prog, len, NULL, &res, &err);
	ck_assert_msg(rc == 0, "run failed: %s", err.msg);
	return res.r0;
}

/* ---- ALU -------------------------------------------------------------------- */

/* dst = a OP b in class cls (off for signed div/mod); register form, and
 * immediate form when b fits an imm.  r0 starts with garbage in its upper
 * half for ALU32, to see the zero-extension. */
static uint64_t alu(uint8_t cls, uint8_t op, int16_t off, uint64_t a, uint64_t b)
{
	struct ebpf_insn reg[] = {
		EBPF_LD_IMM64(EBPF_REG_0, a),
		EBPF_LD_IMM64(EBPF_REG_1, b),
		EBPF_RAW_INSN(cls | op | EBPF_X, EBPF_REG_0, EBPF_REG_1, off, 0),
		EBPF_EXIT_INSN(),
	};
	uint64_t r = r0_of(reg, N(reg));
	int64_t sb = (int64_t)b;
	int fits = cls == EBPF_ALU64 ? (sb >= INT32_MIN && sb <= INT32_MAX) : 1;
	if (fits) {
		struct ebpf_insn imm[] = {
			EBPF_LD_IMM64(EBPF_REG_0, a),
			EBPF_RAW_INSN(cls | op | EBPF_K, EBPF_REG_0, 0, off, (int32_t)(uint32_t)b),
			EBPF_EXIT_INSN(),
		};
		uint64_t ri = r0_of(imm, N(imm));
		ck_assert_msg(ri == r, "op 0x%02x: reg form 0x%llx, imm form 0x%llx", cls | op,
			      (unsigned long long)r, (unsigned long long)ri);
	}
	return r;
}

#define A64(op, a, b) alu(EBPF_ALU64, EBPF_##op, 0, (uint64_t)(a), (uint64_t)(b))
#define A32(op, a, b) alu(EBPF_ALU, EBPF_##op, 0, (uint64_t)(a), (uint64_t)(b))
#define S64(op, a, b) alu(EBPF_ALU64, EBPF_##op, 1, (uint64_t)(a), (uint64_t)(b))
#define S32(op, a, b) alu(EBPF_ALU, EBPF_##op, 1, (uint64_t)(a), (uint64_t)(b))
#define EQ(x, y) ck_assert_uint_eq((uint64_t)(x), (uint64_t)(y))
#define HI UINT64_C(0xdead000000000000)

START_TEST(test_alu64_arith)
{
	EQ(A64(ADD, 1, 2), 3);
	EQ(A64(ADD, UINT64_MAX, 1), 0);
	EQ(A64(ADD, 5, -1), 4);                      /* imm sign-extended */
	EQ(A64(SUB, 0, 1), UINT64_MAX);
	EQ(A64(MUL, 0x100000000, 0x100000000), 0);
	EQ(A64(MUL, INT64_MIN, -1), INT64_MIN);
	EQ(A64(DIV, 7, 2), 3);
	EQ(A64(DIV, -1, 2), UINT64_MAX / 2);         /* unsigned */
	EQ(A64(DIV, 7, 0), 0);                       /* by zero: 0 */
	EQ(A64(DIV, 7, -1), 0);                      /* imm -1 is 2^64-1 */
	EQ(A64(MOD, 7, 3), 1);
	EQ(A64(MOD, 7, 0), 7);                       /* by zero: unchanged */
	EQ(S64(DIV, -7, 2), -3);
	EQ(S64(DIV, 7, -2), -3);
	EQ(S64(DIV, INT64_MIN, -1), INT64_MIN);
	EQ(S64(DIV, -7, 0), 0);
	EQ(S64(MOD, -7, 2), -1);                     /* sign of the dividend */
	EQ(S64(MOD, 7, -2), 1);
	EQ(S64(MOD, INT64_MIN, -1), 0);
	EQ(S64(MOD, -7, 0), -7);
	EQ(A64(OR, 0xf0, 0x0f), 0xff);
	EQ(A64(AND, 0xf0, 0x3c), 0x30);
	EQ(A64(XOR, 0xff, 0x0f), 0xf0);
	EQ(A64(MOV, 123, -2), -2);
	EQ(A64(LSH, 1, 63), UINT64_C(1) << 63);
	EQ(A64(LSH, 1, 64), 1);                      /* count & 63 */
	EQ(A64(LSH, 1, 65), 2);
	EQ(A64(RSH, INT64_MIN, 63), 1);
	EQ(A64(RSH, 0x10, 64), 0x10);
	EQ(A64(ARSH, -8, 1), -4);
	EQ(A64(ARSH, INT64_MIN, 63), -1);
	EQ(A64(ARSH, 8, 1), 4);
	EQ(A64(ARSH, -8, 64), -8);
}
END_TEST

START_TEST(test_alu32_arith)
{
	EQ(A32(ADD, HI | 0xffffffff, 1), 0);         /* zero-extended */
	EQ(A32(ADD, HI | 1, 2), 3);
	EQ(A32(SUB, HI, 1), 0xffffffff);
	EQ(A32(MUL, HI | 0x10000, 0x10000), 0);
	EQ(A32(MUL, INT32_MIN, -1), 0x80000000);
	EQ(A32(DIV, HI | 7, 2), 3);
	EQ(A32(DIV, HI | 7, 0), 0);
	EQ(A32(DIV, 0xffffffff, 0x100000002), 0x7fffffff); /* low half of the divisor */
	EQ(A32(MOD, HI | 7, 0), 7);                  /* unchanged, upper half cleared */
	EQ(A32(MOD, HI | 7, 4), 3);
	EQ(S32(DIV, HI | (uint32_t)-7, 2), (uint32_t)-3);
	EQ(S32(DIV, (uint32_t)INT32_MIN, -1), 0x80000000);
	EQ(S32(DIV, 5, 0), 0);
	EQ(S32(MOD, (uint32_t)-7, 2), (uint32_t)-1);
	EQ(S32(MOD, (uint32_t)INT32_MIN, -1), 0);
	EQ(S32(MOD, HI | (uint32_t)-7, 0), (uint32_t)-7);
	EQ(A32(OR, HI, 1), 1);
	EQ(A32(AND, HI | 0xff, 0xf), 0xf);
	EQ(A32(XOR, HI | 0xff, 0xf), 0xf0);
	EQ(A32(MOV, HI, -1), 0xffffffff);
	EQ(A32(LSH, 1, 31), 0x80000000);
	EQ(A32(LSH, 1, 32), 1);                      /* count & 31 */
	EQ(A32(LSH, HI | 0x80000000, 1), 0);
	EQ(A32(RSH, HI | 0x80000000, 31), 1);
	EQ(A32(RSH, 0x10, 32), 0x10);
	EQ(A32(ARSH, 0x80000000, 31), 0xffffffff);
	EQ(A32(ARSH, HI | 0xfffffff8, 1), 0xfffffffc);
	EQ(A32(ARSH, 0x40000000, 30), 1);
}
END_TEST

START_TEST(test_neg_movsx)
{
	struct ebpf_insn p1[] = { EBPF_LD_IMM64(EBPF_REG_0, (uint64_t)INT64_MIN), EBPF_NEG64(EBPF_REG_0),
				  EBPF_EXIT_INSN() };
	EQ(r0_of(p1, N(p1)), INT64_MIN);
	struct ebpf_insn p2[] = { EBPF_MOV64_IMM(EBPF_REG_0, 5), EBPF_NEG64(EBPF_REG_0), EBPF_EXIT_INSN() };
	EQ(r0_of(p2, N(p2)), -5);
	struct ebpf_insn p3[] = { EBPF_LD_IMM64(EBPF_REG_0, HI | 5), EBPF_NEG32(EBPF_REG_0), EBPF_EXIT_INSN() };
	EQ(r0_of(p3, N(p3)), 0xfffffffb);
	struct {
		uint8_t cls;
		int16_t bits;
		uint64_t in, out;
	} mx[] = {
		{ EBPF_ALU64, 8, 0x80, 0xffffffffffffff80 },
		{ EBPF_ALU64, 8, 0x17f, 0x7f },
		{ EBPF_ALU64, 16, 0x8001, 0xffffffffffff8001 },
		{ EBPF_ALU64, 32, 0x80000001, 0xffffffff80000001 },
		{ EBPF_ALU64, 32, HI | 0x7fffffff, 0x7fffffff },
		{ EBPF_ALU, 8, 0x80, 0xffffff80 },
		{ EBPF_ALU, 16, HI | 0x8001, 0xffff8001 },
	};
	for (size_t i = 0; i < N(mx); i++) {
		struct ebpf_insn p[] = {
			EBPF_LD_IMM64(EBPF_REG_1, mx[i].in),
			mx[i].cls == EBPF_ALU64 ? EBPF_MOVSX64_REG(EBPF_REG_0, EBPF_REG_1, mx[i].bits)
						: EBPF_MOVSX32_REG(EBPF_REG_0, EBPF_REG_1, mx[i].bits),
			EBPF_EXIT_INSN(),
		};
		EQ(r0_of(p, N(p)), mx[i].out);
	}
}
END_TEST

START_TEST(test_byte_swaps)
{
	const uint64_t v = 0x8877665544332211;
	struct {
		struct ebpf_insn in;
		uint64_t out;
	} c[] = {
		{ EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 16), 0x1122 },
		{ EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 32), 0x11223344 },
		{ EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 64), 0x1122334455667788 },
		{ EBPF_ENDIAN(EBPF_TO_LE, EBPF_REG_0, 16), 0x2211 },
		{ EBPF_ENDIAN(EBPF_TO_LE, EBPF_REG_0, 32), 0x44332211 },
		{ EBPF_ENDIAN(EBPF_TO_LE, EBPF_REG_0, 64), v },
		{ EBPF_BSWAP(EBPF_REG_0, 16), 0x1122 },
		{ EBPF_BSWAP(EBPF_REG_0, 32), 0x11223344 },
		{ EBPF_BSWAP(EBPF_REG_0, 64), 0x1122334455667788 },
	};
	for (size_t i = 0; i < N(c); i++) {
		struct ebpf_insn p[] = { EBPF_LD_IMM64(EBPF_REG_0, v), c[i].in, EBPF_EXIT_INSN() };
		ck_assert_msg(r0_of(p, N(p)) == c[i].out, "case %zu", i);
	}
	/* A width other than 16/32/64 is refused. */
	struct ebpf_insn bad[] = { EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 8), EBPF_EXIT_INSN() };
	struct ebpf_run_result res;
	ck_assert_int_eq(run_env(bad, N(bad), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
}
END_TEST

/* ---- jumps ------------------------------------------------------------------ */

/* 1 if (a OP b) jumps, in class cls, register or immediate form. */
static int jumps(uint8_t cls, uint8_t op, uint64_t a, uint64_t b, int use_imm)
{
	struct ebpf_insn p[] = {
		EBPF_MOV64_IMM(EBPF_REG_0, 0),
		EBPF_LD_IMM64(EBPF_REG_1, a),
		EBPF_LD_IMM64(EBPF_REG_2, b),
		use_imm ? EBPF_RAW_INSN(cls | op | EBPF_K, EBPF_REG_1, 0, 1, (int32_t)(uint32_t)b)
			: EBPF_RAW_INSN(cls | op | EBPF_X, EBPF_REG_1, EBPF_REG_2, 1, 0),
		EBPF_EXIT_INSN(),
		EBPF_MOV64_IMM(EBPF_REG_0, 1),
		EBPF_EXIT_INSN(),
	};
	return (int)r0_of(p, N(p));
}

START_TEST(test_jumps)
{
	static const struct {
		uint8_t op;
		uint64_t a, b;
		int j64, j32;  /* expected: taken at 64 bits, at 32 bits */
	} c[] = {
		{ EBPF_JEQ, 5, 5, 1, 1 },
		{ EBPF_JEQ, 5, 6, 0, 0 },
		{ EBPF_JEQ, 0x100000005, 5, 0, 1 },
		{ EBPF_JNE, 5, 6, 1, 1 },
		{ EBPF_JNE, 5, 5, 0, 0 },
		{ EBPF_JNE, 0x100000005, 5, 1, 0 },
		{ EBPF_JGT, 6, 5, 1, 1 },
		{ EBPF_JGT, 5, 5, 0, 0 },
		{ EBPF_JGT, (uint64_t)-1, 1, 1, 1 },
		{ EBPF_JGE, 5, 5, 1, 1 },
		{ EBPF_JGE, 4, 5, 0, 0 },
		{ EBPF_JLT, 4, 5, 1, 1 },
		{ EBPF_JLT, 5, 5, 0, 0 },
		{ EBPF_JLT, 0x100000004, 5, 0, 1 },
		{ EBPF_JLE, 5, 5, 1, 1 },
		{ EBPF_JLE, 6, 5, 0, 0 },
		{ EBPF_JSET, 6, 2, 1, 1 },
		{ EBPF_JSET, 6, 1, 0, 0 },
		{ EBPF_JSET, 0x100000000, 0x100000000, 1, 0 },
		{ EBPF_JSGT, 1, (uint64_t)-1, 1, 1 },
		{ EBPF_JSGT, (uint64_t)-1, 1, 0, 0 },
		{ EBPF_JSGT, 0xffffffff, 1, 1, 0 },   /* 32-bit: -1 > 1 is false */
		{ EBPF_JSGE, (uint64_t)-1, (uint64_t)-1, 1, 1 },
		{ EBPF_JSGE, (uint64_t)-2, (uint64_t)-1, 0, 0 },
		{ EBPF_JSLT, (uint64_t)-1, 1, 1, 1 },
		{ EBPF_JSLT, 1, (uint64_t)-1, 0, 0 },
		{ EBPF_JSLT, 0x80000000, 0, 0, 1 },
		{ EBPF_JSLE, (uint64_t)-1, (uint64_t)-1, 1, 1 },
		{ EBPF_JSLE, 0, (uint64_t)-1, 0, 0 },
	};
	for (size_t i = 0; i < N(c); i++) {
		for (int imm = 0; imm < 2; imm++) {
			/* The imm form sign-extends at 64 bits: only when b fits. */
			int64_t sb = (int64_t)c[i].b;
			if (!imm || (sb >= INT32_MIN && sb <= INT32_MAX))
				ck_assert_msg(jumps(EBPF_JMP, c[i].op, c[i].a, c[i].b, imm) == c[i].j64,
					      "case %zu (64, imm %d)", i, imm);
			ck_assert_msg(jumps(EBPF_JMP32, c[i].op, c[i].a, c[i].b, imm) == c[i].j32,
				      "case %zu (32, imm %d)", i, imm);
		}
	}
	/* JA, JA32 (gotol: imm), and a backward loop. */
	struct ebpf_insn ja[] = {
		EBPF_MOV64_IMM(EBPF_REG_0, 1), EBPF_JMP_A(1), EBPF_MOV64_IMM(EBPF_REG_0, 2),
		EBPF_JMP32_A(1), EBPF_MOV64_IMM(EBPF_REG_0, 3), EBPF_EXIT_INSN(),
	};
	EQ(r0_of(ja, N(ja)), 1);
	struct ebpf_insn loop[] = {
		EBPF_MOV64_IMM(EBPF_REG_0, 0), EBPF_MOV64_IMM(EBPF_REG_1, 10),
		EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_0, 3), EBPF_ALU64_IMM(EBPF_SUB, EBPF_REG_1, 1),
		EBPF_JMP_IMM(EBPF_JNE, EBPF_REG_1, 0, -3), EBPF_EXIT_INSN(),
	};
	EQ(r0_of(loop, N(loop)), 30);
}
END_TEST

START_TEST(test_bad_programs)
{
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };
	/* Unknown opcode. */
	struct ebpf_insn p1[] = { EBPF_RAW_INSN(0xff, 0, 0, 0, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p1, N(p1), NULL, &res, &err), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
	ck_assert_ptr_nonnull(strstr(err.msg, "insn 0"));
	/* Register 11. */
	struct ebpf_insn p2[] = { EBPF_MOV64_IMM(11, 1), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p2, N(p2), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
	/* Falling off the end; a jump past it; one before the start. */
	struct ebpf_insn p3[] = { EBPF_MOV64_IMM(EBPF_REG_0, 1) };
	ck_assert_int_eq(run_env(p3, N(p3), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_JUMP);
	ck_assert_uint_eq(res.pc, 1);
	struct ebpf_insn p4[] = { EBPF_JMP_A(5), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p4, N(p4), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_JUMP);
	struct ebpf_insn p5[] = { EBPF_JMP_A(-2), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p5, N(p5), NULL, &res, NULL), BPFCAP_E_INVALID);
	/* LD_IMM64 cut in half; with a map (not supported yet). */
	struct ebpf_insn p6[] = { EBPF_RAW_INSN(EBPF_OP_LD_IMM64, 0, 0, 0, 1) };
	ck_assert_int_eq(run_env(p6, N(p6), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
	struct ebpf_insn p7[] = { EBPF_LD_IMM64_RAW(EBPF_REG_0, EBPF_PSEUDO_MAP_FD, 3), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p7, N(p7), NULL, &res, NULL), BPFCAP_E_INVALID);
	/* Signed DIV with a bad offset; MOVSX with an immediate. */
	struct ebpf_insn p8[] = { EBPF_ALU64_IMM_OFF(EBPF_DIV, EBPF_REG_0, 1, 2), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p8, N(p8), NULL, &res, NULL), BPFCAP_E_INVALID);
	struct ebpf_insn p9[] = { EBPF_ALU64_IMM_OFF(EBPF_MOV, EBPF_REG_0, 1, 8), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p9, N(p9), NULL, &res, NULL), BPFCAP_E_INVALID);
	/* A conditional jump on an immediate with a src register. */
	struct ebpf_insn p10[] = { EBPF_RAW_INSN(EBPF_JMP | EBPF_JEQ | EBPF_K, 0, 1, 0, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(p10, N(p10), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
	/* An empty program. */
	ck_assert_int_eq(run_env(NULL, 0, NULL, &res, NULL), BPFCAP_E_INVALID);
}
END_TEST

/* ---- memory ------------------------------------------------------------------ */

START_TEST(test_memory_bounds)
{
	uint8_t *buf = malloc(8);  /* exact size: ASan sees any overrun */
	ck_assert_ptr_nonnull(buf);
	for (int i = 0; i < 8; i++)
		buf[i] = (uint8_t)(0x10 + i);
	struct ebpf_region reg = { buf, 8, 1 };
	struct ebpf_run_env env = { .r1 = (uintptr_t)buf, .r2 = 8, .regions = &reg, .nregions = 1 };
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };

	/* Every size in bounds, at the last possible offset. */
	static const uint8_t sz[] = { EBPF_B, EBPF_H, EBPF_W, EBPF_DW };
	for (size_t i = 0; i < N(sz); i++) {
		int16_t off = (int16_t)(8 - ebpf_size_bytes(sz[i]));
		struct ebpf_insn ok[] = { EBPF_LDX_MEM(sz[i], EBPF_REG_0, EBPF_REG_1, off), EBPF_EXIT_INSN() };
		ck_assert_int_eq(run_env(ok, N(ok), &env, &res, &err), 0);
		/* One byte further: out. */
		struct ebpf_insn out[] = { EBPF_LDX_MEM(sz[i], EBPF_REG_0, EBPF_REG_1, off + 1),
					   EBPF_EXIT_INSN() };
		ck_assert_int_eq(run_env(out, N(out), &env, &res, &err), BPFCAP_E_INVALID);
		ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
		struct ebpf_insn st[] = { EBPF_STX_MEM(sz[i], EBPF_REG_1, EBPF_REG_1, off + 1),
					  EBPF_EXIT_INSN() };
		ck_assert_int_eq(run_env(st, N(st), &env, &res, &err), BPFCAP_E_INVALID);
		ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
	}
	struct ebpf_insn h[] = { EBPF_LDX_MEM(EBPF_H, EBPF_REG_0, EBPF_REG_1, 2), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(h, N(h), &env, &res, &err), 0);
	EQ(res.r0, 0x1312);  /* host order (little-endian) */
	/* Before the start, NULL, and a huge offset that wraps. */
	struct ebpf_insn before[] = { EBPF_LDX_MEM(EBPF_B, EBPF_REG_0, EBPF_REG_1, -1), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(before, N(before), &env, &res, &err), BPFCAP_E_INVALID);
	struct ebpf_insn null[] = { EBPF_MOV64_IMM(EBPF_REG_1, 0),
				    EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_1, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(null, N(null), &env, &res, &err), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
	ck_assert_uint_eq(res.pc, 1);
	struct ebpf_insn wrap[] = { EBPF_LD_IMM64(EBPF_REG_2, UINT64_MAX),
				    EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_1),
				    EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_2, 2), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(wrap, N(wrap), &env, &res, &err), 0);  /* buf - 1 + 2: in */
	struct ebpf_insn wrap2[] = { EBPF_LD_IMM64(EBPF_REG_2, UINT64_MAX - 2),
				     EBPF_LDX_MEM(EBPF_DW, EBPF_REG_0, EBPF_REG_2, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(wrap2, N(wrap2), &env, &res, &err), BPFCAP_E_INVALID);

	/* Stores: ST and STX write; a read-only region refuses them. */
	struct ebpf_insn stp[] = { EBPF_ST_MEM(EBPF_W, EBPF_REG_1, 0, -1),
				   EBPF_STX_MEM(EBPF_B, EBPF_REG_1, EBPF_REG_2, 7), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(stp, N(stp), &env, &res, &err), 0);
	EQ(buf[0], 0xff);
	EQ(buf[3], 0xff);
	EQ(buf[7], 8);  /* r2 = 8 */
	reg.writable = 0;
	ck_assert_int_eq(run_env(stp, N(stp), &env, &res, &err), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
	struct ebpf_insn rd[] = { EBPF_LDX_MEM(EBPF_B, EBPF_REG_0, EBPF_REG_1, 7), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(rd, N(rd), &env, &res, &err), 0);

	/* Sign-extending loads. */
	buf[4] = 0x80;
	buf[5] = 0xff;
	struct ebpf_insn sx[] = { EBPF_LDX_MEMSX(EBPF_B, EBPF_REG_0, EBPF_REG_1, 4), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(sx, N(sx), &env, &res, &err), 0);
	EQ(res.r0, 0xffffffffffffff80);
	struct ebpf_insn sxh[] = { EBPF_LDX_MEMSX(EBPF_H, EBPF_REG_0, EBPF_REG_1, 4), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(sxh, N(sxh), &env, &res, &err), 0);
	EQ(res.r0, 0xffffffffffffff80);
	struct ebpf_insn sxw[] = { EBPF_LDX_MEMSX(EBPF_W, EBPF_REG_0, EBPF_REG_1, 4), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(sxw, N(sxw), &env, &res, &err), 0);
	EQ(res.r0, 0x0816ff80);  /* bytes 80 ff 16 08: positive */
	struct ebpf_insn sxdw[] = { EBPF_LDX_MEMSX(EBPF_DW, EBPF_REG_0, EBPF_REG_1, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(sxdw, N(sxdw), &env, &res, &err), BPFCAP_E_INVALID);
	free(buf);
}
END_TEST

START_TEST(test_stack)
{
	/* Zeroed at entry; r10 - 512 .. r10 - 1 usable; r10 + 0 is not. */
	struct ebpf_insn p[] = {
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_0, EBPF_REG_10, -8),
		EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -512, 7),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_1, EBPF_REG_10, -512),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_1),
		EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_10),
		EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, -100),
		EBPF_STX_MEM(EBPF_W, EBPF_REG_2, EBPF_REG_0, 0),
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_10, -100),
		EBPF_ALU64_IMM(EBPF_MUL, EBPF_REG_0, 6),
		EBPF_EXIT_INSN(),
	};
	EQ(r0_of(p, N(p)), 42);
	struct ebpf_run_result res;
	struct ebpf_insn above[] = { EBPF_LDX_MEM(EBPF_B, EBPF_REG_0, EBPF_REG_10, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(above, N(above), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
	struct ebpf_insn straddle[] = { EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -4, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(straddle, N(straddle), NULL, &res, NULL), BPFCAP_E_INVALID);
	/* Below the deepest frame (8 frames of 512 bytes). */
	struct ebpf_insn below[] = { EBPF_MOV64_REG(EBPF_REG_1, EBPF_REG_10),
				     EBPF_ALU64_IMM(EBPF_SUB, EBPF_REG_1, EBPF_MAX_CALL_FRAMES * EBPF_STACK_SIZE),
				     EBPF_LDX_MEM(EBPF_B, EBPF_REG_0, EBPF_REG_1, -1), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(below, N(below), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
}
END_TEST

/* ---- legacy packet loads ------------------------------------------------------ */

START_TEST(test_ld_abs_ind)
{
	uint8_t *pkt = malloc(6);
	ck_assert_ptr_nonnull(pkt);
	memcpy(pkt, "\x01\x02\x03\x04\x05\x06", 6);
	struct ebpf_run_env env = { .pkt = pkt, .pkt_len = 6 };
	struct ebpf_run_result res;
	struct {
		struct ebpf_insn ld;
		uint64_t r0;
	} c[] = {
		{ EBPF_LD_ABS(EBPF_B, 0), 0x01 },
		{ EBPF_LD_ABS(EBPF_B, 5), 0x06 },
		{ EBPF_LD_ABS(EBPF_H, 4), 0x0506 },  /* big-endian */
		{ EBPF_LD_ABS(EBPF_W, 2), 0x03040506 },
		{ EBPF_LD_IND(EBPF_B, EBPF_REG_7, 1), 0x04 },  /* r7 = 2 */
		{ EBPF_LD_IND(EBPF_H, EBPF_REG_7, 2), 0x0506 },
		{ EBPF_LD_IND(EBPF_W, EBPF_REG_8, 3), 0x03040506 },  /* r8 = -1 */
		/* Out of bounds: the program ends, returning 0. */
		{ EBPF_LD_ABS(EBPF_B, 6), 0 },
		{ EBPF_LD_ABS(EBPF_H, 5), 0 },
		{ EBPF_LD_ABS(EBPF_W, 3), 0 },
		{ EBPF_LD_ABS(EBPF_W, -1), 0 },
		{ EBPF_LD_ABS(EBPF_B, INT32_MAX), 0 },
		{ EBPF_LD_IND(EBPF_W, EBPF_REG_7, 1), 0 },
		{ EBPF_LD_IND(EBPF_B, EBPF_REG_8, 0), 0 },
	};
	for (size_t i = 0; i < N(c); i++) {
		struct ebpf_insn p[] = {
			EBPF_MOV64_IMM(EBPF_REG_0, 99),
			EBPF_MOV64_IMM(EBPF_REG_7, 2),
			EBPF_MOV64_IMM(EBPF_REG_8, -1),
			c[i].ld,
			EBPF_JMP_IMM(EBPF_JEQ, EBPF_REG_0, 0, 1),  /* never 0 in bounds */
			EBPF_EXIT_INSN(),
			EBPF_MOV64_IMM(EBPF_REG_0, 77),           /* not reached out of bounds */
			EBPF_EXIT_INSN(),
		};
		ck_assert_msg(run_env(p, N(p), &env, &res, NULL) == 0, "case %zu", i);
		ck_assert_msg(res.r0 == c[i].r0, "case %zu: r0 0x%llx", i, (unsigned long long)res.r0);
	}
	/* Without a packet every load is out of bounds. */
	struct ebpf_insn p[] = { EBPF_MOV64_IMM(EBPF_REG_0, 5), EBPF_LD_ABS(EBPF_B, 0), EBPF_EXIT_INSN() };
	EQ(r0_of(p, N(p)), 0);
	/* Reserved fields and DW are refused. */
	struct ebpf_insn dw[] = { EBPF_LD_ABS(EBPF_DW, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(dw, N(dw), &env, &res, NULL), BPFCAP_E_INVALID);
	struct ebpf_insn d1[] = { EBPF_RAW_INSN(EBPF_LD | EBPF_B | EBPF_ABS, 1, 0, 0, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(d1, N(d1), &env, &res, NULL), BPFCAP_E_INVALID);
	free(pkt);
}
END_TEST

/* ---- budget, helpers, calls, atomics --------------------------------------------- */

START_TEST(test_budget)
{
	struct ebpf_insn p[] = { EBPF_MOV64_IMM(EBPF_REG_0, 0), EBPF_JMP_A(-1) };
	struct ebpf_run_env env = { .budget = 1000 };
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(run_env(p, N(p), &env, &res, &err), BPFCAP_E_TOOBIG);
	ck_assert_int_eq(res.fault, EBPF_FAULT_BUDGET);
	ck_assert_uint_eq(res.steps, 1000);
	ck_assert_ptr_nonnull(strstr(err.msg, "budget"));
	/* The default budget also stops it. */
	ck_assert_int_eq(run_env(p, N(p), NULL, &res, NULL), BPFCAP_E_TOOBIG);
	ck_assert_uint_eq(res.steps, EBPF_DEFAULT_BUDGET);
	/* Exactly enough is enough. */
	struct ebpf_insn q[] = { EBPF_MOV64_IMM(EBPF_REG_0, 3), EBPF_EXIT_INSN() };
	env.budget = 2;
	ck_assert_int_eq(run_env(q, N(q), &env, &res, NULL), 0);
	env.budget = 1;
	ck_assert_int_eq(run_env(q, N(q), &env, &res, NULL), BPFCAP_E_TOOBIG);
}
END_TEST

static uint64_t h_sum(void *user, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	++*(int *)user;
	return a + 10 * b + 100 * c + 1000 * d + 10000 * e;
}

static uint64_t h_const(void *user, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	return 7;
}

START_TEST(test_helpers)
{
	int calls = 0;
	ebpf_helper_fn table[3] = { NULL, h_sum, h_const };
	struct ebpf_run_env env = { .helpers = table, .nhelpers = 3, .helper_user = &calls };
	struct ebpf_insn p[] = {
		EBPF_MOV64_IMM(EBPF_REG_1, 1), EBPF_MOV64_IMM(EBPF_REG_2, 2),
		EBPF_MOV64_IMM(EBPF_REG_3, 3), EBPF_MOV64_IMM(EBPF_REG_4, 4),
		EBPF_MOV64_IMM(EBPF_REG_5, 5), EBPF_MOV64_IMM(EBPF_REG_6, 6),
		EBPF_CALL_HELPER(1),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_6),  /* r6 survives */
		EBPF_EXIT_INSN(),
	};
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(run_env(p, N(p), &env, &res, &err), 0);
	EQ(res.r0, 54321 + 6);
	ck_assert_int_eq(calls, 1);
	/* callx: the number in a register. */
	struct ebpf_insn x[] = { EBPF_MOV64_IMM(EBPF_REG_3, 2), EBPF_CALLX(EBPF_REG_3), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(x, N(x), &env, &res, &err), 0);
	EQ(res.r0, 7);
	/* Unknown: a NULL entry, past the table, no table. */
	static const int32_t unknown[] = { 0, 3, -1 };
	for (size_t i = 0; i < N(unknown); i++) {
		struct ebpf_insn u[] = { EBPF_CALL_HELPER(unknown[i]), EBPF_EXIT_INSN() };
		ck_assert_int_eq(run_env(u, N(u), &env, &res, &err), BPFCAP_E_INVALID);
		ck_assert_int_eq(res.fault, EBPF_FAULT_HELPER);
	}
	struct ebpf_insn u[] = { EBPF_CALL_HELPER(1), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(u, N(u), NULL, &res, &err), BPFCAP_E_INVALID);
	/* kfuncs are not supported. */
	struct ebpf_insn k[] = { EBPF_RAW_INSN(EBPF_OP_CALL, 0, EBPF_PSEUDO_KFUNC, 0, 1), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(k, N(k), &env, &res, &err), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
}
END_TEST

START_TEST(test_local_calls)
{
	/* main: r6 = 6; call f; r0 += r6; exit.  f: r6 = 100; stack use; r0 = r1 * 2. */
	struct ebpf_insn p[] = {
		EBPF_MOV64_IMM(EBPF_REG_6, 6),
		EBPF_MOV64_IMM(EBPF_REG_1, 20),
		EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -8, 1000),
		EBPF_CALL_LOCAL(4),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_6),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_1, EBPF_REG_10, -8),  /* caller's frame intact */
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_1),
		EBPF_EXIT_INSN(),
		/* f (8): */
		EBPF_MOV64_IMM(EBPF_REG_6, 100),
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_0, EBPF_REG_10, -8),  /* own frame: zero */
		EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -8, 5),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_1),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_1),
		EBPF_EXIT_INSN(),
	};
	EQ(r0_of(p, N(p)), 40 + 6 + 1000);
	/* Unbounded recursion hits the frame limit. */
	struct ebpf_insn r[] = { EBPF_CALL_LOCAL(-1), EBPF_EXIT_INSN() };
	struct ebpf_run_result res;
	ck_assert_int_eq(run_env(r, N(r), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_CALL_DEPTH);
	struct ebpf_insn o[] = { EBPF_CALL_LOCAL(5), EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(o, N(o), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_JUMP);
}
END_TEST

START_TEST(test_atomics)
{
	struct ebpf_insn p[] = {
		EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -8, 10),
		EBPF_MOV64_IMM(EBPF_REG_1, 5),
		EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD | EBPF_FETCH, EBPF_REG_10, EBPF_REG_1, -8),  /* r1 = 10, mem 15 */
		EBPF_MOV64_IMM(EBPF_REG_2, 3),
		EBPF_ATOMIC_OP(EBPF_DW, EBPF_OR, EBPF_REG_10, EBPF_REG_2, -8),              /* mem 15 */
		EBPF_MOV64_IMM(EBPF_REG_0, 15),
		EBPF_MOV64_IMM(EBPF_REG_3, 100),
		EBPF_ATOMIC_OP(EBPF_DW, EBPF_CMPXCHG, EBPF_REG_10, EBPF_REG_3, -8),         /* mem 100, r0 15 */
		EBPF_MOV64_IMM(EBPF_REG_4, 7),
		EBPF_ATOMIC_OP(EBPF_W, EBPF_XCHG, EBPF_REG_10, EBPF_REG_4, -8),             /* r4 = 100 */
		EBPF_LDX_MEM(EBPF_DW, EBPF_REG_5, EBPF_REG_10, -8),                         /* 7 */
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_1),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_4),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_5),
		EBPF_EXIT_INSN(),
	};
	EQ(r0_of(p, N(p)), 15 + 10 + 100 + 7);
	struct ebpf_run_result res;
	struct ebpf_insn bad[] = { EBPF_ATOMIC_OP(EBPF_H, EBPF_ADD, EBPF_REG_10, EBPF_REG_1, -8),
				   EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(bad, N(bad), NULL, &res, NULL), BPFCAP_E_INVALID);
	struct ebpf_insn oob[] = { EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD, EBPF_REG_10, EBPF_REG_1, 0),
				   EBPF_EXIT_INSN() };
	ck_assert_int_eq(run_env(oob, N(oob), NULL, &res, NULL), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_MEMORY);
}
END_TEST

START_TEST(test_header_layout)
{
	struct ebpf_insn in = EBPF_RAW_INSN(0xbf, 1, 2, -3, -4);
	uint8_t b[8];
	memcpy(b, &in, 8);
	ck_assert_uint_eq(b[0], 0xbf);
	ck_assert_uint_eq(b[1], 0x21);  /* dst low nibble, src high */
	ck_assert_uint_eq(b[2] | b[3] << 8, 0xfffd);
	ck_assert_uint_eq(b[4], 0xfc);
	struct ebpf_insn two[] = { EBPF_LD_IMM64(EBPF_REG_3, 0x1122334455667788) };
	ck_assert_uint_eq(two[0].code, 0x18);
	ck_assert_uint_eq((uint32_t)two[0].imm, 0x55667788);
	ck_assert_uint_eq(two[1].code, 0);
	ck_assert_uint_eq((uint32_t)two[1].imm, 0x11223344);
	ck_assert_uint_eq(EBPF_EXIT_INSN().code, 0x95);
	ck_assert_uint_eq(EBPF_CALL_HELPER(1).code, 0x85);
	ck_assert_uint_eq(EBPF_LD_ABS(EBPF_H, 0).code, 0x28);
	ck_assert_uint_eq(EBPF_LD_IND(EBPF_B, 1, 0).code, 0x50);
	ck_assert_uint_eq(EBPF_LDX_MEMSX(EBPF_W, 0, 1, 0).code, 0x81);
	ck_assert_uint_eq(EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD, 1, 2, 0).code, 0xdb);
	ck_assert_uint_eq(EBPF_BSWAP(0, 16).code, 0xd7);
	ck_assert_uint_eq(EBPF_ENDIAN(EBPF_TO_BE, 0, 16).code, 0xdc);
	ck_assert_uint_eq(EBPF_JMP32_IMM(EBPF_JSLE, 0, 0, 0).code, 0xd6);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("interp");
	TCase *tc = tcase_create("interp");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_alu64_arith);
	tcase_add_test(tc, test_alu32_arith);
	tcase_add_test(tc, test_neg_movsx);
	tcase_add_test(tc, test_byte_swaps);
	tcase_add_test(tc, test_jumps);
	tcase_add_test(tc, test_bad_programs);
	tcase_add_test(tc, test_memory_bounds);
	tcase_add_test(tc, test_stack);
	tcase_add_test(tc, test_ld_abs_ind);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_local_calls);
	tcase_add_test(tc, test_atomics);
	tcase_add_test(tc, test_header_layout);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
