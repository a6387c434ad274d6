/* "port" and "portrange" (pcap-filter(7)): TCP, UDP and SCTP ports over
 * IPv4 and IPv6.
 *
 * IPv4: the protocol byte, then "not a non-first fragment" (a fragment
 * with a nonzero offset carries no transport header, RFC 791), then the
 * port at 4*IHL.  IPv6: the next-header byte of the fixed header, then
 * the port right after it (libpcap looks through no extension header
 * here).  The IPv6 test comes first, then IPv4, and under no transport
 * qualifier SCTP, TCP, UDP in that order: libpcap's order. */
#include "cg.h"
#include "names.h"
#include "protocols.h"


/* A port test at one offset: equal to lo when lo == hi, else lo..hi. */
static struct cg_pred port_atom(struct cg *cg, enum cg_base base, uint32_t off, uint32_t lo,
				uint32_t hi, int range)
{
	if (!range)
		return cg_cmp_eq(cg, base, off, 2, lo);
	struct cg_pred ge = cg_cmp_field(cg, base, off, 2, 0xffffffffu, CBPF_JGE, lo);
	struct cg_pred gt = cg_cmp_field(cg, base, off, 2, 0xffffffffu, CBPF_JGT, hi);
	return cg_and(cg, ge, cg_not(gt));
}

static struct cg_pred port_dir(struct cg *cg, enum cg_base base, int dir, uint32_t lo,
			       uint32_t hi, int range, int col, int len)
{
	switch (dir) {
	case AD_SRC: return port_atom(cg, base, L4_SRC_PORT_OFF, lo, hi, range);
	case AD_DST: return port_atom(cg, base, L4_DST_PORT_OFF, lo, hi, range);
	case AD_AND:
		return cg_and(cg, port_atom(cg, base, L4_SRC_PORT_OFF, lo, hi, range),
			      port_atom(cg, base, L4_DST_PORT_OFF, lo, hi, range));
	case AD_DEFAULT:
	case AD_OR:
		return cg_or(cg, port_atom(cg, base, L4_SRC_PORT_OFF, lo, hi, range),
			     port_atom(cg, base, L4_DST_PORT_OFF, lo, hi, range));
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"802.11 address qualifiers are not valid for ports");
	}
}

/* IPv4 fragment offset is zero: "ip[6:2] & 0x1fff == 0". */
static struct cg_pred ipv4_first_fragment(struct cg *cg)
{
	return cg_not(cg_cmp_field(cg, CB_NET, IPV4_FRAG_OFF, 2, 0xffffffffu, CBPF_JSET,
				   IPV4_FRAGOFF_MASK));
}

static struct cg_pred portop4(struct cg *cg, uint32_t ipproto, int dir, uint32_t lo, uint32_t hi,
			      int range, int col, int len)
{
	struct cg_pred p = cg_and(cg, cg_cmp_eq(cg, CB_NET, IPV4_PROTO_OFF, 1, ipproto),
				  ipv4_first_fragment(cg));
	return cg_and(cg, p, port_dir(cg, CB_TRANS_IPV4, dir, lo, hi, range, col, len));
}

static struct cg_pred portop6(struct cg *cg, uint32_t ipproto, int dir, uint32_t lo, uint32_t hi,
			      int range, int col, int len)
{
	return cg_and(cg, cg_cmp_eq(cg, CB_NET, IPV6_NXT_OFF, 1, ipproto),
		      port_dir(cg, CB_TRANS_IPV6, dir, lo, hi, range, col, len));
}

typedef struct cg_pred (*portop_fn)(struct cg *, uint32_t, int, uint32_t, uint32_t, int, int, int);

/* One IP version: its linktype, then the port test under one transport
 * or, with none given, under SCTP, TCP or UDP. */
static struct cg_pred port_family(struct cg *cg, uint32_t etype, portop_fn op, int ipproto,
				  int dir, uint32_t lo, uint32_t hi, int range, int col, int len)
{
	struct cg_pred ports;
	if (ipproto != NAMES_PROTO_UNDEF) {
		ports = op(cg, (uint32_t)ipproto, dir, lo, hi, range, col, len);
	} else {
		struct cg_pred tcp_udp = cg_or(cg, op(cg, IPPROTO_NUM_TCP, dir, lo, hi, range, col, len),
					       op(cg, IPPROTO_NUM_UDP, dir, lo, hi, range, col, len));
		ports = cg_or(cg, op(cg, IPPROTO_NUM_SCTP, dir, lo, hi, range, col, len), tcp_udp);
	}
	return cg_and(cg, gen_linktype(cg, etype), ports);
}

static struct cg_pred gen_ports(struct cg *cg, int ipproto, int dir, uint32_t lo, uint32_t hi,
				int range, int col, int len)
{
	struct cg_pred v4 = port_family(cg, ETYPE_IP, portop4, ipproto, dir, lo, hi, range, col, len);
	struct cg_pred v6 = port_family(cg, ETYPE_IPV6, portop6, ipproto, dir, lo, hi, range, col, len);
	return cg_or(cg, v6, v4);
}

static int transport_of(int proto)
{
	switch (proto) {
	case AP_TCP: return IPPROTO_NUM_TCP;
	case AP_UDP: return IPPROTO_NUM_UDP;
	case AP_SCTP: return IPPROTO_NUM_SCTP;
	case AP_DEFAULT: return NAMES_PROTO_UNDEF;
	default: return -2;
	}
}

static const char *ipproto_name(int p)
{
	return p == IPPROTO_NUM_TCP ? "tcp" : p == IPPROTO_NUM_UDP ? "udp" : "sctp";
}

/* A name's protocol must agree with the qualifier ("udp port http" is an
 * error: http is TCP only). */
static int reconcile_proto(struct cg *cg, const struct ast_node *n, int qual, int found,
			   const char *what)
{
	if (qual == NAMES_PROTO_UNDEF)
		return found;
	if (found != NAMES_PROTO_UNDEF && found != qual) {
		cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "%s '%s' is %s", what, n->id.text,
			 ipproto_name(found));
		return -2;
	}
	return qual;
}

struct cg_pred gen_port_id(struct cg *cg, const struct ast_node *n)
{
	int qual = transport_of(n->q.proto);
	if (qual == -2)
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "illegal qualifier of 'port'");
	uint32_t port;
	int proto = qual;
	if (n->id.kind == AID_NUM) {
		port = n->id.v4;
	} else if (n->id.kind == AID_NAME) {
		int found;
		if (names_port(n->id.text, &port, &found) != 0)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "unknown port '%s'",
					n->id.text);
		proto = reconcile_proto(cg, n, qual, found, "port");
		if (proto == -2)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "port conflict");
	} else {
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "illegal port number");
	}
	if (port > 65535)
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
				"illegal port number %u > 65535", port);
	return gen_ports(cg, proto, n->q.dir, port, port, 0, n->col, n->len);
}

struct cg_pred gen_portrange_id(struct cg *cg, const struct ast_node *n)
{
	int qual = transport_of(n->q.proto);
	if (qual == -2)
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
				"illegal qualifier of 'portrange'");
	uint32_t lo, hi;
	int proto = qual;
	if (n->id.kind == AID_NUM) {
		lo = hi = n->id.v4;
	} else if (n->id.kind == AID_NAME) {
		int found;
		if (names_portrange(n->id.text, &lo, &hi, &found) != 0)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
					"unknown port in range '%s'", n->id.text);
		proto = reconcile_proto(cg, n, qual, found, "port in range");
		if (proto == -2)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "port conflict");
	} else {
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "illegal port range");
	}
	if (lo > 65535 || hi > 65535)
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
				"illegal port number %u > 65535", lo > 65535 ? lo : hi);
	if (lo > hi) {
		uint32_t t = lo;
		lo = hi;
		hi = t;
	}
	return gen_ports(cg, proto, n->q.dir, lo, hi, 1, n->col, n->len);
}

/* One UDP destination port over one IP version, libpcap's "port" shape:
 * for tunnels ("geneve") that are recognised by their port. */
struct cg_pred gen_udp_dst_port(struct cg *cg, int ipv6, uint32_t port)
{
	if (ipv6)
		return port_family(cg, ETYPE_IPV6, portop6, IPPROTO_NUM_UDP, AD_DST, port, port, 0, -1, 0);
	return port_family(cg, ETYPE_IP, portop4, IPPROTO_NUM_UDP, AD_DST, port, port, 0, -1, 0);
}
