// SPDX-License-Identifier: GPL-2.0
/*
 * SET_IP_INFO from the host: ';'-separated lists of addresses, subnets
 * (dotted IPv4 masks or prefix lengths), gateways and DNS servers, each in
 * a fixed field of the message.  Everything is checked here, before any of
 * it is used: the field's NUL, each token's length and syntax, the counts,
 * one subnet per address.  Pure (no system calls): fuzzed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvpd.h"

static int fail(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
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
			return fail(why, len, "%s: an entry is too long", what);
		if (*count >= max)
			return fail(why, len, "%s: more than %u entries", what, max);
		if (parse_addr(tok, &out[*count]))
			return fail(why, len, "%s: \"%s\" is not an IP address", what, tok);
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
	unsigned int i, n_sub = 0;
	int n;

	memset(c, 0, sizeof(*c));
	if (field((const void *)ip->adapter_id, HVIC_KVP_ADAPTER_ID_UNITS, c->adapter_id,
		  sizeof(c->adapter_id)) || !c->adapter_id[0])
		return fail(why, len, "adapter id missing or not terminated");
	for (s = c->adapter_id; *s; s++)
		if (*s <= ' ' || *s > '~')
			return fail(why, len, "adapter id has a bad character");
	if (ip->dhcp_enabled > 1)
		return fail(why, len, "dhcp_enabled is %u", ip->dhcp_enabled);
	c->dhcp = ip->dhcp_enabled;

	if (field((const void *)ip->ip_addr, HVIC_KVP_IP_ADDR_UNITS, buf, sizeof(buf)))
		return fail(why, len, "ip_addr not terminated");
	if (parse_list("ip_addr", buf, c->addrs, KVPD_MAX_ADDRS, &c->n_addrs, why, len))
		return -EINVAL;

	if (field((const void *)ip->sub_net, HVIC_KVP_IP_ADDR_UNITS, buf, sizeof(buf)))
		return fail(why, len, "sub_net not terminated");
	s = buf;
	while ((n = next_token(&s, tok, sizeof(tok))) != 0) {
		if (n < 0)
			return fail(why, len, "sub_net: an entry is too long");
		if (n_sub >= c->n_addrs)
			return fail(why, len, "more subnets than addresses");
		if (parse_prefix(tok, c->addrs[n_sub].family, &c->addrs[n_sub].prefix))
			return fail(why, len, "sub_net: \"%s\" is not a %s subnet", tok,
				    c->addrs[n_sub].family == AF_INET ? "IPv4" : "IPv6");
		n_sub++;
	}
	if (n_sub != c->n_addrs)
		return fail(why, len, "%u addresses but %u subnets", c->n_addrs, n_sub);

	if (field((const void *)ip->gate_way, HVIC_KVP_GATEWAY_UNITS, buf, sizeof(buf)))
		return fail(why, len, "gate_way not terminated");
	if (parse_list("gate_way", buf, c->gw, KVPD_MAX_GW, &c->n_gw, why, len))
		return -EINVAL;
	if (field((const void *)ip->dns_addr, HVIC_KVP_IP_ADDR_UNITS, buf, sizeof(buf)))
		return fail(why, len, "dns_addr not terminated");
	if (parse_list("dns_addr", buf, c->dns, KVPD_MAX_DNS, &c->n_dns, why, len))
		return -EINVAL;

	if (!c->dhcp && !c->n_addrs)
		return fail(why, len, "neither DHCP nor a static address");
	for (i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].prefix == 0)
			return fail(why, len, "%s has a zero-length prefix", c->addrs[i].addr);
	return 0;
}
