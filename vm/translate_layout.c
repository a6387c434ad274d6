/* Jump layout of the translator: every cBPF jump becomes an eBPF jump with
 * a signed 16-bit offset, so a target farther than 32,767 instructions is
 * reached through an island of JA trampolines placed between blocks.
 *
 * Layout, for blocks 0..len (block len is the shared "return 0" block):
 *     [island b: (ja over it) ja T1; ja T2; ...] [block b]
 * An island is jumped over only when control can fall into it (the code
 * before it does not end in EXIT or JA): the kernel's verifier refuses
 * unreachable instructions (kernel/bpf/verifier.c, check_cfg), so neither
 * an unneeded skip nor an unused trampoline may stay.
 *
 * The algorithm iterates to a fixed point: compute positions, and give
 * every jump that is out of reach a trampoline (shared per island and
 * target) in the farthest island it reaches with a safety margin; the
 * trampoline's own jump is checked in the next round and chained further
 * if needed.  All jumps stay forward.  We do not use the ISA's 32-bit
 * `gotol` (JMP32 | JA): llvm-objdump 14 and bpftool 7.1 cannot decode it.
 * Unreferenced trampolines (a jump re-bridged to a nearer island) are
 * removed at the end, which only shortens distances. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "translate_int.h"

/* Reach used when placing a trampoline: islands inserted later can push
 * it farther, by less than this margin in all but pathological programs
 * (and then the next round bridges again). */
#define LAYOUT_MARGIN 2048
#define LAYOUT_ROUNDS 64

struct tramp {
	size_t island; /* placed before block island */
	size_t label;  /* jumps to block label */
	size_t via;    /* 0, or 1 + the trampoline it goes through */
	size_t slot;   /* position inside the island */
	size_t next;   /* 0, or 1 + the island's next trampoline */
	size_t refs;
	int dead;
};

struct layout {
	struct tx *tx;
	size_t nblocks;         /* tx->len + 1 */
	size_t *fix_block;      /* [nfix] block holding the jump */
	size_t *fix_via;        /* [nfix] 0, or 1 + trampoline */
	struct tramp *tr;
	size_t ntr, captr;
	size_t *island_count;   /* [nblocks] live trampolines */
	size_t *island_head;    /* [nblocks] 0, or 1 + the island's last trampoline */
	uint8_t *falls_into;    /* [nblocks] control can fall into island b */
	size_t *island_pos;     /* [nblocks] */
	size_t *block_pos;      /* [nblocks] */
	size_t total;
};

static int is_terminal(const struct ebpf_insn *i)
{
	return i->code == EBPF_OP_EXIT || i->code == (EBPF_JMP | EBPF_JA);
}

static void compute_positions(struct layout *L)
{
	struct tx *tx = L->tx;
	size_t pos = 0;
	for (size_t b = 0; b < L->nblocks; b++) {
		L->island_pos[b] = pos;
		if (L->island_count[b])
			pos += (size_t)L->falls_into[b] + L->island_count[b];
		L->block_pos[b] = pos;
		pos += tx->start[b + 1] - tx->start[b];
	}
	L->total = pos;
}

static size_t tramp_pos(const struct layout *L, size_t t)
{
	const struct tramp *p = &L->tr[t];
	return L->island_pos[p->island] + L->falls_into[p->island] + p->slot;
}

static size_t target_pos(const struct layout *L, size_t via, size_t label)
{
	return via ? tramp_pos(L, via - 1) : L->block_pos[label];
}

/* Where a new trampoline in island b would sit (approximately). */
static size_t island_estimate(const struct layout *L, size_t b)
{
	if (L->island_count[b])
		return L->island_pos[b] + L->falls_into[b] + L->island_count[b];
	return L->block_pos[b] + L->falls_into[b];
}

/* The farthest island in [lo, hi] a jump from src reaches with the margin;
 * lo if none does (blocks are short, so lo always does in practice). */
static size_t pick_island(const struct layout *L, size_t src, size_t lo, size_t hi)
{
	size_t limit = src + 1 + (TX_JUMP_MAX - LAYOUT_MARGIN);
	size_t best = lo;
	while (lo <= hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (island_estimate(L, mid) <= limit) {
			best = mid;
			lo = mid + 1;
		} else {
			if (mid == 0)
				break;
			hi = mid - 1;
		}
	}
	return best;
}

/* A live trampoline in island b to label, or a new one: 1 + index, 0 on
 * allocation failure. */
static size_t trampoline(struct layout *L, size_t b, size_t label)
{
	for (size_t t = L->island_head[b]; t; t = L->tr[t - 1].next)
		if (!L->tr[t - 1].dead && L->tr[t - 1].label == label)
			return t;
	if (L->ntr == L->captr) {
		size_t cap = L->captr ? 2 * L->captr : 64;
		struct tramp *n = realloc(L->tr, cap * sizeof *n);
		if (!n)
			return 0;
		L->tr = n;
		L->captr = cap;
	}
	L->tr[L->ntr] = (struct tramp){ .island = b, .label = label, .slot = L->island_count[b],
					.next = L->island_head[b] };
	L->island_count[b]++;
	L->island_head[b] = ++L->ntr;
	return L->ntr;
}

/* One round: bridges every jump out of reach.  Returns how many were
 * bridged, or (size_t)-1 on allocation failure. */
static size_t bridge_round(struct layout *L)
{
	struct tx *tx = L->tx;
	size_t bridged = 0;
	compute_positions(L);
	for (size_t f = 0; f < tx->nfix; f++) {
		size_t src = L->block_pos[L->fix_block[f]] + (tx->fix[f].at - tx->start[L->fix_block[f]]);
		size_t dst = target_pos(L, L->fix_via[f], tx->fix[f].label);
		if (dst - src - 1 <= TX_JUMP_MAX)
			continue;
		size_t b = pick_island(L, src, L->fix_block[f] + 1, tx->fix[f].label);
		size_t t = trampoline(L, b, tx->fix[f].label);
		if (!t)
			return (size_t)-1;
		L->fix_via[f] = t;
		bridged++;
	}
	size_t ntr = L->ntr; /* trampolines added now are checked next round */
	for (size_t t = 0; t < ntr; t++) {
		if (L->tr[t].dead)
			continue;
		size_t src = tramp_pos(L, t);
		size_t dst = target_pos(L, L->tr[t].via, L->tr[t].label);
		if (dst - src - 1 <= TX_JUMP_MAX)
			continue;
		size_t b = pick_island(L, src, L->tr[t].island + 1, L->tr[t].label);
		size_t n = trampoline(L, b, L->tr[t].label);
		if (!n)
			return (size_t)-1;
		L->tr[t].via = n;
		bridged++;
	}
	return bridged;
}

/* Drops trampolines no jump reaches and renumbers the islands' slots. */
static void drop_unused(struct layout *L)
{
	for (size_t t = 0; t < L->ntr; t++)
		L->tr[t].refs = 0;
	for (size_t f = 0; f < L->tx->nfix; f++)
		if (L->fix_via[f])
			L->tr[L->fix_via[f] - 1].refs++;
	for (size_t t = 0; t < L->ntr; t++)
		if (L->tr[t].via)
			L->tr[L->tr[t].via - 1].refs++;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t t = 0; t < L->ntr; t++) {
			if (L->tr[t].dead || L->tr[t].refs)
				continue;
			L->tr[t].dead = 1;
			if (L->tr[t].via)
				L->tr[L->tr[t].via - 1].refs--;
			changed = 1;
		}
	}
	memset(L->island_count, 0, L->nblocks * sizeof *L->island_count);
	for (size_t t = 0; t < L->ntr; t++)
		if (!L->tr[t].dead)
			L->tr[t].slot = L->island_count[L->tr[t].island]++;
}

static int16_t rel(size_t src, size_t dst)
{
	return (int16_t)(dst - src - 1);
}

static int emit_final(struct layout *L, struct ebpf_prog *out)
{
	struct tx *tx = L->tx;
	compute_positions(L);
	if (L->total > EBPF_MAX_INSNS)
		return bpfcap_fail(tx->err, BPFCAP_E_TOOBIG, -1, 0,
				   "the translated program has %zu instructions, more than the %u eBPF "
				   "allows a privileged loader",
				   L->total, EBPF_MAX_INSNS);
	struct ebpf_insn *code = malloc((L->total ? L->total : 1) * sizeof *code);
	if (!code)
		return bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	for (size_t b = 0; b < L->nblocks; b++) {
		if (L->island_count[b] && L->falls_into[b])
			code[L->island_pos[b]] = EBPF_JMP_A((int16_t)L->island_count[b]);
		memcpy(code + L->block_pos[b], tx->code + tx->start[b],
		       (tx->start[b + 1] - tx->start[b]) * sizeof *code);
	}
	for (size_t t = 0; t < L->ntr; t++) {
		if (L->tr[t].dead)
			continue;
		size_t src = tramp_pos(L, t), dst = target_pos(L, L->tr[t].via, L->tr[t].label);
		if (dst - src - 1 > TX_JUMP_MAX)
			goto unreachable;
		code[src] = EBPF_JMP_A(rel(src, dst));
	}
	for (size_t f = 0; f < tx->nfix; f++) {
		size_t b = L->fix_block[f];
		size_t src = L->block_pos[b] + (tx->fix[f].at - tx->start[b]);
		size_t dst = target_pos(L, L->fix_via[f], tx->fix[f].label);
		if (dst <= src || dst - src - 1 > TX_JUMP_MAX)
			goto unreachable;
		code[src].off = rel(src, dst);
	}
	out->insns = code;
	out->len = L->total;
	return 0;
unreachable:
	free(code);
	return bpfcap_fail(tx->err, BPFCAP_E_TOOBIG, -1, 0,
			   "jump layout: a jump is still out of the eBPF range of %d instructions",
			   TX_JUMP_MAX);
}

int tx_layout(struct tx *tx, struct ebpf_prog *out)
{
	struct layout L = { .tx = tx, .nblocks = tx->len + 1 };
	int rc;
	L.fix_block = calloc(tx->nfix + 1, sizeof *L.fix_block);
	L.fix_via = calloc(tx->nfix + 1, sizeof *L.fix_via);
	L.island_count = calloc(L.nblocks, sizeof *L.island_count);
	L.island_head = calloc(L.nblocks, sizeof *L.island_head);
	L.falls_into = calloc(L.nblocks, 1);
	L.island_pos = calloc(L.nblocks, sizeof *L.island_pos);
	L.block_pos = calloc(L.nblocks, sizeof *L.block_pos);
	if (!L.fix_block || !L.fix_via || !L.island_count || !L.island_head || !L.falls_into || !L.island_pos ||
	    !L.block_pos) {
		rc = bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
		goto out;
	}
	/* Fixups were recorded in code order: one walk finds their blocks. */
	for (size_t f = 0, b = 0; f < tx->nfix; f++) {
		while (tx->fix[f].at >= tx->start[b + 1])
			b++;
		L.fix_block[f] = b;
	}
	/* An island before block b is entered by falling through unless the
	 * last instruction before it is EXIT or JA. */
	for (size_t b = 1; b < L.nblocks; b++)
		L.falls_into[b] = tx->start[b] > 0 && !is_terminal(&tx->code[tx->start[b] - 1]);

	size_t round;
	for (round = 0; round < LAYOUT_ROUNDS; round++) {
		size_t n = bridge_round(&L);
		if (n == (size_t)-1) {
			rc = bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
			goto out;
		}
		if (n == 0)
			break;
		if (L.total > 2 * (size_t)EBPF_MAX_INSNS)
			break; /* hopeless: reported as too big below */
	}
	drop_unused(&L);
	rc = emit_final(&L, out);
out:
	free(L.fix_block);
	free(L.fix_via);
	free(L.tr);
	free(L.island_count);
	free(L.island_head);
	free(L.falls_into);
	free(L.island_pos);
	free(L.block_pos);
	return rc;
}
