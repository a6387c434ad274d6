/* capture/print_llc.c: IEEE 802.2 LLC (ISO/IEC 8802-2) and the SNAP
 * header of RFC 1042, as tcpdump 4.99's print-llc.c prints them: the
 * SAP dispatch (SNAP, spanning tree, IP, IPX, ISO CLNS) and, for the
 * SAPs it does not decode (NetBEUI among them: Debian's tcpdump is
 * built without SMB), the U/I/S control field. */
#include "print_llc.h"

/* ISO/IEC 8802-2 5.2: the low bit of the DSAP is the I/G bit, the low
 * bit of the SSAP the C/R bit. */
#define LLC_IG   0x01
#define LLC_GSAP 0x01

/* SAP values (IEEE 802 numbers, tcpdump's llc.h) beyond the ones
 * filter/protocols.h defines. */
#define LLCSAP_NULL     0x00
#define LLCSAP_8021B_I  0x02
#define LLCSAP_8021B_G  0x03
#define LLCSAP_SNA      0x04
#define LLCSAP_PROWAYNM 0x0e
#define LLCSAP_RS511    0x4e
#define LLCSAP_ISO8208  0x7e
#define LLCSAP_PROWAY   0x8e

/* ISO/IEC 8802-2 5.4: control field formats (LLC_U_FMT, LLC_S_FMT and
 * the U commands are in filter/protocols.h). */
#define LLC_U_POLL   0x10
#define LLC_IS_POLL  0x0100
#define LLC_U_CMD(u) ((u) & 0xef)
#define LLC_S_CMD(s) (((s) >> 2) & 0x03)
#define LLC_I_NS(i)  (((i) >> 1) & 0x7f)
#define LLC_IS_NR(i) (((i) >> 9) & 0x7f)
#define LLC_XID_FI   0x81 /* 5.4.1.1.4: IEEE basic format identifier */

#define SNAP_HDR_LEN 5

static const struct tok llc_sap_names[] = {
	{ LLCSAP_NULL, "Null" },        { LLCSAP_GLOBAL, "Global" },  { LLCSAP_8021B_I, "802.1B I" },
	{ LLCSAP_8021B_G, "802.1B G" }, { LLCSAP_IP, "IP" },          { LLCSAP_SNA, "SNA" },
	{ LLCSAP_PROWAYNM, "ProWay NM" }, { LLCSAP_8021D, "STP" },    { LLCSAP_RS511, "RS511" },
	{ LLCSAP_ISO8208, "ISO8208" },  { LLCSAP_PROWAY, "ProWay" },  { LLCSAP_SNAP, "SNAP" },
	{ LLCSAP_IPX, "IPX" },          { LLCSAP_NETBEUI, "NetBeui" }, { LLCSAP_ISONS, "OSI" },
	{ 0, NULL },
};

static const struct tok llc_cmd_names[] = {
	{ LLC_UI, "ui" },     { LLC_TEST, "test" }, { LLC_XID, "xid" },     { LLC_UA, "ua" },
	{ LLC_DISC, "disc" }, { LLC_DM, "dm" },     { LLC_SABME, "sabme" }, { LLC_FRMR, "frmr" },
	{ 0, NULL },
};

/* The C/R bit combined with the P/F bit of either control format. */
static const struct tok llc_flag_names[] = {
	{ 0, "Command" },      { LLC_GSAP, "Response" },
	{ LLC_U_POLL, "Poll" }, { LLC_GSAP | LLC_U_POLL, "Final" },
	{ LLC_IS_POLL, "Poll" }, { LLC_GSAP | LLC_IS_POLL, "Final" },
	{ 0, NULL },
};

static const struct tok llc_supervisory_names[] = {
	{ 0, "Receiver Ready" }, { 1, "Receiver not Ready" }, { 2, "Reject" }, { 0, NULL },
};

/* ---- SNAP (RFC 1042, IEEE 802-2014 10) -------------------------------- */

#define OUI_ENCAP_ETHER 0x000000
#define OUI_CISCO       0x00000c
#define OUI_CISCO_90    0x0000f8
#define OUI_RFC2684     0x0080c2
#define OUI_APPLETALK   0x080007

/* tcpdump's oui_values. */
static const struct tok oui_names[] = {
	{ OUI_ENCAP_ETHER, "Ethernet" }, { OUI_CISCO, "Cisco" }, { 0x00005e, "IANA" },
	{ 0x000081, "Nortel Networks SONMP" }, { OUI_CISCO_90, "Cisco bridged" },
	{ OUI_RFC2684, "Ethernet bridged" }, { 0x00a03e, "ATM Forum" },
	{ 0x00e02f, "DOCSIS Spanning Tree" }, { OUI_APPLETALK, "Appletalk" },
	{ 0x009069, "Juniper" }, { 0x080009, "Hewlett-Packard" }, { 0x00120f, "IEEE 802.3 Private" },
	{ 0x0012bb, "ANSI/TIA" }, { 0x001b21, "DCBX" }, { 0x002320, "Nicira Networks" },
	{ 0x00256d, "Broadband Forum" }, { 0x4f4e46, "Open Networking Foundation" },
	{ 0x00049f, "Freescale" }, { 0x001518, "Netronome" }, { 0xb0d2f5, "Vello Systems" },
	{ 0, NULL },
};

/* Cisco protocol ids behind OUI 00-00-0c. */
#define PID_CISCO_CDP        0x2000
#define PID_CISCO_VTP        0x2003
#define PID_CISCO_DTP        0x2004
#define PID_CISCO_UDLD       0x0111
#define PID_CISCO_PVST       0x010b
#define PID_CISCO_VLANBRIDGE 0x010c

static const struct tok cisco_pid_names[] = {
	{ PID_CISCO_CDP, "CDP" }, { PID_CISCO_VTP, "VTP" }, { PID_CISCO_DTP, "DTP" },
	{ PID_CISCO_UDLD, "UDLD" }, { PID_CISCO_PVST, "PVST" }, { PID_CISCO_VLANBRIDGE, "VLAN Bridge" },
	{ 0, NULL },
};

/* RFC 2684 6.1 / RFC 2427 5.3: bridged-frame protocol ids. */
#define PID_RFC2684_ETH_FCS   0x0001
#define PID_RFC2684_ETH_NOFCS 0x0007
#define PID_RFC2684_BPDU      0x000e

static const struct tok bridged_pid_names[] = {
	{ PID_RFC2684_ETH_FCS, "Ethernet + FCS" }, { PID_RFC2684_ETH_NOFCS, "Ethernet w/o FCS" },
	{ 0x0002, "802.4 + FCS" },      { 0x0008, "802.4 w/o FCS" },
	{ 0x0003, "Token Ring + FCS" }, { 0x0009, "Token Ring w/o FCS" },
	{ 0x0004, "FDDI + FCS" },       { 0x000a, "FDDI w/o FCS" },
	{ 0x0005, "802.6 + FCS" },      { 0x000b, "802.6 w/o FCS" },
	{ PID_RFC2684_BPDU, "BPDU" },
	{ 0, NULL },
};

static const struct tok no_names[] = { { 0, NULL } };

/* The table naming the protocol ids under an OUI (tcpdump's
 * oui_to_struct_tok). */
static const struct tok *snap_pid_names(uint32_t oui)
{
	switch (oui) {
	case OUI_ENCAP_ETHER:
	case OUI_CISCO_90:
	case OUI_APPLETALK:
		return ethertype_names;
	case OUI_CISCO:
		return cisco_pid_names;
	case OUI_RFC2684:
		return bridged_pid_names;
	default:
		return no_names;
	}
}

/* The name of protocol id PID under OUI, "Unknown" if none. */
static const char *snap_pid_name(uint32_t oui, uint16_t pid)
{
	const char *s = tok_find(snap_pid_names(oui), pid);
	return s ? s : "Unknown";
}

/* The Cisco protocols under OUI 00-00-0c: 1 if printed. */
static int snap_cisco(struct pctx *c, uint16_t pid, const uint8_t *p, unsigned length)
{
	switch (pid) {
	case PID_CISCO_CDP:
		print_cdp(c, p, length);
		return 1;
	case PID_CISCO_DTP:
		print_dtp(c, p, length);
		return 1;
	case PID_CISCO_UDLD:
		print_udld(c, p, length);
		return 1;
	case PID_CISCO_VTP:
		print_vtp(c, p, length);
		return 1;
	case PID_CISCO_PVST:
	case PID_CISCO_VLANBRIDGE:
		print_stp(c, p, length);
		return 1;
	default:
		return 0;
	}
}

/* Bridged frames (RFC 2684 / RFC 2427): 1 if printed. */
static int snap_bridged(struct pctx *c, uint16_t pid, const uint8_t *p, unsigned length, unsigned caplen,
			unsigned bridge_pad)
{
	switch (pid) {
	case PID_RFC2684_ETH_FCS:
	case PID_RFC2684_ETH_NOFCS:
		if (!pc_has(c, p, bridge_pad)) {
			out_trunc(c);
			return 1;
		}
		print_ether(c, p + bridge_pad, length - bridge_pad, caplen - bridge_pad);
		return 1;
	case PID_RFC2684_BPDU:
		print_stp(c, p, length);
		return 1;
	default:
		/* Token Ring and FDDI frames: not decoded by bpfcap. */
		return 0;
	}
}

int snap_print(struct pctx *c, const uint8_t *p, unsigned length, unsigned caplen,
	       const uint8_t *src, const uint8_t *dst, unsigned bridge_pad)
{
	c->proto = "snap";
	c->last = "snap";
	if (!pc_has(c, p, SNAP_HDR_LEN) || caplen < SNAP_HDR_LEN || length < SNAP_HDR_LEN) {
		out_trunc(c);
		return 1;
	}
	uint32_t oui = get_be24(c, p);
	uint16_t pid = get_be16(c, p + 3);
	char buf[32];
	if (c->o->eflag)
		out_fmt(c, "oui %s (0x%06x), %s %s (0x%04x), length %u: ",
			tok2str(oui_names, "Unknown", oui, buf, sizeof(buf)), oui,
			oui == OUI_ENCAP_ETHER ? "ethertype" : "pid",
			snap_pid_name(oui, pid), pid,
			length - SNAP_HDR_LEN);
	p += SNAP_HDR_LEN;
	length -= SNAP_HDR_LEN;
	caplen -= SNAP_HDR_LEN;

	/* "snap" tags the SNAP line below when it is all tcpdump prints */
	c->last = "snap";
	switch (oui) {
	case OUI_ENCAP_ETHER:
	case OUI_CISCO_90:
		if (print_ethertype(c, pid, p, length, caplen))
			return 1;
		break;
	case OUI_APPLETALK:
		if (pid == 0x809b && print_ethertype(c, pid, p, length, caplen))
			return 1;
		break;
	case OUI_CISCO:
		if (snap_cisco(c, pid, p, length))
			return 1;
		break;
	case OUI_RFC2684:
		if (snap_bridged(c, pid, p, length, caplen, bridge_pad))
			return 1;
		if (tok_find(bridged_pid_names, pid))
			c->last = "llc"; /* Token Ring, FDDI...: not decoded */
		break;
	}
	/* The unknown-protocol form; the caller dumps the payload (an
	 * EtherType tcpdump decodes and bpfcap not yet keeps its
	 * "ether-app" tag from print_ethertype). */
	if (!c->o->eflag) {
		if (src && dst) {
			out_mac(c, src);
			out_str(c, " > ");
			out_mac(c, dst);
			out_char(c, ' ');
		}
		if (oui == OUI_ENCAP_ETHER)
			out_fmt(c, "SNAP, ethertype %s (0x%04x), length %u: ",
				tok2str(ethertype_names, "Unknown", pid, buf, sizeof(buf)), pid, length);
		else
			out_fmt(c, "SNAP, oui %s (0x%06x), pid %s (0x%04x), length %u: ",
				tok2str(oui_names, "Unknown", oui, buf, sizeof(buf)), oui,
				snap_pid_name(oui, pid), pid, length);
	}
	return 0;
}

/* ---- LLC ---------------------------------------------------------------- */

/* tcpdump's print_unknown_data. */
void llc_unknown_data(struct pctx *c, const uint8_t *p, const char *ident, unsigned len)
{
	if (p > c->snapend) {
		out_fmt(c, "%sDissector error: print_unknown_data called with pointer past end of packet",
			ident);
		return;
	}
	size_t avail = pc_avail(c, p);
	out_hex_ident(c, ident, p, len < avail ? len : avail);
}

/* The SAP pair, and the link addresses when -e did not print them. */
static void llc_saps(struct pctx *c, unsigned dsap, unsigned ssap, const uint8_t *src, const uint8_t *dst)
{
	char dbuf[32], sbuf[32];
	const char *dname = tok2str(llc_sap_names, "Unknown DSAP 0x%02x", dsap, dbuf, sizeof(dbuf));
	if (ssap == dsap) {
		if (src && dst) {
			out_mac(c, src);
			out_str(c, " > ");
			out_mac(c, dst);
			out_char(c, ' ');
		}
		out_fmt(c, "%s ", dname);
		return;
	}
	const char *sname = tok2str(llc_sap_names, "Unknown SSAP 0x%02x", ssap, sbuf, sizeof(sbuf));
	if (src && dst) {
		out_mac(c, src);
		out_fmt(c, " %s > ", sname);
		out_mac(c, dst);
		out_fmt(c, " %s ", dname);
	} else {
		out_fmt(c, "%s > %s ", sname, dname);
	}
}

/* 5.4.1.1 / 5.4.2: an unnumbered frame's command and, for an XID in
 * the IEEE basic format, its class and window bytes. 1 when the XID
 * payload was handled (tcpdump then dumps nothing more). */
static int llc_unnumbered(struct pctx *c, unsigned ssap_field, unsigned control, const uint8_t *p,
			  unsigned length, unsigned caplen, unsigned hdrlen)
{
	char cbuf[16], fbuf[8];
	out_fmt(c, "Unnumbered, %s, Flags [%s], length %u",
		tok2str(llc_cmd_names, "%02x", LLC_U_CMD(control), cbuf, sizeof(cbuf)),
		tok2str(llc_flag_names, "?", (ssap_field & LLC_GSAP) | (control & LLC_U_POLL), fbuf, sizeof(fbuf)),
		length + hdrlen);
	if ((control & ~LLC_U_POLL) != LLC_XID)
		return 0;
	if (length == 0)
		return 1; /* e.g. an SNA "short form" XID */
	if (caplen < 1) {
		out_trunc(c);
		return 1;
	}
	if (get_u8(c, p) != LLC_XID_FI)
		return 0;
	if (caplen < 3 || length < 3) {
		out_trunc(c);
		out_hexascii(c, p, caplen); /* tcpdump's ND_DEFAULTPRINT: even with -x/-q */
	} else {
		out_fmt(c, ": %02x %02x", get_u8(c, p + 1), get_u8(c, p + 2));
	}
	return 1;
}

/* Truncated LLC header: tcpdump marks it and dumps what there is
 * (its ND_DEFAULTPRINT, which -x/-X/-q do not suppress). */
static int llc_short(struct pctx *c, const uint8_t *p, unsigned caplen, unsigned ret)
{
	c->last = "llc-hdr";
	out_trunc(c);
	out_hexascii(c, p, caplen);
	return (int)ret;
}

int llc_print_addrs(struct pctx *c, const uint8_t *p, unsigned length, unsigned caplen,
		    const uint8_t *src, const uint8_t *dst)
{
	c->proto = "llc";
	c->last = "llc-hdr";
	if (caplen < 3)
		return llc_short(c, p, caplen, caplen);
	if (length < 3)
		return llc_short(c, p, caplen, length);
	unsigned dsap_field = get_u8(c, p), ssap_field = get_u8(c, p + 1);
	unsigned control = get_u8(c, p + 2), hdrlen = 3;
	int is_u = (control & LLC_U_FMT) == LLC_U_FMT;
	if (!is_u) {
		/* I and S frames: a two-byte control field, little-endian */
		if (caplen < 4)
			return llc_short(c, p, caplen, caplen);
		if (length < 4)
			return llc_short(c, p, caplen, length);
		control = get_le16(c, p + 2);
		hdrlen = 4;
	}
	if (ssap_field == LLCSAP_GLOBAL && dsap_field == LLCSAP_GLOBAL) {
		/* Novell "raw 802.3": IPX right after the length field,
		 * its checksum 0xffff read as two global SAPs */
		if (c->o->eflag)
			out_str(c, "IPX 802.3: ");
		print_ipx(c, p, length);
		return 0;
	}
	unsigned dsap = dsap_field & ~LLC_IG, ssap = ssap_field & ~LLC_GSAP;
	if (c->o->eflag) {
		char dbuf[16], sbuf[16];
		out_fmt(c, "LLC, dsap %s (0x%02x) %s, ssap %s (0x%02x) %s",
			tok2str(llc_sap_names, "Unknown", dsap, dbuf, sizeof(dbuf)), dsap,
			(dsap_field & LLC_IG) ? "Group" : "Individual",
			tok2str(llc_sap_names, "Unknown", ssap, sbuf, sizeof(sbuf)), ssap,
			(ssap_field & LLC_GSAP) ? "Response" : "Command");
		out_fmt(c, is_u ? ", ctrl 0x%02x: " : ", ctrl 0x%04x: ", control);
	}
	p += hdrlen;
	length -= hdrlen;
	caplen -= hdrlen;

	if (control == LLC_UI && ssap == dsap) {
		switch (dsap) {
		case LLCSAP_SNAP:
			if (!snap_print(c, p, length, caplen, src, dst, 2))
				return -(int)(hdrlen + SNAP_HDR_LEN);
			return (int)(hdrlen + SNAP_HDR_LEN);
		case LLCSAP_8021D:
			print_stp(c, p, length);
			return (int)hdrlen;
		case LLCSAP_IP: /* RFC 948 */
			print_ip(c, p, length);
			return (int)hdrlen;
		case LLCSAP_IPX:
			if (c->o->eflag)
				out_str(c, "IPX 802.2: ");
			print_ipx(c, p, length);
			return (int)hdrlen;
		case LLCSAP_ISONS:
			print_isoclns(c, p, length);
			return (int)hdrlen;
		}
	}

	/* A SAP tcpdump does not decode: the control field alone. */
	c->last = ssap == LLCSAP_NETBEUI && dsap == LLCSAP_NETBEUI ? "netbeui" : "llc-hdr";
	if (!c->o->eflag)
		llc_saps(c, dsap, ssap, src, dst);
	if (is_u) {
		if (llc_unnumbered(c, ssap_field, control, p, length, caplen, hdrlen))
			return (int)hdrlen;
		return -(int)hdrlen;
	}
	char fbuf[8], sbuf[8];
	const char *flags = tok2str(llc_flag_names, "?", (ssap_field & LLC_GSAP) | (control & LLC_IS_POLL),
				    fbuf, sizeof(fbuf));
	if ((control & LLC_S_FMT) == LLC_S_FMT) {
		out_fmt(c, "Supervisory, %s, rcv seq %u, Flags [%s], length %u",
			tok2str(llc_supervisory_names, "?", LLC_S_CMD(control), sbuf, sizeof(sbuf)),
			LLC_IS_NR(control), flags, length + hdrlen);
		return (int)hdrlen; /* no payload printed */
	}
	out_fmt(c, "Information, send seq %u, rcv seq %u, Flags [%s], length %u", LLC_I_NS(control),
		LLC_IS_NR(control), flags, length + hdrlen);
	return -(int)hdrlen;
}

int print_llc(struct pctx *c, const uint8_t *p, unsigned length, unsigned caplen)
{
	return llc_print_addrs(c, p, length, caplen, NULL, NULL);
}
