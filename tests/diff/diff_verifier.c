/* diff_verifier: our verifier against the kernel's, on random programs.
 *
 * socket target: random but plausible socket filters (the shapes the
 * translator emits, and more), a third of them with one targeted mutation
 * (uninitialised reads, stack outside the frame or misaligned or unread,
 * forbidden context fields, LD_ABS with r6 clobbered, missing exits,
 * division by a constant 0, backward or out-of-range jumps, r10 written,
 * bad opcodes, random field damage, pointer leaks).  Each is loaded with
 * BPF_PROG_LOAD as a socket filter and checked by ebpf_verify; the 2x2
 * table of verdicts is tallied.  A failure is a program we accept and the
 * kernel rejects for a safety reason; the kernel's other reasons (its own
 * resource limits: see nonsafety[]) are counted and listed, not failed.
 * We may reject what the kernel accepts (we are stricter by design): the
 * count and the most common of our reasons are printed.
 *
 * direct target (no kernel equivalent): every random program our verifier
 * accepts must run in the interpreter, on random packets and metadata,
 * without a fault: the verifier's soundness as a property.
 *
 * VERIFY_FUZZ_SECONDS (default 60; 0: until Ctrl-C or a failure),
 * VERIFY_FUZZ_SEED (default: from the clock; printed).  Exit 0 only with no
 * failure, 77 when the kernel cannot load programs (needs root).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "ebpf.h"
#include "ebpf_dump.h"
#include "interp.h"
#include "kbpf.h"
#include "verify.h"

#define MAX_INSNS 96

/* ---- random numbers (xorshift64*) ------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/* Uniform in [0, n). */
static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static int chance(unsigned percent)
{
	return below(100) < percent;
}

/* ---- program builder -------------------------------------------------- */

struct gen {
	struct ebpf_insn insns[MAX_INSNS + 8];
	size_t len;
	int direct;
	uint16_t init;      /* registers the generator believes written (bit r) */
	uint64_t stack;     /* 8-byte stack slots written (bit i: r10 - 8 * (i + 1)) */
	size_t jumps[MAX_INSNS];
	size_t njumps;      /* jumps whose target is chosen at the end */
};

static void emit(struct gen *g, struct ebpf_insn in)
{
	if (g->len < MAX_INSNS + 8)
		g->insns[g->len++] = in;
}

static int room(const struct gen *g, size_t n)
{
	return g->len + n + 4 <= MAX_INSNS;
}

/* A register the generator believes readable (r0 if none). */
static int init_reg(struct gen *g)
{
	for (int tries = 0; tries < 16; tries++) {
		int r = (int)below(10);
		if (g->init & (1u << r))
			return r;
	}
	return EBPF_REG_0;
}

/* A register for scalar results: r0, r7 (A and X), r2-r5, r6 only when
 * no context is needed there... keep r6 for the context, r8/r9 on direct. */
static int scalar_dst(struct gen *g)
{
	static const int socket_regs[] = { 0, 0, 7, 7, 2, 3, 4, 5, 8, 9 };
	static const int direct_regs[] = { 0, 0, 7, 7, 2, 3, 4, 5 };
	if (g->direct)
		return direct_regs[below(sizeof direct_regs / sizeof direct_regs[0])];
	return socket_regs[below(sizeof socket_regs / sizeof socket_regs[0])];
}

static void clobber(struct gen *g)
{
	g->init &= (uint16_t)~0x3eu; /* r1-r5 */
	g->init |= 1u;               /* r0 */
}

static const uint8_t alu_ops[] = { EBPF_ADD, EBPF_SUB, EBPF_MUL, EBPF_DIV, EBPF_OR, EBPF_AND,
				   EBPF_LSH, EBPF_RSH, EBPF_MOD, EBPF_XOR, EBPF_MOV, EBPF_ARSH };
static const uint8_t jmp_ops[] = { EBPF_JEQ, EBPF_JGT, EBPF_JGE, EBPF_JSET, EBPF_JNE, EBPF_JSGT,
				   EBPF_JSGE, EBPF_JLT, EBPF_JLE, EBPF_JSLT, EBPF_JSLE };
static const uint8_t sizes[] = { EBPF_B, EBPF_H, EBPF_W, EBPF_DW };

static int32_t rnd_imm(void)
{
	switch (below(5)) {
	case 0: return (int32_t)below(16);
	case 1: return (int32_t)below(256);
	case 2: return (int32_t)below(65536);
	case 3: return -(int32_t)below(16) - 1;
	default: return (int32_t)(uint32_t)rnd();
	}
}

static void gen_alu(struct gen *g)
{
	uint8_t cls = chance(60) ? EBPF_ALU : EBPF_ALU64;
	uint8_t op = alu_ops[below(sizeof alu_ops)];
	int dst = scalar_dst(g);
	if (op != EBPF_MOV && !(g->init & (1u << dst)))
		emit(g, EBPF_MOV32_IMM(dst, rnd_imm())), g->init |= (uint16_t)(1u << dst);
	if (chance(50)) {
		int32_t imm = rnd_imm();
		int bits = cls == EBPF_ALU ? 32 : 64;
		if (op == EBPF_LSH || op == EBPF_RSH || op == EBPF_ARSH)
			imm = (int32_t)below((uint32_t)bits);
		if ((op == EBPF_DIV || op == EBPF_MOD) && imm == 0)
			imm = 3;
		int16_t off = (op == EBPF_DIV || op == EBPF_MOD) && chance(20) ? 1 : 0;
		emit(g, EBPF_RAW_INSN(cls | op | EBPF_K, dst, 0, off, imm));
	} else {
		int src = init_reg(g);
		if (src == EBPF_REG_1 || src == EBPF_REG_6 || src == EBPF_REG_8 || src == EBPF_REG_9)
			src = EBPF_REG_0; /* pointers: keep it plausible */
		int16_t off = 0;
		if (op == EBPF_MOV && chance(15))
			off = cls == EBPF_ALU64 && chance(30) ? 32 : chance(50) ? 8 : 16;
		if ((op == EBPF_DIV || op == EBPF_MOD) && chance(20))
			off = 1;
		emit(g, EBPF_RAW_INSN(cls | op | EBPF_X, dst, src, off, 0));
	}
	g->init |= (uint16_t)(1u << dst);
}

static void gen_misc_alu(struct gen *g)
{
	int dst = scalar_dst(g);
	if (!(g->init & (1u << dst)))
		emit(g, EBPF_MOV64_IMM(dst, rnd_imm())), g->init |= (uint16_t)(1u << dst);
	switch (below(4)) {
	case 0: emit(g, EBPF_ENDIAN(chance(50) ? EBPF_TO_BE : EBPF_TO_LE, dst, 16 << below(3))); break;
	case 1: emit(g, EBPF_BSWAP(dst, 16 << below(3))); break;
	case 2: emit(g, chance(50) ? EBPF_NEG32(dst) : EBPF_NEG64(dst)); break;
	default: {
		const struct ebpf_insn pair[] = { EBPF_LD_IMM64(dst, rnd()) };
		emit(g, pair[0]);
		emit(g, pair[1]);
		break;
	}
	}
}

/* __sk_buff offsets a socket filter reads (and a few it may not). */
static const int16_t skb_fields[] = {
	EBPF_SKB_OFF(len), EBPF_SKB_OFF(pkt_type), EBPF_SKB_OFF(mark), EBPF_SKB_OFF(queue_mapping),
	EBPF_SKB_OFF(protocol), EBPF_SKB_OFF(vlan_present), EBPF_SKB_OFF(vlan_tci),
	EBPF_SKB_OFF(vlan_proto), EBPF_SKB_OFF(priority), EBPF_SKB_OFF(ingress_ifindex),
	EBPF_SKB_OFF(ifindex), EBPF_SKB_OFF(tc_index), EBPF_SKB_OFF(cb[0]), EBPF_SKB_OFF(cb[4]),
	EBPF_SKB_OFF(hash), EBPF_SKB_OFF(napi_id), EBPF_SKB_OFF(gso_segs), EBPF_SKB_OFF(gso_size),
};
static const int16_t skb_forbidden[] = {
	EBPF_SKB_OFF(tc_classid), EBPF_SKB_OFF(data), EBPF_SKB_OFF(data_end), EBPF_SKB_OFF(family),
	EBPF_SKB_OFF(remote_ip4), EBPF_SKB_OFF(data_meta), EBPF_SKB_OFF(tstamp), EBPF_SKB_OFF(wire_len),
	EBPF_SKB_OFF(sk), EBPF_SKB_OFF(hwtstamp), EBPF_SKB_OFF(flow_keys),
};

static void gen_ctx_load(struct gen *g, int mutate)
{
	int ctx = g->init & (1u << 6) ? EBPF_REG_6 : EBPF_REG_1;
	int16_t off = skb_fields[below(sizeof skb_fields / sizeof skb_fields[0])];
	uint8_t size = EBPF_W;
	if (chance(20))
		size = chance(50) ? EBPF_H : EBPF_B, off = (int16_t)(off + (size == EBPF_H ? 2 * below(2) : below(4)));
	if (mutate) {
		switch (below(3)) {
		case 0: off = skb_forbidden[below(sizeof skb_forbidden / sizeof skb_forbidden[0])]; break;
		case 1: size = sizes[below(4)]; off = (int16_t)below(200); break;
		default: size = EBPF_DW; break;
		}
	}
	int dst = scalar_dst(g);
	emit(g, EBPF_LDX_MEM(size, dst, ctx, off));
	g->init |= (uint16_t)(1u << dst);
}

static void gen_ctx_store(struct gen *g, int mutate)
{
	int ctx = g->init & (1u << 6) ? EBPF_REG_6 : EBPF_REG_1;
	int src = init_reg(g);
	if (src == 1 || src == 6)
		src = 0;
	if (!(g->init & (1u << src)))
		return;
	int16_t off = (int16_t)(EBPF_SKB_OFF(cb[0]) + 4 * (int)below(5));
	uint8_t size = EBPF_W;
	if (mutate) {
		if (chance(50))
			off = skb_fields[below(sizeof skb_fields / sizeof skb_fields[0])];
		else
			size = EBPF_DW;
	}
	if (mutate && chance(30))
		emit(g, EBPF_ST_MEM(size, ctx, off, rnd_imm()));
	else
		emit(g, EBPF_STX_MEM(size, ctx, src, off));
}

static void gen_stack(struct gen *g, int mutate)
{
	unsigned slot = below(16);
	int16_t off = (int16_t)(-8 * (int)(slot + 1));
	uint8_t size = chance(50) ? EBPF_W : EBPF_DW;
	if (chance(55) || !g->stack) { /* store */
		int src = init_reg(g);
		if (mutate) {
			switch (below(3)) {
			case 0: off = (int16_t)(-512 - 8 * (int)below(4)); break;
			case 1: off = (int16_t)(off + 2); break;
			default: off = (int16_t)(8 * below(2)); break;
			}
		}
		if (chance(40) || src == 1 || src == 6 || src == 8 || src == 9 || src == 10)
			emit(g, EBPF_ST_MEM(size, EBPF_REG_10, off, rnd_imm()));
		else
			emit(g, EBPF_STX_MEM(size, EBPF_REG_10, src, off));
		if (!mutate && size == EBPF_DW)
			g->stack |= UINT64_C(1) << slot;
		return;
	}
	/* load from a written slot (or, mutated, an unwritten one) */
	for (int tries = 0; tries < 16 && !mutate; tries++) {
		if (g->stack & (UINT64_C(1) << slot))
			break;
		slot = below(16);
	}
	off = (int16_t)(-8 * (int)(slot + 1));
	if (mutate && chance(50))
		off = (int16_t)(off + 1 + below(3));
	int dst = scalar_dst(g);
	if (chance(15))
		emit(g, EBPF_LDX_MEMSX(chance(50) ? EBPF_H : EBPF_W, dst, EBPF_REG_10, off));
	else
		emit(g, EBPF_LDX_MEM(size, dst, EBPF_REG_10, off));
	g->init |= (uint16_t)(1u << dst);
}

static void gen_atomic(struct gen *g)
{
	unsigned slot;
	for (slot = 0; slot < 16; slot++)
		if (g->stack & (UINT64_C(1) << slot))
			break;
	if (slot == 16)
		return;
	static const int32_t ops[] = { EBPF_ADD, EBPF_OR, EBPF_AND, EBPF_XOR, EBPF_ADD | EBPF_FETCH,
				       EBPF_XOR | EBPF_FETCH, EBPF_XCHG, EBPF_CMPXCHG };
	int src = scalar_dst(g);
	if (!(g->init & (1u << src)))
		emit(g, EBPF_MOV64_IMM(src, 1)), g->init |= (uint16_t)(1u << src);
	if (!(g->init & 1u))
		emit(g, EBPF_MOV64_IMM(EBPF_REG_0, 1)), g->init |= 1u;
	emit(g, EBPF_ATOMIC_OP(chance(50) ? EBPF_W : EBPF_DW, ops[below(8)], EBPF_REG_10, src,
			       (int16_t)(-8 * (int)(slot + 1))));
}

static void gen_ld_pkt(struct gen *g)
{
	uint8_t size = sizes[below(3)];
	if (chance(60)) {
		emit(g, EBPF_LD_ABS(size, chance(90) ? (int32_t)below(64) : rnd_imm()));
	} else {
		int src = g->init & (1u << 7) ? EBPF_REG_7 : init_reg(g);
		if (src == 1 || src == 6 || src == 10 || (g->direct && (src == 8 || src == 9)))
			src = 0; /* a pointer as an offset: the kernel lets root do it, we do not */
		emit(g, EBPF_LD_IND(size, src, (int32_t)below(64)));
	}
	clobber(g);
}

static void gen_call(struct gen *g, int mutate)
{
	int32_t id = chance(50) ? EBPF_HELPER_GET_PRANDOM_U32 : EBPF_HELPER_GET_SMP_PROCESSOR_ID;
	if (mutate)
		id = (int32_t)below(40);
	emit(g, EBPF_CALL_HELPER(id));
	clobber(g);
}

/* A conditional jump whose target is chosen when the program is done. */
static void gen_jump(struct gen *g)
{
	uint8_t cls = chance(50) ? EBPF_JMP32 : EBPF_JMP;
	uint8_t op = jmp_ops[below(sizeof jmp_ops)];
	int dst = init_reg(g);
	if (dst == 1 || dst == 6 || dst == 10 || dst == 8 || dst == 9)
		dst = 0;
	if (!(g->init & (1u << dst)))
		emit(g, EBPF_MOV32_IMM(dst, rnd_imm())), g->init |= (uint16_t)(1u << dst);
	if (g->njumps < MAX_INSNS)
		g->jumps[g->njumps++] = g->len;
	if (chance(60)) {
		emit(g, EBPF_RAW_INSN(cls | op | EBPF_K, dst, 0, 0, rnd_imm()));
	} else {
		int src = init_reg(g);
		if (src == 1 || src == 6 || src == 10 || src == 8 || src == 9)
			src = 0;
		emit(g, EBPF_RAW_INSN(cls | op | EBPF_X, dst, src, 0, 0));
	}
}

/* Targets for the pending jumps: forward, on an instruction start. */
static void place_jumps(struct gen *g)
{
	for (size_t j = 0; j < g->njumps; j++) {
		size_t pc = g->jumps[j];
		if (pc + 1 >= g->len)
			continue;
		size_t t = pc + 1 + below((uint32_t)(g->len - pc - 1));
		while (t > pc + 1 && t < g->len && t > 0 && g->insns[t - 1].code == EBPF_OP_LD_IMM64)
			t--;
		g->insns[pc].off = (int16_t)(t - pc - 1);
	}
}

/* ---- mutations that are not about one statement ------------------------ */

enum mutation {
	MUT_NONE = 0,
	MUT_UNINIT_READ, MUT_STACK, MUT_CTX_LOAD, MUT_CTX_STORE, MUT_CLOBBER_R6, MUT_NO_EXIT,
	MUT_DIV_ZERO, MUT_BACKWARD, MUT_OUT_OF_RANGE, MUT_WRITE_R10, MUT_BAD_OPCODE, MUT_FIELDS,
	MUT_POINTER, MUT_HELPER, MUT_R0_UNSET,
	MUT_COUNT,
};

static void mutate_after(struct gen *g, enum mutation m)
{
	if (g->len == 0)
		return;
	size_t at = below((uint32_t)g->len);
	struct ebpf_insn *in = &g->insns[at];
	switch (m) {
	case MUT_NO_EXIT:
		g->len--; /* drop the final exit */
		break;
	case MUT_DIV_ZERO:
		g->insns[g->len - 2] = EBPF_RAW_INSN((chance(50) ? EBPF_ALU : EBPF_ALU64) |
						     (chance(50) ? EBPF_DIV : EBPF_MOD), 0, 0,
						     chance(20) ? 1 : 0, 0);
		break;
	case MUT_BACKWARD:
		if (at + 1 < g->len && at > 0)
			*in = EBPF_JMP_IMM(EBPF_JEQ, 0, 0, -(int16_t)below((uint32_t)at + 2));
		break;
	case MUT_OUT_OF_RANGE:
		if (at + 1 < g->len)
			*in = EBPF_JMP_A((int16_t)(g->len - at + below(4)));
		break;
	case MUT_BAD_OPCODE:
		if (at == 0 || g->insns[at - 1].code != EBPF_OP_LD_IMM64)
			in->code = (uint8_t)rnd();
		break;
	case MUT_FIELDS:
		if (at == 0 || g->insns[at - 1].code != EBPF_OP_LD_IMM64) {
			switch (below(4)) {
			case 0: in->src = (uint8_t)(below(16) & 0xf); break;
			case 1: in->dst = (uint8_t)(below(16) & 0xf); break;
			case 2: in->off = (int16_t)rnd_imm(); break;
			default: in->imm = rnd_imm(); break;
			}
		}
		break;
	default:
		break;
	}
}

/* One statement of the body, possibly the mutated one. */
static void gen_statement(struct gen *g, int mutate_here, enum mutation m)
{
	if (mutate_here) {
		switch (m) {
		case MUT_UNINIT_READ: {
			int r = 2 + (int)below(4);
			if (g->init & (1u << r))
				r = g->direct ? 5 : 8 + (int)below(2);
			emit(g, EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, r));
			return;
		}
		case MUT_STACK: gen_stack(g, 1); return;
		case MUT_CTX_LOAD: gen_ctx_load(g, 1); return;
		case MUT_CTX_STORE: gen_ctx_store(g, 1); return;
		case MUT_CLOBBER_R6:
			emit(g, chance(50) ? EBPF_MOV64_IMM(EBPF_REG_6, 0)
					   : EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_6, 4));
			emit(g, EBPF_LD_ABS(EBPF_B, 0));
			clobber(g);
			return;
		case MUT_WRITE_R10: emit(g, EBPF_MOV64_IMM(EBPF_REG_10, 0)); return;
		case MUT_POINTER:
			switch (below(4)) {
			case 0: emit(g, EBPF_MOV64_REG(EBPF_REG_0, EBPF_REG_10)); break;
			case 1: emit(g, EBPF_STX_MEM(EBPF_DW, EBPF_REG_10, EBPF_REG_1, -8)); break;
			case 2:
				emit(g, EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_10));
				emit(g, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, -(int32_t)below(600)));
				emit(g, EBPF_ST_MEM(EBPF_W, EBPF_REG_2, 0, 1));
				break;
			default:
				emit(g, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_1, 4 * (int32_t)below(4)));
				emit(g, EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_1, 0));
				break;
			}
			return;
		case MUT_HELPER: gen_call(g, 1); return;
		default: break;
		}
	}
	switch (below(g->direct ? 8 : 10)) {
	case 0: case 1: gen_alu(g); break;
	case 2: gen_misc_alu(g); break;
	case 3: gen_stack(g, 0); break;
	case 4: gen_jump(g); break;
	case 5: gen_call(g, 0); break;
	case 6: gen_atomic(g); break;
	case 7: if (!g->direct) gen_ctx_load(g, 0); else gen_alu(g); break;
	case 8: gen_ld_pkt(g); break;
	default: gen_ctx_store(g, 0); break;
	}
}

static void gen_epilogue(struct gen *g, enum mutation m)
{
	if (m != MUT_R0_UNSET)
		emit(g, EBPF_MOV32_IMM(EBPF_REG_0, chance(50) ? 0 : 262144));
	else
		g->init &= (uint16_t)~1u;
	emit(g, EBPF_EXIT_INSN());
}

static enum mutation pick_mutation(void)
{
	return chance(35) ? (enum mutation)(1 + below(MUT_COUNT - 1)) : MUT_NONE;
}

static void gen_socket(struct gen *g, enum mutation *mut)
{
	memset(g, 0, sizeof *g);
	g->init = (1u << 1) | (1u << 10);
	enum mutation m = pick_mutation();
	*mut = m;
	if (m != MUT_CLOBBER_R6 || chance(50))
		emit(g, EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1)), g->init |= 1u << 6;
	unsigned n = 3 + below(30);
	unsigned where = below(n);
	for (unsigned i = 0; i < n && room(g, 6); i++)
		gen_statement(g, i == where && m != MUT_NONE, m);
	gen_epilogue(g, m);
	place_jumps(g);
	mutate_after(g, m);
}

/* ---- direct programs ----------------------------------------------------- */

/* The translator's packet shapes, with random sizes, offsets and checks,
 * some of them wrong on purpose (offsets past the check, loads before
 * it, checks of a different pointer). */
static void gen_direct_packet(struct gen *g, size_t *reject_jumps, size_t *nrej)
{
	unsigned size = 1u << below(3);
	uint8_t sz = size == 1 ? EBPF_B : size == 2 ? EBPF_H : EBPF_W;
	if (chance(55)) {
		unsigned n = 1 + below(64);
		emit(g, EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9));
		emit(g, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, (int32_t)n));
		reject_jumps[(*nrej)++] = g->len;
		switch (below(4)) {
		case 0: emit(g, EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, EBPF_REG_8, 0)); break;
		case 1: emit(g, EBPF_JMP_REG(EBPF_JLT, EBPF_REG_8, EBPF_REG_2, 0)); break;
		case 2: emit(g, EBPF_JMP_REG(EBPF_JGE, EBPF_REG_2, EBPF_REG_8, 0)); break;
		default: emit(g, EBPF_JMP_REG(EBPF_JLE, EBPF_REG_8, EBPF_REG_2, 0)); break;
		}
		int copy = chance(25); /* a second copy of data: the same id, the same proof */
		if (copy)
			emit(g, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_5, EBPF_REG_6, EBPF_DCTX_OFF(data)));
		unsigned loads = 1 + below(3);
		for (unsigned i = 0; i < loads; i++) {
			int off = (int)below(n + 2) - (chance(5) ? 2 : 0);
			switch (below(5)) {
			case 0: /* through the checked pointer, backwards from its end */
				emit(g, EBPF_LDX_MEM(sz, EBPF_REG_0, EBPF_REG_2, (int16_t)(off - (int)n)));
				break;
			case 1:
				emit(g, EBPF_LDX_MEM(sz, EBPF_REG_0, copy ? EBPF_REG_5 : EBPF_REG_9,
						     (int16_t)off));
				break;
			default:
				emit(g, EBPF_LDX_MEM(sz, EBPF_REG_0, EBPF_REG_9, (int16_t)off));
				break;
			}
		}
	} else {
		/* variable offset from a scalar (X, or the metadata's net_off) */
		if (chance(50) && (g->init & (1u << 7)))
			emit(g, EBPF_MOV32_REG(EBPF_REG_3, EBPF_REG_7));
		else
			emit(g, EBPF_LDX_MEM(EBPF_W, EBPF_REG_3, EBPF_REG_6, EBPF_DCTX_META_OFF(net_off)));
		if (chance(70))
			emit(g, EBPF_ALU32_IMM(EBPF_ADD, EBPF_REG_3, (int32_t)below(40)));
		else
			emit(g, EBPF_ALU64_IMM(EBPF_AND, EBPF_REG_3, 0x3f));
		emit(g, EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9));
		emit(g, EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_3));
		emit(g, EBPF_MOV64_REG(EBPF_REG_4, EBPF_REG_2));
		emit(g, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_4, (int32_t)(size + (chance(10) ? 0 : 0))));
		reject_jumps[(*nrej)++] = g->len;
		emit(g, EBPF_JMP_REG(EBPF_JGT, EBPF_REG_4, EBPF_REG_8, 0));
		int off = chance(90) ? 0 : (int)below(3) - 1;
		emit(g, EBPF_LDX_MEM(sz, EBPF_REG_0, chance(95) ? EBPF_REG_2 : EBPF_REG_9, (int16_t)off));
	}
	g->init |= (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4);
}

static void gen_direct(struct gen *g)
{
	static const int16_t meta_fields[] = {
		EBPF_DCTX_OFF(wire_len), EBPF_DCTX_META_OFF(pkt_type), EBPF_DCTX_META_OFF(ifindex),
		EBPF_DCTX_META_OFF(protocol), EBPF_DCTX_META_OFF(vlan_tci), EBPF_DCTX_META_OFF(mark),
		EBPF_DCTX_META_OFF(hash), EBPF_DCTX_META_OFF(net_off),
	};
	size_t rejects[MAX_INSNS];
	size_t nrej = 0;

	memset(g, 0, sizeof *g);
	g->direct = 1;
	g->init = (1u << 1) | (1u << 10) | (1u << 6) | (1u << 8) | (1u << 9);
	emit(g, EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1));
	emit(g, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_9, EBPF_REG_6, EBPF_DCTX_OFF(data)));
	emit(g, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_8, EBPF_REG_6, EBPF_DCTX_OFF(data_end)));
	unsigned n = 2 + below(14);
	for (unsigned i = 0; i < n && room(g, 12); i++) {
		switch (below(6)) {
		case 0: case 1: case 2: gen_direct_packet(g, rejects, &nrej); break;
		case 3:
			emit(g, EBPF_LDX_MEM(EBPF_W, EBPF_REG_7, EBPF_REG_6,
					     meta_fields[below(sizeof meta_fields / sizeof meta_fields[0])]));
			g->init |= 1u << 7;
			break;
		default: gen_statement(g, 0, MUT_NONE); break;
		}
		/* calls and LD_ABS-free statements may clobber r1-r5; the
		 * direct prologue's registers are r6, r8 and r9. */
	}
	emit(g, EBPF_MOV32_IMM(EBPF_REG_0, 262144));
	emit(g, EBPF_EXIT_INSN());
	size_t reject_at = g->len;
	emit(g, EBPF_MOV32_IMM(EBPF_REG_0, 0));
	emit(g, EBPF_EXIT_INSN());
	place_jumps(g);
	for (size_t i = 0; i < nrej; i++)
		g->insns[rejects[i]].off = (int16_t)(reject_at - rejects[i] - 1);
}

/* ---- the kernel's reasons ------------------------------------------------ */

/* Kernel rejections that are not about safety: its own resource limits.
 * A program we accept and the kernel refuses for one of these is counted
 * apart, not failed.  (None of our generator's programs comes close to
 * them; they are listed so that a future generator cannot hide a real
 * disagreement behind them.) */
static const struct {
	int err;            /* -errno of BPF_PROG_LOAD, 0: any */
	const char *log;    /* substring of the verifier log */
	const char *why;
} nonsafety[] = {
	{ -E2BIG, NULL, "program or verifier state too large (complexity limit)" },
	{ -ENOMEM, NULL, "kernel out of memory" },
	{ 0, "BPF program is too large", "complexity limit (1M processed instructions)" },
};

static const char *nonsafety_reason(int kerr, const char *log)
{
	for (size_t i = 0; i < sizeof nonsafety / sizeof nonsafety[0]; i++)
		if ((nonsafety[i].err == 0 || nonsafety[i].err == kerr) &&
		    (!nonsafety[i].log || strstr(log, nonsafety[i].log)))
			return nonsafety[i].why;
	return NULL;
}

/* The last non-empty line of the kernel's log (its verdict). */
static void last_line(const char *log, char *out, size_t outsz)
{
	const char *end = log + strlen(log);
	while (end > log && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > log && start[-1] != '\n')
		start--;
	/* skip "processed N insns..." trailers */
	if (strncmp(start, "processed ", 10) == 0 && start > log) {
		end = start - 1;
		while (end > log && end[-1] == '\n')
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
	}
	size_t n = (size_t)(end - start) < outsz - 1 ? (size_t)(end - start) : outsz - 1;
	memcpy(out, start, n);
	out[n] = 0;
}

/* ---- our reasons, tallied --------------------------------------------------- */

#define MAX_REASONS 256
struct reason {
	char text[96];
	unsigned long count;
};
static struct reason reasons[MAX_REASONS];
static size_t nreasons;

/* The reason of one of our messages, without the instruction and with
 * numbers folded to N, for grouping. */
static void tally_reason(const char *msg)
{
	const char *p = strstr(msg, ": ");
	if (p && strncmp(msg, "insn ", 5) == 0)
		p = strstr(p + 2, ": ");
	p = p ? p + 2 : msg;
	char key[96];
	size_t k = 0;
	for (; *p && k + 2 < sizeof key && *p != '('; p++) {
		if (*p >= '0' && *p <= '9') {
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			key[k++] = 'N';
		} else {
			key[k++] = *p;
		}
	}
	while (k > 0 && key[k - 1] == ' ')
		k--;
	key[k] = 0;
	for (size_t i = 0; i < nreasons; i++)
		if (strcmp(reasons[i].text, key) == 0) {
			reasons[i].count++;
			return;
		}
	if (nreasons < MAX_REASONS) {
		snprintf(reasons[nreasons].text, sizeof reasons[nreasons].text, "%s", key);
		reasons[nreasons++].count = 1;
	}
}

static int by_count(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

/* ---- running direct programs -------------------------------------------------- */

static uint64_t helper_random(void *user, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
			      uint64_t e)
{
	(void)user, (void)a, (void)b, (void)c, (void)d, (void)e;
	return (uint32_t)rnd();
}

static uint64_t helper_cpu(void *user, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	(void)user, (void)a, (void)b, (void)c, (void)d, (void)e;
	return 1;
}

/* Runs prog on a random packet; 0 if it ended without a fault. */
static int run_direct(const struct ebpf_insn *prog, size_t len, struct ebpf_run_result *res,
		      struct bpfcap_error *err, size_t *caplen_out)
{
	static uint8_t pkt[256];
	static const ebpf_helper_fn helpers[9] = {
		[EBPF_HELPER_GET_PRANDOM_U32] = helper_random,
		[EBPF_HELPER_GET_SMP_PROCESSOR_ID] = helper_cpu,
	};
	size_t caplen = chance(10) ? 0 : below(chance(50) ? 40 : 120);
	for (size_t i = 0; i < caplen; i++)
		pkt[i] = (uint8_t)rnd();
	struct ebpf_direct_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.data = (uint64_t)(uintptr_t)pkt;
	ctx.data_end = ctx.data + caplen;
	ctx.wire_len = (uint32_t)(caplen + below(100));
	ctx.meta.net_off = chance(80) ? 14 : (uint32_t)rnd();
	ctx.meta.protocol = (uint32_t)rnd();
	ctx.meta.vlan_tci = (uint32_t)rnd();
	ctx.meta.ifindex = below(8);
	struct ebpf_region regions[2] = {
		{ .base = &ctx, .len = sizeof ctx, .writable = 0 },
		{ .base = pkt, .len = caplen, .writable = 0 },
	};
	struct ebpf_run_env env = {
		.r1 = (uint64_t)(uintptr_t)&ctx,
		.regions = regions,
		.nregions = 2,
		.helpers = helpers,
		.nhelpers = 9,
	};
	*caplen_out = caplen;
	return ebpf_run(prog, len, &env, res, err);
}

/* ---- main -------------------------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void print_program(const char *title, const struct ebpf_insn *prog, size_t len)
{
	static char buf[MAX_INSNS * 96];
	ebpf_dump(prog, len, 0, buf, sizeof buf);
	printf("%s (%zu insns):\n%s", title, len, buf);
}

int main(void)
{
	const char *s = getenv("VERIFY_FUZZ_SECONDS");
	double seconds = s ? atof(s) : 60.0;
	s = getenv("VERIFY_FUZZ_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	rng_state = seed ? seed : 1;
	printf("diff_verifier: seed %llu (VERIFY_FUZZ_SEED), budget %s%.0f s\n",
	       (unsigned long long)seed, seconds > 0 ? "" : "unbounded ", seconds);

	char why[256];
	if (!kbpf_available(why, sizeof why)) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	signal(SIGINT, on_sigint);

	static char log[1 << 16];
	unsigned long both_accept = 0, both_reject = 0, we_reject = 0, we_accept = 0;
	unsigned long failures = 0, socket_failures = 0, direct_faults = 0, nonsafety_count[sizeof nonsafety / sizeof nonsafety[0]] = { 0 };
	unsigned long mutated = 0, direct_progs = 0, direct_ok = 0, direct_runs = 0;
	double t0 = now();
	struct gen g;

	while (!interrupted && failures == 0 && (seconds <= 0 || now() - t0 < seconds)) {
		/* socket: us against the kernel */
		enum mutation m;
		gen_socket(&g, &m);
		mutated += m != MUT_NONE;
		struct bpfcap_error err = { 0 };
		int ours = ebpf_verify(g.insns, g.len, EBPF_TARGET_SOCKET, &err);
		int fd = kbpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, g.insns, g.len, NULL, 0);
		if (fd >= 0)
			close(fd);
		if (ours == 0 && fd >= 0) {
			both_accept++;
		} else if (ours != 0 && fd < 0) {
			both_reject++;
		} else if (ours != 0) {
			we_reject++;
			tally_reason(err.msg);
		} else {
			int kerr = kbpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, g.insns, g.len, log,
						  sizeof log);
			if (kerr >= 0) { /* accepted the second time: count as agreement */
				close(kerr);
				both_accept++;
				continue;
			}
			we_accept++;
			const char *ns = nonsafety_reason(kerr, log);
			if (ns) {
				for (size_t i = 0; i < sizeof nonsafety / sizeof nonsafety[0]; i++)
					if (nonsafety[i].why == ns)
						nonsafety_count[i]++;
				continue;
			}
			char line[256];
			last_line(log, line, sizeof line);
			printf("FAIL: we accept a program the kernel rejects for a safety reason\n"
			       "  ours: accepted\n  kernel: %s: %s\n", strerror(-kerr), line);
			print_program("program", g.insns, g.len);
			failures++;
			socket_failures++;
		}

		/* direct: accepted programs never fault */
		gen_direct(&g);
		direct_progs++;
		err.msg[0] = 0;
		if (ebpf_verify(g.insns, g.len, EBPF_TARGET_DIRECT, &err) != 0)
			continue;
		direct_ok++;
		for (int run = 0; run < 4; run++) {
			struct ebpf_run_result res;
			size_t caplen;
			direct_runs++;
			if (run_direct(g.insns, g.len, &res, &err, &caplen) != 0) {
				printf("FAIL: a direct program our verifier accepts faults in the interpreter\n"
				       "  ours: accepted\n  interpreter: %s fault at insn %zu (caplen %zu): %s\n",
				       ebpf_fault_name(res.fault), res.pc, caplen, err.msg);
				print_program("program", g.insns, g.len);
				failures++;
				direct_faults++;
				break;
			}
		}
	}

	double dt = now() - t0;
	unsigned long socket_progs = both_accept + both_reject + we_reject + we_accept;
	printf("socket: %lu programs (%lu mutated) in %.1f s; both accept %lu, both reject %lu, "
	       "we reject / kernel accepts %lu, we accept / kernel rejects %lu (%lu for a safety "
	       "reason)\n",
	       socket_progs, mutated, dt, both_accept, both_reject, we_reject, we_accept,
	       socket_failures);
	for (size_t i = 0; i < sizeof nonsafety / sizeof nonsafety[0]; i++)
		printf("  kernel rejection not counted as a failure: %-55s %lu\n", nonsafety[i].why,
		       nonsafety_count[i]);
	qsort(reasons, nreasons, sizeof reasons[0], by_count);
	printf("  our reasons where the kernel accepts (top %zu of %zu):\n",
	       nreasons < 12 ? nreasons : 12, nreasons);
	for (size_t i = 0; i < nreasons && i < 12; i++)
		printf("    %7lu  %s\n", reasons[i].count, reasons[i].text);
	printf("direct: %lu programs, %lu accepted by our verifier, %lu interpreter runs, %lu "
	       "faults\n", direct_progs, direct_ok, direct_runs, direct_faults);
	printf("%lu passed, %lu failed\n", socket_progs + direct_progs - failures, failures);
	return failures ? 1 : 0;
}
