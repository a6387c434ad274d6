/* capture/print_loopback.c: the Ethernet configuration testing protocol
 * (EtherType 0x9000, "Loopback"; Ethernet II spec 1982 section 8, fields
 * little-endian) as tcpdump 4.99's print-loopback.c prints it. */
#include "print_get.h"

/* tcpdump's "invalid" exit: " (invalid)", then the rest of the frame
 * must still be captured, else the truncation marker follows. */
static void loopback_invalid(struct pctx *c, const uint8_t *p, unsigned len)
{
	out_invalid(c);
	pc_need(c, p, len);
}

void print_loopback(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "loopback";
	c->last = "loopback";
	out_str(c, "Loopback");
	if (len < 2) {
		loopback_invalid(c, p, len);
		return;
	}
	unsigned skip = get_le16(c, p);
	p += 2;
	len -= 2;
	out_fmt(c, ", skipCount %u", skip);
	if (skip % 8)
		out_str(c, " (bogus)");
	if (skip > len) {
		loopback_invalid(c, p, len);
		return;
	}
	p += skip;
	len -= skip;
	if (len < 2) {
		loopback_invalid(c, p, len);
		return;
	}
	unsigned function = get_le16(c, p);
	p += 2;
	len -= 2;
	if (function == 1) {
		out_str(c, ", Reply");
		if (len < 2) {
			loopback_invalid(c, p, len);
			return;
		}
		out_fmt(c, ", receipt number %u", get_le16(c, p));
		p += 2;
		len -= 2;
	} else if (function == 2) {
		out_str(c, ", Forward Data");
		if (len < 6) {
			loopback_invalid(c, p, len);
			return;
		}
		out_str(c, ", forwarding address ");
		out_mac(c, p);
		p += 6;
		len -= 6;
	} else {
		out_fmt(c, ",  invalid (%u)", function);
		pc_need(c, p, len);
		return;
	}
	out_fmt(c, ", data (%u octets)", len);
	pc_need(c, p, len);
}
