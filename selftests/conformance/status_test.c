// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs status of our module, as an unprivileged user or a monitoring agent
 * reads it: /sys/bus/vmbus/devices/<instance>/hvic/.  Every attribute is
 * world-readable and tracks what the host actually did.  Stock hv_utils has
 * no such status.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

FIXTURE(st) {
	struct hvhost *h;
	uint32_t id;
	char dir[128];		/* .../devices/<instance>/hvic */
};

FIXTURE_VARIANT(st) {
	enum hvhost_service svc;
	const char *name;
};

FIXTURE_VARIANT_ADD(st, heartbeat) { .svc = HVHOST_HEARTBEAT, .name = "heartbeat" };
FIXTURE_VARIANT_ADD(st, shutdown) { .svc = HVHOST_SHUTDOWN, .name = "shutdown" };
FIXTURE_VARIANT_ADD(st, timesync) { .svc = HVHOST_TIMESYNC, .name = "timesync" };

FIXTURE_SETUP(st)
{
	struct vmbus_sim_status s;
	char guid[37];

	if (!rig_target_is("ours"))
		RIG_SETUP_SKIP("target %s has no hvic sysfs status", rig_target());
	ASSERT_EQ(0, rig_open_negotiated(&self->h, variant->svc,
					 HVHOST_DEFAULT_GENERATION, &self->id));
	ASSERT_EQ(0, hvhost_status(self->h, self->id, &s));
	hvhost_guid_format(s.instance_guid, guid);
	snprintf(self->dir, sizeof(self->dir), "/sys/bus/vmbus/devices/%s/hvic", guid);
}

FIXTURE_TEARDOWN(st)
{
	if (self->h)
		hvhost_close(self->h);
}

/* One attribute's value, without the newline ("" if unreadable). */
static const char *attr(FIXTURE_DATA(st) *self, const char *name)
{
	static char val[256];
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	val[0] = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return val;
	n = read(fd, val, sizeof(val) - 1);
	close(fd);
	val[n > 0 ? n : 0] = 0;
	val[strcspn(val, "\n")] = 0;
	return val;
}

static long long attr_ll(FIXTURE_DATA(st) *self, const char *name)
{
	return strtoll(attr(self, name), NULL, 0);
}

/* Read every attribute as "nobody": all must be 0444 and non-empty. */
TEST_F(st, readable_without_root)
{
	int status = -1;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dirent *de;
		DIR *d;
		int n = 0;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		d = opendir(self->dir);
		if (!d)
			_exit(11);
		while ((de = readdir(d))) {
			struct stat sb;
			char path[512];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", self->dir, de->d_name);
			if (stat(path, &sb) || (sb.st_mode & 0777) != 0444)
				_exit(12);
			if (!attr(self, de->d_name)[0])
				_exit(13);
			n++;
		}
		closedir(d);
		_exit(n >= 7 ? 0 : 14);
	}
	waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(st, identity_and_versions)
{
	uint32_t fw, srv;
	char want[16];

	EXPECT_STREQ(variant->name, attr(self, "service"));
	EXPECT_STREQ("negotiated", attr(self, "state"));
	ASSERT_EQ(0, hvhost_negotiated(self->h, self->id, &fw, &srv));
	snprintf(want, sizeof(want), "%u.%u", HVHOST_VER_MAJOR(fw), HVHOST_VER_MINOR(fw));
	EXPECT_STREQ(want, attr(self, "framework_version"));
	snprintf(want, sizeof(want), "%u.%u", HVHOST_VER_MAJOR(srv), HVHOST_VER_MINOR(srv));
	EXPECT_STREQ(want, attr(self, "service_version"));
}

/* A failed negotiation shows as such, and a good one brings it back. */
TEST_F(st, negotiation_state)
{
	static const uint32_t fw[] = { HVHOST_VERSION(3, 0) }, bogus[] = { HVHOST_VERSION(9, 9) };
	struct hvhost_nego n;

	ASSERT_EQ(0, hvhost_negotiate(self->h, self->id, (struct hvhost_verlist){ fw, 1 },
				      (struct hvhost_verlist){ bogus, 1 }, &n));
	ASSERT_FALSE(n.agreed);
	EXPECT_STREQ("waiting", attr(self, "state"));
	EXPECT_STREQ("none", attr(self, "service_version"));
	ASSERT_EQ(0, hvhost_negotiate_model(self->h, self->id, variant->svc,
					    hvhost_host_model(HVHOST_DEFAULT_GENERATION), &n));
	ASSERT_TRUE(n.agreed);
	EXPECT_STREQ("negotiated", attr(self, "state"));
}

/* Counters move with what the host sends, and only then. */
TEST_F(st, message_and_error_counters)
{
	uint8_t body[64] = { 0 };
	long long msgs = attr_ll(self, "messages"), errs = attr_ll(self, "errors");
	uint32_t status;

	ASSERT_EQ(0, hvhost_transact(self->h, self->id, 6, body, sizeof(body),
				     NULL, NULL, &status));
	EXPECT_EQ(HV_E_FAIL, status);
	EXPECT_EQ(msgs + 1, attr_ll(self, "messages"));
	EXPECT_EQ(errs + 1, attr_ll(self, "errors"));
}

TEST_F(st, service_fields)
{
	uint32_t status = ~0u;

	if (variant->svc == HVHOST_HEARTBEAT) {
		long long n = attr_ll(self, "heartbeats"), seen;
		struct timespec ts;

		ASSERT_EQ(0, hvhost_heartbeat(self->h, self->id, 777, NULL, &status));
		ASSERT_EQ(HV_S_OK, status);
		clock_gettime(CLOCK_BOOTTIME, &ts);
		EXPECT_EQ(777, attr_ll(self, "last_sequence"));
		EXPECT_EQ(n + 1, attr_ll(self, "heartbeats"));
		seen = attr_ll(self, "last_seen_ms");
		EXPECT_LE(seen, ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + 1);
		EXPECT_GE(seen, ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 - 2000);
	} else if (variant->svc == HVHOST_SHUTDOWN) {
		struct hvhost_shutdown_req req = { .flags = 0x8, .reason_code = 0x80000012 };

		ASSERT_EQ(0, hvhost_shutdown(self->h, self->id, &req, &status));
		EXPECT_EQ(HV_E_FAIL, status);
		EXPECT_STREQ("flags=0x8 reason=0x80000012 action=nothing",
			     attr(self, "last_request"));
	} else {
		struct hvhost_timesync_req req = { .flags = HVHOST_TS_SAMPLE, .offset_ns = 5000000000LL };
		struct hvhost_timesync_result res;
		long long samples = attr_ll(self, "samples"), host;
		struct timespec now;

		ASSERT_EQ(0, hvhost_timesync(self->h, self->id, &req, &res));
		ASSERT_EQ(HV_S_OK, res.status);
		clock_gettime(CLOCK_REALTIME, &now);
		EXPECT_EQ(samples + 1, attr_ll(self, "samples"));
		host = attr_ll(self, "last_host_time_ns");
		/* the sample's host time: now + 5 s, give or take the trip */
		EXPECT_LE(rig_abs64(host - (now.tv_sec * 1000000000LL + now.tv_nsec +
					    5000000000LL)), 100000000LL);
	}
}

/* Suspend closes the channel; resume waits for the host to negotiate. */
TEST_F(st, suspend_resume_states)
{
	ASSERT_EQ(0, hvhost_pm(self->h, self->id, VMBUS_SIM_PM_SUSPEND));
	EXPECT_STREQ("closed", attr(self, "state"));
	ASSERT_EQ(0, hvhost_pm(self->h, self->id, VMBUS_SIM_PM_RESUME));
	ASSERT_EQ(0, hvhost_wait_open(self->h, self->id, 5000));
	EXPECT_STREQ("waiting", attr(self, "state"));
	ASSERT_EQ(0, hvhost_ensure_negotiated(self->h, self->id, variant->svc,
					      hvhost_host_model(HVHOST_DEFAULT_GENERATION),
					      NULL));
	EXPECT_STREQ("negotiated", attr(self, "state"));
}

TEST_HARNESS_MAIN
