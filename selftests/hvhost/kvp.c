// SPDX-License-Identifier: GPL-2.0
/*
 * KVP exchange.  The guest answers in the host's own buffer, so every
 * request is sent full size (struct hv_kvp_msg, 7432 bytes) or a returned
 * key/value would not fit.  IP operations use struct hv_kvp_ip_msg (2-byte
 * header) inside that same full-size buffer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static const char *const pool_names[HVHOST_KVP_POOL_COUNT] = {
	"external", "guest", "auto", "auto_external", "auto_internal",
};

const char *hvhost_kvp_pool_name(uint8_t pool)
{
	return pool < HVHOST_KVP_POOL_COUNT ? pool_names[pool] : NULL;
}

int hvhost_kvp_pool_parse(const char *s, uint8_t *pool)
{
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < HVHOST_KVP_POOL_COUNT; i++) {
		if (!strcasecmp(s, pool_names[i])) {
			*pool = i;
			return 0;
		}
	}
	v = strtoul(s, &end, 0);
	if (!*s || *end || v > 255)
		return -EINVAL;
	*pool = v;
	return 0;
}

static struct kvp_msg *kvp_begin(void *body, size_t cap, uint8_t op,
				 uint8_t pool)
{
	struct kvp_msg *m = body;

	if (cap < sizeof(*m))
		return NULL;
	memset(m, 0, sizeof(*m));
	m->hdr.operation = op;
	m->hdr.pool = pool;
	return m;
}

static int put_key(struct kvp_value *d, const char *key)
{
	size_t size;
	int ret;

	ret = hvhost_put_wstr(d->key, KVP_KEY_SIZE / 2, key, &size);
	if (ret)
		return ret;
	d->key_size = htole32(size);
	return 0;
}

int hvhost_build_kvp_set(void *body, size_t cap, uint8_t pool,
			 const char *key, const struct hvhost_kvp_value *v)
{
	struct kvp_msg *m = kvp_begin(body, cap, HVHOST_KVP_SET, pool);
	struct kvp_value *d;
	size_t size;
	int ret;

	if (!m)
		return -E2BIG;
	d = &m->body.set;
	ret = put_key(d, key);
	if (ret)
		return ret;
	d->value_type = htole32(v->type);
	if (v->type == HVHOST_REG_U32) {
		d->value_u32 = htole32((uint32_t)v->num);
		size = sizeof(d->value_u32);
	} else if (v->type == HVHOST_REG_U64 || (v->type != HVHOST_REG_SZ && !v->sz)) {
		d->value_u64 = htole64(v->num);
		size = sizeof(d->value_u64);
	} else {
		ret = hvhost_put_wstr(d->value, KVP_VALUE_SIZE / 2,
				      v->sz, &size);
		if (ret)
			return ret;
	}
	d->value_size = htole32(size);
	return sizeof(*m);
}

int hvhost_build_kvp_get(void *body, size_t cap, uint8_t pool, const char *key)
{
	struct kvp_msg *m = kvp_begin(body, cap, HVHOST_KVP_GET, pool);
	int ret;

	if (!m)
		return -E2BIG;
	ret = put_key(&m->body.get, key);
	return ret ? ret : (int)sizeof(*m);
}

int hvhost_build_kvp_delete(void *body, size_t cap, uint8_t pool,
			    const char *key)
{
	struct kvp_msg *m = kvp_begin(body, cap, HVHOST_KVP_DELETE, pool);
	size_t size;
	int ret;

	if (!m)
		return -E2BIG;
	ret = hvhost_put_wstr(m->body.del.key, KVP_KEY_SIZE / 2, key,
			      &size);
	if (ret)
		return ret;
	m->body.del.key_size = htole32(size);
	return sizeof(*m);
}

int hvhost_build_kvp_enumerate(void *body, size_t cap, uint8_t pool,
			       uint32_t index)
{
	struct kvp_msg *m = kvp_begin(body, cap, HVHOST_KVP_ENUMERATE, pool);

	if (!m)
		return -E2BIG;
	m->body.enumerate.index = htole32(index);
	return sizeof(*m);
}

int hvhost_build_kvp_ip(void *body, size_t cap, uint8_t op, uint8_t pool,
			const struct hvhost_kvp_ip *ip)
{
	struct kvp_ip_msg *m = body;
	int ret;

	if (cap < sizeof(struct kvp_msg))
		return -E2BIG;
	memset(body, 0, sizeof(struct kvp_msg));
	m->operation = op;
	m->pool = pool;
	m->ip.addr_family = ip->addr_family;
	m->ip.dhcp_enabled = ip->dhcp_enabled;
	ret = hvhost_put_wstr(m->ip.adapter_id, KVP_ADAPTER_UNITS,
			      ip->adapter_id, NULL);
	if (!ret && op == HVHOST_KVP_SET_IP_INFO)
		ret = hvhost_put_wstr(m->ip.ip_addr, KVP_IP_UNITS, ip->ip_addr,
				      NULL) ?:
		      hvhost_put_wstr(m->ip.sub_net, KVP_IP_UNITS, ip->sub_net,
				      NULL) ?:
		      hvhost_put_wstr(m->ip.gate_way, KVP_GW_UNITS, ip->gate_way,
				      NULL) ?:
		      hvhost_put_wstr(m->ip.dns_addr, KVP_IP_UNITS, ip->dns_addr,
				      NULL);
	return ret ? ret : (int)sizeof(struct kvp_msg);
}

int hvhost_parse_kvp_record(const void *body, size_t len, uint8_t op,
			    struct hvhost_kvp_record *rec)
{
	const struct kvp_msg *m = body;
	const struct kvp_value *d;
	size_t need;
	int ret;

	if (op == HVHOST_KVP_ENUMERATE) {
		d = &m->body.enumerate.data;
		need = offsetof(struct kvp_msg, body) + sizeof(m->body.enumerate);
	} else if (op == HVHOST_KVP_GET) {
		d = &m->body.get;
		need = offsetof(struct kvp_msg, body) + sizeof(m->body.get);
	} else {
		return -EINVAL;
	}
	if (len < need)
		return -EBADMSG;
	memset(rec, 0, sizeof(*rec));
	rec->value_type = le32toh(d->value_type);
	rec->key_size = le32toh(d->key_size);
	rec->value_size = le32toh(d->value_size);
	if (rec->key_size > KVP_KEY_SIZE || rec->value_size > KVP_VALUE_SIZE)
		return -EBADMSG;
	/* Strings end at their NUL; the pools keep stale bytes after it. */
	ret = hvhost_get_wstr(d->key, KVP_KEY_SIZE / 2,
			      rec->key, sizeof(rec->key));
	if (ret)
		return ret;
	switch (rec->value_type) {
	case HVHOST_REG_U32:
		rec->num = le32toh(d->value_u32);
		snprintf(rec->value, sizeof(rec->value), "%" PRIu64, rec->num);
		return 0;
	case HVHOST_REG_U64:
		rec->num = le64toh(d->value_u64);
		snprintf(rec->value, sizeof(rec->value), "%" PRIu64, rec->num);
		return 0;
	default:
		return hvhost_get_wstr(d->value,
				       KVP_VALUE_SIZE / 2, rec->value,
				       sizeof(rec->value));
	}
}

int hvhost_parse_kvp_ip(const void *body, size_t len, struct hvhost_kvp_ip *ip)
{
	const struct kvp_ip_msg *m = body;

	if (len < sizeof(*m))
		return -EBADMSG;
	memset(ip, 0, sizeof(*ip));
	ip->addr_family = m->ip.addr_family;
	ip->dhcp_enabled = m->ip.dhcp_enabled;
	return hvhost_get_wstr(m->ip.adapter_id, KVP_ADAPTER_UNITS,
			       ip->adapter_id, sizeof(ip->adapter_id)) ?:
	       hvhost_get_wstr(m->ip.ip_addr, KVP_IP_UNITS, ip->ip_addr,
			       sizeof(ip->ip_addr)) ?:
	       hvhost_get_wstr(m->ip.sub_net, KVP_IP_UNITS, ip->sub_net,
			       sizeof(ip->sub_net)) ?:
	       hvhost_get_wstr(m->ip.gate_way, KVP_GW_UNITS, ip->gate_way,
			       sizeof(ip->gate_way)) ?:
	       hvhost_get_wstr(m->ip.dns_addr, KVP_IP_UNITS, ip->dns_addr,
			       sizeof(ip->dns_addr));
}

/*
 * Send the full-size message in buf and leave the guest's reply body in
 * buf; -EBADMSG if the reply is shorter than what we sent.
 */
static int kvp_xact(struct hvhost *h, uint32_t id, struct kvp_msg *buf,
		    uint32_t *status)
{
	size_t rlen = sizeof(*buf);
	uint32_t st;
	int ret;

	ret = hvhost_transact(h, id, HVHOST_MSG_KVPEXCHANGE, buf, sizeof(*buf),
			      buf, &rlen, &st);
	if (ret)
		return ret;
	if (status)
		*status = st;
	return rlen < sizeof(*buf) && st == HV_S_OK ? -EBADMSG : 0;
}

/* Run a request a builder put in m (built: its return value). */
static int kvp_run(struct hvhost *h, uint32_t id, struct kvp_msg *m,
		   int built, uint32_t *status)
{
	return built < 0 ? built : kvp_xact(h, id, m, status);
}

int hvhost_kvp_set(struct hvhost *h, uint32_t id, uint8_t pool,
		   const char *key, const struct hvhost_kvp_value *v,
		   uint32_t *status)
{
	struct kvp_msg *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = kvp_run(h, id, m, hvhost_build_kvp_set(m, sizeof(*m), pool, key, v),
		      status);
	free(m);
	return ret;
}

int hvhost_kvp_delete(struct hvhost *h, uint32_t id, uint8_t pool,
		      const char *key, uint32_t *status)
{
	struct kvp_msg *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = kvp_run(h, id, m, hvhost_build_kvp_delete(m, sizeof(*m), pool, key),
		      status);
	free(m);
	return ret;
}

/* GET or ENUMERATE, decoding the record when the guest said OK. */
static int kvp_record(struct hvhost *h, uint32_t id, struct kvp_msg *m,
		      int built, struct hvhost_kvp_record *rec,
		      uint32_t *status)
{
	uint8_t op = m->hdr.operation;
	uint32_t st;
	int ret;

	if (built < 0)
		return built;
	ret = kvp_xact(h, id, m, &st);
	if (!ret && status)
		*status = st;
	if (!ret && st == HV_S_OK && rec)
		ret = hvhost_parse_kvp_record(m, sizeof(*m), op, rec);
	return ret;
}

int hvhost_kvp_get(struct hvhost *h, uint32_t id, uint8_t pool,
		   const char *key, struct hvhost_kvp_record *rec,
		   uint32_t *status)
{
	struct kvp_msg *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = kvp_record(h, id, m, hvhost_build_kvp_get(m, sizeof(*m), pool, key),
			 rec, status);
	free(m);
	return ret;
}

int hvhost_kvp_enumerate(struct hvhost *h, uint32_t id, uint8_t pool,
			 uint32_t index, struct hvhost_kvp_record *rec,
			 uint32_t *status)
{
	struct kvp_msg *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = kvp_record(h, id, m,
			 hvhost_build_kvp_enumerate(m, sizeof(*m), pool, index),
			 rec, status);
	free(m);
	return ret;
}

int hvhost_kvp_enumerate_all(struct hvhost *h, uint32_t id, uint8_t pool,
			     hvhost_kvp_cb cb, void *ctx, unsigned int max,
			     unsigned int *count, uint32_t *status)
{
	struct hvhost_kvp_record *rec = malloc(sizeof(*rec));
	unsigned int n = 0;
	uint32_t st = HV_S_OK;
	int ret = 0;

	if (!rec)
		return -ENOMEM;
	if (!max)
		max = 100000;
	while (n < max) {
		ret = hvhost_kvp_enumerate(h, id, pool, n, rec, &st);
		if (ret || st != HV_S_OK)
			break;
		if (cb) {
			ret = cb(rec, n, ctx);
			if (ret) {
				n++;
				break;
			}
		}
		n++;
	}
	free(rec);
	if (count)
		*count = n;
	if (status)
		*status = st;
	return ret;
}

int hvhost_kvp_get_ip_info(struct hvhost *h, uint32_t id,
			   const char *adapter_id, uint8_t addr_family,
			   struct hvhost_kvp_ip *out, uint32_t *status)
{
	struct hvhost_kvp_ip *req = calloc(1, sizeof(*req));
	struct kvp_msg *m = malloc(sizeof(*m));
	uint32_t st;
	int ret = -ENOMEM;

	if (!req || !m)
		goto out;
	req->addr_family = addr_family;
	ret = -ENAMETOOLONG;
	if (strlen(adapter_id) >= sizeof(req->adapter_id))
		goto out;
	strcpy(req->adapter_id, adapter_id);
	ret = hvhost_build_kvp_ip(m, sizeof(*m), HVHOST_KVP_GET_IP_INFO, 0, req);
	if (ret < 0)
		goto out;
	ret = kvp_xact(h, id, m, &st);
	if (!ret && status)
		*status = st;
	if (!ret && st == HV_S_OK && out)
		ret = hvhost_parse_kvp_ip(m, sizeof(*m), out);
out:
	free(req);
	free(m);
	return ret;
}

int hvhost_kvp_set_ip_info(struct hvhost *h, uint32_t id,
			   const struct hvhost_kvp_ip *in, uint32_t *status)
{
	struct kvp_msg *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = kvp_run(h, id, m, hvhost_build_kvp_ip(m, sizeof(*m),
						 HVHOST_KVP_SET_IP_INFO, 0, in),
		      status);
	free(m);
	return ret;
}
