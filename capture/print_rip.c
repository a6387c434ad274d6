/* capture/print_rip.c: RIP (RFC 1058, RFC 2453 4) as tcpdump 4.99.3's
 * print-rip.c prints it: version, command and length; with -v the
 * hex of the commands it does not decode. The route entries of -v
 * requests and responses are not decoded yet: they keep "udp-app". */
#include "print_get.h"
#include "print_udpapp.h"

#define RIP_HDR_LEN 4u /* RFC 2453 4: command, version, zero */

enum rip_cmd { RIP_REQUEST = 1, RIP_RESPONSE, RIP_TRACEON, RIP_TRACEOFF, RIP_POLL, RIP_POLLENTRY };

static const struct tok rip_cmds[] = {
	{ RIP_REQUEST, "Request" },   { RIP_RESPONSE, "Response" }, { RIP_TRACEON, "Trace on" },
	{ RIP_TRACEOFF, "Trace off" }, { RIP_POLL, "Poll" },        { RIP_POLLENTRY, "Poll Entry" },
	{ 0, NULL },
};

void print_rip(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[32];
	c->proto = "rip";
	c->last = "rip";
	size_t avail = pc_avail(c, bp);
	if ((avail < len ? avail : len) < RIP_HDR_LEN) {
		out_trunc(c);
		return;
	}
	unsigned cmd = get_u8(c, bp), vers = get_u8(c, bp + 1);
	out_fmt(c, "%sRIPv%u", c->o->vflag >= 1 ? "\n\t" : "", vers);
	out_fmt(c, ", %s, length: %u", tok2str(rip_cmds, "unknown command (%u)", cmd, buf, sizeof(buf)), len);
	if (c->o->vflag < 1)
		return;
	switch (cmd) {
	case RIP_REQUEST:
	case RIP_RESPONSE:
		c->last = "udp-app"; /* the route entries: not decoded yet */
		return;
	case RIP_TRACEOFF:
	case RIP_POLL:
	case RIP_POLLENTRY:
		break;
	default:
		/* tcpdump dumps what it does not decode, once even at -vv */
		if (c->o->vflag == 1)
			udpapp_unknown_data(c, bp, "\n\t", len);
		break;
	}
	if (c->o->vflag > 1)
		udpapp_unknown_data(c, bp, "\n\t", len);
}
