/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The character device a service's daemon talks to (/dev/vmbus/hv_kvp,
 * later hv_vss and hv_fcopy), with upstream's ABI: see uapi/linux/hvic.h.
 *
 * One message slot in each direction and one daemon at a time.  The daemon
 * first registers (a service-specific write, answered with a message the
 * service queues through hvic_cdev_register_reply()); from then on the
 * service queues requests with hvic_cdev_send() and gets the daemon's
 * answers through ops->on_reply().  The transport knows whether an answer
 * is owed, so a reply nobody asked for is refused here (EINVAL).
 *
 * Life time: the service creates the device at probe and stops it at
 * remove.  An open file holds a reference of its own, so remove never
 * waits for the daemon: the daemon sees POLLHUP and EBADF and closes.
 */
#ifndef HVIC_CDEV_H
#define HVIC_CDEV_H

#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

/**
 * struct hvic_cdev_ops - what the service does for the transport
 * @write_size:	the exact size of every message the daemon writes
 * @max_msg:	the largest message the service queues for the daemon
 * @on_register: a write before registration; queue the answer with
 *		hvic_cdev_register_reply() or return an errno for write()
 * @on_ready:	the daemon has read the registration answer: requests may
 *		now be sent
 * @on_reply:	the daemon's answer to the request it last read; returns 0
 *		or an errno for write()
 * @on_release:	the daemon closed the device; what it had not answered
 *		never will be
 *
 * The callbacks run in process context, serialised with each other and
 * with hvic_cdev_stop(), with no transport lock held: they may call
 * hvic_cdev_send() and friends.
 */
struct hvic_cdev_ops {
	size_t write_size;
	size_t max_msg;
	int (*on_register)(void *priv, const void *msg, size_t len);
	void (*on_ready)(void *priv);
	int (*on_reply)(void *priv, const void *msg, size_t len);
	void (*on_release)(void *priv);
};

/* ---- Internals of cdev.c and cdev_file.c; services use the API below. */

enum hvic_cdev_state {
	HVIC_CDEV_IDLE,		/* nobody has the device open */
	HVIC_CDEV_OPEN,		/* opened, not registered */
	HVIC_CDEV_REGISTERING,	/* registration answer queued, unread */
	HVIC_CDEV_READY,	/* registered: requests flow */
	HVIC_CDEV_DYING,	/* the service device is gone */
};

/* The daemon's debt for the request it read last (READY only). */
enum hvic_cdev_reply {
	HVIC_REPLY_NONE,	/* nothing read and unanswered */
	HVIC_REPLY_READING,	/* read() is copying the request out */
	HVIC_REPLY_OWED,	/* read, the service waits for the answer */
	HVIC_REPLY_ABANDONED,	/* read, the service gave up on it */
};

struct hvic_cdev {
	struct miscdevice misc;		/* constant once registered */
	struct kref ref;		/* the service's, plus one per open file */
	size_t write_size;		/* constant: ops->write_size */
	size_t max_msg;			/* constant: ops->max_msg */
	wait_queue_head_t wq;		/* readers and pollers */

	/* Serialises the ops callbacks with hvic_cdev_stop(). */
	struct mutex cb_mutex;
	const struct hvic_cdev_ops *ops;	/* cb_mutex; NULL once dying */
	void *priv;				/* cb_mutex */

	/* Protects the fields below; taken with _bh (services' tasklets). */
	spinlock_t lock;
	enum hvic_cdev_state state;	/* lock */
	enum hvic_cdev_reply reply;	/* lock */
	size_t queued;			/* lock: bytes in slot, 0: empty */
	u8 *slot;			/* lock: the message for the daemon */
};

extern const struct file_operations hvic_cdev_fops;
void hvic_cdev_set_state_locked(struct hvic_cdev *cdev,
				enum hvic_cdev_state state);
bool hvic_cdev_readable_locked(struct hvic_cdev *cdev);

/* ---- The API for services. */

struct hvic_cdev *hvic_cdev_create(const char *name,
				   const struct hvic_cdev_ops *ops, void *priv);
int hvic_cdev_publish(struct hvic_cdev *cdev);
void hvic_cdev_stop(struct hvic_cdev *cdev);
void hvic_cdev_put(struct hvic_cdev *cdev);

/* Any context; take only the transport's own lock. */
int hvic_cdev_send(struct hvic_cdev *cdev, const void *msg, size_t len);
int hvic_cdev_register_reply(struct hvic_cdev *cdev, const void *msg,
			     size_t len);
void hvic_cdev_cancel(struct hvic_cdev *cdev);
const char *hvic_cdev_daemon_state(struct hvic_cdev *cdev);

#endif /* HVIC_CDEV_H */
