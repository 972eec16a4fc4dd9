// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's character device, shared by the services that need a
 * daemon.  See cdev.h for the model and uapi/linux/hvic.h for the ABI.
 *
 * States (enum hvic_cdev_state), changed only by hvic_cdev_set_state_locked():
 *
 *	IDLE --open--> OPEN --registration--> REGISTERING --answer read--> READY
 *	 ^                                                                  |
 *	 +------------- release (from OPEN, REGISTERING or READY) ---------+
 *
 *	any --hvic_cdev_stop()--> DYING, for good: the file can only be closed
 *
 * In READY, each request goes through: queued (in the slot) -> read by the
 * daemon (reply OWED) -> answered (reply NONE).  A request the service
 * gives up on (hvic_cdev_cancel()) is dropped if unread, or, if already
 * read, its late answer is swallowed (reply ABANDONED) and the daemon gets
 * nothing new to read until it has answered.
 */
#include <linux/fs.h>
#include <linux/slab.h>

#include "cdev.h"

void hvic_cdev_set_state_locked(struct hvic_cdev *cdev,
				enum hvic_cdev_state state)
{
	lockdep_assert_held(&cdev->lock);

	if (cdev->state == HVIC_CDEV_DYING)
		return;
	cdev->state = state;
	if (state != HVIC_CDEV_REGISTERING && state != HVIC_CDEV_READY) {
		cdev->queued = 0;
		cdev->reply = HVIC_REPLY_NONE;
	}
	wake_up_interruptible_all(&cdev->wq);
}

/* A message the daemon may read now (or the end, DYING). */
bool hvic_cdev_readable_locked(struct hvic_cdev *cdev)
{
	lockdep_assert_held(&cdev->lock);

	if (cdev->state == HVIC_CDEV_DYING)
		return true;
	return cdev->queued && cdev->reply == HVIC_REPLY_NONE &&
	       (cdev->state == HVIC_CDEV_REGISTERING ||
		cdev->state == HVIC_CDEV_READY);
}

static void hvic_cdev_release_ref(struct kref *ref)
{
	struct hvic_cdev *cdev = container_of(ref, struct hvic_cdev, ref);

	kfree(cdev->slot);
	kfree(cdev);
}

void hvic_cdev_put(struct hvic_cdev *cdev)
{
	kref_put(&cdev->ref, hvic_cdev_release_ref);
}

/**
 * hvic_cdev_create() - create the transport for /dev/<name>
 * @name:	e.g. "vmbus/hv_kvp" (devtmpfs makes the directory)
 * @ops:	the service's callbacks and sizes
 * @priv:	passed to them
 *
 * Process context.  Nothing is visible until hvic_cdev_publish().  Returns
 * the transport or an ERR_PTR(); hvic_cdev_put() frees an unpublished one.
 */
struct hvic_cdev *hvic_cdev_create(const char *name,
				   const struct hvic_cdev_ops *ops, void *priv)
{
	struct hvic_cdev *cdev;
	int ret;

	cdev = kzalloc(sizeof(*cdev), GFP_KERNEL);
	if (!cdev)
		return ERR_PTR(-ENOMEM);
	cdev->slot = kzalloc(ops->max_msg, GFP_KERNEL);
	if (!cdev->slot) {
		ret = -ENOMEM;
		goto out_free_cdev;
	}
	kref_init(&cdev->ref);
	cdev->write_size = ops->write_size;
	cdev->max_msg = ops->max_msg;
	init_waitqueue_head(&cdev->wq);
	mutex_init(&cdev->cb_mutex);
	cdev->ops = ops;
	cdev->priv = priv;
	spin_lock_init(&cdev->lock);
	cdev->state = HVIC_CDEV_IDLE;

	/* No parent: the path daemons' units bind to stays upstream's. */
	cdev->misc.minor = MISC_DYNAMIC_MINOR;
	cdev->misc.name = name;
	cdev->misc.mode = 0600;
	cdev->misc.fops = &hvic_cdev_fops;
	return cdev;

out_free_cdev:
	kfree(cdev);
	return ERR_PTR(ret);
}

/**
 * hvic_cdev_publish() - create the device node
 * @cdev:	the transport
 *
 * Process context.  A daemon may open the node and register the moment it
 * exists, so the service must be ready for every callback, and hold its
 * pointer to @cdev, before calling this.  Returns 0 or an errno; on error
 * the transport is still unpublished.
 */
int hvic_cdev_publish(struct hvic_cdev *cdev)
{
	return misc_register(&cdev->misc);
}

/**
 * hvic_cdev_stop() - the service goes away
 * @cdev:	the transport
 *
 * Process context.  Removes the device node, wakes the daemon (POLLHUP,
 * EBADF) and waits only for a running callback: once this returns no
 * callback runs any more.  The caller then drops its reference with
 * hvic_cdev_put(), after whatever may still call hvic_cdev_*() has stopped.
 */
void hvic_cdev_stop(struct hvic_cdev *cdev)
{
	misc_deregister(&cdev->misc);
	mutex_lock(&cdev->cb_mutex);
	spin_lock_bh(&cdev->lock);
	hvic_cdev_set_state_locked(cdev, HVIC_CDEV_DYING);
	spin_unlock_bh(&cdev->lock);
	cdev->ops = NULL;
	cdev->priv = NULL;
	mutex_unlock(&cdev->cb_mutex);
}

/**
 * hvic_cdev_send() - queue a request for the registered daemon
 * @cdev:	the transport
 * @msg:	the message, copied
 * @len:	its length, at most ops->max_msg
 *
 * Any context.  Returns 0, -ENOTCONN when no daemon is registered, or
 * -EBUSY when the previous request is still queued or owed.
 */
int hvic_cdev_send(struct hvic_cdev *cdev, const void *msg, size_t len)
{
	int ret = 0;

	if (len > cdev->max_msg)
		return -EINVAL;
	spin_lock_bh(&cdev->lock);
	if (cdev->state != HVIC_CDEV_READY) {
		ret = -ENOTCONN;
	} else if (cdev->queued || cdev->reply == HVIC_REPLY_READING ||
		   cdev->reply == HVIC_REPLY_OWED) {
		ret = -EBUSY;
	} else {
		memcpy(cdev->slot, msg, len);
		cdev->queued = len;
		wake_up_interruptible_all(&cdev->wq);
	}
	spin_unlock_bh(&cdev->lock);
	return ret;
}

/* From on_register(): queue the answer that completes registration. */
int hvic_cdev_register_reply(struct hvic_cdev *cdev, const void *msg,
			     size_t len)
{
	int ret = 0;

	if (len > cdev->max_msg)
		return -EINVAL;
	spin_lock_bh(&cdev->lock);
	if (cdev->state != HVIC_CDEV_OPEN) {
		ret = -EINVAL;
	} else {
		memcpy(cdev->slot, msg, len);
		cdev->queued = len;
		hvic_cdev_set_state_locked(cdev, HVIC_CDEV_REGISTERING);
	}
	spin_unlock_bh(&cdev->lock);
	return ret;
}

/* The service gave up on its request (timeout): see the top comment. */
void hvic_cdev_cancel(struct hvic_cdev *cdev)
{
	spin_lock_bh(&cdev->lock);
	if (cdev->state == HVIC_CDEV_READY) {
		if (cdev->queued)
			cdev->queued = 0;
		else if (cdev->reply == HVIC_REPLY_READING ||
			 cdev->reply == HVIC_REPLY_OWED)
			cdev->reply = HVIC_REPLY_ABANDONED;
	}
	spin_unlock_bh(&cdev->lock);
}

/* For sysfs: "none", "opened" (not registered yet) or "registered". */
const char *hvic_cdev_daemon_state(struct hvic_cdev *cdev)
{
	enum hvic_cdev_state state;

	spin_lock_bh(&cdev->lock);
	state = cdev->state;
	spin_unlock_bh(&cdev->lock);
	switch (state) {
	case HVIC_CDEV_OPEN:
	case HVIC_CDEV_REGISTERING:
		return "opened";
	case HVIC_CDEV_READY:
		return "registered";
	default:
		return "none";
	}
}
