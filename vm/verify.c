/* The eBPF verifier (see verify.h and docs/DESIGN.md "vm/verify").
 *
 * Two passes over the instructions, both in order:
 *   1. structure: opcodes and reserved fields, register numbers, LD_IMM64
 *      pairs, jump targets (forward, in range, on an instruction start),
 *      no fall-through past the end, every instruction reachable;
 *   2. values: one abstract state flows forward; a jump leaves a copy at
 *      its target, joined with whatever else arrives there, and the
 *      instruction starts from the join of its incoming edges.  Loop-free
 *      code makes this a single pass (kernel/bpf/verifier.c explores paths
 *      one by one instead, and prunes; see DESIGN for the trade).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf_dump.h"
#include "error.h"
#include "translate.h"
#include "verify.h"
#include "verify_call.h"
#include "verify_ctx.h"
#include "verify_state.h"

/* Packet pointers: bound on the variable part (a zero-extended 32-bit
 * value is the most a filter adds) and on any pointer's fixed offset (as
 * the kernel's BPF_MAX_VAR_OFF), so that data + var + off never wraps.  The kernel
 * caps these lower (MAX_PACKET_OFF, BPF_MAX_VAR_OFF) because it stores
 * ranges in 16 bits; our ranges are 64-bit. */
#define PKT_MAX_VAR (UINT64_C(1) << 32)
#define PTR_MAX_OFF (INT64_C(1) << 29)

#define INSN_SLOT2     0x1 /* second slot of an LD_IMM64 */
#define INSN_REACHABLE 0x2

struct verifier {
	const struct ebpf_insn *prog;
	size_t len;
	enum ebpf_target target;
	struct bpfcap_error *err;
	uint8_t *flags;           /* INSN_* per instruction */
	struct vstate **pending;  /* states left by jumps, by target */
	uint32_t next_id;         /* packet pointer and lookup ids */
	struct vcall_maps maps;   /* ebpf_verify_maps' table (verify_call.c) */
};

/* "insn N: (op) image: what (why)": the one message format. */
static int fail(struct verifier *v, size_t pc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct verifier *v, size_t pc, const char *fmt, ...)
{
	char image[128], what[224];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	ebpf_insn_image(v->prog, v->len, pc, image, sizeof image);
	return bpfcap_fail(v->err, BPFCAP_E_INVALID, -1, 0, "insn %zu: %s: %s", pc, image, what);
}

/* ==== pass 1: structure ====================================================== */

static int reserved(struct verifier *v, size_t pc, const char *field, long long value,
		    const char *why)
{
	return fail(v, pc, "reserved field %s is %lld, must be 0 (%s)", field, value, why);
}

static int check_alu_fields(struct verifier *v, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int is_x = EBPF_SRC(in->code) == EBPF_X;
	int bits = cls == EBPF_ALU64 ? 64 : 32;

	if (op > EBPF_END)
		return fail(v, pc, "unknown ALU operation 0x%02x (opcode 0x%02x)", op, in->code);
	if (op == EBPF_END) {
		if (cls == EBPF_ALU64 && is_x)
			return fail(v, pc, "bad opcode 0x%02x (64-bit byte swap has no big-endian form)",
				    in->code);
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return fail(v, pc, "byte swap width %d is not 16, 32 or 64", in->imm);
		if (in->src)
			return reserved(v, pc, "src", in->src, "byte swaps take no source");
		if (in->off)
			return reserved(v, pc, "off", in->off, "byte swaps take no offset");
		return 0;
	}
	if (op == EBPF_NEG) {
		if (is_x)
			return fail(v, pc, "bad opcode 0x%02x (NEG has no register form)", in->code);
		if (in->src || in->off || in->imm)
			return reserved(v, pc, in->src ? "src" : in->off ? "off" : "imm",
					in->src ? in->src : in->off ? in->off : in->imm,
					"NEG takes no operand");
		return 0;
	}
	if (is_x && in->imm)
		return reserved(v, pc, "imm", in->imm, "the register form takes no immediate");
	if (!is_x && in->src)
		return reserved(v, pc, "src", in->src, "the immediate form takes no source register");
	if (op == EBPF_MOV && is_x) {
		if (in->off != 0 && in->off != 8 && in->off != 16 && !(in->off == 32 && bits == 64))
			return fail(v, pc, "MOV offset %d is not a sign-extension width (0, 8, 16%s)",
				    in->off, bits == 64 ? ", 32" : "");
	} else if (op == EBPF_DIV || op == EBPF_MOD) {
		if (in->off != 0 && in->off != EBPF_OFF_SIGNED)
			return fail(v, pc, "DIV/MOD offset %d is neither 0 (unsigned) nor 1 (signed)",
				    in->off);
	} else if (in->off) {
		return reserved(v, pc, "off", in->off, "ALU instructions take no offset");
	}
	if (!is_x && (op == EBPF_DIV || op == EBPF_MOD) && in->imm == 0)
		return fail(v, pc, "division by the constant 0 (the kernel refuses it: \"div by zero\")");
	if (!is_x && (op == EBPF_LSH || op == EBPF_RSH || op == EBPF_ARSH) &&
	    (in->imm < 0 || in->imm >= bits))
		return fail(v, pc, "shift by %d: not in 0..%d for a %d-bit operation", in->imm,
			    bits - 1, bits);
	return 0;
}

/* Jump target, or a message. */
static int check_jump_target(struct verifier *v, size_t pc, long long rel)
{
	long long t = (long long)pc + 1 + rel;
	if (rel < 0)
		return fail(v, pc, "backward jump to insn %lld (loops are not allowed: a filter must "
				   "end)", t);
	if (t >= (long long)v->len)
		return fail(v, pc, "jump to insn %lld is out of range (the program has %zu)", t,
			    v->len);
	if (v->flags[t] & INSN_SLOT2)
		return fail(v, pc, "jump into the middle of the LD_IMM64 at insn %lld", t - 1);
	v->flags[t] |= INSN_REACHABLE;
	return 0;
}

static int check_jmp_fields(struct verifier *v, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int is_x = EBPF_SRC(in->code) == EBPF_X;

	if (op == EBPF_JA && cls == EBPF_JMP32)
		return fail(v, pc, "gotol (32-bit jump offset) is not supported (bpftool here cannot "
				   "decode it; bridge with JA)");
	if (op == 0xe0 || op == 0xf0)
		return fail(v, pc, "bad opcode 0x%02x (unknown jump operation)", in->code);
	if ((op == EBPF_CALL || op == EBPF_EXIT) && cls == EBPF_JMP32)
		return fail(v, pc, "bad opcode 0x%02x (%s exists only in class JMP)", in->code,
			    op == EBPF_CALL ? "CALL" : "EXIT");
	if (op == EBPF_JA || op == EBPF_EXIT) {
		if (is_x)
			return fail(v, pc, "bad opcode 0x%02x (no register form)", in->code);
		if (in->dst || in->src || in->imm || (op == EBPF_EXIT && in->off))
			return reserved(v, pc, in->dst ? "dst" : in->src ? "src" : in->imm ? "imm" : "off",
					in->dst ? in->dst : in->src ? in->src : in->imm ? in->imm : in->off,
					op == EBPF_JA ? "JA uses only off" : "EXIT takes no operand");
		return 0;
	}
	if (op == EBPF_CALL) {
		if (is_x)
			return fail(v, pc, "callx (call through a register) is not supported (not in "
				    "RFC 9669 nor the kernel)");
		if (in->src == EBPF_PSEUDO_CALL)
			return fail(v, pc, "calls of local functions are not supported (filters are "
				    "one function)");
		if (in->src == EBPF_PSEUDO_KFUNC)
			return fail(v, pc, "kfunc calls are not supported (filters call helpers 7 and "
				    "8 only)");
		if (in->src)
			return fail(v, pc, "unknown CALL kind src=%d", in->src);
		if (in->dst || in->off)
			return reserved(v, pc, in->dst ? "dst" : "off", in->dst ? in->dst : in->off,
					"CALL uses only imm");
		return 0;
	}
	if (is_x && in->imm)
		return reserved(v, pc, "imm", in->imm, "the register form takes no immediate");
	if (!is_x && in->src)
		return reserved(v, pc, "src", in->src, "the immediate form takes no source register");
	return 0;
}

static int check_ld_fields(struct verifier *v, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t mode = EBPF_MODE(in->code);

	if (in->code == EBPF_OP_LD_IMM64) {
		if (pc + 1 >= v->len)
			return fail(v, pc, "LD_IMM64 has no second slot (the program ends)");
		const struct ebpf_insn *hi = &v->prog[pc + 1];
		if (hi->code || hi->dst || hi->src || hi->off)
			return fail(v, pc, "LD_IMM64's second slot must have code, registers and off 0 "
				    "(it has code 0x%02x dst %d src %d off %d)", hi->code, hi->dst,
				    hi->src, hi->off);
		if (in->src == EBPF_PSEUDO_MAP_FD && v->maps.maps) {
			char why[224];
			if (vcall_check_ld_map(&v->maps, in, hi, why, sizeof why))
				return fail(v, pc, "%s", why);
		} else if (in->src) {
			return fail(v, pc, "LD_IMM64 with pseudo source %d (maps, BTF, functions) is not "
				    "supported", in->src);
		}
		if (in->off)
			return reserved(v, pc, "off", in->off, "LD_IMM64 takes no offset");
		return 0;
	}
	if (mode == EBPF_ABS || mode == EBPF_IND) {
		if (v->target != EBPF_TARGET_SOCKET)
			return fail(v, pc, "LD_ABS/LD_IND are not allowed on the %s target (they need an "
				    "skb; read the packet through data/data_end)",
				    ebpf_target_name(v->target));
		if (EBPF_SIZE(in->code) == EBPF_DW)
			return fail(v, pc, "bad opcode 0x%02x (LD_ABS/LD_IND load 1, 2 or 4 bytes)",
				    in->code);
		if (in->dst)
			return reserved(v, pc, "dst", in->dst, "LD_ABS/LD_IND always load into r0");
		if (in->off)
			return reserved(v, pc, "off", in->off, "LD_ABS/LD_IND use imm as the offset");
		if (mode == EBPF_ABS && in->src)
			return reserved(v, pc, "src", in->src, "LD_ABS takes no source register");
		return 0;
	}
	return fail(v, pc, "bad opcode 0x%02x (unknown LD mode)", in->code);
}

static int check_mem_fields(struct verifier *v, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code), mode = EBPF_MODE(in->code);

	if (cls == EBPF_LDX) {
		if (mode != EBPF_MEM && mode != EBPF_MEMSX)
			return fail(v, pc, "bad opcode 0x%02x (LDX takes MEM or MEMSX)", in->code);
		if (mode == EBPF_MEMSX && EBPF_SIZE(in->code) == EBPF_DW)
			return fail(v, pc, "bad opcode 0x%02x (no sign-extending 8-byte load)", in->code);
		if (in->imm)
			return reserved(v, pc, "imm", in->imm, "loads take no immediate");
		return 0;
	}
	if (cls == EBPF_ST) {
		if (mode != EBPF_MEM)
			return fail(v, pc, "bad opcode 0x%02x (ST takes MEM only)", in->code);
		if (in->src)
			return reserved(v, pc, "src", in->src, "ST stores its immediate");
		return 0;
	}
	/* STX */
	if (mode == EBPF_MEM) {
		if (in->imm)
			return reserved(v, pc, "imm", in->imm, "STX stores a register");
		return 0;
	}
	if (mode != EBPF_ATOMIC)
		return fail(v, pc, "bad opcode 0x%02x (STX takes MEM or ATOMIC)", in->code);
	int32_t op = in->imm;
	if (op == EBPF_LOAD_ACQ || op == EBPF_STORE_REL)
		return fail(v, pc, "load-acquire/store-release are not supported");
	int alu = (op & ~EBPF_FETCH) == EBPF_ADD || (op & ~EBPF_FETCH) == EBPF_AND ||
		  (op & ~EBPF_FETCH) == EBPF_OR || (op & ~EBPF_FETCH) == EBPF_XOR;
	if (!alu && op != EBPF_XCHG && op != EBPF_CMPXCHG)
		return fail(v, pc, "unknown atomic operation 0x%x", (unsigned)op);
	if (EBPF_SIZE(in->code) != EBPF_W && EBPF_SIZE(in->code) != EBPF_DW)
		return fail(v, pc, "atomic operations take 4 or 8 bytes, not %u",
			    ebpf_size_bytes(in->code));
	return 0;
}

/* Fields of one instruction, and its successors marked reachable. */
static int check_insn(struct verifier *v, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int rc;

	if (in->dst > EBPF_REG_10 || in->src > EBPF_REG_10)
		return fail(v, pc, "register r%d does not exist (r0-r10)",
			    in->dst > EBPF_REG_10 ? in->dst : in->src);
	switch (cls) {
	case EBPF_ALU:
	case EBPF_ALU64: rc = check_alu_fields(v, pc); break;
	case EBPF_JMP:
	case EBPF_JMP32: rc = check_jmp_fields(v, pc); break;
	case EBPF_LD: rc = check_ld_fields(v, pc); break;
	default: rc = check_mem_fields(v, pc); break;
	}
	if (rc)
		return rc;

	size_t next = pc + (in->code == EBPF_OP_LD_IMM64 ? 2 : 1);
	int falls = 1;
	if (cls == EBPF_JMP || cls == EBPF_JMP32) {
		if (op == EBPF_EXIT)
			falls = 0;
		else if (op != EBPF_CALL) {
			if ((rc = check_jump_target(v, pc, in->off)))
				return rc;
			falls = op != EBPF_JA;
		}
	}
	if (falls) {
		if (next >= v->len)
			return fail(v, pc, "execution falls off the end of the program (the last "
				    "instruction must be EXIT or a jump)");
		v->flags[next] |= INSN_REACHABLE;
	}
	return 0;
}

static int check_structure(struct verifier *v)
{
	for (size_t pc = 0; pc < v->len; pc++)
		if (v->prog[pc].code == EBPF_OP_LD_IMM64 && pc + 1 < v->len)
			v->flags[++pc] |= INSN_SLOT2;
	v->flags[0] |= INSN_REACHABLE;
	for (size_t pc = 0; pc < v->len; pc++) {
		if (v->flags[pc] & INSN_SLOT2)
			continue;
		if (!(v->flags[pc] & INSN_REACHABLE))
			return fail(v, pc, "unreachable instruction (no path from insn 0 leads here)");
		int rc = check_insn(v, pc);
		if (rc)
			return rc;
	}
	return 0;
}

/* ==== pass 2: values ==================================================== */

static const char *kind_name(uint8_t k)
{
	switch (k) {
	case VREG_SCALAR: return "a number";
	case VREG_CTX: return "the context pointer";
	case VREG_STACK: return "a stack pointer";
	case VREG_PACKET: return "a packet pointer";
	case VREG_PACKET_END: return "data_end";
	case VREG_MIXED: return "a different kind of value on different paths";
	case VREG_MAP_PTR: return "a map pointer";
	case VREG_MAP_VALUE: return "a map value pointer";
	case VREG_MAP_VALUE_OR_NULL: return "a map value pointer that may be NULL";
	default: return "uninitialised";
	}
}

/* r is readable: written on every path, not clobbered. */
static int read_reg(struct verifier *v, const struct vstate *st, size_t pc, int r)
{
	const struct vreg *x = &st->r[r];
	if (x->kind == VREG_MIXED)
		return fail(v, pc, "r%d holds a different kind of value on different paths to here "
			    "(a pointer on one, a number or another pointer on another)", r);
	if (x->kind != VREG_NOT_INIT)
		return 0;
	switch (x->unset) {
	case UNSET_SOME_PATH:
		return fail(v, pc, "r%d is not initialised on every path to here", r);
	case UNSET_CALL:
		return fail(v, pc, "r%d is unreadable: the helper call at insn %zu clobbered r1-r5",
			    r, x->at);
	case UNSET_LD_PKT:
		return fail(v, pc, "r%d is unreadable: the LD_ABS/LD_IND at insn %zu clobbered r1-r5",
			    r, x->at);
	default:
		return fail(v, pc, "r%d is read before it is ever written", r);
	}
}

static void clobber_caller_saved(struct vstate *st, uint8_t why, size_t pc)
{
	for (int r = EBPF_REG_1; r <= EBPF_REG_5; r++)
		st->r[r] = (struct vreg){ .kind = VREG_NOT_INIT, .unset = why, .at = pc };
}

static struct vreg scalar_of_size(unsigned size)
{
	return vreg_scalar(0, size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1);
}

/* ---- ALU ---------------------------------------------------------------- */

/* ptr +/- scalar (ALU64 ADD or SUB); by_imm: the scalar is the
 * instruction's immediate. */
static int pointer_offset(struct verifier *v, size_t pc, struct vreg *ptr, const struct vreg *s,
			  int sub, int ptr_reg, int by_imm)
{
	switch (ptr->kind) {
	case VREG_PACKET_END:
		return fail(v, pc, "arithmetic on data_end (r%d) is not allowed (only comparisons "
			    "with packet pointers)", ptr_reg);
	case VREG_MAP_PTR:
	case VREG_MAP_VALUE_OR_NULL:
		/* kernel/bpf/verifier.c (adjust_ptr_min_max_vals): "pointer
		 * arithmetic on map_ptr / map_value_or_null prohibited". */
		return fail(v, pc, "arithmetic on %s (r%d) is not allowed%s", kind_name(ptr->kind),
			    ptr_reg, ptr->kind == VREG_MAP_PTR ? "" : " before its NULL check");
	case VREG_MAP_VALUE:
	case VREG_CTX:
	case VREG_STACK:
		/* Only by an immediate: a register we know to be constant may
		 * be unknown to the kernel (it does not track DIV, for one),
		 * which then refuses the arithmetic. */
		if (!by_imm)
			return fail(v, pc, "%s r%d may move only by an immediate constant, not by a "
				    "register", kind_name(ptr->kind), ptr_reg);
		/* kernel/bpf/verifier.c (adjust_ptr_min_max_vals) refuses any
		 * SUB on a stack pointer, even of a constant. */
		if (sub && ptr->kind == VREG_STACK)
			return fail(v, pc, "subtraction from a stack pointer (the kernel refuses it: add "
				    "the negative constant instead)");
		break;
	case VREG_PACKET:
		if (!vreg_is_const(s)) {
			if (sub)
				return fail(v, pc, "subtracting a variable from a packet pointer is not "
					    "supported (only adding one)");
			if (s->umax > PKT_MAX_VAR || ptr->umax + s->umax > PKT_MAX_VAR)
				return fail(v, pc, "variable packet offset may reach %llu, more than 2^32 "
					    "(bound it first, e.g. with a 32-bit operation)",
					    (unsigned long long)(s->umax > PKT_MAX_VAR ? s->umax
										: ptr->umax + s->umax));
			ptr->umax += s->umax;
			ptr->id = ++v->next_id; /* a new variable part: nothing proven yet */
			ptr->range = 0;
			return 0;
		}
		break;
	default:
		break;
	}
	/* The kernel's check_reg_sane_offset bounds (BPF_MAX_VAR_OFF); k is
	 * checked first so that the sum cannot overflow. */
	int64_t k = (int64_t)s->umin;
	if (k >= PTR_MAX_OFF || k <= -PTR_MAX_OFF)
		return fail(v, pc, "%s %lld moves the pointer beyond +-2^29 (the kernel refuses it; "
			    "no access could be valid)", sub ? "subtracting" : "adding", (long long)k);
	int64_t off = sub ? ptr->off - k : ptr->off + k;
	if (off >= PTR_MAX_OFF || off <= -PTR_MAX_OFF)
		return fail(v, pc, "pointer offset %lld is beyond +-2^29 (the kernel refuses it; no "
			    "access could be valid)", (long long)off);
	ptr->off = off;
	return 0;
}

static int do_alu(struct verifier *v, struct vstate *st, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int is_x = EBPF_SRC(in->code) == EBPF_X && op != EBPF_END;
	struct vreg *dst = &st->r[in->dst];
	struct vreg src;
	int rc;

	if (in->dst == EBPF_REG_10)
		return fail(v, pc, "r10 is read-only (the frame pointer)");
	if (is_x) {
		if ((rc = read_reg(v, st, pc, in->src)))
			return rc;
		src = st->r[in->src];
	} else {
		src = vreg_const((uint64_t)(int64_t)in->imm);
	}
	if (op == EBPF_MOV && in->off == 0 && cls == EBPF_ALU64) {
		*dst = src; /* copies pointers too */
		return 0;
	}
	if (op != EBPF_MOV && (rc = read_reg(v, st, pc, in->dst)))
		return rc;
	int dst_ptr = op != EBPF_MOV && vreg_is_pointer(dst);
	int src_ptr = vreg_is_pointer(&src);
	if (!dst_ptr && !src_ptr) {
		*dst = scalar_alu(in, *dst, src);
		return 0;
	}
	if (cls == EBPF_ALU || op == EBPF_MOV)
		return fail(v, pc, "%s of a pointer (%s in r%d) would leak or truncate it",
			    cls == EBPF_ALU ? "32-bit operation" : "sign-extending copy",
			    kind_name(src_ptr ? src.kind : dst->kind), src_ptr ? in->src : in->dst);
	if (dst_ptr && src_ptr) {
		/* data_end - data is the xdp target's packet length (the
		 * kernel allows pointer - pointer to a privileged loader). */
		if (op == EBPF_SUB && (dst->kind == VREG_PACKET || dst->kind == VREG_PACKET_END) &&
		    src.kind == VREG_PACKET) {
			*dst = vreg_scalar(0, UINT64_MAX); /* a distance */
			return 0;
		}
		return fail(v, pc, "operation on two pointers (%s and %s): only packet - packet is "
			    "allowed", kind_name(dst->kind), kind_name(src.kind));
	}
	if (op != EBPF_ADD && op != EBPF_SUB)
		return fail(v, pc, "only ADD and SUB may take a pointer (%s in r%d)",
			    kind_name(dst_ptr ? dst->kind : src.kind), dst_ptr ? in->dst : in->src);
	if (dst_ptr)
		return pointer_offset(v, pc, dst, &src, op == EBPF_SUB, in->dst, !is_x);
	if (op == EBPF_SUB)
		return fail(v, pc, "number minus pointer (%s in r%d) is not allowed",
			    kind_name(src.kind), in->src);
	struct vreg scalar = *dst;
	*dst = src; /* scalar + pointer: the pointer moves */
	return pointer_offset(v, pc, dst, &scalar, 0, in->src, 0);
}

/* ---- memory ----------------------------------------------------------- */

static int stack_bytes(struct verifier *v, size_t pc, const struct vreg *p, int16_t off,
		       unsigned size, int64_t *lo)
{
	int64_t a = p->off + off;
	if (a < -EBPF_STACK_SIZE || a + (int64_t)size > 0)
		return fail(v, pc, "stack access at r10%+lld, %u bytes, is outside the %d-byte frame "
			    "[r10-%d, r10)", (long long)a, size, EBPF_STACK_SIZE, EBPF_STACK_SIZE);
	if (a % (int64_t)size)
		return fail(v, pc, "misaligned stack access: r10%+lld is not a multiple of %u (the "
			    "kernel requires aligned stack accesses)", (long long)a, size);
	*lo = a + EBPF_STACK_SIZE;
	return 0;
}

static int stack_is_init(const struct vstate *st, int64_t lo, unsigned size)
{
	for (int64_t i = lo; i < lo + (int64_t)size; i++)
		if (!(st->stack_init[i / 8] & (1u << (i % 8))))
			return 0;
	return 1;
}

static void stack_mark(struct vstate *st, int64_t lo, unsigned size)
{
	for (int64_t i = lo; i < lo + (int64_t)size; i++)
		st->stack_init[i / 8] |= (uint8_t)(1u << (i % 8));
}

static int packet_bytes(struct verifier *v, size_t pc, const struct vreg *p, int reg, int16_t off,
			unsigned size)
{
	int64_t a = p->off + off;
	if (a < 0)
		return fail(v, pc, "packet access at offset %lld from r%d's base is before the proven "
			    "start", (long long)a, reg);
	if (p->range == 0)
		return fail(v, pc, "packet access through r%d without a bounds check (compare a pointer "
			    "to the end of the access with data_end first)", reg);
	if (a + (int64_t)size > p->range)
		return fail(v, pc, "packet access [%lld, %lld) through r%d is beyond the proven range "
			    "of %lld bytes", (long long)a, (long long)(a + size), reg,
			    (long long)p->range);
	return 0;
}

/* The pointer in register reg, accessed at off for size bytes (write:
 * stored value val, NULL for reads). */
static int check_access(struct verifier *v, struct vstate *st, size_t pc, int reg, int16_t off,
			unsigned size, int write, const struct vreg *val, struct vreg *loaded)
{
	const struct ebpf_insn *in = &v->prog[pc];
	struct vreg p = st->r[reg];
	int64_t lo = 0;
	int rc;

	if ((rc = read_reg(v, st, pc, reg)))
		return rc;
	if (write && val && vreg_is_pointer(val) && p.kind != VREG_STACK)
		return fail(v, pc, "stores a pointer (%s) into %s: that would leak an address",
			    kind_name(val->kind),
			    p.kind == VREG_PACKET ? "the packet" : p.kind == VREG_CTX ? "the context" :
										     "memory");
	switch (p.kind) {
	case VREG_STACK:
		if ((rc = stack_bytes(v, pc, &p, off, size, &lo)))
			return rc;
		if (write) {
			if (val && vreg_is_pointer(val))
				return fail(v, pc, "spilling a pointer (%s) to the stack is not supported",
					    kind_name(val->kind));
			stack_mark(st, lo, size);
			return 0;
		}
		if (!stack_is_init(st, lo, size))
			return fail(v, pc, "reads stack bytes [r10%+lld, r10%+lld) not written on every "
				    "path to here", (long long)(lo - EBPF_STACK_SIZE),
				    (long long)(lo - EBPF_STACK_SIZE + size));
		*loaded = EBPF_MODE(in->code) == EBPF_MEMSX ? vreg_scalar(0, UINT64_MAX)
							     : scalar_of_size(size);
		return 0;
	case VREG_CTX: {
		enum ctx_field_kind kind;
		char why[160];
		if (p.off != 0)
			return fail(v, pc, "context access through r%d moved by %+lld (use the original "
				    "context pointer with the field offset in the instruction)",
				    reg, (long long)p.off);
		if (write && EBPF_CLASS(in->code) == EBPF_ST)
			return fail(v, pc, "ST (immediate store) into the context is not allowed (the "
				    "kernel refuses it; store a register)");
		if (EBPF_MODE(in->code) == EBPF_MEMSX)
			return fail(v, pc, "sign-extending loads from the context are not supported");
		if (ctx_access_check(v->target, off, size, write, &kind, why, sizeof why))
			return fail(v, pc, "%s", why);
		if (!write)
			*loaded = kind == CTX_FIELD_PACKET ? (struct vreg){ .kind = VREG_PACKET }
				  : kind == CTX_FIELD_PACKET_END ? (struct vreg){ .kind = VREG_PACKET_END }
								 : scalar_of_size(size);
		return 0;
	}
	case VREG_PACKET:
		if (write)
			return fail(v, pc, "writes to the packet are not allowed (a filter only reads it)");
		if ((rc = packet_bytes(v, pc, &p, reg, off, size)))
			return rc;
		*loaded = EBPF_MODE(in->code) == EBPF_MEMSX ? vreg_scalar(0, UINT64_MAX)
							     : scalar_of_size(size);
		return 0;
	case VREG_PACKET_END:
		return fail(v, pc, "r%d is data_end, which must not be dereferenced (it points past "
			    "the packet)", reg);
	case VREG_MAP_PTR:
	case VREG_MAP_VALUE:
	case VREG_MAP_VALUE_OR_NULL: {
		char why[224];
		if (vcall_map_access(&v->maps, &p, reg, off, size, write, why, sizeof why))
			return fail(v, pc, "%s", why);
		if (!write)
			*loaded = EBPF_MODE(in->code) == EBPF_MEMSX ? vreg_scalar(0, UINT64_MAX)
								     : scalar_of_size(size);
		return 0;
	}
	default:
		return fail(v, pc, "r%d is %s, not a pointer: memory access through it is not allowed",
			    reg, kind_name(p.kind));
	}
}

static int do_mem(struct verifier *v, struct vstate *st, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code);
	unsigned size = ebpf_size_bytes(in->code);
	struct vreg loaded = { 0 };
	int rc;

	if (cls == EBPF_LDX) {
		if (in->dst == EBPF_REG_10)
			return fail(v, pc, "r10 is read-only (the frame pointer)");
		if ((rc = check_access(v, st, pc, in->src, in->off, size, 0, NULL, &loaded)))
			return rc;
		st->r[in->dst] = loaded;
		return 0;
	}
	if (cls == EBPF_ST) {
		struct vreg imm = vreg_const((uint64_t)(int64_t)in->imm);
		return check_access(v, st, pc, in->dst, in->off, size, 1, &imm, NULL);
	}
	if ((rc = read_reg(v, st, pc, in->src)))
		return rc;
	struct vreg val = st->r[in->src];
	if (EBPF_MODE(in->code) == EBPF_MEM)
		return check_access(v, st, pc, in->dst, in->off, size, 1, &val, NULL);

	/* Atomics: read-modify-write, on the stack and map values only (the
	 * context and the packet are not memory a filter may modify). */
	if ((rc = read_reg(v, st, pc, in->dst)))
		return rc;
	if (st->r[in->dst].kind != VREG_STACK && st->r[in->dst].kind != VREG_MAP_VALUE)
		return fail(v, pc, "atomic operations are allowed on the stack only (r%d is %s)",
			    in->dst, kind_name(st->r[in->dst].kind));
	if (vreg_is_pointer(&val))
		return fail(v, pc, "atomic operation with a pointer (%s in r%d) would leak it",
			    kind_name(val.kind), in->src);
	if (in->imm == EBPF_CMPXCHG) {
		if ((rc = read_reg(v, st, pc, EBPF_REG_0)))
			return rc;
		if (vreg_is_pointer(&st->r[EBPF_REG_0]))
			return fail(v, pc, "cmpxchg compares with r0, which holds a pointer");
	}
	if ((rc = check_access(v, st, pc, in->dst, in->off, size, 0, NULL, &loaded)))
		return rc;
	if (in->imm == EBPF_CMPXCHG)
		st->r[EBPF_REG_0] = scalar_of_size(size);
	else if (in->imm & EBPF_FETCH) {
		if (in->src == EBPF_REG_10)
			return fail(v, pc, "r10 is read-only (the frame pointer)");
		st->r[in->src] = scalar_of_size(size);
	}
	return 0;
}

/* ---- LD ----------------------------------------------------------- */

static int do_ld(struct verifier *v, struct vstate *st, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	int rc;

	if (in->code == EBPF_OP_LD_IMM64) {
		if (in->dst == EBPF_REG_10)
			return fail(v, pc, "r10 is read-only (the frame pointer)");
		if (in->src == EBPF_PSEUDO_MAP_FD) {
			st->r[in->dst] = vcall_ld_map_reg(&v->maps, in);
			return 0;
		}
		st->r[in->dst] = vreg_const((uint64_t)(uint32_t)v->prog[pc + 1].imm << 32 |
					    (uint32_t)in->imm);
		return 0;
	}
	/* LD_ABS / LD_IND (socket target only, checked in pass 1). */
	const struct vreg *ctx = &st->r[EBPF_REG_6];
	if (ctx->kind != VREG_CTX || ctx->off != 0) {
		const char *what = kind_name(ctx->kind);
		if (ctx->kind == VREG_NOT_INIT)
			what = ctx->unset == UNSET_SOME_PATH ? "not set on every path"
			       : ctx->unset == UNSET_NEVER   ? "never set"
							     : "clobbered";
		else if (ctx->kind == VREG_CTX)
			what = "the context moved by an offset";
		return fail(v, pc, "LD_ABS/LD_IND need r6 = the context (r6 = r1 at the start), but "
			    "r6 is %s", what);
	}
	if (EBPF_MODE(in->code) == EBPF_IND) {
		if ((rc = read_reg(v, st, pc, in->src)))
			return rc;
		if (st->r[in->src].kind != VREG_SCALAR)
			return fail(v, pc, "LD_IND offset register r%d is %s, not a number", in->src,
				    kind_name(st->r[in->src].kind));
	}
	clobber_caller_saved(st, UNSET_LD_PKT, pc);
	/* Unbounded, as the kernel's check_ld_abs leaves it (mark_reg_unknown),
	 * though it is at most 32 bits: bounds tighter than the kernel's could
	 * accept what it rejects (see do_cond_jump). */
	st->r[EBPF_REG_0] = vreg_scalar(0, UINT64_MAX);
	return 0;
}

/* ---- JMP -------------------------------------------------------------- */

/* Leaves a copy of st at target (joining with what is there). */
static int leave_state(struct verifier *v, size_t target, const struct vstate *st)
{
	if (v->pending[target]) {
		vstate_join(v->pending[target], st);
		return 0;
	}
	v->pending[target] = malloc(sizeof *st);
	if (!v->pending[target])
		return bpfcap_fail(v->err, BPFCAP_E_NOMEM, -1, 0, "verifier: out of memory");
	*v->pending[target] = *st;
	return 0;
}

/* Packet pointers with p's id learn that [base, base + p->off) is inside
 * the packet (kernel/bpf/verifier.c's find_good_pkt_pointers). */
static void mark_packet_range(struct vstate *st, const struct vreg *p)
{
	if (p->off <= 0)
		return;
	for (int r = 0; r < EBPF_NREGS; r++) {
		struct vreg *x = &st->r[r];
		if (x->kind == VREG_PACKET && x->id == p->id && x->range < p->off)
			x->range = p->off;
	}
}

/* The branch (taken or not) in which "pkt <= data_end" is known, for a
 * comparison dst OP src where one is a packet pointer and the other
 * data_end; -1 when the comparison proves nothing. */
static int branch_proving_bound(uint8_t op, int pkt_is_dst)
{
	switch (op) {
	case EBPF_JGT: return pkt_is_dst ? 0 : 1; /* pkt > end: no / end > pkt: yes */
	case EBPF_JGE: return pkt_is_dst ? 0 : 1;
	case EBPF_JLT: return pkt_is_dst ? 1 : 0;
	case EBPF_JLE: return pkt_is_dst ? 1 : 0;
	default: return -1;
	}
}

static int do_cond_jump(struct verifier *v, struct vstate *st, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	int is_x = EBPF_SRC(in->code) == EBPF_X;
	size_t target = pc + 1 + (size_t)in->off;
	int rc;

	if ((rc = read_reg(v, st, pc, in->dst)))
		return rc;
	if (is_x && (rc = read_reg(v, st, pc, in->src)))
		return rc;
	struct vreg *d = &st->r[in->dst];
	struct vreg s = is_x ? st->r[in->src] : vreg_const((uint64_t)(int64_t)in->imm);
	struct vstate taken = *st;

	if (vcall_is_map_kind(d) || vcall_is_map_kind(&s)) {
		char why[224];
		if (vcall_cond_jump(in, d, &s, st, &taken, why, sizeof why))
			return fail(v, pc, "%s", why);
	} else if (vreg_is_pointer(d) || vreg_is_pointer(&s)) {
		int pkt_dst = d->kind == VREG_PACKET && s.kind == VREG_PACKET_END;
		int pkt_src = s.kind == VREG_PACKET && d->kind == VREG_PACKET_END;
		int same = d->kind == s.kind && (d->kind == VREG_PACKET || d->kind == VREG_PACKET_END);
		if (cls == EBPF_JMP32)
			return fail(v, pc, "32-bit comparison of a pointer (it would compare half an "
				    "address)");
		if (!pkt_dst && !pkt_src && !same)
			return fail(v, pc, "comparison of %s with %s (only packet pointers with data_end "
				    "or with each other)", kind_name(d->kind), kind_name(s.kind));
		if (pkt_dst || pkt_src) {
			int b = branch_proving_bound(op, pkt_dst);
			const struct vreg *p = pkt_dst ? d : &s;
			if (b == 1)
				mark_packet_range(&taken, p);
			else if (b == 0)
				mark_packet_range(st, p);
		}
	} else if (s.umin == s.umax) {
		/* Unsigned comparisons with a constant narrow the register on
		 * both sides.  A side the bounds call impossible is still
		 * explored, unrefined: the kernel prunes such branches only when
		 * its own bounds agree, and ours can be tighter than its (it
		 * knows nothing of an LD_ABS result, for one), so pruning here
		 * could accept code the kernel checks and rejects. */
		uint64_t k = s.umin;
		int ok = cls == EBPF_JMP || d->umax <= UINT64_C(0xffffffff);
		if (cls == EBPF_JMP32)
			k &= UINT64_C(0xffffffff);
		struct vreg t = taken.r[in->dst], f = *d;
		if (ok && scalar_refine(&t, op, k, 1))
			taken.r[in->dst] = t;
		if (ok && scalar_refine(&f, op, k, 0))
			*d = f;
	}
	return leave_state(v, target, &taken);
}

static int do_jmp(struct verifier *v, struct vstate *st, size_t pc)
{
	const struct ebpf_insn *in = &v->prog[pc];
	uint8_t op = EBPF_OP(in->code);
	int rc;

	switch (op) {
	case EBPF_EXIT:
		if (st->r[EBPF_REG_0].kind == VREG_NOT_INIT && st->r[EBPF_REG_0].unset == UNSET_NEVER)
			return fail(v, pc, "r0 is not set at exit (it is the filter's return value)");
		if ((rc = read_reg(v, st, pc, EBPF_REG_0)))
			return rc;
		if (st->r[EBPF_REG_0].kind != VREG_SCALAR)
			return fail(v, pc, "r0 holds %s at exit: returning it would leak an address",
				    kind_name(st->r[EBPF_REG_0].kind));
		return 1;
	case EBPF_CALL: {
		char why[224];
		struct vreg r0;
		if (vcall_helper(&v->maps, v->target, st, in->imm, pc, &v->next_id, &r0, why,
				 sizeof why))
			return fail(v, pc, "%s", why);
		clobber_caller_saved(st, UNSET_CALL, pc);
		st->r[EBPF_REG_0] = r0;
		return 0;
	}
	case EBPF_JA:
		if ((rc = leave_state(v, pc + 1 + (size_t)in->off, st)))
			return rc;
		return 1;
	default:
		return do_cond_jump(v, st, pc);
	}
}

/* Runs the abstract state through the program. */
static int check_values(struct verifier *v)
{
	struct vstate cur;
	int live = 1; /* cur flows into the next instruction */

	memset(&cur, 0, sizeof cur);
	cur.r[EBPF_REG_1] = (struct vreg){ .kind = VREG_CTX };
	cur.r[EBPF_REG_10] = (struct vreg){ .kind = VREG_STACK };
	for (size_t pc = 0; pc < v->len; pc++) {
		if (v->flags[pc] & INSN_SLOT2)
			continue;
		if (v->pending[pc]) {
			if (live)
				vstate_join(&cur, v->pending[pc]);
			else
				cur = *v->pending[pc];
			free(v->pending[pc]);
			v->pending[pc] = NULL;
			live = 1;
		}
		if (!live)
			continue; /* not reached (pass 1 proved every instruction reachable) */
		int rc;
		switch (EBPF_CLASS(v->prog[pc].code)) {
		case EBPF_ALU:
		case EBPF_ALU64: rc = do_alu(v, &cur, pc); break;
		case EBPF_LD: rc = do_ld(v, &cur, pc); break;
		case EBPF_JMP:
		case EBPF_JMP32: rc = do_jmp(v, &cur, pc); break;
		default: rc = do_mem(v, &cur, pc); break;
		}
		if (rc < 0)
			return rc;
		live = rc == 0;
	}
	return 0;
}

int ebpf_verify(const struct ebpf_insn *prog, size_t len, enum ebpf_target target,
		struct bpfcap_error *err)
{
	return ebpf_verify_maps(prog, len, target, NULL, 0, err);
}

int ebpf_verify_maps(const struct ebpf_insn *prog, size_t len, enum ebpf_target target,
		     const struct ebpf_map_desc *maps, size_t nmaps, struct bpfcap_error *err)
{
	if (len == 0 || !prog)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "empty program (a filter needs at least an EXIT)");
	if (len > EBPF_MAX_INSNS)
		return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0,
				   "program of %zu instructions: more than the %u a privileged "
				   "loader may load", len, EBPF_MAX_INSNS);
	if (target != EBPF_TARGET_SOCKET && target != EBPF_TARGET_DIRECT &&
	    target != EBPF_TARGET_XDP)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "unknown target %d", (int)target);

	struct verifier v = { .prog = prog, .len = len, .target = target, .err = err,
			      .maps = { maps, maps ? nmaps : 0 } };
	v.flags = calloc(len, 1);
	v.pending = calloc(len, sizeof *v.pending);
	int rc;
	if (!v.flags || !v.pending)
		rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "verifier: out of memory");
	else if (!(rc = check_structure(&v)))
		rc = check_values(&v);
	if (v.pending)
		for (size_t i = 0; i < len; i++)
			free(v.pending[i]);
	free(v.pending);
	free(v.flags);
	return rc;
}
