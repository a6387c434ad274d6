/* AST to wide cBPF: the code generator's entry point. */
#ifndef BPFCAP_FILTER_CODEGEN_H
#define BPFCAP_FILTER_CODEGEN_H

#include "ast.h"
#include "bpfcap.h"
#include "wprog.h"

/* Generates an unoptimized program for root under opts (never NULL here).
 * Returns 0, or a BPFCAP_E_* code with err set (BPFCAP_E_UNSUPPORTED for
 * valid pcap-filter that bpfcap does not compile for this link type). */
int filter_codegen(const struct ast_node *root, const struct bpfcap_compile_opts *opts,
		   struct wprog *out, struct bpfcap_error *err);

#endif
