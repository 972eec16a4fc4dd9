/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's only window on rtnetlink (nl.c, the one file that uses
 * libnl-3): links, addresses, default gateways, and setting them.
 */
#ifndef HVIC_KVPD_NL_H
#define HVIC_KVPD_NL_H

#include <net/if.h>
#include <stdbool.h>

#include "kvpd.h"

struct hvnl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char mac[32];			/* "00:15:5D:0A:0B:0C", upper case */
	unsigned int flags;		/* IFF_* */
	char kind[32];			/* "veth", "bridge", "dummy", "" */
};

struct hvnl_addr {
	int ifindex;
	struct kvpd_addr a;
	bool permanent;			/* no lifetime (static), vs. leased */
	bool link_scope;		/* fe80::/10 or 169.254/16 */
};

int hvnl_init(void);
void hvnl_fini(void);

int hvnl_links(int (*cb)(const struct hvnl_link *l, void *ctx), void *ctx);
/* Addresses of family (AF_UNSPEC: both) on ifindex (0: every link). */
int hvnl_addrs(int family, int ifindex,
	       int (*cb)(const struct hvnl_addr *a, void *ctx), void *ctx);
/* Gateways of the main table's default routes through ifindex. */
int hvnl_gateways(int family, int ifindex,
		  int (*cb)(const struct hvnl_addr *a, void *ctx), void *ctx);

/* Remove the static (permanent, non-link-scope) addresses of family. */
int hvnl_flush_addrs(int ifindex, int family);
int hvnl_add_addr(int ifindex, const struct kvpd_addr *a);
/* Replace the default route of gw's family with one via gw on ifindex. */
int hvnl_set_default_route(int ifindex, const struct kvpd_addr *gw);
int hvnl_link_up(int ifindex);

#endif
