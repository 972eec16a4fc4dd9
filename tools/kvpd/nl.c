// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink through libnl-3, confined to this file.  Each query fills a
 * fresh cache (the daemon asks rarely: a host enumeration of the auto pool,
 * an IP-info request), so nothing here goes stale.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "log.h"
#include "nl.h"

static struct nl_sock *sk;

static int nl_errno(int err)
{
	/* libnl's own error numbers, mapped to the nearest errno */
	switch (err < 0 ? -err : err) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_PERM:
		return -EPERM;
	case NLE_INVAL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int hvnl_init(void)
{
	int ret;

	if (sk)
		return 0;
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret < 0) {
		nl_socket_free(sk);
		sk = NULL;
		return nl_errno(ret);
	}
	return 0;
}

void hvnl_fini(void)
{
	if (sk)
		nl_socket_free(sk);
	sk = NULL;
}

static void to_kvpd_addr(struct nl_addr *na, unsigned int prefix,
			 struct kvpd_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = nl_addr_get_family(na);
	out->prefix = prefix;
	if (!inet_ntop(out->family, nl_addr_get_binary_addr(na), out->addr,
		       sizeof(out->addr)))
		out->addr[0] = 0;
}

int hvnl_links(int (*cb)(const struct hvnl_link *l, void *ctx), void *ctx)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int ret = hvnl_init();

	if (ret)
		return ret;
	ret = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (ret < 0)
		return nl_errno(ret);
	ret = 0;
	for (o = nl_cache_get_first(cache); o && !ret; o = nl_cache_get_next(o)) {
		struct rtnl_link *link = (struct rtnl_link *)o;
		struct nl_addr *mac = rtnl_link_get_addr(link);
		const char *kind = rtnl_link_get_type(link);
		struct hvnl_link l = { .ifindex = rtnl_link_get_ifindex(link) };

		snprintf(l.name, sizeof(l.name), "%s", rtnl_link_get_name(link));
		l.flags = rtnl_link_get_flags(link);
		snprintf(l.kind, sizeof(l.kind), "%s", kind ? kind : "");
		if (mac && nl_addr_get_len(mac) == 6) {
			const unsigned char *b = nl_addr_get_binary_addr(mac);

			snprintf(l.mac, sizeof(l.mac), "%02X:%02X:%02X:%02X:%02X:%02X",
				 b[0], b[1], b[2], b[3], b[4], b[5]);
		}
		ret = cb(&l, ctx);
	}
	nl_cache_free(cache);
	return ret;
}

int hvnl_addrs(int family, int ifindex,
	       int (*cb)(const struct hvnl_addr *a, void *ctx), void *ctx)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int ret = hvnl_init();

	if (ret)
		return ret;
	ret = rtnl_addr_alloc_cache(sk, &cache);
	if (ret < 0)
		return nl_errno(ret);
	ret = 0;
	for (o = nl_cache_get_first(cache); o && !ret; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(ra);
		struct hvnl_addr a = { .ifindex = rtnl_addr_get_ifindex(ra) };
		int fam = rtnl_addr_get_family(ra);

		if (!local || (fam != AF_INET && fam != AF_INET6))
			continue;
		if ((family != AF_UNSPEC && fam != family) ||
		    (ifindex && a.ifindex != ifindex))
			continue;
		if (rtnl_addr_get_scope(ra) == RT_SCOPE_HOST)
			continue;
		to_kvpd_addr(local, rtnl_addr_get_prefixlen(ra), &a.a);
		a.permanent = rtnl_addr_get_flags(ra) & IFA_F_PERMANENT;
		a.link_scope = rtnl_addr_get_scope(ra) == RT_SCOPE_LINK;
		if (a.a.addr[0])
			ret = cb(&a, ctx);
	}
	nl_cache_free(cache);
	return ret;
}

struct gw_walk {
	int ifindex;
	int (*cb)(const struct hvnl_addr *a, void *ctx);
	void *ctx;
	int ret;
};

static void gw_nexthop(struct rtnl_nexthop *nh, void *arg)
{
	struct gw_walk *w = arg;
	struct nl_addr *gw = rtnl_route_nh_get_gateway(nh);
	struct hvnl_addr a = { .ifindex = rtnl_route_nh_get_ifindex(nh) };

	if (w->ret || !gw || (w->ifindex && a.ifindex != w->ifindex))
		return;
	to_kvpd_addr(gw, 0, &a.a);
	if (a.a.addr[0])
		w->ret = w->cb(&a, w->ctx);
}

int hvnl_gateways(int family, int ifindex,
		  int (*cb)(const struct hvnl_addr *a, void *ctx), void *ctx)
{
	struct gw_walk w = { .ifindex = ifindex, .cb = cb, .ctx = ctx };
	struct nl_cache *cache;
	struct nl_object *o;
	int ret = hvnl_init();

	if (ret)
		return ret;
	ret = rtnl_route_alloc_cache(sk, family, 0, &cache);
	if (ret < 0)
		return nl_errno(ret);
	for (o = nl_cache_get_first(cache); o && !w.ret; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(r);

		if (rtnl_route_get_table(r) != RT_TABLE_MAIN ||
		    (dst && nl_addr_get_prefixlen(dst) != 0))
			continue;
		rtnl_route_foreach_nexthop(r, gw_nexthop, &w);
	}
	nl_cache_free(cache);
	return w.ret;
}

int hvnl_flush_addrs(int ifindex, int family)
{
	struct nl_cache *cache;
	struct nl_object *o;
	int ret = hvnl_init(), err = 0;

	if (ret)
		return ret;
	ret = rtnl_addr_alloc_cache(sk, &cache);
	if (ret < 0)
		return nl_errno(ret);
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;

		if (rtnl_addr_get_ifindex(ra) != ifindex ||
		    rtnl_addr_get_family(ra) != family ||
		    rtnl_addr_get_scope(ra) == RT_SCOPE_LINK ||
		    rtnl_addr_get_scope(ra) == RT_SCOPE_HOST)
			continue;
		ret = rtnl_addr_delete(sk, ra, 0);
		if (ret < 0 && !err)
			err = nl_errno(ret);
	}
	nl_cache_free(cache);
	return err;
}

static int parse(const struct kvpd_addr *a, bool with_prefix, struct nl_addr **out)
{
	char buf[KVPD_ADDR_LEN + 8];

	if (with_prefix)
		snprintf(buf, sizeof(buf), "%s/%u", a->addr, a->prefix);
	else
		snprintf(buf, sizeof(buf), "%s", a->addr);
	return nl_errno(nl_addr_parse(buf, a->family, out));
}

int hvnl_add_addr(int ifindex, const struct kvpd_addr *a)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int ret = hvnl_init();

	if (ret)
		return ret;
	ret = parse(a, true, &local);
	if (ret)
		return ret;
	ra = rtnl_addr_alloc();
	if (!ra) {
		nl_addr_put(local);
		return -ENOMEM;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, a->family);
	ret = rtnl_addr_set_local(ra, local);
	if (!ret) {
		rtnl_addr_set_prefixlen(ra, a->prefix);
		ret = rtnl_addr_add(sk, ra, NLM_F_REPLACE);
	}
	rtnl_addr_put(ra);
	nl_addr_put(local);
	return nl_errno(ret);
}

int hvnl_set_default_route(int ifindex, const struct kvpd_addr *gw)
{
	struct rtnl_route *r = NULL;
	struct rtnl_nexthop *nh = NULL;
	struct nl_addr *dst = NULL, *via = NULL;
	int ret = hvnl_init();

	if (ret)
		return ret;
	ret = nl_errno(nl_addr_parse("default", gw->family, &dst));
	if (!ret)
		ret = parse(gw, false, &via);
	if (ret)
		goto out;
	r = rtnl_route_alloc();
	nh = rtnl_route_nh_alloc();
	if (!r || !nh) {
		ret = -ENOMEM;
		goto out;
	}
	rtnl_route_set_family(r, gw->family);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
	rtnl_route_set_type(r, RTN_UNICAST);
	ret = nl_errno(rtnl_route_set_dst(r, dst));
	if (ret)
		goto out;
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_nh_set_gateway(nh, via);
	rtnl_route_add_nexthop(r, nh);
	nh = NULL;		/* owned by the route now */
	ret = nl_errno(rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_REPLACE));
out:
	if (nh)
		rtnl_route_nh_free(nh);
	if (r)
		rtnl_route_put(r);
	if (dst)
		nl_addr_put(dst);
	if (via)
		nl_addr_put(via);
	return ret;
}

int hvnl_link_up(int ifindex)
{
	struct rtnl_link *link = NULL, *change;
	int ret = hvnl_init();

	if (ret)
		return ret;
	ret = rtnl_link_get_kernel(sk, ifindex, NULL, &link);
	if (ret < 0)
		return nl_errno(ret);
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(link);
		return -ENOMEM;
	}
	rtnl_link_set_flags(change, IFF_UP);
	ret = nl_errno(rtnl_link_change(sk, link, change, 0));
	rtnl_link_put(change);
	rtnl_link_put(link);
	return ret;
}
