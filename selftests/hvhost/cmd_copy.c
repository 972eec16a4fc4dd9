// SPDX-License-Identifier: GPL-2.0
/* hvhost copy-file: Copy-VMFile through the guest service interface. */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost copy-file <local> <guest-dir> [--name N] [--force]\n"
"                        [--create-path] [--flags N]\n"
"\n"
"Copy a local file into guest-dir in the guest (named N, default the\n"
"local base name).  --force overwrites an existing file (OVER_WRITE),\n"
"--create-path creates missing directories (CREATE_PATH); --flags sends\n"
"raw copy flags (OR-ed in).  Every step prints the guest's status; the copy stops at\n"
"the first error (a failed write is followed by CANCEL).\n";

static void step(uint8_t op, uint64_t offset, uint32_t len, uint32_t status,
		 void *ctx)
{
	unsigned int *writes = ctx;

	if (op == HVHOST_FCOPY_WRITE && status == HV_S_OK) {
		++*writes;
		return;		/* one line per failing write only */
	}
	if (op == HVHOST_FCOPY_WRITE)
		printf("%s @%" PRIu64 " (%u bytes): ", hvhost_fcopy_op_name(op),
		       offset, len);
	cli_status(hvhost_fcopy_op_name(op), status);
}

int cmd_copy_file(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "create-path", no_argument, NULL, 'p' },
		{ "flags", required_argument, NULL, 'F' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	uint32_t flags = 0, id, status;
	unsigned int writes = 0;
	const char *name = NULL;
	struct cli c;
	int opt, rc, ret;

	cli_init(&c, "hvhost copy-file");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'n': name = optarg; break;
		case 'f': flags |= HVHOST_FCOPY_OVER_WRITE; break;
		case 'p': flags |= HVHOST_FCOPY_CREATE_PATH; break;
		case 'F':
			flags |= cli_ull(&c, "--flags", optarg);
			break;
		default:
			return cli_usage(usage, opt == 'h');
		}
	}
	if (optind + 2 != argc)
		return cli_usage(usage, false);
	rc = cli_open(&c);
	if (rc)
		return rc;
	rc = cli_channel(&c, HVHOST_FCOPY, &id);
	if (rc)
		goto out;
	ret = hvhost_copy_file(c.h, id, argv[optind], argv[optind + 1], name,
			       flags, step, &writes, &status);
	if (writes)
		printf("WRITE_TO_FILE: %u fragment(s) HV_S_OK\n", writes);
	if (ret) {
		rc = cli_fail(&c, "copy-file", ret);
		goto out;
	}
	rc = cli_status("Copy-VMFile", status);
out:
	cli_close(&c);
	return rc;
}
