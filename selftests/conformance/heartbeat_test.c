// SPDX-License-Identifier: GPL-2.0
/*
 * Heartbeat: every host heartbeat is answered with sequence + 1, in order,
 * none lost; Get-VM's "Operating normally" / "Lost communication" follow the
 * guest's state, including across a suspend/resume of the driver.
 */
#include "kselftest_harness.h"
#include "rig.h"

FIXTURE(hb) {
	struct hvhost *h;
	uint32_t id;
};

FIXTURE_SETUP(hb)
{
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_HEARTBEAT,
					 HVHOST_DEFAULT_GENERATION, &self->id));
}

FIXTURE_TEARDOWN(hb)
{
	if (self->h)
		hvhost_close(self->h);
}

TEST_F(hb, answers_seq_plus_one)
{
	uint64_t reply = 0;
	uint32_t status = ~0u;

	ASSERT_EQ(0, hvhost_heartbeat(self->h, self->id, 41, &reply, &status));
	EXPECT_EQ(HV_S_OK, status);
	EXPECT_EQ(42, reply);
}

/* Hyper-V sends one every few seconds for the VM's whole life. */
TEST_F(hb, thousand_in_a_row)
{
	uint64_t seq, reply;
	uint32_t status;
	int bad = 0;

	for (seq = 1000; seq < 2000; seq++) {
		reply = 0;
		status = ~0u;
		ASSERT_EQ(0, hvhost_heartbeat(self->h, self->id, seq, &reply, &status));
		if (status != HV_S_OK || reply != seq + 1)
			bad++;
	}
	EXPECT_EQ(0, bad);
}

TEST_F(hb, sequence_wraps)
{
	uint64_t reply = 1;
	uint32_t status = ~0u;

	ASSERT_EQ(0, hvhost_heartbeat(self->h, self->id, UINT64_MAX, &reply, &status));
	EXPECT_EQ(HV_S_OK, status);
	EXPECT_EQ(0, reply);
}

/* A message type the service doesn't have is answered with a failure. */
TEST_F(hb, unknown_message_type_fails)
{
	uint8_t body[HVHOST_HEARTBEAT_BODY] = { 0 };
	uint32_t status = 0;

	ASSERT_EQ(0, hvhost_transact(self->h, self->id, 9, body, sizeof(body),
				     NULL, NULL, &status));
	EXPECT_EQ(HV_E_FAIL, status);
	/* and the service keeps working */
	ASSERT_EQ(0, hvhost_heartbeat(self->h, self->id, 7, NULL, &status));
	EXPECT_EQ(HV_S_OK, status);
}

TEST_F(hb, vm_status_operating_normally)
{
	enum hvhost_health health = HVHOST_HEALTH_LOST;

	ASSERT_EQ(0, hvhost_heartbeat_health(self->h, &health));
	EXPECT_EQ(HVHOST_HEALTH_OK, health);
	EXPECT_STREQ("Operating normally", hvhost_health_str(health));
}

/*
 * Around hibernation hv_vmbus suspends the driver (it closes the channel)
 * and resumes it (it opens it again); the host negotiates afresh and the
 * heartbeat is back.
 */
TEST_F(hb, suspend_resume)
{
	enum hvhost_health health = HVHOST_HEALTH_OK;
	uint32_t status = ~0u;
	uint64_t reply = 0;

	ASSERT_EQ(0, hvhost_pm(self->h, self->id, VMBUS_SIM_PM_SUSPEND));
	ASSERT_EQ(0, hvhost_wait_state(self->h, self->id,
				       VMBUS_SIM_STATE_BIT(VMBUS_SIM_CLOSED), 5000, NULL));
	ASSERT_EQ(0, hvhost_heartbeat_health(self->h, &health));
	EXPECT_NE(HVHOST_HEALTH_OK, health);

	ASSERT_EQ(0, hvhost_pm(self->h, self->id, VMBUS_SIM_PM_RESUME));
	ASSERT_EQ(0, hvhost_wait_open(self->h, self->id, 5000));
	ASSERT_EQ(0, hvhost_ensure_negotiated(self->h, self->id, HVHOST_HEARTBEAT,
					      hvhost_host_model(HVHOST_DEFAULT_GENERATION),
					      NULL));
	ASSERT_EQ(0, hvhost_heartbeat(self->h, self->id, 100, &reply, &status));
	EXPECT_EQ(HV_S_OK, status);
	EXPECT_EQ(101, reply);
}

TEST_HARNESS_MAIN
