// SPDX-License-Identifier: GPL-2.0
/* VSS (backup): freeze/thaw and friends, answered by kernel or daemon. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const vss_ops[] = {
	"CREATE", "DELETE", "HOT_BACKUP", "GET_DM_INFO", "BU_COMPLETE",
	"FREEZE", "THAW", "AUTO_RECOVER",
};

const char *hvhost_vss_op_name(uint8_t op)
{
	return op < ARRAY_SIZE(vss_ops) ? vss_ops[op] : "UNKNOWN";
}

static size_t default_len(uint8_t op)
{
	if (op == HVHOST_VSS_FREEZE)
		return HVHOST_VSS_FREEZE_PKT_SIZE - HVHOST_IC_HDR_SIZE;
	return sizeof(struct vss_msg);
}

int hvhost_build_vss(void *body, size_t cap, uint8_t op, uint32_t flags,
		     size_t body_len)
{
	struct vss_msg *m = body;

	if (!body_len)
		body_len = default_len(op);
	if (body_len < sizeof(*m))
		return -EINVAL;
	if (body_len > HVHOST_MAX_PACKET - HVHOST_IC_HDR_SIZE)
		return -EMSGSIZE;
	if (cap < body_len)
		return -E2BIG;
	memset(body, 0, body_len);
	m->operation = op;
	m->flags = htole32(flags);
	return body_len;
}

int hvhost_vss(struct hvhost *h, uint32_t id, uint8_t op, uint32_t flags,
	       size_t body_len, uint32_t *reply_flags, uint32_t *status)
{
	size_t cap = body_len ? body_len : default_len(op), rlen;
	uint8_t *buf;
	int len, ret;

	if (cap < sizeof(struct vss_msg))
		cap = sizeof(struct vss_msg);
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	len = hvhost_build_vss(buf, cap, op, flags, body_len);
	if (len < 0) {
		free(buf);
		return len;
	}
	rlen = len;
	ret = hvhost_transact(h, id, HVHOST_MSG_VSS, buf, len, buf, &rlen,
			      status);
	if (!ret && rlen < sizeof(struct vss_msg))
		ret = -EBADMSG;
	if (!ret && reply_flags)
		*reply_flags = le32toh(((struct vss_msg *)buf)->flags);
	free(buf);
	return ret;
}
