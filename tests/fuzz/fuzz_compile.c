/* fuzz_compile: libFuzzer target for bpfcap_compile, differential against
 * libpcap.
 *
 * Input: byte 0 chooses the link type (low 2 bits: EN10MB, RAW, LINUX_SLL,
 * LINUX_SLL2); the rest, NUL-terminated in a copy, is the expression.
 * bpfcap compiles it optimized and not; each program must pass
 * bpf_validate and run on a few fixed packets.  Where libpcap also
 * compiles the expression, each program must agree with libpcap's program
 * of the same kind; optimized and unoptimized must agree with each other
 * wherever libpcap's two do (its optimizer deletes unused loads, which
 * changes verdicts on short packets, and so does ours).  Any difference
 * abort()s.
 * FUZZ_STRICT_ACCEPT=1 also aborts when exactly one of the two compilers
 * accepts an expression.
 *
 * Name lookups: the expression may name hosts; this target replaces the
 * resolver (getaddrinfo, gethostbyname...) with one that only understands
 * numeric addresses, so fuzzing sends no DNS queries and stays fast.
 *
 * Optimized programs follow libpcap's optimizer's contract (docs/DESIGN.md):
 * the same verdict wherever the unoptimized program's run does not fail a
 * load.  Two optimizers may delete different unused loads, so on a packet
 * too short for libpcap's own unoptimized program the optimized verdicts
 * may differ; only there is a difference tolerated.
 *
 * Built by the Makefile (build/fuzz/fuzz_compile) with the library sources
 * and tests/common/cbpf_ref.c; run by tests/run-fuzz.sh. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <pcap/pcap.h>

#include "bpfcap.h"
#include "cbpf_ref.h"

#define MAX_EXPR 2048 /* longer inputs make libpcap's compiler slow */

/* ---- a resolver that never leaves the machine ------------------------------ */

struct ai_block {
	struct addrinfo ai;
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} sa;
};

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	(void)service;
	int family = hints ? hints->ai_family : AF_UNSPEC;
	struct ai_block *b;
	unsigned char buf[16];
	*res = NULL;
	if (!node)
		return EAI_NONAME;
	if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, node, buf) == 1) {
		b = calloc(1, sizeof *b);
		if (!b)
			return EAI_MEMORY;
		b->sa.v4.sin_family = AF_INET;
		memcpy(&b->sa.v4.sin_addr, buf, 4);
		b->ai.ai_family = AF_INET;
		b->ai.ai_addrlen = sizeof b->sa.v4;
	} else if ((family == AF_UNSPEC || family == AF_INET6) &&
		   inet_pton(AF_INET6, node, buf) == 1) {
		b = calloc(1, sizeof *b);
		if (!b)
			return EAI_MEMORY;
		b->sa.v6.sin6_family = AF_INET6;
		memcpy(&b->sa.v6.sin6_addr, buf, 16);
		b->ai.ai_family = AF_INET6;
		b->ai.ai_addrlen = sizeof b->sa.v6;
	} else {
		return EAI_NONAME;
	}
	b->ai.ai_socktype = hints ? hints->ai_socktype : 0;
	b->ai.ai_protocol = hints ? hints->ai_protocol : 0;
	b->ai.ai_addr = (struct sockaddr *)&b->sa;
	*res = &b->ai;
	return 0;
}

void freeaddrinfo(struct addrinfo *ai)
{
	while (ai) {
		struct addrinfo *next = ai->ai_next;
		free(ai); /* ai is the first member of its ai_block */
		ai = next;
	}
}

struct hostent *gethostbyname(const char *name)
{
	(void)name;
	h_errno = HOST_NOT_FOUND;
	return NULL;
}

struct hostent *gethostbyname2(const char *name, int af)
{
	(void)name;
	(void)af;
	h_errno = HOST_NOT_FOUND;
	return NULL;
}

int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
		    struct hostent **result, int *h_errnop)
{
	(void)name, (void)ret, (void)buf, (void)buflen;
	*result = NULL;
	*h_errnop = HOST_NOT_FOUND;
	return 0;
}

int gethostbyname2_r(const char *name, int af, struct hostent *ret, char *buf, size_t buflen,
		     struct hostent **result, int *h_errnop)
{
	(void)name, (void)af, (void)ret, (void)buf, (void)buflen;
	*result = NULL;
	*h_errnop = HOST_NOT_FOUND;
	return 0;
}

/* ---- fixed packets ------------------------------------------------------------ */

struct pkt {
	unsigned len, caplen;
	unsigned char data[160];
};

static const char *const lt_names[4] = { "EN10MB", "RAW", "LINUX_SLL", "LINUX_SLL2" };
static struct pkt pkts[4][16];
static size_t npkts[4];
static int pcap_dlt[4], our_dlt[4];

static size_t ipv4(unsigned char *p, uint8_t proto, const uint8_t src[4], const uint8_t dst[4],
		   const unsigned char *l4, size_t l4len)
{
	size_t tot = 20 + l4len;
	unsigned char h[20] = { 0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 1, 0x40, 0, 64,
				proto };
	memcpy(h + 12, src, 4);
	memcpy(h + 16, dst, 4);
	memcpy(p, h, 20);
	memcpy(p + 20, l4, l4len);
	return tot;
}

static size_t ipv6(unsigned char *p, uint8_t nxt, const unsigned char *l4, size_t l4len)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0xfe, 0x80, [15] = 2 };
	unsigned char h[40] = { 0x60, 0, 0, 0, (uint8_t)(l4len >> 8), (uint8_t)l4len, nxt, 64 };
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
	memcpy(p, h, 40);
	memcpy(p + 40, l4, l4len);
	return 40 + l4len;
}

/* One network-layer packet wrapped for each link type. */
static void add(uint16_t ethertype, const unsigned char *l3, size_t l3len, unsigned trunc)
{
	static const uint8_t dmac[6] = { 0x02, 0, 0, 0, 0, 2 }, smac[6] = { 0x02, 0, 0, 0, 0, 1 };
	for (int lt = 0; lt < 4; lt++) {
		if (npkts[lt] >= 16)
			continue;
		if (lt == 1 && ethertype != 0x0800 && ethertype != 0x86dd)
			continue; /* RAW carries IP only */
		struct pkt *k = &pkts[lt][npkts[lt]];
		unsigned char *p = k->data;
		size_t hl;
		switch (lt) {
		case 0:
			memcpy(p, dmac, 6);
			memcpy(p + 6, smac, 6);
			p[12] = (uint8_t)(ethertype >> 8);
			p[13] = (uint8_t)ethertype;
			hl = 14;
			break;
		case 1: hl = 0; break;
		case 2: /* SLL: pkttype, hatype, halen, addr[8], protocol */
			memset(p, 0, 16);
			p[3] = 1;
			p[5] = 6;
			memcpy(p + 6, smac, 6);
			p[14] = (uint8_t)(ethertype >> 8);
			p[15] = (uint8_t)ethertype;
			hl = 16;
			break;
		default: /* SLL2: protocol, reserved, ifindex, hatype, pkttype, halen, addr[8] */
			memset(p, 0, 20);
			p[0] = (uint8_t)(ethertype >> 8);
			p[1] = (uint8_t)ethertype;
			p[7] = 2;
			p[9] = 1;
			p[11] = 6;
			memcpy(p + 12, smac, 6);
			hl = 20;
			break;
		}
		if (hl + l3len > sizeof k->data)
			continue;
		memcpy(p + hl, l3, l3len);
		k->len = (unsigned)(hl + l3len);
		k->caplen = trunc && trunc < k->len ? trunc : k->len;
		npkts[lt]++;
	}
}

static void build_packets(void)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 },
			     c[4] = { 192, 168, 1, 1 }, bc[4] = { 255, 255, 255, 255 };
	unsigned char l3[128], l4[64];
	size_t n;
	/* TCP SYN 10.0.0.1:1234 -> 10.0.0.2:80 */
	static const unsigned char syn[20] = { 0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02 };
	n = ipv4(l3, 6, a, b, syn, 20);
	add(0x0800, l3, n, 0);
	/* the same, truncated in the middle of the TCP header */
	add(0x0800, l3, n, 40);
	/* UDP DNS 192.168.1.1:53 -> 10.0.0.1:5353 */
	static const unsigned char dns[12] = { 0, 53, 0x14, 0xe9, 0, 12, 0, 0, 0xab, 0xcd, 1, 0 };
	n = ipv4(l3, 17, c, a, dns, 12);
	add(0x0800, l3, n, 0);
	/* ICMP echo 10.0.0.2 -> 255.255.255.255 */
	static const unsigned char echo[8] = { 8, 0, 0, 0, 0, 1, 0, 1 };
	n = ipv4(l3, 1, b, bc, echo, 8);
	add(0x0800, l3, n, 0);
	/* a fragment (offset != 0) of a UDP datagram */
	n = ipv4(l3, 17, a, b, dns, 12);
	l3[6] = 0x00;
	l3[7] = 0x10;
	add(0x0800, l3, n, 0);
	/* IPv4 with options (IHL 6) carrying TCP to port 443 */
	static const unsigned char https[20] = { 0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 9, 0, 0, 0, 0, 0x50, 0x12 };
	n = ipv4(l3 + 4, 6, b, c, https, 20);
	memmove(l3, l3 + 4, 20);
	memset(l3 + 20, 1, 4); /* NOP options */
	l3[0] = 0x46;
	l3[3] = (uint8_t)(n + 4);
	add(0x0800, l3, n + 4, 0);
	/* IPv6 ICMPv6 echo, IPv6 UDP 123, IPv6 with a hop-by-hop header then TCP */
	static const unsigned char echo6[8] = { 128, 0, 0, 0, 0, 1, 0, 1 };
	n = ipv6(l3, 58, echo6, 8);
	add(0x86dd, l3, n, 0);
	static const unsigned char ntp[8] = { 0, 123, 0, 123, 0, 8, 0, 0 };
	n = ipv6(l3, 17, ntp, 8);
	add(0x86dd, l3, n, 0);
	memset(l4, 0, sizeof l4);
	l4[0] = 6; /* hop-by-hop: next header TCP, length 0 (8 bytes) */
	memcpy(l4 + 8, syn, 20);
	n = ipv6(l3, 0, l4, 28);
	add(0x86dd, l3, n, 0);
	/* ARP request who-has 10.0.0.2 tell 10.0.0.1 */
	static const unsigned char arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
					       0, 0, 0, 0, 0, 0, 10, 0, 0, 2 };
	add(0x0806, arp, 28, 0);
	/* 802.1Q VLAN 10 around IPv4 TCP (as the ethertype is seen: 0x8100) */
	unsigned char v[140] = { 0x00, 0x0a, 0x08, 0x00 };
	n = ipv4(v + 4, 6, a, b, syn, 20);
	add(0x8100, v, n + 4, 0);
	/* MPLS label 16 (bottom of stack) around IPv4 UDP */
	unsigned char m[140] = { 0x00, 0x01, 0x01, 0x40 };
	n = ipv4(m + 4, 17, c, a, dns, 12);
	add(0x8847, m, n + 4, 0);
	/* PPPoE session 1 carrying IPv4 (PPP protocol 0x0021) */
	unsigned char s[140] = { 0x11, 0x00, 0x00, 0x01, 0, 0, 0x00, 0x21 };
	n = ipv4(s + 8, 6, a, b, syn, 20);
	s[4] = (uint8_t)((n + 2) >> 8);
	s[5] = (uint8_t)(n + 2);
	add(0x8864, s, n + 8, 0);
	/* an 802.3 frame with an LLC header (length field < 1500) */
	static const unsigned char llc[8] = { 0x42, 0x42, 0x03, 0, 0, 0, 0, 0 };
	add(0x0008, llc, 8, 0);
}

/* The fixed packets must be what they claim: libpcap's verdicts on them for
 * a few expressions (a broken packet set would make the fuzzer blind). */
static void check_packets(void)
{
	static const struct {
		int lt;
		const char *expr;
		unsigned min_matches;
	} want[] = {
		{ 0, "tcp dst port 80", 2 }, { 0, "udp port 53", 1 },   { 0, "icmp", 1 },
		{ 0, "ip6 and icmp6", 1 },   { 0, "ip6 protochain 6", 1 }, { 0, "arp", 1 },
		{ 0, "vlan 10 and tcp", 1 }, { 0, "mpls 16 and udp", 1 }, { 0, "pppoes 1 and tcp", 1 },
		{ 0, "llc", 1 },             { 0, "ip[6:2] & 0x1fff != 0", 1 },
		{ 1, "tcp port 80", 2 },     { 1, "ip6", 3 },           { 2, "arp", 1 },
		{ 2, "udp port 123", 1 },    { 3, "icmp6", 1 },         { 3, "tcp port 443", 1 },
	};
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		int lt = want[w].lt;
		pcap_t *p = pcap_open_dead(pcap_dlt[lt], 262144);
		struct bpf_program bp;
		if (!p || pcap_compile(p, &bp, want[w].expr, 1, PCAP_NETMASK_UNKNOWN)) {
			fprintf(stderr, "fuzz_compile: libpcap cannot compile '%s'\n", want[w].expr);
			abort();
		}
		unsigned n = 0;
		for (size_t i = 0; i < npkts[lt]; i++)
			n += bpf_filter(bp.bf_insns, pkts[lt][i].data, pkts[lt][i].len,
					pkts[lt][i].caplen) != 0;
		pcap_freecode(&bp);
		pcap_close(p);
		if (n < want[w].min_matches) {
			fprintf(stderr, "fuzz_compile: fixed packets broken: '%s' on %s matches %u, want >= %u\n",
				want[w].expr, lt_names[lt], n, want[w].min_matches);
			abort();
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < 4; i++) {
		pcap_dlt[i] = pcap_datalink_name_to_val(lt_names[i]);
		our_dlt[i] = bpfcap_linktype_from_name(lt_names[i]);
	}
	build_packets();
	check_packets();
	return 0;
}

static void fail(const char *what, const char *lt, const char *expr, size_t pkt, unsigned a,
		 unsigned b)
{
	fprintf(stderr, "\nfuzz_compile: %s on %s for expression '%s': packet #%zu: %u vs %u\n",
		what, lt, expr, pkt, a, b);
	abort();
}

/* Whether an unoptimized program fails a load on the packet (it is too
 * short for it): where the optimizers' contract leaves them free. */
static int fails_a_load(const struct bpf_insn *unopt, const struct pkt *k)
{
	int failed = 0;
	ref_run_checked(unopt, k->data, k->caplen, k->len, &failed);
	return failed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > MAX_EXPR + 1)
		return 0;
	int lt = data[0] & 3;
	char *expr = malloc(size);
	if (!expr)
		return 0;
	memcpy(expr, data + 1, size - 1);
	expr[size - 1] = '\0';
	/* an embedded NUL ends the expression, as it would for a C caller */

	struct bpfcap_prog ours[2] = { { 0 }, { 0 } };
	int ok[2];
	for (int opt = 0; opt < 2; opt++) {
		struct bpfcap_compile_opts o = { .linktype = our_dlt[lt], .snaplen = 0,
						 .mode = BPFCAP_MODE_OFFLINE, .optimize = opt };
		struct bpfcap_error err;
		int rc = bpfcap_compile(expr, &o, &ours[opt], &err);
		ok[opt] = rc == 0;
		if (rc == 0) {
			if (ours[opt].len == 0 || ours[opt].len > 0x7fffffff ||
			    !bpf_validate((const struct bpf_insn *)ours[opt].insns, (int)ours[opt].len))
				fail("bpfcap's program fails bpf_validate", lt_names[lt], expr, 0,
				     (unsigned)ours[opt].len, opt);
		} else {
			/* an error must say something */
			if (err.msg[0] == '\0')
				fail("bpfcap failed with an empty message", lt_names[lt], expr, 0,
				     (unsigned)-rc, opt);
			if (ours[opt].insns)
				fail("bpfcap failed but left a program", lt_names[lt], expr, 0,
				     (unsigned)-rc, opt);
		}
	}

	/* libpcap's programs, optimized and not, where it compiles them. */
	static int strict = -1;
	if (strict < 0) {
		const char *s = getenv("FUZZ_STRICT_ACCEPT");
		strict = s && *s == '1';
	}
	struct bpf_program theirs[2];
	int pok[2] = { 0, 0 };
	for (int opt = 0; opt < 2; opt++) {
		pcap_t *p = pcap_open_dead(pcap_dlt[lt], 262144);
		if (!p)
			continue;
		pok[opt] = pcap_compile(p, &theirs[opt], expr, opt, PCAP_NETMASK_UNKNOWN) == 0;
		if (strict && pok[opt] != ok[opt]) {
			fprintf(stderr, "libpcap: %s\n", pok[opt] ? "compiles it" : pcap_geterr(p));
			fail(ok[opt] ? "bpfcap accepts what libpcap rejects"
				     : "bpfcap rejects what libpcap accepts",
			     lt_names[lt], expr, 0, ok[opt], pok[opt]);
		}
		pcap_close(p);
	}

	for (size_t i = 0; i < npkts[lt]; i++) {
		const struct pkt *k = &pkts[lt][i];
		unsigned v[2] = { 0, 0 }, w[2] = { 0, 0 };
		for (int opt = 0; opt < 2; opt++) {
			if (ok[opt])
				v[opt] = bpf_filter((const struct bpf_insn *)ours[opt].insns, k->data,
						    k->len, k->caplen);
			if (pok[opt])
				w[opt] = bpf_filter(theirs[opt].bf_insns, k->data, k->len, k->caplen);
			if (ok[opt] && pok[opt] && v[opt] != w[opt] &&
			    !(opt && pok[0] && fails_a_load(theirs[0].bf_insns, k)))
				fail(opt ? "bpfcap vs libpcap differ (optimized)"
					 : "bpfcap vs libpcap differ (unoptimized)",
				     lt_names[lt], expr, i, v[opt], w[opt]);
		}
		/* Optimized and unoptimized agree with each other, except where
		 * the contract leaves the optimizer free: a packet on which our
		 * unoptimized program fails a load (an optimizer deletes loads
		 * whose values cannot change the verdict: 'port 80 or 44>3' is
		 * true without reading the packet), or where libpcap's own two
		 * programs disagree too. */
		if (ok[0] && ok[1] && v[0] != v[1] && !(pok[0] && pok[1] && w[0] != w[1]) &&
		    !fails_a_load((const struct bpf_insn *)ours[0].insns, k))
			fail("bpfcap unoptimized vs optimized differ", lt_names[lt], expr, i, v[0], v[1]);
	}
	for (int opt = 0; opt < 2; opt++)
		if (pok[opt])
			pcap_freecode(&theirs[opt]);
	bpfcap_prog_free(&ours[0]);
	bpfcap_prog_free(&ours[1]);
	free(expr);
	return 0;
}
