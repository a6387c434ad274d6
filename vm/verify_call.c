/* Helper calls and maps in the verifier (see verify_call.h).
 *
 * What a counting program needs and no more (kernel/bpf/verifier.c,
 * check_helper_call and check_func_arg, reduced):
 *   - LD_IMM64 src = EBPF_PSEUDO_MAP_FD loads CONST_PTR_TO_MAP; imm must
 *     name a map of the table the caller gave (ebpf_verify_maps).
 *   - helpers: 7 and 8 (no arguments, a number back) as before; with a
 *     map table also 1, bpf_map_lookup_elem(map, key): r1 a map pointer
 *     exactly (ARG_CONST_MAP_PTR), r2 a pointer to key_size initialised
 *     stack bytes (ARG_PTR_TO_MAP_KEY: the kernel also takes a packet or
 *     map value pointer; we take the stack only), r0 back a map value or
 *     NULL (RET_PTR_TO_MAP_VALUE_OR_NULL).
 *   - a value may be NULL until a JEQ/JNE against 0 splits it.  Stricter
 *     than the kernel 6.18, which drops the NULL for an array lookup whose
 *     key is a constant in range (check_helper_call, "map_key_is_const"):
 *     we demand the check always, so no program we accept depends on a
 *     key value analysis.
 *   - value accesses inside [0, value_size), any size, loads and stores of
 *     numbers (pointers never: the caller refuses storing them).
 * r1-r5 are clobbered by every call (the caller marks them).
 */
#include <stdarg.h>
#include <stdio.h>

#include "verify_call.h"

#define HELPER_NAME(id)                                                             \
	((id) == EBPF_HELPER_MAP_LOOKUP_ELEM ? "bpf_map_lookup_elem"                 \
	 : (id) == EBPF_HELPER_GET_PRANDOM_U32 ? "bpf_get_prandom_u32"               \
					       : "bpf_get_smp_processor_id")

static const struct ebpf_map_desc *map_by_fd(const struct vcall_maps *m, int32_t fd, size_t *idx)
{
	for (size_t i = 0; i < m->nmaps; i++)
		if (m->maps[i].fd == fd) {
			if (idx)
				*idx = i;
			return &m->maps[i];
		}
	return NULL;
}

static int reject(char *why, size_t whysz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int reject(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
	return -1;
}

int vcall_check_ld_map(const struct vcall_maps *m, const struct ebpf_insn *in,
		       const struct ebpf_insn *hi, char *why, size_t whysz)
{
	const struct ebpf_map_desc *d = map_by_fd(m, in->imm, NULL);
	if (!d)
		return reject(why, whysz,
			      "map fd %d is not a map: the program was verified with %zu map%s and "
			      "none has that fd (the kernel: \"fd %d is not pointing to valid bpf_map\")",
			      in->imm, m->nmaps, m->nmaps == 1 ? "" : "s", in->imm);
	if (hi->imm)
		return reject(why, whysz,
			      "a map reference's second slot must have imm 0 (it has %d)", hi->imm);
	if (!ebpf_map_type_supported(d->type))
		return reject(why, whysz, "map fd %d is a %s map: only arrays are supported", in->imm,
			      ebpf_map_type_name(d->type));
	return 0;
}

struct vreg vcall_ld_map_reg(const struct vcall_maps *m, const struct ebpf_insn *in)
{
	size_t idx = 0;
	map_by_fd(m, in->imm, &idx); /* pass 1 proved it is there */
	return (struct vreg){ .kind = VREG_MAP_PTR, .map = (uint32_t)idx };
}

static const char *arg_kind(const struct vreg *r)
{
	switch (r->kind) {
	case VREG_NOT_INIT:
		return r->unset == UNSET_CALL     ? "clobbered by an earlier call"
		       : r->unset == UNSET_LD_PKT ? "clobbered by an LD_ABS/LD_IND"
						  : "not set on every path";
	case VREG_SCALAR: return "a number";
	case VREG_CTX: return "the context pointer";
	case VREG_STACK: return "a stack pointer";
	case VREG_PACKET: return "a packet pointer";
	case VREG_PACKET_END: return "data_end";
	case VREG_MAP_PTR: return "a map pointer";
	case VREG_MAP_VALUE: return "a map value pointer";
	case VREG_MAP_VALUE_OR_NULL: return "a map value pointer that may be NULL";
	default: return "a different kind of value on different paths";
	}
}

static int stack_key(const struct vcall_maps *m, const struct vstate *st, const struct vreg *key,
		     const struct ebpf_map_desc *d, char *why, size_t whysz)
{
	int64_t lo = key->off, hi = key->off + (int64_t)d->key_size;
	if (lo < -EBPF_STACK_SIZE || hi > 0)
		return reject(why, whysz,
			      "bpf_map_lookup_elem's key [r10%+lld, r10%+lld) is outside the %d-byte "
			      "stack frame", (long long)lo, (long long)hi, EBPF_STACK_SIZE);
	for (int64_t i = lo + EBPF_STACK_SIZE; i < hi + EBPF_STACK_SIZE; i++)
		if (!(st->stack_init[i / 8] & (1u << (i % 8))))
			return reject(why, whysz,
				      "bpf_map_lookup_elem's key [r10%+lld, r10%+lld) (%u bytes) is not "
				      "written on every path to here (stack byte r10%+lld)",
				      (long long)lo, (long long)hi, d->key_size,
				      (long long)(i - EBPF_STACK_SIZE));
	(void)m;
	return 0;
}

int vcall_helper(const struct vcall_maps *m, enum ebpf_target target, const struct vstate *st,
		 int32_t id, size_t pc, uint32_t *next_id, struct vreg *r0, char *why, size_t whysz)
{
	if (id == EBPF_HELPER_GET_PRANDOM_U32 || id == EBPF_HELPER_GET_SMP_PROCESSOR_ID) {
		/* Unbounded, as the kernel's RET_INTEGER (both return a u32). */
		*r0 = vreg_scalar(0, UINT64_MAX);
		return 0;
	}
	if (!m->maps)
		return reject(why, whysz,
			      "unknown helper %d (a %s filter may call only 7 bpf_get_prandom_u32 and 8 "
			      "bpf_get_smp_processor_id)", id, ebpf_target_name(target));
	if (id != EBPF_HELPER_MAP_LOOKUP_ELEM)
		return reject(why, whysz,
			      "unknown helper %d (a %s program with maps may call only 1 "
			      "bpf_map_lookup_elem, 7 bpf_get_prandom_u32 and 8 "
			      "bpf_get_smp_processor_id)", id, ebpf_target_name(target));
	const struct vreg *map = &st->r[EBPF_REG_1], *key = &st->r[EBPF_REG_2];
	if (map->kind != VREG_MAP_PTR)
		return reject(why, whysz,
			      "%s's argument 1 (r1) must be a map pointer (r1 = map[fd:N]), but r1 is %s",
			      HELPER_NAME(id), arg_kind(map));
	const struct ebpf_map_desc *d = &m->maps[map->map];
	if (key->kind != VREG_STACK)
		return reject(why, whysz,
			      "%s's argument 2 (r2) must point to the key on the stack, but r2 is %s",
			      HELPER_NAME(id), arg_kind(key));
	if (stack_key(m, st, key, d, why, whysz))
		return -1;
	*r0 = (struct vreg){ .kind = VREG_MAP_VALUE_OR_NULL, .map = map->map, .id = ++*next_id,
			     .at = pc };
	return 0;
}

int vcall_map_access(const struct vcall_maps *m, const struct vreg *p, int reg, int64_t off,
		     unsigned size, int write, char *why, size_t whysz)
{
	const struct ebpf_map_desc *d = &m->maps[p->map];
	switch (p->kind) {
	case VREG_MAP_PTR:
		return reject(why, whysz,
			      "r%d is a map pointer (map[fd:%d]): it may only be passed to a helper, not "
			      "dereferenced", reg, d->fd);
	case VREG_MAP_VALUE_OR_NULL:
		return reject(why, whysz,
			      "r%d may be NULL: the bpf_map_lookup_elem at insn %zu returns NULL for a "
			      "missing key; compare it with 0 first (if r%d == 0 goto ...)", reg, p->at,
			      reg);
	default: {
		int64_t a = p->off + off;
		if (a < 0 || a + (int64_t)size > (int64_t)d->value_size)
			return reject(why, whysz,
				      "map value %s [%lld, %lld) through r%d is outside the %u-byte value "
				      "of map[fd:%d]", write ? "store" : "load", (long long)a,
				      (long long)(a + size), reg, d->value_size, d->fd);
		return 0;
	}
	}
}

/* Every register holding lookup `id` becomes a value (non_null) or 0. */
static void mark_null_or_value(struct vstate *st, uint32_t id, int non_null)
{
	for (int r = 0; r < EBPF_NREGS; r++) {
		struct vreg *x = &st->r[r];
		if (x->kind != VREG_MAP_VALUE_OR_NULL || x->id != id)
			continue;
		if (non_null) {
			x->kind = VREG_MAP_VALUE;
			x->id = 0;
		} else {
			*x = vreg_const(0);
		}
	}
}

int vcall_cond_jump(const struct ebpf_insn *in, const struct vreg *dst, const struct vreg *src,
		    struct vstate *fall, struct vstate *taken, char *why, size_t whysz)
{
	uint8_t op = EBPF_OP(in->code);
	int null_check = EBPF_CLASS(in->code) == EBPF_JMP && EBPF_SRC(in->code) == EBPF_K &&
			 in->imm == 0 && (op == EBPF_JEQ || op == EBPF_JNE) &&
			 dst->kind == VREG_MAP_VALUE_OR_NULL && dst->off == 0;
	if (!null_check)
		return reject(why, whysz,
			      "comparison of %s with %s: a map pointer or value may only be compared, "
			      "as a lookup's result, with 0 (if rN == 0 / if rN != 0, 64-bit)",
			      arg_kind(dst), arg_kind(src));
	uint32_t id = dst->id;
	mark_null_or_value(taken, id, op == EBPF_JNE);
	mark_null_or_value(fall, id, op == EBPF_JEQ);
	return 0;
}
