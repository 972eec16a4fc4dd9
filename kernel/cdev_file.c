// SPDX-License-Identifier: GPL-2.0
/*
 * The file operations of the daemon's character device: what the daemon
 * calls.  The states and the rules are described in cdev.c.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cdev.h"

static bool hvic_cdev_readable(struct hvic_cdev *cdev)
{
	bool ret;

	spin_lock_bh(&cdev->lock);
	ret = hvic_cdev_readable_locked(cdev);
	spin_unlock_bh(&cdev->lock);
	return ret;
}

static int hvic_cdev_open(struct inode *inode, struct file *file)
{
	/* misc_open() points private_data at the miscdevice. */
	struct hvic_cdev *cdev = container_of(file->private_data,
					      struct hvic_cdev, misc);
	int ret = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	spin_lock_bh(&cdev->lock);
	if (cdev->state == HVIC_CDEV_DYING)
		ret = -ENODEV;
	else if (cdev->state != HVIC_CDEV_IDLE)
		ret = -EBUSY;
	else
		hvic_cdev_set_state_locked(cdev, HVIC_CDEV_OPEN);
	spin_unlock_bh(&cdev->lock);
	if (ret)
		return ret;
	/* Dropped by hvic_cdev_release(). */
	kref_get(&cdev->ref);
	file->private_data = cdev;
	return stream_open(inode, file);
}

static int hvic_cdev_release(struct inode *inode, struct file *file)
{
	struct hvic_cdev *cdev = file->private_data;

	mutex_lock(&cdev->cb_mutex);
	spin_lock_bh(&cdev->lock);
	hvic_cdev_set_state_locked(cdev, HVIC_CDEV_IDLE);
	spin_unlock_bh(&cdev->lock);
	if (cdev->ops)
		cdev->ops->on_release(cdev->priv);
	mutex_unlock(&cdev->cb_mutex);
	hvic_cdev_put(cdev);
	return 0;
}

/*
 * Take the readable message out of the slot into buf; returns its length,
 * 0 if there is none, or -errno.  The state moves on in _commit.
 */
static ssize_t hvic_cdev_take(struct hvic_cdev *cdev, u8 *buf, size_t count)
{
	ssize_t ret = 0;

	spin_lock_bh(&cdev->lock);
	if (cdev->state == HVIC_CDEV_DYING) {
		ret = -EBADF;
	} else if (hvic_cdev_readable_locked(cdev)) {
		if (count < cdev->queued) {
			ret = -EINVAL;
		} else {
			ret = cdev->queued;
			memcpy(buf, cdev->slot, ret);
			cdev->queued = 0;
			if (cdev->state == HVIC_CDEV_READY)
				cdev->reply = HVIC_REPLY_READING;
		}
	}
	spin_unlock_bh(&cdev->lock);
	return ret;
}

/* After copy_to_user(): returns true when registration just completed. */
static bool hvic_cdev_commit(struct hvic_cdev *cdev, const u8 *buf,
			     size_t len, bool copied)
{
	bool ready = false;

	spin_lock_bh(&cdev->lock);
	if (cdev->state == HVIC_CDEV_REGISTERING) {
		if (copied) {
			hvic_cdev_set_state_locked(cdev, HVIC_CDEV_READY);
			ready = true;
		} else if (!cdev->queued) {
			memcpy(cdev->slot, buf, len);
			cdev->queued = len;
		}
	} else if (cdev->reply == HVIC_REPLY_READING) {
		cdev->reply = copied ? HVIC_REPLY_OWED : HVIC_REPLY_NONE;
		/* Not delivered: the slot still holds it, unchanged. */
		if (!copied)
			cdev->queued = len;
	} else if (cdev->reply == HVIC_REPLY_ABANDONED && !copied) {
		cdev->reply = HVIC_REPLY_NONE;
	}
	spin_unlock_bh(&cdev->lock);
	return ready;
}

static ssize_t hvic_cdev_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct hvic_cdev *cdev = file->private_data;
	ssize_t len;
	bool copied;
	u8 *buf;

	buf = kmalloc(cdev->max_msg, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		len = hvic_cdev_take(cdev, buf, count);
		if (len)
			break;
		len = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			goto out_free;
		if (wait_event_interruptible(cdev->wq, hvic_cdev_readable(cdev))) {
			len = -ERESTARTSYS;
			goto out_free;
		}
	}
	if (len < 0)
		goto out_free;

	copied = !copy_to_user(ubuf, buf, len);
	if (hvic_cdev_commit(cdev, buf, len, copied)) {
		mutex_lock(&cdev->cb_mutex);
		if (cdev->ops)
			cdev->ops->on_ready(cdev->priv);
		mutex_unlock(&cdev->cb_mutex);
	}
	if (!copied)
		len = -EFAULT;
out_free:
	kfree(buf);
	return len;
}

/* What a write in the current state is; -errno refuses it. */
enum hvic_cdev_write { HVIC_WRITE_REGISTER, HVIC_WRITE_REPLY, HVIC_WRITE_DROP };

static int hvic_cdev_write_kind(struct hvic_cdev *cdev)
{
	int ret = -EINVAL;

	spin_lock_bh(&cdev->lock);
	switch (cdev->state) {
	case HVIC_CDEV_DYING:
		ret = -EBADF;
		break;
	case HVIC_CDEV_OPEN:
		ret = HVIC_WRITE_REGISTER;
		break;
	case HVIC_CDEV_READY:
		if (cdev->reply == HVIC_REPLY_OWED)
			ret = HVIC_WRITE_REPLY;
		else if (cdev->reply == HVIC_REPLY_ABANDONED)
			ret = HVIC_WRITE_DROP;
		if (ret >= 0)
			cdev->reply = HVIC_REPLY_NONE;
		wake_up_interruptible_all(&cdev->wq);
		break;
	default:
		break;
	}
	spin_unlock_bh(&cdev->lock);
	return ret;
}

static ssize_t hvic_cdev_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct hvic_cdev *cdev = file->private_data;
	int kind, ret = 0;
	void *buf;

	if (count != cdev->write_size)
		return -EINVAL;
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	mutex_lock(&cdev->cb_mutex);
	kind = hvic_cdev_write_kind(cdev);
	if (kind < 0)
		ret = kind;
	else if (!cdev->ops)
		ret = -EBADF;
	else if (kind == HVIC_WRITE_REGISTER)
		ret = cdev->ops->on_register(cdev->priv, buf, count);
	else if (kind == HVIC_WRITE_REPLY)
		ret = cdev->ops->on_reply(cdev->priv, buf, count);
	mutex_unlock(&cdev->cb_mutex);
	kfree(buf);
	return ret ?: count;
}

static __poll_t hvic_cdev_poll(struct file *file, poll_table *wait)
{
	struct hvic_cdev *cdev = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &cdev->wq, wait);
	spin_lock_bh(&cdev->lock);
	if (cdev->state == HVIC_CDEV_DYING)
		mask = EPOLLERR | EPOLLHUP;
	else if (hvic_cdev_readable_locked(cdev))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_bh(&cdev->lock);
	return mask;
}

const struct file_operations hvic_cdev_fops = {
	.owner = THIS_MODULE,
	.open = hvic_cdev_open,
	.release = hvic_cdev_release,
	.read = hvic_cdev_read,
	.write = hvic_cdev_write,
	.poll = hvic_cdev_poll,
	.llseek = noop_llseek,
};
