/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KVP pool files, /var/lib/hyperv/.kvp_pool_0 .. _4, in the legacy
 * format that hv_kvp_daemon, cloud-init, azure-init and users' scripts read
 * and append to: a flat array of records { char key[512]; char value[2048]; },
 * NUL-terminated strings, no header.
 *
 * Every operation takes flock(LOCK_EX) and fcntl(F_SETLKW, F_WRLCK) on the
 * whole file (cloud-init uses the first, hv_kvp_daemon the second), re-reads
 * the file only if fstat() says it changed, and updates it in place (never a
 * new inode: a writer appending under its lock must not lose its record).
 * Each change is ordered with fdatasync() so that a crash at any point
 * leaves a file that the next open repairs to either the old or the new
 * state; a function that returned 0 has made its change durable.
 *
 * A handle keeps one descriptor per file: POSIX record locks belong to the
 * process and are dropped when any of its descriptors of the file is
 * closed, so don't open the same pool twice in one process.
 */
#ifndef HVIC_POOL_H
#define HVIC_POOL_H

#include <stdbool.h>
#include <stddef.h>

#define HVIC_POOL_DIR		"/var/lib/hyperv"
#define HVIC_POOL_COUNT		5
#define HVIC_POOL_KEY_SIZE	512		/* bytes, with the NUL */
#define HVIC_POOL_VALUE_SIZE	2048
#define HVIC_POOL_REC_SIZE	(HVIC_POOL_KEY_SIZE + HVIC_POOL_VALUE_SIZE)

struct hvic_pool_rec {
	char key[HVIC_POOL_KEY_SIZE];
	char value[HVIC_POOL_VALUE_SIZE];
};

/* Open flags. */
#define HVIC_POOL_RDONLY	0x1	/* shared locks, no repair, no writes */
#define HVIC_POOL_NOCREATE	0x2	/* don't create a missing file */
#define HVIC_POOL_LEASE		0x4	/* keep the locks between operations */

/* A lease ends after this long without an operation, or this long in all. */
#define HVIC_POOL_LEASE_IDLE_MS	5
#define HVIC_POOL_LEASE_MAX_MS	100

struct hvic_pool;

/* .kvp_pool_<index> in dir (NULL: HVIC_POOL_DIR); creates dir and file
 * (0755/0644) unless RDONLY or NOCREATE.  -errno. */
int hvic_pool_open(struct hvic_pool **out, const char *dir, unsigned int index,
		   unsigned int flags);
int hvic_pool_open_path(struct hvic_pool **out, const char *path,
			unsigned int flags);
void hvic_pool_close(struct hvic_pool *p);
const char *hvic_pool_path(const struct hvic_pool *p);

/*
 * Key and value lengths are checked against the record fields: a key of
 * 1..511 bytes, a value of 0..2047 (-EINVAL for an empty key, -E2BIG when
 * it doesn't fit; nothing is ever truncated).
 */
int hvic_pool_check(const char *key, const char *value);

/* 0 and the value (truncated to len; -ENOSPC if it didn't fit), -ENOENT. */
int hvic_pool_get(struct hvic_pool *p, const char *key, char *value, size_t len);
/* Add or replace; 0 once durable. */
int hvic_pool_set(struct hvic_pool *p, const char *key, const char *value);
/* 0 once durable, -ENOENT if absent. */
int hvic_pool_delete(struct hvic_pool *p, const char *key);
/* Number of records, -errno. */
int hvic_pool_count(struct hvic_pool *p);
/* Record number index in file order into *rec; -ENOENT past the end. */
int hvic_pool_at(struct hvic_pool *p, unsigned int index,
		 struct hvic_pool_rec *rec);
/*
 * Call cb for every record under one lock (a consistent snapshot); stops
 * at a non-zero return and returns it.
 */
int hvic_pool_foreach(struct hvic_pool *p,
		      int (*cb)(const char *key, const char *value, void *ctx),
		      void *ctx);
/* Re-read and repair now (done implicitly by every call). */
int hvic_pool_sync(struct hvic_pool *p);

/*
 * Leased handles (HVIC_POOL_LEASE) keep the file locked between operations
 * until the lease ends.  hvic_pool_idle() ends it if it is due and returns
 * the ms until it is (call it again then), or -1 when nothing is held;
 * call it whenever waiting.  hvic_pool_release() ends it now.
 */
int hvic_pool_idle(struct hvic_pool *p);
int hvic_pool_release(struct hvic_pool *p);

/*
 * What a scan of a file image found: complete records, a partial tail,
 * records that are not valid (empty key, key or value without its NUL) and
 * earlier duplicates of a key (the later record wins).  The pure parser
 * behind the repair, exposed for the tests and the fuzzer.
 */
struct hvic_pool_scan {
	size_t records;
	size_t tail;
	size_t invalid;
	size_t dups;
	size_t live;		/* records - invalid - dups */
};
int hvic_pool_scan(const void *buf, size_t len, struct hvic_pool_scan *scan);
bool hvic_pool_rec_valid(const struct hvic_pool_rec *r);

/* Statistics of a handle, for tests: how many times the file was read. */
unsigned long hvic_pool_reads(const struct hvic_pool *p);

#ifdef HVIC_POOL_FAULT
/*
 * Fault injection for the unit tests: when hvic_pool_fault_steps reaches 0
 * on a write, sync or truncate step, the process writes the first half of
 * that step's bytes (a torn write) and _exit()s with status 99.
 */
extern long hvic_pool_fault_steps;
#endif

#endif
