/* capture/print_hsrp.c: Cisco HSRP version 0 (RFC 2281 5.1) as tcpdump
 * 4.99.3's print-hsrp.c prints it: op code, length, state, group and
 * virtual address; -v adds the timers, priority and authentication
 * data. Other versions print their number alone. */
#include "print_get.h"
#include "print_udpapp.h"

#define HSRP_AUTH_LEN 8u /* RFC 2281 5.1 */

static const struct tok hsrp_ops[] = {
	{ 0, "hello" }, { 1, "coup" }, { 2, "resign" }, { 0, NULL },
};

static const struct tok hsrp_states[] = {
	{ 0, "initial" }, { 1, "learn" },   { 2, "listen" },  { 4, "speak" },
	{ 8, "standby" }, { 16, "active" }, { 0, NULL },
};

/* RFC 2281 5.1: version, op code, state, hellotime, holdtime,
 * priority, group, reserved, authentication data, virtual address. */
void print_hsrp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[32];
	c->proto = "hsrp";
	c->last = "hsrp";
	unsigned version = get_u8(c, bp);
	out_fmt(c, "HSRPv%u", version);
	if (version != 0)
		return;
	out_fmt(c, "-%s ", tok2str(hsrp_ops, "unknown (%u)", get_u8(c, bp + 1), buf, sizeof(buf)));
	out_fmt(c, "%u: ", len);
	out_fmt(c, "state=%s ", tok2str(hsrp_states, "Unknown (%u)", get_u8(c, bp + 2), buf, sizeof(buf)));
	out_fmt(c, "group=%u ", get_u8(c, bp + 6));
	unsigned reserved = get_u8(c, bp + 7);
	if (reserved != 0)
		out_fmt(c, "[reserved=%u!] ", reserved);
	pc_need(c, bp + 16, 4);
	out_str(c, "addr=");
	out_ip4(c, bp + 16);
	if (!c->o->vflag)
		return;
	out_str(c, " hellotime=");
	out_relts(c, get_u8(c, bp + 3));
	out_str(c, " holdtime=");
	out_relts(c, get_u8(c, bp + 4));
	out_fmt(c, " priority=%u", get_u8(c, bp + 5));
	out_str(c, " auth=\"");
	/* RFC 2281 5.1: the data is zero-padded; print up to the first NUL */
	for (unsigned i = 0; i < HSRP_AUTH_LEN && get_u8(c, bp + 8 + i) != '\0'; i++)
		out_printjn(c, bp + 8 + i, 1);
	out_char(c, '"');
}
