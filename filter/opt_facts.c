/* Facts: outcomes of conditional jumps known to hold on every path to a
 * point.  A set is sorted by (value, code, operand), so two sets meet in
 * one merge-like sweep, and holds at most OPT_FACT_CAP facts.  Dropping a
 * fact only loses precision, never correctness; when full, the facts on
 * the highest value numbers go first, because numbers are handed out in
 * program order and the tests that matter most downstream (link-layer
 * type, IP version) come first in the programs we compile. */
#include <string.h>

#include "opt.h"

static int fact_cmp(const struct opt_fact *x, const struct opt_fact *y)
{
	if (x->vn != y->vn)
		return x->vn < y->vn ? -1 : 1;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return 0;
}

void opt_facts_add(struct opt_factset *s, struct opt_fact f)
{
	uint32_t i = 0;
	while (i < s->n && fact_cmp(&s->f[i], &f) < 0)
		i++;
	if (i < s->n && fact_cmp(&s->f[i], &f) == 0)
		return; /* a contradiction can only be on a path never taken */
	if (i == OPT_FACT_CAP)
		return;
	if (s->n == OPT_FACT_CAP)
		s->n--;
	memmove(&s->f[i + 1], &s->f[i], (s->n - i) * sizeof s->f[0]);
	s->f[i] = f;
	s->n++;
}

void opt_facts_copy(struct opt_factset *dst, const struct opt_factset *src)
{
	/* Only the n facts in use: copying the whole array per edge was a
	 * large part of the optimizer's time on long chains. */
	dst->n = src->n;
	memcpy(dst->f, src->f, src->n * sizeof src->f[0]);
}

/* Where opt_facts_add would put f in s: its index, or OPT_FACT_CAP when it
 * would not go in (its key is there already, or it sorts after a full set). */
static uint32_t add_position(const struct opt_factset *s, const struct opt_fact *f)
{
	uint32_t i = 0;
	while (i < s->n && fact_cmp(&s->f[i], f) < 0)
		i++;
	if (i < s->n && fact_cmp(&s->f[i], f) == 0)
		return OPT_FACT_CAP;
	return i;
}

void opt_facts_meet(struct opt_factset *s, const struct opt_factset *other,
		    const struct opt_fact *extra)
{
	/* The same result as intersecting s with a copy of other to which
	 * extra was added (opt_facts_add's rules, the last fact falling off a
	 * full set included), without building that copy. */
	uint32_t at = extra ? add_position(other, extra) : OPT_FACT_CAP;
	uint32_t m = other->n;
	if (at < OPT_FACT_CAP && m == OPT_FACT_CAP)
		m--;
	uint32_t i = 0, j = 0, n = 0;
	int extra_done = at == OPT_FACT_CAP;
	while (i < s->n && (j < m || !extra_done)) {
		const struct opt_fact *o;
		int from_extra = !extra_done && j == at;
		o = from_extra ? extra : &other->f[j];
		int c = fact_cmp(&s->f[i], o);
		if (c < 0) {
			i++;
			continue;
		}
		if (c == 0) {
			if (s->f[i].outcome == o->outcome)
				s->f[n++] = s->f[i];
			i++;
		}
		if (from_extra)
			extra_done = 1;
		else
			j++;
	}
	s->n = n;
}

static int eval_jump(uint16_t op, uint32_t a, uint32_t k)
{
	switch (op) {
	case CBPF_JEQ: return a == k;
	case CBPF_JGT: return a > k;
	case CBPF_JGE: return a >= k;
	default: return (a & k) != 0; /* JSET */
	}
}

/* What the facts on one value imply: an interval [lo, hi] from compares,
 * bits known clear (from failed jset) and known set (from passed jset). */
struct value_bounds {
	int64_t lo, hi;
	uint32_t clear, set;
};

static void bounds_learn(struct value_bounds *b, const struct opt_fact *f)
{
	if (CBPF_SRC(f->code) == CBPF_X)
		return;
	int64_t k = f->k;
	switch (CBPF_OP(f->code)) {
	case CBPF_JEQ:
		if (f->outcome) {
			b->lo = b->lo > k ? b->lo : k;
			b->hi = b->hi < k ? b->hi : k;
		}
		break;
	case CBPF_JGT:
		if (f->outcome)
			b->lo = b->lo > k + 1 ? b->lo : k + 1;
		else
			b->hi = b->hi < k ? b->hi : k;
		break;
	case CBPF_JGE:
		if (f->outcome)
			b->lo = b->lo > k ? b->lo : k;
		else
			b->hi = b->hi < k - 1 ? b->hi : k - 1;
		break;
	case CBPF_JSET:
		if (f->outcome && (f->k & (f->k - 1)) == 0)
			b->set |= f->k; /* a single bit tested true is set */
		else if (!f->outcome)
			b->clear |= f->k;
		break;
	}
}

static int bounds_decide(const struct value_bounds *b, uint16_t op, uint32_t k)
{
	if (b->lo > b->hi)
		return -1; /* contradictory: a path never taken, leave it */
	if (b->lo == b->hi)
		return eval_jump(op, (uint32_t)b->lo, k);
	switch (op) {
	case CBPF_JEQ:
		if ((int64_t)k < b->lo || (int64_t)k > b->hi || (k & b->clear) || (~k & b->set))
			return 0;
		return -1;
	case CBPF_JGT:
		return b->lo > (int64_t)k ? 1 : b->hi <= (int64_t)k ? 0 : -1;
	case CBPF_JGE:
		return b->lo >= (int64_t)k ? 1 : b->hi < (int64_t)k ? 0 : -1;
	default:
		if ((k & ~b->clear) == 0)
			return 0;
		if (k & b->set)
			return 1;
		return -1;
	}
}

static int decide_on(const struct opt_fact *facts, uint32_t n, uint32_t vn, uint16_t code,
		     uint32_t k, struct value_bounds *b)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct opt_fact *f = &facts[i];
		if (f->vn != vn)
			continue;
		if (f->code == code && f->k == k)
			return f->outcome;
		bounds_learn(b, f);
	}
	return -1;
}

int opt_facts_decide(const struct opt_factset *s, const struct opt_fact *more, uint32_t nmore,
		     const struct opt_vn_table *t, uint32_t vn, uint16_t code, uint32_t k)
{
	uint16_t op = CBPF_OP(code);
	uint32_t a, xk;
	if (CBPF_SRC(code) == CBPF_X) {
		if (opt_vn_const(t, k, &xk)) {
			code = (uint16_t)(CBPF_JMP | op | CBPF_K);
			k = xk;
		} else if (vn == k) {
			/* A compared with itself. */
			if (op == CBPF_JEQ || op == CBPF_JGE)
				return 1;
			if (op == CBPF_JGT)
				return 0;
		}
	}
	int srcx = CBPF_SRC(code) == CBPF_X;
	if (!srcx && opt_vn_const(t, vn, &a))
		return eval_jump(op, a, k);
	struct value_bounds b = { 0, 0xffffffffll, 0, 0 };
	int d = decide_on(s->f, s->n, vn, code, k, &b);
	if (d < 0)
		d = decide_on(more, nmore, vn, code, k, &b);
	if (d >= 0)
		return d;
	return srcx ? -1 : bounds_decide(&b, op, k);
}
