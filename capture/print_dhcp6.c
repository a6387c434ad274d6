/* capture/print_dhcp6.c: DHCPv6 (RFC 8415) as tcpdump 4.99's
 * print-dhcp6.c prints it: the message type, and with -v the
 * transaction ID (or the relay addresses) and every option in
 * parentheses, nested for IA options and relayed messages. Options
 * whose data tcpdump decodes and bpfcap does not (authentication,
 * leasequery) tag the packet "dhcp6-other". */
#include "print_get.h"

static const struct tok msg_types[] = {
	{ 1, "solicit" }, { 2, "advertise" }, { 3, "request" }, { 4, "confirm" }, { 5, "renew" },
	{ 6, "rebind" }, { 7, "reply" }, { 8, "release" }, { 9, "decline" }, { 10, "reconfigure" },
	{ 11, "inf-req" }, { 12, "relay-fwd" }, { 13, "relay-reply" }, { 14, "leasequery" },
	{ 15, "leasequery-reply" }, { 0, NULL },
};

/* IANA "DHCPv6 Option Codes", tcpdump's names. */
static const struct tok opt_names[] = {
	{ 1, "client-ID" }, { 2, "server-ID" }, { 3, "IA_NA" }, { 4, "IA_TA" }, { 5, "IA_ADDR" },
	{ 6, "option-request" }, { 7, "preference" }, { 8, "elapsed-time" }, { 9, "relay-message" },
	{ 11, "authentication" }, { 12, "server-unicast" }, { 13, "status-code" }, { 14, "rapid-commit" },
	{ 15, "user-class" }, { 16, "vendor-class" }, { 17, "vendor-specific-info" }, { 18, "interface-ID" },
	{ 19, "reconfigure-message" }, { 20, "reconfigure-accept" }, { 21, "SIP-servers-domain" },
	{ 22, "SIP-servers-address" }, { 23, "DNS-server" }, { 24, "DNS-search-list" }, { 25, "IA_PD" },
	{ 26, "IA_PD-prefix" }, { 27, "NIS-server" }, { 28, "NIS+-server" }, { 29, "NIS-domain-name" },
	{ 30, "NIS+-domain-name" }, { 31, "SNTP-servers" }, { 32, "lifetime" }, { 33, "BCMCS-domain-name" },
	{ 34, "BCMCS-server" }, { 37, "remote-ID" }, { 38, "subscriber-ID" }, { 39, "Client-FQDN" },
	{ 40, "PANA-agent" }, { 41, "POSIX-timezone" }, { 42, "POSIX-tz-database" }, { 43, "ERO" },
	{ 44, "LQ-query" }, { 45, "LQ-client-data" }, { 46, "Clt-time" }, { 47, "LQ-relay-data" },
	{ 48, "LQ-client-link" }, { 56, "NTP-server" }, { 64, "AFTR-Name" }, { 112, "MUD-URL" }, { 0, NULL },
};

static const char *opt_name(unsigned t, char *buf, size_t n)
{
	return tok2str(opt_names, "opt_%u", t, buf, n);
}

/* Timezone (RFC 4833 3) and MUD URL (RFC 8520 10) options shorter than
 * this print " ?" in tcpdump 4.99.3. */
#define DHCP6_STRING_MINLEN 5u

/* tcpdump's nd_printjnp: up to N bytes, stopping at a NUL. */
static void printjnp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n && get_u8(c, p + i); i++)
		out_printjn(c, p + i, 1);
}

static void hex_bytes(struct pctx *c, const uint8_t *p, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		out_fmt(c, "%02x", get_u8(c, p + i));
}

/* RFC 8415 11: DUIDs (link-layer + time, enterprise, link-layer). */
static void duid(struct pctx *c, const uint8_t *tp, unsigned optlen)
{
	if (optlen < 2) {
		out_str(c, " ?)");
		return;
	}
	unsigned type = get_be16(c, tp);
	if (type == 1 && optlen >= 8) {
		out_fmt(c, " hwaddr/time type %u time %u ", get_be16(c, tp + 2), get_be32(c, tp + 4));
		hex_bytes(c, tp, 8, optlen);
		out_char(c, ')');
	} else if (type == 2 && optlen >= 10) {
		out_str(c, " vid ");
		hex_bytes(c, tp, 2, 10);
		out_char(c, ')');
	} else if (type == 3 && optlen >= 4) {
		out_fmt(c, " hwaddr type %u ", get_be16(c, tp + 2));
		hex_bytes(c, tp, 4, optlen);
		out_char(c, ')');
	} else if (type >= 1 && type <= 3) {
		out_str(c, " ?)");
	} else {
		out_fmt(c, " type %u)", type);
	}
}

static void dhcp6_msg(struct pctx *c, const uint8_t *cp, unsigned length);

/* The options in [cp, ep). Cut short, " [|dhcp6]" ends this level
 * only: the enclosing option's ")" still follows (tcpdump's order). */
static void dhcp6_opts(struct pctx *c, const uint8_t *cp, const uint8_t *ep)
{
	char buf[32];
	while (cp < ep) {
		if (ep < cp + 4) {
			out_trunc(c);
			return;
		}
		pc_need(c, cp, 4);
		unsigned type = get_be16(c, cp), optlen = get_be16(c, cp + 2);
		if (ep < cp + 4 + optlen) {
			out_trunc(c);
			return;
		}
		out_fmt(c, " (%s", opt_name(type, buf, sizeof(buf)));
		const uint8_t *tp = cp + 4, *oend = tp + optlen;
		pc_need(c, tp, optlen);
		switch (type) {
		case 1:
		case 2:
			duid(c, tp, optlen);
			break;
		case 5: /* IA address: address, lifetimes, options */
			if (optlen < 24) {
				out_str(c, " ?)");
				break;
			}
			out_char(c, ' ');
			out_ip6(c, tp);
			out_fmt(c, " pltime:%u vltime:%u", get_be32(c, tp + 16), get_be32(c, tp + 20));
			if (optlen > 24)
				dhcp6_opts(c, tp + 24, oend);
			out_char(c, ')');
			break;
		case 6:
		case 43:
			if (optlen % 2) {
				out_str(c, " ?)");
				break;
			}
			for (unsigned i = 0; i < optlen; i += 2)
				out_fmt(c, " %s", opt_name(get_be16(c, tp + i), buf, sizeof(buf)));
			out_char(c, ')');
			break;
		case 7:
			if (optlen != 1)
				out_str(c, " ?)");
			else
				out_fmt(c, " %u)", tp[0]);
			break;
		case 8:
			if (optlen != 2)
				out_str(c, " ?)");
			else
				out_fmt(c, " %u)", get_be16(c, tp));
			break;
		case 9: { /* a relayed message, bounded by its option */
			out_str(c, " (");
			const uint8_t *save = c->snapend;
			if (oend < c->snapend)
				c->snapend = oend;
			dhcp6_msg(c, tp, optlen);
			c->snapend = save;
			c->proto = "dhcp6";
			out_char(c, ')');
			break;
		}
		case 19:
			if (optlen != 1)
				out_str(c, " ?)");
			else if (tp[0] == 5)
				out_str(c, " for renew)");
			else if (tp[0] == 11)
				out_str(c, " for inf-req)");
			else
				out_fmt(c, " for ?\?\?(%02x))", tp[0]);
			break;
		case 22:
		case 23:
		case 31:
		case 27:
		case 28:
		case 34:
		case 40:
		case 48:
			if (optlen % 16) {
				out_str(c, " ?)");
				break;
			}
			for (unsigned i = 0; i < optlen; i += 16) {
				out_char(c, ' ');
				out_ip6(c, tp + i);
			}
			out_char(c, ')');
			break;
		case 21:
		case 24:
			while (tp < oend) {
				out_char(c, ' ');
				/* tcpdump's fqdn_print gets the option's end as the
				 * message start: every compression pointer is followed
				 * forward from there (and mostly runs off the capture) */
				if ((tp = dns_name_print(c, tp, oend)) == NULL) {
					out_trunc(c);
					return;
				}
			}
			out_char(c, ')');
			break;
		case 13: {
			static const struct tok codes[] = {
				{ 0, "success" }, { 1, "unspec failure" }, { 2, "no addresses" }, { 3, "no binding" },
				{ 4, "not on-link" }, { 5, "use multicast" }, { 6, "no prefixes" }, { 0, NULL },
			};
			if (optlen < 2)
				out_str(c, " ?)");
			else
				out_fmt(c, " %s)", tok2str(codes, "code%u", get_be16(c, tp), buf, sizeof(buf)));
			break;
		}
		case 3:
		case 25:
			if (optlen < 12) {
				out_str(c, " ?)");
				break;
			}
			out_fmt(c, " IAID:%u T1:%u T2:%u", get_be32(c, tp), get_be32(c, tp + 4), get_be32(c, tp + 8));
			if (optlen > 12)
				dhcp6_opts(c, tp + 12, oend);
			out_char(c, ')');
			break;
		case 4:
			if (optlen < 4) {
				out_str(c, " ?)");
				break;
			}
			out_fmt(c, " IAID:%u", get_be32(c, tp));
			if (optlen > 4)
				dhcp6_opts(c, tp + 4, oend);
			out_char(c, ')');
			break;
		case 26:
			if (optlen < 25) {
				out_str(c, " ?)");
				break;
			}
			out_char(c, ' ');
			out_ip6(c, tp + 9);
			out_fmt(c, "/%u pltime:%u vltime:%u", tp[8], get_be32(c, tp), get_be32(c, tp + 4));
			if (optlen > 25)
				dhcp6_opts(c, tp + 25, oend);
			out_char(c, ')');
			break;
		case 32:
		case 46:
			if (optlen != 4)
				out_str(c, " ?)");
			else
				out_fmt(c, " %u)", get_be32(c, tp));
			break;
		case 37:
			if (optlen < 4) {
				out_str(c, " ?)");
				break;
			}
			out_fmt(c, " %u ", get_be32(c, tp));
			hex_bytes(c, tp, 4, optlen < 14 ? optlen : 14);
			out_str(c, "...)");
			break;
		case 18:
		case 38:
			if (optlen == 0) {
				out_str(c, " ?)");
				break;
			}
			out_char(c, ' ');
			hex_bytes(c, tp, 0, optlen < 10 ? optlen : 10);
			out_str(c, "...)");
			break;
		case 56: /* RFC 5908 4: NTP server suboptions */
			if (optlen < 4) {
				out_str(c, " ?)");
				break;
			}
			while (tp < oend - 4) {
				unsigned sub = get_be16(c, tp), slen = get_be16(c, tp + 2);
				tp += 4;
				if (tp + slen > oend) {
					out_trunc(c);
					return;
				}
				out_fmt(c, " subopt:%u", sub);
				if (sub == 1 || sub == 2) {
					if (slen != 16) {
						out_str(c, " ?");
					} else {
						out_char(c, ' ');
						out_ip6(c, tp);
					}
				} else if (sub == 3) {
					out_char(c, ' ');
					if (dns_name_print(c, tp, tp + slen) == NULL) {
						out_trunc(c);
						return;
					}
				} else {
					out_str(c, " ?");
				}
				tp += slen;
			}
			out_char(c, ')');
			break;
		case 64: { /* RFC 6334 3: a domain name, labels printed literally */
			if (optlen < 3) {
				out_str(c, " ?)");
				break;
			}
			unsigned remain = optlen;
			out_char(c, ' ');
			while (remain && get_u8(c, tp)) {
				unsigned l = *tp++;
				if (l < remain - 1) {
					printjnp(c, tp, l);
					tp += l;
					remain -= l + 1;
					if (get_u8(c, tp))
						out_char(c, '.');
				} else {
					out_str(c, " ?");
					break;
				}
			}
			out_char(c, ')');
			break;
		}
		case 41:
		case 42:
		case 112:
			/* tcpdump 4.99.3 wants 5 bytes of string at least */
			if (optlen < DHCP6_STRING_MINLEN) {
				out_str(c, " ?)");
				break;
			}
			out_char(c, ' ');
			printjnp(c, tp, optlen);
			out_char(c, ')');
			break;
		case 11:
		case 44:
		case 45:
		case 47:
			c->last = "dhcp6-other"; /* decoded by tcpdump, not yet here */
			out_char(c, ')');
			break;
		default:
			out_char(c, ')');
			break;
		}
		cp += 4 + optlen;
	}
}

static void dhcp6_msg(struct pctx *c, const uint8_t *cp, unsigned length)
{
	char buf[24];
	c->proto = "dhcp6";
	out_str(c, "dhcp6");
	const uint8_t *ep = c->snapend;
	if (cp + length < ep)
		ep = cp + length;
	pc_need(c, cp, 4);
	unsigned type = cp[0];
	const char *name = tok2str(msg_types, "msgtype-%u", type, buf, sizeof(buf));
	if (!c->o->vflag) {
		out_fmt(c, " %s", name);
		return;
	}
	out_fmt(c, " %s (", name);
	if (type != 12 && type != 13) {
		out_fmt(c, "xid=%x", get_be32(c, cp) & 0x00ffffff);
		dhcp6_opts(c, cp + 4, ep);
	} else {
		/* tcpdump reads each address before printing its label */
		pc_need(c, cp + 2, 16);
		out_str(c, "linkaddr=");
		out_ip6(c, cp + 2);
		pc_need(c, cp + 18, 16);
		out_str(c, " peeraddr=");
		out_ip6(c, cp + 18);
		dhcp6_opts(c, cp + 34, ep);
	}
	out_char(c, ')');
}

void print_dhcp6(struct pctx *c, const uint8_t *cp, unsigned length)
{
	c->last = "dhcp6";
	dhcp6_msg(c, cp, length);
}
