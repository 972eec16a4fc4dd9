// SPDX-License-Identifier: GPL-2.0
/*
 * KVP, the key/value pair exchange: the host sets, gets, deletes and
 * enumerates records in the pools a daemon keeps (/var/lib/hyperv), and
 * reads or sets adapters' IP configuration.  The kernel checks and converts
 * each request (kvp_conv.c), hands it to the daemon over /dev/vmbus/hv_kvp
 * (cdev.c), and answers the host once the daemon has (kvp_reply.c):
 * handle() returns HVIC_PENDING and the reply goes out by hvic_complete().
 * The host has one transaction in flight:
 *
 *	IDLE --request--> WAIT_REPLY (a daemon is registered)
 *	                  WAIT_DAEMON --a daemon registers--> WAIT_REPLY
 *	WAIT_REPLY --the daemon answers--> IDLE, its status to the host
 *	WAIT_DAEMON after kvp_daemon_wait_s, WAIT_REPLY after
 *	kvp_reply_timeout_s or when the daemon closes the device:
 *		--> IDLE, HV_E_FAIL to the host
 *
 * Version negotiation is the core's, daemon or not: upstream defers it
 * until a daemon registers, which leaves a daemon-less guest unanswered.
 */
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kvp.h"

static unsigned int kvp_daemon_wait_s = 10;
module_param(kvp_daemon_wait_s, uint, 0644);
MODULE_PARM_DESC(kvp_daemon_wait_s,
		 "Seconds a KVP request waits for a daemon to register (1-600, default 10)");

static unsigned int kvp_reply_timeout_s = 10;
module_param(kvp_reply_timeout_s, uint, 0644);
MODULE_PARM_DESC(kvp_reply_timeout_s,
		 "Seconds the KVP daemon has to answer a request (1-600, default 10)");

static_assert(sizeof(struct hvic_kvp_msg) == HVIC_KVP_MSG_SIZE);

static const u32 hvic_kvp_versions[] = {
	HVIC_VER(4, 0),
	HVIC_VER(3, 0),
	HVIC_VER(1, 0),
};

static void hvic_kvp_wait_locked(struct hvic_kvp_state *kvp,
				 enum hvic_kvp_xact xact, unsigned int secs)
{
	unsigned long delay = clamp_val(secs, 1, 600) * HZ;

	lockdep_assert_held(&kvp->lock);
	kvp->xact = xact;
	kvp->deadline = jiffies + delay;
	mod_delayed_work(system_wq, &kvp->timeout, delay);
}

/* End the transaction; the timeout work, if queued, finds nothing to do. */
void hvic_kvp_finish_locked(struct hvic_kvp_state *kvp, u32 status)
{
	lockdep_assert_held(&kvp->lock);
	kvp->xact = HVIC_KVP_IDLE;
	kvp->host_body = NULL;
	hvic_complete(kvp->dev, status);
}

/* Hand the held request to the daemon, or keep waiting for one. */
void hvic_kvp_pass_on_locked(struct hvic_kvp_state *kvp)
{
	int ret;

	lockdep_assert_held(&kvp->lock);
	ret = hvic_cdev_send(kvp->cdev, kvp->req, sizeof(*kvp->req));
	if (!ret) {
		hvic_kvp_wait_locked(kvp, HVIC_KVP_WAIT_REPLY,
				     READ_ONCE(kvp_reply_timeout_s));
	} else if (ret == -ENOTCONN) {
		if (kvp->xact != HVIC_KVP_WAIT_DAEMON)
			hvic_kvp_wait_locked(kvp, HVIC_KVP_WAIT_DAEMON,
					     READ_ONCE(kvp_daemon_wait_s));
	} else {
		kvp->daemon_errors++;
		hvic_kvp_finish_locked(kvp, HVIC_E_FAIL);
	}
}

static u32 hvic_kvp_handle(struct hvic_dev *dev, struct hvic_msg *msg)
{
	struct hvic_kvp_state *kvp = hvic_priv(dev);
	u32 status;

	spin_lock_bh(&kvp->lock);
	status = hvic_kvp_request(dev, msg->body, msg->len, kvp->req);
	if (status == HVIC_S_OK) {
		kvp->requests++;
		kvp->op = kvp->req->kvp_hdr.operation;
		kvp->host_body = msg->body;
		kvp->xact = HVIC_KVP_IDLE;
		hvic_kvp_pass_on_locked(kvp);
		status = HVIC_PENDING;
	}
	spin_unlock_bh(&kvp->lock);
	return status;
}

static void hvic_kvp_timeout_work(struct work_struct *work)
{
	struct hvic_kvp_state *kvp = container_of(to_delayed_work(work),
						  struct hvic_kvp_state, timeout);

	spin_lock_bh(&kvp->lock);
	if (kvp->xact != HVIC_KVP_IDLE && time_after_eq(jiffies, kvp->deadline)) {
		dev_warn_ratelimited(hvic_device(kvp->dev),
				     "kvp: request %u failed: %s\n", kvp->op,
				     kvp->xact == HVIC_KVP_WAIT_DAEMON ?
				     "no daemon registered in time" :
				     "no answer from the daemon in time");
		if (kvp->xact == HVIC_KVP_WAIT_REPLY)
			hvic_cdev_cancel(kvp->cdev);
		kvp->timeouts++;
		hvic_kvp_finish_locked(kvp, HVIC_E_FAIL);
	}
	spin_unlock_bh(&kvp->lock);
}

static int hvic_kvp_init(struct hvic_dev *dev)
{
	struct hvic_kvp_state *kvp = hvic_priv(dev);
	int ret;

	kvp->dev = dev;
	spin_lock_init(&kvp->lock);
	INIT_DELAYED_WORK(&kvp->timeout, hvic_kvp_timeout_work);
	kvp->req = kzalloc(sizeof(*kvp->req), GFP_KERNEL);
	if (!kvp->req)
		return -ENOMEM;
	kvp->cdev = hvic_cdev_create("vmbus/hv_kvp", &hvic_kvp_cdev_ops, kvp);
	if (IS_ERR(kvp->cdev)) {
		ret = PTR_ERR(kvp->cdev);
		goto out_free_req;
	}
	/* last: a daemon may register the moment the node exists */
	ret = hvic_cdev_publish(kvp->cdev);
	if (ret)
		goto out_put_cdev;
	return 0;

out_put_cdev:
	hvic_cdev_put(kvp->cdev);
out_free_req:
	kfree(kvp->req);
	return ret;
}

/* The channel is closed: no handle() any more, and no reply is sent. */
static void hvic_kvp_uninit(struct hvic_dev *dev)
{
	struct hvic_kvp_state *kvp = hvic_priv(dev);

	hvic_cdev_stop(kvp->cdev);
	cancel_delayed_work_sync(&kvp->timeout);
	hvic_cdev_put(kvp->cdev);
	kfree(kvp->req);
}

/* Around hibernation: the host forgets the transaction with the channel. */
static void hvic_kvp_suspend(struct hvic_dev *dev)
{
	struct hvic_kvp_state *kvp = hvic_priv(dev);

	spin_lock_bh(&kvp->lock);
	if (kvp->xact == HVIC_KVP_WAIT_REPLY)
		hvic_cdev_cancel(kvp->cdev);
	kvp->xact = HVIC_KVP_IDLE;
	kvp->host_body = NULL;
	spin_unlock_bh(&kvp->lock);
	cancel_delayed_work_sync(&kvp->timeout);
}

static struct hvic_kvp_state *to_kvp(struct device *device)
{
	return hvic_priv(dev_get_drvdata(device));
}

static ssize_t requests_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	return hvic_emit_u64(buf, &to_kvp(device)->lock, &to_kvp(device)->requests);
}
static DEVICE_ATTR_RO(requests);

static ssize_t timeouts_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	return hvic_emit_u64(buf, &to_kvp(device)->lock, &to_kvp(device)->timeouts);
}
static DEVICE_ATTR_RO(timeouts);

static ssize_t daemon_errors_show(struct device *device,
				  struct device_attribute *attr, char *buf)
{
	return hvic_emit_u64(buf, &to_kvp(device)->lock,
			     &to_kvp(device)->daemon_errors);
}
static DEVICE_ATTR_RO(daemon_errors);

static ssize_t truncated_show(struct device *device,
			      struct device_attribute *attr, char *buf)
{
	return hvic_emit_u64(buf, &to_kvp(device)->lock, &to_kvp(device)->truncated);
}
static DEVICE_ATTR_RO(truncated);

static ssize_t daemon_show(struct device *device,
			   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", hvic_cdev_daemon_state(to_kvp(device)->cdev));
}
static DEVICE_ATTR_RO(daemon);

static struct attribute *hvic_kvp_attrs[] = {
	&dev_attr_daemon.attr,
	&dev_attr_requests.attr,
	&dev_attr_timeouts.attr,
	&dev_attr_daemon_errors.attr,
	&dev_attr_truncated.attr,
	NULL
};

static const struct attribute_group hvic_kvp_group = {
	.name = "hvic",
	.attrs = hvic_kvp_attrs,
};

const struct hvic_service_ops hvic_kvp_ops = {
	.name = "kvp",
	HV_KVP_GUID,
	.versions = hvic_kvp_versions,
	.nversions = ARRAY_SIZE(hvic_kvp_versions),
	.msg_type = HVIC_MSG_KVP,
	.min_len = sizeof(struct hvic_kvpw_hdr),
	.buf_size = 4 * HV_HYP_PAGE_SIZE,
	.priv_size = sizeof(struct hvic_kvp_state),
	.init = hvic_kvp_init,
	.uninit = hvic_kvp_uninit,
	.handle = hvic_kvp_handle,
	.suspend = hvic_kvp_suspend,
	.attrs = &hvic_kvp_group,
};
