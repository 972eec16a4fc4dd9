// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim: channel "rings" and the packet API the guest driver imports.
 *
 * A ring is a list of copied packets with VMBus accounting (internal.h).  The
 * guest side (vmbus_recvpacket, vmbus_sendpacket) may run in tasklet
 * context, so every access takes sim_chan.lock with interrupts saved and
 * guest-side allocations are atomic.  Host -> guest delivery schedules the
 * channel tasklet, which calls the driver's callback like hv_vmbus does for
 * HV_CALL_DIRECT channels.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

static void sim_ring_init(struct sim_ring *ring)
{
	INIT_LIST_HEAD(&ring->pkts);
}

static bool sim_ring_fits(const struct sim_ring *ring, u32 need)
{
	/* Like the real ring, never fill it completely. */
	return ring->used + need < ring->capacity;
}

static void sim_ring_push(struct sim_ring *ring, struct sim_pkt *pkt)
{
	list_add_tail(&pkt->node, &ring->pkts);
	ring->used += sim_pkt_ring_bytes(pkt->len);
	ring->pending++;
}

static void sim_ring_unpop(struct sim_ring *ring, struct sim_pkt *pkt)
{
	list_add(&pkt->node, &ring->pkts);
	ring->used += sim_pkt_ring_bytes(pkt->len);
	ring->pending++;
	ring->total--;
}

static void sim_ring_pop(struct sim_ring *ring, struct sim_pkt *pkt)
{
	list_del(&pkt->node);
	ring->used -= sim_pkt_ring_bytes(pkt->len);
	ring->pending--;
	ring->total++;
}

static void sim_ring_purge(struct sim_ring *ring)
{
	struct sim_pkt *pkt, *tmp;

	list_for_each_entry_safe(pkt, tmp, &ring->pkts, node) {
		list_del(&pkt->node);
		kfree(pkt);
	}
	ring->used = 0;
	ring->pending = 0;
}

static struct sim_pkt *sim_pkt_alloc(u32 len, gfp_t gfp)
{
	struct sim_pkt *pkt = kmalloc(struct_size(pkt, data, len), gfp);

	if (pkt)
		pkt->len = len;
	return pkt;
}

/* Per-channel tasklet: what hv_vmbus' vmbus_on_event does for us. */
static void sim_chan_tasklet(struct tasklet_struct *t)
{
	struct vmbus_channel *chan = from_tasklet(chan, t, callback_event);
	void (*cb)(void *context) = READ_ONCE(chan->onchannel_callback);

	if (cb)
		cb(chan->channel_callback_context);
}

void sim_chan_init(struct sim_chan *sc)
{
	struct vmbus_channel *chan = &sc->chan;

	spin_lock_init(&sc->lock);
	init_waitqueue_head(&sc->wq);
	sim_ring_init(&sc->in);
	sim_ring_init(&sc->out);
	sc->state = VMBUS_SIM_OFFERED;

	/* hv_vmbus calls an offered, unopened channel "OPEN_STATE". */
	chan->state = CHANNEL_OPEN_STATE;
	chan->target_cpu = cpumask_first(cpu_online_mask);
	chan->callback_mode = HV_CALL_BATCHED;
	spin_lock_init(&chan->sched_lock);
	tasklet_setup(&chan->callback_event, sim_chan_tasklet);
}

/* Called from the device release: nobody else can reach the channel. */
void sim_chan_destroy(struct sim_chan *sc)
{
	tasklet_kill(&sc->chan.callback_event);
	sim_ring_purge(&sc->in);
	sim_ring_purge(&sc->out);
}

static void sim_chan_set_state_locked(struct sim_chan *sc,
				      enum vmbus_sim_state state)
{
	lockdep_assert_held(&sc->lock);
	sc->state = state;
}

/* Moves the host-visible state machine and wakes WAIT/RECV sleepers. */
void sim_chan_set_state(struct sim_chan *sc, enum vmbus_sim_state state)
{
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	if (state == VMBUS_SIM_RESCINDED)
		sc->chan.rescind = true;
	sim_chan_set_state_locked(sc, state);
	spin_unlock_irqrestore(&sc->lock, flags);
	wake_up_all(&sc->wq);
}

void sim_chan_set_driver(struct sim_chan *sc, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	strscpy(sc->driver, name ? name : "", sizeof(sc->driver));
	spin_unlock_irqrestore(&sc->lock, flags);
}

int vmbus_open(struct vmbus_channel *chan, u32 send_size, u32 recv_size,
	       void *userdata, u32 userdatalen,
	       void (*onchannelcallback)(void *context), void *context)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;
	int ret = 0;

	if (userdatalen > MAX_USER_DEFINED_BYTES)
		return -EINVAL;
	if (send_size % PAGE_SIZE || recv_size % PAGE_SIZE ||
	    send_size <= SIM_RING_HDR_SIZE || recv_size <= SIM_RING_HDR_SIZE)
		return -EINVAL;

	spin_lock_irqsave(&sc->lock, flags);
	if (chan->rescind) {
		ret = -ENODEV;
	} else if (sc->opened) {
		ret = -EINVAL;
	} else {
		if (!chan->max_pkt_size)
			chan->max_pkt_size = VMBUS_DEFAULT_MAX_PKT_SIZE;
		sc->in_limit = chan->max_pkt_size;
		sc->max_pkt_seen = chan->max_pkt_size;
		sc->send_ring = send_size;
		sc->recv_ring = recv_size;
		sc->in.capacity = recv_size - SIM_RING_HDR_SIZE;
		sc->out.capacity = send_size - SIM_RING_HDR_SIZE;
		chan->channel_callback_context = context;
		WRITE_ONCE(chan->onchannel_callback, onchannelcallback);
		chan->state = CHANNEL_OPENED_STATE;
		sc->opened = true;
		sc->open_count++;
		sim_chan_set_state_locked(sc, VMBUS_SIM_OPEN);
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	if (!ret)
		wake_up_all(&sc->wq);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_open);

void vmbus_close(struct vmbus_channel *chan)
{
	struct sim_chan *sc = to_sim_chan(chan);
	unsigned long flags;
	bool was_open;

	/* Wait out a running callback; none starts until we re-enable. */
	tasklet_disable(&chan->callback_event);

	spin_lock_irqsave(&sc->lock, flags);
	WRITE_ONCE(chan->onchannel_callback, NULL);
	was_open = sc->opened;
	if (was_open) {
		sc->opened = false;
		chan->state = CHANNEL_OPEN_STATE;
		sim_ring_purge(&sc->in);
		if (sc->state == VMBUS_SIM_OPEN)
			sim_chan_set_state_locked(sc, VMBUS_SIM_CLOSED);
	}
	spin_unlock_irqrestore(&sc->lock, flags);

	/* A callback still pending now finds no callback and does nothing. */
	tasklet_enable(&chan->callback_event);
	if (was_open)
		wake_up_all(&sc->wq);
}
EXPORT_SYMBOL_GPL(vmbus_close);

/*
 * Length the guest gets for a packet: data padded to 8, or cut to what fits
 * in the channel's packet buffer (descriptor included) like
 * hv_pkt_iter_first() does.
 */
static u32 sim_in_len_locked(const struct sim_chan *sc,
			     const struct sim_pkt *pkt, bool *truncated)
{
	u32 padded = ALIGN(pkt->len, 8);
	u32 limit = round_down(sc->in_limit, 8);

	*truncated = SIM_PKT_DESC_SIZE + padded > limit;
	if (!*truncated)
		return padded;
	return limit > SIM_PKT_DESC_SIZE ? limit - SIM_PKT_DESC_SIZE : 0;
}

int vmbus_recvpacket(struct vmbus_channel *chan, void *buffer, u32 bufferlen,
		     u32 *buffer_actual_len, u64 *requestid)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_pkt *pkt;
	unsigned long flags;
	bool truncated;
	u32 len, copy;

	if (!bufferlen)
		return -EINVAL;
	*buffer_actual_len = 0;
	*requestid = 0;

	spin_lock_irqsave(&sc->lock, flags);
	sc->max_pkt_seen = READ_ONCE(chan->max_pkt_size);
	pkt = list_first_entry_or_null(&sc->in.pkts, struct sim_pkt, node);
	if (!pkt || !sc->opened) {
		spin_unlock_irqrestore(&sc->lock, flags);
		return 0;
	}

	len = sim_in_len_locked(sc, pkt, &truncated);
	*buffer_actual_len = len;
	*requestid = pkt->trans_id;
	if (len > bufferlen) {
		/* The packet stays queued for a bigger buffer. */
		spin_unlock_irqrestore(&sc->lock, flags);
		return -ENOBUFS;
	}

	copy = min(len, pkt->len);
	memcpy(buffer, pkt->data, copy);
	memset((u8 *)buffer + copy, 0, len - copy);
	sim_ring_pop(&sc->in, pkt);
	if (truncated)
		sc->recv_truncated++;
	spin_unlock_irqrestore(&sc->lock, flags);

	kfree(pkt);
	return 0;
}
EXPORT_SYMBOL(vmbus_recvpacket);

int vmbus_sendpacket(struct vmbus_channel *chan, void *buffer, u32 bufferlen,
		     u64 requestid, enum vmbus_packet_type type, u32 flags)
{
	struct sim_chan *sc = to_sim_chan(chan);
	struct sim_pkt *pkt;
	unsigned long irqflags;
	int ret = 0;

	if (chan->rescind)
		return -ENODEV;

	/* May be called from the channel tasklet: allocate atomically. */
	pkt = sim_pkt_alloc(bufferlen, GFP_ATOMIC);
	if (!pkt)
		return -ENOMEM;
	pkt->trans_id = requestid;
	pkt->type = type;
	pkt->flags = flags;
	if (bufferlen)
		memcpy(pkt->data, buffer, bufferlen);

	spin_lock_irqsave(&sc->lock, irqflags);
	if (chan->rescind)
		ret = -ENODEV;
	else if (!sc->opened)
		ret = -EINVAL;
	else if (!sim_ring_fits(&sc->out, sim_pkt_ring_bytes(bufferlen)))
		ret = -EAGAIN;
	else
		sim_ring_push(&sc->out, pkt);
	spin_unlock_irqrestore(&sc->lock, irqflags);

	if (ret) {
		kfree(pkt);
		return ret;
	}
	wake_up_all(&sc->wq);
	return 0;
}
EXPORT_SYMBOL(vmbus_sendpacket);

/* VMBUS_SIM_SEND: queue a host -> guest packet and kick the callback. */
int sim_host_send(struct sim_chan *sc, const void __user *data, u32 len,
		  u64 trans_id)
{
	struct sim_pkt *pkt;
	unsigned long flags;
	u32 need;
	int ret = 0;

	if (len > VMBUS_SIM_MAX_PACKET)
		return -EMSGSIZE;
	pkt = sim_pkt_alloc(len, GFP_KERNEL);
	if (!pkt)
		return -ENOMEM;
	if (copy_from_user(pkt->data, data, len)) {
		kfree(pkt);
		return -EFAULT;
	}
	pkt->trans_id = trans_id;
	pkt->type = VM_PKT_DATA_INBAND;
	pkt->flags = 0;
	need = sim_pkt_ring_bytes(len);

	spin_lock_irqsave(&sc->lock, flags);
	if (!sc->opened || sc->state != VMBUS_SIM_OPEN) {
		ret = -ENOTCONN;
	} else if (need >= sc->in.capacity) {
		/* Could never fit, even in an empty ring. */
		ret = -EMSGSIZE;
	} else if (!sim_ring_fits(&sc->in, need)) {
		ret = -EAGAIN;
	} else {
		sim_ring_push(&sc->in, pkt);
		/* The "interrupt": scheduled under the lock, so never after
		 * vmbus_close() has cleared the callback.
		 */
		tasklet_schedule(&sc->chan.callback_event);
	}
	spin_unlock_irqrestore(&sc->lock, flags);

	if (ret)
		kfree(pkt);
	return ret;
}

static struct sim_pkt *sim_host_pop(struct sim_chan *sc,
				    struct vmbus_sim_packet *p, int *err)
{
	struct sim_pkt *pkt;
	unsigned long flags;

	spin_lock_irqsave(&sc->lock, flags);
	pkt = list_first_entry_or_null(&sc->out.pkts, struct sim_pkt, node);
	if (pkt) {
		p->request_id = pkt->trans_id;
		p->type = pkt->type;
		p->flags = pkt->flags;
		*err = pkt->len > p->len ? -ENOBUFS : 0;
		p->len = pkt->len;
		if (*err)
			pkt = NULL;
		else
			sim_ring_pop(&sc->out, pkt);
	} else {
		*err = sc->state >= VMBUS_SIM_RESCINDED ? -ENODEV : -EAGAIN;
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	return pkt;
}

static bool sim_host_can_recv(struct sim_chan *sc)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&sc->lock, flags);
	ready = !list_empty(&sc->out.pkts) ||
		sc->state >= VMBUS_SIM_RESCINDED;
	spin_unlock_irqrestore(&sc->lock, flags);
	return ready;
}

/* VMBUS_SIM_RECV: collect the oldest guest -> host packet. */
int sim_host_recv(struct sim_chan *sc, struct vmbus_sim_packet *p)
{
	long left = msecs_to_jiffies(p->timeout_ms);
	void __user *data = u64_to_user_ptr(p->data);
	struct sim_pkt *pkt;
	unsigned long flags;
	int err;

	for (;;) {
		pkt = sim_host_pop(sc, p, &err);
		if (err != -EAGAIN)
			break;
		if (!p->timeout_ms)
			return -EAGAIN;
		if (!left)
			return -ETIMEDOUT;
		left = wait_event_interruptible_timeout(sc->wq,
							sim_host_can_recv(sc),
							left);
		if (left < 0)
			return left;
	}
	if (!pkt)
		return err;

	if (copy_to_user(data, pkt->data, pkt->len)) {
		/* Put it back: the host has not seen it. */
		spin_lock_irqsave(&sc->lock, flags);
		sim_ring_unpop(&sc->out, pkt);
		spin_unlock_irqrestore(&sc->lock, flags);
		return -EFAULT;
	}
	kfree(pkt);
	return 0;
}

void sim_chan_status(struct sim_chan *sc, struct vmbus_sim_status *st)
{
	unsigned long flags;

	st->id = sc->id;
	memcpy(st->class_guid, &sc->hdev.dev_type, sizeof(st->class_guid));
	memcpy(st->instance_guid, &sc->hdev.dev_instance,
	       sizeof(st->instance_guid));

	spin_lock_irqsave(&sc->lock, flags);
	st->state = sc->state;
	st->open_count = sc->open_count;
	strscpy(st->driver, sc->driver, sizeof(st->driver));
	st->send_ring = sc->send_ring;
	st->recv_ring = sc->recv_ring;
	st->max_pkt_size = sc->max_pkt_seen;
	st->in_pending = sc->in.pending;
	st->in_bytes = sc->in.used;
	st->out_pending = sc->out.pending;
	st->in_total = sc->in.total;
	st->out_total = sc->out.total + sc->out.pending;
	st->recv_truncated = sc->recv_truncated;
	spin_unlock_irqrestore(&sc->lock, flags);
}
