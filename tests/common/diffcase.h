/* One differential case: an expression compiled by bpfcap and by libpcap,
 * both programs run with libpcap's bpf_filter over every packet of a
 * savefile, verdicts compared. */
#ifndef BPFCAP_TEST_DIFFCASE_H
#define BPFCAP_TEST_DIFFCASE_H

#include "harness.h"

enum th_outcome {
	TH_PASS,              /* both compiled, every verdict identical */
	TH_PASS_BOTH_REJECT,  /* both compilers rejected the expression */
	TH_PASS_LIBPCAP_OPT_BUG, /* libpcap's optimizer says "rejects all packets", but
				  * libpcap's own unoptimized program accepts packets of
				  * the corpus; bpfcap agreed with that program on every packet */
	TH_PASS_KNOWN_DEVIATION, /* listed in tests/diff/deviations.txt, and every differing
				  * packet fits the listed rule (c->deviation says which) */
	TH_PASS_OURS_PROVED_EMPTY, /* bpfcap's optimizer proved the filter matches nothing
				    * ("expression rejects all packets") where libpcap's did
				    * not, and libpcap's program accepted no corpus packet */
	TH_FAIL_OURS_REJECTED,    /* libpcap compiled it, bpfcap did not */
	TH_FAIL_UNSUPPORTED,      /* bpfcap said BPFCAP_E_UNSUPPORTED */
	TH_FAIL_LIBPCAP_REJECTED, /* bpfcap compiled it, libpcap did not */
	TH_FAIL_INVALID,          /* bpfcap's program is empty or fails bpf_validate */
	TH_FAIL_VERDICT,          /* a packet where the verdicts differ */
};

struct th_case {
	enum th_outcome outcome;
	int ours_rc;           /* bpfcap_compile's status */
	size_t verdicts;       /* verdicts compared */
	size_t ours_len, pcap_len; /* instruction counts (when compiled) */
	size_t pkt;            /* first differing packet */
	unsigned ours_v, pcap_v;
	char ours_msg[320], pcap_msg[PCAP_ERRBUF_SIZE + 64];
	const struct th_deviation *deviation; /* TH_PASS_KNOWN_DEVIATION */
	size_t deviating;                     /* packets that differ, all fitting it */
};

/* A known difference from libpcap (tests/diff/deviations.txt). */
struct th_deviation {
	char *expr, *rule, *why;
};

/* The entry for expr, or NULL (the file is read once). */
const struct th_deviation *th_deviation_find(const char *expr);

/* Judges packets whose verdicts differ against a listed deviation.  The
 * expression's libpcap unoptimized program (what the short-packet rule
 * consults) is compiled once, by init, not per packet. */
struct th_deviation_judge {
	const struct th_deviation *d;
	struct bpf_program unopt;
};
/* 1 when expr is listed and the judge is ready; 0 otherwise (nothing to free). */
int th_deviation_judge_init(struct th_deviation_judge *j, const struct th_linktype *lt,
			    const char *expr, uint32_t netmask, uint32_t snaplen);
int th_deviation_judge_fits(const struct th_deviation_judge *j, const struct th_packet *p,
			    unsigned ours, unsigned theirs);
void th_deviation_judge_free(struct th_deviation_judge *j);

static inline int th_passed(const struct th_case *c)
{
	return c->outcome == TH_PASS || c->outcome == TH_PASS_BOTH_REJECT ||
	       c->outcome == TH_PASS_LIBPCAP_OPT_BUG || c->outcome == TH_PASS_OURS_PROVED_EMPTY ||
	       c->outcome == TH_PASS_KNOWN_DEVIATION;
}

void th_diff_case(const struct th_linktype *lt, const struct th_pcap *pf, const char *expr,
		  int optimize, uint32_t netmask, uint32_t snaplen, struct th_case *c);

/* "FAIL <tag>: 'expr': reason" on one line. */
void th_print_case_failure(FILE *f, const char *tag, const char *expr, const struct th_case *c);

/* The bpfcap_status name ("BPFCAP_E_SYNTAX"...). */
const char *th_status_name(int rc);

#endif
