// SPDX-License-Identifier: GPL-2.0
/*
 * A malicious or buggy host.  Packets that are truncated, oversized, of the
 * wrong type, sent before negotiation, with unknown versions, with version
 * lists that are too long or run past the packet, with bogus header flags;
 * a shutdown message without a terminator; times from the far past and the
 * far future; floods of 10,000 messages.
 *
 * Target "ours" promises (kernel/core.c, negotiate.c and the services):
 *  - no oops, WARN or hang: nothing new in the kernel log that looks like a
 *    bug, nothing left unread in the ring, no memory growing per message;
 *  - each such packet answered HV_E_FAIL (the status of a reply flagged
 *    TRANSACTION|RESPONSE, as long as the packet was received) or, for the
 *    two kinds documented as dropped (shorter than the 28 header bytes,
 *    flagged RESPONSE), not answered at all;
 *  - each counted in /sys/bus/vmbus/devices/<instance>/hvic/errors and
 *    logged, rate-limited (a flood adds a bounded number of lines);
 *  - absurd host times never reach the guest clock or the PTP clock;
 *  - the service works normally right afterwards.
 *
 * The same packets go to target "stock" (Debian's hv_utils), which is not
 * judged: each test ends in a SKIP whose reason starts with "report: " and
 * says what stock did, so run-all counts it as skipped, never as passed.
 *
 * Never sent to any target: a shutdown request with flags 0..3 (that would
 * power the guest off or reboot it; stock acts on the flags of any packet
 * of the shutdown type that is long enough, whatever its header says).
 * Every shutdown-type packet here carries the undefined flags 0x8, or
 * hibernate (4) where stated.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

#define V(maj, min)	HVHOST_VERSION(maj, min)
#define LIST(...)	((struct hvhost_verlist){ (const uint32_t[]){ __VA_ARGS__ }, \
			 sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t) })
#define NO_VERSIONS	((struct hvhost_verlist){ NULL, 0 })

#define MS		1000000LL
#define SEC		1000000000LL

/* Where the icmsg_hdr fields sit in a packet (after the 8-byte pipe header). */
#define HDRS		HVHOST_IC_HDR_SIZE		/* 28: the body starts here */
#define OFF_TYPE	(HVHOST_PIPE_HDR_SIZE + 4)
#define OFF_SIZE	(HVHOST_PIPE_HDR_SIZE + 10)
#define OFF_STATUS	(HVHOST_PIPE_HDR_SIZE + 12)
#define OFF_FLAGS	(HVHOST_PIPE_HDR_SIZE + 17)
#define REPLY_FLAGS	(HVHOST_ICFLAG_TRANSACTION | HVHOST_ICFLAG_RESPONSE)

#define MAX_PKT_SIZE	4096	/* the channel's max_pkt_size, both drivers */
#define DESC_SIZE	16	/* VMBus packet descriptor, within max_pkt_size */
#define PKT_MAX		5120	/* the biggest packet sent here */
#define QUIET_MS	1000	/* this long without a reply: not answered */
#define SD_HARMLESS	0x8	/* undefined shutdown flags: refused, never acted on */
#define RL_BURST	10	/* printk rate limit: 10 lines per call site ... */
#define RL_INTERVAL_S	5	/* ... in 5 s (DEFAULT_RATELIMIT_*) */
#define FLOOD		10000
/* Against stock the malformed flood is only reported: a fifth shows it
 * (stock's shutdown reads a packet per host signal, ~5 ms each). */
#define STOCK_FLOOD	(FLOOD / 5)
#define SLAB_GROWTH_KIB	1024	/* per flood: ~100 bytes a message would show */

/* FILETIME (100 ns since 1601) of a Unix time in seconds. */
#define FT_UNIX(s)	(HVHOST_WLTIMEDELTA + (uint64_t)(s) * 10000000ULL)

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* What the guest receives of a packet of len bytes: padded to 8, cut to
 * what fits max_pkt_size with the descriptor (hv_pkt_iter_first()).
 */
static size_t guest_len(size_t len)
{
	size_t padded = (len + 7) & ~(size_t)7;

	if (DESC_SIZE + padded > MAX_PKT_SIZE)
		return MAX_PKT_SIZE - DESC_SIZE;
	return padded;
}

/* ---------------------------------------------------------------------- */
/* The kernel log, read through /dev/kmsg: records carry sequence numbers, so
 * "since the mark" stays exact even if the ring wraps.  Record text comes
 * escaped: bytes outside printable ASCII, and the backslash, as \xNN.
 */

static int kmsg_next(int fd, uint64_t *seq, char *text, size_t len)
{
	static char rec[8192];
	char *semi, *comma, *nl;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten under us: go on */
		if (n <= 0)
			return -1;
		rec[n] = '\0';
		semi = strchr(rec, ';');
		comma = strchr(rec, ',');
		if (!semi || !comma || comma > semi)
			continue;
		*seq = strtoull(comma + 1, NULL, 10);
		nl = strchr(semi + 1, '\n');
		if (nl)
			*nl = '\0';
		n = strlen(semi + 1);
		if ((size_t)n >= len)
			n = len - 1;
		memcpy(text, semi + 1, n);
		text[n] = '\0';
		return 0;
	}
}

/* Sequence number of the newest record. */
static uint64_t log_now(void)
{
	static char text[8192];
	uint64_t seq, last = 0;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (!kmsg_next(fd, &seq, text, sizeof(text)))
		last = seq;
	close(fd);
	return last;
}

/* Records after since that contain needle (NULL: all); the first is copied. */
static int log_count(uint64_t since, const char *needle, char *first, size_t len)
{
	static char text[8192];
	uint64_t seq;
	int hits = 0;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (first && len)
		first[0] = '\0';
	if (fd < 0)
		return -1;
	while (!kmsg_next(fd, &seq, text, sizeof(text))) {
		if (seq <= since || (needle && !strstr(text, needle)))
			continue;
		if (!hits++ && first && len) {
			size_t n = strnlen(text, len - 1);

			memcpy(first, text, n);
			first[n] = '\0';
		}
	}
	close(fd);
	return hits;
}

/* ---------------------------------------------------------------------- */
/* One open, negotiated service channel, and what a test found out. */

struct ctx {
	struct hvhost *h;
	uint32_t id;
	enum hvhost_service svc;
	const char *name;
	uint16_t type;		/* the service's own message type */
	bool ours;		/* judge; otherwise report */
	char inst[37];		/* instance GUID: the sysfs device */
	uint32_t fw, srv;	/* versions in force */
	uint64_t rid;		/* next VMBus request id for raw packets */
	uint64_t log_seq;	/* kernel log mark */
	int64_t real0, mono0;	/* guest clocks at setup */
	bool clock_dirty;	/* put CLOCK_REALTIME back at teardown */
	unsigned int left;	/* after send_probes(): packets not read */
	unsigned int strays;	/* replies to nothing sent */
	char report[840];	/* stock: what happened */
};

/* Add to the stock report ("; "-separated). */
static void __attribute__((format(printf, 2, 3)))
report(struct ctx *c, const char *fmt, ...)
{
	size_t n = strlen(c->report);
	va_list ap;

	if (n && n + 3 < sizeof(c->report)) {
		memcpy(c->report + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(c->report + n, sizeof(c->report) - n, fmt, ap);
	va_end(ap);
}

/* Stock is not judged: end the test with what it did. */
#define STOCK_REPORT(c) do {						\
	if (!(c)->ours)							\
		SKIP(return, "report: %s %s: %s", rig_target(),		\
		     (c)->name, (c)->report);				\
} while (0)

static void log_mark(struct ctx *c)
{
	c->log_seq = log_now();
	rig_dmesg_mark();
}

/* A number from /sys/bus/vmbus/devices/<instance>/hvic/<file>; -1: none. */
static long long hvic_read(struct ctx *c, const char *file)
{
	char path[160], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/hvic/%s", c->inst, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtoll(buf, NULL, 10);
	fclose(f);
	return v;
}

static void hvic_read_str(struct ctx *c, const char *file, char *buf, size_t len)
{
	char path[160];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/hvic/%s", c->inst, file);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static long long slab_unreclaimable_kib(void)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SUnreclaim: %lld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int64_t clock_offset(const struct ctx *c)
{
	int64_t mono = rig_now_ns(CLOCK_MONOTONIC);

	return rig_now_ns(CLOCK_REALTIME) - (c->real0 + mono - c->mono0);
}

/* Put CLOCK_REALTIME back where it would be had nobody touched it. */
static void clock_restore(const struct ctx *c)
{
	int64_t now = c->real0 + rig_now_ns(CLOCK_MONOTONIC) - c->mono0;
	struct timespec t = { now / SEC, now % SEC };

	clock_settime(CLOCK_REALTIME, &t);
}

static void fmt_time(int64_t unix_ns, char *buf, size_t len)
{
	time_t s = unix_ns / SEC - (unix_ns % SEC < 0);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "%lld s", (long long)s);
}

static void ctx_setup(struct __test_metadata *_metadata, struct ctx *c,
		      enum hvhost_service svc, enum hvhost_generation gen)
{
	const struct hvhost_service_info *si = hvhost_service_info(svc);
	struct vmbus_sim_status st;
	struct hvhost_nego n = { 0 };

	ASSERT_NE(NULL, si);
	c->svc = svc;
	c->name = si->name;
	c->type = si->msgtype;
	if (!rig_has_service(c->name))
		RIG_SETUP_SKIP("target %s has no %s service", rig_target(), c->name);
	c->ours = rig_target_is("ours");
	ASSERT_EQ(0, rig_open_service(&c->h, svc, &c->id));
	ASSERT_EQ(0, hvhost_status(c->h, c->id, &st));
	hvhost_guid_format(st.instance_guid, c->inst);
	ASSERT_EQ(0, hvhost_drain(c->h, c->id, NULL));
	ASSERT_EQ(0, hvhost_negotiate_model(c->h, c->id, svc, hvhost_host_model(gen), &n));
	ASSERT_TRUE(n.agreed);
	c->fw = n.fw_version;
	c->srv = n.srv_version;
	/* Far from the small ids hvhost_transact() uses. */
	c->rid = 0x6d616c0000000000ULL + ((uint64_t)getpid() << 24);
	c->mono0 = rig_now_ns(CLOCK_MONOTONIC);
	c->real0 = rig_now_ns(CLOCK_REALTIME);
	if (c->ours) {
		ASSERT_LE(0, hvic_read(c, "errors"));
	}
	log_mark(c);
}

/* Leave the channel open and negotiated, as the other suites expect. */
static void ctx_teardown(struct ctx *c)
{
	struct hvhost_timesync_req req = { .flags = HVHOST_TS_SAMPLE };
	struct hvhost_timesync_result res;
	struct vmbus_sim_status st;
	struct hvhost_nego n;

	if (!c->h)
		return;
	if (c->clock_dirty)
		clock_restore(c);
	if (!hvhost_status(c->h, c->id, &st) && st.state == VMBUS_SIM_CLOSED) {
		hvhost_pm(c->h, c->id, VMBUS_SIM_PM_RESUME);
		hvhost_wait_open(c->h, c->id, 5000);
	}
	hvhost_drain(c->h, c->id, NULL);
	hvhost_negotiate_model(c->h, c->id, c->svc,
			       hvhost_host_model(HVHOST_DEFAULT_GENERATION), &n);
	if (c->svc == HVHOST_TIMESYNC)	/* a sane sample for the PTP clock */
		hvhost_timesync(c->h, c->id, &req, &res);
	hvhost_drain(c->h, c->id, NULL);
	hvhost_close(c->h);
}

/* ---------------------------------------------------------------------- */
/* Packets */

/* Frame a body as a request (TRANSACTION|REQUEST, versions in force). */
static size_t packet(struct ctx *c, uint8_t *pkt, uint16_t type,
		     const void *body, size_t body_len)
{
	struct hvhost_ichdr hdr = {
		.msgtype = type, .fw_version = c->fw, .msg_version = c->srv,
	};
	int n = hvhost_build_packet(pkt, PKT_MAX, &hdr, body, body_len);

	return n < 0 ? 0 : n;
}

/* A time sync body for the version in force. */
static size_t time_body(struct ctx *c, uint8_t *body, size_t cap,
			uint64_t parenttime, uint8_t flags)
{
	uint64_t ref = 0;
	int n;

	if (c->srv >= V(4, 0)) {
		hvhost_reference_time(c->h, &ref);
		n = hvhost_build_timesync_v4(body, cap, parenttime, ref, flags, 0, 0);
	} else {
		n = hvhost_build_timesync_v3(body, cap, parenttime, flags);
	}
	return n < 0 ? 0 : n;
}

/*
 * A well-formed, harmless body of the service's own type: heartbeat 4242;
 * shutdown with the undefined flags 0x8 (refused by every driver, never
 * acted on); a time sync PROBE with the current time.
 */
static size_t good_body(struct ctx *c, uint8_t *body, size_t cap)
{
	static const char msg[] = "hvic malformed-host test";
	struct hvhost_shutdown_req sd = {
		.flags = SD_HARMLESS, .reason_code = HVHOST_SHUTDOWN_REASON_PLANNED,
		.message = msg, .message_len = sizeof(msg) - 1,
	};
	int n = -1;

	switch (c->svc) {
	case HVHOST_HEARTBEAT:
		n = hvhost_build_heartbeat(body, cap, 4242);
		break;
	case HVHOST_SHUTDOWN:
		n = hvhost_build_shutdown(body, cap, &sd);
		break;
	case HVHOST_TIMESYNC:
		n = time_body(c, body, cap, hvhost_filetime_now(0), HVHOST_TS_PROBE);
		break;
	default:
		break;
	}
	return n < 0 ? 0 : n;
}

static size_t good_request(struct ctx *c, uint8_t *pkt)
{
	uint8_t body[PKT_MAX];
	size_t n = good_body(c, body, sizeof(body));

	return n ? packet(c, pkt, c->type, body, n) : 0;
}

/* ---------------------------------------------------------------------- */
/* Probes: packets sent together, each with its own request id, and what
 * came back for each.
 */

struct probe {
	char label[40];		/* "25B", "type 6", "flags 0x04", ... */
	uint8_t pkt[PKT_MAX];
	size_t len;
	bool drop;		/* ours: not answered (else HV_E_FAIL) */
	bool uncounted;		/* ours: not in hvic/errors */
	char needle[64];	/* ours: text of its log line ("": none) */
	/* filled in by send_probes() */
	uint64_t rid;
	int replies;
	size_t rlen;
	uint32_t status;
	uint8_t rflags;
	uint8_t rbody[16];	/* first body bytes of the reply */
};

static struct probe *__attribute__((format(printf, 5, 6)))
probe_set(struct probe *p, bool drop, const char *needle, size_t len,
	  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->label, sizeof(p->label), fmt, ap);
	va_end(ap);
	p->drop = drop;
	snprintf(p->needle, sizeof(p->needle), "%s", needle ? needle : "");
	p->len = len;
	return p;
}

static uint8_t rxbuf[VMBUS_SIM_MAX_PACKET];

/* Take one reply (waiting up to timeout_ms): 0, -EAGAIN/-ETIMEDOUT if none. */
static int collect_one(struct ctx *c, struct probe *p, size_t n,
		       unsigned int timeout_ms)
{
	size_t len = sizeof(rxbuf), i;
	uint64_t rid = 0;
	int ret = hvhost_recv_raw(c->h, c->id, rxbuf, &len, &rid, timeout_ms);

	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (p[i].rid == rid)
			break;
	if (i == n) {
		c->strays++;
		return 0;
	}
	p[i].replies++;
	p[i].rlen = len;
	if (len >= HDRS) {
		p[i].status = get_le32(rxbuf + OFF_STATUS);
		p[i].rflags = rxbuf[OFF_FLAGS];
		memcpy(p[i].rbody, rxbuf + HDRS,
		       len - HDRS < sizeof(p[i].rbody) ? len - HDRS : sizeof(p[i].rbody));
	}
	return 0;
}

static void collect_ready(struct ctx *c, struct probe *p, size_t n)
{
	while (!collect_one(c, p, n, 0))
		;
}

/* Send, waiting (up to 5 s) for room when the ring to the guest is full. */
static int send_one(struct ctx *c, struct probe *p, size_t n, uint64_t rid,
		    const void *pkt, size_t len)
{
	int64_t end = rig_now_ns(CLOCK_MONOTONIC) + 5 * SEC;
	int ret;

	while ((ret = hvhost_send_raw(c->h, c->id, rid, pkt, len)) == -EAGAIN &&
	       rig_now_ns(CLOCK_MONOTONIC) < end) {
		collect_ready(c, p, n);
		usleep(1000);
	}
	return ret;
}

/*
 * Wait until the guest has read everything sent (taking replies as they
 * come), or has read nothing for stall_ms: it waits for the host to send
 * again (stock can leave packets in the ring after a short one).  Returns
 * the packets still unread, or -errno.
 */
static int settle(struct ctx *c, struct probe *p, size_t n, int stall_ms)
{
	int64_t since = rig_now_ns(CLOCK_MONOTONIC);
	uint64_t total = ~0ULL;
	struct vmbus_sim_status st;
	int ret;

	for (;;) {
		collect_ready(c, p, n);
		ret = hvhost_status(c->h, c->id, &st);
		if (ret)
			return ret;
		if (!st.in_pending)
			return 0;
		if (st.in_total != total) {
			total = st.in_total;
			since = rig_now_ns(CLOCK_MONOTONIC);
		} else if (rig_now_ns(CLOCK_MONOTONIC) - since > stall_ms * MS) {
			return st.in_pending;
		}
		usleep(100);
	}
}

/*
 * Send the probes one after the other, each once the guest has read the
 * one before (so each is judged on its own, even by a driver that needs
 * the host to send again to read on), then collect replies until every
 * probe has one, or nothing came for QUIET_MS.  c->left: packets the guest
 * left in the ring (the last ones sent); c->strays: replies to nothing
 * sent here.
 */
static int send_probes(struct ctx *c, struct probe *p, size_t n)
{
	size_t i;
	int ret;

	c->strays = 0;
	c->left = 0;
	hvhost_drain(c->h, c->id, NULL);
	for (i = 0; i < n; i++) {
		p[i].rid = c->rid++;
		p[i].replies = 0;
		p[i].rlen = 0;
		ret = send_one(c, p, n, p[i].rid, p[i].pkt, p[i].len);
		if (!ret)
			ret = settle(c, p, n, 200);
		if (ret < 0)
			return ret;
	}
	for (;;) {
		for (i = 0; i < n && p[i].replies; i++)
			;
		/* All answered: just look for a second answer to any. */
		ret = collect_one(c, p, n, i == n ? 100 : QUIET_MS);
		if (ret == -ETIMEDOUT)
			break;
		if (ret)
			return ret;
	}
	ret = settle(c, p, n, 0);
	if (ret >= 0)
		c->left = ret;
	return ret < 0 ? ret : 0;
}

/* What a probe got, in words (for stock); unread: still in the ring. */
static void outcome(const struct ctx *c, const struct probe *p, bool unread,
		    char *buf, size_t len)
{
	uint16_t type = p->len >= OFF_TYPE + 2 ? get_le16(p->pkt + OFF_TYPE) : 0xffff;
	size_t n;

	if (!p->replies) {
		snprintf(buf, len, unread ? "not read (left in the ring)" : "no reply");
		return;
	}
	n = snprintf(buf, len, "%s%s", p->replies > 1 ? "answered twice, " : "",
		     hvhost_status_str(p->status));
	if (n >= len)
		return;
	if (type == HVHOST_MSG_NEGOTIATE && p->rlen >= HDRS + 4)
		snprintf(buf + n, len - n, " %u/%u", get_le16(p->rbody),
			 get_le16(p->rbody + 2));
	else if (type == HVHOST_MSG_HEARTBEAT && c->svc == HVHOST_HEARTBEAT &&
		 p->len >= HDRS + 8 && p->rlen >= HDRS + 8 &&
		 get_le64(p->rbody) == get_le64(p->pkt + HDRS) + 1)
		snprintf(buf + n, len - n, " seq+1");
}

/* Stock: "label..label: outcome" for runs of probes that fared alike. */
static void describe(struct ctx *c, const struct probe *p, size_t n)
{
	char a[64], b[64];
	size_t i = 0, j;

	/* the ring is FIFO: what is left are the last ones sent */
	while (i < n) {
		outcome(c, &p[i], i + c->left >= n, a, sizeof(a));
		for (j = i; j + 1 < n; j++) {
			outcome(c, &p[j + 1], j + 1 + c->left >= n, b, sizeof(b));
			if (strcmp(a, b))
				break;
		}
		if (j > i)
			report(c, "%s..%s: %s", p[i].label, p[j].label, a);
		else
			report(c, "%s: %s", p[i].label, a);
		i = j + 1;
	}
}

/*
 * Stock may leave packets in the ring: a short packet ends its heartbeat
 * and time sync read loops until the next interrupt, and its shutdown
 * callback reads one packet per interrupt.  Say so, and get them read:
 * send NEGOTIATEs (harmless for every service) until the ring is empty,
 * or reset the channel (suspend/resume purges the ring) if that does not
 * help.
 */
static void stock_unjam(struct ctx *c)
{
	const struct hvhost_host_model *m = hvhost_host_model(HVHOST_DEFAULT_GENERATION);
	struct vmbus_sim_status st;
	uint8_t pkt[256];
	int kicks, len;

	if (c->strays)
		report(c, "%u replies to nothing we sent", c->strays);
	if (!c->left)
		return;
	report(c, "left %u packet(s) unread in the ring", c->left);
	len = hvhost_build_negotiate(pkt, sizeof(pkt), m->fw, m->srv[c->svc], 0);
	for (kicks = 1; kicks <= 40 && len > 0; kicks++) {
		if (hvhost_send_raw(c->h, c->id, c->rid++, pkt, len))
			break;
		usleep(50000);
		hvhost_drain(c->h, c->id, NULL);
		if (!hvhost_status(c->h, c->id, &st) && !st.in_pending) {
			report(c, "read once the host sent %d more message(s)", kicks);
			return;
		}
	}
	if (!hvhost_status(c->h, c->id, &st))
		report(c, "still %u unread after %d more: channel reset", st.in_pending,
		       kicks - 1);
	if (!hvhost_pm(c->h, c->id, VMBUS_SIM_PM_SUSPEND))
		hvhost_pm(c->h, c->id, VMBUS_SIM_PM_RESUME);
	hvhost_wait_open(c->h, c->id, 5000);
	hvhost_drain(c->h, c->id, NULL);
}

/* Ours: one probe got what it should. */
static void expect_probe(struct __test_metadata *_metadata, const struct probe *p)
{
	if (p->drop) {
		EXPECT_EQ(0, p->replies) {
			TH_LOG("%s: answered %s, should be dropped", p->label,
			       hvhost_status_str(p->status));
		}
		return;
	}
	EXPECT_EQ(1, p->replies) {
		TH_LOG("%s: %d replies", p->label, p->replies);
	}
	if (p->replies != 1)
		return;
	EXPECT_EQ(HV_E_FAIL, p->status) {
		TH_LOG("%s: answered %s", p->label, hvhost_status_str(p->status));
	}
	EXPECT_EQ(REPLY_FLAGS, p->rflags) {
		TH_LOG("%s: reply flags 0x%02x", p->label, p->rflags);
	}
	EXPECT_EQ(guest_len(p->len), p->rlen) {
		TH_LOG("%s: reply of %zu bytes", p->label, p->rlen);
	}
}

/*
 * Ours: a line with needle was logged since the mark.  The driver logs
 * every refusal with dev_warn_ratelimited: 10 lines per call site in 5 s,
 * shared by the three services, so an earlier test may have used up the
 * burst.  Then wait for the next window and send probe p once more.
 */
static void expect_logged(struct __test_metadata *_metadata, struct ctx *c,
			  struct probe *p, const char *needle)
{
	char line[512];

	if (log_count(c->log_seq, needle, line, sizeof(line)) > 0) {
		TH_LOG("logged: %s", line);
		return;
	}
	TH_LOG("no \"%s\" line yet (rate limited?): %s once more in %d s",
	       needle, p->label, RL_INTERVAL_S + 1);
	sleep(RL_INTERVAL_S + 1);
	ASSERT_EQ(0, send_probes(c, p, 1));
	EXPECT_LT(0, log_count(c->log_seq, needle, line, sizeof(line))) {
		TH_LOG("nothing in the kernel log contains \"%s\"", needle);
	}
}

struct counts {
	long long errors, messages, send_errors;
	uint32_t truncated;	/* vmbus_sim: packets cut to max_pkt_size */
};

static void counts_read(struct ctx *c, struct counts *k)
{
	struct vmbus_sim_status st = { 0 };

	k->errors = hvic_read(c, "errors");
	k->messages = hvic_read(c, "messages");
	k->send_errors = hvic_read(c, "send_errors");
	hvhost_status(c->h, c->id, &st);
	k->truncated = st.recv_truncated;
}

/*
 * One malformed case: send the probes, then for ours check each answer,
 * the counters, nothing left in the ring and a log line per kind; for stock
 * describe what happened.
 */
static void run_case(struct __test_metadata *_metadata, struct ctx *c,
		     struct probe *p, size_t n)
{
	struct counts a, b;
	size_t i, j, counted = 0, seen = 0;

	counts_read(c, &a);
	log_mark(c);
	ASSERT_EQ(0, send_probes(c, p, n));
	counts_read(c, &b);
	if (!c->ours) {
		describe(c, p, n);
		stock_unjam(c);
		return;
	}
	for (i = 0; i < n; i++) {
		expect_probe(_metadata, &p[i]);
		counted += !p[i].uncounted;
		seen += p[i].len > 0;
	}
	EXPECT_EQ(counted, (size_t)(b.errors - a.errors)) {
		TH_LOG("hvic/errors went from %lld to %lld", a.errors, b.errors);
	}
	EXPECT_EQ(seen, (size_t)(b.messages - a.messages)) {
		TH_LOG("hvic/messages went from %lld to %lld", a.messages, b.messages);
	}
	EXPECT_EQ(a.send_errors, b.send_errors);
	EXPECT_EQ(0, c->left) {
		TH_LOG("%u packets left unread in the ring", c->left);
	}
	EXPECT_EQ(0, c->strays);
	/* One line for each kind of refusal (needles repeat). */
	for (i = 0; i < n; i++) {
		if (!p[i].needle[0])
			continue;
		for (j = 0; j < i && strcmp(p[j].needle, p[i].needle); j++)
			;
		if (j == i)
			expect_logged(_metadata, c, &p[i], p[i].needle);
	}
}

/*
 * After a case: the service still does its job (after negotiating again
 * when the case left it unnegotiated; for shutdown, whose every request
 * acts, a negotiation is the round trip) and the kernel log shows no bug.
 */
static void finish(struct __test_metadata *_metadata, struct ctx *c, bool renegotiate)
{
	struct hvhost_timesync_req req = { .flags = HVHOST_TS_PROBE };
	struct hvhost_timesync_result res = { 0 };
	struct hvhost_nego n = { 0 };
	uint32_t status = ~0u;
	uint64_t reply = 0;
	bool ok = true;
	int ret = 0, problems;

	hvhost_drain(c->h, c->id, NULL);
	if (renegotiate || c->svc == HVHOST_SHUTDOWN) {
		ret = hvhost_negotiate_model(c->h, c->id, c->svc,
					     hvhost_host_model(HVHOST_DEFAULT_GENERATION), &n);
		ok = !ret && n.agreed && n.status == HV_S_OK;
		if (!ret && n.agreed) {
			c->fw = n.fw_version;
			c->srv = n.srv_version;
		}
	}
	if (ok && c->svc == HVHOST_HEARTBEAT) {
		ret = hvhost_heartbeat(c->h, c->id, 9000, &reply, &status);
		ok = !ret && status == HV_S_OK && reply == 9001;
	} else if (ok && c->svc == HVHOST_TIMESYNC) {
		ret = hvhost_timesync(c->h, c->id, &req, &res);
		status = res.status;
		ok = !ret && status == HV_S_OK;
	}
	if (c->ours) {
		EXPECT_TRUE(ok) {
			TH_LOG("%s no longer serves a valid request: %d, %s", c->name,
			       ret, hvhost_status_str(status));
		}
	} else if (!ok) {
		report(c, "then did NOT serve a valid request (%d, %s)", ret,
		       hvhost_status_str(status));
	}
	problems = rig_dmesg_problems();
	if (c->ours) {
		EXPECT_EQ(0, problems);
	} else if (problems) {
		report(c, "kernel log: %d line(s) of oops/WARN", problems);
	}
}

/* ---------------------------------------------------------------------- */
/* Cases for every service ours has */

FIXTURE(malformed) {
	struct ctx c;
};

FIXTURE_VARIANT(malformed) {
	enum hvhost_service svc;
};

FIXTURE_VARIANT_ADD(malformed, heartbeat) { .svc = HVHOST_HEARTBEAT };
FIXTURE_VARIANT_ADD(malformed, shutdown) { .svc = HVHOST_SHUTDOWN };
FIXTURE_VARIANT_ADD(malformed, timesync) { .svc = HVHOST_TIMESYNC };

FIXTURE_SETUP(malformed)
{
	ctx_setup(_metadata, &self->c, variant->svc, HVHOST_DEFAULT_GENERATION);
}

FIXTURE_TEARDOWN(malformed)
{
	ctx_teardown(&self->c);
}

/*
 * The host (or a corrupted ring) delivers only the first bytes of a
 * request.  VMBus pads packets to 8 bytes: 1..24 bytes arrive as at most
 * 24, no room for the 28 header bytes, nothing to answer: dropped.  25..27
 * bytes arrive as 32, a header whose tail is zero padding (no request flag
 * at 25; at 26 and 27 a size past the 4 body bytes): answered HV_E_FAIL.
 * A packet of 0 bytes is, to a driver, the same as an empty ring
 * (vmbus_recvpacket() says length 0 for both): nothing to count or log,
 * but the channel must go on working.
 */
TEST_F_TIMEOUT(malformed, truncated, 120)
{
	struct ctx *c = &self->c;
	struct probe *p = calloc(28, sizeof(*p));
	uint8_t full[PKT_MAX];
	size_t len = good_request(c, full), i;

	ASSERT_NE(NULL, p);
	ASSERT_LT(27, len);
	for (i = 0; i < 27; i++) {
		size_t n = i + 1;

		probe_set(&p[i], n <= 24, n <= 24 ? "no IC header" :
			  n == 25 ? "without the request flag" : "declares",
			  n, "%zuB", n);
		memcpy(p[i].pkt, full, n);
	}
	run_case(_metadata, c, p, 27);

	probe_set(&p[27], true, NULL, 0, "0B")->uncounted = true;
	run_case(_metadata, c, &p[27], 1);
	finish(_metadata, c, false);
	free(p);
	STOCK_REPORT(c);
}

/*
 * Complete headers, too little body: the service's own type with no body,
 * and with one byte less than every version of it needs (heartbeat 8,
 * shutdown 12, time sync 22), icmsgsize saying so; a NEGOTIATE with no
 * body, and with the two counts only.  All answered HV_E_FAIL; a broken
 * NEGOTIATE leaves the channel unnegotiated until the host tries again.
 */
TEST_F_TIMEOUT(malformed, short_body, 120)
{
	struct ctx *c = &self->c;
	struct probe *p = calloc(4, sizeof(*p));
	unsigned int min = c->svc == HVHOST_HEARTBEAT ? 8 :
			   c->svc == HVHOST_SHUTDOWN ? 12 : 22;
	uint8_t body[PKT_MAX] = { 0 }, counts[4] = { 1, 0, 1, 0 };
	char needle[64];

	ASSERT_NE(NULL, p);
	ASSERT_LE(min, good_body(c, body, sizeof(body)));
	probe_set(&p[0], false, "request body of 0 bytes",
		  packet(c, p[0].pkt, c->type, NULL, 0), "type %u, no body", c->type);
	snprintf(needle, sizeof(needle), "request body of %u bytes", min - 1);
	probe_set(&p[1], false, needle, packet(c, p[1].pkt, c->type, body, min - 1),
		  "type %u, %u-byte body", c->type, min - 1);
	probe_set(&p[2], false, "negotiate of 0 bytes",
		  packet(c, p[2].pkt, HVHOST_MSG_NEGOTIATE, NULL, 0), "NEGOTIATE, no body");
	probe_set(&p[3], false, "negotiate of 4 bytes",
		  packet(c, p[3].pkt, HVHOST_MSG_NEGOTIATE, counts, 4), "NEGOTIATE, 4 bytes");
	run_case(_metadata, c, p, 4);
	finish(_metadata, c, true);
	free(p);
	STOCK_REPORT(c);
}

/*
 * The size field claims more body than arrived: one byte more than the
 * guest received (padding included), and 0xffff.  And a 5000-byte packet,
 * over the channel's 4096-byte max_pkt_size: the bus hands the driver its
 * first 4080 bytes, whose size field (4972) now runs past the end.  All
 * answered HV_E_FAIL, the cut one with the 4080 bytes received.
 */
TEST_F_TIMEOUT(malformed, oversized, 120)
{
	struct ctx *c = &self->c;
	struct probe *p = calloc(3, sizeof(*p));
	static uint8_t body[PKT_MAX];
	size_t blen = good_body(c, body, sizeof(body)), len;
	struct vmbus_sim_status a, b;

	ASSERT_NE(NULL, p);
	ASSERT_LT(0, blen);
	len = packet(c, p[0].pkt, c->type, body, blen);
	put_le16(p[0].pkt + OFF_SIZE, guest_len(len) - HDRS + 1);
	probe_set(&p[0], false, "declares", len, "icmsgsize %zu",
		  guest_len(len) - HDRS + 1);
	len = packet(c, p[1].pkt, c->type, body, blen);
	put_le16(p[1].pkt + OFF_SIZE, 0xffff);
	probe_set(&p[1], false, "declares", len, "icmsgsize 65535");
	/* body stays zero past blen: padding the host did not mean */
	probe_set(&p[2], false, "declares",
		  packet(c, p[2].pkt, c->type, body, 5000 - HDRS), "5000B packet");
	ASSERT_EQ(5000, p[2].len);

	ASSERT_EQ(0, hvhost_status(c->h, c->id, &a));
	run_case(_metadata, c, p, 3);
	ASSERT_EQ(0, hvhost_status(c->h, c->id, &b));
	if (c->ours) {
		EXPECT_EQ(1, b.recv_truncated - a.recv_truncated);
	} else {
		report(c, "(the bus cut %u packet(s) to %d bytes)",
		       b.recv_truncated - a.recv_truncated, MAX_PKT_SIZE - DESC_SIZE);
	}
	finish(_metadata, c, false);
	free(p);
	STOCK_REPORT(c);
}

/*
 * Types that are not this service's: the other services', 6 (which no
 * service has), 0xffff, and the service's own with a high byte set (a
 * driver comparing 8 bits would take it).  All answered HV_E_FAIL.
 */
TEST_F_TIMEOUT(malformed, wrong_type, 120)
{
	static const uint16_t types[] = { 1, 2, 3, 4, 5, 6, 7, 0xffff, 0 };
	struct ctx *c = &self->c;
	struct probe *p = calloc(sizeof(types) / sizeof(types[0]), sizeof(*p));
	uint8_t body[PKT_MAX];
	size_t blen = good_body(c, body, sizeof(body)), i, n = 0;

	ASSERT_NE(NULL, p);
	ASSERT_LT(0, blen);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		/* the last one: own type | 0x100 */
		uint16_t t = types[i] ? types[i] : (uint16_t)(c->type | 0x100);

		if (t == c->type)
			continue;
		probe_set(&p[n], false, "unknown message type",
			  packet(c, p[n].pkt, t, body, blen), "type %u", t);
		n++;
	}
	run_case(_metadata, c, p, n);
	finish(_metadata, c, false);
	free(p);
	STOCK_REPORT(c);
}

/*
 * Header flags from a confused host: RESPONSE set (a reply of ours coming
 * back, or the host answering itself: answering it could ping-pong
 * forever), so dropped; neither REQUEST nor TRANSACTION, TRANSACTION only,
 * only undefined bits: not a request, answered HV_E_FAIL.
 */
TEST_F_TIMEOUT(malformed, bogus_flags, 120)
{
	static const struct { uint8_t flags; bool drop; } fl[] = {
		{ 0x04, true }, { 0x05, true }, { 0x07, true }, { 0xff, true },
		{ 0x00, false }, { 0x01, false }, { 0xf8, false },
	};
	const size_t n = sizeof(fl) / sizeof(fl[0]);
	struct ctx *c = &self->c;
	struct probe *p = calloc(n, sizeof(*p));
	size_t i;

	ASSERT_NE(NULL, p);
	for (i = 0; i < n; i++) {
		probe_set(&p[i], fl[i].drop, fl[i].drop ? "dropped a response" :
			  "without the request flag", good_request(c, p[i].pkt),
			  "flags 0x%02x", fl[i].flags);
		ASSERT_LT(0, p[i].len);
		p[i].pkt[OFF_FLAGS] = fl[i].flags;
	}
	run_case(_metadata, c, p, n);
	finish(_metadata, c, false);
	free(p);
	STOCK_REPORT(c);
}

/*
 * Around hibernation the driver's channel is closed and opened again, and
 * the host must negotiate anew.  A host that sends a request at once gets
 * HV_E_FAIL until it has.
 */
TEST_F_TIMEOUT(malformed, before_negotiation, 120)
{
	struct ctx *c = &self->c;
	struct probe *p = calloc(1, sizeof(*p));
	char state[32];

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, hvhost_pm(c->h, c->id, VMBUS_SIM_PM_SUSPEND));
	ASSERT_EQ(0, hvhost_wait_state(c->h, c->id,
				       VMBUS_SIM_STATE_BIT(VMBUS_SIM_CLOSED), 5000, NULL));
	ASSERT_EQ(0, hvhost_pm(c->h, c->id, VMBUS_SIM_PM_RESUME));
	ASSERT_EQ(0, hvhost_wait_open(c->h, c->id, 5000));
	if (c->ours) {
		hvic_read_str(c, "state", state, sizeof(state));
		EXPECT_STREQ("waiting", state);
	}
	probe_set(&p[0], false, "before version negotiation",
		  good_request(c, p[0].pkt), "request before NEGOTIATE");
	run_case(_metadata, c, p, 1);
	finish(_metadata, c, true);
	free(p);
	STOCK_REPORT(c);
}

/* Ours: the replies to NEGOTIATEs say counts 0/0; the service is off. */
static void expect_unnegotiated(struct __test_metadata *_metadata, struct ctx *c,
				const struct probe *p, size_t n)
{
	char state[32], version[32];
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i].replies != 1 || p[i].rlen < HDRS + 4)
			continue;
		EXPECT_EQ(0, get_le32(p[i].rbody)) {
			TH_LOG("%s: answered counts %u/%u", p[i].label,
			       get_le16(p[i].rbody), get_le16(p[i].rbody + 2));
		}
	}
	hvic_read_str(c, "state", state, sizeof(state));
	hvic_read_str(c, "service_version", version, sizeof(version));
	EXPECT_STREQ("waiting", state);
	EXPECT_STREQ("none", version);
}

/*
 * A NEGOTIATE offering only versions the guest does not speak: frameworks
 * 2.0 and 7.0; services 0.7 and 99.0; no versions at all.  Answered counts
 * 0/0 with HV_E_FAIL and logged.  These are well-formed messages, not among
 * the malformed kinds hvic/errors counts (Documentation/ABI-sysfs-hvic).
 * Until a negotiation succeeds the service's requests are refused.
 */
TEST_F_TIMEOUT(malformed, unknown_versions, 120)
{
	const struct hvhost_host_model *m = hvhost_host_model(HVHOST_DEFAULT_GENERATION);
	struct ctx *c = &self->c;
	struct probe *p = calloc(4, sizeof(*p));
	size_t i;

	ASSERT_NE(NULL, p);
	probe_set(&p[0], false, "no common framework version",
		  hvhost_build_negotiate(p[0].pkt, PKT_MAX, LIST(V(2, 0), V(7, 0)),
					 m->srv[c->svc], 0), "fw 2.0,7.0");
	probe_set(&p[1], false, "no common service version",
		  hvhost_build_negotiate(p[1].pkt, PKT_MAX, m->fw,
					 LIST(V(0, 7), V(99, 0)), 0), "service 0.7,99.0");
	probe_set(&p[2], false, "no common framework version",
		  hvhost_build_negotiate(p[2].pkt, PKT_MAX, NO_VERSIONS, NO_VERSIONS, 0),
		  "no versions");
	for (i = 0; i < 3; i++)
		p[i].uncounted = true;
	run_case(_metadata, c, p, 3);
	if (c->ours)
		expect_unnegotiated(_metadata, c, p, 3);

	/* and the service is off until the host negotiates */
	probe_set(&p[3], false, "before version negotiation",
		  good_request(c, p[3].pkt), "then a request");
	run_case(_metadata, c, &p[3], 1);
	finish(_metadata, c, true);
	free(p);
	STOCK_REPORT(c);
}

/*
 * NEGOTIATE lists the protocol does not allow: 101 framework or service
 * versions (the limit is 100; a version the guest speaks is in the list),
 * counts of 65535, and counts whose lists run past the end of the message.
 * Answered counts 0/0 with HV_E_FAIL; the channel is unnegotiated.
 */
TEST_F_TIMEOUT(malformed, version_counts, 120)
{
	const struct hvhost_host_model *m = hvhost_host_model(HVHOST_DEFAULT_GENERATION);
	struct ctx *c = &self->c;
	struct probe *p = calloc(4, sizeof(*p));
	uint32_t fw[101], srv[101];
	size_t i;

	ASSERT_NE(NULL, p);
	for (i = 0; i < 101; i++) {
		fw[i] = V(50, i);
		srv[i] = V(60, i);
	}
	fw[100] = m->fw.v[m->fw.count - 1];
	srv[100] = m->srv[c->svc].v[m->srv[c->svc].count - 1];
	probe_set(&p[0], false, "versions, limit 100",
		  hvhost_build_negotiate(p[0].pkt, PKT_MAX, (struct hvhost_verlist){ fw, 101 },
					 m->srv[c->svc], 0), "101 framework versions");
	probe_set(&p[1], false, "versions, limit 100",
		  hvhost_build_negotiate(p[1].pkt, PKT_MAX, m->fw,
					 (struct hvhost_verlist){ srv, 101 }, 0),
		  "101 service versions");
	probe_set(&p[2], false, "negotiate with 65535+65535",
		  hvhost_build_negotiate(p[2].pkt, PKT_MAX, m->fw, m->srv[c->svc], 0),
		  "counts 65535/65535");
	put_le16(p[2].pkt + HDRS, 0xffff);
	put_le16(p[2].pkt + HDRS + 2, 0xffff);
	/* 2 + 1 versions present (20 body bytes), 2 + 50 claimed */
	probe_set(&p[3], false, "negotiate lists 2+50 versions in 20 bytes",
		  hvhost_build_negotiate(p[3].pkt, PKT_MAX, LIST(V(3, 0), V(1, 0)),
					 LIST(m->srv[c->svc].v[0]), 0),
		  "counts 2/50 in 20 bytes");
	put_le16(p[3].pkt + HDRS + 2, 50);
	for (i = 0; i < 4; i++)
		ASSERT_LT(HDRS, p[i].len);
	run_case(_metadata, c, p, 4);
	if (c->ours)
		expect_unnegotiated(_metadata, c, p, 4);
	finish(_metadata, c, true);
	free(p);
	STOCK_REPORT(c);
}

/* ---------------------------------------------------------------------- */
/* Floods */

struct flood {
	unsigned int sent, replies, strays, dup, out_of_order, bad_flags, bad_seq;
	unsigned int ok, fail, other;
	unsigned int per_kind[8];
	unsigned int left;	/* packets still unread at the end */
	unsigned int stalls;	/* times the guest left packets unread */
	bool jammed;		/* the ring stayed full for 2 s */
	bool out_of_time;	/* stopped after FLOOD_BUDGET_S */
	int send_error;
	int64_t last;		/* index of the last reply */
	double secs;
};

static int flood_collect(struct ctx *c, struct flood *f, uint64_t base,
			 size_t nkinds, uint64_t seq_base, uint8_t *seen,
			 unsigned int timeout_ms)
{
	size_t len = sizeof(rxbuf);
	uint64_t rid = 0, i;
	uint32_t status;
	int ret = hvhost_recv_raw(c->h, c->id, rxbuf, &len, &rid, timeout_ms);

	if (ret)
		return ret;
	if (rid < base || rid >= base + f->sent) {
		f->strays++;
		return 0;
	}
	i = rid - base;
	if (seen[i]++) {
		f->dup++;
		return 0;
	}
	f->replies++;
	if ((int64_t)i <= f->last)
		f->out_of_order++;
	f->last = i;
	f->per_kind[i % nkinds]++;
	status = len >= HDRS ? get_le32(rxbuf + OFF_STATUS) : ~0u;
	if (status == HV_S_OK)
		f->ok++;
	else if (status == HV_E_FAIL)
		f->fail++;
	else
		f->other++;
	if (len < HDRS || rxbuf[OFF_FLAGS] != REPLY_FLAGS)
		f->bad_flags++;
	if (seq_base && (len < HDRS + 8 || get_le64(rxbuf + HDRS) != seq_base + i + 1))
		f->bad_seq++;
	return 0;
}

/* Ring bytes of a packet: 16-byte descriptor, data padded to 8, trailer. */
static unsigned int ring_bytes(size_t len)
{
	return DESC_SIZE + ((len + 7) & ~(size_t)7) + 8;
}

/*
 * Send count packets, kind i % nkinds for the i-th, as fast as the guest
 * takes them, taking the replies as they come.  A packet is sent only
 * when the replies to all the guest has not read yet, and to one more,
 * fit the ring back to the host, so a reply lost is the guest's doing,
 * not the test's.  If the guest reads nothing for STALL_MS although
 * packets wait, it waits for the host to send again: count a stall and
 * send anyway.  seq_base: heartbeats, the i-th carries seq_base + i and
 * must be answered + 1.  Stops after FLOOD_BUDGET_S.
 */
#define STALL_MS	5
#define FLOOD_BUDGET_S	120
static void flood_run(struct ctx *c, struct probe *k, size_t nkinds,
		      unsigned int count, uint64_t seq_base, struct flood *f)
{
	uint8_t *seen = calloc(count, 1);
	uint64_t base = c->rid, total;
	int64_t t0 = rig_now_ns(CLOCK_MONOTONIC), since;
	unsigned int i, capacity, biggest = 0;
	struct vmbus_sim_status st;
	int ret = 0;

	memset(f, 0, sizeof(*f));
	f->last = -1;
	if (!seen || hvhost_status(c->h, c->id, &st)) {
		f->send_error = -ENOMEM;
		free(seen);
		return;
	}
	for (i = 0; i < nkinds; i++)
		if (biggest < ring_bytes(k[i].len))
			biggest = ring_bytes(k[i].len);
	capacity = (st.send_ring < st.recv_ring ? st.send_ring : st.recv_ring) - 4096;
	c->rid += count;
	hvhost_drain(c->h, c->id, NULL);
	for (i = 0; i < count && !ret; i++) {
		struct probe *p = &k[i % nkinds];

		if (seq_base)
			put_le64(p->pkt + HDRS, seq_base + i);
		since = rig_now_ns(CLOCK_MONOTONIC);
		total = ~0ULL;
		for (;;) {
			while (!flood_collect(c, f, base, nkinds, seq_base, seen, 0))
				;
			ret = hvhost_status(c->h, c->id, &st);
			if (ret)
				break;
			if (st.in_bytes + ring_bytes(p->len) +
			    (st.out_pending + 1) * biggest <= capacity)
				break;
			if (st.in_total != total) {
				total = st.in_total;
				since = rig_now_ns(CLOCK_MONOTONIC);
			} else if (rig_now_ns(CLOCK_MONOTONIC) - since > STALL_MS * MS) {
				f->stalls++;
				break;
			}
			usleep(100);
		}
		since = rig_now_ns(CLOCK_MONOTONIC);
		while (!ret && (ret = hvhost_send_raw(c->h, c->id, base + i, p->pkt,
						      p->len)) == -EAGAIN) {
			/* full: only if the guest stopped reading */
			while (!flood_collect(c, f, base, nkinds, seq_base, seen, 0))
				;
			if (rig_now_ns(CLOCK_MONOTONIC) - since > 2 * SEC) {
				f->jammed = true;
				break;
			}
			usleep(200);
		}
		if (ret) {
			f->send_error = ret;
			break;
		}
		f->sent++;
		if (rig_now_ns(CLOCK_MONOTONIC) - t0 > FLOOD_BUDGET_S * SEC) {
			f->out_of_time = true;
			break;
		}
	}
	while (!flood_collect(c, f, base, nkinds, seq_base, seen, QUIET_MS))
		;
	f->secs = (rig_now_ns(CLOCK_MONOTONIC) - t0) / 1e9;
	if (!hvhost_status(c->h, c->id, &st))
		f->left = st.in_pending;
	c->left = f->left;
	c->strays = f->strays;
	free(seen);
}

/*
 * 10,000 malformed packets, five kinds in turn: 16 bytes (dropped),
 * flagged RESPONSE (dropped), type 6, a size field of 0xffff, no request
 * flag (answered HV_E_FAIL).  The guest must read them all, answer each
 * answerable one once, in order, count all 10,000, stay responsive, not
 * grow its memory, and log a number of lines bounded by the rate limit
 * (each kind has its own call site: at most 10 lines plus one "callbacks
 * suppressed" per 5 s window), not one per packet.
 */
TEST_F_TIMEOUT(malformed, flood_10000_malformed, 600)
{
	static const char *const kind_names[] = {
		"16B", "RESPONSE-flagged", "type 6", "icmsgsize 65535", "no REQUEST flag",
	};
	struct ctx *c = &self->c;
	struct probe *k = calloc(5, sizeof(*k));
	long long slab0, slab1;
	struct counts a, b;
	struct flood f;
	int lines, bound;

	ASSERT_NE(NULL, k);
	probe_set(&k[0], true, NULL, 16, "%s", kind_names[0]);
	ASSERT_LT(16, good_request(c, k[0].pkt));
	probe_set(&k[1], true, NULL, good_request(c, k[1].pkt), "%s", kind_names[1]);
	k[1].pkt[OFF_FLAGS] = HVHOST_ICFLAG_TRANSACTION | HVHOST_ICFLAG_RESPONSE;
	probe_set(&k[2], false, NULL, good_request(c, k[2].pkt), "%s", kind_names[2]);
	put_le16(k[2].pkt + OFF_TYPE, 6);
	probe_set(&k[3], false, NULL, good_request(c, k[3].pkt), "%s", kind_names[3]);
	put_le16(k[3].pkt + OFF_SIZE, 0xffff);
	probe_set(&k[4], false, NULL, good_request(c, k[4].pkt), "%s", kind_names[4]);
	k[4].pkt[OFF_FLAGS] = HVHOST_ICFLAG_TRANSACTION;

	counts_read(c, &a);
	log_mark(c);
	slab0 = slab_unreclaimable_kib();
	flood_run(c, k, 5, c->ours ? FLOOD : STOCK_FLOOD, 0, &f);
	slab1 = slab_unreclaimable_kib();
	counts_read(c, &b);
	/* sequence numbers count every line, even those the ring lost since */
	lines = log_now() - c->log_seq;
	/* 5 call sites, each 10 lines + 1 "suppressed" per window begun */
	bound = 5 * (RL_BURST + 1) * ((int)(f.secs / RL_INTERVAL_S) + 2);
	TH_LOG("%u sent in %.1f s (%u stalls), %u answered, %d kernel log lines (bound %d), slab %+lld KiB",
	       f.sent, f.secs, f.stalls, f.replies, lines, bound, slab1 - slab0);

	if (c->ours) {
		ASSERT_EQ(0, f.send_error) {
			TH_LOG("send failed after %u: %d%s", f.sent, f.send_error,
			       f.jammed ? " (the guest stopped reading)" : "");
		}
		EXPECT_EQ(FLOOD, f.sent);
		EXPECT_EQ(0, f.per_kind[0]);
		EXPECT_EQ(0, f.per_kind[1]);
		EXPECT_EQ(FLOOD / 5, f.per_kind[2]);
		EXPECT_EQ(FLOOD / 5, f.per_kind[3]);
		EXPECT_EQ(FLOOD / 5, f.per_kind[4]);
		EXPECT_EQ(f.replies, f.fail);
		EXPECT_EQ(0, f.dup);
		EXPECT_EQ(0, f.out_of_order);
		EXPECT_EQ(0, f.bad_flags);
		EXPECT_EQ(0, f.strays);
		EXPECT_EQ(0, f.left);
		EXPECT_EQ(FLOOD, b.errors - a.errors);
		EXPECT_EQ(FLOOD, b.messages - a.messages);
		EXPECT_EQ(a.send_errors, b.send_errors);
		EXPECT_LT(0, lines);
		EXPECT_GE(bound, lines);
		EXPECT_GT(SLAB_GROWTH_KIB, slab1 - slab0);
	} else {
		report(c, "%u sent in %.1f s, %u answered (HV_S_OK %u, HV_E_FAIL %u, other %u)",
		       f.sent, f.secs, f.replies, f.ok, f.fail, f.other);
		report(c, "answered per kind (of %u): %s %u, %s %u, %s %u, %s %u, %s %u",
		       f.sent / 5, kind_names[0], f.per_kind[0], kind_names[1],
		       f.per_kind[1], kind_names[2], f.per_kind[2], kind_names[3],
		       f.per_kind[3], kind_names[4], f.per_kind[4]);
		if (f.dup || f.out_of_order)
			report(c, "%u answered twice, %u out of order", f.dup, f.out_of_order);
		if (f.stalls)
			report(c, "%u times packets stayed unread until the host sent more",
			       f.stalls);
		if (f.jammed)
			report(c, "the ring stayed full: stopped after %u", f.sent);
		if (f.out_of_time)
			report(c, "stopped after %d s", FLOOD_BUDGET_S);
		else if (f.send_error)
			report(c, "send failed after %u: %d", f.sent, f.send_error);
		report(c, "kernel log +%d lines (ours' bound %d)", lines, bound);
		report(c, "slab %+lld KiB", slab1 - slab0);
		stock_unjam(c);
	}
	finish(_metadata, c, false);
	free(k);
	STOCK_REPORT(c);
}

FIXTURE(heartbeat_flood) {
	struct ctx c;
};

FIXTURE_SETUP(heartbeat_flood)
{
	ctx_setup(_metadata, &self->c, HVHOST_HEARTBEAT, HVHOST_DEFAULT_GENERATION);
}

FIXTURE_TEARDOWN(heartbeat_flood)
{
	ctx_teardown(&self->c);
}

/*
 * 10,000 valid heartbeats as fast as the guest takes them, the replies
 * taken as they come: every one answered exactly once, in order, with
 * seq + 1 and HV_S_OK; no reply lost to a full ring; no memory growth.
 */
TEST_F_TIMEOUT(heartbeat_flood, valid_10000_in_order, 600)
{
	struct ctx *c = &self->c;
	struct probe *k = calloc(1, sizeof(*k));
	long long slab0, slab1, beats0, beats1;
	struct counts a, b;
	struct flood f;

	ASSERT_NE(NULL, k);
	probe_set(&k[0], false, NULL, good_request(c, k[0].pkt), "heartbeat");
	ASSERT_LT(HDRS + 8, k[0].len);

	counts_read(c, &a);
	beats0 = hvic_read(c, "heartbeats");
	log_mark(c);
	slab0 = slab_unreclaimable_kib();
	flood_run(c, k, 1, FLOOD, 1000000, &f);
	slab1 = slab_unreclaimable_kib();
	counts_read(c, &b);
	beats1 = hvic_read(c, "heartbeats");
	TH_LOG("%u sent in %.1f s (%u stalls), %u answered, slab %+lld KiB", f.sent,
	       f.secs, f.stalls, f.replies, slab1 - slab0);

	if (c->ours) {
		ASSERT_EQ(0, f.send_error);
		EXPECT_EQ(FLOOD, f.sent);
		EXPECT_EQ(FLOOD, f.replies);
		EXPECT_EQ(FLOOD, f.ok);
		EXPECT_EQ(0, f.bad_seq);
		EXPECT_EQ(0, f.bad_flags);
		EXPECT_EQ(0, f.dup);
		EXPECT_EQ(0, f.out_of_order);
		EXPECT_EQ(0, f.strays);
		EXPECT_EQ(0, f.left);
		EXPECT_EQ(FLOOD, beats1 - beats0);
		EXPECT_EQ(FLOOD, b.messages - a.messages);
		EXPECT_EQ(a.errors, b.errors);
		EXPECT_EQ(a.send_errors, b.send_errors);
		EXPECT_GT(SLAB_GROWTH_KIB, slab1 - slab0);
	} else {
		report(c, "%u sent in %.1f s: %u answered once, %u with HV_S_OK and seq+1",
		       f.sent, f.secs, f.replies, f.ok - (f.bad_seq < f.ok ? f.bad_seq : f.ok));
		if (f.dup || f.out_of_order || f.bad_flags)
			report(c, "%u answered twice, %u out of order, %u with bad flags",
			       f.dup, f.out_of_order, f.bad_flags);
		if (f.stalls)
			report(c, "%u times packets stayed unread until the host sent more",
			       f.stalls);
		if (f.jammed || f.send_error || f.out_of_time)
			report(c, "stopped after %u (%s)", f.sent,
			       f.jammed ? "the ring stayed full" : f.out_of_time ?
			       "out of time" : "send failed");
		report(c, "slab %+lld KiB", slab1 - slab0);
		stock_unjam(c);
	}
	finish(_metadata, c, false);
	free(k);
	STOCK_REPORT(c);
}

/* ---------------------------------------------------------------------- */
/* Shutdown: the display message */

FIXTURE(shutdown_message) {
	struct ctx c;
};

FIXTURE_SETUP(shutdown_message)
{
	ctx_setup(_metadata, &self->c, HVHOST_SHUTDOWN, HVHOST_DEFAULT_GENERATION);
}

FIXTURE_TEARDOWN(shutdown_message)
{
	ctx_teardown(&self->c);
}

/* Whether the firmware declares S4 (what Linux needs to hibernate on Hyper-V). */
static bool has_s4(void)
{
	static char dsdt[1 << 20];
	size_t len = 0;
	ssize_t n;
	int fd = open("/sys/firmware/acpi/tables/DSDT", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while (len < sizeof(dsdt) && (n = read(fd, dsdt + len, sizeof(dsdt) - len)) > 0)
		len += n;
	close(fd);
	return memmem(dsdt, len, "_S4_", 4) != NULL;
}

/*
 * 2048 message bytes, none NUL: the marker, then line breaks, an escape
 * sequence, a bell, DEL, invalid UTF-8 (overlong, surrogate, beyond
 * U+10FFFF, lone continuation bytes) and printf conversions.  No backslash
 * or quote, so anything escaped in the log line is the driver's doing.
 */
static void message_bytes(uint8_t *m, const char *marker)
{
	static const uint8_t nasty[] = {
		'\n', '\r', '\t', 0x1b, '[', '2', 'J', 0x07, 0x7f, 0x80, 0xc0, 0x80,
		0xff, 0xfe, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0x01, '%', 's',
		'%', 'n', 'A',
	};
	size_t i, n = strlen(marker);

	memcpy(m, marker, n);
	for (i = n; i < HVHOST_SHUTDOWN_MSG_LEN; i++)
		m[i] = nasty[(i - n) % sizeof(nasty)];
}

/* The same as 1024 UTF-16LE units, none 0: controls, lone surrogates, ... */
static void message_utf16(uint8_t *m, const char *marker)
{
	static const uint16_t nasty[] = {
		0x000a, 0x001b, 0x0007, 0x007f, 0x00e9, 0xd800, 0xdfff, 0xfffe,
		0xffff, 0x4e2d, 0x0141, 0x0101, 0x0041,
	};
	size_t i, n = strlen(marker);
	uint16_t u;

	for (i = 0; i < HVHOST_SHUTDOWN_MSG_LEN / 2; i++) {
		u = i < n ? (uint8_t)marker[i] : nasty[(i - n) % (sizeof(nasty) / 2)];
		put_le16(m + 2 * i, u);
	}
}

static size_t shutdown_request(struct ctx *c, uint8_t *pkt, uint32_t flags,
			       const uint8_t *msg)
{
	struct hvhost_shutdown_req req = {
		.flags = flags, .reason_code = HVHOST_SHUTDOWN_REASON_PLANNED,
		.message = msg, .message_len = HVHOST_SHUTDOWN_MSG_LEN,
		.unterminated = true,
	};
	uint8_t body[HVHOST_SHUTDOWN_BODY];
	int n = hvhost_build_shutdown(body, sizeof(body), &req);

	return n < 0 ? 0 : packet(c, pkt, HVHOST_MSG_SHUTDOWN, body, n);
}

/*
 * Ours: the request with this marker was logged once, as one line, with at
 * most 128 characters of the message, all printable ASCII.  Stock: say
 * whether it was logged.
 */
static void check_message_line(struct __test_metadata *_metadata, struct ctx *c,
			       struct probe *p, const char *marker)
{
	char line[1024], *msg, *end;
	int hits;

	if (!c->ours) {
		hits = log_count(c->log_seq, marker, line, sizeof(line));
		report(c, "%s: message %s", p->label, hits > 0 ? "logged" : "not logged");
		return;
	}
	expect_logged(_metadata, c, p, marker);
	hits = log_count(c->log_seq, marker, line, sizeof(line));
	EXPECT_EQ(1, hits);
	msg = strstr(line, "message \"");
	ASSERT_NE(NULL, msg) {
		TH_LOG("no message in: %s", line);
	}
	msg += strlen("message \"");
	end = strrchr(msg, '"');
	ASSERT_NE(NULL, end);
	*end = '\0';
	TH_LOG("%s: %zu characters logged", p->label, strlen(msg));
	EXPECT_GE(128, strlen(msg));
	EXPECT_EQ(0, strncmp(msg, marker, strlen(marker)));
	/* /dev/kmsg shows raw control and non-ASCII bytes as \xNN */
	EXPECT_EQ(NULL, strstr(msg, "\\x")) {
		TH_LOG("unsanitised bytes reached the log: %s", msg);
	}
	for (end = msg; *end; end++)
		if (*end < 0x20 || *end > 0x7e)
			break;
	EXPECT_EQ('\0', *end);
}

/*
 * A display message that fills all 2048 bytes of its field with no NUL,
 * full of control characters and invalid UTF-8; once as bytes, once as
 * UTF-16LE, with the undefined flags 0x8 (refused: HV_E_FAIL), then as
 * bytes with a hibernate request (HV_S_OK where the platform can hibernate,
 * else HV_E_FAIL).  The driver logs every request with its message: cut to
 * the field, at most 128 characters, printable only, on one line.
 */
TEST_F_TIMEOUT(shutdown_message, unterminated, 120)
{
	struct ctx *c = &self->c;
	struct probe *p = calloc(3, sizeof(*p));
	uint8_t msg[HVHOST_SHUTDOWN_MSG_LEN];
	char mark[3][48];
	bool s4 = has_s4();
	struct counts a, b;
	int i;

	ASSERT_NE(NULL, p);
	for (i = 0; i < 3; i++)
		snprintf(mark[i], sizeof(mark[i]), "HVIC-UNTERMINATED-%c-%d", 'A' + i, getpid());
	message_bytes(msg, mark[0]);
	probe_set(&p[0], false, "undefined shutdown flags",
		  shutdown_request(c, p[0].pkt, SD_HARMLESS, msg), "bytes, flags 0x8");
	message_utf16(msg, mark[1]);
	probe_set(&p[1], false, "undefined shutdown flags",
		  shutdown_request(c, p[1].pkt, SD_HARMLESS, msg), "UTF-16, flags 0x8");
	message_bytes(msg, mark[2]);
	probe_set(&p[2], false, NULL,
		  shutdown_request(c, p[2].pkt, HVHOST_SHUTDOWN_HIBERNATE, msg),
		  "bytes, hibernate");
	for (i = 0; i < 3; i++)
		ASSERT_EQ(HDRS + HVHOST_SHUTDOWN_BODY, p[i].len);

	run_case(_metadata, c, p, 2);
	check_message_line(_metadata, c, &p[0], mark[0]);
	check_message_line(_metadata, c, &p[1], mark[1]);

	/* hibernate: not malformed, refused only if the platform can't */
	counts_read(c, &a);
	log_mark(c);
	ASSERT_EQ(0, send_probes(c, &p[2], 1));
	counts_read(c, &b);
	TH_LOG("platform %s S4", s4 ? "has" : "lacks");
	if (c->ours) {
		EXPECT_EQ(1, p[2].replies);
		EXPECT_EQ(s4 ? HV_S_OK : HV_E_FAIL, p[2].status);
		EXPECT_EQ(a.errors, b.errors);
	} else {
		describe(c, &p[2], 1);
		report(c, "(platform %s S4)", s4 ? "has" : "lacks");
	}
	check_message_line(_metadata, c, &p[2], mark[2]);
	finish(_metadata, c, false);
	free(p);
	STOCK_REPORT(c);
}

/* ---------------------------------------------------------------------- */
/* Time sync: absurd host times, and bodies too short for the version */

FIXTURE(timesync_range) {
	struct ctx c;
};

FIXTURE_VARIANT(timesync_range) {
	enum hvhost_generation gen;
	uint32_t version;
};

FIXTURE_VARIANT_ADD(timesync_range, v3) { .gen = HVHOST_WS2012, .version = V(3, 0) };
FIXTURE_VARIANT_ADD(timesync_range, v4) { .gen = HVHOST_WS2016, .version = V(4, 0) };

FIXTURE_SETUP(timesync_range)
{
	ctx_setup(_metadata, &self->c, HVHOST_TIMESYNC, variant->gen);
	ASSERT_EQ(variant->version, self->c.srv);
	/* every test may step the clock on stock: put it back at the end */
	self->c.clock_dirty = true;
}

FIXTURE_TEARDOWN(timesync_range)
{
	ctx_teardown(&self->c);
}

struct bad_time {
	const char *label;
	uint64_t filetime;
};

/* A SAMPLE with the current time: the PTP clock has a sane sample. */
static int good_sample(struct ctx *c, uint32_t *status)
{
	struct hvhost_timesync_req req = { .flags = HVHOST_TS_SAMPLE };
	struct hvhost_timesync_result res = { 0 };
	int ret = hvhost_timesync(c->h, c->id, &req, &res);

	*status = res.status;
	return ret;
}

/*
 * Each time as SYNC (step the clock) and SAMPLE (feed the PTP clock).
 * Ours answers HV_E_FAIL, counts it in errors and rejected, keeps its last
 * sample, and neither the guest clock nor the PTP clock moves.  Stock: see
 * where the clocks went, then put the guest clock back.
 */
static void send_bad_times(struct __test_metadata *_metadata, struct ctx *c,
			   const struct bad_time *t, size_t nt)
{
	static const uint8_t flags[] = { HVHOST_TS_SYNC, HVHOST_TS_SAMPLE };
	struct probe *p = calloc(1, sizeof(*p));
	uint8_t body[64];
	char when[48], ptpwhen[48], outc[64];
	int64_t off, ptp_ns = 0;
	long long err0, rej0, host0;
	uint32_t status = ~0u;
	int ptp = rig_ptp_open("hyperv"), ptp_ret = -ENODEV;
	size_t i, j;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, good_sample(c, &status));
	if (c->ours) {
		EXPECT_EQ(HV_S_OK, status);
	}
	log_mark(c);
	for (i = 0; i < nt; i++) {
		for (j = 0; j < 2; j++) {
			err0 = hvic_read(c, "errors");
			rej0 = hvic_read(c, "rejected");
			host0 = hvic_read(c, "last_host_time_ns");
			probe_set(p, false, "out of range",
				  packet(c, p->pkt, HVHOST_MSG_TIMESYNC, body,
					 time_body(c, body, sizeof(body), t[i].filetime, flags[j])),
				  "%s %s", t[i].label, flags[j] == HVHOST_TS_SYNC ? "SYNC" : "SAMPLE");
			ASSERT_LT(HDRS, p->len);
			ASSERT_EQ(0, send_probes(c, p, 1));
			usleep(300000);		/* time for a clock step to happen */
			off = clock_offset(c);
			if (ptp >= 0)
				ptp_ret = rig_ptp_read_ns(ptp, &ptp_ns);
			if (c->ours) {
				expect_probe(_metadata, p);
				EXPECT_EQ(err0 + 1, hvic_read(c, "errors"));
				EXPECT_EQ(rej0 + 1, hvic_read(c, "rejected"));
				EXPECT_EQ(host0, hvic_read(c, "last_host_time_ns"));
				EXPECT_GT(100 * MS, rig_abs64(off)) {
					TH_LOG("%s moved the guest clock by %lld ms", p->label,
					       (long long)(off / MS));
				}
				if (ptp >= 0) {
					EXPECT_EQ(0, ptp_ret);
					EXPECT_GT(SEC, rig_abs64(ptp_ns - rig_now_ns(CLOCK_REALTIME))) {
						TH_LOG("%s moved the PTP clock by %lld s", p->label,
						       (long long)((ptp_ns - rig_now_ns(CLOCK_REALTIME)) / SEC));
					}
				}
				continue;
			}
			outcome(c, p, c->left > 0, outc, sizeof(outc));
			fmt_time(rig_now_ns(CLOCK_REALTIME), when, sizeof(when));
			if (ptp_ret)
				snprintf(ptpwhen, sizeof(ptpwhen), "error %d", ptp_ret);
			else
				fmt_time(ptp_ns, ptpwhen, sizeof(ptpwhen));
			if (flags[j] == HVHOST_TS_SYNC)
				report(c, "%s: %s, clock %s%s", p->label, outc,
				       rig_abs64(off) > SEC ? "stepped to " : "kept",
				       rig_abs64(off) > SEC ? when : "");
			else
				report(c, "%s: %s, clock %s, PTP reads %s", p->label, outc,
				       rig_abs64(off) > SEC ? "moved" : "kept", ptpwhen);
			if (rig_abs64(off) > SEC)
				clock_restore(c);
			good_sample(c, &status);
		}
	}
	if (c->ours)
		expect_logged(_metadata, c, p, "out of range");
	else
		stock_unjam(c);
	if (ptp >= 0)
		close(ptp);
	free(p);
}

/* 1601 (FILETIME 0), 100 ns before 1970, the last second of 1999. */
TEST_F_TIMEOUT(timesync_range, far_past, 120)
{
	static const struct bad_time t[] = {
		{ "1601-01-01", 0 },
		{ "1969-12-31", HVHOST_WLTIMEDELTA - 1 },
		{ "1999-12-31", FT_UNIX(946684799) },
	};
	struct ctx *c = &self->c;

	send_bad_times(_metadata, c, t, sizeof(t) / sizeof(t[0]));
	finish(_metadata, c, false);
	STOCK_REPORT(c);
}

/* 2200-01-01 (the first refused), 2300, and the largest FILETIME. */
TEST_F_TIMEOUT(timesync_range, far_future, 120)
{
	static const struct bad_time t[] = {
		{ "2200-01-01", FT_UNIX(7258118400LL) },
		{ "2300-01-01", FT_UNIX(10413792000LL) },
		{ "UINT64_MAX", UINT64_MAX },
	};
	struct ctx *c = &self->c;

	send_bad_times(_metadata, c, t, sizeof(t) / sizeof(t[0]));
	finish(_metadata, c, false);
	STOCK_REPORT(c);
}

/*
 * A time sync body shorter than the negotiated version's (v3 25 bytes,
 * v4 22), icmsgsize saying so: answered HV_E_FAIL.  Padding to 8 bytes
 * would make up the difference for a driver that checks the received
 * length only.
 */
TEST_F_TIMEOUT(timesync_range, short_body, 120)
{
	struct ctx *c = &self->c;
	struct probe *p = calloc(2, sizeof(*p));
	uint8_t body[64];
	size_t blen = time_body(c, body, sizeof(body), hvhost_filetime_now(0),
				HVHOST_TS_SAMPLE), n = 0;
	char needle[64];

	ASSERT_NE(NULL, p);
	if (c->srv >= V(4, 0)) {
		ASSERT_EQ(HVHOST_TIMESYNC_V4_BODY, blen);
		probe_set(&p[n], false, "request body of 21 bytes",
			  packet(c, p[n].pkt, HVHOST_MSG_TIMESYNC, body, 21), "v4, 21 bytes");
		n++;
	} else {
		ASSERT_EQ(HVHOST_TIMESYNC_V3_BODY, blen);
		for (blen = 22; blen <= 24; blen += 2) {
			snprintf(needle, sizeof(needle), "%zu-byte body too short", blen);
			probe_set(&p[n], false, needle,
				  packet(c, p[n].pkt, HVHOST_MSG_TIMESYNC, body, blen),
				  "v3, %zu bytes", blen);
			n++;
		}
	}
	run_case(_metadata, c, p, n);
	finish(_metadata, c, false);
	free(p);
	STOCK_REPORT(c);
}

TEST_HARNESS_MAIN
