/* gen_corpus OUTDIR: write the deterministic packet corpus the differential
 * tests run our filters and libpcap's over (see tests/pktgen/README.md).
 *
 * Every scenario family below builds network-layer payloads (everything
 * after an Ethernet type/length field) and hands them to emit(), which wraps
 * each one for every capture file it belongs in: an Ethernet header for
 * en10mb.pcap, nothing for raw.pcap (IPv4/IPv6 only), and the Linux cooked
 * headers for sll.pcap and sll2.pcap.  So the same packet is seen through
 * four link types and a filter bug that depends on the link offset shows up
 * as a difference in one file only.
 *
 * Determinism: one fixed-seed PRNG, families run in table order, fixed
 * timestamps.  Two runs give identical files. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "protocols.h"
#include "corpus_build.h"
#include "corpus_pcap.h"

#define NO_CUT   ((size_t)-1)
#define SEED     0x62706663617030ull   /* "bpfcap0" */
#define MAX_FAMILIES 32

enum out_file { OUT_EN10MB, OUT_RAW, OUT_SLL, OUT_SLL2, OUT_N };
#define TO_ETH    (1u << OUT_EN10MB)
#define TO_RAW    (1u << OUT_RAW)
#define TO_SLL    (1u << OUT_SLL)
#define TO_SLL2   (1u << OUT_SLL2)
#define TO_COOKED (TO_SLL | TO_SLL2)
#define TO_L2     (TO_ETH | TO_COOKED)        /* not an IP packet: no raw */
#define TO_ALL    (TO_ETH | TO_RAW | TO_COOKED)

static const char *const out_names[OUT_N] = { "en10mb.pcap", "raw.pcap", "sll.pcap", "sll2.pcap" };
static const uint32_t out_linktypes[OUT_N] = {
	LINKTYPE_EN10MB, LINKTYPE_RAW_LT, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2
};

struct corpus {
	struct pcap_out out[OUT_N];
	uint64_t rng;
	int family;                     /* index of the running family */
	unsigned long count[MAX_FAMILIES][OUT_N];
	unsigned long nframes;          /* frames emitted: rotates link variants */
	uint8_t frame[PKT_MAX + 64];
};

/* One payload and where it goes. */
struct frame {
	uint16_t proto;        /* EtherType, or LINUX_SLL_P_802_2 / _802_3 for 802.3 frames */
	const struct pkt *pl;  /* bytes after the type/length field */
	size_t cut;            /* capture at most this many payload bytes (NO_CUT: all) */
	size_t link_cut;       /* capture at most this many bytes of the whole record */
	const uint8_t *dst;    /* destination MAC; NULL: derived from the payload */
	unsigned to;           /* TO_* set of files */
};

/* ---- deterministic randomness ------------------------------------------ */

/* splitmix64 (Steele, Lea, Flood 2014): tiny, good enough, reproducible. */
static uint64_t rnd64(struct corpus *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct corpus *c, uint32_t n) { return n ? (uint32_t)(rnd64(c) % n) : 0; }
static uint32_t rnd32(struct corpus *c) { return (uint32_t)rnd64(c); }

static void put_random(struct corpus *c, struct pkt *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_u8(p, (uint8_t)rnd64(c));
}

/* ---- addresses ------------------------------------------------------------ */

static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_ZERO[6]  = { 0 };
/* IEEE 802.1D-2004 7.12.3: bridge group address (STP BPDUs). */
static const uint8_t MAC_STP[6]   = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };
static const uint8_t MAC_CDP[6]   = { 0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc };
static const uint8_t MAC_MCAST_OTHER[6] = { 0x09, 0x00, 0x2b, 0x00, 0x00, 0x0f };  /* DEC LAT */
static const uint8_t host_macs[][6] = {
	{ 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 }, { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	{ 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c }, { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
	{ 0xf8, 0xff, 0xc2, 0xaa, 0xbb, 0xcc }, { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x07 },
	{ 0x3c, 0x22, 0xfb, 0x90, 0x01, 0xfe }, { 0x00, 0x50, 0x56, 0xc0, 0x00, 0x08 },
};
#define N_HOST_MACS (sizeof host_macs / sizeof host_macs[0])

static uint32_t ip4(unsigned a, unsigned b, unsigned c3, unsigned d)
{
	return (uint32_t)a << 24 | b << 16 | c3 << 8 | d;
}

/* The subnets IPv4 addresses are drawn from: net and prefix length. */
static const struct { uint32_t net; unsigned plen; } v4_subnets[] = {
	{ 0x0a000000, 8 },  /* 10/8 */
	{ 0xc0a80000, 16 }, /* 192.168/16 */
	{ 0xc0a80100, 24 }, /* 192.168.1/24: many hits for "net 192.168.1" */
	{ 0xac100000, 12 }, /* 172.16/12 */
	{ 0x7f000000, 8 },  /* 127/8 */
	{ 0xc0000200, 24 }, /* 192.0.2/24 TEST-NET-1 */
	{ 0xcb007100, 24 }, /* 203.0.113/24 TEST-NET-3 */
	{ 0x08080800, 24 }, /* a public /24 */
	{ 0x64400000, 10 }, /* 100.64/10 CGN */
};
#define N_V4_SUBNETS (sizeof v4_subnets / sizeof v4_subnets[0])

static uint32_t rand_host4(struct corpus *c)
{
	unsigned i = rnd(c, N_V4_SUBNETS);
	uint32_t hostmask = (uint32_t)((1ull << (32 - v4_subnets[i].plen)) - 1);
	uint32_t host = rnd32(c) & hostmask;
	if ((host & 0xff) == 0 || (host & 0xff) == 0xff)    /* keep unicast-looking */
		host ^= 0x11;
	return v4_subnets[i].net | host;
}

static struct ip6addr ip6(const char *text)
{
	struct ip6addr a;
	if (inet_pton(AF_INET6, text, a.a) != 1)
		memset(a.a, 0, sizeof a.a);
	return a;
}

static const char *const v6_prefixes[] = {
	"2001:db8::", "2001:db8:1::", "fe80::", "fd00:1234::", "2002:c000:201::", "2001:db8:ffff::",
};

static struct ip6addr rand_host6(struct corpus *c)
{
	struct ip6addr a = ip6(v6_prefixes[rnd(c, sizeof v6_prefixes / sizeof v6_prefixes[0])]);
	for (int i = 8; i < 16; i++)
		a.a[i] = (uint8_t)rnd64(c);
	a.a[8] &= 0xfd;                 /* interface id: not group */
	return a;
}

/* RFC 4291 2.7.1: the solicited-node group of an address. */
static struct ip6addr solicited_node(const struct ip6addr *target)
{
	struct ip6addr a = ip6("ff02::1:ff00:0");
	memcpy(a.a + 13, target->a + 13, 3);
	return a;
}

static const uint16_t common_ports[] = {
	0, 20, 21, 22, 23, 24, 25, 53, 80, 110, 143, 179, 443, 993, 1024, 3306, 8080, 8443, 65535,
};
#define N_COMMON_PORTS (sizeof common_ports / sizeof common_ports[0])

static uint16_t pick_port(struct corpus *c)
{
	if (rnd(c, 3) == 0)
		return (uint16_t)(1024 + rnd(c, 64511));
	return common_ports[rnd(c, N_COMMON_PORTS)];
}

/* C leaves the order in which function arguments and the expressions of an
 * initializer list are evaluated unspecified (C11 6.5.2.2p10, 6.7.9p23), so
 * two draws in one call would come out in different orders under gcc and
 * clang, and the corpus would depend on the compiler.  Rule: at most one
 * draw per expression; these helpers make several draws in sequence. */

/* An IPv4 header between two random hosts; callers set the rest. */
static struct ipv4_hdr rand_ipv4_hdr(struct corpus *c, uint8_t proto)
{
	struct ipv4_hdr h = { .proto = proto };
	h.src = rand_host4(c);
	h.dst = rand_host4(c);
	return h;
}

static void put_udp_rand_ports(struct corpus *c, struct pkt *p)
{
	uint16_t sport = pick_port(c);
	uint16_t dport = pick_port(c);
	put_udp(p, sport, dport);
}

/* TCP with random ports and sequence number; an acknowledgment number only
 * when ACK is set. */
static void put_tcp_rand(struct corpus *c, struct pkt *p, uint8_t flags, uint16_t win,
			 const uint8_t *opt, size_t optlen)
{
	uint16_t sport = pick_port(c);
	uint16_t dport = pick_port(c);
	uint32_t seq = rnd32(c);
	uint32_t ack = flags & TCP_FLAG_ACK ? rnd32(c) : 0;
	put_tcp(p, sport, dport, seq, ack, flags, win, 0, opt, optlen);
}

/* ARP who-has between two random hosts, from SHA. */
static void put_arp_request_rand(struct corpus *c, struct pkt *p, const uint8_t sha[6])
{
	uint32_t spa = rand_host4(c);
	uint32_t tpa = rand_host4(c);
	put_arp(p, ARP_OP_REQUEST, sha, spa, MAC_ZERO, tpa);
}

/* ---- link wrapping and output ------------------------------------------ */

static int is_8023_proto(uint16_t proto)
{
	return proto == LINUX_SLL_P_802_2 || proto == LINUX_SLL_P_802_3;
}

/* The destination MAC a real sender would use for this payload: IPv4 and
 * IPv6 multicast map to 01:00:5e / 33:33 (RFC 1112 6.4, RFC 2464 7),
 * limited broadcasts to ff:ff..., everything else to a host. */
static void pick_dst_mac(const struct frame *f, unsigned long n, uint8_t mac[6])
{
	const uint8_t *b = f->pl->b;
	size_t len = f->pl->len;

	if (f->dst) {
		memcpy(mac, f->dst, 6);
		return;
	}
	if (f->proto == ETYPE_IP && len >= IPV4_HDR_LEN_MIN) {
		const uint8_t *d = b + IPV4_DST_OFF;
		if (d[3] == 0xff && (d[0] != 0xff || d[1] == 0xff)) {
			memcpy(mac, MAC_BCAST, 6);
			return;
		}
		if ((d[0] & 0xf0) == 0xe0) {
			uint8_t m[6] = { 0x01, 0x00, 0x5e, d[1] & 0x7f, d[2], d[3] };
			memcpy(mac, m, 6);
			return;
		}
	}
	if (f->proto == ETYPE_IPV6 && len >= IPV6_HDR_LEN && b[IPV6_DST_OFF] == 0xff) {
		const uint8_t *d = b + IPV6_DST_OFF;
		uint8_t m[6] = { 0x33, 0x33, d[12], d[13], d[14], d[15] };
		memcpy(mac, m, 6);
		return;
	}
	memcpy(mac, host_macs[n % N_HOST_MACS], 6);
}

/* Ethernet II (type >= 0x0600) or IEEE 802.3 (length <= 1500) framing,
 * IEEE 802.3-2018 clause 3.2.6.  Short frames are padded to the 60-byte
 * minimum half the time, as a NIC would on transmit, so filters meet both
 * trailers and unpadded frames. */
static size_t build_eth(struct corpus *c, const struct frame *f, const uint8_t dst[6],
			int pad, uint8_t *out)
{
	size_t len = f->pl->len;
	uint16_t type = is_8023_proto(f->proto) ? (uint16_t)len : f->proto;
	const uint8_t *src = host_macs[(c->nframes + 3) % N_HOST_MACS];

	memcpy(out, dst, 6);
	memcpy(out + ETHER_SRC_OFF, src, 6);
	out[ETHER_TYPE_OFF] = type >> 8;
	out[ETHER_TYPE_OFF + 1] = type & 0xff;
	memcpy(out + ETHER_HDR_LEN, f->pl->b, len);
	len += ETHER_HDR_LEN;
	if (pad && len < 60) {
		memset(out + len, 0, 60 - len);
		len = 60;
	}
	return len;
}

/* Link variety for the cooked headers: hardware type and address. */
struct cooked_link {
	uint16_t hatype;
	uint8_t halen;
	uint8_t addr[8];
};

static struct cooked_link pick_cooked_link(const struct corpus *c, const struct frame *f)
{
	struct cooked_link l = { LINUX_ARPHRD_ETHER, 6, { 0 } };
	int is_ip = f->proto == ETYPE_IP || f->proto == ETYPE_IPV6;

	memcpy(l.addr, host_macs[(c->nframes + 3) % N_HOST_MACS], 6);
	if (!is_ip)
		return l;
	switch (c->nframes % 8) {
	case 5:   /* tun device: no link address */
		l.hatype = LINUX_ARPHRD_NONE;
		l.halen = 0;
		memset(l.addr, 0, 8);
		break;
	case 6:   /* GRE tunnel: the address is the outer IPv4 source */
		l.hatype = LINUX_ARPHRD_IPGRE;
		l.halen = 4;
		memset(l.addr, 0, 8);
		l.addr[0] = 192; l.addr[1] = 0; l.addr[2] = 2; l.addr[3] = 1;
		break;
	case 7:
		l.hatype = LINUX_ARPHRD_LOOPBACK;
		memset(l.addr, 0, 8);
		break;
	default:
		break;
	}
	return l;
}

/* PACKET_* type as the kernel would classify the frame by its destination. */
static uint8_t pick_pkttype(unsigned long n, const uint8_t dst[6])
{
	static const uint8_t unicast_types[] = { LINUX_SLL_HOST, LINUX_SLL_OTHERHOST, LINUX_SLL_OUTGOING };
	if (!memcmp(dst, MAC_BCAST, 6))
		return LINUX_SLL_BROADCAST;
	if (dst[0] & 1)
		return LINUX_SLL_MULTICAST;
	return unicast_types[n % 3];
}

/* LINKTYPE_LINUX_SLL (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html):
 * packet type(2), ARPHRD type(2), address length(2), address(8), protocol(2). */
static size_t build_sll(const struct frame *f, const struct cooked_link *l, uint8_t pkttype, uint8_t *out)
{
	out[0] = 0;
	out[1] = pkttype;
	out[2] = l->hatype >> 8;
	out[3] = l->hatype & 0xff;
	out[4] = 0;
	out[5] = l->halen;
	memcpy(out + LINUX_SLL_ADDR_OFF, l->addr, 8);
	out[LINUX_SLL_PROTO_OFF] = f->proto >> 8;
	out[LINUX_SLL_PROTO_OFF + 1] = f->proto & 0xff;
	memcpy(out + LINUX_SLL_HDR_LEN, f->pl->b, f->pl->len);
	return LINUX_SLL_HDR_LEN + f->pl->len;
}

static const uint32_t ifindexes[] = { 1, 2, 3, 7, 100, 4096, 0x7fffffff };

/* LINKTYPE_LINUX_SLL2 (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html):
 * protocol(2), reserved(2), interface index(4), ARPHRD type(2), packet
 * type(1), address length(1), address(8). */
static size_t build_sll2(const struct frame *f, const struct cooked_link *l, uint8_t pkttype,
			 uint32_t ifindex, uint8_t *out)
{
	out[LINUX_SLL2_PROTO_OFF] = f->proto >> 8;
	out[LINUX_SLL2_PROTO_OFF + 1] = f->proto & 0xff;
	out[2] = out[3] = 0;
	out[LINUX_SLL2_IFINDEX_OFF] = ifindex >> 24;
	out[LINUX_SLL2_IFINDEX_OFF + 1] = (ifindex >> 16) & 0xff;
	out[LINUX_SLL2_IFINDEX_OFF + 2] = (ifindex >> 8) & 0xff;
	out[LINUX_SLL2_IFINDEX_OFF + 3] = ifindex & 0xff;
	out[8] = l->hatype >> 8;
	out[9] = l->hatype & 0xff;
	out[LINUX_SLL2_PKTTYPE_OFF] = pkttype;
	out[11] = l->halen;
	memcpy(out + LINUX_SLL2_ADDR_OFF, l->addr, 8);
	memcpy(out + LINUX_SLL2_HDR_LEN, f->pl->b, f->pl->len);
	return LINUX_SLL2_HDR_LEN + f->pl->len;
}

static void record(struct corpus *c, enum out_file o, const uint8_t *data, size_t caplen, size_t wirelen)
{
	pcap_out_record(&c->out[o], data, (uint32_t)caplen, (uint32_t)wirelen);
	c->count[c->family][o]++;
}

/* Captured length of a record: the link header plus at most f->cut payload
 * bytes, and at most f->link_cut bytes overall. */
static size_t caplen_of(const struct frame *f, size_t hdrlen, size_t wirelen)
{
	size_t cap = wirelen;
	if (f->cut != NO_CUT && hdrlen + f->cut < cap)
		cap = hdrlen + f->cut;
	if (f->link_cut != NO_CUT && f->link_cut < cap)
		cap = f->link_cut;
	return cap;
}

static void emit(struct corpus *c, const struct frame *f)
{
	uint8_t dst[6];
	size_t len;
	int truncated = f->cut != NO_CUT || f->link_cut != NO_CUT;

	pick_dst_mac(f, c->nframes, dst);
	if (f->to & TO_ETH) {
		len = build_eth(c, f, dst, !truncated && (c->nframes & 1), c->frame);
		record(c, OUT_EN10MB, c->frame, caplen_of(f, ETHER_HDR_LEN, len), len);
	}
	if ((f->to & TO_RAW) && (f->proto == ETYPE_IP || f->proto == ETYPE_IPV6))
		record(c, OUT_RAW, f->pl->b, caplen_of(f, 0, f->pl->len), f->pl->len);
	if (f->to & TO_COOKED) {
		struct cooked_link l = pick_cooked_link(c, f);
		uint8_t pkttype = pick_pkttype(c->nframes, dst);
		if (f->to & TO_SLL) {
			len = build_sll(f, &l, pkttype, c->frame);
			record(c, OUT_SLL, c->frame, caplen_of(f, LINUX_SLL_HDR_LEN, len), len);
		}
		if (f->to & TO_SLL2) {
			len = build_sll2(f, &l, pkttype, ifindexes[c->nframes % 7], c->frame);
			record(c, OUT_SLL2, c->frame, caplen_of(f, LINUX_SLL2_HDR_LEN, len), len);
		}
	}
	c->nframes++;
}

/* A complete IP packet to every file. */
static void emit_l3(struct corpus *c, uint16_t proto, struct pkt *p)
{
	pkt_finish(p);
	emit(c, &(struct frame){ proto, p, NO_CUT, NO_CUT, NULL, TO_ALL });
}

/* An IP packet captured only up to CUT bytes of the network layer. */
static void emit_l3_cut(struct corpus *c, uint16_t proto, struct pkt *p, size_t cut)
{
	pkt_finish(p);
	emit(c, &(struct frame){ proto, p, cut, NO_CUT, NULL, TO_ALL });
}

/* A non-IP (or tagged) payload: Ethernet and cooked files only. */
static void emit_l2(struct corpus *c, uint16_t proto, struct pkt *p, const uint8_t *dst)
{
	pkt_finish(p);
	emit(c, &(struct frame){ proto, p, NO_CUT, NO_CUT, dst, TO_L2 });
}

static void emit_l2_cut(struct corpus *c, uint16_t proto, struct pkt *p, size_t cut)
{
	pkt_finish(p);
	emit(c, &(struct frame){ proto, p, cut, NO_CUT, NULL, TO_L2 });
}

/* ---- reusable packet contents ------------------------------------------ */

/* TCP options of a typical SYN: MSS, SACK permitted, timestamps, NOP,
 * window scale (RFC 9293 3.2, RFC 2018, RFC 7323): 20 bytes. */
static const uint8_t syn_options[20] = {
	2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 3, 3, 7
};

/* A plausible transport header of protocol PROTO and a little payload. */
static void put_some_transport(struct corpus *c, struct pkt *p, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_NUM_TCP:
		put_tcp_rand(c, p, TCP_FLAG_ACK | TCP_FLAG_PSH, 65535, NULL, 0);
		put_filler(p, rnd(c, 48), (uint8_t)proto);
		break;
	case IPPROTO_NUM_UDP:
		put_udp_rand_ports(c, p);
		put_filler(p, 4 + rnd(c, 60), (uint8_t)proto);
		break;
	case IPPROTO_NUM_ICMP:
		put_icmp(p, ICMP_TYPE_ECHO, 0, rnd32(c));
		put_filler(p, 32, 0x61);
		break;
	case IPPROTO_NUM_ICMPV6:
		put_icmp6(p, ICMP6_TYPE_ECHO, 0, rnd32(c));
		put_filler(p, 32, 0x61);
		break;
	case IPPROTO_NUM_SCTP: {
		uint16_t sport = (uint16_t)(1024 + rnd(c, 60000));
		put_sctp(p, sport, 2905, rnd32(c));
		put_sctp_chunk(p, 0 /* DATA */, 3, 12 + rnd(c, 40));
		break;
	}
	case IPPROTO_NUM_ESP: {
		uint32_t spi = 0x1000 + rnd(c, 16);
		put_esp(p, spi, rnd(c, 1000), 48);
		break;
	}
	case IPPROTO_NUM_NONE:
		break;
	default:
		put_filler(p, 8 + rnd(c, 40), (uint8_t)proto);
		break;
	}
}

static void put_random_ipv4(struct corpus *c, struct pkt *p, uint8_t proto)
{
	struct ipv4_hdr h = rand_ipv4_hdr(c, proto);
	h.id = (uint16_t)rnd32(c);
	put_ipv4(p, &h);
}

static void put_random_ipv6(struct corpus *c, struct pkt *p, uint8_t nxt)
{
	struct ip6addr s = rand_host6(c), d = rand_host6(c);
	put_ipv6(p, &s, &d, nxt, 0, rnd32(c) & 0xfffff, 64);
}

/* A complete small IPv4 or IPv6 packet (TCP, UDP or ICMP) in P. */
static void put_inner_ip(struct corpus *c, struct pkt *p, int v6, unsigned variant)
{
	static const uint8_t v4_protos[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMP };
	static const uint8_t v6_protos[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMPV6 };
	uint8_t proto = v6 ? v6_protos[variant % 3] : v4_protos[variant % 3];

	if (v6)
		put_random_ipv6(c, p, proto);
	else
		put_random_ipv4(c, p, proto);
	put_some_transport(c, p, proto);
}

/* An inner Ethernet frame (for VXLAN, Geneve, GRE TEB): IPv4, IPv6, ARP
 * or VLAN-tagged IPv4 by VARIANT. */
static void put_inner_ethernet(struct corpus *c, struct pkt *p, unsigned variant)
{
	const uint8_t *dst = host_macs[variant % N_HOST_MACS], *src = host_macs[(variant + 1) % N_HOST_MACS];
	switch (variant % 4) {
	case 0:
		put_eth(p, dst, src, ETYPE_IP);
		put_inner_ip(c, p, 0, variant);
		break;
	case 1:
		put_eth(p, dst, src, ETYPE_IPV6);
		put_inner_ip(c, p, 1, variant);
		break;
	case 2:
		put_eth(p, MAC_BCAST, src, ETYPE_ARP);
		put_arp_request_rand(c, p, src);
		break;
	default:
		put_eth(p, dst, src, ETYPE_8021Q);
		put_vlan(p, variant & 7, 0, 100 + variant, ETYPE_IP);
		put_inner_ip(c, p, 0, variant);
		break;
	}
}

/* ====================================================================== */
/* Scenario families: each emits one batch of packets.                     */
/* ====================================================================== */

/* Ethernet II with non-IP EtherTypes, to unicast, broadcast and multicast. */
static void fam_ethertypes(struct corpus *c)
{
	static const uint16_t types[] = {
		ETYPE_DN, ETYPE_LAT, ETYPE_SCA, ETYPE_MOPRC, ETYPE_MOPDL, ETYPE_ATALK, ETYPE_AARP,
		ETYPE_IPX, ETYPE_LOOPBACK, ETYPE_LLDP, 0x88e5 /* MACsec */, 0x0600, 0xffff,
	};
	const uint8_t *dsts[] = { host_macs[0], MAC_BCAST, MAC_MCAST_OTHER, host_macs[4] };
	struct pkt p;

	for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
		for (size_t d = 0; d < 4; d++) {
			pkt_init(&p);
			put_random(c, &p, 46 + rnd(c, 60));
			emit_l2(c, types[t], &p, dsts[d]);
		}
}

/* IEEE 802.3 length-framed LLC: STP BPDUs, NetBEUI, IPX, ISO, SNAP (RFC 1042
 * IP and ARP, Cisco CDP), I/S/U control formats, and "raw" Novell 802.3. */
static void fam_llc_8023(struct corpus *c)
{
	static const uint8_t u_ctrls[] = { LLC_UI, LLC_UA, LLC_DISC, LLC_DM, LLC_SABME, LLC_TEST, LLC_XID, LLC_FRMR };
	static const uint16_t s_ctrls[] = { LLC_RR, LLC_RNR, LLC_REJ };
	struct pkt p;

	for (int i = 0; i < 12; i++) {
		/* IEEE 802.1D-2004 clause 9.3: protocol id 0, version, BPDU type:
		 * 0x00 configuration (35 bytes), 0x80 TCN (4), 0x02 RST (36). */
		static const uint8_t kinds[3][2] = { { 0, 0x00 }, { 0, 0x80 }, { 2, 0x02 } };
		const uint8_t *k = kinds[i % 3];
		pkt_init(&p);
		put_llc(&p, LLCSAP_8021D, LLCSAP_8021D, LLC_UI, 1);
		put_be16(&p, 0);
		put_u8(&p, k[0]);
		put_u8(&p, k[1]);
		if (k[1] != 0x80) {
			put_u8(&p, (uint8_t)(i & 1 ? 0x01 : 0x3c));       /* flags */
			put_be16(&p, (uint16_t)(0x8000 + i));             /* root id */
			put_bytes(&p, host_macs[i % N_HOST_MACS], 6);
			put_be32(&p, (uint32_t)(4 * i));                  /* root path cost */
			put_be16(&p, 0x8000);
			put_bytes(&p, host_macs[(i + 1) % N_HOST_MACS], 6);
			put_be16(&p, (uint16_t)(0x8001 + i));             /* port id */
			put_be16(&p, 0); put_be16(&p, 20 * 256); put_be16(&p, 2 * 256); put_be16(&p, 15 * 256);
			if (k[1] == 0x02)
				put_u8(&p, 0);                            /* version 1 length */
		}
		emit_l2(c, LINUX_SLL_P_802_2, &p, MAC_STP);
	}
	for (int i = 0; i < 24; i++) {     /* NetBEUI: U, I and S frames */
		pkt_init(&p);
		if (i % 3 == 0)
			put_llc(&p, LLCSAP_NETBEUI, LLCSAP_NETBEUI, u_ctrls[i % 8], 1);
		else if (i % 3 == 1)
			put_llc(&p, LLCSAP_NETBEUI, LLCSAP_NETBEUI | 1, (uint16_t)((i << 9) | (i << 1)), 2);
		else
			put_llc(&p, LLCSAP_NETBEUI, LLCSAP_NETBEUI, (uint16_t)(s_ctrls[i % 3] << 8 | i << 1), 2);
		put_random(c, &p, 20 + rnd(c, 80));
		emit_l2(c, LINUX_SLL_P_802_2, &p, i & 1 ? MAC_BCAST : host_macs[i % N_HOST_MACS]);
	}
	for (int i = 0; i < 16; i++) {     /* IPX over 802.2 and ISO CLNS */
		pkt_init(&p);
		if (i < 10) {
			put_llc(&p, LLCSAP_IPX, LLCSAP_IPX, LLC_UI, 1);
			put_be16(&p, 0xffff);    /* IPX checksum: none */
			put_be16(&p, 30);
		} else {
			put_llc(&p, LLCSAP_ISONS, LLCSAP_ISONS, LLC_UI, 1);
			put_u8(&p, 0x83);        /* IS-IS NLPID */
		}
		put_random(c, &p, 28 + rnd(c, 60));
		emit_l2(c, LINUX_SLL_P_802_2, &p, i & 1 ? MAC_BCAST : host_macs[i % N_HOST_MACS]);
	}
	for (int i = 0; i < 14; i++) {     /* SNAP: RFC 1042 IPv4 and ARP, Cisco CDP */
		pkt_init(&p);
		if (i < 6) {
			put_snap(&p, SNAP_OUI_ENCAP_ETHER, ETYPE_IP);
			put_inner_ip(c, &p, 0, (unsigned)i);
		} else if (i < 10) {
			put_snap(&p, SNAP_OUI_ENCAP_ETHER, ETYPE_ARP);
			put_arp_request_rand(c, &p, host_macs[i % N_HOST_MACS]);
		} else {
			put_snap(&p, SNAP_OUI_CISCO, SNAP_PID_CISCO_CDP);
			put_random(c, &p, 60);
		}
		emit_l2(c, LINUX_SLL_P_802_2, &p, i >= 10 ? MAC_CDP : i >= 6 ? MAC_BCAST : NULL);
	}
	for (int i = 0; i < 16; i++) {     /* U-format controls, random and global SAPs */
		pkt_init(&p);
		uint8_t sap = i < 4 ? LLCSAP_GLOBAL : (uint8_t)(rnd(c, 256) & 0xfe);
		put_llc(&p, sap, (uint8_t)(rnd(c, 256) & 0xfe), u_ctrls[i % 8], 1);
		put_random(c, &p, rnd(c, 64));
		emit_l2(c, LINUX_SLL_P_802_2, &p, host_macs[i % N_HOST_MACS]);
	}
	for (int i = 0; i < 10; i++) {     /* Novell "raw 802.3": IPX straight after the length */
		pkt_init(&p);
		put_be16(&p, 0xffff);
		put_be16(&p, (uint16_t)(30 + i));
		put_random(c, &p, 26 + i);
		emit_l2(c, LINUX_SLL_P_802_3, &p, MAC_BCAST);
	}
}

/* ARP and RARP (RFC 826, RFC 903): requests broadcast, replies unicast,
 * gratuitous ARP. */
static void fam_arp(struct corpus *c)
{
	struct pkt p;
	for (int i = 0; i < 80; i++) {
		const uint8_t *sha = host_macs[i % N_HOST_MACS], *tha = host_macs[(i + 2) % N_HOST_MACS];
		uint32_t spa = rand_host4(c), tpa = i % 10 == 9 ? spa : rand_host4(c);
		uint16_t op, type = i % 4 == 3 ? ETYPE_REVARP : ETYPE_ARP;
		int reply = i % 2;

		if (type == ETYPE_REVARP)
			op = reply ? ARP_OP_RREPLY : ARP_OP_RREQUEST;
		else
			op = reply ? ARP_OP_REPLY : ARP_OP_REQUEST;
		pkt_init(&p);
		put_arp(&p, op, sha, type == ETYPE_REVARP && !reply ? 0 : spa, reply ? tha : MAC_ZERO, tpa);
		emit_l2(c, type, &p, reply ? tha : MAC_BCAST);
	}
}

/* Payload after the last VLAN tag: the tag's inner type was NEXT. */
static void put_vlan_inner(struct corpus *c, struct pkt *p, uint16_t next, unsigned variant)
{
	switch (next) {
	case ETYPE_IP:
		put_inner_ip(c, p, 0, variant);
		break;
	case ETYPE_IPV6:
		put_inner_ip(c, p, 1, variant);
		break;
	case ETYPE_ARP:
		put_arp_request_rand(c, p, host_macs[variant % N_HOST_MACS]);
		break;
	case ETYPE_MPLS:
		put_mpls(p, 100 + variant, 0, 1, 64);
		put_inner_ip(c, p, 0, variant);
		break;
	case ETYPE_PPPOES:
		put_pppoe(p, PPPOE_CODE_SESSION, (uint16_t)(0x100 + variant));
		put_ppp(p, PPP_IP);
		put_inner_ip(c, p, 0, variant);
		break;
	default:
		put_random(c, p, 40);
		break;
	}
}

/* IEEE 802.1Q single tags: VIDs 0 (priority tag), 1, 10, 100, 4095
 * (reserved) and others, every priority, DEI both ways, various inners
 * including an 802.3/LLC frame whose "type" after the tag is a length. */
static void fam_vlan(struct corpus *c)
{
	static const unsigned vids[] = { 0, 1, 2, 10, 100, 200, 1000, 2047, 4094, 4095 };
	static const uint16_t inners[] = { ETYPE_IP, ETYPE_IPV6, ETYPE_ARP, ETYPE_IP, ETYPE_MPLS, ETYPE_PPPOES };
	struct pkt p;
	unsigned n = 0;

	for (size_t v = 0; v < sizeof vids / sizeof vids[0]; v++)
		for (size_t k = 0; k < sizeof inners / sizeof inners[0]; k++, n++)
			for (int twice = 0; twice < 2; twice++) {
				pkt_init(&p);
				put_vlan(&p, (n + (unsigned)twice) % 8, (unsigned)twice, vids[v], inners[k]);
				put_vlan_inner(c, &p, inners[k], n);
				emit_l2(c, ETYPE_8021Q, &p, NULL);
			}
	for (int i = 0; i < 10; i++) {     /* tagged 802.3/LLC: length after the tag */
		pkt_init(&p);
		put_vlan(&p, 0, 0, vids[i], 3 + 40);
		put_llc(&p, LLCSAP_NETBEUI, LLCSAP_NETBEUI, LLC_UI, 1);
		put_random(c, &p, 40);
		emit_l2(c, ETYPE_8021Q, &p, NULL);
	}
}

/* Stacked tags: IEEE 802.1ad S-tag (0x88a8), the pre-standard 0x9100 and
 * 0x8100-in-0x8100, two and three deep. */
static void fam_qinq(struct corpus *c)
{
	static const uint16_t outer[] = { ETYPE_8021AD, ETYPE_QINQ_OLD, ETYPE_8021Q };
	static const uint16_t middle[] = { ETYPE_8021Q, ETYPE_8021AD, ETYPE_QINQ_OLD };
	static const uint16_t inners[] = { ETYPE_IP, ETYPE_IPV6, ETYPE_ARP, ETYPE_MPLS };
	struct pkt p;
	unsigned n = 0;

	for (size_t o = 0; o < 3; o++)
		for (size_t m = 0; m < 3; m++)
			for (size_t k = 0; k < 4; k++)
				for (int depth = 2; depth <= 3; depth++, n++) {
					unsigned vid_outer = (unsigned[]){ 1, 10, 100, 4095, 0, 300 }[n % 6];
					pkt_init(&p);
					put_vlan(&p, n % 8, 0, vid_outer, middle[m]);
					if (depth == 3)
						put_vlan(&p, (n + 1) % 8, 0, 20 + n, ETYPE_8021Q);
					put_vlan(&p, (n + 2) % 8, n & 1, 100 + n % 7, inners[k]);
					put_vlan_inner(c, &p, inners[k], n);
					emit_l2(c, outer[o], &p, NULL);
				}
}

/* The explicit-null labels name the payload (RFC 3032 2.1): 0 is IPv4
 * only, 2 IPv6 only; swap them at the bottom of the stack to match.  The
 * implicit null (3) is never sent (2.1); decoders take it as IPv4, so it
 * stays at the bottom of IPv4 stacks only. */
static uint32_t bottom_label_for(uint32_t label, int v6)
{
	if ((label == MPLS_LABEL_IPV4_NULL || label == MPLS_LABEL_IMPL_NULL) && v6)
		return MPLS_LABEL_IPV6_NULL;
	if (label == MPLS_LABEL_IPV6_NULL && !v6)
		return MPLS_LABEL_IPV4_NULL;
	return label;
}

/* MPLS label stacks (RFC 3032): 1-3 labels, the S bit on the last only,
 * reserved labels 0/2/3, 16, 1000 and the largest label, over IPv4/IPv6;
 * plus the multicast EtherType and MPLS under a VLAN tag. */
static void fam_mpls(struct corpus *c)
{
	static const uint32_t labels[] = { MPLS_LABEL_IPV4_NULL, MPLS_LABEL_IPV6_NULL, MPLS_LABEL_IMPL_NULL,
					   16, 1000, 100000, MPLS_LABEL_MAX };
	struct pkt p;
	unsigned n = 0;

	for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++)
		for (unsigned depth = 1; depth <= 3; depth++)
			for (int v6 = 0; v6 <= 1; v6++)
				for (int rep = 0; rep < 2; rep++, n++) {
					pkt_init(&p);
					for (unsigned d = 0; d < depth; d++) {
						uint32_t label = d == 0 ? labels[l] : labels[(l + d * 3) % 7];
						if (d + 1 == depth)
							label = bottom_label_for(label, v6);
						put_mpls(&p, label, n % 8, d + 1 == depth, (uint8_t)(255 - n));
					}
					put_inner_ip(c, &p, v6, n);
					emit_l2(c, ETYPE_MPLS, &p, NULL);
				}
	for (int i = 0; i < 10; i++, n++) {
		pkt_init(&p);
		put_mpls(&p, 16 + rnd(c, 1000), 0, 1, 64);
		put_inner_ip(c, &p, i & 1, n);
		emit_l2(c, ETYPE_MPLS_MC, &p, NULL);
	}
	for (int i = 0; i < 10; i++, n++) {
		pkt_init(&p);
		put_vlan(&p, 5, 0, 10 * (i + 1), ETYPE_MPLS);
		put_mpls(&p, 2000 + i, 0, 0, 64);
		put_mpls(&p, 3000 + i, 0, 1, 64);
		put_inner_ip(c, &p, i & 1, n);
		emit_l2(c, ETYPE_8021Q, &p, NULL);
	}
}

/* PPPoE (RFC 2516): discovery stage PADI/PADO/PADR/PADS/PADT with tags, and
 * sessions carrying PPP IPv4, IPv6, LCP and IPCP, various session ids. */
static void fam_pppoe(struct corpus *c)
{
	static const uint8_t codes[] = { PPPOE_CODE_PADI, PPPOE_CODE_PADO, PPPOE_CODE_PADR,
					 PPPOE_CODE_PADS, PPPOE_CODE_PADT };
	static const uint16_t sids[] = { 0x0000, 0x0001, 0x0002, 0x1234, 0xbeef, 0xffff };
	static const uint16_t ppp_protos[] = { PPP_IP, PPP_IP, PPP_IPV6, PPP_IPV6, PPP_LCP, PPP_IPCP };
	struct pkt p;
	unsigned n = 0;

	for (int i = 0; i < 20; i++) {
		uint8_t code = codes[i % 5];
		pkt_init(&p);
		put_pppoe(&p, code, code == PPPOE_CODE_PADI || code == PPPOE_CODE_PADO ||
				    code == PPPOE_CODE_PADR ? 0 : sids[1 + i % 5]);
		put_pppoe_tag(&p, PPPOE_TAG_SERVICE_NAME, i & 1 ? "internet" : "");
		put_pppoe_tag(&p, PPPOE_TAG_HOST_UNIQ, "\x01\x02\x03\x04");
		if (code == PPPOE_CODE_PADO || code == PPPOE_CODE_PADS)
			put_pppoe_tag(&p, PPPOE_TAG_AC_NAME, "bras-1");
		emit_l2(c, ETYPE_PPPOED, &p, code == PPPOE_CODE_PADI ? MAC_BCAST : NULL);
	}
	for (size_t s = 0; s < sizeof sids / sizeof sids[0]; s++)
		for (size_t k = 0; k < sizeof ppp_protos / sizeof ppp_protos[0]; k++)
			for (int rep = 0; rep < 2; rep++, n++) {
				pkt_init(&p);
				put_pppoe(&p, PPPOE_CODE_SESSION, sids[s]);
				put_ppp(&p, ppp_protos[k]);
				if (ppp_protos[k] == PPP_IP || ppp_protos[k] == PPP_IPV6) {
					put_inner_ip(c, &p, ppp_protos[k] == PPP_IPV6, n);
				} else {
					/* RFC 1661 5: code, identifier, length, data. */
					put_u8(&p, ppp_protos[k] == PPP_LCP ? 9 /* echo-request */ : 1);
					put_u8(&p, (uint8_t)n);
					put_be16(&p, 8);
					put_be32(&p, rnd32(c));
				}
				emit_l2(c, ETYPE_PPPOES, &p, NULL);
			}
}

/* IPv4 addresses across subnets, to unicast, subnet and limited broadcast,
 * and multicast groups. */
static void fam_ipv4_addresses(struct corpus *c)
{
	static const uint32_t special_dsts[] = {
		0xffffffff, 0xc0a801ff, 0x0affffff, 0xac1fffff, 0xe0000001, 0xe0000002, 0xe00000fb,
		0xe00000fc, 0xeffffffa, 0xe8010203, 0xef000001, 0x7f000001, 0x00000000,
	};
	static const uint8_t protos[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMP, IPPROTO_NUM_UDP };
	struct pkt p;

	for (int i = 0; i < 400; i++) {
		uint8_t proto = protos[i % 4];
		uint32_t src = i % 41 == 0 ? 0 : rand_host4(c);   /* 0.0.0.0: DHCP discover */
		uint32_t dst = i % 5 == 4 ? special_dsts[(i / 5) % 13] : rand_host4(c);
		pkt_init(&p);
		put_ipv4(&p, &(struct ipv4_hdr){ .src = src, .dst = dst, .proto = proto, .id = (uint16_t)i,
						 .tos = (uint8_t)(i % 7 == 0 ? 0xb8 : 0),
						 .ttl = (uint8_t)((dst >> 28) == 0xe ? 1 : 64),
						 .frag = i % 3 == 0 ? IPV4_FLAG_DF : 0 });
		put_some_transport(c, &p, proto);
		emit_l3(c, ETYPE_IP, &p);
	}
}

/* IPv4 options filling IHL 6..15 (RFC 791 3.1): NOP/EOL padding, record
 * route, timestamp, loose source route, router alert (RFC 2113). */
static size_t build_ipv4_options(unsigned kind, size_t optlen, uint8_t *o)
{
	size_t used = 0, n;
	memset(o, IPV4_OPT_EOL, optlen);
	switch (kind % 5) {
	case 0:
		for (; used + 1 < optlen; used++)
			o[used] = IPV4_OPT_NOP;
		break;
	case 1:
	case 3:
		n = (optlen - 3) / 4;                 /* route slots that fit */
		if (n == 0)
			break;
		o[0] = kind % 5 == 1 ? IPV4_OPT_RR : IPV4_OPT_LSRR;
		o[1] = (uint8_t)(3 + 4 * n);
		o[2] = 4;
		for (size_t i = 0; i < n; i++)
			memcpy(o + 3 + 4 * i, (uint8_t[]){ 10, 0, (uint8_t)i, 1 }, 4);
		break;
	case 2:
		n = (optlen - 4) / 4;
		o[0] = IPV4_OPT_TS;
		o[1] = (uint8_t)(4 + 4 * n);
		o[2] = 5;
		o[3] = 0;                             /* overflow 0, flag 0: timestamps only */
		break;
	case 4:
		o[0] = IPV4_OPT_RA;
		o[1] = 4;
		for (used = 4; used < optlen; used++)
			o[used] = IPV4_OPT_NOP;
		break;
	}
	return optlen;
}

static void fam_ipv4_options(struct corpus *c)
{
	static const uint8_t protos[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMP };
	uint8_t opt[40];
	struct pkt p;
	unsigned n = 0;

	for (unsigned ihl = 6; ihl <= 15; ihl++)
		for (unsigned kind = 0; kind < 5; kind++)
			for (int k = 0; k < 2; k++, n++) {
				struct ipv4_hdr h = rand_ipv4_hdr(c, protos[n % 3]);
				h.id = (uint16_t)n;
				h.opt = opt;
				h.optlen = build_ipv4_options(kind, (ihl - 5) * 4, opt);
				pkt_init(&p);
				put_ipv4(&p, &h);
				put_some_transport(c, &p, h.proto);
				emit_l3(c, ETYPE_IP, &p);
			}
}

/* Emit DATAGRAM (a finished IPv4 packet with a 20-byte header) as fragments
 * cut at the 8-byte-aligned boundaries in CUTS (RFC 791 3.2). */
static void emit_ipv4_fragments(struct corpus *c, const struct pkt *datagram, const size_t *cuts, int ncuts,
				uint16_t extra_flags)
{
	const uint8_t *d = datagram->b;
	size_t body = datagram->len - IPV4_HDR_LEN_MIN, start = 0;
	struct pkt p;

	for (int i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : body;
		uint16_t frag = (uint16_t)(start / 8) | (i < ncuts ? IPV4_FLAG_MF : 0) | extra_flags;
		pkt_init(&p);
		put_ipv4(&p, &(struct ipv4_hdr){ .src = (uint32_t)d[12] << 24 | d[13] << 16 | d[14] << 8 | d[15],
						 .dst = (uint32_t)d[16] << 24 | d[17] << 16 | d[18] << 8 | d[19],
						 .proto = d[IPV4_PROTO_OFF], .id = (uint16_t)(d[4] << 8 | d[5]),
						 .frag = frag });
		put_bytes(&p, d + IPV4_HDR_LEN_MIN + start, end - start);
		emit_l3(c, ETYPE_IP, &p);
		start = end;
	}
}

/* Fragments: first (MF, offset 0), middle (MF, offset > 0), last (offset > 0);
 * an 8-byte first fragment that splits the TCP header; the largest offset;
 * DF on unfragmented packets. */
static void fam_ipv4_fragments(struct corpus *c)
{
	static const uint8_t protos[] = { IPPROTO_NUM_UDP, IPPROTO_NUM_TCP, IPPROTO_NUM_ICMP };
	struct pkt dg, p;

	for (int i = 0; i < 30; i++) {
		struct ipv4_hdr h = rand_ipv4_hdr(c, protos[i % 3]);
		size_t third;
		h.id = (uint16_t)(0x4000 + i);
		pkt_init(&dg);
		put_ipv4(&dg, &h);
		put_some_transport(c, &dg, h.proto);
		put_filler(&dg, 200 + rnd(c, 1200), (uint8_t)i);
		pkt_finish(&dg);
		third = ((dg.len - IPV4_HDR_LEN_MIN) / 3) & ~(size_t)7;
		emit_ipv4_fragments(c, &dg, (size_t[]){ third, 2 * third }, 2, 0);
	}
	for (int i = 0; i < 10; i++) {            /* tiny first fragment: TCP header split */
		struct ipv4_hdr h = rand_ipv4_hdr(c, IPPROTO_NUM_TCP);
		uint16_t sport = pick_port(c);
		h.id = (uint16_t)(0x5000 + i);
		pkt_init(&dg);
		put_ipv4(&dg, &h);
		put_tcp(&dg, sport, (uint16_t)(i & 1 ? 80 : 443), rnd32(c), 0, TCP_FLAG_SYN, 1024, 0, NULL, 0);
		put_filler(&dg, 64, 1);
		pkt_finish(&dg);
		emit_ipv4_fragments(c, &dg, (size_t[]){ 8 }, 1, 0);
	}
	for (int i = 0; i < 10; i++) {            /* lone fragments with odd offsets and flags */
		static const uint16_t frags[] = { 0x1fff, 0x0001, 0x1000, IPV4_FLAG_MF | 0x1fff, IPV4_FLAG_DF | 0x0010 };
		struct ipv4_hdr h = rand_ipv4_hdr(c, IPPROTO_NUM_UDP);
		h.id = (uint16_t)(0x6000 + i);
		h.frag = frags[i % 5];
		pkt_init(&p);
		put_ipv4(&p, &h);
		put_filler(&p, 8 * (1 + rnd(c, 20)), 3);
		emit_l3(c, ETYPE_IP, &p);
	}
	for (int i = 0; i < 20; i++) {            /* DF set, not fragmented */
		struct ipv4_hdr h = rand_ipv4_hdr(c, protos[i % 3]);
		h.frag = IPV4_FLAG_DF;
		h.id = (uint16_t)(0x7000 + i);
		pkt_init(&p);
		put_ipv4(&p, &h);
		put_some_transport(c, &p, h.proto);
		emit_l3(c, ETYPE_IP, &p);
	}
}

/* Append one IPv6 extension header of type KIND whose next header is NXT. */
static void put_ip6_ext(struct corpus *c, struct pkt *p, uint8_t kind, uint8_t nxt, unsigned variant)
{
	struct ip6addr via = rand_host6(c);
	switch (kind) {
	case IPPROTO_NUM_HOPOPTS:
	case IPPROTO_NUM_DSTOPTS:
		put_ip6_opts(p, nxt, variant % 3, kind == IPPROTO_NUM_HOPOPTS && variant % 2);
		break;
	case IPPROTO_NUM_ROUTING:
		put_ip6_routing(p, nxt, (uint8_t)(variant % 2 ? 0 : 2), 1 + variant % 3, &via);
		break;
	case IPPROTO_NUM_FRAGMENT:
		/* First fragments (offset 0, M=1) mostly, so the chain continues
		 * into a real transport header; every fourth a later fragment. */
		put_ip6_frag(p, nxt, (uint16_t)(variant % 4 == 3 ? 185 : 0), variant % 4 != 2, 0xabc00000 + variant);
		break;
	case IPPROTO_NUM_AH:
		put_ah(p, nxt, 0x100 + variant, variant, 12 + 8 * (variant % 2));
		break;
	}
}

/* IPv6 extension-header chains (RFC 8200 4.1) 1 to 6 deep, before TCP, UDP,
 * ICMPv6, SCTP, ESP or no next header. */
static void fam_ipv6_ext_headers(struct corpus *c)
{
	static const uint8_t kinds[] = { IPPROTO_NUM_DSTOPTS, IPPROTO_NUM_ROUTING, IPPROTO_NUM_FRAGMENT,
					 IPPROTO_NUM_AH, IPPROTO_NUM_DSTOPTS, IPPROTO_NUM_HOPOPTS };
	static const uint8_t terms[] = { IPPROTO_NUM_TCP, IPPROTO_NUM_UDP, IPPROTO_NUM_ICMPV6, IPPROTO_NUM_TCP,
					 IPPROTO_NUM_NONE, IPPROTO_NUM_UDP, IPPROTO_NUM_ESP, IPPROTO_NUM_SCTP };
	struct pkt p;

	for (unsigned i = 0; i < 240; i++) {
		unsigned depth = 1 + i % 6;
		uint8_t chain[6], term = terms[(i / 6) % 8];
		/* Hop-by-hop belongs first (RFC 8200 4.1); put it there two times
		 * in three, and elsewhere now and then, as broken stacks do. */
		for (unsigned k = 0; k < depth; k++)
			chain[k] = k == 0 && i % 3 != 2 ? IPPROTO_NUM_HOPOPTS : kinds[rnd(c, 5 + (i % 17 == 0))];
		pkt_init(&p);
		put_random_ipv6(c, &p, chain[0]);
		for (unsigned k = 0; k < depth; k++)
			put_ip6_ext(c, &p, chain[k], k + 1 < depth ? chain[k + 1] : term, i + k);
		put_some_transport(c, &p, term);
		emit_l3(c, ETYPE_IPV6, &p);
	}
}

/* Every TCP flag combination (RFC 9293 3.1, RFC 3168) over IPv4, common
 * ones over IPv6, with the usual and the odd ports. */
static void fam_tcp_flags(struct corpus *c)
{
	static const uint8_t v6_flags[] = {
		TCP_FLAG_SYN, TCP_FLAG_SYN | TCP_FLAG_ACK, TCP_FLAG_ACK, TCP_FLAG_PSH | TCP_FLAG_ACK,
		TCP_FLAG_FIN | TCP_FLAG_ACK, TCP_FLAG_RST, TCP_FLAG_RST | TCP_FLAG_ACK, TCP_FLAG_URG | TCP_FLAG_ACK,
		TCP_FLAG_SYN | TCP_FLAG_ECE | TCP_FLAG_CWR, TCP_FLAG_ECE | TCP_FLAG_ACK, TCP_FLAG_CWR | TCP_FLAG_ACK, 0,
	};
	struct pkt p;

	for (unsigned i = 0; i < 256 + 72; i++) {
		int v6 = i >= 256;
		uint8_t flags = v6 ? v6_flags[(i - 256) % 12] : (uint8_t)i;
		uint16_t sport = i % 2 ? common_ports[i % N_COMMON_PORTS] : (uint16_t)(32768 + i);
		uint16_t dport = common_ports[(i / 2) % N_COMMON_PORTS];
		int syn = flags & TCP_FLAG_SYN;

		pkt_init(&p);
		if (v6)
			put_random_ipv6(c, &p, IPPROTO_NUM_TCP);
		else
			put_random_ipv4(c, &p, IPPROTO_NUM_TCP);
		uint32_t seq = rnd32(c);
		uint32_t ack = flags & TCP_FLAG_ACK ? rnd32(c) : 0;
		uint16_t win = (uint16_t)(syn ? 64240 : rnd(c, 65536));
		uint16_t urp = (uint16_t)(flags & TCP_FLAG_URG ? 1 + rnd(c, 100) : 0);
		put_tcp(&p, sport, dport, seq, ack, flags, win, urp,
			syn ? syn_options : NULL, syn ? sizeof syn_options : 0);
		if (!syn && !(flags & TCP_FLAG_RST))
			put_filler(&p, rnd(c, 100), (uint8_t)i);
		emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
}

/* UDP to and from well-known ports, both directions, IPv4 and IPv6. */
static void fam_udp_ports(struct corpus *c)
{
	static const uint16_t ports[] = { 53, 67, 68, 69, 123, 137, 138, 161, 162, 500, 514, 520, 546, 547,
					  1900, 4500, 5353, 0, 65535, 3784, UDP_PORT_VXLAN, UDP_PORT_GENEVE };
	struct pkt p;
	unsigned n = 0;

	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		for (int dir = 0; dir < 2; dir++)
			for (int v6 = 0; v6 < 2; v6++, n++) {
				uint16_t eph = (uint16_t)(1024 + rnd(c, 60000));
				pkt_init(&p);
				if (v6)
					put_random_ipv6(c, &p, IPPROTO_NUM_UDP);
				else
					put_random_ipv4(c, &p, IPPROTO_NUM_UDP);
				put_udp(&p, dir ? ports[i] : eph, dir ? eph : ports[i]);
				put_filler(&p, ports[i] == 123 ? 48 : 8 + rnd(c, 300), (uint8_t)n);
				emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
			}
}

/* ICMP (RFC 792, 950, 1256): echo, unreachable with every code and the
 * quoted datagram, time exceeded, redirect, quench, parameter problem,
 * timestamp, router discovery, info and mask, unassigned types. */
static void fam_icmp(struct corpus *c)
{
	static const uint8_t simple[][2] = {
		{ ICMP_TYPE_TIMXCEED, 0 }, { ICMP_TYPE_TIMXCEED, 1 }, { ICMP_TYPE_REDIRECT, 0 },
		{ ICMP_TYPE_REDIRECT, 1 }, { ICMP_TYPE_REDIRECT, 2 }, { ICMP_TYPE_REDIRECT, 3 },
		{ ICMP_TYPE_SOURCEQUENCH, 0 }, { ICMP_TYPE_PARAMPROB, 0 }, { ICMP_TYPE_PARAMPROB, 1 },
		{ ICMP_TYPE_TSTAMP, 0 }, { ICMP_TYPE_TSTAMPREPLY, 0 }, { ICMP_TYPE_ROUTERADVERT, 0 },
		{ ICMP_TYPE_ROUTERSOLICIT, 0 }, { ICMP_TYPE_IREQ, 0 }, { ICMP_TYPE_IREQREPLY, 0 },
		{ ICMP_TYPE_MASKREQ, 0 }, { ICMP_TYPE_MASKREPLY, 0 }, { 42, 0 }, { 253, 7 }, { 255, 255 },
	};
	struct pkt p, quoted;

	for (int i = 0; i < 24; i++) {
		pkt_init(&p);
		put_random_ipv4(c, &p, IPPROTO_NUM_ICMP);
		put_icmp(&p, i % 2 ? ICMP_TYPE_ECHOREPLY : ICMP_TYPE_ECHO, 0, (uint32_t)(0x1234 << 16 | i / 2));
		put_filler(&p, i < 20 ? 56 : 1400, 0x20);
		emit_l3(c, ETYPE_IP, &p);
	}
	for (int code = 0; code < 16; code++) {
		pkt_init(&quoted);
		put_random_ipv4(c, &quoted, IPPROTO_NUM_UDP);
		put_udp_rand_ports(c, &quoted);
		put_filler(&quoted, 32, 0);
		pkt_finish(&quoted);
		pkt_init(&p);
		put_random_ipv4(c, &p, IPPROTO_NUM_ICMP);
		put_icmp(&p, ICMP_TYPE_UNREACH, (uint8_t)code, code == 4 ? 1400 : 0);
		put_bytes(&p, quoted.b, IPV4_HDR_LEN_MIN + 8);
		emit_l3(c, ETYPE_IP, &p);
	}
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
		pkt_init(&p);
		put_random_ipv4(c, &p, IPPROTO_NUM_ICMP);
		put_icmp(&p, simple[i][0], simple[i][1], simple[i][0] == ICMP_TYPE_REDIRECT ? rand_host4(c) : 0);
		put_random(c, &p, simple[i][0] == ICMP_TYPE_TSTAMP ? 12 : 28);
		emit_l3(c, ETYPE_IP, &p);
	}
}

/* ICMPv6 (RFC 4443, 4861, 2710, 3810): echo, neighbor and router discovery,
 * redirect, MLD v1 and v2 behind a hop-by-hop router alert, and errors. */
static void fam_icmp6(struct corpus *c)
{
	static const uint8_t errors[][2] = {
		{ ICMP6_TYPE_DST_UNREACH, 0 }, { ICMP6_TYPE_DST_UNREACH, 1 }, { ICMP6_TYPE_DST_UNREACH, 3 },
		{ ICMP6_TYPE_DST_UNREACH, 4 }, { ICMP6_TYPE_DST_UNREACH, 6 }, { ICMP6_TYPE_PACKET_TOO_BIG, 0 },
		{ ICMP6_TYPE_TIME_EXCEEDED, 0 }, { ICMP6_TYPE_TIME_EXCEEDED, 1 }, { ICMP6_TYPE_PARAM_PROB, 1 },
		{ 200, 0 },
	};
	static const uint8_t mld[] = { ICMP6_TYPE_MLD_QUERY, ICMP6_TYPE_MLD_REPORT, ICMP6_TYPE_MLD_DONE,
				       ICMP6_TYPE_MLDV2_REPORT };
	struct ip6addr all_nodes = ip6("ff02::1"), all_routers = ip6("ff02::2"), mldv2 = ip6("ff02::16");
	struct pkt p;

	for (int i = 0; i < 20; i++) {
		pkt_init(&p);
		put_random_ipv6(c, &p, IPPROTO_NUM_ICMPV6);
		put_icmp6(&p, i % 2 ? ICMP6_TYPE_ECHOREPLY : ICMP6_TYPE_ECHO, 0, (uint32_t)(0x77 << 16 | i / 2));
		put_filler(&p, 56, 0x30);
		emit_l3(c, ETYPE_IPV6, &p);
	}
	for (int i = 0; i < 24; i++) {
		struct ip6addr src = rand_host6(c), target = rand_host6(c), dst;
		uint8_t type = (uint8_t)(ICMP6_TYPE_ROUTER_SOLICIT + i % 5);
		uint32_t rest = 0;
		switch (type) {
		case ICMP6_TYPE_ROUTER_SOLICIT:   dst = all_routers; break;
		case ICMP6_TYPE_ROUTER_ADVERT:    dst = all_nodes; rest = 64u << 24 | 1800; break;
		case ICMP6_TYPE_NEIGHBOR_SOLICIT: dst = solicited_node(&target); break;
		case ICMP6_TYPE_NEIGHBOR_ADVERT:  dst = i & 1 ? all_nodes : rand_host6(c); rest = 0x60000000; break;
		default:                          dst = rand_host6(c); break;
		}
		pkt_init(&p);
		put_ipv6(&p, &src, &dst, IPPROTO_NUM_ICMPV6, 0, 0, 255);   /* RFC 4861: hop limit 255 */
		put_icmp6(&p, type, 0, rest);
		if (type == ICMP6_TYPE_ROUTER_ADVERT)
			put_zeros(&p, 8);                   /* reachable, retrans timers */
		if (type >= ICMP6_TYPE_NEIGHBOR_SOLICIT)
			put_bytes(&p, target.a, 16);
		if (type == ICMP6_TYPE_REDIRECT)
			put_bytes(&p, dst.a, 16);
		put_u8(&p, 1);                              /* source link-layer address option */
		put_u8(&p, 1);
		put_bytes(&p, host_macs[i % N_HOST_MACS], 6);
		emit_l3(c, ETYPE_IPV6, &p);
	}
	for (int i = 0; i < 12; i++) {
		uint8_t type = mld[i % 4];
		struct ip6addr src = ip6("fe80::1"), group = ip6("ff02::1:3"), dst;
		src.a[15] = (uint8_t)(i + 1);
		group.a[15] = (uint8_t)i;
		dst = type == ICMP6_TYPE_MLD_QUERY ? all_nodes : type == ICMP6_TYPE_MLD_DONE ? all_routers
			: type == ICMP6_TYPE_MLDV2_REPORT ? mldv2 : group;
		pkt_init(&p);
		put_ipv6(&p, &src, &dst, IPPROTO_NUM_HOPOPTS, 0, 0, 1);
		put_ip6_opts(&p, IPPROTO_NUM_ICMPV6, 0, 1);
		put_icmp6(&p, type, 0, type == ICMP6_TYPE_MLDV2_REPORT ? 1 : 10000u << 16);
		if (type == ICMP6_TYPE_MLDV2_REPORT) {     /* RFC 3810 5.2.4: one record */
			put_u8(&p, 4);
			put_u8(&p, 0);
			put_be16(&p, 0);
		}
		put_bytes(&p, type == ICMP6_TYPE_MLD_QUERY && i < 4 ? ip6("::").a : group.a, 16);
		emit_l3(c, ETYPE_IPV6, &p);
	}
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		struct pkt quoted;
		pkt_init(&quoted);
		put_random_ipv6(c, &quoted, IPPROTO_NUM_UDP);
		put_udp(&quoted, pick_port(c), 53);
		pkt_finish(&quoted);
		pkt_init(&p);
		put_random_ipv6(c, &p, IPPROTO_NUM_ICMPV6);
		put_icmp6(&p, errors[i][0], errors[i][1], errors[i][0] == ICMP6_TYPE_PACKET_TOO_BIG ? 1280 : 0);
		put_bytes(&p, quoted.b, quoted.len);
		emit_l3(c, ETYPE_IPV6, &p);
	}
}

/* The other IP protocols a filter can name: IGMP v1/v2/v3, IGRP, PIM, AH,
 * ESP, VRRP, SCTP, GRE, IP-in-IP both ways, and unassigned numbers. */
static void fam_ip_protocols(struct corpus *c)
{
	static const uint8_t igmp_types[] = { IGMP_TYPE_QUERY, IGMP_TYPE_V1_REPORT, IGMP_TYPE_V2_REPORT,
					      IGMP_TYPE_V2_LEAVE, IGMP_TYPE_V3_REPORT };
	static const uint8_t ra_opt[4] = { IPV4_OPT_RA, 4, 0, 0 };
	static const uint16_t sctp_ports[] = { 2905, 3868, 36412, 9899, 5060 };
	static const uint8_t unknown[] = { 99, 150, 200, 253, 254, 255 };  /* 146-252 unassigned */
	static const uint16_t gre_protos[] = { ETYPE_IP, ETYPE_IPV6, ETYPE_TEB };
	struct pkt p;

	for (int i = 0; i < 15; i++) {      /* IGMP; v2/v3 carry a router alert (RFC 2236 2) */
		uint8_t type = igmp_types[i % 5];
		uint32_t group = ip4(239, 1, 1, (unsigned)i);
		int with_ra = type != IGMP_TYPE_V1_REPORT && i >= 5;
		pkt_init(&p);
		put_ipv4(&p, &(struct ipv4_hdr){ .src = rand_host4(c), .proto = IPPROTO_NUM_IGMP, .ttl = 1,
						 .dst = type == IGMP_TYPE_QUERY ? ip4(224, 0, 0, 1) :
							type == IGMP_TYPE_V2_LEAVE ? ip4(224, 0, 0, 2) :
							type == IGMP_TYPE_V3_REPORT ? ip4(224, 0, 0, 22) : group,
						 .opt = with_ra ? ra_opt : NULL, .optlen = with_ra ? 4 : 0 });
		put_igmp(&p, type, type == IGMP_TYPE_QUERY ? 100 : 0,
			 type == IGMP_TYPE_V3_REPORT ? 1 : type == IGMP_TYPE_QUERY && i < 5 ? 0 : group);
		if (type == IGMP_TYPE_V3_REPORT) {         /* RFC 3376 4.2.4: one group record */
			put_u8(&p, 2);
			put_u8(&p, 0);
			put_be16(&p, 0);
			put_be32(&p, group);
		}
		emit_l3(c, ETYPE_IP, &p);
	}
	for (int i = 0; i < 5; i++) {       /* IGRP: opaque to filters beyond the number */
		pkt_init(&p);
		put_ipv4(&p, &(struct ipv4_hdr){ .src = rand_host4(c), .dst = 0xffffffff, .proto = IPPROTO_NUM_IGRP });
		put_random(c, &p, 12 + 14 * (unsigned)i);
		emit_l3(c, ETYPE_IP, &p);
	}
	for (int i = 0; i < 8; i++) {       /* PIM hello (type 0) to ALL-PIM-ROUTERS, registers (1) */
		int hello = i < 5;
		pkt_init(&p);
		struct ipv4_hdr h = rand_ipv4_hdr(c, IPPROTO_NUM_PIM);
		if (hello)
			h.dst = ip4(224, 0, 0, 13);
		h.ttl = hello ? 1 : 64;
		put_ipv4(&p, &h);
		put_pim(&p, hello ? 0 : 1);
		put_random(c, &p, hello ? 12 : 40);
		emit_l3(c, ETYPE_IP, &p);
	}
	for (int i = 0; i < 6; i++) {       /* VRRPv2 adverts: TTL 255 to 224.0.0.18 (RFC 3768 5.1.1) */
		pkt_init(&p);
		put_ipv4(&p, &(struct ipv4_hdr){ .src = rand_host4(c), .dst = ip4(224, 0, 0, 18),
						 .proto = IPPROTO_NUM_VRRP, .ttl = 255 });
		put_vrrp2(&p, (uint8_t)(1 + i), (uint8_t)(100 + i), rand_host4(c));
		emit_l3(c, ETYPE_IP, &p);
	}
	for (int i = 0; i < 12; i++) {      /* AH and ESP over IPv4 and IPv6 */
		int v6 = i & 1, ah = i < 6;
		uint8_t proto = ah ? IPPROTO_NUM_AH : IPPROTO_NUM_ESP;
		pkt_init(&p);
		if (v6)
			put_random_ipv6(c, &p, proto);
		else
			put_random_ipv4(c, &p, proto);
		if (ah) {
			put_ah(&p, IPPROTO_NUM_TCP, 0x200 + (unsigned)i, (unsigned)i, 12);   /* HMAC-96 */
			put_some_transport(c, &p, IPPROTO_NUM_TCP);
		} else {
			put_esp(&p, 0x300 + (unsigned)i, (unsigned)i, 32 + 16 * (unsigned)i);
		}
		emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
	for (int i = 0; i < 12; i++) {      /* SCTP INIT and DATA, with ports */
		int v6 = i % 3 == 2;
		pkt_init(&p);
		if (v6)
			put_random_ipv6(c, &p, IPPROTO_NUM_SCTP);
		else
			put_random_ipv4(c, &p, IPPROTO_NUM_SCTP);
		put_sctp(&p, (uint16_t)(i % 2 ? sctp_ports[i % 5] : 40000 + i),
			 (uint16_t)(i % 2 ? 40000 + i : sctp_ports[i % 5]), i < 4 ? 0 : rnd32(c));
		put_sctp_chunk(&p, i < 4 ? 1 /* INIT */ : 0 /* DATA */, i < 4 ? 0 : 3, 16 + (unsigned)i);
		emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
	for (int i = 0; i < 12; i++) {      /* GRE over IPv4/IPv6 carrying IPv4, IPv6, Ethernet */
		uint16_t proto = gre_protos[i % 3];
		int v6 = i >= 9;
		pkt_init(&p);
		if (v6)
			put_random_ipv6(c, &p, IPPROTO_NUM_GRE);
		else
			put_random_ipv4(c, &p, IPPROTO_NUM_GRE);
		put_gre(&p, proto, i % 2, 0x1000u + (unsigned)i, (i / 2) % 2, (unsigned)i);
		if (proto == ETYPE_TEB)
			put_inner_ethernet(c, &p, (unsigned)i);
		else
			put_inner_ip(c, &p, proto == ETYPE_IPV6, (unsigned)i);
		emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
	for (int i = 0; i < 12; i++) {      /* 6in4 (RFC 4213), 4in6 (RFC 2473), IPIP (RFC 2003) */
		int outer6 = i % 3 == 1, inner6 = i % 3 == 0;
		uint8_t proto = inner6 ? IPPROTO_NUM_IPV6 : IPPROTO_NUM_IPIP;
		pkt_init(&p);
		if (outer6)
			put_random_ipv6(c, &p, proto);
		else
			put_random_ipv4(c, &p, proto);
		put_inner_ip(c, &p, inner6, (unsigned)i);
		emit_l3(c, outer6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
	for (size_t i = 0; i < 2 * sizeof unknown; i++) {   /* unassigned / experimental numbers */
		int v6 = i % 2;
		uint8_t proto = unknown[i / 2];
		pkt_init(&p);
		if (v6)
			put_random_ipv6(c, &p, proto);
		else
			put_random_ipv4(c, &p, proto);
		put_random(c, &p, 8 + rnd(c, 64));
		emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
}

/* UDP tunnels with an inner Ethernet frame: VXLAN (RFC 7348) and Geneve
 * (RFC 8926, with 0-2 options, and one carrying IPv4 directly). */
static void fam_udp_tunnels(struct corpus *c)
{
	static const uint32_t vnis[] = { 1, 100, 4096, 0xffffff, 0 };
	struct pkt p;

	for (unsigned i = 0; i < 80; i++) {
		int geneve = i >= 40, v6 = i % 5 == 4;
		uint32_t vni = vnis[i % 5];
		pkt_init(&p);
		if (v6)
			put_random_ipv6(c, &p, IPPROTO_NUM_UDP);
		else
			put_random_ipv4(c, &p, IPPROTO_NUM_UDP);
		put_udp(&p, (uint16_t)(50000 + i), geneve ? UDP_PORT_GENEVE : UDP_PORT_VXLAN);
		if (!geneve) {
			put_vxlan(&p, vni);
			put_inner_ethernet(c, &p, i);
		} else if (i % 8 == 7) {
			put_geneve(&p, ETYPE_IP, vni, 0);
			put_inner_ip(c, &p, 0, i);
		} else {
			put_geneve(&p, ETYPE_TEB, vni, i % 3);
			put_inner_ethernet(c, &p, i);
		}
		emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
	}
}

/* A spread of sizes: empty to full-MTU TCP/UDP segments and jumbo frames up
 * to 9000 bytes on the wire. */
static void fam_sizes(struct corpus *c)
{
	static const size_t sizes[] = { 0, 1, 6, 18, 26, 100, 256, 512, 1000, 1400, 1440, 1452, 1460,
					1472, 2000, 4000, 8000, 8900, 8938, 8946, 8958 };
	struct pkt p;
	unsigned n = 0;

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int v6 = 0; v6 < 2; v6++)
			for (int udp = 0; udp < 2; udp++, n++) {
				size_t hdrs = (v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN_MIN) + (udp ? UDP_HDR_LEN : TCP_HDR_LEN_MIN);
				size_t len = sizes[i];
				if (len + hdrs + ETHER_HDR_LEN > 9000)
					len = 9000 - hdrs - ETHER_HDR_LEN;
				pkt_init(&p);
				if (v6)
					put_random_ipv6(c, &p, udp ? IPPROTO_NUM_UDP : IPPROTO_NUM_TCP);
				else
					put_random_ipv4(c, &p, udp ? IPPROTO_NUM_UDP : IPPROTO_NUM_TCP);
				if (udp)
					put_udp_rand_ports(c, &p);
				else
					put_tcp_rand(c, &p, TCP_FLAG_ACK, 512, NULL, 0);
				put_filler(&p, len, (uint8_t)n);
				emit_l3(c, v6 ? ETYPE_IPV6 : ETYPE_IP, &p);
			}
}

/* Captured length short of the headers: cut inside the Ethernet and cooked
 * headers, a VLAN tag, MPLS, PPPoE, the IPv4 header and its options, the
 * IPv6 header and its extension chain, the TCP and UDP headers. */
static void fam_truncated(struct corpus *c)
{
	struct pkt p;

	for (size_t cut = 1; cut < LINUX_SLL2_HDR_LEN; cut++) {   /* inside the link header */
		pkt_init(&p);
		put_inner_ip(c, &p, 0, 0);
		pkt_finish(&p);
		if (cut < ETHER_HDR_LEN)
			emit(c, &(struct frame){ ETYPE_IP, &p, NO_CUT, cut, NULL, TO_ETH });
		if (cut < LINUX_SLL_HDR_LEN)
			emit(c, &(struct frame){ ETYPE_IP, &p, NO_CUT, cut, NULL, TO_SLL });
		emit(c, &(struct frame){ ETYPE_IP, &p, NO_CUT, cut, NULL, TO_SLL2 });
	}
	for (size_t cut = 0; cut < 2 * VLAN_TAG_LEN; cut++) {     /* inside one or two tags */
		pkt_init(&p);
		put_vlan(&p, 3, 0, 100, cut < VLAN_TAG_LEN ? ETYPE_IP : ETYPE_8021Q);
		if (cut >= VLAN_TAG_LEN)
			put_vlan(&p, 3, 0, 200, ETYPE_IP);
		put_inner_ip(c, &p, 0, (unsigned)cut);
		emit_l2_cut(c, cut < VLAN_TAG_LEN ? ETYPE_8021Q : ETYPE_8021AD, &p, cut);
	}
	for (size_t cut = 1; cut < 2 * MPLS_LABEL_LEN; cut += 2) {
		pkt_init(&p);
		put_mpls(&p, 100, 0, 0, 64);
		put_mpls(&p, 200, 0, 1, 64);
		put_inner_ip(c, &p, 0, 0);
		emit_l2_cut(c, ETYPE_MPLS, &p, cut);
	}
	for (size_t cut = 1; cut < PPPOE_HDR_LEN + PPP_PROTO_LEN; cut++) {
		pkt_init(&p);
		put_pppoe(&p, PPPOE_CODE_SESSION, 0x42);
		put_ppp(&p, PPP_IP);
		put_inner_ip(c, &p, 0, 1);
		emit_l2_cut(c, ETYPE_PPPOES, &p, cut);
	}
	for (size_t cut = 1; cut < ARP_ETH_IPV4_LEN; cut += 3) {
		pkt_init(&p);
		put_arp_request_rand(c, &p, host_macs[1]);
		emit_l2_cut(c, ETYPE_ARP, &p, cut);
	}
	for (size_t cut = 0; cut < IPV4_HDR_LEN_MIN; cut++) {      /* IPv4 header */
		pkt_init(&p);
		put_inner_ip(c, &p, 0, (unsigned)cut);
		emit_l3_cut(c, ETYPE_IP, &p, cut);
	}
	for (size_t cut = IPV4_HDR_LEN_MIN; cut < 60; cut += 4) {  /* IPv4 options */
		uint8_t opt[40];
		struct ipv4_hdr h = rand_ipv4_hdr(c, IPPROTO_NUM_TCP);
		h.opt = opt;
		h.optlen = build_ipv4_options(0, sizeof opt, opt);
		pkt_init(&p);
		put_ipv4(&p, &h);
		put_some_transport(c, &p, IPPROTO_NUM_TCP);
		emit_l3_cut(c, ETYPE_IP, &p, cut);
	}
	for (size_t cut = 1; cut < TCP_HDR_LEN_MIN; cut++) {       /* TCP header, IPv4 and IPv6 */
		pkt_init(&p);
		put_random_ipv4(c, &p, IPPROTO_NUM_TCP);
		put_tcp_rand(c, &p, TCP_FLAG_SYN, 1024, syn_options, sizeof syn_options);
		emit_l3_cut(c, ETYPE_IP, &p, IPV4_HDR_LEN_MIN + cut);
		pkt_init(&p);
		put_random_ipv6(c, &p, IPPROTO_NUM_TCP);
		put_tcp_rand(c, &p, TCP_FLAG_SYN | TCP_FLAG_ACK, 1024, NULL, 0);
		emit_l3_cut(c, ETYPE_IPV6, &p, IPV6_HDR_LEN + cut);
	}
	for (size_t cut = 1; cut < UDP_HDR_LEN; cut++) {
		pkt_init(&p);
		put_random_ipv4(c, &p, IPPROTO_NUM_UDP);
		put_udp(&p, 53, pick_port(c));
		put_filler(&p, 40, 0);
		emit_l3_cut(c, ETYPE_IP, &p, IPV4_HDR_LEN_MIN + cut);
	}
	for (size_t cut = 1; cut < IPV6_HDR_LEN; cut += 3) {       /* IPv6 header */
		pkt_init(&p);
		put_inner_ip(c, &p, 1, (unsigned)cut);
		emit_l3_cut(c, ETYPE_IPV6, &p, cut);
	}
	for (unsigned i = 0; i < 24; i++) {                         /* IPv6 extension chain */
		size_t chain_end;
		pkt_init(&p);
		put_random_ipv6(c, &p, IPPROTO_NUM_HOPOPTS);
		put_ip6_opts(&p, IPPROTO_NUM_ROUTING, 1, 0);
		put_ip6_ext(c, &p, IPPROTO_NUM_ROUTING, IPPROTO_NUM_FRAGMENT, 1);
		put_ip6_frag(&p, IPPROTO_NUM_DSTOPTS, 0, 1, i);
		put_ip6_opts(&p, IPPROTO_NUM_TCP, 0, 0);
		chain_end = p.len;
		put_some_transport(c, &p, IPPROTO_NUM_TCP);
		emit_l3_cut(c, ETYPE_IPV6, &p, IPV6_HDR_LEN + 1 + (chain_end - IPV6_HDR_LEN) * i / 24);
	}
}

/* Records shorter than any header: 0-14 bytes on Ethernet, 0-20 raw,
 * 0-16 / 0-20 cooked, all complete (caplen == wirelen). */
static void fam_tiny(struct corpus *c)
{
	static const size_t max_len[OUT_N] = { ETHER_HDR_LEN, IPV4_HDR_LEN_MIN, LINUX_SLL_HDR_LEN, LINUX_SLL2_HDR_LEN };
	struct pkt p;

	for (int o = 0; o < OUT_N; o++)
		for (size_t len = 0; len <= max_len[o]; len++) {
			pkt_init(&p);
			put_random(c, &p, len);
			if (o == OUT_RAW && len > 0)
				p.b[0] = len % 2 ? 0x45 : 0x60;    /* look like IP, be too short */
			record(c, (enum out_file)o, p.b, p.len, p.len);
			if (o == OUT_EN10MB) {             /* twice on Ethernet: zeros too */
				memset(p.b, 0, p.len);
				record(c, OUT_EN10MB, p.b, p.len, p.len);
			}
		}
}

/* Random bytes: whole frames on Ethernet; on raw, random bytes behind a
 * plausible IPv4/IPv6 first byte (so lengths and next headers lie); on the
 * cooked links, random protocols and bodies behind a valid header. */
static void fam_garbage(struct corpus *c)
{
	struct pkt p;

	for (int i = 0; i < 100; i++) {
		pkt_init(&p);
		put_random(c, &p, 15 + rnd(c, i % 10 == 0 ? 8986 : 1500));
		record(c, OUT_EN10MB, p.b, p.len, p.len);
	}
	for (int i = 0; i < 60; i++) {
		pkt_init(&p);
		put_random(c, &p, 20 + rnd(c, 200));
		if (i % 3 == 0)
			p.b[0] = (uint8_t)(0x40 | (p.b[0] & 0x0f));
		else if (i % 3 == 1)
			p.b[0] = (uint8_t)(0x60 | (p.b[0] & 0x0f));
		record(c, OUT_RAW, p.b, p.len, p.len);
	}
	/* All-zero buffers (padding, scrubbed captures): the value a filter
	 * such as "link[0:4] & 0xffffffff == 0" is waiting for. */
	for (int i = 0; i < 4; i++) {
		pkt_init(&p);
		p.len = 16u << i;
		memset(p.b, 0, p.len);
		record(c, OUT_EN10MB, p.b, p.len, p.len);
		record(c, OUT_RAW, p.b, p.len, p.len);
	}
	for (int i = 0; i < 40; i++) {
		static const uint16_t protos[] = { ETYPE_IP, ETYPE_IPV6, ETYPE_8021Q, ETYPE_MPLS, LINUX_SLL_P_802_2, 0x1234 };
		uint16_t proto = i < 30 ? protos[i % 6] : (uint16_t)rnd(c, 65536);
		pkt_init(&p);
		put_random(c, &p, rnd(c, 300));
		emit(c, &(struct frame){ proto, &p, NO_CUT, NO_CUT, NULL, TO_COOKED });
	}
}

/* ---- the table of families and main ------------------------------------- */

struct family {
	const char *name;
	void (*run)(struct corpus *c);
};

static const struct family families[] = {
	{ "ethertypes",      fam_ethertypes },
	{ "llc_8023",        fam_llc_8023 },
	{ "arp",             fam_arp },
	{ "vlan",            fam_vlan },
	{ "qinq",            fam_qinq },
	{ "mpls",            fam_mpls },
	{ "pppoe",           fam_pppoe },
	{ "ipv4_addresses",  fam_ipv4_addresses },
	{ "ipv4_options",    fam_ipv4_options },
	{ "ipv4_fragments",  fam_ipv4_fragments },
	{ "ipv6_ext_headers", fam_ipv6_ext_headers },
	{ "tcp_flags",       fam_tcp_flags },
	{ "udp_ports",       fam_udp_ports },
	{ "icmp",            fam_icmp },
	{ "icmp6",           fam_icmp6 },
	{ "ip_protocols",    fam_ip_protocols },
	{ "udp_tunnels",     fam_udp_tunnels },
	{ "sizes",           fam_sizes },
	{ "truncated",       fam_truncated },
	{ "tiny",            fam_tiny },
	{ "garbage",         fam_garbage },
};
#define N_FAMILIES ((int)(sizeof families / sizeof families[0]))
_Static_assert(sizeof families / sizeof families[0] <= MAX_FAMILIES, "raise MAX_FAMILIES");

static void print_summary(const struct corpus *c)
{
	printf("%-18s %8s %8s %8s %8s\n", "family", "en10mb", "raw", "sll", "sll2");
	for (int f = 0; f < N_FAMILIES; f++)
		printf("%-18s %8lu %8lu %8lu %8lu\n", families[f].name, c->count[f][OUT_EN10MB],
		       c->count[f][OUT_RAW], c->count[f][OUT_SLL], c->count[f][OUT_SLL2]);
	printf("%-18s %8lu %8lu %8lu %8lu\n", "total", c->out[OUT_EN10MB].npkts, c->out[OUT_RAW].npkts,
	       c->out[OUT_SLL].npkts, c->out[OUT_SLL2].npkts);
}

int main(int argc, char **argv)
{
	static struct corpus c;      /* large: keep it off the stack */
	char path[4096];
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	c.rng = SEED;
	for (int o = 0; o < OUT_N; o++) {
		snprintf(path, sizeof path, "%s/%s", argv[1], out_names[o]);
		if (pcap_out_open(&c.out[o], strdup(path), out_linktypes[o]) != 0)
			return 1;
	}
	for (c.family = 0; c.family < N_FAMILIES; c.family++)
		families[c.family].run(&c);
	for (int o = 0; o < OUT_N; o++) {
		if (pcap_out_close(&c.out[o]) != 0)
			rc = 1;
		free((char *)c.out[o].path);
	}
	print_summary(&c);
	return rc;
}
