// SPDX-License-Identifier: GPL-2.0
/*
 * KVP answers: from the daemon's form back to the host's wire format, in
 * the host's own request buffer.
 *
 * The daemon's strings are UTF-8 and must end in their field.  A record's
 * key or value too long for the host's UTF-16 field (255 and 1023 units
 * plus the NUL) is cut at a character boundary, counted and logged, so that
 * one long record does not end the host's enumeration; an IP configuration
 * that does not fit fails the request instead, as a partial address list
 * would be wrong.  Every value goes back as REG_SZ: daemons keep strings.
 */
#include <linux/nls.h>
#include <linux/string.h>

#include "kvp.h"

/*
 * A daemon string in a field of field_bytes into a host field of cap bytes.
 * Returns the wire size (bytes with the NUL) or -errno; *cut is set when
 * it had to be shortened.
 */
static int hvic_kvp_to_utf16(const u8 *s, size_t field_bytes, u8 *wire,
			     size_t cap, bool *cut)
{
	size_t len = strnlen(s, field_bytes), need = 0, i;
	int units;

	if (len == field_bytes)
		return -EINVAL;
	/* UTF-16 units: one per character, two from U+10000 (4-byte forms). */
	for (i = 0; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			need += s[i] >= 0xf0 ? 2 : 1;
	}
	units = utf8s_to_utf16s(s, len, UTF16_LITTLE_ENDIAN, (wchar_t *)wire,
				cap / 2 - 1);
	if (units < 0)
		return units;
	if (need > (size_t)units)
		*cut = true;
	wire[2 * units] = 0;
	wire[2 * units + 1] = 0;
	return 2 * (units + 1);
}

/* A record (GET or ENUMERATE): key only for ENUMERATE. */
static u32 hvic_kvp_record(const struct hvic_kvp_value *in,
			   struct hvic_kvpw_value *out, bool with_key,
			   struct hvic_kvp_outcome *res)
{
	int size;

	if (with_key) {
		size = hvic_kvp_to_utf16(in->key, sizeof(in->key), out->key,
					 sizeof(out->key), &res->truncated);
		if (size < 0)
			goto bad;
		out->key_size = cpu_to_le32(size);
	}
	size = hvic_kvp_to_utf16(in->value, sizeof(in->value), out->value,
				 sizeof(out->value), &res->truncated);
	if (size < 0)
		goto bad;
	out->value_size = cpu_to_le32(size);
	out->value_type = cpu_to_le32(HVIC_REG_SZ);
	return HVIC_S_OK;

bad:
	res->bad = true;
	return HVIC_E_FAIL;
}

/* One IP field; false if it is unusable or does not fit. */
static bool hvic_kvp_ip_field(const __u16 *in, size_t in_bytes, u8 *wire,
			      size_t cap)
{
	bool cut = false;

	return hvic_kvp_to_utf16((const u8 *)in, in_bytes, wire, cap, &cut) > 0 &&
	       !cut;
}

static u32 hvic_kvp_ip_answer(const struct hvic_kvp_ip_value *in,
			      void *host_body, struct hvic_kvp_outcome *res)
{
	struct hvic_kvpw_ip *out = &((struct hvic_kvpw_ip_msg *)host_body)->ip;

	out->addr_family = in->addr_family;
	out->dhcp_enabled = in->dhcp_enabled;
	if (hvic_kvp_ip_field(in->adapter_id, sizeof(in->adapter_id),
			      out->adapter_id, sizeof(out->adapter_id)) &&
	    hvic_kvp_ip_field(in->ip_addr, sizeof(in->ip_addr),
			      out->ip_addr, sizeof(out->ip_addr)) &&
	    hvic_kvp_ip_field(in->sub_net, sizeof(in->sub_net),
			      out->sub_net, sizeof(out->sub_net)) &&
	    hvic_kvp_ip_field(in->gate_way, sizeof(in->gate_way),
			      out->gate_way, sizeof(out->gate_way)) &&
	    hvic_kvp_ip_field(in->dns_addr, sizeof(in->dns_addr),
			      out->dns_addr, sizeof(out->dns_addr)))
		return HVIC_S_OK;
	res->bad = true;
	return HVIC_E_FAIL;
}

/**
 * hvic_kvp_answer() - turn the daemon's answer into the host's reply
 * @dev:	the KVP device
 * @in:		the daemon's message
 * @host_body:	the host's request body in dev->buf, edited in place
 * @op:		the host's operation
 * @legacy:	the daemon registered with KVP_OP_REGISTER
 * @res:	what went wrong, for the counters
 *
 * Returns the status for the host.  The daemon's own status comes first:
 * a failure code (high bit set, HVIC_S_CONT included) goes to the host as
 * is, any other non-zero value as HVIC_E_FAIL.
 */
u32 hvic_kvp_answer(struct hvic_dev *dev, const struct hvic_kvp_msg *in,
		    void *host_body, u8 op, bool legacy,
		    struct hvic_kvp_outcome *res)
{
	struct hvic_kvpw_msg *out = host_body;
	u32 error = in->error;
	u32 status;

	if (error)
		return error & 0x80000000U ? error : HVIC_E_FAIL;

	switch (op) {
	case HVIC_KVP_OP_GET:
		status = hvic_kvp_record(&in->body.kvp_get, &out->body.get,
					 false, res);
		break;
	case HVIC_KVP_OP_ENUMERATE:
		/* Legacy daemons end an enumeration with an empty key. */
		if (legacy && !in->body.kvp_enum_data.data.key[0])
			return HVIC_S_CONT;
		status = hvic_kvp_record(&in->body.kvp_enum_data.data,
					 &out->body.enumerate.data, true, res);
		break;
	case HVIC_KVP_OP_GET_IP_INFO:
		status = hvic_kvp_ip_answer(&in->body.kvp_ip_val, host_body, res);
		break;
	default:
		/* SET, DELETE, SET_IP_INFO: the status says it all. */
		return HVIC_S_OK;
	}
	if (res->bad)
		dev_warn_ratelimited(hvic_device(dev),
				     "kvp: the daemon's answer to operation %u is unusable\n",
				     op);
	else if (res->truncated)
		dev_warn_ratelimited(hvic_device(dev),
				     "kvp: a record was cut to fit the host's field\n");
	return status;
}
