// SPDX-License-Identifier: GPL-2.0
/*
 * Time sync, protocol v3 (WS2012) and v4 (WS2016+): SYNC steps the guest
 * clock to the host's time, v4 corrected for the delay between the host
 * sampling and the guest handling it; SAMPLE doesn't step the clock but feeds
 * the "hyperv" PTP clock that chrony's "refclock PHC" reads.
 *
 * The host's clock is modelled as the guest's CLOCK_REALTIME at the start of
 * each test plus an offset, advancing with CLOCK_MONOTONIC; the guest clock is
 * put back at the end of every test.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

#define MS	1000000LL
#define HOUR	(3600LL * 1000 * MS)

FIXTURE(ts) {
	struct hvhost *h;
	uint32_t id;
	int64_t real0, mono0;	/* guest clocks when the test started */
};

FIXTURE_VARIANT(ts) {
	enum hvhost_generation gen;
	uint32_t version;	/* expected negotiated version */
	int64_t tolerance;	/* ns */
};

FIXTURE_VARIANT_ADD(ts, v3) {
	.gen = HVHOST_WS2012, .version = HVHOST_VERSION(3, 0), .tolerance = 50 * MS,
};

FIXTURE_VARIANT_ADD(ts, v4) {
	.gen = HVHOST_WS2016, .version = HVHOST_VERSION(4, 0), .tolerance = 10 * MS,
};

FIXTURE_SETUP(ts)
{
	struct hvhost_nego n = { 0 };

	ASSERT_EQ(0, rig_open_service(&self->h, HVHOST_TIMESYNC, &self->id));
	ASSERT_EQ(0, hvhost_negotiate_model(self->h, self->id, HVHOST_TIMESYNC,
					    hvhost_host_model(variant->gen), &n));
	ASSERT_TRUE(n.agreed);
	ASSERT_EQ(variant->version, n.srv_version);
	self->mono0 = rig_now_ns(CLOCK_MONOTONIC);
	self->real0 = rig_now_ns(CLOCK_REALTIME);
}

FIXTURE_TEARDOWN(ts)
{
	struct hvhost_nego n;
	struct timespec t;
	int64_t now;

	if (!self->h)
		return;
	now = self->real0 + rig_now_ns(CLOCK_MONOTONIC) - self->mono0;
	t.tv_sec = now / 1000000000LL;
	t.tv_nsec = now % 1000000000LL;
	clock_settime(CLOCK_REALTIME, &t);
	hvhost_negotiate_model(self->h, self->id, HVHOST_TIMESYNC,
			       hvhost_host_model(HVHOST_DEFAULT_GENERATION), &n);
	hvhost_close(self->h);
}

/* The host's clock now, in unix ns: the test's start plus offset, running. */
static int64_t host_now(const FIXTURE_DATA(ts) *self, int64_t offset)
{
	return self->real0 + offset + rig_now_ns(CLOCK_MONOTONIC) - self->mono0;
}

/* Send one message carrying the host's time (sampled delay_ms earlier). */
static int send_time(FIXTURE_DATA(ts) *self, uint8_t flags, int64_t offset,
		     unsigned int delay_ms, uint32_t *status)
{
	struct hvhost_timesync_req req = {
		.flags = flags,
		.absolute = true,
		.parenttime = hvhost_unix_ns_to_filetime(host_now(self, offset)),
		.delay_ms = delay_ms,
	};
	struct hvhost_timesync_result res = { 0 };
	int ret = hvhost_timesync(self->h, self->id, &req, &res);

	*status = res.status;
	return ret;
}

/* Wait (up to 2 s) for the guest clock to come within tol of the host's. */
static int64_t settle(FIXTURE_DATA(ts) *self, int64_t offset, int64_t tol)
{
	int64_t err = 0;
	int i;

	for (i = 0; i < 100; i++) {
		err = rig_now_ns(CLOCK_REALTIME) - host_now(self, offset);
		if (rig_abs64(err) <= tol)
			break;
		usleep(20000);
	}
	return err;
}

TEST_F(ts, sync_steps_clock_forward)
{
	uint32_t status = ~0u;
	int64_t err;

	ASSERT_EQ(0, send_time(self, HVHOST_TS_SYNC, HOUR, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	err = settle(self, HOUR, variant->tolerance);
	TH_LOG("guest - host after SYNC: %lld us", (long long)err / 1000);
	EXPECT_LE(rig_abs64(err), variant->tolerance);
}

TEST_F(ts, sync_steps_clock_back)
{
	uint32_t status = ~0u;
	int64_t err, offset = -30 * 24 * HOUR;

	ASSERT_EQ(0, send_time(self, HVHOST_TS_SYNC, offset, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	err = settle(self, offset, variant->tolerance);
	EXPECT_LE(rig_abs64(err), variant->tolerance);
}

/*
 * The host sampled its clock 300 ms before the guest handles the message.
 * v4 carries the reference time of the sample and the guest adds the time
 * elapsed since; v3 can't, so its clock ends up behind by the delay.
 */
TEST_F(ts, sync_delivery_delay)
{
	uint32_t status = ~0u;
	int64_t err;

	ASSERT_EQ(0, send_time(self, HVHOST_TS_SYNC, HOUR, 300, &status));
	EXPECT_EQ(HV_S_OK, status);
	if (variant->version >= HVHOST_VERSION(4, 0)) {
		err = settle(self, HOUR, variant->tolerance);
		TH_LOG("v4 error with 300 ms delivery delay: %lld us", (long long)err / 1000);
		EXPECT_LE(rig_abs64(err), variant->tolerance);
	} else {
		err = settle(self, HOUR - 300 * MS, variant->tolerance);
		EXPECT_LE(rig_abs64(err), variant->tolerance);
	}
}

/* SAMPLE is a hint for the PTP clock, not an order to step. */
TEST_F(ts, sample_does_not_step)
{
	uint32_t status = ~0u;
	int64_t err;

	ASSERT_EQ(0, send_time(self, HVHOST_TS_SAMPLE, HOUR, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	usleep(500000);
	err = rig_now_ns(CLOCK_REALTIME) - host_now(self, 0);
	EXPECT_LE(rig_abs64(err), 100 * MS);
}

/* chrony's view: the "hyperv" PTP clock reads the host's time. */
TEST_F(ts, ptp_clock_reads_host_time)
{
	int64_t offset = 1234 * 1000 * MS, ptp = 0, err;
	uint32_t status = ~0u;
	int fd = rig_ptp_open("hyperv");

	ASSERT_LE(0, fd) {
		TH_LOG("no PTP clock named hyperv: %d", fd);
	}
	ASSERT_EQ(0, send_time(self, HVHOST_TS_SAMPLE, offset, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	usleep(100000);
	ASSERT_EQ(0, rig_ptp_read_ns(fd, &ptp));
	err = ptp - host_now(self, offset);
	TH_LOG("ptp - host: %lld us", (long long)err / 1000);
	EXPECT_LE(rig_abs64(err), variant->tolerance);
	/* and it keeps running with the reference counter */
	usleep(200000);
	ASSERT_EQ(0, rig_ptp_read_ns(fd, &ptp));
	err = ptp - host_now(self, offset);
	EXPECT_LE(rig_abs64(err), variant->tolerance);
	close(fd);
}

#define IMPLICIT "/sys/module/hv_utils/parameters/timesync_implicit"

static int write_param(const char *val)
{
	FILE *f = fopen(IMPLICIT, "we");
	int ret;

	if (!f)
		return -1;
	ret = fputs(val, f) < 0;
	return fclose(f) || ret ? -1 : 0;
}

/*
 * timesync_implicit (Linux 6.12's name and meaning): hosts may skip the SYNC
 * after a resume, so a SAMPLE steps the clock when the guest is 5 s or more
 * behind the host -- and only then: never back, never for a small drift.
 */
TEST_F(ts, implicit_sync_only_catches_up)
{
	uint32_t status = ~0u;
	int64_t err;

	if (access(IMPLICIT, F_OK))
		SKIP(return, "target %s has no timesync_implicit parameter", rig_target());
	ASSERT_EQ(0, write_param("Y"));

	/* 10 s behind: caught up */
	ASSERT_EQ(0, send_time(self, HVHOST_TS_SAMPLE, 10000 * MS, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	err = settle(self, 10000 * MS, variant->tolerance);
	EXPECT_LE(rig_abs64(err), variant->tolerance);

	/* now 10 s ahead of the host: not stepped back */
	ASSERT_EQ(0, send_time(self, HVHOST_TS_SAMPLE, 0, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	usleep(500000);
	err = rig_now_ns(CLOCK_REALTIME) - host_now(self, 10000 * MS);
	EXPECT_LE(rig_abs64(err), 100 * MS) {
		TH_LOG("a SAMPLE from a host 10 s behind moved the clock by %lld ms",
		       (long long)err / MS);
	}

	/* 2 s behind: a drift for chrony, not a step */
	ASSERT_EQ(0, send_time(self, HVHOST_TS_SAMPLE, 12000 * MS, 0, &status));
	EXPECT_EQ(HV_S_OK, status);
	usleep(500000);
	err = rig_now_ns(CLOCK_REALTIME) - host_now(self, 10000 * MS);
	EXPECT_LE(rig_abs64(err), 100 * MS);

	write_param("N");
}

TEST_HARNESS_MAIN
