#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (c->ours_rc) {
		c->outcome = c->ours_rc == BPFCAP_E_UNSUPPORTED ? TH_FAIL_UNSUPPORTED
							     : TH_FAIL_OURS_REJECTED;
		c->pcap_len = theirs.bf_len;
		pcap_freecode(&theirs);
		return;
	}
	c->ours_len = ours.len;
	if (!pcap_ok) {
		c->outcome = TH_FAIL_LIBPCAP_REJECTED;
		bpfcap_prog_free(&ours);
		return;
	}
	c->pcap_len = theirs.bf_len;
	if (ours.len == 0 || !ours.insns || !bpf_validate(th_insns(&ours), (int)ours.len)) {
		c->outcome = TH_FAIL_INVALID;
	} else {
		c->outcome = TH_PASS;
		for (size_t i = 0; i < pf->count; i++) {
			unsigned a = th_run(th_insns(&ours), &pf->pkts[i]);
			unsigned b = th_run(theirs.bf_insns, &pf->pkts[i]);
			c->verdicts++;
			if (a != b) {
				c->outcome = TH_FAIL_VERDICT;
				c->pkt = i;
				c->ours_v = a;
				c->pcap_v = b;
				break;
			}
		}
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
