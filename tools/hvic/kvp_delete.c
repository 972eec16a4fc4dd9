// SPDX-License-Identifier: GPL-2.0
/* hvic kvp delete [--pool POOL] KEY */
#include <errno.h>
#include <string.h>

#include "kvp.h"
#include "subcommands.h"

int kvp_delete_main(int argc, char **argv)
{
	struct hvic_pool *p;
	struct kvp_opts o;
	int ret;

	ret = kvp_parse(argc, argv, 1, false, "delete [--pool POOL] KEY\n"
			"Remove KEY (default pool: guest).", &o);
	if (ret >= 0)
		return ret;
	if (o.argc != 1) {
		fprintf(stderr, "Usage: %s kvp delete [--pool POOL] KEY\n", prog);
		return EXIT_USAGE;
	}
	if (kvp_open(&o, o.pool, true, &p))
		return EXIT_IO;
	ret = hvic_pool_delete(p, o.argv[0]);
	hvic_pool_close(p);
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: %s: not in pool %s\n", prog, o.argv[0],
			kvp_pool_name(o.pool));
	} else if (ret) {
		fprintf(stderr, "%s: deleting %s from pool %s: %s\n", prog, o.argv[0],
			kvp_pool_name(o.pool), strerror(-ret));
	}
	return kvp_exit_code(ret);
}
