/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVP service state (kvp.c) and the conversions between the host's wire
 * format and the daemon's (kvp_conv.c).
 */
#ifndef HVIC_KVP_H
#define HVIC_KVP_H

#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "cdev.h"
#include "core.h"

/* The one host transaction KVP may have at a time. */
enum hvic_kvp_xact {
	HVIC_KVP_IDLE,		/* none: the channel is read */
	HVIC_KVP_WAIT_DAEMON,	/* request held until a daemon registers */
	HVIC_KVP_WAIT_REPLY,	/* request given to the daemon */
};

struct hvic_kvp_state {
	struct hvic_dev *dev;		/* constant: the device we belong to */
	struct hvic_cdev *cdev;		/* constant from init to uninit */
	struct delayed_work timeout;	/* fails a transaction gone stale */

	spinlock_t lock;		/* protects the fields below; _bh */
	enum hvic_kvp_xact xact;	/* lock */
	unsigned long deadline;		/* lock: jiffies the wait ends at */
	u8 op;				/* lock: the host's operation */
	void *host_body;		/* lock: in dev->buf, while not IDLE */
	bool legacy;			/* lock: daemon uses KVP_OP_REGISTER */
	struct hvic_kvp_msg *req;	/* lock: the request, daemon form */
	u64 requests;			/* lock: requests passed on */
	/* lock: failed for want of a daemon, or of its answer, in time */
	u64 timeouts;
	/* lock: the daemon went away mid-request, or answered nonsense */
	u64 daemon_errors;
	u64 truncated;			/* lock: strings cut for the host */
};

/* What became of a daemon's answer, beyond the status for the host. */
struct hvic_kvp_outcome {
	bool bad;			/* unusable: HVIC_E_FAIL */
	bool truncated;			/* a string was cut to fit */
};

/* kvp.c, for kvp_daemon.c */
extern const struct hvic_cdev_ops hvic_kvp_cdev_ops;
void hvic_kvp_pass_on_locked(struct hvic_kvp_state *kvp);
void hvic_kvp_finish_locked(struct hvic_kvp_state *kvp, u32 status);

/* kvp_conv.c */
u32 hvic_kvp_request(struct hvic_dev *dev, const void *body, u32 len,
		     struct hvic_kvp_msg *out);
u32 hvic_kvp_answer(struct hvic_dev *dev, const struct hvic_kvp_msg *in,
		    void *host_body, u8 op, bool legacy,
		    struct hvic_kvp_outcome *res);

#endif /* HVIC_KVP_H */
