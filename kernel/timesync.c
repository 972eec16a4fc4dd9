// SPDX-License-Identifier: GPL-2.0
/*
 * Time sync: the host sends its UTC time.  SYNC (after boot or resume)
 * steps the guest clock to it; SAMPLE only feeds the "hyperv" PTP clock,
 * which chrony's "refclock PHC" can read.
 *
 * Every message leaves one sample: the host time and the reference-counter
 * value (100 ns ticks) it belongs to.  Version 4 says when, in reference
 * time, the host read its clock, so the sample is moved forward by the
 * delivery delay; older versions can't, and their sample belongs to the
 * moment we received it.  Reading the sample later adds the reference
 * time elapsed since; a sample older than HVIC_TS_STALE_NS is refused.
 *
 * Host times outside [2000, 2200) UTC are refused with HVIC_E_FAIL: no
 * real host has such a clock, and stepping there would wreck the guest.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <asm/mshyperv.h>

#include "timesync.h"

static bool timesync_implicit;
module_param(timesync_implicit, bool, 0644);
MODULE_PARM_DESC(timesync_implicit,
		 "If set, a SAMPLE steps the clock when the guest is 5 s or more behind the host");

static const u32 hvic_timesync_versions[] = {
	HVIC_VER(4, 0),
	HVIC_VER(3, 0),
	HVIC_VER(1, 0),
};

#define HVIC_TS_STALE_NS	(600 * NSEC_PER_SEC)
#define HVIC_TS_STALE_TICKS	(HVIC_TS_STALE_NS / 100)
#define HVIC_TS_IMPLICIT_NS	(5 * NSEC_PER_SEC)
/* FILETIMEs of 2000-01-01 and 2200-01-01 UTC. */
#define HVIC_TS_FILETIME_MIN	125911584000000000ULL
#define HVIC_TS_FILETIME_MAX	189025920000000000ULL

/* The current sample moved to now; -ESTALE if none or too old. */
int hvic_timesync_now(struct hvic_timesync_state *ts, s64 *ns)
{
	u64 ticks;
	int ret = 0;

	spin_lock_bh(&ts->lock);
	ticks = hv_read_reference_counter() - ts->ref_ticks;
	if (!ts->have_sample || ticks > HVIC_TS_STALE_TICKS) {
		ts->stale++;
		ret = -ESTALE;
	} else {
		*ns = ts->host_ns + ticks * 100;
	}
	spin_unlock_bh(&ts->lock);
	return ret;
}

static void hvic_timesync_work(struct work_struct *work)
{
	struct hvic_timesync_state *ts =
		container_of(work, struct hvic_timesync_state, sync_work);
	struct timespec64 target;
	s64 host, before;
	int ret;

	if (hvic_timesync_now(ts, &host))
		return;
	before = ktime_get_real_ns();
	target = ns_to_timespec64(host);
	ret = do_settimeofday64(&target);
	if (ret) {
		dev_warn_ratelimited(hvic_device(ts->dev),
				     "timesync: cannot set the clock: %d\n", ret);
		return;
	}
	spin_lock_bh(&ts->lock);
	ts->last_correction_ns = host - before;
	spin_unlock_bh(&ts->lock);
}

/* Parse the body for the negotiated version; false if too short. */
static bool hvic_timesync_parse(struct hvic_msg *msg, u64 now_ref,
				u64 *parent, u64 *ref, u8 *flags)
{
	if (msg->version >= HVIC_VER(4, 0)) {
		const struct hvic_timesync_v4 *v4 = msg->body;

		if (msg->len < sizeof(*v4))
			return false;
		*parent = le64_to_cpu(v4->parenttime);
		*ref = le64_to_cpu(v4->vmreferencetime);
		*flags = v4->flags;
	} else {
		const struct hvic_timesync_v3 *v3 = msg->body;

		if (msg->len < sizeof(*v3))
			return false;
		*parent = le64_to_cpu(v3->parenttime);
		*ref = now_ref;
		*flags = v3->flags;
	}
	return true;
}

static u32 hvic_timesync_handle(struct hvic_dev *dev, struct hvic_msg *msg)
{
	struct hvic_timesync_state *ts = hvic_priv(dev);
	u64 now_ref = hv_read_reference_counter();
	u64 parent, ref;
	bool bad_ref;
	s64 host;
	u8 flags;

	if (!hvic_timesync_parse(msg, now_ref, &parent, &ref, &flags)) {
		hvic_bad_msg(dev, "%u-byte body too short for version %u.%u\n",
			     msg->len, HVIC_VER_MAJOR(msg->version),
			     HVIC_VER_MINOR(msg->version));
		return HVIC_E_FAIL;
	}
	if (parent < HVIC_TS_FILETIME_MIN || parent >= HVIC_TS_FILETIME_MAX) {
		spin_lock_bh(&ts->lock);
		ts->rejected++;
		spin_unlock_bh(&ts->lock);
		hvic_bad_msg(dev, "host time %llu out of range\n", parent);
		return HVIC_E_FAIL;
	}
	/* The host can't have sampled in our future, nor ages ago. */
	bad_ref = ref > now_ref || now_ref - ref > HVIC_TS_STALE_TICKS;
	if (bad_ref) {
		dev_warn_ratelimited(hvic_device(dev),
				     "timesync: reference time %llu, now %llu: not corrected\n",
				     ref, now_ref);
		ref = now_ref;
	}
	host = (parent - HVIC_FILETIME_UNIX_EPOCH) * 100 +
	       (now_ref - ref) * 100;

	spin_lock_bh(&ts->lock);
	ts->have_sample = true;
	ts->host_ns = host;
	ts->ref_ticks = now_ref;
	ts->bad_reference += bad_ref;
	if (flags & HVIC_TIMESYNC_SYNC)
		ts->syncs++;
	else if (flags & HVIC_TIMESYNC_SAMPLE)
		ts->samples++;
	spin_unlock_bh(&ts->lock);

	if (flags & HVIC_TIMESYNC_SYNC)
		ts->sync_pending = true;
	else if ((flags & HVIC_TIMESYNC_SAMPLE) && READ_ONCE(timesync_implicit) &&
		 host - (s64)ktime_get_real_ns() >= (s64)HVIC_TS_IMPLICIT_NS)
		ts->sync_pending = true;
	return HVIC_S_OK;
}

static void hvic_timesync_replied(struct hvic_dev *dev)
{
	struct hvic_timesync_state *ts = hvic_priv(dev);

	if (!ts->sync_pending)
		return;
	ts->sync_pending = false;
	schedule_work(&ts->sync_work);
}

static int hvic_timesync_init(struct hvic_dev *dev)
{
	struct hvic_timesync_state *ts = hvic_priv(dev);

	/* Only Hyper-V (or a stand-in) provides the reference counter. */
	if (!hv_read_reference_counter)
		return -ENODEV;
	ts->dev = dev;
	spin_lock_init(&ts->lock);
	INIT_WORK(&ts->sync_work, hvic_timesync_work);
	hvic_ptp_register(ts);
	return 0;
}

/* The channel is closed: nothing queues the work any more. */
static void hvic_timesync_stop(struct hvic_dev *dev)
{
	struct hvic_timesync_state *ts = hvic_priv(dev);

	cancel_work_sync(&ts->sync_work);
	ts->sync_pending = false;
	/* After hibernation the reference counter starts again. */
	spin_lock_bh(&ts->lock);
	ts->have_sample = false;
	spin_unlock_bh(&ts->lock);
}

static void hvic_timesync_uninit(struct hvic_dev *dev)
{
	struct hvic_timesync_state *ts = hvic_priv(dev);

	hvic_timesync_stop(dev);
	hvic_ptp_unregister(ts);
}

static ssize_t last_host_time_ns_show(struct device *device,
				      struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_s64(buf, &ts->lock, &ts->host_ns);
}
static DEVICE_ATTR_RO(last_host_time_ns);

static ssize_t last_correction_ns_show(struct device *device,
				       struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_s64(buf, &ts->lock, &ts->last_correction_ns);
}
static DEVICE_ATTR_RO(last_correction_ns);

static ssize_t samples_show(struct device *device,
			    struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &ts->lock, &ts->samples);
}
static DEVICE_ATTR_RO(samples);

static ssize_t syncs_show(struct device *device,
			  struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &ts->lock, &ts->syncs);
}
static DEVICE_ATTR_RO(syncs);

static ssize_t stale_show(struct device *device,
			  struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &ts->lock, &ts->stale);
}
static DEVICE_ATTR_RO(stale);

static ssize_t rejected_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &ts->lock, &ts->rejected);
}
static DEVICE_ATTR_RO(rejected);

static ssize_t bad_reference_show(struct device *device,
				  struct device_attribute *attr, char *buf)
{
	struct hvic_timesync_state *ts = hvic_priv(dev_get_drvdata(device));

	return hvic_emit_u64(buf, &ts->lock, &ts->bad_reference);
}
static DEVICE_ATTR_RO(bad_reference);

static struct attribute *hvic_timesync_attrs[] = {
	&dev_attr_last_host_time_ns.attr,
	&dev_attr_last_correction_ns.attr,
	&dev_attr_samples.attr,
	&dev_attr_syncs.attr,
	&dev_attr_stale.attr,
	&dev_attr_rejected.attr,
	&dev_attr_bad_reference.attr,
	NULL
};

static const struct attribute_group hvic_timesync_group = {
	.name = "hvic",
	.attrs = hvic_timesync_attrs,
};

const struct hvic_service_ops hvic_timesync_ops = {
	.name = "timesync",
	HV_TS_GUID,
	.versions = hvic_timesync_versions,
	.nversions = ARRAY_SIZE(hvic_timesync_versions),
	.msg_type = HVIC_MSG_TIMESYNC,
	.min_len = sizeof(struct hvic_timesync_v4),
	.priv_size = sizeof(struct hvic_timesync_state),
	.init = hvic_timesync_init,
	.uninit = hvic_timesync_uninit,
	.handle = hvic_timesync_handle,
	.replied = hvic_timesync_replied,
	.suspend = hvic_timesync_stop,
	.attrs = &hvic_timesync_group,
};
