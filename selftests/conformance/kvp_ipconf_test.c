// SPDX-License-Identifier: GPL-2.0
/*
 * SET_IP_INFO end to end.  The host configures a NIC and the target's KVP
 * daemon must
 *   (a) apply it: the static addresses replace the interface's, the first
 *       gateway of each family is its default route (read back over
 *       rtnetlink);
 *   (b) persist it, byte for byte, in the file of the network backend it
 *       detects: NetworkManager, systemd-networkd or ifupdown, one variant
 *       each;
 *   (c) report it in a following GET_IP_INFO.
 * DHCP is persisted as DHCP and leaves the interface's IPv4 alone; a
 * configuration that couldn't be applied is refused with nothing changed.
 *
 * The NIC is a dummy interface.  The host names the adapter by its VMBus
 * device id, which the daemons read from /sys/class/net/IF/device/device_id
 * and only a netvsc NIC has: the dummy gets one from a tmpfs mounted over
 * its sysfs directory that holds the two files the daemons read, address
 * and device/device_id.
 *
 * hvic-kvpd persists below $HVIC_KVPD_ROOT (guest-suite sets it for the
 * daemons; a daemon without it is restarted with it), where each variant
 * plants what the auto-detection looks for.  Debian's hv_kvp_daemon has no
 * backends: what it does is asserted, then the test is skipped.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

#define NIC		"hvic1"
#define NIC_MAC		"00:15:5d:0a:0b:0d"
#define NIC_GUID	"{5ee2a0c7-3f0a-4d7c-9b1e-6a4f2d8c0b11}"
#define NIC_SYSFS	"/sys/class/net/" NIC
#define STOCK_IFCFG	"/var/lib/hyperv/ifcfg-" NIC
#define HEADER		"# Written by hvic-kvpd for the Hyper-V host (SET_IP_INFO).\n"

/* What the host sends: static, and DHCP with an IPv6 address. */
#define ST_ADDR		"203.0.113.10;203.0.113.11;2001:db8:5::10"
#define ST_SUB		"255.255.255.0;255.255.255.0;64"
#define ST_GW		"203.0.113.1;2001:db8:5::1"
#define ST_DNS		"203.0.113.53;2001:db8:5::53"
#define DH_ADDR		"203.0.113.10;2001:db8:5::20"
#define DH_SUB		"255.255.255.0;64"
#define DH_GW		"203.0.113.1;2001:db8:5::1"
#define DH_DNS		"203.0.113.53"

/* The files, written here by hand (not by the daemon's renderer). */
#define NM_HEAD \
	HEADER "[connection]\nid=hvic-" NIC "\nuuid=UUID\ntype=ethernet\n" \
	"interface-name=" NIC "\nautoconnect=true\n\n[ethernet]\nmac-address=" NIC_MAC "\n\n"
#define NM_STATIC NM_HEAD \
	"[ipv4]\nmethod=manual\naddress1=203.0.113.10/24\naddress2=203.0.113.11/24\n" \
	"gateway=203.0.113.1\ndns=203.0.113.53;\n\n" \
	"[ipv6]\nmethod=manual\naddress1=2001:db8:5::10/64\ngateway=2001:db8:5::1\n" \
	"dns=2001:db8:5::53;\n\n"
#define NM_DHCP NM_HEAD \
	"[ipv4]\nmethod=auto\ndns=203.0.113.53;\n\n" \
	"[ipv6]\nmethod=manual\naddress1=2001:db8:5::20/64\ngateway=2001:db8:5::1\n\n"
#define ND_HEAD HEADER "[Match]\nName=" NIC "\nMACAddress=" NIC_MAC "\n\n[Network]\n"
#define ND_STATIC ND_HEAD \
	"DHCP=no\nAddress=203.0.113.10/24\nAddress=203.0.113.11/24\n" \
	"Address=2001:db8:5::10/64\nGateway=203.0.113.1\nGateway=2001:db8:5::1\n" \
	"DNS=203.0.113.53\nDNS=2001:db8:5::53\n"
#define ND_DHCP ND_HEAD \
	"DHCP=ipv4\nAddress=2001:db8:5::20/64\nGateway=2001:db8:5::1\nDNS=203.0.113.53\n"
#define IU_STATIC HEADER "auto " NIC "\n" \
	"iface " NIC " inet static\n\taddress 203.0.113.10/24\n\tgateway 203.0.113.1\n" \
	"\tdns-nameservers 203.0.113.53 2001:db8:5::53\n" \
	"iface " NIC " inet static\n\taddress 203.0.113.11/24\n" \
	"iface " NIC " inet6 static\n\taddress 2001:db8:5::10/64\n\tgateway 2001:db8:5::1\n"
#define IU_DHCP HEADER "auto " NIC "\n" \
	"iface " NIC " inet dhcp\n\tdns-nameservers 203.0.113.53\n" \
	"iface " NIC " inet6 static\n\taddress 2001:db8:5::20/64\n\tgateway 2001:db8:5::1\n"

static const char *const backend_files[] = {
	"/etc/NetworkManager/system-connections/hvic-" NIC ".nmconnection",
	"/etc/systemd/network/10-hvic-" NIC ".network",
	"/etc/network/interfaces.d/hvic-" NIC,
};

FIXTURE(ipconf) {
	struct hvhost *h;
	uint32_t id;
	int ifindex;
	const char *root;
};

FIXTURE_VARIANT(ipconf) {
	const char *marker;		/* planted below the root for detection */
	unsigned int file;		/* index in backend_files */
	mode_t mode;
	const char *static_text;
	const char *dhcp_text;
};

FIXTURE_VARIANT_ADD(ipconf, networkmanager) {
	.marker = "/run/NetworkManager/NetworkManager.pid",
	.file = 0, .mode = 0600, .static_text = NM_STATIC, .dhcp_text = NM_DHCP,
};

FIXTURE_VARIANT_ADD(ipconf, networkd) {
	.marker = "/run/systemd/netif/state",
	.file = 1, .mode = 0644, .static_text = ND_STATIC, .dhcp_text = ND_DHCP,
};

FIXTURE_VARIANT_ADD(ipconf, ifupdown) {
	.marker = "/etc/network/interfaces",
	.file = 2, .mode = 0644, .static_text = IU_STATIC, .dhcp_text = IU_DHCP,
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static bool put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok;
}

/* A file's text (NUL-terminated) and mode; 0 or -errno. */
static int get_file(const char *path, char *buf, size_t len, mode_t *mode)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (mode)
		*mode = fstat(fd, &st) ? 0 : st.st_mode & 07777;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Empty the root of what a test planted or the daemon wrote. */
static void clean_root(const char *root)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/etc", root);
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	snprintf(path, sizeof(path), "%s/run", root);
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* root + rel, an empty file, with the directories it needs. */
static bool plant(const char *root, const char *rel)
{
	char path[300], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(path, 0755);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void nic_down(void)
{
	umount2(NIC_SYSFS, MNT_DETACH);
	sh("ip link del " NIC " 2>/dev/null");
}

/*
 * The dummy NIC, up, with the addresses a configuration replaces, and its
 * sysfs view: mount() follows the /sys/class/net symlink to the device's
 * directory.  Its ifindex, or 0.
 */
static int nic_up(void)
{
	nic_down();
	if (access("/sys/module/dummy", F_OK))
		sh("modprobe -q dummy");
	/* one ip(8) for all: processes are slow on an emulated guest */
	if (sh("printf '%%s\\n' 'link add " NIC " address " NIC_MAC " type dummy' "
	       "'link set " NIC " up' 'addr add 203.0.113.99/24 dev " NIC "' "
	       "'addr add 2001:db8:5::99/64 dev " NIC " nodad' | ip -batch -"))
		return 0;
	if (mount("hvic-sysfs", NIC_SYSFS, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") ||
	    !put_file(NIC_SYSFS "/address", NIC_MAC "\n") ||
	    mkdir(NIC_SYSFS "/device", 0755) ||
	    !put_file(NIC_SYSFS "/device/device_id", NIC_GUID "\n"))
		return 0;
	return if_nametoindex(NIC);
}

static bool daemon_has_root(pid_t pid, const char *root)
{
	static char env[65536];
	char path[64], want[300];
	size_t off;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	snprintf(want, sizeof(want), "HVIC_KVPD_ROOT=%s", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, env, sizeof(env) - 1);
	close(fd);
	for (off = 0; n > 0 && off < (size_t)n; off += strlen(env + off) + 1)
		if (!strcmp(env + off, want))
			return true;
	return false;
}

/* hvic-kvpd running with $HVIC_KVPD_ROOT (ours), serving requests. */
static bool daemon_with_root(FIXTURE_DATA(ipconf) *self)
{
	struct hvhost_kvp_record rec;
	pid_t pid = rig_find_process("hvic-kvpd");
	uint32_t status = 0;
	int i;

	if (pid && daemon_has_root(pid, self->root))
		return true;
	if (pid)
		kill(pid, SIGTERM);
	for (i = 0; i < 100 && rig_find_process("hvic-kvpd"); i++)
		usleep(50000);
	if (rig_kvp_daemon_start())
		return false;
	hvhost_set_timeout(self->h, 1000);
	for (i = 0; i < 30 && status != HV_S_CONT; i++)
		if (hvhost_kvp_get(self->h, self->id, 0, "hvic-ipconf-probe", &rec, &status))
			usleep(200000);
	hvhost_set_timeout(self->h, 30000);
	return status == HV_S_CONT;
}

FIXTURE_SETUP(ipconf)
{
	if (!rig_has_service("kvp"))
		RIG_SETUP_SKIP("target %s has no kvp service", rig_target());
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_KVP,
					 HVHOST_DEFAULT_GENERATION, &self->id));
	/* the stock daemon forks its scripts: allow it time on a slow guest */
	hvhost_set_timeout(self->h, 30000);
	if (rig_daemon_is("hvic-kvpd")) {
		self->root = getenv("HVIC_KVPD_ROOT");
		if (!self->root || self->root[0] != '/')
			RIG_SETUP_SKIP("HVIC_KVPD_ROOT is not set (guest-suite sets it)");
		ASSERT_TRUE(daemon_with_root(self));
		/* only what this variant's backend is detected by */
		clean_root(self->root);
		ASSERT_TRUE(plant(self->root, variant->marker));
	}
	unlink(STOCK_IFCFG);
	self->ifindex = nic_up();
	ASSERT_LT(0, self->ifindex) TH_LOG("cannot set up the dummy NIC %s", NIC);
}

FIXTURE_TEARDOWN(ipconf)
{
	nic_down();
	unlink(STOCK_IFCFG);
	if (self->root)
		clean_root(self->root);
	if (self->h)
		hvhost_close(self->h);
}

static uint32_t set_ip(FIXTURE_DATA(ipconf) *self, bool dhcp, const char *addr,
		       const char *sub, const char *gw, const char *dns)
{
	static struct hvhost_kvp_ip ip;
	uint32_t status = ~0u;

	memset(&ip, 0, sizeof(ip));
	snprintf(ip.adapter_id, sizeof(ip.adapter_id), "%s", NIC_GUID);
	snprintf(ip.ip_addr, sizeof(ip.ip_addr), "%s", addr);
	snprintf(ip.sub_net, sizeof(ip.sub_net), "%s", sub);
	snprintf(ip.gate_way, sizeof(ip.gate_way), "%s", gw);
	snprintf(ip.dns_addr, sizeof(ip.dns_addr), "%s", dns);
	ip.addr_family = HVHOST_ADDR_FAMILY_IPV4 | HVHOST_ADDR_FAMILY_IPV6;
	ip.dhcp_enabled = dhcp;
	if (hvhost_kvp_set_ip_info(self->h, self->id, &ip, &status))
		return ~0u;
	return status;
}

/*
 * The interface's global addresses ("addr/prefix", sorted, ' '-separated)
 * and default gateways, over rtnetlink.
 */
static void applied(int ifindex, char *addrs, size_t alen, char *gws, size_t glen)
{
	struct rig_ipaddr a[32];
	int n, i, j;

	addrs[0] = gws[0] = 0;
	n = rig_if_addrs(ifindex, a, 32);
	for (i = 0; i < n; i++)		/* sort: the kernel's order is its own */
		for (j = i + 1; j < n; j++)
			if (strcmp(a[j].addr, a[i].addr) < 0) {
				struct rig_ipaddr t = a[i];

				a[i] = a[j];
				a[j] = t;
			}
	for (i = 0; i < n; i++)
		if (a[i].scope == RT_SCOPE_UNIVERSE)
			snprintf(addrs + strlen(addrs), alen - strlen(addrs), "%s%s/%u",
				 addrs[0] ? " " : "", a[i].addr, a[i].prefix);
	n = rig_if_default_gateways(ifindex, a, 32);
	for (i = 0; i < n; i++)
		snprintf(gws + strlen(gws), glen - strlen(gws), "%s%s", gws[0] ? " " : "",
			 a[i].addr);
}

/*
 * GET_IP_INFO's lists as "addr subnet" pairs, ';'-separated in its order,
 * without the IPv6 link-local address every interface has.
 */
static void reported(const struct hvhost_kvp_ip *ip, char *out, size_t len)
{
	char addrs[sizeof(ip->ip_addr)], subs[sizeof(ip->sub_net)];
	char *a, *s, *sa = NULL, *ss = NULL;

	memcpy(addrs, ip->ip_addr, sizeof(addrs));
	memcpy(subs, ip->sub_net, sizeof(subs));
	out[0] = 0;
	for (a = strtok_r(addrs, ";", &sa), s = strtok_r(subs, ";", &ss); a;
	     a = strtok_r(NULL, ";", &sa), s = strtok_r(NULL, ";", &ss))
		if (strncmp(a, "fe80:", 5))
			snprintf(out + strlen(out), len - strlen(out), "%s%s %s",
				 out[0] ? ";" : "", a, s ? s : "(none)");
}

/* The backend's file with its uuid line made "uuid=UUID" if well-formed. */
static void mask_uuid(char *text)
{
	char *u = strstr(text, "\nuuid=");
	size_t i;

	if (!u)
		return;
	u += 6;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? u[i] != '-' :
		    !isxdigit((unsigned char)u[i]))
			return;
	if (u[36] != '\n')
		return;
	memcpy(u, "UUID", 4);
	memmove(u + 4, u + 36, strlen(u + 36) + 1);
}

static void persisted(struct __test_metadata *_metadata, FIXTURE_DATA(ipconf) *self,
		      const FIXTURE_VARIANT(ipconf) *variant, const char *want)
{
	char path[512], text[4096];
	mode_t mode = 0;
	unsigned int i;

	snprintf(path, sizeof(path), "%s%s", self->root, backend_files[variant->file]);
	ASSERT_EQ(0, get_file(path, text, sizeof(text), &mode)) TH_LOG("%s not written", path);
	EXPECT_EQ(variant->mode, mode);
	mask_uuid(text);
	EXPECT_STREQ(want, text);
	/* and no other backend's */
	for (i = 0; i < sizeof(backend_files) / sizeof(backend_files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", self->root, backend_files[i]);
		EXPECT_EQ(i == variant->file, !access(path, F_OK)) TH_LOG("%s", path);
	}
}

/* (c) GET_IP_INFO for the NIC reports what was set. */
static void check_reported(struct __test_metadata *_metadata,
			   FIXTURE_DATA(ipconf) *self, const char *want_addrs,
			   const char *want_gws)
{
	static struct hvhost_kvp_ip ip;
	uint32_t status = ~0u;
	char got[1024];

	memset(&ip, 0, sizeof(ip));
	ASSERT_EQ(0, hvhost_kvp_get_ip_info(self->h, self->id, NIC_MAC,
					    HVHOST_ADDR_FAMILY_IPV4 | HVHOST_ADDR_FAMILY_IPV6,
					    &ip, &status));
	ASSERT_EQ(HV_S_OK, status);
	reported(&ip, got, sizeof(got));
	EXPECT_STREQ(want_addrs, got);
	EXPECT_STREQ(want_gws, ip.gate_way);
	EXPECT_EQ(HVHOST_ADDR_FAMILY_IPV4 | HVHOST_ADDR_FAMILY_IPV6, ip.addr_family);
	/* static, or no DHCP client ran here: no lease either way */
	EXPECT_EQ(0, ip.dhcp_enabled);
	/* DNS servers are persisted, not applied: GET reports the resolver's */
	TH_LOG("GET_IP_INFO after SET: dns \"%s\"", ip.dns_addr);
}

/*
 * Debian's hv_kvp_daemon finds the adapter the same way, writes its
 * configuration to /var/lib/hyperv/ifcfg-IF in Red Hat's format and runs
 * hv_set_ifconfig on it, which Debian doesn't ship: HV_E_FAIL, nothing
 * applied.
 */
static void stock(struct __test_metadata *_metadata, FIXTURE_DATA(ipconf) *self,
		  uint32_t status, bool dhcp)
{
	char text[4096], addrs[512], gws[256], *p;

	ASSERT_EQ(0, get_file(STOCK_IFCFG, text, sizeof(text), NULL))
		TH_LOG("%s answered 0x%08x without writing %s", rig_kvp_daemon(), status,
		       STOCK_IFCFG);
	EXPECT_NE(NULL, strstr(text, "HWADDR=00:15:5D:0A:0B:0D\nDEVICE=" NIC "\n"));
	EXPECT_NE(NULL, strstr(text, dhcp ? "BOOTPROTO=dhcp\n" : "BOOTPROTO=none\n"));
	EXPECT_NE(NULL, strstr(text, "IPADDR0=203.0.113.10\n"));
	EXPECT_NE(NULL, strstr(text, "GATEWAY=203.0.113.1\n"));
	for (p = text; (p = strchr(p, '\n')); )
		*p = ' ';
	TH_LOG("%s wrote %s: %s", rig_kvp_daemon(), STOCK_IFCFG, text);
	EXPECT_EQ(HV_E_FAIL, status);
	applied(self->ifindex, addrs, sizeof(addrs), gws, sizeof(gws));
	EXPECT_STREQ("2001:db8:5::99/64 203.0.113.99/24", addrs);
	EXPECT_STREQ("", gws);
}

TEST_F(ipconf, static_applied_persisted_reported)
{
	char addrs[512], gws[256], got[1024];
	uint32_t status;

	if (rig_daemon_is("hvic-kvpd")) {
		/*
		 * First one that can't be applied (a gateway on none of the
		 * subnets): refused before anything is written or changed.
		 */
		EXPECT_EQ(HV_INVALIDARG, set_ip(self, false, "203.0.113.10", "255.255.255.0",
						"198.51.100.1", ""));
		applied(self->ifindex, addrs, sizeof(addrs), gws, sizeof(gws));
		EXPECT_STREQ("2001:db8:5::99/64 203.0.113.99/24", addrs);
		EXPECT_STREQ("", gws);
		snprintf(got, sizeof(got), "%s%s", self->root, backend_files[variant->file]);
		EXPECT_NE(0, access(got, F_OK));
	}
	status = set_ip(self, false, ST_ADDR, ST_SUB, ST_GW, ST_DNS);
	if (!rig_daemon_is("hvic-kvpd")) {
		stock(_metadata, self, status, false);
		if (!_metadata->passed)
			return;
		SKIP(return, "expected difference: %s writes %s and runs hv_set_ifconfig, which Debian doesn't ship (HV_E_FAIL, nothing applied; no NetworkManager/networkd/ifupdown backends)",
		     rig_kvp_daemon(), STOCK_IFCFG);
	}
	ASSERT_EQ(HV_S_OK, status);

	/* (a) applied: the old static addresses replaced, one default route each */
	applied(self->ifindex, addrs, sizeof(addrs), gws, sizeof(gws));
	EXPECT_STREQ("2001:db8:5::10/64 203.0.113.10/24 203.0.113.11/24", addrs);
	EXPECT_STREQ("203.0.113.1 2001:db8:5::1", gws);

	/* (b) persisted for the detected backend */
	persisted(_metadata, self, variant, variant->static_text);

	check_reported(_metadata, self,
		       "203.0.113.10 255.255.255.0;203.0.113.11 255.255.255.0;2001:db8:5::10 /64",
		       "203.0.113.1;2001:db8:5::1");
}

TEST_F(ipconf, dhcp_persisted_ipv4_left_alone)
{
	char addrs[512], gws[256];
	uint32_t status;

	status = set_ip(self, true, DH_ADDR, DH_SUB, DH_GW, DH_DNS);
	if (!rig_daemon_is("hvic-kvpd")) {
		stock(_metadata, self, status, true);
		if (!_metadata->passed)
			return;
		SKIP(return, "expected difference: %s writes %s (BOOTPROTO=dhcp) and runs hv_set_ifconfig, which Debian doesn't ship",
		     rig_kvp_daemon(), STOCK_IFCFG);
	}
	ASSERT_EQ(HV_S_OK, status);

	/* (a) IPv4 is DHCP's to configure: untouched; IPv6 applied */
	applied(self->ifindex, addrs, sizeof(addrs), gws, sizeof(gws));
	EXPECT_STREQ("2001:db8:5::20/64 203.0.113.99/24", addrs);
	EXPECT_STREQ("2001:db8:5::1", gws);

	/* (b) persisted as DHCP */
	persisted(_metadata, self, variant, variant->dhcp_text);

	check_reported(_metadata, self, "203.0.113.99 255.255.255.0;2001:db8:5::20 /64",
		       "2001:db8:5::1");
}

TEST_HARNESS_MAIN
