// SPDX-License-Identifier: GPL-2.0
/*
 * Shutdown: the host asks the guest to power off, reboot or hibernate.
 *
 * The reply goes out first, from the channel tasklet; only then does
 * replied() queue the work that starts the action, so the host always
 * hears the answer before the guest goes away.  Hibernation is left to
 * user space: a udev rule (40-hvic-hibernate.rules) acts on the
 * "EVENT=hibernate" change uevent sent on the device.
 */
#include <linux/kobject.h>
#include <linux/reboot.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <asm/mshyperv.h>

#include "core.h"

static const u32 hvic_shutdown_versions[] = {
	HVIC_VER(3, 2),
	HVIC_VER(3, 1),
	HVIC_VER(3, 0),
	HVIC_VER(1, 0),
};

enum hvic_shutdown_action {
	HVIC_ACTION_NONE,
	HVIC_ACTION_POWEROFF,
	HVIC_ACTION_REBOOT,
	HVIC_ACTION_HIBERNATE,
};

static const char *const hvic_action_names[] = {
	[HVIC_ACTION_NONE]	= "nothing",
	[HVIC_ACTION_POWEROFF]	= "power off",
	[HVIC_ACTION_REBOOT]	= "reboot",
	[HVIC_ACTION_HIBERNATE]	= "hibernate",
};

/* Characters of the host's message that make it to the log. */
#define HVIC_SHUTDOWN_LOG_CHARS	128

struct hvic_shutdown_state {
	struct hvic_dev *dev;		/* constant: the device we belong to */

	/* Channel tasklet only: decided by handle(), started by replied(). */
	enum hvic_shutdown_action pending;

	struct work_struct work;	/* starts the queued action */
	spinlock_t lock;		/* protects the fields below; _bh */
	enum hvic_shutdown_action queued;	/* lock: for the work */
	bool have_request;		/* lock: a request was received */
	u32 last_flags;			/* lock: of the last request */
	u32 last_reason;		/* lock: its reason code */
};

static void hvic_shutdown_work(struct work_struct *work)
{
	struct hvic_shutdown_state *sd =
		container_of(work, struct hvic_shutdown_state, work);
	char *envp[2] = { "EVENT=hibernate", NULL };
	enum hvic_shutdown_action action;

	spin_lock_bh(&sd->lock);
	action = sd->queued;
	sd->queued = HVIC_ACTION_NONE;
	spin_unlock_bh(&sd->lock);

	switch (action) {
	case HVIC_ACTION_POWEROFF:
		orderly_poweroff(true);
		break;
	case HVIC_ACTION_REBOOT:
		orderly_reboot();
		break;
	case HVIC_ACTION_HIBERNATE:
		kobject_uevent_env(&hvic_device(sd->dev)->kobj, KOBJ_CHANGE, envp);
		break;
	case HVIC_ACTION_NONE:
		break;
	}
}

/*
 * Copy the host's display message into out[] as printable ASCII: at most
 * the received bytes of the field, up to its NUL.  Hosts may send UTF-16LE
 * (a printable byte followed by 0): then one character per code unit.
 */
static void hvic_shutdown_message(const u8 *msg, u32 len, char *out,
				  size_t size)
{
	unsigned int step = 1, i, n = 0;

	if (len >= 2 && msg[0] && !msg[1])
		step = 2;
	for (i = 0; i + step <= len && n + 1 < size; i += step) {
		u16 c = step == 2 ? msg[i] | msg[i + 1] << 8 : msg[i];

		if (!c)
			break;
		out[n++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	out[n] = '\0';
}

static enum hvic_shutdown_action hvic_shutdown_decode(u32 flags)
{
	switch (flags) {
	case HVIC_SHUTDOWN_POWEROFF:
	case HVIC_SHUTDOWN_POWEROFF_FORCE:
		return HVIC_ACTION_POWEROFF;
	case HVIC_SHUTDOWN_REBOOT:
	case HVIC_SHUTDOWN_REBOOT_FORCE:
		return HVIC_ACTION_REBOOT;
	case HVIC_SHUTDOWN_HIBERNATE:
	case HVIC_SHUTDOWN_HIBERNATE_FORCE:
		return HVIC_ACTION_HIBERNATE;
	default:
		return HVIC_ACTION_NONE;
	}
}

static u32 hvic_shutdown_handle(struct hvic_dev *dev, struct hvic_msg *msg)
{
	struct hvic_shutdown_state *sd = hvic_priv(dev);
	struct hvic_shutdown *req = msg->body;
	char text[HVIC_SHUTDOWN_LOG_CHARS + 1];
	u32 flags = le32_to_cpu(req->flags);
	u32 reason = le32_to_cpu(req->reason_code);
	enum hvic_shutdown_action action = hvic_shutdown_decode(flags);

	hvic_shutdown_message(req->display_message,
			      min_t(u32, msg->len - offsetof(struct hvic_shutdown,
							     display_message),
				    HVIC_SHUTDOWN_MSG_LEN),
			      text, sizeof(text));
	dev_info_ratelimited(hvic_device(dev),
			     "host requests %s: flags %#x, reason %#010x, timeout %u s, message \"%s\"\n",
			     hvic_action_names[action], flags, reason,
			     le32_to_cpu(req->timeout_seconds), text);

	spin_lock_bh(&sd->lock);
	sd->have_request = true;
	sd->last_flags = flags;
	sd->last_reason = reason;
	spin_unlock_bh(&sd->lock);

	if (action == HVIC_ACTION_NONE) {
		hvic_bad_msg(dev, "undefined shutdown flags %#x\n", flags);
		return HVIC_E_FAIL;
	}
	if (action == HVIC_ACTION_HIBERNATE && !hv_is_hibernation_supported()) {
		dev_info_ratelimited(hvic_device(dev),
				     "cannot hibernate: not supported here\n");
		return HVIC_E_FAIL;
	}
	sd->pending = action;
	return HVIC_S_OK;
}

static void hvic_shutdown_replied(struct hvic_dev *dev)
{
	struct hvic_shutdown_state *sd = hvic_priv(dev);

	if (sd->pending == HVIC_ACTION_NONE)
		return;
	spin_lock_bh(&sd->lock);
	sd->queued = sd->pending;
	spin_unlock_bh(&sd->lock);
	sd->pending = HVIC_ACTION_NONE;
	schedule_work(&sd->work);
}

static int hvic_shutdown_init(struct hvic_dev *dev)
{
	struct hvic_shutdown_state *sd = hvic_priv(dev);

	sd->dev = dev;
	spin_lock_init(&sd->lock);
	INIT_WORK(&sd->work, hvic_shutdown_work);
	return 0;
}

/* The channel is closed: nothing queues the work any more. */
static void hvic_shutdown_stop(struct hvic_dev *dev)
{
	struct hvic_shutdown_state *sd = hvic_priv(dev);

	cancel_work_sync(&sd->work);
	sd->pending = HVIC_ACTION_NONE;
}

static ssize_t last_request_show(struct device *device,
				 struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = dev_get_drvdata(device);
	struct hvic_shutdown_state *sd = hvic_priv(dev);
	u32 flags, reason;
	bool have;

	spin_lock_bh(&sd->lock);
	have = sd->have_request;
	flags = sd->last_flags;
	reason = sd->last_reason;
	spin_unlock_bh(&sd->lock);
	if (!have)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "flags=%#x reason=%#010x action=%s\n", flags,
			  reason, hvic_action_names[hvic_shutdown_decode(flags)]);
}
static DEVICE_ATTR_RO(last_request);

static struct attribute *hvic_shutdown_attrs[] = {
	&dev_attr_last_request.attr,
	NULL
};

static const struct attribute_group hvic_shutdown_group = {
	.name = "hvic",
	.attrs = hvic_shutdown_attrs,
};

const struct hvic_service_ops hvic_shutdown_ops = {
	.name = "shutdown",
	HV_SHUTDOWN_GUID,
	.versions = hvic_shutdown_versions,
	.nversions = ARRAY_SIZE(hvic_shutdown_versions),
	.msg_type = HVIC_MSG_SHUTDOWN,
	.min_len = offsetof(struct hvic_shutdown, display_message),
	.priv_size = sizeof(struct hvic_shutdown_state),
	.init = hvic_shutdown_init,
	.uninit = hvic_shutdown_stop,
	.handle = hvic_shutdown_handle,
	.replied = hvic_shutdown_replied,
	.suspend = hvic_shutdown_stop,
	.attrs = &hvic_shutdown_group,
};
