// SPDX-License-Identifier: GPL-2.0
/* Heartbeat: the host sends seq, a live guest answers seq + 1. */
#include <errno.h>
#include <string.h>

#include "internal.h"

int hvhost_build_heartbeat(void *body, size_t cap, uint64_t seq)
{
	struct ic_heartbeat *hb = body;

	if (cap < sizeof(*hb))
		return -E2BIG;
	memset(hb, 0, sizeof(*hb));
	hb->seq_num = htole64(seq);
	return sizeof(*hb);
}

int hvhost_heartbeat(struct hvhost *h, uint32_t id, uint64_t seq,
		     uint64_t *reply_seq, uint32_t *status)
{
	struct ic_heartbeat hb, reply;
	size_t rlen = sizeof(reply);
	int ret;

	hvhost_build_heartbeat(&hb, sizeof(hb), seq);
	ret = hvhost_transact(h, id, HVHOST_MSG_HEARTBEAT, &hb, sizeof(hb),
			      &reply, &rlen, status);
	if (ret)
		return ret;
	if (rlen < sizeof(reply.seq_num))
		return -EBADMSG;
	if (reply_seq)
		*reply_seq = le64toh(reply.seq_num);
	return 0;
}

const char *hvhost_health_str(enum hvhost_health health)
{
	switch (health) {
	case HVHOST_HEALTH_OK:
		return "Operating normally";
	case HVHOST_HEALTH_LOST:
		return "Lost communication";
	case HVHOST_HEALTH_NO_CONTACT:
	default:
		return "No contact";
	}
}

/* The channel's next heartbeat sequence number; advanced by 2 per beat
 * (what we send and what the guest answers), starting at 1. */
static int take_seq(struct hvhost *h, uint32_t id, uint64_t *seq)
{
	struct hvhost_chandata cd;
	int ret;

	ret = hvhost_chandata_get(h, id, &cd);
	if (ret)
		return ret;
	if (!cd.hb_seq)
		cd.hb_seq = 1;
	*seq = cd.hb_seq;
	cd.hb_seq += 2;
	return hvhost_chandata_set(h, id, &cd);
}

int hvhost_heartbeat_health(struct hvhost *h, enum hvhost_health *health)
{
	struct vmbus_sim_status st;
	uint64_t seq, got;
	uint32_t id, status;
	int ret;

	*health = HVHOST_HEALTH_NO_CONTACT;
	ret = hvhost_find(h, HVHOST_HEARTBEAT, &id);
	if (ret == -ENOENT)
		return 0;
	if (!ret)
		ret = hvhost_status(h, id, &st);
	if (ret)
		return ret;
	if (st.state != VMBUS_SIM_OPEN)
		return 0;
	/* A host negotiates before its first heartbeat on each open. */
	ret = hvhost_ensure_negotiated(h, id, HVHOST_HEARTBEAT,
				       hvhost_host_model(HVHOST_DEFAULT_GENERATION),
				       NULL);
	if (ret == -ENOTCONN)
		return 0;
	if (ret == -ETIMEDOUT || ret == -EPROTO || ret == -EBADMSG ||
	    ret == -ENOPROTOOPT) {
		*health = HVHOST_HEALTH_LOST;
		return 0;
	}
	if (ret)
		return ret;
	ret = take_seq(h, id, &seq);
	if (ret)
		return ret;
	ret = hvhost_heartbeat(h, id, seq, &got, &status);
	if (ret == -ENOTCONN)
		return 0;
	if (!ret && status == HV_S_OK && got == seq + 1)
		*health = HVHOST_HEALTH_OK;
	else if (!ret || ret == -ETIMEDOUT || ret == -EPROTO || ret == -EBADMSG)
		*health = HVHOST_HEALTH_LOST;
	else
		return ret;
	return 0;
}
