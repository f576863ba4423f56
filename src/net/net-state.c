/*
 * A container's network as the operator sees it: its mode, the addresses of
 * its interfaces other than lo (read inside its namespace through its init,
 * net-topo.c), and for --net bridge its host-side veth (from the
 * allocation). For --net host nothing is read: the host's are not its own.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "nstop/net.h"
#include "nstop/runtime.h"

json_t *net_state_json(const struct rt_state *st)
{
	json_t *o, *addrs = json_array(), *ifs = NULL;
	char path[64], br[IFNAMSIZ], veth[IFNAMSIZ];
	struct in_addr a;
	struct stat sb;
	bool have_veth = false;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)st->pid);
	if (st->net != RT_NET_HOST && st->status == RT_RUNNING && st->pid > 0 &&
	    stat(path, &sb) == 0)
		ifs = net_topo_json(&(struct net_topo_ns){ sb.st_ino, st->pid, NULL }, NULL, 0);
	for (size_t i = 0; json_is_array(ifs) && i < json_array_size(ifs); i++) {
		json_t *l = json_array_get(ifs, i), *v;
		size_t k;

		if (strcmp(json_string_value(json_object_get(l, "name")) ?: "", "lo") == 0)
			continue;
		json_array_foreach(json_object_get(l, "addresses"), k, v)
			json_array_append(addrs, v);
	}
	json_decref(ifs);
	if (st->net == RT_NET_BRIDGE &&
	    net_bridge_lookup(st->name, br, sizeof(br), &a, veth, sizeof(veth)) == 0 && veth[0])
		have_veth = true;
	o = json_pack("{s:s,s:o,s:o,s:o}", "mode", rt_net_name(st->net),
		      "name", st->net_name[0] ? json_string(st->net_name) : json_null(),
		      "addresses", addrs,
		      "host_veth", have_veth ? json_string(veth) : json_null());
	return o;
}

void net_state_text(const struct rt_state *st, char *addrs, size_t asize, char *veth,
		    size_t vsize)
{
	json_t *o = net_state_json(st), *v;
	size_t k, used = 0;

	addrs[0] = veth[0] = '\0';
	json_array_foreach(json_object_get(o, "addresses"), k, v) {
		const char *s = json_string_value(v);

		/* link-local IPv6 says nothing the operator asked about */
		if (!s || strncmp(s, "fe80:", 5) == 0 || used >= asize)
			continue;
		used += (size_t)snprintf(addrs + used, asize - used, "%s%s", used ? "," : "", s);
	}
	snprintf(veth, vsize, "%s", json_string_value(json_object_get(o, "host_veth")) ?: "");
	json_decref(o);
}
