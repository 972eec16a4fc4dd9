/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbus_sim: internal interfaces.
 *
 * Object model
 * ------------
 * Every offer is one allocation, struct sim_chan, holding the hv_device and
 * the vmbus_channel that the guest driver sees.  Its lifetime is the
 * lifetime of hv_device.device: get_device()/put_device() are the channel's
 * reference count and the device release callback frees it.  References:
 *
 *  - device_initialize(): dropped by device_unregister() in the rescind work
 *    (or by the offer's unwind when device_add() fails);
 *  - the registry (sim.chans): taken in sim_offer(), dropped at the end of
 *    the rescind work once the id has been erased;
 *  - every ioctl that found the channel with sim_chan_get(): dropped with
 *    sim_chan_put() before the ioctl returns.
 *
 * Locks, outermost first: sim.lock (mutex: registry, rescind start),
 * device_lock (driver core: probe/remove/PM), sim_chan.lock (spinlock,
 * irqsave: everything a tasklet may touch).
 */
#ifndef VMBUS_SIM_INTERNAL_H
#define VMBUS_SIM_INTERNAL_H

#include <linux/device.h>
#include <linux/hyperv.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "vmbus_sim.h"

/*
 * Ring accounting, as the VMBus ring buffer does it: each packet takes a
 * 16-byte descriptor, its data padded to 8 bytes and an 8-byte trailer
 * (the "previous indices" the writer appends); the first page of each ring
 * is the control header (struct hv_ring_buffer), not data.
 */
#define SIM_RING_HDR_SIZE	PAGE_SIZE
#define SIM_PKT_DESC_SIZE	sizeof(struct vmpacket_descriptor)
#define SIM_PKT_TRAILER_SIZE	sizeof(u64)

static inline u32 sim_pkt_ring_bytes(u32 len)
{
	return SIM_PKT_DESC_SIZE + ALIGN(len, 8) + SIM_PKT_TRAILER_SIZE;
}

/* One queued packet, in either direction. */
struct sim_pkt {
	struct list_head node;	/* in sim_ring.pkts */
	u64 trans_id;		/* request id the sender gave */
	u16 type;		/* enum vmbus_packet_type */
	u16 flags;		/* VMBus packet flags */
	u32 len;		/* payload bytes, unpadded */
	u8 data[];
};

/* One direction of a channel; every field under sim_chan.lock. */
struct sim_ring {
	struct list_head pkts;	/* oldest first */
	u32 capacity;		/* data bytes (ring size less header page) */
	u32 used;		/* sim_pkt_ring_bytes() of the queued packets */
	u32 pending;		/* packets queued */
	u64 total;		/* packets consumed by the reader so far */
};

struct sim_chan {
	/* What the guest driver sees; hdev.channel == &chan. */
	struct hv_device hdev;
	struct vmbus_channel chan;

	/* Registry id (also offermsg.child_relid); fixed at offer. */
	u32 id;
	/* Registered and reachable by id; under sim.lock. */
	bool live;

	/*
	 * Protects everything below, plus chan.onchannel_callback,
	 * chan.channel_callback_context, chan.state and chan.rescind writes.
	 */
	spinlock_t lock;
	enum vmbus_sim_state state;	/* host-visible state */
	bool opened;			/* between vmbus_open and vmbus_close */
	u32 open_count;			/* successful vmbus_open calls */
	u32 send_ring;			/* ring sizes from the last open */
	u32 recv_ring;
	u32 in_limit;			/* max_pkt_size in force since open */
	u32 max_pkt_seen;		/* chan.max_pkt_size at last read */
	u32 recv_truncated;		/* packets cut to in_limit */
	struct sim_ring in;		/* host -> guest */
	struct sim_ring out;		/* guest -> host */
	char driver[32];		/* bound driver's name, "" if none */
	u8 hostdata[VMBUS_SIM_HOSTDATA_LEN];

	/* Woken on every state change and every guest -> host packet. */
	wait_queue_head_t wq;
	/* Unregisters the device off the ioctl path (remove may block). */
	struct work_struct rescind_work;
};

static inline struct sim_chan *to_sim_chan(struct vmbus_channel *chan)
{
	return container_of(chan, struct sim_chan, chan);
}

/* The one simulated VMBus (main.c). */
struct vmbus_sim {
	struct mutex lock;		/* registry changes, rescind start */
	struct xarray chans;		/* id -> sim_chan; changed under lock */
	u32 next_id;			/* lock: cyclic id cursor */
	u32 top_id;			/* lock: highest id ever handed out */
	struct workqueue_struct *wq;	/* runs rescind_work */
	struct device *root;		/* parent of all channel devices */
};

extern struct vmbus_sim sim;

u64 sim_reference_time(void);

/* bus.c */
int sim_bus_init(void);
void sim_bus_exit(void);
int sim_offer(const guid_t *class, const guid_t *instance, u32 *id);
void sim_rescind_locked(struct sim_chan *sc);
void sim_rescind_all(void);
struct sim_chan *sim_chan_get(u32 id);
void sim_chan_put(struct sim_chan *sc);
int sim_pm(struct sim_chan *sc, u32 op);

/* channel.c */
void sim_chan_init(struct sim_chan *sc);
void sim_chan_destroy(struct sim_chan *sc);
void sim_chan_set_state(struct sim_chan *sc, enum vmbus_sim_state state);
void sim_chan_set_driver(struct sim_chan *sc, const char *name);
int sim_host_send(struct sim_chan *sc, const void __user *data, u32 len,
		  u64 trans_id);
int sim_host_recv(struct sim_chan *sc, struct vmbus_sim_packet *p);
void sim_chan_status(struct sim_chan *sc, struct vmbus_sim_status *st);

/* ctl.c */
int sim_ctl_init(void);
void sim_ctl_exit(void);

#endif /* VMBUS_SIM_INTERNAL_H */
