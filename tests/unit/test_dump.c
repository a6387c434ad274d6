/* test_dump: bpfcap's -d/-dd/-ddd formats against libpcap's own.
 *
 * The oracle is the installed libpcap: bpf_image() for one instruction and
 * bpf_dump() (captured from stdout) for whole programs, which is exactly
 * what tcpdump -d, -dd and -ddd print.  Each test collects every mismatch,
 * prints the first few (expected vs got), and fails with the count. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "bpfcap.h"
#include "harness.h"

#define SKF_AD_OFF_K 0xfffff000u /* (uint32_t)-0x1000: Linux ancillary loads */
#define MAX_REPORTED 12

struct mismatches {
	unsigned count;
	char first[2048];
};

static void note(struct mismatches *m, const char *what, const char *want, const char *got)
{
	if (m->count++ < MAX_REPORTED) {
		fprintf(stderr, "  mismatch %s:\n    expected: [%s]\n    got:      [%s]\n", what,
			want, got);
		if (m->count == 1)
			snprintf(m->first, sizeof m->first, "%s: expected [%s] got [%s]", what, want,
				 got);
	}
}

static void check_none(const struct mismatches *m, const char *test)
{
	ck_assert_msg(m->count == 0, "%s: %u mismatches; first: %s", test, m->count, m->first);
}

/* Compare one instruction at pc, with and without the "(NNN) " prefix. */
static void compare_image(struct mismatches *m, uint16_t code, uint8_t jt, uint8_t jf,
			  uint32_t k, int pc)
{
	struct bpf_insn li = { code, jt, jf, k };
	struct bpfcap_insn bi = { code, jt, jf, k };
	char want[256], got[256], what[96];
	snprintf(want, sizeof want, "%s", bpf_image(&li, pc));
	int n = bpfcap_cbpf_image(&bi, (size_t)pc, 0, got, sizeof got);
	snprintf(what, sizeof what, "code 0x%04x jt %u jf %u k 0x%x pc %d", code, jt, jf, k, pc);
	if (strcmp(want, got) != 0)
		note(m, what, want, got);
	else if (n != (int)strlen(want))
		note(m, "return value (length)", want, got);

	/* bare: the same without the "(NNN) " prefix */
	const char *paren = strchr(want, ')');
	const char *bare_want = paren && paren[1] == ' ' ? paren + 2 : want;
	char what2[128];
	snprintf(what2, sizeof what2, "%s (bare)", what);
	bpfcap_cbpf_image(&bi, (size_t)pc, 1, got, sizeof got);
	if (strcmp(bare_want, got) != 0)
		note(m, what2, bare_want, got);
}

static const uint32_t ks[] = { 0, 1, 15, 0x800, 0xffffffffu };

/* Every 16-bit code: the valid ones in their format, the rest as "unimp". */
START_TEST(test_image_every_opcode)
{
	struct mismatches m = { 0 };
	for (unsigned code = 0; code <= 0xffff; code++)
		for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
			compare_image(&m, (uint16_t)code, 0, 0, ks[i], code < 0x100 ? 0 : 3);
	check_none(&m, "bpf_image of every opcode x k");
}
END_TEST

/* The valid opcodes once more with non-zero jump offsets and other pcs. */
START_TEST(test_image_valid_opcodes_pcs)
{
	struct mismatches m = { 0 };
	static const int pcs[] = { 0, 1, 9, 10, 99, 100, 999, 1000, 4095 };
	unsigned valid = 0;
	for (unsigned code = 0; code < 0x100; code++) {
		struct bpf_insn prog[2] = { { (uint16_t)code, 0, 0, 0 }, { 0x06, 0, 0, 0 } };
		if (!bpf_validate(prog, 2) && (code & 7) != 5)
			continue; /* not a valid statement (jumps checked in any case) */
		valid++;
		for (size_t p = 0; p < sizeof pcs / sizeof pcs[0]; p++)
			for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
				compare_image(&m, (uint16_t)code, 1, 2, ks[i], pcs[p]);
	}
	ck_assert_msg(valid > 60, "only %u valid opcodes found", valid);
	check_none(&m, "bpf_image of valid opcodes at several pcs");
}
END_TEST

/* ld/ldh/ldb [SKF_AD_OFF + n], n = 0..64: libpcap names the ancillary
 * fields it knows. */
START_TEST(test_image_ancillary)
{
	struct mismatches m = { 0 };
	static const uint16_t loads[] = { 0x20, 0x28, 0x30 }; /* ld, ldh, ldb abs */
	for (size_t l = 0; l < 3; l++)
		for (uint32_t n = 0; n <= 64; n++)
			compare_image(&m, loads[l], 0, 0, SKF_AD_OFF_K + n, 5);
	/* the same offsets through ind and as plain k of other classes */
	for (uint32_t n = 0; n <= 64; n += 4) {
		compare_image(&m, 0x40, 0, 0, SKF_AD_OFF_K + n, 0); /* ld [x + k] */
		compare_image(&m, 0x00, 0, 0, SKF_AD_OFF_K + n, 0); /* ld #k */
	}
	check_none(&m, "bpf_image of Linux ancillary loads");
}
END_TEST

START_TEST(test_image_jumps)
{
	struct mismatches m = { 0 };
	static const uint16_t jumps[] = { 0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d };
	static const uint8_t offs[] = { 0, 1, 2, 9, 127, 128, 254, 255 };
	static const int pcs[] = { 0, 1, 99, 999, 1000, 65000 };
	for (size_t j = 0; j < sizeof jumps / sizeof jumps[0]; j++)
		for (size_t a = 0; a < sizeof offs; a++)
			for (size_t b = 0; b < sizeof offs; b++)
				for (size_t p = 0; p < sizeof pcs / sizeof pcs[0]; p++)
					compare_image(&m, jumps[j], offs[a], offs[b], 0x86dd,
						      pcs[p]);
	static const uint32_t jak[] = { 0, 1, 2, 255, 256, 0xffff, 0x7fffffff };
	for (size_t i = 0; i < sizeof jak / sizeof jak[0]; i++)
		for (size_t p = 0; p < sizeof pcs / sizeof pcs[0]; p++)
			compare_image(&m, 0x05, 3, 4, jak[i], pcs[p]);
	check_none(&m, "bpf_image of jumps");
}
END_TEST

START_TEST(test_image_truncation)
{
	struct bpfcap_insn bi = { 0x15, 0, 1, 0x800 };
	char full[256], small[10];
	int n = bpfcap_cbpf_image(&bi, 0, 0, full, sizeof full);
	ck_assert_int_eq(n, (int)strlen(full));
	memset(small, 'Z', sizeof small);
	int n2 = bpfcap_cbpf_image(&bi, 0, 0, small, sizeof small);
	ck_assert_int_eq(n2, n);
	ck_assert_int_eq((int)strlen(small), (int)sizeof small - 1);
	ck_assert(strncmp(small, full, sizeof small - 1) == 0);
}
END_TEST

/* ---- whole programs: bpfcap_dump_cbpf against libpcap's bpf_dump ---------- */

/* What bpf_dump(prog, option) writes on stdout. */
static char *libpcap_dump(const struct bpf_insn *insns, size_t len, int option)
{
	fflush(stdout);
	FILE *tmp = tmpfile();
	ck_assert_ptr_nonnull(tmp);
	int saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(tmp), STDOUT_FILENO), 0);
	struct bpf_program bp = { (u_int)len, (struct bpf_insn *)(uintptr_t)insns };
	bpf_dump(&bp, option);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	long size = ftell(tmp);
	ck_assert_int_ge(size, 0);
	char *out = calloc(1, (size_t)size + 1);
	rewind(tmp);
	ck_assert_int_eq((long)fread(out, 1, (size_t)size, tmp), size);
	fclose(tmp);
	return out;
}

static char *bpfcap_dump(const struct bpfcap_insn *insns, size_t len, int level)
{
	struct bpfcap_prog p = { (struct bpfcap_insn *)(uintptr_t)insns, len };
	size_t need = bpfcap_dump_cbpf(&p, level, NULL, 0);
	char *buf = malloc(need + 1);
	ck_assert_ptr_nonnull(buf);
	memset(buf, 'Z', need + 1);
	size_t again = bpfcap_dump_cbpf(&p, level, buf, need + 1);
	ck_assert_uint_eq(again, need);
	ck_assert_uint_eq(strlen(buf), need);
	return buf;
}

static void compare_dump(struct mismatches *m, const struct bpfcap_insn *insns, size_t len,
			 const char *label)
{
	for (int level = 1; level <= 3; level++) {
		char *want = libpcap_dump((const struct bpf_insn *)(const void *)insns, len, level);
		char *got = bpfcap_dump(insns, len, level);
		if (strcmp(want, got) != 0) {
			char what[128];
			snprintf(what, sizeof what, "%s, level %d (-%.*s)", label, level, level,
				 "ddd");
			/* report the first differing line */
			const char *a = want, *b = got;
			while (*a && *a == *b) {
				a++;
				b++;
			}
			while (a > want && a[-1] != '\n') {
				a--;
				b--;
			}
			char wl[200], gl[200];
			snprintf(wl, sizeof wl, "%.*s", (int)strcspn(a, "\n"), a);
			snprintf(gl, sizeof gl, "%.*s", (int)strcspn(b, "\n"), b);
			note(m, what, wl, gl);
		}
		free(want);
		free(got);
	}
}

static const struct bpfcap_insn sample[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 8, 0x00000800 }, { 0x30, 0, 0, 0x00000017 },
	{ 0x15, 0, 6, 0x00000006 }, { 0x28, 0, 0, 0x00000014 }, { 0x45, 4, 0, 0x00001fff },
	{ 0xb1, 0, 0, 0x0000000e }, { 0x48, 0, 0, 0x00000010 }, { 0x15, 0, 1, 0x00000050 },
	{ 0x06, 0, 0, 0x00040000 }, { 0x06, 0, 0, 0x00000000 },
};

START_TEST(test_dump_sample_program)
{
	struct mismatches m = { 0 };
	compare_dump(&m, sample, sizeof sample / sizeof sample[0], "tcp dst port 80 program");
	check_none(&m, "bpfcap_dump_cbpf vs bpf_dump");
}
END_TEST

START_TEST(test_dump_empty_and_single)
{
	struct mismatches m = { 0 };
	compare_dump(&m, sample, 0, "empty program");
	static const struct bpfcap_insn accept[] = { { 0x06, 0, 0, 262144 } };
	compare_dump(&m, accept, 1, "ret #262144");
	check_none(&m, "bpfcap_dump_cbpf vs bpf_dump (small programs)");
	/* -ddd of an empty program is its count line alone */
	char *e = bpfcap_dump(sample, 0, 3);
	ck_assert_str_eq(e, "0\n");
	free(e);
}
END_TEST

/* Pseudo-random programs of valid opcodes with random operands. */
START_TEST(test_dump_random_programs)
{
	struct mismatches m = { 0 };
	uint16_t valid[256];
	size_t nvalid = 0;
	for (unsigned code = 0; code < 0x100; code++) {
		struct bpf_insn prog[2] = { { (uint16_t)code, 0, 0, 0 }, { 0x06, 0, 0, 0 } };
		if (bpf_validate(prog, 2) || (code & 7) == 5)
			valid[nvalid++] = (uint16_t)code;
	}
	uint32_t seed = 0x12345678u;
	for (int prog = 0; prog < 300; prog++) {
		struct bpfcap_insn insns[64];
		seed = seed * 1103515245u + 12345u;
		size_t len = 1 + (seed >> 16) % 64;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			insns[i].code = valid[(seed >> 8) % nvalid];
			seed = seed * 1103515245u + 12345u;
			insns[i].jt = (uint8_t)(seed >> 24);
			insns[i].jf = (uint8_t)(seed >> 16);
			seed = seed * 1103515245u + 12345u;
			insns[i].k = (seed & 1) ? seed : (seed >> 20);
		}
		char label[64];
		snprintf(label, sizeof label, "random program #%d (%zu insns)", prog, len);
		compare_dump(&m, insns, len, label);
	}
	check_none(&m, "bpfcap_dump_cbpf vs bpf_dump (random programs)");
}
END_TEST

START_TEST(test_dump_truncation)
{
	struct bpfcap_prog p = { (struct bpfcap_insn *)(uintptr_t)sample,
				 sizeof sample / sizeof sample[0] };
	for (int level = 1; level <= 3; level++) {
		size_t need = bpfcap_dump_cbpf(&p, level, NULL, 0);
		ck_assert_uint_gt(need, 0);
		char *full = malloc(need + 1);
		bpfcap_dump_cbpf(&p, level, full, need + 1);
		char small[17];
		memset(small, 'Z', sizeof small);
		size_t r = bpfcap_dump_cbpf(&p, level, small, sizeof small);
		ck_assert_uint_eq(r, need);
		ck_assert_uint_eq(strlen(small), sizeof small - 1);
		ck_assert(strncmp(small, full, sizeof small - 1) == 0);
		free(full);
	}
}
END_TEST

/* A compiled program: what bpfcap -d prints for the empty expression equals
 * what libpcap prints for its own compilation of it. */
START_TEST(test_dump_compiled_empty)
{
	struct bpfcap_prog ours = { 0 };
	struct bpfcap_error err;
	int rc = bpfcap_compile("", NULL, &ours, &err);
	ck_assert_msg(rc == 0, "bpfcap_compile(\"\") failed: %s", err.msg);
	struct bpf_program theirs;
	char perr[PCAP_ERRBUF_SIZE + 64];
	ck_assert_int_eq(th_libpcap_compile(DLT_EN10MB, "", 1, 0, 0, &theirs, perr, sizeof perr), 0);
	for (int level = 1; level <= 3; level++) {
		char *want = libpcap_dump(theirs.bf_insns, theirs.bf_len, level);
		char *got = bpfcap_dump(ours.insns, ours.len, level);
		ck_assert_str_eq(got, want);
		free(want);
		free(got);
	}
	pcap_freecode(&theirs);
	bpfcap_prog_free(&ours);
}
END_TEST

static Suite *dump_suite(void)
{
	Suite *s = suite_create("dump");
	TCase *img = tcase_create("image");
	tcase_set_timeout(img, 60);
	tcase_add_test(img, test_image_every_opcode);
	tcase_add_test(img, test_image_valid_opcodes_pcs);
	tcase_add_test(img, test_image_ancillary);
	tcase_add_test(img, test_image_jumps);
	tcase_add_test(img, test_image_truncation);
	suite_add_tcase(s, img);
	TCase *dump = tcase_create("dump");
	tcase_set_timeout(dump, 60);
	tcase_add_test(dump, test_dump_sample_program);
	tcase_add_test(dump, test_dump_empty_and_single);
	tcase_add_test(dump, test_dump_random_programs);
	tcase_add_test(dump, test_dump_truncation);
	tcase_add_test(dump, test_dump_compiled_empty);
	suite_add_tcase(s, dump);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dump_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
