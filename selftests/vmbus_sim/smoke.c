// SPDX-License-Identifier: GPL-2.0
/*
 * smoke: vmbus_sim's own end-to-end check, run inside a test guest with
 * vmbus_sim.ko, vmbus_sim_testdrv.ko and the stock hv_utils.ko loaded.
 *
 * It plays the Hyper-V host through /dev/vmbus_sim: the ioctl size
 * contract, a heartbeat device bound by stock hv_utils (NEGOTIATE,
 * HEARTBEAT, truncation, suspend/resume, rescind while idle), and the
 * ring semantics through vmbus_sim_testdrv's debugfs files.  It leaves a
 * testdrv device and a driverless device offered, so that the caller's
 * rmmod proves unloading with live channels.  Prints TAP-like lines and
 * "N passed, N failed"; exits non-zero on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmbus_sim.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int fd, passed, failed;

static void report(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

/* Evaluates the condition before the message arguments that print it. */
#define CHECK(cond, ...)				\
	do {						\
		int ok_ = (cond);			\
		report(ok_, __VA_ARGS__);		\
	} while (0)

/* ioctl returning 0 or -errno */
static int sim(unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static const uint8_t hb_guid[16] = {	/* 57164f39-9115-4e78-ab55-382f3bd5422d */
	0x39, 0x4f, 0x16, 0x57, 0x15, 0x91, 0x78, 0x4e,
	0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, 0x2d };
static const uint8_t test_guid[16] = {	/* c1a55e5f-7e57-4d72-b0b5-0123456789ab */
	0x5f, 0x5e, 0xa5, 0xc1, 0x57, 0x7e, 0x72, 0x4d,
	0xb0, 0xb5, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };
static const uint8_t orphan_guid[16] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };

static int offer(const uint8_t *class, uint8_t *instance_out)
{
	struct vmbus_sim_offer o = { .size = sizeof(o) };
	int ret;

	memcpy(o.class_guid, class, 16);
	ret = sim(VMBUS_SIM_OFFER, &o);
	if (instance_out)
		memcpy(instance_out, o.instance_guid, 16);
	return ret ? ret : (int)o.id;
}

static int wait_state(uint32_t id, uint32_t mask, uint32_t ms, uint32_t *state)
{
	struct vmbus_sim_wait w = { .size = sizeof(w), .id = id,
				    .state_mask = mask, .timeout_ms = ms };
	int ret = sim(VMBUS_SIM_WAIT, &w);

	if (state)
		*state = w.state;
	return ret;
}

static int status(uint32_t id, struct vmbus_sim_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->id = id;
	return sim(VMBUS_SIM_STATUS, st);
}

static int send_pkt(uint32_t id, const void *data, uint32_t len, uint64_t req)
{
	struct vmbus_sim_packet p = { .size = sizeof(p), .id = id,
				      .request_id = req,
				      .data = (uintptr_t)data, .len = len };

	return sim(VMBUS_SIM_SEND, &p);
}

static int recv_pkt(uint32_t id, void *buf, uint32_t *len, uint32_t ms,
		    uint64_t *req)
{
	struct vmbus_sim_packet p = { .size = sizeof(p), .id = id,
				      .data = (uintptr_t)buf, .len = *len,
				      .timeout_ms = ms };
	int ret = sim(VMBUS_SIM_RECV, &p);

	*len = p.len;
	if (req)
		*req = p.request_id;
	return ret;
}

/* IC message: vmbuspipe_hdr (8) + icmsg_hdr (20) + body */
static size_t ic_msg(uint8_t *b, uint16_t type, const void *body, size_t blen)
{
	uint32_t pipe[2] = { 1, (uint32_t)(20 + blen) };
	uint16_t ver[2] = { 3, 0 };

	memset(b, 0, 28 + blen);
	memcpy(b, pipe, 8);
	memcpy(b + 8, ver, 4);		/* icverframe 3.0 */
	memcpy(b + 12, &type, 2);	/* icmsgtype */
	memcpy(b + 14, ver, 4);		/* icvermsg */
	memcpy(b + 18, &(uint16_t){ (uint16_t)blen }, 2);
	b[25] = 3;			/* icflags: TRANSACTION | REQUEST */
	memcpy(b + 28, body, blen);
	return 28 + blen;
}

static uint64_t heartbeat(uint32_t id, uint64_t seq, uint32_t pktlen,
			  uint32_t *replylen)
{
	static uint8_t b[8192], r[8192];
	uint8_t body[40] = { 0 };
	uint32_t len = sizeof(r);
	uint64_t out = 0;

	memcpy(body, &seq, 8);
	ic_msg(b, 1, body, sizeof(body));
	if (send_pkt(id, b, pktlen, 1000 + seq))
		return 0;
	if (recv_pkt(id, r, &len, 5000, NULL) || len < 36)
		return 0;
	*replylen = len;
	memcpy(&out, r + 28, 8);
	return out;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int f = open(path, O_RDONLY);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = read(f, buf, size - 1);
	close(f);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	int f = open(path, O_WRONLY);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, data, len);
	close(f);
	return n < 0 ? -errno : 0;
}

static void guid_str(const uint8_t *g, char *s)
{
	sprintf(s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
		g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static void t_contract(void)
{
	struct vmbus_sim_status st = { .size = 4 };
	struct { struct vmbus_sim_status st; uint32_t tail[4]; } big = { 0 };
	struct vmbus_sim_offer o = { .size = sizeof(o), .flags = 1 };
	struct vmbus_sim_config c = { .size = sizeof(c), .flags = 0x80 };
	struct vmbus_sim_wait w = { .size = sizeof(w), .id = 1 };

	CHECK(sim(VMBUS_SIM_STATUS, &st) == -EINVAL, "short struct: EINVAL");
	big.st.size = sizeof(big);
	big.st.id = 99999;
	CHECK(sim(VMBUS_SIM_STATUS, &big) == -ENOENT,
	      "long struct, zero tail accepted (then ENOENT)");
	big.tail[2] = 1;
	CHECK(sim(VMBUS_SIM_STATUS, &big) == -E2BIG, "non-zero tail: E2BIG");
	memcpy(o.class_guid, hb_guid, 16);
	CHECK(sim(VMBUS_SIM_OFFER, &o) == -EOPNOTSUPP, "offer flags: EOPNOTSUPP");
	o.flags = 0;
	o.reserved = 1;
	CHECK(sim(VMBUS_SIM_OFFER, &o) == -EINVAL, "offer reserved: EINVAL");
	CHECK(sim(VMBUS_SIM_CONFIG, &c) == -EOPNOTSUPP, "config flags: EOPNOTSUPP");
	CHECK(sim(VMBUS_SIM_WAIT, &w) == -EINVAL, "wait mask 0: EINVAL");
	CHECK(sim(_IOW(VMBUS_SIM_IOC_MAGIC, 0x7f, uint32_t), &w) == -ENOTTY,
	      "unknown ioctl: ENOTTY");
}

static void t_config(void)
{
	struct vmbus_sim_config c = { .size = sizeof(c) };
	uint64_t t0;

	CHECK(!sim(VMBUS_SIM_CONFIG, &c) && c.proto_version == 0x50003,
	      "proto version 0x%x (WIN10_V5_3)", c.proto_version);
	t0 = c.reference_time;
	usleep(20000);
	sim(VMBUS_SIM_CONFIG, &c);
	CHECK(t0 && c.reference_time - t0 >= 200000,
	      "reference time moves in 100 ns units (%llu -> %llu)",
	      (unsigned long long)t0, (unsigned long long)c.reference_time);
}

static int t_heartbeat(void)
{
	static uint8_t b[512], r[512];
	/* counts 2/2, then fw {1.0, 3.0} and srv {1.0, 3.0} as major, minor */
	uint16_t body[12] = { 2, 2, 0, 0, 1, 0, 3, 0, 1, 0, 3, 0 };
	uint8_t inst[16];
	struct vmbus_sim_status st;
	uint32_t len = sizeof(r), state = 0, rl = 0;
	char path[160], buf[512], gs[40];
	uint16_t *v;
	uint64_t seq = 0;
	int id;

	id = offer(hb_guid, inst);
	CHECK(id > 0, "offer heartbeat: id %d", id);
	if (id <= 0)
		return -1;
	CHECK(!wait_state(id, VMBUS_SIM_STATE_BIT(VMBUS_SIM_OPEN), 10000, &state),
	      "hv_utils opened it (async probe), state %u", state);
	CHECK(!status(id, &st) && !strcmp(st.driver, "hv_utils") &&
	      st.recv_ring == 16384 && st.send_ring == 16384 &&
	      st.max_pkt_size == 4096 && st.open_count == 1,
	      "status: driver '%s' rings %u/%u max_pkt %u", st.driver,
	      st.send_ring, st.recv_ring, st.max_pkt_size);

	guid_str(inst, gs);
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/uevent", gs);
	CHECK(!read_file(path, buf, sizeof(buf)) &&
	      strstr(buf, "MODALIAS=vmbus:394f16571591784eab55382f3bd5422d\n"),
	      "uevent MODALIAS");
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/class_id", gs);
	CHECK(!read_file(path, buf, sizeof(buf)) &&
	      !strcmp(buf, "{57164f39-9115-4e78-ab55-382f3bd5422d}\n"),
	      "class_id %s", buf);

	send_pkt(id, b, ic_msg(b, 0, body, sizeof(body)), 7);
	CHECK(!recv_pkt(id, r, &len, 5000, &seq) && len == 56 && seq == 7,
	      "negotiate reply: len %u reqid %llu", len,
	      (unsigned long long)seq);
	v = (uint16_t *)(r + 36);
	CHECK(r[25] == 5 && r[28] == 1 && r[30] == 1 && v[0] == 3 &&
	      v[1] == 0 && v[2] == 3 && v[3] == 0,
	      "negotiated fw %u.%u srv %u.%u, icflags %u, icmsgsize 0x%x",
	      v[0], v[1], v[2], v[3], r[25], r[18]);

	seq = heartbeat(id, 41, 68, &rl);
	CHECK(seq == 42, "heartbeat 41 -> %llu", (unsigned long long)seq);

	/* 5000-byte packet: hv_pkt_iter_first cuts it to 4096 - 16 */
	seq = heartbeat(id, 7, 5000, &rl);
	CHECK(seq == 8 && rl == 4080 && !status(id, &st) &&
	      st.recv_truncated == 1,
	      "truncation: reply len %u seq %llu, truncated %u", rl,
	      (unsigned long long)seq, st.recv_truncated);
	return id;
}

static void t_pm(int id)
{
	struct vmbus_sim_pm pm = { .size = sizeof(pm), .id = id,
				   .op = VMBUS_SIM_PM_SUSPEND };
	struct vmbus_sim_status st = { 0 };
	uint8_t b[68] = { 0 };
	uint32_t rl = 0;
	uint64_t seq;

	CHECK(!sim(VMBUS_SIM_PM, &pm) && !status(id, &st) &&
	      st.state == VMBUS_SIM_CLOSED, "PM suspend: state %u", st.state);
	CHECK(send_pkt(id, b, sizeof(b), 1) == -ENOTCONN,
	      "send while closed: ENOTCONN");
	pm.op = VMBUS_SIM_PM_RESUME;
	CHECK(!sim(VMBUS_SIM_PM, &pm) && !status(id, &st) &&
	      st.state == VMBUS_SIM_OPEN && st.open_count == 2,
	      "PM resume: state %u open_count %u", st.state, st.open_count);
	seq = heartbeat(id, 100, 68, &rl);
	CHECK(seq == 101, "heartbeat after resume 100 -> %llu",
	      (unsigned long long)seq);
	pm.op = 9;
	CHECK(sim(VMBUS_SIM_PM, &pm) == -EINVAL, "PM bad op: EINVAL");
}

/* One vmbus_recvpacket() in the guest: "ret actual reqid hex" */
static int td_recv(const char *dir, uint32_t bufsize, int *ret,
		   uint32_t *actual, char *hex)
{
	char path[200], buf[300], num[16];
	unsigned long long req;

	snprintf(path, sizeof(path), "%s/bufsize", dir);
	snprintf(num, sizeof(num), "%u", bufsize);
	if (write_file(path, num, strlen(num)))
		return -1;
	snprintf(path, sizeof(path), "%s/recv", dir);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	hex[0] = 0;
	return sscanf(buf, "%d %u %llu %200s", ret, actual, &req, hex) >= 3 ?
	       0 : -1;
}

static void t_rings(void)
{
	static uint8_t big[8192];
	char dir[160], gs[40], hex[256], path[200], want[64];
	struct vmbus_sim_status st;
	uint8_t b[300], r[300];
	uint32_t actual, len, state;
	uint64_t req, last;
	int id, ret, n;

	id = offer(test_guid, NULL);
	CHECK(id > 0 && !wait_state(id, VMBUS_SIM_STATE_BIT(VMBUS_SIM_OPEN),
				    5000, &state), "testdrv bound and open");
	status(id, &st);
	guid_str(st.instance_guid, gs);
	snprintf(dir, sizeof(dir), "/sys/kernel/debug/vmbus_sim_testdrv/%s", gs);

	CHECK(!td_recv(dir, 64, &ret, &actual, hex) && ret == 0 && actual == 0,
	      "empty ring: 0, actual 0");
	memset(b, 0xab, sizeof(b));
	send_pkt(id, b, 20, 5);
	CHECK(!td_recv(dir, 8, &ret, &actual, hex) && ret == -ENOBUFS &&
	      actual == 24, "small buffer: %d, actual %u", ret, actual);
	for (n = 0; n < 20; n++)
		strcpy(want + 2 * n, "ab");
	strcat(want, "00000000");
	CHECK(!td_recv(dir, 64, &ret, &actual, hex) && ret == 0 &&
	      actual == 24 && !strcmp(hex, want),
	      "kept, then read padded to 8: %s", hex);
	send_pkt(id, b, 300, 6);
	CHECK(!td_recv(dir, 512, &ret, &actual, hex) && ret == 0 &&
	      actual == 240 && !status(id, &st) && st.recv_truncated == 1,
	      "300 bytes over max_pkt 256: cut to %u", actual);

	for (n = 0; n < 100 && !(ret = send_pkt(id, b, 100, n)); n++)
		;
	CHECK(ret == -EAGAIN && n == 31 && !status(id, &st) &&
	      st.in_bytes == 31 * 128 && st.in_pending == 31,
	      "host ring full after %d: %d, in_bytes %u", n, ret, st.in_bytes);
	CHECK(send_pkt(id, big, sizeof(big), 1) == -EMSGSIZE,
	      "packet bigger than the ring: EMSGSIZE");
	for (n = 0; n < 40; n++)
		if (td_recv(dir, 128, &ret, &actual, hex) || !actual)
			break;
	CHECK(n == 31 && !status(id, &st) && st.in_pending == 0 &&
	      st.in_bytes == 0, "guest drained %d", n);

	snprintf(path, sizeof(path), "%s/send", dir);
	for (n = 0; n < 100 && !(ret = write_file(path, b, 100)); n++)
		;
	CHECK(ret == -EAGAIN && n == 31, "guest send ring full after %d: %d",
	      n, ret);
	len = 50;
	CHECK(recv_pkt(id, r, &len, 0, NULL) == -ENOBUFS && len == 100,
	      "host recv small buffer: ENOBUFS len %u", len);
	for (n = 0, last = 0; ; n++) {
		len = sizeof(r);
		ret = recv_pkt(id, r, &len, 0, &req);
		if (ret)
			break;
		last = req;
	}
	CHECK(n == 31 && ret == -EAGAIN && last == 0x77,
	      "host collected %d then EAGAIN", n);
	len = sizeof(r);
	CHECK(recv_pkt(id, r, &len, 100, NULL) == -ETIMEDOUT,
	      "host recv timeout: ETIMEDOUT");
	CHECK(!status(id, &st) && st.out_total == 31 && st.in_total == 33,
	      "totals: out %llu in %llu", (unsigned long long)st.out_total,
	      (unsigned long long)st.in_total);
}

static void t_misc(int hb)
{
	struct vmbus_sim_hostdata h = { .size = sizeof(h), .id = hb };
	struct vmbus_sim_status ents[8];
	struct vmbus_sim_list l = { .size = sizeof(l), .count = 8,
				    .entries = (uintptr_t)ents };
	int id;

	memcpy(h.data, "fw3.0srv3.0", 12);
	CHECK(!sim(VMBUS_SIM_HOSTDATA_SET, &h), "hostdata set");
	memset(h.data, 0, sizeof(h.data));
	CHECK(!sim(VMBUS_SIM_HOSTDATA_GET, &h) &&
	      !strcmp((char *)h.data, "fw3.0srv3.0"), "hostdata get");

	id = offer(orphan_guid, NULL);
	CHECK(id > 0 && !wait_state(id, VMBUS_SIM_STATE_BIT(VMBUS_SIM_OFFERED),
				    0, NULL), "driverless offer stays OFFERED");
	CHECK(!sim(VMBUS_SIM_LIST, &l) && l.count == 3 &&
	      l.entry_size == sizeof(ents[0]) && ents[2].id == (uint32_t)id,
	      "list: %u channels", l.count);
}

/* "aabbccdd-eeff-..." to guid_t wire bytes (first three fields LE) */
static void guid_parse(const char *str, uint8_t *g)
{
	static const int pos[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
				     8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned int byte;
	int i;

	for (i = 0; i < 16; i++) {
		while (*str == '-')
			str++;
		if (sscanf(str, "%2x", &byte) != 1)
			byte = 0;
		g[pos[i]] = byte;
		str += 2;
	}
}

static int set_proto(uint32_t version)
{
	struct vmbus_sim_config c = { .size = sizeof(c),
				      .flags = VMBUS_SIM_CFG_PROTO_VERSION,
				      .proto_version = version };

	return sim(VMBUS_SIM_CONFIG, &c);
}

/* The other hv_utils services probe and open; VSS honours the version. */
static void t_services(void)
{
	static const char *const guids[] = {
		"0e0b6031-5213-4934-818b-38d90ced39db",	/* shutdown */
		"9527e630-d0ae-497b-adce-e80ab0175caf",	/* timesync */
		"a9a0f4e7-5a45-4d96-b827-8a841e8c03e6",	/* kvp */
	};
	uint32_t open = VMBUS_SIM_STATE_BIT(VMBUS_SIM_OPEN);
	uint32_t gone = VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE);
	struct vmbus_sim_status st = { 0 };
	uint8_t g[16];
	unsigned int i;
	int id, kvp = 0;

	for (i = 0; i < ARRAY_SIZE(guids); i++) {
		guid_parse(guids[i], g);
		id = offer(g, NULL);
		CHECK(id > 0 && !wait_state(id, open, 10000, NULL),
		      "hv_utils opened %s", guids[i]);
		kvp = id;
	}

	guid_parse("35fa2e29-ea23-4236-96ae-3a6ebacba440", g);
	set_proto(0x20004);	/* VERSION_WIN8 */
	id = offer(g, NULL);
	usleep(1500000);
	CHECK(id > 0 && !status(id, &st) && st.state == VMBUS_SIM_OFFERED &&
	      !st.driver[0], "VSS refuses a Win8 host: state %u", st.state);
	sim(VMBUS_SIM_RESCIND, &(uint32_t){ id });
	wait_state(id, gone, 10000, NULL);
	set_proto(0x50003);
	id = offer(g, NULL);
	CHECK(id > 0 && !wait_state(id, open, 10000, NULL),
	      "VSS opens on a WIN10_V5_3 host");
	/* KVP (no daemon) is rescinded while bound; the rest stay offered. */
	CHECK(!sim(VMBUS_SIM_RESCIND, &(uint32_t){ kvp }) &&
	      !wait_state(kvp, gone, 10000, NULL) && status(kvp, &st) == -ENOENT,
	      "KVP (id %d) rescinded while bound", kvp);
}

static void t_rescind(int id)
{
	struct vmbus_sim_status st;
	uint32_t state = 0;
	uint32_t gone = VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE);

	CHECK(!sim(VMBUS_SIM_RESCIND, &(uint32_t){ id }), "rescind %d", id);
	CHECK(!wait_state(id, gone, 10000, &state) && state == VMBUS_SIM_GONE,
	      "gone (driver removed, id freed), state %u", state);
	CHECK(status(id, &st) == -ENOENT, "status after gone: ENOENT");
	CHECK(sim(VMBUS_SIM_RESCIND, &(uint32_t){ id }) == -ENOENT,
	      "rescind again: ENOENT");
	CHECK(wait_state(id, VMBUS_SIM_STATE_BIT(VMBUS_SIM_OPEN), 0, NULL) ==
	      -ENODEV, "wait for OPEN on a gone id: ENODEV");
}

int main(void)
{
	int hb;

	fd = open(VMBUS_SIM_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(VMBUS_SIM_DEVICE);
		return 1;
	}
	t_contract();
	t_config();
	hb = t_heartbeat();
	if (hb > 0) {
		t_pm(hb);
		t_rings();
		t_misc(hb);
		t_rescind(hb);
		t_services();
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
