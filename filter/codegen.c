/* Placeholder code generator: the empty expression only. */
#include "codegen.h"
#include "error.h"

int filter_codegen(const struct ast_node *root, const struct bpfcap_compile_opts *opts,
		   struct wprog *out, struct bpfcap_error *err)
{
	if (root->kind != AK_TRUE)
		return bpfcap_fail(err, BPFCAP_E_UNSUPPORTED, root->col, root->len,
				   "not yet compiled by bpfcap");
	return wprog_push(out, (struct winsn){ CBPF_RET | CBPF_K, opts->snaplen, 0, 0 });
}
