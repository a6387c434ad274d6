/* Names the filter language accepts for numbers: services, protocols,
 * EtherTypes, and the spelling of partial IPv4 addresses. */
#ifndef BPFCAP_FILTER_NAMES_H
#define BPFCAP_FILTER_NAMES_H

#include <stdint.h>

#include "ast.h"

/* Port lookups tell which transport the name belongs to. */
#define NAMES_PROTO_UNDEF (-1) /* both TCP and UDP (or a number) */

/* A service name for TCP and/or UDP (/etc/services), libpcap's rules:
 * found for both with one port: *proto = NAMES_PROTO_UNDEF; found for one
 * only: that protocol's number.  Returns 0, or -1 when unknown. */
int names_port(const char *name, uint32_t *port, int *proto);

/* "a-b" of numbers or service names, split at the first '-'.  Returns 0 or -1. */
int names_portrange(const char *text, uint32_t *lo, uint32_t *hi, int *proto);

/* IP protocol number of a name (/etc/protocols), or -1. */
int64_t names_ip_proto(const char *name);

/* OSI network layer protocol identifier of a name ("esis", "isis", "clnp"), or -1. */
int64_t names_iso_proto(const char *name);

/* EtherType or LLC SAP of a name ("ip", "arp", "stp", ...), or -1. */
int64_t names_ether_proto(const char *name);

/* The IPv4 value of a dotted id with its parts moved to the top: "10.1"
 * is 10.1.0.0. */
uint32_t names_ipv4_left_aligned(const struct ast_id *id);

#endif
