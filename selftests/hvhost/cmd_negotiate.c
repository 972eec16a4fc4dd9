// SPDX-License-Identifier: GPL-2.0
/* hvhost negotiate: run the IC version negotiation of one service. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost negotiate <service> [--host GEN] [--fw LIST] [--srv LIST]\n"
"\n"
"Send NEGOTIATE with the --host generation's framework and service version\n"
"lists (or explicit comma-separated LISTs, e.g. --srv 3.0,4.0; an empty\n"
"string is an empty list), print the versions the guest chose and keep\n"
"them for later commands.  \"No common version\" exits 1.\n";

#define MAX_LIST	4096

/* "1.0,3.0" -> versions; count in *n.  false when malformed. */
static bool parse_list(const char *s, uint32_t *v, size_t *n)
{
	char *dup = strdup(s), *tok, *save = NULL;
	bool ok = true;

	*n = 0;
	for (tok = strtok_r(dup, ",", &save); tok && ok;
	     tok = strtok_r(NULL, ",", &save))
		ok = *n < MAX_LIST && cli_version(tok, &v[(*n)++]);
	free(dup);
	return ok;
}

int cmd_negotiate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fw", required_argument, NULL, 'f' },
		{ "srv", required_argument, NULL, 's' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	static uint32_t fwv[MAX_LIST], srvv[MAX_LIST];
	const char *fw_arg = NULL, *srv_arg = NULL;
	struct hvhost_verlist fw, srv;
	const struct hvhost_service_info *si;
	struct hvhost_nego nego;
	struct cli c;
	uint32_t id;
	int opt, s, rc, ret;

	cli_init(&c, "hvhost negotiate");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		if (opt == 'f')
			fw_arg = optarg;
		else if (opt == 's')
			srv_arg = optarg;
		else
			return cli_usage(usage, opt == 'h');
	}
	if (optind + 1 != argc)
		return cli_usage(usage, false);
	s = hvhost_service_by_name(argv[optind]);
	if (s < 0) {
		fprintf(stderr, "%s: unknown service '%s'\n", c.prog, argv[optind]);
		return EXIT_USAGE;
	}
	si = hvhost_service_info(s);
	fw = c.model->fw;
	srv = c.model->srv[s];
	if (fw_arg) {
		if (!parse_list(fw_arg, fwv, &fw.count))
			return cli_usage(usage, false);
		fw.v = fwv;
	}
	if (srv_arg) {
		if (!parse_list(srv_arg, srvv, &srv.count))
			return cli_usage(usage, false);
		srv.v = srvv;
	}
	rc = cli_open(&c);
	if (rc)
		return rc;
	if (c.id >= 0) {
		id = c.id;
	} else if ((ret = hvhost_find(c.h, s, &id))) {
		if (ret == -ENOENT)
			fprintf(stderr, "%s: %s is not offered\n", c.prog, si->display);
		rc = ret == -ENOENT ? EXIT_USAGE : cli_fail(&c, si->name, ret);
		goto out;
	}
	ret = hvhost_wait_open(c.h, id, c.timeout_ms);
	if (!ret)
		ret = hvhost_negotiate(c.h, id, fw, srv, &nego);
	if (ret) {
		rc = cli_fail(&c, "negotiate", ret);
		goto out;
	}
	rc = cli_status("Negotiate", nego.status);
	if (nego.agreed) {
		printf("%s (channel %u): framework %u.%u, %s %u.%u\n",
		       si->display, id, HVHOST_VER_MAJOR(nego.fw_version),
		       HVHOST_VER_MINOR(nego.fw_version), si->name,
		       HVHOST_VER_MAJOR(nego.srv_version),
		       HVHOST_VER_MINOR(nego.srv_version));
	} else {
		printf("%s (channel %u): no common version\n", si->display, id);
		rc = EXIT_GUEST_ERR;
	}
out:
	cli_close(&c);
	return rc;
}
