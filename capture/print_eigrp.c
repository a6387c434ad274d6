/* capture/print_eigrp.c: EIGRP (RFC 7868) as tcpdump's print-eigrp.c
 * prints it: the version check, the one-line form, and under -v the
 * common header. The TLVs of a -v listing are not decoded yet (such
 * packets keep the "ip-app" tag). */
#include "print_ipapp.h"

#define EIGRP_VERSION 2         /* RFC 7868 6.4 */
#define EIGRP_HDR_LEN 20        /* RFC 7868 6.4: the common header */
#define EIGRP_TLV_HDR_LEN 4     /* RFC 7868 6.6: type, length */

static const struct tok eigrp_opcodes[] = {
	{ 1, "Update" }, { 3, "Query" }, { 4, "Reply" }, { 5, "Hello" }, { 6, "IPX SAP" }, { 7, "Probe" },
	{ 0, NULL },
};

/* RFC 7868 6.4: header flags. */
static const struct tok eigrp_flags[] = {
	{ 0x01, "Init" }, { 0x02, "Conditionally Received" }, { 0x04, "Restart" }, { 0x08, "End-of-Table" },
	{ 0, NULL },
};

/* -v: the common header, then the TLVs (only a malformed first one is
 * decoded: tcpdump dumps the rest in hex). */
static void eigrp_verbose(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[32];
	unsigned opcode = get_u8(c, bp + 1);
	unsigned tlen = len > EIGRP_HDR_LEN ? len - EIGRP_HDR_LEN : 0;
	out_fmt(c, "\n\tEIGRP v%u, opcode: %s (%u), chksum: 0x%04x, Flags: [", get_u8(c, bp),
		tok2str(eigrp_opcodes, "unknown, type: %u", opcode, buf, sizeof(buf)), opcode, get_be16(c, bp + 2));
	out_bitnames(c, eigrp_flags, get_be32(c, bp + 4), "none");
	out_fmt(c, "]\n\tseq: 0x%08x, ack: 0x%08x, VRID: %u, AS: %u, length: %u", get_be32(c, bp + 8),
		get_be32(c, bp + 12), get_be16(c, bp + 16), get_be16(c, bp + 18), tlen);
	if (tlen == 0)
		return;
	const uint8_t *tlv = bp + EIGRP_HDR_LEN;
	if (!pc_has(c, tlv, EIGRP_TLV_HDR_LEN)) {
		out_trunc(c); /* tcpdump's ND_TCHECK: a marker, then return */
		return;
	}
	unsigned tlv_len = get_be16(c, tlv + 2);
	if (tlv_len < EIGRP_TLV_HDR_LEN || tlv_len > tlen) {
		size_t avail = pc_avail(c, tlv + EIGRP_TLV_HDR_LEN);
		out_hex_ident(c, "\n\t    ", tlv + EIGRP_TLV_HDR_LEN, tlen < avail ? tlen : avail);
		return;
	}
	c->last = "ip-app"; /* the TLVs: not decoded yet */
}

void print_eigrp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[24];
	c->proto = "eigrp";
	c->last = "eigrp";
	if (!pc_has(c, bp, EIGRP_HDR_LEN)) {
		out_trunc(c); /* tcpdump's ND_TCHECK_SIZE: a marker, then return */
		return;
	}
	unsigned version = get_u8(c, bp);
	if (version != EIGRP_VERSION) {
		out_fmt(c, "EIGRP version %u packet not supported", version);
		return;
	}
	if (!c->o->vflag) {
		out_fmt(c, "EIGRP %s, length: %u",
			tok2str(eigrp_opcodes, "unknown (%u)", get_u8(c, bp + 1), buf, sizeof(buf)), len);
		return;
	}
	eigrp_verbose(c, bp, len);
}
