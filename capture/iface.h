/* Network interfaces as a capture sees them: -i's name resolved to an
 * index, the link type its packets are captured as, and -D's list. */
#ifndef BPFCAP_CAPTURE_IFACE_H
#define BPFCAP_CAPTURE_IFACE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct iface {
	char name[IF_NAMESIZE + 4]; /* "any" or the interface's name */
	int ifindex;                /* 0 for "any" */
	int dlt;                    /* the link type packets are captured as */
	int cooked;                 /* SOCK_DGRAM, LINUX_SLL2 headers built here */
	int lo_ifindex;             /* the loopback's index (0: none), whose
				     * outgoing copies are duplicates */
	uint32_t netmask;           /* IPv4 netmask (host order), 0 if none */
};

/* Resolves name ("any" included): it must exist and be up.  0, or -1
 * with a message for the user in err. */
int iface_lookup(const char *name, struct iface *out, char *err, size_t errsz);

/* tcpdump's default: the first interface that is up and not a loopback.
 * 0, or -1 with a message. */
int iface_default(char *name, size_t size, char *err, size_t errsz);

/* -D: one line per interface, numbered, in tcpdump's format. */
int iface_list(FILE *out, char *err, size_t errsz);

#endif
