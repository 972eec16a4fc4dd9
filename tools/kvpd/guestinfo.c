// SPDX-License-Identifier: GPL-2.0
/*
 * The auto pool's values, computed when the host asks: names and versions
 * from uname() and /etc/os-release, the FQDN (resolved again whenever the
 * host name changes), and the guest's addresses from rtnetlink without the
 * interfaces the configuration excludes (loopback, container bridges...).
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include "kvpd.h"
#include "log.h"
#include "nl.h"

/* /etc/os-release: the value of name=, unquoted, or "" */
static void os_release(const char *name, char *out, size_t len)
{
	char line[512];
	size_t n = strlen(name);
	FILE *f = fopen("/etc/os-release", "re");

	if (!f)
		f = fopen("/usr/lib/os-release", "re");
	out[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		char *v;
		size_t l;

		if (strncmp(line, name, n) || line[n] != '=')
			continue;
		v = line + n + 1;
		v[strcspn(v, "\n")] = 0;
		l = strlen(v);
		if (l >= 2 && (v[0] == '"' || v[0] == '\'') && v[l - 1] == v[0]) {
			v[l - 1] = 0;
			v++;
		}
		snprintf(out, len, "%s", v);
		break;
	}
	if (f)
		fclose(f);
}

static void fqdn(char *out, size_t len)
{
	static char cached_for[HOST_NAME_MAX + 1], cached[HVIC_KVP_VALUE_SIZE];
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_flags = AI_CANONNAME };
	struct addrinfo *res = NULL;
	struct utsname u;

	if (uname(&u))
		u.nodename[0] = 0;
	if (!cached[0] || strcmp(cached_for, u.nodename)) {
		snprintf(cached_for, sizeof(cached_for), "%s", u.nodename);
		snprintf(cached, sizeof(cached), "%s", u.nodename);
		if (!getaddrinfo(u.nodename, NULL, &hints, &res) && res &&
		    res->ai_canonname && strchr(res->ai_canonname, '.'))
			snprintf(cached, sizeof(cached), "%s", res->ai_canonname);
		if (res)
			freeaddrinfo(res);
		log_info("host name %s, FQDN %s", u.nodename, cached);
	}
	snprintf(out, len, "%s", cached);
}

struct addr_list {
	struct kvpd *d;
	char names[256][IF_NAMESIZE];	/* by ifindex, when < 256 */
	char *buf;
	size_t len, used;
	int ret;
};

static int note_link(const struct hvnl_link *l, void *ctx)
{
	struct addr_list *al = ctx;

	if (l->ifindex > 0 && l->ifindex < 256)
		snprintf(al->names[l->ifindex], IF_NAMESIZE, "%s", l->name);
	if (l->flags & IFF_LOOPBACK)
		al->names[l->ifindex < 256 ? l->ifindex : 0][0] = 0;
	return 0;
}

static bool link_excluded(struct addr_list *al, int ifindex)
{
	char name[IF_NAMESIZE];

	if (ifindex > 0 && ifindex < 256) {
		if (!al->names[ifindex][0])
			return true;		/* loopback or unknown */
		return kvpd_config_excluded(&al->d->cfg, al->names[ifindex]);
	}
	if (!if_indextoname(ifindex, name))
		return true;
	return kvpd_config_excluded(&al->d->cfg, name);
}

static int add_addr(const struct hvnl_addr *a, void *ctx)
{
	struct addr_list *al = ctx;
	size_t n = strlen(a->a.addr);

	if (link_excluded(al, a->ifindex))
		return 0;
	if (al->used + n + 2 > al->len) {
		al->ret = -E2BIG;
		return 0;		/* report what fits */
	}
	if (al->used)
		al->buf[al->used++] = ';';
	memcpy(al->buf + al->used, a->a.addr, n + 1);
	al->used += n;
	return 0;
}

static int addresses(struct kvpd *d, int family, char *buf, size_t len)
{
	static struct addr_list al;
	int ret;

	memset(&al, 0, sizeof(al));
	al.d = d;
	al.buf = buf;
	al.len = len;
	buf[0] = 0;
	ret = hvnl_links(note_link, &al);
	if (!ret)
		ret = hvnl_addrs(family, 0, add_addr, &al);
	return ret;
}

int kvpd_auto_value(struct kvpd *d, unsigned int i, char *buf, size_t len)
{
	struct utsname u;
	char v[256];

	buf[0] = 0;
	if (uname(&u))
		return -errno;
	switch (i) {
	case KVPD_FQDN:
		fqdn(buf, len);
		break;
	case KVPD_IS_VERSION:
		snprintf(buf, len, "%s", d->lic_version);
		break;
	case KVPD_IPV4:
		return addresses(d, AF_INET, buf, len);
	case KVPD_IPV6:
		return addresses(d, AF_INET6, buf, len);
	case KVPD_OS_BUILD:
		snprintf(buf, len, "%s", u.release);
		break;
	case KVPD_OS_NAME:
		os_release("NAME", buf, len);
		if (!buf[0])
			snprintf(buf, len, "%s", u.sysname);
		break;
	case KVPD_OS_MAJOR:
	case KVPD_OS_MINOR:
		/* VERSION_ID "12" or "22.04": major before the dot */
		os_release("VERSION_ID", v, sizeof(v));
		if (i == KVPD_OS_MAJOR)
			snprintf(buf, len, "%.*s", (int)strcspn(v, "."), v);
		else if (strchr(v, '.'))
			snprintf(buf, len, "%s", strchr(v, '.') + 1);
		break;
	case KVPD_OS_VERSION:
		/* the kernel version without the distribution's suffix */
		snprintf(buf, len, "%.*s", (int)strcspn(u.release, "-+"), u.release);
		break;
	case KVPD_ARCH:
		snprintf(buf, len, "%s", u.machine);
		break;
	default:
		return -ENOENT;
	}
	return 0;
}
