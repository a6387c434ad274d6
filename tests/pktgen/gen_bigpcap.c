/* gen_bigpcap COUNT OUT: a pcap file of COUNT Ethernet frames for the
 * offline benchmark and the rotation tests (never committed: written into
 * build/).
 *
 * A deterministic mix, cycling over 16 shapes: IPv4 TCP (port 80 in a
 * quarter of them), IPv4 UDP (DNS and others), ICMP, ARP, IPv6 TCP/UDP,
 * VLAN-tagged IPv4; addresses 10.0.0.1-10.0.0.250 and 192.168.x.y, so
 * "udp and host 10.0.0.1" and a 100-host chain match a few percent.
 * Sizes 60 to 210 bytes; timestamps one microsecond apart. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t ether(uint8_t *p, uint16_t type)
{
	static const uint8_t macs[12] = { 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa };
	memcpy(p, macs, 12);
	return 12 + put16(p + 12, type);
}

static uint32_t pick_v4(void)
{
	uint32_t r = next_random();
	return r & 1 ? 0x0a000000u | (1 + (r >> 8) % 250) : 0xc0a80000u | ((r >> 8) & 0xffff);
}

static size_t ipv4(uint8_t *p, uint8_t proto, size_t payload)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + payload));
	p[8] = 64;
	p[9] = proto;
	uint32_t s = htonl(pick_v4()), d = htonl(pick_v4());
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	return 20;
}

static size_t ipv6(uint8_t *p, uint8_t proto, size_t payload)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	put16(p + 4, (uint16_t)payload);
	p[6] = proto;
	p[7] = 64;
	p[8] = 0x20;
	p[9] = 0x01;
	p[23] = (uint8_t)next_random();
	p[24] = 0x20;
	p[25] = 0x01;
	p[39] = (uint8_t)next_random();
	return 40;
}

static size_t l4(uint8_t *p, uint8_t proto, uint16_t dport, size_t payload)
{
	uint16_t sport = (uint16_t)(1024 + next_random() % 60000);
	memset(p, 0, proto == 6 ? 20 : 8);
	put16(p, sport);
	put16(p + 2, dport);
	if (proto == 6) {
		p[12] = 0x50;
		p[13] = 0x18;
		return 20;
	}
	if (proto == 17) {
		put16(p + 4, (uint16_t)(8 + payload));
		return 8;
	}
	return 8; /* ICMP: type, code, checksum, rest */
}

/* One frame of shape s into p; returns its length. */
static size_t frame(uint8_t *p, unsigned s)
{
	size_t payload = 6 + next_random() % 120, n = 0;
	static const uint16_t dports[] = { 80, 443, 22, 8080, 53, 123, 5353, 161 };
	uint16_t dport = dports[next_random() % 8];
	switch (s % 16) {
	case 0: case 1: case 2: case 3: case 4: case 5: /* IPv4 TCP */
		n = ether(p, 0x0800);
		n += ipv4(p + n, 6, 20 + payload);
		n += l4(p + n, 6, s % 4 == 0 ? 80 : dport, payload);
		break;
	case 6: case 7: case 8: case 9: /* IPv4 UDP */
		n = ether(p, 0x0800);
		n += ipv4(p + n, 17, 8 + payload);
		n += l4(p + n, 17, dport, payload);
		break;
	case 10: /* ICMP */
		n = ether(p, 0x0800);
		n += ipv4(p + n, 1, 8 + payload);
		n += l4(p + n, 1, 0, payload);
		break;
	case 11: /* ARP */
		n = ether(p, 0x0806);
		memset(p + n, 0, 28);
		n += 28;
		payload = 0;
		break;
	case 12: case 13: /* IPv6 TCP / UDP */
		n = ether(p, 0x86dd);
		n += ipv6(p + n, s % 2 ? 17 : 6, (s % 2 ? 8 : 20) + payload);
		n += l4(p + n, s % 2 ? 17 : 6, dport, payload);
		break;
	default: /* 802.1Q-tagged IPv4 TCP */
		n = ether(p, 0x8100);
		n += put16(p + n, 100);
		n += put16(p + n, 0x0800);
		n += ipv4(p + n, 6, 20 + payload);
		n += l4(p + n, 6, dport, payload);
		break;
	}
	memset(p + n, 0xab, payload);
	n += payload;
	return n < 60 ? 60 : n;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_bigpcap COUNT OUT\n");
		return 2;
	}
	long count = strtol(argv[1], NULL, 10);
	FILE *f = fopen(argv[2], "wb");
	if (!f || count <= 0) {
		perror(argv[2]);
		return 1;
	}
	static char iobuf[1 << 20];
	setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
	const uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4u << 16, 0, 0, 262144, 1 };
	fwrite(hdr, sizeof hdr, 1, f);
	uint8_t pkt[1024];
	uint64_t usec = 1700000000ull * 1000000u;
	for (long i = 0; i < count; i++, usec++) {
		memset(pkt, 0, 64);
		uint32_t len = (uint32_t)frame(pkt, (unsigned)(i * 7 + (next_random() & 1)));
		uint32_t rec[4] = { (uint32_t)(usec / 1000000u), (uint32_t)(usec % 1000000u), len, len };
		fwrite(rec, sizeof rec, 1, f);
		fwrite(pkt, len, 1, f);
	}
	if (fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
