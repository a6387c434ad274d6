/* capture/print_egp.c: the Exterior Gateway Protocol (RFC 904, IP
 * protocol 8) as tcpdump 4.99.3's print-egp.c prints it. */
#include "print_ipapp.h"

/* RFC 904 appendix A: the fixed header, 16 bytes. */
#define EGP_HDR_LEN 16
#define EGP_OFF_VERSION 0
#define EGP_OFF_TYPE 1
#define EGP_OFF_CODE 2
#define EGP_OFF_STATUS 3
#define EGP_OFF_AS 6
#define EGP_OFF_SEQ 8
#define EGP_OFF_HELLO 10   /* acquire: hello interval; error: reason */
#define EGP_OFF_INTGW 10   /* update: interior gateways */
#define EGP_OFF_EXTGW 11   /* update: exterior gateways */
#define EGP_OFF_POLL 12    /* acquire: poll interval */
#define EGP_OFF_NET 12     /* poll, update: source network */

#define EGP_VERSION 2

/* Message types (RFC 904 appendix A). */
#define EGPT_UPDATE 1
#define EGPT_POLL 2
#define EGPT_ACQUIRE 3
#define EGPT_REACH 5
#define EGPT_ERROR 8

/* Acquire codes, then reachability codes. */
#define EGPC_REQUEST 0
#define EGPC_CONFIRM 1
#define EGPC_REFUSE 2
#define EGPC_CEASE 3
#define EGPC_CEASEACK 4
#define EGPC_HELLO 0
#define EGPC_HEARDU 1

/* Acquire status values, then the up/down states. */
#define EGPS_UNSPEC 0
#define EGPS_ACTIVE 1
#define EGPS_PASSIVE 2
#define EGPS_NORES 3
#define EGPS_ADMIN 4
#define EGPS_GODOWN 5
#define EGPS_PARAM 6
#define EGPS_PROTO 7
#define EGPS_DOWN 2
#define EGPS_UNSOL 0x80    /* update: unsolicited */

#define EGPR_UVERSION 6    /* the last error reason */

static const char *const acquire_codes[] = { "request", "confirm", "refuse", "cease", "cease_ack" };
static const char *const acquire_status[] = {
	"unspecified", "active_mode", "passive_mode", "insufficient_resources",
	"administratively_prohibited", "going_down", "parameter_violation", "protocol_violation",
};
static const char *const reach_codes[] = { "hello", "i-h-u" };
static const char *const status_updown[] = { "indeterminate", "up", "down" };
static const char *const error_reasons[] = {
	"unspecified", "bad_EGP_header_format", "bad_EGP_data_field_format",
	"reachability_info_unavailable", "excessive_polling_rate", "no_response",
	"unsupported_version",
};

/* An IPv4 address held as a host-order value, printed from its bytes
 * in memory order as tcpdump's ipaddr_string(&addr) does on a
 * little-endian host (the order bpfcap is built for: x86-64). */
static void out_addr_le(struct pctx *c, uint32_t v)
{
	out_fmt(c, "%u.%u.%u.%u", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24);
}

/* The class of an address value (RFC 791 3.2): the network part's
 * byte count and mask, 0 for class D and E. */
static unsigned class_netlen(uint32_t v)
{
	if ((v & 0x80000000u) == 0)
		return 1;
	if ((v & 0xc0000000u) == 0x80000000u)
		return 2;
	if ((v & 0xe0000000u) == 0xc0000000u)
		return 3;
	return 0;
}

static uint32_t class_net(uint32_t v, unsigned netlen)
{
	static const uint32_t masks[] = { 0, 0xff000000u, 0xffff0000u, 0xffffff00u };
	return v & masks[netlen];
}

/* The status of a reachability, poll, update or error message. */
static void out_updown(struct pctx *c, unsigned status)
{
	if (status <= EGPS_DOWN)
		out_fmt(c, " state:%s", status_updown[status]);
	else
		out_fmt(c, " [status %u]", status);
}

/* One network of a distance group: the first byte's class says how
 * many bytes follow it (class A none, B one, others two). Returns the
 * bytes used, 0 if LEN is too short (tcpdump checks the length it was
 * given, not the capture). */
static unsigned egp_network(struct pctx *c, const uint8_t *cp, unsigned len)
{
	if (len < 1)
		return 0;
	uint32_t addr = (uint32_t)get_u8(c, cp) << 24;
	unsigned used = class_netlen(addr);
	if (used == 0)
		used = 3;
	if (len < used)
		return 0;
	if (used >= 2)
		addr |= (uint32_t)get_u8(c, cp + 1) << 16;
	if (used == 3)
		addr |= (uint32_t)get_u8(c, cp + 2) << 8;
	out_char(c, ' ');
	out_addr_le(c, addr);
	return used;
}

/* -v update: the network reachability list (RFC 904 appendix A), as
 * tcpdump's egpnr_print. tcpdump reads the source network in network
 * byte order into a host integer and tests its class there, so on a
 * little-endian host the class comes from the address's last byte;
 * matched as it prints. Stops with the marker on a short message. */
static void egp_reachability(struct pctx *c, const uint8_t *bp, unsigned length)
{
	const uint8_t *s = bp + EGP_OFF_NET;
	pc_need(c, s, 4);
	uint32_t src = (uint32_t)s[3] << 24 | (uint32_t)s[2] << 16 | (uint32_t)s[1] << 8 | s[0];
	unsigned netlen = class_netlen(src);
	uint32_t net = class_net(src, netlen);
	const uint8_t *cp = bp + EGP_HDR_LEN;
	length -= EGP_HDR_LEN;
	unsigned intgw = get_u8(c, bp + EGP_OFF_INTGW);
	unsigned total = intgw + get_u8(c, bp + EGP_OFF_EXTGW);
	for (unsigned gw = 0; gw < total; gw++) {
		/* the gateway's host part; with no class, tcpdump checks
		 * four bytes and reads none */
		unsigned host = 4 - netlen;
		if (length < host)
			goto trunc;
		pc_need(c, cp, host);
		uint32_t addr = 0;
		for (unsigned i = 0; netlen && i < host; i++)
			addr = addr << 8 | cp[i];
		if (netlen)
			cp += host;
		addr |= net;
		length -= host;
		if (length < 1)
			goto trunc;
		unsigned distances = get_u8(c, cp);
		cp++;
		length--;
		out_fmt(c, " %s ", gw < intgw ? "int" : "ext");
		out_addr_le(c, addr);
		const char *sep = "";
		out_str(c, " (");
		for (; distances != 0; distances--) {
			if (length < 2)
				goto trunc;
			out_fmt(c, "%sd%u:", sep, get_u8(c, cp));
			sep = ", ";
			unsigned networks = get_u8(c, cp + 1);
			cp += 2;
			length -= 2;
			for (; networks != 0; networks--) {
				unsigned used = egp_network(c, cp, length);
				if (used == 0)
					goto trunc;
				cp += used;
				length -= used;
			}
		}
		out_char(c, ')');
	}
	return;
trunc:
	out_trunc(c);
}

static void egp_acquire(struct pctx *c, const uint8_t *bp, unsigned code, unsigned status)
{
	out_str(c, " acquire");
	switch (code) {
	case EGPC_REQUEST:
	case EGPC_CONFIRM:
		out_fmt(c, " %s", acquire_codes[code]);
		if (status <= EGPS_PASSIVE)
			out_fmt(c, " %s", acquire_status[status]);
		else
			out_fmt(c, " [status %u]", status);
		out_fmt(c, " hello:%u", get_be16(c, bp + EGP_OFF_HELLO));
		out_fmt(c, " poll:%u", get_be16(c, bp + EGP_OFF_POLL));
		break;
	case EGPC_REFUSE:
	case EGPC_CEASE:
	case EGPC_CEASEACK:
		out_fmt(c, " %s", acquire_codes[code]);
		if (status == EGPS_UNSPEC || (status >= EGPS_NORES && status <= EGPS_PROTO))
			out_fmt(c, " %s", acquire_status[status]);
		else
			out_fmt(c, "[status %u]", status); /* tcpdump prints no space */
		break;
	default:
		out_fmt(c, "[code %u]", code);
		break;
	}
}

void print_egp(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "egp";
	c->last = "egp";
	if (length < EGP_HDR_LEN || !pc_has(c, bp, EGP_HDR_LEN)) {
		out_trunc(c);
		return;
	}
	unsigned version = get_u8(c, bp + EGP_OFF_VERSION);
	if (!c->o->vflag) {
		out_fmt(c, "EGPv%u, AS %u, seq %u, length %u", version, get_be16(c, bp + EGP_OFF_AS),
			get_be16(c, bp + EGP_OFF_SEQ), length);
		return;
	}
	out_fmt(c, "EGPv%u, length %u", version, length);
	if (version != EGP_VERSION) {
		out_fmt(c, "[version %u]", version);
		return;
	}
	unsigned type = get_u8(c, bp + EGP_OFF_TYPE);
	unsigned code = get_u8(c, bp + EGP_OFF_CODE);
	unsigned status = get_u8(c, bp + EGP_OFF_STATUS);
	switch (type) {
	case EGPT_ACQUIRE:
		egp_acquire(c, bp, code, status);
		break;
	case EGPT_REACH:
		if (code == EGPC_HELLO || code == EGPC_HEARDU) {
			out_fmt(c, " %s", reach_codes[code]);
			out_updown(c, status);
		} else {
			out_fmt(c, "[reach code %u]", code);
		}
		break;
	case EGPT_POLL:
		out_str(c, " poll");
		out_updown(c, status);
		out_str(c, " net:");
		out_ip4(c, bp + EGP_OFF_NET);
		break;
	case EGPT_UPDATE:
		out_str(c, " update");
		if (status & EGPS_UNSOL) {
			status &= ~(unsigned)EGPS_UNSOL;
			out_str(c, " unsolicited");
		}
		out_updown(c, status);
		out_char(c, ' ');
		out_ip4(c, bp + EGP_OFF_NET);
		out_fmt(c, " int %u ext %u", get_u8(c, bp + EGP_OFF_INTGW), get_u8(c, bp + EGP_OFF_EXTGW));
		egp_reachability(c, bp, length);
		break;
	case EGPT_ERROR: {
		out_str(c, " error");
		out_updown(c, status);
		unsigned reason = get_be16(c, bp + EGP_OFF_HELLO);
		if (reason <= EGPR_UVERSION)
			out_fmt(c, " %s", error_reasons[reason]);
		else
			out_fmt(c, " [reason %u]", reason);
		break;
	}
	default:
		out_fmt(c, "[type %u]", type);
		break;
	}
}
