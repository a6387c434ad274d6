/* pktsend: replay a savefile's Ethernet frames onto an interface.
 *
 *   pktsend -i IFACE [-c COUNT] [-l LOOPS] [-g USEC] FILE.pcap
 *
 * Every complete record (caplen == wirelen) of at most the interface's MTU
 * plus 18 bytes is written, unchanged, to an AF_PACKET socket bound to
 * IFACE: tagged frames leave tagged, so the receiver's kernel moves the
 * outer VLAN tag into metadata as a real NIC's driver would.  Prints how
 * many frames were sent and skipped.  For live tests in network namespaces
 * only: never point it at a real network. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>

static int iface_mtu(int fd, const char *name)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, SIOCGIFMTU, &ifr))
		return 1500;
	return ifr.ifr_mtu;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL;
	long count = -1, loops = 1, gap_us = 0;
	int c;
	while ((c = getopt(argc, argv, "i:c:l:g:")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'c': count = strtol(optarg, NULL, 0); break;
		case 'l': loops = strtol(optarg, NULL, 0); break;
		case 'g': gap_us = strtol(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (!ifname || optind + 1 != argc)
		goto usage;
	unsigned ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "pktsend: %s: no such interface\n", ifname);
		return 1;
	}
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("pktsend: socket(AF_PACKET)");
		return 1;
	}
	int mtu = iface_mtu(fd, ifname);
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = (int)ifindex,
				  .sll_halen = ETH_ALEN };
	long sent = 0, skipped = 0;
	for (long l = 0; l < loops && count != 0; l++) {
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *p = pcap_open_offline(argv[optind], err);
		if (!p) {
			fprintf(stderr, "pktsend: %s\n", err);
			return 1;
		}
		if (pcap_datalink(p) != DLT_EN10MB) {
			fprintf(stderr, "pktsend: %s: not an Ethernet capture\n", argv[optind]);
			return 1;
		}
		struct pcap_pkthdr *h;
		const u_char *d;
		while (count != 0 && pcap_next_ex(p, &h, &d) == 1) {
			if (h->caplen != h->len || h->caplen < ETH_HLEN ||
			    h->caplen > (unsigned)mtu + 18) {
				skipped++;
				continue;
			}
			memcpy(to.sll_addr, d, ETH_ALEN);
			ssize_t n;
			/* A full transmit queue is transient: wait and resend the
			 * same frame, so the count sent is the count given. */
			while ((n = sendto(fd, d, h->caplen, 0, (struct sockaddr *)&to, sizeof to)) < 0 &&
			       (errno == ENOBUFS || errno == EAGAIN))
				usleep(100);
			if (n < 0) {
				skipped++;
				continue;
			}
			sent++;
			if (count > 0)
				count--;
			if (gap_us)
				usleep((useconds_t)gap_us);
		}
		pcap_close(p);
	}
	printf("pktsend: %ld sent, %ld skipped\n", sent, skipped);
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: pktsend -i IFACE [-c COUNT] [-l LOOPS] [-g USEC] FILE.pcap\n");
	return 2;
}
