// SPDX-License-Identifier: GPL-2.0
/*
 * KVP pool files: an in-memory mirror of the file's records with a hash
 * index, kept in step with the file by fstat() and updated in place with
 * ordered, synced writes.
 *
 * Why a crash can't leave a bad file.  Records are 2560 bytes, so every
 * record starts on a 512-byte boundary and its key field is exactly one
 * sector: a torn write can mix old and new *value* sectors, but a key
 * sector is either old or new (and so is a value that lives in its first
 * sector, with zeros after: such values are replaced in place).  The rules the repair applies on every
 * (re)read of a writable handle are: drop a partial record at the end;
 * drop a record whose key is empty or whose key or value lacks its NUL;
 * of several records with the same key keep the last one.  Each update is
 * ordered so that at every instant those rules give the old or the new
 * state (see set_existing(), append() and move_last_into()).  A change is
 * reported done only after its last fdatasync().
 *
 * A truncation that only drops a record which duplicates an earlier one
 * (the end of set_existing() and move_last_into()) needs no sync before the
 * change is reported: with or without it the file reads the same.  It is
 * synced before the next write to the file, or when the lock is released,
 * so writes still reach the disk in the order above.
 *
 * Detecting changes by others.  Between operations we remember the file's
 * device, inode, size, mtime and ctime and re-read it only when one of them
 * changed.  Inode timestamps come from a clock that ticks every few ms, so
 * a same-size in-place change by another writer within the tick of our own
 * last write would look like no change: after writing we keep the lock
 * until that clock has moved past the file's timestamps.
 *
 * A leased handle also keeps the copy that set_existing() appends instead
 * of cutting it off: that slot past the records, the spare, takes the next
 * change in place, where growing and shrinking the file would cost two
 * journal commits on most file systems.  Its key sector is cleared and
 * synced first (the copy is redundant: its record's own slot is durable),
 * after which it is just the empty-key slot append() expects.  The spare
 * is cut off when the lease ends.
 *
 * Leases (HVIC_POOL_LEASE, for the daemon).  Taking and dropping two locks,
 * checking the path and waiting out the timestamp tick for every request
 * costs more than the request.  A leased handle keeps its locks from one
 * operation to the next and lets go once it has been idle for
 * HVIC_POOL_LEASE_IDLE_MS, or after HVIC_POOL_LEASE_MAX_MS in all, so others
 * wait at most that long.  While we hold the locks, writers that take either
 * lock can't change the file; one that takes none (a script appending with
 * >>) is still noticed by the fstat() every operation starts with.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pool.h"

#define REC	HVIC_POOL_REC_SIZE
#define KEYSZ	HVIC_POOL_KEY_SIZE
#define VALSZ	HVIC_POOL_VALUE_SIZE

_Static_assert(sizeof(struct hvic_pool_rec) == REC, "record layout");
_Static_assert(REC % 512 == 0 && KEYSZ == 512, "key field is one sector");

struct pool_snap {
	bool valid;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
};

struct hvic_pool {
	char *path;
	int fd;
	unsigned int flags;
	struct hvic_pool_rec *rec;	/* the file's complete records */
	size_t nslots, cap;
	uint32_t *order;		/* live records, in file order */
	size_t live;
	uint32_t *hash;			/* slot + 1, 0 = empty */
	size_t hsize;			/* power of two, >= 2 * nslots */
	struct pool_snap snap;
	bool dirty;			/* written since the lock was taken */
	bool trunc_unsynced;		/* a truncation awaits its sync */
	/*
	 * Lease only: the file has one slot past nslots, the spare, that the
	 * next change writes into instead of growing the file; spare_live:
	 * its key is set (a copy of a record whose own slot is durable).
	 */
	bool spare, spare_live;
	bool held;			/* lease: locked between operations */
	struct timespec held_since;	/* CLOCK_MONOTONIC, lease taken */
	struct timespec last_use;	/* CLOCK_MONOTONIC, last operation */
	unsigned long reads;
};

#ifdef HVIC_POOL_FAULT
long hvic_pool_fault_steps = -1;

static bool fault_now(void)
{
	return hvic_pool_fault_steps >= 0 && hvic_pool_fault_steps-- == 0;
}
#else
static inline bool fault_now(void)
{
	return false;
}
#endif

/* ------------------------------------------------------------ index */

static uint32_t key_hash(const char *key)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < KEYSZ && key[i]; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static bool key_eq(const char *a, const char *b)
{
	return strncmp(a, b, KEYSZ) == 0;
}

bool hvic_pool_rec_valid(const struct hvic_pool_rec *r)
{
	return r->key[0] && memchr(r->key, 0, KEYSZ) &&
	       memchr(r->value, 0, VALSZ);
}

/* Slot of key, or -1. */
static long idx_find(const struct hvic_pool *p, const char *key)
{
	size_t mask = p->hsize - 1, i;

	if (!p->hsize)
		return -1;
	for (i = key_hash(key) & mask; p->hash[i]; i = (i + 1) & mask) {
		uint32_t s = p->hash[i] - 1;

		if (key_eq(p->rec[s].key, key))
			return s;
	}
	return -1;
}

/* Map key -> slot; returns the slot it replaced, or -1. */
static long idx_put(struct hvic_pool *p, uint32_t slot)
{
	const char *key = p->rec[slot].key;
	size_t mask = p->hsize - 1, i;

	for (i = key_hash(key) & mask; p->hash[i]; i = (i + 1) & mask) {
		uint32_t s = p->hash[i] - 1;

		if (key_eq(p->rec[s].key, key)) {
			p->hash[i] = slot + 1;
			return s;
		}
	}
	p->hash[i] = slot + 1;
	return -1;
}

static void index_build(struct hvic_pool *p, size_t *invalid, size_t *dups);

static int ensure_cap(struct hvic_pool *p, size_t n)
{
	size_t cap = p->cap ? p->cap : 64, hsize = p->hsize ? p->hsize : 128;
	struct hvic_pool_rec *rec;
	uint32_t *order, *hash;

	while (cap < n)
		cap *= 2;
	while (hsize < 2 * cap)
		hsize *= 2;
	if (cap != p->cap || !p->rec) {
		rec = realloc(p->rec, cap * sizeof(*rec));
		if (!rec)
			return -ENOMEM;
		p->rec = rec;
		order = realloc(p->order, cap * sizeof(*order));
		if (!order)
			return -ENOMEM;
		p->order = order;
		p->cap = cap;
	}
	if (hsize != p->hsize || !p->hash) {
		hash = calloc(hsize, sizeof(*hash));
		if (!hash)
			return -ENOMEM;
		free(p->hash);
		p->hash = hash;
		p->hsize = hsize;
		index_build(p, NULL, NULL);
	}
	return 0;
}

/*
 * Index the records: the last record of each key wins.  Counts the invalid
 * records and the losing duplicates; fills order with the winners.
 */
static void index_build(struct hvic_pool *p, size_t *invalid, size_t *dups)
{
	size_t s, bad = 0, dup = 0;

	memset(p->hash, 0, p->hsize * sizeof(*p->hash));
	for (s = 0; s < p->nslots; s++) {
		if (!hvic_pool_rec_valid(&p->rec[s]))
			bad++;
		else if (idx_put(p, s) >= 0)
			dup++;
	}
	p->live = 0;
	for (s = 0; s < p->nslots; s++)
		if (hvic_pool_rec_valid(&p->rec[s]) &&
		    idx_find(p, p->rec[s].key) == (long)s)
			p->order[p->live++] = s;
	if (invalid)
		*invalid = bad;
	if (dups)
		*dups = dup;
}

int hvic_pool_scan(const void *buf, size_t len, struct hvic_pool_scan *scan)
{
	struct hvic_pool p = { 0 };
	int ret;

	memset(scan, 0, sizeof(*scan));
	ret = ensure_cap(&p, len / REC);
	if (!ret) {
		p.nslots = len / REC;
		if (p.nslots)
			memcpy(p.rec, buf, p.nslots * REC);
		index_build(&p, &scan->invalid, &scan->dups);
		scan->records = p.nslots;
		scan->tail = len % REC;
		scan->live = p.live;
	}
	free(p.rec);
	free(p.order);
	free(p.hash);
	return ret;
}

/* --------------------------------------------------------- file I/O */

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *b = buf;

	while (len) {
		ssize_t n = pwrite(fd, b, len, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int step_sync(struct hvic_pool *p);

static int step_write(struct hvic_pool *p, const void *buf, size_t len, off_t off)
{
	if (p->trunc_unsynced) {
		int ret = step_sync(p);

		if (ret)
			return ret;
	}
	p->dirty = true;
	if (fault_now()) {
		/* a torn write: whole sectors of the first half, then crash */
		pwrite_all(p->fd, buf, (len / 2) & ~(size_t)511, off);
		_exit(99);
	}
	return pwrite_all(p->fd, buf, len, off);
}

static int step_sync(struct hvic_pool *p)
{
	if (fault_now())
		_exit(99);
	if (fdatasync(p->fd))
		return -errno;
	p->trunc_unsynced = false;
	return 0;
}

static int step_truncate(struct hvic_pool *p, size_t nrec)
{
	p->dirty = true;
	if (fault_now())
		_exit(99);
	return ftruncate(p->fd, (off_t)nrec * REC) ? -errno : 0;
}

/*
 * Append r as slot n (== nslots): the value first, which leaves an empty
 * key (an invalid record) until the key sector is written after it.  A
 * crash can leave a partial tail or an empty-key record, never a key with
 * a value it wasn't given.
 */
static int append(struct hvic_pool *p, const struct hvic_pool_rec *r)
{
	off_t off = (off_t)p->nslots * REC;
	int ret;

	ret = step_write(p, r->value, VALSZ, off + KEYSZ);
	if (!ret)
		ret = step_sync(p);
	if (!ret)
		ret = step_write(p, r->key, KEYSZ, off);
	if (!ret)
		ret = step_sync(p);
	return ret;
}

/* Turn a live spare back into an empty-key slot for append(). */
static int spare_clear(struct hvic_pool *p)
{
	static const char nokey[KEYSZ];
	int ret;

	if (!p->spare || !p->spare_live)
		return 0;
	ret = step_write(p, nokey, KEYSZ, (off_t)p->nslots * REC);
	if (!ret)
		ret = step_sync(p);
	if (!ret)
		p->spare_live = false;
	return ret;
}

/* Cut the spare off (it is redundant either way: no sync needed). */
static int spare_drop(struct hvic_pool *p)
{
	int ret;

	if (!p->spare)
		return 0;
	ret = step_truncate(p, p->nslots);
	if (!ret) {
		p->trunc_unsynced = true;
		p->spare = p->spare_live = false;
	}
	return ret;
}

/*
 * Overwrite slot s with the last record and drop the last slot.  The key
 * sector goes first: from then on slot s duplicates the last record, which
 * wins, so a crash before the truncation leaves the last record's value.
 */
static int move_last_into(struct hvic_pool *p, size_t s)
{
	size_t last = p->nslots - 1;
	off_t off = (off_t)s * REC;
	int ret = 0;

	if (s != last) {
		ret = step_write(p, p->rec[last].key, KEYSZ, off);
		if (!ret)
			ret = step_sync(p);
		if (!ret)
			ret = step_write(p, p->rec[last].value, VALSZ, off + KEYSZ);
		if (!ret)
			ret = step_sync(p);
		if (!ret)
			p->rec[s] = p->rec[last];
	}
	if (!ret)
		ret = step_truncate(p, last);
	if (!ret) {
		/* last duplicates slot s; a spare is redundant anyway */
		p->trunc_unsynced = true;
		p->spare = p->spare_live = false;
		p->nslots = last;
	}
	return ret;
}

/*
 * Make the file canonical (no partial tail, no invalid records, unique
 * keys), dropping records from the highest slot down: the record moved
 * into a dropped slot then sits after every duplicate of its key still
 * to be dropped, so "the last one wins" keeps holding after a crash here.
 */
static int repair(struct hvic_pool *p, size_t tail, size_t invalid, size_t dups)
{
	size_t s;
	int ret = 0;

	log_warn("%s: repairing: %zu stray bytes at the end, %zu invalid and %zu superseded records",
		 p->path, tail, invalid, dups);
	if (tail) {
		ret = step_truncate(p, p->nslots);
		if (!ret)
			ret = step_sync(p);
	}
	for (s = p->nslots; !ret && s-- > 0;) {
		if (hvic_pool_rec_valid(&p->rec[s]) &&
		    idx_find(p, p->rec[s].key) == (long)s)
			continue;
		ret = move_last_into(p, s);
		/* slots above s are all winners: keep the index right */
		if (!ret && s < p->nslots)
			idx_put(p, s);
	}
	index_build(p, NULL, NULL);
	return ret;
}

static void take_snap(struct hvic_pool *p, const struct stat *st)
{
	p->snap.valid = true;
	p->snap.dev = st->st_dev;
	p->snap.ino = st->st_ino;
	p->snap.size = st->st_size;
	p->snap.mtim = st->st_mtim;
	p->snap.ctim = st->st_ctim;
}

static bool snap_same(const struct pool_snap *s, const struct stat *st)
{
	return s->valid && s->dev == st->st_dev && s->ino == st->st_ino &&
	       s->size == st->st_size &&
	       s->mtim.tv_sec == st->st_mtim.tv_sec &&
	       s->mtim.tv_nsec == st->st_mtim.tv_nsec &&
	       s->ctim.tv_sec == st->st_ctim.tv_sec &&
	       s->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

static int reload(struct hvic_pool *p, const struct stat *st)
{
	size_t n = st->st_size / REC, tail = st->st_size % REC, got = 0;
	size_t invalid, dups;
	int ret;

	/* our spare, if any, is read as a slot: the repair drops it */
	p->spare = p->spare_live = false;
	ret = ensure_cap(p, n);
	if (ret)
		return ret;
	while (got < n * REC) {
		ssize_t r = pread(p->fd, (char *)p->rec + got, n * REC - got, got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;		/* shrank under us: a writer without locks */
		got += r;
	}
	p->reads++;
	if (got < n * REC) {
		tail = got % REC;
		n = got / REC;
	}
	p->nslots = n;
	index_build(p, &invalid, &dups);
	if (!(p->flags & HVIC_POOL_RDONLY) && (tail || invalid || dups))
		return repair(p, tail, invalid, dups);
	return 0;
}

/* Re-read the file if it changed since we last saw it (force: always). */
static int refresh(struct hvic_pool *p, bool force)
{
	struct stat st;
	int ret;

	if (fstat(p->fd, &st))
		return -errno;
	if (!force && snap_same(&p->snap, &st))
		return 0;
	p->snap.valid = false;
	ret = reload(p, &st);
	if (ret)
		return ret;
	if (fstat(p->fd, &st))
		return -errno;
	take_snap(p, &st);
	return 0;
}

static int do_open(struct hvic_pool *p)
{
	int fl = O_CLOEXEC;

	if (p->flags & HVIC_POOL_RDONLY)
		fl |= O_RDONLY;
	else
		fl |= O_RDWR | ((p->flags & HVIC_POOL_NOCREATE) ? 0 : O_CREAT);
	p->fd = open(p->path, fl, 0644);
	if (p->fd < 0)
		return -errno;
	p->snap.valid = false;
	return 0;
}

static void unlock_fd(struct hvic_pool *p)
{
	struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET };

	fcntl(p->fd, F_SETLK, &fl);
	flock(p->fd, LOCK_UN);
}

static int lock(struct hvic_pool *p)
{
	bool ro = p->flags & HVIC_POOL_RDONLY;
	struct flock fl = { .l_type = ro ? F_RDLCK : F_WRLCK,
			    .l_whence = SEEK_SET };
	struct stat a, b;
	int tries, ret;

	for (tries = 0; tries < 100; tries++) {
		if (p->fd < 0) {
			ret = do_open(p);
			if (ret)
				return ret;
		}
		while (flock(p->fd, ro ? LOCK_SH : LOCK_EX))
			if (errno != EINTR)
				return -errno;
		while (fcntl(p->fd, F_SETLKW, &fl))
			if (errno != EINTR) {
				ret = -errno;
				flock(p->fd, LOCK_UN);
				return ret;
			}
		/* still the file at our path (not removed or replaced)? */
		if (!fstat(p->fd, &a) && !stat(p->path, &b) &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 0;
		unlock_fd(p);
		close(p->fd);
		p->fd = -1;
	}
	return -ESTALE;
}

static bool ts_after(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* See the top of the file: don't let a change hide in our timestamp tick. */
static void settle(struct hvic_pool *p)
{
	struct timespec now, ms = { 0, 1000000 };
	struct stat st;
	int i;

	if (fstat(p->fd, &st)) {
		p->snap.valid = false;
		return;
	}
	take_snap(p, &st);
#ifdef HVIC_POOL_NO_SETTLE
	/* fuzzing: one process, speed matters more than others' writes */
	return;
#endif
	for (i = 0; i < 50; i++) {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (ts_after(&now, &st.st_mtim) && ts_after(&now, &st.st_ctim))
			return;
		nanosleep(&ms, NULL);
	}
}

static long ms_since(const struct timespec *t, const struct timespec *now)
{
	return (now->tv_sec - t->tv_sec) * 1000L +
	       (now->tv_nsec - t->tv_nsec) / 1000000L;
}

/* Sync what is pending, wait out the timestamp tick, drop the locks. */
static int release(struct hvic_pool *p)
{
	int ret = spare_drop(p);

	if (!ret && p->trunc_unsynced)
		ret = step_sync(p);
	if (p->dirty)
		settle(p);
	if (ret)
		p->snap.valid = false;
	p->dirty = false;
	p->held = false;
	unlock_fd(p);
	return ret;
}

static int op_begin(struct hvic_pool *p, bool force)
{
	int ret = 0;

	if (!p->held) {
		ret = lock(p);
		if (ret)
			return ret;
		p->dirty = false;
		if (p->flags & HVIC_POOL_LEASE) {
			p->held = true;
			clock_gettime(CLOCK_MONOTONIC, &p->held_since);
		}
	}
	ret = refresh(p, force);
	if (ret) {
		p->snap.valid = false;
		release(p);
	}
	return ret;
}

static int op_end(struct hvic_pool *p, int ret)
{
	struct timespec now;
	struct stat st;

	if (ret < 0 && ret != -ENOENT) {
		p->snap.valid = false;	/* re-read (and repair) next time */
		release(p);
		return ret;
	}
	if (!p->held) {
		int r = release(p);

		return r ? r : ret;
	}
	/* Leased: remember what the file looks like after our writes. */
	if (p->dirty) {
		if (fstat(p->fd, &st))
			p->snap.valid = false;
		else
			take_snap(p, &st);
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	p->last_use = now;
	if (ms_since(&p->held_since, &now) >= HVIC_POOL_LEASE_MAX_MS) {
		int r = release(p);

		return r ? r : ret;
	}
	return ret;
}

int hvic_pool_idle(struct hvic_pool *p)
{
	struct timespec now;
	long idle, total;

	if (!p->held)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	idle = HVIC_POOL_LEASE_IDLE_MS - ms_since(&p->last_use, &now);
	total = HVIC_POOL_LEASE_MAX_MS - ms_since(&p->held_since, &now);
	if (idle <= 0 || total <= 0) {
		release(p);
		return -1;
	}
	return (int)(idle < total ? idle : total);
}

int hvic_pool_release(struct hvic_pool *p)
{
	return p->held ? release(p) : 0;
}

/* ------------------------------------------------------------- API */

int hvic_pool_open_path(struct hvic_pool **out, const char *path,
			unsigned int flags)
{
	struct hvic_pool *p = calloc(1, sizeof(*p));
	int ret = -ENOMEM;

	if (!p)
		return -ENOMEM;
	p->fd = -1;
	p->flags = flags;
	p->path = strdup(path);
	if (p->path)
		ret = ensure_cap(p, 0);
	if (!ret)
		ret = do_open(p);
	if (ret) {
		hvic_pool_close(p);
		return ret;
	}
	*out = p;
	return 0;
}

int hvic_pool_open(struct hvic_pool **out, const char *dir, unsigned int index,
		   unsigned int flags)
{
	char path[4096];

	if (index >= HVIC_POOL_COUNT)
		return -EINVAL;
	if (!dir)
		dir = HVIC_POOL_DIR;
	if (!(flags & (HVIC_POOL_RDONLY | HVIC_POOL_NOCREATE)) &&
	    mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	if ((size_t)snprintf(path, sizeof(path), "%s/.kvp_pool_%u", dir, index) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	return hvic_pool_open_path(out, path, flags);
}

void hvic_pool_close(struct hvic_pool *p)
{
	if (!p)
		return;
	if (p->held)
		release(p);
	if (p->fd >= 0)
		close(p->fd);
	free(p->path);
	free(p->rec);
	free(p->order);
	free(p->hash);
	free(p);
}

const char *hvic_pool_path(const struct hvic_pool *p)
{
	return p->path;
}

unsigned long hvic_pool_reads(const struct hvic_pool *p)
{
	return p->reads;
}

int hvic_pool_check(const char *key, const char *value)
{
	if (!key || !*key)
		return -EINVAL;
	if (strnlen(key, KEYSZ) >= KEYSZ)
		return -E2BIG;
	if (value && strnlen(value, VALSZ) >= VALSZ)
		return -E2BIG;
	return 0;
}

int hvic_pool_sync(struct hvic_pool *p)
{
	return op_end(p, op_begin(p, true));
}

int hvic_pool_get(struct hvic_pool *p, const char *key, char *value, size_t len)
{
	int ret = hvic_pool_check(key, NULL);
	long s;

	if (ret)
		return ret == -E2BIG ? -ENOENT : ret;
	ret = op_begin(p, false);
	if (ret)
		return ret;
	s = idx_find(p, key);
	if (s < 0) {
		ret = -ENOENT;
	} else if (value) {
		size_t n = strnlen(p->rec[s].value, VALSZ);

		if (len) {
			size_t c = n < len ? n : len - 1;

			memcpy(value, p->rec[s].value, c);
			value[c] = 0;
		}
		if (n >= len)
			ret = -ENOSPC;
	}
	return op_end(p, ret);
}

/*
 * Whether only the first sector of slot s's value field changes: the old
 * and the new value both end in it and the rest of the field is zeros in
 * both.  One sector is written whole or not at all, so it can be
 * overwritten in place.
 */
static bool first_sector_only(const struct hvic_pool *p, size_t s,
			      const struct hvic_pool_rec *r)
{
	static const char zeros[VALSZ - 512];

	return memchr(p->rec[s].value, 0, 512) && memchr(r->value, 0, 512) &&
	       !memcmp(p->rec[s].value + 512, zeros, sizeof(zeros)) &&
	       !memcmp(r->value + 512, zeros, sizeof(zeros));
}

/*
 * Replace the value of slot s.  Short values: the one sector in place.
 * Otherwise a copy is appended first (it wins while both exist), then the
 * slot is rewritten and the copy cut off (or kept as the spare).
 */
static int set_existing(struct hvic_pool *p, size_t s,
			const struct hvic_pool_rec *r)
{
	int ret;

	if (first_sector_only(p, s, r)) {
		ret = step_write(p, r->value, 512, (off_t)s * REC + KEYSZ);
		if (!ret)
			ret = step_sync(p);
		if (!ret)
			memcpy(p->rec[s].value, r->value, 512);
		return ret;
	}
	ret = ensure_cap(p, p->nslots + 1);
	if (!ret)
		ret = spare_clear(p);
	if (!ret)
		ret = append(p, r);
	if (!ret)
		ret = step_write(p, r->value, VALSZ, (off_t)s * REC + KEYSZ);
	if (!ret)
		ret = step_sync(p);
	if (ret)
		return ret;
	memcpy(p->rec[s].value, r->value, VALSZ);
	/* the copy duplicates slot s: keep it as the spare, or cut it off */
	p->spare = p->spare_live = true;
	return p->held ? 0 : spare_drop(p);
}

static int set_new(struct hvic_pool *p, const struct hvic_pool_rec *r)
{
	int ret;

	ret = ensure_cap(p, p->nslots + 1);
	if (!ret)
		ret = spare_clear(p);
	if (!ret)
		ret = append(p, r);
	if (ret)
		return ret;
	p->spare = false;	/* it holds the new record now */
	p->rec[p->nslots] = *r;
	idx_put(p, p->nslots);
	p->order[p->live++] = p->nslots;
	p->nslots++;
	return 0;
}

int hvic_pool_set(struct hvic_pool *p, const char *key, const char *value)
{
	struct hvic_pool_rec *r;
	int ret = hvic_pool_check(key, value ? value : "");
	long s;

	if (ret)
		return ret;
	if (p->flags & HVIC_POOL_RDONLY)
		return -EBADF;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	strcpy(r->key, key);
	strcpy(r->value, value ? value : "");
	ret = op_begin(p, false);
	if (ret) {
		free(r);
		return ret;
	}
	s = idx_find(p, key);
	if (s < 0)
		ret = set_new(p, r);
	else if (strcmp(p->rec[s].value, r->value))
		ret = set_existing(p, s, r);
	free(r);
	return op_end(p, ret);
}

int hvic_pool_delete(struct hvic_pool *p, const char *key)
{
	int ret = hvic_pool_check(key, NULL);
	long s;

	if (ret)
		return ret == -E2BIG ? -ENOENT : ret;
	if (p->flags & HVIC_POOL_RDONLY)
		return -EBADF;
	ret = op_begin(p, false);
	if (ret)
		return ret;
	s = idx_find(p, key);
	if (s < 0) {
		ret = -ENOENT;
	} else {
		ret = move_last_into(p, s);
		index_build(p, NULL, NULL);
	}
	return op_end(p, ret);
}

int hvic_pool_count(struct hvic_pool *p)
{
	int ret = op_begin(p, false);

	if (ret)
		return ret;
	return op_end(p, (int)p->live);
}

int hvic_pool_at(struct hvic_pool *p, unsigned int index,
		 struct hvic_pool_rec *rec)
{
	int ret = op_begin(p, false);

	if (ret)
		return ret;
	if (index >= p->live)
		ret = -ENOENT;
	else
		*rec = p->rec[p->order[index]];
	return op_end(p, ret);
}

int hvic_pool_foreach(struct hvic_pool *p,
		      int (*cb)(const char *key, const char *value, void *ctx),
		      void *ctx)
{
	int ret = op_begin(p, false);
	size_t i;

	if (ret)
		return ret;
	for (i = 0; i < p->live && !ret; i++) {
		const struct hvic_pool_rec *r = &p->rec[p->order[i]];

		ret = cb(r->key, r->value, ctx);
	}
	return op_end(p, ret);
}
