/* eBPF dumps: bpftool's `prog dump xlated` text and the raw decimal form.
 *
 * The text follows the kernel's kernel/bpf/disasm.c (print_bpf_insn)
 * field for field: "(code) " then the operation, 'w' registers for 32-bit
 * ALU and JMP32, signed decimal immediates for ALU, hexadecimal for jump
 * comparisons, "%+d" offsets, "skb[...]" for the legacy packet loads and
 * "BUG_..." for encodings disasm.c does not know.  Helper names are the
 * uapi's enum bpf_func_id spelled "bpf_<name>" as disasm.c's func_id_str
 * does; a number we have no name for prints "unknown#N".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ebpf_dump.h"

/* ALU operator strings, by op >> 4 (disasm.c's bpf_alu_string). */
static const char *const alu_op_text[16] = {
	[EBPF_ADD >> 4] = "+=",  [EBPF_SUB >> 4] = "-=",   [EBPF_MUL >> 4] = "*=",
	[EBPF_DIV >> 4] = "/=",  [EBPF_OR >> 4] = "|=",    [EBPF_AND >> 4] = "&=",
	[EBPF_LSH >> 4] = "<<=", [EBPF_RSH >> 4] = ">>=",  [EBPF_NEG >> 4] = "neg",
	[EBPF_MOD >> 4] = "%=",  [EBPF_XOR >> 4] = "^=",   [EBPF_MOV >> 4] = "=",
	[EBPF_ARSH >> 4] = "s>>=", [EBPF_END >> 4] = "endian",
};

/* Jump comparison strings, by op >> 4 (disasm.c's bpf_jmp_string). */
static const char *const jmp_op_text[16] = {
	[EBPF_JA >> 4] = "jmp",   [EBPF_JEQ >> 4] = "==",  [EBPF_JGT >> 4] = ">",
	[EBPF_JLT >> 4] = "<",    [EBPF_JGE >> 4] = ">=",  [EBPF_JLE >> 4] = "<=",
	[EBPF_JSET >> 4] = "&",   [EBPF_JNE >> 4] = "!=",  [EBPF_JSGT >> 4] = "s>",
	[EBPF_JSLT >> 4] = "s<",  [EBPF_JSGE >> 4] = "s>=", [EBPF_JSLE >> 4] = "s<=",
	[EBPF_CALL >> 4] = "call", [EBPF_EXIT >> 4] = "exit",
};

static const char *const class_text[8] = {
	[EBPF_LD] = "ld",   [EBPF_LDX] = "ldx",   [EBPF_ST] = "st",       [EBPF_STX] = "stx",
	[EBPF_ALU] = "alu", [EBPF_JMP] = "jmp",   [EBPF_JMP32] = "jmp32", [EBPF_ALU64] = "alu64",
};

/* Helper names by number (uapi enum bpf_func_id), the few a filter or a
 * test may meet; disasm.c knows them all, bpfcap needs only 7 and 8. */
static const char *const helper_names[] = {
	[1] = "bpf_map_lookup_elem",  [2] = "bpf_map_update_elem",
	[3] = "bpf_map_delete_elem",  [4] = "bpf_probe_read",
	[5] = "bpf_ktime_get_ns",     [6] = "bpf_trace_printk",
	[7] = "bpf_get_prandom_u32",  [8] = "bpf_get_smp_processor_id",
	[9] = "bpf_skb_store_bytes",  [10] = "bpf_l3_csum_replace",
};

static const char *size_text(uint8_t code)
{
	switch (EBPF_SIZE(code)) {
	case EBPF_W: return "u32";
	case EBPF_H: return "u16";
	case EBPF_B: return "u8";
	default: return "u64";
	}
}

static const char *sx_size_text(uint8_t code)
{
	switch (EBPF_SIZE(code)) {
	case EBPF_W: return "s32";
	case EBPF_H: return "s16";
	case EBPF_B: return "s8";
	default: return "s64"; /* not an encoding; disasm.c prints (null) */
	}
}

static const char *or_unknown(const char *s)
{
	return s ? s : "?";
}

static int alu_image(const struct ebpf_insn *in, char *buf, size_t size)
{
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	char r = cls == EBPF_ALU ? 'w' : 'r';
	const char *optext = or_unknown(alu_op_text[op >> 4]);

	if (op == EBPF_END) {
		if (cls == EBPF_ALU64)
			return snprintf(buf, size, "(%02x) r%d = bswap%d r%d", in->code, in->dst,
					in->imm, in->dst);
		return snprintf(buf, size, "(%02x) r%d = %s%d r%d", in->code, in->dst,
				EBPF_SRC(in->code) == EBPF_TO_BE ? "be" : "le", in->imm, in->dst);
	}
	if (op == EBPF_NEG)
		return snprintf(buf, size, "(%02x) %c%d = -%c%d", in->code, r, in->dst, r, in->dst);
	if ((op == EBPF_DIV || op == EBPF_MOD) && in->off == EBPF_OFF_SIGNED)
		optext = op == EBPF_DIV ? "s/=" : "s%=";
	if (EBPF_SRC(in->code) == EBPF_X) {
		const char *sx = "";
		if (op == EBPF_MOV && in->off == 8)
			sx = "(s8)";
		else if (op == EBPF_MOV && in->off == 16)
			sx = "(s16)";
		else if (op == EBPF_MOV && in->off == 32)
			sx = "(s32)";
		return snprintf(buf, size, "(%02x) %c%d %s %s%c%d", in->code, r, in->dst, optext,
				sx, r, in->src);
	}
	return snprintf(buf, size, "(%02x) %c%d %s %d", in->code, r, in->dst, optext, in->imm);
}

static const char *atomic_alu_name(int32_t op)
{
	switch (op & 0xf0) {
	case EBPF_ADD: return "add";
	case EBPF_AND: return "and";
	case EBPF_OR: return "or";
	case EBPF_XOR: return "xor";
	default: return NULL;
	}
}

static int stx_image(const struct ebpf_insn *in, char *buf, size_t size)
{
	const char *sz = size_text(in->code);
	const char *w64 = EBPF_SIZE(in->code) == EBPF_DW ? "64" : "";
	int32_t imm = in->imm;

	if (EBPF_MODE(in->code) == EBPF_MEM)
		return snprintf(buf, size, "(%02x) *(%s *)(r%d %+d) = r%d", in->code, sz, in->dst,
				in->off, in->src);
	if (EBPF_MODE(in->code) != EBPF_ATOMIC)
		return snprintf(buf, size, "(%02x) BUG_%02x", in->code, in->code);
	if (imm == EBPF_ADD || imm == EBPF_AND || imm == EBPF_OR || imm == EBPF_XOR)
		return snprintf(buf, size, "(%02x) lock *(%s *)(r%d %+d) %s r%d", in->code, sz,
				in->dst, in->off, alu_op_text[imm >> 4], in->src);
	if ((imm & EBPF_FETCH) && atomic_alu_name(imm) && (imm & ~0xf1) == 0 &&
	    imm != EBPF_XCHG && imm != EBPF_CMPXCHG)
		return snprintf(buf, size, "(%02x) r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
				in->code, in->src, w64, atomic_alu_name(imm), sz, in->dst, in->off,
				in->src);
	if (imm == EBPF_CMPXCHG)
		return snprintf(buf, size, "(%02x) r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
				in->code, w64, sz, in->dst, in->off, in->src);
	if (imm == EBPF_XCHG)
		return snprintf(buf, size, "(%02x) r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)",
				in->code, in->src, w64, sz, in->dst, in->off, in->src);
	if (imm == EBPF_LOAD_ACQ)
		return snprintf(buf, size, "(%02x) r%d = load_acquire((%s *)(r%d %+d))", in->code,
				in->dst, sz, in->src, in->off);
	if (imm == EBPF_STORE_REL)
		return snprintf(buf, size, "(%02x) store_release((%s *)(r%d %+d), r%d)", in->code,
				sz, in->dst, in->off, in->src);
	return snprintf(buf, size, "(%02x) BUG_%02x", in->code, in->code);
}

static int ld_image(const struct ebpf_insn *prog, size_t len, size_t pc, char *buf, size_t size)
{
	const struct ebpf_insn *in = &prog[pc];
	uint8_t mode = EBPF_MODE(in->code);

	if (mode == EBPF_ABS)
		return snprintf(buf, size, "(%02x) r0 = *(%s *)skb[%d]", in->code,
				size_text(in->code), in->imm);
	if (mode == EBPF_IND)
		return snprintf(buf, size, "(%02x) r0 = *(%s *)skb[r%d + %d]", in->code,
				size_text(in->code), in->src, in->imm);
	if (in->code == EBPF_OP_LD_IMM64) {
		uint64_t hi = pc + 1 < len ? (uint32_t)prog[pc + 1].imm : 0;
		uint64_t imm = hi << 32 | (uint32_t)in->imm;
		/* bpftool prints map references by id once loaded; before loading
		 * only the fd or index is known. */
		if (in->src == EBPF_PSEUDO_MAP_FD)
			return snprintf(buf, size, "(%02x) r%d = map[fd:%d]", in->code, in->dst,
					in->imm);
		return snprintf(buf, size, "(%02x) r%d = 0x%" PRIx64, in->code, in->dst, imm);
	}
	return snprintf(buf, size, "(%02x) BUG_ld_%02x", in->code, in->code);
}

static int jmp_image(const struct ebpf_insn *in, char *buf, size_t size)
{
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	char r = cls == EBPF_JMP32 ? 'w' : 'r';

	if (op == EBPF_CALL) {
		if (in->src == EBPF_PSEUDO_CALL)
			return snprintf(buf, size, "(%02x) call pc%+d", in->code, in->imm);
		const char *name = "unknown";
		if (in->imm >= 0 && (size_t)in->imm < sizeof(helper_names) / sizeof(helper_names[0]) &&
		    helper_names[in->imm])
			name = helper_names[in->imm];
		return snprintf(buf, size, "(%02x) call %s#%d", in->code, name, in->imm);
	}
	if (in->code == (EBPF_JMP | EBPF_JA))
		return snprintf(buf, size, "(%02x) goto pc%+d", in->code, in->off);
	if (in->code == (EBPF_JMP32 | EBPF_JA))
		return snprintf(buf, size, "(%02x) gotol pc%+d", in->code, in->imm);
	if (in->code == EBPF_OP_EXIT)
		return snprintf(buf, size, "(%02x) exit", in->code);
	if (EBPF_SRC(in->code) == EBPF_X)
		return snprintf(buf, size, "(%02x) if %c%d %s %c%d goto pc%+d", in->code, r, in->dst,
				or_unknown(jmp_op_text[op >> 4]), r, in->src, in->off);
	return snprintf(buf, size, "(%02x) if %c%d %s 0x%x goto pc%+d", in->code, r, in->dst,
			or_unknown(jmp_op_text[op >> 4]), (uint32_t)in->imm, in->off);
}

int ebpf_insn_image(const struct ebpf_insn *prog, size_t len, size_t pc, char *buf, size_t size)
{
	const struct ebpf_insn *in = &prog[pc];

	switch (EBPF_CLASS(in->code)) {
	case EBPF_ALU:
	case EBPF_ALU64:
		return alu_image(in, buf, size);
	case EBPF_STX:
		return stx_image(in, buf, size);
	case EBPF_ST:
		if (EBPF_MODE(in->code) != EBPF_MEM)
			return snprintf(buf, size, "(%02x) BUG_st_%02x", in->code, in->code);
		return snprintf(buf, size, "(%02x) *(%s *)(r%d %+d) = %d", in->code,
				size_text(in->code), in->dst, in->off, in->imm);
	case EBPF_LDX:
		if (EBPF_MODE(in->code) == EBPF_MEM || EBPF_MODE(in->code) == EBPF_MEMSX)
			return snprintf(buf, size, "(%02x) r%d = *(%s *)(r%d %+d)", in->code, in->dst,
					EBPF_MODE(in->code) == EBPF_MEM ? size_text(in->code)
									: sx_size_text(in->code),
					in->src, in->off);
		return snprintf(buf, size, "(%02x) BUG_ldx_%02x", in->code, in->code);
	case EBPF_LD:
		return ld_image(prog, len, pc, buf, size);
	case EBPF_JMP:
	case EBPF_JMP32:
		return jmp_image(in, buf, size);
	}
	return snprintf(buf, size, "(%02x) %s", in->code, class_text[EBPF_CLASS(in->code)]);
}

/* Appends to buf[*used..size) like snprintf, counting what did not fit. */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(*used < size ? buf + *used : NULL, *used < size ? size - *used : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
}

size_t ebpf_dump(const struct ebpf_insn *prog, size_t len, int raw, char *buf, size_t size)
{
	size_t used = 0;
	char line[160];

	if (size > 0)
		buf[0] = '\0';
	for (size_t pc = 0; pc < len; pc++) {
		const struct ebpf_insn *in = &prog[pc];
		if (raw) {
			append(buf, size, &used, "%u %u %u %d %d\n", in->code, in->dst, in->src, in->off,
			       in->imm);
			continue;
		}
		ebpf_insn_image(prog, len, pc, line, sizeof(line));
		append(buf, size, &used, "%4zu: %s\n", pc, line);
		/* bpftool prints LD_IMM64 once, then skips its second slot. */
		if (in->code == EBPF_OP_LD_IMM64 && pc + 1 < len)
			pc++;
	}
	return used;
}
