// SPDX-License-Identifier: GPL-2.0
/*
 * Shutdown requests that leave the guest running: hibernate (answered and
 * turned into the "EVENT=hibernate" uevent the guest's udev rule acts on when
 * the platform can hibernate, refused otherwise) and requests with flags the
 * protocol doesn't define.  Power-off and reboot end the guest and are
 * tested from outside (host-shutdown).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

FIXTURE(sd) {
	struct hvhost *h;
	uint32_t id;
};

FIXTURE_SETUP(sd)
{
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_SHUTDOWN,
					 HVHOST_DEFAULT_GENERATION, &self->id));
}

FIXTURE_TEARDOWN(sd)
{
	if (self->h)
		hvhost_close(self->h);
}

/*
 * Whether this guest can hibernate as Linux judges it for Hyper-V: the
 * firmware declares the S4 sleep state (_S4_ in the DSDT).
 */
static bool platform_has_s4(void)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t n;
	int fd = open("/sys/firmware/acpi/tables/DSDT", O_RDONLY);

	if (fd < 0)
		return false;
	/* sysfs hands binary files out a page at a time */
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(fd);
	return len > 4 && memmem(buf, len, "_S4_", 4);
}

static int instance_of(struct hvhost *h, uint32_t id, char out[37])
{
	struct vmbus_sim_status st;
	int ret = hvhost_status(h, id, &st);

	if (!ret)
		hvhost_guid_format(st.instance_guid, out);
	return ret;
}

TEST_F(sd, hibernate)
{
	struct hvhost_shutdown_req req = {
		.flags = HVHOST_SHUTDOWN_HIBERNATE,
		.reason_code = HVHOST_SHUTDOWN_REASON_PLANNED,
	};
	const char *match[] = { "ACTION=change", "EVENT=hibernate", NULL };
	char inst[37], devpath[512] = "";
	uint32_t status = ~0u;
	int ev;

	ASSERT_EQ(0, instance_of(self->h, self->id, inst));
	ev = rig_uevent_open();
	ASSERT_LE(0, ev);
	ASSERT_EQ(0, hvhost_shutdown(self->h, self->id, &req, &status));
	if (platform_has_s4()) {
		EXPECT_EQ(HV_S_OK, status);
		ASSERT_EQ(0, rig_uevent_wait(ev, match, 5000, devpath, sizeof(devpath)));
		TH_LOG("hibernate uevent on %s", devpath);
		EXPECT_NE(NULL, strstr(devpath, inst));
	} else {
		EXPECT_EQ(HV_E_FAIL, status);
		EXPECT_EQ(-ETIMEDOUT, rig_uevent_wait(ev, match, 1000, NULL, 0));
	}
	close(ev);
}

/* Flags outside poweroff/reboot/hibernate (+force) are refused; the guest
 * stays up and keeps answering.
 */
TEST_F(sd, undefined_flags_refused)
{
	static const uint32_t bad[] = { 0x6, 0x8, 0x10, 0x80000000u };
	struct hvhost_shutdown_req req = { .reason_code = 0 };
	uint32_t status;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		req.flags = bad[i];
		status = HV_S_OK;
		ASSERT_EQ(0, hvhost_shutdown(self->h, self->id, &req, &status));
		EXPECT_EQ(HV_E_FAIL, status) {
			TH_LOG("flags 0x%x answered %s", bad[i], hvhost_status_str(status));
		}
	}
}

/*
 * The host's reason code, timeout and message are what an administrator
 * looks for when a VM went down unexpectedly: they belong in the log.
 */
TEST_F(sd, request_details_logged)
{
	const char *msg = "Maintenance window 42";
	struct hvhost_shutdown_req req = {
		.flags = 0x8,		/* refused: nothing happens */
		.reason_code = 0x80000012,
		.timeout_s = 30,
		.message = msg,
		.message_len = strlen(msg),
	};
	uint32_t status = ~0u;

	rig_dmesg_mark();
	ASSERT_EQ(0, hvhost_shutdown(self->h, self->id, &req, &status));
	EXPECT_EQ(HV_E_FAIL, status);
	if (rig_module_is("stock")) {
		ASSERT_EQ(0, rig_dmesg_count(msg));
		SKIP(return, "expected difference: stock ignores the host's reason, timeout and message");
	}
	EXPECT_EQ(1, rig_dmesg_count("reason 0x80000012, timeout 30 s, message \"Maintenance window 42\""));
}

TEST_HARNESS_MAIN
