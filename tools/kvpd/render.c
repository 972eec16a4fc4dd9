// SPDX-License-Identifier: GPL-2.0
/*
 * The file each network backend reads a SET_IP_INFO configuration from at
 * boot, rendered into a buffer (backend.c writes it):
 *
 *   networkmanager  /etc/NetworkManager/system-connections/hvic-IF.nmconnection
 *                   [connection] bound to the interface name (and MAC in
 *                   [ethernet]); [ipv4] and [ipv6] with method manual, auto
 *                   (IPv4 DHCP; IPv6 without an address) or disabled (IPv4
 *                   without an address), addressN=, gateway=, dns=
 *   networkd        /etc/systemd/network/10-hvic-IF.network
 *                   [Match] Name= and MACAddress=, [Network] DHCP=,
 *                   Address=, Gateway=, DNS=
 *   ifupdown        /etc/network/interfaces.d/hvic-IF
 *                   "auto IF", then "iface IF inet dhcp" or one
 *                   "iface IF inet|inet6 static" stanza per address, the
 *                   first with the gateway of its family and dns-nameservers
 *
 * One default gateway per family, the first given: the one that is applied
 * (ipinfo.c).  The interface name names the file and is written into it, so
 * it is checked like everything else before anything is rendered.  Pure
 * (no system calls): unit-tested.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "kvpd.h"

#define HEADER	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"

struct text {
	char *buf;
	size_t len;
	size_t used;
	bool full;		/* something didn't fit: the text is unusable */
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->len - t->used)
		t->full = true;
	else
		t->used += n;
}


/*
 * A kernel interface name that is also a safe file-name part and a safe
 * word in all three formats: letters, digits and "-_.@+", not "." or "..".
 */
static bool name_ok(const char *s)
{
	size_t n = strnlen(s, IF_NAMESIZE);

	if (!n || n >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.@+", *s))
			return false;
	return true;
}

/* "" or six hex pairs separated by ':'. */
static bool mac_ok(const char *s)
{
	size_t i, n = strnlen(s, 18);

	if (!n)
		return true;
	if (n != 17)
		return false;
	for (i = 0; i < n; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* 8-4-4-4-12 hex digits. */
static bool uuid_ok(const char *s)
{
	size_t i;

	if (!s || strnlen(s, 37) != 36)
		return false;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

const char *kvpd_backend_name(enum kvpd_backend b)
{
	switch (b) {
	case KVPD_BACKEND_NM:
		return "networkmanager";
	case KVPD_BACKEND_NETWORKD:
		return "networkd";
	case KVPD_BACKEND_IFUPDOWN:
		return "ifupdown";
	default:
		return "none";
	}
}

int kvpd_backend_file(enum kvpd_backend b, const char *ifname, char *path,
		      size_t len)
{
	int n;

	if (!name_ok(ifname))
		return -EINVAL;
	switch (b) {
	case KVPD_BACKEND_NM:
		n = snprintf(path, len,
			     "/etc/NetworkManager/system-connections/hvic-%s.nmconnection",
			     ifname);
		break;
	case KVPD_BACKEND_NETWORKD:
		n = snprintf(path, len, "/etc/systemd/network/10-hvic-%s.network", ifname);
		break;
	case KVPD_BACKEND_IFUPDOWN:
		n = snprintf(path, len, "/etc/network/interfaces.d/hvic-%s", ifname);
		break;
	default:
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool has_family(const struct kvpd_addr *a, unsigned int n, int family)
{
	while (n--)
		if (a[n].family == family)
			return true;
	return false;
}

static void nm_family(struct text *t, const struct kvpd_ipconf *c, int fam)
{
	bool dhcp = fam == AF_INET && c->dhcp;
	bool any = !dhcp && has_family(c->addrs, c->n_addrs, fam);
	const struct kvpd_addr *gw = kvpd_ipconf_gateway(c, fam);
	unsigned int i, k = 1;

	add(t, "[%s]\n", fam == AF_INET ? "ipv4" : "ipv6");
	add(t, "method=%s\n", any ? "manual" : dhcp || fam == AF_INET6 ? "auto" : "disabled");
	for (i = 0; any && i < c->n_addrs; i++)
		if (c->addrs[i].family == fam)
			add(t, "address%u=%s/%u\n", k++, c->addrs[i].addr, c->addrs[i].prefix);
	if (gw)
		add(t, "gateway=%s\n", gw->addr);
	/* NetworkManager refuses DNS servers on a disabled family */
	if ((any || dhcp || fam == AF_INET6) && has_family(c->dns, c->n_dns, fam)) {
		add(t, "dns=");
		for (i = 0; i < c->n_dns; i++)
			if (c->dns[i].family == fam)
				add(t, "%s;", c->dns[i].addr);
		add(t, "\n");
	}
	add(t, "\n");
}

static void nm_keyfile(struct text *t, const struct kvpd_nic *nic,
		       const struct kvpd_ipconf *c)
{
	add(t, "[connection]\nid=hvic-%s\nuuid=%s\ntype=ethernet\n"
	    "interface-name=%s\nautoconnect=true\n\n", nic->name, nic->uuid, nic->name);
	if (nic->mac[0])
		add(t, "[ethernet]\nmac-address=%s\n\n", nic->mac);
	nm_family(t, c, AF_INET);
	nm_family(t, c, AF_INET6);
}

static void networkd(struct text *t, const struct kvpd_nic *nic,
		     const struct kvpd_ipconf *c)
{
	const struct kvpd_addr *gw4 = kvpd_ipconf_gateway(c, AF_INET);
	const struct kvpd_addr *gw6 = kvpd_ipconf_gateway(c, AF_INET6);
	unsigned int i;

	/* both: an SR-IOV VF enslaved to the NIC has its MAC too */
	add(t, "[Match]\nName=%s\n", nic->name);
	if (nic->mac[0])
		add(t, "MACAddress=%s\n", nic->mac);
	add(t, "\n[Network]\nDHCP=%s\n", c->dhcp ? "ipv4" : "no");
	for (i = 0; i < c->n_addrs; i++)
		if (!c->dhcp || c->addrs[i].family == AF_INET6)
			add(t, "Address=%s/%u\n", c->addrs[i].addr, c->addrs[i].prefix);
	if (gw4)
		add(t, "Gateway=%s\n", gw4->addr);
	if (gw6)
		add(t, "Gateway=%s\n", gw6->addr);
	for (i = 0; i < c->n_dns; i++)
		add(t, "DNS=%s\n", c->dns[i].addr);
}

static void ifupdown_dns(struct text *t, const struct kvpd_ipconf *c)
{
	unsigned int i;

	if (!c->n_dns)
		return;
	add(t, "\tdns-nameservers");
	for (i = 0; i < c->n_dns; i++)
		add(t, " %s", c->dns[i].addr);
	add(t, "\n");
}

static void ifupdown(struct text *t, const struct kvpd_nic *nic,
		     const struct kvpd_ipconf *c)
{
	bool first = true;
	unsigned int i;
	int fam;

	add(t, "auto %s\n", nic->name);
	if (c->dhcp) {
		add(t, "iface %s inet dhcp\n", nic->name);
		ifupdown_dns(t, c);
		first = false;
	}
	for (fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0) {
		const struct kvpd_addr *gw = kvpd_ipconf_gateway(c, fam);

		for (i = 0; i < c->n_addrs; i++) {
			if (c->addrs[i].family != fam || (fam == AF_INET && c->dhcp))
				continue;
			add(t, "iface %s %s static\n\taddress %s/%u\n", nic->name,
			    fam == AF_INET ? "inet" : "inet6", c->addrs[i].addr,
			    c->addrs[i].prefix);
			if (gw)
				add(t, "\tgateway %s\n", gw->addr);
			if (first)
				ifupdown_dns(t, c);
			gw = NULL;
			first = false;
		}
	}
}

int kvpd_backend_render(enum kvpd_backend b, const struct kvpd_nic *nic,
			const struct kvpd_ipconf *c, char *buf, size_t len,
			char *why, size_t why_len)
{
	struct text t = { .buf = buf, .len = len };

	if (b != KVPD_BACKEND_NM && b != KVPD_BACKEND_NETWORKD &&
	    b != KVPD_BACKEND_IFUPDOWN)
		return kvpd_refuse(why, why_len, "no backend to render for");
	if (!nic->name || !name_ok(nic->name))
		return kvpd_refuse(why, why_len, "interface name \"%.*s\" refused", IF_NAMESIZE,
			    nic->name ? nic->name : "");
	if (!nic->mac || !mac_ok(nic->mac))
		return kvpd_refuse(why, why_len, "MAC address \"%.20s\" refused",
			    nic->mac ? nic->mac : "");
	if (b == KVPD_BACKEND_NM && !uuid_ok(nic->uuid))
		return kvpd_refuse(why, why_len, "connection uuid \"%.40s\" refused",
			    nic->uuid ? nic->uuid : "");
	if (kvpd_ipconf_check(c, why, why_len))
		return -EINVAL;
	if (!len)
		return -ENOSPC;
	add(&t, HEADER);
	if (b == KVPD_BACKEND_NM)
		nm_keyfile(&t, nic, c);
	else if (b == KVPD_BACKEND_NETWORKD)
		networkd(&t, nic, c);
	else
		ifupdown(&t, nic, c);
	if (t.full) {
		buf[0] = 0;
		return -ENOSPC;
	}
	return 0;
}
