/* Random safe eBPF programs (see ebpf_gen.h). */
#include <stdlib.h>
#include <string.h>

#include "cbpf.h" /* CBPF_SKF_NET_OFF, CBPF_SKF_LL_OFF */
#include "context.h"
#include "ebpf_gen.h"

_Static_assert(EGEN_DIRECT == (int)EBPF_TARGET_DIRECT && EGEN_SOCKET == (int)EBPF_TARGET_SOCKET,
	       "egen_target mirrors ebpf_target");
_Static_assert(EGEN_HELPER_PRANDOM == EBPF_HELPER_GET_PRANDOM_U32 &&
		       EGEN_HELPER_CPU == EBPF_HELPER_GET_SMP_PROCESSOR_ID,
	       "the helper numbers of context.h");
_Static_assert(sizeof(union egen_ctx) >= sizeof(struct ebpf_direct_ctx) &&
		       sizeof(union egen_ctx) >= sizeof(struct __sk_buff),
	       "egen_ctx holds both contexts");

uint64_t egen_rng_state;

uint64_t egen_rnd(void)
{
	/* xorshift64* (Vigna): deterministic from the printed seed. */
	egen_rng_state ^= egen_rng_state >> 12;
	egen_rng_state ^= egen_rng_state << 25;
	egen_rng_state ^= egen_rng_state >> 27;
	return egen_rng_state * UINT64_C(2685821657736338717);
}

uint32_t egen_below(uint32_t n)
{
	return (uint32_t)(egen_rnd() % n);
}

static int32_t rnd_imm(void)
{
	static const int32_t edge[] = { 0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 127, 128,
					255, 256, 0x7fff, 0x8000, 0xffff, 0x10000, INT32_MAX,
					INT32_MIN, INT32_MIN + 1, -2, -128, -32768 };
	switch (egen_below(4)) {
	case 0:
	case 1: return edge[egen_below(sizeof edge / sizeof edge[0])];
	case 2: return (int32_t)egen_below(300) - 20;
	default: return (int32_t)(uint32_t)egen_rnd();
	}
}

static uint64_t rnd_imm64(void)
{
	static const uint64_t edge[] = { 0, 1, UINT64_MAX, INT64_MIN, INT64_MAX, 0x80000000u,
					 0xffffffffu, UINT64_C(0x100000000), UINT64_C(0xffffffff80000000),
					 0x7fffffff, 0x8000, 0xff };
	switch (egen_below(4)) {
	case 0: return edge[egen_below(sizeof edge / sizeof edge[0])];
	case 1: return (uint64_t)(int64_t)rnd_imm();
	case 2: return egen_below(100);
	default: return egen_rnd();
	}
}

#define MAX_ITEM 24
#define MAX_ITEMS 80
/* The stack bytes the program initialises, then uses: [r10 - 64, r10). */
#define STACK_USED 64

struct item {
	struct ebpf_insn in[MAX_ITEM];
	int n;
	int jump_at;     /* in[jump_at] jumps to the start of item (this + 1 + skip), or -1 */
	int skip;
};

struct gen {
	enum egen_target fl;
	struct item items[MAX_ITEMS + 2];
	int nitems;
	uint8_t scalars[EBPF_NREGS];  /* registers holding numbers */
	int nscalars;
};

static int rnd_scalar(const struct gen *g)
{
	return g->scalars[egen_below((uint32_t)g->nscalars)];
}

static void add(struct item *it, struct ebpf_insn in)
{
	if (it->n >= MAX_ITEM)
		abort();
	it->in[it->n++] = in;
}

static void add_imm64(struct item *it, int dst, uint64_t v)
{
	struct ebpf_insn two[] = { EBPF_LD_IMM64(dst, v) };
	add(it, two[0]);
	add(it, two[1]);
}

/* A register gets a random number. */
static void set_random(struct item *it, int r)
{
	if (egen_below(2))
		add(it, EBPF_MOV64_IMM(r, rnd_imm()));
	else
		add_imm64(it, r, rnd_imm64());
}

/* After LD_ABS/LD_IND and calls r1-r5 are unreadable (kernel semantics):
 * write them again. */
static void reset_r1_r5(struct item *it)
{
	for (int r = EBPF_REG_1; r <= EBPF_REG_5; r++)
		add(it, EBPF_MOV64_IMM(r, rnd_imm()));
}

static void gen_alu(struct gen *g, struct item *it)
{
	static const uint8_t ops[] = { EBPF_ADD, EBPF_SUB, EBPF_MUL, EBPF_DIV, EBPF_OR, EBPF_AND,
				       EBPF_LSH, EBPF_RSH, EBPF_NEG, EBPF_MOD, EBPF_XOR, EBPF_MOV,
				       EBPF_ARSH };
	uint8_t cls = egen_below(2) ? EBPF_ALU64 : EBPF_ALU;
	uint8_t op = ops[egen_below(sizeof ops)];
	int dst = rnd_scalar(g), src = rnd_scalar(g);
	int16_t off = 0;
	if ((op == EBPF_DIV || op == EBPF_MOD) && egen_below(2))
		off = EBPF_OFF_SIGNED;
	if (op == EBPF_NEG) {
		add(it, EBPF_RAW_INSN(cls | op, dst, 0, 0, 0));
		return;
	}
	if (op == EBPF_MOV && egen_below(3) == 0) {
		static const int16_t sx[] = { 8, 16, 32 };
		off = sx[egen_below(cls == EBPF_ALU64 ? 3 : 2)];
		add(it, EBPF_RAW_INSN(cls | op | EBPF_X, dst, src, off, 0));
		return;
	}
	if (egen_below(2)) {
		add(it, EBPF_RAW_INSN(cls | op | EBPF_X, dst, src, off, 0));
		return;
	}
	/* The verifier refuses a constant shift outside the width and a
	 * constant divisor 0 (the register forms test both). */
	int32_t imm = rnd_imm();
	if (op == EBPF_LSH || op == EBPF_RSH || op == EBPF_ARSH)
		imm &= cls == EBPF_ALU64 ? 63 : 31;
	else if ((op == EBPF_DIV || op == EBPF_MOD) && imm == 0)
		imm = 1 + (int32_t)egen_below(9);
	add(it, EBPF_RAW_INSN(cls | op | EBPF_K, dst, 0, off, imm));
}

static void gen_end(struct gen *g, struct item *it)
{
	static const int32_t bits[] = { 16, 32, 64 };
	int dst = rnd_scalar(g);
	switch (egen_below(3)) {
	case 0: add(it, EBPF_ENDIAN(EBPF_TO_BE, dst, bits[egen_below(3)])); break;
	case 1: add(it, EBPF_ENDIAN(EBPF_TO_LE, dst, bits[egen_below(3)])); break;
	default: add(it, EBPF_BSWAP(dst, bits[egen_below(3)])); break;
	}
}

static void gen_jump(struct gen *g, struct item *it, int items_left)
{
	static const uint8_t ops[] = { EBPF_JEQ, EBPF_JNE, EBPF_JGT, EBPF_JGE, EBPF_JLT, EBPF_JLE,
				       EBPF_JSET, EBPF_JSGT, EBPF_JSGE, EBPF_JSLT, EBPF_JSLE, EBPF_JA };
	uint8_t cls = egen_below(2) ? EBPF_JMP : EBPF_JMP32;
	uint8_t op = ops[egen_below(sizeof ops)];
	it->skip = (int)egen_below((uint32_t)(items_left < 6 ? items_left : 6) + 1);
	if (op == EBPF_JA) {
		/* A diamond, so that nothing is unreachable (the verifier's
		 * rule): "if cond goto +1; ja SKIP": the items the ja skips are
		 * reached by the conditional.  (JMP32 JA, gotol, is refused by
		 * the verifier: test_jit and the conformance tests cover it.) */
		add(it, EBPF_RAW_INSN(EBPF_JMP | EBPF_JNE | EBPF_K, rnd_scalar(g), 0, 1, rnd_imm()));
		it->jump_at = it->n;
		add(it, EBPF_JMP_A(0));
		return;
	}
	it->jump_at = it->n;
	if (egen_below(2))
		add(it, EBPF_RAW_INSN(cls | op | EBPF_X, rnd_scalar(g), rnd_scalar(g), 0, 0));
	else
		add(it, EBPF_RAW_INSN(cls | op | EBPF_K, rnd_scalar(g), 0, 0, rnd_imm()));
}

/* A scalar other than r2-r4 (the bounds-check temporaries). */
static int rnd_load_dst(const struct gen *g)
{
	for (;;) {
		int r = rnd_scalar(g);
		if (r < EBPF_REG_2 || r > EBPF_REG_4)
			return r;
	}
}

static uint8_t rnd_size(void)
{
	static const uint8_t sz[] = { EBPF_B, EBPF_H, EBPF_W, EBPF_DW };
	return sz[egen_below(4)];
}

/* Stack: stores and loads inside the initialised [r10 - 64, r10), aligned. */
static void gen_stack(struct gen *g, struct item *it)
{
	uint8_t size = rnd_size();
	int bytes = (int)ebpf_size_bytes(size);
	int16_t off = (int16_t)-(bytes * (1 + (int)egen_below((uint32_t)(STACK_USED / bytes))));
	switch (egen_below(3)) {
	case 0: add(it, EBPF_STX_MEM(size, EBPF_REG_10, rnd_scalar(g), off)); break;
	case 1: add(it, EBPF_ST_MEM(size, EBPF_REG_10, off, rnd_imm())); break;
	default:
		if (size != EBPF_DW && egen_below(2))
			add(it, EBPF_LDX_MEMSX(size, rnd_scalar(g), EBPF_REG_10, off));
		else
			add(it, EBPF_LDX_MEM(size, rnd_scalar(g), EBPF_REG_10, off));
	}
}

/* Direct packet loads, the shapes of /tmp/direct_pattern.md. */
static void gen_direct_load(struct gen *g, struct item *it)
{
	uint8_t size = rnd_size();
	int bytes = (int)ebpf_size_bytes(size);
	int dst = rnd_load_dst(g);
	int sx = size != EBPF_DW && egen_below(4) == 0;
	if (egen_below(2)) {
		/* constant offset: r2 = r9; r2 += N; if r2 > r8 goto skip; load */
		int off = (int)egen_below(80);
		int n = off + bytes + (int)egen_below(4);
		add(it, EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9));
		add(it, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, n));
		if (egen_below(2))
			add(it, EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, EBPF_REG_8, 1));
		else
			add(it, EBPF_JMP_REG(EBPF_JLT, EBPF_REG_8, EBPF_REG_2, 1));
		add(it, sx ? EBPF_LDX_MEMSX(size, dst, EBPF_REG_9, (int16_t)off)
			   : EBPF_LDX_MEM(size, dst, EBPF_REG_9, (int16_t)off));
	} else {
		/* variable offset: r3 = (u32)X; w3 += k; r2 = r9 + r3; r4 = r2 + size;
		 * if r4 > r8 goto skip; load *(r2 + 0) */
		/* bounded, as the translator's are (the verifier refuses a
		 * packet pointer moved by up to 2^32) */
		add(it, EBPF_MOV32_REG(EBPF_REG_3, rnd_scalar(g)));
		add(it, EBPF_ALU32_IMM(EBPF_AND, EBPF_REG_3, egen_below(4) ? 0x7f : 0xffff));
		add(it, EBPF_ALU32_IMM(EBPF_ADD, EBPF_REG_3, (int32_t)egen_below(40)));
		add(it, EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_9));
		add(it, EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_3));
		add(it, EBPF_MOV64_REG(EBPF_REG_4, EBPF_REG_2));
		add(it, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_4, bytes));
		add(it, EBPF_JMP_REG(EBPF_JGT, EBPF_REG_4, EBPF_REG_8, 1));
		add(it, sx ? EBPF_LDX_MEMSX(size, dst, EBPF_REG_2, 0) : EBPF_LDX_MEM(size, dst, EBPF_REG_2, 0));
		add(it, EBPF_MOV64_IMM(EBPF_REG_4, rnd_imm()));
	}
	/* r2 held a packet pointer: make it a number again. */
	add(it, EBPF_MOV64_IMM(EBPF_REG_2, rnd_imm()));
}

static int32_t rnd_abs_off(void)
{
	switch (egen_below(6)) {
	case 0: return CBPF_SKF_NET_OFF + (int32_t)egen_below(40);
	case 1: return CBPF_SKF_LL_OFF + (int32_t)egen_below(40);
	case 2: return rnd_imm();
	case 3: return (int32_t)egen_below(200);
	default: return (int32_t)egen_below(60);
	}
}

static void gen_legacy_load(struct gen *g, struct item *it)
{
	static const uint8_t sz[] = { EBPF_B, EBPF_H, EBPF_W };
	uint8_t size = sz[egen_below(3)];
	if (egen_below(2)) {
		add(it, EBPF_LD_ABS(size, rnd_abs_off()));
	} else {
		int src = rnd_scalar(g);
		if (egen_below(2))
			add(it, EBPF_ALU64_IMM(EBPF_AND, src, 0xff));
		add(it, EBPF_LD_IND(size, src, egen_below(3) ? rnd_abs_off() : rnd_imm()));
	}
	reset_r1_r5(it);
}

static void gen_ctx_load(struct gen *g, struct item *it)
{
	int dst = rnd_load_dst(g);
	if (g->fl == EGEN_DIRECT) {
		static const int16_t offs[] = { EBPF_DCTX_OFF(wire_len), EBPF_DCTX_META_OFF(protocol),
						EBPF_DCTX_META_OFF(mark), EBPF_DCTX_META_OFF(net_off),
						EBPF_DCTX_META_OFF(vlan_tci), EBPF_DCTX_META_OFF(ifindex) };
		add(it, EBPF_LDX_MEM(EBPF_W, dst, EBPF_REG_6, offs[egen_below(sizeof offs / sizeof offs[0])]));
	} else {
		static const int16_t offs[] = { EBPF_SKB_OFF(len), EBPF_SKB_OFF(protocol),
						EBPF_SKB_OFF(mark), EBPF_SKB_OFF(pkt_type),
						EBPF_SKB_OFF(vlan_tci), EBPF_SKB_OFF(ifindex) };
		add(it, EBPF_LDX_MEM(EBPF_W, dst, EBPF_REG_6, offs[egen_below(sizeof offs / sizeof offs[0])]));
	}
}

static void gen_program(struct gen *g)
{
	memset(g, 0, sizeof *g);
	g->fl = egen_below(2) ? EGEN_DIRECT : EGEN_SOCKET;
	static const uint8_t direct_sc[] = { 0, 1, 2, 3, 4, 5, 7 };
	static const uint8_t socket_sc[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9 };
	if (g->fl == EGEN_DIRECT) {
		memcpy(g->scalars, direct_sc, sizeof direct_sc);
		g->nscalars = sizeof direct_sc;
	} else {
		memcpy(g->scalars, socket_sc, sizeof socket_sc);
		g->nscalars = sizeof socket_sc;
	}
	int nbody = 1 + (int)egen_below(MAX_ITEMS - 1);
	g->nitems = nbody + 2;
	for (int i = 0; i < g->nitems; i++)
		g->items[i].jump_at = -1;

	struct item *init = &g->items[0];
	add(init, EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1));
	if (g->fl == EGEN_DIRECT) {
		add(init, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_9, EBPF_REG_6, EBPF_DCTX_OFF(data)));
		add(init, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_8, EBPF_REG_6, EBPF_DCTX_OFF(data_end)));
	}
	for (int k = 0; k < g->nscalars; k++)
		set_random(init, g->scalars[k]);

	for (int i = 1; i <= nbody; i++) {
		struct item *it = &g->items[i];
		if (i == 1) {
			/* Initialise the stack area the body reads. */
			for (int s = 1; s <= STACK_USED / 8; s++)
				add(it, EBPF_ST_MEM(EBPF_DW, EBPF_REG_10, (int16_t)(-8 * s), rnd_imm()));
			continue;
		}
		switch (egen_below(20)) {
		case 0: case 1: case 2: case 3: case 4: case 5: gen_alu(g, it); break;
		case 6: gen_end(g, it); break;
		case 7: add_imm64(it, rnd_scalar(g), rnd_imm64()); break;
		case 8: case 9: case 10: gen_jump(g, it, nbody - i); break;
		case 11: case 12: gen_stack(g, it); break;
		case 13: case 14: case 15:
			if (g->fl == EGEN_DIRECT)
				gen_direct_load(g, it);
			else
				gen_legacy_load(g, it);
			break;
		case 16: gen_ctx_load(g, it); break;
		case 17:
			add(it, EBPF_CALL_HELPER(egen_below(2) ? EBPF_HELPER_GET_PRANDOM_U32
							   : EBPF_HELPER_GET_SMP_PROCESSOR_ID));
			reset_r1_r5(it);
			break;
		case 18:
			/* an early exit: if (cond) skip the exit */
			add(it, EBPF_RAW_INSN(EBPF_JMP | EBPF_JNE | EBPF_K, rnd_scalar(g), 0, 1, rnd_imm()));
			add(it, EBPF_EXIT_INSN());
			break;
		default: gen_alu(g, it); break;
		}
	}
	/* The end: fold every number and some stack into r0, exit. */
	struct item *fin = &g->items[nbody + 1];
	for (int k = 0; k < g->nscalars; k++)
		if (g->scalars[k] != EBPF_REG_0)
			add(fin, EBPF_ALU64_REG(EBPF_XOR, EBPF_REG_0, g->scalars[k]));
	add(fin, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_1, EBPF_REG_10, -8));
	add(fin, EBPF_ALU64_REG(EBPF_XOR, EBPF_REG_0, EBPF_REG_1));
	add(fin, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_1, EBPF_REG_10, -STACK_USED));
	add(fin, EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_0, EBPF_REG_1));
	add(fin, EBPF_EXIT_INSN());
}

/* Lays the items out; returns the instruction count. */
static size_t layout(struct gen *g, struct ebpf_insn *out)
{
	int start[MAX_ITEMS + 3];
	int pos = 0;
	for (int i = 0; i < g->nitems; i++) {
		start[i] = pos;
		pos += g->items[i].n;
	}
	start[g->nitems] = pos;
	for (int i = 0; i < g->nitems; i++) {
		struct item *it = &g->items[i];
		if (it->jump_at >= 0) {
			int target = i + 1 + it->skip;
			if (target > g->nitems - 1)
				target = g->nitems - 1;
			int rel = start[target] - (start[i] + it->jump_at + 1);
			struct ebpf_insn *j = &it->in[it->jump_at];
			if (j->code == (EBPF_JMP32 | EBPF_JA))
				j->imm = rel;
			else
				j->off = (int16_t)rel;
		}
		memcpy(out + start[i], it->in, (size_t)it->n * sizeof *out);
	}
	return (size_t)pos;
}

size_t egen_program(struct ebpf_insn out[EGEN_MAX_PROG], enum egen_target *target)
{
	static struct gen g;
	gen_program(&g);
	*target = g.fl;
	return layout(&g, out);
}

size_t egen_context(enum egen_target target, union egen_ctx *ctx, const uint8_t *pkt, size_t len,
		    size_t net_off)
{
	memset(ctx, 0, sizeof *ctx);
	struct bpfcap_pkt_meta meta = {
		.pkt_type = egen_below(5), .ifindex = egen_below(10), .protocol = 0x0800,
		.vlan_tci = egen_below(4096), .mark = (uint32_t)egen_rnd(), .net_off = (uint32_t)net_off,
	};
	if (target == EGEN_DIRECT) {
		struct ebpf_direct_ctx d = {
			.data = (uint64_t)(uintptr_t)pkt, .data_end = (uint64_t)(uintptr_t)(pkt + len),
			.wire_len = (uint32_t)len + egen_below(3), .meta = meta,
		};
		memcpy(ctx->bytes, &d, sizeof d);
		return sizeof d;
	}
	struct __sk_buff skb = { .len = (uint32_t)len, .protocol = 0x0008, .mark = meta.mark,
				       .pkt_type = meta.pkt_type, .vlan_tci = meta.vlan_tci,
				       .ifindex = meta.ifindex };
	memcpy(ctx->bytes, &skb, sizeof skb);
	return sizeof skb;
}
