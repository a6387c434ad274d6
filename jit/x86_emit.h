/* An x86-64 encoder for the subset of instructions the JIT emits.
 *
 * Each helper appends one machine instruction and, when recording is on,
 * its text in objdump's Intel syntax ("mov rax,QWORD PTR [rdi+0x8]"), so
 * that --dump=jit needs no disassembler and the text can be checked
 * against `objdump -D -b binary -mi386:x86-64 -M intel` of the same bytes.
 * Encodings: Intel SDM vol. 2 (REX, ModRM, SIB; the opcode of each
 * instruction is named in the comment of its helper).
 */
#ifndef BPFCAP_JIT_X86_EMIT_H
#define BPFCAP_JIT_X86_EMIT_H

#include <stddef.h>
#include <stdint.h>

/* x86-64 general registers, numbered as in ModRM/REX. */
enum x86_reg {
	RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* Condition codes (the low nibble of Jcc: 0x70 + cc, 0x0f 0x80 + cc). */
enum x86_cc {
	CC_B = 0x2, CC_AE = 0x3, CC_E = 0x4, CC_NE = 0x5, CC_BE = 0x6, CC_A = 0x7,
	CC_S = 0x8, CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe, CC_G = 0xf,
};

/* One recorded instruction: where it is, and its text. */
struct x86_rec {
	uint32_t off;
	uint8_t len;
	int32_t block;   /* the eBPF instruction (or out-of-line block) it belongs to */
	char text[60];
};

struct x86_emit {
	uint8_t *buf;
	size_t len, cap;
	int oom;                 /* an allocation failed: the pass is void */
	int record;              /* record text (the --dump=jit pass) */
	int32_t block;
	struct x86_rec *recs;
	size_t nrecs, reccap;
};

void x86_emit_reset(struct x86_emit *e);
void x86_emit_fini(struct x86_emit *e);

/* Operand widths in bytes: 8, 4, 2, 1. */

/* Register-register ALU "op r/m, reg" (01 add, 29 sub, 21 and, 09 or,
 * 31 xor, 39 cmp, 85 test, 89 mov): dst op= src. */
enum x86_alu { X_ADD, X_SUB, X_AND, X_OR, X_XOR, X_CMP, X_TEST, X_MOV };
void x86_alu_rr(struct x86_emit *e, enum x86_alu op, int w, int dst, int src);
/* The same with an immediate (83 /n ib or 81 /n id; F7 /0 id for test;
 * B8+r or C7 /0 for mov), sign-extended to 64 bits when w is 8. */
void x86_alu_ri(struct x86_emit *e, enum x86_alu op, int w, int dst, int32_t imm);
/* movabs reg, imm64 (REX.W B8+r io). */
void x86_movabs(struct x86_emit *e, int dst, uint64_t imm);
/* dst = imm64 in the shortest form (xor, mov r32, mov r/m64 imm32, movabs). */
void x86_mov_imm64(struct x86_emit *e, int dst, uint64_t imm);

/* imul dst, src (0F AF /r); imul dst, dst, imm32 (69 /r id). */
void x86_imul_rr(struct x86_emit *e, int w, int dst, int src);
void x86_imul_ri(struct x86_emit *e, int w, int dst, int32_t imm);
/* F7 /n: neg (3), div (6), idiv (7). */
enum x86_unary { X_NEG = 3, X_DIV = 6, X_IDIV = 7 };
void x86_unary(struct x86_emit *e, enum x86_unary op, int w, int reg);
/* cqo (REX.W 99) when w is 8, cdq (99) when 4. */
void x86_sign_extend_ax(struct x86_emit *e, int w);
/* Shifts: C1 /n ib (count imm) or D3 /n (count in cl); n: rol 0, ror 1,
 * shl 4, shr 5, sar 7.  w 2 for the 16-bit rotate of a byte swap. */
enum x86_shift { X_ROL = 0, X_ROR = 1, X_SHL = 4, X_SHR = 5, X_SAR = 7 };
void x86_shift_ri(struct x86_emit *e, enum x86_shift op, int w, int reg, uint8_t count);
void x86_shift_cl(struct x86_emit *e, enum x86_shift op, int w, int reg);
/* bswap r32/r64 (0F C8+r). */
void x86_bswap(struct x86_emit *e, int w, int reg);
/* movzx r32, r8/r16 (0F B6/B7); movsx r32|r64, r8/r16 (0F BE/BF);
 * movsxd r64, r32 (REX.W 63).  to_w 4 or 8, from_w 1, 2 (or 4 for movsxd). */
void x86_movzx_rr(struct x86_emit *e, int from_w, int dst, int src);
void x86_movsx_rr(struct x86_emit *e, int to_w, int from_w, int dst, int src);

/* Memory operands [base + disp] and [base + index*1 + disp]. */
struct x86_mem {
	int base;
	int index;      /* -1: none */
	int32_t disp;
};
#define X86_MEM(B, D) ((struct x86_mem){ .base = (B), .index = -1, .disp = (D) })
#define X86_MEM_IDX(B, I, D) ((struct x86_mem){ .base = (B), .index = (I), .disp = (D) })

/* Loads: w 8, 4 (mov), 2, 1 (movzx to 32 bits); sx: movsx/movsxd to 64. */
void x86_load(struct x86_emit *e, int w, int sx, int dst, struct x86_mem m);
/* Stores mov [m], src (88/89) and mov [m], imm (C6/C7). */
void x86_store(struct x86_emit *e, int w, struct x86_mem m, int src);
void x86_store_imm(struct x86_emit *e, int w, struct x86_mem m, int32_t imm);
/* cmp reg, [m] (3B /r) and cmp QWORD PTR [m], imm (83/81 /7). */
void x86_cmp_rm(struct x86_emit *e, int w, int reg, struct x86_mem m);
void x86_cmp_mi(struct x86_emit *e, int w, struct x86_mem m, int32_t imm);
/* add reg, [m] (03 /r). */
void x86_add_rm(struct x86_emit *e, int w, int reg, struct x86_mem m);
/* lea reg, [m] (8D /r). */
void x86_lea(struct x86_emit *e, int dst, struct x86_mem m);

/* push/pop r64 (50+r, 58+r), ret (C3), call reg (FF /2). */
void x86_push(struct x86_emit *e, int reg);
void x86_pop(struct x86_emit *e, int reg);
void x86_ret(struct x86_emit *e);
void x86_call_reg(struct x86_emit *e, int reg);

/* Jumps.  cc -1 is jmp.  Short: 70+cc / EB rel8; near: 0F 80+cc / E9
 * rel32.  rel is relative to the end of the jump.  The returned index
 * locates the displacement for x86_patch8 (short forward jumps inside one
 * eBPF instruction's code, whose target is not emitted yet). */
size_t x86_jcc(struct x86_emit *e, int cc, int near, int32_t rel);
void x86_patch8(struct x86_emit *e, size_t at);

/* Sizes of the two jump forms. */
static inline int x86_jcc_size(int cc, int near)
{
	return near ? (cc < 0 ? 5 : 6) : 2;
}

#endif
