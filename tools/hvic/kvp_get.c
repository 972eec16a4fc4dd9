// SPDX-License-Identifier: GPL-2.0
/* hvic kvp get [--pool POOL] [--json] KEY */
#include <errno.h>
#include <string.h>

#include "kvp.h"
#include "subcommands.h"

int kvp_get_main(int argc, char **argv)
{
	static char value[HVIC_POOL_VALUE_SIZE];
	struct hvic_pool *p;
	struct kvp_opts o;
	int ret;

	ret = kvp_parse(argc, argv, 0, false, "get [--pool POOL] [--json] KEY\n"
			"Print KEY's value (default pool: external, what the host set).", &o);
	if (ret >= 0)
		return ret;
	if (o.argc != 1) {
		fprintf(stderr, "Usage: %s kvp get [--pool POOL] [--json] KEY\n", prog);
		return EXIT_USAGE;
	}
	ret = kvp_open(&o, o.pool, false, &p);
	if (!ret) {
		ret = hvic_pool_get(p, o.argv[0], value, sizeof(value));
		hvic_pool_close(p);
	} else if (ret != -ENOENT) {
		return EXIT_IO;
	}
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: %s: not in pool %s\n", prog, o.argv[0],
			kvp_pool_name(o.pool));
		return EXIT_NOTFOUND;
	}
	if (ret) {
		fprintf(stderr, "%s: reading pool %s: %s\n", prog, kvp_pool_name(o.pool),
			strerror(-ret));
		return EXIT_IO;
	}
	if (o.json) {
		printf("{\"pool\":\"%s\",\"key\":", kvp_pool_name(o.pool));
		json_str(stdout, o.argv[0]);
		printf(",\"value\":");
		json_str(stdout, value);
		printf("}\n");
	} else {
		printf("%s\n", value);
	}
	return fflush(stdout) ? EXIT_IO : EXIT_OK;
}
