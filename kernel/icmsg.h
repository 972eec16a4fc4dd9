/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wire format of the Hyper-V integration-component (IC) messages.
 *
 * Every IC message travels as the data of one VMBus in-band packet:
 *
 *	+0   struct hvic_pipe_hdr	(8 bytes, ignored by the guest)
 *	+8   struct hvic_icmsg_hdr	(20 bytes)
 *	+28  body			(icmsgsize bytes, per message type)
 *
 * The guest answers in the same buffer and with the same length, after
 * setting TRANSACTION | RESPONSE in icflags and a status code.  All fields
 * are little endian.  Nothing here may be trusted before its length has
 * been checked against what was actually received.
 */
#ifndef HVIC_ICMSG_H
#define HVIC_ICMSG_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* icmsg_hdr.icmsgtype */
enum hvic_msg_type {
	HVIC_MSG_NEGOTIATE	= 0,
	HVIC_MSG_HEARTBEAT	= 1,
	HVIC_MSG_KVP		= 2,
	HVIC_MSG_SHUTDOWN	= 3,
	HVIC_MSG_TIMESYNC	= 4,
	HVIC_MSG_VSS		= 5,
	HVIC_MSG_FCOPY		= 7,
};

/* icmsg_hdr.icflags */
enum hvic_msg_flags {
	HVIC_FLAG_TRANSACTION	= 0x1,
	HVIC_FLAG_REQUEST	= 0x2,
	HVIC_FLAG_RESPONSE	= 0x4,
};

/*
 * icmsg_hdr.status: HRESULT-style codes the host understands, HVIC_S_OK,
 * HVIC_E_FAIL, HVIC_S_CONT...: the same values daemons use, defined once in
 * the daemon ABI header.
 */
#include <linux/hvic.h>

/* A version as the rest of the driver handles it: major << 16 | minor. */
#define HVIC_VER(maj, min)	((u32)(maj) << 16 | (u16)(min))
#define HVIC_VER_MAJOR(v)	((v) >> 16)
#define HVIC_VER_MINOR(v)	((v) & 0xffff)

/* Negotiation lists longer than this are refused (the protocol's limit). */
#define HVIC_NEGOTIATE_MAX_COUNT	100

struct hvic_pipe_hdr {
	__le32 flags;
	__le32 msgsize;
};

static_assert(sizeof(struct hvic_pipe_hdr) == 8);

struct hvic_version {
	__le16 major;
	__le16 minor;
};

static_assert(sizeof(struct hvic_version) == 4);

struct hvic_icmsg_hdr {
	struct hvic_version framework;	/* icverframe */
	__le16 type;			/* enum hvic_msg_type */
	struct hvic_version message;	/* icvermsg */
	__le16 size;			/* icmsgsize: body bytes */
	__le32 status;			/* HVIC_S_OK etc., set in replies */
	u8 transaction_id;
	u8 flags;			/* enum hvic_msg_flags */
	u8 reserved[2];
} __packed;

static_assert(sizeof(struct hvic_icmsg_hdr) == 20);

/* Bytes before the body of every message. */
#define HVIC_HDRS_LEN	(sizeof(struct hvic_pipe_hdr) + sizeof(struct hvic_icmsg_hdr))

/* NEGOTIATE: framework versions, then service versions. */
struct hvic_negotiate {
	__le16 framework_count;
	__le16 message_count;
	__le32 reserved;
	struct hvic_version versions[];
};

static_assert(sizeof(struct hvic_negotiate) == 8);

/* HEARTBEAT: the guest answers seq_num + 1. */
struct hvic_heartbeat {
	__le64 seq_num;
	__le32 reserved[8];
};

static_assert(sizeof(struct hvic_heartbeat) == 40);

/* SHUTDOWN flags: the low bit means "forced", which Linux always is. */
enum hvic_shutdown_flags {
	HVIC_SHUTDOWN_POWEROFF		= 0,
	HVIC_SHUTDOWN_POWEROFF_FORCE	= 1,
	HVIC_SHUTDOWN_REBOOT		= 2,
	HVIC_SHUTDOWN_REBOOT_FORCE	= 3,
	HVIC_SHUTDOWN_HIBERNATE		= 4,
	HVIC_SHUTDOWN_HIBERNATE_FORCE	= 5,
};

#define HVIC_SHUTDOWN_MSG_LEN	2048

struct hvic_shutdown {
	__le32 reason_code;
	__le32 timeout_seconds;
	__le32 flags;			/* enum hvic_shutdown_flags */
	u8 display_message[HVIC_SHUTDOWN_MSG_LEN];
} __packed;

static_assert(sizeof(struct hvic_shutdown) == 2060);

/* TIMESYNC flags */
enum hvic_timesync_flags {
	HVIC_TIMESYNC_PROBE	= 0x0,
	HVIC_TIMESYNC_SYNC	= 0x1,
	HVIC_TIMESYNC_SAMPLE	= 0x2,
};

/*
 * Host times are Windows FILETIMEs: 100 ns units since 1601-01-01 UTC.
 * This is the FILETIME of the Unix epoch.
 */
#define HVIC_FILETIME_UNIX_EPOCH	116444736000000000ULL

/* TIMESYNC up to version 3.0. */
struct hvic_timesync_v3 {
	__le64 parenttime;		/* host UTC, FILETIME */
	__le64 childtime;		/* unused */
	__le64 roundtriptime;		/* unused */
	u8 flags;			/* enum hvic_timesync_flags */
} __packed;

static_assert(sizeof(struct hvic_timesync_v3) == 25);

/* TIMESYNC 4.0: the host also says when, in reference time, it sampled. */
struct hvic_timesync_v4 {
	__le64 parenttime;		/* host UTC, FILETIME */
	__le64 vmreferencetime;		/* guest reference counter, 100 ns */
	u8 flags;			/* enum hvic_timesync_flags */
	u8 leapflags;			/* unused */
	u8 stratum;			/* unused */
	u8 reserved[3];
} __packed;

static_assert(sizeof(struct hvic_timesync_v4) == 22);

/*
 * KVP: struct hv_kvp_msg for GET, SET, DELETE and ENUMERATE, struct
 * hv_kvp_ip_msg (a 2-byte header) for the IP operations.  Strings are
 * UTF-16LE in byte arrays, their sizes in bytes including the NUL.  Hosts
 * send the full 7432 bytes of hv_kvp_msg whatever the operation, so the
 * answer fits; each operation needs only the part below.
 */
#define HVIC_KVPW_KEY_BYTES	512
#define HVIC_KVPW_VALUE_BYTES	2048

struct hvic_kvpw_hdr {
	u8 operation;			/* enum hvic_kvp_op */
	u8 pool;			/* enum hvic_kvp_pool */
	__le16 pad;
};

static_assert(sizeof(struct hvic_kvpw_hdr) == 4);

struct hvic_kvpw_value {
	__le32 value_type;		/* HVIC_REG_* */
	__le32 key_size;
	__le32 value_size;
	u8 key[HVIC_KVPW_KEY_BYTES];
	union {
		u8 value[HVIC_KVPW_VALUE_BYTES];
		__le32 value_u32;
		__le64 value_u64;
	} __packed;
} __packed;

static_assert(sizeof(struct hvic_kvpw_value) == 2572);

struct hvic_kvpw_delete {
	__le32 key_size;
	u8 key[HVIC_KVPW_KEY_BYTES];
};

static_assert(sizeof(struct hvic_kvpw_delete) == 516);

struct hvic_kvpw_enumerate {
	__le32 index;
	struct hvic_kvpw_value data;
} __packed;

static_assert(sizeof(struct hvic_kvpw_enumerate) == 2576);

/* GET and SET carry a value, ENUMERATE an index and a value. */
struct hvic_kvpw_msg {
	struct hvic_kvpw_hdr hdr;
	union {
		struct hvic_kvpw_value get;
		struct hvic_kvpw_value set;
		struct hvic_kvpw_delete del;
		struct hvic_kvpw_enumerate enumerate;
	} body;
};

static_assert(offsetof(struct hvic_kvpw_msg, body) == 4);

/* One adapter's IP configuration: strings in UTF-16LE. */
struct hvic_kvpw_ip {
	u8 adapter_id[2 * HVIC_KVP_ADAPTER_ID_UNITS];
	u8 addr_family;			/* HVIC_ADDR_FAMILY_* bits */
	u8 dhcp_enabled;
	u8 ip_addr[2 * HVIC_KVP_IP_ADDR_UNITS];
	u8 sub_net[2 * HVIC_KVP_IP_ADDR_UNITS];
	u8 gate_way[2 * HVIC_KVP_GATEWAY_UNITS];
	u8 dns_addr[2 * HVIC_KVP_IP_ADDR_UNITS];
};

static_assert(sizeof(struct hvic_kvpw_ip) == 7426);

struct hvic_kvpw_ip_msg {
	u8 operation;			/* GET_IP_INFO or SET_IP_INFO */
	u8 pool;
	struct hvic_kvpw_ip ip;
};

static_assert(sizeof(struct hvic_kvpw_ip_msg) == 7428);

#endif /* HVIC_ICMSG_H */
