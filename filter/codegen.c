/* The AST walker: one predicate per node, combined left to right.  The
 * order matters beyond and/or: "vlan", "mpls" and "pppoes" move the
 * offsets for everything compiled after them, so the walk visits the
 * left operand first, as libpcap's parser generates code. */
#include <stdlib.h>
#include "cg.h"
#include "codegen.h"
#include "error.h"
#include "protocols.h"

static struct cg_pred gen_node(struct cg *cg, const struct ast_node *n);

static struct cg_pred gen_broadcast(struct cg *cg, const struct ast_node *n)
{
	switch (n->q.proto) {
	case AP_DEFAULT:
	case AP_LINK: return gen_link_broadcast(cg);
	case AP_IP: return gen_ip_broadcast(cg, n->col, n->len);
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
				"only link-layer/IP broadcast filters supported");
	}
}

static struct cg_pred gen_multicast(struct cg *cg, const struct ast_node *n)
{
	switch (n->q.proto) {
	case AP_DEFAULT:
	case AP_LINK: return gen_link_multicast(cg);
	case AP_IP:
	case AP_IP6: return gen_ip_multicast(cg, n->q.proto);
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
				"only IP multicast filters supported on ethernet");
	}
}

/* A chain "a or b or c ..." parses into a tree leaning left, as deep as the
 * list is long: folded with a loop, not recursion (an 80,000-term host
 * list overflowed the stack).  The code is what the recursion made: the
 * leftmost term first, then each right operand combined in order. */
static struct cg_pred gen_chain(struct cg *cg, const struct ast_node *n)
{
	size_t depth = 0;
	const struct ast_node *m = n;
	for (; m->kind == n->kind; m = m->left)
		depth++;
	const struct ast_node **rights = malloc(depth * sizeof *rights);
	if (!rights)
		return cg_error(cg, BPFCAP_E_NOMEM, n->col, n->len, "out of memory");
	m = n;
	for (size_t i = depth; i-- > 0; m = m->left)
		rights[i] = m->right;
	struct cg_pred acc = gen_node(cg, m);
	for (size_t i = 0; i < depth; i++) {
		struct cg_pred r = gen_node(cg, rights[i]);
		acc = n->kind == AK_AND ? cg_and(cg, acc, r) : cg_or(cg, acc, r);
	}
	free(rights);
	return acc;
}

static struct cg_pred gen_node(struct cg *cg, const struct ast_node *n)
{
	if (cg->failed)
		return (struct cg_pred){ 0 };
	if (n->kind != AK_AND && n->kind != AK_OR && n->kind != AK_NOT) {
		cg->node_col = n->col;
		cg->node_len = n->len;
	}
	switch (n->kind) {
	case AK_TRUE: return cg_true(cg);
	case AK_AND:
	case AK_OR: return gen_chain(cg, n);
	case AK_NOT: return cg_not(gen_node(cg, n->left));
	case AK_QUALIFIED: return gen_qualified(cg, n);
	case AK_PROTO: return gen_proto_abbrev(cg, n->q.proto, n->col, n->len);
	case AK_BROADCAST: return gen_broadcast(cg, n);
	case AK_MULTICAST: return gen_multicast(cg, n);
	/* "less N" is "len <= N", "greater N" is "len >= N" (pcap-filter(7)). */
	case AK_LESS: return gen_len_cmp(cg, CBPF_JGT, n->num, 1);
	case AK_GREATER: return gen_len_cmp(cg, CBPF_JGE, n->num, 0);
	case AK_INBOUND: return gen_inbound(cg, 0);
	case AK_OUTBOUND: return gen_inbound(cg, 1);
	case AK_IFINDEX: return gen_ifindex(cg, n->num);
	case AK_VLAN: return gen_vlan(cg, n->has_num, n->num, n->col, n->len);
	case AK_MPLS: return gen_mpls(cg, n->has_num, n->num, n->col, n->len);
	case AK_PPPOED: return gen_pppoed(cg);
	case AK_PPPOES: return gen_pppoes(cg, n->has_num, n->num, n->col, n->len);
	case AK_LLC: return gen_llc(cg, (int)n->num);
	case AK_RELATION: return gen_relation(cg, n);
	case AK_GENEVE: return gen_geneve(cg, n->has_num, n->num, n->col, n->len);
	case AK_VXLAN:
		/* libpcap 1.11's; the reference, 1.10, does not know it. */
		return cg_error(cg, BPFCAP_E_UNSUPPORTED, n->col, n->len,
				"'vxlan' is not compiled by bpfcap");
	}
	return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "unknown primitive");
}

int filter_codegen(const struct ast_node *root, const struct bpfcap_compile_opts *opts,
		   struct wprog *out, struct bpfcap_error *err)
{
	/* The empty expression accepts everything: one "ret #snaplen". */
	if (root->kind == AK_TRUE)
		return wprog_push(out, (struct winsn){ CBPF_RET | CBPF_K, opts->snaplen, 0, 0 });
	struct cg cg;
	cg_init(&cg, opts, err);
	struct cg_pred p = gen_node(&cg, root);
	int rc = cg_finish(&cg, p, out);
	cg_release(&cg);
	return rc;
}
