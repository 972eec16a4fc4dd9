/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time sync state, shared by timesync.c (the protocol) and ptp.c (the
 * "hyperv" PTP clock that reads it).
 */
#ifndef HVIC_TIMESYNC_H
#define HVIC_TIMESYNC_H

#include <linux/ptp_clock_kernel.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "core.h"

struct hvic_timesync_state {
	struct hvic_dev *dev;		/* constant: the device we belong to */
	bool sync_pending;		/* channel tasklet only */
	struct work_struct sync_work;	/* steps the clock to the sample */
	struct ptp_clock_info ptp_info;	/* constant after init */
	struct ptp_clock *ptp;		/* constant after init; NULL: none */

	spinlock_t lock;		/* protects the fields below; _bh */
	bool have_sample;		/* lock: host_ns/ref_ticks are valid */
	s64 host_ns;			/* lock: host UTC, Unix ns, at ref_ticks */
	u64 ref_ticks;			/* lock: reference counter of host_ns */
	s64 last_correction_ns;		/* lock: last step applied, new - old */
	u64 samples;			/* lock: SAMPLE messages */
	u64 syncs;			/* lock: SYNC messages */
	u64 stale;			/* lock: reads refused, sample too old */
	u64 rejected;			/* lock: messages with absurd times */
	u64 bad_reference;		/* lock: vmreferencetime in the future */
};

int hvic_timesync_now(struct hvic_timesync_state *ts, s64 *ns);
void hvic_ptp_register(struct hvic_timesync_state *ts);
void hvic_ptp_unregister(struct hvic_timesync_state *ts);

#endif /* HVIC_TIMESYNC_H */
