/* test_asm: the eBPF assembler's syntax (registers, memory operands,
 * immediates, lddw, jumps and labels, calls, atomics) against the
 * encodings vm/ebpf.h's constructors give, and its errors (line numbers,
 * columns). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "ebpf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t word(struct ebpf_insn in)
{
	uint64_t w;
	memcpy(&w, &in, 8);
	return w;
}

/* text assembles to exactly want[0..n). */
static void same(const char *text, const struct ebpf_insn *want, size_t n)
{
	struct ebpf_insn *got;
	size_t len;
	struct bpfcap_error err = { 0 };
	int rc = ebpf_asm(text, &got, &len, &err);
	ck_assert_msg(rc == 0, "'%s': %s", text, err.msg);
	ck_assert_msg(len == n, "'%s': %zu insns, want %zu", text, len, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(word(got[i]) == word(want[i]), "'%s' insn %zu: 0x%016llx, want 0x%016llx", text,
			      i, (unsigned long long)word(got[i]), (unsigned long long)word(want[i]));
	free(got);
}

#define SAME(text, ...)                                              \
	do {                                                         \
		const struct ebpf_insn w_[] = { __VA_ARGS__ };        \
		same(text, w_, N(w_));                               \
	} while (0)

/* text fails; the message contains "line L:" and piece; the column is col
 * (-1: not checked). */
static void fails(const char *text, int line, const char *piece, int col)
{
	struct ebpf_insn *got = (void *)1;
	size_t len = 99;
	struct bpfcap_error err = { 0 };
	int rc = ebpf_asm(text, &got, &len, &err);
	ck_assert_msg(rc == BPFCAP_E_SYNTAX, "'%s' assembled (rc %d)", text, rc);
	ck_assert_int_eq(err.code, BPFCAP_E_SYNTAX);
	ck_assert_ptr_null(got);
	ck_assert_uint_eq(len, 0);
	char want[32];
	snprintf(want, sizeof want, "line %d: ", line);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "'%s': message '%s', want '%s...'", text,
		      err.msg, want);
	ck_assert_msg(strstr(err.msg, piece), "'%s': message '%s' lacks '%s'", text, err.msg, piece);
	if (col >= 0)
		ck_assert_msg(err.column == col, "'%s': column %d, want %d", text, err.column, col);
}

START_TEST(test_registers_and_alu)
{
	SAME("mov %r0, %r10", EBPF_MOV64_REG(EBPF_REG_0, EBPF_REG_10));
	SAME("mov r1, r2", EBPF_MOV64_REG(EBPF_REG_1, EBPF_REG_2));
	SAME("mov32 %r9, 7", EBPF_MOV32_IMM(EBPF_REG_9, 7));
	SAME("add %r1, 3\nsub32 %r2, %r3",
	     EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_1, 3), EBPF_ALU32_REG(EBPF_SUB, EBPF_REG_2, EBPF_REG_3));
	SAME("mul %r1, 2\ndiv %r1, 2\nmod32 %r1, 2\nor %r1, 2\nand %r1, 2\nxor %r1, 2\n"
	     "lsh %r1, 2\nrsh32 %r1, 2\narsh %r1, 2",
	     EBPF_ALU64_IMM(EBPF_MUL, 1, 2), EBPF_ALU64_IMM(EBPF_DIV, 1, 2), EBPF_ALU32_IMM(EBPF_MOD, 1, 2),
	     EBPF_ALU64_IMM(EBPF_OR, 1, 2), EBPF_ALU64_IMM(EBPF_AND, 1, 2), EBPF_ALU64_IMM(EBPF_XOR, 1, 2),
	     EBPF_ALU64_IMM(EBPF_LSH, 1, 2), EBPF_ALU32_IMM(EBPF_RSH, 1, 2), EBPF_ALU64_IMM(EBPF_ARSH, 1, 2));
	SAME("sdiv %r1, %r2\nsmod32 %r1, -3",
	     EBPF_ALU64_REG_OFF(EBPF_DIV, 1, 2, 1), EBPF_ALU32_IMM_OFF(EBPF_MOD, 1, -3, 1));
	SAME("neg %r3\nneg32 %r4", EBPF_NEG64(3), EBPF_NEG32(4));
	SAME("movsx832 %r1, %r2\nmovsx1632 %r1, %r2\nmovsx864 %r1, %r2\nmovsx1664 %r1, %r2\n"
	     "movsx3264 %r1, %r2",
	     EBPF_MOVSX32_REG(1, 2, 8), EBPF_MOVSX32_REG(1, 2, 16), EBPF_MOVSX64_REG(1, 2, 8),
	     EBPF_MOVSX64_REG(1, 2, 16), EBPF_MOVSX64_REG(1, 2, 32));
	SAME("be16 %r0\nbe64 %r1\nle32 %r2\nswap16 %r3\nbswap64 %r4",
	     EBPF_ENDIAN(EBPF_TO_BE, 0, 16), EBPF_ENDIAN(EBPF_TO_BE, 1, 64), EBPF_ENDIAN(EBPF_TO_LE, 2, 32),
	     EBPF_BSWAP(3, 16), EBPF_BSWAP(4, 64));
}
END_TEST

START_TEST(test_immediates)
{
	SAME("mov %r0, 0x10", EBPF_MOV64_IMM(0, 16));
	SAME("mov %r0, 0XfF", EBPF_MOV64_IMM(0, 255));
	SAME("mov %r0, -1", EBPF_MOV64_IMM(0, -1));
	SAME("mov %r0, -0x10", EBPF_MOV64_IMM(0, -16));
	SAME("mov %r0, 0xffffffff", EBPF_MOV64_IMM(0, -1));
	SAME("mov %r0, 2147483647", EBPF_MOV64_IMM(0, INT32_MAX));
	SAME("mov %r0, -2147483648", EBPF_MOV64_IMM(0, INT32_MIN));
	SAME("mov %r0, +5", EBPF_MOV64_IMM(0, 5));
	SAME("lddw %r0, 0x1122334455667788", EBPF_LD_IMM64(0, 0x1122334455667788));
	SAME("lddw %r5, -1", EBPF_LD_IMM64(5, UINT64_MAX));
	SAME("lddw %r5, 18446744073709551615", EBPF_LD_IMM64(5, UINT64_MAX));
	SAME("lddw %r5, -9223372036854775808", EBPF_LD_IMM64(5, (uint64_t)INT64_MIN));
}
END_TEST

START_TEST(test_memory_operands)
{
	SAME("ldxb %r0, [%r1+0x2]", EBPF_LDX_MEM(EBPF_B, 0, 1, 2));
	SAME("ldxh %r0, [%r1]", EBPF_LDX_MEM(EBPF_H, 0, 1, 0));
	SAME("ldxw %r0, [%r1 + 4]", EBPF_LDX_MEM(EBPF_W, 0, 1, 4));
	SAME("ldxdw %r0, [%r10-8]", EBPF_LDX_MEM(EBPF_DW, 0, 10, -8));
	SAME("ldxdw %r0, [%r10-32768]", EBPF_LDX_MEM(EBPF_DW, 0, 10, INT16_MIN));
	SAME("ldxsb %r0, [%r1+1]\nldxsh %r0, [%r1+2]\nldxsw %r0, [%r1+4]",
	     EBPF_LDX_MEMSX(EBPF_B, 0, 1, 1), EBPF_LDX_MEMSX(EBPF_H, 0, 1, 2), EBPF_LDX_MEMSX(EBPF_W, 0, 1, 4));
	SAME("stb [%r10-1], 0x80\nsth [%r1+2], -1\nstw [%r1], 5\nstdw [%r10-16], 0xab",
	     EBPF_ST_MEM(EBPF_B, 10, -1, 0x80), EBPF_ST_MEM(EBPF_H, 1, 2, -1), EBPF_ST_MEM(EBPF_W, 1, 0, 5),
	     EBPF_ST_MEM(EBPF_DW, 10, -16, 0xab));
	SAME("stxb [%r1+1], %r2\nstxdw [%r10-8], %r1",
	     EBPF_STX_MEM(EBPF_B, 1, 2, 1), EBPF_STX_MEM(EBPF_DW, 10, 1, -8));
	SAME("lock add [%r10-8], %r1\nlock fetch xor32 [%r10-4], %r3\nlock xchg [%r1], %r2\n"
	     "lock cmpxchg32 [%r1+4], %r2",
	     EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD, 10, 1, -8), EBPF_ATOMIC_OP(EBPF_W, EBPF_XOR | EBPF_FETCH, 10, 3, -4),
	     EBPF_ATOMIC_OP(EBPF_DW, EBPF_XCHG, 1, 2, 0), EBPF_ATOMIC_OP(EBPF_W, EBPF_CMPXCHG, 1, 2, 4));
	SAME("ldabsh 12\nldindb %r7, 14\nldabsw -4",
	     EBPF_LD_ABS(EBPF_H, 12), EBPF_LD_IND(EBPF_B, 7, 14), EBPF_LD_ABS(EBPF_W, -4));
}
END_TEST

START_TEST(test_jumps_and_labels)
{
	SAME("ja +1\nja -1\nja +0", EBPF_JMP_A(1), EBPF_JMP_A(-1), EBPF_JMP_A(0));
	SAME("jeq %r1, 1, +2\njne32 %r1, %r2, -3\njsle %r0, -1, +0",
	     EBPF_JMP_IMM(EBPF_JEQ, 1, 1, 2), EBPF_JMP32_REG(EBPF_JNE, 1, 2, -3),
	     EBPF_JMP_IMM(EBPF_JSLE, 0, -1, 0));
	SAME("jgt %r1, 1, +1\njge %r1, 1, +1\njlt %r1, 1, +1\njle %r1, 1, +1\njset %r1, 1, +1\n"
	     "jsgt %r1, 1, +1\njsge %r1, 1, +1\njslt %r1, 1, +1\njslt32 %r1, 1, +1",
	     EBPF_JMP_IMM(EBPF_JGT, 1, 1, 1), EBPF_JMP_IMM(EBPF_JGE, 1, 1, 1), EBPF_JMP_IMM(EBPF_JLT, 1, 1, 1),
	     EBPF_JMP_IMM(EBPF_JLE, 1, 1, 1), EBPF_JMP_IMM(EBPF_JSET, 1, 1, 1), EBPF_JMP_IMM(EBPF_JSGT, 1, 1, 1),
	     EBPF_JMP_IMM(EBPF_JSGE, 1, 1, 1), EBPF_JMP_IMM(EBPF_JSLT, 1, 1, 1),
	     EBPF_JMP32_IMM(EBPF_JSLT, 1, 1, 1));
	/* Labels forward and back; a label before an instruction on its line;
	 * lddw counts two slots; "exit" names the first exit. */
	SAME("top:\n"
	     "  jeq %r1, 0, out   # forward\n"
	     "  lddw %r2, 1\n"
	     "  ja top\n"
	     "out: mov %r0, 0\n"
	     "  jne %r0, 1, exit\n"
	     "  exit\n",
	     EBPF_JMP_IMM(EBPF_JEQ, 1, 0, 3), EBPF_LD_IMM64(2, 1), EBPF_JMP_A(-4),
	     EBPF_MOV64_IMM(0, 0), EBPF_JMP_IMM(EBPF_JNE, 0, 1, 0), EBPF_EXIT_INSN());
	/* An explicit "exit" label wins over the first exit. */
	SAME("ja exit\nexit\nexit:\nexit", EBPF_JMP_A(1), EBPF_EXIT_INSN(), EBPF_EXIT_INSN());
	/* ja32 puts the offset in imm. */
	SAME("ja32 L\nexit\nL: exit", EBPF_JMP32_A(1), EBPF_EXIT_INSN(), EBPF_EXIT_INSN());
	/* Calls. */
	SAME("call 5\ncall helper 1\ncall %r2\ncall local f\nexit\nf: exit",
	     EBPF_CALL_HELPER(5), EBPF_CALL_HELPER(1), EBPF_CALLX(2), EBPF_CALL_LOCAL(1), EBPF_EXIT_INSN(),
	     EBPF_EXIT_INSN());
}
END_TEST

START_TEST(test_comments_blank)
{
	SAME("# a comment\n\n   \n\tmov %r0, 1 // and another\n# exit\nexit  # end",
	     EBPF_MOV64_IMM(0, 1), EBPF_EXIT_INSN());
	SAME("exit", EBPF_EXIT_INSN());  /* no final newline */
	SAME("mov %r0,1\r\n", EBPF_MOV64_IMM(0, 1));
	struct ebpf_insn *got = (void *)1;
	size_t len = 9;
	ck_assert_int_eq(ebpf_asm("# nothing\n\n", &got, &len, NULL), 0);
	ck_assert_ptr_null(got);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_errors)
{
	fails("mov %r0, 1\nbogus %r1\n", 2, "unknown mnemonic 'bogus'", 11);
	fails("mov %r11, 1", 1, "no such register '%r11'", 4);
	fails("mov %x1, 1", 1, "expected a register", 4);
	fails("mov %r1", 1, "takes 2 operands, not 1", 0);
	fails("exit %r0", 1, "takes 0 operands", -1);
	fails("\n\nmov %r0, 4294967296", 3, "out of range", 11);
	fails("mov %r0, -2147483649", 1, "out of range", -1);
	fails("mov %r0, 12abc", 1, "expected a 32-bit immediate", -1);
	fails("mov %r0, 0x", 1, "expected a 32-bit immediate", -1);
	fails("lddw %r0, 0x10000000000000000", 1, "64-bit immediate", -1);
	fails("ldxb %r0, %r1", 1, "expected a memory operand", 10);
	fails("ldxb %r0, [%r1+0x2", 1, "missing ']'", 10);
	fails("ldxb %r0, [%r1*2]", 1, "expected a register", -1);
	fails("ldxb %r0, [%r1+32768]", 1, "offset out of range", -1);
	fails("ldxb %r0, [%r1+x]", 1, "bad offset", -1);
	fails("jeq %r1, 0, nowhere\nexit", 1, "undefined label 'nowhere'", 12);
	fails("a:\nexit\na:\nexit", 3, "label 'a' already defined on line 1", 8);
	fails("ja +32768", 1, "offset out of range", -1);
	fails("jeq %r1, 0, 5", 1, "expected a jump target", -1);
	fails("ja exit", 1, "undefined label 'exit'", -1);
	fails("call local 3", 1, "expected a jump target", -1);
	fails("call far 3", 1, "unknown call kind 'far'", -1);
	fails("lock fetch xchg [%r1], %r2", 1, "always fetches", -1);
	fails("lock nand [%r1], %r2", 1, "unknown atomic operation 'nand'", -1);
	fails("ldxsdw %r0, [%r1]", 1, "unknown mnemonic", -1);
	fails("be8 %r0", 1, "unknown mnemonic", -1);
	fails("movsx8 %r0, %r1", 1, "unknown mnemonic", -1);
	fails("add33 %r0, 1", 1, "unknown mnemonic", -1);
	/* A jump too far for 16 bits. */
	size_t n = 40000;
	char *big = malloc(n * 5 + 32);
	ck_assert_ptr_nonnull(big);
	char *p = big + sprintf(big, "ja end\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "exit\n");
	strcpy(p, "end: exit\n");
	fails(big, 1, "too far", -1);
	free(big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("asm");
	TCase *tc = tcase_create("asm");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_registers_and_alu);
	tcase_add_test(tc, test_immediates);
	tcase_add_test(tc, test_memory_operands);
	tcase_add_test(tc, test_jumps_and_labels);
	tcase_add_test(tc, test_comments_blank);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
