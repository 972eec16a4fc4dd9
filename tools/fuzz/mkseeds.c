// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzers' seed inputs (kept out of the tree as generated
 * files): mkseeds fuzz_pool|fuzz_handler DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/hvic.h>

#include "pool.h"

static void out(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static void rec(struct hvic_pool_rec *r, const char *k, const char *v)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->key, k);
	strcpy(r->value, v);
}

static void pool_seeds(const char *dir)
{
	static struct hvic_pool_rec r[6];

	out(dir, "empty", "", 0);
	rec(&r[0], "a", "1");
	rec(&r[1], "b", "2");
	rec(&r[2], "ключ", "värde \xF0\x9F\x98\x80");
	out(dir, "three", r, 3 * sizeof(r[0]));
	rec(&r[3], "a", "newer");
	rec(&r[4], "", "junk");
	rec(&r[5], "b", "newest");
	out(dir, "dups-invalid", r, 6 * sizeof(r[0]));
	out(dir, "partial-tail", r, 2 * sizeof(r[0]) + 700);
}

/* op, pool, then the message body */
static void msg(const char *dir, const char *name, uint8_t op, uint8_t pool,
		const struct hvic_kvp_msg *m)
{
	static uint8_t buf[2 + sizeof(m->body)];

	buf[0] = op;
	buf[1] = pool;
	memcpy(buf + 2, &m->body, sizeof(m->body));
	out(dir, name, buf, sizeof(buf));
}

static void handler_seeds(const char *dir)
{
	static struct hvic_kvp_msg m;
	struct hvic_kvp_ip_value *ip = &m.body.kvp_ip_val;

	memset(&m, 0, sizeof(m));
	strcpy((char *)m.body.kvp_set.key, "key");
	m.body.kvp_set.key_size = 4;
	strcpy((char *)m.body.kvp_set.value, "value");
	m.body.kvp_set.value_size = 6;
	m.body.kvp_set.value_type = HVIC_REG_SZ;
	msg(dir, "set", HVIC_KVP_OP_SET, 0, &m);
	msg(dir, "get", HVIC_KVP_OP_GET, 0, &m);
	msg(dir, "get-auto", HVIC_KVP_OP_GET, 2, &m);
	memset(&m, 0, sizeof(m));
	strcpy((char *)m.body.kvp_delete.key, "key");
	m.body.kvp_delete.key_size = 4;
	msg(dir, "delete", HVIC_KVP_OP_DELETE, 1, &m);
	memset(&m, 0, sizeof(m));
	m.body.kvp_enum_data.index = 3;
	msg(dir, "enumerate-auto", HVIC_KVP_OP_ENUMERATE, 2, &m);
	msg(dir, "enumerate", HVIC_KVP_OP_ENUMERATE, 0, &m);
	memset(&m, 0, sizeof(m));
	strcpy((char *)ip->adapter_id, "00:15:5D:0A:0B:0C");
	msg(dir, "get-ip", HVIC_KVP_OP_GET_IP_INFO, 0, &m);
	strcpy((char *)ip->adapter_id, "{12345678-1234-1234-1234-123456789abc}");
	strcpy((char *)ip->ip_addr, "192.0.2.10;2001:db8::10");
	strcpy((char *)ip->sub_net, "255.255.255.0;64");
	strcpy((char *)ip->gate_way, "192.0.2.1");
	strcpy((char *)ip->dns_addr, "192.0.2.53,2001:db8::53");
	ip->addr_family = HVIC_ADDR_FAMILY_IPV4 | HVIC_ADDR_FAMILY_IPV6;
	msg(dir, "set-ip", HVIC_KVP_OP_SET_IP_INFO, 0, &m);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	if (!strcmp(argv[1], "fuzz_pool"))
		pool_seeds(argv[2]);
	else if (!strcmp(argv[1], "fuzz_handler"))
		handler_seeds(argv[2]);
	else
		return 2;
	return 0;
}
