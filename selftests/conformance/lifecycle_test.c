// SPDX-License-Identifier: GPL-2.0
/*
 * Channel life cycle as an administrator causes it: disabling a service in
 * Hyper-V Manager rescinds its channel (the driver must let go of it
 * promptly and cleanly, daemons included), enabling it again re-offers it
 * (the driver must bind and work again), and a host too old for a service
 * gets no driver for it.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

FIXTURE(lc) {
	struct hvhost *h;
};

FIXTURE_VARIANT(lc) {
	enum hvhost_service svc;
	const char *name;
	bool has_daemon;
};

FIXTURE_VARIANT_ADD(lc, heartbeat) { .svc = HVHOST_HEARTBEAT, .name = "heartbeat" };
FIXTURE_VARIANT_ADD(lc, shutdown) { .svc = HVHOST_SHUTDOWN, .name = "shutdown" };
FIXTURE_VARIANT_ADD(lc, timesync) { .svc = HVHOST_TIMESYNC, .name = "timesync" };
FIXTURE_VARIANT_ADD(lc, kvp) { .svc = HVHOST_KVP, .name = "kvp", .has_daemon = true };
FIXTURE_VARIANT_ADD(lc, vss) { .svc = HVHOST_VSS, .name = "vss", .has_daemon = true };
FIXTURE_VARIANT_ADD(lc, fcopy) { .svc = HVHOST_FCOPY, .name = "fcopy", .has_daemon = true };

FIXTURE_SETUP(lc)
{
	if (!rig_has_service(variant->name))
		RIG_SETUP_SKIP("target %s has no %s service", rig_target(), variant->name);
	ASSERT_EQ(0, hvhost_open(&self->h, NULL));
}

FIXTURE_TEARDOWN(lc)
{
	if (self->h)
		hvhost_close(self->h);
}

static bool sysfs_device(const uint8_t inst[16], const char *leaf)
{
	char guid[37], path[128];
	struct stat st;

	hvhost_guid_format(inst, guid);
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s%s", guid, leaf);
	return stat(path, &st) == 0;
}

/* Disable the service while idle, then enable it again. */
TEST_F_TIMEOUT(lc, rescind_idle_then_reoffer, 60)
{
	struct vmbus_sim_status st;
	uint32_t id, state = 0;

	ASSERT_EQ(0, hvhost_find(self->h, variant->svc, &id));
	ASSERT_EQ(0, hvhost_wait_open(self->h, id, 10000));
	ASSERT_EQ(0, hvhost_status(self->h, id, &st));
	ASSERT_TRUE(sysfs_device(st.instance_guid, "/driver"));
	rig_dmesg_mark();

	ASSERT_EQ(0, hvhost_rescind(self->h, id, 0));
	/* daemons must notice the device going away and release it */
	ASSERT_EQ(0, hvhost_wait_state(self->h, id, VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE),
				       15000, &state)) {
		TH_LOG("%s still not released (state %u)", variant->name, state);
	}
	EXPECT_FALSE(sysfs_device(st.instance_guid, ""));
	EXPECT_EQ(0, rig_dmesg_problems());

	ASSERT_EQ(0, hvhost_offer(self->h, variant->svc, &id));
	ASSERT_EQ(0, hvhost_wait_open(self->h, id, 10000));
	ASSERT_EQ(0, hvhost_status(self->h, id, &st));
	EXPECT_TRUE(sysfs_device(st.instance_guid, "/driver"));
	if (!variant->has_daemon) {
		/* It works again; services with daemons wait for theirs. */
		ASSERT_EQ(0, hvhost_ensure_negotiated(self->h, id, variant->svc,
						      hvhost_host_model(HVHOST_DEFAULT_GENERATION),
						      NULL));
	}
	EXPECT_EQ(0, rig_dmesg_problems());
}

/*
 * Backup needs a Windows Server 2012 R2 host or newer (VMBus 3.0): on an
 * older host the service gets no driver and no /dev/vmbus/hv_vss.
 */
TEST(vss_needs_ws2012r2_host)
{
	const struct hvhost_host_model *old = hvhost_host_model(HVHOST_WS2012);
	struct vmbus_sim_status st;
	uint32_t id, saved = 0;
	struct hvhost *h;
	struct stat sb;

	if (!rig_has_service("vss"))
		SKIP(return, "target %s has no vss service", rig_target());
	ASSERT_EQ(0, hvhost_open(&h, NULL));
	/* One VSS device at a time, like a real VM. */
	while (!hvhost_find(h, HVHOST_VSS, &id))
		ASSERT_EQ(0, hvhost_rescind(h, id, 15000));
	ASSERT_EQ(0, hvhost_get_vmbus_version(h, &saved));
	ASSERT_EQ(0, hvhost_set_vmbus_version(h, old->vmbus_version));

	ASSERT_EQ(0, hvhost_offer(h, HVHOST_VSS, &id));
	EXPECT_EQ(-ETIMEDOUT, hvhost_wait_open(h, id, 3000));
	ASSERT_EQ(0, hvhost_status(h, id, &st));
	EXPECT_EQ(VMBUS_SIM_OFFERED, st.state);
	EXPECT_STREQ("", st.driver);
	EXPECT_NE(0, stat("/dev/vmbus/hv_vss", &sb));
	ASSERT_EQ(0, hvhost_rescind(h, id, 15000));

	/* The same offer on a new enough host is taken. */
	ASSERT_EQ(0, hvhost_set_vmbus_version(h, saved));
	ASSERT_EQ(0, hvhost_offer(h, HVHOST_VSS, &id));
	EXPECT_EQ(0, hvhost_wait_open(h, id, 10000));
	hvhost_close(h);
}

TEST_HARNESS_MAIN
