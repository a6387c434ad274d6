/* capture/print_tcp.c: TCP (RFC 9293) as tcpdump's print-tcp.c prints
 * it: flags, sequence numbers relative to the first seen in each
 * connection (unless -S), window, options, -v checksum. */
#include <stdlib.h>
#include <string.h>

#include "print_tcpapp.h"

/* One connection, both directions under one key: the addresses are put
 * in a fixed order (tcpdump's collating rule: memcmp of the source and
 * destination, then the ports), REV says the packet ran the other way. */
struct tcp_conn {
	uint8_t src[16], dst[16];
	uint32_t port;
	uint32_t seq, ack;
	int v6;
	struct tcp_conn *next;
};

#define TCP_BUCKETS 4099

struct tcp_seq_table {
	struct tcp_conn *b[TCP_BUCKETS];
};

struct tcp_seq_table *tcp_seq_table_new(void)
{
	return calloc(1, sizeof(struct tcp_seq_table));
}

void tcp_seq_table_free(struct tcp_seq_table *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < TCP_BUCKETS; i++) {
		struct tcp_conn *n, *e;
		for (e = t->b[i]; e; e = n) {
			n = e->next;
			free(e);
		}
	}
	free(t);
}

static const struct tok tcpopt_names[] = {
	{ 0, "eol" },   { 1, "nop" },      { 2, "mss" },       { 3, "wscale" },
	{ 4, "sackOK" }, { 5, "sack" },    { 6, "echo" },      { 7, "echoreply" },
	{ 8, "TS" },    { 11, "cc" },      { 12, "ccnew" },    { 13, "" },
	{ 19, "md5" },  { 20, "scps" },    { 28, "uto" },      { 29, "tcp-ao" },
	{ 30, "mptcp" }, { 34, "tfo" },    { 254, "exp" },     { 0, NULL },
};

static void flags_print(struct pctx *c, unsigned flags)
{
	static const char names[] = "FSRP.UEW";
	char tmp[9];
	unsigned n = 0;
	for (unsigned i = 0; i < 8; i++)
		if (flags & (1u << i))
			tmp[n++] = names[i];
	out_str(c, "Flags [");
	if (n)
		out_mem(c, tmp, n);
	else
		out_str(c, "none");
	out_char(c, ']');
}

/* The address pair and ports, tcpdump's way: addresses only when the
 * IP header's protocol is TCP (after extension headers, ip6_print has
 * printed them already). */
static void tcp_endpoints(struct pctx *c, const uint8_t *ip, int v6, unsigned sport, unsigned dport)
{
	if (get_u8(c, ip + (v6 ? 6 : 9)) == 6) {
		out_ip_src(c, ip, v6);
		out_fmt(c, ".%u > ", sport);
		out_ip_dst(c, ip, v6);
		out_fmt(c, ".%u: ", dport);
	} else {
		out_fmt(c, "%u > %u: ", sport, dport);
	}
}

/* Find or start the connection; tcpdump starts it anew on every SYN.
 * *FRESH is set when the entry was (re)started by this packet. */
static struct tcp_conn *conn_lookup(struct pctx *c, const uint8_t *ip, int v6, unsigned sport, unsigned dport,
				    int syn, uint32_t seq, uint32_t ack, int *rev_out, int *fresh)
{
	struct tcp_conn key;
	memset(&key, 0, sizeof(key));
	size_t alen = v6 ? 16 : 4;
	const uint8_t *src = ip + (v6 ? 8 : 12), *dst = ip + (v6 ? 24 : 16);
	int cmp = memcmp(src, dst, alen), rev = 0;
	if (cmp > 0 || (cmp == 0 && sport > dport)) {
		rev = 1;
		memcpy(key.src, dst, alen);
		memcpy(key.dst, src, alen);
		key.port = dport << 16 | sport;
	} else {
		memcpy(key.src, src, alen);
		memcpy(key.dst, dst, alen);
		key.port = sport << 16 | dport;
	}
	*rev_out = rev;
	*fresh = 0;
	struct tcp_seq_table *t = printer_tcp_table(c->pr);
	uint32_t h = key.port;
	for (size_t i = 0; i < alen; i++)
		h = h * 31 + key.src[i] * 7u + key.dst[i];
	h %= TCP_BUCKETS;
	struct tcp_conn *e;
	/* tcpdump keeps IPv4 and IPv6 connections in separate tables: the
	 * family is part of the key. */
	for (e = t->b[h]; e; e = e->next)
		if (e->port == key.port && e->v6 == v6 && !memcmp(e->src, key.src, 16) &&
		    !memcmp(e->dst, key.dst, 16))
			break;
	if (!e || syn) {
		if (!e) {
			e = calloc(1, sizeof(*e));
			if (!e)
				return NULL;
			memcpy(e->src, key.src, 16);
			memcpy(e->dst, key.dst, 16);
			e->port = key.port;
			e->v6 = v6;
			e->next = t->b[h];
			t->b[h] = e;
		}
		if (rev) {
			e->ack = seq;
			e->seq = ack - 1;
		} else {
			e->seq = seq;
			e->ack = ack - 1;
		}
		*fresh = 1;
	}
	return e;
}

/* tcpdump 4.99.3's tcp_print hands a payload to the first printer whose
 * port matches, in this order: telnet, smtp, whois, bgp, pptp, redis,
 * ssh, beep, openflow (two ports), ftp, http (80 and 8080), rtsp (554
 * and 8554), dns, msdp, rpki-rtr, ldp, nfs. Debian
 * builds it without SMB (139, 445), and it has no POP3, IMAP, rlogin,
 * rsh or SIP printer over TCP: those payloads print nothing, and a port
 * further down the list (80...) still wins. Returns the first matching
 * port, 0 for none. */
static unsigned tcp_app_port(unsigned sport, unsigned dport)
{
	static const uint16_t ports[] = { 23, 25, 43, 179, 1723, 6379, 22, 10288, 6633, 6653, 21,
					  80, 8080, 554, 8554, 53, 639, 323, 646, 2049 };
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (sport == ports[i] || dport == ports[i])
			return ports[i];
	return 0;
}

void print_tcp(struct pctx *c, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented)
{
	char buf[24];
	char ch = '\0';
	c->proto = "tcp";
	c->last = "tcp";
	int v6 = (get_u8(c, ip) >> 4) == 6;
	if (!pc_has(c, bp + 2, 2)) {
		out_ip_src(c, ip, v6);
		out_str(c, " > ");
		out_ip_dst(c, ip, v6);
		out_char(c, ':');
		out_trunc(c);
		return;
	}
	unsigned sport = get_be16(c, bp), dport = get_be16(c, bp + 2);
	tcp_endpoints(c, ip, v6, sport, dport);
	if (!pc_has(c, bp, 20)) {
		/* tcpdump's ND_TCHECK_SIZE: marker, then a normal return */
		out_trunc(c);
		return;
	}
	unsigned hlen = (get_u8(c, bp + 12) >> 4) * 4u;
	if (hlen < 20) {
		out_fmt(c, " tcp %u [bad hdr length %u - too short, < 20]", length - hlen, hlen);
		return;
	}
	uint32_t seq = get_be32(c, bp + 4), ack = get_be32(c, bp + 8);
	unsigned win = get_be16(c, bp + 14), urp = get_be16(c, bp + 18);
	if (c->o->qflag) {
		out_fmt(c, "tcp %u", length - hlen);
		if (hlen > length)
			out_fmt(c, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	unsigned flags = get_u8(c, bp + 13);
	flags_print(c, flags);
	int rev = 0;
	uint32_t thseq = 0, thack = 0;
	if (!c->o->abs_seq && (flags & 0x10)) {
		int fresh;
		struct tcp_conn *e = conn_lookup(c, ip, v6, sport, dport, flags & 0x02, seq, ack, &rev, &fresh);
		if (e) {
			if (!fresh) {
				if (rev) {
					seq -= e->ack;
					ack -= e->seq;
				} else {
					seq -= e->seq;
					ack -= e->ack;
				}
			}
			thseq = e->seq;
			thack = e->ack;
		}
	}
	if (hlen > length) {
		out_fmt(c, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	if (c->o->vflag && !fragmented) {
		if (pc_has(c, bp, length)) {
			uint16_t sum = ip_l4_cksum(c, ip, bp, length, 6);
			uint16_t tcp_sum = get_be16(c, bp + 16);
			out_fmt(c, ", cksum 0x%04x", tcp_sum);
			if (sum != 0)
				out_fmt(c, " (incorrect -> 0x%04x)", cksum_shouldbe(tcp_sum, sum));
			else
				out_str(c, " (correct)");
		}
	}
	length -= hlen;
	if (c->o->vflag > 1 || length > 0 || (flags & 0x07)) {
		out_fmt(c, ", seq %u", seq);
		if (length > 0)
			out_fmt(c, ":%u", seq + length);
	}
	if (flags & 0x10)
		out_fmt(c, ", ack %u", ack);
	out_fmt(c, ", win %u", win);
	if (flags & 0x20)
		out_fmt(c, ", urg %u", urp);
	if (hlen > 20) {
		const uint8_t *cp = bp + 20;
		unsigned ohlen = hlen - 20;
		out_str(c, ", options [");
		while (ohlen > 0) {
			if (ch != '\0')
				out_char(c, ch);
			unsigned opt = get_u8(c, cp++), len, datalen = 0;
			if (opt == 0 || opt == 1) {
				len = 1;
			} else {
				len = get_u8(c, cp++);
				if (len < 2 || len > ohlen)
					goto bad;
				--ohlen;
			}
			--ohlen;
			out_str(c, tok2str(tcpopt_names, "unknown-%u", opt, buf, sizeof(buf)));
#define LENCHECK(l)                          \
	do {                                 \
		if ((l) > ohlen)             \
			goto bad;            \
		if (!pc_has(c, cp, (l)))     \
			goto trunc;          \
	} while (0)
			switch (opt) {
			case 2:
				datalen = 2;
				LENCHECK(datalen);
				out_fmt(c, " %u", get_be16(c, cp));
				break;
			case 3:
				datalen = 1;
				LENCHECK(datalen);
				out_fmt(c, " %u", get_u8(c, cp));
				break;
			case 5:
				datalen = len - 2;
				if (datalen % 8 != 0) {
					out_str(c, " invalid sack");
				} else {
					out_fmt(c, " %u ", datalen / 8);
					for (unsigned i = 0; i < datalen; i += 8) {
						LENCHECK(i + 4);
						uint32_t s = get_be32(c, cp + i);
						LENCHECK(i + 8);
						uint32_t e = get_be32(c, cp + i + 4);
						if (rev) {
							s -= thseq;
							e -= thseq;
						} else {
							s -= thack;
							e -= thack;
						}
						out_fmt(c, "{%u:%u}", s, e);
					}
				}
				break;
			case 6:
			case 7:
			case 11:
			case 12:
			case 13:
				datalen = 4;
				LENCHECK(datalen);
				out_fmt(c, " %u", get_be32(c, cp));
				break;
			case 8:
				datalen = 8;
				LENCHECK(datalen);
				out_fmt(c, " val %u ecr %u", get_be32(c, cp), get_be32(c, cp + 4));
				break;
			case 28: {
				datalen = 2;
				LENCHECK(datalen);
				unsigned uto = get_be16(c, cp);
				out_fmt(c, " 0x%x", uto);
				if (uto & 1)
					uto = (uto >> 1) * 60;
				else
					uto >>= 1;
				out_fmt(c, " %u", uto);
				break;
			}
			case 0:
			case 1:
			case 4:
				break;
			case 29: /* RFC 5925 2.2: key id, receive next key id, MAC */
				datalen = len - 2;
				if (datalen < 2) {
					out_invalid(c);
				} else {
					LENCHECK(1);
					out_fmt(c, " keyid %u", get_u8(c, cp));
					LENCHECK(2);
					out_fmt(c, " rnextkeyid %u", get_u8(c, cp + 1));
					if (datalen > 2) {
						out_str(c, " mac 0x");
						for (unsigned i = 2; i < datalen; i++) {
							LENCHECK(i + 1);
							out_fmt(c, "%02x", get_u8(c, cp + i));
						}
					}
				}
				break;
			case 30: {
				datalen = len - 2;
				LENCHECK(datalen);
				/* the option's bytes only, as tcpdump narrows snapend */
				const uint8_t *save = c->snapend;
				if (cp - 2 + len < c->snapend)
					c->snapend = cp - 2 + len;
				int ok = print_mptcp(c, cp - 2, len, flags);
				c->snapend = save;
				if (!ok)
					goto bad;
				break;
			}
			case 34:
			case 254: { /* RFC 7413 fast open; RFC 6994 experiment ids */
				datalen = len - 2;
				LENCHECK(datalen);
				const uint8_t *fo = cp;
				unsigned folen = datalen;
				if (opt == 254) {
					if (datalen < 2)
						goto bad;
					unsigned magic = get_be16(c, cp);
					out_char(c, '-');
					if (magic != 0xf989) {
						out_fmt(c, "%04x", magic);
						break;
					}
					out_str(c, "tfo");
					fo += 2;
					folen -= 2;
				}
				if (folen == 0) {
					out_str(c, " cookiereq");
				} else if (folen % 2 != 0 || folen < 4 || folen > 16) {
					out_invalid(c);
				} else {
					out_str(c, " cookie ");
					for (unsigned i = 0; i < folen; ++i)
						out_fmt(c, "%02x", get_u8(c, fo + i));
				}
				break;
			}
			default:
				datalen = len - 2;
				if (datalen)
					out_str(c, " 0x");
				for (unsigned i = 0; i < datalen; ++i) {
					LENCHECK(i + 1);
					out_fmt(c, "%02x", get_u8(c, cp + i));
				}
				break;
			}
#undef LENCHECK
			cp += datalen;
			ohlen -= datalen;
			++datalen;
			if (opt != 0 && opt != 1)
				++datalen;
			if (datalen != len)
				out_fmt(c, "[len %u]", len);
			ch = ',';
			if (opt == 0)
				break;
		}
		out_char(c, ']');
	}
	out_fmt(c, ", length %u", length);
	if (length == 0)
		return;
	/* tcpdump 4.99's tcp_print wants the whole header captured before
	 * it decodes the payload, and abandons the packet otherwise. */
	if (!pc_has(c, bp, hlen)) {
		out_fmt(c, " [remaining caplen(%zu) < header length(%u)]", pc_avail(c, bp), hlen);
		c->proto = "tcp";
		pc_trunc(c);
	}
	const uint8_t *payload = bp + hlen;
	if ((flags & 0x04) && c->o->vflag) {
		print_tcp_rst_data(c, payload, length);
		return;
	}
	switch (tcp_app_port(sport, dport)) {
	case 0:
		return;
	case 23:
		print_telnet(c, payload, length);
		return;
	case 43:
		print_whois(c, payload, length);
		return;
	case 6379:
		print_resp(c, payload, length);
		return;
	case 10288:
		print_beep(c, payload, length);
		return;
	case 639:
		print_msdp(c, payload, length);
		return;
	case 554:
	case 8554:
		print_rtsp(c, payload, length);
		return;
	case 22:
		print_ssh(c, payload, length);
		return;
	case 80:
	case 8080:
		print_http(c, payload, length);
		return;
	case 53:
		print_dns_tcp(c, payload, length);
		return;
	case 21:
		print_ftp(c, payload, length);
		return;
	case 25:
		print_smtp(c, payload, length);
		return;
	case 179:
		print_bgp(c, payload, length);
		return;
	case 1723:
		print_pptp(c, payload, length);
		return;
	default:
		c->last = "tcp-app"; /* tcpdump decodes this payload; bpfcap does not yet */
		return;
	}
bad:
	out_str(c, "[bad opt]");
	if (ch != '\0')
		out_char(c, ']');
	return;
trunc:
	out_trunc(c);
	if (ch != '\0')
		out_char(c, '>');
}
