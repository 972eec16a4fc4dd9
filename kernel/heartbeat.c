// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat: the host sends a sequence number every few seconds and shows
 * the VM as "operating normally" while the guest answers sequence + 1.
 */
#include <linux/ktime.h>
#include <linux/spinlock.h>

#include "core.h"

static const u32 hvic_heartbeat_versions[] = {
	HVIC_VER(3, 0),
	HVIC_VER(1, 0),
};

struct hvic_heartbeat_state {
	spinlock_t lock;	/* protects the fields below; _bh */
	u64 heartbeats;		/* lock: heartbeats answered */
	u64 last_sequence;	/* lock: sequence number last received */
	u64 last_seen_ms;	/* lock: CLOCK_BOOTTIME of it, ms; 0 never */
};

static int hvic_heartbeat_init(struct hvic_dev *dev)
{
	struct hvic_heartbeat_state *hb = hvic_priv(dev);

	spin_lock_init(&hb->lock);
	return 0;
}

static u32 hvic_heartbeat_handle(struct hvic_dev *dev, struct hvic_msg *msg)
{
	struct hvic_heartbeat_state *hb = hvic_priv(dev);
	struct hvic_heartbeat *beat = msg->body;
	u64 seq = le64_to_cpu(beat->seq_num);

	/* Only seq_num is needed: hosts need not send the reserved words. */
	beat->seq_num = cpu_to_le64(seq + 1);

	spin_lock_bh(&hb->lock);
	hb->heartbeats++;
	hb->last_sequence = seq;
	hb->last_seen_ms = ktime_to_ms(ktime_get_boottime());
	spin_unlock_bh(&hb->lock);
	return HVIC_S_OK;
}

static ssize_t last_sequence_show(struct device *device,
				  struct device_attribute *attr, char *buf)
{
	struct hvic_heartbeat_state *hb = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &hb->lock, &hb->last_sequence);
}
static DEVICE_ATTR_RO(last_sequence);

static ssize_t last_seen_ms_show(struct device *device,
				 struct device_attribute *attr, char *buf)
{
	struct hvic_heartbeat_state *hb = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &hb->lock, &hb->last_seen_ms);
}
static DEVICE_ATTR_RO(last_seen_ms);

static ssize_t heartbeats_show(struct device *device,
			       struct device_attribute *attr, char *buf)
{
	struct hvic_heartbeat_state *hb = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &hb->lock, &hb->heartbeats);
}
static DEVICE_ATTR_RO(heartbeats);

static struct attribute *hvic_heartbeat_attrs[] = {
	&dev_attr_last_sequence.attr,
	&dev_attr_last_seen_ms.attr,
	&dev_attr_heartbeats.attr,
	NULL
};

static const struct attribute_group hvic_heartbeat_group = {
	.name = "hvic",
	.attrs = hvic_heartbeat_attrs,
};

const struct hvic_service_ops hvic_heartbeat_ops = {
	.name = "heartbeat",
	HV_HEART_BEAT_GUID,
	.versions = hvic_heartbeat_versions,
	.nversions = ARRAY_SIZE(hvic_heartbeat_versions),
	.msg_type = HVIC_MSG_HEARTBEAT,
	.min_len = sizeof_field(struct hvic_heartbeat, seq_num),
	.priv_size = sizeof(struct hvic_heartbeat_state),
	.init = hvic_heartbeat_init,
	.handle = hvic_heartbeat_handle,
	.attrs = &hvic_heartbeat_group,
};
