// SPDX-License-Identifier: GPL-2.0
/*
 * KVP requests: from the host's wire format to the daemon's.
 *
 * On the wire strings are UTF-16LE with sizes in bytes including the NUL;
 * for the daemon they are UTF-8, NUL-terminated in fields of 512 (keys)
 * and 2048 bytes (values), with sizes in bytes including the NUL.
 *
 * Host requests are checked in full before anything reaches the daemon:
 * pool, value type, every size (even, within the field, ending exactly at
 * the string's only NUL), well-formed UTF-16, and a UTF-8 form that fits
 * the daemon's field.  What fails is refused with HVIC_E_FAIL, counted and
 * logged; nothing is truncated on the way in.  The way back is kvp_reply.c.
 */
#include <linux/nls.h>
#include <linux/string.h>

#include "kvp.h"

/* Enumeration indexes above this can't be records (daemons use int). */
#define HVIC_KVP_MAX_INDEX	0x7fffffffU

/* UTF-16LE unit i of a wire string, wherever the string lies. */
static u16 hvic_unit(const u8 *s, u32 i)
{
	return s[2 * i] | s[2 * i + 1] << 8;
}

static bool hvic_is_high_surrogate(u16 c)
{
	return c >= 0xd800 && c <= 0xdbff;
}

static bool hvic_is_low_surrogate(u16 c)
{
	return c >= 0xdc00 && c <= 0xdfff;
}

/*
 * A host string of size bytes (NUL included) in a field of field bytes:
 * returns the length of its UTF-8 form, or a negative errno with *why set.
 */
static int hvic_kvp_wstr_check(const u8 *field, u32 size, u32 field_bytes,
			       const char **why)
{
	u32 units = size / 2, i;
	int len = 0;
	u16 c;

	*why = "size out of range";
	if (size % 2 || size < 2 || size > field_bytes)
		return -EINVAL;
	*why = "no NUL at the end";
	if (hvic_unit(field, units - 1))
		return -EILSEQ;
	for (i = 0; i + 1 < units; i++) {
		c = hvic_unit(field, i);
		*why = "NUL inside";
		if (!c)
			return -EILSEQ;
		*why = "unpaired surrogate";
		if (hvic_is_low_surrogate(c))
			return -EILSEQ;
		if (hvic_is_high_surrogate(c)) {
			if (i + 2 >= units ||
			    !hvic_is_low_surrogate(hvic_unit(field, i + 1)))
				return -EILSEQ;
			len += 4;
			i++;
		} else {
			len += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
		}
	}
	return len;
}

/*
 * Convert a checked host string into a daemon field of out_bytes.
 * Returns the daemon's size (UTF-8 bytes + NUL) or 0 after refusing it.
 */
static u32 hvic_kvp_to_utf8(struct hvic_dev *dev, const char *what,
			    const u8 *field, u32 size, u32 field_bytes,
			    void *out, u32 out_bytes)
{
	const char *why;
	int len;

	len = hvic_kvp_wstr_check(field, size, field_bytes, &why);
	if (len < 0) {
		hvic_bad_msg(dev, "%s refused: %s\n", what, why);
		return 0;
	}
	if (len >= out_bytes) {
		hvic_bad_msg(dev, "%s refused: %d UTF-8 bytes, the daemon takes %u\n",
			     what, len, out_bytes - 1);
		return 0;
	}
	len = utf16s_to_utf8s((const wchar_t *)field, size / 2 - 1,
			      UTF16_LITTLE_ENDIAN, out, out_bytes - 1);
	((u8 *)out)[len] = 0;
	return len + 1;
}

/* An IP field: NUL-terminated somewhere in its units, no size given. */
static bool hvic_kvp_ip_to_utf8(struct hvic_dev *dev, const char *what,
				const u8 *field, u32 field_bytes, void *out,
				bool need_text)
{
	u32 size = 0;

	while (size < field_bytes && hvic_unit(field, size / 2))
		size += 2;
	if (size == field_bytes) {
		hvic_bad_msg(dev, "%s refused: no NUL\n", what);
		return false;
	}
	if (need_text && !size) {
		hvic_bad_msg(dev, "%s refused: empty\n", what);
		return false;
	}
	return hvic_kvp_to_utf8(dev, what, field, size + 2, field_bytes,
				out, field_bytes);
}

/* A key: as any string, and not empty.  Returns its daemon size or 0. */
static u32 hvic_kvp_key(struct hvic_dev *dev, const u8 *key, u32 size, u8 *out)
{
	if (size == 2) {
		hvic_bad_msg(dev, "empty key refused\n");
		return 0;
	}
	return hvic_kvp_to_utf8(dev, "key", key, size, HVIC_KVPW_KEY_BYTES,
				out, HVIC_KVP_KEY_SIZE);
}

static bool hvic_kvp_too_short(struct hvic_dev *dev, u32 len, size_t need)
{
	if (len >= need)
		return false;
	hvic_bad_msg(dev, "request of %u bytes, the operation needs %zu\n",
		     len, need);
	return true;
}

static u32 hvic_kvp_ip_request(struct hvic_dev *dev, const void *body,
			       u32 len, struct hvic_kvp_msg *out)
{
	const struct hvic_kvpw_ip *in = &((const struct hvic_kvpw_ip_msg *)body)->ip;
	struct hvic_kvp_ip_value *ip = &out->body.kvp_ip_val;

	if (hvic_kvp_too_short(dev, len, sizeof(struct hvic_kvpw_ip_msg)))
		return HVIC_E_FAIL;
	if (in->addr_family & ~(HVIC_ADDR_FAMILY_IPV4 | HVIC_ADDR_FAMILY_IPV6)) {
		hvic_bad_msg(dev, "address family %#x refused\n", in->addr_family);
		return HVIC_E_FAIL;
	}
	ip->addr_family = in->addr_family;
	ip->dhcp_enabled = in->dhcp_enabled;
	if (!hvic_kvp_ip_to_utf8(dev, "adapter id", in->adapter_id,
				 sizeof(in->adapter_id), ip->adapter_id, true))
		return HVIC_E_FAIL;
	if (out->kvp_hdr.operation == HVIC_KVP_OP_GET_IP_INFO)
		return HVIC_S_OK;
	if (!hvic_kvp_ip_to_utf8(dev, "ip addresses", in->ip_addr,
				 sizeof(in->ip_addr), ip->ip_addr, false) ||
	    !hvic_kvp_ip_to_utf8(dev, "subnets", in->sub_net,
				 sizeof(in->sub_net), ip->sub_net, false) ||
	    !hvic_kvp_ip_to_utf8(dev, "gateways", in->gate_way,
				 sizeof(in->gate_way), ip->gate_way, false) ||
	    !hvic_kvp_ip_to_utf8(dev, "dns servers", in->dns_addr,
				 sizeof(in->dns_addr), ip->dns_addr, false))
		return HVIC_E_FAIL;
	return HVIC_S_OK;
}

/* A SET's value, by type: strings converted, numbers as decimal text. */
static bool hvic_kvp_set_value(struct hvic_dev *dev,
			       const struct hvic_kvpw_value *in,
			       struct hvic_kvp_value *out)
{
	u32 type = le32_to_cpu(in->value_type);
	u32 size = le32_to_cpu(in->value_size);

	out->value_type = HVIC_REG_SZ;
	switch (type) {
	case HVIC_REG_SZ:
		out->value_size = hvic_kvp_to_utf8(dev, "value", in->value, size,
						   sizeof(in->value), out->value,
						   sizeof(out->value));
		return out->value_size;
	case HVIC_REG_U32:
		if (size != sizeof(in->value_u32))
			break;
		out->value_size = 1 + snprintf((char *)out->value, sizeof(out->value),
					       "%u", le32_to_cpu(in->value_u32));
		return true;
	case HVIC_REG_U64:
		if (size != sizeof(in->value_u64))
			break;
		out->value_size = 1 + snprintf((char *)out->value, sizeof(out->value),
					       "%llu", le64_to_cpu(in->value_u64));
		return true;
	default:
		hvic_bad_msg(dev, "value type %u refused\n", type);
		return false;
	}
	hvic_bad_msg(dev, "value of type %u with %u bytes refused\n", type, size);
	return false;
}

/**
 * hvic_kvp_request() - check a host request and put it in daemon form
 * @dev:	the KVP device, for counting and logging refusals
 * @body:	the request body in dev->buf
 * @len:	its length, at least the 4-byte header
 * @out:	the daemon message to fill
 *
 * Returns HVIC_S_OK, or HVIC_E_FAIL after counting and logging why.
 */
u32 hvic_kvp_request(struct hvic_dev *dev, const void *body, u32 len,
		     struct hvic_kvp_msg *out)
{
	const struct hvic_kvpw_msg *in = body;
	u8 op = in->hdr.operation;
	u32 index;

	memset(out, 0, sizeof(*out));
	out->kvp_hdr.operation = op;
	out->kvp_hdr.pool = in->hdr.pool;
	if (op == HVIC_KVP_OP_GET_IP_INFO || op == HVIC_KVP_OP_SET_IP_INFO)
		return hvic_kvp_ip_request(dev, body, len, out);
	if (op >= HVIC_KVP_OP_COUNT) {
		hvic_bad_msg(dev, "operation %u refused\n", op);
		return HVIC_E_FAIL;
	}
	if (in->hdr.pool >= HVIC_KVP_POOL_COUNT) {
		hvic_bad_msg(dev, "pool %u refused\n", in->hdr.pool);
		return HVIC_E_FAIL;
	}

	switch (op) {
	case HVIC_KVP_OP_GET:
	case HVIC_KVP_OP_SET:
		if (hvic_kvp_too_short(dev, len, offsetofend(struct hvic_kvpw_msg, body.set)))
			return HVIC_E_FAIL;
		out->body.kvp_set.key_size =
			hvic_kvp_key(dev, in->body.set.key,
				     le32_to_cpu(in->body.set.key_size),
				     out->body.kvp_set.key);
		if (!out->body.kvp_set.key_size)
			return HVIC_E_FAIL;
		if (op == HVIC_KVP_OP_GET) {
			/* Daemons copy back this many bytes of the value. */
			out->body.kvp_get.value_size = HVIC_KVP_VALUE_SIZE;
			return HVIC_S_OK;
		}
		return hvic_kvp_set_value(dev, &in->body.set, &out->body.kvp_set) ?
		       HVIC_S_OK : HVIC_E_FAIL;
	case HVIC_KVP_OP_DELETE:
		if (hvic_kvp_too_short(dev, len, offsetofend(struct hvic_kvpw_msg, body.del)))
			return HVIC_E_FAIL;
		out->body.kvp_delete.key_size =
			hvic_kvp_key(dev, in->body.del.key,
				     le32_to_cpu(in->body.del.key_size),
				     out->body.kvp_delete.key);
		return out->body.kvp_delete.key_size ? HVIC_S_OK : HVIC_E_FAIL;
	default: /* HVIC_KVP_OP_ENUMERATE */
		if (hvic_kvp_too_short(dev, len, offsetofend(struct hvic_kvpw_msg, body.enumerate)))
			return HVIC_E_FAIL;
		index = le32_to_cpu(in->body.enumerate.index);
		if (index > HVIC_KVP_MAX_INDEX) {
			hvic_bad_msg(dev, "enumeration index %#x refused\n", index);
			return HVIC_E_FAIL;
		}
		out->body.kvp_enum_data.index = index;
		return HVIC_S_OK;
	}
}
