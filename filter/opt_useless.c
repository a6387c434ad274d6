/* Tests that decide nothing: a conditional block B "if A op k goto T else
 * goto Y" whose test, when it holds, only takes a shortcut to where Y's
 * tests lead anyway (and likewise for the false side).  B becomes "goto Y"
 * and opt_clean.c bypasses it.
 *
 * The check walks from Y assuming B's outcome: every block on the way must
 * have no live statement (so A, X and the packet bytes read are those at
 * B's exit, and nothing can end the program early) and end in a test of A
 * against a constant that the facts learnt so far decide; the walk
 * succeeds when it reaches T, or a return identical to T.  Then both of
 * B's outcomes reach the same place with the same registers, so B's test
 * changes no verdict.
 *
 * The facts are about "A at B's exit", a value the walk names 0 (never a
 * constant's number): it needs no value numbering, so it holds whatever
 * the passes before it rewrote, and the forward pass's facts, which it
 * invalidates, are not read again before the next forward pass (the pass
 * runs last before the graph cleanup).
 *
 * An unrolled protochain tests "next header is NONE: reject" before the
 * extension header kinds and AH, all of which fail on NONE and reject:
 * that test, once per hop, is what this removes. */
#include "bpfcap.h"
#include "opt.h"

/* Blocks walked from Y at most: the tests of one chain of alternatives. */
#define WALK_MAX 8

static const struct opt_factset no_facts; /* the walk's facts are all learnt on it */

static int has_live_stmt(const struct opt_cfg *cfg, const struct opt_block *b)
{
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++)
		if (cfg->stmts[i].code != OPT_NOP)
			return 1;
	return 0;
}

static int same_return(const struct opt_cfg *cfg, uint32_t x, uint32_t y)
{
	const struct opt_block *a = &cfg->blocks[x], *b = &cfg->blocks[y];
	return a->term == OPT_RET && b->term == OPT_RET && a->code == b->code && a->k == b->k &&
	       !has_live_stmt(cfg, a) && !has_live_stmt(cfg, b);
}

static int eval_const(uint16_t code, uint32_t a, uint32_t k)
{
	switch (CBPF_OP(code)) {
	case CBPF_JEQ: return a == k;
	case CBPF_JGT: return a > k;
	case CBPF_JGE: return a >= k;
	case CBPF_JSET: return (a & k) != 0;
	default: return -1;
	}
}

/* 1 when, given B's outcome `side`, the walk from Y reaches T. */
static int walk_reaches(const struct opt_cfg *cfg, const struct opt_vn_table *t, uint32_t bi,
			int side)
{
	const struct opt_block *b = &cfg->blocks[bi];
	const uint32_t a = 0; /* A at B's exit */
	uint32_t target = b->succ[side], at = b->succ[!side];
	struct opt_fact learnt[WALK_MAX + 1];
	uint32_t n = 0;
	learnt[n++] = (struct opt_fact){ a, b->code, (uint8_t)(side == 0), b->k };
	int known = CBPF_OP(b->code) == CBPF_JEQ && side == 0;
	uint32_t value = b->k;
	for (int step = 0; step < WALK_MAX; step++) {
		if (at == target || same_return(cfg, at, target))
			return 1;
		const struct opt_block *c = &cfg->blocks[at];
		if (has_live_stmt(cfg, c) || c->term == OPT_RET)
			return 0;
		if (c->term == OPT_GOTO) {
			at = c->succ[0];
			continue;
		}
		if (CBPF_SRC(c->code) != CBPF_K)
			return 0;
		/* Once A == k is known every test is a constant one. */
		int d = known ? eval_const(c->code, value, c->k) :
				opt_facts_decide(&no_facts, learnt, n, t, a, c->code, c->k);
		if (d < 0)
			return 0;
		learnt[n++] = (struct opt_fact){ a, c->code, (uint8_t)d, c->k };
		if (!known && CBPF_OP(c->code) == CBPF_JEQ && d) {
			known = 1;
			value = c->k;
		}
		at = c->succ[d ? 0 : 1];
	}
	return 0;
}

int opt_remove_useless_tests(struct opt_cfg *cfg, const struct opt_vn_table *t)
{
	int changes = 0;
	for (uint32_t bi = cfg->entry; bi < cfg->nblocks; bi++) {
		struct opt_block *b = &cfg->blocks[bi];
		if (!cfg->reachable[bi] || b->term != OPT_COND ||
		    CBPF_SRC(b->code) != CBPF_K || b->succ[0] == b->succ[1])
			continue;
		for (int side = 0; side < 2; side++) {
			if (walk_reaches(cfg, t, bi, side)) {
				b->term = OPT_GOTO;
				b->succ[0] = b->succ[1] = b->succ[!side];
				changes++;
				break;
			}
		}
	}
	return changes;
}
