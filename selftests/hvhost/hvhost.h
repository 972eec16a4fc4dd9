/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhvhost: play the Hyper-V host side of the integration components (ICs)
 * against guest drivers, over vmbus_sim's /dev/vmbus_sim.
 *
 * The library runs inside the guest, next to the drivers under test.  Every
 * channel is named by its vmbus_sim id; host tools are one-shot processes,
 * so per-channel host state (the negotiated versions, the next request id,
 * the heartbeat sequence) is kept in the channel's HOSTDATA bytes, laid out
 * as struct hvhost_chandata below.
 *
 * Conventions
 *  - Every function returning int returns 0 on success or a negative errno
 *    for transport and protocol errors.  The guest's IC status code (the
 *    icmsg_hdr "status" field of its reply, HV_S_OK, HV_E_FAIL, ...) is never
 *    folded into the return value: it comes back through a "uint32_t
 *    *status" out parameter, so a test can tell "the guest said no" (return
 *    0, *status = HV_E_FAIL) from "the guest said nothing" (-ETIMEDOUT).
 *    Out pointers named status may be NULL.
 *  - Errors used: -ETIMEDOUT no reply within the timeout; -ENOTCONN channel
 *    not open; -ENOENT no such channel/service; -EPROTO the reply is not a
 *    well-formed RESPONSE to our request (wrong type, flags, versions);
 *    -EBADMSG a reply too short for what it must hold, or with sizes out of
 *    range; -EILSEQ invalid UTF-8/UTF-16; -E2BIG/-ENAMETOOLONG a string does
 *    not fit its wire field; -ENOPROTOOPT no negotiated version where one is
 *    needed; -EINVAL bad argument.  vmbus_sim's own errnos pass through.
 *  - Versions are uint32_t, major << 16 | minor, as in the kernel.
 *  - Multi-byte wire fields are little endian; the wire structs themselves
 *    live in icmsg.h (private).  The "pure builders" section below builds
 *    and parses IC payloads in memory without a device, for unit tests.
 *  - Timeouts are in milliseconds.  The handle's default transaction
 *    timeout is HVHOST_DEFAULT_TIMEOUT_MS.
 *  - Not thread safe: one handle per thread.
 */
#ifndef HVHOST_H
#define HVHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmbus_sim.h"

#define HVHOST_VERSION(maj, min)	((uint32_t)(maj) << 16 | (uint16_t)(min))
#define HVHOST_VER_MAJOR(v)		((uint32_t)(v) >> 16)
#define HVHOST_VER_MINOR(v)		((uint32_t)(v) & 0xffff)

#define HVHOST_DEFAULT_TIMEOUT_MS	5000

/* ---------------------------------------------------------------------- */
/* Status codes (icmsg_hdr.status; upstream include/uapi/linux/hyperv.h) */

#define HV_S_OK				0x00000000u
#define HV_E_FAIL			0x80004005u
#define HV_S_CONT			0x80070103u
#define HV_ERROR_NOT_SUPPORTED		0x80070032u
#define HV_ERROR_MACHINE_LOCKED		0x800704F7u
#define HV_ERROR_DEVICE_NOT_CONNECTED	0x8007048Fu
#define HV_INVALIDARG			0x80070057u
#define HV_GUID_NOTFOUND		0x80041002u
#define HV_ERROR_ALREADY_EXISTS		0x80070050u
#define HV_ERROR_DISK_FULL		0x80070070u

/* Name of a status ("HV_E_FAIL"), or NULL for a value without a name. */
const char *hvhost_status_name(uint32_t status);
/*
 * Printable status: the name when known, else "0x%08x".  Returns a pointer
 * to a static buffer that the next call may overwrite.
 */
const char *hvhost_status_str(uint32_t status);

/* ---------------------------------------------------------------------- */
/* Services */

enum hvhost_service {
	HVHOST_HEARTBEAT,
	HVHOST_SHUTDOWN,
	HVHOST_TIMESYNC,
	HVHOST_KVP,
	HVHOST_VSS,
	HVHOST_FCOPY,
	HVHOST_SERVICE_COUNT
};

/* icmsg_hdr.icmsgtype values.  There is no type 6. */
enum hvhost_msgtype {
	HVHOST_MSG_NEGOTIATE	= 0,
	HVHOST_MSG_HEARTBEAT	= 1,
	HVHOST_MSG_KVPEXCHANGE	= 2,
	HVHOST_MSG_SHUTDOWN	= 3,
	HVHOST_MSG_TIMESYNC	= 4,
	HVHOST_MSG_VSS		= 5,
	HVHOST_MSG_FCOPY	= 7,
};

struct hvhost_service_info {
	enum hvhost_service service;
	const char *name;		/* CLI name: "heartbeat", "kvp", ... */
	const char *display;		/* Hyper-V's name: "Heartbeat", ... */
	uint8_t class_guid[16];		/* wire (guid_t, bytes_le) order */
	uint16_t msgtype;		/* enum hvhost_msgtype */
};

const struct hvhost_service_info *hvhost_service_info(enum hvhost_service s);
/*
 * Look a service up by CLI name or alias (heartbeat; shutdown; timesync|time;
 * kvp; vss|backup; fcopy|guest-service|copy).  Returns the enum or -ENOENT.
 */
int hvhost_service_by_name(const char *name);
/* Returns the enum for a class GUID (wire order), or -ENOENT. */
int hvhost_service_by_guid(const uint8_t guid[16]);

/* "57164f39-9115-4e78-ab55-382f3bd5422d" <-> wire order.  0 or -EINVAL. */
int hvhost_guid_parse(const char *str, uint8_t guid[16]);
void hvhost_guid_format(const uint8_t guid[16], char out[37]);

/* ---------------------------------------------------------------------- */
/* Host generations
 *
 * A generation is a MODEL of what a given Windows Server release offers: the
 * VMBus protocol version it reports and the IC version lists it puts in its
 * NEGOTIATE messages.  The lists are plausible reconstructions from the
 * guest drivers' history (which versions they learnt when), not captures
 * from real hosts; tests that need exact lists should pass their own.
 *
 *   ws2012:   VMBus 2.4 (VERSION_WIN8); fw {1.0,3.0}; heartbeat {1.0,3.0};
 *             shutdown {1.0,3.0}; timesync {1.0,3.0}; kvp {1.0,3.0,4.0};
 *             vss and fcopy not offered.
 *   ws2012r2: VMBus 3.0 (VERSION_WIN8_1); as ws2012, plus vss {5.0},
 *             fcopy {1.1}.
 *   ws2016:   VMBus 4.0 (VERSION_WIN10); shutdown {1.0,3.0,3.1,3.2},
 *             timesync {1.0,3.0,4.0}; others as ws2012r2.
 *   ws2019:   as ws2016 with VMBus 5.2 (VERSION_WIN10_V5_2).
 *   ws2022:   as ws2016 with VMBus 5.3 (VERSION_WIN10_V5_3).
 */
enum hvhost_generation {
	HVHOST_WS2012,
	HVHOST_WS2012R2,
	HVHOST_WS2016,
	HVHOST_WS2019,
	HVHOST_WS2022,
	HVHOST_GENERATION_COUNT
};

#define HVHOST_DEFAULT_GENERATION	HVHOST_WS2022

/* A version list: count entries at v.  count may be 0 and may exceed 100. */
struct hvhost_verlist {
	const uint32_t *v;
	size_t count;
};

struct hvhost_host_model {
	const char *name;		/* "ws2012", ... */
	uint32_t vmbus_version;		/* major << 16 | minor */
	struct hvhost_verlist fw;	/* framework versions */
	struct hvhost_verlist srv[HVHOST_SERVICE_COUNT]; /* count 0: not offered */
};

const struct hvhost_host_model *hvhost_host_model(enum hvhost_generation g);
/* By name ("ws2012", "ws2012r2", "ws2016", "ws2019", "ws2022"); NULL if none. */
const struct hvhost_host_model *hvhost_host_model_by_name(const char *name);

/* ---------------------------------------------------------------------- */
/* Handle and channels */

struct hvhost;

/* Open the sim (dev NULL: VMBUS_SIM_DEVICE).  *out is freed by close. */
int hvhost_open(struct hvhost **out, const char *dev);
void hvhost_close(struct hvhost *h);
int hvhost_fd(const struct hvhost *h);
/* Transaction (reply) timeout for every request made through h. */
void hvhost_set_timeout(struct hvhost *h, unsigned int timeout_ms);
unsigned int hvhost_timeout(const struct hvhost *h);

/* Offer a service (fresh instance GUID); the new channel id in *id. */
int hvhost_offer(struct hvhost *h, enum hvhost_service s, uint32_t *id);
/* Offer any class GUID; instance may be NULL (generate one). */
int hvhost_offer_guid(struct hvhost *h, const uint8_t class_guid[16],
		      const uint8_t instance_guid[16], uint32_t *id);

/*
 * Channel of a service that is still live (not RESCINDED/GONE).  With
 * several, an OPEN one is preferred, then the highest id.  -ENOENT if none.
 */
int hvhost_find(struct hvhost *h, enum hvhost_service s, uint32_t *id);
int hvhost_find_guid(struct hvhost *h, const uint8_t class_guid[16],
		     uint32_t *id);
/* All live channels; *out is malloc'd (free() it), *n entries. */
int hvhost_list(struct hvhost *h, struct vmbus_sim_status **out, size_t *n);
int hvhost_status(struct hvhost *h, uint32_t id, struct vmbus_sim_status *st);

/* Wait until the channel's state is in mask (VMBUS_SIM_STATE_BIT()s). */
int hvhost_wait_state(struct hvhost *h, uint32_t id, uint32_t mask,
		      unsigned int timeout_ms, uint32_t *state);
/* Wait for OPEN; -ETIMEDOUT, or -ENOTCONN if it became RESCINDED/GONE. */
int hvhost_wait_open(struct hvhost *h, uint32_t id, unsigned int timeout_ms);
/* Rescind; then wait up to timeout_ms for GONE (0: don't wait). */
int hvhost_rescind(struct hvhost *h, uint32_t id, unsigned int timeout_ms);

/* vmbus_proto_version the guest sees (VERSION_*: major << 16 | minor). */
int hvhost_set_vmbus_version(struct hvhost *h, uint32_t version);
int hvhost_get_vmbus_version(struct hvhost *h, uint32_t *version);
/* The guest's reference counter now (hv_read_reference_counter, 100 ns). */
int hvhost_reference_time(struct hvhost *h, uint64_t *ref);
/* Run the bound driver's suspend/resume (enum vmbus_sim_pm_op). */
int hvhost_pm(struct hvhost *h, uint32_t id, uint32_t op);

/*
 * Per-channel host state, stored in the channel's HOSTDATA (64 bytes,
 * host byte order).  A channel whose HOSTDATA lacks the magic has state
 * all zero.  Versions are valid when HVHOST_CD_NEGOTIATED is set and
 * open_count still equals the channel's open_count (the guest has not
 * reopened, e.g. reloaded or resumed, since).
 */
#define HVHOST_CD_MAGIC		0x31485648u	/* "HVH1" */
#define HVHOST_CD_NEGOTIATED	(1u << 0)
struct hvhost_chandata {
	uint32_t magic;
	uint32_t flags;		/* HVHOST_CD_* */
	uint32_t fw_version;	/* negotiated framework version */
	uint32_t srv_version;	/* negotiated service version */
	uint32_t open_count;	/* channel open_count at negotiation */
	uint32_t reserved0;
	uint64_t next_request;	/* next VMBus request id to use */
	uint64_t hb_seq;	/* next heartbeat sequence number */
	uint8_t reserved[24];
};

int hvhost_chandata_get(struct hvhost *h, uint32_t id, struct hvhost_chandata *cd);
int hvhost_chandata_set(struct hvhost *h, uint32_t id, const struct hvhost_chandata *cd);
/*
 * Negotiated versions still valid for this open of the channel: 0 with
 * fw and srv set, -ENOPROTOOPT if not negotiated (or the guest reopened).
 */
int hvhost_negotiated(struct hvhost *h, uint32_t id, uint32_t *fw, uint32_t *srv);

/* ---------------------------------------------------------------------- */
/* Raw packets (for malformed-input tests) */

/* Send len arbitrary bytes as one in-band packet with this request id. */
int hvhost_send_raw(struct hvhost *h, uint32_t id, uint64_t request_id,
		    const void *buf, size_t len);
/*
 * Receive one guest packet.  *len: in buffer size, out packet length
 * (-ENOBUFS with *len set if the buffer is too small; the packet stays).
 * timeout_ms 0 polls: -EAGAIN when empty; otherwise -ETIMEDOUT.
 * request_id may be NULL.
 */
int hvhost_recv_raw(struct hvhost *h, uint32_t id, void *buf, size_t *len,
		    uint64_t *request_id, unsigned int timeout_ms);
/* Discard every packet the guest has queued; the number in *n (may be NULL). */
int hvhost_drain(struct hvhost *h, uint32_t id, unsigned int *n);

/* ---------------------------------------------------------------------- */
/* Transactions */

/* The parsed IC reply, pointing into the caller's packet buffer. */
struct hvhost_reply {
	uint32_t status;	/* icmsg_hdr.status */
	uint16_t msgtype;
	uint16_t icmsgsize;
	uint32_t fw_version;	/* icverframe */
	uint32_t msg_version;	/* icvermsg */
	uint8_t icflags;
	uint8_t transaction_id;
	const uint8_t *body;	/* bytes after the 28-byte IC header */
	size_t body_len;
};

/*
 * One request/response exchange on channel id: frame body as msgtype
 * (icflags TRANSACTION|REQUEST, versions from the channel's negotiated
 * state or 0.0), send it with a fresh request id, wait up to the handle's
 * timeout for the guest's reply to that request id (packets for other ids,
 * i.e. late replies to earlier timed-out requests, are discarded), check it
 * is a RESPONSE of msgtype, and copy its body into rbody (up to *rlen
 * bytes; *rlen then holds the guest's full body length, which may exceed
 * the buffer).  rbody/rlen may be NULL.
 */
int hvhost_transact(struct hvhost *h, uint32_t id, uint16_t msgtype,
		    const void *body, size_t body_len,
		    void *rbody, size_t *rlen, uint32_t *status);

/* ---------------------------------------------------------------------- */
/* Negotiation */

struct hvhost_nego {
	bool agreed;		/* counts 1/1; false: guest answered 0/0 */
	uint32_t fw_version;	/* chosen (valid when agreed) */
	uint32_t srv_version;
	uint32_t status;	/* the reply's icmsg status */
};

/*
 * Send NEGOTIATE with these lists (fw first), validate the reply (RESPONSE,
 * counts 1/1 with both versions from our lists, or 0/0) and, when agreed,
 * record the versions in the channel's chandata.  -EPROTO for an invalid
 * reply; 0 with nego->agreed false when the guest found no match.
 */
int hvhost_negotiate(struct hvhost *h, uint32_t id,
		     struct hvhost_verlist fw, struct hvhost_verlist srv,
		     struct hvhost_nego *nego);
/* Same with a generation's lists for service s (-ENOTSUP: not offered). */
int hvhost_negotiate_model(struct hvhost *h, uint32_t id, enum hvhost_service s,
			   const struct hvhost_host_model *m,
			   struct hvhost_nego *nego);
/*
 * Negotiate with model m unless the channel already has valid versions
 * (see hvhost_negotiated()).  nego may be NULL.  -ENOPROTOOPT when the
 * guest answered 0/0 (nego->agreed false, nego->status its status).
 */
int hvhost_ensure_negotiated(struct hvhost *h, uint32_t id,
			     enum hvhost_service s,
			     const struct hvhost_host_model *m,
			     struct hvhost_nego *nego);

/* ---------------------------------------------------------------------- */
/* Heartbeat */

/* Send seq; *reply_seq gets the guest's (seq + 1 from a sane guest). */
int hvhost_heartbeat(struct hvhost *h, uint32_t id, uint64_t seq,
		     uint64_t *reply_seq, uint32_t *status);

/* Get-VM's Heartbeat column. */
enum hvhost_health {
	HVHOST_HEALTH_NO_CONTACT,	/* no channel, or not open */
	HVHOST_HEALTH_OK,		/* "Operating normally" */
	HVHOST_HEALTH_LOST,		/* "Lost communication" */
};
const char *hvhost_health_str(enum hvhost_health health);
/*
 * Heartbeat the live heartbeat channel once with the channel's next
 * sequence number (kept in chandata), negotiating first (default
 * generation) if this open of the channel was not negotiated yet: OK when
 * the guest answered HV_S_OK with seq + 1 within the timeout, LOST
 * otherwise (including a failed negotiation), NO_CONTACT when there is no
 * open heartbeat channel.  Returns 0 unless the sim itself fails.
 */
int hvhost_heartbeat_health(struct hvhost *h, enum hvhost_health *health);

/* ---------------------------------------------------------------------- */
/* Shutdown */

#define HVHOST_SHUTDOWN_POWEROFF	0x0
#define HVHOST_SHUTDOWN_FORCE		0x1	/* OR-ed in */
#define HVHOST_SHUTDOWN_REBOOT		0x2
#define HVHOST_SHUTDOWN_HIBERNATE	0x4
#define HVHOST_SHUTDOWN_REASON_PLANNED	0x80000000u
#define HVHOST_SHUTDOWN_MSG_LEN		2048

struct hvhost_shutdown_req {
	uint32_t flags;		/* HVHOST_SHUTDOWN_* */
	uint32_t reason_code;	/* e.g. HVHOST_SHUTDOWN_REASON_PLANNED */
	uint32_t timeout_s;
	const void *message;	/* bytes for display_message; NULL: empty */
	size_t message_len;	/* bytes at message (no NUL needed) */
	bool unterminated;	/* allow message_len == 2048 (no NUL) */
};

/* Send a shutdown request (2060-byte body).  -E2BIG if the message
 * does not fit (2047 bytes + NUL, or 2048 when unterminated). */
int hvhost_shutdown(struct hvhost *h, uint32_t id,
		    const struct hvhost_shutdown_req *req, uint32_t *status);

/* ---------------------------------------------------------------------- */
/* Time sync */

#define HVHOST_TS_PROBE		0x0
#define HVHOST_TS_SYNC		0x1
#define HVHOST_TS_SAMPLE	0x2
/* 100 ns ticks between 1601-01-01 and 1970-01-01 (WLTIMEDELTA). */
#define HVHOST_WLTIMEDELTA	116444736000000000ull

uint64_t hvhost_unix_ns_to_filetime(int64_t unix_ns);
int64_t hvhost_filetime_to_unix_ns(uint64_t filetime);
/* Guest CLOCK_REALTIME + offset_ns, as a FILETIME. */
uint64_t hvhost_filetime_now(int64_t offset_ns);
/* "2024-05-01T12:00:00[.fff][Z|+hh:mm]" -> unix ns; 0 or -EINVAL. */
int hvhost_parse_iso8601(const char *s, int64_t *unix_ns);

struct hvhost_timesync_req {
	uint8_t flags;		/* HVHOST_TS_SYNC / SAMPLE / PROBE */
	bool absolute;		/* parenttime is given ... */
	uint64_t parenttime;	/* ... as this FILETIME; else computed: */
	int64_t offset_ns;	/* guest CLOCK_REALTIME + offset_ns */
	unsigned int delay_ms;	/* sample time and reference time first,
				 * sleep delay_ms, then send */
	uint32_t version;	/* 0: negotiated; else use the v4 body iff
				 * version > 3.0 */
	uint8_t leapflags;	/* v4 only */
	uint8_t stratum;	/* v4 only */
};

struct hvhost_timesync_result {
	uint32_t status;
	bool v4;		/* body used: ictimesync_ref_data */
	uint64_t parenttime;	/* as sent */
	uint64_t reftime;	/* v4: vmreferencetime sent */
	uint64_t childtime;	/* v3: echoed by the guest */
	uint8_t reply_flags;	/* flags in the echoed body */
};

int hvhost_timesync(struct hvhost *h, uint32_t id,
		    const struct hvhost_timesync_req *req,
		    struct hvhost_timesync_result *res);

/* ---------------------------------------------------------------------- */
/* KVP */

enum hvhost_kvp_op {
	HVHOST_KVP_GET		= 0,
	HVHOST_KVP_SET		= 1,
	HVHOST_KVP_DELETE	= 2,
	HVHOST_KVP_ENUMERATE	= 3,
	HVHOST_KVP_GET_IP_INFO	= 4,
	HVHOST_KVP_SET_IP_INFO	= 5,
};

enum hvhost_kvp_pool {
	HVHOST_KVP_POOL_EXTERNAL	= 0,
	HVHOST_KVP_POOL_GUEST		= 1,
	HVHOST_KVP_POOL_AUTO		= 2,
	HVHOST_KVP_POOL_AUTO_EXTERNAL	= 3,
	HVHOST_KVP_POOL_AUTO_INTERNAL	= 4,
	HVHOST_KVP_POOL_COUNT
};
/* "external", "guest", "auto", "auto_external", "auto_internal" or a
 * number 0..255 (out-of-range pools are allowed, for tests).  -EINVAL. */
int hvhost_kvp_pool_parse(const char *s, uint8_t *pool);
const char *hvhost_kvp_pool_name(uint8_t pool);	/* NULL if unnamed */

#define HVHOST_REG_SZ		1
#define HVHOST_REG_U32		4
#define HVHOST_REG_U64		8

/* Wire limits, bytes of UTF-16LE including the NUL. */
#define HVHOST_KVP_KEY_SIZE	512
#define HVHOST_KVP_VALUE_SIZE	2048
/* UTF-8 buffer sizes big enough for any wire string (3 bytes/unit + NUL). */
#define HVHOST_KVP_KEY_MAX	(HVHOST_KVP_KEY_SIZE / 2 * 3 + 1)
#define HVHOST_KVP_VALUE_MAX	(HVHOST_KVP_VALUE_SIZE / 2 * 3 + 1)

struct hvhost_kvp_value {
	uint32_t type;		/* HVHOST_REG_* (any value is sent as is) */
	const char *sz;		/* REG_SZ: UTF-8, converted to UTF-16LE */
	uint64_t num;		/* REG_U32 / REG_U64 */
};

/* A record from the guest (GET / ENUMERATE reply), decoded. */
struct hvhost_kvp_record {
	uint32_t value_type;
	uint32_t key_size;	/* wire bytes, as the guest sent them */
	uint32_t value_size;
	char key[HVHOST_KVP_KEY_MAX];		/* UTF-8, up to the first NUL */
	char value[HVHOST_KVP_VALUE_MAX];	/* REG_SZ: UTF-8; else decimal */
	uint64_t num;		/* REG_U32 / REG_U64 value */
};

/* Every KVP request is sent full size (sizeof struct hv_kvp_msg, 7432). */
int hvhost_kvp_set(struct hvhost *h, uint32_t id, uint8_t pool,
		   const char *key, const struct hvhost_kvp_value *v,
		   uint32_t *status);
/* rec may be NULL.  Filled only when *status is HV_S_OK. */
int hvhost_kvp_get(struct hvhost *h, uint32_t id, uint8_t pool,
		   const char *key, struct hvhost_kvp_record *rec,
		   uint32_t *status);
int hvhost_kvp_delete(struct hvhost *h, uint32_t id, uint8_t pool,
		      const char *key, uint32_t *status);
/* HV_S_CONT in *status: index is past the end of the pool. */
int hvhost_kvp_enumerate(struct hvhost *h, uint32_t id, uint8_t pool,
			 uint32_t index, struct hvhost_kvp_record *rec,
			 uint32_t *status);
/*
 * Enumerate indexes 0, 1, ... calling cb for each record until the guest
 * answers non-OK (*status: HV_S_CONT at a normal end), cb returns non-zero
 * (returned as is), or max records (0: 100000) were read.  *count records.
 */
typedef int (*hvhost_kvp_cb)(const struct hvhost_kvp_record *rec,
			     uint32_t index, void *ctx);
int hvhost_kvp_enumerate_all(struct hvhost *h, uint32_t id, uint8_t pool,
			     hvhost_kvp_cb cb, void *ctx, unsigned int max,
			     unsigned int *count, uint32_t *status);

#define HVHOST_ADDR_FAMILY_NONE	0x00
#define HVHOST_ADDR_FAMILY_IPV4	0x01
#define HVHOST_ADDR_FAMILY_IPV6	0x02
/* Wire field sizes in UTF-16 units (include the NUL). */
#define HVHOST_KVP_ADAPTER_UNITS	128
#define HVHOST_KVP_IP_UNITS		1024
#define HVHOST_KVP_GW_UNITS		512

/* IP configuration, strings in UTF-8 (';'-separated lists, as the daemon). */
struct hvhost_kvp_ip {
	uint8_t addr_family;	/* HVHOST_ADDR_FAMILY_* bits */
	uint8_t dhcp_enabled;
	char adapter_id[HVHOST_KVP_ADAPTER_UNITS * 3 + 1];
	char ip_addr[HVHOST_KVP_IP_UNITS * 3 + 1];
	char sub_net[HVHOST_KVP_IP_UNITS * 3 + 1];
	char gate_way[HVHOST_KVP_GW_UNITS * 3 + 1];
	char dns_addr[HVHOST_KVP_IP_UNITS * 3 + 1];
};

/*
 * GET_IP_INFO for adapter_id (the daemon matches it against the upper-case
 * MAC "00:15:5D:..." of the guest's interfaces).  out filled on HV_S_OK.
 */
int hvhost_kvp_get_ip_info(struct hvhost *h, uint32_t id,
			   const char *adapter_id, uint8_t addr_family,
			   struct hvhost_kvp_ip *out, uint32_t *status);
/* SET_IP_INFO (the daemon matches adapter_id against the VMBus NIC GUID). */
int hvhost_kvp_set_ip_info(struct hvhost *h, uint32_t id,
			   const struct hvhost_kvp_ip *in, uint32_t *status);

/* ---------------------------------------------------------------------- */
/* VSS (backup) */

enum hvhost_vss_op {
	HVHOST_VSS_CREATE	= 0,
	HVHOST_VSS_DELETE	= 1,
	HVHOST_VSS_HOT_BACKUP	= 2,
	HVHOST_VSS_GET_DM_INFO	= 3,
	HVHOST_VSS_BU_COMPLETE	= 4,
	HVHOST_VSS_FREEZE	= 5,
	HVHOST_VSS_THAW		= 6,
	HVHOST_VSS_AUTO_RECOVER	= 7,
};
/* Reply flags Linux puts in a HOT_BACKUP answer. */
#define HVHOST_VSS_HBU_NO_AUTO_RECOVERY	0x00000005u
/*
 * Body sizes the host sends: a 12-byte hv_vss_msg for most ops; FREEZE
 * carries LUN data Linux ignores, up to 6260 bytes for the whole packet
 * (uapi hyperv.h), modelled as a FREEZE padded to that packet size.
 */
#define HVHOST_VSS_MSG_SIZE		12
#define HVHOST_VSS_FREEZE_PKT_SIZE	6260

/*
 * One VSS request.  flags goes in the flags word; body_len 0 picks the
 * default size above, otherwise at least 12 (zero padded).  *reply_flags
 * gets the flags word of the guest's echo (may be NULL).
 */
int hvhost_vss(struct hvhost *h, uint32_t id, uint8_t op, uint32_t flags,
	       size_t body_len, uint32_t *reply_flags, uint32_t *status);
const char *hvhost_vss_op_name(uint8_t op);

/* ---------------------------------------------------------------------- */
/* File copy (Copy-VMFile) */

enum hvhost_fcopy_op {
	HVHOST_FCOPY_START	= 0,
	HVHOST_FCOPY_WRITE	= 1,
	HVHOST_FCOPY_COMPLETE	= 2,
	HVHOST_FCOPY_CANCEL	= 3,
};
#define HVHOST_FCOPY_OVER_WRITE		0x1
#define HVHOST_FCOPY_CREATE_PATH	0x2
#define HVHOST_FCOPY_PATH_UNITS		260	/* W_MAX_PATH, incl. NUL */
#define HVHOST_FCOPY_FRAGMENT		6144	/* data bytes per WRITE */

int hvhost_fcopy_start(struct hvhost *h, uint32_t id, const char *file_name,
		       const char *path_name, uint32_t copy_flags,
		       uint64_t file_size, uint32_t *status);
/* len <= HVHOST_FCOPY_FRAGMENT (else -EINVAL). */
int hvhost_fcopy_write(struct hvhost *h, uint32_t id, uint64_t offset,
		       const void *data, uint32_t len, uint32_t *status);
int hvhost_fcopy_complete(struct hvhost *h, uint32_t id, uint32_t *status);
int hvhost_fcopy_cancel(struct hvhost *h, uint32_t id, uint32_t *status);
const char *hvhost_fcopy_op_name(uint8_t op);

/* Called after every step of hvhost_copy_file with the guest's status. */
typedef void (*hvhost_fcopy_step_cb)(uint8_t op, uint64_t offset,
				     uint32_t len, uint32_t status, void *ctx);
/*
 * Copy-VMFile: START (name, dir, flags, size of local), WRITE fragments,
 * COMPLETE; stops at the first non-OK status (whose value is in *status,
 * after sending CANCEL if a WRITE failed).  step may be NULL.  Returns
 * -errno for local I/O or transport errors.
 */
int hvhost_copy_file(struct hvhost *h, uint32_t id, const char *local,
		     const char *guest_dir, const char *guest_name,
		     uint32_t copy_flags, hvhost_fcopy_step_cb step, void *ctx,
		     uint32_t *status);

/* ---------------------------------------------------------------------- */
/* UTF-8 <-> UTF-16LE */

/*
 * Convert len bytes of UTF-8 to UTF-16LE plus a NUL unit, into out
 * (cap bytes).  Rejects overlong forms, surrogate code points, values above
 * U+10FFFF and truncated sequences (-EILSEQ), an embedded NUL (-EILSEQ)
 * and results whose size including the NUL exceeds cap (-E2BIG).  *out_size
 * gets the byte size including the NUL (the wire "size" fields).
 */
int hvhost_utf8_to_utf16le(const char *s, size_t len, void *out, size_t cap,
			   size_t *out_size);
/*
 * Convert UTF-16LE (size bytes; conversion stops at the first NUL unit) to
 * NUL-terminated UTF-8 in out (cap bytes).  Unpaired surrogates -> -EILSEQ;
 * odd size -> -EINVAL; out too small -> -E2BIG.  *out_len (may be NULL)
 * gets the UTF-8 length without the NUL.
 */
int hvhost_utf16le_to_utf8(const void *in, size_t size, char *out, size_t cap,
			   size_t *out_len);

/* ---------------------------------------------------------------------- */
/* Pure builders/parsers (no device; used by the unit tests)
 *
 * A "packet" is what travels in a VMBus in-band packet: vmbuspipe_hdr (8)
 * + icmsg_hdr (20) + body.  Builders return the packet length, or -E2BIG if
 * cap is too small, -EINVAL/-EILSEQ/-E2BIG for bad arguments.
 */
#define HVHOST_PIPE_HDR_SIZE	8
#define HVHOST_ICMSG_HDR_SIZE	20
#define HVHOST_IC_HDR_SIZE	28	/* ICMSG_HDR: packet bytes before the body */

#define HVHOST_HEARTBEAT_BODY	40
#define HVHOST_SHUTDOWN_BODY	2060
#define HVHOST_TIMESYNC_V3_BODY	25
#define HVHOST_TIMESYNC_V4_BODY	22
#define HVHOST_KVP_MSG_SIZE	7432	/* struct hv_kvp_msg */
#define HVHOST_KVP_IP_MSG_SIZE	7428	/* struct hv_kvp_ip_msg */
#define HVHOST_FCOPY_HDR_SIZE	36
#define HVHOST_FCOPY_START_SIZE	1088
#define HVHOST_FCOPY_WRITE_SIZE	6196

/* Header fields for hvhost_build_packet(). */
struct hvhost_ichdr {
	uint16_t msgtype;
	uint32_t fw_version;
	uint32_t msg_version;
	uint8_t transaction_id;
	uint8_t icflags;	/* 0: TRANSACTION|REQUEST (0x3) */
	uint32_t status;
};
#define HVHOST_ICFLAG_TRANSACTION	0x1
#define HVHOST_ICFLAG_REQUEST		0x2
#define HVHOST_ICFLAG_RESPONSE		0x4

/* Frame body: pipe hdr {flags 1, msgsize 20 + body_len}, icmsg_hdr with
 * icmsgsize = body_len, then body (NULL: body_len zero bytes). */
int hvhost_build_packet(void *pkt, size_t cap, const struct hvhost_ichdr *hdr,
			const void *body, size_t body_len);
/*
 * Parse a packet from the guest: -EBADMSG if shorter than 28 bytes,
 * -EPROTO unless icflags has RESPONSE and msgtype matches (msgtype < 0:
 * any type).  Fills r (body points into pkt).
 */
int hvhost_parse_reply(const void *pkt, size_t len, int msgtype,
		       struct hvhost_reply *r);

/* NEGOTIATE packet with these lists; transaction id txid. */
int hvhost_build_negotiate(void *pkt, size_t cap, struct hvhost_verlist fw,
			   struct hvhost_verlist srv, uint8_t txid);
/* Validate a NEGOTIATE reply against the lists we offered (see above). */
int hvhost_parse_negotiate(const void *pkt, size_t len,
			   struct hvhost_verlist fw, struct hvhost_verlist srv,
			   struct hvhost_nego *nego);

/* Bodies (not packets): return the body length. */
int hvhost_build_heartbeat(void *body, size_t cap, uint64_t seq);
int hvhost_build_shutdown(void *body, size_t cap,
			  const struct hvhost_shutdown_req *req);
int hvhost_build_timesync_v3(void *body, size_t cap, uint64_t parenttime,
			     uint8_t flags);
int hvhost_build_timesync_v4(void *body, size_t cap, uint64_t parenttime,
			     uint64_t reftime, uint8_t flags,
			     uint8_t leapflags, uint8_t stratum);
/* KVP bodies are always HVHOST_KVP_MSG_SIZE. */
int hvhost_build_kvp_set(void *body, size_t cap, uint8_t pool,
			 const char *key, const struct hvhost_kvp_value *v);
int hvhost_build_kvp_get(void *body, size_t cap, uint8_t pool, const char *key);
int hvhost_build_kvp_delete(void *body, size_t cap, uint8_t pool,
			    const char *key);
int hvhost_build_kvp_enumerate(void *body, size_t cap, uint8_t pool,
			       uint32_t index);
int hvhost_build_kvp_ip(void *body, size_t cap, uint8_t op, uint8_t pool,
			const struct hvhost_kvp_ip *ip);
/* Decode a GET (op GET) or ENUMERATE reply body into rec. */
int hvhost_parse_kvp_record(const void *body, size_t len, uint8_t op,
			    struct hvhost_kvp_record *rec);
int hvhost_parse_kvp_ip(const void *body, size_t len, struct hvhost_kvp_ip *ip);
int hvhost_build_vss(void *body, size_t cap, uint8_t op, uint32_t flags,
		     size_t body_len);
int hvhost_build_fcopy_start(void *body, size_t cap, const char *file_name,
			     const char *path_name, uint32_t copy_flags,
			     uint64_t file_size);
int hvhost_build_fcopy_write(void *body, size_t cap, uint64_t offset,
			     const void *data, uint32_t len);
int hvhost_build_fcopy_op(void *body, size_t cap, uint32_t op);

#endif /* HVHOST_H */
