/* test_assemble: the wide program and its assembly into real cBPF.
 *
 * filter_assemble must turn absolute 32-bit jump targets into 8-bit
 * offsets, bridging conditional jumps that reach further than 255
 * instructions with a JA placed right after them, without changing what
 * the program does; wprog_validate must refuse what cannot be assembled. */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>

#include "bpfcap.h"
#include "cbpf.h"
#include "wprog.h"

static struct winsn stmt(uint16_t code, uint32_t k)
{
	return (struct winsn){ code, k, 0, 0 };
}

static struct winsn jump(uint16_t code, uint32_t k, uint32_t jt, uint32_t jf)
{
	return (struct winsn){ code, k, jt, jf };
}

/* "ldh [0]; jeq #0 ... jeq #n-1" all true edges to one far "ret #1",
 * false edges to the next test; the last false edge to "ret #0": it
 * accepts exactly the packets whose first 16 bits are below n. */
static void far_chain(struct wprog *w, uint32_t n)
{
	*w = (struct wprog){ 0 };
	ck_assert_int_eq(wprog_push(w, stmt(CBPF_LD | CBPF_H | CBPF_ABS, 0)), 0);
	uint32_t accept = 1 + n + 1, reject = 1 + n;
	for (uint32_t i = 0; i < n; i++)
		ck_assert_int_eq(wprog_push(w, jump(CBPF_JMP | CBPF_JEQ | CBPF_K, i, accept,
						    i + 1 < n ? 1 + i + 1 : reject)), 0);
	ck_assert_int_eq(wprog_push(w, stmt(CBPF_RET | CBPF_K, 0)), 0);
	ck_assert_int_eq(wprog_push(w, stmt(CBPF_RET | CBPF_K, 1)), 0);
}

static unsigned run(const struct bpfcap_prog *p, uint16_t first)
{
	uint8_t pkt[2] = { (uint8_t)(first >> 8), (uint8_t)first };
	return bpf_filter((const struct bpf_insn *)(const void *)p->insns, pkt, 2, 2);
}

START_TEST(far_jumps_are_bridged)
{
	static const uint32_t sizes[] = { 10, 254, 255, 256, 600, 3000 };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		uint32_t n = sizes[s];
		struct wprog w;
		far_chain(&w, n);
		struct bpfcap_prog p;
		struct bpfcap_error err;
		ck_assert_int_eq(filter_assemble(&w, &p, &err), 0);
		ck_assert_msg(p.len >= w.len, "assembly lost instructions");
		ck_assert_msg(bpf_validate((const struct bpf_insn *)(const void *)p.insns, (int)p.len),
			      "assembled program of a %u-test chain fails bpf_validate", n);
		/* Bridges only where needed: a chain short enough needs none. */
		if (n < 250)
			ck_assert_uint_eq(p.len, w.len);
		uint16_t probes[] = { 0, 1, (uint16_t)(n / 2), (uint16_t)(n - 1), (uint16_t)n,
				      (uint16_t)(n + 1), 0xffff };
		for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
			ck_assert_msg(run(&p, probes[i]) == (probes[i] < n),
				      "chain of %u, value %u: got %u", n, probes[i], run(&p, probes[i]));
		bpfcap_prog_free(&p);
		wprog_free(&w);
	}
}
END_TEST

START_TEST(round_trip_from_cbpf)
{
	/* wprog_from_cbpf then filter_assemble gives back the same program
	 * when no jump needs a bridge. */
	struct cbpf_insn in[] = {
		cbpf_stmt(CBPF_LD | CBPF_H | CBPF_ABS, 12),
		cbpf_jump(CBPF_JMP | CBPF_JEQ | CBPF_K, 0x800, 0, 3),
		cbpf_stmt(CBPF_LD | CBPF_B | CBPF_ABS, 23),
		cbpf_jump(CBPF_JMP | CBPF_JEQ | CBPF_K, 6, 2, 0),
		cbpf_stmt(CBPF_JMP | CBPF_JA, 1),
		cbpf_stmt(CBPF_RET | CBPF_K, 0),
		cbpf_stmt(CBPF_RET | CBPF_K, 262144),
	};
	size_t n = sizeof in / sizeof in[0];
	struct wprog w;
	ck_assert_int_eq(wprog_from_cbpf(&w, in, n), 0);
	struct bpfcap_error err;
	ck_assert_int_eq(wprog_validate(&w, &err), 0);
	struct bpfcap_prog p;
	ck_assert_int_eq(filter_assemble(&w, &p, &err), 0);
	ck_assert_uint_eq(p.len, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(p.insns[i].code, in[i].code);
		ck_assert_uint_eq(p.insns[i].jt, in[i].jt);
		ck_assert_uint_eq(p.insns[i].jf, in[i].jf);
		ck_assert_uint_eq(p.insns[i].k, in[i].k);
	}
	bpfcap_prog_free(&p);
	wprog_free(&w);
}
END_TEST

START_TEST(validate_refuses_bad_programs)
{
	struct bpfcap_error err;
	struct wprog w = { 0 };
	ck_assert_int_ne(wprog_validate(&w, &err), 0); /* empty */

	ck_assert_int_eq(wprog_push(&w, jump(CBPF_JMP | CBPF_JEQ | CBPF_K, 1, 0, 1)), 0);
	ck_assert_int_eq(wprog_push(&w, stmt(CBPF_RET | CBPF_K, 0)), 0);
	ck_assert_int_ne(wprog_validate(&w, &err), 0); /* a jump to itself */
	w.insns[0].jt = 5;
	ck_assert_int_ne(wprog_validate(&w, &err), 0); /* past the end */
	w.insns[0].jt = 1;
	ck_assert_int_eq(wprog_validate(&w, &err), 0);
	wprog_free(&w);

	ck_assert_int_eq(wprog_push(&w, stmt(CBPF_ST, 16)), 0);
	ck_assert_int_eq(wprog_push(&w, stmt(CBPF_RET | CBPF_K, 0)), 0);
	ck_assert_int_ne(wprog_validate(&w, &err), 0); /* M[16] */
	ck_assert_msg(err.msg[0] != '\0', "no message");
	wprog_free(&w);

	ck_assert_int_eq(wprog_push(&w, stmt(CBPF_LD | CBPF_IMM, 0)), 0);
	ck_assert_int_ne(wprog_validate(&w, &err), 0); /* no final ret */
	wprog_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("assemble");
	TCase *tc = tcase_create("assemble");
	tcase_add_test(tc, far_jumps_are_bridged);
	tcase_add_test(tc, round_trip_from_cbpf);
	tcase_add_test(tc, validate_refuses_bad_programs);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
