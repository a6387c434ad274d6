/* capture/print_stp.c: spanning tree BPDUs (IEEE 802.1D-2004 9.3,
 * 802.1w RSTP) as tcpdump 4.99's print-stp.c prints them. MSTP (802.1s)
 * and SPB BPDUs print their common part only, tagged "stp-other". */
#include "print_get.h"

#define STP_TIME_BASE 256.0 /* 802.1D 9.3.1: times are in 1/256 s */

/* Root and bridge identifiers: priority (2 bytes, hex), then a MAC. */
static void stp_bridge_id(struct pctx *c, const uint8_t *p)
{
	out_fmt(c, "%02x%02x.", get_u8(c, p), get_u8(c, p + 1));
	out_mac(c, p + 2);
}

static void stp_flags(struct pctx *c, unsigned flags)
{
	static const struct tok names[] = {
		{ 0x01, "Topology change" }, { 0x02, "Proposal" }, { 0x10, "Learn" },
		{ 0x20, "Forward" }, { 0x40, "Agreement" }, { 0x80, "Topology change ACK" }, { 0, NULL },
	};
	const char *sep = "";
	int any = 0;
	for (const struct tok *t = names; t->s; t++)
		if (flags & t->v) {
			out_fmt(c, "%s%s", sep, t->s);
			sep = ", ";
			any = 1;
		}
	if (!any)
		out_str(c, "none");
}

/* 802.1D 9.3.1 configuration BPDU (and the RSTP BPDU's same fields). */
static void stp_config(struct pctx *c, const uint8_t *p, unsigned len, unsigned version)
{
	unsigned type = get_u8(c, p + 3), flags = get_u8(c, p + 4);
	out_str(c, type == 0 ? ", Config" : ", Rapid STP");
	out_str(c, ", Flags [");
	stp_flags(c, flags);
	out_str(c, "], bridge-id ");
	stp_bridge_id(c, p + 17);
	out_fmt(c, ".%04x, length %u", get_be16(c, p + 25), len);
	if (!c->o->vflag)
		return;
	out_fmt(c, "\n\tmessage-age %.2fs, max-age %.2fs, hello-time %.2fs, forwarding-delay %.2fs",
		get_be16(c, p + 27) / STP_TIME_BASE, get_be16(c, p + 29) / STP_TIME_BASE,
		get_be16(c, p + 31) / STP_TIME_BASE, get_be16(c, p + 33) / STP_TIME_BASE);
	out_str(c, "\n\troot-id ");
	stp_bridge_id(c, p + 5);
	out_fmt(c, ", root-pathcost %u", get_be32(c, p + 13));
	if (version == 2) {
		static const char *const roles[] = { "Unknown", "Alternate", "Root", "Designated" };
		out_fmt(c, ", port-role %s", roles[(flags & 0x0c) >> 2]);
	}
}

void print_stp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "stp";
	c->last = "stp";
	if (len < 4) {
		out_invalid(c);
		return;
	}
	if (get_be16(c, p) != 0) {
		out_fmt(c, "unknown STP version, length %u", len);
		return;
	}
	unsigned version = get_u8(c, p + 2), type = get_u8(c, p + 3);
	static const struct tok versions[] = {
		{ 0, "802.1d" }, { 2, "802.1w" }, { 3, "802.1s" }, { 4, "SPB" }, { 0, NULL },
	};
	char buf[40];
	out_str(c, "STP ");
	out_str(c, tok2str(versions, "Unknown STP protocol (0x%02x)", version, buf, sizeof(buf)));
	if (version > 2) {
		c->last = "stp-other"; /* MSTP/SPB bodies: not decoded */
		return;
	}
	switch (type) {
	case 0x00:
		if (len < 35) {
			out_invalid(c);
			return;
		}
		stp_config(c, p, len, version);
		break;
	case 0x02:
		if (version != 2 || len < 36) {
			c->last = "stp-other";
			return;
		}
		stp_config(c, p, len, version);
		break;
	case 0x80:
		out_str(c, ", Topology Change");
		break;
	default:
		c->last = "stp-other";
		break;
	}
}
