/* Interfaces: see iface.h.  Flags and hardware types come from ioctls on
 * an ordinary datagram socket (netdevice(7)), which work inside a network
 * namespace without /sys. */
#include "iface.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "protocols.h" /* LINKTYPE_* */

/* ioctl(cmd) on name; 0 or -1 with errno. */
static int iface_ioctl(int fd, unsigned long cmd, const char *name, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof *ifr);
	if (strlen(name) >= sizeof ifr->ifr_name) {
		errno = ENODEV;
		return -1;
	}
	strcpy(ifr->ifr_name, name);
	return ioctl(fd, cmd, ifr);
}

static int loopback_index(int fd)
{
	struct if_nameindex *all = if_nameindex();
	int lo = 0;
	for (struct if_nameindex *i = all; i && i->if_index && !lo; i++) {
		struct ifreq ifr;
		if (!iface_ioctl(fd, SIOCGIFFLAGS, i->if_name, &ifr) && (ifr.ifr_flags & IFF_LOOPBACK))
			lo = (int)i->if_index;
	}
	if_freenameindex(all);
	return lo;
}

/* The link type of an ARPHRD_* hardware type, as libpcap's
 * map_arphrd_to_dlt chooses for the types we capture natively; any other
 * type is captured in cooked mode (LINUX_SLL2), as libpcap does. */
static void choose_linktype(int hatype, struct iface *out)
{
	switch (hatype) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK: out->dlt = LINKTYPE_EN10MB; break;
	case ARPHRD_NONE: out->dlt = LINKTYPE_RAW; break;
	default:
		out->dlt = LINKTYPE_LINUX_SLL2;
		out->cooked = 1;
	}
}

int iface_lookup(const char *name, struct iface *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	snprintf(out->name, sizeof out->name, "%s", name);
	int lo = loopback_index(fd);
	int rc = -1;
	struct ifreq ifr;
	if (strcmp(name, "any") == 0) {
		out->dlt = LINKTYPE_LINUX_SLL2;
		out->cooked = 1;
		out->lo_ifindex = lo;
		rc = 0;
	} else if (iface_ioctl(fd, SIOCGIFHWADDR, name, &ifr)) {
		snprintf(err, errsz, "%s: no such interface (%s)", name, strerror(errno));
	} else {
		choose_linktype(ifr.ifr_hwaddr.sa_family, out);
		out->ifindex = (int)if_nametoindex(name);
		if (out->ifindex == lo)
			out->lo_ifindex = lo;
		if (iface_ioctl(fd, SIOCGIFFLAGS, name, &ifr) || !out->ifindex)
			snprintf(err, errsz, "%s: %s", name, strerror(errno));
		else if (!(ifr.ifr_flags & IFF_UP))
			snprintf(err, errsz, "%s: the interface is down (ip link set %s up)", name, name);
		else
			rc = 0;
		/* tcpdump's pcap_lookupnet: the netmask "ip broadcast" uses. */
		if (rc == 0 && !iface_ioctl(fd, SIOCGIFNETMASK, name, &ifr))
			out->netmask = ntohl(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr);
	}
	close(fd);
	return rc;
}

/* Interfaces in -D's order: up, running and not loopback first, then "any",
 * then loopbacks, then the rest (libpcap sorts by these properties too). */
enum iface_rank { RANK_UP, RANK_ANY, RANK_LOOPBACK, RANK_DOWN, RANK_COUNT };

static enum iface_rank rank_of(short flags)
{
	if (flags & IFF_LOOPBACK)
		return RANK_LOOPBACK;
	if ((flags & IFF_UP) && (flags & IFF_RUNNING))
		return RANK_UP;
	return RANK_DOWN;
}

static void describe(FILE *out, int number, const char *name, short flags)
{
	static const struct { short flag; const char *word; } words[] = {
		{ IFF_UP, "Up" }, { IFF_RUNNING, "Running" }, { IFF_LOOPBACK, "Loopback" },
	};
	fprintf(out, "%d.%s [", number, name);
	const char *sep = "";
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (flags & words[i].flag) {
			fprintf(out, "%s%s", sep, words[i].word);
			sep = ", ";
		}
	fprintf(out, "%s]\n", *sep ? "" : "Down");
}

int iface_list(FILE *out, char *err, size_t errsz)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct if_nameindex *all = if_nameindex();
	if (fd < 0 || !all) {
		snprintf(err, errsz, "cannot list interfaces: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int number = 1;
	for (int rank = 0; rank < RANK_COUNT; rank++) {
		if (rank == RANK_ANY) {
			fprintf(out, "%d.any (Pseudo-device that captures on all interfaces) "
				     "[Up, Running]\n", number++);
			continue;
		}
		for (struct if_nameindex *i = all; i->if_index; i++) {
			struct ifreq ifr;
			if (iface_ioctl(fd, SIOCGIFFLAGS, i->if_name, &ifr) ||
			    rank_of(ifr.ifr_flags) != (enum iface_rank)rank)
				continue;
			describe(out, number++, i->if_name, ifr.ifr_flags);
		}
	}
	if_freenameindex(all);
	close(fd);
	return 0;
}

int iface_default(char *name, size_t size, char *err, size_t errsz)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct if_nameindex *all = if_nameindex();
	int rc = -1;
	for (struct if_nameindex *i = all; fd >= 0 && i && i->if_index && rc; i++) {
		struct ifreq ifr;
		if (!iface_ioctl(fd, SIOCGIFFLAGS, i->if_name, &ifr) &&
		    rank_of(ifr.ifr_flags) == RANK_UP) {
			snprintf(name, size, "%s", i->if_name);
			rc = 0;
		}
	}
	if (rc)
		snprintf(err, errsz, "no suitable interface is up; name one with -i");
	if (all)
		if_freenameindex(all);
	if (fd >= 0)
		close(fd);
	return rc;
}
