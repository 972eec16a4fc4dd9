// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim: /dev/vmbus_sim, the host side of every channel.
 *
 * Dispatch is table driven (one row per ioctl number): the caller's struct
 * starts with its size, which must be at least the first published size
 * (EINVAL) and may be larger only if the unknown tail is zero (E2BIG).
 * Read-write ioctls copy the struct back even on error, so RECV's ENOBUFS
 * and WAIT's ETIMEDOUT can report len and state.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>

#include "internal.h"

/* Every state a channel can be in, as WAIT mask bits. */
#define SIM_STATE_MASK_ALL					\
	(VMBUS_SIM_STATE_BIT(VMBUS_SIM_OFFERED) |		\
	 VMBUS_SIM_STATE_BIT(VMBUS_SIM_OPEN) |			\
	 VMBUS_SIM_STATE_BIT(VMBUS_SIM_CLOSED) |		\
	 VMBUS_SIM_STATE_BIT(VMBUS_SIM_RESCINDED) |		\
	 VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE))

union sim_ioctl_buf {
	u32 size;
	u32 id;
	struct vmbus_sim_offer offer;
	struct vmbus_sim_packet packet;
	struct vmbus_sim_status status;
	struct vmbus_sim_list list;
	struct vmbus_sim_wait wait;
	struct vmbus_sim_hostdata hostdata;
	struct vmbus_sim_config config;
	struct vmbus_sim_pm pm;
};

static int sim_ioctl_offer(union sim_ioctl_buf *b)
{
	struct vmbus_sim_offer *o = &b->offer;
	guid_t class, instance;

	if (o->flags)
		return -EOPNOTSUPP;
	if (o->reserved)
		return -EINVAL;
	import_guid(&class, o->class_guid);
	import_guid(&instance, o->instance_guid);
	if (guid_is_null(&class))
		return -EINVAL;
	if (guid_is_null(&instance)) {
		guid_gen(&instance);
		export_guid(o->instance_guid, &instance);
	}
	return sim_offer(&class, &instance, &o->id);
}

static int sim_ioctl_rescind(union sim_ioctl_buf *b)
{
	struct sim_chan *sc;

	int ret = -ENOENT;

	mutex_lock(&sim.lock);
	sc = xa_load(&sim.chans, b->id);
	if (sc && sc->live) {
		sim_rescind_locked(sc);
		ret = 0;
	}
	mutex_unlock(&sim.lock);
	return ret;
}

static int sim_ioctl_send(union sim_ioctl_buf *b)
{
	struct vmbus_sim_packet *p = &b->packet;
	struct sim_chan *sc = sim_chan_get(p->id);
	int ret;

	if (!sc)
		return -ENOENT;
	ret = sim_host_send(sc, u64_to_user_ptr(p->data), p->len,
			    p->request_id);
	sim_chan_put(sc);
	return ret;
}

static int sim_ioctl_recv(union sim_ioctl_buf *b)
{
	struct sim_chan *sc = sim_chan_get(b->packet.id);
	int ret;

	if (!sc)
		return -ENOENT;
	ret = sim_host_recv(sc, &b->packet);
	sim_chan_put(sc);
	return ret;
}

static int sim_ioctl_status(union sim_ioctl_buf *b)
{
	struct sim_chan *sc = sim_chan_get(b->status.id);

	if (!sc)
		return -ENOENT;
	sim_chan_status(sc, &b->status);
	sim_chan_put(sc);
	return 0;
}

/* Copies one status entry of @stride bytes (tail zeroed) to user space. */
static int sim_list_put(void __user *dst, u32 stride, struct sim_chan *sc)
{
	struct vmbus_sim_status st = { .size = stride };
	size_t n = min_t(size_t, stride, sizeof(st));

	sim_chan_status(sc, &st);
	if (copy_to_user(dst, &st, n))
		return -EFAULT;
	if (stride > n && clear_user(dst + n, stride - n))
		return -EFAULT;
	return 0;
}

static int sim_ioctl_list(union sim_ioctl_buf *b)
{
	struct vmbus_sim_list *l = &b->list;
	u32 stride = l->entry_size ? l->entry_size : VMBUS_SIM_STATUS_SIZE_V1;
	void __user *dst = u64_to_user_ptr(l->entries);
	struct sim_chan *sc;
	unsigned long id;
	u32 n = 0;
	int ret = 0;

	if (l->reserved)
		return -EINVAL;
	if (stride < VMBUS_SIM_STATUS_SIZE_V1)
		return -EINVAL;

	mutex_lock(&sim.lock);
	xa_for_each(&sim.chans, id, sc) {
		if (!sc->live)
			continue;
		if (n < l->count) {
			ret = sim_list_put(dst + (size_t)n * stride, stride, sc);
			if (ret)
				break;
		}
		n++;
	}
	mutex_unlock(&sim.lock);
	l->count = n;
	l->entry_size = stride;
	return ret;
}

static bool sim_wait_done(struct sim_chan *sc, u32 mask)
{
	return mask & VMBUS_SIM_STATE_BIT(READ_ONCE(sc->state));
}

static int sim_ioctl_wait(union sim_ioctl_buf *b)
{
	struct vmbus_sim_wait *w = &b->wait;
	long left = msecs_to_jiffies(w->timeout_ms);
	struct sim_chan *sc;
	int ret = 0;

	if (w->reserved || !w->state_mask ||
	    w->state_mask & ~SIM_STATE_MASK_ALL)
		return -EINVAL;

	sc = sim_chan_get(w->id);
	if (!sc) {
		/* An id handed out before and now free has gone. */
		mutex_lock(&sim.lock);
		ret = w->id && w->id <= sim.top_id ? 0 : -ENOENT;
		mutex_unlock(&sim.lock);
		if (ret)
			return ret;
		w->state = VMBUS_SIM_GONE;
		if (!(w->state_mask & VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE)))
			return -ENODEV;
		return 0;
	}

	if (left)
		left = wait_event_interruptible_timeout(sc->wq,
							sim_wait_done(sc, w->state_mask),
							left);
	w->state = READ_ONCE(sc->state);
	if (left < 0)
		ret = left;
	else if (!(w->state_mask & VMBUS_SIM_STATE_BIT(w->state)))
		ret = -ETIMEDOUT;
	sim_chan_put(sc);
	return ret;
}

static int sim_ioctl_hostdata(union sim_ioctl_buf *b, bool set)
{
	struct vmbus_sim_hostdata *h = &b->hostdata;
	struct sim_chan *sc = sim_chan_get(h->id);
	unsigned long flags;

	if (!sc)
		return -ENOENT;
	spin_lock_irqsave(&sc->lock, flags);
	if (set)
		memcpy(sc->hostdata, h->data, sizeof(sc->hostdata));
	else
		memcpy(h->data, sc->hostdata, sizeof(h->data));
	spin_unlock_irqrestore(&sc->lock, flags);
	sim_chan_put(sc);
	return 0;
}

static int sim_ioctl_hostdata_get(union sim_ioctl_buf *b)
{
	return sim_ioctl_hostdata(b, false);
}

static int sim_ioctl_hostdata_set(union sim_ioctl_buf *b)
{
	return sim_ioctl_hostdata(b, true);
}

static int sim_ioctl_config(union sim_ioctl_buf *b)
{
	struct vmbus_sim_config *c = &b->config;

	if (c->flags & ~VMBUS_SIM_CFG_ALL)
		return -EOPNOTSUPP;
	if (c->reserved)
		return -EINVAL;
	if (c->flags & VMBUS_SIM_CFG_PROTO_VERSION)
		WRITE_ONCE(vmbus_proto_version, c->proto_version);
	c->proto_version = READ_ONCE(vmbus_proto_version);
	c->reference_time = sim_reference_time();
	return 0;
}

static int sim_ioctl_pm(union sim_ioctl_buf *b)
{
	struct vmbus_sim_pm *pm = &b->pm;
	struct sim_chan *sc;
	int ret;

	if (pm->reserved)
		return -EINVAL;
	if (pm->op != VMBUS_SIM_PM_SUSPEND && pm->op != VMBUS_SIM_PM_RESUME)
		return -EINVAL;
	sc = sim_chan_get(pm->id);
	if (!sc)
		return -ENOENT;
	ret = sim_pm(sc, pm->op);
	sim_chan_put(sc);
	return ret;
}

/*
 * One row per ioctl.  The size this module knows is the one encoded in the
 * command; min_size is the first published size, 0 for a bare __u32.
 */
struct sim_ioctl_op {
	unsigned int cmd;
	u32 min_size;
	int (*handler)(union sim_ioctl_buf *b);
};

#define SIM_IOCTL(_cmd, _fn, _min)					\
	{ .cmd = _cmd, .min_size = _min, .handler = _fn }

static const struct sim_ioctl_op sim_ioctl_ops[] = {
	SIM_IOCTL(VMBUS_SIM_OFFER, sim_ioctl_offer,
		  offsetofend(struct vmbus_sim_offer, reserved)),
	SIM_IOCTL(VMBUS_SIM_RESCIND, sim_ioctl_rescind, 0),
	SIM_IOCTL(VMBUS_SIM_SEND, sim_ioctl_send,
		  offsetofend(struct vmbus_sim_packet, flags)),
	SIM_IOCTL(VMBUS_SIM_RECV, sim_ioctl_recv,
		  offsetofend(struct vmbus_sim_packet, flags)),
	SIM_IOCTL(VMBUS_SIM_STATUS, sim_ioctl_status,
		  offsetofend(struct vmbus_sim_status, reserved)),
	SIM_IOCTL(VMBUS_SIM_LIST, sim_ioctl_list,
		  offsetofend(struct vmbus_sim_list, entries)),
	SIM_IOCTL(VMBUS_SIM_WAIT, sim_ioctl_wait,
		  offsetofend(struct vmbus_sim_wait, reserved)),
	SIM_IOCTL(VMBUS_SIM_HOSTDATA_GET, sim_ioctl_hostdata_get,
		  offsetofend(struct vmbus_sim_hostdata, data)),
	SIM_IOCTL(VMBUS_SIM_HOSTDATA_SET, sim_ioctl_hostdata_set,
		  offsetofend(struct vmbus_sim_hostdata, data)),
	SIM_IOCTL(VMBUS_SIM_CONFIG, sim_ioctl_config,
		  offsetofend(struct vmbus_sim_config, reference_time)),
	SIM_IOCTL(VMBUS_SIM_PM, sim_ioctl_pm,
		  offsetofend(struct vmbus_sim_pm, reserved)),
};

/* Finds the row by type and number: old callers encode smaller sizes. */
static const struct sim_ioctl_op *sim_ioctl_find(unsigned int cmd)
{
	const struct sim_ioctl_op *op;

	if (_IOC_TYPE(cmd) != VMBUS_SIM_IOC_MAGIC)
		return NULL;
	for (op = sim_ioctl_ops; op < sim_ioctl_ops + ARRAY_SIZE(sim_ioctl_ops);
	     op++)
		if (_IOC_NR(op->cmd) == _IOC_NR(cmd) &&
		    _IOC_DIR(op->cmd) == _IOC_DIR(cmd))
			return op;
	return NULL;
}

/* Size-first copy in: EINVAL if short, E2BIG if an unknown tail is set. */
static int sim_ioctl_copy_in(const struct sim_ioctl_op *op,
			     void __user *uarg, union sim_ioctl_buf *b,
			     u32 *usize)
{
	u32 size = _IOC_SIZE(op->cmd);
	int ret;

	if (!op->min_size) {
		*usize = sizeof(u32);
		return get_user(b->id, (u32 __user *)uarg);
	}
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < op->min_size)
		return -EINVAL;
	if (*usize > size) {
		ret = check_zeroed_user(uarg + size, *usize - size);
		if (ret < 0)
			return ret;
		if (!ret)
			return -E2BIG;
	}
	if (copy_from_user(b, uarg, min(*usize, size)))
		return -EFAULT;
	b->size = *usize;
	return 0;
}

static long sim_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct sim_ioctl_op *op;
	union sim_ioctl_buf b = {};
	u32 usize;
	int ret;

	op = sim_ioctl_find(cmd);
	if (!op)
		return -ENOTTY;

	ret = sim_ioctl_copy_in(op, uarg, &b, &usize);
	if (ret)
		return ret;
	ret = op->handler(&b);
	if ((_IOC_DIR(op->cmd) & _IOC_READ) &&
	    copy_to_user(uarg, &b, min_t(u32, usize, _IOC_SIZE(op->cmd))))
		return -EFAULT;
	return ret;
}

static const struct file_operations sim_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= sim_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice sim_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vmbus_sim",
	.fops	= &sim_fops,
	.mode	= 0600,
};

int sim_ctl_init(void)
{
	return misc_register(&sim_misc);
}

void sim_ctl_exit(void)
{
	misc_deregister(&sim_misc);
}
