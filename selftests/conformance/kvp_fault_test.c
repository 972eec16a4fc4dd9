// SPDX-License-Identifier: GPL-2.0
/*
 * KVP when the daemon fails: the host's requests while no daemon is
 * there, a daemon restart, and kill -9 of hvic-kvpd in the middle of a
 * flood of host SETs, again and again: every SET the host saw acknowledged
 * (HV_S_OK) must be in the pool file afterwards, and every pool file must
 * parse.  The crash tests are about hvic-kvpd's promise (an acknowledged
 * SET is durable); Debian's hv_kvp_daemon rewrites its files unsynced and
 * doesn't make it, so they are skipped for it.
 *
 * These tests stop and start the target's KVP daemon themselves
 * (HVIC_KVP_DAEMON_CMD) and leave one running.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"

#define REC		(RIG_KVP_KEY_BYTES + RIG_KVP_VALUE_BYTES)
#define FLOOD_POOL	4
#define FLOOD_ROUNDS	100
#define FLOOD_SECONDS	150

FIXTURE(fault) {
	struct hvhost *h;
	uint32_t id;
};

static uint64_t now_ms(void)
{
	return rig_now_ns(CLOCK_MONOTONIC) / 1000000;
}

static const char *daemon_name(void)
{
	return rig_kvp_daemon();
}

static uint32_t set_sz(FIXTURE_DATA(fault) *self, uint8_t pool, const char *key,
		       const char *value, int *err)
{
	struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = value };
	uint32_t status = ~0u;
	int ret = hvhost_kvp_set(self->h, self->id, pool, key, &v, &status);

	if (err)
		*err = ret;
	return ret ? ~0u : status;
}

/* Wait until no daemon process is left (up to ms). */
static bool daemon_gone(unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms / 20; i++) {
		if (!rig_find_process(daemon_name()))
			return true;
		usleep(20000);
	}
	return false;
}

/* Start the daemon if none runs and wait for it to answer a SET. */
static bool daemon_ensure(FIXTURE_DATA(fault) *self, unsigned int ms)
{
	unsigned int saved = hvhost_timeout(self->h), waited = 0;
	bool ok = false;

	if (!rig_find_process(daemon_name()) && rig_kvp_daemon_start())
		return false;
	hvhost_set_timeout(self->h, 500);
	while (waited < ms && !ok) {
		/* EAGAIN while a request the old daemon left is still queued */
		ok = set_sz(self, 0, "hvic-fault-probe", "up", NULL) == HV_S_OK;
		if (!ok)
			usleep(200000);
		waited += 700;
	}
	hvhost_set_timeout(self->h, saved);
	return ok;
}

FIXTURE_SETUP(fault)
{
	if (!rig_has_service("kvp"))
		RIG_SETUP_SKIP("target %s has no kvp service", rig_target());
	if (!*rig_kvp_daemon_cmd())
		RIG_SETUP_SKIP("target %s has no kvp daemon", rig_target());
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_KVP,
					 HVHOST_DEFAULT_GENERATION, &self->id));
}

FIXTURE_TEARDOWN(fault)
{
	uint32_t status;

	if (self->h) {
		/* leave a working daemon behind for the tests after us */
		if (!daemon_ensure(self, 40000))
			TH_LOG("could not bring the KVP daemon back");
		hvhost_kvp_delete(self->h, self->id, 0, "hvic-fault-probe", &status);
		hvhost_close(self->h);
	}
}

/*
 * Read a pool file whole and check it parses: whole records, each key
 * non-empty and NUL-terminated, each value NUL-terminated, no key twice.
 * Returns the number of records or -1 (why says why).
 */
static int pool_read(int pool, char **buf, char *why, size_t len)
{
	char path[64];
	struct stat st;
	int fd, n, i, j;

	snprintf(path, sizeof(path), RIG_KVP_POOL_DIR "/.kvp_pool_%d", pool);
	*buf = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	flock(fd, LOCK_SH);
	if (fstat(fd, &st) || st.st_size % REC) {
		snprintf(why, len, "%s: %lld bytes, not whole records", path,
			 (long long)st.st_size);
		close(fd);
		return -1;
	}
	*buf = malloc(st.st_size + 1);
	if (!*buf || read(fd, *buf, st.st_size) != st.st_size) {
		snprintf(why, len, "%s: short read", path);
		close(fd);
		return -1;
	}
	close(fd);
	n = st.st_size / REC;
	for (i = 0; i < n; i++) {
		const char *r = *buf + (size_t)i * REC;

		if (!r[0] || !memchr(r, 0, RIG_KVP_KEY_BYTES) ||
		    !memchr(r + RIG_KVP_KEY_BYTES, 0, RIG_KVP_VALUE_BYTES)) {
			snprintf(why, len, "%s: record %d is not a valid record", path, i);
			return -1;
		}
	}
	/* duplicates: pools here are small enough for the quadratic check */
	for (i = 0; i < n && n <= 4000; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(*buf + (size_t)i * REC, *buf + (size_t)j * REC)) {
				snprintf(why, len, "%s: key \"%.64s\" twice", path,
					 *buf + (size_t)i * REC);
				return -1;
			}
	return n;
}

static const char *pool_find(const char *buf, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(buf + (size_t)i * REC, key))
			return buf + (size_t)i * REC + RIG_KVP_KEY_BYTES;
	return NULL;
}

/* Empty a pool file the way a guest tool would: under both locks. */
static void pool_clear(int pool)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), RIG_KVP_POOL_DIR "/.kvp_pool_%d", pool);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	flock(fd, LOCK_EX);
	fcntl(fd, F_SETLKW, &lk);
	if (ftruncate(fd, 0))
		perror("ftruncate");
	close(fd);
}

/*
 * No daemon: the host's SET must not hang forever.  Our module answers
 * HV_E_FAIL within its bound; upstream's doesn't read the channel until a
 * daemon registers, so the request waits (and is served once one does).
 */
/* Our module's bound on waiting for a daemon (kvp_daemon_wait_s), in ms. */
static long long daemon_wait_ms(void)
{
	FILE *f = fopen("/sys/module/hv_utils/parameters/kvp_daemon_wait_s", "re");
	unsigned int s = 10;

	if (f) {
		if (fscanf(f, "%u", &s) != 1)
			s = 10;
		fclose(f);
	}
	return s * 1000LL;
}

TEST_F_TIMEOUT(fault, daemon_absent, 120)
{
	pid_t pid = rig_find_process(daemon_name());
	uint64_t t0, dt;
	uint32_t status;
	char value[RIG_KVP_VALUE_BYTES];
	int err = 0;

	ASSERT_LT(0, pid) TH_LOG("no %s process", daemon_name());
	ASSERT_EQ(0, kill(pid, SIGTERM));
	ASSERT_TRUE(daemon_gone(10000));

	hvhost_set_timeout(self->h, 15000);
	t0 = now_ms();
	status = set_sz(self, 0, "hvic-no-daemon", "queued", &err);
	dt = now_ms() - t0;
	hvhost_set_timeout(self->h, HVHOST_DEFAULT_TIMEOUT_MS);

	ASSERT_TRUE(daemon_ensure(self, 40000));
	if (rig_module_is("stock")) {
		ASSERT_EQ(-ETIMEDOUT, err);
		/* the queued request reaches the new daemon */
		EXPECT_EQ(1, rig_pool_lookup(0, "hvic-no-daemon", value, sizeof(value)));
		hvhost_kvp_delete(self->h, self->id, 0, "hvic-no-daemon", &status);
		SKIP(return, "expected difference: stock hv_utils holds a SET without a daemon (no answer in %llu ms; the next daemon serves it)",
		     (unsigned long long)dt);
	}
	ASSERT_EQ(0, err);
	EXPECT_EQ(HV_E_FAIL, status);
	/* within the module's documented bound, plus slack for a slow guest */
	EXPECT_GT(daemon_wait_ms() + 2000, dt);
	hvhost_kvp_delete(self->h, self->id, 0, "hvic-no-daemon", &status);
}

/* A daemon that stops and starts again serves the same records. */
TEST_F_TIMEOUT(fault, daemon_restart, 120)
{
	char key[64], val[64], got[RIG_KVP_VALUE_BYTES];
	struct hvhost_kvp_record rec;
	uint32_t status;
	pid_t pid;
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "hvic-restart-%d", i);
		snprintf(val, sizeof(val), "value %d", i);
		ASSERT_EQ(HV_S_OK, set_sz(self, 3, key, val, NULL));
	}
	pid = rig_find_process(daemon_name());
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, kill(pid, SIGTERM));
	ASSERT_TRUE(daemon_gone(10000));
	ASSERT_TRUE(daemon_ensure(self, 40000));
	EXPECT_NE(pid, rig_find_process(daemon_name()));
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "hvic-restart-%d", i);
		snprintf(val, sizeof(val), "value %d", i);
		EXPECT_EQ(1, rig_pool_lookup(3, key, got, sizeof(got)));
		EXPECT_STREQ(val, got);
	}
	/* and the host still enumerates them */
	ASSERT_EQ(0, hvhost_kvp_enumerate(self->h, self->id, 3, 0, &rec, &status));
	EXPECT_EQ(HV_S_OK, status);
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "hvic-restart-%d", i);
		EXPECT_EQ(0, hvhost_kvp_delete(self->h, self->id, 3, key, &status));
		EXPECT_EQ(HV_S_OK, status);
	}
}

struct acked {
	char key[48];
	char value[48];
};

/*
 * kill -9 while the host floods SETs, FLOOD_ROUNDS times (or as many as fit
 * in FLOOD_SECONDS): a child kills the daemon after a random 0-40 ms while
 * we keep sending; then the daemon is started again (repairing its files)
 * and the next round begins.  Afterwards every acknowledged SET is there.
 */
TEST_F_TIMEOUT(fault, kill9_during_set_flood, FLOOD_SECONDS + 120)
{
	struct acked *ack = calloc(FLOOD_ROUNDS * 400, sizeof(*ack));
	unsigned int nack = 0, sent = 0, failed = 0, rounds = 0, i;
	uint64_t start = now_ms();
	char why[256], *buf;
	int n, pool;

	if (!rig_daemon_is("hvic-kvpd"))
		SKIP(return, "crash safety is hvic-kvpd's promise; %s rewrites its pool files unsynced",
		     daemon_name());
	ASSERT_NE(NULL, ack);
	pool_clear(FLOOD_POOL);
	srandom(getpid());

	while (rounds < FLOOD_ROUNDS && now_ms() - start < FLOOD_SECONDS * 1000ull) {
		pid_t victim = rig_find_process(daemon_name()), killer;
		int st;

		ASSERT_LT(0, victim) TH_LOG("round %u: no daemon", rounds);
		killer = fork();
		ASSERT_LE(0, killer);
		if (!killer) {
			usleep(random() % 40000);
			kill(victim, SIGKILL);
			_exit(0);
		}
		hvhost_set_timeout(self->h, 1500);
		for (;;) {
			struct acked *a = &ack[nack];
			uint32_t status;

			if (waitpid(killer, &st, WNOHANG) == killer)
				break;
			if (nack >= FLOOD_ROUNDS * 400 - 1)
				break;
			snprintf(a->key, sizeof(a->key), "flood-%u-%u", rounds, sent);
			snprintf(a->value, sizeof(a->value), "v%u-%ld", sent, random());
			status = set_sz(self, FLOOD_POOL, a->key, a->value, NULL);
			sent++;
			if (status == HV_S_OK)
				nack++;
			else
				failed++;
		}
		waitpid(killer, &st, 0);
		ASSERT_TRUE(daemon_gone(5000));
		hvhost_set_timeout(self->h, HVHOST_DEFAULT_TIMEOUT_MS);
		ASSERT_TRUE(daemon_ensure(self, 40000)) TH_LOG("round %u: daemon didn't come back", rounds);
		rounds++;
	}

	/* every pool parses; every acknowledged SET is there with its value */
	for (pool = 0; pool < 5; pool++) {
		n = pool_read(pool, &buf, why, sizeof(why));
		EXPECT_LE(0, n) TH_LOG("%s", why);
		if (pool == FLOOD_POOL && n >= 0) {
			unsigned int lost = 0;

			for (i = 0; i < nack; i++) {
				const char *v = pool_find(buf, n, ack[i].key);

				if (!v || strcmp(v, ack[i].value)) {
					if (lost++ < 5)
						TH_LOG("acknowledged %s=%s: %s", ack[i].key, ack[i].value,
						       v ? v : "missing");
				}
			}
			EXPECT_EQ(0, lost);
		}
		free(buf);
	}
	TH_LOG("%u rounds of kill -9 in %llu s: %u SETs sent, %u acknowledged (all kept), %u failed or unanswered",
	       rounds, (unsigned long long)(now_ms() - start) / 1000, sent, nack, failed);
	EXPECT_LE(20, rounds);
	pool_clear(FLOOD_POOL);
	free(ack);
}

TEST_HARNESS_MAIN
