/* diff_accept: libpcap's own filter tests (shared/corpus/libpcap-filter-tests)
 * as differential cases for bpfcap.
 *
 * accept.jsonl: every alias of every block whose DLT is one of bpfcap's
 * (EN10MB, RAW, LINUX_SLL, LINUX_SLL2), without "skip" or "linuxext", is
 * compiled by bpfcap and by the installed libpcap (1.10.3, the oracle),
 * optimized and not, with the block's snaplen and netmask, and both
 * programs run over the project corpus of that link type.  Pass: both
 * compile and agree on every packet, or both reject.  BPFCAP_E_UNSUPPORTED
 * is a failure, counted in its own category.
 *
 * apply.jsonl: bpfcap's program for "expr" run over "savefile" must return
 * "results" (optimized and not).  Where libpcap 1.10.3 itself returns
 * something else (the results come from libpcap 1.11) bpfcap is held to
 * 1.10.3's verdicts, and where 1.10.3 cannot compile the expression bpfcap
 * must reject it too; both are counted.  Rows with "skip", or whose savefile
 * cannot be opened or is not of one of our link types, are skipped (counted).
 *
 * Exit 77 (skipped) when shared/ is not found. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diffcase.h"
#include "harness.h"

static int quiet;

struct acc_totals {
	size_t blocks, exprs, cases, passed, failed, verdicts;
	size_t both_reject, ours_rejected, unsupported, pcap_rejected, invalid, verdict_diff;
	size_t skipped_rows, other_dlt_rows, ours_insns, pcap_insns;
};

static uint32_t parse_netmask(const struct th_json *row)
{
	const char *nm = th_json_str(row, "netmask");
	struct in_addr a;
	if (nm && inet_pton(AF_INET, nm, &a) == 1)
		return ntohl(a.s_addr);
	return 0;
}

static uint32_t parse_snaplen(const struct th_json *row)
{
	const struct th_json *s = th_json_get(row, "snaplen");
	return s && s->type == TJ_NUMBER ? (uint32_t)s->number : 0;
}

static int run_accept(const char *dir, struct acc_totals *t)
{
	char err[512];
	char *path = th_asprintf("%s/accept.jsonl", dir);
	char *text = th_slurp(path, NULL);
	if (!text) {
		printf("ERROR: cannot read %s\n", path);
		free(path);
		return -1;
	}
	struct th_linktype lts[4];
	size_t nlt = th_linktypes(lts);
	struct th_pcap pfs[4] = { { 0 } };
	int loaded[4] = { 0 };
	int rc = 0;
	int lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		struct th_json *row = th_json_parse(line, err, sizeof err);
		if (!row) {
			printf("ERROR: %s:%d: %s\n", path, lineno, err);
			rc = -1;
			break;
		}
		const char *dlt = th_json_str(row, "DLT");
		const struct th_json *aliases = th_json_get(row, "aliases");
		struct th_linktype lt;
		size_t li = 0;
		if (!dlt || th_linktype_by_name(dlt, &lt)) {
			t->other_dlt_rows++;
			goto next_row;
		}
		if (th_json_get(row, "skip") || th_json_get(row, "linuxext")) {
			t->skipped_rows++;
			goto next_row;
		}
		if (!aliases || aliases->type != TJ_ARRAY) {
			printf("ERROR: %s:%d: no aliases\n", path, lineno);
			rc = -1;
			goto next_row;
		}
		for (li = 0; li < nlt; li++)
			if (lts[li].pcap_dlt == lt.pcap_dlt)
				break;
		if (!loaded[li]) {
			char *pp = th_asprintf("%s/%s.pcap", th_corpus_dir(), lt.stem);
			if (th_pcap_load(pp, &pfs[li], err, sizeof err) || pfs[li].count == 0) {
				printf("ERROR: corpus for %s: %s\n", lt.name,
				       pfs[li].count ? err : "missing or empty (run tests/run-all.sh, "
							     "which generates it with gen_corpus)");
				free(pp);
				rc = -1;
				th_json_free(row);
				break;
			}
			free(pp);
			loaded[li] = 1;
		}
		t->blocks++;
		const char *name = th_json_str(row, "name");
		for (size_t a = 0; a < aliases->count; a++) {
			const char *expr = aliases->items[a].string;
			if (aliases->items[a].type != TJ_STRING || !expr)
				continue;
			if (strcmp(expr, "_enumerate_bpf_image") == 0)
				continue; /* a filtertest feature, not an expression */
			t->exprs++;
			for (int opt = 1; opt >= 0; opt--) {
				struct th_case c;
				th_diff_case(&lt, &pfs[li], expr, opt, parse_netmask(row),
					     parse_snaplen(row), &c);
				t->cases++;
				t->verdicts += c.verdicts;
				if (th_passed(&c)) {
					t->passed++;
					if (c.outcome == TH_PASS_BOTH_REJECT)
						t->both_reject++;
				} else {
					t->failed++;
					if (!quiet) {
						char tag[256];
						snprintf(tag, sizeof tag, "accept [%s %s] %s", lt.name,
							 opt ? "opt" : "noopt", name ? name : "?");
						th_print_case_failure(stdout, tag, expr, &c);
					}
				}
				if (c.outcome == TH_PASS || c.outcome == TH_FAIL_VERDICT) {
					t->ours_insns += c.ours_len;
					t->pcap_insns += c.pcap_len;
				}
				switch (c.outcome) {
				case TH_FAIL_OURS_REJECTED: t->ours_rejected++; break;
				case TH_FAIL_UNSUPPORTED: t->unsupported++; break;
				case TH_FAIL_LIBPCAP_REJECTED: t->pcap_rejected++; break;
				case TH_FAIL_INVALID: t->invalid++; break;
				case TH_FAIL_VERDICT: t->verdict_diff++; break;
				case TH_PASS_KNOWN_DEVIATION:
				case TH_PASS_LIBPCAP_OPT_BUG:
				case TH_PASS_OURS_PROVED_EMPTY:
					if (!quiet) {
						char tag[256];
						snprintf(tag, sizeof tag, "accept [%s %s] %s", lt.name,
							 opt ? "opt" : "noopt", name ? name : "?");
						th_print_case_failure(stdout, tag, expr, &c);
					}
					break;
				default: break;
				}
			}
		}
next_row:
		th_json_free(row);
	}
	for (size_t i = 0; i < nlt; i++)
		th_pcap_free(&pfs[i]);
	free(text);
	free(path);
	return rc;
}

struct apply_totals {
	size_t rows, cases, passed, failed, skipped_rows, unopenable, other_dlt;
	size_t oracle_1103, both_reject, unsupported;
	size_t known_deviations; /* packets passed under tests/diff/deviations.txt */
};

static void apply_fail(const char *name, const char *expr, int opt, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void apply_fail(const char *name, const char *expr, int opt, const char *fmt, ...)
{
	if (quiet)
		return;
	char *one = th_oneline(expr, 160);
	printf("FAIL apply [%s] %s: '%s': ", opt ? "opt" : "noopt", name, one ? one : expr);
	free(one);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int run_apply(const char *dir, struct apply_totals *t)
{
	char err[512];
	char *path = th_asprintf("%s/apply.jsonl", dir);
	char *text = th_slurp(path, NULL);
	if (!text) {
		printf("ERROR: cannot read %s\n", path);
		free(path);
		return -1;
	}
	int rc = 0, lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		struct th_json *row = th_json_parse(line, err, sizeof err);
		if (!row) {
			printf("ERROR: %s:%d: %s\n", path, lineno, err);
			rc = -1;
			break;
		}
		const char *expr = th_json_str(row, "expr");
		const char *savefile = th_json_str(row, "savefile");
		const char *name = th_json_str(row, "name");
		const struct th_json *results = th_json_get(row, "results");
		struct th_pcap pf = { 0 };
		struct th_linktype lt = { 0 };
		int found = 0;
		if (!name)
			name = "?";
		if (th_json_get(row, "skip")) {
			t->skipped_rows++;
			goto next_row;
		}
		if (!expr || !savefile || !results || results->type != TJ_ARRAY) {
			printf("ERROR: %s:%d: malformed row\n", path, lineno);
			rc = -1;
			goto next_row;
		}
		char *sf = th_asprintf("%s/%s", dir, savefile);
		int bad = th_pcap_load(sf, &pf, err, sizeof err);
		free(sf);
		if (bad) {
			t->unopenable++;
			goto next_row;
		}
		struct th_linktype lts[4];
		size_t nlt = th_linktypes(lts);
		for (size_t i = 0; i < nlt; i++)
			if (lts[i].pcap_dlt == pf.dlt) {
				lt = lts[i];
				found = 1;
			}
		if (!found) {
			t->other_dlt++;
			goto next_row;
		}
		t->rows++;
		if (results->count != pf.count) {
			printf("ERROR: %s: %zu results for %zu packets in %s\n", name, results->count,
			       pf.count, savefile);
			rc = -1;
			goto next_row;
		}
		for (int opt = 1; opt >= 0; opt--) {
			uint32_t nm = parse_netmask(row);
			struct bpfcap_prog ours = { 0 };
			struct bpfcap_error berr;
			struct bpf_program theirs;
			char perr[PCAP_ERRBUF_SIZE + 64];
			int orc = th_bpfcap_compile(lt.bpfcap_dlt, expr, opt, nm, 0, &ours, &berr);
			int pok = th_libpcap_compile(lt.pcap_dlt, expr, opt, nm, 0, &theirs, perr,
						     sizeof perr) == 0;
			int ok = 1;
			t->cases++;
			if (!pok) {
				t->oracle_1103++;
				if (orc == 0) {
					apply_fail(name, expr, opt,
						   "libpcap 1.10.3 rejects it (%s), bpfcap compiled it",
						   perr);
					ok = 0;
				} else {
					t->both_reject++;
				}
			} else if (orc) {
				ok = 0;
				if (orc == BPFCAP_E_UNSUPPORTED)
					t->unsupported++;
				if (orc == BPFCAP_E_UNSUPPORTED)
					apply_fail(name, expr, opt,
						   "unsupported by bpfcap, falls back to libpcap (%s)",
						   berr.msg);
				else
					apply_fail(name, expr, opt,
						   "bpfcap rejected it (%s: %s); libpcap compiles it",
						   th_status_name(orc), berr.msg);
			} else if (!ours.len || !bpf_validate(th_insns(&ours), (int)ours.len)) {
				ok = 0;
				apply_fail(name, expr, opt,
					   "bpfcap's program (%zu insns) is empty or fails bpf_validate",
					   ours.len);
			} else {
				int lib_differs = 0;
				for (size_t i = 0; i < pf.count; i++) {
					unsigned want = (unsigned)results->items[i].number;
					if (th_run(theirs.bf_insns, &pf.pkts[i]) != want)
						lib_differs = 1;
				}
				if (lib_differs)
					t->oracle_1103++;
				struct th_deviation_judge judge;
				int listed = th_deviation_judge_init(&judge, &lt, expr, 0, 0);
				for (size_t i = 0; i < pf.count && ok; i++) {
					unsigned want = lib_differs
								? th_run(theirs.bf_insns, &pf.pkts[i])
								: (unsigned)results->items[i].number;
					unsigned got = th_run(th_insns(&ours), &pf.pkts[i]);
					if (got != want && listed &&
					    th_deviation_judge_fits(&judge, &pf.pkts[i], got, want)) {
						t->known_deviations++;
						continue;
					}
					if (got != want) {
						ok = 0;
						apply_fail(name, expr, opt,
							   "packet #%zu: bpfcap returns %u, %s %u", i,
							   got,
							   lib_differs ? "libpcap 1.10.3 returns"
								       : "upstream result is",
							   want);
					}
				}
				if (listed)
					th_deviation_judge_free(&judge);
			}
			if (pok)
				pcap_freecode(&theirs);
			bpfcap_prog_free(&ours);
			if (ok)
				t->passed++;
			else
				t->failed++;
		}
next_row:
		th_pcap_free(&pf);
		th_json_free(row);
	}
	free(text);
	free(path);
	return rc;
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "q")) != -1) {
		if (c == 'q')
			quiet = 1;
		else {
			fprintf(stderr, "usage: diff_accept [-q]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	char *shared = th_shared_dir();
	if (!shared) {
		printf("SKIP: ../shared not found (set BPFCAP_SHARED)\n");
		return 77;
	}
	char *dir = th_asprintf("%s/corpus/libpcap-filter-tests", shared);
	free(shared);
	struct acc_totals a = { 0 };
	struct apply_totals p = { 0 };
	double t0 = th_now();
	int err = run_accept(dir, &a) | run_apply(dir, &p);
	free(dir);

	printf("\naccept.jsonl: %zu blocks, %zu expressions, %zu cases (optimized and not), "
	       "%zu verdicts compared; %zu rows skipped (skip/linuxext), %zu rows of other link types\n",
	       a.blocks, a.exprs, a.cases, a.verdicts, a.skipped_rows, a.other_dlt_rows);
	printf("  %zu passed (%zu of them rejected by both), %zu failed: %zu bpfcap rejected, "
	       "%zu unsupported (falls back to libpcap), %zu libpcap rejected, %zu invalid programs, "
	       "%zu verdict differences; insns bpfcap %zu vs libpcap %zu\n",
	       a.passed, a.both_reject, a.failed, a.ours_rejected, a.unsupported, a.pcap_rejected,
	       a.invalid, a.verdict_diff, a.ours_insns, a.pcap_insns);
	printf("apply.jsonl: %zu rows run, %zu cases; skipped: %zu marked skip, %zu savefile not "
	       "readable, %zu savefile of another link type\n",
	       p.rows, p.cases, p.skipped_rows, p.unopenable, p.other_dlt);
	printf("  %zu passed, %zu failed (%zu unsupported); %zu cases judged by libpcap 1.10.3 "
	       "instead of the upstream results (%zu rejected by both); %zu packets differ as "
	       "known deviations\n",
	       p.passed, p.failed, p.unsupported, p.oracle_1103, p.both_reject, p.known_deviations);
	printf("%.1f s\n", th_now() - t0);
	size_t passed = a.passed + p.passed, failed = a.failed + p.failed + (err ? 1 : 0);
	if (err)
		printf("ERROR: a setup error above counts as one failure\n");
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed || passed == 0 ? 1 : 0;
}
