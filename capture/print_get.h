/* capture/print_get.h: what every protocol printer shares — the
 * per-packet context, the bounds-checked accessors and the output
 * helpers.
 *
 * The accessor rule (tcpdump's netdissect GET_ macros): a printer
 * never dereferences packet memory itself; it calls get_u8/get_be16/
 * get_be32... with a pointer, and the accessor checks the bytes lie in
 * [pkt, snapend). When they do not, the accessor prints tcpdump's
 * truncation marker " [|proto]" (proto is the printer currently
 * running, c->proto) and longjmps to print_packet(), which ends the
 * line — exactly what tcpdump 4.99's GET_ macros do. snapend is the
 * captured end of the record, pulled in by IPv4/IPv6 to the end of the
 * datagram (tcpdump's nd_push_snaplen) and restored after.
 */
#ifndef BPFCAP_PRINT_GET_H
#define BPFCAP_PRINT_GET_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "print.h"

struct printer;

struct pctx {
	struct printer *pr;
	const struct print_opts *o;
	struct pbuf *out;
	int oom;                 /* an append failed: the record is dropped */
	const uint8_t *pkt;      /* first byte of the record */
	const uint8_t *snapend;  /* one past the last readable byte */
	const char *proto;       /* name in the " [|proto]" marker */
	const char *last;        /* innermost protocol reached (statistics) */
	int suppress_default;    /* -x/-X/-q: no default hex dump */
	jmp_buf trunc;
};

/* Print " [|proto]" and abandon the packet (back to print_packet). */
_Noreturn void pc_trunc(struct pctx *c);

static inline int pc_has(const struct pctx *c, const uint8_t *p, size_t n)
{
	return p >= c->pkt && p <= c->snapend && (size_t)(c->snapend - p) >= n;
}
/* Bytes readable from P on (0 when P is past the end). */
static inline size_t pc_avail(const struct pctx *c, const uint8_t *p)
{
	return p >= c->pkt && p < c->snapend ? (size_t)(c->snapend - p) : 0;
}
static inline void pc_need(struct pctx *c, const uint8_t *p, size_t n)
{
	if (!pc_has(c, p, n))
		pc_trunc(c);
}
static inline uint8_t get_u8(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 1);
	return p[0];
}
static inline uint16_t get_be16(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 2);
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint16_t get_le16(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 2);
	return (uint16_t)(p[1] << 8 | p[0]);
}
static inline uint32_t get_be24(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 3);
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}
static inline uint32_t get_be32(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 4);
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint32_t get_le32(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 4);
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* ---- output (print_out.c) ------------------------------------------ */
void out_mem(struct pctx *c, const char *s, size_t n);
void out_str(struct pctx *c, const char *s);
void out_char(struct pctx *c, char ch);
void out_uint(struct pctx *c, uint64_t v);
void out_int(struct pctx *c, int64_t v);
void out_fmt(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Addresses, bounds-checked: IPv4 dotted quad, IPv6 RFC 5952, MAC. */
void out_ip4(struct pctx *c, const uint8_t *p);
void out_ip6(struct pctx *c, const uint8_t *p);
/* The source / destination address of the IPv4 or IPv6 header at ip
 * (by its version nibble), as a transport printer's endpoints show it. */
void out_ip_src(struct pctx *c, const uint8_t *ip, int v6);
void out_ip_dst(struct pctx *c, const uint8_t *ip, int v6);
void out_mac(struct pctx *c, const uint8_t *p);
/* tcpdump's nd_printjn: N bytes cat -v style (M- for the high bit, ^
 * for control characters); a byte past the capture ends the packet. */
/* tcpdump's fn_print_char: a byte as text, "M-" for the high bit and
 * "^" for a control character. */
void out_safe_char(struct pctx *c, uint8_t ch);
void out_printjn(struct pctx *c, const uint8_t *p, size_t n);
/* " [|proto]" without abandoning the packet (tcpdump's nd_print_trunc). */
void out_trunc(struct pctx *c);
/* tcpdump's nd_print_invalid: " (invalid)". */
void out_invalid(struct pctx *c);
/* tcpdump's hex_print / hex_and_ascii_print / ascii_print with the
 * "\n\t" indent; LEN is clipped to what was captured. */
void out_hex(struct pctx *c, const uint8_t *p, size_t len);
void out_hex_ident(struct pctx *c, const char *ident, const uint8_t *p, size_t len);
void out_hexascii(struct pctx *c, const uint8_t *p, size_t len);
void out_ascii(struct pctx *c, const uint8_t *p, size_t len);
/* tcpdump's ND_DEFAULTPRINT: hex and ASCII unless -x/-X/-A is on. */
void out_default(struct pctx *c, const uint8_t *p, size_t len);

/* tcpdump's struct tok lookups. */
struct tok {
	uint32_t v;
	const char *s;
};
const char *tok_find(const struct tok *t, uint32_t v); /* NULL if absent */
/* tok_find's name, or FMT formatted with V into BUF. */
const char *tok2str(const struct tok *t, const char *fmt, uint32_t v, char *buf, size_t bufsz);
/* tcpdump's bittok2str: the names of T's single-bit tokens set in V,
 * ", " between them; NONE when there is none. */
void out_bitnames(struct pctx *c, const struct tok *t, uint32_t v, const char *none);
/* tcpdump's unsigned_relts_print: a span of seconds as "1y2w3d4h5m6s",
 * "0s" for zero. */
void out_relts(struct pctx *c, unsigned secs);

/* RFC 1071 one's-complement sum over P[0..len), folded, not inverted. */
uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t cksum_fold(uint32_t sum);
/* tcpdump's in_cksum_shouldbe(): the checksum field that would be right. */
uint16_t cksum_shouldbe(uint16_t sum, uint16_t computed);

/* ---- dispatch between printers ----------------------------------------- */
/* Each returns nothing; truncation longjmps. LEN is the length the
 * enclosing header claims, P its first byte. */
extern const struct tok ethertype_names[];
extern const struct tok ipproto_names[];
/* 1 if the EtherType was printed, 0 if unknown. */
int print_ethertype(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_ether(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_null(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_ipnet(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_sl(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_ppp(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_sll(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
unsigned print_sll2(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
int print_arista(struct pctx *c, const uint8_t *p);
/* EtherType payloads tcpdump decodes: 1 if printed, 0 to fall back to
 * the default dump (the caller prints it). TYPE picks the variant. */
int print_pppoe(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen);
int print_lldp(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
int print_atalk(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen);
int print_decnet(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);
void print_arp(struct pctx *c, const uint8_t *p, unsigned len);
int print_llc(struct pctx *c, const uint8_t *p, unsigned length, unsigned caplen);
void print_dns(struct pctx *c, const uint8_t *p, unsigned len);
void print_dns_tcp(struct pctx *c, const uint8_t *p, unsigned len);
/* A domain name at CP (RFC 1035 3.1, compression pointers relative to
 * BP) as tcpdump's fqdn_print; the byte after it, NULL if malformed. */
const uint8_t *dns_name_print(struct pctx *c, const uint8_t *cp, const uint8_t *bp);
void print_igmp(struct pctx *c, const uint8_t *p, unsigned len);
void print_gre(struct pctx *c, const uint8_t *p, unsigned len);
void print_esp(struct pctx *c, const uint8_t *p, unsigned len);
void print_mpls(struct pctx *c, const uint8_t *p, unsigned len);
void print_ip(struct pctx *c, const uint8_t *p, unsigned len);
void print_ip6(struct pctx *c, const uint8_t *p, unsigned len);
/* Hand the payload of an IPv4/IPv6 header to its protocol's printer:
 * IP is the IP header (for addresses and pseudo-header checksums). */
void print_ip_demux(struct pctx *c, const uint8_t *p, unsigned len, int ver, int fragmented,
		    unsigned ttl, unsigned nh, const uint8_t *ip);
void print_tcp(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip, int fragmented);
void print_bootp(struct pctx *c, const uint8_t *p, unsigned len);
void print_stp(struct pctx *c, const uint8_t *p, unsigned len);
void print_loopback(struct pctx *c, const uint8_t *p, unsigned len);
void print_dhcp6(struct pctx *c, const uint8_t *p, unsigned len);
void print_ntp(struct pctx *c, const uint8_t *p, unsigned len);
/* SNMP over UDP 161/162 (print_snmp.c): 1 if printed, 0 to fall back. */
int print_snmp(struct pctx *c, const uint8_t *p, unsigned len);
void print_udp(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip, int fragmented);
void print_mobility(struct pctx *c, const uint8_t *p);
void print_sctp(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip);
void print_icmp(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip, int fragmented);
void print_icmp6(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip, int fragmented);
/* TCP payloads (print_tcpapp.c). */
void print_ssh(struct pctx *c, const uint8_t *p, unsigned len);
void print_http(struct pctx *c, const uint8_t *p, unsigned len);
void print_ftp(struct pctx *c, const uint8_t *p, unsigned len);
void print_smtp(struct pctx *c, const uint8_t *p, unsigned len);
void print_bgp(struct pctx *c, const uint8_t *p, unsigned len);
/* PPTP control messages, TCP port 1723 (print_pptp.c). */
void print_pptp(struct pctx *c, const uint8_t *p, unsigned len);
void print_tcp_rst_data(struct pctx *c, const uint8_t *p, unsigned len);
/* RFC 8684 option at OPT (kind byte first) of LEN bytes; 0 if malformed. */
int print_mptcp(struct pctx *c, const uint8_t *opt, unsigned len, unsigned flags);
/* Pseudo-header checksum of an upper-layer packet (RFC 768/793/8200 8.1). */
uint16_t ip_l4_cksum(struct pctx *c, const uint8_t *ip, const uint8_t *l4, unsigned len, unsigned proto);

/* RFC 8200 8.1: the address the pseudo-header uses as destination. */
const uint8_t *ip6_final_dst(struct pctx *c, const uint8_t *ip6);

/* SLL2's interface name for an index, looked up once (print_core.c). */
const char *printer_ifname(struct printer *pr, uint32_t index);

/* TCP sequence tracking state (print_tcp.c), owned by the printer. */
struct tcp_seq_table;
struct tcp_seq_table *tcp_seq_table_new(void);
void tcp_seq_table_free(struct tcp_seq_table *t);
struct tcp_seq_table *printer_tcp_table(struct printer *pr);

/* What tcpdump's SLIP printer remembers across packets for Van Jacobson
 * compressed TCP (RFC 1144): the last connection number and, per
 * direction and connection, the last payload length. */
struct slip_vj_state {
	unsigned lastlen[2][256];
	unsigned lastconn;
};
struct slip_vj_state *printer_slip_state(struct printer *pr);

#endif
