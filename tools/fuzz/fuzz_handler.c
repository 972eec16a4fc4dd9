// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary messages from the kernel into the daemon's handler
 * (operation, pool, every body field, SET_IP_INFO strings), with the pool
 * files in a scratch directory and the system-facing ops stubbed.  A SET
 * that was acknowledged must read back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvpd.h"
#include "log.h"

static char dir[64];
static struct kvpd d;
static unsigned int writes;

static int stub_auto(struct kvpd *k, unsigned int i, char *buf, size_t len)
{
	(void)k;
	snprintf(buf, len, "auto value %u", i);
	return 0;
}

static uint32_t stub_get_ip(struct kvpd *k, struct hvic_kvp_ip_value *ip)
{
	(void)k;
	memcpy(ip->ip_addr, "192.0.2.10", 11);
	return HVIC_S_OK;
}

static uint32_t stub_set_ip(struct kvpd *k, const struct kvpd_ipconf *c)
{
	(void)k;
	if (!c->adapter_id[0] || c->n_addrs > KVPD_MAX_ADDRS)
		abort();
	return HVIC_GUID_NOTFOUND;
}

static const struct kvpd_ops stub_ops = {
	.auto_value = stub_auto,
	.get_ip_info = stub_get_ip,
	.set_ip_info = stub_set_ip,
};

static void reset_pools(void)
{
	char path[128];
	int i;

	kvpd_pools_close(&d);
	for (i = 0; i < HVIC_KVP_POOL_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/.kvp_pool_%d", dir, i);
		unlink(path);
	}
	if (kvpd_pools_open(&d, dir))
		abort();
	writes = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	hvic_log_stderr(false);
	snprintf(dir, sizeof(dir), "/dev/shm/hvic-fuzz-kvpd.%d", getpid());
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(dir, sizeof(dir), "/tmp/hvic-fuzz-kvpd.%d", getpid());
		mkdir(dir, 0700);
	}
	d.ops = &stub_ops;
	snprintf(d.lic_version, sizeof(d.lic_version), "3.1");
	reset_pools();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hvic_kvp_msg m, check;
	uint8_t op, pool;
	uint32_t st;

	if (size < 2)
		return 0;
	memset(&m, 0, sizeof(m));
	/* op and pool first, then the body as the kernel would lay it out */
	op = data[0] % (HVIC_KVP_OP_COUNT + 1);
	pool = data[1] % 8 == 7 ? data[1] : data[1] % 8;
	memcpy(&m.body, data + 2, size - 2 < sizeof(m.body) ? size - 2 : sizeof(m.body));
	m.kvp_hdr.operation = op;
	m.kvp_hdr.pool = pool;

	st = kvpd_handle(&d, &m);
	if (op == HVIC_KVP_OP_SET && st == HVIC_S_OK) {
		char key[HVIC_KVP_KEY_SIZE], value[HVIC_KVP_VALUE_SIZE];

		memcpy(key, m.body.kvp_set.key, sizeof(key));
		memcpy(value, m.body.kvp_set.value, sizeof(value));
		memset(&check, 0, sizeof(check));
		check.kvp_hdr.operation = HVIC_KVP_OP_GET;
		check.kvp_hdr.pool = pool;
		memcpy(check.body.kvp_get.key, key, sizeof(key));
		check.body.kvp_get.key_size = strlen(key) + 1;
		if (kvpd_handle(&d, &check) != HVIC_S_OK ||
		    strcmp((char *)check.body.kvp_get.value, value))
			abort();
		if (++writes > 200)
			reset_pools();	/* keep the files small and the runs fast */
	}
	return 0;
}
