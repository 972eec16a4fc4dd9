// SPDX-License-Identifier: GPL-2.0
/* hvhost stop: Stop-VM through the shutdown IC. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost stop [--force] [--reboot|--hibernate] [--reason X]\n"
"                   [--timeout S] [--message M [--unterminated]]\n"
"                   [--flags N]\n"
"\n"
"Ask the guest to power off (default), reboot or hibernate.  --force sets\n"
"the force bit; --reason is the shutdown reason code (default 0x80000000,\n"
"planned); --timeout the seconds given to the guest; --message the display\n"
"message (up to 2047 bytes, or 2048 with --unterminated); --flags sends\n"
"a raw flags value instead.\n";

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "reboot", no_argument, NULL, 'r' },
		{ "hibernate", no_argument, NULL, 'H' },
		{ "reason", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 't' },
		{ "message", required_argument, NULL, 'm' },
		{ "unterminated", no_argument, NULL, 'u' },
		{ "flags", required_argument, NULL, 'F' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	struct hvhost_shutdown_req req = {
		.reason_code = HVHOST_SHUTDOWN_REASON_PLANNED,
	};
	bool force = false, raw_flags = false;
	uint32_t action = HVHOST_SHUTDOWN_POWEROFF, id, status;
	const char *what;
	struct cli c;
	int opt, rc, ret;

	cli_init(&c, "hvhost stop");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'f': force = true; break;
		case 'r': action = HVHOST_SHUTDOWN_REBOOT; break;
		case 'H': action = HVHOST_SHUTDOWN_HIBERNATE; break;
		case 'R': req.reason_code = cli_ull(&c, "--reason", optarg); break;
		case 't': req.timeout_s = cli_ull(&c, "--timeout", optarg); break;
		case 'u': req.unterminated = true; break;
		case 'm':
			req.message = optarg;
			req.message_len = strlen(optarg);
			break;
		case 'F':
			req.flags = cli_ull(&c, "--flags", optarg);
			raw_flags = true;
			break;
		default:
			return cli_usage(usage, opt == 'h');
		}
	}
	if (optind != argc)
		return cli_usage(usage, false);
	if (!raw_flags)
		req.flags = action | (force ? HVHOST_SHUTDOWN_FORCE : 0);
	what = (req.flags & ~1u) == HVHOST_SHUTDOWN_REBOOT ? "Restart" :
	       (req.flags & ~1u) == HVHOST_SHUTDOWN_HIBERNATE ? "Hibernate" :
	       (req.flags & ~1u) == HVHOST_SHUTDOWN_POWEROFF ? "Shutdown" :
	       "Shutdown (raw flags)";
	rc = cli_open(&c);
	if (rc)
		return rc;
	rc = cli_channel(&c, HVHOST_SHUTDOWN, &id);
	if (rc)
		goto out;
	ret = hvhost_shutdown(c.h, id, &req, &status);
	if (ret) {
		rc = cli_fail(&c, "shutdown", ret);
		goto out;
	}
	printf("%s requested (flags 0x%x%s, reason 0x%08x)\n", what, req.flags,
	       req.flags & HVHOST_SHUTDOWN_FORCE ? ", forced" : "",
	       req.reason_code);
	rc = cli_status(what, status);
out:
	cli_close(&c);
	return rc;
}
