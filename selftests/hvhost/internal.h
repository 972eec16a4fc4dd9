/* SPDX-License-Identifier: GPL-2.0 */
/* libhvhost internals shared between its files. */
#ifndef HVHOST_INTERNAL_H
#define HVHOST_INTERNAL_H

#include "hvhost.h"
#include "icmsg.h"

struct hvhost {
	int fd;				/* /dev/vmbus_sim */
	unsigned int timeout_ms;	/* reply timeout of transactions */
	/*
	 * Packet and reply buffers (2 * HVHOST_MAX_PACKET) for one
	 * transaction at a time, so a transaction costs no allocation;
	 * concurrent users of one handle fall back to malloc.
	 */
	uint8_t *buf;
	bool buf_busy;
};

uint8_t *hvhost_buf_get(struct hvhost *h);
void hvhost_buf_put(struct hvhost *h, uint8_t *buf);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Public sizes must agree with the wire structs. */
_Static_assert(HVHOST_IC_HDR_SIZE == sizeof(struct ic_hdr), "ic hdr");
_Static_assert(HVHOST_HEARTBEAT_BODY == sizeof(struct ic_heartbeat), "hb");
_Static_assert(HVHOST_SHUTDOWN_BODY == sizeof(struct ic_shutdown), "sd");
_Static_assert(HVHOST_TIMESYNC_V3_BODY == sizeof(struct ic_timesync_v3), "t3");
_Static_assert(HVHOST_TIMESYNC_V4_BODY == sizeof(struct ic_timesync_v4), "t4");
_Static_assert(HVHOST_KVP_MSG_SIZE == sizeof(struct kvp_msg), "kvp");
_Static_assert(HVHOST_KVP_IP_MSG_SIZE == sizeof(struct kvp_ip_msg), "kvpip");
_Static_assert(HVHOST_VSS_MSG_SIZE == sizeof(struct vss_msg), "vss");
_Static_assert(HVHOST_FCOPY_HDR_SIZE == sizeof(struct fcopy_hdr), "fch");
_Static_assert(HVHOST_FCOPY_START_SIZE == sizeof(struct fcopy_start), "fcs");
_Static_assert(HVHOST_FCOPY_WRITE_SIZE == sizeof(struct fcopy_write), "fcw");
_Static_assert(sizeof(struct hvhost_chandata) == VMBUS_SIM_HOSTDATA_LEN, "cd");

/* Largest packet we ever build or accept. */
#define HVHOST_MAX_PACKET	VMBUS_SIM_MAX_PACKET

/* ioctl wrapper: 0 or -errno, retrying EINTR. */
int hvhost_ioctl(struct hvhost *h, unsigned long req, void *arg);

/*
 * Encode UTF-8 into a fixed UTF-16LE wire field of units units (NUL
 * included); *size gets the byte size incl. NUL.  NULL s: empty string.
 */
int hvhost_put_wstr(void *field, size_t units, const char *s, size_t *size);
/* Decode a wire field of at most units units, stopping at NUL. */
int hvhost_get_wstr(const void *field, size_t units, char *out, size_t cap);

/* Monotonic milliseconds, for deadlines. */
uint64_t hvhost_now_ms(void);

#endif /* HVHOST_INTERNAL_H */
