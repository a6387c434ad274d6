/* capture/print_esp.c: the IPsec ESP header (RFC 4303 2) as tcpdump
 * 4.99.3's esp_print prints it without keys: SPI, sequence number and
 * the length; over IP (protocol 50) and inside UDP (RFC 3948). */
#include "print_get.h"

#define ESP_HDR_LEN 8 /* SPI and sequence number */

void print_esp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "esp";
	c->last = "esp";
	/* tcpdump's esp_print wants a byte past SPI and sequence number
	 * (it tests esp + 1 >= snapend) before it prints either. */
	if (pc_avail(c, bp) <= ESP_HDR_LEN) {
		out_trunc(c);
		return;
	}
	out_fmt(c, "ESP(spi=0x%08x", get_be32(c, bp));
	out_fmt(c, ",seq=0x%x)", get_be32(c, bp + 4));
	out_fmt(c, ", length %u", len);
}
