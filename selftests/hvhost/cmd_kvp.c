// SPDX-License-Identifier: GPL-2.0
/* hvhost kvp: key-value pair exchange and IP injection. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost kvp get <key>            [--pool P]\n"
"       hvhost kvp set <key> <value>    [--pool P] [--type sz|u32|u64|N]\n"
"       hvhost kvp delete <key>         [--pool P]\n"
"       hvhost kvp list                 [--pool P] [--max N]\n"
"       hvhost kvp enum <index>         [--pool P]\n"
"       hvhost kvp ip get <MAC>         [--family ipv4|ipv6|both]\n"
"       hvhost kvp ip set <adapter-id>  [--dhcp] [--ip L] [--subnet L]\n"
"                                       [--gateway L] [--dns L] [--family F]\n"
"\n"
"Pools: external (0, default), guest (1), auto (2), auto_external (3),\n"
"auto_internal (4), or any number 0..255.  list enumerates until the guest\n"
"answers HV_S_CONT (which exits 0).  ip get's MAC is matched upper-case\n"
"(00:15:5D:...); ip set's adapter-id is the NIC's VMBus instance GUID;\n"
"lists are ';'-separated as in the daemon's wire strings.\n";

struct kvp_args {
	uint8_t pool;
	uint32_t type;
	unsigned int max;
	struct hvhost_kvp_ip ip;
	bool family_set;
};

static void print_record(const struct hvhost_kvp_record *rec)
{
	printf("%s = %s", rec->key, rec->value);
	if (rec->value_type != HVHOST_REG_SZ)
		printf("  (type %u)", rec->value_type);
	printf("\n");
}

static int print_enum(const struct hvhost_kvp_record *rec, uint32_t index,
		      void *ctx)
{
	(void)ctx;
	printf("[%u] ", index);
	print_record(rec);
	return 0;
}

static int kvp_list(struct cli *c, uint32_t id, struct kvp_args *a)
{
	unsigned int n;
	uint32_t status;
	int ret;

	ret = hvhost_kvp_enumerate_all(c->h, id, a->pool, print_enum, NULL,
				       a->max, &n, &status);
	if (ret)
		return cli_fail(c, "enumerate", ret);
	printf("%u record(s) in pool %u\n", n, a->pool);
	cli_status("Enumerate", status);
	return status == HV_S_OK || status == HV_S_CONT ? 0 : EXIT_GUEST_ERR;
}

static int kvp_ip(struct cli *c, uint32_t id, struct kvp_args *a, int argc,
		  char **argv)
{
	struct hvhost_kvp_ip *out;
	uint32_t status;
	char *p;
	int ret, rc;

	if (argc != 2 || strlen(argv[1]) >= sizeof(a->ip.adapter_id))
		return cli_usage(usage, false);
	strcpy(a->ip.adapter_id, argv[1]);
	if (!strcmp(argv[0], "set")) {
		if (!a->family_set)
			a->ip.addr_family = HVHOST_ADDR_FAMILY_IPV4;
		ret = hvhost_kvp_set_ip_info(c->h, id, &a->ip, &status);
		if (ret)
			return cli_fail(c, "set ip info", ret);
		return cli_status("SetIPInfo", status);
	}
	if (strcmp(argv[0], "get"))
		return cli_usage(usage, false);
	for (p = a->ip.adapter_id; *p; p++)
		*p = toupper((unsigned char)*p);
	if (!a->family_set)
		a->ip.addr_family = HVHOST_ADDR_FAMILY_IPV4 | HVHOST_ADDR_FAMILY_IPV6;
	out = calloc(1, sizeof(*out));
	if (!out)
		return cli_fail(c, "get ip info", -12);
	ret = hvhost_kvp_get_ip_info(c->h, id, a->ip.adapter_id,
				     a->ip.addr_family, out, &status);
	if (ret) {
		free(out);
		return cli_fail(c, "get ip info", ret);
	}
	rc = cli_status("GetIPInfo", status);
	if (!rc) {
		printf("Adapter:   %s\n", out->adapter_id);
		printf("Family:    0x%x\n", out->addr_family);
		printf("DHCP:      %s\n", out->dhcp_enabled ? "enabled" : "disabled");
		printf("Addresses: %s\n", out->ip_addr);
		printf("Subnets:   %s\n", out->sub_net);
		printf("Gateways:  %s\n", out->gate_way);
		printf("DNS:       %s\n", out->dns_addr);
	}
	free(out);
	return rc;
}

static int kvp_do(struct cli *c, uint32_t id, struct kvp_args *a, int argc,
		  char **argv)
{
	struct hvhost_kvp_value v = { .type = a->type };
	struct hvhost_kvp_record *rec;
	const char *verb = argv[0];
	uint32_t status;
	int ret, rc;

	if (!strcmp(verb, "ip"))
		return kvp_ip(c, id, a, argc - 1, argv + 1);
	if (!strcmp(verb, "list") && argc == 1)
		return kvp_list(c, id, a);
	if (!strcmp(verb, "set") && argc == 3) {
		if (a->type == HVHOST_REG_SZ)
			v.sz = argv[2];
		else
			v.num = cli_ull(c, "value", argv[2]);
		ret = hvhost_kvp_set(c->h, id, a->pool, argv[1], &v, &status);
		return ret ? cli_fail(c, "set", ret) : cli_status("Set", status);
	}
	if (!strcmp(verb, "delete") && argc == 2) {
		ret = hvhost_kvp_delete(c->h, id, a->pool, argv[1], &status);
		return ret ? cli_fail(c, "delete", ret) :
			     cli_status("Delete", status);
	}
	if ((strcmp(verb, "get") && strcmp(verb, "enum")) || argc != 2)
		return cli_usage(usage, false);
	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return cli_fail(c, verb, -12);
	if (!strcmp(verb, "get"))
		ret = hvhost_kvp_get(c->h, id, a->pool, argv[1], rec, &status);
	else
		ret = hvhost_kvp_enumerate(c->h, id, a->pool,
					   cli_ull(c, "index", argv[1]), rec,
					   &status);
	if (ret) {
		free(rec);
		return cli_fail(c, verb, ret);
	}
	rc = cli_status(!strcmp(verb, "get") ? "Get" : "Enumerate", status);
	if (!rc)
		print_record(rec);
	free(rec);
	return rc;
}

static bool parse_family(const char *s, uint8_t *f)
{
	if (!strcmp(s, "ipv4"))
		*f = HVHOST_ADDR_FAMILY_IPV4;
	else if (!strcmp(s, "ipv6"))
		*f = HVHOST_ADDR_FAMILY_IPV6;
	else if (!strcmp(s, "both"))
		*f = HVHOST_ADDR_FAMILY_IPV4 | HVHOST_ADDR_FAMILY_IPV6;
	else if (!strcmp(s, "none"))
		*f = HVHOST_ADDR_FAMILY_NONE;
	else
		return false;
	return true;
}

static bool copy_str(char *dst, size_t cap, const char *src)
{
	if (strlen(src) >= cap)
		return false;
	strcpy(dst, src);
	return true;
}

int cmd_kvp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "max", required_argument, NULL, 'm' },
		{ "family", required_argument, NULL, 'f' },
		{ "dhcp", no_argument, NULL, 'd' },
		{ "ip", required_argument, NULL, 'i' },
		{ "subnet", required_argument, NULL, 's' },
		{ "gateway", required_argument, NULL, 'g' },
		{ "dns", required_argument, NULL, 'n' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	struct kvp_args *a = calloc(1, sizeof(*a));
	struct hvhost_kvp_ip *ip;
	struct cli c;
	uint32_t id;
	bool ok = true;
	int opt, rc;

	if (!a)
		return EXIT_USAGE;
	ip = &a->ip;
	a->type = HVHOST_REG_SZ;
	cli_init(&c, "hvhost kvp");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'p':
			ok = !hvhost_kvp_pool_parse(optarg, &a->pool);
			break;
		case 't':
			if (!strcmp(optarg, "sz"))
				a->type = HVHOST_REG_SZ;
			else if (!strcmp(optarg, "u32"))
				a->type = HVHOST_REG_U32;
			else if (!strcmp(optarg, "u64"))
				a->type = HVHOST_REG_U64;
			else
				a->type = cli_ull(&c, "--type", optarg);
			break;
		case 'm': a->max = cli_ull(&c, "--max", optarg); break;
		case 'f':
			ok = parse_family(optarg, &ip->addr_family);
			a->family_set = true;
			break;
		case 'd': ip->dhcp_enabled = 1; break;
		case 'i': ok = copy_str(ip->ip_addr, sizeof(ip->ip_addr), optarg); break;
		case 's': ok = copy_str(ip->sub_net, sizeof(ip->sub_net), optarg); break;
		case 'g': ok = copy_str(ip->gate_way, sizeof(ip->gate_way), optarg); break;
		case 'n': ok = copy_str(ip->dns_addr, sizeof(ip->dns_addr), optarg); break;
		default:
			ok = false;
		}
		if (!ok) {
			free(a);
			return cli_usage(usage, opt == 'h');
		}
	}
	if (optind >= argc) {
		free(a);
		return cli_usage(usage, false);
	}
	rc = cli_open(&c);
	if (!rc)
		rc = cli_channel(&c, HVHOST_KVP, &id);
	if (!rc)
		rc = kvp_do(&c, id, a, argc - optind, argv + optind);
	if (c.h)
		cli_close(&c);
	free(a);
	return rc;
}
