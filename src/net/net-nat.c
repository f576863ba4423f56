/*
 * A bridge's rules through libnftables, in a table of nstop's own per
 * bridge (ip nstop_BRIDGE), so that nothing of the host's ruleset is read,
 * edited or flushed: no forwarding between nstop's bridges, and with --nat
 * masquerading for the bridge's subnet. The table goes with the last
 * allocation on its bridge (net-bridge.c decides when).
 *
 * The commands are built from a bridge name that rt_bridge_name_check let
 * through (letters, digits, '_', '.', '-', quoted for nft) and a subnet nstop
 * computed: no text from elsewhere reaches the nft parser.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <nftables/libnftables.h>

#include "nstop/dl.h"
#include "nstop/net.h"
#include "net-nat.h"

/* libnftables, loaded where a table is written: linked, it and what it
 * needs (libnftnl, libxtables, libgmp) were mapped by
 * every start of nstop, a container's launch twice. */
#define NAT_FN(fn) __typeof__(nft_##fn) *fn
static struct {
	NAT_FN(ctx_new);
	NAT_FN(ctx_free);
	NAT_FN(ctx_buffer_output);
	NAT_FN(ctx_buffer_error);
	NAT_FN(ctx_get_error_buffer);
	NAT_FN(run_cmd_from_buffer);
} nft;

static int nat_load(struct nst_err *err)
{
#define NAT_SYM(fn) { "nft_" #fn, (void **)&nft.fn }
	static const struct nst_dl_sym syms[] = {
		NAT_SYM(ctx_new), NAT_SYM(ctx_free), NAT_SYM(ctx_buffer_output),
		NAT_SYM(ctx_buffer_error), NAT_SYM(ctx_get_error_buffer),
		NAT_SYM(run_cmd_from_buffer),
	};
#undef NAT_SYM

	if (nft.ctx_new)
		return 0;
	return nst_dl_load(NST_NFT_SONAME, "libnftables, a bridge's rules", syms,
			   sizeof(syms) / sizeof(syms[0]), err);
}

static bool nat_exists(const char *table);

static void nat_table_name(const char *br, char *out, size_t size)
{
	size_t j = 0;

	/* nft identifiers take no '-' or '.': mapped to '_' (names stay
	 * distinct enough: a clash only shares a table of nstop's own) */
	j = (size_t)snprintf(out, size, "nstop_");
	for (size_t i = 0; br[i] && j + 1 < size; i++)
		out[j++] = (br[i] == '-' || br[i] == '.') ? '_' : br[i];
	out[j] = '\0';
}

/* Runs cmd; the first line of nft's error output on failure. */
static int nat_run(const char *cmd, struct nst_err *err)
{
	struct nft_ctx *ctx;
	int rc;

	if ((rc = nat_load(err)) < 0)
		return rc;
	if (!(ctx = nft.ctx_new(NFT_CTX_DEFAULT)))
		return nst_err_set(err, ENOMEM, "nftables: no context");
	nft.ctx_buffer_output(ctx);
	nft.ctx_buffer_error(ctx);
	if (nft.run_cmd_from_buffer(ctx, cmd) != 0) {
		const char *e = nft.ctx_get_error_buffer(ctx);
		size_t n = e ? strcspn(e, "\n") : 0;

		rc = nst_err_set(err, EPROTO, "nftables: %.*s", (int)(n > 200 ? 200 : n),
				 n ? e : "failed");
	}
	nft.ctx_free(ctx);
	return rc;
}

/*
 * Threat: forwarding between bridges. Where the host forwards IPv4 (a new
 * network namespace inherits the host's ip_forward; Docker hosts have it
 * on), a container on one bridge would reach another bridge's containers
 * through the host. Every bridge in use has a table of nstop's whose forward
 * chain drops what is routed between it and the subnet of any other bridge
 * of nstop's (the set "nets", kept by net_nat_sync: a bridge nstop did not
 * make may hold any subnet, not only one of nstop's pool), whatever
 * ip_forward says. Traffic within the bridge is not routed (iifname and
 * oifname are both the bridge even where br_netfilter shows it here).
 *
 * With masq (--nat): masquerading forwards a container's traffic out of the
 * host; it is limited to the bridge's own subnet leaving by another
 * interface than the bridge. IPv4 forwarding is switched on, as Docker and
 * Podman do: masquerading needs it. It is left on after the last container
 * (as theirs): by then other tools may route through it (a Docker daemon
 * started since finds it on and relies on it), and switching it off behind
 * them would cut their containers off; nstop(1) says so.
 */
int net_nat_add(const char *br, struct in_addr net, unsigned prefix, bool masq,
		struct nst_err *err)
{
	char table[64], cmd[1024], text[INET_ADDRSTRLEN];
	struct nst_err ignore;
	bool made = false;
	int fd, rc;

	nat_table_name(br, table, sizeof(table));
	inet_ntop(AF_INET, &net, text, sizeof(text));
	snprintf(cmd, sizeof(cmd), "list set ip %s nets\n", table);
	if (nat_run(cmd, &ignore) < 0) {
		/* none yet, or one an earlier nstop made, whose forward chain
		 * knew only nstop's pool: its rules made anew, in one
		 * transaction, its masquerading (if any) kept */
		made = !nat_exists(table);
		snprintf(cmd, sizeof(cmd),
			 "table ip %s {\n"
			 " set nets { type ipv4_addr; flags interval; auto-merge; elements = { %s/%u } }\n"
			 " chain forward { type filter hook forward priority filter; policy accept; }\n"
			 "}\n"
			 "flush chain ip %s forward\n"
			 "add rule ip %s forward iifname \"%s\" oifname != \"%s\" ip daddr @nets drop\n"
			 "add rule ip %s forward oifname \"%s\" iifname != \"%s\" ip saddr @nets drop\n",
			 table, text, prefix, table, table, br, br, table, br, br);
		if ((rc = nat_run(cmd, err)) < 0)
			return rc;
	}
	if (!masq)
		return 0;
	snprintf(cmd, sizeof(cmd), "list chain ip %s postrouting\n", table);
	if (nat_run(cmd, &ignore) == 0)	/* another container's --nat on this bridge */
		return 0;
	snprintf(cmd, sizeof(cmd),
		 "add chain ip %s postrouting { type nat hook postrouting priority srcnat; policy accept; }\n"
		 "add rule ip %s postrouting ip saddr %s/%u oifname != \"%s\" masquerade\n",
		 table, table, text, prefix, br);
	if ((rc = nat_run(cmd, err)) < 0)
		goto fail;
	fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1\n", 2) != 2) {
		rc = nst_err_sys(err, errno, "ip_forward");
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	return 0;
fail:
	if (made) {
		net_nat_del(br, &ignore);
	} else {
		snprintf(cmd, sizeof(cmd), "delete chain ip %s postrouting\n", table);
		nat_run(cmd, &ignore);
	}
	return rc;
}

static bool nat_exists(const char *table)
{
	char cmd[128];
	struct nst_err ignore;

	snprintf(cmd, sizeof(cmd), "list table ip %s\n", table);
	return nat_run(cmd, &ignore) == 0;
}

int net_nat_del(const char *br, struct nst_err *err)
{
	char table[64], cmd[128];

	nat_table_name(br, table, sizeof(table));
	if (!nat_exists(table))
		return 0;
	snprintf(cmd, sizeof(cmd), "delete table ip %s\n", table);
	return nat_run(cmd, err);
}

int net_nat_sync(const char *br, const struct net_subnet *nets, size_t nnets,
		 struct nst_err *err)
{
	size_t size = 256 + nnets * (INET_ADDRSTRLEN + 8), n;
	char *cmd, table[64], text[INET_ADDRSTRLEN];
	int rc;

	nat_table_name(br, table, sizeof(table));
	if (!nat_exists(table))
		return 0;
	if (!(cmd = malloc(size)))
		return nst_err_set(err, ENOMEM, "out of memory");
	/* one transaction: the set is never seen empty in between */
	n = (size_t)snprintf(cmd, size, "flush set ip %s nets\n", table);
	if (nnets)
		n += (size_t)snprintf(cmd + n, size - n, "add element ip %s nets {", table);
	for (size_t k = 0; k < nnets; k++)
		n += (size_t)snprintf(cmd + n, size - n, "%s %s/%u", k ? "," : "",
				      inet_ntop(AF_INET, &nets[k].net, text, sizeof(text)),
				      nets[k].prefix);
	if (nnets)
		snprintf(cmd + n, size - n, " }\n");
	rc = nat_run(cmd, err);
	free(cmd);
	return rc;
}
