// SPDX-License-Identifier: GPL-2.0
/*
 * hvic-kvpd's SET_IP_INFO from the host's message to the file the next boot
 * reads (tools/kvpd: ipconf.c, render.c, backend.c): the exact file each
 * backend gets for a static and a DHCP configuration, the refusals (bad
 * addresses, prefixes, counts, gateways, interface names, MACs), the files
 * written under a scratch root with their modes, and the auto-detection of
 * the backend from what a scratch root holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvpd.h"
#include "log.h"
#include "tap.h"

#define UUID	"0b7f3c9e-1d2a-4e5f-8a6b-7c8d9e0f1a2b"
#define MAC	"00:15:5d:0a:0b:0c"

static const struct kvpd_nic eth0 = { .name = "eth0", .mac = MAC, .uuid = UUID };
static char out[8192], why[128];

/* A host message's field: UTF-8 in the __u16 array, NUL-padded. */
static void put(void *field, size_t units, const char *s)
{
	memset(field, 0, units * 2);
	memcpy(field, s, strlen(s));
}

static struct hvic_kvp_ip_value *msg(const char *addr, const char *sub,
				     const char *gw, const char *dns, bool dhcp)
{
	static struct hvic_kvp_ip_value ip;

	memset(&ip, 0, sizeof(ip));
	put((void *)ip.adapter_id, HVIC_KVP_ADAPTER_ID_UNITS,
	    "{f8615163-df3e-46c5-913f-f2d2f965ed0e}");
	put((void *)ip.ip_addr, HVIC_KVP_IP_ADDR_UNITS, addr);
	put((void *)ip.sub_net, HVIC_KVP_IP_ADDR_UNITS, sub);
	put((void *)ip.gate_way, HVIC_KVP_GATEWAY_UNITS, gw);
	put((void *)ip.dns_addr, HVIC_KVP_IP_ADDR_UNITS, dns);
	ip.dhcp_enabled = dhcp;
	return &ip;
}

static int parse(const char *addr, const char *sub, const char *gw,
		 const char *dns, bool dhcp, struct kvpd_ipconf *c)
{
	why[0] = 0;
	return kvpd_ipconf_parse(msg(addr, sub, gw, dns, dhcp), c, why, sizeof(why));
}

/* The representative static configuration: two IPv4, one IPv6 address. */
static struct kvpd_ipconf stat_cfg, dhcp_cfg;

static const char nm_static[] =
	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
	"[connection]\nid=hvic-eth0\nuuid=" UUID "\ntype=ethernet\n"
	"interface-name=eth0\nautoconnect=true\n\n"
	"[ethernet]\nmac-address=" MAC "\n\n"
	"[ipv4]\nmethod=manual\naddress1=192.0.2.10/24\naddress2=198.51.100.5/25\n"
	"gateway=192.0.2.1\ndns=192.0.2.53;192.0.2.54;\n\n"
	"[ipv6]\nmethod=manual\naddress1=2001:db8::10/64\ngateway=fe80::1\n"
	"dns=2001:db8::53;\n\n";

static const char networkd_static[] =
	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
	"[Match]\nName=eth0\nMACAddress=" MAC "\n\n"
	"[Network]\nDHCP=no\n"
	"Address=192.0.2.10/24\nAddress=2001:db8::10/64\nAddress=198.51.100.5/25\n"
	"Gateway=192.0.2.1\nGateway=fe80::1\n"
	"DNS=192.0.2.53\nDNS=2001:db8::53\nDNS=192.0.2.54\n";

static const char ifupdown_static[] =
	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
	"auto eth0\n"
	"iface eth0 inet static\n\taddress 192.0.2.10/24\n\tgateway 192.0.2.1\n"
	"\tdns-nameservers 192.0.2.53 2001:db8::53 192.0.2.54\n"
	"iface eth0 inet static\n\taddress 198.51.100.5/25\n"
	"iface eth0 inet6 static\n\taddress 2001:db8::10/64\n\tgateway fe80::1\n";

/* DHCP for IPv4 (its static address and gateway unused), IPv6 static. */
static const char nm_dhcp[] =
	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
	"[connection]\nid=hvic-eth0\nuuid=" UUID "\ntype=ethernet\n"
	"interface-name=eth0\nautoconnect=true\n\n"
	"[ethernet]\nmac-address=" MAC "\n\n"
	"[ipv4]\nmethod=auto\ndns=192.0.2.53;\n\n"
	"[ipv6]\nmethod=manual\naddress1=2001:db8::10/64\ngateway=2001:db8::1\n\n";

static const char networkd_dhcp[] =
	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
	"[Match]\nName=eth0\nMACAddress=" MAC "\n\n"
	"[Network]\nDHCP=ipv4\nAddress=2001:db8::10/64\nGateway=2001:db8::1\n"
	"DNS=192.0.2.53\n";

static const char ifupdown_dhcp[] =
	"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
	"auto eth0\niface eth0 inet dhcp\n\tdns-nameservers 192.0.2.53\n"
	"iface eth0 inet6 static\n\taddress 2001:db8::10/64\n\tgateway 2001:db8::1\n";

static void render_is(enum kvpd_backend b, const struct kvpd_ipconf *c,
		      const char *want, const char *name)
{
	int ret = kvpd_backend_render(b, &eth0, c, out, sizeof(out), why, sizeof(why));

	if (!tap_ok(ret == 0, "%s: rendered", name))
		tap_diag("%d: %s", ret, why);
	tap_streq(out, want, name);
}

static void test_render(void)
{
	static struct kvpd_ipconf c;

	/* as Hyper-V sends them: masks for IPv4, prefix lengths for IPv6 */
	tap_eq(parse("192.0.2.10;2001:db8:0:0::10;198.51.100.5", "255.255.255.0;64;/25",
		     "192.0.2.1;fe80::1;192.0.2.99", "192.0.2.53;2001:db8::53;192.0.2.54",
		     false, &stat_cfg), 0, "static configuration parsed");
	tap_eq(stat_cfg.n_addrs, 3, "three addresses");
	tap_streq(stat_cfg.addrs[1].addr, "2001:db8::10", "canonical IPv6 text");
	tap_eq(stat_cfg.addrs[0].prefix, 24, "mask 255.255.255.0 is /24");
	tap_eq(stat_cfg.addrs[2].prefix, 25, "\"/25\" is /25");
	render_is(KVPD_BACKEND_NM, &stat_cfg, nm_static, "NetworkManager keyfile, static");
	render_is(KVPD_BACKEND_NETWORKD, &stat_cfg, networkd_static, "networkd .network, static");
	render_is(KVPD_BACKEND_IFUPDOWN, &stat_cfg, ifupdown_static, "ifupdown stanzas, static");

	tap_eq(parse("192.0.2.10;2001:db8::10", "255.255.255.0;64", "192.0.2.1;2001:db8::1",
		     "192.0.2.53", true, &dhcp_cfg), 0, "DHCP configuration parsed");
	render_is(KVPD_BACKEND_NM, &dhcp_cfg, nm_dhcp, "NetworkManager keyfile, DHCP");
	render_is(KVPD_BACKEND_NETWORKD, &dhcp_cfg, networkd_dhcp, "networkd .network, DHCP");
	render_is(KVPD_BACKEND_IFUPDOWN, &dhcp_cfg, ifupdown_dhcp, "ifupdown stanzas, DHCP");

	/* DHCP alone: no address, nothing but the method */
	tap_eq(parse("", "", "", "", true, &c), 0, "DHCP without addresses parsed");
	kvpd_backend_render(KVPD_BACKEND_NETWORKD, &eth0, &c, out, sizeof(out), why, sizeof(why));
	tap_ok(strstr(out, "DHCP=ipv4\n") && !strstr(out, "\nAddress="), "networkd: DHCP only");
	kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why));
	tap_ok(strstr(out, "[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n\n") != NULL,
	       "NetworkManager: DHCP only, IPv6 auto");

	/* IPv6 only: IPv4 disabled, and its DNS servers still written (ifupdown) */
	tap_eq(parse("2001:db8::10", "64", "2001:db8::1", "2001:db8::53;192.0.2.53", false, &c),
	       0, "IPv6-only configuration parsed");
	kvpd_backend_render(KVPD_BACKEND_IFUPDOWN, &eth0, &c, out, sizeof(out), why, sizeof(why));
	tap_streq(out, "# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"
		  "auto eth0\niface eth0 inet6 static\n\taddress 2001:db8::10/64\n"
		  "\tgateway 2001:db8::1\n\tdns-nameservers 2001:db8::53 192.0.2.53\n",
		  "ifupdown: IPv6 only keeps the DNS servers");
	kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why));
	tap_ok(strstr(out, "[ipv4]\nmethod=disabled\n\n") != NULL,
	       "NetworkManager: IPv4 disabled, without its DNS servers");

	/* no MAC known: the name alone */
	{
		struct kvpd_nic nomac = { .name = "eth1", .mac = "", .uuid = UUID };

		kvpd_backend_render(KVPD_BACKEND_NETWORKD, &nomac, &stat_cfg, out,
				    sizeof(out), why, sizeof(why));
		tap_ok(strstr(out, "[Match]\nName=eth1\n\n") != NULL,
		       "networkd: no MAC, Name= only");
		kvpd_backend_render(KVPD_BACKEND_NM, &nomac, &stat_cfg, out,
				    sizeof(out), why, sizeof(why));
		tap_ok(!strstr(out, "[ethernet]"), "NetworkManager: no MAC, no [ethernet]");
	}
}

struct bad_msg {
	const char *addr, *sub, *gw, *dns;
	bool dhcp;
	const char *what;
};

static void test_parse_refusals(void)
{
	static const struct bad_msg bad[] = {
		{ "192.0.2.300", "24", "", "", 0, "an IPv4 octet over 255" },
		{ "2001:db8::g", "64", "", "", 0, "an IPv6 address with a 'g'" },
		{ "192.0.2.10", "33", "", "", 0, "IPv4 prefix 33" },
		{ "192.0.2.10", "0", "", "", 0, "IPv4 prefix 0" },
		{ "192.0.2.10", "255.0.255.0", "", "", 0, "a mask with a hole" },
		{ "192.0.2.10", "-1", "", "", 0, "a negative prefix" },
		{ "192.0.2.10", "24x", "", "", 0, "a prefix with trailing junk" },
		{ "192.0.2.10", "99999999999999999999999", "", "", 0, "an overflowing prefix" },
		{ "2001:db8::10", "129", "", "", 0, "IPv6 prefix 129" },
		{ "2001:db8::10", "255.255.255.0", "", "", 0, "an IPv4 mask for IPv6" },
		{ "192.0.2.10;192.0.2.11", "24", "", "", 0, "fewer subnets than addresses" },
		{ "192.0.2.10", "24;24", "", "", 0, "more subnets than addresses" },
		{ "", "", "", "", 0, "neither DHCP nor an address" },
		{ "0.0.0.0", "24", "", "", 0, "the unspecified address" },
		{ "127.0.0.2", "8", "", "", 0, "a loopback address" },
		{ "::1", "128", "", "", 0, "the IPv6 loopback address" },
		{ "224.0.0.5", "24", "", "", 0, "a multicast address" },
		{ "ff02::1", "64", "", "", 0, "an IPv6 multicast address" },
		{ "255.255.255.255", "32", "", "", 0, "the broadcast address" },
		{ "192.0.2.0", "24", "", "", 0, "the subnet's network address" },
		{ "192.0.2.255", "24", "", "", 0, "the subnet's broadcast address" },
		{ "192.0.2.10", "24", "198.51.100.1", "", 0, "a gateway off the subnet" },
		{ "192.0.2.10", "24", "2001:db8::1", "", 0, "an IPv6 gateway without IPv6" },
		{ "192.0.2.10", "24", "fe80::1", "", 0, "link-local gateway without IPv6" },
		{ "192.0.2.10", "24", "192.0.2.1:80", "", 0, "a gateway with a port" },
		{ "192.0.2.10", "24", "", "dns.example", 0, "a DNS server by name" },
		{ "192.0.2.10", "24", "", "0.0.0.0", 0, "the unspecified DNS server" },
		{ "192.0.2.10", "24", "", "224.0.0.251", 0, "a multicast DNS server" },
		{ "192.0.2.10/24", "24", "", "", 0, "an address with its prefix" },
		{ "1111111111111111111111111111111111111111111111111", "24", "", "", 0,
		  "an entry longer than any address" },
	};
	struct kvpd_ipconf c;
	char many[1024] = "", subs[512] = "";
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(bad[i].addr, bad[i].sub, bad[i].gw, bad[i].dns, bad[i].dhcp, &c);

		if (!tap_ok(ret == -EINVAL && why[0], "refused: %s", bad[i].what))
			tap_diag("got %d", ret);
	}
	/* counts: KVPD_MAX_ADDRS addresses pass, one more doesn't */
	for (i = 0; i < KVPD_MAX_ADDRS; i++) {
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "192.0.2.%u;", i + 1);
		strcat(subs, "24;");
	}
	tap_eq(parse(many, subs, "", "", false, &c), 0, "16 addresses accepted");
	strcat(many, "192.0.2.100");
	strcat(subs, "24");
	tap_eq(parse(many, subs, "", "", false, &c), -EINVAL, "17 addresses refused");
	tap_eq(parse("192.0.2.10", "24", "192.0.2.1;192.0.2.2;192.0.2.3;192.0.2.4;"
		     "192.0.2.5;192.0.2.6;192.0.2.7;192.0.2.8;192.0.2.9", "", false, &c),
	       -EINVAL, "9 gateways refused");
	tap_eq(parse("192.0.2.10", "24", "", "192.0.2.1;192.0.2.2;192.0.2.3;192.0.2.4;"
		     "192.0.2.5;192.0.2.6;192.0.2.7;192.0.2.8;192.0.2.9", false, &c),
	       -EINVAL, "9 DNS servers refused");
	/* the message's own fields */
	tap_eq(kvpd_ipconf_parse(msg("192.0.2.10", "24", "", "", false), &c, why, sizeof(why)),
	       0, "control: the message parses");
	{
		struct hvic_kvp_ip_value *ip = msg("192.0.2.10", "24", "", "", false);

		ip->dhcp_enabled = 2;
		tap_eq(kvpd_ipconf_parse(ip, &c, why, sizeof(why)), -EINVAL,
		       "dhcp_enabled 2 refused");
		ip = msg("192.0.2.10", "24", "", "", false);
		memset((void *)ip->adapter_id, 0, sizeof(ip->adapter_id));
		tap_eq(kvpd_ipconf_parse(ip, &c, why, sizeof(why)), -EINVAL,
		       "empty adapter id refused");
		ip = msg("192.0.2.10", "24", "", "", false);
		memset((void *)ip->dns_addr, '1', sizeof(ip->dns_addr));
		tap_eq(kvpd_ipconf_parse(ip, &c, why, sizeof(why)), -EINVAL,
		       "a field without its NUL refused");
	}
	/* accepted edges */
	tap_eq(parse("192.0.2.10", "32", "", "", false, &c), 0, "a /32 accepted");
	tap_eq(parse("192.0.2.0", "31", "192.0.2.1", "", false, &c), 0,
	       "a /31's lower address accepted, its peer as gateway");
	tap_eq(parse("2001:db8::10", "64", "fe80::1", "", false, &c), 0,
	       "an IPv6 link-local gateway accepted");
	tap_eq(parse("", "", "203.0.113.1", "", true, &c), 0,
	       "an IPv4 gateway with DHCP is not used, not refused");
}

/* s for a TAP line: control characters as "\\n" or "\\xNN". */
static const char *shown(const char *s)
{
	static char buf[128];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 5; s++)
		n += snprintf(buf + n, sizeof(buf) - n, *s == '\n' ? "\\n" :
			      (unsigned char)*s < ' ' ? "\\x%02x" : "%c", *s);
	buf[n] = 0;
	return buf;
}

/* Configurations no host message can produce, given to the renderer. */
static void test_render_refusals(void)
{
	static const char *const names[] = {
		"", "eth/0", "..", ".", "../etc", "eth0\n", "eth 0", "eth0#", "a=b",
		"eth0[1]", "0123456789abcdef",
	};
	static const char *const macs[] = {
		"00:15:5d:0a:0b", "00:15:5d:0a:0b:0c:0d", "00-15-5d-0a-0b-0c",
		"zz:15:5d:0a:0b:0c", "00:15:5d:0a:0b:0\n",
	};
	struct kvpd_nic nic = eth0;
	struct kvpd_ipconf c;
	char small[64];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		nic.name = names[i];
		tap_ok(kvpd_backend_render(KVPD_BACKEND_NETWORKD, &nic, &stat_cfg, out,
					   sizeof(out), why, sizeof(why)) == -EINVAL &&
		       kvpd_backend_file(KVPD_BACKEND_IFUPDOWN, names[i], small,
					 sizeof(small)) == -EINVAL,
		       "interface name \"%s\" refused, no file name for it", shown(names[i]));
	}
	nic.name = "eth0.100";
	tap_eq(kvpd_backend_render(KVPD_BACKEND_IFUPDOWN, &nic, &stat_cfg, out, sizeof(out),
				   why, sizeof(why)), 0, "a VLAN's name accepted");
	nic.name = "eth0";
	for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		nic.mac = macs[i];
		tap_ok(kvpd_backend_render(KVPD_BACKEND_NM, &nic, &stat_cfg, out, sizeof(out),
					   why, sizeof(why)) == -EINVAL,
		       "MAC \"%s\" refused", shown(macs[i]));
	}
	nic.mac = MAC;
	nic.uuid = "not-a-uuid";
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &nic, &stat_cfg, out, sizeof(out), why,
				   sizeof(why)), -EINVAL, "NetworkManager: bad uuid refused");
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NETWORKD, &nic, &stat_cfg, out, sizeof(out), why,
				   sizeof(why)), 0, "networkd: the uuid is not used");
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NONE, &eth0, &stat_cfg, out, sizeof(out), why,
				   sizeof(why)), -EINVAL, "no backend: nothing rendered");

	c = stat_cfg;
	c.addrs[0].prefix = 33;
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why)),
	       -EINVAL, "a prefix out of range refused by the renderer");
	c = stat_cfg;
	snprintf(c.addrs[0].addr, sizeof(c.addrs[0].addr), "2001:db8::1");
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why)),
	       -EINVAL, "an address of the wrong family refused");
	c = stat_cfg;
	memset(c.dns[0].addr, '1', sizeof(c.dns[0].addr));
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why)),
	       -EINVAL, "an unterminated address refused");
	c = stat_cfg;
	c.n_addrs = KVPD_MAX_ADDRS + 1;
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why)),
	       -EINVAL, "too many addresses refused");
	c = stat_cfg;
	c.gw[0].family = 7;
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &c, out, sizeof(out), why, sizeof(why)),
	       -EINVAL, "an unknown family refused");
	tap_eq(kvpd_backend_render(KVPD_BACKEND_NM, &eth0, &stat_cfg, small, sizeof(small), why,
				   sizeof(why)), -ENOSPC, "a buffer too small: -ENOSPC");
	tap_streq(small, "", "and nothing half-rendered");
}

static char root[64];

static void rm_rf(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd))
		tap_diag("%s failed", cmd);
}

static void touch(const char *rel)
{
	char path[256], cmd[512];
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd))
		tap_diag("%s failed", cmd);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
}

static int slurp(const char *rel, char *buf, size_t len, mode_t *mode)
{
	char path[256];
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fstat(fd, &st);
	*mode = st.st_mode & 07777;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return 0;
}

static int count_entries(const char *rel)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s%s' | wc -l", root, rel);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static void test_detect(void)
{
	struct kvpd_config cfg = { .backend = "auto" };

	snprintf(cfg.root, sizeof(cfg.root), "%s", root);
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NONE, "empty root: no backend");
	tap_eq(kvpd_backend_persist(&cfg, "eth0", MAC, &stat_cfg), -EOPNOTSUPP,
	       "persisting without a backend: -EOPNOTSUPP");
	touch("/etc/NetworkManager/NetworkManager.conf");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NM, "NetworkManager installed");
	touch("/etc/network/interfaces");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_IFUPDOWN,
	       "ifupdown installed beats NetworkManager installed");
	touch("/run/systemd/netif/links/2");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_IFUPDOWN,
	       "/run/systemd/netif (systemd's tmpfiles) is not networkd");
	touch("/etc/systemd/system/multi-user.target.wants/.keep");
	snprintf(out, sizeof(out), "%s/etc/systemd/system/multi-user.target.wants/%s", root,
		 "systemd-networkd.service");
	if (symlink("/lib/systemd/system/systemd-networkd.service", out))
		tap_diag("symlink: %s", strerror(errno));
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NETWORKD,
	       "networkd enabled (a dangling unit link) beats ifupdown");
	touch("/run/systemd/netif/state");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NETWORKD, "networkd running");
	touch("/run/NetworkManager/NetworkManager.pid");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NM, "NetworkManager running beats all");

	snprintf(cfg.backend, sizeof(cfg.backend), "ifupdown");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_IFUPDOWN, "network-backend = ifupdown wins");
	snprintf(cfg.backend, sizeof(cfg.backend), "networkd");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NETWORKD, "network-backend = networkd wins");
	snprintf(cfg.backend, sizeof(cfg.backend), "none");
	tap_eq(kvpd_backend_detect(&cfg), KVPD_BACKEND_NONE, "network-backend = none");
	rm_rf(root);
	mkdir(root, 0700);
}

static void persist_is(const char *backend, const char *file, mode_t want_mode,
		       const char *dir, mode_t want_dir_mode)
{
	struct kvpd_config cfg = { 0 };
	char text[8192], want[8192], before[64], dpath[256];
	struct kvpd_nic nic = eth0;
	struct stat st;
	mode_t mode = 0;
	char *u;

	snprintf(cfg.root, sizeof(cfg.root), "%s", root);
	snprintf(cfg.backend, sizeof(cfg.backend), "%s", backend);
	tap_eq(kvpd_backend_persist(&cfg, "eth0", MAC, &stat_cfg), 0, "persisted");
	tap_eq(slurp(file, text, sizeof(text), &mode), 0, "the file is there");
	tap_eq(mode, want_mode, "its mode");
	snprintf(dpath, sizeof(dpath), "%s%s", root, dir);
	tap_ok(!stat(dpath, &st) && (st.st_mode & 07777) == want_dir_mode,
	       "its directory, created with mode %o", want_dir_mode);
	tap_eq(count_entries(dir), 1, "no temporary file left beside it");
	/* the same text as rendered, with the uuid the daemon chose */
	u = strstr(text, "uuid=");
	snprintf(before, sizeof(before), "%.36s", u ? u + 5 : "");
	nic.uuid = before;
	kvpd_backend_render(kvpd_backend_detect(&cfg), &nic, &stat_cfg, want, sizeof(want),
			    why, sizeof(why));
	tap_streq(text, want, "its text is the rendered one");
	/* again: replaced, and a keyfile keeps its uuid */
	tap_eq(kvpd_backend_persist(&cfg, "eth0", MAC, &dhcp_cfg), 0, "persisted again");
	slurp(file, text, sizeof(text), &mode);
	tap_ok(strstr(text, "2001:db8::1") && !strstr(text, "192.0.2.10"), "replaced");
	if (u)
		tap_ok(strstr(text, before) != NULL, "the connection keeps its uuid %s", before);
	tap_eq(count_entries(dir), 1, "still one file");
}

static void test_persist(void)
{
	struct kvpd_config cfg = { .backend = "ifupdown" };

	persist_is("networkmanager",
		   "/etc/NetworkManager/system-connections/hvic-eth0.nmconnection", 0600,
		   "/etc/NetworkManager/system-connections", 0700);
	persist_is("networkd", "/etc/systemd/network/10-hvic-eth0.network", 0644,
		   "/etc/systemd/network", 0755);
	persist_is("ifupdown", "/etc/network/interfaces.d/hvic-eth0", 0644,
		   "/etc/network/interfaces.d", 0755);

	snprintf(cfg.root, sizeof(cfg.root), "%s", root);
	tap_eq(kvpd_backend_persist(&cfg, "../../x", MAC, &stat_cfg), -EINVAL,
	       "an interface name with \"..\" and '/' refused");
	tap_eq(kvpd_backend_persist(&cfg, "eth1", "bad", &stat_cfg), -EINVAL, "a bad MAC refused");
	tap_eq(count_entries("/etc/network/interfaces.d"), 1, "and nothing written");
}

int main(void)
{
	hvic_log_stderr(false);
	snprintf(root, sizeof(root), "/tmp/hvic-backend-XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	test_render();
	test_parse_refusals();
	test_render_refusals();
	test_detect();
	test_persist();
	rm_rf(root);
	return tap_done();
}
