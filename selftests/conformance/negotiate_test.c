// SPDX-License-Identifier: GPL-2.0
/*
 * Version negotiation, for every service and host generation: the guest
 * must pick the newest framework and service versions both sides speak,
 * answer 0/0 when there is none, and cope with host lists that have gaps or
 * are too long.  Each test leaves the channel negotiated with the newest
 * host model, as the other suites expect.
 */
#include "kselftest_harness.h"
#include "rig.h"

#define V(maj, min)	HVHOST_VERSION(maj, min)
#define LIST(...)	((struct hvhost_verlist){ (const uint32_t[]){ __VA_ARGS__ }, \
			 sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t) })

FIXTURE(nego) {
	struct hvhost *h;
	uint32_t id;
	const struct hvhost_host_model *model;
};

FIXTURE_VARIANT(nego) {
	enum hvhost_service svc;
	const char *name;
	enum hvhost_generation gen;
	uint32_t fw;		/* expected framework version */
	uint32_t srv;		/* expected service version */
};

#define NEGO_VARIANT(_svc, _name, _gen, _gname, _fw, _srv)		\
	FIXTURE_VARIANT_ADD(nego, _name##_##_gname) {			\
		.svc = _svc, .name = #_name, .gen = _gen,		\
		.fw = _fw, .srv = _srv,					\
	}

NEGO_VARIANT(HVHOST_HEARTBEAT, heartbeat, HVHOST_WS2012, ws2012, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_HEARTBEAT, heartbeat, HVHOST_WS2012R2, ws2012r2, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_HEARTBEAT, heartbeat, HVHOST_WS2016, ws2016, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_SHUTDOWN, shutdown, HVHOST_WS2012, ws2012, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_SHUTDOWN, shutdown, HVHOST_WS2012R2, ws2012r2, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_SHUTDOWN, shutdown, HVHOST_WS2016, ws2016, V(3, 0), V(3, 2));
NEGO_VARIANT(HVHOST_TIMESYNC, timesync, HVHOST_WS2012, ws2012, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_TIMESYNC, timesync, HVHOST_WS2012R2, ws2012r2, V(3, 0), V(3, 0));
NEGO_VARIANT(HVHOST_TIMESYNC, timesync, HVHOST_WS2016, ws2016, V(3, 0), V(4, 0));
NEGO_VARIANT(HVHOST_KVP, kvp, HVHOST_WS2012, ws2012, V(3, 0), V(4, 0));
NEGO_VARIANT(HVHOST_KVP, kvp, HVHOST_WS2012R2, ws2012r2, V(3, 0), V(4, 0));
NEGO_VARIANT(HVHOST_KVP, kvp, HVHOST_WS2016, ws2016, V(3, 0), V(4, 0));
NEGO_VARIANT(HVHOST_VSS, vss, HVHOST_WS2012R2, ws2012r2, V(3, 0), V(5, 0));
NEGO_VARIANT(HVHOST_VSS, vss, HVHOST_WS2016, ws2016, V(3, 0), V(5, 0));
NEGO_VARIANT(HVHOST_FCOPY, fcopy, HVHOST_WS2012R2, ws2012r2, V(3, 0), V(1, 1));
NEGO_VARIANT(HVHOST_FCOPY, fcopy, HVHOST_WS2016, ws2016, V(3, 0), V(1, 1));

FIXTURE_SETUP(nego)
{
	if (!rig_has_service(variant->name))
		RIG_SETUP_SKIP("target %s has no %s service", rig_target(), variant->name);
	self->model = hvhost_host_model(variant->gen);
	ASSERT_NE(NULL, self->model);
	ASSERT_EQ(0, rig_open_service(&self->h, variant->svc, &self->id));
	/* KVP answers only once its daemon registered. */
	hvhost_set_timeout(self->h, 15000);
}

FIXTURE_TEARDOWN(nego)
{
	struct hvhost_nego n;

	if (!self->h)
		return;
	/* Leave the channel as the other suites expect it. */
	hvhost_negotiate_model(self->h, self->id, variant->svc,
			       hvhost_host_model(HVHOST_DEFAULT_GENERATION), &n);
	hvhost_close(self->h);
}

/* The host generation's lists: the guest picks the newest common versions. */
TEST_F(nego, host_generation)
{
	struct hvhost_nego n = { 0 };
	uint32_t fw, srv;

	ASSERT_EQ(0, hvhost_negotiate_model(self->h, self->id, variant->svc,
					    self->model, &n));
	ASSERT_TRUE(n.agreed);
	EXPECT_EQ(HV_S_OK, n.status);
	EXPECT_EQ(variant->fw, n.fw_version);
	EXPECT_EQ(variant->srv, n.srv_version);
	/* What later one-shot host tools will use. */
	ASSERT_EQ(0, hvhost_negotiated(self->h, self->id, &fw, &srv));
	EXPECT_EQ(variant->srv, srv);
}

/* No service version in common: the guest answers 0/0, not a guess. */
TEST_F(nego, no_common_service_version)
{
	struct hvhost_nego n = { 0 };

	ASSERT_EQ(0, hvhost_negotiate(self->h, self->id, self->model->fw,
				      LIST(V(0, 7), V(9, 9)), &n));
	EXPECT_FALSE(n.agreed);
}

/* No framework version in common. */
TEST_F(nego, no_common_framework_version)
{
	struct hvhost_nego n = { 0 };

	ASSERT_EQ(0, hvhost_negotiate(self->h, self->id, LIST(V(2, 0), V(7, 0)),
				      self->model->srv[variant->svc], &n));
	EXPECT_FALSE(n.agreed);
}

/* Versions the guest doesn't know, around the one it does, in any order. */
TEST_F(nego, gaps_in_host_list)
{
	struct hvhost_nego n = { 0 };

	ASSERT_EQ(0, hvhost_negotiate(self->h, self->id,
				      LIST(V(9, 0), variant->fw, V(0, 1)),
				      LIST(V(99, 0), variant->srv, V(0, 5)), &n));
	ASSERT_TRUE(n.agreed);
	EXPECT_EQ(variant->fw, n.fw_version);
	EXPECT_EQ(variant->srv, n.srv_version);
}

/* A count past the protocol's limit of 100 is refused, even with a match. */
TEST_F(nego, version_count_over_100)
{
	uint32_t many[101];
	struct hvhost_nego n = { 0 };
	size_t i;

	for (i = 0; i < 101; i++)
		many[i] = V(50, i);
	many[100] = variant->fw;
	ASSERT_EQ(0, hvhost_negotiate(self->h, self->id,
				      (struct hvhost_verlist){ many, 101 },
				      self->model->srv[variant->svc], &n));
	EXPECT_FALSE(n.agreed);
}

/* Exactly 100 versions is still valid. */
TEST_F(nego, version_count_100)
{
	uint32_t many[100];
	struct hvhost_nego n = { 0 };
	size_t i;

	for (i = 0; i < 100; i++)
		many[i] = V(60, i);
	many[99] = variant->srv;
	ASSERT_EQ(0, hvhost_negotiate(self->h, self->id, self->model->fw,
				      (struct hvhost_verlist){ many, 100 }, &n));
	ASSERT_TRUE(n.agreed);
	EXPECT_EQ(variant->srv, n.srv_version);
}

TEST_HARNESS_MAIN
