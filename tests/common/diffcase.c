#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbpf_ref.h"
#include "diffcase.h"

const char *th_status_name(int rc)
{
	switch (rc) {
	case BPFCAP_OK: return "BPFCAP_OK";
	case BPFCAP_E_SYNTAX: return "BPFCAP_E_SYNTAX";
	case BPFCAP_E_SEMANTIC: return "BPFCAP_E_SEMANTIC";
	case BPFCAP_E_UNSUPPORTED: return "BPFCAP_E_UNSUPPORTED";
	case BPFCAP_E_NOMEM: return "BPFCAP_E_NOMEM";
	case BPFCAP_E_INVALID: return "BPFCAP_E_INVALID";
	case BPFCAP_E_TOOBIG: return "BPFCAP_E_TOOBIG";
	default: return "unknown status";
	}
}

/* ---- known deviations ---------------------------------------------------- */

static struct th_deviation *deviations;
static size_t ndeviations = (size_t)-1;

static void deviations_load(void)
{
	ndeviations = 0;
	char *tests = th_tests_dir();
	char *path = th_asprintf("%s/diff/deviations.txt", tests);
	char *text = th_slurp(path, NULL);
	free(path);
	free(tests);
	if (!text)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *rule = strchr(line, '\t');
		char *why = rule ? strchr(rule + 1, '\t') : NULL;
		if (!why)
			continue;
		*rule++ = '\0';
		*why++ = '\0';
		struct th_deviation *n = realloc(deviations, (ndeviations + 1) * sizeof *n);
		if (!n)
			break;
		deviations = n;
		deviations[ndeviations++] = (struct th_deviation){ strdup(line), strdup(rule),
								   strdup(why) };
	}
	free(text);
}

const struct th_deviation *th_deviation_find(const char *expr)
{
	if (ndeviations == (size_t)-1)
		deviations_load();
	for (size_t i = 0; i < ndeviations; i++)
		if (strcmp(deviations[i].expr, expr) == 0)
			return &deviations[i];
	return NULL;
}

int th_deviation_judge_init(struct th_deviation_judge *j, const struct th_linktype *lt,
			    const char *expr, uint32_t netmask, uint32_t snaplen)
{
	char msg[PCAP_ERRBUF_SIZE];
	j->d = th_deviation_find(expr);
	return j->d && th_libpcap_compile(lt->pcap_dlt, expr, 0, netmask, snaplen, &j->unopt, msg,
					  sizeof msg) == 0;
}

int th_deviation_judge_fits(const struct th_deviation_judge *j, const struct th_packet *p,
			    unsigned ours, unsigned theirs)
{
	if (strcmp(j->d->rule, "short-packet") == 0) {
		int failed = 0;
		ref_run_checked(j->unopt.bf_insns, p->data, p->caplen, p->wirelen, &failed);
		return failed;
	}
	if (strcmp(j->d->rule, "protochain-depth") == 0)
		return ours == 0 && theirs != 0;
	return 0;
}

void th_deviation_judge_free(struct th_deviation_judge *j)
{
	pcap_freecode(&j->unopt);
}

/* A verdict difference on an expression listed as a known deviation:
 * passes when every differing packet fits the listed rule. */
static int deviation_holds(const struct th_linktype *lt, const struct th_pcap *pf,
			   const char *expr, uint32_t netmask, uint32_t snaplen,
			   const struct bpfcap_prog *ours, const struct bpf_program *theirs,
			   struct th_case *c)
{
	struct th_deviation_judge j;
	if (!th_deviation_judge_init(&j, lt, expr, netmask, snaplen))
		return 0;
	int holds = 1;
	c->deviating = 0;
	for (size_t i = 0; i < pf->count && holds; i++) {
		unsigned a = th_run(th_insns(ours), &pf->pkts[i]);
		unsigned b = th_run(theirs->bf_insns, &pf->pkts[i]);
		if (a == b)
			continue;
		c->deviating++;
		holds = th_deviation_judge_fits(&j, &pf->pkts[i], a, b);
	}
	if (holds)
		c->deviation = j.d;
	th_deviation_judge_free(&j);
	return holds;
}

/* Compare ours with a libpcap program on every packet; 1 if all agree. */
static int same_verdicts(const struct bpfcap_prog *ours, const struct bpf_program *theirs,
			 const struct th_pcap *pf, struct th_case *c)
{
	for (size_t i = 0; i < pf->count; i++) {
		unsigned a = th_run(th_insns(ours), &pf->pkts[i]);
		unsigned b = th_run(theirs->bf_insns, &pf->pkts[i]);
		c->verdicts++;
		if (a != b) {
			c->pkt = i;
			c->ours_v = a;
			c->pcap_v = b;
			return 0;
		}
	}
	return 1;
}

/* libpcap 1.10.3's optimizer sometimes claims a filter rejects every
 * packet when it does not ("link[0:1] & 0xFFFFFFFF == 0").  The claim is
 * checked against libpcap's own unoptimized program: if that program
 * accepts a corpus packet, the claim is wrong, and bpfcap is judged
 * against the unoptimized program instead. */
static int libpcap_claim_is_wrong(const struct th_linktype *lt, const struct th_pcap *pf,
				  const char *expr, uint32_t netmask, uint32_t snaplen,
				  const struct bpfcap_prog *ours, struct th_case *c)
{
	if (!strstr(c->pcap_msg, "rejects all packets"))
		return 0;
	struct bpf_program unopt;
	char msg[PCAP_ERRBUF_SIZE];
	if (th_libpcap_compile(lt->pcap_dlt, expr, 0, netmask, snaplen, &unopt, msg, sizeof msg))
		return 0;
	int accepts = 0;
	for (size_t i = 0; i < pf->count && !accepts; i++)
		accepts = th_run(unopt.bf_insns, &pf->pkts[i]) != 0;
	int agree = accepts && same_verdicts(ours, &unopt, pf, c);
	pcap_freecode(&unopt);
	return agree;
}

void th_diff_case(const struct th_linktype *lt, const struct th_pcap *pf, const char *expr,
		  int optimize, uint32_t netmask, uint32_t snaplen, struct th_case *c)
{
	memset(c, 0, sizeof *c);
	struct bpfcap_prog ours = { 0 };
	struct bpfcap_error err;
	struct bpf_program theirs;
	c->ours_rc = th_bpfcap_compile(lt->bpfcap_dlt, expr, optimize, netmask, snaplen, &ours,
				       &err);
	if (c->ours_rc)
		snprintf(c->ours_msg, sizeof c->ours_msg, "%s: %s", th_status_name(c->ours_rc),
			 err.msg);
	int pcap_ok = th_libpcap_compile(lt->pcap_dlt, expr, optimize, netmask, snaplen, &theirs,
					 c->pcap_msg, sizeof c->pcap_msg) == 0;

	if (c->ours_rc && !pcap_ok) {
		c->outcome = TH_PASS_BOTH_REJECT;
		return;
	}
	if (c->ours_rc && strstr(err.msg, "rejects all packets")) {
		/* Our optimizer may prove more than libpcap's: then libpcap's
		 * program must not accept a single packet either. */
		int accepts = 0;
		for (size_t i = 0; i < pf->count && !accepts; i++)
			accepts = th_run(theirs.bf_insns, &pf->pkts[i]) != 0;
		if (!accepts) {
			c->outcome = TH_PASS_OURS_PROVED_EMPTY;
			c->pcap_len = theirs.bf_len;
			pcap_freecode(&theirs);
			return;
		}
	}
	if (c->ours_rc) {
		c->outcome = c->ours_rc == BPFCAP_E_UNSUPPORTED ? TH_FAIL_UNSUPPORTED
							     : TH_FAIL_OURS_REJECTED;
		c->pcap_len = theirs.bf_len;
		pcap_freecode(&theirs);
		return;
	}
	c->ours_len = ours.len;
	if (!pcap_ok && optimize && libpcap_claim_is_wrong(lt, pf, expr, netmask, snaplen, &ours, c)) {
		c->outcome = TH_PASS_LIBPCAP_OPT_BUG;
		bpfcap_prog_free(&ours);
		return;
	}
	if (!pcap_ok) {
		c->outcome = TH_FAIL_LIBPCAP_REJECTED;
		bpfcap_prog_free(&ours);
		return;
	}
	c->pcap_len = theirs.bf_len;
	if (ours.len == 0 || !ours.insns || !bpf_validate(th_insns(&ours), (int)ours.len)) {
		c->outcome = TH_FAIL_INVALID;
	} else {
		c->outcome = same_verdicts(&ours, &theirs, pf, c) ? TH_PASS : TH_FAIL_VERDICT;
		if (c->outcome == TH_FAIL_VERDICT &&
		    deviation_holds(lt, pf, expr, netmask, snaplen, &ours, &theirs, c))
			c->outcome = TH_PASS_KNOWN_DEVIATION;
	}
	pcap_freecode(&theirs);
	bpfcap_prog_free(&ours);
}

void th_print_case_failure(FILE *f, const char *tag, const char *expr, const struct th_case *c)
{
	char *line = th_oneline(expr, 160);
	fprintf(f, "FAIL %s: '%s': ", tag, line ? line : expr);
	free(line);
	switch (c->outcome) {
	case TH_PASS:
	case TH_PASS_BOTH_REJECT: fprintf(f, "passed\n"); break;
	case TH_PASS_KNOWN_DEVIATION:
		fprintf(f, "passed as a known deviation (%s, %zu packets: %s)\n", c->deviation->rule,
			c->deviating, c->deviation->why);
		break;
	case TH_PASS_OURS_PROVED_EMPTY:
		fprintf(f, "passed (bpfcap: %s; libpcap's program accepts no corpus packet)\n",
			c->ours_msg);
		break;
	case TH_PASS_LIBPCAP_OPT_BUG:
		fprintf(f, "passed (libpcap's optimizer wrongly says '%s'; judged against its "
			   "unoptimized program)\n", c->pcap_msg);
		break;
	case TH_FAIL_OURS_REJECTED:
		fprintf(f, "bpfcap rejected it (%s); libpcap compiles it\n", c->ours_msg);
		break;
	case TH_FAIL_UNSUPPORTED:
		fprintf(f, "unsupported by bpfcap, falls back to libpcap (%s)\n", c->ours_msg);
		break;
	case TH_FAIL_LIBPCAP_REJECTED:
		fprintf(f, "libpcap rejects it (%s); bpfcap compiled it (%zu insns)\n", c->pcap_msg,
			c->ours_len);
		break;
	case TH_FAIL_INVALID:
		fprintf(f, "bpfcap's program (%zu insns) is empty or fails bpf_validate\n",
			c->ours_len);
		break;
	case TH_FAIL_VERDICT:
		fprintf(f, "packet #%zu: bpfcap returns %u, libpcap returns %u\n", c->pkt, c->ours_v,
			c->pcap_v);
		break;
	}
}
