/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hvic: the interface between the Hyper-V integration-services module
 * (hv_utils) and its user-space daemons, over the character devices
 *
 *	/dev/vmbus/hv_kvp	key/value exchange	(struct hvic_kvp_msg)
 *	/dev/vmbus/hv_vss	backup freeze/thaw	(struct hvic_vss_msg)
 *	/dev/vmbus/hv_fcopy	host-to-guest file copy	(struct hvic_fcopy_*)
 *
 * This is the ABI of upstream Linux's include/uapi/linux/hyperv.h, byte for
 * byte, so that Debian's stock hv_kvp_daemon, hv_vss_daemon and
 * hv_fcopy_daemon work with our module and our daemons work with the stock
 * module.  Names carry an hvic_ / HVIC_ prefix so that this header can be
 * included next to <linux/hyperv.h>; every structure's size is fixed below
 * and checked at compile time by the users of this header.
 *
 * Device semantics (all three devices):
 *  - only one process may have a device open (EBUSY otherwise); only root
 *    may open it;
 *  - the daemon registers first: it writes a registration message and reads
 *    the kernel's answer (see each service), then loops: poll() for POLLIN,
 *    read() one request, handle it, write() one reply;
 *  - read() returns exactly one message and fails with EINVAL if the buffer
 *    is smaller than it;
 *  - write() takes exactly one message of the service's size (EINVAL
 *    otherwise, and for a reply nobody asked for);
 *  - POLLHUP/POLLERR (and EBADF from read) mean the device is going away:
 *    close it and reopen later.
 *
 * Strings are UTF-8, NUL-terminated, within their fields.  Multi-byte
 * numbers are in the host's byte order (both sides are the same machine).
 */
#ifndef _UAPI_LINUX_HVIC_H
#define _UAPI_LINUX_HVIC_H

#include <linux/types.h>

/* Status codes (Windows HRESULTs), in replies to the host and the kernel. */
#define HVIC_S_OK			0x00000000
#define HVIC_E_FAIL			0x80004005
#define HVIC_S_CONT			0x80070103
#define HVIC_ERROR_NOT_SUPPORTED	0x80070032
#define HVIC_ERROR_MACHINE_LOCKED	0x800704F7
#define HVIC_ERROR_DEVICE_NOT_CONNECTED	0x8007048F
#define HVIC_INVALIDARG			0x80070057
#define HVIC_GUID_NOTFOUND		0x80041002
#define HVIC_ERROR_ALREADY_EXISTS	0x80070050
#define HVIC_ERROR_DISK_FULL		0x80070070

/* ------------------------------------------------------------------ KVP */

/* Field sizes in bytes, including the terminating NUL. */
#define HVIC_KVP_KEY_SIZE	512
#define HVIC_KVP_VALUE_SIZE	2048

/* Value types (Windows registry types). */
#define HVIC_REG_SZ		1
#define HVIC_REG_U32		4
#define HVIC_REG_U64		8

enum hvic_kvp_op {
	HVIC_KVP_OP_GET		= 0,
	HVIC_KVP_OP_SET		= 1,
	HVIC_KVP_OP_DELETE	= 2,
	HVIC_KVP_OP_ENUMERATE	= 3,
	HVIC_KVP_OP_GET_IP_INFO	= 4,
	HVIC_KVP_OP_SET_IP_INFO	= 5,
	HVIC_KVP_OP_COUNT	= 6,
};

/*
 * Registration: the daemon writes a whole struct hvic_kvp_msg with
 * kvp_hdr.operation = HVIC_KVP_OP_REGISTER1 and reads back one with the
 * same operation and the kernel's version string in body.kvp_register.
 * HVIC_KVP_OP_REGISTER is the legacy form (no IP injection); it shares its
 * value with HVIC_KVP_OP_GET_IP_INFO.
 */
#define HVIC_KVP_OP_REGISTER	4
#define HVIC_KVP_OP_REGISTER1	100

enum hvic_kvp_pool {
	HVIC_KVP_POOL_EXTERNAL		= 0,	/* host -> guest data */
	HVIC_KVP_POOL_GUEST		= 1,	/* guest -> host data */
	HVIC_KVP_POOL_AUTO		= 2,	/* guest intrinsics (generated) */
	HVIC_KVP_POOL_AUTO_EXTERNAL	= 3,
	HVIC_KVP_POOL_AUTO_INTERNAL	= 4,
	HVIC_KVP_POOL_COUNT		= 5,
};

#define HVIC_ADDR_FAMILY_NONE	0x00
#define HVIC_ADDR_FAMILY_IPV4	0x01
#define HVIC_ADDR_FAMILY_IPV6	0x02

/* Sizes of the IP-configuration fields, in 16-bit units. */
#define HVIC_KVP_ADAPTER_ID_UNITS	128
#define HVIC_KVP_IP_ADDR_UNITS		1024
#define HVIC_KVP_GATEWAY_UNITS		512

/*
 * IP configuration of one adapter.  Between kernel and daemon the fields
 * hold ';'-separated UTF-8 strings (stored in the __u16 arrays); on the
 * host wire they are UTF-16LE.
 */
struct hvic_kvp_ip_value {
	__u16 adapter_id[HVIC_KVP_ADAPTER_ID_UNITS];
	__u8 addr_family;			/* HVIC_ADDR_FAMILY_* bits */
	__u8 dhcp_enabled;
	__u16 ip_addr[HVIC_KVP_IP_ADDR_UNITS];
	__u16 sub_net[HVIC_KVP_IP_ADDR_UNITS];
	__u16 gate_way[HVIC_KVP_GATEWAY_UNITS];
	__u16 dns_addr[HVIC_KVP_IP_ADDR_UNITS];
} __attribute__((packed));
#define HVIC_KVP_IP_VALUE_SIZE	7426

struct hvic_kvp_hdr {
	__u8 operation;				/* enum hvic_kvp_op */
	__u8 pool;				/* enum hvic_kvp_pool */
	__u16 pad;
} __attribute__((packed));

/* One record.  key_size and value_size count bytes including the NUL. */
struct hvic_kvp_value {
	__u32 value_type;			/* HVIC_REG_* */
	__u32 key_size;
	__u32 value_size;
	__u8 key[HVIC_KVP_KEY_SIZE];
	union {
		__u8 value[HVIC_KVP_VALUE_SIZE];
		__u32 value_u32;
		__u64 value_u64;
	} __attribute__((packed));
} __attribute__((packed));
#define HVIC_KVP_VALUE_RECORD_SIZE	2572

struct hvic_kvp_enumerate {
	__u32 index;
	struct hvic_kvp_value data;
} __attribute__((packed));

struct hvic_kvp_delete {
	__u32 key_size;
	__u8 key[HVIC_KVP_KEY_SIZE];
};

struct hvic_kvp_register {
	__u8 version[HVIC_KVP_KEY_SIZE];
};

/*
 * The message in both directions.  Requests carry kvp_hdr; replies from the
 * daemon put their status (HVIC_S_OK, HVIC_S_CONT at the end of an
 * enumeration or for a missing key, HVIC_E_FAIL, ...) in "error", which
 * overlays the header.  The body union is 4-byte aligned (it holds
 * struct hvic_kvp_delete), which makes the whole message 7432 bytes.
 */
struct hvic_kvp_msg {
	union {
		struct hvic_kvp_hdr kvp_hdr;
		__s32 error;
	};
	union {
		struct hvic_kvp_value kvp_get;
		struct hvic_kvp_value kvp_set;
		struct hvic_kvp_delete kvp_delete;
		struct hvic_kvp_enumerate kvp_enum_data;
		struct hvic_kvp_ip_value kvp_ip_val;
		struct hvic_kvp_register kvp_register;
	} body;
} __attribute__((packed));
#define HVIC_KVP_MSG_SIZE	7432

/* ------------------------------------------------------------------ VSS */

enum hvic_vss_op {
	HVIC_VSS_OP_CREATE	= 0,
	HVIC_VSS_OP_DELETE	= 1,
	HVIC_VSS_OP_HOT_BACKUP	= 2,
	HVIC_VSS_OP_GET_DM_INFO	= 3,
	HVIC_VSS_OP_BU_COMPLETE	= 4,
	HVIC_VSS_OP_FREEZE	= 5,
	HVIC_VSS_OP_THAW	= 6,
	HVIC_VSS_OP_AUTO_RECOVER = 7,
	HVIC_VSS_OP_COUNT	= 8,
};

/* Registration ops the daemon writes (REGISTER1 gets a __u32 answer). */
#define HVIC_VSS_OP_REGISTER	128
#define HVIC_VSS_OP_REGISTER1	129

/* HOT_BACKUP reply flags: Linux does no auto-recovery. */
#define HVIC_VSS_HBU_NO_AUTO_RECOVERY	0x00000005

struct hvic_vss_msg {
	union {
		struct {
			__u8 operation;		/* enum hvic_vss_op */
			__u8 reserved[7];
		} __attribute__((packed)) vss_hdr;
		__s32 error;			/* the daemon's reply status */
	};
	__u32 flags;
} __attribute__((packed));
#define HVIC_VSS_MSG_SIZE	12

/* ---------------------------------------------------------------- fcopy */

enum hvic_fcopy_op {
	HVIC_FCOPY_START	= 0,
	HVIC_FCOPY_WRITE	= 1,
	HVIC_FCOPY_COMPLETE	= 2,
	HVIC_FCOPY_CANCEL	= 3,
};

/* Registration: the daemon writes a __u32 version, the kernel answers it. */
#define HVIC_FCOPY_VERSION_1	1

#define HVIC_FCOPY_PATH_UNITS	260		/* W_MAX_PATH */
#define HVIC_FCOPY_FRAGMENT	(6 * 1024)
#define HVIC_FCOPY_OVER_WRITE	0x1
#define HVIC_FCOPY_CREATE_PATH	0x2

struct hvic_fcopy_hdr {
	__u32 operation;			/* enum hvic_fcopy_op */
	__u8 service_id0[16];			/* unused */
	__u8 service_id1[16];			/* unused */
} __attribute__((packed));
#define HVIC_FCOPY_HDR_SIZE	36

/* START: between kernel and daemon the names are UTF-8 in these arrays. */
struct hvic_fcopy_start {
	struct hvic_fcopy_hdr hdr;
	__u16 file_name[HVIC_FCOPY_PATH_UNITS];
	__u16 path_name[HVIC_FCOPY_PATH_UNITS];
	__u32 copy_flags;			/* HVIC_FCOPY_OVER_WRITE | ... */
	__u64 file_size;
} __attribute__((packed));
#define HVIC_FCOPY_START_SIZE	1088

struct hvic_fcopy_write {
	struct hvic_fcopy_hdr hdr;
	__u32 pad;
	__u64 offset;
	__u32 size;				/* <= HVIC_FCOPY_FRAGMENT */
	__u8 data[HVIC_FCOPY_FRAGMENT];
} __attribute__((packed));
#define HVIC_FCOPY_WRITE_SIZE	6196

#endif /* _UAPI_LINUX_HVIC_H */
