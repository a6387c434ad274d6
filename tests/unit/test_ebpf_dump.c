/* test_ebpf_dump: --dump=ebpf (bpftool `prog dump xlated` text, as the
 * kernel's kernel/bpf/disasm.c prints) and --dump=ebpf-raw, one table row
 * per instruction form, every class and mode. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdint.h>
#include <string.h>

#include "ebpf.h"
#include "ebpf_dump.h"
#include "kbpf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct image_case {
	struct ebpf_insn insn[2];
	const char *text;
};

/* Expected texts follow disasm.c's format strings; test_bpftool below
 * compares a program's dump with bpftool's own. */
static const struct image_case cases[] = {
	/* ALU64 / ALU32, register and immediate */
	{ { EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1) }, "(bf) r6 = r1" },
	{ { EBPF_MOV32_IMM(EBPF_REG_0, 0) }, "(b4) w0 = 0" },
	{ { EBPF_MOV32_REG(EBPF_REG_0, EBPF_REG_7) }, "(bc) w0 = w7" },
	{ { EBPF_MOV64_IMM(EBPF_REG_2, -1) }, "(b7) r2 = -1" },
	{ { EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, 14) }, "(07) r2 += 14" },
	{ { EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_3) }, "(0f) r2 += r3" },
	{ { EBPF_ALU32_IMM(EBPF_SUB, EBPF_REG_0, 3) }, "(14) w0 -= 3" },
	{ { EBPF_ALU32_REG(EBPF_MUL, EBPF_REG_0, EBPF_REG_7) }, "(2c) w0 *= w7" },
	{ { EBPF_ALU32_REG(EBPF_DIV, EBPF_REG_0, EBPF_REG_7) }, "(3c) w0 /= w7" },
	{ { EBPF_ALU64_IMM(EBPF_OR, EBPF_REG_1, 0x10) }, "(47) r1 |= 16" },
	{ { EBPF_ALU32_IMM(EBPF_AND, EBPF_REG_0, 0xf) }, "(54) w0 &= 15" },
	{ { EBPF_ALU64_IMM(EBPF_LSH, EBPF_REG_0, 2) }, "(67) r0 <<= 2" },
	{ { EBPF_ALU32_REG(EBPF_RSH, EBPF_REG_0, EBPF_REG_7) }, "(7c) w0 >>= w7" },
	{ { EBPF_NEG32(EBPF_REG_0) }, "(84) w0 = -w0" },
	{ { EBPF_NEG64(EBPF_REG_3) }, "(87) r3 = -r3" },
	{ { EBPF_ALU64_IMM(EBPF_MOD, EBPF_REG_0, 7) }, "(97) r0 %= 7" },
	{ { EBPF_ALU32_REG(EBPF_XOR, EBPF_REG_0, EBPF_REG_7) }, "(ac) w0 ^= w7" },
	{ { EBPF_ALU64_IMM(EBPF_ARSH, EBPF_REG_0, 3) }, "(c7) r0 s>>= 3" },
	/* signed div/mod, movsx (ISA v4) */
	{ { EBPF_ALU64_IMM_OFF(EBPF_DIV, EBPF_REG_0, -3, 1) }, "(37) r0 s/= -3" },
	{ { EBPF_ALU32_REG_OFF(EBPF_MOD, EBPF_REG_0, EBPF_REG_1, 1) }, "(9c) w0 s%= w1" },
	{ { EBPF_MOVSX64_REG(EBPF_REG_0, EBPF_REG_1, 8) }, "(bf) r0 = (s8)r1" },
	{ { EBPF_MOVSX64_REG(EBPF_REG_0, EBPF_REG_1, 32) }, "(bf) r0 = (s32)r1" },
	{ { EBPF_MOVSX32_REG(EBPF_REG_0, EBPF_REG_1, 16) }, "(bc) w0 = (s16)w1" },
	/* byte swaps */
	{ { EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 16) }, "(dc) r0 = be16 r0" },
	{ { EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_0, 32) }, "(dc) r0 = be32 r0" },
	{ { EBPF_ENDIAN(EBPF_TO_LE, EBPF_REG_2, 64) }, "(d4) r2 = le64 r2" },
	{ { EBPF_BSWAP(EBPF_REG_1, 16) }, "(d7) r1 = bswap16 r1" },
	/* LD */
	{ { EBPF_LD_ABS(EBPF_H, 12) }, "(28) r0 = *(u16 *)skb[12]" },
	{ { EBPF_LD_ABS(EBPF_W, 26) }, "(20) r0 = *(u32 *)skb[26]" },
	{ { EBPF_LD_ABS(EBPF_B, -1048576) }, "(30) r0 = *(u8 *)skb[-1048576]" },
	{ { EBPF_LD_IND(EBPF_H, EBPF_REG_7, 14) }, "(48) r0 = *(u16 *)skb[r7 + 14]" },
	{ { EBPF_LD_IMM64(EBPF_REG_1, 0x123456789abcdefULL) }, "(18) r1 = 0x123456789abcdef" },
	{ { EBPF_LD_IMM64(EBPF_REG_1, 0) }, "(18) r1 = 0x0" },
	/* LDX, ST, STX */
	{ { EBPF_LDX_MEM(EBPF_W, EBPF_REG_2, EBPF_REG_1, 80) }, "(61) r2 = *(u32 *)(r1 +80)" },
	{ { EBPF_LDX_MEM(EBPF_DW, EBPF_REG_9, EBPF_REG_6, 0) }, "(79) r9 = *(u64 *)(r6 +0)" },
	{ { EBPF_LDX_MEM(EBPF_H, EBPF_REG_0, EBPF_REG_9, 12) }, "(69) r0 = *(u16 *)(r9 +12)" },
	{ { EBPF_LDX_MEM(EBPF_B, EBPF_REG_0, EBPF_REG_10, -64) }, "(71) r0 = *(u8 *)(r10 -64)" },
	{ { EBPF_LDX_MEMSX(EBPF_H, EBPF_REG_0, EBPF_REG_10, -8) }, "(89) r0 = *(s16 *)(r10 -8)" },
	{ { EBPF_ST_MEM(EBPF_W, EBPF_REG_10, -4, 7) }, "(62) *(u32 *)(r10 -4) = 7" },
	{ { EBPF_STX_MEM(EBPF_W, EBPF_REG_10, EBPF_REG_0, -64) }, "(63) *(u32 *)(r10 -64) = r0" },
	{ { EBPF_STX_MEM(EBPF_DW, EBPF_REG_10, EBPF_REG_1, -8) }, "(7b) *(u64 *)(r10 -8) = r1" },
	/* atomics */
	{ { EBPF_ATOMIC_OP(EBPF_W, EBPF_ADD, EBPF_REG_10, EBPF_REG_1, -4) },
	  "(c3) lock *(u32 *)(r10 -4) += r1" },
	{ { EBPF_ATOMIC_OP(EBPF_DW, EBPF_XOR, EBPF_REG_10, EBPF_REG_1, -8) },
	  "(db) lock *(u64 *)(r10 -8) ^= r1" },
	{ { EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD | EBPF_FETCH, EBPF_REG_10, EBPF_REG_1, -8) },
	  "(db) r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)" },
	{ { EBPF_ATOMIC_OP(EBPF_W, EBPF_OR | EBPF_FETCH, EBPF_REG_10, EBPF_REG_2, -4) },
	  "(c3) r2 = atomic_fetch_or((u32 *)(r10 -4), r2)" },
	{ { EBPF_ATOMIC_OP(EBPF_DW, EBPF_XCHG, EBPF_REG_10, EBPF_REG_1, -8) },
	  "(db) r1 = atomic64_xchg((u64 *)(r10 -8), r1)" },
	{ { EBPF_ATOMIC_OP(EBPF_W, EBPF_CMPXCHG, EBPF_REG_10, EBPF_REG_1, -4) },
	  "(c3) r0 = atomic_cmpxchg((u32 *)(r10 -4), r0, r1)" },
	{ { EBPF_ATOMIC_OP(EBPF_B, EBPF_LOAD_ACQ, EBPF_REG_0, EBPF_REG_1, 4) },
	  "(d3) r0 = load_acquire((u8 *)(r1 +4))" },
	{ { EBPF_ATOMIC_OP(EBPF_W, EBPF_STORE_REL, EBPF_REG_1, EBPF_REG_2, 0) },
	  "(c3) store_release((u32 *)(r1 +0), r2)" },
	/* JMP / JMP32 */
	{ { EBPF_JMP_IMM(EBPF_JEQ, EBPF_REG_0, 0x800, 3) }, "(15) if r0 == 0x800 goto pc+3" },
	{ { EBPF_JMP32_IMM(EBPF_JEQ, EBPF_REG_0, 0x800, 3) }, "(16) if w0 == 0x800 goto pc+3" },
	{ { EBPF_JMP_IMM(EBPF_JNE, EBPF_REG_0, -1, 1) }, "(55) if r0 != 0xffffffff goto pc+1" },
	{ { EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, EBPF_REG_8, 5) }, "(2d) if r2 > r8 goto pc+5" },
	{ { EBPF_JMP32_REG(EBPF_JGE, EBPF_REG_0, EBPF_REG_7, 0) }, "(3e) if w0 >= w7 goto pc+0" },
	{ { EBPF_JMP_IMM(EBPF_JSET, EBPF_REG_0, 0x1fff, 2) }, "(45) if r0 & 0x1fff goto pc+2" },
	{ { EBPF_JMP_REG(EBPF_JLT, EBPF_REG_8, EBPF_REG_2, 4) }, "(ad) if r8 < r2 goto pc+4" },
	{ { EBPF_JMP_IMM(EBPF_JLE, EBPF_REG_1, 5, 1) }, "(b5) if r1 <= 0x5 goto pc+1" },
	{ { EBPF_JMP_IMM(EBPF_JSGT, EBPF_REG_1, 5, 1) }, "(65) if r1 s> 0x5 goto pc+1" },
	{ { EBPF_JMP32_IMM(EBPF_JSGE, EBPF_REG_1, 5, 1) }, "(76) if w1 s>= 0x5 goto pc+1" },
	{ { EBPF_JMP_REG(EBPF_JSLT, EBPF_REG_1, EBPF_REG_2, 1) }, "(cd) if r1 s< r2 goto pc+1" },
	{ { EBPF_JMP_IMM(EBPF_JSLE, EBPF_REG_1, 5, 1) }, "(d5) if r1 s<= 0x5 goto pc+1" },
	{ { EBPF_JMP_A(7) }, "(05) goto pc+7" },
	{ { EBPF_JMP_A(-2) }, "(05) goto pc-2" },
	{ { EBPF_JMP32_A(70000) }, "(06) gotol pc+70000" },
	{ { EBPF_CALL_HELPER(7) }, "(85) call bpf_get_prandom_u32#7" },
	{ { EBPF_CALL_HELPER(8) }, "(85) call bpf_get_smp_processor_id#8" },
	{ { EBPF_CALL_HELPER(100000) }, "(85) call unknown#100000" },
	{ { EBPF_CALL_LOCAL(3) }, "(85) call pc+3" },
	{ { EBPF_EXIT_INSN() }, "(95) exit" },
	/* encodings disasm.c does not know */
	{ { EBPF_RAW_INSN(EBPF_LD | EBPF_W | EBPF_MEM, 0, 0, 0, 0) }, "(60) BUG_ld_60" },
	{ { EBPF_RAW_INSN(EBPF_ST | EBPF_W | EBPF_ATOMIC, 0, 0, 0, 0) }, "(c2) BUG_st_c2" },
	{ { EBPF_RAW_INSN(EBPF_LDX | EBPF_W | EBPF_ABS, 0, 0, 0, 0) }, "(21) BUG_ldx_21" },
};

START_TEST(test_images)
{
	const struct image_case *c = &cases[_i];
	char buf[160];
	int n = ebpf_insn_image(c->insn, 2, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, c->text);
	ck_assert_int_eq(n, (int)strlen(c->text));
}
END_TEST

START_TEST(test_truncation)
{
	struct ebpf_insn in = EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1);
	char small[5];
	int n = ebpf_insn_image(&in, 1, 0, small, sizeof small);
	ck_assert_int_eq(n, (int)strlen("(bf) r6 = r1"));
	ck_assert_str_eq(small, "(bf)");
}
END_TEST

/* Whole programs: bpftool numbering, LD_IMM64 printed once and counted
 * as two slots. */
START_TEST(test_program)
{
	static const struct ebpf_insn prog[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LD_IMM64(EBPF_REG_2, 0x100000000ULL),
		EBPF_LD_ABS(EBPF_H, 12),
		EBPF_JMP_IMM(EBPF_JNE, EBPF_REG_0, 0x800, 1),
		EBPF_MOV32_IMM(EBPF_REG_0, 262144),
		EBPF_EXIT_INSN(),
	};
	static const char want[] = "   0: (bf) r6 = r1\n"
				   "   1: (18) r2 = 0x100000000\n"
				   "   3: (28) r0 = *(u16 *)skb[12]\n"
				   "   4: (55) if r0 != 0x800 goto pc+1\n"
				   "   5: (b4) w0 = 262144\n"
				   "   6: (95) exit\n";
	char buf[512];
	size_t n = ebpf_dump(prog, N(prog), 0, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));

	/* The needed length is returned even when buf is too small. */
	char tiny[8];
	ck_assert_uint_eq(ebpf_dump(prog, N(prog), 0, tiny, sizeof tiny), strlen(want));
	ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
	ck_assert_uint_eq(ebpf_dump(prog, N(prog), 0, NULL, 0), strlen(want));
}
END_TEST

START_TEST(test_raw)
{
	static const struct ebpf_insn prog[] = {
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_1),
		EBPF_LD_IMM64(EBPF_REG_2, 0xffffffff00000001ULL),
		EBPF_JMP_IMM(EBPF_JEQ, EBPF_REG_0, -5, -1),
		EBPF_EXIT_INSN(),
	};
	static const char want[] = "191 6 1 0 0\n"
				   "24 2 0 0 1\n"
				   "0 0 0 0 -1\n"
				   "21 0 0 -1 -5\n"
				   "149 0 0 0 0\n";
	char buf[256];
	size_t n = ebpf_dump(prog, N(prog), 1, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
}
END_TEST

/* A truncated LD_IMM64 at the end prints its low half, never reads past. */
START_TEST(test_ld_imm64_truncated)
{
	struct ebpf_insn in = EBPF_RAW_INSN(EBPF_OP_LD_IMM64, 1, 0, 0, 5);
	char buf[64];
	ebpf_insn_image(&in, 1, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "(18) r1 = 0x5");
	char dump[64];
	ebpf_dump(&in, 1, 0, dump, sizeof dump);
	ck_assert_str_eq(dump, "   0: (18) r1 = 0x5\n");
}
END_TEST

/* The kernel's id of a loaded program. */
static uint32_t prog_id_of(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	memset(&info, 0, sizeof info);
	memset(&a, 0, sizeof a);
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof info;
	a.info.info = (uint64_t)(uintptr_t)&info;
	ck_assert_msg(syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a) == 0,
		      "BPF_OBJ_GET_INFO_BY_FD failed");
	return info.id;
}

/* Cross-check with the real thing: load a socket filter whose xlated form
 * the kernel leaves as written (plain ALU, JMP and stack instructions; no
 * context or LD_ABS access, which the kernel rewrites; no division by a
 * register, which it patches; values it cannot predict, so no branch is
 * hard-wired), then compare bpftool's `prog dump xlated` with ours line
 * by line.  The helper call's imm is rewritten to an address by the
 * kernel and bpftool names the function it resolves to (bpf_user_rnd_u32
 * for helper 7), so that line is compared up to "call ". */
START_TEST(test_bpftool)
{
	static const struct ebpf_insn prog[] = {
		EBPF_CALL_HELPER(7),
		EBPF_MOV64_REG(EBPF_REG_6, EBPF_REG_0),
		EBPF_MOV32_IMM(EBPF_REG_1, 5),
		EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_1, EBPF_REG_6),
		EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_1, 14),
		EBPF_ALU32_IMM(EBPF_SUB, EBPF_REG_1, -3),
		EBPF_ALU64_IMM(EBPF_MUL, EBPF_REG_1, 3),
		EBPF_ALU64_IMM(EBPF_DIV, EBPF_REG_1, 7),
		EBPF_ALU32_IMM(EBPF_MOD, EBPF_REG_1, 9),
		EBPF_ALU64_IMM(EBPF_LSH, EBPF_REG_1, 2),
		EBPF_ALU32_IMM(EBPF_RSH, EBPF_REG_1, 1),
		EBPF_ALU64_IMM(EBPF_ARSH, EBPF_REG_1, 1),
		EBPF_ALU64_IMM(EBPF_OR, EBPF_REG_1, 0x10),
		EBPF_ALU32_IMM(EBPF_AND, EBPF_REG_1, 0xfff),
		EBPF_ALU64_REG(EBPF_XOR, EBPF_REG_1, EBPF_REG_6),
		EBPF_NEG64(EBPF_REG_1),
		EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_1, 16),
		EBPF_ENDIAN(EBPF_TO_BE, EBPF_REG_6, 32),
		EBPF_STX_MEM(EBPF_W, EBPF_REG_10, EBPF_REG_1, -4),
		EBPF_ST_MEM(EBPF_W, EBPF_REG_10, -8, 7),
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_10, -4),
		EBPF_LDX_MEM(EBPF_H, EBPF_REG_2, EBPF_REG_10, -8),
		EBPF_LD_IMM64(EBPF_REG_3, 0x80),
		EBPF_JMP_IMM(EBPF_JEQ, EBPF_REG_0, 0x800, 3),
		EBPF_JMP32_REG(EBPF_JGT, EBPF_REG_0, EBPF_REG_6, 2),
		EBPF_JMP_REG(EBPF_JSGE, EBPF_REG_3, EBPF_REG_6, 1),
		EBPF_ALU32_REG(EBPF_MOV, EBPF_REG_0, EBPF_REG_2),
		EBPF_EXIT_INSN(),
	};
	char why[128];
	ck_assert_msg(kbpf_available(why, sizeof why), "%s", why);
	char log[65536];
	int fd = kbpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, prog, N(prog), log, sizeof log);
	ck_assert_msg(fd >= 0, "load failed: %s", log);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "bpftool prog dump xlated id %u 2>&1", prog_id_of(fd));
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run %s", cmd);
	char theirs[8192];
	size_t n = fread(theirs, 1, sizeof theirs - 1, p);
	theirs[n] = 0;
	ck_assert_msg(pclose(p) == 0, "%s failed: %s", cmd, theirs);
	close(fd);

	char ours[8192];
	ebpf_dump(prog, N(prog), 0, ours, sizeof ours);
	char *save_a, *save_b;
	char *la = strtok_r(ours, "\n", &save_a), *lb = strtok_r(theirs, "\n", &save_b);
	int lines = 0;
	for (; la && lb; la = strtok_r(NULL, "\n", &save_a), lb = strtok_r(NULL, "\n", &save_b)) {
		const char *call = strstr(la, "call ");
		if (call)
			ck_assert_msg(strncmp(la, lb, (size_t)(call - la) + 5) == 0,
				      "ours '%s', bpftool '%s'", la, lb);
		else
			ck_assert_msg(strcmp(la, lb) == 0, "ours '%s', bpftool '%s'", la, lb);
		lines++;
	}
	ck_assert_msg(!la && !lb, "line counts differ after %d lines (ours %s, bpftool %s)", lines,
		      la ? la : "(end)", lb ? lb : "(end)");
	ck_assert_int_eq(lines, (int)N(prog) - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ebpf_dump");
	TCase *tc = tcase_create("dump");
	tcase_add_loop_test(tc, test_images, 0, (int)N(cases));
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_program);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_ld_imm64_truncated);
	suite_add_tcase(s, tc);
	TCase *kernel = tcase_create("bpftool");
	tcase_add_test(kernel, test_bpftool);
	tcase_set_timeout(kernel, 20);
	suite_add_tcase(s, kernel);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
