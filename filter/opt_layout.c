/* Flattening the block graph into a wide program.
 *
 * Blocks are laid out in index order (a topological order, so every jump
 * stays forward); a goto costs a JA only when its target is not the next
 * block, and conditional jumps name both targets, as wide jumps may.
 *
 * Return islands: a conditional jump reaches only 255 instructions in
 * real cBPF, and filter_assemble bridges a longer one with a JA per jump.
 * Long chains of tests that all end in the same "ret #k" far below (a
 * 1000-host filter) would need thousands of bridges; instead a copy of the
 * return is placed within reach, at a point nothing falls through (after
 * a block ending in a jump or a return), and serves every jump before it
 * that needs it.  A copy costs one instruction, as one bridge would, but
 * serves many jumps. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "opt.h"

#define JUMP_REACH 256u   /* a conditional jump reaches pc + 1 + [0, 255] */
#define MAX_ISLAND_KINDS 8 /* distinct return values served by islands */

struct fixup {
	uint32_t insn;    /* instruction whose jump to set */
	uint8_t side;     /* 0: jt, 1: jf */
	uint32_t target;  /* block */
	uint32_t next;    /* next fixup waiting for the same island, or OPT_NONE */
	uint8_t done;
};

/* Jumps waiting for an island returning (code, k). */
struct island_wait {
	uint16_t code;
	uint32_t k;
	uint32_t first_pos;  /* the earliest waiting jump */
	uint32_t head;       /* list of fixups */
	int active;
};

struct layout {
	const struct opt_cfg *cfg;
	struct wprog *out;
	uint32_t *est;       /* block start with no islands */
	uint32_t *pos;       /* block start as emitted */
	uint32_t *size;      /* instructions a block emits */
	uint32_t *next;      /* next reachable block in layout order */
	struct fixup *fix;
	size_t nfix, capfix;
	struct island_wait wait[MAX_ISLAND_KINDS];
};

static uint32_t live_stmt_count(const struct opt_cfg *cfg, const struct opt_block *b)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < b->nstmts; i++)
		n += cfg->stmts[b->first + i].code != OPT_NOP;
	return n;
}

static void plan_positions(struct layout *l)
{
	const struct opt_cfg *cfg = l->cfg;
	uint32_t after = OPT_NONE, at = 0;
	for (uint32_t i = cfg->nblocks; i-- > 0;) {
		l->next[i] = after;
		if (cfg->reachable[i])
			after = i;
	}
	for (uint32_t i = 0; i < cfg->nblocks; i++) {
		if (!cfg->reachable[i])
			continue;
		const struct opt_block *b = &cfg->blocks[i];
		l->est[i] = at;
		l->size[i] = live_stmt_count(cfg, b) +
			     (b->term != OPT_GOTO || b->succ[0] != l->next[i]);
		at += l->size[i];
	}
}

static int add_fixup(struct layout *l, uint32_t insn, uint8_t side, uint32_t target)
{
	if (l->nfix == l->capfix) {
		size_t cap = l->capfix ? 2 * l->capfix : 256;
		struct fixup *f = realloc(l->fix, cap * sizeof *f);
		if (!f)
			return BPFCAP_E_NOMEM;
		l->fix = f;
		l->capfix = cap;
	}
	l->fix[l->nfix++] = (struct fixup){ insn, side, target, OPT_NONE, 0 };
	return 0;
}

/* A block that only returns: a candidate for islands. */
static int is_bare_return(const struct opt_cfg *cfg, uint32_t bi)
{
	const struct opt_block *b = &cfg->blocks[bi];
	return b->term == OPT_RET && live_stmt_count(cfg, b) == 0;
}

/* Queues the newest fixup for an island of target's return value, if a
 * kind is free; otherwise it stays a plain jump (and may get a bridge). */
static void wait_for_island(struct layout *l, uint32_t target, uint32_t jump_pos)
{
	const struct opt_block *r = &l->cfg->blocks[target];
	struct island_wait *free_slot = NULL;
	for (int i = 0; i < MAX_ISLAND_KINDS; i++) {
		struct island_wait *w = &l->wait[i];
		if (w->active && w->code == r->code && w->k == r->k) {
			l->fix[l->nfix - 1].next = w->head;
			w->head = (uint32_t)(l->nfix - 1);
			return;
		}
		if (!w->active && !free_slot)
			free_slot = w;
	}
	if (!free_slot)
		return;
	*free_slot = (struct island_wait){ r->code, r->k, jump_pos, (uint32_t)(l->nfix - 1), 1 };
}

static int emit_islands(struct layout *l, uint32_t next_size)
{
	int active = 0;
	for (int i = 0; i < MAX_ISLAND_KINDS; i++)
		active += l->wait[i].active;
	for (int i = 0; i < MAX_ISLAND_KINDS; i++) {
		struct island_wait *w = &l->wait[i];
		/* Emit when the next block would push it out of reach. */
		if (!w->active || l->out->len + next_size + (uint32_t)active < w->first_pos + JUMP_REACH)
			continue;
		uint32_t at = (uint32_t)l->out->len;
		struct winsn ret = { w->code, w->k, 0, 0 };
		int rc = wprog_push(l->out, ret);
		if (rc)
			return rc;
		for (uint32_t f = w->head; f != OPT_NONE; f = l->fix[f].next) {
			struct winsn *j = &l->out->insns[l->fix[f].insn];
			if (l->fix[f].side)
				j->jf = at;
			else
				j->jt = at;
			l->fix[f].done = 1;
		}
		w->active = 0;
	}
	return 0;
}

static int emit_block(struct layout *l, uint32_t i)
{
	const struct opt_cfg *cfg = l->cfg;
	const struct opt_block *b = &cfg->blocks[i];
	int rc = 0;
	l->pos[i] = (uint32_t)l->out->len;
	for (uint32_t s = 0; s < b->nstmts && rc == 0; s++)
		if (cfg->stmts[b->first + s].code != OPT_NOP)
			rc = wprog_push(l->out, cfg->stmts[b->first + s]);
	if (rc || (b->term == OPT_GOTO && b->succ[0] == l->next[i]))
		return rc;
	struct winsn t = { b->code, b->k, 0, 0 };
	if (b->term == OPT_GOTO) {
		t.code = CBPF_JMP | CBPF_JA;
		t.k = 0;
	}
	uint32_t at = (uint32_t)l->out->len;
	if ((rc = wprog_push(l->out, t)))
		return rc;
	int nedges = b->term == OPT_RET ? 0 : b->term == OPT_GOTO ? 1 : 2;
	uint32_t est_at = l->est[i] + l->size[i] - 1;
	for (int side = 0; side < nedges; side++) {
		uint32_t target = b->succ[side];
		if ((rc = add_fixup(l, at, (uint8_t)side, target)))
			return rc;
		if (b->term == OPT_COND && is_bare_return(cfg, target) &&
		    l->est[target] - est_at - 1 >= JUMP_REACH)
			wait_for_island(l, target, at);
	}
	return 0;
}

int opt_cfg_linearize(const struct opt_cfg *cfg, struct wprog *out)
{
	struct layout l = { cfg, out, calloc(cfg->nblocks, sizeof *l.est),
			    calloc(cfg->nblocks, sizeof *l.pos), calloc(cfg->nblocks, sizeof *l.size),
			    calloc(cfg->nblocks, sizeof *l.next), NULL, 0, 0, { { 0 } } };
	memset(out, 0, sizeof *out);
	int rc = 0;
	if (!l.est || !l.pos || !l.size || !l.next) {
		rc = BPFCAP_E_NOMEM;
		goto done;
	}
	plan_positions(&l);
	for (uint32_t i = cfg->entry; i < cfg->nblocks && rc == 0; i++) {
		if (!cfg->reachable[i])
			continue;
		rc = emit_block(&l, i);
		const struct opt_block *b = &cfg->blocks[i];
		int falls_through = b->term == OPT_GOTO && b->succ[0] == l.next[i];
		uint32_t nx = l.next[i];
		if (rc == 0 && !falls_through && nx != OPT_NONE)
			rc = emit_islands(&l, l.size[nx]);
	}
	for (size_t f = 0; f < l.nfix && rc == 0; f++) {
		if (l.fix[f].done)
			continue;
		struct winsn *j = &out->insns[l.fix[f].insn];
		if (l.fix[f].side)
			j->jf = l.pos[l.fix[f].target];
		else
			j->jt = l.pos[l.fix[f].target];
	}
done:
	free(l.est);
	free(l.pos);
	free(l.size);
	free(l.next);
	free(l.fix);
	if (rc)
		wprog_free(out);
	return rc;
}

int opt_cfg_layout_joins(const struct opt_cfg *cfg)
{
	/* A goto falls through (costs no JA) into the next reachable block;
	 * that block starts a new one when re-split only if some other edge
	 * jumps to it. */
	uint32_t after = OPT_NONE;
	for (uint32_t i = cfg->nblocks; i-- > cfg->entry;) {
		if (!cfg->reachable[i])
			continue;
		const struct opt_block *b = &cfg->blocks[i];
		if (b->term == OPT_GOTO && b->succ[0] == after && cfg->npreds[after] == 1)
			return 1;
		after = i;
	}
	return 0;
}
