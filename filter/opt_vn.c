/* Value numbers: one number per distinct expression over the packet, the
 * wire length and constants, so that two computations of the same value
 * get the same number wherever they occur (hash-consing).  A packet never
 * changes while the filter runs, so "the 2 bytes at 12" is one value. */
#include <stdlib.h>
#include <string.h>

#include "opt.h"

void opt_vn_init(struct opt_vn_table *t)
{
	memset(t, 0, sizeof *t);
}

void opt_vn_free(struct opt_vn_table *t)
{
	free(t->vals);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* Forget every number (each optimizer round renumbers from scratch) but
 * keep the memory. */
void opt_vn_reset(struct opt_vn_table *t)
{
	t->nvals = 1;
	if (t->slots)
		memset(t->slots, 0, t->nslots * sizeof *t->slots);
}

static uint32_t vn_hash(uint8_t kind, uint16_t b, uint32_t a, uint32_t k)
{
	uint64_t h = ((uint64_t)kind << 56) ^ ((uint64_t)b << 40) ^ ((uint64_t)a << 20) ^ k;
	h ^= (uint64_t)k << 32;
	h *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

static int vn_equal(const struct opt_vn *v, uint8_t kind, uint16_t b, uint32_t a, uint32_t k)
{
	return v->kind == kind && v->b == b && v->a == a && v->k == k;
}

static int vn_grow(struct opt_vn_table *t)
{
	if (t->nvals + 1 >= t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 1024;
		struct opt_vn *v = realloc(t->vals, cap * sizeof *v);
		if (!v)
			return -1;
		t->vals = v;
		t->cap = cap;
	}
	/* Keep the load factor under 1/2 so probe chains stay short. */
	if (2 * (t->nvals + 1) >= t->nslots) {
		uint32_t nslots = t->nslots ? t->nslots * 2 : 2048;
		uint32_t *slots = calloc(nslots, sizeof *slots);
		if (!slots)
			return -1;
		for (uint32_t n = 1; n < t->nvals; n++) {
			const struct opt_vn *v = &t->vals[n];
			uint32_t h = vn_hash(v->kind, v->b, v->a, v->k) & (nslots - 1);
			while (slots[h])
				h = (h + 1) & (nslots - 1);
			slots[h] = n;
		}
		free(t->slots);
		t->slots = slots;
		t->nslots = nslots;
	}
	return 0;
}

uint32_t opt_vn_get(struct opt_vn_table *t, uint8_t kind, uint16_t b, uint32_t a, uint32_t k)
{
	if (t->nvals == 0)
		t->nvals = 1;
	if (vn_grow(t)) {
		t->oom = 1;
		return 0;
	}
	uint32_t h = vn_hash(kind, b, a, k) & (t->nslots - 1);
	for (; t->slots[h]; h = (h + 1) & (t->nslots - 1))
		if (vn_equal(&t->vals[t->slots[h]], kind, b, a, k))
			return t->slots[h];
	uint32_t n = t->nvals++;
	t->vals[n] = (struct opt_vn){ kind, b, a, k };
	t->slots[h] = n;
	return n;
}

int opt_vn_const(const struct opt_vn_table *t, uint32_t vn, uint32_t *k)
{
	if (vn == 0 || vn >= t->nvals || t->vals[vn].kind != VN_CONST)
		return 0;
	*k = t->vals[vn].k;
	return 1;
}
