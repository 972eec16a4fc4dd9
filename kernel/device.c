// SPDX-License-Identifier: GPL-2.0
/*
 * Life cycle of a service device, the same for every service: probe,
 * remove (which is also what a host rescind ends in), suspend and resume.
 *
 * Ordering rules, relied on by the services:
 *  - ops->init() runs before the channel opens and ops->uninit() after it
 *    closed, so handle()/replied() never run outside the two;
 *  - vmbus_close() waits for a running channel callback and keeps any
 *    further one from calling us, so once it returns nothing can queue
 *    service work any more, and the service's cancel_work_sync() is final;
 *  - the sysfs files go before anything they read does.
 */
#include <linux/hyperv.h>
#include <linux/slab.h>

#include "core.h"

/* Ring sizes per direction: what hv_utils has always used. */
#define HVIC_RING_SIZE	VMBUS_RING_SIZE(3 * HV_HYP_PAGE_SIZE)

static int hvic_open(struct hvic_dev *dev)
{
	struct vmbus_channel *channel = dev->hdev->channel;
	int ret;

	spin_lock_bh(&dev->lock);
	hvic_set_state_locked(dev, HVIC_STATE_WAITING);
	spin_unlock_bh(&dev->lock);

	/* We bound the work per callback ourselves, see core.c. */
	set_channel_read_mode(channel, HV_CALL_DIRECT);
	channel->max_pkt_size = dev->buf_size;
	ret = vmbus_open(channel, HVIC_RING_SIZE, HVIC_RING_SIZE, NULL, 0,
			 hvic_channel_callback, dev);
	if (ret) {
		spin_lock_bh(&dev->lock);
		hvic_set_state_locked(dev, HVIC_STATE_CLOSED);
		spin_unlock_bh(&dev->lock);
	}
	return ret;
}

static void hvic_close(struct hvic_dev *dev)
{
	spin_lock_bh(&dev->lock);
	hvic_set_state_locked(dev, HVIC_STATE_CLOSED);
	/* The host forgets its transaction with the channel. */
	dev->pending = false;
	spin_unlock_bh(&dev->lock);
	vmbus_close(dev->hdev->channel);
	/* A callback that ran meanwhile may have renegotiated: undo that. */
	spin_lock_bh(&dev->lock);
	hvic_set_state_locked(dev, HVIC_STATE_CLOSED);
	spin_unlock_bh(&dev->lock);
}

int hvic_probe(struct hv_device *hdev, const struct hvic_service_ops *ops)
{
	struct hvic_dev *dev;
	int ret;

	dev = kzalloc(struct_size(dev, priv, 0) + ops->priv_size, GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->hdev = hdev;
	dev->ops = ops;
	dev->buf_size = ops->buf_size ?: HV_HYP_PAGE_SIZE;
	spin_lock_init(&dev->lock);
	dev->state = HVIC_STATE_CLOSED;

	dev->buf = kzalloc(dev->buf_size, GFP_KERNEL);
	if (!dev->buf) {
		ret = -ENOMEM;
		goto out_free_dev;
	}
	hv_set_drvdata(hdev, dev);

	if (ops->init) {
		ret = ops->init(dev);
		if (ret)
			goto out_free_buf;
	}
	ret = hvic_sysfs_add(dev);
	if (ret)
		goto out_uninit;
	ret = hvic_open(dev);
	if (ret)
		goto out_sysfs_remove;
	return 0;

out_sysfs_remove:
	hvic_sysfs_remove(dev);
out_uninit:
	if (ops->uninit)
		ops->uninit(dev);
out_free_buf:
	hv_set_drvdata(hdev, NULL);
	kfree(dev->buf);
out_free_dev:
	kfree(dev);
	dev_err(&hdev->device, "%s: probe failed: %d\n", ops->name, ret);
	return ret;
}

void hvic_remove(struct hv_device *hdev)
{
	struct hvic_dev *dev = hv_get_drvdata(hdev);

	hvic_sysfs_remove(dev);
	hvic_close(dev);
	if (dev->ops->uninit)
		dev->ops->uninit(dev);
	hv_set_drvdata(hdev, NULL);
	kfree(dev->buf);
	kfree(dev);
}

/* Around hibernation; user space is frozen.  The host renegotiates. */
int hvic_suspend(struct hv_device *hdev)
{
	struct hvic_dev *dev = hv_get_drvdata(hdev);

	hvic_close(dev);
	if (dev->ops->suspend)
		dev->ops->suspend(dev);
	return 0;
}

int hvic_resume(struct hv_device *hdev)
{
	struct hvic_dev *dev = hv_get_drvdata(hdev);

	if (dev->ops->resume)
		dev->ops->resume(dev);
	return hvic_open(dev);
}
