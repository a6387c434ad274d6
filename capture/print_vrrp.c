/* capture/print_vrrp.c: VRRP v2 (RFC 3768) and v3 (RFC 5798) as
 * tcpdump's print-vrrp.c prints them. */
#include "print_ipapp.h"

#define VRRP_TYPE_ADVERTISEMENT 1
#define VRRP_AUTH_SIMPLE 1        /* RFC 2338 5.3.6 */
#define VRRP_AUTH_STRING_LEN 8    /* RFC 2338 5.3.10 */
#define VRRP_HDR_LEN 8
#define VRRP_TTL 255              /* RFC 5798 5.1.1.3: sent with TTL 255 */

static const struct tok vrrp_types[] = { { VRRP_TYPE_ADVERTISEMENT, "Advertisement" }, { 0, NULL } };
static const struct tok vrrp_auth_types[] = { { 0, "none" }, { 1, "simple" }, { 2, "ah" }, { 0, NULL } };

/* tcpdump's nd_printjnp: at most N bytes, stopping at a NUL, cat -v
 * style; a byte past the capture ends the packet. */
static void out_printjnp(struct pctx *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (get_u8(c, p + i) == 0)
			return;
		out_printjn(c, p + i, 1);
	}
}

/* -v: the checksum remark (v2: over the message; v3: with the IP
 * pseudo-header), the addresses, and a v2 simple password. */
static void vrrp_details(struct pctx *c, const uint8_t *bp, unsigned len, const uint8_t *ip,
			 unsigned version, unsigned auth_type)
{
	int v6 = (get_u8(c, ip) >> 4) == 6;
	unsigned naddrs = get_u8(c, bp + 3);
	if (pc_has(c, bp, len)) {
		uint16_t sum;
		if (version == 2)
			sum = cksum_fold(cksum_add(0, bp, len));
		else
			sum = ip_l4_cksum(c, ip, bp, len, IPPROTO_NUM_VRRP);
		if (sum != 0)
			out_fmt(c, ", (bad vrrp cksum %x)", get_be16(c, bp + 6));
	}
	out_str(c, ", addrs");
	if (naddrs > 1)
		out_fmt(c, "(%u)", naddrs);
	out_char(c, ':');
	const uint8_t *a = bp + VRRP_HDR_LEN;
	char sep = ' ';
	for (unsigned i = 0; i < naddrs; i++) {
		char label[2] = { sep, 0 };
		if (v6) {
			pc_need(c, a, 16);
			out_str(c, label);
			out_ip6(c, a);
			a += 16;
		} else {
			out_ip4_after(c, label, a);
			a += 4;
		}
		sep = ',';
	}
	if (version == 2 && auth_type == VRRP_AUTH_SIMPLE) {
		out_str(c, " auth \"");
		out_printjnp(c, a, VRRP_AUTH_STRING_LEN);
		out_char(c, '"');
	}
}

void print_vrrp(struct pctx *c, const uint8_t *bp, unsigned len, const uint8_t *ip, unsigned ttl)
{
	char buf[32];
	c->proto = "vrrp";
	c->last = "vrrp";
	out_str(c, "VRRP"); /* before the first read, as tcpdump's */
	unsigned vt = get_u8(c, bp);
	unsigned version = vt >> 4, type = vt & 0x0f;
	out_fmt(c, "v%u, %s", version, tok2str(vrrp_types, "unknown type (%u)", type, buf, sizeof(buf)));
	if (ttl != VRRP_TTL)
		out_fmt(c, ", (ttl %u)", ttl);
	if (version < 2 || version > 3 || type != VRRP_TYPE_ADVERTISEMENT)
		return;
	out_fmt(c, ", vrid %u, prio %u", get_u8(c, bp + 1), get_u8(c, bp + 2));
	unsigned auth_type = 0;
	if (version == 2) {
		auth_type = get_u8(c, bp + 4);
		out_fmt(c, ", authtype %s", tok2str(vrrp_auth_types, "#%u", auth_type, buf, sizeof(buf)));
		out_fmt(c, ", intvl %us, length %u", get_u8(c, bp + 5), len);
	} else {
		/* RFC 5798 5.2.7: 12-bit Max Adver Int in centiseconds */
		unsigned intvl = (get_u8(c, bp + 4) & 0x0fu) << 8 | get_u8(c, bp + 5);
		out_fmt(c, ", intvl %ucs, length %u", intvl, len);
	}
	if (c->o->vflag)
		vrrp_details(c, bp, len, ip, version, auth_type);
}
