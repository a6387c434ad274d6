/* cBPF → eBPF: validation and one eBPF block per cBPF instruction (the
 * analyses are in translate_flow.c, loads in translate_load.c, jump layout
 * in translate_layout.c).  docs/DESIGN.md, "vm/translate", has the decisions.
 *
 * cBPF's A and X are 32-bit: every ALU operation is the 32-bit form (w
 * registers), whose result is zero-extended, and every conditional jump is
 * JMP32.  That matters for K >= 0x80000000: a JMP with an immediate
 * sign-extends it to 64 bits, so `jgt #0x80000000` against a zero-extended
 * A would compare with 0xffffffff80000000; JMP32 compares the low 32 bits
 * unsigned, which is cBPF's comparison (the kernel's bpf_convert_filter
 * instead moves such a K into a register). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "translate_int.h"
#include "translate_target.h"

/* ---- emitting -------------------------------------------------------------- */

void tx_emit(struct tx *tx, struct ebpf_insn insn)
{
	if (tx->nomem)
		return;
	if (tx->n == tx->cap) {
		size_t cap = tx->cap ? 2 * tx->cap : 256;
		struct ebpf_insn *n = realloc(tx->code, cap * sizeof *n);
		if (!n) {
			tx->nomem = 1;
			return;
		}
		tx->code = n;
		tx->cap = cap;
	}
	tx->code[tx->n++] = insn;
}

void tx_emit_jump(struct tx *tx, struct ebpf_insn insn, size_t label)
{
	if (tx->nomem)
		return;
	if (tx->nfix == tx->capfix) {
		size_t cap = tx->capfix ? 2 * tx->capfix : 64;
		struct tx_fixup *n = realloc(tx->fix, cap * sizeof *n);
		if (!n) {
			tx->nomem = 1;
			return;
		}
		tx->fix = n;
		tx->capfix = cap;
	}
	tx->fix[tx->nfix++] = (struct tx_fixup){ .at = tx->n, .label = label };
	tx_emit(tx, insn);
}

void tx_emit_jump_reject(struct tx *tx, struct ebpf_insn insn)
{
	tx->reject_used = 1;
	tx_emit_jump(tx, insn, tx->len);
}

/* ---- validation -------------------------------------------------------------- */

/* The opcodes of classic BPF: the kernel's list (net/core/filter.c,
 * chk_code_allowed), which is also every code libpcap's bpf_filter runs. */
static int known_opcode(uint16_t code)
{
	switch (code) {
	case CBPF_ALU | CBPF_ADD | CBPF_K: case CBPF_ALU | CBPF_ADD | CBPF_X:
	case CBPF_ALU | CBPF_SUB | CBPF_K: case CBPF_ALU | CBPF_SUB | CBPF_X:
	case CBPF_ALU | CBPF_MUL | CBPF_K: case CBPF_ALU | CBPF_MUL | CBPF_X:
	case CBPF_ALU | CBPF_DIV | CBPF_K: case CBPF_ALU | CBPF_DIV | CBPF_X:
	case CBPF_ALU | CBPF_MOD | CBPF_K: case CBPF_ALU | CBPF_MOD | CBPF_X:
	case CBPF_ALU | CBPF_AND | CBPF_K: case CBPF_ALU | CBPF_AND | CBPF_X:
	case CBPF_ALU | CBPF_OR | CBPF_K: case CBPF_ALU | CBPF_OR | CBPF_X:
	case CBPF_ALU | CBPF_XOR | CBPF_K: case CBPF_ALU | CBPF_XOR | CBPF_X:
	case CBPF_ALU | CBPF_LSH | CBPF_K: case CBPF_ALU | CBPF_LSH | CBPF_X:
	case CBPF_ALU | CBPF_RSH | CBPF_K: case CBPF_ALU | CBPF_RSH | CBPF_X:
	case CBPF_ALU | CBPF_NEG:
	case CBPF_LD | CBPF_W | CBPF_ABS: case CBPF_LD | CBPF_H | CBPF_ABS:
	case CBPF_LD | CBPF_B | CBPF_ABS:
	case CBPF_LD | CBPF_W | CBPF_IND: case CBPF_LD | CBPF_H | CBPF_IND:
	case CBPF_LD | CBPF_B | CBPF_IND:
	case CBPF_LD | CBPF_W | CBPF_LEN: case CBPF_LD | CBPF_W | CBPF_IMM:
	case CBPF_LD | CBPF_W | CBPF_MEM:
	case CBPF_LDX | CBPF_W | CBPF_LEN: case CBPF_LDX | CBPF_W | CBPF_IMM:
	case CBPF_LDX | CBPF_W | CBPF_MEM: case CBPF_LDX | CBPF_B | CBPF_MSH:
	case CBPF_ST: case CBPF_STX:
	case CBPF_MISC | CBPF_TAX: case CBPF_MISC | CBPF_TXA:
	case CBPF_RET | CBPF_K: case CBPF_RET | CBPF_A:
	case CBPF_JMP | CBPF_JA:
	case CBPF_JMP | CBPF_JEQ | CBPF_K: case CBPF_JMP | CBPF_JEQ | CBPF_X:
	case CBPF_JMP | CBPF_JGT | CBPF_K: case CBPF_JMP | CBPF_JGT | CBPF_X:
	case CBPF_JMP | CBPF_JGE | CBPF_K: case CBPF_JMP | CBPF_JGE | CBPF_X:
	case CBPF_JMP | CBPF_JSET | CBPF_K: case CBPF_JMP | CBPF_JSET | CBPF_X:
		return 1;
	}
	return 0;
}

static int uses_mem(uint16_t code)
{
	return code == (CBPF_LD | CBPF_W | CBPF_MEM) || code == (CBPF_LDX | CBPF_W | CBPF_MEM) ||
	       code == CBPF_ST || code == CBPF_STX;
}

/* The rules of the kernel's bpf_check_classic, which libpcap's
 * bpf_validate shares but for the shifts. */
static int validate(struct tx *tx)
{
	const struct bpfcap_insn *p = tx->in;
	size_t len = tx->len;
	if (len == 0)
		return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0, "empty cBPF program");
	for (size_t pc = 0; pc < len; pc++) {
		uint16_t c = p[pc].code;
		uint32_t k = p[pc].k;
		if (!known_opcode(c))
			return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
					   "cBPF insn %zu: unknown opcode 0x%02x", pc, c);
		if (uses_mem(c) && k >= CBPF_MEMWORDS)
			return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
					   "cBPF insn %zu: scratch memory index %u (M[] has %d words)", pc,
					   k, CBPF_MEMWORDS);
		if (c == (CBPF_ALU | CBPF_DIV | CBPF_K) || c == (CBPF_ALU | CBPF_MOD | CBPF_K)) {
			if (k == 0)
				return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
						   "cBPF insn %zu: %s by the constant 0", pc,
						   CBPF_OP(c) == CBPF_DIV ? "division" : "modulo");
		}
		if ((c == (CBPF_ALU | CBPF_LSH | CBPF_K) || c == (CBPF_ALU | CBPF_RSH | CBPF_K)) &&
		    k >= 32)
			return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
					   "cBPF insn %zu: shift by %u (the kernel's bpf_check_classic "
					   "refuses constant shifts of 32 or more)",
					   pc, k);
		if (c == (CBPF_JMP | CBPF_JA)) {
			if (k >= len - pc - 1)
				return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
						   "cBPF insn %zu: ja +%u jumps past the end (%zu insns)",
						   pc, k, len);
		} else if (CBPF_CLASS(c) == CBPF_JMP) {
			if (pc + 1 + p[pc].jt >= len || pc + 1 + p[pc].jf >= len)
				return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
						   "cBPF insn %zu: jump (jt %u, jf %u) past the end (%zu "
						   "insns)",
						   pc, p[pc].jt, p[pc].jf, len);
		}
		if (CBPF_CLASS(c) == CBPF_LD || c == (CBPF_LDX | CBPF_B | CBPF_MSH)) {
			int rc = tx_check_load(tx, pc, &p[pc]);
			if (rc)
				return rc;
		}
	}
	if (CBPF_CLASS(p[len - 1].code) != CBPF_RET)
		return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
				   "cBPF insn %zu: the program does not end in a return", len - 1);
	return 0;
}

/* ---- blocks ------------------------------------------------------------------------ */

static uint8_t alu_op(uint16_t code)
{
	switch (CBPF_OP(code)) {
	case CBPF_ADD: return EBPF_ADD;
	case CBPF_SUB: return EBPF_SUB;
	case CBPF_MUL: return EBPF_MUL;
	case CBPF_DIV: return EBPF_DIV;
	case CBPF_MOD: return EBPF_MOD;
	case CBPF_AND: return EBPF_AND;
	case CBPF_OR: return EBPF_OR;
	case CBPF_XOR: return EBPF_XOR;
	case CBPF_LSH: return EBPF_LSH;
	case CBPF_RSH: return EBPF_RSH;
	default: return EBPF_NEG;
	}
}

static void alu(struct tx *tx, const struct bpfcap_insn *in)
{
	uint16_t c = in->code;
	uint8_t op = alu_op(c);
	if (CBPF_OP(c) == CBPF_NEG) {
		tx_emit(tx, EBPF_NEG32(TX_A));
		return;
	}
	if (CBPF_SRC(c) == CBPF_K) {
		/* validate() refused division by 0 and shifts of 32 or more. */
		tx_emit(tx, EBPF_ALU32_IMM(op, TX_A, (int32_t)in->k));
		return;
	}
	switch (CBPF_OP(c)) {
	case CBPF_DIV:
	case CBPF_MOD:
		/* A / 0 and A % 0 end the program with 0 (libpcap's bpf_filter
		 * and the kernel's classic conversion); eBPF would give 0 or A. */
		tx_emit_jump_reject(tx, EBPF_JMP32_IMM(EBPF_JEQ, TX_X, 0, 0));
		tx_emit(tx, EBPF_ALU32_REG(op, TX_A, TX_X));
		break;
	case CBPF_LSH:
	case CBPF_RSH:
		/* A shift by X >= 32 gives 0, as libpcap's bpf_filter computes
		 * it ("if (X < 32) A <<= X; else A = 0"); the kernel's classic
		 * conversion emits a plain eBPF shift, which masks X & 31.  The
		 * eBPF shift runs first (it masks, harmlessly) and is then
		 * overwritten when X >= 32: three instructions, no JA. */
		tx_emit(tx, EBPF_ALU32_REG(op, TX_A, TX_X));
		tx_emit(tx, EBPF_JMP32_IMM(EBPF_JLT, TX_X, 32, 1));
		tx_emit(tx, EBPF_MOV32_IMM(TX_A, 0));
		break;
	default:
		tx_emit(tx, EBPF_ALU32_REG(op, TX_A, TX_X));
		break;
	}
}

static uint8_t jmp_op(uint16_t code, int inverse)
{
	switch (CBPF_OP(code)) {
	case CBPF_JEQ: return inverse ? EBPF_JNE : EBPF_JEQ;
	case CBPF_JGT: return inverse ? EBPF_JLE : EBPF_JGT;
	case CBPF_JGE: return inverse ? EBPF_JLT : EBPF_JGE;
	default: return EBPF_JSET; /* no inverse: callers check */
	}
}

static struct ebpf_insn cond(const struct bpfcap_insn *in, int inverse)
{
	uint8_t op = jmp_op(in->code, inverse);
	if (CBPF_SRC(in->code) == CBPF_X)
		return EBPF_JMP32_REG(op, TX_A, TX_X, 0);
	return EBPF_JMP32_IMM(op, TX_A, (int32_t)in->k, 0);
}

static void jump(struct tx *tx, size_t pc, const struct bpfcap_insn *in)
{
	size_t next = pc + 1;
	if (in->code == (CBPF_JMP | CBPF_JA)) {
		if (in->k)
			tx_emit_jump(tx, EBPF_JMP_A(0), next + in->k);
		return;
	}
	size_t t = next + in->jt, f = next + in->jf;
	if (t == f) {
		if (t != next)
			tx_emit_jump(tx, EBPF_JMP_A(0), t);
	} else if (f == next) {
		tx_emit_jump(tx, cond(in, 0), t);
	} else if (t == next && CBPF_OP(in->code) != CBPF_JSET) {
		tx_emit_jump(tx, cond(in, 1), f);
	} else {
		tx_emit_jump(tx, cond(in, 0), t);
		tx_emit_jump(tx, EBPF_JMP_A(0), f);
	}
}

static void len_load(struct tx *tx, uint8_t dst)
{
	int16_t off = tx->target == EBPF_TARGET_SOCKET ? EBPF_SKB_OFF(len)
						       : EBPF_DCTX_OFF(wire_len);
	tx_emit(tx, EBPF_LDX_MEM(EBPF_W, dst, TX_CTX, off));
}

static void block(struct tx *tx, size_t pc)
{
	const struct bpfcap_insn *in = &tx->in[pc];
	uint16_t c = in->code;
	switch (CBPF_CLASS(c)) {
	case CBPF_LD:
		switch (CBPF_MODE(c)) {
		case CBPF_IMM: tx_emit(tx, EBPF_MOV32_IMM(TX_A, (int32_t)in->k)); break;
		case CBPF_MEM: tx_emit(tx, EBPF_LDX_MEM(EBPF_W, TX_A, EBPF_REG_FP, TX_MEM_OFF(in->k))); break;
		case CBPF_LEN: len_load(tx, TX_A); break;
		default: tx_load(tx, pc, in); break;
		}
		break;
	case CBPF_LDX:
		switch (CBPF_MODE(c)) {
		case CBPF_IMM: tx_emit(tx, EBPF_MOV32_IMM(TX_X, (int32_t)in->k)); break;
		case CBPF_MEM: tx_emit(tx, EBPF_LDX_MEM(EBPF_W, TX_X, EBPF_REG_FP, TX_MEM_OFF(in->k))); break;
		case CBPF_LEN: len_load(tx, TX_X); break;
		default: tx_load(tx, pc, in); break;
		}
		break;
	case CBPF_ST: tx_emit(tx, EBPF_STX_MEM(EBPF_W, EBPF_REG_FP, TX_A, TX_MEM_OFF(in->k))); break;
	case CBPF_STX: tx_emit(tx, EBPF_STX_MEM(EBPF_W, EBPF_REG_FP, TX_X, TX_MEM_OFF(in->k))); break;
	case CBPF_ALU: alu(tx, in); break;
	case CBPF_JMP: jump(tx, pc, in); break;
	case CBPF_RET:
		if (CBPF_RVAL(c) == CBPF_K)
			tx_emit(tx, EBPF_MOV32_IMM(TX_A, (int32_t)in->k));
		tx_emit(tx, EBPF_EXIT_INSN());
		break;
	case CBPF_MISC:
		if (CBPF_MISCOP(c) == CBPF_TAX)
			tx_emit(tx, EBPF_MOV32_REG(TX_X, TX_A));
		else
			tx_emit(tx, EBPF_MOV32_REG(TX_A, TX_X));
		break;
	}
}

/* r6 = context; the direct target's data/data_end; zeroes for what may be
 * read before written. */
static void prologue(struct tx *tx)
{
	tx_emit(tx, EBPF_MOV64_REG(TX_CTX, EBPF_REG_1));
	if (tx->target == EBPF_TARGET_DIRECT) {
		tx_emit(tx, EBPF_LDX_MEM(EBPF_DW, TX_DATA, TX_CTX, EBPF_DCTX_OFF(data)));
		tx_emit(tx, EBPF_LDX_MEM(EBPF_DW, TX_END, TX_CTX, EBPF_DCTX_OFF(data_end)));
	}
	if (tx->init & TX_SLOT_A)
		tx_emit(tx, EBPF_MOV32_IMM(TX_A, 0));
	if (tx->init & TX_SLOT_X)
		tx_emit(tx, EBPF_MOV32_IMM(TX_X, 0));
	for (unsigned i = 0; i < CBPF_MEMWORDS; i++)
		if (tx->init & TX_SLOT_M(i))
			tx_emit(tx, EBPF_ST_MEM(EBPF_W, EBPF_REG_FP, TX_MEM_OFF(i), 0));
}

static int emit_blocks(struct tx *tx)
{
	tx->start = calloc(tx->len + 2, sizeof *tx->start);
	if (!tx->start)
		return bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	prologue(tx);
	for (size_t pc = 0; pc < tx->len; pc++) {
		if (pc > 0)
			tx->start[pc] = tx->n;
		if (!tx->reach[pc])
			continue;
		if (tx->leader[pc]) {
			/* A block reached by one edge only keeps what the edge
			 * proved (every verifier follows state along an edge);
			 * where edges merge, nothing is assumed. */
			size_t p = tx->only_pred[pc];
			tx->checked = p != SIZE_MAX ? tx->checked_out[p] : 0;
			tx->stretch = tx->stretch_need[pc];
		}
		block(tx, pc);
		tx->checked_out[pc] = tx->checked;
		if (tx->n > 2 * (size_t)EBPF_MAX_INSNS)
			break;
	}
	tx->start[tx->len] = tx->n;
	if (tx->reject_used) {
		tx_emit(tx, EBPF_MOV32_IMM(TX_A, 0));
		tx_emit(tx, EBPF_EXIT_INSN());
	}
	tx->start[tx->len + 1] = tx->n;
	if (tx->nomem)
		return bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	if (tx->n > EBPF_MAX_INSNS)
		return bpfcap_fail(tx->err, BPFCAP_E_TOOBIG, -1, 0,
				   "the translated program has more than the %u instructions eBPF "
				   "allows a privileged loader",
				   EBPF_MAX_INSNS);
	return 0;
}

int ebpf_translate(const struct bpfcap_insn *cbpf, size_t len, enum ebpf_target target,
		   struct ebpf_prog *out, struct bpfcap_error *err)
{
	struct tx tx = { .in = cbpf, .len = len, .target = target, .err = err };
	int rc;
	memset(out, 0, sizeof *out);
	if (target == EBPF_TARGET_XDP) {
		/* The direct translation over struct xdp_md (translate_target.c). */
		rc = ebpf_translate(cbpf, len, EBPF_TARGET_DIRECT, out, err);
		if (!rc && (rc = ebpf_xdp_from_direct(out, err)))
			ebpf_prog_free(out);
		return rc;
	}
	if (target != EBPF_TARGET_SOCKET && target != EBPF_TARGET_DIRECT)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "unknown target %d", (int)target);
	if (!cbpf && len)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "no program");
	rc = validate(&tx);
	if (!rc)
		rc = tx_analyse(&tx);
	if (!rc)
		rc = emit_blocks(&tx);
	if (!rc)
		rc = tx_layout(&tx, out);
	if (!rc) {
		out->target = target;
		out->uses = tx.uses;
	}
	free(tx.code);
	free(tx.start);
	free(tx.fix);
	free(tx.reach);
	free(tx.leader);
	free(tx.live_out);
	free(tx.stretch_need);
	free(tx.x_small);
	free(tx.only_pred);
	free(tx.checked_out);
	return rc;
}

void ebpf_prog_free(struct ebpf_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}
