// SPDX-License-Identifier: GPL-2.0
/* Service transactions through libhvhost against mock guests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hvhost.h"
#include "mock_sim.h"
#include "tap.h"

static uint32_t rd32le(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32le(uint8_t *p, uint32_t v)
{
	p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

/* Heartbeat like Linux: negotiates fw/srv 3.0; seq + 1, status untouched. */
static void hb_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	static const uint32_t v[] = { HVHOST_VERSION(3, 0), HVHOST_VERSION(1, 0) };
	uint64_t seq = rd64(p, 28) + 1;
	int i;

	if (p[12] == HVHOST_MSG_NEGOTIATE) {
		mock_negotiate(p, len, v, 2, v, 2);
		mock_respond(ch, req, p, len, HV_S_OK);
		return;
	}
	for (i = 0; i < 8; i++)
		p[28 + i] = seq >> (8 * i);
	mock_respond(ch, req, p, len, 0);
}

/* Answers late: first a stale reply to an older request, then ours. */
static void stale_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	uint8_t junk[64] = { 0 };

	mock_reply(ch, req - 1, junk, sizeof(junk));
	hb_guest(ch, req, p, len);
}

/* Echoes the request without RESPONSE (a broken guest). */
static void echo_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	mock_reply(ch, req, p, len);
}

static uint32_t next_status;

static void status_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	mock_respond(ch, req, p, len, next_status);
}

static void test_heartbeat(struct hvhost *h)
{
	const uint8_t *g = hvhost_service_info(HVHOST_HEARTBEAT)->class_guid;
	struct mock_chan *ch = mock_add(g, hb_guest);
	enum hvhost_health health;
	uint64_t got = 0;
	uint32_t st = 1;

	tap_eq(hvhost_heartbeat(h, ch->id, 41, &got, &st), 0, "heartbeat 41");
	tap_ok(got == 42 && st == HV_S_OK, "  guest answered 42, HV_S_OK");
	tap_eq(ch->last_len, 28 + 40, "  packet is 28 + 40 bytes");
	tap_eq(rd16(ch->last, 12), 1, "  icmsgtype HEARTBEAT");
	tap_eq(hvhost_heartbeat_health(h, &health), 0, "health check");
	tap_streq(hvhost_health_str(health), "Operating normally", "  Operating normally");
	tap_eq(hvhost_negotiated(h, ch->id, NULL, NULL), 0,
	       "  it negotiated first (3.0 kept)");

	ch->guest = stale_guest;
	tap_eq(hvhost_heartbeat(h, ch->id, 7, &got, &st), 0,
	       "a stale reply with another request id is skipped");
	tap_eq(got, 8, "  and the real answer used");

	ch->guest = echo_guest;
	tap_eq(hvhost_heartbeat(h, ch->id, 7, &got, &st), -EPROTO,
	       "echo without RESPONSE flag is -EPROTO");

	ch->guest = NULL;
	hvhost_set_timeout(h, 50);
	tap_eq(hvhost_heartbeat(h, ch->id, 7, &got, &st), -ETIMEDOUT,
	       "silent guest times out");
	tap_eq(hvhost_heartbeat_health(h, &health), 0, "health check, silent guest");
	tap_streq(hvhost_health_str(health), "Lost communication", "  Lost communication");
	ch->state = VMBUS_SIM_CLOSED;
	tap_eq(hvhost_heartbeat(h, ch->id, 7, &got, &st), -ENOTCONN,
	       "closed channel is -ENOTCONN");
	hvhost_heartbeat_health(h, &health);
	tap_streq(hvhost_health_str(health), "No contact", "  No contact");
	hvhost_set_timeout(h, HVHOST_DEFAULT_TIMEOUT_MS);
	ch->state = VMBUS_SIM_GONE;
}

static void test_shutdown_time(struct hvhost *h)
{
	struct mock_chan *sd = mock_add(hvhost_service_info(HVHOST_SHUTDOWN)->class_guid,
					status_guest);
	struct mock_chan *ts = mock_add(hvhost_service_info(HVHOST_TIMESYNC)->class_guid,
					status_guest);
	struct hvhost_shutdown_req req = {
		.flags = HVHOST_SHUTDOWN_HIBERNATE, .reason_code = 0x80000000,
		.message = "hi", .message_len = 2,
	};
	struct hvhost_timesync_req tr = { .flags = HVHOST_TS_SYNC };
	struct hvhost_timesync_result res;
	struct hvhost_chandata cd = { 0 };
	uint32_t st;

	next_status = HV_E_FAIL;
	tap_eq(hvhost_shutdown(h, sd->id, &req, &st), 0, "hibernate request");
	tap_eq(st, HV_E_FAIL, "  guest's HV_E_FAIL comes back as status, not errno");
	tap_eq(sd->last_len, 28 + 2060, "  packet is 28 + 2060 bytes");
	tap_ok(rd32(sd->last, 36) == 4 && sd->last[40] == 'h',
	       "  flags 4 @body+8, message @body+12");

	next_status = HV_S_OK;
	tap_eq(hvhost_timesync(h, ts->id, &tr, &res), -ENOPROTOOPT,
	       "timesync without negotiated version is -ENOPROTOOPT");
	cd.flags = HVHOST_CD_NEGOTIATED;
	cd.fw_version = HVHOST_VERSION(3, 0);
	cd.srv_version = HVHOST_VERSION(4, 0);
	cd.open_count = ts->open_count;
	hvhost_chandata_set(h, ts->id, &cd);
	mock_reference_time = 5000000;
	tr.absolute = true;
	tr.parenttime = 132000000000000000ull;
	tr.delay_ms = 20;
	tap_eq(hvhost_timesync(h, ts->id, &tr, &res), 0, "v4 SYNC with 20 ms delay");
	tap_ok(res.v4 && res.status == HV_S_OK, "  used the 4.0 body");
	tap_eq(ts->last_len, 28 + 22, "  packet is 28 + 22 bytes");
	tap_eq(rd64(ts->last, 28), 132000000000000000ull, "  parenttime as given");
	tap_eq(rd64(ts->last, 36), 5000000, "  vmreferencetime read before the delay");
	tap_eq(ts->last[44], 1, "  flags SYNC");
	tap_ok(rd16(ts->last, 14) == 4 && rd16(ts->last, 8) == 3,
	       "  header carries the negotiated versions 3.0 / 4.0");
	tr.version = HVHOST_VERSION(3, 0);
	tr.flags = HVHOST_TS_SAMPLE;
	tap_eq(hvhost_timesync(h, ts->id, &tr, &res), 0, "forced v3 SAMPLE");
	tap_ok(!res.v4 && ts->last_len == 28 + 25 && ts->last[28 + 24] == 2,
	       "  25-byte body, flags SAMPLE @24");
	sd->state = ts->state = VMBUS_SIM_GONE;
}

/* A KVP guest with three records in pool 1 and an empty pool 0. */
static void kvp_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	static const char *const keys[] = { "a", "\xc3\xa9t\xc3\xa9", "zz" };
	uint8_t *b = p + 28;
	uint32_t index;
	size_t ks, vs;
	char val[16];

	if (len != 28 + 7432) {
		mock_respond(ch, req, p, len, HV_E_FAIL);
		return;
	}
	if (b[0] != 3) {	/* only ENUMERATE is modelled */
		mock_respond(ch, req, p, len, b[0] == 1 ? HV_S_OK : HV_E_FAIL);
		return;
	}
	index = rd32le(b + 4);
	if (b[1] != 1 || index >= 3) {
		mock_respond(ch, req, p, len, HV_S_CONT);
		return;
	}
	snprintf(val, sizeof(val), "v%u", index);
	hvhost_utf8_to_utf16le(keys[index], strlen(keys[index]), b + 20, 512, &ks);
	hvhost_utf8_to_utf16le(val, strlen(val), b + 532, 2048, &vs);
	wr32le(b + 8, HVHOST_REG_SZ);
	wr32le(b + 12, ks);
	wr32le(b + 16, vs);
	mock_respond(ch, req, p, len, HV_S_OK);
}

static int collect(const struct hvhost_kvp_record *rec, uint32_t index, void *ctx)
{
	char *out = ctx;

	sprintf(out + strlen(out), "%u:%s=%s;", index, rec->key, rec->value);
	return 0;
}

static void test_kvp(struct hvhost *h)
{
	struct mock_chan *ch = mock_add(hvhost_service_info(HVHOST_KVP)->class_guid,
					kvp_guest);
	struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = "x" };
	struct hvhost_kvp_record rec;
	char out[256] = "";
	unsigned int n = 99;
	uint32_t st;

	tap_eq(hvhost_kvp_set(h, ch->id, 0, "k", &v, &st), 0, "KVP set");
	tap_ok(st == HV_S_OK && ch->last_len == 28 + 7432, "  sent full size, HV_S_OK");
	tap_eq(hvhost_kvp_get(h, ch->id, 0, "k", &rec, &st), 0, "KVP get");
	tap_eq(st, HV_E_FAIL, "  guest's HV_E_FAIL reported");
	tap_eq(hvhost_kvp_enumerate(h, ch->id, 1, 1, &rec, &st), 0, "enumerate index 1");
	tap_streq(rec.key, "\xc3\xa9t\xc3\xa9", "  non-ASCII key decoded to UTF-8");
	tap_streq(rec.value, "v1", "  value");
	tap_eq(hvhost_kvp_enumerate_all(h, ch->id, 1, collect, out, 0, &n, &st), 0,
	       "enumerate a whole pool");
	tap_ok(n == 3 && st == HV_S_CONT, "  3 records, ended by HV_S_CONT");
	tap_streq(out, "0:a=v0;1:\xc3\xa9t\xc3\xa9=v1;2:zz=v2;", "  records in order");
	tap_eq(hvhost_kvp_enumerate_all(h, ch->id, 0, NULL, NULL, 0, &n, &st), 0,
	       "enumerate an empty pool");
	tap_ok(n == 0 && st == HV_S_CONT, "  0 records, HV_S_CONT");
	tap_eq(hvhost_kvp_enumerate_all(h, ch->id, 1, NULL, NULL, 2, &n, &st), 0,
	       "enumerate with max 2");
	tap_ok(n == 2 && st == HV_S_OK, "  stops after 2");
	ch->state = VMBUS_SIM_GONE;
}

static void vss_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	if (p[28] == HVHOST_VSS_HOT_BACKUP)
		wr32le(p + 36, HVHOST_VSS_HBU_NO_AUTO_RECOVERY);
	mock_respond(ch, req, p, len, HV_S_OK);
}

static void test_vss(struct hvhost *h)
{
	struct mock_chan *ch = mock_add(hvhost_service_info(HVHOST_VSS)->class_guid,
					vss_guest);
	uint32_t fl = 0, st;

	tap_eq(hvhost_vss(h, ch->id, HVHOST_VSS_FREEZE, 0, 0, &fl, &st), 0, "VSS freeze");
	tap_eq(ch->last_len, 6260, "  FREEZE packet is 6260 bytes");
	tap_eq(ch->last[28], 5, "  op FREEZE");
	tap_eq(hvhost_vss(h, ch->id, HVHOST_VSS_HOT_BACKUP, 0, 0, &fl, &st), 0,
	       "VSS hot backup");
	tap_ok(ch->last_len == 28 + 12 && fl == 5 && st == HV_S_OK,
	       "  12-byte body, reply flags NO_AUTO_RECOVERY (5)");
	ch->state = VMBUS_SIM_GONE;
}

/* fcopy guest: writes into a buffer; fails per the knobs below. */
static uint8_t fc_data[20000];
static uint64_t fc_size;
static unsigned int fc_writes, fc_fail_write, fc_cancelled, fc_completed;
static uint32_t fc_start_status;
static char fc_name[64], fc_path[64];

static void fcopy_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	uint8_t *b = p + 28;
	uint32_t st = HV_S_OK, size;
	uint64_t off;

	switch (rd32le(b)) {
	case 0:
		hvhost_utf16le_to_utf8(b + 36, 520, fc_name, sizeof(fc_name), NULL);
		hvhost_utf16le_to_utf8(b + 556, 520, fc_path, sizeof(fc_path), NULL);
		fc_size = rd64(b, 1080);
		st = fc_start_status;
		break;
	case 1:
		off = rd64(b, 40);
		size = rd32le(b + 48);
		if (++fc_writes == fc_fail_write || off + size > sizeof(fc_data)) {
			st = HV_ERROR_DISK_FULL;
			break;
		}
		memcpy(fc_data + off, b + 52, size);
		break;
	case 2:
		fc_completed++;
		break;
	case 3:
		fc_cancelled++;
		break;
	}
	mock_respond(ch, req, p, len, st);
}

static void test_fcopy(struct hvhost *h)
{
	struct mock_chan *ch = mock_add(hvhost_service_info(HVHOST_FCOPY)->class_guid,
					fcopy_guest);
	char tmpl[] = "/tmp/hvhost-unit-XXXXXX";
	uint8_t src[15000];
	uint32_t st = 0;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(src); i++)
		src[i] = i * 7 + 3;
	fd = mkstemp(tmpl);
	if (fd < 0 || write(fd, src, sizeof(src)) != (ssize_t)sizeof(src))
		tap_ok(false, "temp file");
	close(fd);

	tap_eq(hvhost_copy_file(h, ch->id, tmpl, "/guest/dir", "f\xc3\xbc.bin",
				HVHOST_FCOPY_OVER_WRITE, NULL, NULL, &st), 0,
	       "copy a 15000-byte file");
	tap_eq(st, HV_S_OK, "  final status HV_S_OK");
	tap_ok(fc_writes == 3 && fc_completed == 1 && !fc_cancelled,
	       "  3 fragments (6144+6144+2712), COMPLETE");
	tap_ok(fc_size == 15000 && !memcmp(fc_data, src, sizeof(src)),
	       "  guest got the size and the exact bytes");
	tap_ok(!strcmp(fc_name, "f\xc3\xbc.bin") && !strcmp(fc_path, "/guest/dir"),
	       "  name and path as UTF-16 round trip");

	fc_writes = fc_completed = 0;
	fc_start_status = HV_ERROR_ALREADY_EXISTS;
	tap_eq(hvhost_copy_file(h, ch->id, tmpl, "/d", NULL, 0, NULL, NULL, &st), 0,
	       "copy onto an existing file");
	tap_ok(st == HV_ERROR_ALREADY_EXISTS && !fc_writes && !fc_completed,
	       "  stops at START with HV_ERROR_ALREADY_EXISTS");

	fc_start_status = HV_S_OK;
	fc_fail_write = 2;
	tap_eq(hvhost_copy_file(h, ch->id, tmpl, "/d", NULL, 0, NULL, NULL, &st), 0,
	       "copy with the disk filling up");
	tap_ok(st == HV_ERROR_DISK_FULL && fc_writes == 2 && fc_cancelled == 1 &&
	       !fc_completed, "  stops at the 2nd WRITE with DISK_FULL, then CANCEL");
	tap_eq(hvhost_copy_file(h, ch->id, "/nonexistent/x", "/d", NULL, 0, NULL,
				NULL, &st), -ENOENT, "missing local file is -ENOENT");
	unlink(tmpl);
	ch->state = VMBUS_SIM_GONE;
}

static void test_channels(struct hvhost *h)
{
	uint32_t id, v;

	tap_eq(hvhost_offer(h, HVHOST_KVP, &id), 0, "offer KVP");
	tap_eq(mock_get(id)->state, VMBUS_SIM_OFFERED, "  channel offered");
	tap_eq(hvhost_wait_open(h, id, 10), -ETIMEDOUT, "  not opened: -ETIMEDOUT");
	mock_get(id)->state = VMBUS_SIM_OPEN;
	tap_eq(hvhost_wait_open(h, id, 10), 0, "  opened");
	tap_eq(hvhost_rescind(h, id, 100), 0, "rescind waits for GONE");
	tap_eq(hvhost_find(h, HVHOST_KVP, &id), -ENOENT, "  no live KVP channel left");
	tap_eq(hvhost_set_vmbus_version(h, HVHOST_VERSION(3, 0)), 0, "set VMBus 3.0");
	tap_ok(!hvhost_get_vmbus_version(h, &v) && v == HVHOST_VERSION(3, 0),
	       "  read back 3.0");
}

int main(void)
{
	struct hvhost *h;

	if (hvhost_open(&h, "/dev/null"))
		return tap_ok(false, "open"), tap_done();
	test_heartbeat(h);
	test_shutdown_time(h);
	test_kvp(h);
	test_vss(h);
	test_fcopy(h);
	test_channels(h);
	hvhost_close(h);
	mock_reset();
	return tap_done();
}
