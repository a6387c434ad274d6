/* capture/print_eigrp.c: EIGRP (RFC 7868) as tcpdump's print-eigrp.c
 * prints it: the version check and the one-line form. The -v TLV
 * listing of version 2 is not decoded yet (tagged "ip-app"). */
#include "print_ipapp.h"

#define EIGRP_VERSION 2         /* RFC 7868 6.4 */
#define EIGRP_HDR_LEN 20

static const struct tok eigrp_opcodes[] = {
	{ 1, "Update" }, { 3, "Query" }, { 4, "Reply" }, { 5, "Hello" }, { 6, "IPX SAP" }, { 7, "Probe" },
	{ 0, NULL },
};

void print_eigrp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[24];
	c->proto = "eigrp";
	c->last = "eigrp";
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
	c->last = "ip-app";
	out_fmt(c, " ip-proto-%u %u", IPPROTO_NUM_EIGRP, len);
}
