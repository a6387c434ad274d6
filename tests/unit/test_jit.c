/* test_jit: the x86-64 JIT instruction class by instruction class against
 * the interpreter (every register pair where x86 has fixed registers: div
 * in rdx:rax, shift counts in cl), the layout (short and near jumps),
 * refusals, W^X memory (/proc/self/maps while a program is live), and
 * --dump=jit's text against objdump of the same bytes. */
#include <check.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbpf.h" /* CBPF_SKF_NET_OFF, CBPF_SKF_LL_OFF */
#include "ebpf.h"
#include "ebpf_gen.h"
#include "interp.h"
#include "jit.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t helper_mix(void *user, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			   uint64_t r5)
{
	return (uint64_t)(uintptr_t)user * 1000003 + r1 * 3 + r2 * 5 + r3 * 7 + r4 * 11 + r5 * 13;
}

/* 1 for the tests here, 7 and 8 for ebpf_gen's programs. */
static ebpf_helper_fn helpers[EGEN_NHELPERS] = { [1] = helper_mix,
						 [EGEN_HELPER_PRANDOM] = helper_mix,
						 [EGEN_HELPER_CPU] = helper_mix };
static const struct ebpf_jit_opts opts = { helpers, EGEN_NHELPERS, (void *)(uintptr_t)42 };

struct pkt {
	const uint8_t *bytes;
	size_t len, net_off;
};

/* r0 from the interpreter and the JIT (r1 = ctx = the packet); both must
 * agree; returns it. */
static uint64_t same(const struct ebpf_insn *prog, size_t len, const struct pkt *p)
{
	static const struct pkt none;
	if (!p)
		p = &none;
	struct ebpf_region region = { (void *)p->bytes, p->len, 0 };
	struct ebpf_run_env env = {
		.r1 = (uint64_t)(uintptr_t)p->bytes, .r2 = p->len,
		.regions = &region, .nregions = p->bytes ? 1 : 0,
		.pkt = p->bytes, .pkt_len = p->len, .net_off = p->net_off,
		.helpers = helpers, .nhelpers = EGEN_NHELPERS, .helper_user = opts.helper_user,
	};
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };
	ck_assert_msg(ebpf_run(prog, len, &env, &res, &err) == 0, "interpreter: %s", err.msg);
	struct ebpf_jit_prog *jp;
	ck_assert_msg(ebpf_jit_compile(prog, len, &opts, &jp, &err) == 0, "jit: %s", err.msg);
	uint64_t r0 = ebpf_jit_entry(jp)((uint64_t)(uintptr_t)p->bytes, p->bytes, p->len, p->net_off);
	ebpf_jit_free(jp);
	ck_assert_msg(r0 == res.r0, "insn 0 code 0x%02x...: interpreter 0x%" PRIx64 ", JIT 0x%" PRIx64,
		      prog[0].code, res.r0, r0);
	return r0;
}

static const uint64_t edge[] = { 0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff,
				 0x7fffffff,
				 0x80000000, 0xffffffff, UINT64_C(0x100000000), INT64_MAX,
				 (uint64_t)INT64_MIN, UINT64_MAX, UINT64_MAX - 1,
				 UINT64_C(0xffffffff80000000), UINT64_C(0x123456789abcdef0) };

static const uint8_t alu_ops[] = { EBPF_ADD, EBPF_SUB, EBPF_MUL, EBPF_DIV, EBPF_OR, EBPF_AND,
				   EBPF_LSH, EBPF_RSH, EBPF_MOD, EBPF_XOR, EBPF_MOV, EBPF_ARSH };

/* dst = a OP b for every edge pair, register and immediate forms. */
static void alu_edges(uint8_t cls, int16_t off, const uint8_t *ops, size_t nops)
{
	for (size_t o = 0; o < nops; o++)
		for (size_t i = 0; i < N(edge); i++)
			for (size_t k = 0; k < N(edge); k++) {
				struct ebpf_insn reg[] = {
					EBPF_LD_IMM64(EBPF_REG_0, edge[i]),
					EBPF_LD_IMM64(EBPF_REG_7, edge[k]),
					EBPF_RAW_INSN(cls | ops[o] | EBPF_X, EBPF_REG_0, EBPF_REG_7, off, 0),
					EBPF_EXIT_INSN(),
				};
				same(reg, N(reg), NULL);
				struct ebpf_insn imm[] = {
					EBPF_LD_IMM64(EBPF_REG_0, edge[i]),
					EBPF_RAW_INSN(cls | ops[o] | EBPF_K, EBPF_REG_0, 0, off,
						      (int32_t)(uint32_t)edge[k]),
					EBPF_EXIT_INSN(),
				};
				same(imm, N(imm), NULL);
			}
}

START_TEST(test_alu64)
{
	alu_edges(EBPF_ALU64, 0, alu_ops, N(alu_ops));
}
END_TEST

START_TEST(test_alu32)
{
	alu_edges(EBPF_ALU, 0, alu_ops, N(alu_ops));
}
END_TEST

START_TEST(test_signed_divmod)
{
	static const uint8_t ops[] = { EBPF_DIV, EBPF_MOD };
	alu_edges(EBPF_ALU64, EBPF_OFF_SIGNED, ops, 2);
	alu_edges(EBPF_ALU, EBPF_OFF_SIGNED, ops, 2);
	/* The ISA's answers, not only agreement (RFC 9669 §4.1). */
	struct ebpf_insn p[] = {
		EBPF_LD_IMM64(EBPF_REG_0, (uint64_t)INT64_MIN),
		EBPF_ALU64_IMM_OFF(EBPF_DIV, EBPF_REG_0, -1, EBPF_OFF_SIGNED),
		EBPF_EXIT_INSN(),
	};
	ck_assert_uint_eq(same(p, N(p), NULL), (uint64_t)INT64_MIN);
	struct ebpf_insn q[] = {
		EBPF_MOV64_IMM(EBPF_REG_0, 7),
		EBPF_MOV64_IMM(EBPF_REG_1, 0),
		EBPF_ALU64_REG(EBPF_MOD, EBPF_REG_0, EBPF_REG_1),
		EBPF_EXIT_INSN(),
	};
	ck_assert_uint_eq(same(q, N(q), NULL), 7);
}
END_TEST

START_TEST(test_neg_movsx_end)
{
	for (size_t i = 0; i < N(edge); i++) {
		for (int cls = 0; cls < 2; cls++) {
			uint8_t c = cls ? EBPF_ALU64 : EBPF_ALU;
			struct ebpf_insn neg[] = {
				EBPF_LD_IMM64(EBPF_REG_3, edge[i]),
				EBPF_RAW_INSN(c | EBPF_NEG, EBPF_REG_3, 0, 0, 0),
				EBPF_MOV64_REG(EBPF_REG_0, EBPF_REG_3),
				EBPF_EXIT_INSN(),
			};
			same(neg, N(neg), NULL);
			static const int16_t sx[] = { 8, 16, 32 };
			for (int s = 0; s < (cls ? 3 : 2); s++) {
				struct ebpf_insn m[] = {
					EBPF_LD_IMM64(EBPF_REG_6, edge[i]),
					EBPF_LD_IMM64(EBPF_REG_0, UINT64_MAX),
					EBPF_RAW_INSN(c | EBPF_MOV | EBPF_X, EBPF_REG_0, EBPF_REG_6, sx[s], 0),
					EBPF_EXIT_INSN(),
				};
				same(m, N(m), NULL);
			}
		}
		static const int32_t bits[] = { 16, 32, 64 };
		for (int b = 0; b < 3; b++) {
			struct ebpf_insn forms[3] = { EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_4, bits[b]),
						      EBPF_ENDIAN(EBPF_TO_LE, EBPF_REG_4, bits[b]),
						      EBPF_BSWAP(EBPF_REG_4, bits[b]) };
			for (int f = 0; f < 3; f++) {
				struct ebpf_insn p[] = {
					EBPF_LD_IMM64(EBPF_REG_4, edge[i]),
					forms[f],
					EBPF_MOV64_REG(EBPF_REG_0, EBPF_REG_4),
					EBPF_EXIT_INSN(),
				};
				same(p, N(p), NULL);
			}
		}
	}
	struct ebpf_insn be[] = {
		EBPF_LD_IMM64(EBPF_REG_0, UINT64_C(0xdead000000001234)),
		EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 16),
		EBPF_EXIT_INSN(),
	};
	ck_assert_uint_eq(same(be, N(be), NULL), 0x3412);
}
END_TEST

/* Every (dst, src) pair for the operations x86 ties to rax, rdx, rcx:
 * the JIT must save and restore around them whatever the mapping. */
START_TEST(test_fixed_register_pairs)
{
	static const uint8_t ops[] = { EBPF_DIV, EBPF_MOD, EBPF_LSH, EBPF_RSH, EBPF_ARSH, EBPF_MUL };
	for (size_t o = 0; o < N(ops); o++)
		for (int cls = 0; cls < 2; cls++)
			for (int sgn = 0; sgn < 2; sgn++)
				for (int d = 0; d < 10; d++)
					for (int s = 0; s < 10; s++) {
						if (sgn && ops[o] != EBPF_DIV && ops[o] != EBPF_MOD)
							continue;
						struct ebpf_insn p[40];
						size_t n = 0;
						/* distinct values in every register */
						for (int r = 0; r < 10; r++) {
							struct ebpf_insn two[] = { EBPF_LD_IMM64(
								r, UINT64_C(0x8765432100000000) * (uint64_t)(r + 1) +
									   (uint64_t)(r * 13 + 3)) };
							p[n++] = two[0];
							p[n++] = two[1];
						}
						p[n++] = EBPF_RAW_INSN((cls ? EBPF_ALU64 : EBPF_ALU) | ops[o] | EBPF_X, d,
								       s, sgn, 0);
						/* r0 = a fold of all registers */
						for (int r = 1; r < 10; r++)
							p[n++] = EBPF_ALU64_REG(EBPF_XOR, EBPF_REG_0, r);
						p[n++] = EBPF_EXIT_INSN();
						same(p, n, NULL);
					}
}
END_TEST

START_TEST(test_jumps)
{
	static const uint8_t ops[] = { EBPF_JEQ, EBPF_JNE, EBPF_JGT, EBPF_JGE, EBPF_JLT, EBPF_JLE,
				       EBPF_JSET, EBPF_JSGT, EBPF_JSGE, EBPF_JSLT, EBPF_JSLE };
	for (int cls = 0; cls < 2; cls++)
		for (size_t o = 0; o < N(ops); o++)
			for (size_t i = 0; i < N(edge); i++)
				for (size_t k = 0; k < N(edge); k++) {
					uint8_t c = cls ? EBPF_JMP : EBPF_JMP32;
					struct ebpf_insn reg[] = {
						EBPF_LD_IMM64(EBPF_REG_1, edge[i]),
						EBPF_LD_IMM64(EBPF_REG_2, edge[k]),
						EBPF_MOV64_IMM(EBPF_REG_0, 1),
						EBPF_RAW_INSN(c | ops[o] | EBPF_X, EBPF_REG_1, EBPF_REG_2, 1, 0),
						EBPF_MOV64_IMM(EBPF_REG_0, 2),
						EBPF_EXIT_INSN(),
					};
					same(reg, N(reg), NULL);
					struct ebpf_insn imm[] = {
						EBPF_LD_IMM64(EBPF_REG_1, edge[i]),
						EBPF_MOV64_IMM(EBPF_REG_0, 1),
						EBPF_RAW_INSN(c | ops[o] | EBPF_K, EBPF_REG_1, 0, 1,
							      (int32_t)(uint32_t)edge[k]),
						EBPF_MOV64_IMM(EBPF_REG_0, 2),
						EBPF_EXIT_INSN(),
					};
					same(imm, N(imm), NULL);
				}
}
END_TEST

/* A jump over more than 127 bytes takes the near form, a short one the
 * short form; both land right, forwards and (for the interpreter's sake
 * of completeness) backwards in a bounded loop. */
START_TEST(test_layout_short_and_near)
{
	struct ebpf_insn p[200];
	size_t n = 0;
	p[n++] = EBPF_MOV64_IMM(EBPF_REG_0, 0);
	p[n++] = EBPF_MOV64_IMM(EBPF_REG_1, 10);
	size_t loop = n;
	p[n++] = EBPF_JMP_IMM(EBPF_JEQ, EBPF_REG_1, 0, 0); /* patched: to the end */
	for (int i = 0; i < 60; i++)                        /* about 300 bytes */
		p[n++] = EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_0, 100000 + i);
	p[n++] = EBPF_ALU64_IMM(EBPF_SUB, EBPF_REG_1, 1);
	p[n] = EBPF_JMP_A((int16_t)(loop - n - 1)); /* back, near */
	n++;
	p[loop].off = (int16_t)(n - loop - 1);
	p[n++] = EBPF_JMP_IMM(EBPF_JGT, EBPF_REG_0, 5, 1); /* short */
	p[n++] = EBPF_MOV64_IMM(EBPF_REG_0, 0);
	p[n++] = EBPF_EXIT_INSN();
	uint64_t r = same(p, n, NULL);
	ck_assert_uint_eq(r, 10 * (60 * 100000 + 59 * 60 / 2));
	/* The dump shows both forms. */
	struct ebpf_jit_prog *jp;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_jit_compile(p, n, &opts, &jp, &err), 0);
	size_t need = ebpf_jit_dump(jp, p, n, NULL, 0);
	char *buf = malloc(need + 1);
	ebpf_jit_dump(jp, p, n, buf, need + 1);
	ck_assert_msg(strstr(buf, "0f 84 "), "a near je: %s", buf); /* the loop's exit test */
	ck_assert_msg(strstr(buf, "\n") && strstr(buf, "77 "), "a short ja");
	ck_assert_msg(strstr(buf, "e9 "), "a near jmp");
	free(buf);
	ebpf_jit_free(jp);
}
END_TEST

START_TEST(test_memory)
{
	uint8_t data[64];
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)(0x80 + i * 7);
	struct pkt pk = { data, sizeof data, 0 };
	static const uint8_t sizes[] = { EBPF_B, EBPF_H, EBPF_W, EBPF_DW };
	for (int s = 0; s < 4; s++)
		for (int sx = 0; sx < 2; sx++) {
			if (sx && sizes[s] == EBPF_DW)
				continue;
			/* ctx loads at several offsets, from r1 and from r4 (rcx) */
			for (int16_t off = 0; off <= 56; off += 8) {
				struct ebpf_insn p[] = {
					EBPF_MOV64_REG(EBPF_REG_4, EBPF_REG_1),
					sx ? EBPF_LDX_MEMSX(sizes[s], EBPF_REG_0, EBPF_REG_4, off)
					   : EBPF_LDX_MEM(sizes[s], EBPF_REG_0, EBPF_REG_4, off),
					EBPF_EXIT_INSN(),
				};
				same(p, N(p), &pk);
			}
			/* stack: store (reg and imm), load back, at every aligned slot */
			int bytes = (int)ebpf_size_bytes(sizes[s]);
			for (int16_t off = (int16_t)-bytes; off >= -EBPF_STACK_SIZE; off = (int16_t)(off - 40 * bytes)) {
				for (int r = 0; r <= 9; r++) {
					struct ebpf_insn p[] = {
						EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, (int16_t)(off & ~7), 0x5a5a5a5a),
						EBPF_LD_IMM64(r, UINT64_C(0xf1e2d3c4b5a69788)),
						EBPF_STX_MEM(sizes[s], EBPF_REG_10, r, off),
						sx ? EBPF_LDX_MEMSX(sizes[s], EBPF_REG_0, EBPF_REG_10, off)
						   : EBPF_LDX_MEM(sizes[s], EBPF_REG_0, EBPF_REG_10, off),
						EBPF_EXIT_INSN(),
					};
					same(p, N(p), NULL);
				}
				struct ebpf_insn q[] = {
					EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, (int16_t)(off & ~7), 0),
					EBPF_ST_MEM(sizes[s], EBPF_REG_10, off, -3),
					EBPF_LDX_MEM(EBPF_DW, EBPF_REG_0, EBPF_REG_10, (int16_t)(off & ~7)),
					EBPF_EXIT_INSN(),
				};
				same(q, N(q), NULL);
			}
		}
}
END_TEST

/* LD_ABS/LD_IND: in bounds, at the edge, past it, negative offsets
 * relative to the network and link-layer headers, wrapping offsets. */
START_TEST(test_legacy_loads)
{
	uint8_t data[40];
	for (int i = 0; i < 40; i++)
		data[i] = (uint8_t)(i * 11 + 1);
	static const int32_t ks[] = { 0, 1, 2, 3, 30, 36, 37, 38, 39, 40, 41, 1000, INT32_MAX,
				      INT32_MAX - 1, INT32_MIN, -1, CBPF_SKF_NET_OFF, CBPF_SKF_NET_OFF + 5,
				      CBPF_SKF_NET_OFF + 30, CBPF_SKF_NET_OFF - 1,
				      CBPF_SKF_LL_OFF, CBPF_SKF_LL_OFF + 3, CBPF_SKF_LL_OFF + 39,
				      CBPF_SKF_LL_OFF - 1 };
	static const uint64_t xs[] = { 0, 1, 4, 36, 39, 0xffffffff, UINT64_C(0x100000002),
				       (uint64_t)(uint32_t)-8, 0x80000000 };
	static const uint8_t sizes[] = { EBPF_B, EBPF_H, EBPF_W };
	for (size_t lenc = 0; lenc < 3; lenc++) {
		struct pkt pk = { data, lenc == 0 ? 40 : lenc == 1 ? 3 : 0, lenc == 0 ? 14 : 1 };
		for (int s = 0; s < 3; s++)
			for (size_t k = 0; k < N(ks); k++) {
				struct ebpf_insn a[] = {
					EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
					EBPF_MOV64_IMM(EBPF_REG_0, 77),
					EBPF_LD_ABS(sizes[s], ks[k]),
					EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_0, 1000),
					EBPF_EXIT_INSN(),
				};
				same(a, N(a), &pk);
				for (size_t x = 0; x < N(xs); x++) {
					struct ebpf_insn b[] = {
						EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
						EBPF_LD_IMM64(EBPF_REG_7, xs[x]),
						EBPF_LD_IND(sizes[s], EBPF_REG_7, ks[k]),
						EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_0, 1000),
						EBPF_EXIT_INSN(),
					};
					same(b, N(b), &pk);
				}
			}
	}
	struct pkt pk = { data, 40, 14 };
	struct ebpf_insn h[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LD_ABS(EBPF_H, 2),
		EBPF_EXIT_INSN(),
	};
	ck_assert_uint_eq(same(h, N(h), &pk), (uint64_t)data[2] << 8 | data[3]);
}
END_TEST

START_TEST(test_call)
{
	for (int pre = 0; pre < 2; pre++) {
		struct ebpf_insn p[] = {
			EBPF_MOV64_IMM(EBPF_REG_1, 1), EBPF_MOV64_IMM(EBPF_REG_2, 20),
			EBPF_MOV64_IMM(EBPF_REG_3, 300), EBPF_MOV64_IMM(EBPF_REG_4, 4000),
			EBPF_MOV64_IMM(EBPF_REG_5, 50000), EBPF_MOV64_IMM(EBPF_REG_6, 6),
			EBPF_MOV64_IMM(EBPF_REG_7, 7), EBPF_MOV64_IMM(EBPF_REG_8, 8),
			EBPF_MOV64_IMM(EBPF_REG_9, 9),
			pre ? EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -8, 99) : EBPF_MOV64_IMM(EBPF_REG_0, 0),
			EBPF_CALL_HELPER(1),
			/* callee-saved registers survive the call */
			EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_6),
			EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_7),
			EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_8),
			EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_9),
			EBPF_EXIT_INSN(),
		};
		ck_assert_uint_eq(same(p, N(p), NULL),
				  42 * 1000003 + 3 + 100 + 2100 + 44000 + 650000 + 30);
	}
}
END_TEST

static void expect_refused(const struct ebpf_insn *p, size_t n, int code, const char *what)
{
	struct ebpf_jit_prog *jp = NULL;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_jit_compile(p, n, &opts, &jp, &err), code);
	ck_assert_ptr_null(jp);
	ck_assert_msg(strstr(err.msg, what) && strstr(err.msg, "insn "), "message: %s", err.msg);
}

START_TEST(test_refusals)
{
	struct ebpf_insn atomic[] = {
		EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, -8, 0),
		EBPF_MOV64_IMM(EBPF_REG_1, 1),
		EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD, EBPF_REG_10, EBPF_REG_1, -8),
		EBPF_MOV64_IMM(EBPF_REG_0, 0),
		EBPF_EXIT_INSN(),
	};
	expect_refused(atomic, N(atomic), BPFCAP_E_UNSUPPORTED, "atomic");
	struct ebpf_insn local[] = {
		EBPF_CALL_LOCAL(1), EBPF_EXIT_INSN(), EBPF_MOV64_IMM(EBPF_REG_0, 0), EBPF_EXIT_INSN(),
	};
	expect_refused(local, N(local), BPFCAP_E_UNSUPPORTED, "local");
	struct ebpf_insn callx[] = {
		EBPF_MOV64_IMM(EBPF_REG_2, 1), EBPF_CALLX(EBPF_REG_2), EBPF_EXIT_INSN(),
	};
	expect_refused(callx, N(callx), BPFCAP_E_UNSUPPORTED, "callx");
	struct ebpf_insn map[] = {
		EBPF_LD_IMM64_RAW(EBPF_REG_1, EBPF_PSEUDO_MAP_FD, 3),
		EBPF_MOV64_IMM(EBPF_REG_0, 0),
		EBPF_EXIT_INSN(),
	};
	expect_refused(map, N(map), BPFCAP_E_UNSUPPORTED, "LD_IMM64");
	struct ebpf_insn unknown[] = { EBPF_CALL_HELPER(5), EBPF_EXIT_INSN() }; /* NULL slot */
	expect_refused(unknown, N(unknown), BPFCAP_E_INVALID, "helper 5");
	struct ebpf_insn out[] = { EBPF_JMP_A(5), EBPF_EXIT_INSN() };
	expect_refused(out, N(out), BPFCAP_E_INVALID, "outside");
}
END_TEST

/* ---- W^X ---------------------------------------------------------------------- */

/* The permissions of the mapping holding addr ("r-xp"), or "" if none;
 * fails the test if any mapping is writable and executable. */
static void maps_check(uintptr_t addr, char perms[8])
{
	FILE *f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	char line[512];
	perms[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char p[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) != 3)
			continue;
		ck_assert_msg(!(p[1] == 'w' && p[2] == 'x'), "writable and executable: %s", line);
		if (addr >= lo && addr < hi)
			snprintf(perms, 8, "%s", p);
	}
	fclose(f);
}

START_TEST(test_wx)
{
	struct ebpf_insn p[] = { EBPF_MOV64_IMM(EBPF_REG_0, 5), EBPF_EXIT_INSN() };
	struct ebpf_jit_prog *jp;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_jit_compile(p, N(p), &opts, &jp, &err), 0);
	ebpf_jit_fn fn = ebpf_jit_entry(jp);
	ck_assert_uint_eq(fn(0, NULL, 0, 0), 5);
	char perms[8];
	maps_check((uintptr_t)fn, perms);
	ck_assert_str_eq(perms, "r-xp");
	ebpf_jit_free(jp);
	maps_check((uintptr_t)fn, perms);
	ck_assert_msg(strcmp(perms, "r-xp") != 0, "the code page is still mapped r-x after free");
}
END_TEST

/* ---- --dump=jit against objdump ------------------------------------------------------ */

/* "mov    rax,QWORD PTR [rdi+0x8]" with runs of blanks as one. */
static void squeeze(char *s)
{
	char *w = s;
	int blank = 0;
	for (char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n') {
			blank = 1;
			continue;
		}
		if (blank && w != s)
			*w++ = ' ';
		blank = 0;
		*w++ = *r;
	}
	*w = '\0';
}

static void dump_vs_objdump(const struct ebpf_insn *prog, size_t len)
{
	struct ebpf_jit_prog *jp;
	struct bpfcap_error err = { 0 };
	ck_assert_msg(ebpf_jit_compile(prog, len, &opts, &jp, &err) == 0, "%s", err.msg);
	size_t need = ebpf_jit_dump(jp, prog, len, NULL, 0);
	char *dump = malloc(need + 1);
	ck_assert_uint_eq(ebpf_jit_dump(jp, prog, len, dump, need + 1), need);
	ck_assert_msg(!strstr(dump, "does not match"), "%s", dump);

	/* The bytes, from the dump's own hex, into a file for objdump. */
	char bin[] = "/tmp/test_jit_XXXXXX";
	int fd = mkstemp(bin);
	ck_assert_int_ge(fd, 0);
	FILE *bf = fdopen(fd, "wb");
	size_t nrec = 0;
	for (char *line = strtok(dump, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == ';')
			continue;
		char *colon = strchr(line, ':');
		ck_assert_ptr_nonnull(colon);
		for (char *q = colon + 1;;) {
			char *end;
			while (*q == ' ')
				q++;
			if (!(q[0] && q[1] && q[2] == ' '))
				break;
			unsigned long b = strtoul(q, &end, 16);
			if (end != q + 2)
				break;
			fputc((int)b, bf);
			q = end;
		}
		nrec++;
	}
	fclose(bf);
	/* strtok cut the dump: take it again for the comparison. */
	ebpf_jit_dump(jp, prog, len, dump, need + 1);
	char *cmd = NULL;
	ck_assert_int_gt(asprintf(&cmd, "objdump -D -b binary -mi386:x86-64 -M intel %s", bin), 0);
	FILE *od = popen(cmd, "r");
	ck_assert_ptr_nonnull(od);
	char line[512];
	char *cur = dump;
	size_t compared = 0;
	while (fgets(line, sizeof line, od)) {
		/* "   4:\t48 89 fb             \tmov    rbx,rdi" */
		char *t1 = strchr(line, '\t');
		char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		unsigned long off;
		if (!t2 || sscanf(line, " %lx:", &off) != 1)
			continue;
		char theirs[256];
		snprintf(theirs, sizeof theirs, "%s", t2 + 1);
		squeeze(theirs);
		/* our next record line */
		char ours[256] = "";
		unsigned long ooff = ~0ul;
		while (*cur) {
			char *nl = strchr(cur, '\n');
			size_t l = nl ? (size_t)(nl - cur) : strlen(cur);
			char rec[256];
			snprintf(rec, sizeof rec, "%.*s", (int)l, cur);
			cur += l + (nl ? 1 : 0);
			if (rec[0] == ';')
				continue;
			ooff = strtoul(rec, NULL, 16);
			/* the text starts after the hex bytes */
			char *q = strchr(rec, ':') + 1;
			while (*q == ' ' || (q[0] && q[1] && q[2] == ' ' && isxdigit((unsigned char)q[0]) &&
					     isxdigit((unsigned char)q[1]) && (q[-1] == ' ')))
				q += *q == ' ' ? 1 : 3;
			snprintf(ours, sizeof ours, "%s", q);
			squeeze(ours);
			break;
		}
		ck_assert_msg(ooff == off, "objdump has an instruction at 0x%lx, the dump at 0x%lx", off, ooff);
		ck_assert_msg(!strcmp(ours, theirs), "at 0x%lx: dump '%s', objdump '%s'", off, ours, theirs);
		compared++;
	}
	pclose(od);
	ck_assert_uint_eq(compared, nrec);
	unlink(bin);
	free(cmd);
	free(dump);
	ebpf_jit_free(jp);
}

START_TEST(test_dump_matches_objdump)
{
	if (system("objdump --version > /dev/null 2>&1") != 0)
		ck_abort_msg("objdump (binutils) is needed");
	/* Random programs touch every emitter form (see ebpf_gen.h). */
	egen_rng_state = 0x5eed;
	static struct ebpf_insn prog[EGEN_MAX_PROG];
	for (int i = 0; i < 40; i++) {
		enum egen_target t;
		size_t len = egen_program(prog, &t);
		dump_vs_objdump(prog, len);
	}
	struct ebpf_insn call[] = {
		EBPF_MOV64_IMM(EBPF_REG_1, 1), EBPF_CALL_HELPER(1), EBPF_EXIT_INSN(),
	};
	dump_vs_objdump(call, N(call));
}
END_TEST

START_TEST(test_dump_groups_by_insn)
{
	struct ebpf_insn p[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LD_ABS(EBPF_H, 12),
		EBPF_EXIT_INSN(),
	};
	struct ebpf_jit_prog *jp;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_jit_compile(p, N(p), &opts, &jp, &err), 0);
	char buf[4096];
	size_t n = ebpf_jit_dump(jp, p, N(p), buf, sizeof buf);
	ck_assert_uint_lt(n, sizeof buf);
	ck_assert_msg(strstr(buf, "; prologue\n"), "%s", buf);
	char *i0 = strstr(buf, "; 0: (bf) r6 = r1"), *i1 = strstr(buf, "; 1: (28) "),
	     *i2 = strstr(buf, "; 2: (95) exit");
	ck_assert_msg(i0 && i1 && i2 && i0 < i1 && i1 < i2, "%s", buf);
	ck_assert_msg(strstr(i0, "mov rbx,rdi") < i1, "%s", buf);
	ck_assert_msg(strstr(i1, "ror ax,0x8") && strstr(i1, "ror ax,0x8") < i2, "%s", buf);
	ck_assert_msg(strstr(i2, "ret"), "%s", buf);
	ebpf_jit_free(jp);
}
END_TEST

static Suite *jit_suite(void)
{
	Suite *s = suite_create("jit");
	TCase *tc = tcase_create("jit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_alu64);
	tcase_add_test(tc, test_alu32);
	tcase_add_test(tc, test_signed_divmod);
	tcase_add_test(tc, test_neg_movsx_end);
	tcase_add_test(tc, test_fixed_register_pairs);
	tcase_add_test(tc, test_jumps);
	tcase_add_test(tc, test_layout_short_and_near);
	tcase_add_test(tc, test_memory);
	tcase_add_test(tc, test_legacy_loads);
	tcase_add_test(tc, test_call);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_wx);
	tcase_add_test(tc, test_dump_matches_objdump);
	tcase_add_test(tc, test_dump_groups_by_insn);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(jit_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
