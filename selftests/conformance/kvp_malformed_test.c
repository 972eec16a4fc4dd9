// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed KVP messages from the host, with our module: each is answered
 * HV_E_FAIL at once (nothing reaches the daemon), counted in the device's
 * errors, logged without WARN or oops, and the service keeps working.
 * Offsets are those of struct hv_kvp_msg (7432 bytes) after the IC header:
 * operation 0, pool 1, then for GET/SET the record at 4 (value_type 4,
 * key_size 8, value_size 12, key 16, value 528), for ENUMERATE the index at
 * 4, and for the IP operations (hv_kvp_ip_msg) the adapter id at 2.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

#define OFF_TYPE	4
#define OFF_KEY_SIZE	8
#define OFF_VALUE_SIZE	12
#define OFF_KEY		16
#define OFF_ENUM_INDEX	4
#define OFF_IP_ADAPTER	2
#define OFF_IP_FAMILY	258

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = v;
	b[off + 1] = v >> 8;
	b[off + 2] = v >> 16;
	b[off + 3] = v >> 24;
}

static void put16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = v;
	b[off + 1] = v >> 8;
}

/* A valid SET of "hvic-bad" = "v" in pool 0, to be spoilt. */
static size_t good_set(uint8_t *b)
{
	struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = "v" };

	return hvhost_build_kvp_set(b, HVHOST_KVP_MSG_SIZE, 0, "hvic-bad", &v);
}

static size_t bad_pool_5(uint8_t *b) { size_t n = good_set(b); b[1] = 5; return n; }
static size_t bad_pool_255(uint8_t *b) { size_t n = good_set(b); b[1] = 255; return n; }
static size_t bad_op_6(uint8_t *b) { size_t n = good_set(b); b[0] = 6; return n; }
static size_t bad_op_100(uint8_t *b) { size_t n = good_set(b); b[0] = 100; return n; }

static size_t bad_key_size_odd(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_KEY_SIZE, 17);
	return n;
}

static size_t bad_key_size_over(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_KEY_SIZE, 514);
	return n;
}

static size_t bad_key_size_zero(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_KEY_SIZE, 0);
	return n;
}

static size_t bad_key_empty(uint8_t *b)
{
	size_t n = good_set(b);

	memset(b + OFF_KEY, 0, 512);
	put32(b, OFF_KEY_SIZE, 2);
	return n;
}

static size_t bad_value_size_odd(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_VALUE_SIZE, 3);
	return n;
}

static size_t bad_value_size_over(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_VALUE_SIZE, 2050);
	return n;
}

static size_t bad_value_type_0(uint8_t *b) { size_t n = good_set(b); put32(b, OFF_TYPE, 0); return n; }
static size_t bad_value_type_2(uint8_t *b) { size_t n = good_set(b); put32(b, OFF_TYPE, 2); return n; }
static size_t bad_value_type_9(uint8_t *b) { size_t n = good_set(b); put32(b, OFF_TYPE, 9); return n; }

/* A REG_U32 whose size says 8. */
static size_t bad_u32_size(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_TYPE, 4);
	put32(b, OFF_VALUE_SIZE, 8);
	return n;
}

/* 256 units of 'A' and a size of the whole field: no NUL anywhere. */
static size_t bad_key_no_nul(uint8_t *b)
{
	size_t n = good_set(b), i;

	for (i = 0; i < 256; i++)
		put16(b, OFF_KEY + 2 * i, 'A');
	put32(b, OFF_KEY_SIZE, 512);
	return n;
}

/* "hvic-bad" is 8 units + NUL; a size of 15 units puts the NUL inside. */
static size_t bad_key_nul_inside(uint8_t *b)
{
	size_t n = good_set(b);

	put32(b, OFF_KEY_SIZE, 30);
	return n;
}

static size_t bad_key_lone_surrogate(uint8_t *b)
{
	size_t n = good_set(b);

	put16(b, OFF_KEY, 0xd800);
	return n;
}

/* 255 x U+0800 (3 UTF-8 bytes each): fits the wire, not the daemon's 512. */
static size_t bad_key_utf8_too_long(uint8_t *b)
{
	size_t n = good_set(b), i;

	for (i = 0; i < 255; i++)
		put16(b, OFF_KEY + 2 * i, 0x0800);
	put16(b, OFF_KEY + 510, 0);
	put32(b, OFF_KEY_SIZE, 512);
	return n;
}

static size_t bad_truncated_body(uint8_t *b)
{
	good_set(b);
	return 100;
}

static size_t bad_enum_index(uint8_t *b)
{
	size_t n = hvhost_build_kvp_enumerate(b, HVHOST_KVP_MSG_SIZE, 1, 0);

	put32(b, OFF_ENUM_INDEX, 0xffffffff);
	return n;
}

/* GET_IP_INFO laid out as hv_kvp_msg: the adapter id starts 2 bytes late. */
static size_t bad_ip_4byte_header(uint8_t *b)
{
	struct hvhost_kvp_ip ip = { .addr_family = HVHOST_ADDR_FAMILY_IPV4 };
	size_t n;

	strcpy(ip.adapter_id, "00:15:5D:00:00:01");
	n = hvhost_build_kvp_ip(b, HVHOST_KVP_MSG_SIZE, HVHOST_KVP_GET_IP_INFO, 0, &ip);
	memmove(b + OFF_IP_ADAPTER + 2, b + OFF_IP_ADAPTER, 256);
	put16(b, OFF_IP_ADAPTER, 0);
	return n;
}

static size_t bad_ip_family(uint8_t *b)
{
	struct hvhost_kvp_ip ip = { .addr_family = HVHOST_ADDR_FAMILY_IPV4 };
	size_t n;

	strcpy(ip.adapter_id, "00:15:5D:00:00:01");
	n = hvhost_build_kvp_ip(b, HVHOST_KVP_MSG_SIZE, HVHOST_KVP_GET_IP_INFO, 0, &ip);
	b[OFF_IP_FAMILY] = 0x10;
	return n;
}

FIXTURE(bad) {
	struct hvhost *h;
	uint32_t id, fw, srv;
	char errors[300];	/* the device's hvic/errors file */
};

FIXTURE_VARIANT(bad) {
	size_t (*make)(uint8_t *body);
};

#define BAD(name) FIXTURE_VARIANT_ADD(bad, name) { .make = bad_##name }
BAD(pool_5);
BAD(pool_255);
BAD(op_6);
BAD(op_100);
BAD(key_size_odd);
BAD(key_size_over);
BAD(key_size_zero);
BAD(key_empty);
BAD(value_size_odd);
BAD(value_size_over);
BAD(value_type_0);
BAD(value_type_2);
BAD(value_type_9);
BAD(u32_size);
BAD(key_no_nul);
BAD(key_nul_inside);
BAD(key_lone_surrogate);
BAD(key_utf8_too_long);
BAD(truncated_body);
BAD(enum_index);
BAD(ip_4byte_header);
BAD(ip_family);

static long long read_ll(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return strtoll(buf, NULL, 0);
}

FIXTURE_SETUP(bad)
{
	struct vmbus_sim_status st;
	char guid[37];

	if (!rig_module_is("ours") || !rig_has_service("kvp"))
		RIG_SETUP_SKIP("target %s: not our module with kvp", rig_target());
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_KVP,
					 HVHOST_DEFAULT_GENERATION, &self->id));
	ASSERT_EQ(0, hvhost_negotiated(self->h, self->id, &self->fw, &self->srv));
	ASSERT_EQ(0, hvhost_status(self->h, self->id, &st));
	hvhost_guid_format(st.instance_guid, guid);
	snprintf(self->errors, sizeof(self->errors),
		 "/sys/bus/vmbus/devices/%s/hvic/errors", guid);
	rig_dmesg_mark();
}

FIXTURE_TEARDOWN(bad)
{
	if (self->h)
		hvhost_close(self->h);
}

TEST_F(bad, refused_at_once)
{
	static uint8_t body[HVHOST_KVP_MSG_SIZE], pkt[HVHOST_IC_HDR_SIZE + HVHOST_KVP_MSG_SIZE + 64];
	struct hvhost_ichdr hdr = {
		.msgtype = HVHOST_MSG_KVPEXCHANGE,
		.fw_version = self->fw,
		.msg_version = self->srv,
	};
	long long errors = read_ll(self->errors);
	uint64_t rid = (uint64_t)getpid() << 16, got = 0;
	struct hvhost_reply r;
	size_t len;
	int n;

	n = hvhost_build_packet(pkt, sizeof(pkt), &hdr, body, variant->make(body));
	ASSERT_LT(0, n);
	ASSERT_EQ(0, hvhost_send_raw(self->h, self->id, rid, pkt, n));
	do {
		len = sizeof(pkt);
		ASSERT_EQ(0, hvhost_recv_raw(self->h, self->id, pkt, &len, &got, 2000));
	} while (got != rid);
	ASSERT_EQ(0, hvhost_parse_reply(pkt, len, HVHOST_MSG_KVPEXCHANGE, &r));
	EXPECT_EQ(HV_E_FAIL, r.status);
	EXPECT_EQ(errors + 1, read_ll(self->errors));
	EXPECT_EQ(0, rig_dmesg_problems());
}

/* After all of the above (a later fixture runs later), the host is served. */
FIXTURE(after) {
	struct hvhost *h;
	uint32_t id;
};

FIXTURE_SETUP(after)
{
	if (!rig_module_is("ours") || !rig_has_service("kvp"))
		RIG_SETUP_SKIP("target %s: not our module with kvp", rig_target());
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_KVP,
					 HVHOST_DEFAULT_GENERATION, &self->id));
}

FIXTURE_TEARDOWN(after)
{
	if (self->h)
		hvhost_close(self->h);
}

TEST_F(after, still_works)
{
	struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = "fine" };
	uint32_t status = ~0u;

	hvhost_set_timeout(self->h, 15000);
	ASSERT_EQ(0, hvhost_kvp_set(self->h, self->id, 0, "hvic-after-bad", &v, &status));
	EXPECT_EQ(HV_S_OK, status);
	ASSERT_EQ(0, hvhost_kvp_delete(self->h, self->id, 0, "hvic-after-bad", &status));
	EXPECT_EQ(HV_S_OK, status);
}

TEST_HARNESS_MAIN
