/* test_harness: the shared test helpers (tests/common) that every suite
 * trusts: the JSON reader, the expression-list reader, the savefile loader
 * and the interpreter wrapper.  A bug here would make the differential
 * suites pass or fail for the wrong reason. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diffcase.h"
#include "harness.h"

START_TEST(test_json_values)
{
	char err[256];
	struct th_json *j = th_json_parse(
		"{\"DLT\": \"EN10MB\", \"aliases\": [\"ip\", \"a\\\"b\\\\c\\n\\t\\u00e9\\ud83d\\ude00\"],"
		" \"n\": -12.5, \"t\": true, \"f\": false, \"z\": null, \"o\": {\"k\": [1, [2, {}], []]}}",
		err, sizeof err);
	ck_assert_msg(j != NULL, "parse failed: %s", err);
	ck_assert_str_eq(th_json_str(j, "DLT"), "EN10MB");
	const struct th_json *a = th_json_get(j, "aliases");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, TJ_ARRAY);
	ck_assert_uint_eq(a->count, 2);
	ck_assert_str_eq(a->items[0].string, "ip");
	ck_assert_str_eq(a->items[1].string, "a\"b\\c\n\t\xc3\xa9\xf0\x9f\x98\x80");
	ck_assert(th_json_get(j, "n")->number == -12.5);
	ck_assert_int_eq(th_json_get(j, "t")->type, TJ_BOOL);
	ck_assert(th_json_get(j, "t")->number == 1);
	ck_assert(th_json_get(j, "f")->number == 0);
	ck_assert_int_eq(th_json_get(j, "z")->type, TJ_NULL);
	ck_assert_ptr_null(th_json_get(j, "missing"));
	ck_assert_ptr_null(th_json_str(j, "n")); /* not a string */
	const struct th_json *o = th_json_get(j, "o");
	ck_assert_uint_eq(th_json_get(o, "k")->count, 3);
	ck_assert_uint_eq(th_json_get(o, "k")->items[1].count, 2);
	th_json_free(j);
}
END_TEST

START_TEST(test_json_errors)
{
	static const char *const bad[] = { "", "{", "{\"a\" 1}", "[1,]x", "\"abc", "{\"a\":1,}",
					   "[1 2]", "{\"a\":\"\\q\"}", "nul", "{} {}" };
	char err[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		struct th_json *j = th_json_parse(bad[i], err, sizeof err);
		ck_assert_msg(j == NULL, "'%s' parsed", bad[i]);
		ck_assert_msg(err[0] != '\0', "no message for '%s'", bad[i]);
	}
}
END_TEST

/* Every line of the real accept.jsonl parses, when shared/ is there. */
START_TEST(test_json_accept_file)
{
	char *shared = th_shared_dir();
	if (!shared)
		return; /* diff_accept reports the missing shared/ as a skip */
	char *path = th_asprintf("%s/corpus/libpcap-filter-tests/accept.jsonl", shared);
	char *text = th_slurp(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	size_t rows = 0;
	char err[256];
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		struct th_json *j = th_json_parse(line, err, sizeof err);
		ck_assert_msg(j != NULL, "row %zu: %s", rows + 1, err);
		ck_assert_ptr_nonnull(th_json_str(j, "DLT"));
		ck_assert_ptr_nonnull(th_json_get(j, "aliases"));
		th_json_free(j);
		rows++;
	}
	ck_assert_uint_gt(rows, 100);
	free(text);
	free(path);
	free(shared);
}
END_TEST

START_TEST(test_list_reader)
{
	char path[] = "/tmp/bpfcap-test-list-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	const char *text = "# comment\n\n  ip  \n\t# indented comment\n<empty>\r\n"
			   "tcp port 80\t\nlast line without newline";
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	struct th_list l;
	char err[256];
	ck_assert_int_eq(th_list_load(path, &l, err, sizeof err), 4);
	ck_assert_str_eq(l.items[0], "ip");
	ck_assert_int_eq(l.lineno[0], 3);
	ck_assert_str_eq(l.items[1], "");
	ck_assert_int_eq(l.lineno[1], 5);
	ck_assert_str_eq(l.items[2], "tcp port 80");
	ck_assert_str_eq(l.items[3], "last line without newline");
	ck_assert_int_eq(l.lineno[3], 7);
	th_list_free(&l);
	unlink(path);
	ck_assert_int_eq(th_list_load("/nonexistent/list.txt", &l, err, sizeof err), -1);
	ck_assert(strstr(err, "/nonexistent/list.txt") != NULL);
}
END_TEST

START_TEST(test_oneline)
{
	char *s = th_oneline("a\nb\tc\x01", 100);
	ck_assert_str_eq(s, "a\\nb\\tc\\x01");
	free(s);
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	s = th_oneline(big, 10);
	ck_assert_str_eq(s, "xxxxxxxxxx...(299 bytes)");
	free(s);
}
END_TEST

/* Write a savefile with libpcap, read it back with th_pcap_load, and run a
 * program over it with th_run. */
START_TEST(test_pcap_roundtrip_and_run)
{
	char path[] = "/tmp/bpfcap-test-pcap-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	ck_assert_ptr_nonnull(d);
	unsigned char ipv4[60] = { 0 }, arp[42] = { 0 };
	ipv4[12] = 0x08;
	ipv4[14] = 0x45;
	arp[12] = 0x08;
	arp[13] = 0x06;
	struct pcap_pkthdr h = { { 1, 0 }, sizeof ipv4, sizeof ipv4 };
	pcap_dump((u_char *)d, &h, ipv4);
	h.caplen = 14; /* truncated: caplen < wirelen */
	pcap_dump((u_char *)d, &h, ipv4);
	h.caplen = h.len = sizeof arp;
	pcap_dump((u_char *)d, &h, arp);
	pcap_dump_close(d);
	pcap_close(dead);

	struct th_pcap pf;
	char err[512];
	ck_assert_msg(th_pcap_load(path, &pf, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(pf.dlt, DLT_EN10MB);
	ck_assert_uint_eq(pf.count, 3);
	ck_assert_uint_eq(pf.pkts[1].caplen, 14);
	ck_assert_uint_eq(pf.pkts[1].wirelen, 60);

	struct bpf_program bp;
	ck_assert_int_eq(th_libpcap_compile(DLT_EN10MB, "ip and ip[0] = 0x45", 1, 0, 0, &bp, err,
					    sizeof err), 0);
	ck_assert_uint_eq(th_run(bp.bf_insns, &pf.pkts[0]), 262144);
	ck_assert_uint_eq(th_run(bp.bf_insns, &pf.pkts[1]), 0); /* the load is past caplen */
	ck_assert_uint_eq(th_run(bp.bf_insns, &pf.pkts[2]), 0);
	pcap_freecode(&bp);
	ck_assert_int_eq(th_libpcap_compile(DLT_EN10MB, "len >= 60", 1, 0, 100, &bp, err,
					    sizeof err), 0);
	ck_assert_uint_eq(th_run(bp.bf_insns, &pf.pkts[1]), 100); /* wirelen counts; snaplen 100 */
	ck_assert_uint_eq(th_run(bp.bf_insns, &pf.pkts[2]), 0);
	pcap_freecode(&bp);
	ck_assert_int_eq(th_libpcap_compile(DLT_EN10MB, "port 99999", 1, 0, 0, &bp, err,
					    sizeof err), -1);
	ck_assert(strstr(err, "99999") != NULL);
	th_pcap_free(&pf);
	unlink(path);

	ck_assert_int_eq(th_pcap_load("/nonexistent.pcap", &pf, err, sizeof err), -1);
}
END_TEST

START_TEST(test_linktypes)
{
	struct th_linktype lts[4];
	ck_assert_uint_eq(th_linktypes(lts), 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_ge(lts[i].pcap_dlt, 0);
		ck_assert_msg(lts[i].bpfcap_dlt >= 0, "bpfcap does not know %s", lts[i].name);
		ck_assert_msg(bpfcap_linktype_supported(lts[i].bpfcap_dlt), "%s unsupported",
			      lts[i].name);
	}
	struct th_linktype lt;
	ck_assert_int_eq(th_linktype_by_name("linux_sll2", &lt), 0);
	ck_assert_str_eq(lt.stem, "sll2");
	ck_assert_int_eq(th_linktype_by_name("IEEE802_11", &lt), -1);
}
END_TEST

/* th_diff_case on an expression both compilers must reject. */
START_TEST(test_diff_case_both_reject)
{
	struct th_linktype lt;
	ck_assert_int_eq(th_linktype_by_name("EN10MB", &lt), 0);
	struct th_pcap none = { 0 };
	struct th_case c;
	th_diff_case(&lt, &none, "port 99999", 1, 0, 0, &c);
	ck_assert_int_eq(c.outcome, TH_PASS_BOTH_REJECT);
	ck_assert(th_passed(&c));
	ck_assert(c.pcap_msg[0] != '\0');
	ck_assert(c.ours_msg[0] != '\0');
}
END_TEST

int main(void)
{
	Suite *s = suite_create("harness");
	TCase *tc = tcase_create("helpers");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_json_values);
	tcase_add_test(tc, test_json_errors);
	tcase_add_test(tc, test_json_accept_file);
	tcase_add_test(tc, test_list_reader);
	tcase_add_test(tc, test_oneline);
	tcase_add_test(tc, test_pcap_roundtrip_and_run);
	tcase_add_test(tc, test_linktypes);
	tcase_add_test(tc, test_diff_case_both_reject);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
