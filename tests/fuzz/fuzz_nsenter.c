/* nstop enter's -n spec ("net,pid", "all") and the namespace link targets
 * ("net:[4026531840]") the scan reads from /proc/PID/ns. */
#include "config.h"

#include "fuzz.h"
#include "nstop/ns.h"
#include "nstop/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct nst_err err;
	unsigned types;

	if (!text)
		return 0;
	nst_err_clear(&err);
	if (rt_ns_parse(text, &types, &err) == 0 && (types & ~(unsigned)RT_NS_ALL))
		abort();
	for (int t = 0; t < NS_NTYPES; t++)
		ns_parse_link(text, (enum ns_type)t);
	ns_type_parse(text);
	free(text);
	return 0;
}
