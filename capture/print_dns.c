/* capture/print_dns.c: DNS over UDP (RFC 1035 4.1) and multicast DNS
 * (RFC 6762) as tcpdump 4.99.3's print-domain.c prints them: the id,
 * opcode, flags and unusual counts, the questions, the answers (A,
 * AAAA, NS, CNAME, PTR, DNAME, SOA, MX, TXT, SRV, URI, OPT with its EDNS
 * options, TSIG; the type name alone for the others, as tcpdump), the
 * -vv sections and the -vvv TTLs, A6 records (RFC 2874) and bit labels
 * (RFC 2673); a message shorter than its header is "(invalid)". */
#include <stdio.h>
#include <string.h>

#include "print_get.h"
#include "print_udpapp.h"

#define INDIR_MASK 0xc0
#define EDNS0_MASK 0x40
#define MAXCDNAME 255
#define EDNS0_ELT_BITLABEL 0x01 /* RFC 2673 3.1 */
/* RFC 6762 5.4 and 10.2: the top bit of a question's class asks for a
 * unicast response, of a record's class flushes the cache. */
#define MDNS_CLASS_BIT 0x8000

/* The type names tcpdump 4.99.3 knows (its nameser.h): fewer than the
 * IANA registry, and 104 is its private UNSPECA. */
static const struct tok qtypes[] = {
	{ 1, "A" },        { 2, "NS" },        { 3, "MD" },        { 4, "MF" },       { 5, "CNAME" },
	{ 6, "SOA" },      { 7, "MB" },        { 8, "MG" },        { 9, "MR" },       { 10, "NULL" },
	{ 11, "WKS" },     { 12, "PTR" },      { 13, "HINFO" },    { 14, "MINFO" },   { 15, "MX" },
	{ 16, "TXT" },     { 17, "RP" },       { 18, "AFSDB" },    { 19, "X25" },     { 20, "ISDN" },
	{ 21, "RT" },      { 22, "NSAP" },     { 23, "NSAP_PTR" }, { 24, "SIG" },     { 25, "KEY" },
	{ 26, "PX" },      { 27, "GPOS" },     { 28, "AAAA" },     { 29, "LOC" },     { 30, "NXT" },
	{ 31, "EID" },     { 32, "NIMLOC" },   { 33, "SRV" },      { 34, "ATMA" },    { 35, "NAPTR" },
	{ 36, "KX" },      { 37, "CERT" },     { 38, "A6" },       { 39, "DNAME" },   { 40, "SINK" },
	{ 41, "OPT" },     { 42, "APL" },      { 43, "DS" },       { 44, "SSHFP" },   { 45, "IPSECKEY" },
	{ 46, "RRSIG" },   { 47, "NSEC" },     { 48, "DNSKEY" },   { 99, "SPF" },     { 100, "UINFO" },
	{ 101, "UID" },    { 102, "GID" },     { 103, "UNSPEC" },  { 104, "UNSPECA" }, { 249, "TKEY" },
	{ 250, "TSIG" },   { 251, "IXFR" },    { 252, "AXFR" },    { 253, "MAILB" },  { 254, "MAILA" },
	{ 255, "ANY" },    { 256, "URI" },     { 0, NULL },
};

static const struct tok qclasses[] = {
	{ 1, "IN" }, { 3, "CHAOS" }, { 4, "HS" }, { 255, "ANY" }, { 0, NULL },
};

static const char *const ops[] = {
	"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef",
};

/* RFC 2673 3.1: a bit label's bit count (0 means 256). */
static unsigned bitlabel_bits(struct pctx *c, const uint8_t *cp)
{
	unsigned bits = get_u8(c, cp);
	return bits ? bits : 256;
}

/* A label's length (a bit label's: its count byte and bits); -1, after
 * "<ELT n>" for an unknown extended type, when it cannot be walked. */
static int labellen(struct pctx *c, const uint8_t *cp)
{
	if (!pc_has(c, cp, 1))
		return -1;
	unsigned i = cp[0];
	switch (i & INDIR_MASK) {
	case EDNS0_MASK:
		if ((i & ~INDIR_MASK) != EDNS0_ELT_BITLABEL) {
			out_fmt(c, "<ELT %d>", (int)(i & ~INDIR_MASK));
			return -1;
		}
		if (!pc_has(c, cp + 1, 1))
			return -1;
		return (int)((bitlabel_bits(c, cp + 1) + 7) / 8 + 1);
	case INDIR_MASK:
	case 0:
		return (int)i;
	default: /* 0x80: no label type of RFC 1035 4.1.4 or RFC 6891 */
		out_str(c, "<BAD LABEL TYPE>");
		return -1;
	}
}

static const uint8_t *nskip(struct pctx *c, const uint8_t *cp)
{
	if (!pc_has(c, cp, 1))
		return NULL;
	unsigned i = *cp++;
	while (i) {
		switch (i & INDIR_MASK) {
		case INDIR_MASK:
			return cp + 1;
		case EDNS0_MASK:
			if ((i & ~INDIR_MASK) != EDNS0_ELT_BITLABEL || !pc_has(c, cp, 1))
				return NULL;
			cp += 1 + (bitlabel_bits(c, cp) + 7) / 8;
			break;
		case 0:
			cp += i;
			break;
		default:
			return NULL;
		}
		if (!pc_has(c, cp, 1))
			return NULL;
		i = *cp++;
	}
	return cp;
}

/* RFC 2673 3.2 as tcpdump's blabel_print: "\[x<hex>/<bits>]". The hex
 * walk stops at (bits + 3) / 4 bytes, as tcpdump's does. */
static void bitlabel_print(struct pctx *c, const uint8_t *cp)
{
	unsigned bits = bitlabel_bits(c, cp), b = bits;
	const uint8_t *bitp = cp + 1, *lim = cp + 1 + (bits + 3) / 4;
	out_str(c, "\\[x");
	for (; bitp < lim && b > 7; b -= 8, bitp++)
		out_fmt(c, "%02x", get_u8(c, bitp));
	if (b > 4)
		out_fmt(c, "%02x", get_u8(c, bitp) & (0xff << (8 - b)) & 0xff);
	else if (b > 0)
		out_fmt(c, "%1x", ((get_u8(c, bitp) >> 4) & 0x0f) & (0x0f << (4 - b)) & 0x0f);
	out_fmt(c, "/%u]", bits);
}

/* tcpdump's nd_printn: cat -v style; 1 when the capture ended first. */
static int printn(struct pctx *c, const uint8_t *s, unsigned n)
{
	while (n > 0 && s < c->snapend) {
		n--;
		uint8_t ch = get_u8(c, s++);
		if (ch & 0x80) {
			ch &= 0x7f;
			out_str(c, "M-");
		}
		if (!(ch >= 0x20 && ch <= 0x7e)) {
			ch ^= 0x40;
			out_char(c, '^');
		}
		out_char(c, (char)ch);
	}
	return n != 0;
}

/* tcpdump's ns_nprint: the name at CP (compression pointers must point
 * backwards, RFC 1035 4.1.4 as BIND enforces); returns the byte after
 * the name in the message, NULL when cut short or malformed. */
const uint8_t *dns_name_print(struct pctx *c, const uint8_t *cp, const uint8_t *bp)
{
	int l = labellen(c, cp);
	if (l < 0)
		return NULL;
	unsigned max_offset = (unsigned)(cp - bp), name_chars = 0;
	const uint8_t *rp = NULL;
	int compress = 0;
	unsigned i = get_u8(c, cp++);
	if ((i & INDIR_MASK) != INDIR_MASK)
		rp = cp + l;
	if (i == 0) {
		out_char(c, '.');
		return rp;
	}
	while (i && cp < c->snapend) {
		if ((i & INDIR_MASK) == INDIR_MASK) {
			if (!compress) {
				rp = cp + 1;
				compress = 1;
			}
			if (!pc_has(c, cp, 1))
				return NULL;
			unsigned offset = ((i << 8) | cp[0]) & 0x3fff;
			if (offset >= max_offset) {
				out_str(c, "<BAD PTR>");
				return NULL;
			}
			max_offset = offset;
			cp = bp + offset;
			if (!pc_has(c, cp, 1))
				return NULL;
			i = *cp++;
			if ((l = labellen(c, cp - 1)) < 0)
				return NULL;
			continue;
		}
		if ((i & INDIR_MASK) == EDNS0_MASK) {
			bitlabel_print(c, cp); /* labellen let bit labels only through */
		} else {
			if (name_chars + (unsigned)l <= MAXCDNAME) {
				if (printn(c, cp, (unsigned)l))
					return NULL;
			} else if (name_chars < MAXCDNAME) {
				if (printn(c, cp, MAXCDNAME - name_chars))
					return NULL;
			}
			name_chars += (unsigned)l;
		}
		cp += l;
		if (name_chars <= MAXCDNAME)
			out_char(c, '.');
		name_chars++;
		if (!pc_has(c, cp, 1))
			return NULL;
		i = *cp++;
		if ((l = labellen(c, cp - 1)) < 0)
			return NULL;
		if (!compress)
			rp += l + 1; /* the label just read, and its length byte */
	}
	if (name_chars > MAXCDNAME) /* RFC 1035 2.3.4: 255 octets at most */
		out_str(c, "<DOMAIN NAME TOO LONG>");
	return rp;
}

static const uint8_t *qprint(struct pctx *c, const uint8_t *cp, const uint8_t *bp, int mdns)
{
	char buf[32];
	const uint8_t *np = cp;
	cp = nskip(c, cp);
	if (cp == NULL || !pc_has(c, cp, 4))
		return NULL;
	unsigned type = get_be16(c, cp), cls = get_be16(c, cp + 2);
	cp += 4;
	out_fmt(c, " %s", tok2str(qtypes, "Type%u", type, buf, sizeof(buf)));
	unsigned qclass = mdns ? cls & ~MDNS_CLASS_BIT : cls;
	if (qclass != 1)
		out_fmt(c, " %s", tok2str(qclasses, "(Class %u)", qclass, buf, sizeof(buf)));
	if (mdns)
		out_str(c, (cls & MDNS_CLASS_BIT) ? " (QU)" : " (QM)");
	out_str(c, "? ");
	const uint8_t *r = dns_name_print(c, np, bp);
	return r ? r + 4 : NULL;
}

/* RFC 6895 2.3 response codes, tcpdump's ns_resp table (extended codes
 * through the OPT record's upper bits, RFC 6891 6.1.3). */
static const char *const rcodes[] = {
	"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain", " YXRRSet",
	" NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange",
	" BadVers", " Resp17", " Resp18", " Resp19", " Resp20", " Resp21", " Resp22", " BadCookie",
};

/* EDNS option codes (IANA "DNS EDNS0 Option Codes"). */
static const struct tok edns_opts[] = {
	{ 1, "LLQ" }, { 2, "UL" }, { 3, "NSID" }, { 5, "DAU" }, { 6, "DHU" }, { 7, "N3U" },
	{ 8, "ECS" }, { 9, "EXPIRE" }, { 10, "COOKIE" }, { 11, "KEEPALIVE" }, { 12, "PADDING" },
	{ 13, "CHAIN" }, { 14, "KEY-TAG" }, { 16, "CLIENT-TAG" }, { 17, "SERVER-TAG" }, { 0, NULL },
};
/* RFC 6975 algorithm lists: DNSSEC algorithms, DS digests, NSEC3 hashes. */
static const struct tok dnssec_algs[] = {
	{ 1, "RSAMD5" }, { 2, "DH" }, { 3, "DSA" }, { 4, "ECC" }, { 5, "RSASHA1" }, { 6, "DSA-NSEC3-SHA1" },
	{ 7, "RSASHA1-NSEC3-SHA1" }, { 8, "RSASHA256" }, { 10, "RSASHA512" }, { 12, "ECC-GOST" },
	{ 13, "ECDSAP256SHA256" }, { 14, "ECDSAP384SHA384" }, { 15, "ED25519" }, { 16, "ED448" },
	{ 252, "INDIRECT" }, { 253, "PRIVATEDNS" }, { 254, "PRIVATEOID" }, { 0, NULL },
};
static const struct tok ds_digests[] = {
	{ 1, "SHA-1" }, { 2, "SHA-256" }, { 3, "GOST_R_34.11-94" }, { 4, "SHA-384" }, { 0, NULL },
};
static const struct tok nsec3_hashes[] = { { 1, "SHA-1" }, { 0, NULL } };

/* RFC 7871 6: family, source and scope prefix lengths, the address cut
 * to the source prefix. */
static void eopt_ecs(struct pctx *c, const uint8_t *cp, unsigned len)
{
	if (len < 4) {
		out_invalid(c);
		return;
	}
	unsigned family = get_be16(c, cp), src = get_u8(c, cp + 2), scope = get_u8(c, cp + 3);
	unsigned bits = family == 1 ? 32 : family == 2 ? 128 : 0;
	if (!bits || len - 4 > bits / 8 || src > bits || scope > bits || (src + 7) / 8 != len - 4) {
		out_invalid(c);
		return;
	}
	uint8_t a[16] = { 0 };
	pc_need(c, cp + 4, len - 4);
	memcpy(a, cp + 4, len - 4);
	if (family == 1) {
		out_fmt(c, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else {
		/* the padded copy is local: print it with the packet bounds swapped */
		const uint8_t *save_pkt = c->pkt, *save_end = c->snapend;
		c->pkt = a;
		c->snapend = a + 16;
		out_ip6(c, a);
		c->pkt = save_pkt;
		c->snapend = save_end;
	}
	out_fmt(c, "/%u/%u", src, scope);
}

/* One EDNS option (RFC 6891 6.1.2) as tcpdump's eopt_print. */
static const uint8_t *eopt_print(struct pctx *c, const uint8_t *cp)
{
	char buf[32];
	if (!pc_has(c, cp, 4))
		return NULL;
	unsigned opt = get_be16(c, cp), len = get_be16(c, cp + 2);
	cp += 4;
	out_str(c, tok2str(edns_opts, "Opt%u", opt, buf, sizeof(buf)));
	if (!pc_has(c, cp, len))
		return NULL;
	if (len == 0)
		return cp;
	out_char(c, ' ');
	switch (opt) {
	case 8:
		eopt_ecs(c, cp, len);
		break;
	case 10: /* RFC 7873 4: client cookie, then the server's */
		if (len < 8 || (len > 8 && len < 16) || len > 40) {
			out_invalid(c);
			break;
		}
		for (unsigned i = 0; i < len; i++)
			out_fmt(c, i == 8 ? " %02x" : "%02x", cp[i]);
		break;
	case 11: /* RFC 7828 3.1: units of 100 ms */
		if (len != 2)
			out_invalid(c);
		else
			out_fmt(c, "%0.1f sec", get_be16(c, cp) / 10.0);
		break;
	case 9:
		if (len != 4)
			out_invalid(c);
		else
			out_fmt(c, "%u sec", get_be32(c, cp));
		break;
	case 12: /* RFC 7830 4: zeros, but tcpdump 4.99.3 prints only the length */
		out_fmt(c, "(%u)", len);
		break;
	case 5:
	case 6:
	case 7:
		for (unsigned i = 0; i < len; i++) {
			const struct tok *t = opt == 5 ? dnssec_algs : opt == 6 ? ds_digests : nsec3_hashes;
			if (i)
				out_char(c, ' ');
			out_str(c, tok2str(t, "Alg_%u", cp[i], buf, sizeof(buf)));
		}
		break;
	case 13: /* RFC 7901 4: a closest trust point name */
		/* tcpdump's fqdn_print(name, end): the end stands for the message
		 * start, and a bad name does not stop the option list */
		dns_name_print(c, cp, cp + len);
		break;
	case 14: /* RFC 8145 4.1: 16-bit key tags */
		for (unsigned i = 0; i + 1 < len; i += 2)
			out_fmt(c, i ? " %u" : "%u", get_be16(c, cp + i));
		break;
	default:
		for (unsigned i = 0; i < len; i++)
			out_fmt(c, "%02x", cp[i]);
		break;
	}
	return cp + len;
}

/* Skip one resource record; NULL when cut short. */
static const uint8_t *rr_skip(struct pctx *c, const uint8_t *cp, unsigned *type, uint32_t *ttl)
{
	cp = nskip(c, cp);
	if (!cp || !pc_has(c, cp, 10))
		return NULL;
	*type = (unsigned)(cp[0] << 8 | cp[1]);
	*ttl = (uint32_t)cp[4] << 24 | (uint32_t)cp[5] << 16 | (uint32_t)cp[6] << 8 | cp[7];
	return cp + 10 + (cp[8] << 8 | cp[9]);
}

/* tcpdump's ns_cprint: a length-prefixed character string. */
static const uint8_t *cprint(struct pctx *c, const uint8_t *cp)
{
	if (!pc_has(c, cp, 1))
		return NULL;
	unsigned n = *cp++;
	if (printn(c, cp, n))
		return NULL;
	return cp + n;
}

/* RFC 2874 3.1.1: prefix length, the address suffix (the bytes past
 * the prefix), then the prefix name when the prefix length is not 0.
 * 0 when cut short. */
static int a6_print(struct pctx *c, const uint8_t *cp, const uint8_t *bp)
{
	unsigned pbit = get_u8(c, cp), pbyte = (pbit & ~7u) / 8;
	if (pbit > 128) {
		out_fmt(c, " %u(bad plen)", pbit);
		return 1;
	}
	if (pbit < 128) {
		uint8_t a[16] = { 0 };
		pc_need(c, cp + 1, 16 - pbyte);
		memcpy(a + pbyte, cp + 1, 16 - pbyte);
		out_fmt(c, " %u ", pbit);
		/* the padded copy is local: print it with the packet bounds swapped */
		const uint8_t *save_pkt = c->pkt, *save_end = c->snapend;
		c->pkt = a;
		c->snapend = a + 16;
		out_ip6(c, a);
		c->pkt = save_pkt;
		c->snapend = save_end;
	}
	if (pbit > 0) {
		out_char(c, ' ');
		if (dns_name_print(c, cp + 1 + 16 - pbyte, bp) == NULL)
			return 0;
	}
	return 1;
}

/* tcpdump's ns_rprint (RFC 1035 4.1.3): owner at -v, class, TTL at -vvv,
 * type, and the data of the types tcpdump decodes. Returns the next
 * record, c->snapend for a record cut inside its header (tcpdump's
 * choice), NULL when cut short. */
static const uint8_t *rprint(struct pctx *c, const uint8_t *cp, const uint8_t *bp, int mdns)
{
	char buf[32];
	if (c->o->vflag) {
		out_char(c, ' ');
		if ((cp = dns_name_print(c, cp, bp)) == NULL)
			return NULL;
	} else {
		cp = nskip(c, cp);
	}
	if (cp == NULL || !pc_has(c, cp, 10))
		return c->snapend;
	unsigned typ = get_be16(c, cp), cls = get_be16(c, cp + 2), opt_flags = 0;
	unsigned rclass = mdns ? cls & ~MDNS_CLASS_BIT : cls;
	if (rclass != 1 && typ != 41)
		out_fmt(c, " %s", tok2str(qclasses, "(Class %u)", rclass, buf, sizeof(buf)));
	if (mdns && (cls & MDNS_CLASS_BIT))
		out_str(c, " (Cache flush)");
	if (typ == 41) {
		opt_flags = get_be16(c, cp + 6);
	} else if (c->o->vflag > 2) {
		out_str(c, " [");
		out_relts(c, get_be32(c, cp + 4));
		out_char(c, ']');
	}
	unsigned len = get_be16(c, cp + 8);
	cp += 10;
	const uint8_t *rp = cp + len;
	out_fmt(c, " %s", tok2str(qtypes, "Type%u", typ, buf, sizeof(buf)));
	if (rp > c->snapend)
		return NULL;
	switch (typ) {
	case 1:
		if (!pc_has(c, cp, 4))
			return NULL;
		out_char(c, ' ');
		out_ip4(c, cp);
		break;
	case 28:
		if (!pc_has(c, cp, 16))
			return NULL;
		out_char(c, ' ');
		out_ip6(c, cp);
		break;
	case 2:
	case 5:
	case 12:
	case 39:
		out_char(c, ' ');
		if (dns_name_print(c, cp, bp) == NULL)
			return NULL;
		break;
	case 6: /* SOA: names, serial, refresh, retry, expire, minimum */
		if (!c->o->vflag)
			break;
		out_char(c, ' ');
		if ((cp = dns_name_print(c, cp, bp)) == NULL)
			return NULL;
		out_char(c, ' ');
		if ((cp = dns_name_print(c, cp, bp)) == NULL)
			return NULL;
		if (!pc_has(c, cp, 20))
			return NULL;
		for (int i = 0; i < 5; i++)
			out_fmt(c, " %u", get_be32(c, cp + 4 * i));
		break;
	case 15:
		out_char(c, ' ');
		if (dns_name_print(c, cp + 2, bp) == NULL)
			return NULL;
		out_fmt(c, " %u", get_be16(c, cp));
		break;
	case 16: /* TXT: character strings */
		while (cp < rp) {
			out_str(c, " \"");
			if ((cp = cprint(c, cp)) == NULL)
				return NULL;
			out_char(c, '"');
		}
		break;
	case 33: /* SRV (RFC 2782): target:port priority weight */
		out_char(c, ' ');
		if (dns_name_print(c, cp + 6, bp) == NULL)
			return NULL;
		out_fmt(c, ":%u %u %u", get_be16(c, cp + 4), get_be16(c, cp), get_be16(c, cp + 2));
		break;
	case 256: /* URI (RFC 7553) */
		if (!pc_has(c, cp, len))
			return NULL;
		out_fmt(c, " %u %u ", get_be16(c, cp), get_be16(c, cp + 2));
		/* tcpdump does not check len >= 4: a shorter target length
		 * wraps and prints up to the capture's end, then [|domain] */
		if (printn(c, cp + 4, len - 4u))
			return NULL;
		break;
	case 41: /* OPT (RFC 6891 6.1.2): the class is the UDP payload size */
		out_fmt(c, " UDPsize=%u", cls);
		if (opt_flags & 0x8000)
			out_str(c, " DO");
		if (cp < rp) {
			out_str(c, " [");
			while (cp < rp) {
				if ((cp = eopt_print(c, cp)) == NULL)
					return NULL;
				if (cp < rp)
					out_char(c, ',');
			}
			out_char(c, ']');
		}
		break;
	case 250: /* TSIG (RFC 8945 4.2) */
		if (!c->o->vflag)
			break;
		out_char(c, ' ');
		if ((cp = dns_name_print(c, cp, bp)) == NULL)
			return NULL;
		cp += 6;
		if (!pc_has(c, cp, 2))
			return NULL;
		out_fmt(c, " fudge=%u", get_be16(c, cp));
		cp += 2;
		if (!pc_has(c, cp, 2))
			return NULL;
		out_fmt(c, " maclen=%u", get_be16(c, cp));
		cp += 2 + get_be16(c, cp);
		if (!pc_has(c, cp, 2))
			return NULL;
		out_fmt(c, " origid=%u", get_be16(c, cp));
		if (!pc_has(c, cp + 2, 2))
			return NULL;
		out_fmt(c, " error=%u", get_be16(c, cp + 2));
		if (!pc_has(c, cp + 4, 2))
			return NULL;
		out_fmt(c, " otherlen=%u", get_be16(c, cp + 4));
		break;
	case 38: /* A6 (RFC 2874 3.1.1) */
		if (!a6_print(c, cp, bp))
			return NULL;
		break;
	default:
		break; /* tcpdump prints the type only */
	}
	return rp;
}

/* A section of COUNT records after LABEL (" an:", " ns:", " ar:", or ""
 * for the answers), comma-separated; NULL when cut short. */
static const uint8_t *rsection(struct pctx *c, const uint8_t *cp, const uint8_t *bp, unsigned *count,
			       const char *label, int mdns)
{
	/* tcpdump reads the first answer even at the capture's end */
	if (*count == 0 || (*label && cp >= c->snapend))
		return cp;
	out_str(c, label);
	if ((cp = rprint(c, cp, bp, mdns)) == NULL)
		return NULL;
	(*count)--;
	while (cp < c->snapend && *count) {
		out_char(c, ',');
		if ((cp = rprint(c, cp, bp, mdns)) == NULL)
			return NULL;
		(*count)--;
	}
	return cp;
}

static void print_response(struct pctx *c, const uint8_t *bp, unsigned length, int mdns)
{
	unsigned qd = get_be16(c, bp + 4), an = get_be16(c, bp + 6), ns = get_be16(c, bp + 8),
		 ar = get_be16(c, bp + 10);
	unsigned b2 = get_be16(c, bp + 2), opcode = (b2 >> 11) & 0xf, rcode = b2 & 0xf;
	/* RFC 6891 6.1.3: an OPT record in the additional section extends
	 * the response code; find it as tcpdump does. */
	if (ar) {
		const uint8_t *cp = bp + 12;
		unsigned type;
		uint32_t ttl;
		for (unsigned i = 0; i < qd && cp; i++) {
			cp = nskip(c, cp);
			if (cp)
				cp += 4;
		}
		for (unsigned i = 0; i < an + ns && cp; i++)
			cp = rr_skip(c, cp, &type, &ttl);
		for (unsigned i = 0; i < ar && cp; i++) {
			/* tcpdump needs an OPT record only up to its extended
			 * code (the TTL's first byte), not its data length */
			const uint8_t *hdr = nskip(c, cp);
			if (hdr && pc_has(c, hdr, 5) && (hdr[0] << 8 | hdr[1]) == 41) {
				rcode |= (unsigned)hdr[4] << 4;
				break;
			}
			cp = rr_skip(c, cp, &type, &ttl);
		}
		/* a section that cannot be walked leaves the 4-bit code */
	}
	char rbuf[16];
	const char *rc = rbuf;
	if (rcode < sizeof(rcodes) / sizeof(rcodes[0]))
		rc = rcodes[rcode];
	else
		snprintf(rbuf, sizeof(rbuf), " Resp%u", rcode & 0xfff);
	out_fmt(c, "%u%s%s%s%s%s%s", get_be16(c, bp), ops[opcode], rc, (b2 & 0x0400) ? "*" : "",
		(b2 & 0x0080) ? "" : "-", (b2 & 0x0200) ? "|" : "", (b2 & 0x0020) ? "$" : "");
	if (qd != 1)
		out_fmt(c, " [%uq]", qd);
	const uint8_t *cp = bp + 12;
	for (unsigned i = 0; i < qd; i++) {
		/* tcpdump separates the questions with "," at every -v level */
		if (i)
			out_char(c, ',');
		if (c->o->vflag > 1) {
			out_str(c, " q:");
			if ((cp = qprint(c, cp, bp, mdns)) == NULL)
				goto trunc;
		} else {
			if ((cp = nskip(c, cp)) == NULL)
				goto trunc;
			cp += 4;
		}
	}
	out_fmt(c, " %u/%u/%u", an, ns, ar);
	if ((cp = rsection(c, cp, bp, &an, "", mdns)) == NULL || an)
		goto trunc;
	if (c->o->vflag > 1) {
		if ((cp = rsection(c, cp, bp, &ns, " ns:", mdns)) == NULL || ns)
			goto trunc;
		if ((cp = rsection(c, cp, bp, &ar, " ar:", mdns)) == NULL || ar)
			goto trunc;
	}
	out_fmt(c, " (%u)", length);
	return;
trunc:
	out_trunc(c);
}

/* One message; MDNS: RFC 6762 class bits. */
static void dns_message(struct pctx *c, const uint8_t *bp, unsigned length, int mdns)
{
	c->proto = "domain";
	c->last = "dns";
	if (length < 12) { /* RFC 1035 4.1.1: the header */
		out_fmt(c, "domain [length %u < 12]", length);
		out_invalid(c);
		return;
	}
	/* tcpdump reads the id and flags first: a cut there ends the packet */
	if (get_u8(c, bp + 2) & 0x80) {
		get_be16(c, bp + 10);
		print_response(c, bp, length, mdns);
		return;
	}
	unsigned qd = get_be16(c, bp + 4), an = get_be16(c, bp + 6), ns = get_be16(c, bp + 8),
		 ar = get_be16(c, bp + 10);
	unsigned b2 = get_be16(c, bp + 2), opcode = (b2 >> 11) & 0xf;
	out_fmt(c, "%u%s%s%s", get_be16(c, bp), ops[opcode], (b2 & 0x0100) ? "+" : "", (b2 & 0x0010) ? "%" : "");
	if (b2 & 0x6cf)
		out_fmt(c, " [b2&3=0x%x]", b2);
	if (opcode == 1) {
		if (qd)
			out_fmt(c, " [%uq]", qd);
		if (an != 1)
			out_fmt(c, " [%ua]", an);
	} else {
		if (an)
			out_fmt(c, " [%ua]", an);
		if (qd != 1)
			out_fmt(c, " [%uq]", qd);
	}
	if (ns)
		out_fmt(c, " [%un]", ns);
	if (ar)
		out_fmt(c, " [%uau]", ar);
	const uint8_t *cp = bp + 12;
	if (qd) {
		cp = qprint(c, cp, bp, mdns);
		if (!cp)
			goto trunc;
		qd--;
		while (cp < c->snapend && qd) {
			cp = qprint(c, cp, bp, mdns);
			if (!cp)
				goto trunc;
			qd--;
		}
	}
	if (qd)
		goto trunc;
	if (c->o->vflag > 1) {
		/* a query's answers carry no label (tcpdump's ns_print) */
		if ((cp = rsection(c, cp, bp, &an, "", mdns)) == NULL || an ||
		    (cp = rsection(c, cp, bp, &ns, " ns:", mdns)) == NULL || ns ||
		    (cp = rsection(c, cp, bp, &ar, " ar:", mdns)) == NULL || ar)
			goto trunc;
	}
	out_fmt(c, " (%u)", length);
	return;
trunc:
	out_trunc(c);
}

void print_dns(struct pctx *c, const uint8_t *bp, unsigned length)
{
	dns_message(c, bp, length, 0);
}

void print_mdns(struct pctx *c, const uint8_t *bp, unsigned length)
{
	dns_message(c, bp, length, 1);
}

/* RFC 1035 4.2.2: over TCP a two-byte length comes first; tcpdump's
 * domain_print checks it against the segment and prints a space. */
void print_dns_tcp(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "domain";
	c->last = "dns";
	if (length < 2) {
		out_fmt(c, " [DNS over TCP: length %u < 2]", length);
		out_invalid(c);
		return;
	}
	length -= 2;
	unsigned prefix = get_be16(c, bp);
	if (prefix != length) {
		out_fmt(c, " [prefix length(%u) != length(%u)]", prefix, length);
		out_invalid(c);
		return;
	}
	out_char(c, ' ');
	dns_message(c, bp + 2, length, 0);
}
