// SPDX-License-Identifier: GPL-2.0
/*
 * hvic kvp list [--pool POOL|all] [--json]
 *
 * Text: "KEY<TAB>VALUE" lines (with --pool all: "POOL<TAB>KEY<TAB>VALUE").
 * JSON: an array of {"pool", "key", "value"} objects.
 */
#include <errno.h>
#include <string.h>

#include "kvp.h"
#include "subcommands.h"

struct list_ctx {
	const struct kvp_opts *o;
	int pool;
	unsigned int n;
};

static int print_one(const char *key, const char *value, void *ctx)
{
	struct list_ctx *l = ctx;

	if (l->o->json) {
		printf("%s\n  {\"pool\":\"%s\",\"key\":", l->n ? "," : "",
		       kvp_pool_name(l->pool));
		json_str(stdout, key);
		printf(",\"value\":");
		json_str(stdout, value);
		printf("}");
	} else if (l->o->pool == POOL_ALL) {
		printf("%s\t%s\t%s\n", kvp_pool_name(l->pool), key, value);
	} else {
		printf("%s\t%s\n", key, value);
	}
	l->n++;
	return 0;
}

int kvp_list_main(int argc, char **argv)
{
	struct list_ctx l = { 0 };
	struct kvp_opts o;
	int ret, pool, rc = EXIT_OK;

	ret = kvp_parse(argc, argv, 0, true, "list [--pool POOL|all] [--json]\n"
			"Print a pool's records (default pool: external).", &o);
	if (ret >= 0)
		return ret;
	if (o.argc) {
		fprintf(stderr, "Usage: %s kvp list [--pool POOL|all] [--json]\n", prog);
		return EXIT_USAGE;
	}
	l.o = &o;
	if (o.json)
		printf("[");
	for (pool = 0; pool < HVIC_POOL_COUNT; pool++) {
		struct hvic_pool *p;

		if (o.pool != POOL_ALL && o.pool != pool)
			continue;
		l.pool = pool;
		ret = kvp_open(&o, pool, false, &p);
		if (ret == -ENOENT)
			continue;
		if (ret) {
			rc = EXIT_IO;
			continue;
		}
		ret = hvic_pool_foreach(p, print_one, &l);
		hvic_pool_close(p);
		if (ret) {
			fprintf(stderr, "%s: reading pool %s: %s\n", prog,
				kvp_pool_name(pool), strerror(-ret));
			rc = EXIT_IO;
		}
	}
	if (o.json)
		printf("%s]\n", l.n ? "\n" : "");
	return fflush(stdout) ? EXIT_IO : rc;
}
