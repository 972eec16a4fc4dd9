// SPDX-License-Identifier: GPL-2.0
/*
 * The KVP pool store (tools/lib/pool.c): round trips, 1,100 records, the
 * record limits, repair of damaged files, change detection, and a crash at
 * every write step of every kind of update (fault injection: the child
 * tears the step's write and exits), after which the file must parse and
 * hold every acknowledged record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pool.h"
#include "tap.h"

#define REC HVIC_POOL_REC_SIZE

static char dir[64];

static void pool_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/.kvp_pool_0", dir);
}

static void reset(void)
{
	char path[128];

	pool_path(path, sizeof(path));
	unlink(path);
}

static off_t file_size(void)
{
	char path[128];
	struct stat st;

	pool_path(path, sizeof(path));
	return stat(path, &st) ? -1 : st.st_size;
}

/* Scan the raw file. */
static int scan_file(struct hvic_pool_scan *sc)
{
	char path[128];
	char *buf;
	off_t sz = file_size();
	int fd, ret;

	pool_path(path, sizeof(path));
	if (sz < 0)
		return -errno;
	buf = malloc(sz + 1);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sz) != sz)
		ret = -EIO;
	else
		ret = hvic_pool_scan(buf, sz, sc);
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

/* Append a raw record (as cloud-init does), under both locks. */
static void raw_append(const char *key, const char *value, size_t len)
{
	struct hvic_pool_rec r;
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[128];
	int fd;

	memset(&r, 0, sizeof(r));
	snprintf(r.key, sizeof(r.key), "%s", key);
	snprintf(r.value, sizeof(r.value), "%s", value);
	pool_path(path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	flock(fd, LOCK_EX);
	fcntl(fd, F_SETLKW, &lk);
	if (write(fd, &r, len) != (ssize_t)len)
		tap_diag("short raw write");
	close(fd);
}

static struct hvic_pool *open0(void)
{
	struct hvic_pool *p = NULL;
	int ret = hvic_pool_open(&p, dir, 0, 0);

	if (ret)
		tap_diag("open: %s", strerror(-ret));
	return p;
}

static void test_round_trip(void)
{
	struct hvic_pool *p = open0();
	struct hvic_pool_rec rec;
	char v[HVIC_POOL_VALUE_SIZE];

	tap_eq(hvic_pool_set(p, "a", "1"), 0, "set a");
	tap_eq(hvic_pool_set(p, "b", "2"), 0, "set b");
	tap_eq(hvic_pool_set(p, "ключ-\xF0\x9F\x94\x91", "värde"), 0, "set utf-8");
	tap_eq(hvic_pool_get(p, "a", v, sizeof(v)), 0, "get a");
	tap_streq(v, "1", "value of a");
	tap_eq(hvic_pool_set(p, "a", "one"), 0, "overwrite a");
	tap_eq(hvic_pool_get(p, "a", v, sizeof(v)), 0, "get a again");
	tap_streq(v, "one", "new value of a");
	tap_eq(hvic_pool_count(p), 3, "three records");
	tap_eq(file_size(), 3 * REC, "file holds three records");
	tap_eq(hvic_pool_at(p, 0, &rec), 0, "record 0");
	tap_streq(rec.key, "a", "record 0 is a (in place)");
	tap_eq(hvic_pool_at(p, 3, &rec), -ENOENT, "record 3 is past the end");
	tap_eq(hvic_pool_delete(p, "a"), 0, "delete a");
	tap_eq(hvic_pool_delete(p, "a"), -ENOENT, "delete a again");
	tap_eq(hvic_pool_get(p, "a", v, sizeof(v)), -ENOENT, "a is gone");
	tap_eq(hvic_pool_count(p), 2, "two records");
	tap_eq(hvic_pool_get(p, "ключ-\xF0\x9F\x94\x91", v, sizeof(v)), 0, "utf-8 key");
	tap_streq(v, "värde", "utf-8 value");
	tap_eq(hvic_pool_set(p, "e", ""), 0, "empty value");
	tap_eq(hvic_pool_get(p, "e", v, sizeof(v)), 0, "get empty value");
	tap_streq(v, "", "empty value read back");
	hvic_pool_close(p);
	reset();
}

static void test_many(void)
{
	struct hvic_pool *p = open0(), *q;
	char k[64], v[HVIC_POOL_VALUE_SIZE], want[64];
	unsigned long reads;
	int i, bad = 0;

	for (i = 0; i < 1100; i++) {
		snprintf(k, sizeof(k), "key-%04d", i);
		snprintf(v, sizeof(v), "value-%d", i * 7);
		if (hvic_pool_set(p, k, v))
			bad++;
	}
	tap_eq(bad, 0, "1,100 sets");
	tap_eq(hvic_pool_count(p), 1100, "1,100 records");
	tap_eq(file_size(), 1100L * REC, "file size");
	reads = hvic_pool_reads(p);
	for (i = 0; i < 1100; i++) {
		snprintf(k, sizeof(k), "key-%04d", i);
		snprintf(want, sizeof(want), "value-%d", i * 7);
		if (hvic_pool_get(p, k, v, sizeof(v)) || strcmp(v, want))
			bad++;
	}
	tap_eq(bad, 0, "1,100 gets");
	tap_eq(hvic_pool_reads(p), reads, "no re-read while nothing changed");
	for (i = 0; i < 1100; i += 2) {
		snprintf(k, sizeof(k), "key-%04d", i);
		if (hvic_pool_delete(p, k))
			bad++;
	}
	tap_eq(bad, 0, "550 deletes");
	tap_eq(hvic_pool_open(&q, dir, 0, HVIC_POOL_RDONLY), 0, "second handle");
	tap_eq(hvic_pool_count(q), 550, "550 records seen by another handle");
	for (i = 0; i < 1100; i++) {
		int r;

		snprintf(k, sizeof(k), "key-%04d", i);
		snprintf(want, sizeof(want), "value-%d", i * 7);
		r = hvic_pool_get(q, k, v, sizeof(v));
		if (i % 2 ? (r || strcmp(v, want)) : r != -ENOENT)
			bad++;
	}
	tap_eq(bad, 0, "the right 550 are left");
	/* a change through one handle is seen by the other */
	tap_eq(hvic_pool_set(p, "key-0001", "changed"), 0, "overwrite via p");
	tap_eq(hvic_pool_get(q, "key-0001", v, sizeof(v)), 0, "get via q");
	tap_streq(v, "changed", "q sees p's in-place overwrite");
	hvic_pool_close(q);
	hvic_pool_close(p);
	reset();
}

static void test_limits(void)
{
	struct hvic_pool *p = open0();
	char key[600], val[2100], v[HVIC_POOL_VALUE_SIZE];

	memset(key, 'k', sizeof(key));
	memset(val, 'v', sizeof(val));
	key[511] = 0;
	val[2047] = 0;
	tap_eq(hvic_pool_set(p, key, val), 0, "511-byte key, 2047-byte value: accepted");
	tap_eq(hvic_pool_get(p, key, v, sizeof(v)), 0, "read back at the limits");
	tap_eq(strlen(v), 2047, "value kept whole");
	key[511] = 'k';
	key[512] = 0;
	tap_eq(hvic_pool_set(p, key, "x"), -E2BIG, "512-byte key refused");
	key[511] = 0;
	val[2047] = 'v';
	val[2048] = 0;
	tap_eq(hvic_pool_set(p, "k2", val), -E2BIG, "2048-byte value refused");
	tap_eq(hvic_pool_set(p, "", "x"), -EINVAL, "empty key refused");
	tap_eq(hvic_pool_count(p), 1, "nothing stored by refused sets");
	tap_eq(hvic_pool_get(p, "k2", v, sizeof(v)), -ENOENT, "k2 not stored, not truncated");
	hvic_pool_close(p);
	reset();
}

static void test_repair(void)
{
	struct hvic_pool_scan sc;
	struct hvic_pool *p;
	char v[HVIC_POOL_VALUE_SIZE];

	/* a partial record at the end (a crashed appender) */
	raw_append("a", "1", REC);
	raw_append("b", "2", REC);
	raw_append("c", "3", 1000);
	p = open0();
	tap_eq(hvic_pool_count(p), 2, "partial tail dropped");
	tap_eq(file_size(), 2 * REC, "file cut to whole records");
	hvic_pool_close(p);
	reset();

	/* duplicates: the later wins; an empty key is not a record */
	raw_append("a", "old", REC);
	raw_append("b", "2", REC);
	raw_append("", "junk", REC);
	raw_append("a", "new", REC);
	raw_append("c", "3", REC);
	raw_append("b", "two", REC);
	tap_eq(scan_file(&sc), 0, "scan damaged file");
	tap_eq(sc.dups, 2, "scan: two superseded records");
	tap_eq(sc.invalid, 1, "scan: one invalid record");
	tap_eq(sc.live, 3, "scan: three live records");
	p = open0();
	tap_eq(hvic_pool_count(p), 3, "three records after repair");
	tap_eq(hvic_pool_get(p, "a", v, sizeof(v)), 0, "a");
	tap_streq(v, "new", "later a wins");
	tap_eq(hvic_pool_get(p, "b", v, sizeof(v)), 0, "b");
	tap_streq(v, "two", "later b wins");
	tap_eq(file_size(), 3 * REC, "file compacted in place");
	tap_eq(scan_file(&sc), 0, "scan repaired file");
	tap_ok(!sc.dups && !sc.invalid && !sc.tail && sc.live == 3, "repaired file is canonical");

	/* a record appended by someone else is seen */
	raw_append("from-cloud-init", "hello", REC);
	tap_eq(hvic_pool_get(p, "from-cloud-init", v, sizeof(v)), 0, "foreign append seen");
	tap_streq(v, "hello", "foreign value");
	hvic_pool_close(p);
	reset();
}

/* ------------------------------------------------------------- leases */

/* Whether another process could take the lock cloud-init takes, now. */
static bool others_can_lock(void)
{
	char path[128];
	int fd, status;
	pid_t pid;

	pool_path(path, sizeof(path));
	fflush(NULL);
	pid = fork();
	if (!pid) {
		fd = open(path, O_RDWR);
		_exit(fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Append a record without any lock, as a careless script would. */
static void unlocked_append(const char *key, const char *value)
{
	struct hvic_pool_rec r;
	char path[128];
	int fd;

	memset(&r, 0, sizeof(r));
	snprintf(r.key, sizeof(r.key), "%s", key);
	snprintf(r.value, sizeof(r.value), "%s", value);
	pool_path(path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		tap_diag("unlocked append failed");
	if (fd >= 0)
		close(fd);
}

static void test_lease(void)
{
	struct hvic_pool *p = NULL;
	char k[32], v[64];
	struct timespec t0, t1;
	unsigned long reads;
	int i, ok = 1, idle;
	long took;

	reset();
	if (!tap_ok(!hvic_pool_open(&p, dir, 0, HVIC_POOL_LEASE), "lease: open"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	hvic_pool_set(p, "a", "1");
	idle = hvic_pool_idle(p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	/* (a machine too busy to get here in time sees the lease end) */
	tap_ok(idle > 0 ? idle <= HVIC_POOL_LEASE_IDLE_MS :
	       idle == -1 && took >= HVIC_POOL_LEASE_IDLE_MS - 1,
	       "lease: idle reports when it ends (%d ms)", idle);
	hvic_pool_get(p, "a", v, sizeof(v));
	reads = hvic_pool_reads(p);
	tap_ok(!others_can_lock(), "lease: the file stays locked after an operation");
	for (i = 0; i < 200; i++) {
		snprintf(k, sizeof(k), "k%d", i % 20);
		snprintf(v, sizeof(v), "v%d", i);
		ok &= !hvic_pool_set(p, k, v) && !hvic_pool_get(p, k, v, sizeof(v));
	}
	tap_ok(ok && hvic_pool_reads(p) == reads,
	       "lease: 400 operations, no re-read (%lu)", hvic_pool_reads(p) - reads);
	/* a writer that ignores the locks is still noticed */
	unlocked_append("script", "appended");
	tap_ok(!hvic_pool_get(p, "script", v, sizeof(v)) && !strcmp(v, "appended"),
	       "lease: an unlocked append is seen by the next operation");
	usleep((HVIC_POOL_LEASE_IDLE_MS + 2) * 1000);
	tap_ok(hvic_pool_idle(p) == -1 && others_can_lock(),
	       "lease: ends after %d ms idle", HVIC_POOL_LEASE_IDLE_MS);
	/* a steady stream still lets go within the maximum */
	hvic_pool_get(p, "a", v, sizeof(v));
	tap_ok(!others_can_lock(), "lease: taken again by the next operation");
	for (i = 1; i < 10000 && !others_can_lock(); i++) {
		usleep(1000);
		hvic_pool_get(p, "a", v, sizeof(v));
	}
	tap_ok(i < 10000, "lease: a busy handle lets go within %d ms (after %d operations)",
	       HVIC_POOL_LEASE_MAX_MS, i);
	hvic_pool_get(p, "a", v, sizeof(v));
	tap_ok(!hvic_pool_release(p) && others_can_lock(), "lease: release");
	{
		struct hvic_pool_scan sc;
		int n = hvic_pool_count(p), r;

		hvic_pool_release(p);
		r = scan_file(&sc);
		tap_ok(!r && !sc.tail && !sc.invalid && !sc.dups &&
		       (int)sc.live == n && file_size() == (off_t)n * REC,
		       "lease: the file is canonical once released (%zu records, %d live)",
		       sc.records, n);
	}
	hvic_pool_close(p);
	reset();
}

/* ---------------------------------------------------- crash injection */

enum op { OP_NEW, OP_OVERWRITE, OP_DELETE_MID, OP_DELETE_LAST, OP_REPAIR,
	  OP_SEQ_NEW, OP_SEQ_DELETE, OP_SEQ_OVERWRITE };
static const char *const op_names[] = { "set new key", "overwrite", "delete (middle)",
					"delete (last)", "startup repair",
					"leased overwrite, then set new key",
					"leased overwrite, then delete",
					"leased overwrite, then overwrite (the spare)" };

/*
 * The new values of k2 and k3: short ones are replaced in place, values
 * beyond the first sector of the field through a copy (test_crash_long).
 */
static const char *new2 = "changed-value", *new3 = "changed-3";

/* Marks that the first operation of a sequence returned (was acknowledged). */
static void ack_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/ack", dir);
}

#define BASE 6

static void base_state(enum op op)
{
	struct hvic_pool *p;
	char k[32], v[32];
	int i;

	reset();
	if (op == OP_REPAIR) {
		/* damaged: duplicates in several places and a partial tail */
		raw_append("k0", "old0", REC);
		raw_append("k1", "v1", REC);
		raw_append("k2", "old2", REC);
		raw_append("k0", "v0", REC);
		raw_append("", "", REC);
		raw_append("k3", "v3", REC);
		raw_append("k2", "v2", REC);
		raw_append("k4", "v4", REC);
		raw_append("k5", "v5", REC);
		raw_append("x", "partial", 700);
		return;
	}
	p = open0();
	for (i = 0; i < BASE; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		snprintf(v, sizeof(v), "v%d", i);
		hvic_pool_set(p, k, v);
	}
	hvic_pool_close(p);
}

static void child_op(enum op op)
{
	struct hvic_pool *p = open0();

	switch (op) {
	case OP_NEW:
		hvic_pool_set(p, "knew", "vnew");
		break;
	case OP_OVERWRITE:
		hvic_pool_set(p, "k2", new2);
		break;
	case OP_DELETE_MID:
		hvic_pool_delete(p, "k1");
		break;
	case OP_DELETE_LAST:
		hvic_pool_delete(p, "k5");
		break;
	case OP_REPAIR:
		hvic_pool_count(p);
		break;
	case OP_SEQ_NEW:
	case OP_SEQ_DELETE:
	case OP_SEQ_OVERWRITE:
		/* the daemon's way: one lease, the first truncation unsynced */
		hvic_pool_close(p);
		if (hvic_pool_open(&p, dir, 0, HVIC_POOL_LEASE))
			_exit(1);
		if (!hvic_pool_set(p, "k2", new2)) {
			char ack[128];
			int fd;

			ack_path(ack, sizeof(ack));
			fd = creat(ack, 0600);
			if (fd >= 0)
				close(fd);
		}
		if (op == OP_SEQ_NEW)
			hvic_pool_set(p, "knew", "vnew");
		else if (op == OP_SEQ_OVERWRITE)
			hvic_pool_set(p, "k3", new3);
		else
			hvic_pool_delete(p, "k1");
		break;
	}
	hvic_pool_close(p);
}

/*
 * After a crash (or completion, done) check the file: it parses after the
 * repair, every acknowledged record is there, and the key being changed
 * has its old or its new value (done: the new one).
 */
static bool check_state(enum op op, bool done, char *why, size_t len)
{
	const char *key = NULL, *oldv = NULL, *newv = NULL;
	struct hvic_pool_scan sc;
	struct hvic_pool *p;
	char k[32], want[32], v[HVIC_POOL_VALUE_SIZE];
	bool acked = false;
	int i, r, n;

	switch (op) {
	case OP_NEW:
		key = "knew"; newv = "vnew";
		break;
	case OP_OVERWRITE:
		key = "k2"; oldv = "v2"; newv = new2;
		break;
	case OP_DELETE_MID:
		key = "k1"; oldv = "v1";
		break;
	case OP_DELETE_LAST:
		key = "k5"; oldv = "v5";
		break;
	case OP_REPAIR:
		break;
	case OP_SEQ_NEW:
		key = "knew"; newv = "vnew";
		break;
	case OP_SEQ_DELETE:
		key = "k1"; oldv = "v1";
		break;
	case OP_SEQ_OVERWRITE:
		key = "k3"; oldv = "v3"; newv = new3;
		break;
	}
	if (op >= OP_SEQ_NEW) {
		char ack[128];

		ack_path(ack, sizeof(ack));
		acked = !access(ack, F_OK);
		unlink(ack);
	}
	p = open0();
	if (!p) {
		snprintf(why, len, "open failed");
		return false;
	}
	n = hvic_pool_count(p);
	for (i = 0; i < BASE; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		snprintf(want, sizeof(want), "v%d", i);
		if (key && !strcmp(k, key))
			continue;
		/* the sequences' first change: acknowledged, or not yet */
		if (i == 2 && op >= OP_SEQ_NEW) {
			r = hvic_pool_get(p, k, v, sizeof(v));
			if (!r && !strcmp(v, new2))
				continue;
			if (acked || done || r || strcmp(v, want)) {
				snprintf(why, len, "k2 %s: %d \"%.64s\"",
					 acked ? "acknowledged" : "unacknowledged",
					 r, r ? "" : v);
				hvic_pool_close(p);
				return false;
			}
			continue;
		}
		r = hvic_pool_get(p, k, v, sizeof(v));
		if (r || strcmp(v, want)) {
			snprintf(why, len, "acknowledged %s lost (%d, \"%.64s\")", k, r, r ? "" : v);
			hvic_pool_close(p);
			return false;
		}
	}
	if (key) {
		r = hvic_pool_get(p, key, v, sizeof(v));
		/* absent stands for "no value" (NULL) */
#define MATCHES(x) ((x) ? r == 0 && !strcmp(v, (x)) : r == -ENOENT)
		if (!(MATCHES(newv) || (!done && MATCHES(oldv)))) {
			snprintf(why, len, "%s: %d \"%.64s\"", key, r, r ? "" : v);
			hvic_pool_close(p);
			return false;
		}
#undef MATCHES
	}
	hvic_pool_close(p);
	if (scan_file(&sc) || sc.tail || sc.invalid || sc.dups || (int)sc.live != n) {
		snprintf(why, len, "not canonical after repair: tail %zu invalid %zu dups %zu",
			 sc.tail, sc.invalid, sc.dups);
		return false;
	}
	return true;
}

static void test_crash(enum op op)
{
	char why[256] = "";
	int steps = 0, bad = 0, status;
	bool done = false;
	long k;

	for (k = 0; k < 100 && !done; k++) {
		pid_t pid;

		base_state(op);
		fflush(NULL);
		pid = fork();
		if (!pid) {
			hvic_pool_fault_steps = k;
			child_op(op);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 99)) {
			snprintf(why, sizeof(why), "child died oddly (status 0x%x)", status);
			bad++;
			break;
		}
		done = WEXITSTATUS(status) == 0;
		if (!done)
			steps++;
		if (!check_state(op, done, why, sizeof(why))) {
			tap_diag("%s, crash at step %ld: %s", op_names[op], k, why);
			bad++;
		}
	}
	tap_ok(done && !bad, "%s: crash at each of its %d write steps leaves a good file",
	       op_names[op], steps);
	reset();
}

int main(void)
{
	hvic_log_stderr(false);		/* the repairs are expected */
	snprintf(dir, sizeof(dir), "/tmp/hvic-pool-test.%d", getpid());
	if (mkdir(dir, 0700)) {
		perror(dir);
		return 1;
	}
	test_round_trip();
	test_many();
	test_limits();
	test_repair();
	test_crash(OP_NEW);
	test_crash(OP_OVERWRITE);
	test_crash(OP_DELETE_MID);
	test_crash(OP_DELETE_LAST);
	test_crash(OP_REPAIR);
	test_crash(OP_SEQ_NEW);
	test_crash(OP_SEQ_DELETE);
	test_crash(OP_SEQ_OVERWRITE);
	{
		static char l2[1500], l3[2047];

		memset(l2, 'L', sizeof(l2) - 1);
		memset(l3, 'M', sizeof(l3) - 1);
		new2 = l2;
		new3 = l3;
		tap_diag("the same with values beyond the first sector");
		test_crash(OP_OVERWRITE);
		test_crash(OP_SEQ_NEW);
		test_crash(OP_SEQ_DELETE);
		test_crash(OP_SEQ_OVERWRITE);
	}
	test_lease();
	rmdir(dir);
	return tap_done();
}
