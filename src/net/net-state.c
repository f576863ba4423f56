/*
 * A container's network as the operator sees it: its mode, the addresses of
 * its interfaces other than lo (read inside its namespace through its init,
 * net-topo.c), and for --net bridge its host-side veth: the peer of its
 * veth that lies in nstop's own namespace, as the kernel says (the same
 * read; the allocation file names no veth). For --net host nothing is read:
 * the host's are not its own.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "nstop/net.h"
#include "nstop/runtime.h"

json_t *net_state_json(const struct rt_state *st)
{
	json_t *o, *addrs = json_array(), *ifs = NULL, *veth = json_null();
	char path[64];
	struct stat sb, self;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)st->pid);
	if (st->net != RT_NET_HOST && st->status == RT_RUNNING && st->pid > 0 &&
	    stat(path, &sb) == 0 && stat("/proc/self/ns/net", &self) == 0) {
		/* nstop's own namespace as the one candidate for a peer */
		struct net_topo_ns here = { self.st_ino, getpid(), NULL };

		ifs = net_topo_json(&(struct net_topo_ns){ sb.st_ino, st->pid, NULL },
				    st->net == RT_NET_BRIDGE ? &here : NULL,
				    st->net == RT_NET_BRIDGE ? 1 : 0);
	}
	for (size_t i = 0; json_is_array(ifs) && i < json_array_size(ifs); i++) {
		json_t *l = json_array_get(ifs, i), *v, *peer = json_object_get(l, "peer");
		size_t k;

		if (strcmp(json_string_value(json_object_get(l, "name")) ?: "", "lo") == 0)
			continue;
		json_array_foreach(json_object_get(l, "addresses"), k, v)
			json_array_append(addrs, v);
		if (json_is_null(veth) && json_is_object(peer) &&
		    json_integer_value(json_object_get(peer, "netns")) == (json_int_t)self.st_ino &&
		    json_is_string(json_object_get(peer, "name")))
			veth = json_incref(json_object_get(peer, "name"));
	}
	json_decref(ifs);
	o = json_pack("{s:s,s:o,s:o,s:o}", "mode", rt_net_name(st->net),
		      "name", st->net_name[0] ? json_string(st->net_name) : json_null(),
		      "addresses", addrs, "host_veth", veth);
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
