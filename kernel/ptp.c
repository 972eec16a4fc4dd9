// SPDX-License-Identifier: GPL-2.0
/*
 * The "hyperv" PTP clock: reads the host's time as time sync last sampled
 * it, moved on by the reference counter (see timesync.c).  It can't be
 * set or steered; chrony uses it as "refclock PHC /dev/ptpN".
 */
#include <linux/module.h>
#include <linux/ptp_clock_kernel.h>

#include "timesync.h"

static int hvic_ptp_gettime(struct ptp_clock_info *info, struct timespec64 *t)
{
	struct hvic_timesync_state *ts =
		container_of(info, struct hvic_timesync_state, ptp_info);
	s64 ns;
	int ret;

	ret = hvic_timesync_now(ts, &ns);
	if (!ret)
		*t = ns_to_timespec64(ns);
	return ret;
}

/* The clock only reads: it follows the host and can't be steered. */
static int hvic_ptp_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	return -EOPNOTSUPP;
}

static int hvic_ptp_adjtime(struct ptp_clock_info *info, s64 delta)
{
	return -EOPNOTSUPP;
}

static int hvic_ptp_settime(struct ptp_clock_info *info,
			    const struct timespec64 *t)
{
	return -EOPNOTSUPP;
}

static int hvic_ptp_enable(struct ptp_clock_info *info,
			   struct ptp_clock_request *rq, int on)
{
	return -EOPNOTSUPP;
}

static const struct ptp_clock_info hvic_ptp_template = {
	.owner = THIS_MODULE,
	.name = "hyperv",
	.adjfine = hvic_ptp_adjfine,
	.adjtime = hvic_ptp_adjtime,
	.gettime64 = hvic_ptp_gettime,
	.settime64 = hvic_ptp_settime,
	.enable = hvic_ptp_enable,
};

void hvic_ptp_register(struct hvic_timesync_state *ts)
{
	struct device *parent = hvic_device(ts->dev);

	ts->ptp_info = hvic_ptp_template;
	ts->ptp = ptp_clock_register(&ts->ptp_info, parent);
	if (IS_ERR(ts->ptp)) {
		/* Time sync works without it; chrony just has no PHC. */
		dev_err(parent, "cannot register PTP clock: %ld\n",
			PTR_ERR(ts->ptp));
		ts->ptp = NULL;
	}
}

/* No gettime64() runs once this returns; ts can be freed. */
void hvic_ptp_unregister(struct hvic_timesync_state *ts)
{
	if (ts->ptp)
		ptp_clock_unregister(ts->ptp);
	ts->ptp = NULL;
}
