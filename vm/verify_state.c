/* The verifier's abstract domain: joins, scalar arithmetic, branch
 * refinement (see verify_state.h). */
#include "verify_state.h"

#define U32_MAX_ UINT64_C(0xffffffff)

struct vreg vreg_scalar(uint64_t umin, uint64_t umax)
{
	return (struct vreg){ .kind = VREG_SCALAR, .umin = umin, .umax = umax };
}

/* ---- join ---------------------------------------------------------------- */

static struct vreg join_reg(const struct vreg *a, const struct vreg *b)
{
	if (a->kind == VREG_NOT_INIT || b->kind == VREG_NOT_INIT) {
		if (a->kind == VREG_NOT_INIT && b->kind == VREG_NOT_INIT)
			return *a; /* keep the first reason */
		return (struct vreg){ .kind = VREG_NOT_INIT, .unset = UNSET_SOME_PATH };
	}
	if (a->kind != b->kind || a->kind == VREG_MIXED)
		return (struct vreg){ .kind = VREG_MIXED };
	switch (a->kind) {
	case VREG_SCALAR:
		return vreg_scalar(a->umin < b->umin ? a->umin : b->umin,
				   a->umax > b->umax ? a->umax : b->umax);
	case VREG_CTX:
	case VREG_STACK:
		if (a->off != b->off)
			return (struct vreg){ .kind = VREG_MIXED };
		return *a;
	case VREG_PACKET: {
		/* Same id: the same variable part (ids are made once per
		 * instruction and instructions run at most once); the proven
		 * range is what both paths proved. */
		if (a->id != b->id || a->off != b->off)
			return (struct vreg){ .kind = VREG_MIXED };
		struct vreg r = *a;
		if (b->umax > r.umax)
			r.umax = b->umax;
		if (b->range < r.range)
			r.range = b->range;
		return r;
	}
	case VREG_MAP_PTR:
	case VREG_MAP_VALUE:
		if (a->map != b->map || a->off != b->off)
			return (struct vreg){ .kind = VREG_MIXED };
		return *a;
	case VREG_MAP_VALUE_OR_NULL:
		/* One lookup (one id) reaching here along two edges. */
		if (a->id != b->id || a->off != b->off)
			return (struct vreg){ .kind = VREG_MIXED };
		return *a;
	default:
		return *a;
	}
}

void vstate_join(struct vstate *a, const struct vstate *b)
{
	for (int i = 0; i < EBPF_NREGS; i++)
		a->r[i] = join_reg(&a->r[i], &b->r[i]);
	for (size_t i = 0; i < sizeof a->stack_init; i++)
		a->stack_init[i] &= b->stack_init[i];
}

/* ---- exact evaluation ------------------------------------------------------ */

static uint64_t swap_bytes(uint64_t v, int bits)
{
	uint64_t r = 0;
	for (int i = 0; i < bits / 8; i++)
		r = r << 8 | ((v >> (8 * i)) & 0xff);
	return r;
}

static uint64_t sign_extend(uint64_t v, int bits)
{
	if (bits >= 64)
		return v;
	uint64_t m = UINT64_C(1) << (bits - 1);
	v &= (m << 1) - 1;
	return (v ^ m) - m;
}

/* Byte order of the host: the interpreter and the JIT run on x86-64 and
 * the kernel on the same machine, so "to big endian" swaps. */
static uint64_t end_exact(uint8_t cls, uint8_t src_bit, int32_t imm, uint64_t a)
{
	int bits = imm == 16 || imm == 32 || imm == 64 ? imm : 64;
	if (cls == EBPF_ALU64 || src_bit == EBPF_TO_BE)
		return swap_bytes(a, bits);
	return bits == 64 ? a : a & ((UINT64_C(1) << bits) - 1);
}

static uint64_t alu_exact_width(uint8_t op, int16_t off, uint64_t a, uint64_t b, int bits)
{
	uint64_t mask = bits == 64 ? UINT64_MAX : U32_MAX_;
	int64_t sa = (int64_t)sign_extend(a, bits), sb = (int64_t)sign_extend(b, bits);
	switch (op) {
	case EBPF_ADD: return a + b;
	case EBPF_SUB: return a - b;
	case EBPF_MUL: return a * b;
	case EBPF_DIV:
		if (off == EBPF_OFF_SIGNED) {
			if (sb == 0)
				return 0;
			if (sb == -1)
				return (uint64_t)0 - (uint64_t)sa; /* INT_MIN / -1 wraps */
			return (uint64_t)(sa / sb);
		}
		return (b & mask) ? (a & mask) / (b & mask) : 0;
	case EBPF_MOD:
		if (off == EBPF_OFF_SIGNED) {
			if (sb == 0)
				return (uint64_t)sa;
			if (sb == -1)
				return 0;
			return (uint64_t)(sa % sb);
		}
		return (b & mask) ? (a & mask) % (b & mask) : a;
	case EBPF_OR: return a | b;
	case EBPF_AND: return a & b;
	case EBPF_XOR: return a ^ b;
	case EBPF_LSH: return a << (b & (uint64_t)(bits - 1));
	case EBPF_RSH: return (a & mask) >> (b & (uint64_t)(bits - 1));
	case EBPF_ARSH: return (uint64_t)(sa >> (b & (uint64_t)(bits - 1)));
	case EBPF_NEG: return (uint64_t)0 - a;
	case EBPF_MOV:
		if (off == 8 || off == 16 || off == 32)
			return sign_extend(b, off);
		return b;
	default: return 0;
	}
}

uint64_t alu_exact(const struct ebpf_insn *in, uint64_t a, uint64_t b)
{
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int16_t off = in->off;
	if (op == EBPF_END)
		return end_exact(cls, EBPF_SRC(in->code), in->imm, a);
	if (cls == EBPF_ALU)
		return alu_exact_width(op, off, a & U32_MAX_, b & U32_MAX_, 32) & U32_MAX_;
	return alu_exact_width(op, off, a, b, 64);
}

/* ---- bounds ----------------------------------------------------------------- */

/* Low 32 bits of a scalar: itself when it fits, else unknown. */
static struct vreg trunc32(struct vreg r)
{
	if (r.umax <= U32_MAX_)
		return r;
	if (r.umin == r.umax)
		return vreg_const(r.umin & U32_MAX_);
	return vreg_scalar(0, U32_MAX_);
}

/* All ones up to the highest set bit of v. */
static uint64_t fill_below(uint64_t v)
{
	v |= v >> 1;
	v |= v >> 2;
	v |= v >> 4;
	v |= v >> 8;
	v |= v >> 16;
	v |= v >> 32;
	return v;
}

static struct vreg bounds_of(uint8_t op, int16_t off, struct vreg a, struct vreg b, uint64_t max,
			     int bits)
{
	struct vreg full = vreg_scalar(0, max);
	switch (op) {
	case EBPF_ADD:
		if (a.umax > max - b.umax)
			return full;
		return vreg_scalar(a.umin + b.umin, a.umax + b.umax);
	case EBPF_SUB:
		if (a.umin < b.umax)
			return full;
		return vreg_scalar(a.umin - b.umax, a.umax - b.umin);
	case EBPF_MUL:
		if (b.umax != 0 && a.umax > max / b.umax)
			return full;
		return vreg_scalar(a.umin * b.umin, a.umax * b.umax);
	case EBPF_DIV:
		if (off != 0)
			return full;
		if (b.umin == 0)
			return vreg_scalar(0, a.umax); /* x / 0 = 0 */
		return vreg_scalar(a.umin / b.umax, a.umax / b.umin);
	case EBPF_MOD:
		if (off != 0)
			return full;
		if (b.umin == 0)
			return vreg_scalar(0, a.umax); /* x % 0 = x */
		return vreg_scalar(0, a.umax < b.umax - 1 ? a.umax : b.umax - 1);
	case EBPF_AND:
		return vreg_scalar(0, a.umax < b.umax ? a.umax : b.umax);
	case EBPF_OR:
	case EBPF_XOR:
		return vreg_scalar(0, fill_below(a.umax | b.umax));
	case EBPF_LSH:
		if (b.umin != b.umax)
			return full;
		{
			unsigned s = (unsigned)(b.umin & (uint64_t)(bits - 1));
			if (s && a.umax > (max >> s))
				return full;
			return vreg_scalar(a.umin << s, a.umax << s);
		}
	case EBPF_RSH:
		if (b.umin != b.umax)
			return vreg_scalar(0, a.umax);
		{
			unsigned s = (unsigned)(b.umin & (uint64_t)(bits - 1));
			return vreg_scalar(a.umin >> s, a.umax >> s);
		}
	case EBPF_ARSH:
		/* Non-negative values shift like RSH. */
		if (b.umin != b.umax || a.umax > (max >> 1))
			return full;
		{
			unsigned s = (unsigned)(b.umin & (uint64_t)(bits - 1));
			return vreg_scalar(a.umin >> s, a.umax >> s);
		}
	case EBPF_MOV:
		if (off == 0)
			return b;
		return full;
	default:
		return full;
	}
}

struct vreg scalar_alu(const struct ebpf_insn *in, struct vreg dst, struct vreg src)
{
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int16_t off = in->off;
	int32_t imm = in->imm;
	int bits = cls == EBPF_ALU ? 32 : 64;
	uint64_t max = bits == 32 ? U32_MAX_ : UINT64_MAX;

	if (op == EBPF_END) {
		int ibits = imm == 16 || imm == 32 ? imm : 64;
		if (vreg_is_const(&dst))
			return vreg_const(alu_exact(in, dst.umin, 0));
		return vreg_scalar(0, ibits == 64 ? UINT64_MAX : (UINT64_C(1) << ibits) - 1);
	}
	if (bits == 32) {
		dst = trunc32(dst);
		src = trunc32(src);
	}
	if (op == EBPF_NEG) {
		if (vreg_is_const(&dst))
			return vreg_const(alu_exact(in, dst.umin, 0));
		return vreg_scalar(0, max);
	}
	if (op == EBPF_MOV && vreg_is_const(&src))
		return vreg_const(alu_exact(in, 0, src.umin));
	if (op != EBPF_MOV && vreg_is_const(&dst) && vreg_is_const(&src))
		return vreg_const(alu_exact(in, dst.umin, src.umin));
	struct vreg r = bounds_of(op, off, dst, src, max, bits);
	if (r.umax > max)
		r = vreg_scalar(0, max);
	return r;
}

/* ---- branch refinement -------------------------------------------------------- */

int scalar_refine(struct vreg *r, uint8_t op, uint64_t k, int taken)
{
	uint64_t lo = r->umin, hi = r->umax;
	/* Reduce to "r in [lo, hi]" under the outcome. */
	switch (op) {
	case EBPF_JEQ:
	case EBPF_JNE:
		if ((op == EBPF_JEQ) == (taken != 0)) { /* r == k */
			if (k < lo || k > hi)
				return 0;
			lo = hi = k;
		} else { /* r != k */
			if (lo == k && hi == k)
				return 0;
			if (lo == k)
				lo++;
			else if (hi == k)
				hi--;
		}
		break;
	case EBPF_JGT:
	case EBPF_JLE:
		if ((op == EBPF_JGT) == (taken != 0)) { /* r > k */
			if (k == UINT64_MAX)
				return 0;
			if (lo < k + 1)
				lo = k + 1;
		} else if (hi > k) { /* r <= k */
			hi = k;
		}
		break;
	case EBPF_JGE:
	case EBPF_JLT:
		if ((op == EBPF_JGE) == (taken != 0)) { /* r >= k */
			if (lo < k)
				lo = k;
		} else { /* r < k */
			if (k == 0)
				return 0;
			if (hi > k - 1)
				hi = k - 1;
		}
		break;
	default:
		return 1;
	}
	if (lo > hi)
		return 0;
	r->umin = lo;
	r->umax = hi;
	return 1;
}
