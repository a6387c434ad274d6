/* An assembler for the uBPF-style eBPF text of the bpf_conformance tests
 * (and of a future --filter-asm).
 *
 * One instruction a line; '#' or "//" starts a comment; "name:" defines a
 * label (alone on its line or before an instruction).  Operands are
 * separated by commas and/or blanks.
 *
 *   registers      %r0 .. %r10 (the '%' is optional)
 *   immediates     decimal or 0x hex, optionally negative: 42, -1, 0xff, -0x10
 *   memory         [%r1], [%r1+0x2], [%r10-8]
 *   jump targets   +N, -N (relative to the next instruction) or a label;
 *                  "exit" names the first exit instruction unless a label
 *                  of that name exists (as in upstream's assembler)
 *
 *   ALU            add sub mul div sdiv mod smod or and xor lsh rsh arsh mov
 *                  (64-bit; suffix 32 for 32-bit): OP %rD, %rS | OP %rD, imm
 *                  neg %rD, neg32 %rD
 *                  movsx{8,16}32 %rD, %rS; movsx{8,16,32}64 %rD, %rS
 *   byte swaps     be16 be32 be64 le16 le32 le64 (ALU END), swap16..64 or
 *                  bswap16..64 (ALU64 END, unconditional)
 *   jumps          ja TARGET, ja32 TARGET (JMP32 JA: imm offset),
 *                  jeq jne jgt jge jlt jle jset jsgt jsge jslt jsle (+32):
 *                  OP %rD, %rS|imm, TARGET
 *   calls          call N | call helper N | call local LABEL | call %rN
 *                  (callx); exit
 *   64-bit imm     lddw %rD, imm64
 *   loads          ldx{b,h,w,dw} %rD, [%rS+off]; ldxs{b,h,w} (sign-extending)
 *   stores         st{b,h,w,dw} [%rD+off], imm; stx{b,h,w,dw} [%rD+off], %rS
 *   atomics        lock [fetch] {add,and,or,xor}[32] [%rD+off], %rS;
 *                  lock {xchg,cmpxchg}[32] [%rD+off], %rS
 *   legacy packet  ldabs{b,h,w} imm; ldind{b,h,w} %rS, imm
 */
#ifndef BPFCAP_VM_ASM_H
#define BPFCAP_VM_ASM_H

#include <stddef.h>

#include "bpfcap.h"
#include "ebpf.h"

/* Assembles text (NUL-terminated).  On success returns 0, *out (malloc'd,
 * free() it; NULL when there are no instructions) and *len in slots.  On
 * error returns BPFCAP_E_SYNTAX (or BPFCAP_E_NOMEM) with a message
 * "line N: ..." and err->column/length giving the byte offset into text
 * of the offending token. */
int ebpf_asm(const char *text, struct ebpf_insn **out, size_t *len, struct bpfcap_error *err);

#endif
