/* test_verify: the eBPF verifier.  A catalogue of unsafe or malformed
 * programs, each rejected with its own message (the instruction index and
 * the reason), and a table of valid programs accepted: the shapes the
 * translator emits for both targets (docs/DESIGN.md, /vm/translate). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "ebpf.h"
#include "translate.h"
#include "verify.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A program literal and its length. */
#define PROG(...)                                                     \
	.prog = (const struct ebpf_insn[]){ __VA_ARGS__ },            \
	.len = sizeof((const struct ebpf_insn[]){ __VA_ARGS__ }) / sizeof(struct ebpf_insn)

#define SOCK EBPF_TARGET_SOCKET
#define DIRECT EBPF_TARGET_DIRECT

#define R0 EBPF_REG_0
#define R1 EBPF_REG_1
#define R2 EBPF_REG_2
#define R3 EBPF_REG_3
#define R4 EBPF_REG_4
#define R5 EBPF_REG_5
#define R6 EBPF_REG_6
#define R7 EBPF_REG_7
#define R8 EBPF_REG_8
#define R9 EBPF_REG_9
#define R10 EBPF_REG_10

/* Direct target prologue: r6 = ctx, r9 = data, r8 = data_end (3 insns). */
#define DIRECT_PROLOGUE                                                  \
	EBPF_MOV64_REG(R6, R1),                                          \
	EBPF_LDX_MEM(EBPF_DW, R9, R6, EBPF_DCTX_OFF(data)),              \
	EBPF_LDX_MEM(EBPF_DW, R8, R6, EBPF_DCTX_OFF(data_end))

/* "if r2 > r8 goto reject" after r2 = r9 + n (3 insns); reject at +rel. */
#define CHECK_N(n, rel)                                                  \
	EBPF_MOV64_REG(R2, R9), EBPF_ALU64_IMM(EBPF_ADD, R2, n),         \
	EBPF_JMP_REG(EBPF_JGT, R2, R8, rel)

#define RET0 EBPF_MOV32_IMM(R0, 0), EBPF_EXIT_INSN()

struct bad_case {
	const char *name;
	enum ebpf_target target;
	const struct ebpf_insn *prog;
	size_t len;
	int insn;          /* expected "insn N:" prefix, -1: none */
	const char *why;   /* expected substring */
};

/* The table is a macro: compound literals of bit-field structs are not
 * constant expressions, so the table is built where it is used. */
#define BAD_CASES { \
	/* ---- encoding ---- */ \
	{ "bad ALU op", SOCK, PROG(EBPF_RAW_INSN(EBPF_ALU64 | 0xe0, 0, 0, 0, 0), RET0), 0, \
	  "unknown ALU operation 0xe0" }, \
	{ "bad LD mode", SOCK, PROG(EBPF_RAW_INSN(EBPF_LD | EBPF_W | EBPF_MEM, 0, 0, 0, 0), RET0), 0, \
	  "unknown LD mode" }, \
	{ "bad jump op", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_RAW_INSN(EBPF_JMP | 0xe0, 0, 0, 0, 0), \
				    EBPF_EXIT_INSN()), 1, "unknown jump operation" }, \
	{ "bad LDX mode", SOCK, PROG(EBPF_RAW_INSN(EBPF_LDX | EBPF_W | EBPF_ABS, 0, 10, 0, 0), RET0), 0, \
	  "LDX takes MEM or MEMSX" }, \
	{ "register r11", SOCK, PROG(EBPF_RAW_INSN(EBPF_ALU64 | EBPF_MOV | EBPF_X, 0, 11, 0, 0), \
				     EBPF_EXIT_INSN()), 0, "register r11 does not exist" }, \
	{ "register r15 as dst", SOCK, PROG(EBPF_MOV64_IMM(15, 0), RET0), 0, \
	  "register r15 does not exist" }, \
	{ "ALU K with src", SOCK, PROG(EBPF_RAW_INSN(EBPF_ALU64 | EBPF_ADD | EBPF_K, 0, 1, 0, 1), \
				       RET0), 0, "reserved field src is 1" }, \
	{ "ALU with off", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), \
				     EBPF_RAW_INSN(EBPF_ALU64 | EBPF_ADD | EBPF_K, 0, 0, 3, 1), \
				     EBPF_EXIT_INSN()), 1, "reserved field off is 3" }, \
	{ "ALU X with imm", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), \
				       EBPF_RAW_INSN(EBPF_ALU64 | EBPF_ADD | EBPF_X, 0, 0, 0, 9), \
				       EBPF_EXIT_INSN()), 1, "reserved field imm is 9" }, \
	{ "EXIT with imm", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_RAW_INSN(EBPF_OP_EXIT, 0, 0, 0, 1)), 1, \
	  "EXIT takes no operand" }, \
	{ "JA with dst", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_RAW_INSN(EBPF_JMP | EBPF_JA, 3, 0, 0, 0), \
				   EBPF_EXIT_INSN()), 1, "reserved field dst is 3" }, \
	{ "LDX with imm", SOCK, PROG(EBPF_RAW_INSN(EBPF_LDX | EBPF_W | EBPF_MEM, 0, 1, 0, 5), \
				     EBPF_EXIT_INSN()), 0, "loads take no immediate" }, \
	{ "ST with src", SOCK, PROG(EBPF_RAW_INSN(EBPF_ST | EBPF_W | EBPF_MEM, 10, 1, -4, 0), RET0), 0, \
	  "ST stores its immediate" }, \
	{ "NEG with imm", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_RAW_INSN(EBPF_ALU64 | EBPF_NEG, 0, 0, 0, 1), \
				     EBPF_EXIT_INSN()), 1, "NEG takes no operand" }, \
	{ "LD_ABS into r2", SOCK, PROG(EBPF_MOV64_REG(R6, R1), \
				       EBPF_RAW_INSN(EBPF_LD | EBPF_H | EBPF_ABS, 2, 0, 0, 12), RET0), 1, \
	  "always load into r0" }, \
	{ "byte swap width 8", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_ENDIAN(EBPF_TO_BE, R0, 8), \
					  EBPF_EXIT_INSN()), 1, "byte swap width 8" }, \
	{ "movsx 32 in ALU32", SOCK, PROG(EBPF_MOV64_IMM(R1, 0), EBPF_MOVSX32_REG(R0, R1, 32), \
					  EBPF_EXIT_INSN()), 1, "MOV offset 32" }, \
	{ "shift by 64", SOCK, PROG(EBPF_MOV64_IMM(R0, 1), EBPF_ALU64_IMM(EBPF_LSH, R0, 64), \
				    EBPF_EXIT_INSN()), 1, "shift by 64" }, \
	{ "LD_IMM64 without its second slot", SOCK, \
	  PROG(EBPF_RAW_INSN(EBPF_OP_LD_IMM64, 0, 0, 0, 1)), 0, "no second slot" }, \
	{ "LD_IMM64 second slot with a code", SOCK, \
	  PROG(EBPF_RAW_INSN(EBPF_OP_LD_IMM64, 0, 0, 0, 1), EBPF_EXIT_INSN(), EBPF_EXIT_INSN()), 0, \
	  "second slot must have code, registers and off 0" }, \
	{ "LD_IMM64 map fd", SOCK, PROG(EBPF_LD_IMM64_RAW(R1, EBPF_PSEUDO_MAP_FD, 3), RET0), 0, \
	  "pseudo source 1" }, \
	{ "gotol", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP32_A(0), EBPF_EXIT_INSN()), 1, \
	  "gotol" }, \
	{ "callx", SOCK, PROG(EBPF_MOV64_IMM(R1, 7), EBPF_CALLX(R1), RET0), 1, "callx" }, \
	{ "local call", SOCK, PROG(EBPF_CALL_LOCAL(1), EBPF_EXIT_INSN(), RET0), 0, \
	  "calls of local functions are not supported" }, \
	{ "atomic of 2 bytes", SOCK, PROG(EBPF_MOV64_IMM(R1, 1), \
					  EBPF_ATOMIC_OP(EBPF_H, EBPF_ADD, R10, R1, -2), RET0), 1, \
	  "atomic operations take 4 or 8 bytes, not 2" }, \
	{ "load-acquire", SOCK, PROG(EBPF_ATOMIC_OP(EBPF_W, EBPF_LOAD_ACQ, R0, R10, -4), \
				     EBPF_EXIT_INSN()), 0, "load-acquire/store-release" }, \
	/* ---- control flow ---- */ \
	{ "jump out of range", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_A(5), EBPF_EXIT_INSN()), 1, \
	  "jump to insn 7 is out of range" }, \
	{ "backward jump", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, -2), \
				      EBPF_EXIT_INSN()), 1, "backward jump to insn 0" }, \
	{ "self loop", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_A(-1), EBPF_EXIT_INSN()), 1, \
	  "backward jump to insn 1" }, \
	{ "jump into LD_IMM64", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_A(1), \
					   EBPF_LD_IMM64(R2, 5), EBPF_EXIT_INSN()), 1, \
	  "jump into the middle of the LD_IMM64 at insn 2" }, \
	{ "falls off the end", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_MOV64_IMM(R1, 0)), 1, \
	  "falls off the end" }, \
	{ "falls off after a branch", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), \
						EBPF_EXIT_INSN(), EBPF_MOV64_IMM(R0, 1)), 3, \
	  "falls off the end" }, \
	{ "unreachable", SOCK, PROG(RET0, EBPF_MOV64_IMM(R0, 1), EBPF_EXIT_INSN()), 2, \
	  "unreachable instruction" }, \
	{ "empty program", SOCK, .prog = NULL, .len = 0, -1, "empty program" }, \
	/* ---- registers ---- */ \
	{ "exit with r0 unset", SOCK, PROG(EBPF_EXIT_INSN()), 0, "r0 is not set at exit" }, \
	{ "uninitialised read", SOCK, PROG(EBPF_MOV64_REG(R0, R2), EBPF_EXIT_INSN()), 0, \
	  "r2 is read before it is ever written" }, \
	{ "uninitialised on one path", SOCK, \
	  PROG(EBPF_CALL_HELPER(7), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), EBPF_MOV64_IMM(R3, 1), \
	       EBPF_MOV64_REG(R0, R3), EBPF_EXIT_INSN()), 3, \
	  "r3 is not initialised on every path to here" }, \
	{ "write to r10", SOCK, PROG(EBPF_MOV64_IMM(R10, 0), RET0), 0, "r10 is read-only" }, \
	{ "load into r10", SOCK, PROG(EBPF_LDX_MEM(EBPF_W, R10, R1, 0), RET0), 0, "r10 is read-only" }, \
	{ "r1 after LD_ABS", SOCK, PROG(EBPF_MOV64_REG(R6, R1), EBPF_LD_ABS(EBPF_H, 12), \
					EBPF_LDX_MEM(EBPF_W, R0, R1, 0), EBPF_EXIT_INSN()), 2, \
	  "r1 is unreadable: the LD_ABS/LD_IND at insn 1 clobbered r1-r5" }, \
	{ "r5 after CALL", SOCK, PROG(EBPF_MOV64_IMM(R5, 1), EBPF_CALL_HELPER(7), \
				      EBPF_MOV64_REG(R0, R5), EBPF_EXIT_INSN()), 2, \
	  "r5 is unreadable: the helper call at insn 1 clobbered r1-r5" }, \
	{ "mixed kinds on two paths", SOCK, \
	  PROG(EBPF_CALL_HELPER(7), EBPF_MOV64_REG(R2, R10), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), \
	       EBPF_MOV64_IMM(R2, 1), EBPF_LDX_MEM(EBPF_W, R0, R2, -4), EBPF_EXIT_INSN()), 4, \
	  "r2 holds a different kind of value on different paths" }, \
	/* ---- arithmetic ---- */ \
	{ "DIV64 by constant 0", SOCK, PROG(EBPF_MOV64_IMM(R0, 1), EBPF_ALU64_IMM(EBPF_DIV, R0, 0), \
					    EBPF_EXIT_INSN()), 1, "division by the constant 0" }, \
	{ "DIV32 by constant 0", SOCK, PROG(EBPF_MOV64_IMM(R0, 1), EBPF_ALU32_IMM(EBPF_DIV, R0, 0), \
					    EBPF_EXIT_INSN()), 1, "division by the constant 0" }, \
	{ "MOD64 by constant 0", SOCK, PROG(EBPF_MOV64_IMM(R0, 1), EBPF_ALU64_IMM(EBPF_MOD, R0, 0), \
					    EBPF_EXIT_INSN()), 1, "division by the constant 0" }, \
	{ "MOD32 by constant 0", SOCK, PROG(EBPF_MOV64_IMM(R0, 1), EBPF_ALU32_IMM(EBPF_MOD, R0, 0), \
					    EBPF_EXIT_INSN()), 1, "division by the constant 0" }, \
	{ "SDIV by constant 0", SOCK, PROG(EBPF_MOV64_IMM(R0, 1), EBPF_ALU64_IMM_OFF(EBPF_DIV, R0, 0, 1), \
					   EBPF_EXIT_INSN()), 1, "division by the constant 0" }, \
	{ "32-bit op on a pointer", SOCK, PROG(EBPF_ALU32_IMM(EBPF_ADD, R1, 4), RET0), 0, \
	  "32-bit operation of a pointer" }, \
	{ "multiply a pointer", SOCK, PROG(EBPF_ALU64_IMM(EBPF_MUL, R1, 2), RET0), 0, \
	  "only ADD and SUB may take a pointer" }, \
	{ "variable stack offset", SOCK, PROG(EBPF_CALL_HELPER(7), EBPF_MOV64_REG(R2, R10), \
					      EBPF_ALU64_REG(EBPF_ADD, R2, R0), RET0), 2, \
	  "a stack pointer r2 may move only by an immediate constant" }, \
	{ "stack pointer moved by a constant register", SOCK, /* found by diff_verifier */ \
	  PROG(EBPF_MOV32_IMM(R7, -10), EBPF_ALU32_IMM(EBPF_DIV, R7, 9), EBPF_MOV64_REG(R0, R10), \
	       EBPF_ALU64_REG(EBPF_ADD, R0, R7), RET0), 3, \
	  "a stack pointer r0 may move only by an immediate constant, not by a register" }, \
	{ "pointer moved 2^29", SOCK, PROG(EBPF_MOV64_REG(R2, R10), \
					   EBPF_ALU64_IMM(EBPF_ADD, R2, 1 << 29), RET0), 1, \
	  "adding 536870912 moves the pointer beyond +-2^29" }, \
	{ "pointer moved 2^29 in two steps", SOCK, PROG(EBPF_MOV64_REG(R2, R10), \
	  EBPF_ALU64_IMM(EBPF_SUB, R2, 1 << 28), EBPF_ALU64_IMM(EBPF_SUB, R2, 1 << 28), RET0), 2, \
	  "pointer offset -536870912 is beyond +-2^29" }, \
	/* ---- stack ---- */ \
	{ "stack below the frame", SOCK, PROG(EBPF_ST_MEM(EBPF_W, R10, -516, 0), RET0), 0, \
	  "outside the 512-byte frame" }, \
	{ "stack above r10", SOCK, PROG(EBPF_ST_MEM(EBPF_W, R10, 0, 0), RET0), 0, \
	  "outside the 512-byte frame" }, \
	{ "stack straddling r10", SOCK, PROG(EBPF_MOV64_REG(R2, R10), EBPF_ALU64_IMM(EBPF_ADD, R2, -4), \
					     EBPF_ST_MEM(EBPF_DW, R2, 0, 0), RET0), 2, \
	  "outside the 512-byte frame" }, \
	{ "misaligned stack", SOCK, PROG(EBPF_ST_MEM(EBPF_W, R10, -6, 0), RET0), 0, \
	  "misaligned stack access: r10-6" }, \
	{ "uninitialised stack", SOCK, PROG(EBPF_LDX_MEM(EBPF_W, R0, R10, -4), EBPF_EXIT_INSN()), 0, \
	  "reads stack bytes [r10-4, r10+0) not written" }, \
	{ "stack half written", SOCK, PROG(EBPF_ST_MEM(EBPF_W, R10, -8, 0), \
					   EBPF_LDX_MEM(EBPF_DW, R0, R10, -8), EBPF_EXIT_INSN()), 1, \
	  "reads stack bytes [r10-8, r10+0) not written" }, \
	{ "stack written on one path", SOCK, \
	  PROG(EBPF_CALL_HELPER(7), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), EBPF_ST_MEM(EBPF_W, R10, -4, 1), \
	       EBPF_LDX_MEM(EBPF_W, R0, R10, -4), EBPF_EXIT_INSN()), 3, \
	  "not written on every path" }, \
	{ "spill a pointer", SOCK, PROG(EBPF_STX_MEM(EBPF_DW, R10, R1, -8), RET0), 0, \
	  "spilling a pointer (the context pointer) to the stack is not supported" }, \
	{ "atomic on the context", SOCK, PROG(EBPF_MOV64_IMM(R2, 1), \
					      EBPF_ATOMIC_OP(EBPF_W, EBPF_ADD, R1, R2, 48), RET0), 1, \
	  "atomic operations are allowed on the stack only" }, \
	{ "atomic on uninitialised stack", SOCK, \
	  PROG(EBPF_MOV64_IMM(R2, 1), EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD, R10, R2, -8), RET0), 1, \
	  "not written on every path" }, \
	/* ---- legacy packet loads ---- */ \
	{ "LD_ABS without r6", SOCK, PROG(EBPF_LD_ABS(EBPF_H, 12), EBPF_EXIT_INSN()), 0, \
	  "need r6 = the context (r6 = r1 at the start), but r6 is never set" }, \
	{ "LD_ABS with r6 moved", SOCK, PROG(EBPF_MOV64_REG(R6, R1), EBPF_ALU64_IMM(EBPF_ADD, R6, 8), \
					     EBPF_LD_ABS(EBPF_H, 12), EBPF_EXIT_INSN()), 2, \
	  "r6 is the context moved by an offset" }, \
	{ "LD_ABS with r6 a number", SOCK, PROG(EBPF_MOV64_IMM(R6, 0), EBPF_LD_ABS(EBPF_H, 12), \
						EBPF_EXIT_INSN()), 1, "r6 is a number" }, \
	{ "LD_IND with an unset index", SOCK, PROG(EBPF_MOV64_REG(R6, R1), \
						   EBPF_LD_IND(EBPF_B, R7, 14), EBPF_EXIT_INSN()), 1, \
	  "r7 is read before it is ever written" }, \
	{ "LD_ABS on direct", DIRECT, PROG(EBPF_MOV64_REG(R6, R1), EBPF_LD_ABS(EBPF_H, 12), \
					   EBPF_EXIT_INSN()), 1, \
	  "LD_ABS/LD_IND are not allowed on the direct target" }, \
	/* ---- socket context ---- */ \
	{ "skb->data", SOCK, PROG(EBPF_LDX_MEM(EBPF_W, R0, R1, EBPF_SKB_OFF(data)), EBPF_EXIT_INSN()), 0, \
	  "offset 76 (data) is not readable by a socket filter" }, \
	{ "skb->data_end", SOCK, PROG(EBPF_LDX_MEM(EBPF_W, R0, R1, EBPF_SKB_OFF(data_end)), \
				      EBPF_EXIT_INSN()), 0, \
	  "offset 80 (data_end) is not readable by a socket filter" }, \
	{ "skb->mark written", SOCK, PROG(EBPF_MOV64_IMM(R2, 1), \
					  EBPF_STX_MEM(EBPF_W, R1, R2, EBPF_SKB_OFF(mark)), RET0), 1, \
	  "(mark) is not writable by a socket filter" }, \
	{ "ST into cb", SOCK, PROG(EBPF_ST_MEM(EBPF_W, R1, EBPF_SKB_OFF(cb), 1), RET0), 0, \
	  "ST (immediate store) into the context is not allowed" }, \
	{ "skb->len as u64", SOCK, PROG(EBPF_LDX_MEM(EBPF_DW, R0, R1, 0), EBPF_EXIT_INSN()), 0, \
	  "offset 0 (len) is a u32 field: a 8-byte load is too wide" }, \
	{ "skb misaligned", SOCK, PROG(EBPF_LDX_MEM(EBPF_H, R0, R1, 1), EBPF_EXIT_INSN()), 0, \
	  "offset 1 (len) is not aligned to the access size 2" }, \
	{ "past __sk_buff", SOCK, PROG(EBPF_LDX_MEM(EBPF_W, R0, R1, 400), EBPF_EXIT_INSN()), 0, \
	  "outside struct __sk_buff" }, \
	{ "ctx moved then read", SOCK, PROG(EBPF_ALU64_IMM(EBPF_ADD, R1, 4), \
					    EBPF_LDX_MEM(EBPF_W, R0, R1, 0), EBPF_EXIT_INSN()), 1, \
	  "context access through r1 moved by +4" }, \
	{ "return the context", SOCK, PROG(EBPF_MOV64_REG(R0, R1), EBPF_EXIT_INSN()), 1, \
	  "r0 holds the context pointer at exit" }, \
	{ "return the frame pointer", SOCK, PROG(EBPF_MOV64_REG(R0, R10), EBPF_EXIT_INSN()), 1, \
	  "r0 holds a stack pointer at exit" }, \
	{ "dead branch still checked (stricter than the kernel)", SOCK, \
	  PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 2), EBPF_MOV64_REG(R0, R1), \
	       EBPF_EXIT_INSN(), RET0), 3, "r0 holds the context pointer at exit" }, \
	{ "unknown helper", SOCK, PROG(EBPF_CALL_HELPER(1), EBPF_EXIT_INSN()), 0, \
	  "unknown helper 1 (a socket filter may call only 7" }, \
	{ "dereference a number", SOCK, PROG(EBPF_MOV64_IMM(R2, 5), EBPF_LDX_MEM(EBPF_B, R0, R2, 0), \
					     EBPF_EXIT_INSN()), 1, \
	  "r2 is a number, not a pointer" }, \
	{ "compare a pointer", SOCK, PROG(EBPF_MOV64_IMM(R0, 0), EBPF_JMP_IMM(EBPF_JEQ, R1, 0, 0), \
					  EBPF_EXIT_INSN()), 1, \
	  "comparison of the context pointer with a number" }, \
	/* ---- direct context and packet ---- */ \
	{ "direct: outside the context", DIRECT, PROG(EBPF_LDX_MEM(EBPF_W, R0, R1, 200), \
						      EBPF_EXIT_INSN()), 0, \
	  "offset 200 is not a field of struct ebpf_direct_ctx" }, \
	{ "direct: data as u32", DIRECT, PROG(EBPF_LDX_MEM(EBPF_W, R0, R1, EBPF_DCTX_OFF(data)), \
					      EBPF_EXIT_INSN()), 0, \
	  "offset 0 (data) must be read whole as u64" }, \
	{ "direct: data_end at +4", DIRECT, PROG(EBPF_LDX_MEM(EBPF_W, R0, R1, 12), EBPF_EXIT_INSN()), 0, \
	  "(data_end) must be read whole as u64" }, \
	{ "direct: wire_len as u16", DIRECT, PROG(EBPF_LDX_MEM(EBPF_H, R0, R1, EBPF_DCTX_OFF(wire_len)), \
						  EBPF_EXIT_INSN()), 0, \
	  "(wire_len) must be read whole as u32" }, \
	{ "direct: context write", DIRECT, PROG(EBPF_MOV64_IMM(R2, 0), \
						EBPF_STX_MEM(EBPF_W, R1, R2, EBPF_DCTX_OFF(wire_len)), RET0), \
	  1, "read-only on the direct target" }, \
	{ "direct: no bounds check", DIRECT, PROG(DIRECT_PROLOGUE, EBPF_LDX_MEM(EBPF_B, R0, R9, 0), \
						  EBPF_EXIT_INSN()), 3, \
	  "packet access through r9 without a bounds check" }, \
	{ "direct: beyond the proven range", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(14, 2), EBPF_LDX_MEM(EBPF_H, R0, R9, 13), EBPF_EXIT_INSN(), RET0), \
	  6, "packet access [13, 15) through r9 is beyond the proven range of 14 bytes" }, \
	{ "direct: proven on the wrong branch", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(14, 2), RET0, EBPF_LDX_MEM(EBPF_H, R0, R9, 12), EBPF_EXIT_INSN()), \
	  8, "without a bounds check" }, \
	{ "direct: negative packet offset", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(14, 2), EBPF_LDX_MEM(EBPF_B, R0, R9, -1), EBPF_EXIT_INSN(), RET0), \
	  6, "packet access at offset -1" }, \
	{ "direct: checked against a number", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_LDX_MEM(EBPF_W, R3, R6, EBPF_DCTX_OFF(wire_len)), \
	       EBPF_MOV64_REG(R2, R9), EBPF_ALU64_IMM(EBPF_ADD, R2, 14), EBPF_JMP_REG(EBPF_JGT, R2, R3, 2), \
	       EBPF_LDX_MEM(EBPF_B, R0, R9, 0), EBPF_EXIT_INSN(), RET0), \
	  6, "comparison of a packet pointer with a number" }, \
	{ "direct: checked another pointer", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_LDX_MEM(EBPF_W, R3, R6, EBPF_DCTX_META_OFF(net_off)), \
	       EBPF_MOV64_REG(R2, R9), EBPF_ALU64_REG(EBPF_ADD, R2, R3), EBPF_MOV64_REG(R4, R2), \
	       EBPF_ALU64_IMM(EBPF_ADD, R4, 2), EBPF_JMP_REG(EBPF_JGT, R4, R8, 2), \
	       EBPF_LDX_MEM(EBPF_H, R0, R9, 0), EBPF_EXIT_INSN(), RET0), \
	  9, "packet access through r9 without a bounds check" }, \
	{ "direct: arithmetic on data_end", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_ALU64_IMM(EBPF_ADD, R8, 1), RET0), 3, "arithmetic on data_end" }, \
	{ "direct: dereference data_end", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_LDX_MEM(EBPF_B, R0, R8, 0), EBPF_EXIT_INSN()), 3, \
	  "r8 is data_end, which must not be dereferenced" }, \
	{ "direct: pointer stored into the packet", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(8, 3), EBPF_STX_MEM(EBPF_DW, R9, R9, 0), RET0, RET0), 6, \
	  "stores a pointer (a packet pointer) into the packet" }, \
	{ "direct: write to the packet", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(8, 3), EBPF_ST_MEM(EBPF_B, R9, 0, 1), RET0, RET0), 6, \
	  "writes to the packet are not allowed" }, \
	{ "direct: return a packet pointer", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_MOV64_REG(R0, R9), EBPF_EXIT_INSN()), 4, \
	  "r0 holds a packet pointer at exit" }, \
	{ "direct: unbounded variable offset", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_CALL_HELPER(7), EBPF_MOV64_REG(R3, R0), \
	       EBPF_ALU64_IMM(EBPF_LSH, R3, 32), EBPF_MOV64_REG(R2, R9), EBPF_ALU64_REG(EBPF_ADD, R2, R3), \
	       RET0), 7, "variable packet offset may reach" }, \
	{ "direct: 32-bit pointer compare", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_MOV64_REG(R2, R9), EBPF_ALU64_IMM(EBPF_ADD, R2, 8), \
	       EBPF_JMP32_REG(EBPF_JGT, R2, R8, 2), EBPF_LDX_MEM(EBPF_B, R0, R9, 0), EBPF_EXIT_INSN(), \
	       RET0), 5, "32-bit comparison of a pointer" }, \
	{ "direct: unknown helper", DIRECT, PROG(EBPF_CALL_HELPER(12), EBPF_EXIT_INSN()), 0, \
	  "unknown helper 12 (a direct filter may call only 7" }, \
}

static void expect_rejected(const char *name, enum ebpf_target target, const struct ebpf_insn *prog,
			    size_t len, int insn, const char *why)
{
	struct bpfcap_error err = { 0 };
	int rc = ebpf_verify(prog, len, target, &err);
	ck_assert_msg(rc == BPFCAP_E_INVALID, "%s: expected rejection, got %d (%s)", name, rc,
		      err.msg);
	ck_assert_int_eq(err.code, BPFCAP_E_INVALID);
	if (getenv("TEST_VERIFY_SHOW")) /* to read the catalogue's messages */
		fprintf(stderr, "%-40s %s\n", name, err.msg);
	if (insn >= 0) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "insn %d: (", insn);
		ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0,
			      "%s: message '%s' does not start with '%s'", name, err.msg, prefix);
	}
	ck_assert_msg(strstr(err.msg, why) != NULL, "%s: message '%s' lacks '%s'", name, err.msg,
		      why);
}

START_TEST(test_bad)
{
	const struct bad_case bad[] = BAD_CASES;
	const struct bad_case *c = &bad[_i];
	expect_rejected(c->name, c->target, c->prog, c->len, c->insn, c->why);
}
END_TEST

/* The message names the instruction as --dump=ebpf prints it. */
START_TEST(test_message_format)
{
	static const struct ebpf_insn prog[] = {
		EBPF_MOV64_REG(R6, R1),
		EBPF_CALL_HELPER(7),
		EBPF_MOV64_IMM(R0, 0),
		EBPF_LDX_MEM(EBPF_W, R0, R2, 0),
		EBPF_EXIT_INSN(),
	};
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_verify(prog, N(prog), SOCK, &err), BPFCAP_E_INVALID);
	ck_assert_str_eq(err.msg, "insn 3: (61) r0 = *(u32 *)(r2 +0): r2 is unreadable: the helper "
				  "call at insn 1 clobbered r1-r5");
}
END_TEST

START_TEST(test_too_big)
{
	size_t len = EBPF_MAX_INSNS + 1;
	struct ebpf_insn *prog = calloc(len, sizeof *prog);
	ck_assert_ptr_nonnull(prog);
	for (size_t i = 0; i + 1 < len; i++)
		prog[i] = EBPF_MOV64_IMM(R0, 0);
	prog[len - 1] = EBPF_EXIT_INSN();
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_verify(prog, len, SOCK, &err), BPFCAP_E_TOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "1000001 instructions"));
	/* The limit itself is fine. */
	prog[len - 2] = EBPF_EXIT_INSN();
	err.msg[0] = 0;
	ck_assert_msg(ebpf_verify(prog, len - 1, SOCK, &err) == 0, "%s", err.msg);
	free(prog);
}
END_TEST

/* ---- accepted ------------------------------------------------------------ */

struct good_case {
	const char *name;
	enum ebpf_target target;
	const struct ebpf_insn *prog;
	size_t len;
};

#define GOOD_CASES { \
	{ "return 0", SOCK, PROG(RET0) }, \
	{ "socket: ip", SOCK, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_LD_ABS(EBPF_H, 12), \
	       EBPF_JMP32_IMM(EBPF_JNE, R0, 0x800, 2), EBPF_MOV32_IMM(R0, 262144), EBPF_EXIT_INSN(), \
	       RET0) }, \
	{ "socket: LD_IND through X and MSH-style", SOCK, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_LD_ABS(EBPF_B, 14), EBPF_ALU32_IMM(EBPF_AND, R0, 0xf), \
	       EBPF_ALU32_IMM(EBPF_LSH, R0, 2), EBPF_MOV32_REG(R7, R0), EBPF_LD_IND(EBPF_H, R7, 16), \
	       EBPF_JMP_IMM(EBPF_JEQ, R0, 80, 2), RET0, EBPF_MOV32_IMM(R0, 65535), EBPF_EXIT_INSN()) }, \
	{ "socket: __sk_buff fields", SOCK, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(len)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(protocol)), \
	       EBPF_LDX_MEM(EBPF_H, R0, R6, EBPF_SKB_OFF(protocol)), \
	       EBPF_LDX_MEM(EBPF_B, R0, R6, EBPF_SKB_OFF(pkt_type)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(mark)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(queue_mapping)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(vlan_present)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(vlan_tci)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(vlan_proto)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(ifindex)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_SKB_OFF(hash)), \
	       EBPF_STX_MEM(EBPF_W, R6, R0, EBPF_SKB_OFF(cb[2])), \
	       EBPF_LDX_MEM(EBPF_W, R7, R6, EBPF_SKB_OFF(cb[2])), \
	       EBPF_MOV32_REG(R0, R7), EBPF_EXIT_INSN()) }, \
	{ "socket: scratch memory", SOCK, \
	  PROG(EBPF_MOV32_IMM(R0, 5), EBPF_STX_MEM(EBPF_W, R10, R0, -64), \
	       EBPF_ST_MEM(EBPF_W, R10, -4, 9), EBPF_LDX_MEM(EBPF_W, R7, R10, -64), \
	       EBPF_LDX_MEM(EBPF_W, R0, R10, -4), EBPF_ALU32_REG(EBPF_ADD, R0, R7), EBPF_EXIT_INSN()) }, \
	{ "socket: helpers 7 and 8", SOCK, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_CALL_HELPER(7), EBPF_MOV32_REG(R7, R0), \
	       EBPF_CALL_HELPER(8), EBPF_ALU32_REG(EBPF_ADD, R0, R7), EBPF_MOV32_REG(R7, R0), \
	       EBPF_LD_ABS(EBPF_B, 0), EBPF_ALU32_REG(EBPF_XOR, R0, R7), EBPF_EXIT_INSN()) }, \
	{ "socket: ALU32 and JMP32, division by X", SOCK, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_LD_ABS(EBPF_W, 26), EBPF_MOV32_REG(R7, R0), \
	       EBPF_LD_ABS(EBPF_H, 12), EBPF_ALU32_REG(EBPF_DIV, R0, R7), EBPF_ALU32_REG(EBPF_MOD, R0, R7), \
	       EBPF_NEG32(R0), EBPF_ALU32_IMM(EBPF_RSH, R0, 3), EBPF_JMP32_REG(EBPF_JGE, R0, R7, 1), \
	       EBPF_MOV32_IMM(R0, 1), EBPF_JMP32_IMM(EBPF_JSET, R0, 0x1fff, 0), \
	       EBPF_ENDIAN(EBPF_TO_BE, R0, 16), EBPF_EXIT_INSN()) }, \
	{ "socket: r0 set on both paths", SOCK, \
	  PROG(EBPF_CALL_HELPER(7), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 2), EBPF_MOV32_IMM(R0, 1), \
	       EBPF_JMP_A(1), EBPF_MOV32_IMM(R0, 2), EBPF_EXIT_INSN()) }, \
	{ "socket: LD_IMM64 and jumps past it", SOCK, \
	  PROG(EBPF_LD_IMM64(R0, 0x100000000ULL), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 2), EBPF_LD_IMM64(R0, 1), \
	       EBPF_EXIT_INSN()) }, \
	{ "socket: atomics on initialised stack", SOCK, \
	  PROG(EBPF_ST_MEM(EBPF_DW, R10, -8, 0), EBPF_MOV64_IMM(R1, 3), \
	       EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD | EBPF_FETCH, R10, R1, -8), \
	       EBPF_ATOMIC_OP(EBPF_W, EBPF_XOR, R10, R1, -4), EBPF_MOV64_IMM(R0, 0), \
	       EBPF_ATOMIC_OP(EBPF_W, EBPF_CMPXCHG, R10, R1, -8), EBPF_EXIT_INSN()) }, \
	{ "direct: constant offsets (one check for a run)", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(34, 6), EBPF_LDX_MEM(EBPF_H, R0, R9, 12), \
	       EBPF_ENDIAN(EBPF_TO_BE, R0, 16), EBPF_JMP32_IMM(EBPF_JNE, R0, 0x800, 3), \
	       EBPF_LDX_MEM(EBPF_W, R0, R9, 30), EBPF_ENDIAN(EBPF_TO_BE, R0, 32), EBPF_EXIT_INSN(), \
	       RET0) }, \
	{ "direct: variable offset (LD_IND)", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(15, 13), EBPF_LDX_MEM(EBPF_B, R0, R9, 14), \
	       EBPF_ALU32_IMM(EBPF_AND, R0, 0xf), EBPF_ALU32_IMM(EBPF_LSH, R0, 2), EBPF_MOV32_REG(R7, R0), \
	       EBPF_MOV32_REG(R3, R7), EBPF_ALU32_IMM(EBPF_ADD, R3, 14), EBPF_MOV64_REG(R2, R9), \
	       EBPF_ALU64_REG(EBPF_ADD, R2, R3), EBPF_MOV64_REG(R4, R2), EBPF_ALU64_IMM(EBPF_ADD, R4, 2), \
	       EBPF_JMP_REG(EBPF_JGT, R4, R8, 2), EBPF_LDX_MEM(EBPF_H, R0, R2, 0), EBPF_EXIT_INSN(), \
	       RET0) }, \
	{ "direct: comparisons the other way round", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_MOV64_REG(R2, R9), EBPF_ALU64_IMM(EBPF_ADD, R2, 14), \
	       EBPF_JMP_REG(EBPF_JLT, R8, R2, 8), EBPF_LDX_MEM(EBPF_H, R0, R9, 12), \
	       EBPF_MOV64_REG(R3, R9), EBPF_ALU64_IMM(EBPF_ADD, R3, 20), \
	       EBPF_JMP_REG(EBPF_JLE, R3, R8, 2), RET0, EBPF_LDX_MEM(EBPF_W, R0, R9, 16), \
	       EBPF_EXIT_INSN(), RET0) }, \
	{ "direct: metadata fields", DIRECT, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_DCTX_OFF(wire_len)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_DCTX_META_OFF(pkt_type)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_DCTX_META_OFF(vlan_tci)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_DCTX_META_OFF(hatype)), \
	       EBPF_LDX_MEM(EBPF_W, R0, R6, EBPF_DCTX_META_OFF(net_off)), EBPF_EXIT_INSN()) }, \
	{ "direct: check survives a join with the same proof", DIRECT, \
	  PROG(DIRECT_PROLOGUE, CHECK_N(14, 5), EBPF_CALL_HELPER(7), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), \
	       EBPF_MOV64_IMM(R0, 1), EBPF_LDX_MEM(EBPF_B, R0, R9, 13), EBPF_EXIT_INSN(), RET0) }, \
	{ "direct: net_off-relative load", DIRECT, \
	  PROG(DIRECT_PROLOGUE, EBPF_LDX_MEM(EBPF_W, R3, R6, EBPF_DCTX_META_OFF(net_off)), \
	       EBPF_ALU32_IMM(EBPF_ADD, R3, 9), EBPF_MOV64_REG(R2, R9), EBPF_ALU64_REG(EBPF_ADD, R2, R3), \
	       EBPF_MOV64_REG(R4, R2), EBPF_ALU64_IMM(EBPF_ADD, R4, 1), EBPF_JMP_REG(EBPF_JGT, R4, R8, 2), \
	       EBPF_LDX_MEM(EBPF_B, R0, R2, 0), EBPF_EXIT_INSN(), RET0) }, \
}

START_TEST(test_good)
{
	const struct good_case good[] = GOOD_CASES;
	const struct good_case *c = &good[_i];
	struct bpfcap_error err = { 0 };
	int rc = ebpf_verify(c->prog, c->len, c->target, &err);
	ck_assert_msg(rc == 0, "%s: rejected: %s", c->name, err.msg);
}
END_TEST

/* The bad table has at least 40 rejections (the figure). */
START_TEST(test_catalogue_size)
{
	const struct bad_case bad[] = BAD_CASES;
	ck_assert_uint_ge(N(bad) + 2 /* test_too_big, test_message_format */, 40);
}
END_TEST

static size_t bad_count(void)
{
	const struct bad_case bad[] = BAD_CASES;
	return N(bad);
}

static size_t good_count(void)
{
	const struct good_case good[] = GOOD_CASES;
	return N(good);
}

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");
	tcase_add_loop_test(tc, test_bad, 0, (int)bad_count());
	tcase_add_test(tc, test_message_format);
	tcase_add_test(tc, test_too_big);
	tcase_add_loop_test(tc, test_good, 0, (int)good_count());
	tcase_add_test(tc, test_catalogue_size);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
