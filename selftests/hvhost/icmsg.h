/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IC wire formats, as the host puts them in a VMBus in-band packet.
 *
 * Every multi-byte field is little endian (__le*), every struct is packed
 * and followed by a size assertion; offsets that matter are asserted too.
 * Sizes and offsets: upstream include/linux/hyperv.h (IC section) and
 * include/uapi/linux/hyperv.h, 6.1.  Read fields with le*toh(), write them
 * with htole*(); never touch a packet through raw offsets.
 */
#ifndef HVHOST_ICMSG_H
#define HVHOST_ICMSG_H

#include <endian.h>
#include <stddef.h>
#include <linux/types.h>

#define __hv_packed __attribute__((packed))

/* Packet prefix; Linux skips it.  flags 1 = pipe message data. */
struct ic_pipe_hdr {
	__le32 flags;
	__le32 msgsize;		/* bytes after this header */
} __hv_packed;
_Static_assert(sizeof(struct ic_pipe_hdr) == 8, "vmbuspipe_hdr");

#define IC_PIPE_FLAG_DATA	1

struct ic_version {
	__le16 major;
	__le16 minor;
} __hv_packed;
_Static_assert(sizeof(struct ic_version) == 4, "ic_version");

struct ic_msg_hdr {
	struct ic_version icverframe;
	__le16 icmsgtype;
	struct ic_version icvermsg;
	__le16 icmsgsize;	/* body bytes */
	__le32 status;
	__u8 ictransaction_id;
	__u8 icflags;
	__u8 reserved[2];
} __hv_packed;
_Static_assert(sizeof(struct ic_msg_hdr) == 20, "icmsg_hdr");
_Static_assert(offsetof(struct ic_msg_hdr, icmsgsize) == 10, "icmsgsize");
_Static_assert(offsetof(struct ic_msg_hdr, status) == 12, "status");
_Static_assert(offsetof(struct ic_msg_hdr, icflags) == 17, "icflags");

/* What precedes every body. */
struct ic_hdr {
	struct ic_pipe_hdr pipe;
	struct ic_msg_hdr ic;
} __hv_packed;
_Static_assert(sizeof(struct ic_hdr) == 28, "ICMSG_HDR");

/* NEGOTIATE body: framework versions, then service versions. */
struct ic_negotiate {
	__le16 icframe_vercnt;
	__le16 icmsg_vercnt;
	__le32 reserved;
	struct ic_version icversion_data[];
} __hv_packed;
_Static_assert(sizeof(struct ic_negotiate) == 8, "icmsg_negotiate");

#define IC_NEGOTIATE_MAX_COUNT	100	/* per list, guest side limit */

struct ic_heartbeat {
	__le64 seq_num;
	__le32 reserved[8];
} __hv_packed;
_Static_assert(sizeof(struct ic_heartbeat) == 40, "heartbeat_msg_data");

struct ic_shutdown {
	__le32 reason_code;
	__le32 timeout_seconds;
	__le32 flags;
	__u8 display_message[2048];
} __hv_packed;
_Static_assert(sizeof(struct ic_shutdown) == 2060, "shutdown_msg_data");
_Static_assert(offsetof(struct ic_shutdown, display_message) == 12, "dm");

/* TimeSync up to 3.0. */
struct ic_timesync_v3 {
	__le64 parenttime;
	__le64 childtime;
	__le64 roundtriptime;
	__u8 flags;
} __hv_packed;
_Static_assert(sizeof(struct ic_timesync_v3) == 25, "ictimesync_data");

/* TimeSync 4.0. */
struct ic_timesync_v4 {
	__le64 parenttime;
	__le64 vmreferencetime;
	__u8 flags;
	__u8 leapflags;
	__u8 stratum;
	__u8 reserved[3];
} __hv_packed;
_Static_assert(sizeof(struct ic_timesync_v4) == 22, "ictimesync_ref_data");
_Static_assert(offsetof(struct ic_timesync_v4, flags) == 16, "ts4 flags");

/* ---- KVP ---- */

#define KVP_KEY_SIZE	512
#define KVP_VALUE_SIZE	2048

struct kvp_hdr {
	__u8 operation;
	__u8 pool;
	__le16 pad;
} __hv_packed;
_Static_assert(sizeof(struct kvp_hdr) == 4, "hv_kvp_hdr");

struct kvp_value {
	__le32 value_type;
	__le32 key_size;	/* bytes, UTF-16LE incl. NUL */
	__le32 value_size;
	__u8 key[KVP_KEY_SIZE];
	union {
		__u8 value[KVP_VALUE_SIZE];
		__le32 value_u32;
		__le64 value_u64;
	} __hv_packed;
} __hv_packed;
_Static_assert(sizeof(struct kvp_value) == 2572, "hv_kvp_exchg_msg_value");
_Static_assert(offsetof(struct kvp_value, value) == 524, "kvp value");

struct kvp_enumerate {
	__le32 index;
	struct kvp_value data;
} __hv_packed;
_Static_assert(sizeof(struct kvp_enumerate) == 2576, "hv_kvp_msg_enumerate");

struct kvp_delete {
	__le32 key_size;
	__u8 key[KVP_KEY_SIZE];
} __hv_packed;
_Static_assert(sizeof(struct kvp_delete) == 516, "hv_kvp_msg_delete");

#define KVP_ADAPTER_UNITS	128
#define KVP_IP_UNITS		1024
#define KVP_GW_UNITS		512

struct kvp_ipaddr {
	__le16 adapter_id[KVP_ADAPTER_UNITS];
	__u8 addr_family;
	__u8 dhcp_enabled;
	__le16 ip_addr[KVP_IP_UNITS];
	__le16 sub_net[KVP_IP_UNITS];
	__le16 gate_way[KVP_GW_UNITS];
	__le16 dns_addr[KVP_IP_UNITS];
} __hv_packed;
_Static_assert(sizeof(struct kvp_ipaddr) == 7426, "hv_kvp_ipaddr_value");
_Static_assert(offsetof(struct kvp_ipaddr, addr_family) == 256, "family");
_Static_assert(offsetof(struct kvp_ipaddr, ip_addr) == 258, "ip_addr");
_Static_assert(offsetof(struct kvp_ipaddr, sub_net) == 2306, "sub_net");
_Static_assert(offsetof(struct kvp_ipaddr, gate_way) == 4354, "gate_way");
_Static_assert(offsetof(struct kvp_ipaddr, dns_addr) == 5378, "dns_addr");

/*
 * struct hv_kvp_msg: the body union is not packed in the uapi header and
 * contains 4-byte aligned members, so it is padded from 7426 to 7428.
 */
struct kvp_msg {
	struct kvp_hdr hdr;
	union {
		struct kvp_value get;
		struct kvp_value set;
		struct kvp_delete del;
		struct kvp_enumerate enumerate;
		struct kvp_ipaddr ip;
		__u8 pad[7428];
	} body;
} __hv_packed;
_Static_assert(sizeof(struct kvp_msg) == 7432, "hv_kvp_msg");
_Static_assert(offsetof(struct kvp_msg, body) == 4, "kvp body");

/* struct hv_kvp_ip_msg: the host's layout for the IP ops (2-byte header). */
struct kvp_ip_msg {
	__u8 operation;
	__u8 pool;
	struct kvp_ipaddr ip;
} __hv_packed;
_Static_assert(sizeof(struct kvp_ip_msg) == 7428, "hv_kvp_ip_msg");

/* ---- VSS ---- */

struct vss_msg {
	__u8 operation;		/* overlaid by "int error" in the daemon ABI */
	__u8 reserved[7];
	__le32 flags;		/* vss_cf.flags / dm_info.flags */
} __hv_packed;
_Static_assert(sizeof(struct vss_msg) == 12, "hv_vss_msg");

/* ---- FCopy ---- */

#define FCOPY_PATH_UNITS	260
#define FCOPY_FRAGMENT		6144

struct fcopy_hdr {
	__le32 operation;
	__u8 service_id0[16];
	__u8 service_id1[16];
} __hv_packed;
_Static_assert(sizeof(struct fcopy_hdr) == 36, "hv_fcopy_hdr");

struct fcopy_start {
	struct fcopy_hdr hdr;
	__le16 file_name[FCOPY_PATH_UNITS];
	__le16 path_name[FCOPY_PATH_UNITS];
	__le32 copy_flags;
	__le64 file_size;
} __hv_packed;
_Static_assert(sizeof(struct fcopy_start) == 1088, "hv_start_fcopy");
_Static_assert(offsetof(struct fcopy_start, path_name) == 556, "path_name");
_Static_assert(offsetof(struct fcopy_start, copy_flags) == 1076, "flags");
_Static_assert(offsetof(struct fcopy_start, file_size) == 1080, "size");

struct fcopy_write {
	struct fcopy_hdr hdr;
	__le32 pad;
	__le64 offset;
	__le32 size;
	__u8 data[FCOPY_FRAGMENT];
} __hv_packed;
_Static_assert(sizeof(struct fcopy_write) == 6196, "hv_do_fcopy");
_Static_assert(offsetof(struct fcopy_write, offset) == 40, "offset");
_Static_assert(offsetof(struct fcopy_write, data) == 52, "data");

#endif /* HVHOST_ICMSG_H */
