// SPDX-License-Identifier: GPL-2.0
/* Negotiation: reply parsing offline, then full exchanges with a mock guest. */
#include <errno.h>
#include <stdlib.h>

#include "hvhost.h"
#include "mock_sim.h"
#include "tap.h"

#define V(a, b)	HVHOST_VERSION(a, b)

static const uint32_t fw[] = { V(1, 0), V(3, 0) };
static const uint32_t srv[] = { V(1, 0), V(3, 0), V(4, 0) };
static const struct hvhost_verlist F = { fw, 2 }, S = { srv, 3 };
static uint8_t pkt[4096];

static void set16(size_t off, uint16_t v)
{
	pkt[off] = v;
	pkt[off + 1] = v >> 8;
}

/* A guest reply choosing fw a.b / srv c.d (counts 1/1), length 28+16. */
static size_t reply(uint16_t fa, uint16_t fb, uint16_t sa, uint16_t sb)
{
	int len = hvhost_build_negotiate(pkt, sizeof(pkt), F, S, 1);

	pkt[25] = 0x5;
	set16(18, 0x10);
	set16(28, 1);
	set16(30, 1);
	set16(36, fa);
	set16(38, fb);
	set16(40, sa);
	set16(42, sb);
	return len;
}

static void test_parse(void)
{
	struct hvhost_nego n;
	size_t len;

	len = reply(3, 0, 4, 0);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), 0, "valid 1/1 reply");
	tap_ok(n.agreed && n.fw_version == V(3, 0) && n.srv_version == V(4, 0),
	       "  chose fw 3.0, srv 4.0");
	tap_eq(hvhost_parse_negotiate(pkt, 28 + 16, F, S, &n), 0,
	       "exactly 16 body bytes are enough");

	len = reply(0, 0, 0, 0);
	set16(28, 0);
	set16(30, 0);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), 0, "0/0 reply is valid");
	tap_ok(!n.agreed, "  and means no common version");

	len = reply(3, 0, 4, 0);
	tap_eq(hvhost_parse_negotiate(pkt, 28 + 15, F, S, &n), -EBADMSG,
	       "1/1 reply truncated to 15 body bytes is -EBADMSG");
	tap_eq(hvhost_parse_negotiate(pkt, 28 + 7, F, S, &n), -EBADMSG,
	       "reply without room for the counts is -EBADMSG");
	tap_eq(hvhost_parse_negotiate(pkt, 20, F, S, &n), -EBADMSG,
	       "reply shorter than the IC header is -EBADMSG");

	len = reply(2, 0, 4, 0);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), -EPROTO,
	       "framework version we did not offer is -EPROTO");
	len = reply(3, 0, 5, 0);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), -EPROTO,
	       "service version we did not offer is -EPROTO");
	len = reply(3, 0, 4, 0);
	set16(28, 2);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), -EPROTO,
	       "counts 2/1 are -EPROTO");
	len = reply(3, 0, 4, 0);
	set16(30, 0);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), -EPROTO,
	       "counts 1/0 are -EPROTO");
	len = reply(3, 0, 4, 0);
	pkt[25] = 0x3;
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), -EPROTO,
	       "reply without RESPONSE flag is -EPROTO");
	len = reply(3, 0, 4, 0);
	set16(12, 1);
	tap_eq(hvhost_parse_negotiate(pkt, len, F, S, &n), -EPROTO,
	       "reply of type HEARTBEAT is -EPROTO");
	len = reply(3, 0, 4, 0);
	pkt[20] = 0x05, pkt[21] = 0x40, pkt[23] = 0x80;
	tap_ok(!hvhost_parse_negotiate(pkt, len, F, S, &n) && n.status == HV_E_FAIL,
	       "status of the reply is reported");
}

/* Linux 6.1 TimeSync guest: fw {3.0,1.0}, srv {4.0,3.0,1.0}. */
static void ts_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	static const uint32_t gfw[] = { V(3, 0), V(1, 0) };
	static const uint32_t gsrv[] = { V(4, 0), V(3, 0), V(1, 0) };

	if (p[12] == 0)
		mock_negotiate(p, len, gfw, 2, gsrv, 3);
	mock_respond(ch, req, p, len, 0);
}

/* A broken guest choosing a version nobody offered. */
static void liar_guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	static const uint32_t any[] = { V(3, 0) };

	mock_negotiate(p, len, any, 1, any, 1);
	p[28 + 12] = 9;
	mock_respond(ch, req, p, len, 0);
}

static void test_exchange(void)
{
	const struct hvhost_service_info *ts = hvhost_service_info(HVHOST_TIMESYNC);
	static const uint32_t gaps[] = { V(2, 0), V(5, 0) };
	static const uint32_t v3only[] = { V(1, 0), V(3, 0) };
	struct hvhost_verlist G = { gaps, 2 }, none = { NULL, 0 };
	struct hvhost_chandata cd;
	struct hvhost_nego n;
	struct mock_chan *ch;
	struct hvhost *h;
	uint32_t id, f, s, *big;
	int i;

	tap_eq(hvhost_open(&h, "/dev/null"), 0, "open (mock device)");
	ch = mock_add(ts->class_guid, ts_guest);
	tap_eq(hvhost_find(h, HVHOST_TIMESYNC, &id), 0, "find the timesync channel");
	tap_eq(id, ch->id, "  its id");
	tap_eq(hvhost_negotiated(h, id, &f, &s), -ENOPROTOOPT,
	       "not negotiated before NEGOTIATE");

	tap_eq(hvhost_negotiate(h, id, F, S, &n), 0, "negotiate ws2016-like lists");
	tap_ok(n.agreed && n.fw_version == V(3, 0) && n.srv_version == V(4, 0),
	       "  guest picks its first choices: 3.0 / 4.0");
	tap_eq(ch->last_len, 28 + 8 + 4 * 5, "  NEGOTIATE sent with 5 versions");
	tap_eq(ch->last[8 + 17], 0x3, "  icflags 0x3 on the wire");
	tap_ok(!hvhost_negotiated(h, id, &f, &s) && f == V(3, 0) && s == V(4, 0),
	       "versions kept in HOSTDATA for later invocations");
	tap_ok(!hvhost_chandata_get(h, id, &cd) && cd.magic == HVHOST_CD_MAGIC &&
	       cd.open_count == 1 && (cd.flags & HVHOST_CD_NEGOTIATED),
	       "chandata: magic, open_count, NEGOTIATED");

	tap_eq(hvhost_negotiate(h, id, F, (struct hvhost_verlist){ v3only, 2 }, &n),
	       0, "negotiate without 4.0");
	tap_eq(n.srv_version, V(3, 0), "  falls back to 3.0");

	tap_eq(hvhost_negotiate(h, id, F, G, &n), 0, "service list with gaps {2.0,5.0}");
	tap_ok(!n.agreed, "  no common version (0/0)");
	tap_eq(hvhost_negotiated(h, id, &f, &s), -ENOPROTOOPT,
	       "  and the old versions are forgotten");

	tap_eq(hvhost_negotiate(h, id, none, none, &n), 0, "empty lists");
	tap_ok(!n.agreed, "  answered 0/0");

	big = calloc(101, sizeof(*big));
	for (i = 0; i < 101; i++)
		big[i] = V(3, 0);
	tap_eq(hvhost_negotiate(h, id, (struct hvhost_verlist){ big, 101 }, S, &n),
	       0, "101 framework versions");
	tap_ok(!n.agreed, "  refused by a Linux-rule guest (limit 100)");
	tap_eq(hvhost_negotiate(h, id, (struct hvhost_verlist){ big, 100 }, S, &n),
	       0, "100 framework versions");
	tap_ok(n.agreed, "  accepted");
	free(big);

	tap_eq(hvhost_ensure_negotiated(h, id, HVHOST_TIMESYNC,
					hvhost_host_model(HVHOST_WS2012), &n), 0,
	       "ensure_negotiated keeps valid versions");
	tap_eq(n.srv_version, V(4, 0), "  (still 4.0 from the last exchange)");
	ch->open_count++;	/* guest reloaded: versions are stale */
	tap_eq(hvhost_ensure_negotiated(h, id, HVHOST_TIMESYNC,
					hvhost_host_model(HVHOST_WS2012), &n), 0,
	       "ensure_negotiated after the guest reopened");
	tap_eq(n.srv_version, V(3, 0), "  renegotiated with ws2012's lists: 3.0");
	ch->open_count++;
	tap_eq(hvhost_ensure_negotiated(h, id, HVHOST_VSS,
					hvhost_host_model(HVHOST_WS2012), &n), -ENOTSUP,
	       "ws2012 does not offer VSS (on a fresh open)");

	ch->guest = liar_guest;
	tap_eq(hvhost_negotiate(h, id, F, S, &n), -EPROTO,
	       "guest choosing an unoffered version is -EPROTO");
	hvhost_close(h);
	mock_reset();
}

int main(void)
{
	test_parse();
	test_exchange();
	return tap_done();
}
