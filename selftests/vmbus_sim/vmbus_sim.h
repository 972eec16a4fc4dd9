/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmbus_sim: control interface of the test-only VMBus stand-in.
 *
 * vmbus_sim registers the "vmbus" bus and exports the hv_vmbus API that
 * integration-service drivers import, so an unmodified hv_utils.ko binds to
 * the devices it offers.  The host side of every channel is driven from
 * user space through the misc device /dev/vmbus_sim with the ioctls below.
 *
 * Model
 * -----
 * A channel is created by VMBUS_SIM_OFFER and named by a small integer id
 * (its "relid", also shown as /sys/bus/vmbus/devices/<instance>/id).  It
 * lives until VMBUS_SIM_RESCIND (or module unload) and can be reached from
 * any open file: host tools are one-shot processes.  Its life cycle:
 *
 *   OFFERED --driver probe + vmbus_open()--> OPEN --vmbus_close()--> CLOSED
 *      ^                                      |                       |
 *      +---------- vmbus_open() again --------+-----------------------+
 *   any state --VMBUS_SIM_RESCIND--> RESCINDED (device unregistered, id freed
 *                                   once the driver has let go)
 *
 * Host -> guest packets (VMBUS_SIM_SEND) are queued in the channel's inbound
 * "ring", whose capacity is the receive ring size the guest passed to
 * vmbus_open() less the 4 KiB header page, accounted the way VMBus does
 * (16-byte descriptor + data padded to 8 + 8-byte trailer per packet).
 * Sending to a channel that is not OPEN fails with ENOTCONN; a full ring
 * fails with EAGAIN, as a real host would see.  The guest reads with
 * vmbus_recvpacket(): data length rounded up to 8 (zero padded), packets
 * longer than the channel's max_pkt_size truncated like hv_pkt_iter_first().
 * Guest -> host packets (vmbus_sendpacket()) are queued on the outbound side
 * (bounded by the send ring size) and collected with VMBUS_SIM_RECV.
 *
 * All structures start with "size" (the caller's sizeof) so they can grow at
 * the end; unknown flags are rejected with EOPNOTSUPP, reserved fields must
 * be zero (EINVAL).
 */
#ifndef _UAPI_LINUX_VMBUS_SIM_H
#define _UAPI_LINUX_VMBUS_SIM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMBUS_SIM_DEVICE	"/dev/vmbus_sim"

/* Channel states, as reported by VMBUS_SIM_STATUS and waited on by WAIT. */
enum vmbus_sim_state {
	VMBUS_SIM_OFFERED	= 1,	/* device registered, not opened */
	VMBUS_SIM_OPEN		= 2,	/* guest driver called vmbus_open() */
	VMBUS_SIM_CLOSED	= 3,	/* guest driver called vmbus_close() */
	VMBUS_SIM_RESCINDED	= 4,	/* host rescinded; device being removed */
	VMBUS_SIM_GONE		= 5,	/* rescind finished, id no longer valid */
};

#define VMBUS_SIM_STATE_BIT(s)	(1U << (s))

/* VMBUS_SIM_OFFER: offer a device (Hyper-V "channel offer"). */
struct vmbus_sim_offer {
	__u32 size;
	__u32 flags;		/* must be 0 */
	__u8 class_guid[16];	/* if_type, in wire (guid_t) byte order */
	__u8 instance_guid[16];	/* if_instance; all-zero: generate one */
	__u32 id;		/* out: channel id */
	__u32 reserved;
};

/* VMBUS_SIM_SEND / VMBUS_SIM_RECV: one VMBus in-band data packet.
 *
 * SEND: "len" payload bytes at "data" (at most VMBUS_SIM_MAX_PACKET, and
 * small enough to fit the empty ring, else EMSGSIZE) reach the guest with
 * trans_id "request_id"; "timeout_ms", "type" and "flags" are ignored.
 *
 * RECV: "len" is the buffer size in, the packet length out (the guest's
 * bufferlen, unpadded).  A too-small buffer fails with ENOBUFS, sets "len"
 * and keeps the packet.  With no packet queued: timeout_ms 0 gives EAGAIN
 * at once, otherwise ETIMEDOUT when the wait runs out; a rescinded channel
 * with nothing left gives ENODEV.
 */
struct vmbus_sim_packet {
	__u32 size;
	__u32 id;		/* channel id */
	__u64 request_id;	/* SEND: trans_id given to the guest;
				 * RECV out: trans_id the guest used
				 */
	__u64 data;		/* user pointer to the payload buffer */
	__u32 len;		/* SEND: payload bytes; RECV: see above */
	__u32 timeout_ms;	/* RECV: wait up to this long for a packet */
	__u32 type;		/* RECV out: VMBus packet type the guest used */
	__u32 flags;		/* RECV out: packet flags the guest used */
};

#define VMBUS_SIM_MAX_PACKET	(64 * 1024)

/* VMBUS_SIM_STATUS: state of one channel (and VMBUS_SIM_LIST entries). */
struct vmbus_sim_status {
	__u32 size;
	__u32 id;		/* in: channel id */
	__u32 state;		/* enum vmbus_sim_state */
	__u32 open_count;	/* times the guest opened it */
	__u8 class_guid[16];
	__u8 instance_guid[16];
	char driver[32];	/* bound driver's name, "" if none */
	__u32 send_ring;	/* bytes, from the last vmbus_open() */
	__u32 recv_ring;
	__u32 max_pkt_size;	/* channel->max_pkt_size at last read */
	__u32 in_pending;	/* host->guest packets not yet read */
	__u32 in_bytes;		/* ring bytes they occupy */
	__u32 out_pending;	/* guest->host packets not yet collected */
	__u64 in_total;		/* packets the guest has read */
	__u64 out_total;	/* packets the guest has sent */
	__u32 recv_truncated;	/* packets cut to max_pkt_size */
	__u32 reserved;
};

/* Size of struct vmbus_sim_status as first published (LIST's default). */
#define VMBUS_SIM_STATUS_SIZE_V1	128

/* VMBUS_SIM_LIST: status of every live channel (rescinded ones included
 * until they are GONE), in id order.  At most "count" entries are written;
 * "count" returns how many channels there are, so a short array is not an
 * error.  Each entry is "entry_size" bytes apart and has its size set.
 */
struct vmbus_sim_list {
	__u32 size;
	__u32 count;		/* in: entries at "entries"; out: live channels */
	__u64 entries;		/* user pointer to struct vmbus_sim_status[] */
	/* Added after the first version (size 16 means both are 0). */
	__u32 entry_size;	/* stride in bytes; 0: VMBUS_SIM_STATUS_SIZE_V1 */
	__u32 reserved;		/* must be 0 */
};

/* VMBUS_SIM_WAIT: wait until a channel's state is in state_mask.  An id
 * that was handed out and has since been freed is GONE (ENODEV if GONE is
 * not in the mask); an id never handed out is ENOENT.
 */
struct vmbus_sim_wait {
	__u32 size;
	__u32 id;
	__u32 state_mask;	/* VMBUS_SIM_STATE_BIT()s, non-zero */
	__u32 timeout_ms;	/* 0: just check; ETIMEDOUT when it runs out */
	__u32 state;		/* out: the state reached */
	__u32 reserved;
};

/* VMBUS_SIM_HOSTDATA_{GET,SET}: host-private bytes kept with a channel
 * (e.g. the versions the host negotiated), so one-shot tools can share them.
 */
#define VMBUS_SIM_HOSTDATA_LEN	64
struct vmbus_sim_hostdata {
	__u32 size;
	__u32 id;
	__u8 data[VMBUS_SIM_HOSTDATA_LEN];
};

/* VMBUS_SIM_CONFIG: global knobs.  Fields with their "set" flag are written;
 * all are returned as they are after the call.
 */
#define VMBUS_SIM_CFG_PROTO_VERSION	(1U << 0)
#define VMBUS_SIM_CFG_ALL		(VMBUS_SIM_CFG_PROTO_VERSION)
struct vmbus_sim_config {
	__u32 size;
	__u32 flags;		/* VMBUS_SIM_CFG_* to set */
	__u32 proto_version;	/* exported vmbus_proto_version (major<<16|minor) */
	__u32 reserved;
	__u64 reference_time;	/* out: hv_read_reference_counter() now (100 ns) */
};

/* VMBUS_SIM_PM: run the bound driver's suspend or resume callback, the way
 * hv_vmbus does around hibernation.  Returns the callback's error.
 */
enum vmbus_sim_pm_op {
	VMBUS_SIM_PM_SUSPEND	= 1,
	VMBUS_SIM_PM_RESUME	= 2,
};

struct vmbus_sim_pm {
	__u32 size;
	__u32 id;
	__u32 op;		/* enum vmbus_sim_pm_op */
	__u32 reserved;
};

#define VMBUS_SIM_IOC_MAGIC	0xB5
#define VMBUS_SIM_OFFER		_IOWR(VMBUS_SIM_IOC_MAGIC, 0x01, struct vmbus_sim_offer)
#define VMBUS_SIM_RESCIND	_IOW(VMBUS_SIM_IOC_MAGIC, 0x02, __u32)
#define VMBUS_SIM_SEND		_IOW(VMBUS_SIM_IOC_MAGIC, 0x03, struct vmbus_sim_packet)
#define VMBUS_SIM_RECV		_IOWR(VMBUS_SIM_IOC_MAGIC, 0x04, struct vmbus_sim_packet)
#define VMBUS_SIM_STATUS	_IOWR(VMBUS_SIM_IOC_MAGIC, 0x05, struct vmbus_sim_status)
#define VMBUS_SIM_LIST		_IOWR(VMBUS_SIM_IOC_MAGIC, 0x06, struct vmbus_sim_list)
#define VMBUS_SIM_WAIT		_IOWR(VMBUS_SIM_IOC_MAGIC, 0x07, struct vmbus_sim_wait)
#define VMBUS_SIM_HOSTDATA_GET	_IOWR(VMBUS_SIM_IOC_MAGIC, 0x08, struct vmbus_sim_hostdata)
#define VMBUS_SIM_HOSTDATA_SET	_IOW(VMBUS_SIM_IOC_MAGIC, 0x09, struct vmbus_sim_hostdata)
#define VMBUS_SIM_CONFIG	_IOWR(VMBUS_SIM_IOC_MAGIC, 0x0a, struct vmbus_sim_config)
#define VMBUS_SIM_PM		_IOW(VMBUS_SIM_IOC_MAGIC, 0x0b, struct vmbus_sim_pm)

#endif /* _UAPI_LINUX_VMBUS_SIM_H */
