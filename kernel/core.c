// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path shared by every service: drain the channel, validate
 * each request, dispatch it and answer it.
 *
 * The host is not trusted.  Each packet is copied out of the ring by
 * vmbus_recvpacket() into dev->buf, and every length and field is checked
 * there before it is used.  A request we can answer but refuse gets
 * HVIC_E_FAIL; only what we cannot answer (shorter than the headers, or
 * itself a response) is dropped.  Every refusal is counted in dev->errors
 * and logged, rate-limited.
 */
#include <linux/hyperv.h>
#include <linux/interrupt.h>

#include "core.h"

/*
 * Packets handled per callback.  More waiting after that: the callback
 * reschedules the channel tasklet, so that a flooding host cannot keep the
 * CPU in softirq, and teardown (vmbus_close) gets its turn.
 */
#define HVIC_RX_BUDGET	16

static const char *const hvic_state_names[] = {
	[HVIC_STATE_CLOSED]	= "closed",
	[HVIC_STATE_WAITING]	= "waiting",
	[HVIC_STATE_NEGOTIATED]	= "negotiated",
	[HVIC_STATE_BROKEN]	= "broken",
};

const char *hvic_state_name(enum hvic_state state)
{
	if (state >= ARRAY_SIZE(hvic_state_names))
		return "unknown";
	return hvic_state_names[state];
}

void hvic_set_state_locked(struct hvic_dev *dev, enum hvic_state state)
{
	lockdep_assert_held(&dev->lock);

	dev->state = state;
	if (state != HVIC_STATE_NEGOTIATED) {
		dev->fw_version = 0;
		dev->srv_version = 0;
	}
}

void hvic_count_error(struct hvic_dev *dev)
{
	spin_lock_bh(&dev->lock);
	dev->errors++;
	spin_unlock_bh(&dev->lock);
}

/*
 * Check a request of the service's own type and hand it to the service.
 * Returns the status for the reply; *handled tells whether the service saw
 * the request (and so gets its replied() call).
 */
static u32 hvic_dispatch(struct hvic_dev *dev, void *body, u32 len,
			 bool *handled)
{
	const struct hvic_service_ops *ops = dev->ops;
	struct hvic_msg msg = { .body = body, .len = len };
	enum hvic_state state;

	spin_lock_bh(&dev->lock);
	state = dev->state;
	msg.version = dev->srv_version;
	spin_unlock_bh(&dev->lock);

	if (state != HVIC_STATE_NEGOTIATED) {
		hvic_bad_msg(dev, "request before version negotiation\n");
		return HVIC_E_FAIL;
	}
	if (len < ops->min_len) {
		hvic_bad_msg(dev, "request body of %u bytes, need %u\n",
			     len, ops->min_len);
		return HVIC_E_FAIL;
	}
	*handled = true;
	return ops->handle(dev, &msg);
}

/*
 * Validate the IC header of the packet in dev->buf and answer it.
 * Returns true when a reply is to be sent (*status filled in).
 */
static bool hvic_process(struct hvic_dev *dev, u32 len, u32 *status,
			 bool *handled)
{
	struct hvic_icmsg_hdr *hdr;
	u32 body_len, declared;
	void *body;
	u16 type;

	if (len < HVIC_HDRS_LEN) {
		hvic_bad_msg(dev, "dropped a %u-byte packet: no IC header\n",
			     len);
		return false;
	}
	hdr = (struct hvic_icmsg_hdr *)(dev->buf + sizeof(struct hvic_pipe_hdr));
	body = dev->buf + HVIC_HDRS_LEN;
	body_len = len - HVIC_HDRS_LEN;
	declared = le16_to_cpu(hdr->size);
	type = le16_to_cpu(hdr->type);

	if (hdr->flags & HVIC_FLAG_RESPONSE) {
		/* Answering a response could ping-pong with the host. */
		hvic_bad_msg(dev, "dropped a response (flags %#x) from the host\n",
			     hdr->flags);
		return false;
	}
	if (!(hdr->flags & HVIC_FLAG_REQUEST)) {
		hvic_bad_msg(dev, "message type %u without the request flag (%#x)\n",
			     type, hdr->flags);
		*status = HVIC_E_FAIL;
	} else if (declared > body_len) {
		hvic_bad_msg(dev, "message type %u declares %u body bytes, %u received\n",
			     type, declared, body_len);
		*status = HVIC_E_FAIL;
	} else if (type == HVIC_MSG_NEGOTIATE) {
		*status = hvic_negotiate(dev, hdr, body, declared);
	} else if (type == dev->ops->msg_type) {
		*status = hvic_dispatch(dev, body, declared, handled);
	} else {
		hvic_bad_msg(dev, "unknown message type %u\n", type);
		*status = HVIC_E_FAIL;
	}

	if (*status != HVIC_PENDING) {
		hdr->status = cpu_to_le32(*status);
		hdr->flags = HVIC_FLAG_TRANSACTION | HVIC_FLAG_RESPONSE;
	}
	return true;
}

static void hvic_send_failed(struct hvic_dev *dev, int ret)
{
	dev_warn_ratelimited(hvic_device(dev), "%s: reply not sent: %d\n",
			     dev->ops->name, ret);
}

/*
 * One packet of len bytes is in dev->buf: answer it, as hosts expect, or
 * park it when the service answers later.  Returns true when parked.
 */
static bool hvic_rx_one(struct hvic_dev *dev, u32 len, u64 request_id)
{
	bool handled = false, processed;
	u32 status;
	int ret;

	/*
	 * Parked before handle() runs: a service may hand the request on
	 * and see it answered (hvic_complete()) before handle() returns.
	 */
	spin_lock_bh(&dev->lock);
	dev->messages++;
	dev->pending = true;
	dev->pending_len = len;
	dev->pending_id = request_id;
	spin_unlock_bh(&dev->lock);

	processed = hvic_process(dev, len, &status, &handled);
	if (processed && status == HVIC_PENDING)
		return true;
	spin_lock_bh(&dev->lock);
	dev->pending = false;
	spin_unlock_bh(&dev->lock);
	if (!processed)
		return false;

	ret = vmbus_sendpacket(dev->hdev->channel, dev->buf, len, request_id,
			       VM_PKT_DATA_INBAND, 0);
	if (ret) {
		spin_lock_bh(&dev->lock);
		dev->send_errors++;
		spin_unlock_bh(&dev->lock);
		hvic_send_failed(dev, ret);
	}
	/* Even unsent: the host asked, and may just not hear that we agree. */
	if (handled && status == HVIC_S_OK && dev->ops->replied)
		dev->ops->replied(dev);
	return false;
}

/**
 * hvic_complete() - answer the request a service's handle() left pending
 * @dev:	the device
 * @status:	status for the host; the service has edited the body
 *
 * Process context (or any context that may take dev->lock with _bh).
 * Sends the reply held in dev->buf and restarts reading the channel.
 * Nothing is sent once the channel is closing: the host drops its
 * transactions with the channel.  Returns false when nothing was pending,
 * e.g. because the channel closed meanwhile.
 */
bool hvic_complete(struct hvic_dev *dev, u32 status)
{
	struct hvic_icmsg_hdr *hdr =
		(struct hvic_icmsg_hdr *)(dev->buf + sizeof(struct hvic_pipe_hdr));
	struct vmbus_channel *channel = dev->hdev->channel;
	int ret = 0;

	spin_lock_bh(&dev->lock);
	if (!dev->pending) {
		spin_unlock_bh(&dev->lock);
		return false;
	}
	dev->pending = false;
	if (dev->state == HVIC_STATE_NEGOTIATED) {
		hdr->status = cpu_to_le32(status);
		hdr->flags = HVIC_FLAG_TRANSACTION | HVIC_FLAG_RESPONSE;
		ret = vmbus_sendpacket(channel, dev->buf, dev->pending_len,
				       dev->pending_id, VM_PKT_DATA_INBAND, 0);
		if (ret)
			dev->send_errors++;
		/* Under the lock: hvic_close() can't have closed it yet. */
		tasklet_schedule(&channel->callback_event);
	}
	spin_unlock_bh(&dev->lock);
	if (ret)
		hvic_send_failed(dev, ret);
	return true;
}

/*
 * The channel callback, in the channel tasklet: handle what the host sent,
 * up to HVIC_RX_BUDGET packets, then come back for more.  Stops at a request
 * the service answers later: the host has one transaction in flight.
 */
void hvic_channel_callback(void *context)
{
	struct hvic_dev *dev = context;
	struct vmbus_channel *channel = dev->hdev->channel;
	unsigned int budget = HVIC_RX_BUDGET;
	u64 request_id;
	bool stopped;
	u32 len;
	int ret;

	spin_lock_bh(&dev->lock);
	/* Pending: hvic_complete() reschedules us. */
	stopped = dev->state == HVIC_STATE_BROKEN || dev->pending;
	spin_unlock_bh(&dev->lock);
	if (stopped)
		return;

	while (budget--) {
		len = 0;
		ret = vmbus_recvpacket(channel, dev->buf, dev->buf_size, &len,
				       &request_id);
		if (ret) {
			/*
			 * Larger than max_pkt_size, which the bus should have
			 * cut: it stays in the ring and blocks it for good.
			 */
			spin_lock_bh(&dev->lock);
			hvic_set_state_locked(dev, HVIC_STATE_BROKEN);
			spin_unlock_bh(&dev->lock);
			hvic_bad_msg(dev, "cannot receive (%d): channel stopped\n",
				     ret);
			return;
		}
		if (!len)
			return;
		if (hvic_rx_one(dev, len, request_id))
			return;
	}
	tasklet_schedule(&channel->callback_event);
}
