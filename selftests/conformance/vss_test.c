// SPDX-License-Identifier: GPL-2.0
/*
 * Backup (VSS): a host FREEZE really freezes the guest's block filesystems
 * (a writer on the scratch ext4 disk blocks) until THAW releases them; the
 * requests Linux answers without freezing are answered as upstream does.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

#define SCRATCH	"/mnt/scratch"

FIXTURE(vss) {
	struct hvhost *h;
	uint32_t id;
};

static bool scratch_is_block_fs(void)
{
	char line[512];
	bool ok = false;
	FILE *f = fopen("/proc/mounts", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "/dev/", 5) && strstr(line, " " SCRATCH " ext4 rw"))
			ok = true;
	if (f)
		fclose(f);
	return ok;
}

FIXTURE_SETUP(vss)
{
	if (!rig_has_service("vss"))
		RIG_SETUP_SKIP("target %s has no vss service", rig_target());
	ASSERT_TRUE(scratch_is_block_fs()) {
		TH_LOG("the rig must mount an ext4 disk read-write at " SCRATCH);
	}
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_VSS,
					 HVHOST_DEFAULT_GENERATION, &self->id));
	/* Daemon operations wait for the daemon: allow for a slow TCG guest. */
	hvhost_set_timeout(self->h, 30000);
}

FIXTURE_TEARDOWN(vss)
{
	uint32_t status;
	int fd;

	if (!self->h)
		return;
	/* Never leave the disk frozen, whatever happened. */
	hvhost_vss(self->h, self->id, HVHOST_VSS_THAW, 0, 0, NULL, &status);
	fd = open(SCRATCH, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		ioctl(fd, FITHAW, 0);
		close(fd);
	}
	hvhost_close(self->h);
}

TEST_F(vss, get_dm_info)
{
	uint32_t status = ~0u, flags = ~0u;

	ASSERT_EQ(0, hvhost_vss(self->h, self->id, HVHOST_VSS_GET_DM_INFO, 0, 0,
				&flags, &status));
	EXPECT_EQ(HV_S_OK, status);
	EXPECT_EQ(0, flags);
}

/*
 * Linux means to answer HOT_BACKUP saying it does no auto-recovery.  In
 * upstream the daemon's reply stores its error code over the operation byte
 * (they share a union), so the kernel no longer sees HOT_BACKUP and never
 * sets the flags: the host gets 0.
 */
TEST_F(vss, hot_backup)
{
	uint32_t status = ~0u, flags = ~0u;

	ASSERT_EQ(0, hvhost_vss(self->h, self->id, HVHOST_VSS_HOT_BACKUP, 0, 0,
				&flags, &status));
	ASSERT_EQ(HV_S_OK, status);
	if (rig_module_is("stock")) {
		ASSERT_EQ(0, flags);
		SKIP(return, "expected difference: stock answers HOT_BACKUP with flags 0, not 0x%x",
		     HVHOST_VSS_HBU_NO_AUTO_RECOVERY);
	}
	EXPECT_EQ(HVHOST_VSS_HBU_NO_AUTO_RECOVERY, flags);
}

/* Child: one write + fsync on the scratch disk; exit 0 when it got through. */
static pid_t start_writer(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		char buf[4096];
		int fd = open(SCRATCH "/during-backup", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		memset(buf, 'b', sizeof(buf));
		if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || fsync(fd))
			_exit(1);
		_exit(0);
	}
	return pid;
}

TEST_F(vss, freeze_blocks_writes_until_thaw)
{
	uint32_t status = ~0u;
	char state = 0;
	int i, wstatus = -1, fd;
	pid_t writer;

	ASSERT_EQ(0, hvhost_vss(self->h, self->id, HVHOST_VSS_FREEZE, 0, 0, NULL, &status));
	ASSERT_EQ(HV_S_OK, status);

	/* Frozen as the kernel sees it: freezing again is refused with EBUSY. */
	fd = open(SCRATCH, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, FIFREEZE, 0));
	EXPECT_EQ(EBUSY, errno);
	close(fd);

	writer = start_writer();
	ASSERT_LT(0, writer);
	for (i = 0; i < 50; i++) {
		state = rig_proc_state(writer);
		if (state == 'D' || state == 'Z')
			break;
		usleep(100000);
	}
	EXPECT_EQ('D', state) {
		TH_LOG("writer state '%c': the write was not blocked by the freeze", state);
	}

	status = ~0u;
	ASSERT_EQ(0, hvhost_vss(self->h, self->id, HVHOST_VSS_THAW, 0, 0, NULL, &status));
	EXPECT_EQ(HV_S_OK, status);
	for (i = 0; i < 100 && waitpid(writer, &wstatus, WNOHANG) == 0; i++)
		usleep(100000);
	EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		kill(writer, SIGKILL);
		TH_LOG("the writer did not finish after THAW");
	}
}

TEST_HARNESS_MAIN
