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

static int is_exit(const struct ebpf_insn *in)
{
	return in->code == EBPF_OP_EXIT;
}

/* Where each EXIT of filter jumps instead: the epilogue right after the
 * filter (at filter->len) when it is within a jump's reach (32,767), else
 * the farthest later EXIT within reach, itself a jump onward: a chain of
 * jumps that leaves r0 alone, adds no instruction and moves nothing.
 * dest[pc] for each EXIT.  0, or -1 when two EXITs (or the last one and
 * the end) are farther apart than a jump reaches. */
static int chain_exits(const struct ebpf_prog *filter, size_t *dest)
{
	size_t hub = filter->len; /* farthest reachable target found so far */
	size_t *exits = malloc(filter->len * sizeof *exits);
	size_t n = 0;
	if (!exits)
		return -2;
	for (size_t pc = 0; pc < filter->len; pc++)
		if (is_exit(&filter->insns[pc]))
			exits[n++] = pc;
	/* From the last EXIT back: the reachable targets only get nearer, so
	 * one index walks down with i. */
	size_t j = n; /* exits[j] is the candidate hub (n: the epilogue) */
	int rc = 0;
	for (size_t i = n; i-- > 0;) {
		size_t pc = exits[i];
		while (j > i + 1 && (j == n ? filter->len : exits[j]) - pc - 1 > 32767)
			j--;
		hub = j == n ? filter->len : exits[j];
		if (hub - pc - 1 > 32767 || hub == pc) {
			rc = -1;
			break;
		}
		dest[pc] = hub;
	}
	free(exits);
	return rc;
}

/* The filter with every EXIT a jump toward one copy of the epilogue after
 * it (dest from chain_exits): the filter's own jumps keep their offsets. */
static void copy_shared(struct out *o, const struct ebpf_prog *filter, const size_t *dest,
			const struct out *epi)
{
	for (size_t pc = 0; pc < filter->len; pc++) {
		struct ebpf_insn in = filter->insns[pc];
		if (is_exit(&in))
			in = EBPF_JMP_A((int16_t)(dest[pc] - pc - 1));
		emit(o, in);
	}
	for (size_t i = 0; i < epi->n; i++)
		emit(o, epi->code[i]);
}

/* A conditional jump or JA (class JMP/JMP32, not CALL/EXIT): its offset is
 * relative and must be recomputed when code moves. */
static int is_rel_jump(const struct ebpf_insn *in)
{
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	return (cls == EBPF_JMP || cls == EBPF_JMP32) && op != EBPF_CALL && op != EBPF_EXIT;
}

/* Filters whose EXITs cannot chain (two more than 32,767 instructions
 * apart, which no filter of the suites has): the epilogue is copied in
 * place of every EXIT and the filter's jumps are relocated.  BPFCAP_E_TOOBIG if a relocated jump no
 * longer fits in 16 bits (the translator's layout left it near the limit). */
static int copy_inlined(struct out *o, const struct ebpf_prog *filter, const struct out *epi,
			struct bpfcap_error *err)
{
	size_t *at = malloc((filter->len + 1) * sizeof *at);
	if (!at) {
		o->nomem = 1;
		return BPFCAP_E_NOMEM;
	}
	at[0] = 0;
	for (size_t pc = 0; pc < filter->len; pc++)
		at[pc + 1] = at[pc] + (is_exit(&filter->insns[pc]) ? epi->n : 1);
	for (size_t pc = 0; pc < filter->len; pc++) {
		struct ebpf_insn in = filter->insns[pc];
		if (is_exit(&in)) {
			for (size_t i = 0; i < epi->n; i++)
				emit(o, epi->code[i]);
			continue;
		}
		if (is_rel_jump(&in)) {
			/* gotol (JMP32 JA, offset in imm): never emitted by the
			 * translator, refused by the verifier; left as is. */
			size_t target = pc + 1 + (size_t)(int64_t)in.off;
			if (target > filter->len) {
				free(at);
				return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
						   "count: the jump at insn %zu leaves the filter", pc);
			}
			int64_t rel = (int64_t)at[target] - (int64_t)at[pc] - 1;
			if (rel > 32767 || rel < -32768) {
				free(at);
				return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0,
						   "count: the jump at insn %zu reaches %lld instructions "
						   "once the counting code is inlined at every exit (at most "
						   "32,767)", pc, (long long)rel);
			}
			in.off = (int16_t)rel;
		}
		emit(o, in);
	}
	free(at);
	return 0;
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
	struct out epi = { 0 };
	if (r9_shape)
		stats_epilogue_r9(&epi);
	else
		lookup_epilogue(&epi, filter->target, mode, map_ref);
	size_t *dest = malloc(filter->len * sizeof *dest);
	int rc = epi.nomem || !dest ? BPFCAP_E_NOMEM : 0;
	int chained = rc ? -2 : chain_exits(filter, dest);
	if (chained == -2)
		rc = BPFCAP_E_NOMEM;
	else if (chained == 0)
		copy_shared(&o, filter, dest, &epi);
	else
		rc = copy_inlined(&o, filter, &epi, err);
	free(dest);
	free(epi.code);
	if (rc && rc != BPFCAP_E_NOMEM) {
		free(o.code);
		return rc;
	}
	if (o.nomem || rc) {
		free(o.code);
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "count: out of memory");
	}
	out->insns = o.code;
	out->len = o.n;
	out->target = filter->target;
	out->uses = filter->uses | EBPF_USES_HELPERS;
	return 0;
}
