/* Sorting test chains.  A chain is a run of conditional blocks that all
 * leave to one common target T on one edge and go on to the next block on
 * the other: "t1 or t2 or ... " (or "and", with T the reject side).  Its
 * verdict does not depend on the order of the tests when every test is
 * pure: its statements cannot stop the program (every load lies within
 * the bytes proven present at the chain's entry), and nothing they write
 * is read after the chain.  Then the tests can be grouped by the value
 * they compare, so that value numbering drops the reloads: a 50-host
 * chain "[26]==h1, [30]==h1, [26]==h2, ..." becomes all [26] tests, then
 * all [30] tests, two loads instead of a hundred.
 *
 * A test whose load may fail is not pure: it may move later, never ahead
 * of a test that ran before it (group_segments), so the new order runs it
 * only where the input did; when grouping needs more, the chain stops
 * before it instead.  The chain's first block never moves (grouping pulls
 * the others up behind it), so it need not be pure, and what its loads
 * prove present counts for the others: after "ldh [x+16]" a later
 * "ldh [x+14]" with the same X cannot fail.  There is one exception: when
 * the common target only returns 0, a statement stopping the program
 * (which returns 0 too) has the same outcome as the chain leaving to the
 * target, so any order gives "0 unless every load works and no test
 * leaves", and every statement counts as pure ("not (port 22 or port
 * 80)" groups the tests of each port field that way).
 *
 * A chain member either computes the value it tests itself (its
 * statements read nothing they did not write, except registers no member
 * writes, like X holding the IP header length: a "segment" head) or has
 * no statements and tests the value the member before it left in A
 * (the segment goes on).  Whole segments move: those with the same
 * statements join the first of them, all else keeps its order, so the
 * result is the same from one round to the next. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "opt.h"

struct chain_item {
	uint32_t first, nstmts;  /* statement range */
	uint32_t key;            /* where the statements naming its value start */
	uint16_t code;
	uint32_t k;
	int exit_side;           /* which edge goes to the common target */
};

struct segment {
	uint32_t start, len;     /* items[start .. start+len) */
	int pure;                /* its statements cannot stop the program */
};

struct chain_ctx {
	struct opt_cfg *cfg;
	const struct winsn *stmts;
	struct chain_item *items;
	struct segment *segs;
	uint32_t *members;
	uint8_t *pure;           /* per member, from collect_chain */
};

/* Bytes known present while the chain's members run: minlen from the
 * start of the buffer, and xlen from the X every member sees (the chain
 * writes no X then).  minlen == UINT32_MAX: stopping the program is as
 * good as leaving the chain, so every statement counts as pure. */
struct proven {
	uint32_t minlen, xlen;
};

static uint32_t load_size(uint16_t code)
{
	return CBPF_SIZE(code) == CBPF_W ? 4 : CBPF_SIZE(code) == CBPF_H ? 2 : 1;
}

/* x_is_entry: X still holds its value from before the chain. */
static int stmt_is_pure(const struct winsn *w, const struct proven *pv, int x_is_entry)
{
	if (pv->minlen == UINT32_MAX)
		return 1;
	uint16_t c = w->code;
	uint64_t end = (uint64_t)w->k + load_size(c);
	switch (CBPF_CLASS(c)) {
	case CBPF_LD:
		if (CBPF_MODE(c) == CBPF_IND)
			return x_is_entry && w->k < 0x80000000u && end <= pv->xlen;
		if (CBPF_MODE(c) == CBPF_ABS)
			return w->k < 0x80000000u && end <= pv->minlen;
		return 1;
	case CBPF_LDX:
		if (CBPF_MODE(c) == CBPF_MSH)
			return w->k < 0x80000000u && (uint64_t)w->k + 1 <= pv->minlen;
		return 1;
	case CBPF_ALU:
		if (CBPF_OP(c) == CBPF_DIV || CBPF_OP(c) == CBPF_MOD)
			return CBPF_SRC(c) == CBPF_K && w->k != 0;
		return 1;
	default:
		return 1;
	}
}

/* The head always stays first (grouping pulls others up behind it), so
 * what its loads prove holds for every member that moves. */
static void head_proves(const struct opt_cfg *cfg, const struct opt_block *b, struct proven *pv)
{
	/* Members see the X the head leaves: an indirect load proves bytes
	 * after that X only when the head does not change X after it. */
	uint32_t x_final = b->first;
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++)
		if (cfg->stmts[i].code != OPT_NOP &&
		    (opt_insn_defs(&cfg->stmts[i]) & 1u << OPT_REG_X))
			x_final = i + 1;
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++) {
		const struct winsn *w = &cfg->stmts[i];
		uint32_t end = w->k + load_size(w->code);
		if (w->code == OPT_NOP || w->k >= 0x80000000u)
			continue;
		if (CBPF_CLASS(w->code) == CBPF_LD && CBPF_MODE(w->code) == CBPF_ABS)
			pv->minlen = end > pv->minlen ? end : pv->minlen;
		else if (w->code == (CBPF_LDX | CBPF_B | CBPF_MSH))
			pv->minlen = w->k + 1 > pv->minlen ? w->k + 1 : pv->minlen;
		else if (CBPF_CLASS(w->code) == CBPF_LD && CBPF_MODE(w->code) == CBPF_IND &&
			 i >= x_final)
			pv->xlen = end > pv->xlen ? end : pv->xlen;
	}
}

/* Registers a chain's members write, those they read from before the
 * chain (which must then be written by no member, so every member sees
 * them alike), those the head writes, and those of the head's that
 * members read (written by no member either: the head runs first in any
 * order, so every member sees its values, as X holding an IP header
 * length computed by the head). */
struct chain_regs {
	opt_regmask defs, ext, head, fixed;
};

/* 1: computes A itself; 0: no statements; -1: cannot be a member of a
 * chain whose registers are *r (updated when it can).  pv == NULL for the
 * head, whose statements need not be pure (they run first anyway);
 * otherwise *pure says whether they are. */
static int classify_member(const struct opt_cfg *cfg, const struct opt_block *b,
			   const struct proven *pv, struct chain_regs *r, int *pure)
{
	if (b->term != OPT_COND || CBPF_SRC(b->code) != CBPF_K)
		return -1;
	opt_regmask written = 0, ext = 0;
	int any = 0;
	if (pure)
		*pure = 1;
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++) {
		const struct winsn *w = &cfg->stmts[i];
		if (w->code == OPT_NOP)
			continue;
		if (pv && !stmt_is_pure(w, pv, !(written & 1u << OPT_REG_X)))
			*pure = 0;
		ext |= opt_insn_uses(w) & ~written;
		written |= opt_insn_defs(w);
		any = 1;
	}
	if (any && !(written & 1u << OPT_REG_A))
		return -1;
	if ((ext & (r->defs | written)) || (written & (r->ext | r->fixed)))
		return -1;
	r->defs |= written;
	r->fixed |= ext & r->head;
	r->ext |= ext & ~r->head;
	return any;
}

/* Side of b leading to t, or -1 if b leaves to t on neither or both. */
static int side_to(const struct opt_block *b, uint32_t t)
{
	if (b->succ[0] == b->succ[1])
		return -1;
	return b->succ[0] == t ? 0 : b->succ[1] == t ? 1 : -1;
}

/* Collects the chain starting at head with common target t; returns its
 * length (members[], pure[]), with the registers its statements write in
 * *defs.  strict: the chain ends before a member that is not pure;
 * otherwise such members join it, and group_segments keeps every test
 * that ran before them in the input before them. */
static uint32_t collect_chain(struct chain_ctx *c, uint32_t head, uint32_t t, uint32_t minlen,
			      int strict, opt_regmask *defs)
{
	const struct opt_cfg *cfg = c->cfg;
	struct chain_regs regs = { 0, 0, 0, 0 };
	struct proven pv = { minlen, 0 };
	*defs = 0;
	if (side_to(&cfg->blocks[head], t) < 0 ||
	    classify_member(cfg, &cfg->blocks[head], NULL, &regs, NULL) != 1)
		return 0;
	regs.head = regs.defs;
	regs.defs = 0;
	if (minlen != UINT32_MAX)
		head_proves(cfg, &cfg->blocks[head], &pv);
	uint32_t n = 0, b = head;
	c->pure[n] = 1;
	c->members[n++] = head;
	for (;;) {
		int s = side_to(&cfg->blocks[b], t);
		uint32_t next = cfg->blocks[b].succ[1 - s];
		const struct opt_block *nb = &cfg->blocks[next];
		struct chain_regs r = regs;
		int pure;
		if (cfg->npreds[next] != 1 || nb->term != OPT_COND || side_to(nb, t) < 0 ||
		    classify_member(cfg, nb, &pv, &r, &pure) < 0 || (strict && !pure))
			break;
		regs = r;
		c->pure[n] = (uint8_t)pure;
		c->members[n++] = next;
		b = next;
	}
	*defs = regs.defs | regs.head;
	return n;
}

static int compare_stmts(const struct winsn *stmts, const struct chain_item *x,
			 const struct chain_item *y)
{
	uint32_t i = x->key, j = y->key;
	const uint32_t iend = x->first + x->nstmts, jend = y->first + y->nstmts;
	for (;;) {
		while (i < iend && stmts[i].code == OPT_NOP)
			i++;
		while (j < jend && stmts[j].code == OPT_NOP)
			j++;
		if (i == iend || j == jend)
			return (i != iend) - (j != jend);
		if (stmts[i].code != stmts[j].code)
			return stmts[i].code < stmts[j].code ? -1 : 1;
		if (stmts[i].k != stmts[j].k)
			return stmts[i].k < stmts[j].k ? -1 : 1;
		i++;
		j++;
	}
}

static uint32_t segment_hash(const struct winsn *stmts, const struct chain_item *it)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t i = it->key; i < it->first + it->nstmts; i++) {
		if (stmts[i].code == OPT_NOP)
			continue;
		h = (h ^ stmts[i].code) * 0x100000001b3ull;
		h = (h ^ stmts[i].k) * 0x100000001b3ull;
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* Groups segments computing the same value right after the first one of
 * them, keeping everything else in place (a stable counting sort on the
 * group's first appearance).  A chain without repeated values keeps its
 * order, so grouping never undoes the sharing of identical tails.
 *
 * A segment whose statements may stop the program (a load not proven to
 * fit) must keep every segment that preceded it in front of it: then the
 * new order runs it only where the input did (every earlier test failed),
 * and a load that fails there failed in the input too.  Moving it later
 * is free: where the input's run did not fail, its load worked.  That is
 * libpcap's contract (wprog.h), and the order libpcap's optimizer gives a
 * host chain ([26] tests, then [30] tests, the first load of [30] moved
 * behind the [26] tests).
 * Returns 1 if the order changed, 0 if not, 2 if the grouping would move
 * a test in front of an impure segment, or BPFCAP_E_NOMEM. */
static int group_segments(const struct chain_ctx *c, uint32_t nsegs)
{
	uint32_t nslots = 16;
	while (nslots < 2 * nsegs)
		nslots *= 2;
	uint32_t *slot = malloc(nslots * sizeof *slot);       /* first segment of a group */
	uint32_t *group = malloc(nsegs * sizeof *group);      /* group of each segment */
	uint32_t *count = calloc(nsegs + 1, sizeof *count);
	struct segment *sorted = malloc(nsegs * sizeof *sorted);
	int rc = BPFCAP_E_NOMEM;
	if (!slot || !group || !count || !sorted)
		goto out;
	memset(slot, 0xff, nslots * sizeof *slot);
	uint32_t ngroups = 0;
	for (uint32_t i = 0; i < nsegs; i++) {
		const struct chain_item *it = &c->items[c->segs[i].start];
		uint32_t h = segment_hash(c->stmts, it) & (nslots - 1);
		for (;; h = (h + 1) & (nslots - 1)) {
			if (slot[h] == OPT_NONE) {
				slot[h] = i;
				group[i] = ngroups++;
				break;
			}
			if (compare_stmts(c->stmts, &c->items[c->segs[slot[h]].start], it) == 0) {
				group[i] = group[slot[h]];
				break;
			}
		}
	}
	for (uint32_t i = 0; i < nsegs; i++)
		count[group[i] + 1]++;
	for (uint32_t g = 0; g < ngroups; g++)
		count[g + 1] += count[g];
	rc = 0;
	uint32_t ahead = 0; /* 1 + the latest new position of a segment seen */
	for (uint32_t i = 0; i < nsegs; i++) {
		uint32_t at = count[group[i]]++;
		if (!c->segs[i].pure && ahead > at + 1) {
			rc = 2;
			goto out;
		}
		ahead = at + 1 > ahead ? at + 1 : ahead;
		sorted[at] = c->segs[i];
		rc |= at != i;
	}
	memcpy(c->segs, sorted, nsegs * sizeof *sorted);
out:
	free(slot);
	free(group);
	free(count);
	free(sorted);
	return rc;
}

/* Rewrites the chain's blocks (positions stay, contents move). */
static void place_items(struct chain_ctx *c, uint32_t n, uint32_t nsegs, uint32_t t,
			uint32_t exit)
{
	struct opt_block *blocks = c->cfg->blocks;
	uint32_t pos = 0;
	for (uint32_t s = 0; s < nsegs; s++) {
		for (uint32_t i = 0; i < c->segs[s].len; i++, pos++) {
			const struct chain_item *it = &c->items[c->segs[s].start + i];
			struct opt_block *b = &blocks[c->members[pos]];
			uint32_t next = pos + 1 < n ? c->members[pos + 1] : exit;
			b->first = it->first;
			b->nstmts = it->nstmts;
			b->code = it->code;
			b->k = it->k;
			b->succ[it->exit_side] = t;
			b->succ[1 - it->exit_side] = next;
		}
	}
}

/* The head's value without the statements before it that only set X:
 * members read that X (chain_regs.fixed) and see the same, so the head's
 * "ldxb 4*([14]&0xf); ldh [x+14]" names the value a member's "ldh [x+14]"
 * does, and the two group together. */
static uint32_t head_key(const struct opt_cfg *cfg, const struct opt_block *b)
{
	uint32_t i = b->first;
	for (; i < b->first + b->nstmts; i++) {
		const struct winsn *w = &cfg->stmts[i];
		if (w->code != OPT_NOP && opt_insn_defs(w) != 1u << OPT_REG_X)
			break;
	}
	return i;
}

static int sort_chain(struct chain_ctx *c, uint32_t n, uint32_t t, uint32_t exit)
{
	const struct opt_cfg *cfg = c->cfg;
	uint32_t nsegs = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct opt_block *b = &cfg->blocks[c->members[i]];
		struct chain_item *it = &c->items[i];
		*it = (struct chain_item){ b->first, b->nstmts, i == 0 ? head_key(cfg, b) : b->first,
					   b->code, b->k, side_to(b, t) };
		struct chain_regs r = { 0, 0, 0, 0 };
		if (classify_member(cfg, b, NULL, &r, NULL) == 1 || i == 0) {
			/* (purity was judged when collecting) */
			c->segs[nsegs] = (struct segment){ i, 0, c->pure[i] };
			nsegs++;
		}
		c->segs[nsegs - 1].len++;
	}
	if (nsegs < 2)
		return 0;
	int rc = group_segments(c, nsegs);
	if (rc <= 0 || rc == 2)
		return rc;
	place_items(c, n, nsegs, t, exit);
	return 1;
}

/* A block that does nothing but "ret #0". */
static int returns_zero(const struct opt_cfg *cfg, uint32_t bi)
{
	const struct opt_block *b = &cfg->blocks[bi];
	if (b->term != OPT_RET || b->code != (CBPF_RET | CBPF_K) || b->k != 0)
		return 0;
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++)
		if (cfg->stmts[i].code != OPT_NOP)
			return 0;
	return 1;
}

int opt_sort_chains(struct opt_cfg *cfg, const struct opt_flow *f, const opt_regmask *live_in)
{
	uint32_t n = cfg->nblocks;
	struct chain_ctx c = { cfg, cfg->stmts, malloc(n * sizeof *c.items),
			       malloc(n * sizeof *c.segs), malloc(n * sizeof *c.members),
			       malloc(n) };
	uint8_t *done = calloc(n, 1);
	if (!c.items || !c.segs || !c.members || !c.pure || !done) {
		free(c.items);
		free(c.segs);
		free(c.members);
		free(c.pure);
		free(done);
		return BPFCAP_E_NOMEM;
	}
	int changes = 0;
	for (uint32_t h = cfg->entry; h < n; h++) {
		if (!cfg->reachable[h] || !f->seen[h] || done[h] || cfg->blocks[h].term != OPT_COND)
			continue;
		uint32_t best_len = 0, best_t = 0;
		opt_regmask best_defs = 0;
		uint32_t best_minlen = 0;
		for (int side = 0; side < 2; side++) {
			opt_regmask defs;
			uint32_t t = cfg->blocks[h].succ[side];
			uint32_t minlen = returns_zero(cfg, t) ? UINT32_MAX : f->minlen_in[h];
			uint32_t len = collect_chain(&c, h, t, minlen, 0, &defs);
			if (len > best_len) {
				best_len = len;
				best_t = t;
				best_defs = defs;
				best_minlen = minlen;
			}
		}
		if (best_len < 2)
			continue;
		/* With the impure members first; if grouping would move a
		 * test in front of one, the chain that stops before it. */
		int rc = 2;
		for (int strict = 0; strict < 2 && rc == 2; strict++) {
			uint32_t len = collect_chain(&c, h, best_t, best_minlen, strict, &best_defs);
			const struct opt_block *last = &cfg->blocks[c.members[len - 1]];
			uint32_t exit = last->succ[1 - side_to(last, best_t)];
			/* What the chain writes must not be read after it,
			 * whichever test ends it. */
			if (len < 2 || (best_defs & (live_in[best_t] | live_in[exit]))) {
				rc = 0;
				break;
			}
			rc = sort_chain(&c, len, best_t, exit);
			if (rc != 2)
				for (uint32_t i = 0; i < len; i++)
					done[c.members[i]] = 1;
		}
		if (rc < 0) {
			changes = rc;
			break;
		}
		changes += rc == 1;
	}
	free(c.items);
	free(c.segs);
	free(c.members);
	free(c.pure);
	free(done);
	return changes;
}
