// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmbus/hv_kvp as a daemon sees it, with our module: who may open it,
 * the registration handshake, the size and state rules of read() and
 * write(), host requests arriving as UTF-8 messages and the daemon's
 * answers reaching the host, the bounded waits (no daemon, a slow daemon,
 * a daemon that dies), a rescind with the device open, and malformed host
 * KVP messages refused without harm.
 *
 * The test plays the daemon itself: the target's own KVP daemon is stopped
 * before the first test and restarted after the last.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rig.h"
#include "../../uapi/linux/hvic.h"

#define KVP_DEV		"/dev/vmbus/hv_kvp"
#define MSG		sizeof(struct hvic_kvp_msg)

_Static_assert(sizeof(struct hvic_kvp_msg) == HVIC_KVP_MSG_SIZE, "kvp msg");

/* ------------------------------------------------------------ helpers */

/* /sys/bus/vmbus/devices/<kvp device>/hvic/<name>, "" if none. */
static const char *kvp_attr(const char *name)
{
	static char val[128];
	char path[300], svc[32];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/vmbus/devices");
	FILE *f;

	val[0] = 0;
	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/hvic/service",
			 de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(svc, sizeof(svc), f) && !strcmp(svc, "kvp\n")) {
			fclose(f);
			snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%s/hvic/%s",
				 de->d_name, name);
			f = fopen(path, "re");
			if (f && fgets(val, sizeof(val), f))
				val[strcspn(val, "\n")] = 0;
			if (f)
				fclose(f);
			break;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return val;
}

static long long kvp_counter(const char *name)
{
	return strtoll(kvp_attr(name), NULL, 0);
}

static bool wait_daemon_state(const char *state, int ms)
{
	for (; ms > 0; ms -= 50) {
		if (!strcmp(kvp_attr("daemon"), state))
			return true;
		usleep(50000);
	}
	return false;
}

static unsigned int param_get(const char *name)
{
	char path[128], buf[32] = "0";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/hv_utils/parameters/%s", name);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return strtoul(buf, NULL, 0);
}

static void param_set(const char *name, unsigned int v)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/hv_utils/parameters/%s", name);
	f = fopen(path, "we");
	if (f) {
		fprintf(f, "%u\n", v);
		fclose(f);
	}
}

/* ----------------------------------------- the target's own daemon */

static bool daemon_stopped;

/* Our module only: stock hv_utils has its own ABI quirks (kvp_test). */
static bool applies(void)
{
	return rig_module_is("ours") && rig_has_service("kvp");
}

__attribute__((constructor)) static void stop_target_daemon(void)
{
	pid_t pid;

	if (!applies() || !*rig_kvp_daemon())
		return;
	while ((pid = rig_find_process(rig_kvp_daemon())) > 0) {
		kill(pid, SIGTERM);
		daemon_stopped = true;
		usleep(100000);
	}
	wait_daemon_state("none", 5000);
}

/* Start it again once the device is there, and see it register. */
__attribute__((destructor)) static void restart_target_daemon(void)
{
	int i;

	if (!daemon_stopped)
		return;
	for (i = 0; i < 100 && access(KVP_DEV, F_OK); i++)
		usleep(100000);
	if (rig_kvp_daemon_start() || !wait_daemon_state("registered", 10000))
		fprintf(stderr, "# %s did not register again\n", rig_kvp_daemon());
}

/* ------------------------------------------------------- the fixture */

FIXTURE(cdev) {
	struct hvhost *h;
	uint32_t id;
	uint32_t fw, srv;
	uint64_t rid;
	int fd;
};

FIXTURE_SETUP(cdev)
{
	self->fd = -1;
	if (!applies())
		RIG_SETUP_SKIP("target %s: not our module with kvp", rig_target());
	ASSERT_TRUE(wait_daemon_state("none", 5000));
	ASSERT_EQ(0, rig_open_negotiated(&self->h, HVHOST_KVP,
					 HVHOST_DEFAULT_GENERATION, &self->id));
	ASSERT_EQ(0, hvhost_negotiated(self->h, self->id, &self->fw, &self->srv));
	self->rid = (uint64_t)getpid() << 16;
	rig_dmesg_mark();
}

FIXTURE_TEARDOWN(cdev)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->h)
		hvhost_close(self->h);
}

/* Send a KVP body as the host, without waiting; returns its request id. */
static uint64_t host_send(struct __test_metadata *_metadata,
			  FIXTURE_DATA(cdev) *self, const void *body, size_t len)
{
	struct hvhost_ichdr hdr = {
		.msgtype = HVHOST_MSG_KVPEXCHANGE,
		.fw_version = self->fw,
		.msg_version = self->srv,
	};
	static uint8_t pkt[HVHOST_IC_HDR_SIZE + HVHOST_KVP_MSG_SIZE];
	int n = hvhost_build_packet(pkt, sizeof(pkt), &hdr, body, len);

	EXPECT_LT(0, n);
	self->rid++;
	EXPECT_EQ(0, hvhost_send_raw(self->h, self->id, self->rid, pkt, n));
	return self->rid;
}

/*
 * The guest's answer to request rid within ms: 0 and its status (body into
 * out, up to HVHOST_KVP_MSG_SIZE), or -ETIMEDOUT.
 */
static int host_wait(FIXTURE_DATA(cdev) *self, uint64_t rid, int ms,
		     uint32_t *status, void *out)
{
	static uint8_t pkt[HVHOST_IC_HDR_SIZE + HVHOST_KVP_MSG_SIZE + 64];
	int64_t end = rig_now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	struct hvhost_reply r;
	uint64_t got;
	int ret;

	for (;;) {
		int64_t left = (end - rig_now_ns(CLOCK_MONOTONIC)) / 1000000;
		size_t len = sizeof(pkt);

		if (left <= 0)
			return -ETIMEDOUT;
		ret = hvhost_recv_raw(self->h, self->id, pkt, &len, &got, left);
		if (ret)
			return ret;
		if (got != rid || hvhost_parse_reply(pkt, len, HVHOST_MSG_KVPEXCHANGE, &r))
			continue;
		*status = r.status;
		if (out)
			memcpy(out, r.body, r.body_len < HVHOST_KVP_MSG_SIZE ?
			       r.body_len : HVHOST_KVP_MSG_SIZE);
		return 0;
	}
}

static uint64_t host_set(struct __test_metadata *_metadata,
			 FIXTURE_DATA(cdev) *self, const char *key,
			 const struct hvhost_kvp_value *v)
{
	static uint8_t body[HVHOST_KVP_MSG_SIZE];

	EXPECT_EQ((int)sizeof(body), hvhost_build_kvp_set(body, sizeof(body), 0, key, v));
	return host_send(_metadata, self, body, sizeof(body));
}

static uint64_t host_set_sz(struct __test_metadata *_metadata,
			    FIXTURE_DATA(cdev) *self, const char *key,
			    const char *value)
{
	struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = value };

	return host_set(_metadata, self, key, &v);
}

/* Open and register as a daemon does; the kernel's answer in *answer. */
static int daemon_register(int *fdp, uint8_t op, struct hvic_kvp_msg *answer)
{
	struct hvic_kvp_msg m = { 0 };
	int fd = open(KVP_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	*fdp = fd;
	m.kvp_hdr.operation = op;
	if (write(fd, &m, MSG) != (ssize_t)MSG)
		return -errno;
	if (read(fd, answer, MSG) != (ssize_t)MSG)
		return -errno;
	return 0;
}

/* Wait for a request on the device and read it. */
static int daemon_read(int fd, struct hvic_kvp_msg *m, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	return read(fd, m, MSG) == (ssize_t)MSG ? 0 : -errno;
}

static int daemon_answer(int fd, struct hvic_kvp_msg *m, uint32_t error)
{
	m->error = (int32_t)error;
	return write(fd, m, MSG) == (ssize_t)MSG ? 0 : -errno;
}

/* ------------------------------------------------------------ tests */

TEST_F(cdev, one_opener_and_root_only)
{
	struct stat st;
	int status = -1;
	pid_t pid;

	ASSERT_EQ(0, stat(KVP_DEV, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	self->fd = open(KVP_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	EXPECT_STREQ("opened", kvp_attr("daemon"));
	EXPECT_EQ(-1, open(KVP_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EBUSY, errno);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open(KVP_DEV, O_RDWR | O_CLOEXEC);
		_exit(fd < 0 && (errno == EACCES || errno == EPERM) ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(self->fd);
	self->fd = -1;
	EXPECT_TRUE(wait_daemon_state("none", 2000));
}

TEST_F(cdev, registration_handshake)
{
	struct hvic_kvp_msg m;

	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	EXPECT_EQ(HVIC_KVP_OP_REGISTER1, m.kvp_hdr.operation);
	EXPECT_NE(0, m.body.kvp_register.version[0]);
	EXPECT_NE(NULL, memchr(m.body.kvp_register.version, 0,
			       sizeof(m.body.kvp_register.version)));
	TH_LOG("version \"%s\"", (char *)m.body.kvp_register.version);
	EXPECT_STREQ("registered", kvp_attr("daemon"));
	close(self->fd);
	self->fd = -1;
	ASSERT_TRUE(wait_daemon_state("none", 2000));

	/* The legacy operation (no IP injection) is accepted too. */
	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER, &m));
	EXPECT_EQ(HVIC_KVP_OP_REGISTER, m.kvp_hdr.operation);
	EXPECT_STREQ("registered", kvp_attr("daemon"));
}

TEST_F(cdev, read_write_rules)
{
	static char big[MSG + 8];
	struct hvic_kvp_msg m = { 0 };
	char small[100];

	self->fd = open(KVP_DEV, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(-1, read(self->fd, &m, MSG));
	EXPECT_EQ(EAGAIN, errno);

	/* Registration: exactly one message, of a registration operation. */
	big[0] = HVIC_KVP_OP_REGISTER1;
	EXPECT_EQ(-1, write(self->fd, big, MSG - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, big, MSG + 8));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, big, 4));
	EXPECT_EQ(EINVAL, errno);
	m.kvp_hdr.operation = HVIC_KVP_OP_SET;
	EXPECT_EQ(-1, write(self->fd, &m, MSG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_STREQ("opened", kvp_attr("daemon"));
	m.kvp_hdr.operation = HVIC_KVP_OP_REGISTER1;
	ASSERT_EQ((ssize_t)MSG, write(self->fd, &m, MSG));

	/* A short read fails and keeps the message for the next one. */
	EXPECT_EQ(-1, read(self->fd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ((ssize_t)MSG, read(self->fd, &m, MSG));
	EXPECT_EQ(HVIC_KVP_OP_REGISTER1, m.kvp_hdr.operation);

	/* Registered, nothing asked: nothing to read, no answer expected. */
	EXPECT_EQ(-1, read(self->fd, &m, MSG));
	EXPECT_EQ(EAGAIN, errno);
	m.error = HVIC_S_OK;
	EXPECT_EQ(-1, write(self->fd, &m, MSG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, big, 12));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_STREQ("registered", kvp_attr("daemon"));
	EXPECT_EQ(0, rig_dmesg_problems());
}

/* One request through the test's daemon; *m is the request as read. */
static uint32_t through_daemon(struct __test_metadata *_metadata,
			       FIXTURE_DATA(cdev) *self, uint64_t rid,
			       struct hvic_kvp_msg *m,
			       void (*answer)(struct hvic_kvp_msg *m),
			       uint32_t error, void *host_body)
{
	static struct hvic_kvp_msg a;
	uint32_t status = ~0u;

	EXPECT_EQ(0, daemon_read(self->fd, m, 5000));
	a = *m;
	if (answer)
		answer(&a);
	EXPECT_EQ(0, daemon_answer(self->fd, &a, error));
	EXPECT_EQ(0, host_wait(self, rid, 5000, &status, host_body));
	return status;
}

static void answer_get(struct hvic_kvp_msg *m)
{
	strcpy((char *)m->body.kvp_get.value, "got \xE2\x9C\x93");
}

static void answer_enum(struct hvic_kvp_msg *m)
{
	strcpy((char *)m->body.kvp_enum_data.data.key, "k-\xF0\x9F\x94\x91");
	strcpy((char *)m->body.kvp_enum_data.data.value, "v");
}

TEST_F(cdev, host_requests_reach_daemon_and_back)
{
	const char *key = "hvic-cdev-\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87";
	const char *val = "v\xC3\xA4rde \xE2\x9C\x93 \xF0\x9F\x98\x80";
	struct hvhost_kvp_value u32 = { .type = HVHOST_REG_U32, .num = 4000000000u };
	struct hvhost_kvp_value u64 = { .type = HVHOST_REG_U64, .num = ~0ull };
	long long before = kvp_counter("requests");
	static uint8_t body[HVHOST_KVP_MSG_SIZE];
	struct hvhost_kvp_record rec;
	struct hvic_kvp_msg m;
	uint64_t rid;

	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));

	/* SET: UTF-8 for the daemon, and its status goes back as is. */
	rid = host_set_sz(_metadata, self, key, val);
	EXPECT_EQ(HV_ERROR_DISK_FULL, through_daemon(_metadata, self, rid, &m, NULL,
						     HV_ERROR_DISK_FULL, NULL));
	EXPECT_EQ(HVIC_KVP_OP_SET, m.kvp_hdr.operation);
	EXPECT_EQ(0, m.kvp_hdr.pool);
	EXPECT_STREQ(key, (char *)m.body.kvp_set.key);
	EXPECT_EQ(strlen(key) + 1, m.body.kvp_set.key_size);
	EXPECT_STREQ(val, (char *)m.body.kvp_set.value);
	EXPECT_EQ(strlen(val) + 1, m.body.kvp_set.value_size);

	/* Numbers become decimal strings. */
	rid = host_set(_metadata, self, "hvic-u32", &u32);
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid, &m, NULL, HV_S_OK, NULL));
	EXPECT_STREQ("4000000000", (char *)m.body.kvp_set.value);
	EXPECT_EQ(11, m.body.kvp_set.value_size);
	rid = host_set(_metadata, self, "hvic-u64", &u64);
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid, &m, NULL, HV_S_OK, NULL));
	EXPECT_STREQ("18446744073709551615", (char *)m.body.kvp_set.value);

	/* GET: the daemon's value and its size reach the host. */
	ASSERT_EQ((int)sizeof(body), hvhost_build_kvp_get(body, sizeof(body), 3, "hvic-get"));
	rid = host_send(_metadata, self, body, sizeof(body));
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid, &m, answer_get,
					  HV_S_OK, body));
	EXPECT_EQ(3, m.kvp_hdr.pool);
	EXPECT_STREQ("hvic-get", (char *)m.body.kvp_get.key);
	EXPECT_EQ(HVIC_KVP_OP_GET, m.kvp_hdr.operation);
	ASSERT_EQ(0, hvhost_parse_kvp_record(body, sizeof(body), HVHOST_KVP_GET, &rec));
	EXPECT_STREQ("got \xE2\x9C\x93", rec.value);
	EXPECT_EQ(2 * (5 + 1), rec.value_size);
	EXPECT_EQ(HVHOST_REG_SZ, rec.value_type);

	/* ENUMERATE: a record back in UTF-16, then the end (HV_S_CONT). */
	ASSERT_EQ((int)sizeof(body), hvhost_build_kvp_enumerate(body, sizeof(body), 1, 7));
	rid = host_send(_metadata, self, body, sizeof(body));
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid, &m, answer_enum,
					  HV_S_OK, body));
	EXPECT_EQ(HVIC_KVP_OP_ENUMERATE, m.kvp_hdr.operation);
	EXPECT_EQ(7, m.body.kvp_enum_data.index);
	ASSERT_EQ(0, hvhost_parse_kvp_record(body, sizeof(body), HVHOST_KVP_ENUMERATE, &rec));
	EXPECT_STREQ("k-\xF0\x9F\x94\x91", rec.key);
	EXPECT_EQ(2 * (4 + 1), rec.key_size);
	EXPECT_STREQ("v", rec.value);
	ASSERT_EQ((int)sizeof(body), hvhost_build_kvp_enumerate(body, sizeof(body), 1, 8));
	rid = host_send(_metadata, self, body, sizeof(body));
	EXPECT_EQ(HV_S_CONT, through_daemon(_metadata, self, rid, &m, NULL, HV_S_CONT, NULL));
	EXPECT_EQ(before + 6, kvp_counter("requests"));
}

TEST_F_TIMEOUT(cdev, no_daemon_bounded_wait, 60)
{
	unsigned int bound = param_get("kvp_daemon_wait_s");
	long long timeouts = kvp_counter("timeouts");
	struct hvic_kvp_msg m;
	uint32_t status = 0;
	int64_t t0, ms;
	uint64_t rid;

	ASSERT_LT(0, bound);
	t0 = rig_now_ns(CLOCK_MONOTONIC);
	rid = host_set_sz(_metadata, self, "hvic-nobody", "x");
	ASSERT_EQ(0, host_wait(self, rid, (bound + 5) * 1000, &status, NULL));
	ms = (rig_now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
	TH_LOG("HV_E_FAIL after %lld ms (kvp_daemon_wait_s=%u)", (long long)ms, bound);
	EXPECT_EQ(HV_E_FAIL, status);
	EXPECT_LE(bound * 1000 - 500, ms);
	EXPECT_GE(bound * 1000 + 2000, ms);
	EXPECT_EQ(timeouts + 1, kvp_counter("timeouts"));

	/* A daemon that comes within the bound still serves the request. */
	rid = host_set_sz(_metadata, self, "hvic-late-daemon", "y");
	sleep(1);
	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid, &m, NULL, HV_S_OK, NULL));
	EXPECT_STREQ("hvic-late-daemon", (char *)m.body.kvp_set.key);
}

TEST_F(cdev, daemon_dies_mid_request)
{
	long long errors = kvp_counter("daemon_errors");
	struct pollfd p = { .events = POLLIN };
	struct hvic_kvp_msg m;
	uint32_t status = 0;
	int64_t t0;
	uint64_t rid;

	/* It read the request, then went away. */
	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	rid = host_set_sz(_metadata, self, "hvic-dies", "1");
	ASSERT_EQ(0, daemon_read(self->fd, &m, 5000));
	t0 = rig_now_ns(CLOCK_MONOTONIC);
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, host_wait(self, rid, 2000, &status, NULL));
	EXPECT_EQ(HV_E_FAIL, status);
	EXPECT_GT(1000, (rig_now_ns(CLOCK_MONOTONIC) - t0) / 1000000);
	EXPECT_EQ(errors + 1, kvp_counter("daemon_errors"));

	/* It went away before reading it. */
	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	rid = host_set_sz(_metadata, self, "hvic-dies", "2");
	p.fd = self->fd;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, host_wait(self, rid, 2000, &status, NULL));
	EXPECT_EQ(HV_E_FAIL, status);

	/* The next daemon serves the next request. */
	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	rid = host_set_sz(_metadata, self, "hvic-dies", "3");
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid, &m, NULL, HV_S_OK, NULL));
	EXPECT_STREQ("3", (char *)m.body.kvp_set.value);
	EXPECT_EQ(0, rig_dmesg_problems());
}

TEST_F_TIMEOUT(cdev, slow_daemon, 60)
{
	unsigned int saved = param_get("kvp_reply_timeout_s");
	long long timeouts = kvp_counter("timeouts");
	struct pollfd p = { .events = POLLIN };
	struct hvic_kvp_msg m, late;
	uint64_t rid, rid2;
	uint32_t status = 0;
	int64_t t0, ms;

	param_set("kvp_reply_timeout_s", 3);
	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	rid = host_set_sz(_metadata, self, "hvic-slow", "1");
	ASSERT_EQ(0, daemon_read(self->fd, &late, 5000));
	t0 = rig_now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, host_wait(self, rid, 8000, &status, NULL));
	ms = (rig_now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
	EXPECT_EQ(HV_E_FAIL, status);
	EXPECT_LE(2500, ms);
	EXPECT_GE(5000, ms);
	EXPECT_EQ(timeouts + 1, kvp_counter("timeouts"));

	/* The next request waits until the late answer is in... */
	rid2 = host_set_sz(_metadata, self, "hvic-slow", "2");
	p.fd = self->fd;
	EXPECT_EQ(0, poll(&p, 1, 300));
	/* ...which is taken, and not sent to the host. */
	EXPECT_EQ(0, daemon_answer(self->fd, &late, HV_S_OK));
	EXPECT_EQ(-ETIMEDOUT, host_wait(self, rid, 300, &status, NULL));
	EXPECT_EQ(HV_S_OK, through_daemon(_metadata, self, rid2, &m, NULL, HV_S_OK, NULL));
	EXPECT_STREQ("2", (char *)m.body.kvp_set.value);
	param_set("kvp_reply_timeout_s", saved);
}

/* Last: the host takes the device away while the daemon has it open. */
TEST_F_TIMEOUT(cdev, rescind_with_device_open, 60)
{
	struct pollfd p = { .events = POLLIN };
	struct hvic_kvp_msg m;
	uint32_t state = 0, id;
	int i;

	ASSERT_EQ(0, daemon_register(&self->fd, HVIC_KVP_OP_REGISTER1, &m));
	ASSERT_EQ(0, hvhost_rescind(self->h, self->id, 0));
	p.fd = self->fd;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	EXPECT_TRUE(p.revents & POLLHUP);
	EXPECT_TRUE(p.revents & POLLERR);
	EXPECT_EQ(-1, read(self->fd, &m, MSG));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, write(self->fd, &m, MSG));
	EXPECT_EQ(EBADF, errno);
	/* Removal did not wait for us: we still hold the file. */
	ASSERT_EQ(0, hvhost_wait_state(self->h, self->id,
				       VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE), 10000, &state));
	EXPECT_NE(0, access(KVP_DEV, F_OK));
	close(self->fd);
	self->fd = -1;

	/* The service comes back, for the suites after this one. */
	ASSERT_EQ(0, hvhost_offer(self->h, HVHOST_KVP, &id));
	ASSERT_EQ(0, hvhost_wait_open(self->h, id, 10000));
	for (i = 0; i < 50 && access(KVP_DEV, F_OK); i++)
		usleep(100000);
	EXPECT_EQ(0, access(KVP_DEV, F_OK));
	EXPECT_EQ(0, rig_dmesg_problems());
}

TEST_HARNESS_MAIN
