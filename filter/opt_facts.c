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

void opt_facts_intersect(struct opt_factset *s, const struct opt_factset *other)
{
	uint32_t i = 0, j = 0, n = 0;
	while (i < s->n && j < other->n) {
		int c = fact_cmp(&s->f[i], &other->f[j]);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			if (s->f[i].outcome == other->f[j].outcome)
				s->f[n++] = s->f[i];
			i++;
			j++;
		}
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

int opt_facts_decide(const struct opt_factset *s, const struct opt_vn_table *t, uint32_t vn,
		     uint16_t code, uint32_t k)
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
	for (uint32_t i = 0; i < s->n; i++) {
		const struct opt_fact *f = &s->f[i];
		if (f->vn != vn)
			continue;
		if (f->code == code && f->k == k)
			return f->outcome;
		bounds_learn(&b, f);
	}
	return srcx ? -1 : bounds_decide(&b, op, k);
}
