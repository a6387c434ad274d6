/* capture/print_sctp.c: SCTP (RFC 9260) as tcpdump 4.99's print-sctp.c
 * prints it: addresses and ports, then each chunk in turn, with the
 * fields of DATA (3.3.1), INIT and INIT ACK (3.3.2, 3.3.3) and SACK
 * (3.3.4) decoded; ForCES payloads go to print_forces.c, M3UA to
 * print_m3ua.c. */
#include "print_sctp_app.h"

static const struct tok chunk_names[] = {
	{ 0, "DATA" }, { 1, "INIT" }, { 2, "INIT ACK" }, { 3, "SACK" }, { 4, "HB REQ" }, { 5, "HB ACK" },
	{ 6, "ABORT" }, { 7, "SHUTDOWN" }, { 8, "SHUTDOWN ACK" }, { 9, "OP ERR" }, { 10, "COOKIE ECHO" },
	{ 11, "COOKIE ACK" }, { 12, "ECN ECHO" }, { 13, "ECN CWR" }, { 14, "SHUTDOWN COMPLETE" },
	{ 0xc0, "FOR CUM TSN" }, { 0xc1, "REL CTRL" }, { 0xc2, "REL CTRL ACK" }, { 0, NULL },
};

/* IANA "SCTP Payload Protocol Identifiers", the ones tcpdump 4.99.3
 * names (26 is absent from its table). */
#define PPID_M3UA 3
#define PPID_FORCES_HP 21
#define PPID_FORCES_LP 23
static const struct tok ppids[] = {
	{ 1, "ISDN Q.921" }, { 2, "M2UA" }, { PPID_M3UA, "M3UA" }, { 4, "SUA" }, { 5, "M2PA" },
	{ 6, "V5.2" }, { 7, "H.248" }, { 8, "BICC" }, { 9, "TALI" }, { 10, "DUA" }, { 11, "ASAP" },
	{ 12, "ENRP" }, { 13, "H.323" }, { 14, "Q.IPC" }, { 15, "SIMCO" }, { 16, "DDPSC" },
	{ 17, "DDPSSC" }, { 18, "S1AP" }, { 19, "RUA" }, { 20, "HNBAP" }, { PPID_FORCES_HP, "ForCES HP" },
	{ 22, "ForCES MP" }, { PPID_FORCES_LP, "ForCES LP" }, { 24, "SBc-AP" }, { 25, "NBAP" },
	{ 27, "X2AP" }, { 0, NULL },
};

static int forces_port(unsigned p)
{
	return p >= 6704 && p <= 6706; /* RFC 5811 6: HP, MP, LP channels */
}

/* Chunk fields; *stop when tcpdump ends the packet ("bogus chunk"). */
static void chunk_body(struct pctx *c, unsigned id, unsigned flags, const uint8_t *bp, unsigned rem,
		       unsigned chunk_len, int *isforces, int *stop)
{
	char buf[24];
	switch (id) {
	case 0: {
		if (flags & 4)
			out_str(c, "(U)");
		if (flags & 2)
			out_str(c, "(B)");
		if (flags & 1)
			out_str(c, "(E)");
		if (flags & 7)
			out_char(c, ' ');
		if (rem < 12) {
			out_fmt(c, "bogus chunk length %u]", chunk_len);
			*stop = 1;
			return;
		}
		uint32_t ppid = get_be32(c, bp + 8);
		out_fmt(c, "[TSN: %u] ", get_be32(c, bp));
		out_fmt(c, "[SID: %u] ", get_be16(c, bp + 4));
		out_fmt(c, "[SSEQ %u] ", get_be16(c, bp + 6));
		out_fmt(c, "[PPID %s] ", tok2str(ppids, "0x%x", ppid, buf, sizeof(buf)));
		if (ppid >= PPID_FORCES_HP && ppid <= PPID_FORCES_LP)
			*isforces = 1;
		if (rem == 12) {
			out_fmt(c, "bogus chunk length %u]", chunk_len);
			*stop = 1;
			return;
		}
		if (*isforces) {
			print_forces(c, bp + 12, rem - 12);
			c->proto = "sctp";
		} else if (c->o->vflag >= 2 && ppid == PPID_M3UA) {
			print_m3ua(c, bp + 12, rem - 12);
			c->proto = "sctp";
		} else if (c->o->vflag >= 2) {
			out_str(c, "[Payload");
			if (!c->suppress_default) {
				out_char(c, ':');
				out_default(c, bp + 12, rem - 12);
			}
			out_char(c, ']');
		}
		return;
	}
	case 1:
	case 2:
		if (rem < 16) {
			out_fmt(c, "bogus chunk length %u]", chunk_len);
			*stop = 1;
			return;
		}
		out_fmt(c, "[init tag: %u] ", get_be32(c, bp));
		out_fmt(c, "[rwnd: %u] ", get_be32(c, bp + 4));
		out_fmt(c, "[OS: %u] ", get_be16(c, bp + 8));
		out_fmt(c, "[MIS: %u] ", get_be16(c, bp + 10));
		out_fmt(c, "[init TSN: %u] ", get_be32(c, bp + 12));
		return;
	case 3: {
		if (rem < 12) {
			out_fmt(c, "bogus chunk length %u]", chunk_len);
			*stop = 1;
			return;
		}
		uint32_t cum = get_be32(c, bp);
		unsigned ngaps = get_be16(c, bp + 8), ndups = get_be16(c, bp + 10);
		out_fmt(c, "[cum ack %u] ", cum);
		out_fmt(c, "[a_rwnd %u] ", get_be32(c, bp + 4));
		out_fmt(c, "[#gap acks %u] ", ngaps);
		out_fmt(c, "[#dup tsns %u] ", ndups);
		bp += 12;
		rem -= 12;
		for (unsigned i = 0; rem != 0 && i < ngaps; i++, bp += 4, rem -= 4) {
			if (rem < 4) {
				out_fmt(c, "bogus chunk length %u]", chunk_len);
				*stop = 1;
				return;
			}
			out_fmt(c, "\n\t\t[gap ack block #%u: start = %u, end = %u] ", i + 1, cum + get_be16(c, bp),
				cum + get_be16(c, bp + 2));
		}
		for (unsigned i = 0; rem != 0 && i < ndups; i++, bp += 4, rem -= 4) {
			if (rem < 4) {
				out_fmt(c, "bogus chunk length %u]", chunk_len);
				*stop = 1;
				return;
			}
			out_fmt(c, "\n\t\t[dup TSN #%u: %u] ", i + 1, get_be32(c, bp));
		}
		return;
	}
	default:
		return;
	}
}

void print_sctp(struct pctx *c, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	c->proto = "sctp";
	c->last = "sctp";
	if (len < 12) {
		out_fmt(c, "truncated-sctp - %u bytes missing!", 12 - len);
		return;
	}
	pc_need(c, bp, 12);
	unsigned sport = get_be16(c, bp), dport = get_be16(c, bp + 2);
	int v6 = (get_u8(c, ip) >> 4) == 6;
	out_ip_src(c, ip, v6);
	out_fmt(c, ".%u > ", sport);
	out_ip_dst(c, ip, v6);
	out_fmt(c, ".%u: sctp", dport);
	int isforces = 0;
	static const char *const channels[] = { "ForCES HP", "ForCES MP", "ForCES LP" };
	if (forces_port(sport)) {
		out_fmt(c, "[%s]", channels[sport - 6704]);
		isforces = 1;
	}
	if (forces_port(dport)) {
		out_fmt(c, "[%s]", channels[dport - 6704]);
		isforces = 1;
	}
	bp += 12;
	unsigned rem = len - 12;
	const char *sep = c->o->vflag >= 2 ? "\n\t" : " (";
	char buf[40];
	for (unsigned n = 1; rem != 0; n++) {
		if (rem < 4) {
			out_fmt(c, "%s%u) [chunk descriptor cut off at end of packet]", sep, n);
			return;
		}
		pc_need(c, bp, 4);
		unsigned id = bp[0], flags = bp[1], clen = get_be16(c, bp + 2);
		if (clen < 4) {
			out_fmt(c, "%s%u) [Bad chunk length %u, < size of chunk descriptor]", sep, n, clen);
			return;
		}
		unsigned align = clen % 4 ? 4 - clen % 4 : 0;
		if (rem < align) {
			out_fmt(c, "%s%u) [Bad chunk length %u, > remaining data in packet]", sep, n, clen);
			return;
		}
		pc_need(c, bp, clen);
		out_fmt(c, "%s%u) ", sep, n);
		out_fmt(c, "[%s] ", tok2str(chunk_names, "Unknown chunk type: 0x%x", id, buf, sizeof(buf)));
		int stop = 0;
		chunk_body(c, id, flags, bp + 4, clen - 4, clen, &isforces, &stop);
		if (stop)
			return;
		/* tcpdump steps by the chunk length (its remaining-length
		 * arithmetic is unsigned 16/32-bit: a chunk longer than the
		 * packet was caught by the bounds check above) */
		bp += clen;
		rem = rem >= clen ? rem - clen : 0;
		if (c->o->vflag < 2)
			sep = ", (";
		if (align) {
			pc_need(c, bp, align);
			bp += align;
			rem = rem >= align ? rem - align : 0;
		}
	}
}
