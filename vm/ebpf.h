/* eBPF encoding: the one place the project spells an eBPF opcode.
 *
 * Values follow RFC 9669 (BPF Instruction Set Architecture) and the Linux
 * uapi headers (linux/bpf.h, linux/bpf_common.h).  Names carry an EBPF_
 * prefix so this header coexists with <linux/bpf.h> and filter/cbpf.h.
 *
 * An instruction is 64 bits: an 8-bit opcode, two 4-bit register numbers,
 * a signed 16-bit offset and a signed 32-bit immediate.  LD_IMM64 takes two
 * slots: the second has code 0 and carries the upper 32 bits in imm.
 *
 * The opcode is class (low 3 bits) plus, by class:
 *   ALU/ALU64/JMP/JMP32:  op (high 4 bits) | source (bit 3: K or X)
 *   LD/LDX/ST/STX:        mode (high 3 bits) | size (bits 3-4)
 *
 * The EBPF_* constructors at the end build a struct ebpf_insn as the
 * kernel's BPF_* macros (linux/filter.h) do, so a program reads like a
 * listing:
 *     EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
 *     EBPF_LD_ABS(EBPF_H, 12),
 *     EBPF_JMP_IMM(EBPF_JNE, EBPF_REG_0, 0x0800, 2),
 *     EBPF_EXIT_INSN(),
 */
#ifndef BPFCAP_VM_EBPF_H
#define BPFCAP_VM_EBPF_H

#include <stdint.h>

/* The kernel's struct bpf_insn, bit for bit (little-endian bitfields:
 * dst in the low nibble of byte 1, src in the high nibble). */
struct ebpf_insn {
	uint8_t code;
	uint8_t dst : 4;
	uint8_t src : 4;
	int16_t off;
	int32_t imm;
};

_Static_assert(sizeof(struct ebpf_insn) == 8, "struct ebpf_insn is 8 bytes");

/* ---- registers ------------------------------------------------------------ */

enum {
	EBPF_REG_0 = 0, /* return value, helper results */
	EBPF_REG_1,     /* arguments 1-5 (the context on entry); clobbered by calls */
	EBPF_REG_2,
	EBPF_REG_3,
	EBPF_REG_4,
	EBPF_REG_5,
	EBPF_REG_6,     /* callee-saved 6-9 */
	EBPF_REG_7,
	EBPF_REG_8,
	EBPF_REG_9,
	EBPF_REG_10,    /* frame pointer, read-only: top of the stack */
	EBPF_NREGS,
};
#define EBPF_REG_FP EBPF_REG_10

/* Stack bytes per frame below r10 (the kernel's MAX_BPF_STACK). */
#define EBPF_STACK_SIZE 512
/* Nested bpf-to-bpf calls (the kernel's MAX_CALL_FRAMES). */
#define EBPF_MAX_CALL_FRAMES 8

/* ---- classes ----------------------------------------------------------------- */

#define EBPF_LD    0x00
#define EBPF_LDX   0x01
#define EBPF_ST    0x02
#define EBPF_STX   0x03
#define EBPF_ALU   0x04 /* 32-bit: results zero-extended to 64 */
#define EBPF_JMP   0x05
#define EBPF_JMP32 0x06 /* compares the low 32 bits */
#define EBPF_ALU64 0x07
#define EBPF_CLASS(code) ((code) & 0x07)

/* ---- load/store: size and mode ----------------------------------------------- */

#define EBPF_W  0x00 /* 4 bytes */
#define EBPF_H  0x08 /* 2 */
#define EBPF_B  0x10 /* 1 */
#define EBPF_DW 0x18 /* 8 */
#define EBPF_SIZE(code) ((code) & 0x18)

#define EBPF_IMM    0x00 /* LD only: LD_IMM64 (with EBPF_DW) */
#define EBPF_ABS    0x20 /* LD only, legacy: r0 = ntoh(packet[imm]) */
#define EBPF_IND    0x40 /* LD only, legacy: r0 = ntoh(packet[src + imm]) */
#define EBPF_MEM    0x60
#define EBPF_MEMSX  0x80 /* LDX only: sign-extending load (B, H, W) */
#define EBPF_ATOMIC 0xc0 /* STX only (W, DW): imm holds the operation */
#define EBPF_MODE(code) ((code) & 0xe0)

/* LD_IMM64 source (src field of the first slot).  0: imm64 is a number. */
#define EBPF_PSEUDO_MAP_FD        1
#define EBPF_PSEUDO_MAP_VALUE     2
#define EBPF_PSEUDO_BTF_ID        3
#define EBPF_PSEUDO_FUNC          4
#define EBPF_PSEUDO_MAP_IDX       5
#define EBPF_PSEUDO_MAP_IDX_VALUE 6

/* ---- ALU / ALU64 ------------------------------------------------------------- */

#define EBPF_K 0x00 /* operand: imm (sign-extended to 64 bits for ALU64/JMP) */
#define EBPF_X 0x08 /* operand: src register */
#define EBPF_SRC(code) ((code) & 0x08)

#define EBPF_ADD  0x00
#define EBPF_SUB  0x10
#define EBPF_MUL  0x20
#define EBPF_DIV  0x30 /* off 0: unsigned; off 1: signed (SDIV).  x / 0 = 0 */
#define EBPF_OR   0x40
#define EBPF_AND  0x50
#define EBPF_LSH  0x60 /* shift count & 63 (ALU64) or & 31 (ALU) */
#define EBPF_RSH  0x70
#define EBPF_NEG  0x80 /* dst = -dst; source bit 0 */
#define EBPF_MOD  0x90 /* off 0: unsigned; off 1: signed (SMOD).  x % 0 = x */
#define EBPF_XOR  0xa0
#define EBPF_MOV  0xb0 /* off 0: mov; 8/16/32: movsx (32 with ALU64 only) */
#define EBPF_ARSH 0xc0
#define EBPF_END  0xd0 /* byte swap; imm = 16, 32 or 64 */
#define EBPF_OP(code) ((code) & 0xf0)

/* Offsets that select the signed variants of DIV and MOD. */
#define EBPF_OFF_SIGNED 1

/* Source field of EBPF_END.  With ALU: convert to little/big endian.  With
 * ALU64 and EBPF_TO_LE: unconditional byte swap (BSWAP, ISA v4). */
#define EBPF_TO_LE 0x00
#define EBPF_TO_BE 0x08

/* ---- JMP / JMP32 ------------------------------------------------------------- */

#define EBPF_JA   0x00 /* JMP: pc += off; JMP32 (gotol): pc += imm */
#define EBPF_JEQ  0x10
#define EBPF_JGT  0x20
#define EBPF_JGE  0x30
#define EBPF_JSET 0x40
#define EBPF_JNE  0x50
#define EBPF_JSGT 0x60
#define EBPF_JSGE 0x70
#define EBPF_CALL 0x80 /* JMP only */
#define EBPF_EXIT 0x90 /* JMP only */
#define EBPF_JLT  0xa0
#define EBPF_JLE  0xb0
#define EBPF_JSLT 0xc0
#define EBPF_JSLE 0xd0
/* 0xe0 (JCOND, may_goto) is deliberately absent: not part of this ISA. */

/* CALL's src field: what imm names. */
#define EBPF_PSEUDO_HELPER 0 /* a helper function by number */
#define EBPF_PSEUDO_CALL   1 /* a local function: pc += imm */
#define EBPF_PSEUDO_KFUNC  2 /* a kernel function by BTF id (not supported) */
/* Helper numbers (uapi enum bpf_func_id) for maps; the ancillary-load
 * helpers 7 and 8 are in vm/context.h beside the contexts that use them.
 * bpf_map_lookup_elem(map, key): the value's address, or NULL. */
#define EBPF_HELPER_MAP_LOOKUP_ELEM 1
/* CALL | X ("callx", an LLVM/uBPF extension, not in RFC 9669 nor the
 * kernel): the helper number is in register dst. */

/* ---- atomics (STX | ATOMIC | W or DW; imm selects the operation) -------- */

#define EBPF_FETCH   0x01 /* with ADD/OR/AND/XOR: src receives the old value */
#define EBPF_XCHG    (0xe0 | EBPF_FETCH)
#define EBPF_CMPXCHG (0xf0 | EBPF_FETCH) /* compares with r0; r0 = old */
#define EBPF_LOAD_ACQ  0x100 /* dst = load_acquire(src + off), any size */
#define EBPF_STORE_REL 0x110 /* store_release(dst + off, src), any size */

/* ---- whole opcodes ------------------------------------------------------------ */

#define EBPF_OP_LD_IMM64 (EBPF_LD | EBPF_DW | EBPF_IMM)
#define EBPF_OP_CALL     (EBPF_JMP | EBPF_CALL)
#define EBPF_OP_EXIT     (EBPF_JMP | EBPF_EXIT)

/* ---- constructors ----------------------------------------------------------- */

#define EBPF_RAW_INSN(CODE, DST, SRC, OFF, IMM) \
	((struct ebpf_insn){ .code = (CODE), .dst = (DST), .src = (SRC), .off = (OFF), .imm = (IMM) })

/* ALU64 / ALU32: dst = dst OP src, dst = dst OP imm. */
#define EBPF_ALU64_REG(OP, DST, SRC) EBPF_RAW_INSN(EBPF_ALU64 | (OP) | EBPF_X, DST, SRC, 0, 0)
#define EBPF_ALU32_REG(OP, DST, SRC) EBPF_RAW_INSN(EBPF_ALU | (OP) | EBPF_X, DST, SRC, 0, 0)
#define EBPF_ALU64_IMM(OP, DST, IMM) EBPF_RAW_INSN(EBPF_ALU64 | (OP) | EBPF_K, DST, 0, 0, IMM)
#define EBPF_ALU32_IMM(OP, DST, IMM) EBPF_RAW_INSN(EBPF_ALU | (OP) | EBPF_K, DST, 0, 0, IMM)
/* Signed DIV / MOD (ISA v4). */
#define EBPF_ALU64_REG_OFF(OP, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_ALU64 | (OP) | EBPF_X, DST, SRC, OFF, 0)
#define EBPF_ALU32_REG_OFF(OP, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_ALU | (OP) | EBPF_X, DST, SRC, OFF, 0)
#define EBPF_ALU64_IMM_OFF(OP, DST, IMM, OFF) EBPF_RAW_INSN(EBPF_ALU64 | (OP) | EBPF_K, DST, 0, OFF, IMM)
#define EBPF_ALU32_IMM_OFF(OP, DST, IMM, OFF) EBPF_RAW_INSN(EBPF_ALU | (OP) | EBPF_K, DST, 0, OFF, IMM)
#define EBPF_NEG64(DST) EBPF_RAW_INSN(EBPF_ALU64 | EBPF_NEG, DST, 0, 0, 0)
#define EBPF_NEG32(DST) EBPF_RAW_INSN(EBPF_ALU | EBPF_NEG, DST, 0, 0, 0)

/* dst = src, dst = imm (MOV32 zero-extends). */
#define EBPF_MOV64_REG(DST, SRC) EBPF_ALU64_REG(EBPF_MOV, DST, SRC)
#define EBPF_MOV32_REG(DST, SRC) EBPF_ALU32_REG(EBPF_MOV, DST, SRC)
#define EBPF_MOV64_IMM(DST, IMM) EBPF_ALU64_IMM(EBPF_MOV, DST, IMM)
#define EBPF_MOV32_IMM(DST, IMM) EBPF_ALU32_IMM(EBPF_MOV, DST, IMM)
/* dst = (s64)(sN)src, dst = (u32)(s32)(sN)src: N = 8, 16 (32: 64-bit only). */
#define EBPF_MOVSX64_REG(DST, SRC, N) EBPF_RAW_INSN(EBPF_ALU64 | EBPF_MOV | EBPF_X, DST, SRC, N, 0)
#define EBPF_MOVSX32_REG(DST, SRC, N) EBPF_RAW_INSN(EBPF_ALU | EBPF_MOV | EBPF_X, DST, SRC, N, 0)

/* Byte swaps: dst = htobe16(dst), htole32(dst), bswap64(dst)... */
#define EBPF_ENDIAN(TYPE, DST, LEN) EBPF_RAW_INSN(EBPF_ALU | EBPF_END | (TYPE), DST, 0, 0, LEN)
#define EBPF_BSWAP(DST, LEN) EBPF_RAW_INSN(EBPF_ALU64 | EBPF_END | EBPF_TO_LE, DST, 0, 0, LEN)

/* dst = imm64: two slots, so it is two array elements. */
#define EBPF_LD_IMM64_RAW(DST, SRC, IMM64)                                            \
	EBPF_RAW_INSN(EBPF_LD | EBPF_DW | EBPF_IMM, DST, SRC, 0, (int32_t)(uint32_t)(IMM64)), \
	EBPF_RAW_INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(IMM64) >> 32))
#define EBPF_LD_IMM64(DST, IMM64) EBPF_LD_IMM64_RAW(DST, 0, IMM64)
/* dst = the map FD names (the kernel's BPF_LD_MAP_FD): the loader replaces
 * imm by the map's address (kernel/bpf/verifier.c, resolve_pseudo_ldimm64;
 * in userspace FD is an index into the runner's map table, see vm/map.h). */
#define EBPF_LD_MAP_FD(DST, FD) EBPF_LD_IMM64_RAW(DST, EBPF_PSEUDO_MAP_FD, (uint32_t)(FD))

/* Legacy packet loads (socket filters): r0 = ntohs(*(u16 *)(skb->data + imm)).
 * Implicit input r6 (the context); clobber r1-r5; out of bounds ends the
 * program returning 0. */
#define EBPF_LD_ABS(SIZE, IMM) EBPF_RAW_INSN(EBPF_LD | (SIZE) | EBPF_ABS, 0, 0, 0, IMM)
#define EBPF_LD_IND(SIZE, SRC, IMM) EBPF_RAW_INSN(EBPF_LD | (SIZE) | EBPF_IND, 0, SRC, 0, IMM)

/* dst = *(size *)(src + off); sign-extending with LDX_MEMSX. */
#define EBPF_LDX_MEM(SIZE, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_LDX | (SIZE) | EBPF_MEM, DST, SRC, OFF, 0)
#define EBPF_LDX_MEMSX(SIZE, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_LDX | (SIZE) | EBPF_MEMSX, DST, SRC, OFF, 0)
/* *(size *)(dst + off) = src, = imm. */
#define EBPF_STX_MEM(SIZE, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_STX | (SIZE) | EBPF_MEM, DST, SRC, OFF, 0)
#define EBPF_ST_MEM(SIZE, DST, OFF, IMM) EBPF_RAW_INSN(EBPF_ST | (SIZE) | EBPF_MEM, DST, 0, OFF, IMM)
/* Atomic OP on *(size *)(dst + off) with src; OP as EBPF_ADD | EBPF_FETCH... */
#define EBPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_STX | (SIZE) | EBPF_ATOMIC, DST, SRC, OFF, OP)

/* if (dst OP src/imm) goto pc + off + 1; JMP32 compares the low halves. */
#define EBPF_JMP_REG(OP, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_JMP | (OP) | EBPF_X, DST, SRC, OFF, 0)
#define EBPF_JMP_IMM(OP, DST, IMM, OFF) EBPF_RAW_INSN(EBPF_JMP | (OP) | EBPF_K, DST, 0, OFF, IMM)
#define EBPF_JMP32_REG(OP, DST, SRC, OFF) EBPF_RAW_INSN(EBPF_JMP32 | (OP) | EBPF_X, DST, SRC, OFF, 0)
#define EBPF_JMP32_IMM(OP, DST, IMM, OFF) EBPF_RAW_INSN(EBPF_JMP32 | (OP) | EBPF_K, DST, 0, OFF, IMM)
#define EBPF_JMP_A(OFF) EBPF_RAW_INSN(EBPF_JMP | EBPF_JA, 0, 0, OFF, 0)
#define EBPF_JMP32_A(IMM) EBPF_RAW_INSN(EBPF_JMP32 | EBPF_JA, 0, 0, 0, IMM)

/* Calls and exit. */
#define EBPF_CALL_HELPER(ID) EBPF_RAW_INSN(EBPF_JMP | EBPF_CALL, 0, EBPF_PSEUDO_HELPER, 0, ID)
#define EBPF_CALL_LOCAL(REL) EBPF_RAW_INSN(EBPF_JMP | EBPF_CALL, 0, EBPF_PSEUDO_CALL, 0, REL)
#define EBPF_CALLX(DST) EBPF_RAW_INSN(EBPF_JMP | EBPF_CALL | EBPF_X, DST, 0, 0, 0)
#define EBPF_EXIT_INSN() EBPF_RAW_INSN(EBPF_JMP | EBPF_EXIT, 0, 0, 0, 0)

/* Bytes of a load/store size. */
static inline unsigned ebpf_size_bytes(uint8_t code)
{
	switch (EBPF_SIZE(code)) {
	case EBPF_B: return 1;
	case EBPF_H: return 2;
	case EBPF_W: return 4;
	default: return 8;
	}
}

#endif
