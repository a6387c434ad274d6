/* Control-flow cleanup:
 * - a conditional jump whose two targets are equal is a goto (a test has
 *   no effect besides choosing the edge);
 * - an empty block ending in a goto is bypassed;
 * - two blocks with the same statements, terminal and successors are one:
 *   the earlier one's predecessors go to the later one, which keeps every
 *   jump forward (they precede the earlier block);
 * - a goto to a block that is only a return or a test copies that
 *   terminal when the copy costs nothing (the target is not laid out next,
 *   so the goto would be a JA, or the goto is the target's only way in);
 * - unreachable blocks drop out (opt_cfg_mark_reachable). */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "opt.h"

static int block_is_empty(const struct opt_cfg *cfg, const struct opt_block *b)
{
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++)
		if (cfg->stmts[i].code != OPT_NOP)
			return 0;
	return 1;
}

static int collapse_equal_targets(struct opt_cfg *cfg)
{
	int changes = 0;
	for (uint32_t i = 0; i < cfg->nblocks; i++) {
		struct opt_block *b = &cfg->blocks[i];
		if (cfg->reachable[i] && b->term == OPT_COND && b->succ[0] == b->succ[1]) {
			b->term = OPT_GOTO;
			changes++;
		}
	}
	return changes;
}

static uint32_t block_hash(const struct opt_cfg *cfg, const struct opt_block *b)
{
	uint64_t h = 0xcbf29ce484222325ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 0x100000001b3ull)
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++) {
		const struct winsn *w = &cfg->stmts[i];
		if (w->code == OPT_NOP)
			continue;
		MIX(w->code);
		MIX(w->k);
	}
	MIX(b->term);
	if (b->term != OPT_GOTO) {
		MIX(b->code);
		MIX(b->k);
	}
	if (b->term != OPT_RET) {
		MIX(b->succ[0]);
		MIX(b->succ[1]);
	}
#undef MIX
	return (uint32_t)(h ^ (h >> 32));
}

/* Same live statements in the same order, same terminal, same targets. */
static int blocks_equal(const struct opt_cfg *cfg, const struct opt_block *x,
			const struct opt_block *y)
{
	if (x->term != y->term)
		return 0;
	if (x->term != OPT_GOTO && (x->code != y->code || x->k != y->k))
		return 0;
	if (x->term != OPT_RET && (x->succ[0] != y->succ[0] || x->succ[1] != y->succ[1]))
		return 0;
	uint32_t i = x->first, j = y->first;
	const uint32_t iend = x->first + x->nstmts, jend = y->first + y->nstmts;
	for (;;) {
		while (i < iend && cfg->stmts[i].code == OPT_NOP)
			i++;
		while (j < jend && cfg->stmts[j].code == OPT_NOP)
			j++;
		if (i == iend || j == jend)
			return i == iend && j == jend;
		if (cfg->stmts[i].code != cfg->stmts[j].code || cfg->stmts[i].k != cfg->stmts[j].k)
			return 0;
		i++;
		j++;
	}
}

/* Backward over the blocks so successors are already canonical: each
 * block is replaced by its goto target when empty, or by an identical
 * later block; repl[] maps every block to its final representative. */
static int merge_blocks(struct opt_cfg *cfg)
{
	uint32_t n = cfg->nblocks, nslots = 16;
	while (nslots < 2 * n)
		nslots *= 2;
	uint32_t *repl = malloc(n * sizeof *repl);
	uint32_t *slots = malloc(nslots * sizeof *slots);
	if (!repl || !slots) {
		free(repl);
		free(slots);
		return BPFCAP_E_NOMEM;
	}
	memset(slots, 0xff, nslots * sizeof *slots);
	int changes = 0;
	for (uint32_t i = n; i-- > 0;) {
		repl[i] = i;
		if (!cfg->reachable[i])
			continue;
		struct opt_block *b = &cfg->blocks[i];
		if (b->term != OPT_RET) {
			for (int s = 0; s < 2; s++) {
				if (repl[b->succ[s]] != b->succ[s]) {
					b->succ[s] = repl[b->succ[s]];
					changes++;
				}
			}
		}
		if (b->term == OPT_GOTO && block_is_empty(cfg, b)) {
			repl[i] = b->succ[0];
			continue;
		}
		uint32_t h = block_hash(cfg, b) & (nslots - 1);
		for (; slots[h] != OPT_NONE; h = (h + 1) & (nslots - 1)) {
			if (blocks_equal(cfg, b, &cfg->blocks[slots[h]])) {
				repl[i] = slots[h];
				break;
			}
		}
		if (repl[i] == i)
			slots[h] = i;
	}
	if (repl[cfg->entry] != cfg->entry) {
		cfg->entry = repl[cfg->entry];
		changes++;
	}
	free(repl);
	free(slots);
	return changes;
}

static int copy_goto_targets(struct opt_cfg *cfg)
{
	uint32_t after = OPT_NONE;
	int changes = 0;
	/* Backward, so `after` is the next reachable block in layout order. */
	for (uint32_t i = cfg->nblocks; i-- > 0;) {
		if (!cfg->reachable[i])
			continue;
		struct opt_block *b = &cfg->blocks[i];
		uint32_t next = after;
		after = i;
		if (b->term != OPT_GOTO)
			continue;
		const struct opt_block *t = &cfg->blocks[b->succ[0]];
		if (t->term == OPT_GOTO || !block_is_empty(cfg, t))
			continue;
		if (b->succ[0] == next && cfg->npreds[b->succ[0]] > 1)
			continue;
		b->term = t->term;
		b->code = t->code;
		b->k = t->k;
		b->succ[0] = t->succ[0];
		b->succ[1] = t->succ[1];
		changes++;
	}
	return changes;
}

int opt_simplify_cfg(struct opt_cfg *cfg)
{
	opt_cfg_mark_reachable(cfg);
	int changes = collapse_equal_targets(cfg);
	int rc = merge_blocks(cfg);
	if (rc < 0)
		return rc;
	changes += rc;
	opt_cfg_mark_reachable(cfg);
	changes += copy_goto_targets(cfg);
	opt_cfg_mark_reachable(cfg);
	return changes;
}
