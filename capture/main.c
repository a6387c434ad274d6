/* bpfcap: the command line.  The only part of the project that prints to
 * the user or exits. */
#include <stdio.h>
#include <stdlib.h>

#include "bpfcap.h"
#include "dump_stages.h"
#include "filter_select.h"
#include "offline.h"
#include "options.h"

/* -d, -dd, -ddd: the program in tcpdump's format, then exit.  The mode is
 * the one the command would capture with: live with -i (and no -r),
 * offline otherwise. */
static int dump_filter(const struct options *o)
{
	int linktype = select_linktype(o);
	if (linktype < 0)
		return 1;
	enum bpfcap_mode mode = o->interface && !o->read_file && !o->linktype_name
					? BPFCAP_MODE_LIVE
					: BPFCAP_MODE_OFFLINE;
	struct bpfcap_prog prog = { 0 };
	if (compile_filter(o, linktype, mode, &prog))
		return 1;
	size_t need = bpfcap_dump_cbpf(&prog, o->dump_level, NULL, 0);
	char *buf = malloc(need + 1);
	if (!buf) {
		bpfcap_prog_free(&prog);
		fprintf(stderr, "bpfcap: out of memory\n");
		return 1;
	}
	bpfcap_dump_cbpf(&prog, o->dump_level, buf, need + 1);
	fputs(buf, stdout);
	free(buf);
	bpfcap_prog_free(&prog);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = options_parse(argc, argv, &o);
	if (rc)
		return rc;
	if (o.dump_level)
		rc = dump_filter(&o);
	else if (o.dump_stage != DUMP_NONE)
		rc = dump_stage(&o);
	else if (o.read_file)
		rc = offline_run(&o);
	else {
		fprintf(stderr, "bpfcap: capturing is not implemented yet; "
				"use -d, -dd or -ddd to see a compiled filter\n");
		rc = 1;
	}
	options_free(&o);
	return rc;
}
