/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one core every integration service goes through.
 *
 * A service is a const struct hvic_service_ops.  The core owns the channel
 * and runs, for every packet the host sends:
 *
 *	receive -> copy into dev->buf -> validate headers -> NEGOTIATE (core)
 *		or the service's handle() -> reply (same buffer, same length)
 *		-> the service's replied() hook
 *
 * so a service never touches the ring, the headers or the reply.
 *
 * A service that must ask user space first (KVP) returns HVIC_PENDING from
 * handle(): the core then keeps the request in dev->buf, stops reading the
 * ring (the host has one transaction in flight per channel), and sends the
 * reply when the service calls hvic_complete() from process context.
 */
#ifndef HVIC_CORE_H
#define HVIC_CORE_H

#include <linux/device.h>
#include <linux/hyperv.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "icmsg.h"

struct hvic_dev;

/* Life of a service device; changed only through hvic_set_state_locked(). */
enum hvic_state {
	HVIC_STATE_CLOSED,	/* channel not open: probe, suspend, remove */
	HVIC_STATE_WAITING,	/* open, no versions agreed with the host yet */
	HVIC_STATE_NEGOTIATED,	/* versions agreed: service messages served */
	HVIC_STATE_BROKEN,	/* the host made a mess: don't read any more */
};

/*
 * Returned by handle() instead of a status: the reply follows through
 * hvic_complete().  Never sent to the host.
 */
#define HVIC_PENDING	0xffffffffU

/* One host request, as a service's handle() sees it. */
struct hvic_msg {
	void *body;		/* in dev->buf, right after the IC header */
	u32 len;		/* body bytes, checked against what was received */
	u32 version;		/* negotiated service version, HVIC_VER() */
};

/**
 * struct hvic_service_ops - what makes a service different
 * @name:	short name for logs and sysfs ("heartbeat")
 * @guid:	VMBus class id (filled from the HV_*_GUID macros)
 * @versions:	service versions we speak, most preferred first
 * @nversions:	entries in @versions
 * @msg_type:	the one IC message type besides NEGOTIATE
 * @min_len:	body bytes every version of @msg_type has at least
 * @buf_size:	receive buffer, the largest packet taken (0: one page)
 * @priv_size:	bytes of per-device service state, see hvic_priv()
 * @init:	probe time, before the channel opens (may sleep)
 * @uninit:	remove time, after the channel closed (may sleep)
 * @handle:	a validated request of @msg_type in a negotiated channel;
 *		runs in the channel tasklet, edits the body in place for the
 *		reply and returns its status, or HVIC_PENDING: then the body
 *		stays the service's to edit until it calls hvic_complete()
 * @replied:	after the reply to a handle()d request went out (tasklet):
 *		the place to start what must follow the reply (not called for
 *		HVIC_PENDING requests)
 * @suspend:	after the channel closed for suspend (may sleep)
 * @resume:	before the channel reopens after resume (may sleep)
 * @attrs:	sysfs attributes merged into the device's "hvic" group
 */
struct hvic_service_ops {
	const char *name;
	guid_t guid;
	const u32 *versions;
	unsigned int nversions;
	u16 msg_type;
	u16 min_len;
	u32 buf_size;
	size_t priv_size;
	int (*init)(struct hvic_dev *dev);
	void (*uninit)(struct hvic_dev *dev);
	u32 (*handle)(struct hvic_dev *dev, struct hvic_msg *msg);
	void (*replied)(struct hvic_dev *dev);
	void (*suspend)(struct hvic_dev *dev);
	void (*resume)(struct hvic_dev *dev);
	const struct attribute_group *attrs;
};

/*
 * Per-device state.  The receive path runs in the channel tasklet, which
 * the bus serialises per channel and vmbus_close() waits for.
 */
struct hvic_dev {
	/* Constant from probe to remove. */
	struct hv_device *hdev;
	const struct hvic_service_ops *ops;
	u32 buf_size;

	/*
	 * Channel tasklet only (or with the channel closed); while a request
	 * is pending, the service's until it calls hvic_complete().
	 */
	u8 *buf;			/* private copy of the current packet */

	/* Protects everything below; taken with _bh (tasklet vs. sysfs). */
	spinlock_t lock;
	enum hvic_state state;		/* lock */
	u32 fw_version;			/* lock: agreed framework version, 0 none */
	u32 srv_version;		/* lock: agreed service version, 0 none */
	u64 messages;			/* lock: packets received */
	u64 errors;			/* lock: malformed packets received */
	u64 send_errors;		/* lock: replies the ring refused */
	bool pending;			/* lock: a request awaits hvic_complete() */
	u32 pending_len;		/* lock: its packet length */
	u64 pending_id;			/* lock: its VMBus request id */

	/* Service state, hvic_priv(); the service documents its locking. */
	unsigned long priv[] __aligned(sizeof(u64));
};

static inline void *hvic_priv(struct hvic_dev *dev)
{
	return dev->priv;
}

static inline struct device *hvic_device(struct hvic_dev *dev)
{
	return &dev->hdev->device;
}

void hvic_count_error(struct hvic_dev *dev);

/*
 * The host sent something we refuse: count it and say so, rate-limited.
 * Callers then answer HVIC_E_FAIL, or drop what can't be answered.
 */
#define hvic_bad_msg(dev, fmt, ...)					\
	do {								\
		struct hvic_dev *__hvic = (dev);			\
									\
		hvic_count_error(__hvic);				\
		dev_warn_ratelimited(hvic_device(__hvic), "%s: " fmt,	\
				     __hvic->ops->name, ##__VA_ARGS__);	\
	} while (0)

/* core.c */
void hvic_channel_callback(void *context);
bool hvic_complete(struct hvic_dev *dev, u32 status);
void hvic_set_state_locked(struct hvic_dev *dev, enum hvic_state state);
const char *hvic_state_name(enum hvic_state state);

/* negotiate.c: answer a NEGOTIATE in place, returns its status. */
u32 hvic_negotiate(struct hvic_dev *dev, struct hvic_icmsg_hdr *hdr,
		   void *body, u32 len);

/* device.c: the hv_driver callbacks, shared by every service. */
int hvic_probe(struct hv_device *hdev, const struct hvic_service_ops *ops);
void hvic_remove(struct hv_device *hdev);
int hvic_suspend(struct hv_device *hdev);
int hvic_resume(struct hv_device *hdev);

/* sysfs.c */
int hvic_sysfs_add(struct hvic_dev *dev);
void hvic_sysfs_remove(struct hvic_dev *dev);
ssize_t hvic_emit_u64(char *buf, spinlock_t *lock, const u64 *val);
ssize_t hvic_emit_s64(char *buf, spinlock_t *lock, const s64 *val);

/* The services (heartbeat.c, shutdown.c, timesync.c, kvp.c). */
extern const struct hvic_service_ops hvic_heartbeat_ops;
extern const struct hvic_service_ops hvic_shutdown_ops;
extern const struct hvic_service_ops hvic_timesync_ops;
extern const struct hvic_service_ops hvic_kvp_ops;

#endif /* HVIC_CORE_H */
