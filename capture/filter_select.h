/* Choosing and running a filter compiler for the command line. */
#ifndef BPFCAP_CAPTURE_FILTER_SELECT_H
#define BPFCAP_CAPTURE_FILTER_SELECT_H

#include <stdint.h>

#include "bpfcap.h"
#include "options.h"

/* The link type of an offline command: -y, else -r's file, else EN10MB
 * (-i's interface: iface_lookup).  Prints a message and returns -1 on error. */
int select_linktype(const struct options *o);

/* Compiles o->expression for linktype with the chosen compiler, falling
 * back to libpcap (with a one-line notice) where bpfcap does not cover the
 * link type or a keyword.  On failure prints the error (with a caret under
 * the column) and returns nonzero. */
int compile_filter(const struct options *o, int linktype, enum bpfcap_mode mode,
		   struct bpfcap_prog *prog);

/* The same with the netmask "ip broadcast" needs (host order): a live
 * capture's is the interface's, as tcpdump's pcap_lookupnet finds it. */
int compile_filter_netmask(const struct options *o, int linktype, enum bpfcap_mode mode,
			   uint32_t netmask, struct bpfcap_prog *prog);

/* pcap_compile of o->expression on an open handle (a dead one, or a
 * savefile: libpcap's code for a file depends on it), copied into prog.
 * 0, or -1 with the message printed. */
struct pcap; /* pcap_t: not <pcap/pcap.h> here, whose struct bpf_insn
	       * clashes with <linux/bpf.h> in files that see both */
int compile_on_handle(struct pcap *p, const struct options *o, uint32_t netmask,
		      struct bpfcap_prog *prog);

/* 1 if the expression has nothing but white space (every packet matches). */
int expression_is_empty(const char *e);

#endif
