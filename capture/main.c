/* bpfcap: the command line.  The only part of the project that prints to
 * the user or exits. */
#include <stdio.h>
#include <stdlib.h>

#include "dump_stages.h"
#include "live.h"
#include "elf_cli.h"
#include "offline.h"
#include "options.h"

int main(int argc, char **argv)
{
	struct options o;
	int rc = options_parse(argc, argv, &o);
	if (rc)
		return rc;
	if (o.dump_level || o.dump_stage != DUMP_NONE)
		rc = dump_stage(&o);
	else if (o.list_interfaces)
		rc = live_list_interfaces();
	else if (o.emit_elf)
		rc = elf_emit(&o);
	else if (o.read_file)
		rc = offline_run(&o);
	else
		rc = live_run(&o);
	options_free(&o);
	return rc;
}
