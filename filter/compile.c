/* bpfcap_compile: parse, generate, optimize, assemble. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "bpfcap.h"
#include "codegen.h"
#include "error.h"
#include "protocols.h"
#include "wprog.h"

#define DEFAULT_SNAPLEN 262144u /* tcpdump's MAXIMUM_SNAPLEN */

int bpfcap_compile(const char *expr, const struct bpfcap_compile_opts *opts,
		   struct bpfcap_prog *out, struct bpfcap_error *err)
{
	struct bpfcap_compile_opts o = { LINKTYPE_EN10MB, DEFAULT_SNAPLEN,
					 BPFCAP_MODE_OFFLINE, 1, 0, 0 };
	if (opts)
		o = *opts;
	if (o.snaplen == 0)
		o.snaplen = DEFAULT_SNAPLEN;
	if (err) {
		memset(err, 0, sizeof *err);
		err->column = -1;
	}
	memset(out, 0, sizeof *out);
	if (!bpfcap_linktype_supported(o.linktype))
		return bpfcap_fail(err, BPFCAP_E_UNSUPPORTED, -1, 0,
				   "link type %d is not compiled by bpfcap", o.linktype);

	struct ast_arena arena = { 0 };
	struct ast_node *root = NULL;
	struct wprog w = { 0 };
	int rc = filter_parse(expr, &arena, &root, err);
	if (rc == 0)
		rc = filter_codegen(root, &o, &w, err);
	if (rc == 0 && o.optimize)
		rc = filter_optimize(&w, err);
	/* As libpcap's optimizer does, refuse a filter that can only say no:
	 * it is almost certainly a mistake ("tcp and udp"). */
	if (rc == 0 && o.optimize && w.len == 1 && w.insns[0].code == (CBPF_RET | CBPF_K) &&
	    w.insns[0].k == 0)
		rc = bpfcap_fail(err, BPFCAP_E_SEMANTIC, -1, 0, "expression rejects all packets");
	if (rc == 0)
		rc = filter_assemble(&w, out, err);
	wprog_free(&w);
	ast_arena_free(&arena);
	return rc;
}

void bpfcap_prog_free(struct bpfcap_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}
