// SPDX-License-Identifier: GPL-2.0
/*
 * Every message builder against the reference layouts (upstream 6.1
 * include/linux/hyperv.h and include/uapi/linux/hyperv.h): sizes, and the
 * little-endian bytes at each field's offset.
 */
#include <errno.h>
#include <stdlib.h>

#include "hvhost.h"
#include "tap.h"

static uint8_t buf[HVHOST_KVP_MSG_SIZE + 64];

static void test_framing(void)
{
	struct hvhost_ichdr hdr = {
		.msgtype = HVHOST_MSG_SHUTDOWN, .fw_version = HVHOST_VERSION(3, 0),
		.msg_version = HVHOST_VERSION(3, 2), .transaction_id = 0x5a,
	};
	static const uint8_t body[3] = { 1, 2, 3 };
	struct hvhost_reply r;
	int len;

	len = hvhost_build_packet(buf, sizeof(buf), &hdr, body, sizeof(body));
	tap_eq(len, 28 + 3, "packet = 28-byte IC header + body");
	tap_eq(rd32(buf, 0), 1, "vmbuspipe_hdr.flags = 1");
	tap_eq(rd32(buf, 4), 20 + 3, "vmbuspipe_hdr.msgsize = bytes after it");
	tap_eq(rd16(buf, 8), 3, "icverframe.major @8");
	tap_eq(rd16(buf, 10), 0, "icverframe.minor @10");
	tap_eq(rd16(buf, 12), HVHOST_MSG_SHUTDOWN, "icmsgtype @12");
	tap_eq(rd16(buf, 14), 3, "icvermsg.major @14");
	tap_eq(rd16(buf, 16), 2, "icvermsg.minor @16");
	tap_eq(rd16(buf, 18), 3, "icmsgsize @18 = body length");
	tap_eq(rd32(buf, 20), 0, "status @20 = 0");
	tap_eq(buf[24], 0x5a, "ictransaction_id @24");
	tap_eq(buf[25], 0x3, "icflags @25 = TRANSACTION|REQUEST");
	tap_ok(buf[26] == 0 && buf[27] == 0, "reserved @26 zero");
	tap_memeq(buf + 28, body, 3, "body @28");
	tap_eq(hvhost_build_packet(buf, 30, &hdr, body, sizeof(body)), -E2BIG,
	       "too small a buffer is -E2BIG");

	/* A reply is the same buffer with RESPONSE set. */
	buf[25] = 0x5;
	buf[20] = 0x05, buf[21] = 0x40, buf[22] = 0x00, buf[23] = 0x80;
	tap_eq(hvhost_parse_reply(buf, len, HVHOST_MSG_SHUTDOWN, &r), 0,
	       "reply with 0x5 parses");
	tap_eq(r.status, HV_E_FAIL, "reply status read little endian");
	tap_eq(r.body_len, 3, "reply body length");
	tap_eq(r.body - buf, 28, "reply body at 28");
	tap_eq(hvhost_parse_reply(buf, len, HVHOST_MSG_HEARTBEAT, &r), -EPROTO,
	       "reply of another type is -EPROTO");
	buf[25] = 0x3;
	tap_eq(hvhost_parse_reply(buf, len, HVHOST_MSG_SHUTDOWN, &r), -EPROTO,
	       "echoed request without RESPONSE is -EPROTO");
	tap_eq(hvhost_parse_reply(buf, 27, -1, &r), -EBADMSG,
	       "27-byte reply is -EBADMSG");
}

static void test_negotiate(void)
{
	static const uint32_t fw[] = { HVHOST_VERSION(1, 0), HVHOST_VERSION(3, 0) };
	static const uint32_t srv[] = { HVHOST_VERSION(1, 0), HVHOST_VERSION(3, 0),
					HVHOST_VERSION(4, 0) };
	struct hvhost_verlist f = { fw, 2 }, s = { srv, 3 }, none = { NULL, 0 };
	uint32_t *big;
	int len, i;

	len = hvhost_build_negotiate(buf, sizeof(buf), f, s, 7);
	tap_eq(len, 28 + 8 + 4 * 5, "NEGOTIATE = 28 + 8 + 4*(nf+nm)");
	tap_eq(rd16(buf, 12), 0, "icmsgtype NEGOTIATE");
	tap_eq(rd16(buf, 18), 8 + 4 * 5, "icmsgsize = 8 + 4*(nf+nm)");
	tap_eq(buf[25], 0x3, "icflags 0x3");
	tap_eq(rd16(buf, 28), 2, "icframe_vercnt @28");
	tap_eq(rd16(buf, 30), 3, "icmsg_vercnt @30");
	tap_eq(rd32(buf, 32), 0, "reserved @32");
	tap_ok(rd16(buf, 36) == 1 && rd16(buf, 38) == 0 &&
	       rd16(buf, 40) == 3 && rd16(buf, 42) == 0,
	       "framework versions first: 1.0, 3.0");
	tap_ok(rd16(buf, 44) == 1 && rd16(buf, 48) == 3 && rd16(buf, 52) == 4 &&
	       rd16(buf, 54) == 0, "then service versions: 1.0, 3.0, 4.0");

	len = hvhost_build_negotiate(buf, sizeof(buf), none, none, 0);
	tap_ok(len == 36 && rd16(buf, 28) == 0 && rd16(buf, 30) == 0,
	       "empty lists: 8-byte body, counts 0/0");

	big = calloc(150, sizeof(*big));
	for (i = 0; i < 150; i++)
		big[i] = HVHOST_VERSION(1, i);
	len = hvhost_build_negotiate(buf, sizeof(buf),
				     (struct hvhost_verlist){ big, 150 }, s, 0);
	tap_ok(len == 28 + 8 + 4 * 153 && rd16(buf, 28) == 150 &&
	       rd16(buf, 36 + 4 * 149 + 2) == 149,
	       "150 framework versions (> the guest's limit of 100) are built");
	free(big);
}

static void test_bodies(void)
{
	struct hvhost_shutdown_req sd = {
		.flags = HVHOST_SHUTDOWN_REBOOT | HVHOST_SHUTDOWN_FORCE,
		.reason_code = HVHOST_SHUTDOWN_REASON_PLANNED,
		.timeout_s = 30, .message = "bye", .message_len = 3,
	};
	char *msg;

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_heartbeat(buf, sizeof(buf), 0x1122334455667788ull),
	       40, "heartbeat body is 40 bytes");
	tap_ok(rd64(buf, 0) == 0x1122334455667788ull && rd32(buf, 36) == 0,
	       "heartbeat seq_num @0 LE, reserved zeroed");

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_shutdown(buf, sizeof(buf), &sd), 2060,
	       "shutdown body is 2060 bytes");
	tap_eq(rd32(buf, 0), 0x80000000u, "reason_code @0");
	tap_eq(rd32(buf, 4), 30, "timeout_seconds @4");
	tap_eq(rd32(buf, 8), 3, "flags @8 (reboot|force)");
	tap_ok(!memcmp(buf + 12, "bye", 4) && buf[2059] == 0,
	       "display_message @12, NUL-terminated, zero padded");
	msg = malloc(2048);
	memset(msg, 'm', 2048);
	sd.message = msg;
	sd.message_len = 2047;
	tap_eq(hvhost_build_shutdown(buf, sizeof(buf), &sd), 2060,
	       "2047-byte message + NUL fits");
	tap_eq(buf[12 + 2047], 0, "  and is NUL-terminated");
	sd.message_len = 2048;
	tap_eq(hvhost_build_shutdown(buf, sizeof(buf), &sd), -E2BIG,
	       "2048-byte message needs --unterminated");
	sd.unterminated = true;
	tap_eq(hvhost_build_shutdown(buf, sizeof(buf), &sd), 2060,
	       "2048-byte unterminated message fits");
	tap_eq(buf[12 + 2047], 'm', "  last byte is message, not NUL");
	sd.message_len = 2049;
	tap_eq(hvhost_build_shutdown(buf, sizeof(buf), &sd), -E2BIG,
	       "2049 bytes never fit");
	free(msg);

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_timesync_v3(buf, sizeof(buf), 0x0102030405060708ull,
					HVHOST_TS_SYNC), 25,
	       "ictimesync_data is 25 bytes");
	tap_ok(rd64(buf, 0) == 0x0102030405060708ull && rd64(buf, 8) == 0 &&
	       rd64(buf, 16) == 0 && buf[24] == 1,
	       "v3: parenttime @0, childtime/roundtrip zero, flags @24");
	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_timesync_v4(buf, sizeof(buf), 111, 222,
					HVHOST_TS_SAMPLE, 1, 3), 22,
	       "ictimesync_ref_data is 22 bytes");
	tap_ok(rd64(buf, 0) == 111 && rd64(buf, 8) == 222 && buf[16] == 2 &&
	       buf[17] == 1 && buf[18] == 3 && !buf[19] && !buf[20] && !buf[21],
	       "v4: parenttime @0, vmreferencetime @8, flags @16, leap @17, stratum @18");
}

static void test_kvp(void)
{
	struct hvhost_kvp_value sz = { .type = HVHOST_REG_SZ, .sz = "v\xc3\xa9" };
	struct hvhost_kvp_value u32 = { .type = HVHOST_REG_U32, .num = 0xdeadbeef };
	struct hvhost_kvp_value u64 = { .type = HVHOST_REG_U64,
					.num = 0x0123456789abcdefull };
	struct hvhost_kvp_record rec;
	struct hvhost_kvp_ip *ip = calloc(1, sizeof(*ip));
	char key[300];

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_kvp_set(buf, sizeof(buf), 1, "Key", &sz), 7432,
	       "KVP SET is sent full size (7432)");
	tap_ok(buf[0] == 1 && buf[1] == 1 && rd16(buf, 2) == 0,
	       "kvp_hdr: operation @0 = SET, pool @1, pad zero");
	tap_eq(rd32(buf, 4), 1, "value_type @4 = REG_SZ");
	tap_eq(rd32(buf, 8), 8, "key_size @8 = UTF-16 bytes incl. NUL");
	tap_eq(rd32(buf, 12), 6, "value_size @12 = UTF-16 bytes incl. NUL");
	tap_ok(rd16(buf, 16) == 'K' && rd16(buf, 20) == 'y' && rd16(buf, 22) == 0,
	       "key @16 in UTF-16LE");
	tap_ok(rd16(buf, 528) == 'v' && rd16(buf, 530) == 0xe9 && rd16(buf, 532) == 0,
	       "value @528 in UTF-16LE");
	tap_eq(rd32(buf, 7428), 0, "tail of the message zeroed");

	hvhost_build_kvp_set(buf, sizeof(buf), 0, "n", &u32);
	tap_ok(rd32(buf, 4) == 4 && rd32(buf, 12) == 4 &&
	       rd32(buf, 528) == 0xdeadbeef, "REG_U32: type 4, size 4, value_u32 @528");
	hvhost_build_kvp_set(buf, sizeof(buf), 0, "n", &u64);
	tap_ok(rd32(buf, 4) == 8 && rd32(buf, 12) == 8 &&
	       rd64(buf, 528) == 0x0123456789abcdefull,
	       "REG_U64: type 8, size 8, value_u64 @528");

	memset(key, 'k', 255);
	key[255] = 0;
	tap_eq(hvhost_build_kvp_set(buf, sizeof(buf), 0, key, &sz), 7432,
	       "255-char key fits (512 bytes)");
	tap_eq(rd32(buf, 8), 512, "  key_size 512");
	key[255] = 'k';
	key[256] = 0;
	tap_eq(hvhost_build_kvp_set(buf, sizeof(buf), 0, key, &sz), -E2BIG,
	       "256-char key does not fit");
	tap_eq(hvhost_build_kvp_set(buf, sizeof(buf), 0, "\xff", &sz), -EILSEQ,
	       "invalid UTF-8 key rejected");

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_kvp_get(buf, sizeof(buf), 2, "FullyQualifiedDomainName"),
	       7432, "KVP GET full size");
	tap_ok(buf[0] == 0 && buf[1] == 2 && rd32(buf, 8) == 50 &&
	       rd16(buf, 16) == 'F' && rd32(buf, 12) == 0,
	       "GET: op 0, pool, key_size @8, key @16, value_size 0");
	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_kvp_delete(buf, sizeof(buf), 0, "ab"), 7432,
	       "KVP DELETE full size");
	tap_ok(buf[0] == 2 && rd32(buf, 4) == 6 && rd16(buf, 8) == 'a' &&
	       rd16(buf, 10) == 'b' && rd16(buf, 12) == 0,
	       "DELETE: key_size @4, key @8");
	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_kvp_enumerate(buf, sizeof(buf), 2, 9), 7432,
	       "KVP ENUMERATE full size");
	tap_ok(buf[0] == 3 && buf[1] == 2 && rd32(buf, 4) == 9 && rd32(buf, 8) == 0,
	       "ENUMERATE: index @4, record zeroed");

	/* A guest's ENUMERATE answer: record at body offset 8. */
	memset(buf, 0, sizeof(buf));
	buf[0] = 3;
	buf[8] = 1;			/* value_type REG_SZ @8 */
	buf[12] = 4;			/* key_size @12 */
	buf[16] = 6;			/* value_size @16 */
	buf[20] = 'K';			/* key @20 */
	buf[532] = 'o', buf[534] = 'k';	/* value @532 */
	buf[538] = 'X';			/* stale bytes after the NUL */
	tap_eq(hvhost_parse_kvp_record(buf, 7432, HVHOST_KVP_ENUMERATE, &rec), 0,
	       "ENUMERATE reply parses");
	tap_streq(rec.key, "K", "  key from @20");
	tap_streq(rec.value, "ok", "  value from @532, stops at NUL");
	tap_ok(rec.key_size == 4 && rec.value_size == 6, "  raw sizes kept");
	buf[13] = 0x10;			/* key_size 4100 > 512 */
	tap_eq(hvhost_parse_kvp_record(buf, 7432, HVHOST_KVP_ENUMERATE, &rec),
	       -EBADMSG, "key_size beyond the field is -EBADMSG");
	tap_eq(hvhost_parse_kvp_record(buf, 2579, HVHOST_KVP_ENUMERATE, &rec),
	       -EBADMSG, "short ENUMERATE reply is -EBADMSG");

	/* GET answer: record at body offset 4. */
	memset(buf, 0, sizeof(buf));
	buf[4] = 4;			/* REG_U32 */
	buf[528] = 42;
	tap_eq(hvhost_parse_kvp_record(buf, 7432, HVHOST_KVP_GET, &rec), 0,
	       "GET reply parses");
	tap_ok(rec.num == 42 && !strcmp(rec.value, "42"), "  REG_U32 value @528");

	strcpy(ip->adapter_id, "00:15:5D:00:00:01");
	strcpy(ip->ip_addr, "10.0.0.2;10.0.0.3");
	strcpy(ip->sub_net, "255.0.0.0");
	strcpy(ip->gate_way, "10.0.0.1");
	strcpy(ip->dns_addr, "10.0.0.53");
	ip->addr_family = HVHOST_ADDR_FAMILY_IPV4;
	ip->dhcp_enabled = 1;
	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_kvp_ip(buf, sizeof(buf), HVHOST_KVP_SET_IP_INFO, 0, ip),
	       7432, "SET_IP_INFO sent full size");
	tap_ok(buf[0] == 5 && buf[1] == 0, "hv_kvp_ip_msg: 2-byte header");
	tap_eq(rd16(buf, 2), '0', "adapter_id @2");
	tap_ok(buf[258] == 1 && buf[259] == 1, "addr_family @258, dhcp_enabled @259");
	tap_ok(rd16(buf, 260) == '1' && rd16(buf, 2308) == '2' &&
	       rd16(buf, 4356) == '1' && rd16(buf, 5380) == '1',
	       "ip_addr @260, sub_net @2308, gate_way @4356, dns_addr @5380");
	tap_eq(rd16(buf, 260 + 2 * 17), 0, "ip_addr NUL-terminated");
	memset(ip, 0, sizeof(*ip));
	tap_eq(hvhost_parse_kvp_ip(buf, 7432, ip), 0, "IP message parses back");
	tap_ok(!strcmp(ip->ip_addr, "10.0.0.2;10.0.0.3") &&
	       !strcmp(ip->dns_addr, "10.0.0.53") && ip->dhcp_enabled == 1,
	       "  strings and flags round trip");
	free(ip);
}

static void test_vss_fcopy(void)
{
	uint8_t *data = malloc(6145);

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_vss(buf, sizeof(buf), HVHOST_VSS_THAW, 7, 0), 12,
	       "hv_vss_msg is 12 bytes");
	tap_ok(buf[0] == 6 && buf[7] == 0 && rd32(buf, 8) == 7,
	       "VSS: operation @0, reserved zero, flags @8");
	tap_eq(hvhost_build_vss(buf, sizeof(buf), HVHOST_VSS_FREEZE, 0, 0),
	       6260 - 28, "FREEZE padded to a 6260-byte packet by default");
	tap_eq(hvhost_build_vss(buf, sizeof(buf), HVHOST_VSS_FREEZE, 0, 12), 12,
	       "explicit 12-byte FREEZE");
	tap_eq(hvhost_build_vss(buf, sizeof(buf), 0, 0, 11), -EINVAL,
	       "VSS body shorter than 12 rejected");

	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_fcopy_start(buf, sizeof(buf), "f\xc3\xa9.txt", "/tmp/x",
					HVHOST_FCOPY_OVER_WRITE | HVHOST_FCOPY_CREATE_PATH,
					123456789012ull), 1088,
	       "hv_start_fcopy is 1088 bytes");
	tap_ok(rd32(buf, 0) == 0 && rd32(buf, 4) == 0 && rd32(buf, 32) == 0,
	       "fcopy hdr: operation @0 START, service ids zero");
	tap_ok(rd16(buf, 36) == 'f' && rd16(buf, 38) == 0xe9 && rd16(buf, 48) == 0,
	       "file_name @36 UTF-16LE, NUL-terminated");
	tap_ok(rd16(buf, 556) == '/' && rd16(buf, 566) == 'x', "path_name @556");
	tap_eq(rd32(buf, 1076), 3, "copy_flags @1076");
	tap_eq(rd64(buf, 1080), 123456789012ull, "file_size @1080");
	memset(data, 'a', 300);
	data[300] = 0;
	tap_eq(hvhost_build_fcopy_start(buf, sizeof(buf), (char *)data, "/", 0, 0),
	       -E2BIG, "300-char file name does not fit 260 units");

	memset(data, 0x5c, 6145);
	memset(buf, 0xee, sizeof(buf));
	tap_eq(hvhost_build_fcopy_write(buf, sizeof(buf), 0x100000000ull, data, 6144),
	       6196, "hv_do_fcopy is 6196 bytes");
	tap_ok(rd32(buf, 0) == 1 && rd32(buf, 36) == 0 &&
	       rd64(buf, 40) == 0x100000000ull && rd32(buf, 48) == 6144 &&
	       buf[52] == 0x5c && buf[6195] == 0x5c,
	       "WRITE: op 1, pad @36, offset @40, size @48, data @52..6195");
	hvhost_build_fcopy_write(buf, sizeof(buf), 0, data, 10);
	tap_ok(rd32(buf, 48) == 10 && buf[62] == 0, "short fragment zero padded");
	tap_eq(hvhost_build_fcopy_write(buf, sizeof(buf), 0, data, 6145), -EINVAL,
	       "fragment over 6144 bytes rejected");
	tap_eq(hvhost_build_fcopy_op(buf, sizeof(buf), HVHOST_FCOPY_CANCEL), 36,
	       "COMPLETE/CANCEL carry the 36-byte header");
	tap_eq(rd32(buf, 0), 3, "CANCEL op 3");
	free(data);
}

static void test_tables(void)
{
	const struct hvhost_service_info *hb = hvhost_service_info(HVHOST_HEARTBEAT);
	static const uint8_t hb_wire[16] = {
		0x39, 0x4f, 0x16, 0x57, 0x15, 0x91, 0x78, 0x4e,
		0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, 0x2d };
	const struct hvhost_host_model *m;
	uint8_t g[16];
	char text[37];
	int64_t ns;

	tap_memeq(hb->class_guid, hb_wire, 16, "heartbeat class GUID in wire order");
	tap_eq(hvhost_guid_parse("57164f39-9115-4e78-ab55-382f3bd5422d", g), 0,
	       "GUID text parses");
	tap_memeq(g, hb_wire, 16, "  to the wire bytes");
	hvhost_guid_format(hvhost_service_info(HVHOST_FCOPY)->class_guid, text);
	tap_streq(text, "34d14be3-dee4-41c8-9ae7-6b174977c192", "fcopy GUID formats");
	tap_eq(hvhost_guid_parse("57164f39-9115-4e78-ab55-382f3bd5422", g), -EINVAL,
	       "short GUID rejected");
	tap_eq(hvhost_service_by_guid(hb_wire), HVHOST_HEARTBEAT, "service by GUID");
	tap_eq(hvhost_service_by_name("backup"), HVHOST_VSS, "alias backup = vss");
	tap_eq(hvhost_service_by_name("time"), HVHOST_TIMESYNC, "alias time");
	tap_eq(hvhost_service_by_name("nope"), -ENOENT, "unknown service");
	tap_eq(hvhost_service_info(HVHOST_KVP)->msgtype, 2, "KVP msgtype 2");
	tap_eq(hvhost_service_info(HVHOST_FCOPY)->msgtype, 7, "FCOPY msgtype 7");

	tap_streq(hvhost_status_str(HV_S_CONT), "HV_S_CONT", "HV_S_CONT name");
	tap_streq(hvhost_status_str(0x80070050), "HV_ERROR_ALREADY_EXISTS",
		  "ALREADY_EXISTS name");
	tap_streq(hvhost_status_str(0x80070070), "HV_ERROR_DISK_FULL", "DISK_FULL name");
	tap_streq(hvhost_status_str(0x80041002), "HV_GUID_NOTFOUND", "GUID_NOTFOUND");
	tap_streq(hvhost_status_str(0x12345678), "0x12345678", "unknown status in hex");
	tap_ok(hvhost_status_name(0x12345678) == NULL, "unknown has no name");

	m = hvhost_host_model(HVHOST_WS2012);
	tap_ok(m->vmbus_version == HVHOST_VERSION(2, 4) && !m->srv[HVHOST_VSS].count &&
	       !m->srv[HVHOST_FCOPY].count && m->srv[HVHOST_KVP].count == 3,
	       "ws2012: VMBus 2.4, no VSS/fcopy, KVP 3 versions");
	m = hvhost_host_model_by_name("ws2012r2");
	tap_ok(m && m->vmbus_version == HVHOST_VERSION(3, 0) &&
	       m->srv[HVHOST_VSS].count == 1 &&
	       m->srv[HVHOST_VSS].v[0] == HVHOST_VERSION(5, 0) &&
	       m->srv[HVHOST_FCOPY].v[0] == HVHOST_VERSION(1, 1),
	       "ws2012r2: VMBus 3.0, VSS 5.0, fcopy 1.1");
	m = hvhost_host_model_by_name("ws2016");
	tap_ok(m && m->srv[HVHOST_TIMESYNC].count == 3 &&
	       m->srv[HVHOST_TIMESYNC].v[2] == HVHOST_VERSION(4, 0) &&
	       m->srv[HVHOST_SHUTDOWN].v[3] == HVHOST_VERSION(3, 2),
	       "ws2016: timesync up to 4.0, shutdown up to 3.2");
	tap_ok(hvhost_host_model_by_name("ws2003") == NULL, "unknown generation");

	tap_eq(hvhost_unix_ns_to_filetime(0), 116444736000000000ll,
	       "unix epoch = WLTIMEDELTA");
	tap_eq(hvhost_unix_ns_to_filetime(1234567890123ll),
	       116444736000000000ll + 12345678901ll, "ns -> 100 ns units");
	tap_eq(hvhost_unix_ns_to_filetime(-150), 116444736000000000ll - 2,
	       "negative times round down");
	tap_eq(hvhost_filetime_to_unix_ns(116444736000000001ll), 100, "and back");
	tap_ok(!hvhost_parse_iso8601("2030-01-02T03:04:05Z", &ns) &&
	       ns == 1893553445ll * 1000000000, "ISO 8601 UTC");
	tap_ok(!hvhost_parse_iso8601("2030-01-02T04:04:05.25+01:00", &ns) &&
	       ns == 1893553445ll * 1000000000 + 250000000,
	       "ISO 8601 with fraction and offset");
	tap_ok(!hvhost_parse_iso8601("1969-12-31T23:00:00Z", &ns) &&
	       ns == -3600ll * 1000000000, "before 1970");
	tap_eq(hvhost_parse_iso8601("2030-13-02T03:04:05Z", &ns), -EINVAL,
	       "month 13 rejected");
	tap_eq(hvhost_parse_iso8601("2030-01-02T03:04:05Zjunk", &ns), -EINVAL,
	       "trailing junk rejected");
}

int main(void)
{
	test_framing();
	test_negotiate();
	test_bodies();
	test_kvp();
	test_vss_fcopy();
	test_tables();
	return tap_done();
}
