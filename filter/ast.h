/* The abstract syntax of pcap-filter(7) expressions.
 *
 * The parser resolves the grammar's own rules (precedence, qualifier
 * inheritance, named constants) and leaves meaning to the code generator:
 * an identifier is kept as written plus what its spelling says it is (a
 * number, an IPv4/IPv6/MAC address, a network); names of hosts, services
 * and protocols are resolved by codegen, because what a name means
 * depends on its qualifiers.
 *
 * Grammar facts kept here (libpcap's grammar.y): "and" and "or" have equal
 * precedence and associate to the left; "not" binds tighter; a bare id
 * after "and"/"or" takes the qualifiers of the last qualified primitive.
 * Every node records the span of source it came from, for error carets.
 */
#ifndef BPFCAP_FILTER_AST_H
#define BPFCAP_FILTER_AST_H

#include <stddef.h>
#include <stdint.h>

/* Protocol qualifiers: pcap-filter(7) "proto", plus the protocol
 * abbreviations that stand alone as primitives ("tcp", "arp").
 * AP_LINK covers ether, link, fddi, tr, wlan, ppp, slip (libpcap maps all
 * of them to its link-layer qualifier).  The ones after AP_CARP are
 * accepted by the parser and refused by bpfcap's codegen as unsupported
 * (the command line then falls back to libpcap). */
enum ast_proto {
	AP_DEFAULT = 0,
	AP_LINK, AP_IP, AP_IP6, AP_ARP, AP_RARP,
	AP_TCP, AP_UDP, AP_SCTP, AP_ICMP, AP_ICMP6, AP_IGMP, AP_IGRP,
	AP_PIM, AP_AH, AP_ESP, AP_VRRP, AP_CARP,
	AP_RADIO, AP_DECNET, AP_LAT, AP_SCA, AP_MOPRC, AP_MOPDL,
	AP_ATALK, AP_AARP, AP_ISO, AP_ESIS, AP_ISIS, AP_CLNP,
	AP_STP, AP_IPX, AP_NETBEUI,
	AP_L1, AP_L2, AP_IIH, AP_LSP, AP_SNP, AP_CSNP, AP_PSNP,
	AP__COUNT
};

/* Direction qualifiers. */
enum ast_dir {
	AD_DEFAULT = 0, /* src or dst */
	AD_SRC, AD_DST,
	AD_OR,          /* "src or dst" */
	AD_AND,         /* "src and dst" */
	AD_ADDR1, AD_ADDR2, AD_ADDR3, AD_ADDR4, AD_RA, AD_TA, /* 802.11 only */
};

/* Type qualifiers. */
enum ast_type {
	AT_DEFAULT = 0, /* host, unless the id says otherwise */
	AT_HOST, AT_NET, AT_PORT, AT_PORTRANGE, AT_GATEWAY,
	AT_PROTO, AT_PROTOCHAIN,
};

struct ast_qual {
	uint8_t proto; /* enum ast_proto */
	uint8_t dir;   /* enum ast_dir */
	uint8_t type;  /* enum ast_type */
};

/* What an identifier's spelling says it is. */
enum ast_id_kind {
	AID_NAME,      /* a name: host, service, protocol, "a-b" port range, or \keyword */
	AID_NUM,       /* a number: decimal, 0x hex or 0 octal, as libpcap's scanner reads it */
	AID_IPV4,      /* dotted quad with 1..4 parts: "10", "10.0.1", "10.0.1.2" */
	AID_IPV4_MASK, /* "A mask M" */
	AID_IPV4_LEN,  /* "A/len" */
	AID_IPV6,      /* an IPv6 address (host, or net with prefix 128) */
	AID_IPV6_LEN,  /* "A6/len" */
	AID_MAC,       /* 6-byte MAC: xx:xx:xx:xx:xx:xx, xx.xx.xx..., xxxx.xxxx.xxxx, xxxxxxxxxxxx */
};

struct ast_id {
	uint8_t kind;          /* enum ast_id_kind */
	const char *text;      /* as written (owned by the arena); for AID_NAME the name without '\' */
	/* AID_NUM: the value.  AID_IPV4*: the address in host byte order
	 * with the written parts in the high-order bytes, as libpcap reads a
	 * partial address: "10.0.1" is 0x0a000100 with v4_parts 3 (libpcap
	 * then matches it, as host or net, under the mask of the written
	 * parts, 255.255.255.0).  A lone number ("net 10", "host 10") is not
	 * an IPv4 token in libpcap's scanner: it arrives as AID_NUM, and
	 * libpcap reads it as a plain 32-bit value (host 10 is 0.0.0.10; net
	 * 10 is 10.0.0.0/8).  The parser accepts only decimal parts <= 255. */
	uint32_t v4;
	uint8_t v4_parts;      /* AID_IPV4*: dotted parts written (1..4) */
	uint32_t v4_mask;      /* AID_IPV4_MASK: mask, host byte order, left-aligned like v4 */
	int prefix;            /* AID_IPV4_LEN (0..32), AID_IPV6_LEN (0..128): checked by the parser */
	uint8_t v6[16];        /* AID_IPV6* */
	uint8_t mac[6];        /* AID_MAC */
};

enum ast_relop { AR_EQ, AR_NE, AR_LT, AR_LE, AR_GT, AR_GE };

enum ast_binop { AB_ADD, AB_SUB, AB_MUL, AB_DIV, AB_MOD, AB_AND, AB_OR, AB_XOR, AB_LSH, AB_RSH };

enum ast_arith_kind {
	AX_NUM,     /* constant */
	AX_LEN,     /* "len": the packet's wire length */
	AX_LOAD,    /* proto[index] or proto[index:size] */
	AX_BINOP,
	AX_NEG,     /* unary minus */
};

struct ast_arith {
	uint8_t kind;          /* enum ast_arith_kind */
	int col, len;          /* source span */
	uint32_t num;          /* AX_NUM */
	uint8_t proto;         /* AX_LOAD: enum ast_proto of "proto[...]" */
	uint8_t size;          /* AX_LOAD: 1, 2 or 4 */
	uint8_t op;            /* AX_BINOP: enum ast_binop */
	struct ast_arith *a;   /* AX_LOAD index; AX_BINOP left; AX_NEG operand */
	struct ast_arith *b;   /* AX_BINOP right */
};

enum ast_kind {
	AK_TRUE,       /* the empty expression */
	AK_AND, AK_OR, AK_NOT,
	AK_QUALIFIED,  /* [proto] [dir] [type] id: host/net/port/portrange/gateway/proto/protochain */
	AK_PROTO,      /* a protocol abbreviation alone: "tcp", "ip6", "arp" (q.proto) */
	AK_BROADCAST,  /* [ether|ip] broadcast (q.proto) */
	AK_MULTICAST,  /* [ether|ip|ip6] multicast (q.proto) */
	AK_LESS,       /* less N */
	AK_GREATER,    /* greater N */
	AK_INBOUND, AK_OUTBOUND,
	AK_IFINDEX,    /* ifindex N */
	AK_VLAN,       /* vlan [N] */
	AK_MPLS,       /* mpls [N] */
	AK_PPPOED,
	AK_PPPOES,     /* pppoes [N] */
	AK_GENEVE,     /* geneve [N] */
	AK_VXLAN,      /* vxlan [N] */
	AK_LLC,        /* llc [i|s|u|rr|rnr|rej|ui|ua|disc|dm|sabme|test|xid|frmr] (num: subtype code) */
	AK_RELATION,   /* arith relop arith */
};

/* LLC subtype selectors for AK_LLC (num), as pcap-filter(7) names them. */
enum ast_llc {
	ALLC_ANY = 0, ALLC_I, ALLC_S, ALLC_U,
	ALLC_RR, ALLC_RNR, ALLC_REJ,
	ALLC_UI, ALLC_UA, ALLC_DISC, ALLC_DM, ALLC_SABME, ALLC_TEST, ALLC_XID, ALLC_FRMR,
};

struct ast_node {
	uint8_t kind;            /* enum ast_kind */
	int col, len;            /* source span: a qualified primitive spans its qualifiers
				  * ("tcp port 80"), an id that inherited them only itself */
	struct ast_node *left;   /* AND, OR, NOT */
	struct ast_node *right;  /* AND, OR */
	struct ast_qual q;       /* QUALIFIED, PROTO, BROADCAST, MULTICAST */
	struct ast_id id;        /* QUALIFIED */
	int has_num;             /* VLAN, MPLS, PPPOES, GENEVE, VXLAN: N given */
	uint32_t num;            /* LESS, GREATER, IFINDEX, VLAN.., LLC subtype */
	uint8_t relop;           /* RELATION: enum ast_relop */
	struct ast_arith *lhs, *rhs;
};

/* All of a parse's nodes and strings live in one arena, freed at once. */
struct ast_arena {
	struct ast_chunk *head;
};

void *ast_alloc(struct ast_arena *arena, size_t size); /* zeroed; NULL on ENOMEM */
char *ast_strndup(struct ast_arena *arena, const char *s, size_t n);
void ast_arena_free(struct ast_arena *arena);

struct bpfcap_error;

/* Parse expr (NULL or blank: AK_TRUE).  On failure returns BPFCAP_E_SYNTAX
 * or BPFCAP_E_SEMANTIC with err->column/length at the offending token. */
int filter_parse(const char *expr, struct ast_arena *arena, struct ast_node **root,
		 struct bpfcap_error *err);

/* Names for messages and debugging. */
const char *ast_proto_name(enum ast_proto p);

#endif
