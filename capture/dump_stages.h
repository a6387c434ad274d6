/* -d/-dd/-ddd and --dump=cbpf|ebpf|ebpf-raw|jit for the command line. */
#ifndef BPFCAP_CAPTURE_DUMP_STAGES_H
#define BPFCAP_CAPTURE_DUMP_STAGES_H

#include "options.h"

/* Compiles o->expression and prints o->dump_level's format or
 * o->dump_stage; returns the exit status. */
int dump_stage(const struct options *o);

#endif
