// SPDX-License-Identifier: GPL-2.0
/*
 * IP configuration for the host, with no helper scripts:
 *
 * GET_IP_INFO  the adapter is the interface whose MAC equals adapter_id
 *              (case-insensitive, whole string); addresses and prefixes and
 *              default gateways from rtnetlink, DNS servers from
 *              systemd-resolved's per-link state or resolv.conf, and DHCP
 *              "enabled" when an IPv4 address has a lease lifetime.
 * SET_IP_INFO  the adapter is the interface whose VMBus device id
 *              (/sys/class/net/X/device/device_id) is adapter_id; the
 *              configuration is applied with rtnetlink and persisted for
 *              the next boot by the network backend (backend.c).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kvpd.h"
#include "log.h"
#include "nl.h"

struct str_out {
	char *buf;
	size_t len, used;
	bool full;
};

static void out_add(struct str_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->full || o->used + n + 2 > o->len) {
		o->full = true;
		return;
	}
	if (o->used)
		o->buf[o->used++] = ';';
	memcpy(o->buf + o->used, s, n + 1);
	o->used += n;
}

static void out_init(struct str_out *o, void *field, size_t units)
{
	o->buf = (char *)field;
	o->len = units * 2;
	o->used = 0;
	o->full = false;
	memset(field, 0, units * 2);
}

/* ------------------------------------------------------------ GET */

struct mac_match {
	const char *mac;
	int ifindex;
	char name[IF_NAMESIZE];
	int matches;
	bool slave;
};

static int match_mac(const struct hvnl_link *l, void *ctx)
{
	struct mac_match *m = ctx;

	if (!l->mac[0] || strcasecmp(l->mac, m->mac))
		return 0;
	m->matches++;
	/* a NIC and its enslaved VF share the MAC: prefer the master */
	if (!m->ifindex || (m->slave && !(l->flags & IFF_SLAVE))) {
		m->ifindex = l->ifindex;
		m->slave = l->flags & IFF_SLAVE;
		snprintf(m->name, sizeof(m->name), "%s", l->name);
	}
	return 0;
}

struct ip_walk {
	struct str_out addr, sub;
	uint8_t family_mask;
	bool dhcp;
};

static void prefix_text(int family, unsigned int prefix, char *buf, size_t len)
{
	if (family == AF_INET) {
		struct in_addr m = {
			.s_addr = htonl(prefix ? 0xffffffffu << (32 - prefix) : 0),
		};

		inet_ntop(AF_INET, &m, buf, len);
	} else {
		snprintf(buf, len, "/%u", prefix);	/* as upstream reports it */
	}
}

static int walk_addr(const struct hvnl_addr *a, void *ctx)
{
	struct ip_walk *w = ctx;
	char sub[KVPD_ADDR_LEN];

	if (a->a.family == AF_INET) {
		w->family_mask |= HVIC_ADDR_FAMILY_IPV4;
		if (!a->permanent)
			w->dhcp = true;
	} else {
		w->family_mask |= HVIC_ADDR_FAMILY_IPV6;
	}
	prefix_text(a->a.family, a->a.prefix, sub, sizeof(sub));
	out_add(&w->addr, a->a.addr);
	out_add(&w->sub, sub);
	return 0;
}

static int walk_gw(const struct hvnl_addr *a, void *ctx)
{
	out_add(ctx, a->a.addr);
	return 0;
}

static bool is_stub(const char *addr)
{
	return !strcmp(addr, "127.0.0.53") || !strcmp(addr, "127.0.0.54");
}

/* "nameserver X" lines of a resolv.conf; number added */
static int dns_resolv_conf(const char *path, struct str_out *o)
{
	char line[256], tok[KVPD_ADDR_LEN + 16];
	unsigned char bin[16];
	FILE *f = fopen(path, "re");
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " nameserver %61s", tok) != 1)
			continue;
		tok[strcspn(tok, "%")] = 0;	/* fe80::1%eth0 */
		if (is_stub(tok) || (inet_pton(AF_INET, tok, bin) != 1 &&
				     inet_pton(AF_INET6, tok, bin) != 1))
			continue;
		out_add(o, tok);
		n++;
	}
	if (f)
		fclose(f);
	return n;
}

/* systemd-resolved's state for one link: "SERVERS=a b#name c" */
static int dns_resolved_link(int ifindex, struct str_out *o)
{
	char path[64], line[2048];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/run/systemd/resolve/netif/%d", ifindex);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL;

		if (strncmp(line, "SERVERS=", 8))
			continue;
		line[strcspn(line, "\n")] = 0;
		for (tok = strtok_r(line + 8, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save)) {
			unsigned char bin[16];

			tok[strcspn(tok, "#%")] = 0;
			if (inet_pton(AF_INET, tok, bin) == 1 ||
			    inet_pton(AF_INET6, tok, bin) == 1) {
				out_add(o, tok);
				n++;
			}
		}
	}
	if (f)
		fclose(f);
	return n;
}

uint32_t kvpd_get_ip_info(struct kvpd *d, struct hvic_kvp_ip_value *ip)
{
	struct mac_match m = { .mac = (const char *)ip->adapter_id };
	static struct ip_walk w;
	struct str_out gw, dns;
	int ret;

	(void)d;
	ret = hvnl_links(match_mac, &m);
	if (ret) {
		log_err("GET_IP_INFO: listing links: %s", strerror(-ret));
		return HVIC_E_FAIL;
	}
	if (!m.ifindex) {
		log_info("GET_IP_INFO: no interface has MAC %s", m.mac);
		return HVIC_E_FAIL;
	}
	memset(&w, 0, sizeof(w));
	out_init(&w.addr, (void *)ip->ip_addr, HVIC_KVP_IP_ADDR_UNITS);
	out_init(&w.sub, (void *)ip->sub_net, HVIC_KVP_IP_ADDR_UNITS);
	out_init(&gw, (void *)ip->gate_way, HVIC_KVP_GATEWAY_UNITS);
	out_init(&dns, (void *)ip->dns_addr, HVIC_KVP_IP_ADDR_UNITS);
	ret = hvnl_addrs(AF_UNSPEC, m.ifindex, walk_addr, &w);
	if (!ret)
		ret = hvnl_gateways(AF_INET, m.ifindex, walk_gw, &gw);
	if (!ret)
		ret = hvnl_gateways(AF_INET6, m.ifindex, walk_gw, &gw);
	if (ret) {
		log_err("GET_IP_INFO %s: %s", m.name, strerror(-ret));
		return HVIC_E_FAIL;
	}
	if (!dns_resolved_link(m.ifindex, &dns) &&
	    !dns_resolv_conf("/run/systemd/resolve/resolv.conf", &dns))
		dns_resolv_conf("/etc/resolv.conf", &dns);
	ip->addr_family = w.family_mask;
	ip->dhcp_enabled = w.dhcp;
	if (w.addr.full || w.sub.full || gw.full || dns.full)
		log_warn("GET_IP_INFO %s: too many addresses, the list is cut", m.name);
	log_debug("GET_IP_INFO %s (%s): %s", m.mac, m.name, (char *)ip->ip_addr);
	return HVIC_S_OK;
}

/* ------------------------------------------------------------ SET */

/* "{f8615163-...}" vs "F8615163-..." : braces and case don't matter */
static bool guid_eq(const char *a, const char *b)
{
	while (*a == '{')
		a++;
	while (*b == '{')
		b++;
	while (*a && *a != '}' && *b && *b != '}') {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
	return (!*a || *a == '}') && (!*b || *b == '}');
}

/* Interface whose VMBus device id is guid: its name, or -ENOENT. */
static int if_by_device_id(const char *guid, char *name, size_t len)
{
	DIR *dir = opendir("/sys/class/net");
	struct dirent *e;
	int ret = -ENOENT;

	if (!dir)
		return -errno;
	while (ret && (e = readdir(dir))) {
		char path[512], id[128];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/device_id",
			 e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(id, sizeof(id), f)) {
			id[strcspn(id, "\n")] = 0;
			if (guid_eq(id, guid) && strlen(e->d_name) < len) {
				memcpy(name, e->d_name, strlen(e->d_name) + 1);
				ret = 0;
			}
		}
		fclose(f);
	}
	closedir(dir);
	return ret;
}

static int read_mac(const char *ifname, char *mac, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "re");
	mac[0] = 0;
	if (!f)
		return -errno;
	if (fgets(mac, len, f))
		mac[strcspn(mac, "\n")] = 0;
	fclose(f);
	return 0;
}

uint32_t kvpd_set_ip_info(struct kvpd *d, const struct kvpd_ipconf *c)
{
	const struct kvpd_addr *gw4, *gw6;
	char ifname[IF_NAMESIZE], mac[32];
	unsigned int i, ifindex, n_gw;
	bool v4 = false, v6 = false;
	int ret;

	if (if_by_device_id(c->adapter_id, ifname, sizeof(ifname))) {
		log_info("SET_IP_INFO: no interface has device id %s", c->adapter_id);
		return HVIC_GUID_NOTFOUND;
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		log_info("SET_IP_INFO: %s went away", ifname);
		return HVIC_GUID_NOTFOUND;
	}
	read_mac(ifname, mac, sizeof(mac));
	log_notice("SET_IP_INFO %s: %s, %u address(es), %u gateway(s), %u DNS server(s)",
		   ifname, c->dhcp ? "DHCP" : "static", c->n_addrs, c->n_gw, c->n_dns);

	/* persist first: a configuration that can't be kept isn't applied */
	ret = kvpd_backend_persist(&d->cfg, ifname, mac, c);
	if (ret && ret != -EOPNOTSUPP) {
		log_err("SET_IP_INFO %s: persisting: %s", ifname, strerror(-ret));
		return HVIC_E_FAIL;
	}
	for (i = 0; i < c->n_addrs; i++) {
		v4 |= c->addrs[i].family == AF_INET;
		v6 |= c->addrs[i].family == AF_INET6;
	}
	ret = hvnl_link_up(ifindex);
	if (!ret && !c->dhcp && v4)
		ret = hvnl_flush_addrs(ifindex, AF_INET);
	if (!ret && v6)
		ret = hvnl_flush_addrs(ifindex, AF_INET6);
	for (i = 0; !ret && i < c->n_addrs; i++)
		if (!c->dhcp || c->addrs[i].family == AF_INET6)
			ret = hvnl_add_addr(ifindex, &c->addrs[i]);
	/* the first gateway of each family, as persisted */
	gw4 = kvpd_ipconf_gateway(c, AF_INET);
	gw6 = kvpd_ipconf_gateway(c, AF_INET6);
	for (i = 0, n_gw = 0; i < c->n_gw; i++)
		n_gw += !c->dhcp || c->gw[i].family == AF_INET6;
	if (n_gw > (unsigned int)(!!gw4 + !!gw6))
		log_notice("SET_IP_INFO %s: only the first gateway of each family is used",
			   ifname);
	if (!ret && gw4)
		ret = hvnl_set_default_route(ifindex, gw4);
	if (!ret && gw6)
		ret = hvnl_set_default_route(ifindex, gw6);
	if (ret) {
		log_err("SET_IP_INFO %s: applying: %s", ifname, strerror(-ret));
		return HVIC_E_FAIL;
	}
	return HVIC_S_OK;
}

const struct kvpd_ops kvpd_system_ops = {
	.auto_value	= kvpd_auto_value,
	.get_ip_info	= kvpd_get_ip_info,
	.set_ip_info	= kvpd_set_ip_info,
};
