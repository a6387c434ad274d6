/* The optimizer's control-flow graph: splitting a wide program into basic
 * blocks (flattening them back is opt_layout.c), and which registers an
 * instruction reads and writes. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "opt.h"

static int is_cond_jump(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_JMP && CBPF_OP(code) != CBPF_JA;
}

static int is_terminal(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_JMP || CBPF_CLASS(code) == CBPF_RET;
}

/* A block starts at the entry, at every jump target and right after
 * every jump or return (the classic leader rule). */
static void mark_leaders(const struct wprog *p, uint8_t *leader)
{
	leader[0] = 1;
	for (size_t i = 0; i < p->len; i++) {
		const struct winsn *w = &p->insns[i];
		if (!is_terminal(w->code))
			continue;
		if (i + 1 < p->len)
			leader[i + 1] = 1;
		if (CBPF_CLASS(w->code) == CBPF_JMP) {
			leader[w->jt] = 1;
			if (is_cond_jump(w->code))
				leader[w->jf] = 1;
		}
	}
}

int opt_cfg_build(struct opt_cfg *cfg, const struct wprog *p)
{
	memset(cfg, 0, sizeof *cfg);
	uint8_t *leader = calloc(p->len, 1);
	uint32_t *block_of = calloc(p->len, sizeof *block_of);
	cfg->stmts = calloc(p->len, sizeof *cfg->stmts);
	cfg->blocks = calloc(p->len, sizeof *cfg->blocks);
	cfg->reachable = calloc(p->len, 1);
	cfg->npreds = calloc(p->len, sizeof *cfg->npreds);
	if (!leader || !block_of || !cfg->stmts || !cfg->blocks || !cfg->reachable ||
	    !cfg->npreds) {
		free(leader);
		free(block_of);
		opt_cfg_free(cfg);
		return BPFCAP_E_NOMEM;
	}
	mark_leaders(p, leader);
	uint32_t nb = 0;
	for (size_t i = 0; i < p->len; i++) {
		if (leader[i])
			nb++;
		block_of[i] = nb - 1;
	}
	cfg->nblocks = nb;
	uint32_t nstmts = 0;
	for (size_t i = 0; i < p->len; i++) {
		struct opt_block *b = &cfg->blocks[block_of[i]];
		const struct winsn *w = &p->insns[i];
		if (leader[i]) {
			b->first = nstmts;
			b->term = OPT_GOTO;
			b->succ[0] = b->succ[1] = block_of[i] + 1;
		}
		if (CBPF_CLASS(w->code) == CBPF_RET) {
			b->term = OPT_RET;
			b->code = w->code;
			b->k = w->k;
		} else if (w->code == (CBPF_JMP | CBPF_JA)) {
			b->succ[0] = b->succ[1] = block_of[w->jt];
		} else if (is_cond_jump(w->code)) {
			b->term = OPT_COND;
			b->code = w->code;
			b->k = w->k;
			b->succ[0] = block_of[w->jt];
			b->succ[1] = block_of[w->jf];
		} else {
			cfg->stmts[nstmts++] = *w;
			b->nstmts++;
		}
	}
	cfg->nstmts = nstmts;
	free(leader);
	free(block_of);
	return 0;
}

void opt_cfg_free(struct opt_cfg *cfg)
{
	free(cfg->stmts);
	free(cfg->blocks);
	free(cfg->reachable);
	free(cfg->npreds);
	memset(cfg, 0, sizeof *cfg);
}

static unsigned block_nsucc(const struct opt_block *b)
{
	return b->term == OPT_RET ? 0 : b->term == OPT_GOTO ? 1 : 2;
}

/* One forward sweep suffices: a block's predecessors all come before it. */
void opt_cfg_mark_reachable(struct opt_cfg *cfg)
{
	memset(cfg->reachable, 0, cfg->nblocks);
	memset(cfg->npreds, 0, cfg->nblocks * sizeof *cfg->npreds);
	cfg->reachable[cfg->entry] = 1;
	for (uint32_t i = cfg->entry; i < cfg->nblocks; i++) {
		if (!cfg->reachable[i])
			continue;
		const struct opt_block *b = &cfg->blocks[i];
		for (unsigned s = 0; s < block_nsucc(b); s++) {
			cfg->reachable[b->succ[s]] = 1;
			cfg->npreds[b->succ[s]]++;
		}
	}
}

#define BIT(r) ((opt_regmask)1 << (r))

opt_regmask opt_insn_uses(const struct winsn *w)
{
	switch (CBPF_CLASS(w->code)) {
	case CBPF_LD:
		if (CBPF_MODE(w->code) == CBPF_IND)
			return BIT(OPT_REG_X);
		if (CBPF_MODE(w->code) == CBPF_MEM)
			return BIT(OPT_REG_M(w->k));
		return 0;
	case CBPF_LDX:
		return CBPF_MODE(w->code) == CBPF_MEM ? BIT(OPT_REG_M(w->k)) : 0;
	case CBPF_ST:
		return BIT(OPT_REG_A);
	case CBPF_STX:
		return BIT(OPT_REG_X);
	case CBPF_ALU:
		if (CBPF_OP(w->code) != CBPF_NEG && CBPF_SRC(w->code) == CBPF_X)
			return BIT(OPT_REG_A) | BIT(OPT_REG_X);
		return BIT(OPT_REG_A);
	case CBPF_JMP:
		if (CBPF_OP(w->code) == CBPF_JA)
			return 0;
		return BIT(OPT_REG_A) | (CBPF_SRC(w->code) == CBPF_X ? BIT(OPT_REG_X) : 0);
	case CBPF_RET:
		return CBPF_RVAL(w->code) == CBPF_A ? BIT(OPT_REG_A) :
		       CBPF_RVAL(w->code) == CBPF_X ? BIT(OPT_REG_X) : 0;
	default: /* MISC */
		return CBPF_MISCOP(w->code) == CBPF_TAX ? BIT(OPT_REG_A) : BIT(OPT_REG_X);
	}
}

opt_regmask opt_insn_defs(const struct winsn *w)
{
	switch (CBPF_CLASS(w->code)) {
	case CBPF_LD:
	case CBPF_ALU:
		return BIT(OPT_REG_A);
	case CBPF_LDX:
		return BIT(OPT_REG_X);
	case CBPF_ST:
	case CBPF_STX:
		return BIT(OPT_REG_M(w->k));
	case CBPF_MISC:
		return CBPF_MISCOP(w->code) == CBPF_TAX ? BIT(OPT_REG_X) : BIT(OPT_REG_A);
	default:
		return 0;
	}
}
