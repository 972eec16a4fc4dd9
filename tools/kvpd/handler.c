// SPDX-License-Identifier: GPL-2.0
/*
 * The KVP protocol between the kernel and the daemon.  Every field that
 * comes from the kernel (and, behind it, the host) is checked before use:
 * the pool index, the string fields' NULs and sizes, UTF-8.  Replies carry
 * the status in m->error:
 *
 *   SET/DELETE      HVIC_S_OK once the pool file change is durable;
 *                   DELETE of a missing key: HVIC_S_CONT (like upstream)
 *   GET             the value, or HVIC_S_CONT for a missing key
 *   ENUMERATE       record number "index", HVIC_S_CONT past the end
 *   errors          HVIC_E_FAIL (bad request, key or value too long, I/O),
 *                   HVIC_ERROR_DISK_FULL (ENOSPC)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kvpd.h"
#include "log.h"
#include "utf8.h"

const char *const kvpd_auto_keys[KVPD_AUTO_COUNT] = {
	[KVPD_FQDN]		= "FullyQualifiedDomainName",
	[KVPD_IS_VERSION]	= "IntegrationServicesVersion",
	[KVPD_IPV4]		= "NetworkAddressIPv4",
	[KVPD_IPV6]		= "NetworkAddressIPv6",
	[KVPD_OS_BUILD]		= "OSBuildNumber",
	[KVPD_OS_NAME]		= "OSName",
	[KVPD_OS_MAJOR]		= "OSMajorVersion",
	[KVPD_OS_MINOR]		= "OSMinorVersion",
	[KVPD_OS_VERSION]	= "OSVersion",
	[KVPD_ARCH]		= "ProcessorArchitecture",
};

static const char *const op_names[] = {
	"GET", "SET", "DELETE", "ENUMERATE", "GET_IP_INFO", "SET_IP_INFO",
};

int kvpd_pools_open(struct kvpd *d, const char *dir)
{
	unsigned int i;
	int ret;

	for (i = 0; i < HVIC_KVP_POOL_COUNT; i++) {
		ret = hvic_pool_open(&d->pool[i], dir, i, HVIC_POOL_LEASE);
		if (!ret)
			ret = hvic_pool_sync(d->pool[i]);	/* repair now */
		if (ret) {
			log_err("pool %u (%s/.kvp_pool_%u): %s", i,
				dir ? dir : HVIC_POOL_DIR, i, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int kvpd_pools_idle(struct kvpd *d)
{
	int i, ms, wait = -1;

	for (i = 0; i < HVIC_KVP_POOL_COUNT; i++) {
		ms = d->pool[i] ? hvic_pool_idle(d->pool[i]) : -1;
		if (ms >= 0 && (wait < 0 || ms < wait))
			wait = ms;
	}
	return wait;
}

void kvpd_pools_release(struct kvpd *d)
{
	unsigned int i;

	for (i = 0; i < HVIC_KVP_POOL_COUNT; i++)
		if (d->pool[i])
			hvic_pool_release(d->pool[i]);
}

void kvpd_pools_close(struct kvpd *d)
{
	unsigned int i;

	for (i = 0; i < HVIC_KVP_POOL_COUNT; i++) {
		hvic_pool_close(d->pool[i]);
		d->pool[i] = NULL;
	}
}

/*
 * A string field from the kernel: NUL-terminated inside its field, its
 * declared size (bytes with the NUL) not beyond the field, valid UTF-8.
 */
static int check_str(const char *what, const __u8 *field, size_t cap,
		     __u32 size, bool empty_ok)
{
	size_t len = strnlen((const char *)field, cap);

	if (len >= cap || size > cap) {
		log_warn("%s too long (%u bytes, at most %zu with the NUL); refused",
			 what, size > len ? size : (unsigned int)len + 1, cap);
		return -E2BIG;
	}
	if (!len && !empty_ok) {
		log_warn("empty %s; refused", what);
		return -EINVAL;
	}
	if (!hvic_utf8_valid((const char *)field, len)) {
		log_warn("%s is not valid UTF-8; refused", what);
		return -EILSEQ;
	}
	return 0;
}

static uint32_t errno_status(int err)
{
	switch (err) {
	case 0:
		return HVIC_S_OK;
	case -ENOENT:
		return HVIC_S_CONT;
	case -ENOSPC:
	case -EDQUOT:
		return HVIC_ERROR_DISK_FULL;
	default:
		return HVIC_E_FAIL;
	}
}

/* Fill a record of the reply: key, value, their sizes, REG_SZ. */
static void put_record(struct hvic_kvp_value *v, const char *key,
		       const char *value)
{
	size_t kl = strnlen(key, HVIC_KVP_KEY_SIZE - 1);
	size_t vl = strnlen(value, HVIC_KVP_VALUE_SIZE - 1);

	memset(v->key, 0, sizeof(v->key));
	memset(v->value, 0, sizeof(v->value));
	memcpy(v->key, key, kl);
	memcpy(v->value, value, vl);
	v->key_size = kl + 1;
	v->value_size = vl + 1;
	v->value_type = HVIC_REG_SZ;
}

static int auto_value(struct kvpd *d, unsigned int i, char *buf, size_t len)
{
	buf[0] = 0;
	if (i == KVPD_IS_VERSION) {
		snprintf(buf, len, "%s", d->lic_version);
		return 0;
	}
	if (!d->ops || !d->ops->auto_value)
		return 0;
	return d->ops->auto_value(d, i, buf, len);
}

static int auto_index(const char *key)
{
	int i;

	for (i = 0; i < KVPD_AUTO_COUNT; i++)
		if (!strcmp(key, kvpd_auto_keys[i]))
			return i;
	return -1;
}

static uint32_t do_set(struct kvpd *d, uint8_t pool, struct hvic_kvp_value *v)
{
	int ret;

	if (pool == HVIC_KVP_POOL_AUTO) {
		log_warn("SET in the auto pool, which the guest generates; refused");
		return HVIC_E_FAIL;
	}
	ret = check_str("key", v->key, sizeof(v->key), v->key_size, false);
	if (!ret)
		ret = check_str("value", v->value, sizeof(v->value),
				v->value_size, true);
	if (ret)
		return HVIC_E_FAIL;
	ret = hvic_pool_set(d->pool[pool], (const char *)v->key,
			    (const char *)v->value);
	if (ret) {
		log_err("SET %s in pool %u: %s", v->key, pool, strerror(-ret));
		return ret == -ENOENT ? HVIC_E_FAIL : errno_status(ret);
	}
	log_debug("SET pool %u key \"%s\" (%zu-byte value)", pool, v->key,
		  strlen((const char *)v->value));
	return HVIC_S_OK;
}

static uint32_t do_get(struct kvpd *d, uint8_t pool, struct hvic_kvp_value *v)
{
	char key[HVIC_KVP_KEY_SIZE], value[HVIC_KVP_VALUE_SIZE];
	int ret, i;

	if (check_str("key", v->key, sizeof(v->key), v->key_size, false))
		return HVIC_E_FAIL;
	memcpy(key, v->key, sizeof(key));
	if (pool == HVIC_KVP_POOL_AUTO) {
		i = auto_index(key);
		if (i < 0)
			return HVIC_S_CONT;
		ret = auto_value(d, i, value, sizeof(value));
	} else {
		ret = hvic_pool_get(d->pool[pool], key, value, sizeof(value));
	}
	if (ret)
		return errno_status(ret);
	put_record(v, key, value);
	return HVIC_S_OK;
}

static uint32_t do_delete(struct kvpd *d, uint8_t pool, const __u8 *key,
			  __u32 key_size)
{
	int ret;

	if (pool == HVIC_KVP_POOL_AUTO) {
		log_warn("DELETE in the auto pool, which the guest generates; refused");
		return HVIC_E_FAIL;
	}
	if (check_str("key", key, HVIC_KVP_KEY_SIZE, key_size, false))
		return HVIC_E_FAIL;
	ret = hvic_pool_delete(d->pool[pool], (const char *)key);
	if (ret && ret != -ENOENT)
		log_err("DELETE %s in pool %u: %s", key, pool, strerror(-ret));
	return errno_status(ret);
}

static uint32_t do_enumerate(struct kvpd *d, uint8_t pool,
			     struct hvic_kvp_enumerate *e)
{
	static struct hvic_pool_rec rec;	/* 2.5 KiB: not on the stack */
	int ret;

	if (pool == HVIC_KVP_POOL_AUTO) {
		if (e->index >= KVPD_AUTO_COUNT)
			return HVIC_S_CONT;
		ret = auto_value(d, e->index, rec.value, sizeof(rec.value));
		if (ret)
			log_warn("%s: %s", kvpd_auto_keys[e->index], strerror(-ret));
		put_record(&e->data, kvpd_auto_keys[e->index], ret ? "" : rec.value);
		return HVIC_S_OK;
	}
	ret = hvic_pool_at(d->pool[pool], e->index, &rec);
	if (ret)
		return errno_status(ret);
	put_record(&e->data, rec.key, rec.value);
	return HVIC_S_OK;
}

static uint32_t do_set_ip_info(struct kvpd *d, struct hvic_kvp_ip_value *ip)
{
	static struct kvpd_ipconf c;
	char why[128];

	if (kvpd_ipconf_parse(ip, &c, why, sizeof(why))) {
		log_warn("SET_IP_INFO refused: %s", why);
		return HVIC_INVALIDARG;
	}
	if (!d->ops || !d->ops->set_ip_info)
		return HVIC_ERROR_NOT_SUPPORTED;
	return d->ops->set_ip_info(d, &c);
}

static uint32_t do_get_ip_info(struct kvpd *d, struct hvic_kvp_ip_value *ip)
{
	char id[sizeof(ip->adapter_id)];

	/* the adapter id: a NUL-terminated UTF-8 string in the __u16 array */
	memcpy(id, ip->adapter_id, sizeof(id));
	if (!memchr(id, 0, sizeof(id)) || !id[0]) {
		log_warn("GET_IP_INFO: bad adapter id; refused");
		return HVIC_E_FAIL;
	}
	if (!d->ops || !d->ops->get_ip_info)
		return HVIC_ERROR_NOT_SUPPORTED;
	return d->ops->get_ip_info(d, ip);
}

uint32_t kvpd_handle(struct kvpd *d, struct hvic_kvp_msg *m)
{
	uint8_t op = m->kvp_hdr.operation, pool = m->kvp_hdr.pool;
	uint32_t status;

	d->requests++;
	if (op < HVIC_KVP_OP_GET_IP_INFO && pool >= HVIC_KVP_POOL_COUNT) {
		log_warn("%s for pool %u, which doesn't exist; refused",
			 op_names[op], pool);
		status = HVIC_E_FAIL;
		goto out;
	}
	switch (op) {
	case HVIC_KVP_OP_GET:
		status = do_get(d, pool, &m->body.kvp_get);
		break;
	case HVIC_KVP_OP_SET:
		status = do_set(d, pool, &m->body.kvp_set);
		break;
	case HVIC_KVP_OP_DELETE:
		status = do_delete(d, pool, m->body.kvp_delete.key,
				   m->body.kvp_delete.key_size);
		break;
	case HVIC_KVP_OP_ENUMERATE:
		status = do_enumerate(d, pool, &m->body.kvp_enum_data);
		break;
	case HVIC_KVP_OP_GET_IP_INFO:
		status = do_get_ip_info(d, &m->body.kvp_ip_val);
		break;
	case HVIC_KVP_OP_SET_IP_INFO:
		status = do_set_ip_info(d, &m->body.kvp_ip_val);
		break;
	default:
		log_warn("unknown operation %u; refused", op);
		status = HVIC_ERROR_NOT_SUPPORTED;
		break;
	}
out:
	m->error = (__s32)status;
	if (status != HVIC_S_OK && status != HVIC_S_CONT)
		log_debug("%s pool %u: status 0x%08x",
			  op < HVIC_KVP_OP_COUNT ? op_names[op] : "?", pool, status);
	return status;
}
