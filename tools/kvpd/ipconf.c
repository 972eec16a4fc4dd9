// SPDX-License-Identifier: GPL-2.0
/*
 * SET_IP_INFO from the host: ';'-separated lists of addresses, subnets
 * (dotted IPv4 masks or prefix lengths), gateways and DNS servers, each in
 * a fixed field of the message.  Everything is checked here, before any of
 * it is used: the field's NUL, each token's length and syntax, the counts,
 * one subnet per address, then what the addresses are: no unspecified,
 * loopback, multicast or reserved address anywhere, no IPv4 network or
 * broadcast address as a NIC's, and every gateway used on one of the
 * configuration's subnets (or IPv6 link-local), so that what is persisted
 * can be applied.  Pure (no system calls): fuzzed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvpd.h"

/* Say why in why (len bytes); -EINVAL. */
int kvpd_refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Copy a field (UTF-8 in a __u16 array) out, requiring its NUL. */
static int field(const void *f, size_t units, char *out, size_t len)
{
	size_t n = units * 2;

	if (len < n || !memchr(f, 0, n))
		return -1;
	memcpy(out, f, n);
	return 0;
}

/*
 * Next token of a list: separators ';', ',' and blanks.  Returns its
 * length (0 at the end), -1 if longer than max.
 */
static int next_token(const char **s, char *tok, size_t max)
{
	const char *p = *s, *start;
	size_t n;

	while (*p == ';' || *p == ',' || *p == ' ' || *p == '\t')
		p++;
	start = p;
	while (*p && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
		p++;
	n = p - start;
	*s = p;
	if (n >= max)
		return -1;
	memcpy(tok, start, n);
	tok[n] = 0;
	return (int)n;
}

static int parse_addr(const char *tok, struct kvpd_addr *a)
{
	unsigned char bin[16];

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, tok, bin) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, tok, bin) == 1)
		a->family = AF_INET6;
	else
		return -1;
	/* canonical text form */
	inet_ntop(a->family, bin, a->addr, sizeof(a->addr));
	return 0;
}

/* "255.255.255.0" (contiguous), "24", "/64" -> prefix length for family */
static int parse_prefix(const char *tok, int family, unsigned int *prefix)
{
	unsigned int max = family == AF_INET ? 32 : 128;
	struct in_addr m;
	char *end;
	unsigned long v;

	if (*tok == '/')
		tok++;
	if (family == AF_INET && strchr(tok, '.')) {
		uint32_t x;

		if (inet_pton(AF_INET, tok, &m) != 1)
			return -1;
		x = ntohl(m.s_addr);
		if (x & (~x >> 1))	/* ones, then only zeros */
			return -1;
		*prefix = __builtin_popcount(x);
		return 0;
	}
	if (*tok < '0' || *tok > '9')
		return -1;
	v = strtoul(tok, &end, 10);
	if (*end || v > max)
		return -1;
	*prefix = v;
	return 0;
}

static int parse_list(const char *what, const char *s, struct kvpd_addr *out,
		      unsigned int max, unsigned int *count, char *why, size_t len)
{
	char tok[64];
	int n;

	*count = 0;
	while ((n = next_token(&s, tok, KVPD_ADDR_LEN)) != 0) {
		if (n < 0)
			return kvpd_refuse(why, len, "%s: an entry is too long", what);
		if (*count >= max)
			return kvpd_refuse(why, len, "%s: more than %u entries", what, max);
		if (parse_addr(tok, &out[*count]))
			return kvpd_refuse(why, len, "%s: \"%s\" is not an IP address", what, tok);
		(*count)++;
	}
	return 0;
}

int kvpd_ipconf_parse(const struct hvic_kvp_ip_value *ip, struct kvpd_ipconf *c,
		      char *why, size_t len)
{
	static char buf[HVIC_KVP_IP_ADDR_UNITS * 2];
	char tok[64];
	const char *s;
	unsigned int n_sub = 0;
	int n;

	memset(c, 0, sizeof(*c));
	if (field((const void *)ip->adapter_id, HVIC_KVP_ADAPTER_ID_UNITS, c->adapter_id,
		  sizeof(c->adapter_id)) || !c->adapter_id[0])
		return kvpd_refuse(why, len, "adapter id missing or not terminated");
	for (s = c->adapter_id; *s; s++)
		if (*s <= ' ' || *s > '~')
			return kvpd_refuse(why, len, "adapter id has a bad character");
	if (ip->dhcp_enabled > 1)
		return kvpd_refuse(why, len, "dhcp_enabled is %u", ip->dhcp_enabled);
	c->dhcp = ip->dhcp_enabled;

	if (field((const void *)ip->ip_addr, HVIC_KVP_IP_ADDR_UNITS, buf, sizeof(buf)))
		return kvpd_refuse(why, len, "ip_addr not terminated");
	if (parse_list("ip_addr", buf, c->addrs, KVPD_MAX_ADDRS, &c->n_addrs, why, len))
		return -EINVAL;

	if (field((const void *)ip->sub_net, HVIC_KVP_IP_ADDR_UNITS, buf, sizeof(buf)))
		return kvpd_refuse(why, len, "sub_net not terminated");
	s = buf;
	while ((n = next_token(&s, tok, sizeof(tok))) != 0) {
		if (n < 0)
			return kvpd_refuse(why, len, "sub_net: an entry is too long");
		if (n_sub >= c->n_addrs)
			return kvpd_refuse(why, len, "more subnets than addresses");
		if (parse_prefix(tok, c->addrs[n_sub].family, &c->addrs[n_sub].prefix))
			return kvpd_refuse(why, len, "sub_net: \"%s\" is not a %s subnet", tok,
				    c->addrs[n_sub].family == AF_INET ? "IPv4" : "IPv6");
		n_sub++;
	}
	if (n_sub != c->n_addrs)
		return kvpd_refuse(why, len, "%u addresses but %u subnets", c->n_addrs, n_sub);

	if (field((const void *)ip->gate_way, HVIC_KVP_GATEWAY_UNITS, buf, sizeof(buf)))
		return kvpd_refuse(why, len, "gate_way not terminated");
	if (parse_list("gate_way", buf, c->gw, KVPD_MAX_GW, &c->n_gw, why, len))
		return -EINVAL;
	if (field((const void *)ip->dns_addr, HVIC_KVP_IP_ADDR_UNITS, buf, sizeof(buf)))
		return kvpd_refuse(why, len, "dns_addr not terminated");
	if (parse_list("dns_addr", buf, c->dns, KVPD_MAX_DNS, &c->n_dns, why, len))
		return -EINVAL;

	return kvpd_ipconf_check(c, why, len);
}

/* a's binary form, its text checked against its family; 0 or -1. */
static int to_bin(const struct kvpd_addr *a, unsigned char bin[16])
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    !memchr(a->addr, 0, sizeof(a->addr)) ||
	    inet_pton(a->family, a->addr, bin) != 1)
		return -1;
	return 0;
}

/* Why no interface, gateway or DNS server can have this address, or NULL. */
static const char *unusable(int family, const unsigned char *b)
{
	static const unsigned char zero[16];

	if (family == AF_INET) {
		if (b[0] == 0)
			return "unspecified";
		if (b[0] == 127)
			return "loopback";
		if (b[0] >= 224)
			return b[0] < 240 ? "multicast" : "reserved or broadcast";
		return NULL;
	}
	if (!memcmp(b, zero, 16))
		return "unspecified";
	if (!memcmp(b, zero, 15) && b[15] == 1)
		return "loopback";
	if (b[0] == 0xff)
		return "multicast";
	return NULL;
}

/* Whether a and net agree in their first prefix bits. */
static bool same_subnet(const unsigned char *a, const unsigned char *net,
			unsigned int prefix)
{
	unsigned int i;

	for (i = 0; prefix; i++) {
		unsigned int bits = prefix < 8 ? prefix : 8;

		if ((a[i] ^ net[i]) & (0xff00 >> bits))
			return false;
		prefix -= bits;
	}
	return true;
}

static int check_addr(const struct kvpd_addr *a, const char *what, char *why,
		      size_t len, unsigned char bin[16])
{
	const char *kind;

	if (to_bin(a, bin))
		return kvpd_refuse(why, len, "%s: \"%.*s\" is not an address of its family",
			    what, KVPD_ADDR_LEN, a->addr);
	kind = unusable(a->family, bin);
	if (kind)
		return kvpd_refuse(why, len, "%s: %s is a %s address", what, a->addr, kind);
	return 0;
}

/* An interface address: its prefix, and not its IPv4 subnet's ends. */
static int check_nic_addr(const struct kvpd_addr *a, char *why, size_t len)
{
	unsigned int max = a->family == AF_INET ? 32 : 128;
	unsigned char bin[16];
	uint32_t host;

	if (check_addr(a, "ip_addr", why, len, bin))
		return -EINVAL;
	if (a->prefix == 0 || a->prefix > max)
		return kvpd_refuse(why, len, "%s: prefix /%u is not 1 to %u", a->addr, a->prefix, max);
	if (a->family == AF_INET && a->prefix < 31) {
		host = ((uint32_t)bin[0] << 24 | bin[1] << 16 | bin[2] << 8 | bin[3]) &
		       (0xffffffffu >> a->prefix);
		if (!host || host == 0xffffffffu >> a->prefix)
			return kvpd_refuse(why, len, "%s is the network or broadcast address of /%u",
				    a->addr, a->prefix);
	}
	return 0;
}

/*
 * A gateway can be used: there is an address of its family, on whose
 * subnet it is (or it is IPv6 link-local).
 */
static bool on_link(const struct kvpd_ipconf *c, const struct kvpd_addr *gw,
		    const unsigned char *b)
{
	bool link_local = gw->family == AF_INET6 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
	unsigned char net[16];
	unsigned int i;

	for (i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].family == gw->family && !to_bin(&c->addrs[i], net) &&
		    (link_local || same_subnet(b, net, c->addrs[i].prefix)))
			return true;
	return false;
}

int kvpd_ipconf_check(const struct kvpd_ipconf *c, char *why, size_t len)
{
	unsigned char bin[16];
	unsigned int i;

	if (c->n_addrs > KVPD_MAX_ADDRS || c->n_gw > KVPD_MAX_GW || c->n_dns > KVPD_MAX_DNS)
		return kvpd_refuse(why, len, "too many addresses, gateways or DNS servers");
	if (!c->dhcp && !c->n_addrs)
		return kvpd_refuse(why, len, "neither DHCP nor a static address");
	for (i = 0; i < c->n_addrs; i++)
		if (check_nic_addr(&c->addrs[i], why, len))
			return -EINVAL;
	for (i = 0; i < c->n_gw; i++) {
		if (check_addr(&c->gw[i], "gate_way", why, len, bin))
			return -EINVAL;
		if ((c->gw[i].family == AF_INET6 || !c->dhcp) && !on_link(c, &c->gw[i], bin))
			return kvpd_refuse(why, len, "gateway %s is on none of the addresses' subnets",
				    c->gw[i].addr);
	}
	for (i = 0; i < c->n_dns; i++)
		if (check_addr(&c->dns[i], "dns_addr", why, len, bin))
			return -EINVAL;
	return 0;
}

const struct kvpd_addr *kvpd_ipconf_gateway(const struct kvpd_ipconf *c, int family)
{
	unsigned int i;

	if (family == AF_INET && c->dhcp)
		return NULL;
	for (i = 0; i < c->n_gw; i++)
		if (c->gw[i].family == family)
			return &c->gw[i];
	return NULL;
}
