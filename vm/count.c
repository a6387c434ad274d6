/* Counting programs (see count.h for the two shapes). */
#include <stdlib.h>
#include <string.h>

#include "count.h"
#include "error.h"

#define CNT_OFF(field) ((int16_t)offsetof(struct bpfcap_counts, field))

_Static_assert(sizeof(struct bpfcap_counts) == 32, "four u64 counters");

struct ebpf_map_desc ebpf_count_map_desc(int32_t fd, uint32_t type)
{
	return (struct ebpf_map_desc){ .fd = fd, .type = type, .key_size = EBPF_COUNT_KEY_SIZE,
				       .value_size = EBPF_COUNT_VALUE_SIZE,
				       .max_entries = EBPF_COUNT_MAX_ENTRIES };
}

struct out {
	struct ebpf_insn *code;
	size_t n, cap;
	int nomem;
};

static void emit(struct out *o, struct ebpf_insn in)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 256;
		struct ebpf_insn *p = realloc(o->code, cap * sizeof *p);
		if (!p) {
			o->nomem = 1;
			return;
		}
		o->code = p;
		o->cap = cap;
	}
	o->code[o->n++] = in;
}

/* *(u64 *)(val + off) += src (a register) or 1 (src < 0).  Plain load, add,
 * store: each CPU owns its slot of a per-CPU array (DESIGN: an atomic add
 * costs a locked instruction for nothing). */
static void add_to(struct out *o, int val, int16_t off, int src)
{
	emit(o, EBPF_LDX_MEM(EBPF_DW, EBPF_REG_2, val, off));
	if (src < 0)
		emit(o, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, 1));
	else
		emit(o, EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, src));
	emit(o, EBPF_STX_MEM(EBPF_DW, val, EBPF_REG_2, off));
}

/* r0 = lookup(map, &key 0) (clobbers r1-r5). */
static void lookup(struct out *o, int32_t map_ref)
{
	struct ebpf_insn ld[2] = { EBPF_LD_MAP_FD(EBPF_REG_1, map_ref) };
	emit(o, EBPF_ST_MEM(EBPF_W, EBPF_REG_FP, EBPF_COUNT_KEY_OFF, 0));
	emit(o, ld[0]);
	emit(o, ld[1]);
	emit(o, EBPF_MOV64_REG(EBPF_REG_2, EBPF_REG_FP));
	emit(o, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, EBPF_COUNT_KEY_OFF));
	emit(o, EBPF_CALL_HELPER(EBPF_HELPER_MAP_LOOKUP_ELEM));
}

/* Points the jump at o->code[at] to the instruction about to be emitted. */
static void land_here(struct out *o, size_t at)
{
	if (!o->nomem)
		o->code[at].off = (int16_t)(o->n - at - 1);
}

static int16_t len_off(enum ebpf_target t)
{
	return t == EBPF_TARGET_SOCKET ? EBPF_SKB_OFF(len) : EBPF_DCTX_OFF(wire_len);
}

/* Socket COUNT_STATS: look up once, r9 = the value, count seen, restore
 * r1 = the context for the filter's own prologue. */
static void stats_prologue(struct out *o, int32_t map_ref)
{
	emit(o, EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1));
	lookup(o, map_ref);
	emit(o, EBPF_JMP_IMM(EBPF_JNE, EBPF_REG_0, 0, 2));
	emit(o, EBPF_MOV32_IMM(EBPF_REG_0, 0)); /* cannot happen: key 0 exists */
	emit(o, EBPF_EXIT_INSN());
	emit(o, EBPF_MOV64_REG(EBPF_REG_9, EBPF_REG_0));
	emit(o, EBPF_LDX_MEM(EBPF_W, EBPF_REG_1, EBPF_REG_6, len_off(EBPF_TARGET_SOCKET)));
	add_to(o, EBPF_REG_9, CNT_OFF(seen_packets), -1);
	add_to(o, EBPF_REG_9, CNT_OFF(seen_bytes), EBPF_REG_1);
	emit(o, EBPF_MOV64_REG(EBPF_REG_1, EBPF_REG_6));
}

/* Socket COUNT_STATS after the filter: r0 = verdict, r9 = the value. */
static void stats_epilogue_r9(struct out *o)
{
	size_t skip = o->n;
	emit(o, EBPF_JMP32_IMM(EBPF_JEQ, EBPF_REG_0, 0, 0));
	emit(o, EBPF_LDX_MEM(EBPF_W, EBPF_REG_1, EBPF_REG_6, len_off(EBPF_TARGET_SOCKET)));
	add_to(o, EBPF_REG_9, CNT_OFF(matched_packets), -1);
	add_to(o, EBPF_REG_9, CNT_OFF(matched_bytes), EBPF_REG_1);
	land_here(o, skip);
	emit(o, EBPF_EXIT_INSN());
}

/* The epilogue shape: r0 = verdict, r6 = the context. */
static void lookup_epilogue(struct out *o, enum ebpf_target t, enum ebpf_count_mode mode,
			    int32_t map_ref)
{
	size_t jumps[3];
	size_t nj = 0;
	if (mode == EBPF_COUNT_ONLY) {
		jumps[nj++] = o->n;
		emit(o, EBPF_JMP32_IMM(EBPF_JEQ, EBPF_REG_0, 0, 0));
	}
	emit(o, EBPF_MOV64_REG(EBPF_REG_7, EBPF_REG_0));
	emit(o, EBPF_LDX_MEM(EBPF_W, EBPF_REG_8, EBPF_REG_6, len_off(t)));
	lookup(o, map_ref);
	jumps[nj++] = o->n;
	emit(o, EBPF_JMP_IMM(EBPF_JEQ, EBPF_REG_0, 0, 0));
	if (mode == EBPF_COUNT_STATS) {
		add_to(o, EBPF_REG_0, CNT_OFF(seen_packets), -1);
		add_to(o, EBPF_REG_0, CNT_OFF(seen_bytes), EBPF_REG_8);
		jumps[nj++] = o->n;
		emit(o, EBPF_JMP32_IMM(EBPF_JEQ, EBPF_REG_7, 0, 0));
	}
	add_to(o, EBPF_REG_0, CNT_OFF(matched_packets), -1);
	add_to(o, EBPF_REG_0, CNT_OFF(matched_bytes), EBPF_REG_8);
	for (size_t i = 0; i < nj; i++)
		land_here(o, jumps[i]);
	if (mode == EBPF_COUNT_ONLY)
		emit(o, EBPF_MOV32_IMM(EBPF_REG_0, 0));
	else
		emit(o, EBPF_MOV64_REG(EBPF_REG_0, EBPF_REG_7));
	emit(o, EBPF_EXIT_INSN());
}

int ebpf_count_wrap(const struct ebpf_prog *filter, enum ebpf_count_mode mode, int32_t map_ref,
		    struct ebpf_prog *out, struct bpfcap_error *err)
{
	memset(out, 0, sizeof *out);
	if (!filter || !filter->insns || !filter->len)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "count: no filter to wrap");
	if (mode != EBPF_COUNT_ONLY && mode != EBPF_COUNT_STATS)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "count: unknown mode %d", (int)mode);
	int r9_shape = mode == EBPF_COUNT_STATS && filter->target == EBPF_TARGET_SOCKET;
	struct out o = { 0 };

	if (r9_shape) {
		for (size_t pc = 0; pc < filter->len; pc++)
			if (filter->insns[pc].dst == EBPF_REG_9 || filter->insns[pc].src == EBPF_REG_9)
				return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
						   "count: the socket filter uses r9 at insn %zu (the "
						   "counter keeps its value pointer there)", pc);
		stats_prologue(&o, map_ref);
	}
	size_t base = o.n;
	size_t epi = base + filter->len;
	for (size_t pc = 0; pc < filter->len; pc++) {
		struct ebpf_insn in = filter->insns[pc];
		int second_slot = pc && filter->insns[pc - 1].code == EBPF_OP_LD_IMM64;
		if (in.code == EBPF_OP_EXIT && !second_slot) {
			size_t rel = epi - (base + pc) - 1;
			if (rel > 32767) {
				free(o.code);
				return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0,
						   "count: the EXIT at insn %zu is %zu instructions from "
						   "the counting epilogue (a jump reaches 32,767)", pc, rel);
			}
			in = EBPF_JMP_A((int16_t)rel);
		}
		emit(&o, in);
	}
	if (r9_shape)
		stats_epilogue_r9(&o);
	else
		lookup_epilogue(&o, filter->target, mode, map_ref);
	if (o.nomem) {
		free(o.code);
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "count: out of memory");
	}
	out->insns = o.code;
	out->len = o.n;
	out->target = filter->target;
	out->uses = filter->uses | EBPF_USES_HELPERS;
	return 0;
}
