// SPDX-License-Identifier: GPL-2.0
/*
 * hvic kvp: the pool files, with the same locking and crash-safe updates
 * as hvic-kvpd (tools/lib/pool.c), so guest programs can use them while
 * the daemon serves the host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kvp.h"
#include "subcommands.h"
#include "utf8.h"

static const char *const pool_names[HVIC_POOL_COUNT] = {
	"external", "guest", "auto", "auto_external", "auto_internal",
};

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *description;
} kvp_commands[] = {
	{ "get", kvp_get_main, "Print the value of a key" },
	{ "set", kvp_set_main, "Add or replace a key's value" },
	{ "delete", kvp_delete_main, "Remove a key" },
	{ "list", kvp_list_main, "Print every key and value of a pool" },
	{ "watch", kvp_watch_main, "Print changes to pools as they happen" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s kvp <command> [--pool POOL] [--json] [<args>]\n\n"
		   "Commands:\n", prog);
	for (i = 0; i < sizeof(kvp_commands) / sizeof(kvp_commands[0]); i++)
		fprintf(f, "  %-7s %s\n", kvp_commands[i].name, kvp_commands[i].description);
	fprintf(f, "\nPools: 0 external (written by the host), 1 guest (read by the host),\n"
		   "2 auto, 3 auto_external, 4 auto_internal; files %s/.kvp_pool_N.\n",
		HVIC_POOL_DIR);
}

int kvp_main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(kvp_commands) / sizeof(kvp_commands[0]); i++)
		if (!strcmp(argv[1], kvp_commands[i].name))
			return kvp_commands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "%s kvp: unknown command \"%s\"\n", prog, argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

const char *kvp_pool_name(int pool)
{
	return pool >= 0 && pool < HVIC_POOL_COUNT ? pool_names[pool] : "?";
}

static int parse_pool(const char *s, bool all_ok)
{
	char *end;
	long n;
	int i;

	if (all_ok && !strcmp(s, "all"))
		return POOL_ALL;
	for (i = 0; i < HVIC_POOL_COUNT; i++) {
		const char *a = pool_names[i];
		size_t k;

		/* auto_external or auto-external */
		for (k = 0; a[k] && (s[k] == a[k] || (a[k] == '_' && s[k] == '-')); k++)
			;
		if (!a[k] && !s[k])
			return i;
	}
	n = strtol(s, &end, 10);
	if (*s && !*end && n >= 0 && n < HVIC_POOL_COUNT)
		return (int)n;
	return -2;
}

int kvp_parse(int argc, char **argv, int def_pool, bool all_ok, const char *usage_text,
	      struct kvp_opts *o)
{
	static const struct option opts[] = {
		{ "pool", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "dir", required_argument, NULL, 'D' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->pool = def_pool;
	o->dir = getenv("HVIC_POOL_DIR");
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->pool = parse_pool(optarg, all_ok);
			if (o->pool == -2) {
				fprintf(stderr, "%s: unknown pool \"%s\" (0-4, external, guest, auto, auto_external, auto_internal%s)\n",
					prog, optarg, all_ok ? ", all" : "");
				return EXIT_USAGE;
			}
			break;
		case 'j':
			o->json = true;
			break;
		case 'D':
			o->dir = optarg;
			break;
		case 'c':
			o->count = strtol(optarg, NULL, 10);
			break;
		case 'h':
			printf("Usage: %s kvp %s\n", prog, usage_text);
			return EXIT_OK;
		default:
			fprintf(stderr, "Usage: %s kvp %s\n", prog, usage_text);
			return EXIT_USAGE;
		}
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	return -1;
}

int kvp_open(const struct kvp_opts *o, int pool, bool write, struct hvic_pool **p)
{
	int ret = hvic_pool_open(p, o->dir, pool, write ? 0 : HVIC_POOL_RDONLY);

	if (ret == -ENOENT && !write)
		return ret;		/* no file yet: an empty pool */
	if (ret)
		fprintf(stderr, "%s: pool %s (%s/.kvp_pool_%d): %s\n", prog,
			kvp_pool_name(pool), o->dir ? o->dir : HVIC_POOL_DIR, pool,
			strerror(-ret));
	return ret;
}

int kvp_exit_code(int err)
{
	return err == -ENOENT ? EXIT_NOTFOUND : err ? EXIT_IO : EXIT_OK;
}

int kvp_check(const char *key, const char *value)
{
	size_t kl = strlen(key), vl = value ? strlen(value) : 0;

	if (!kl) {
		fprintf(stderr, "%s: the key is empty\n", prog);
		return EXIT_USAGE;
	}
	if (kl >= HVIC_POOL_KEY_SIZE) {
		fprintf(stderr, "%s: the key is %zu bytes; at most %d fit in a pool record\n",
			prog, kl, HVIC_POOL_KEY_SIZE - 1);
		return EXIT_USAGE;
	}
	if (vl >= HVIC_POOL_VALUE_SIZE) {
		fprintf(stderr, "%s: the value is %zu bytes; at most %d fit in a pool record\n",
			prog, vl, HVIC_POOL_VALUE_SIZE - 1);
		return EXIT_USAGE;
	}
	if (!hvic_utf8_valid(key, kl) || (value && !hvic_utf8_valid(value, vl))) {
		fprintf(stderr, "%s: keys and values must be UTF-8\n", prog);
		return EXIT_USAGE;
	}
	return 0;
}

void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = 1;

		if (*p >= 0x80) {
			/* the length of a valid sequence here, else one bad byte */
			n = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
			    (*p & 0xf8) == 0xf0 ? 4 : 0;
			if (n && strnlen((const char *)p, n) == n &&
			    hvic_utf8_valid((const char *)p, n)) {
				fwrite(p, 1, n, f);
			} else {
				fputs("\\ufffd", f);
				n = 1;
			}
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p == '\t') {
			fputs("\\t", f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fputc(*p, f);
		}
		p += n;
	}
	fputc('"', f);
}
