/* Code generator internals.
 *
 * Code is built as a DAG of blocks: each block is a run of straight-line
 * statements ending in one conditional jump (or a RET leaf).  A predicate
 * (struct cg_pred) is a sub-DAG with one entry and two lists of unpatched
 * exits, the edges taken when it is true and when it is false; "and",
 * "or" and "not" patch and splice those lists (backpatching), so every
 * primitive's code is written once and combined without copying.  At the
 * end the true exits go to "ret #snaplen", the false ones to "ret #0", and
 * the DAG is emitted in reverse postorder, so every jump is forward.
 *
 * Packet offsets are relative to a base that may move while the
 * expression is compiled: "vlan", "mpls" and "pppoes" shift the link
 * payload for everything to their right, as libpcap's do (pcap-filter(7):
 * "vlan ... changes the decoding offsets for the remainder of the
 * expression").  A base is a constant plus, optionally, a scratch word
 * M[reg] holding a run-time part (live mode's VLAN test, whose tag may be
 * in the frame or in metadata).
 */
#ifndef BPFCAP_FILTER_CG_H
#define BPFCAP_FILTER_CG_H

#include <stdint.h>

#include "ast.h"
#include "bpfcap.h"
#include "cbpf.h"
#include "wprog.h"

struct cg_stmt {
	uint16_t code;
	uint32_t k;
};

struct cg_block {
	struct cg_stmt *stmts;
	uint32_t nstmts, cap;
	uint16_t jcode;          /* CBPF_JMP|op|src, CBPF_JMP|CBPF_JA, or CBPF_RET|CBPF_K */
	uint32_t jk;
	struct cg_block *jt, *jf;
	uint32_t index;          /* emission: position in the program */
	uint8_t visit;           /* emission: DFS state */
	struct cg_block *all_next;
};

struct cg_exit {
	struct cg_block **slot;
	struct cg_exit *next;
};

struct cg_exits {
	struct cg_exit *head, *tail;
};

/* A predicate.  entry == NULL means an error has been recorded in cg. */
struct cg_pred {
	struct cg_block *entry;
	struct cg_exits t, f;
};

/* An offset: k plus, when reg >= 0, the run-time value of M[reg]. */
struct cg_off {
	uint32_t k;
	int reg;
};

/* Where an offset is measured from. */
enum cg_base {
	CB_PACKET,     /* the first byte of the packet */
	CB_LINKHDR,    /* the link-layer header */
	CB_LINKTYPE,   /* the link layer's protocol (EtherType) field */
	CB_LINKPL,     /* the link-layer payload: the network header for Ethernet II */
	CB_NET,        /* the network header (link payload + off_nl) */
	CB_NET_NOSNAP, /* the network header of an 802.2 LLC frame without SNAP */
	CB_TRANS_IPV4, /* the transport header after a variable-length IPv4 header */
	CB_TRANS_IPV6, /* the transport header right after a fixed IPv6 header */
};

struct cg {
	/* inputs */
	int linktype;
	uint32_t snaplen;
	enum bpfcap_mode mode;
	int netmask_known;
	uint32_t netmask;
	struct bpfcap_error *err;
	int failed;              /* an error has been recorded in err */
	int node_col, node_len;  /* the primitive being compiled: where errors point */

	/* storage */
	struct cg_block *blocks; /* every block, for freeing */
	struct cg_mem *mem;      /* arena for exits */
	uint16_t regs_used;      /* scratch words M[] in use (bit i: M[i]) */

	/* link-layer state: moved by vlan/mpls/pppoes left to right */
	struct cg_off off_linkhdr;
	struct cg_off off_linktype;  /* k == CG_NO_OFFSET: no protocol field (RAW) */
	struct cg_off off_linkpl;
	uint32_t off_nl;             /* network header within the payload (Ethernet II: 0) */
	uint32_t off_nl_nosnap;      /* 802.2 LLC without SNAP: 3 */
	int proto_is_ppp;            /* after pppoes: the protocol field is PPP's */
	int mpls_depth;              /* labels seen so far ("mpls and mpls") */
	int vlan_depth;
	int is_geneve;               /* after "geneve": the inner frame may have no link header */
	int vlan_reg_pl, vlan_reg_lt;   /* live mode: M[] holding the run-time part of
					 * off_linkpl and off_linktype, or -1 */
};

#define CG_NO_OFFSET UINT32_MAX

/* ---- core (cg_core.c) ------------------------------------------------ */

void cg_init(struct cg *cg, const struct bpfcap_compile_opts *opts, struct bpfcap_error *err);
void cg_release(struct cg *cg);

/* Records an error (the first one wins) and returns a NULL predicate.
 * col < 0: the error concerns the primitive being compiled. */
struct cg_pred cg_error(struct cg *cg, int code, int col, int len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

struct cg_block *cg_block_new(struct cg *cg);
void cg_emit(struct cg *cg, struct cg_block *b, uint16_t code, uint32_t k);
/* Inserts a statement before b's existing ones. */
void cg_emit_front(struct cg *cg, struct cg_block *b, uint16_t code, uint32_t k);

/* A predicate whose code is block b's statements and the conditional jump
 * (jcode, jk): true when the jump is taken. */
struct cg_pred cg_pred_jump(struct cg *cg, struct cg_block *b, uint16_t jcode, uint32_t jk);

/* For hand-wired sub-DAGs: adds slot (a block's jt or jf) to an exit list. */
void cg_exits_add(struct cg *cg, struct cg_exits *list, struct cg_block **slot);

struct cg_pred cg_and(struct cg *cg, struct cg_pred a, struct cg_pred b);
struct cg_pred cg_or(struct cg *cg, struct cg_pred a, struct cg_pred b);
struct cg_pred cg_not(struct cg_pred a);
struct cg_pred cg_true(struct cg *cg);
struct cg_pred cg_false(struct cg *cg);

/* Appends to b the statements loading A with the size-byte field (1, 2
 * or 4) at base + off.  CB_TRANS_IPV4 clobbers X. */
void cg_load(struct cg *cg, struct cg_block *b, enum cg_base base, uint32_t off, int size);

/* Appends statements setting X to the offset, from the network header's
 * constant part, of the transport header after an IPv4 header. */
void cg_load_x_ipv4_hdrlen(struct cg *cg, struct cg_block *b);

/* The value of base + off as an absolute offset with optional register. */
struct cg_off cg_base_offset(const struct cg *cg, enum cg_base base, uint32_t off);

/* field (at base + off, size bytes) [& mask] <op> v, where op is
 * CBPF_JEQ, CBPF_JGT, CBPF_JGE or CBPF_JSET.  mask 0xffffffff: none. */
struct cg_pred cg_cmp_field(struct cg *cg, enum cg_base base, uint32_t off, int size,
			    uint32_t mask, uint16_t op, uint32_t v);
/* Shorthands: equality, masked equality. */
struct cg_pred cg_cmp_eq(struct cg *cg, enum cg_base base, uint32_t off, int size, uint32_t v);
struct cg_pred cg_cmp_masked(struct cg *cg, enum cg_base base, uint32_t off, int size,
			     uint32_t mask, uint32_t v);

/* Scratch registers M[0..15]: -1 when all are taken (an error is set). */
int cg_reg_alloc(struct cg *cg);
void cg_reg_free(struct cg *cg, int reg);

/* Patches true exits to "ret #snaplen", false exits to "ret #0", and
 * emits the DAG as a wide program. */
int cg_finish(struct cg *cg, struct cg_pred p, struct wprog *out);

/* ---- primitives ------------------------------------------------------ */

/* gen_link.c */
struct cg_pred gen_linktype(struct cg *cg, uint32_t proto);          /* EtherType-level test */
struct cg_pred gen_ether_host(struct cg *cg, const uint8_t mac[6], int dir);
struct cg_pred gen_link_broadcast(struct cg *cg);
struct cg_pred gen_link_multicast(struct cg *cg);
struct cg_pred gen_llc(struct cg *cg, int subtype);
struct cg_pred gen_len_cmp(struct cg *cg, uint16_t op, uint32_t v, int negate);
struct cg_pred gen_inbound(struct cg *cg, int outbound);
struct cg_pred gen_ifindex(struct cg *cg, uint32_t ifindex);

/* gen_net.c */
struct cg_pred gen_proto_abbrev(struct cg *cg, int proto, int col, int len);
struct cg_pred gen_qualified(struct cg *cg, const struct ast_node *n);
struct cg_pred gen_ip_broadcast(struct cg *cg, int col, int len);
struct cg_pred gen_ip_multicast(struct cg *cg, int proto);

/* gen_port.c */
struct cg_pred gen_port_id(struct cg *cg, const struct ast_node *n);
struct cg_pred gen_portrange_id(struct cg *cg, const struct ast_node *n);
struct cg_pred gen_udp_dst_port(struct cg *cg, int ipv6, uint32_t port);

/* gen_protochain.c */
struct cg_pred gen_protochain_id(struct cg *cg, const struct ast_node *n);

/* gen_encap.c */
struct cg_pred gen_vlan(struct cg *cg, int has_id, uint32_t id, int col, int len);
struct cg_pred gen_mpls(struct cg *cg, int has_label, uint32_t label, int col, int len);
struct cg_pred gen_pppoed(struct cg *cg);
struct cg_pred gen_pppoes(struct cg *cg, int has_id, uint32_t id, int col, int len);
struct cg_pred gen_geneve(struct cg *cg, int has_vni, uint32_t vni, int col, int len);

/* gen_arith.c */
struct cg_pred gen_relation(struct cg *cg, const struct ast_node *n);

#endif
