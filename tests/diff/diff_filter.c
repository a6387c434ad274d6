/* diff_filter: bpfcap's compiler against libpcap's on the project's corpus.
 *
 * For each link type (EN10MB, RAW, LINUX_SLL, LINUX_SLL2) every expression
 * of tests/diff/exprs/<LINKTYPE>.txt is compiled by bpfcap and by libpcap
 * 1.10.3 (pcap_open_dead + pcap_compile, netmask unknown), optimized and
 * not, and both programs run with libpcap's bpf_filter over every packet of
 * $BPFCAP_CORPUS/<stem>.pcap.  A case passes when both compile and every
 * verdict is the same.  <LINKTYPE>-reject.txt lists expressions libpcap
 * rejects: a case there passes when both reject.
 *
 * Usage: diff_filter [-q] [-l LINKTYPE]... [-e EXPR]
 *   -l   only these link types;  -e   one expression instead of the lists;
 *   -q   no per-failure lines (totals only).
 * Exit 0 when every case passed, 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diffcase.h"
#include "harness.h"

struct totals {
	size_t exprs, cases, passed, failed, verdicts, packets;
	size_t ours_insns, pcap_insns, both_compiled;
	size_t ours_rejected, unsupported, pcap_rejected, invalid, verdict_diff;
	size_t setup_errors;
	size_t known_deviations, libpcap_bugs, proved_empty;
};

static int quiet;

static void account(struct totals *t, const struct th_case *c)
{
	t->cases++;
	t->verdicts += c->verdicts;
	if (th_passed(c))
		t->passed++;
	else
		t->failed++;
	if (c->outcome == TH_PASS || c->outcome == TH_FAIL_VERDICT) {
		t->ours_insns += c->ours_len;
		t->pcap_insns += c->pcap_len;
		t->both_compiled++;
	}
	switch (c->outcome) {
	case TH_FAIL_OURS_REJECTED: t->ours_rejected++; break;
	case TH_FAIL_UNSUPPORTED: t->unsupported++; break;
	case TH_FAIL_LIBPCAP_REJECTED: t->pcap_rejected++; break;
	case TH_FAIL_INVALID: t->invalid++; break;
	case TH_FAIL_VERDICT: t->verdict_diff++; break;
	case TH_PASS_KNOWN_DEVIATION: t->known_deviations++; break;
	case TH_PASS_LIBPCAP_OPT_BUG: t->libpcap_bugs++; break;
	case TH_PASS_OURS_PROVED_EMPTY: t->proved_empty++; break;
	default: break;
	}
}

/* The expressions of one list; must_reject: the -reject.txt list. */
static void run_list(const struct th_linktype *lt, const struct th_pcap *pf,
		     const char *path, const struct th_list *l, int must_reject,
		     struct totals *t)
{
	for (int opt = 1; opt >= 0; opt--) {
		for (size_t i = 0; i < l->count; i++) {
			const char *expr = l->items[i];
			struct th_case c;
			th_diff_case(lt, pf, expr, opt, 0, 0, &c);
			char tag[512];
			snprintf(tag, sizeof tag, "[%s %s] %s:%d", lt->name,
				 opt ? "opt" : "noopt", path, l->lineno[i]);
			/* The reject list promises that libpcap rejects the
			 * expression when optimizing; unoptimized it may
			 * compile (the optimizer is what notices a program
			 * that rejects everything), and then the case is an
			 * ordinary comparison. */
			int libpcap_accepted = c.outcome == TH_PASS ||
					       c.outcome == TH_FAIL_VERDICT ||
					       c.outcome == TH_FAIL_INVALID ||
					       c.outcome == TH_FAIL_OURS_REJECTED ||
					       c.outcome == TH_FAIL_UNSUPPORTED;
			if (must_reject && (opt || !libpcap_accepted) &&
			    c.outcome != TH_PASS_BOTH_REJECT) {
				/* The list promises libpcap rejects it. */
				const char *why =
					c.outcome == TH_FAIL_LIBPCAP_REJECTED
						? "bpfcap compiled an expression libpcap rejects"
					: c.ours_rc == 0
						? "libpcap 1.10.3 accepts it: it does not belong in the reject list"
						: "libpcap 1.10.3 accepts it (bpfcap rejects it): it does not belong in the reject list";
				if (!quiet) {
					char *one = th_oneline(expr, 160);
					printf("FAIL %s: '%s': %s%s%s\n", tag, one ? one : expr, why,
					       c.pcap_msg[0] ? "; libpcap: " : "", c.pcap_msg);
					free(one);
				}
				if (th_passed(&c))
					c.outcome = TH_FAIL_LIBPCAP_REJECTED;
				account(t, &c);
				continue;
			}
			if (!must_reject && opt && c.outcome == TH_PASS_BOTH_REJECT) {
				/* The main list promises libpcap compiles it. */
				if (!quiet) {
					char *one = th_oneline(expr, 160);
					printf("FAIL %s: '%s': libpcap 1.10.3 rejects it (%s): it belongs "
					       "in the reject list\n",
					       tag, one ? one : expr, c.pcap_msg);
					free(one);
				}
				c.outcome = TH_FAIL_LIBPCAP_REJECTED;
				account(t, &c);
				continue;
			}
			if (!th_passed(&c) && !quiet)
				th_print_case_failure(stdout, tag, expr, &c);
			account(t, &c);
		}
	}
	t->exprs += l->count;
}

static int run_linktype(const struct th_linktype *lt, const char *single, struct totals *t)
{
	char err[512];
	char *tests = th_tests_dir();
	char *list_path = th_asprintf("%s/diff/exprs/%s.txt", tests, lt->name);
	char *reject_path = th_asprintf("%s/diff/exprs/%s-reject.txt", tests, lt->name);
	char *pcap_path = th_asprintf("%s/%s.pcap", th_corpus_dir(), lt->stem);
	struct th_pcap pf = { 0 };
	struct th_list list = { 0 }, rejects = { 0 };
	int rc = 0;
	struct totals mine = { 0 };

	if (lt->pcap_dlt < 0 || lt->bpfcap_dlt < 0) {
		printf("ERROR [%s]: unknown link type (libpcap %d, bpfcap %d)\n", lt->name,
		       lt->pcap_dlt, lt->bpfcap_dlt);
		rc = -1;
		goto out;
	}
	if (th_pcap_load(pcap_path, &pf, err, sizeof err)) {
		printf("ERROR [%s]: cannot read the corpus: %s\n"
		       "  (the corpus is written by build/tests/gen_corpus DIR; set BPFCAP_CORPUS "
		       "or run tests/run-all.sh, which generates it)\n",
		       lt->name, err);
		rc = -1;
		goto out;
	}
	if (pf.dlt != lt->pcap_dlt) {
		printf("ERROR [%s]: %s has link type %d (%s), expected %d\n", lt->name, pcap_path,
		       pf.dlt, pcap_datalink_val_to_name(pf.dlt) ? pcap_datalink_val_to_name(pf.dlt)
								 : "?",
		       lt->pcap_dlt);
		rc = -1;
		goto out;
	}
	if (pf.count == 0) {
		printf("ERROR [%s]: %s has no packets: nothing to compare verdicts on\n", lt->name,
		       pcap_path);
		rc = -1;
		goto out;
	}
	if (single) {
		list.count = 1;
		list.items = calloc(1, sizeof *list.items);
		list.lineno = calloc(1, sizeof *list.lineno);
		if (!list.items || !list.lineno) {
			rc = -1;
			goto out;
		}
		list.items[0] = strdup(single);
		run_list(lt, &pf, "-e", &list, 0, &mine);
	} else {
		if (th_list_load(list_path, &list, err, sizeof err) < 0 ||
		    th_list_load(reject_path, &rejects, err, sizeof err) < 0) {
			printf("ERROR [%s]: cannot read an expression list: %s\n", lt->name, err);
			rc = -1;
			goto out;
		}
		if (list.count == 0) {
			printf("ERROR [%s]: %s lists no expression\n", lt->name, list_path);
			rc = -1;
			goto out;
		}
		run_list(lt, &pf, list_path, &list, 0, &mine);
		run_list(lt, &pf, reject_path, &rejects, 1, &mine);
	}
	mine.packets = pf.count;
	printf("%-10s %4zu expressions, %4zu packets: %5zu cases, %5zu passed, %5zu failed, "
	       "%8zu verdicts; insns bpfcap %zu vs libpcap %zu over %zu cases compiled by both\n",
	       lt->name, mine.exprs, pf.count, mine.cases, mine.passed, mine.failed, mine.verdicts,
	       mine.ours_insns, mine.pcap_insns, mine.both_compiled);

	t->exprs += mine.exprs;
	t->cases += mine.cases;
	t->passed += mine.passed;
	t->failed += mine.failed;
	t->verdicts += mine.verdicts;
	t->packets += pf.count;
	t->ours_insns += mine.ours_insns;
	t->pcap_insns += mine.pcap_insns;
	t->both_compiled += mine.both_compiled;
	t->ours_rejected += mine.ours_rejected;
	t->unsupported += mine.unsupported;
	t->pcap_rejected += mine.pcap_rejected;
	t->invalid += mine.invalid;
	t->verdict_diff += mine.verdict_diff;
	t->known_deviations += mine.known_deviations;
	t->libpcap_bugs += mine.libpcap_bugs;
	t->proved_empty += mine.proved_empty;
out:
	if (rc)
		t->setup_errors++;
	th_list_free(&list);
	th_list_free(&rejects);
	th_pcap_free(&pf);
	free(tests);
	free(list_path);
	free(reject_path);
	free(pcap_path);
	return rc;
}

int main(int argc, char **argv)
{
	const char *only[8];
	size_t n_only = 0;
	const char *single = NULL;
	int c;
	while ((c = getopt(argc, argv, "ql:e:")) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'l':
			if (n_only < 8)
				only[n_only++] = optarg;
			break;
		case 'e': single = optarg; break;
		default:
			fprintf(stderr, "usage: diff_filter [-q] [-l LINKTYPE]... [-e EXPR]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct th_linktype lts[4];
	size_t n = th_linktypes(lts);
	struct totals t = { 0 };
	double t0 = th_now();
	for (size_t i = 0; i < n; i++) {
		int wanted = n_only == 0;
		for (size_t j = 0; j < n_only; j++)
			wanted |= strcasecmp(only[j], lts[i].name) == 0;
		if (wanted)
			run_linktype(&lts[i], single, &t);
	}
	printf("\ntotals: %zu expressions (x2: optimized and not), %zu packets, %zu cases, "
	       "%zu verdicts compared, %.1f s\n",
	       t.exprs, t.packets, t.cases, t.verdicts, th_now() - t0);
	printf("instructions over the %zu cases both compiled: bpfcap %zu, libpcap %zu", t.both_compiled,
	       t.ours_insns, t.pcap_insns);
	if (t.pcap_insns)
		printf(" (ratio %.3f)", (double)t.ours_insns / (double)t.pcap_insns);
	printf("\nfailures: %zu bpfcap rejected, %zu unsupported (falls back to libpcap), "
	       "%zu libpcap rejected, %zu invalid programs, %zu verdict differences, "
	       "%zu link types not run (setup errors)\n",
	       t.ours_rejected, t.unsupported, t.pcap_rejected, t.invalid, t.verdict_diff,
	       t.setup_errors);
	printf("passes with a note: %zu known deviations (tests/diff/deviations.txt), %zu where "
	       "libpcap's optimizer wrongly rejects all packets, %zu that bpfcap proves empty\n",
	       t.known_deviations, t.libpcap_bugs, t.proved_empty);
	/* A link type that could not run counts as one failed case: it must
	 * never look like a pass. */
	size_t failed = t.failed + t.setup_errors;
	printf("%zu passed, %zu failed\n", t.passed, failed);
	return failed || t.cases == 0 ? 1 : 0;
}
