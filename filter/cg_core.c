/* Code generator core: blocks, predicates and their combinators, packet
 * loads relative to the moving bases, and emission to a wide program. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "error.h"
#include "protocols.h"

/* Exits are small and numerous: they come from a chunked arena. */
#define CG_MEM_CHUNK 4096

struct cg_mem {
	struct cg_mem *next;
	size_t used;
	max_align_t data[CG_MEM_CHUNK / sizeof(max_align_t)];
};

static void *cg_mem_alloc(struct cg *cg, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!cg->mem || cg->mem->used + size > sizeof cg->mem->data) {
		struct cg_mem *m = calloc(1, sizeof *m);
		if (!m)
			return NULL;
		m->next = cg->mem;
		cg->mem = m;
	}
	void *p = (char *)cg->mem->data + cg->mem->used;
	cg->mem->used += size;
	return p;
}

void cg_init(struct cg *cg, const struct bpfcap_compile_opts *opts, struct bpfcap_error *err)
{
	memset(cg, 0, sizeof *cg);
	cg->linktype = opts->linktype;
	cg->snaplen = opts->snaplen;
	cg->mode = opts->mode;
	cg->netmask_known = opts->netmask_known;
	cg->netmask = opts->netmask;
	cg->err = err;
	cg->off_linkhdr = (struct cg_off){ 0, -1 };
	cg->off_linktype = (struct cg_off){ CG_NO_OFFSET, -1 };
	cg->off_linkpl = (struct cg_off){ 0, -1 };
	cg->off_nl_nosnap = 3; /* 802.2 LLC header: DSAP, SSAP, control */
	cg->vlan_reg_pl = cg->vlan_reg_lt = -1;
	cg->node_col = -1;
	switch (opts->linktype) {
	case LINKTYPE_EN10MB:
		cg->off_linktype.k = ETHER_TYPE_OFF;
		cg->off_linkpl.k = ETHER_HDR_LEN;
		break;
	/* The cooked headers carry the LLC header's presence in the protocol
	 * field; libpcap then reads 802.2 payloads at the payload itself. */
	case LINKTYPE_LINUX_SLL:
		cg->off_linktype.k = LINUX_SLL_PROTO_OFF;
		cg->off_linkpl.k = LINUX_SLL_HDR_LEN;
		cg->off_nl_nosnap = 0;
		break;
	case LINKTYPE_LINUX_SLL2:
		cg->off_linktype.k = LINUX_SLL2_PROTO_OFF;
		cg->off_linkpl.k = LINUX_SLL2_HDR_LEN;
		cg->off_nl_nosnap = 0;
		break;
	default: /* RAW: the packet is the network header */
		cg->off_nl_nosnap = 0;
		break;
	}
}

void cg_release(struct cg *cg)
{
	while (cg->blocks) {
		struct cg_block *b = cg->blocks;
		cg->blocks = b->all_next;
		free(b->stmts);
		free(b);
	}
	while (cg->mem) {
		struct cg_mem *m = cg->mem;
		cg->mem = m->next;
		free(m);
	}
}

static const struct cg_pred no_pred;

struct cg_pred cg_error(struct cg *cg, int code, int col, int len, const char *fmt, ...)
{
	if (!cg->failed) {
		if (col < 0) {
			col = cg->node_col;
			len = cg->node_len;
		}
		char msg[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		bpfcap_fail(cg->err, code, col, len, "%s", msg);
		cg->failed = 1;
	}
	return no_pred;
}

static struct cg_pred cg_nomem(struct cg *cg)
{
	return cg_error(cg, BPFCAP_E_NOMEM, -1, 0, "out of memory");
}

struct cg_block *cg_block_new(struct cg *cg)
{
	struct cg_block *b = calloc(1, sizeof *b);
	if (!b) {
		cg_nomem(cg);
		return NULL;
	}
	b->all_next = cg->blocks;
	cg->blocks = b;
	return b;
}

void cg_emit(struct cg *cg, struct cg_block *b, uint16_t code, uint32_t k)
{
	if (!b)
		return;
	if (b->nstmts == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 4;
		struct cg_stmt *s = realloc(b->stmts, cap * sizeof *s);
		if (!s) {
			cg_nomem(cg);
			return;
		}
		b->stmts = s;
		b->cap = cap;
	}
	b->stmts[b->nstmts++] = (struct cg_stmt){ code, k };
}

void cg_emit_front(struct cg *cg, struct cg_block *b, uint16_t code, uint32_t k)
{
	cg_emit(cg, b, code, k);
	if (!b || cg->failed)
		return;
	memmove(b->stmts + 1, b->stmts, (b->nstmts - 1) * sizeof *b->stmts);
	b->stmts[0] = (struct cg_stmt){ code, k };
}

static struct cg_exits exits_one(struct cg *cg, struct cg_block **slot)
{
	struct cg_exit *e = cg_mem_alloc(cg, sizeof *e);
	if (!e) {
		cg_nomem(cg);
		return (struct cg_exits){ NULL, NULL };
	}
	e->slot = slot;
	e->next = NULL;
	return (struct cg_exits){ e, e };
}

static struct cg_exits exits_concat(struct cg_exits a, struct cg_exits b)
{
	if (!a.head)
		return b;
	if (!b.head)
		return a;
	a.tail->next = b.head;
	return (struct cg_exits){ a.head, b.tail };
}

static void exits_patch(struct cg_exits l, struct cg_block *target)
{
	for (struct cg_exit *e = l.head; e; e = e->next)
		*e->slot = target;
}

void cg_exits_add(struct cg *cg, struct cg_exits *list, struct cg_block **slot)
{
	*list = exits_concat(*list, exits_one(cg, slot));
}

struct cg_pred cg_pred_jump(struct cg *cg, struct cg_block *b, uint16_t jcode, uint32_t jk)
{
	if (!b || cg->failed)
		return no_pred;
	b->jcode = jcode;
	b->jk = jk;
	struct cg_pred p = { b, exits_one(cg, &b->jt), exits_one(cg, &b->jf) };
	if (cg->failed)
		return no_pred;
	return p;
}

struct cg_pred cg_and(struct cg *cg, struct cg_pred a, struct cg_pred b)
{
	if (!a.entry || !b.entry || cg->failed)
		return no_pred;
	exits_patch(a.t, b.entry);
	return (struct cg_pred){ a.entry, b.t, exits_concat(a.f, b.f) };
}

struct cg_pred cg_or(struct cg *cg, struct cg_pred a, struct cg_pred b)
{
	if (!a.entry || !b.entry || cg->failed)
		return no_pred;
	exits_patch(a.f, b.entry);
	return (struct cg_pred){ a.entry, exits_concat(a.t, b.t), b.f };
}

struct cg_pred cg_not(struct cg_pred a)
{
	return (struct cg_pred){ a.entry, a.f, a.t };
}

/* Constant predicates are real tests the optimizer folds away, as
 * libpcap's are: "ld #0; jeq #0" is always taken, "ld #1; jeq #0" never. */
static struct cg_pred cg_const(struct cg *cg, int value)
{
	struct cg_block *b = cg_block_new(cg);
	cg_emit(cg, b, CBPF_LD | CBPF_IMM, value ? 0 : 1);
	return cg_pred_jump(cg, b, CBPF_JMP | CBPF_JEQ | CBPF_K, 0);
}

struct cg_pred cg_true(struct cg *cg)
{
	return cg_const(cg, 1);
}

struct cg_pred cg_false(struct cg *cg)
{
	return cg_const(cg, 0);
}

/* ---- offsets and loads ------------------------------------------------ */

static struct cg_off off_add(struct cg_off o, uint32_t k)
{
	return (struct cg_off){ o.k + k, o.reg };
}

struct cg_off cg_base_offset(const struct cg *cg, enum cg_base base, uint32_t off)
{
	switch (base) {
	case CB_PACKET: return (struct cg_off){ off, -1 };
	case CB_LINKHDR: return off_add(cg->off_linkhdr, off);
	case CB_LINKTYPE: return off_add(cg->off_linktype, off);
	case CB_LINKPL: return off_add(cg->off_linkpl, off);
	case CB_NET_NOSNAP: return off_add(cg->off_linkpl, cg->off_nl_nosnap + off);
	case CB_NET:
	case CB_TRANS_IPV4: return off_add(cg->off_linkpl, cg->off_nl + off);
	case CB_TRANS_IPV6: return off_add(cg->off_linkpl, cg->off_nl + 40 + off);
	}
	return (struct cg_off){ off, -1 };
}

static uint16_t size_code(int size)
{
	return size == 4 ? CBPF_W : size == 2 ? CBPF_H : CBPF_B;
}

/* X = the IPv4 header length (4 * IHL), plus the run-time part of the
 * network offset if it has one, so that [x + k] addresses the transport
 * header (RFC 791: IHL counts 32-bit words). */
void cg_load_x_ipv4_hdrlen(struct cg *cg, struct cg_block *b)
{
	struct cg_off net = cg_base_offset(cg, CB_NET, 0);
	if (net.reg < 0) {
		cg_emit(cg, b, CBPF_LDX | CBPF_MSH | CBPF_B, net.k);
		return;
	}
	cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)net.reg);
	cg_emit(cg, b, CBPF_LD | CBPF_IND | CBPF_B, net.k);
	cg_emit(cg, b, CBPF_ALU | CBPF_AND | CBPF_K, 0xf);
	cg_emit(cg, b, CBPF_ALU | CBPF_LSH | CBPF_K, 2);
	cg_emit(cg, b, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
	cg_emit(cg, b, CBPF_MISC | CBPF_TAX, 0);
}

void cg_load(struct cg *cg, struct cg_block *b, enum cg_base base, uint32_t off, int size)
{
	uint16_t sz = size_code(size);
	if (base == CB_TRANS_IPV4) {
		cg_load_x_ipv4_hdrlen(cg, b);
		struct cg_off net = cg_base_offset(cg, CB_NET, off);
		cg_emit(cg, b, CBPF_LD | CBPF_IND | sz, net.k);
		return;
	}
	struct cg_off o = cg_base_offset(cg, base, off);
	if (o.reg < 0) {
		cg_emit(cg, b, CBPF_LD | CBPF_ABS | sz, o.k);
	} else {
		cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)o.reg);
		cg_emit(cg, b, CBPF_LD | CBPF_IND | sz, o.k);
	}
}

struct cg_pred cg_cmp_field(struct cg *cg, enum cg_base base, uint32_t off, int size,
			    uint32_t mask, uint16_t op, uint32_t v)
{
	struct cg_block *b = cg_block_new(cg);
	cg_load(cg, b, base, off, size);
	if (mask != 0xffffffffu)
		cg_emit(cg, b, CBPF_ALU | CBPF_AND | CBPF_K, mask);
	return cg_pred_jump(cg, b, CBPF_JMP | op | CBPF_K, v);
}

struct cg_pred cg_cmp_eq(struct cg *cg, enum cg_base base, uint32_t off, int size, uint32_t v)
{
	return cg_cmp_field(cg, base, off, size, 0xffffffffu, CBPF_JEQ, v);
}

struct cg_pred cg_cmp_masked(struct cg *cg, enum cg_base base, uint32_t off, int size,
			     uint32_t mask, uint32_t v)
{
	return cg_cmp_field(cg, base, off, size, mask, CBPF_JEQ, v);
}

/* ---- scratch registers -------------------------------------------------- */

int cg_reg_alloc(struct cg *cg)
{
	for (int i = 0; i < CBPF_MEMWORDS; i++) {
		if (!(cg->regs_used & (1u << i))) {
			cg->regs_used |= (uint16_t)(1u << i);
			return i;
		}
	}
	cg_error(cg, BPFCAP_E_TOOBIG, -1, 0, "expression too complex: out of scratch memory");
	return -1;
}

void cg_reg_free(struct cg *cg, int reg)
{
	if (reg >= 0)
		cg->regs_used &= (uint16_t)~(1u << reg);
}

/* ---- emission --------------------------------------------------------- */

static struct cg_block *cg_ret(struct cg *cg, uint32_t v)
{
	struct cg_block *b = cg_block_new(cg);
	if (b) {
		b->jcode = CBPF_RET | CBPF_K;
		b->jk = v;
	}
	return b;
}

static int is_leaf(const struct cg_block *b)
{
	return CBPF_CLASS(b->jcode) == CBPF_RET;
}

static int is_uncond(const struct cg_block *b)
{
	return b->jcode == (CBPF_JMP | CBPF_JA);
}

/* Reverse postorder of the DAG from entry, iteratively (a 1000-term chain
 * is thousands deep).  The false edge is visited first, so a block's true
 * successor follows it when it can: libpcap's layout, which keeps "-O"
 * listings comparable with tcpdump's. */
static struct cg_block **order_blocks(struct cg *cg, struct cg_block *entry, size_t *n)
{
	size_t count = 0;
	for (struct cg_block *b = cg->blocks; b; b = b->all_next) {
		b->visit = 0;
		count++;
	}
	struct cg_block **post = malloc(count * sizeof *post);
	struct cg_block **stack = malloc(count * sizeof *stack);
	if (!post || !stack) {
		free(post);
		free(stack);
		return NULL;
	}
	size_t sp = 0, np = 0;
	stack[sp++] = entry;
	entry->visit = 1;
	while (sp) {
		struct cg_block *b = stack[sp - 1];
		struct cg_block *next = NULL;
		if (!is_leaf(b)) {
			if (!is_uncond(b) && b->jf && !b->jf->visit)
				next = b->jf;
			else if (b->jt && !b->jt->visit)
				next = b->jt;
		}
		if (next) {
			next->visit = 1;
			stack[sp++] = next;
		} else {
			post[np++] = b;
			sp--;
		}
	}
	free(stack);
	for (size_t i = 0; i < np / 2; i++) {
		struct cg_block *t = post[i];
		post[i] = post[np - 1 - i];
		post[np - 1 - i] = t;
	}
	*n = np;
	return post;
}

int cg_finish(struct cg *cg, struct cg_pred p, struct wprog *out)
{
	if (cg->failed || !p.entry)
		return cg->err ? cg->err->code : BPFCAP_E_INVALID;
	struct cg_block *accept = cg_ret(cg, cg->snaplen);
	struct cg_block *reject = cg_ret(cg, 0);
	if (cg->failed)
		return cg->err->code;
	exits_patch(p.t, accept);
	exits_patch(p.f, reject);
	/* Live VLAN offsets start at 0: the kernel refuses a classic program
	 * that reads scratch memory it has not written. */
	if (cg->vlan_reg_pl >= 0) {
		cg_emit_front(cg, p.entry, CBPF_ST, (uint32_t)cg->vlan_reg_lt);
		cg_emit_front(cg, p.entry, CBPF_ST, (uint32_t)cg->vlan_reg_pl);
		cg_emit_front(cg, p.entry, CBPF_LD | CBPF_IMM, 0);
	}

	size_t n;
	struct cg_block **order = order_blocks(cg, p.entry, &n);
	if (!order)
		return bpfcap_fail(cg->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	/* A JA to the block laid out next is left out: control falls through. */
	uint32_t at = 0;
	for (size_t i = 0; i < n; i++) {
		struct cg_block *b = order[i];
		b->index = at;
		int falls = is_uncond(b) && i + 1 < n && b->jt == order[i + 1];
		at += b->nstmts + (falls ? 0 : 1);
	}
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct cg_block *b = order[i];
		for (uint32_t s = 0; s < b->nstmts && !rc; s++)
			rc = wprog_push(out, (struct winsn){ b->stmts[s].code, b->stmts[s].k, 0, 0 });
		if (is_uncond(b) && i + 1 < n && b->jt == order[i + 1])
			continue;
		struct winsn j = { b->jcode, b->jk, 0, 0 };
		if (!is_leaf(b)) {
			j.jt = b->jt->index;
			j.jf = is_uncond(b) ? 0 : b->jf->index;
			if (is_uncond(b))
				j.k = 0;
		}
		if (!rc)
			rc = wprog_push(out, j);
	}
	free(order);
	if (rc)
		return bpfcap_fail(cg->err, rc, -1, 0, "out of memory");
	return 0;
}
