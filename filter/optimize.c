/* The optimizer.  Placeholder: returns the program unchanged (which is
 * always equivalent) until the real passes land. */
#include "bpfcap.h"
#include "wprog.h"

int filter_optimize(struct wprog *p, struct bpfcap_error *err)
{
	(void)p;
	(void)err;
	return 0;
}
