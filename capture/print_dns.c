/* capture/print_dns.c: DNS queries over UDP (RFC 1035 4.1) as tcpdump
 * 4.99.3's print-domain.c prints them at default and -v verbosity: the
 * id, opcode, RD/CD marks, unusual counts, then each question's type,
 * class and name; responses whose answers are A, AAAA, NS, CNAME, PTR,
 * DNAME or MX records. Anything else (other record types, -vv sections)
 * is rolled back, tagged "dns-other", and falls back to "UDP, length N":
 * not decoded yet. */
#include "print_get.h"

#define INDIR_MASK 0xc0
#define EDNS0_MASK 0x40
#define MAXCDNAME 255

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
	{ 46, "RRSIG" },   { 47, "NSEC" },     { 48, "DNSKEY" },   { 49, "DHCID" },   { 50, "NSEC3" },
	{ 51, "NSEC3PARAM" }, { 52, "TLSA" },  { 53, "SMIMEA" },   { 55, "HIP" },     { 56, "NINFO" },
	{ 57, "RKEY" },    { 58, "TALINK" },   { 59, "CDS" },      { 60, "CDNSKEY" }, { 61, "OPENPGPKEY" },
	{ 62, "CSYNC" },   { 99, "SPF" },      { 100, "UINFO" },   { 101, "UID" },    { 102, "GID" },
	{ 103, "UNSPEC" }, { 104, "NID" },     { 105, "L32" },     { 106, "L64" },    { 107, "LP" },
	{ 108, "EUI48" },  { 109, "EUI64" },   { 249, "TKEY" },    { 250, "TSIG" },   { 251, "IXFR" },
	{ 252, "AXFR" },   { 253, "MAILB" },   { 254, "MAILA" },   { 255, "ANY" },    { 256, "URI" },
	{ 257, "CAA" },    { 32768, "TA" },    { 32769, "DLV" },   { 0, NULL },
};

static const struct tok qclasses[] = {
	{ 1, "IN" }, { 3, "CHAOS" }, { 4, "HS" }, { 255, "ANY" }, { 0, NULL },
};

static const char *const ops[] = {
	"", " iquery", " status", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef",
};

/* A label's length; -1 (after "<ELT n>" for an unknown extended type)
 * when it cannot be walked. Bit labels (RFC 2673) are tagged. */
static int labellen(struct pctx *c, const uint8_t *cp)
{
	if (!pc_has(c, cp, 1))
		return -1;
	unsigned i = cp[0];
	switch (i & INDIR_MASK) {
	case EDNS0_MASK:
		c->last = "dns-other";
		if ((i & ~INDIR_MASK) != 1)
			out_fmt(c, "<ELT %d>", (int)(i & ~INDIR_MASK));
		return -1;
	case INDIR_MASK:
	case 0:
		return (int)i;
	default:
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
			c->last = "dns-other";
			return NULL;
		case 0:
			break;
		default:
			return NULL;
		}
		cp += i;
		if (!pc_has(c, cp, 1))
			return NULL;
		i = *cp++;
	}
	return cp;
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
			c->last = "dns-other";
			return NULL;
		}
		if (name_chars + (unsigned)l <= MAXCDNAME) {
			if (printn(c, cp, (unsigned)l))
				return NULL;
		} else if (name_chars < MAXCDNAME) {
			if (printn(c, cp, MAXCDNAME - name_chars))
				return NULL;
		}
		name_chars += (unsigned)l;
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
	return rp;
}

static const uint8_t *qprint(struct pctx *c, const uint8_t *cp, const uint8_t *bp)
{
	char buf[32];
	const uint8_t *np = cp;
	cp = nskip(c, cp);
	if (cp == NULL || !pc_has(c, cp, 4))
		return NULL;
	unsigned type = get_be16(c, cp), cls = get_be16(c, cp + 2);
	cp += 4;
	out_fmt(c, " %s", tok2str(qtypes, "Type%u", type, buf, sizeof(buf)));
	if (cls != 1)
		out_fmt(c, " %s", tok2str(qclasses, "(Class %u)", cls, buf, sizeof(buf)));
	out_str(c, "? ");
	const uint8_t *r = dns_name_print(c, np, bp);
	return r ? r + 4 : NULL;
}

static const char *const rcodes[] = {
	"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain", " YXRRSet",
	" NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange",
	" BadVers",
};

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

/* tcpdump's ns_rprint for the types bpfcap decodes. Returns the next
 * record, c->snapend for a record cut inside its header (tcpdump's
 * choice), NULL when cut short; *unsupported for other types. */
static const uint8_t *rprint(struct pctx *c, const uint8_t *cp, const uint8_t *bp, int *unsupported)
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
	unsigned typ = get_be16(c, cp), cls = get_be16(c, cp + 2);
	if (typ == 41 || c->o->vflag > 2) {
		*unsupported = 1;
		return NULL;
	}
	if (cls != 1)
		out_fmt(c, " %s", tok2str(qclasses, "(Class %u)", cls, buf, sizeof(buf)));
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
	case 15:
		out_char(c, ' ');
		if (dns_name_print(c, cp + 2, bp) == NULL)
			return NULL;
		out_fmt(c, " %u", get_be16(c, cp));
		break;
	default:
		*unsupported = 1;
		return NULL;
	}
	return rp;
}

static int print_response(struct pctx *c, const uint8_t *bp, unsigned length)
{
	int unsupported = 0;
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
			cp = rr_skip(c, cp, &type, &ttl);
			if (cp && type == 41) {
				rcode |= (ttl >> 24) << 4;
				break;
			}
		}
		if (!cp)
			return 0;
	}
	if (rcode >= sizeof(rcodes) / sizeof(rcodes[0]))
		return 0;
	out_fmt(c, "%u%s%s%s%s%s", get_be16(c, bp), ops[opcode], rcodes[rcode], (b2 & 0x0400) ? "*" : "",
		(b2 & 0x0080) ? "" : "-", (b2 & 0x0200) ? "|" : "");
	if (qd != 1)
		out_fmt(c, " [%uq]", qd);
	const uint8_t *cp = bp + 12;
	for (unsigned i = 0; i < qd; i++) {
		if ((cp = nskip(c, cp)) == NULL)
			goto trunc;
		cp += 4;
	}
	out_fmt(c, " %u/%u/%u", an, ns, ar);
	if (an) {
		if ((cp = rprint(c, cp, bp, &unsupported)) == NULL)
			goto trunc;
		an--;
		while (cp < c->snapend && an) {
			out_char(c, ',');
			if ((cp = rprint(c, cp, bp, &unsupported)) == NULL)
				goto trunc;
			an--;
		}
	}
	if (an)
		goto trunc;
	out_fmt(c, " (%u)", length);
	return 1;
trunc:
	if (unsupported)
		return 0;
	out_trunc(c);
	return 1;
}

/* 1 when printed; 0 when this message is one bpfcap does not decode
 * (nothing printed: the caller prints "UDP, length N"). */
int print_dns(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "domain";
	c->last = "dns";
	if (length < 12) {
		c->last = "dns-other";
		return 0;
	}
	/* tcpdump reads the id and flags first: a cut there ends the packet */
	if ((get_u8(c, bp + 2) & 0x80) && c->o->vflag <= 1) {
		size_t mark = c->out->len;
		get_be16(c, bp + 10);
		if (print_response(c, bp, length))
			return 1;
		c->out->len = mark; /* roll back what a record we lack began */
		c->last = "dns-other";
		return 0;
	}
	if ((get_u8(c, bp + 2) & 0x80) || c->o->vflag > 1) {
		c->last = "dns-other";
		return 0;
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
		cp = qprint(c, cp, bp);
		if (!cp)
			goto trunc;
		qd--;
		while (cp < c->snapend && qd) {
			cp = qprint(c, cp, bp);
			if (!cp)
				goto trunc;
			qd--;
		}
	}
	if (qd)
		goto trunc;
	out_fmt(c, " (%u)", length);
	return 1;
trunc:
	out_trunc(c);
	return 1;
}
