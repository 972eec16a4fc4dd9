// SPDX-License-Identifier: GPL-2.0
/*
 * Persisting a SET_IP_INFO configuration for the next boot, in the format
 * of whichever network manager the guest runs (auto-detected, or the
 * configuration's network-backend):
 *
 *   networkmanager  /etc/NetworkManager/system-connections/hvic-IF.nmconnection (0600)
 *   networkd        /etc/systemd/network/10-hvic-IF.network
 *   ifupdown        /etc/network/interfaces.d/hvic-IF
 *
 * Each file is written beside its final name, synced and renamed over it.
 * $HVIC_KVPD_ROOT prefixes every path (tests, image builders).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvpd.h"
#include "log.h"

static const char *root(void)
{
	const char *r = getenv("HVIC_KVPD_ROOT");

	return r ? r : "";
}

static bool exists(const char *path)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", root(), path);
	return !stat(p, &st);
}

static const char *detect(const struct kvpd_config *cfg)
{
	if (cfg->backend[0] && strcmp(cfg->backend, "auto"))
		return cfg->backend;
	if (exists("/run/NetworkManager") || exists("/etc/NetworkManager/NetworkManager.conf"))
		return "networkmanager";
	if (exists("/run/systemd/netif") && exists("/etc/systemd/network"))
		return "networkd";
	if (exists("/etc/network/interfaces"))
		return "ifupdown";
	return "none";
}

/* Write text to dir/name atomically with mode. */
static int write_file(const char *dir, const char *name, const char *text,
		      mode_t mode)
{
	char path[512], tmp[520];
	size_t len = strlen(text);
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s%s/%s", root(), dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) || write(fd, text, len) != (ssize_t)len || fsync(fd))
		ret = errno ? -errno : -EIO;
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	else
		log_info("wrote %s", path);
	return ret;
}

struct text {
	char buf[8192];
	size_t used;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->used >= sizeof(t->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, sizeof(t->buf) - t->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->used += n;
}

static bool has_family(const struct kvpd_addr *a, unsigned int n, int family)
{
	while (n--)
		if (a[n].family == family)
			return true;
	return false;
}

static void uuid_for(const char *path, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen(path, "re");

	out[0] = 0;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "uuid=", 5)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%.*s", (int)len - 1, line + 5);
		}
	if (f)
		fclose(f);
	if (out[0])
		return;
	f = fopen("/proc/sys/kernel/random/uuid", "re");
	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		snprintf(out, len, "%.*s", (int)len - 1, line);
	}
	if (f)
		fclose(f);
}

static int nm_keyfile(const char *ifname, const char *mac, const struct kvpd_ipconf *c)
{
	static struct text t;
	char name[64], path[512], uuid[64];
	int fam, k;
	unsigned int i;

	snprintf(name, sizeof(name), "hvic-%s.nmconnection", ifname);
	snprintf(path, sizeof(path), "%s/etc/NetworkManager/system-connections/%s",
		 root(), name);
	uuid_for(path, uuid, sizeof(uuid));
	memset(&t, 0, sizeof(t));
	add(&t, "# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n");
	add(&t, "[connection]\nid=hvic-%s\nuuid=%s\ntype=ethernet\n"
		"interface-name=%s\nautoconnect=true\n\n", ifname, uuid, ifname);
	if (mac[0])
		add(&t, "[ethernet]\nmac-address=%s\n\n", mac);
	for (fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0) {
		bool dhcp = fam == AF_INET && c->dhcp;
		bool any = has_family(c->addrs, c->n_addrs, fam);

		add(&t, "[%s]\n", fam == AF_INET ? "ipv4" : "ipv6");
		add(&t, "method=%s\n", dhcp ? "auto" : any ? "manual" :
			fam == AF_INET ? "disabled" : "auto");
		for (i = 0, k = 1; !dhcp && i < c->n_addrs; i++)
			if (c->addrs[i].family == fam)
				add(&t, "address%d=%s/%u\n", k++, c->addrs[i].addr,
				    c->addrs[i].prefix);
		for (i = 0; !dhcp && i < c->n_gw; i++)
			if (c->gw[i].family == fam) {
				add(&t, "gateway=%s\n", c->gw[i].addr);
				break;
			}
		if (has_family(c->dns, c->n_dns, fam)) {
			add(&t, "dns=");
			for (i = 0; i < c->n_dns; i++)
				if (c->dns[i].family == fam)
					add(&t, "%s;", c->dns[i].addr);
			add(&t, "\n");
		}
		add(&t, "\n");
	}
	return write_file("/etc/NetworkManager/system-connections", name, t.buf, 0600);
}

static int networkd(const char *ifname, const char *mac, const struct kvpd_ipconf *c)
{
	static struct text t;
	char name[64];
	unsigned int i;

	snprintf(name, sizeof(name), "10-hvic-%s.network", ifname);
	memset(&t, 0, sizeof(t));
	add(&t, "# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n");
	add(&t, "[Match]\n");
	if (mac[0])
		add(&t, "MACAddress=%s\n", mac);
	else
		add(&t, "Name=%s\n", ifname);
	add(&t, "\n[Network]\nDHCP=%s\n", c->dhcp ? "ipv4" : "no");
	for (i = 0; i < c->n_addrs; i++)
		if (!c->dhcp || c->addrs[i].family == AF_INET6)
			add(&t, "Address=%s/%u\n", c->addrs[i].addr, c->addrs[i].prefix);
	for (i = 0; i < c->n_gw; i++)
		if (!c->dhcp || c->gw[i].family == AF_INET6)
			add(&t, "Gateway=%s\n", c->gw[i].addr);
	for (i = 0; i < c->n_dns; i++)
		add(&t, "DNS=%s\n", c->dns[i].addr);
	return write_file("/etc/systemd/network", name, t.buf, 0644);
}

static int ifupdown(const char *ifname, const struct kvpd_ipconf *c)
{
	static struct text t;
	char name[64];
	unsigned int i;
	int fam;

	snprintf(name, sizeof(name), "hvic-%s", ifname);
	memset(&t, 0, sizeof(t));
	add(&t, "# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n");
	add(&t, "auto %s\n", ifname);
	for (fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0) {
		bool dhcp = fam == AF_INET && c->dhcp;
		bool dns_done = false;

		if (!dhcp && !has_family(c->addrs, c->n_addrs, fam))
			continue;
		add(&t, "iface %s %s %s\n", ifname, fam == AF_INET ? "inet" : "inet6",
		    dhcp ? "dhcp" : "static");
		for (i = 0; !dhcp && i < c->n_addrs; i++)
			if (c->addrs[i].family == fam)
				add(&t, "\taddress %s/%u\n", c->addrs[i].addr, c->addrs[i].prefix);
		for (i = 0; !dhcp && i < c->n_gw; i++)
			if (c->gw[i].family == fam) {
				add(&t, "\tgateway %s\n", c->gw[i].addr);
				break;
			}
		for (i = 0; fam == AF_INET && i < c->n_dns; i++) {
			add(&t, "%s%s", dns_done ? " " : "\tdns-nameservers ", c->dns[i].addr);
			dns_done = true;
		}
		if (dns_done)
			add(&t, "\n");
	}
	return write_file("/etc/network/interfaces.d", name, t.buf, 0644);
}

int kvpd_backend_persist(const struct kvpd_config *cfg, const char *ifname,
			 const char *mac, const struct kvpd_ipconf *c)
{
	const char *b = detect(cfg);

	if (!strcmp(b, "networkmanager"))
		return nm_keyfile(ifname, mac, c);
	if (!strcmp(b, "networkd"))
		return networkd(ifname, mac, c);
	if (!strcmp(b, "ifupdown"))
		return ifupdown(ifname, c);
	log_warn("no network backend found: %s's configuration will not survive a reboot",
		 ifname);
	return -EOPNOTSUPP;
}
