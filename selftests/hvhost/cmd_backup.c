// SPDX-License-Identifier: GPL-2.0
/* hvhost backup: the VSS steps of a Hyper-V backup / production checkpoint. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost backup <op> [--flags N] [--size BYTES]\n"
"\n"
"ops: freeze, thaw, hot-backup, dm-info, create, delete, bu-complete,\n"
"     auto-recover (or a number).  --flags goes in the message's flags\n"
"word; --size sends a body of BYTES (default 12, FREEZE padded to a\n"
"6260-byte packet as a host's LUN data).  Prints the guest's status and\n"
"reply flags.\n";

static const struct {
	const char *name;
	uint8_t op;
} ops[] = {
	{ "create", HVHOST_VSS_CREATE },
	{ "delete", HVHOST_VSS_DELETE },
	{ "hot-backup", HVHOST_VSS_HOT_BACKUP },
	{ "dm-info", HVHOST_VSS_GET_DM_INFO },
	{ "bu-complete", HVHOST_VSS_BU_COMPLETE },
	{ "freeze", HVHOST_VSS_FREEZE },
	{ "thaw", HVHOST_VSS_THAW },
	{ "auto-recover", HVHOST_VSS_AUTO_RECOVER },
};

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flags", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	uint32_t flags = 0, rflags = 0, id, status;
	size_t size = 0, i;
	int opt, rc, ret, op = -1;
	char what[64];
	struct cli c;

	cli_init(&c, "hvhost backup");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		if (opt == 'f')
			flags = cli_ull(&c, "--flags", optarg);
		else if (opt == 's')
			size = cli_ull(&c, "--size", optarg);
		else
			return cli_usage(usage, opt == 'h');
	}
	if (optind + 1 != argc)
		return cli_usage(usage, false);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(argv[optind], ops[i].name))
			op = ops[i].op;
	if (op < 0)
		op = cli_ull(&c, "op", argv[optind]) & 0xff;
	rc = cli_open(&c);
	if (rc)
		return rc;
	rc = cli_channel(&c, HVHOST_VSS, &id);
	if (rc)
		goto out;
	ret = hvhost_vss(c.h, id, op, flags, size, &rflags, &status);
	if (ret) {
		rc = cli_fail(&c, "vss", ret);
		goto out;
	}
	snprintf(what, sizeof(what), "VSS %s", hvhost_vss_op_name(op));
	rc = cli_status(what, status);
	printf("Reply flags: 0x%08x\n", rflags);
out:
	cli_close(&c);
	return rc;
}
