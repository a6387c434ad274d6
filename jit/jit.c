/* The x86-64 JIT: eBPF to native code, one instruction at a time, in
 * passes until the layout stops changing (see DESIGN.md "jit/").
 *
 * Register mapping (the kernel's, arch/x86/net/bpf_jit_comp.c): eBPF r1-r5
 * sit in the SysV argument registers so a helper call is one shuffle; r6-r9
 * in callee-saved registers so they survive calls; r0 in rax, where
 * results are returned and div leaves its quotient.  r4 in rcx means a
 * shift by r4 needs no move into cl.  Scratch: r9 (the 6th call argument),
 * r10, r11; r12 holds the packet for LD_ABS/LD_IND. */
#include <stdlib.h>
#include <string.h>

#include "cbpf.h" /* CBPF_SKF_NET_OFF, CBPF_SKF_LL_OFF */
#include "error.h"
#include "jit_int.h"

static const int reg_map[EBPF_NREGS] = {
	[EBPF_REG_0] = RAX, [EBPF_REG_1] = RDI, [EBPF_REG_2] = RSI, [EBPF_REG_3] = RDX,
	[EBPF_REG_4] = RCX, [EBPF_REG_5] = R8,  [EBPF_REG_6] = RBX, [EBPF_REG_7] = R13,
	[EBPF_REG_8] = R14, [EBPF_REG_9] = R15, [EBPF_REG_10] = RBP,
};

#define PKT_BASE R12
/* Below the eBPF stack (if any): the packet length and network offset the
 * caller passed (LD_ABS/LD_IND read them on every load). */
#define PKT_LEN_SLOT X86_MEM(RBP, j->slot_base - 8)
#define NET_OFF_SLOT X86_MEM(RBP, j->slot_base - 16)

/* Layout passes before falling back to every jump near. */
#define MAX_PASSES 16

#define FAIL(code, ...) bpfcap_fail(j->err, (code), -1, 0, __VA_ARGS__)

/* ---- layout ---------------------------------------------------------------- */

static void set_label(struct jit *j, size_t label)
{
	j->cur[label] = (int32_t)j->e.len;
}

static void begin_block(struct jit *j, size_t label)
{
	set_label(j, label);
	j->cur_block = (int)label;
	j->e.block = (int32_t)label;
}

/* A jump to a label.  The form comes from the previous pass's layout:
 * this jump's position there is its block's start then plus how far into
 * the block it is now.  Sizes only shrink from pass to pass (the first is
 * all near), so distances only shrink and the layout converges; once two
 * passes agree, every displacement below is exact. */
static void jump_to(struct jit *j, int cc, size_t label)
{
	int near = 1;
	int64_t rel = 0;
	if (j->have_prev) {
		int64_t here = (int64_t)j->prev[j->cur_block] +
			       ((int64_t)j->e.len - j->cur[j->cur_block]);
		int64_t target = j->prev[label];
		int64_t rel8 = target - (here + x86_jcc_size(cc, 0));
		if (!j->force_near && rel8 >= -128 && rel8 <= 127) {
			near = 0;
			rel = rel8;
		} else {
			rel = target - (here + x86_jcc_size(cc, 1));
		}
	}
	x86_jcc(&j->e, cc, near, (int32_t)rel);
}

static size_t ret0_label(const struct jit *j)
{
	return j->len;
}

static size_t stub_label(const struct jit *j, size_t stub)
{
	return j->len + 1 + 2 * stub;
}

static size_t back_label(const struct jit *j, size_t stub)
{
	return j->len + 2 + 2 * stub;
}

/* ---- prologue and epilogue ------------------------------------------------------- */

/* Saves the callee-saved registers the program uses, sets up rbp as r10
 * with EBPF_STACK_SIZE bytes below it (plus the packet slots), keeping rsp
 * 16-byte aligned for helper calls (SysV ABI 3.2.2), and gives the eBPF
 * registers their entry values: r1 = ctx (already in rdi), r2 = pkt_len
 * (uBPF's (mem, len) convention), the others 0 as in the interpreter. */
static void emit_prologue(struct jit *j)
{
	struct x86_emit *e = &j->e;
	for (int i = 0; i < j->nsaved; i++)
		x86_push(e, j->saved[i]);
	if (j->frame) {
		x86_alu_rr(e, X_MOV, 8, RBP, RSP);
		x86_alu_ri(e, X_SUB, 8, RSP, j->frame_size);
	}
	if (j->uses_pkt) {
		x86_alu_rr(e, X_MOV, 8, PKT_BASE, RSI);
		x86_store(e, 8, PKT_LEN_SLOT, RDX);
		x86_store(e, 8, NET_OFF_SLOT, RCX);
	}
	if (j->regs_used & 1u << EBPF_REG_2)
		x86_alu_rr(e, X_MOV, 8, RSI, RDX);
	for (int r = 0; r < EBPF_REG_10; r++)
		if (r != EBPF_REG_1 && r != EBPF_REG_2 && (j->regs_used & 1u << r))
			x86_alu_rr(e, X_XOR, 4, reg_map[r], reg_map[r]);
}

static void emit_epilogue(struct jit *j)
{
	struct x86_emit *e = &j->e;
	if (j->frame)
		x86_alu_ri(e, X_ADD, 8, RSP, j->frame_size);
	for (int i = j->nsaved; i-- > 0;)
		x86_pop(e, j->saved[i]);
	x86_ret(e);
}

/* ---- ALU ----------------------------------------------------------------------- */

static int alu_op(uint8_t op, enum x86_alu *x)
{
	switch (op) {
	case EBPF_ADD: *x = X_ADD; return 1;
	case EBPF_SUB: *x = X_SUB; return 1;
	case EBPF_AND: *x = X_AND; return 1;
	case EBPF_OR: *x = X_OR; return 1;
	case EBPF_XOR: *x = X_XOR; return 1;
	case EBPF_MOV: *x = X_MOV; return 1;
	}
	return 0;
}

static enum x86_shift shift_op(uint8_t op)
{
	return op == EBPF_LSH ? X_SHL : op == EBPF_RSH ? X_SHR : X_SAR;
}

/* dst <<= src: x86 takes a variable count in cl only and masks it to 5
 * or 6 bits itself, which is the ISA's & 31 / & 63 (RFC 9669 §4.1). */
static void emit_shift_x(struct jit *j, enum x86_shift op, int w, int dst, int src)
{
	struct x86_emit *e = &j->e;
	if (src == RCX) {
		x86_shift_cl(e, op, w, dst);
		return;
	}
	x86_alu_rr(e, X_MOV, 8, R11, RCX);
	x86_alu_rr(e, X_MOV, 4, RCX, src);
	if (dst == RCX) {
		x86_shift_cl(e, op, w, R11);
		x86_alu_rr(e, X_MOV, w, RCX, R11);
	} else {
		x86_shift_cl(e, op, w, dst);
		x86_alu_rr(e, X_MOV, 8, RCX, R11);
	}
}

/* DIV/MOD per RFC 9669 §4.1: x / 0 = 0, x % 0 = x, and for the signed
 * forms INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0 (x86's idiv would trap on
 * both, so -1 is handled apart).  x86 divides rdx:rax, so rax and rdx are
 * saved in r10 and r9 unless they are the destination. */
static void emit_divmod(struct jit *j, const struct ebpf_insn *in, int w)
{
	struct x86_emit *e = &j->e;
	int dst = reg_map[in->dst];
	int is_mod = EBPF_OP(in->code) == EBPF_MOD;
	int sgn = in->off == EBPF_OFF_SIGNED;
	int by_reg = EBPF_SRC(in->code) == EBPF_X;

	if (!by_reg && in->imm == 0) {
		if (!is_mod)
			x86_alu_rr(e, X_XOR, 4, dst, dst);
		else if (w == 4)
			x86_alu_rr(e, X_MOV, 4, dst, dst);
		return;
	}
	if (!by_reg && sgn && in->imm == -1) {
		if (is_mod)
			x86_alu_rr(e, X_XOR, 4, dst, dst);
		else
			x86_unary(e, X_NEG, w, dst);
		return;
	}
	if (by_reg)
		x86_alu_rr(e, X_MOV, w, R11, reg_map[in->src]);
	else if (w == 8)
		x86_mov_imm64(e, R11, (uint64_t)(int64_t)in->imm);
	else
		x86_alu_ri(e, X_MOV, 4, R11, in->imm);
	if (dst != RAX)
		x86_alu_rr(e, X_MOV, 8, R10, RAX);
	if (dst != RDX)
		x86_alu_rr(e, X_MOV, 8, R9, RDX);
	size_t to_zero = 0, to_m1 = 0;
	if (by_reg) {
		x86_alu_rr(e, X_TEST, w, R11, R11);
		to_zero = x86_jcc(e, CC_E, 0, 0);
		if (sgn) {
			x86_alu_ri(e, X_CMP, w, R11, -1);
			to_m1 = x86_jcc(e, CC_E, 0, 0);
		}
	}
	if (dst != RAX)
		x86_alu_rr(e, X_MOV, w, RAX, dst);
	if (sgn)
		x86_sign_extend_ax(e, w);
	else
		x86_alu_rr(e, X_XOR, 4, RDX, RDX);
	x86_unary(e, sgn ? X_IDIV : X_DIV, w, R11);
	int res = is_mod ? RDX : RAX;
	if (dst != res)
		x86_alu_rr(e, X_MOV, w, dst, res);
	if (by_reg) {
		size_t done1 = x86_jcc(e, -1, 0, 0), done2 = 0;
		if (sgn) {
			x86_patch8(e, to_m1);
			if (is_mod)
				x86_alu_rr(e, X_XOR, 4, dst, dst);
			else
				x86_unary(e, X_NEG, w, dst);
			done2 = x86_jcc(e, -1, 0, 0);
		}
		x86_patch8(e, to_zero);
		if (!is_mod)
			x86_alu_rr(e, X_XOR, 4, dst, dst);
		else if (w == 4)
			x86_alu_rr(e, X_MOV, 4, dst, dst);
		x86_patch8(e, done1);
		if (sgn)
			x86_patch8(e, done2);
	}
	if (dst != RAX)
		x86_alu_rr(e, X_MOV, 8, RAX, R10);
	if (dst != RDX)
		x86_alu_rr(e, X_MOV, 8, RDX, R9);
}

/* Byte swaps (RFC 9669 §4.2): to big-endian swaps on this little-endian
 * host, to little-endian only truncates (zero-extends the low bits);
 * ALU64 TO_LE is the unconditional bswap. */
static int emit_end(struct jit *j, const struct ebpf_insn *in, size_t pc)
{
	struct x86_emit *e = &j->e;
	int dst = reg_map[in->dst];
	int bits = in->imm;
	if (bits != 16 && bits != 32 && bits != 64)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: byte swap of %d bits", pc, bits);
	if (EBPF_CLASS(in->code) == EBPF_ALU64 && EBPF_SRC(in->code) != EBPF_TO_LE)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: bad byte swap (code 0x%02x)", pc, in->code);
	int swap = EBPF_CLASS(in->code) == EBPF_ALU64 || EBPF_SRC(in->code) == EBPF_TO_BE;
	if (bits == 16) {
		if (swap)
			x86_shift_ri(e, X_ROR, 2, dst, 8);
		x86_movzx_rr(e, 2, dst, dst);
	} else if (bits == 32) {
		if (swap)
			x86_bswap(e, 4, dst);
		else
			x86_alu_rr(e, X_MOV, 4, dst, dst);
	} else if (swap) {
		x86_bswap(e, 8, dst);
	}
	return 0;
}

static int emit_alu(struct jit *j, const struct ebpf_insn *in, size_t pc)
{
	struct x86_emit *e = &j->e;
	int w = EBPF_CLASS(in->code) == EBPF_ALU64 ? 8 : 4;
	uint8_t op = EBPF_OP(in->code);
	int dst = reg_map[in->dst];
	int by_reg = EBPF_SRC(in->code) == EBPF_X;
	int src = reg_map[in->src];
	enum x86_alu x;

	if (op == EBPF_END)
		return emit_end(j, in, pc);
	if (op == EBPF_DIV || op == EBPF_MOD) {
		if (in->off != 0 && in->off != EBPF_OFF_SIGNED)
			return FAIL(BPFCAP_E_INVALID, "insn %zu: DIV/MOD with offset %d", pc, in->off);
		emit_divmod(j, in, w);
		return 0;
	}
	if (op == EBPF_MOV && in->off) {
		/* MOVSX (RFC 9669 §4.1, ISA v4): 8, 16 (both widths), 32 (ALU64). */
		if (!by_reg || !(in->off == 8 || in->off == 16 || (in->off == 32 && w == 8)))
			return FAIL(BPFCAP_E_INVALID, "insn %zu: bad MOVSX (off %d)", pc, in->off);
		x86_movsx_rr(e, w, in->off / 8, dst, src);
		return 0;
	}
	if (in->off)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: ALU with offset %d", pc, in->off);
	if (op == EBPF_NEG) {
		if (by_reg)
			return FAIL(BPFCAP_E_INVALID, "insn %zu: NEG with a register source", pc);
		x86_unary(e, X_NEG, w, dst);
		return 0;
	}
	if (op == EBPF_LSH || op == EBPF_RSH || op == EBPF_ARSH) {
		if (by_reg) {
			emit_shift_x(j, shift_op(op), w, dst, src);
		} else {
			uint8_t n = (uint8_t)(in->imm & (w * 8 - 1));
			if (n)
				x86_shift_ri(e, shift_op(op), w, dst, n);
			else if (w == 4)
				x86_alu_rr(e, X_MOV, 4, dst, dst); /* still zero-extends */
		}
		return 0;
	}
	if (op == EBPF_MUL) {
		if (by_reg)
			x86_imul_rr(e, w, dst, src);
		else
			x86_imul_ri(e, w, dst, in->imm);
		return 0;
	}
	if (!alu_op(op, &x))
		return FAIL(BPFCAP_E_INVALID, "insn %zu: unknown ALU operation (code 0x%02x)", pc,
			    in->code);
	if (by_reg) {
		/* mov r64 to itself is nothing; mov r32 to itself zero-extends. */
		if (!(x == X_MOV && dst == src && w == 8))
			x86_alu_rr(e, x, w, dst, src);
	} else if (x == X_MOV) {
		if (w == 8)
			x86_mov_imm64(e, dst, (uint64_t)(int64_t)in->imm);
		else if (in->imm == 0)
			x86_alu_rr(e, X_XOR, 4, dst, dst);
		else
			x86_alu_ri(e, X_MOV, 4, dst, in->imm);
	} else {
		x86_alu_ri(e, x, w, dst, in->imm);
	}
	return 0;
}

/* ---- jumps, calls, exit ------------------------------------------------------ */

static int jmp_cc(uint8_t op)
{
	switch (op) {
	case EBPF_JEQ: return CC_E;
	case EBPF_JNE: return CC_NE;
	case EBPF_JSET: return CC_NE;
	case EBPF_JGT: return CC_A;
	case EBPF_JGE: return CC_AE;
	case EBPF_JLT: return CC_B;
	case EBPF_JLE: return CC_BE;
	case EBPF_JSGT: return CC_G;
	case EBPF_JSGE: return CC_GE;
	case EBPF_JSLT: return CC_L;
	case EBPF_JSLE: return CC_LE;
	}
	return -1;
}

/* A helper bound now: helper(user, r1..r5) in SysV order is rdi = user and
 * rsi, rdx, rcx, r8, r9 = r1..r5, so each of r1-r5 moves one register up
 * (last first), then rax = helper(...) is r0. */
static int emit_call(struct jit *j, const struct ebpf_insn *in, size_t pc)
{
	struct x86_emit *e = &j->e;
	if (EBPF_SRC(in->code) == EBPF_X)
		return FAIL(BPFCAP_E_UNSUPPORTED,
			    "insn %zu: callx (call by register) is not supported by the JIT", pc);
	if (in->src == EBPF_PSEUDO_CALL)
		return FAIL(BPFCAP_E_UNSUPPORTED,
			    "insn %zu: local (bpf-to-bpf) call is not supported by the JIT", pc);
	if (in->src != EBPF_PSEUDO_HELPER)
		return FAIL(BPFCAP_E_UNSUPPORTED, "insn %zu: CALL of kind %u is not supported by the JIT", pc,
			    in->src);
	uint32_t id = (uint32_t)in->imm;
	if (id >= j->nhelpers || !j->helpers || !j->helpers[id])
		return FAIL(BPFCAP_E_INVALID, "insn %zu: call to unknown helper %u", pc, id);
	x86_alu_rr(e, X_MOV, 8, R9, R8);
	x86_alu_rr(e, X_MOV, 8, R8, RCX);
	x86_alu_rr(e, X_MOV, 8, RCX, RDX);
	x86_alu_rr(e, X_MOV, 8, RDX, RSI);
	x86_alu_rr(e, X_MOV, 8, RSI, RDI);
	x86_mov_imm64(e, RDI, (uint64_t)(uintptr_t)j->helper_user);
	x86_movabs(e, R11, (uint64_t)(uintptr_t)j->helpers[id]);
	x86_call_reg(e, R11);
	return 0;
}

static int emit_jmp(struct jit *j, const struct ebpf_insn *in, size_t pc)
{
	struct x86_emit *e = &j->e;
	uint8_t op = EBPF_OP(in->code);
	int w = EBPF_CLASS(in->code) == EBPF_JMP ? 8 : 4;

	if (op == EBPF_EXIT) {
		if (in->code != EBPF_OP_EXIT)
			return FAIL(BPFCAP_E_INVALID, "insn %zu: bad EXIT (code 0x%02x)", pc, in->code);
		emit_epilogue(j);  /* inline: an exit costs no jump */
		return 0;
	}
	if (op == EBPF_CALL) {
		if (w != 8)
			return FAIL(BPFCAP_E_INVALID, "insn %zu: bad CALL (code 0x%02x)", pc, in->code);
		return emit_call(j, in, pc);
	}
	int64_t rel = op == EBPF_JA && w == 4 ? in->imm : in->off;
	int64_t target = (int64_t)pc + 1 + rel;
	if (target < 0 || (uint64_t)target >= j->len)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: jump to %lld, outside the program", pc,
			    (long long)target);
	if (op == EBPF_JA) {
		if (rel)
			jump_to(j, -1, (size_t)target);
		return 0;
	}
	int cc = jmp_cc(op);
	if (cc < 0)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: bad jump (code 0x%02x)", pc, in->code);
	if (!rel)
		return 0; /* a test without effects going nowhere */
	int dst = reg_map[in->dst];
	if (EBPF_SRC(in->code) == EBPF_X)
		x86_alu_rr(e, op == EBPF_JSET ? X_TEST : X_CMP, w, dst, reg_map[in->src]);
	else if (op == EBPF_JSET)
		x86_alu_ri(e, X_TEST, w, dst, in->imm);
	else if (in->imm == 0)
		x86_alu_rr(e, X_TEST, w, dst, dst); /* the same flags as cmp dst, 0 */
	else
		x86_alu_ri(e, X_CMP, w, dst, in->imm);
	jump_to(j, cc, (size_t)target);
	return 0;
}

/* ---- memory ----------------------------------------------------------------- */

static int emit_ldx_st(struct jit *j, const struct ebpf_insn *in, size_t pc)
{
	struct x86_emit *e = &j->e;
	uint8_t cls = EBPF_CLASS(in->code), mode = EBPF_MODE(in->code);
	int w = (int)ebpf_size_bytes(in->code);
	if (cls == EBPF_STX && mode == EBPF_ATOMIC)
		return FAIL(BPFCAP_E_UNSUPPORTED, "insn %zu: atomic operation 0x%x is not supported by the JIT",
			    pc, (unsigned)in->imm);
	if (cls == EBPF_LDX) {
		if ((mode != EBPF_MEM && mode != EBPF_MEMSX) || (mode == EBPF_MEMSX && w == 8))
			return FAIL(BPFCAP_E_INVALID, "insn %zu: bad LDX (code 0x%02x)", pc, in->code);
		x86_load(e, w, mode == EBPF_MEMSX, reg_map[in->dst], X86_MEM(reg_map[in->src], in->off));
		return 0;
	}
	if (mode != EBPF_MEM)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: bad store (code 0x%02x)", pc, in->code);
	struct x86_mem m = X86_MEM(reg_map[in->dst], in->off);
	if (cls == EBPF_STX)
		x86_store(e, w, m, reg_map[in->src]);
	else
		x86_store_imm(e, w, m, in->imm);
	return 0;
}

/* eax = the size bytes at m, big-endian (network order). */
static void emit_load_be(struct x86_emit *e, int size, struct x86_mem m)
{
	x86_load(e, size, 0, RAX, m);
	if (size == 2)
		x86_shift_ri(e, X_ROR, 2, RAX, 8);
	else if (size == 4)
		x86_bswap(e, 4, RAX);
}

/* r0 = pkt[r11 .. r11 + size) with r11 a non-negative 64-bit offset, or
 * return 0 if that is past pkt_len. */
static void emit_load_checked(struct jit *j, int size)
{
	struct x86_emit *e = &j->e;
	x86_lea(e, R10, X86_MEM(R11, size));
	x86_cmp_rm(e, 8, R10, PKT_LEN_SLOT);
	jump_to(j, CC_A, ret0_label(j));
	emit_load_be(e, size, X86_MEM_IDX(PKT_BASE, R11, 0));
}

/* Legacy packet loads (RFC 9669 §5.3; the kernel's bpf_skb_load_helper
 * and bpf_internal_load_pointer_neg_helper in net/core/filter.c): the
 * offset is imm (+ src) computed in 32 bits and read as signed; negative
 * ones count from the network header (>= SKF_NET_OFF) or the link-layer
 * header (>= SKF_LL_OFF, where pkt starts); out of bounds returns 0. */
static int emit_ld_pkt(struct jit *j, const struct ebpf_insn *in, size_t pc)
{
	struct x86_emit *e = &j->e;
	uint8_t mode = EBPF_MODE(in->code);
	int size = (int)ebpf_size_bytes(in->code);
	if ((mode != EBPF_ABS && mode != EBPF_IND) || size == 8 || in->dst || in->off ||
	    (mode == EBPF_ABS && in->src))
		return FAIL(BPFCAP_E_INVALID, "insn %zu: bad LD (code 0x%02x)", pc, in->code);
	if (mode == EBPF_IND) {
		size_t stub = j->nstubs++;
		j->stub_insn[stub] = pc;
		x86_alu_rr(e, X_MOV, 4, R11, reg_map[in->src]);
		if (in->imm)
			x86_alu_ri(e, X_ADD, 4, R11, in->imm);
		else
			x86_alu_rr(e, X_TEST, 4, R11, R11);
		jump_to(j, CC_S, stub_label(j, stub)); /* negative: out of line */
		set_label(j, back_label(j, stub));
		emit_load_checked(j, size);
		return 0;
	}
	int32_t k = in->imm;
	if (k < 0 && k >= CBPF_SKF_NET_OFF) {
		x86_load(e, 8, 0, R11, NET_OFF_SLOT);
		x86_alu_ri(e, X_ADD, 8, R11, k - CBPF_SKF_NET_OFF);
		emit_load_checked(j, size);
		return 0;
	}
	if (k < 0 && k >= CBPF_SKF_LL_OFF)
		k -= CBPF_SKF_LL_OFF;
	if (k < 0) {
		jump_to(j, -1, ret0_label(j));
		return 0;
	}
	int64_t end = (int64_t)k + size;
	if (end <= INT32_MAX) {
		x86_cmp_mi(e, 8, PKT_LEN_SLOT, (int32_t)end);
		jump_to(j, CC_B, ret0_label(j));
	} else {
		x86_alu_ri(e, X_MOV, 4, R11, (int32_t)(uint32_t)end);
		x86_cmp_rm(e, 8, R11, PKT_LEN_SLOT);
		jump_to(j, CC_A, ret0_label(j));
	}
	emit_load_be(e, size, X86_MEM(PKT_BASE, k));
	return 0;
}

/* The out-of-line half of LD_IND: r11d is negative.  Map it as the
 * kernel does, then back in line to the bounds check. */
static void emit_ind_stub(struct jit *j, size_t stub)
{
	struct x86_emit *e = &j->e;
	begin_block(j, stub_label(j, stub));
	x86_alu_ri(e, X_CMP, 4, R11, CBPF_SKF_NET_OFF);
	size_t to_ll = x86_jcc(e, CC_L, 0, 0);
	x86_alu_ri(e, X_ADD, 4, R11, -CBPF_SKF_NET_OFF);
	x86_add_rm(e, 8, R11, NET_OFF_SLOT);
	jump_to(j, -1, back_label(j, stub));
	x86_patch8(e, to_ll);
	x86_alu_ri(e, X_CMP, 4, R11, CBPF_SKF_LL_OFF);
	jump_to(j, CC_L, ret0_label(j));
	x86_alu_ri(e, X_ADD, 4, R11, -CBPF_SKF_LL_OFF);
	jump_to(j, -1, back_label(j, stub));
}

/* ---- one instruction, the whole program -------------------------------------- */

static int emit_insn(struct jit *j, size_t pc, size_t *next)
{
	const struct ebpf_insn *in = &j->prog[pc];
	*next = pc + 1;
	if (in->dst >= EBPF_NREGS || in->src >= EBPF_NREGS)
		return FAIL(BPFCAP_E_INVALID, "insn %zu: register r%u or r%u does not exist", pc, in->dst,
			    in->src);
	switch (EBPF_CLASS(in->code)) {
	case EBPF_ALU:
	case EBPF_ALU64:
		return emit_alu(j, in, pc);
	case EBPF_JMP:
	case EBPF_JMP32:
		return emit_jmp(j, in, pc);
	case EBPF_LDX:
	case EBPF_ST:
	case EBPF_STX:
		return emit_ldx_st(j, in, pc);
	default: /* EBPF_LD */
		if (in->code == EBPF_OP_LD_IMM64) {
			if (pc + 1 >= j->len || j->prog[pc + 1].code)
				return FAIL(BPFCAP_E_INVALID, "insn %zu: LD_IMM64 without its second slot", pc);
			if (in->src == EBPF_PSEUDO_MAP_FD && !j->map_addrs)
				return FAIL(BPFCAP_E_UNSUPPORTED,
					    "insn %zu: LD_IMM64 of a map without a map table (compile with "
					    "ebpf_jit_compile_maps)", pc);
			if (in->src == EBPF_PSEUDO_MAP_FD) {
				if (in->imm < 0 || (size_t)in->imm >= j->nmaps || j->prog[pc + 1].imm)
					return FAIL(BPFCAP_E_INVALID,
						    "insn %zu: map reference %d is not in the table of %zu",
						    pc, in->imm, j->nmaps);
				x86_mov_imm64(&j->e, reg_map[in->dst], j->map_addrs[in->imm]);
				*next = pc + 2;
				return 0;
			}
			if (in->src)
				return FAIL(BPFCAP_E_UNSUPPORTED,
					    "insn %zu: LD_IMM64 with pseudo source %u (maps, BTF, "
					    "functions) is not supported by the JIT", pc, in->src);
			uint64_t v = (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)j->prog[pc + 1].imm << 32;
			x86_mov_imm64(&j->e, reg_map[in->dst], v);
			*next = pc + 2;
			return 0;
		}
		return emit_ld_pkt(j, in, pc);
	}
}

int jit_emit_program(struct jit *j)
{
	x86_emit_reset(&j->e);
	j->nstubs = 0;
	j->cur_block = -1;
	emit_prologue(j);
	for (size_t pc = 0, next; pc < j->len; pc = next) {
		begin_block(j, pc);
		int rc = emit_insn(j, pc, &next);
		if (rc)
			return rc;
		if (next == pc + 2) /* LD_IMM64's second slot: no code of its own */
			j->cur[pc + 1] = (int32_t)j->e.len;
	}
	begin_block(j, ret0_label(j));
	if (j->uses_pkt) { /* only packet loads jump there */
		x86_alu_rr(&j->e, X_XOR, 4, RAX, RAX);
		emit_epilogue(j);
	}
	for (size_t s = 0; s < j->nstubs; s++)
		emit_ind_stub(j, s);
	if (j->e.oom)
		return FAIL(BPFCAP_E_NOMEM, "jit: out of memory");
	if (j->e.len > INT32_MAX)
		return FAIL(BPFCAP_E_TOOBIG, "jit: %zu bytes of code", j->e.len);
	return 0;
}

/* ---- the scan before the passes ------------------------------------------- */

/* Which registers the program names, whether it loads packet bytes or
 * calls helpers, and from that the frame and the registers to save. */
void jit_scan(struct jit *j, size_t *nind)
{
	*nind = 0;
	for (size_t pc = 0; pc < j->len; pc++) {
		const struct ebpf_insn *in = &j->prog[pc];
		uint8_t cls = EBPF_CLASS(in->code);
		if (in->code == EBPF_OP_LD_IMM64) {
			j->regs_used |= 1u << (in->dst & 15);
			pc++;
			continue;
		}
		if (cls == EBPF_LD) {
			j->uses_pkt = 1;
			j->regs_used |= 1u << EBPF_REG_0 | 1u << (in->src & 15);
			if (EBPF_MODE(in->code) == EBPF_IND)
				++*nind;
			continue;
		}
		if ((cls == EBPF_JMP || cls == EBPF_JMP32) && EBPF_OP(in->code) == EBPF_CALL) {
			j->uses_call = 1;
			continue;
		}
		j->regs_used |= 1u << (in->dst & 15) | 1u << (in->src & 15);
	}
	j->regs_used |= 1u << EBPF_REG_0;
	j->regs_used &= (1u << EBPF_NREGS) - 1;
	j->frame = j->uses_pkt || j->uses_call || (j->regs_used & 1u << EBPF_REG_10);

	j->nsaved = 0;
	if (j->frame)
		j->saved[j->nsaved++] = RBP;
	if (j->uses_pkt)
		j->saved[j->nsaved++] = PKT_BASE;
	for (int r = EBPF_REG_6; r <= EBPF_REG_9; r++)
		if (j->regs_used & 1u << r)
			j->saved[j->nsaved++] = reg_map[r];
	/* At entry rsp + 8 is 16-byte aligned; after the pushes and the frame
	 * it must be again (SysV ABI: at a call rsp is a multiple of 16). */
	int stack = (j->regs_used & 1u << EBPF_REG_10) ? EBPF_STACK_SIZE : 0;
	j->slot_base = -stack;
	j->frame_size = stack + 16;
	if (((1 + j->nsaved) * 8 + j->frame_size) % 16)
		j->frame_size += 8;
}

int ebpf_jit_compile(const struct ebpf_insn *prog, size_t len, const struct ebpf_jit_opts *opts,
		     struct ebpf_jit_prog **out, struct bpfcap_error *err)
{
	return ebpf_jit_compile_maps(prog, len, opts, NULL, 0, out, err);
}

int ebpf_jit_compile_maps(const struct ebpf_insn *prog, size_t len,
			  const struct ebpf_jit_opts *opts, const uint64_t *map_addrs, size_t nmaps,
			  struct ebpf_jit_prog **out, struct bpfcap_error *err)
{
	*out = NULL;
	if (!prog || !len)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "jit: empty program");
	struct jit jt = { .prog = prog, .len = len, .err = err };
	struct jit *j = &jt;
	if (opts) {
		j->helpers = opts->helpers;
		j->nhelpers = opts->nhelpers;
		j->helper_user = opts->helper_user;
	}
	j->map_addrs = map_addrs;
	j->nmaps = map_addrs ? nmaps : 0;
	size_t nind;
	jit_scan(j, &nind);
	j->nlabels = len + 1 + 2 * nind;
	j->prev = calloc(j->nlabels, sizeof *j->prev);
	j->cur = calloc(j->nlabels, sizeof *j->cur);
	j->stub_insn = calloc(nind ? nind : 1, sizeof *j->stub_insn);
	struct ebpf_jit_prog *jp = calloc(1, sizeof *jp);
	int rc = 0;
	if (!j->prev || !j->cur || !j->stub_insn || !jp) {
		rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "jit: out of memory");
		goto out;
	}
	size_t prev_len = 0;
	for (int pass = 0;; pass++) {
		rc = jit_emit_program(j);
		if (rc)
			goto out;
		if (j->have_prev && j->e.len == prev_len &&
		    !memcmp(j->prev, j->cur, j->nlabels * sizeof *j->cur))
			break; /* converged: this pass's displacements are exact */
		int32_t *t = j->prev;
		j->prev = j->cur;
		j->cur = t;
		j->have_prev = 1;
		prev_len = j->e.len;
		if (pass == MAX_PASSES)
			j->force_near = 1; /* sizes no longer depend on distances */
		if (pass > MAX_PASSES + 4) {
			rc = bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "jit: layout does not converge");
			goto out;
		}
	}
	rc = jit_mem_install(jp, j->e.buf, j->e.len, err);
	if (rc)
		goto out;
	jp->labels = j->prev;
	j->prev = NULL;
	jp->nlabels = j->nlabels;
	jp->force_near = j->force_near;
	jp->helper_user = j->helper_user;
	if (j->nhelpers && j->helpers) {
		jp->helpers = malloc(j->nhelpers * sizeof *jp->helpers);
		if (!jp->helpers) {
			rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "jit: out of memory");
			goto out;
		}
		memcpy(jp->helpers, j->helpers, j->nhelpers * sizeof *jp->helpers);
		jp->nhelpers = j->nhelpers;
	}
	if (j->nmaps) {
		jp->map_addrs = malloc(j->nmaps * sizeof *jp->map_addrs);
		if (!jp->map_addrs) {
			rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "jit: out of memory");
			goto out;
		}
		memcpy(jp->map_addrs, j->map_addrs, j->nmaps * sizeof *jp->map_addrs);
		jp->nmaps = j->nmaps;
	}
	*out = jp;
	jp = NULL;
out:
	if (jp)
		ebpf_jit_free(jp);
	free(j->prev);
	free(j->cur);
	free(j->stub_insn);
	x86_emit_fini(&j->e);
	return rc;
}

ebpf_jit_fn ebpf_jit_entry(const struct ebpf_jit_prog *jp)
{
	return (ebpf_jit_fn)jp->code;
}

void ebpf_jit_free(struct ebpf_jit_prog *jp)
{
	if (!jp)
		return;
	jit_mem_release(jp);
	free(jp->labels);
	free(jp->helpers);
	free(jp->map_addrs);
	free(jp);
}
