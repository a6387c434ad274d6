/* capture/print_bootp.c: BOOTP (RFC 951) and DHCPv4 (RFC 2131, options
 * RFC 2132 and later) as tcpdump 4.99's print-bootp.c prints them: the
 * one-line summary, and with -v the fixed header's interesting fields
 * and every vendor (RFC 1048) option on its own line. */
#include <string.h>

#include "print_get.h"

/* Fixed header offsets (RFC 951 section 3). */
enum {
	BP_OP = 0, BP_HTYPE = 1, BP_HLEN = 2, BP_HOPS = 3, BP_XID = 4, BP_SECS = 8, BP_FLAGS = 10,
	BP_CIADDR = 12, BP_YIADDR = 16, BP_SIADDR = 20, BP_GIADDR = 24, BP_CHADDR = 28,
	BP_SNAME = 44, BP_FILE = 108, BP_VEND = 236,
};

/* Option names. The first character says how tcpdump prints the value:
 * i IPv4 addresses, p address pairs, l unsigned 32-bit, L signed 32-bit,
 * s unsigned 16-bit, b dotted decimal bytes, x colon hex bytes, a text,
 * B booleans, $ a format of its own, ' ' no value (PAD, END). */
static const struct tok dhcp_tags[] = {
	{ 0, " PAD" }, { 1, "iSubnet-Mask" }, { 2, "LTime-Zone" }, { 3, "iDefault-Gateway" },
	{ 4, "iTime-Server" }, { 5, "iIEN-Name-Server" }, { 6, "iDomain-Name-Server" }, { 7, "iLOG" },
	{ 8, "iCS" }, { 9, "iLPR-Server" }, { 10, "iIM" }, { 11, "iRL" }, { 12, "aHostname" },
	{ 13, "sBS" }, { 255, " END" }, { 14, "aDP" }, { 15, "aDomain-Name" }, { 16, "iSS" },
	{ 17, "aRP" }, { 18, "aEP" }, { 19, "BIPF" }, { 20, "BSRT" }, { 21, "pPF" }, { 22, "sRSZ" },
	{ 23, "bTTL" }, { 24, "lMTU-Timeout" }, { 25, "sMTU-Table" }, { 26, "sMTU" }, { 27, "BLSN" },
	{ 28, "iBR" }, { 29, "BMD" }, { 30, "BMS" }, { 31, "BRouter-Discovery" }, { 32, "iRSA" },
	{ 33, "pStatic-Route" }, { 34, "BUT" }, { 35, "lAT" }, { 36, "BIE" }, { 37, "bTT" },
	{ 38, "lKI" }, { 39, "BKG" }, { 40, "aYD" }, { 41, "iYS" }, { 42, "iNTP" },
	{ 43, "bVendor-Option" }, { 44, "iNetbios-Name-Server" }, { 45, "iWDD" },
	{ 46, "$Netbios-Node" }, { 47, "aNetbios-Scope" }, { 48, "iXFS" }, { 49, "iXDM" },
	{ 64, "sN+D" }, { 65, "iN+S" }, { 68, "iMH" }, { 69, "iSMTP" }, { 70, "iPOP3" },
	{ 71, "iNNTP" }, { 72, "iWWW" }, { 73, "iFG" }, { 74, "iIRC" }, { 75, "iSTS" },
	{ 76, "iSTDA" }, { 50, "iRequested-IP" }, { 51, "lLease-Time" }, { 52, "$OO" },
	{ 66, "aTFTP" }, { 67, "aBF" }, { 53, " DHCP-Message" }, { 54, "iServer-ID" },
	{ 55, "bParameter-Request" }, { 56, "aMSG" }, { 57, "sMSZ" }, { 58, "lRN" }, { 59, "lRB" },
	{ 60, "aVendor-Class" }, { 61, "$Client-ID" }, { 98, "aUAP" }, { 116, "BNOAUTO" },
	{ 78, "bSLP-DA" }, { 79, "bSLP-SCOPE" }, { 117, "sNSSEARCH" }, { 77, "$User-Class" },
	{ 118, "iSUBNET" }, { 121, "$Classless-Static-Route" },
	{ 249, "$Classless-Static-Route-Microsoft" },
	{ 150, "iTFTP-Server-Address" }, { 80, "aSLP-NA" }, { 81, "$FQDN" },
	{ 82, "$Agent-Information" }, { 83, "bARMT" }, { 88, "aTZSTR" }, { 89, "bFQDNS" },
	{ 90, "bAUTH" }, { 91, "LLast-Transaction-Time" }, { 92, "iAssociated-IP" },
	{ 93, "sARCH" }, { 94, "bNDI" }, { 97, "bGUID" }, { 95, "aLDAP" }, { 100, "aPOSIX-TZ" },
	{ 101, "aTZ-Name" }, { 112, "iNI" }, { 113, "aNITAG" }, { 114, "aURL" }, { 161, "aMUD-URL" },
	{ 0, NULL },
};

/* RFC 2132 9.6 and RFC 4388 6.1 message types. */
static const struct tok dhcp_msg[] = {
	{ 1, "Discover" }, { 2, "Offer" }, { 3, "Request" }, { 4, "Decline" }, { 5, "ACK" },
	{ 6, "NACK" }, { 7, "Release" }, { 8, "Inform" }, { 10, "LeaseQuery" },
	{ 11, "LeaseUnassigned" }, { 12, "LeaseUnknown" }, { 13, "LeaseActive" }, { 0, NULL },
};

static const struct tok netbios_node[] = {
	{ 1, "b-node" }, { 2, "p-node" }, { 4, "m-node" }, { 8, "h-node" }, { 0, NULL },
};
static const struct tok overload[] = { { 1, "file" }, { 2, "sname" }, { 3, "file+sname" }, { 0, NULL } };
static const struct tok client_id_hw[] = {
	{ 1, "ether" }, { 6, "ieee802" }, { 7, "arcnet" }, { 15, "frelay" }, { 23, "strip" },
	{ 24, "ieee1394" }, { 0, NULL },
};
/* RFC 3046 2.0 and RFC 3993 3 relay agent sub-options. */
static const struct tok agent_subopt[] = {
	{ 1, "Circuit-ID" }, { 2, "Remote-ID" }, { 6, "Subscriber-ID" }, { 0, NULL },
};

static const char *tag_name(unsigned tag)
{
	const char *s = tok_find(dhcp_tags, tag);
	return s ? s : "?Unknown";
}

/* Option 81 (RFC 4702 2.1): flags, two obsolete RCODE bytes, the name. */
static void opt_fqdn(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < 3) {
		out_str(c, "[ERROR: length < 3 bytes]");
		return;
	}
	unsigned flags = get_u8(c, bp);
	if (flags & 0xf0)
		out_fmt(c, "[ERROR: MBZ nibble 0x%x != 0] ", (flags & 0xf0) >> 4);
	if (flags & 0x0f)
		out_fmt(c, "[%s%s%s%s] ", flags & 1 ? "S" : "", flags & 2 ? "O" : "", flags & 4 ? "E" : "",
			flags & 8 ? "N" : "");
	unsigned r1 = get_u8(c, bp + 1), r2 = get_u8(c, bp + 2);
	if (r1 || r2)
		out_fmt(c, "%u/%u ", r1, r2);
	out_char(c, '"');
	out_printjn(c, bp + 3, len - 3);
	out_char(c, '"');
}

/* Option 61 (RFC 2132 9.14): type 0 is text, else a hardware address. */
static void opt_client_id(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < 1) {
		out_str(c, "[ERROR: length < 1 bytes]");
		return;
	}
	unsigned type = get_u8(c, bp);
	if (type == 0) {
		out_char(c, '"');
		out_printjn(c, bp + 1, len - 1);
		out_char(c, '"');
		return;
	}
	char buf[32];
	out_str(c, tok2str(client_id_hw, "hardware-type %u,", type, buf, sizeof(buf)));
	out_char(c, ' ');
	for (unsigned i = 1; i < len; i++)
		out_fmt(c, "%s%02x", i > 1 ? ":" : "", get_u8(c, bp + i));
}

/* Option 82 (RFC 3046): sub-options, each on its own line. */
static unsigned opt_agent(struct pctx *c, const uint8_t *bp, unsigned len)
{
	while (len >= 2) {
		unsigned sub = get_u8(c, bp), slen = get_u8(c, bp + 1);
		bp += 2;
		len -= 2;
		char buf[16];
		const char *name = tok2str(agent_subopt, "Unknown", sub, buf, sizeof(buf));
		if (slen > len) {
			out_fmt(c, "\n\t      %s SubOption %u, length %u: length goes past end of option", name, sub,
				slen);
			return 0;
		}
		out_fmt(c, "\n\t      %s SubOption %u, length %u: ", name, sub, slen);
		if (sub == 1 || sub == 2 || sub == 6) {
			out_printjn(c, bp, slen);
		} else {
			pc_need(c, bp, slen);
			out_hex_ident(c, "\n\t\t", bp, slen);
		}
		len -= slen;
		bp += slen;
	}
	return len;
}

/* Options 121 and 249 (RFC 3442): width, significant octets, router. */
static void opt_classless(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < 5) {
		out_str(c, "[ERROR: length < 5 bytes]");
		return;
	}
	int first = 1;
	while (len > 0) {
		if (!first)
			out_char(c, ',');
		first = 0;
		unsigned width = get_u8(c, bp);
		bp++;
		len--;
		if (width > 32) {
			out_fmt(c, "[ERROR: Mask width (%u) > 32]", width);
			return;
		}
		unsigned sig = (width + 7) / 8;
		if (len < sig + 4) {
			out_fmt(c, "[ERROR: Remaining length (%u) < %u bytes]", len, sig + 4);
			return;
		}
		out_char(c, '(');
		if (width == 0) {
			out_str(c, "default");
		} else {
			for (unsigned i = 0; i < sig; i++)
				out_fmt(c, "%s%u", i ? "." : "", get_u8(c, bp++));
			for (unsigned i = sig; i < 4; i++)
				out_str(c, ".0");
			out_fmt(c, "/%u", width);
		}
		out_char(c, ':');
		out_ip4(c, bp);
		out_char(c, ')');
		bp += 4;
		len -= sig + 4;
	}
}

/* Option 77 (RFC 3004): length-prefixed instances. */
static void opt_user_class(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < 2) {
		out_str(c, "[ERROR: length < 2 bytes]");
		return;
	}
	for (unsigned n = 1; len > 0; n++) {
		unsigned slen = get_u8(c, bp);
		bp++;
		len--;
		out_fmt(c, "\n\t      instance#%u: ", n);
		if (slen == 0) {
			out_str(c, "[ERROR: suboption length must be non-zero]");
			return;
		}
		if (len < slen) {
			out_str(c, "[ERROR: invalid option]");
			return;
		}
		out_char(c, '"');
		out_printjn(c, bp, slen);
		out_fmt(c, "\", length %u", slen);
		len -= slen;
		bp += slen;
	}
}

/* The options tcpdump decodes with code of their own ('$'); returns the
 * bytes left undecoded (tcpdump's "trailing data"). */
static unsigned opt_special(struct pctx *c, unsigned tag, const uint8_t *bp, unsigned len)
{
	char buf[16];
	switch (tag) {
	case 46: /* NetBIOS node type */
	case 52: /* option overload */
		if (len < 1) {
			out_str(c, "[ERROR: length < 1 bytes]");
			return 0;
		}
		out_str(c, tok2str(tag == 46 ? netbios_node : overload, "#%u", get_u8(c, bp), buf, sizeof(buf)));
		return len - 1;
	case 81:
		opt_fqdn(c, bp, len);
		return 0;
	case 61:
		opt_client_id(c, bp, len);
		return 0;
	case 82:
		return opt_agent(c, bp, len);
	case 121:
	case 249:
		opt_classless(c, bp, len);
		return 0;
	case 77:
		opt_user_class(c, bp, len);
		return 0;
	}
	out_fmt(c, "[unknown special tag %u, size %u]", tag, len);
	return 0;
}

/* The value of a generic option in format FMT; returns the bytes left
 * over (a 4-byte format on a 6-byte option leaves 2). */
static unsigned opt_value(struct pctx *c, char fmt, const uint8_t *bp, unsigned len)
{
	int first = 1;
	switch (fmt) {
	case 'a':
		out_char(c, '"');
		out_printjn(c, bp, len);
		out_char(c, '"');
		return 0;
	case 'i':
	case 'l':
	case 'L':
		for (; len >= 4; len -= 4, bp += 4, first = 0) {
			if (!first)
				out_char(c, ',');
			if (fmt == 'i')
				out_ip4(c, bp);
			else if (fmt == 'L')
				out_int(c, (int32_t)get_be32(c, bp));
			else
				out_uint(c, get_be32(c, bp));
		}
		return len;
	case 'p':
		for (; len >= 8; len -= 8, bp += 8, first = 0) {
			if (!first)
				out_char(c, ',');
			out_char(c, '(');
			out_ip4(c, bp);
			out_char(c, ':');
			out_ip4(c, bp + 4);
			out_char(c, ')');
		}
		return len;
	case 's':
		for (; len >= 2; len -= 2, bp += 2, first = 0) {
			if (!first)
				out_char(c, ',');
			out_uint(c, get_be16(c, bp));
		}
		return len;
	case 'B':
		for (; len > 0; len--, bp++, first = 0) {
			if (!first)
				out_char(c, ',');
			unsigned v = get_u8(c, bp);
			if (v <= 1)
				out_char(c, v ? 'Y' : 'N');
			else
				out_fmt(c, "%u?", v);
		}
		return 0;
	default: /* 'b', 'x' */
		for (; len > 0; len--, bp++, first = 0) {
			if (!first)
				out_char(c, fmt == 'x' ? ':' : '.');
			out_fmt(c, fmt == 'x' ? "%02x" : "%u", get_u8(c, bp));
		}
		return 0;
	}
}

/* RFC 1048 vendor extensions after the magic cookie at BP. */
static void print_rfc1048(struct pctx *c, const uint8_t *bp)
{
	out_fmt(c, "\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x%08x", get_be32(c, bp));
	bp += 4;
	while (pc_has(c, bp, 1)) {
		unsigned tag = *bp++;
		if (tag == 0 && c->o->vflag < 3)
			continue;
		if (tag == 255 && c->o->vflag < 3)
			return;
		const char *name = tag_name(tag);
		char fmt = *name++;
		unsigned len = 0;
		if (tag != 0 && tag != 255)
			len = get_u8(c, bp++);
		out_fmt(c, "\n\t    %s (%u), length %u%s", name, tag, len, len > 0 ? ": " : "");
		if (tag == 0 && c->o->vflag > 2) {
			unsigned n = 1;
			while (pc_has(c, bp, 1) && *bp == 0) {
				bp++;
				n++;
			}
			if (n > 1)
				out_fmt(c, ", occurs %u", n);
		}
		pc_need(c, bp, len);
		if (tag == 53 && len == 1) {
			char buf[24];
			out_str(c, tok2str(dhcp_msg, "Unknown (%u)", *bp, buf, sizeof(buf)));
			bp++;
			continue;
		}
		if (tag == 55) {
			for (unsigned i = 0; i < len; i++) {
				out_str(c, i % 4 == 0 ? "\n\t      " : ", ");
				out_fmt(c, "%s (%u)", tag_name(bp[i]) + 1, bp[i]);
			}
			bp += len;
			continue;
		}
		if (fmt == '?')
			fmt = (len & 1) ? 'b' : (len & 2) ? 's' : 'l';
		unsigned left = fmt == '$' ? opt_special(c, tag, bp, len) : opt_value(c, fmt, bp, len);
		if (left)
			out_fmt(c, "\n\t  trailing data length %u", left);
		bp += len;
	}
}

/* The CMU vendor area: flags word, then eight addresses. */
static void print_cmu(struct pctx *c, const uint8_t *bp)
{
	static const struct {
		unsigned off;
		const char *name;
	} addrs[] = {
		{ 12, "DG" }, { 8, "SM" }, { 16, "NS1" }, { 20, "NS2" },
		{ 24, "IEN1" }, { 28, "IEN2" }, { 32, "TS1" }, { 36, "TS2" },
	};
	out_str(c, " vend-cmu");
	unsigned flags = get_u8(c, bp + 4);
	pc_need(c, bp + 4, 4);
	if (flags & ~1u)
		out_fmt(c, " F:0x%x", flags);
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		const uint8_t *a = bp + addrs[i].off;
		if (get_be32(c, a) == 0)
			continue;
		out_fmt(c, " %s%s:", addrs[i].name, addrs[i].off == 8 && !(flags & 1) ? "*" : "");
		out_ip4(c, a);
	}
}

/* sname/file (tcpdump 4.99.3's nd_printztn): the text up to a NUL
 * within N bytes; without one in N bytes, or when the capture ends
 * first, the quote is closed and " [|bootp]" ends the packet. */
static int print_ztn(struct pctx *c, const char *label, const uint8_t *p, unsigned n)
{
	out_fmt(c, "\n\t  %s \"", label);
	for (unsigned i = 0; i < n && pc_has(c, p + i, 1); i++) {
		if (p[i] == 0) {
			out_char(c, '"');
			return 1;
		}
		out_printjn(c, p + i, 1);
	}
	out_char(c, '"');
	out_trunc(c);
	return 0;
}

void print_bootp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "bootp";
	c->last = "bootp";
	unsigned op = get_u8(c, bp + BP_OP);
	if (op == 1)
		out_str(c, "BOOTP/DHCP, Request");
	else if (op == 2)
		out_str(c, "BOOTP/DHCP, Reply");
	else
		out_fmt(c, "BOOTP/DHCP, unknown (0x%02x)", op);
	unsigned htype = get_u8(c, bp + BP_HTYPE), hlen = get_u8(c, bp + BP_HLEN);
	if (htype == 1 && hlen == 6 && op == 1) {
		/* tcpdump reads the address before printing its label */
		pc_need(c, bp + BP_CHADDR, 6);
		out_str(c, " from ");
		out_mac(c, bp + BP_CHADDR);
	}
	out_fmt(c, ", length %u", len);
	if (!c->o->vflag)
		return;
	pc_need(c, bp + BP_SECS, 2);
	if (htype != 1)
		out_fmt(c, ", htype %u", htype);
	if (htype != 1 || hlen != 6)
		out_fmt(c, ", hlen %u", hlen);
	if (get_u8(c, bp + BP_HOPS))
		out_fmt(c, ", hops %u", bp[BP_HOPS]);
	if (get_be32(c, bp + BP_XID))
		out_fmt(c, ", xid 0x%x", get_be32(c, bp + BP_XID));
	if (get_be16(c, bp + BP_SECS))
		out_fmt(c, ", secs %u", get_be16(c, bp + BP_SECS));
	unsigned flags = get_be16(c, bp + BP_FLAGS);
	out_str(c, flags & 0x8000 ? ", Flags [Broadcast]" : ", Flags [none]");
	if (c->o->vflag > 1)
		out_fmt(c, " (0x%04x)", flags);
	static const struct {
		unsigned off;
		const char *label;
	} addrs[] = {
		{ BP_CIADDR, "Client-IP" }, { BP_YIADDR, "Your-IP" },
		{ BP_SIADDR, "Server-IP" }, { BP_GIADDR, "Gateway-IP" },
	};
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (get_be32(c, bp + addrs[i].off) == 0)
			continue;
		out_fmt(c, "\n\t  %s ", addrs[i].label);
		out_ip4(c, bp + addrs[i].off);
	}
	if (htype == 1 && hlen == 6) {
		pc_need(c, bp + BP_CHADDR, 6);
		out_str(c, "\n\t  Client-Ethernet-Address ");
		out_mac(c, bp + BP_CHADDR);
	}
	if (get_u8(c, bp + BP_SNAME) && !print_ztn(c, "sname", bp + BP_SNAME, 64))
		return;
	if (get_u8(c, bp + BP_FILE) && !print_ztn(c, "file", bp + BP_FILE, 128))
		return;
	static const uint8_t rfc1048[4] = { 99, 130, 83, 99 };
	pc_need(c, bp + BP_VEND, 4);
	const uint8_t *v = bp + BP_VEND;
	if (!memcmp(v, rfc1048, 4))
		print_rfc1048(c, v);
	else if (!memcmp(v, "CMU", 4))
		print_cmu(c, v);
	else if (get_be32(c, v))
		out_fmt(c, "\n\t  Vendor-#0x%x", get_be32(c, v));
}
