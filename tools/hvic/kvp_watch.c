// SPDX-License-Identifier: GPL-2.0
/*
 * hvic kvp watch [--pool POOL|all] [--json] [--count N]
 *
 * Follows pool files with inotify and prints each change once the writer
 * has released its lock: "added|changed<TAB>POOL<TAB>KEY<TAB>VALUE" or
 * "removed<TAB>POOL<TAB>KEY"; with --json one object per line.  Stops on
 * SIGINT/SIGTERM, or after N changes.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "kvp.h"
#include "subcommands.h"

struct kv {
	char *key, *value;
};

struct snap {
	struct kv *kv;
	size_t n, cap;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int add_kv(const char *key, const char *value, void *ctx)
{
	struct snap *s = ctx;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct kv *kv = realloc(s->kv, cap * sizeof(*kv));

		if (!kv)
			return -ENOMEM;
		s->kv = kv;
		s->cap = cap;
	}
	s->kv[s->n].key = strdup(key);
	s->kv[s->n].value = strdup(value);
	if (!s->kv[s->n].key || !s->kv[s->n].value)
		return -ENOMEM;
	s->n++;
	return 0;
}

static void snap_free(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->kv[i].key);
		free(s->kv[i].value);
	}
	free(s->kv);
	memset(s, 0, sizeof(*s));
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

/* The pool's records now, sorted by key (a missing file is empty). */
static int take(const struct kvp_opts *o, int pool, struct snap *s)
{
	struct hvic_pool *p;
	int ret = hvic_pool_open(&p, o->dir, pool, HVIC_POOL_RDONLY);

	memset(s, 0, sizeof(*s));
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	ret = hvic_pool_foreach(p, add_kv, s);
	hvic_pool_close(p);
	if (!ret)
		qsort(s->kv, s->n, sizeof(*s->kv), cmp_kv);
	return ret;
}

static void event(const struct kvp_opts *o, const char *what, int pool,
		  const struct kv *kv, const char *old)
{
	if (o->json) {
		printf("{\"event\":\"%s\",\"pool\":\"%s\",\"key\":", what,
		       kvp_pool_name(pool));
		json_str(stdout, kv->key);
		if (strcmp(what, "removed")) {
			printf(",\"value\":");
			json_str(stdout, kv->value);
		}
		if (old) {
			printf(",\"old\":");
			json_str(stdout, old);
		}
		printf("}\n");
	} else if (!strcmp(what, "removed")) {
		printf("removed\t%s\t%s\n", kvp_pool_name(pool), kv->key);
	} else {
		printf("%s\t%s\t%s\t%s\n", what, kvp_pool_name(pool), kv->key, kv->value);
	}
	fflush(stdout);
}

/* Print what changed from a to b; returns the number of changes. */
static long diff(const struct kvp_opts *o, int pool, const struct snap *a,
		 const struct snap *b)
{
	size_t i = 0, j = 0;
	long n = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->kv[i].key, b->kv[j].key);

		if (c < 0) {
			event(o, "removed", pool, &a->kv[i++], NULL);
		} else if (c > 0) {
			event(o, "added", pool, &b->kv[j++], NULL);
		} else {
			if (strcmp(a->kv[i].value, b->kv[j].value))
				event(o, "changed", pool, &b->kv[j], a->kv[i].value);
			else
				n--;
			i++;
			j++;
		}
		n++;
	}
	return n;
}

int kvp_watch_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct snap snaps[HVIC_POOL_COUNT] = { 0 };
	bool dirty[HVIC_POOL_COUNT] = { 0 };
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct kvp_opts o;
	const char *dir;
	long changes = 0;
	int ret, fd, pool, rc = EXIT_OK;

	ret = kvp_parse(argc, argv, 0, true, "watch [--pool POOL|all] [--json] [--count N]\n"
			"Print changes to a pool as they happen (default pool: external).", &o);
	if (ret >= 0)
		return ret;
	if (o.argc) {
		fprintf(stderr, "Usage: %s kvp watch [--pool POOL|all] [--json] [--count N]\n", prog);
		return EXIT_USAGE;
	}
	dir = o.dir ? o.dir : HVIC_POOL_DIR;
	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE |
					IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM) < 0) {
		fprintf(stderr, "%s: watching %s: %s\n", prog, dir, strerror(errno));
		return EXIT_IO;
	}
	for (pool = 0; pool < HVIC_POOL_COUNT; pool++) {
		if (o.pool != POOL_ALL && o.pool != pool)
			continue;
		if (take(&o, pool, &snaps[pool])) {
			fprintf(stderr, "%s: reading pool %s failed\n", prog, kvp_pool_name(pool));
			return EXIT_IO;
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "%s: watching %s in %s\n", prog,
		o.pool == POOL_ALL ? "every pool" : kvp_pool_name(o.pool), dir);

	while (!stop && (!o.count || changes < o.count)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		bool any = false;
		ssize_t n;
		char *p;

		for (pool = 0; pool < HVIC_POOL_COUNT; pool++)
			any |= dirty[pool];
		/* after an event, wait for a quiet 50 ms before looking */
		ret = poll(&pfd, 1, any ? 50 : -1);
		if (ret < 0 && errno != EINTR) {
			rc = EXIT_IO;
			break;
		}
		if (ret == 0) {
			for (pool = 0; pool < HVIC_POOL_COUNT; pool++) {
				struct snap now;

				if (!dirty[pool])
					continue;
				dirty[pool] = false;
				if (take(&o, pool, &now)) {
					fprintf(stderr, "%s: reading pool %s failed\n", prog,
						kvp_pool_name(pool));
					continue;
				}
				changes += diff(&o, pool, &snaps[pool], &now);
				snap_free(&snaps[pool]);
				snaps[pool] = now;
			}
			continue;
		}
		if (ret < 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		for (p = buf; n > 0 && p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->len && !strncmp(ev->name, ".kvp_pool_", 10) &&
			    ev->name[10] >= '0' && ev->name[10] < '0' + HVIC_POOL_COUNT &&
			    !ev->name[11]) {
				pool = ev->name[10] - '0';
				if (o.pool == POOL_ALL || o.pool == pool)
					dirty[pool] = true;
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	for (pool = 0; pool < HVIC_POOL_COUNT; pool++)
		snap_free(&snaps[pool]);
	close(fd);
	return rc;
}
