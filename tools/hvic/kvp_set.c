// SPDX-License-Identifier: GPL-2.0
/* hvic kvp set [--pool POOL] KEY [VALUE]   (no VALUE: read from stdin) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kvp.h"
#include "subcommands.h"

#define SET_USAGE "set [--pool POOL] KEY [VALUE]\n" \
	"Add or replace KEY (default pool: guest, read by the host).  Without\n" \
	"VALUE the value is read from standard input (one trailing newline\n" \
	"dropped).  Keys of 1-511 bytes, values up to 2047 bytes of UTF-8."

int kvp_set_main(int argc, char **argv)
{
	static char value[HVIC_POOL_VALUE_SIZE + 1];
	const char *v = value;
	struct hvic_pool *p;
	struct kvp_opts o;
	int ret;

	ret = kvp_parse(argc, argv, 1, false, SET_USAGE, &o);
	if (ret >= 0)
		return ret;
	if (o.argc != 1 && o.argc != 2) {
		fprintf(stderr, "Usage: %s kvp %s\n", prog, SET_USAGE);
		return EXIT_USAGE;
	}
	if (o.argc == 2) {
		v = o.argv[1];
	} else {
		size_t n = fread(value, 1, sizeof(value) - 1, stdin);

		if (ferror(stdin)) {
			fprintf(stderr, "%s: reading the value: %s\n", prog, strerror(errno));
			return EXIT_IO;
		}
		value[n] = 0;
		if (n && value[n - 1] == '\n')
			value[--n] = 0;
		if (strlen(value) != n) {
			fprintf(stderr, "%s: the value contains a NUL byte\n", prog);
			return EXIT_USAGE;
		}
	}
	ret = kvp_check(o.argv[0], v);
	if (ret)
		return ret;
	if (kvp_open(&o, o.pool, true, &p))
		return EXIT_IO;
	ret = hvic_pool_set(p, o.argv[0], v);
	hvic_pool_close(p);
	if (ret) {
		fprintf(stderr, "%s: setting %s in pool %s: %s\n", prog, o.argv[0],
			kvp_pool_name(o.pool), strerror(-ret));
		return EXIT_IO;
	}
	return EXIT_OK;
}
