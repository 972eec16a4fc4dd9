// SPDX-License-Identifier: GPL-2.0
/* hvhost heartbeat: the host's periodic liveness probe. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost heartbeat [--count N] [--interval MS] [--seq S]\n"
"\n"
"Send N heartbeats (default 1) INTERVAL ms apart (default 2000, as\n"
"Hyper-V), starting at sequence S (default: the channel's next one), and\n"
"check each answer is HV_S_OK with S + 1.  A wrong sequence exits 1.\n";

int cmd_heartbeat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "seq", required_argument, NULL, 's' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	unsigned long long count = 1, interval = 2000, i;
	struct hvhost_chandata cd;
	uint64_t seq = 0, got;
	bool have_seq = false;
	uint32_t id, status;
	struct cli c;
	int opt, rc, ret;

	cli_init(&c, "hvhost heartbeat");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		if (opt == 'n')
			count = cli_ull(&c, "--count", optarg);
		else if (opt == 'i')
			interval = cli_ull(&c, "--interval", optarg);
		else if (opt == 's')
			seq = cli_ull(&c, "--seq", optarg), have_seq = true;
		else
			return cli_usage(usage, opt == 'h');
	}
	if (optind != argc)
		return cli_usage(usage, false);
	rc = cli_open(&c);
	if (rc)
		return rc;
	rc = cli_channel(&c, HVHOST_HEARTBEAT, &id);
	if (rc)
		goto out;
	ret = hvhost_chandata_get(c.h, id, &cd);
	if (ret) {
		rc = cli_fail(&c, "host data", ret);
		goto out;
	}
	if (!have_seq)
		seq = cd.hb_seq ? cd.hb_seq : 1;
	for (i = 0; i < count && !rc; i++, seq += 2) {
		if (i && interval) {
			struct timespec ts = { interval / 1000,
					       (interval % 1000) * 1000000 };
			nanosleep(&ts, NULL);
		}
		ret = hvhost_heartbeat(c.h, id, seq, &got, &status);
		if (ret) {
			rc = cli_fail(&c, "heartbeat", ret);
			break;
		}
		printf("seq %" PRIu64 " -> %" PRIu64 ": ", seq, got);
		rc = cli_status("Heartbeat", status);
		if (!rc && got != seq + 1) {
			printf("Heartbeat: wrong sequence (expected %" PRIu64 ")\n",
			       seq + 1);
			rc = EXIT_GUEST_ERR;
		}
	}
	if (!hvhost_chandata_get(c.h, id, &cd)) {
		cd.hb_seq = seq;
		hvhost_chandata_set(c.h, id, &cd);
	}
	printf("Heartbeat: %s\n", rc ? hvhost_health_str(HVHOST_HEALTH_LOST) :
	       hvhost_health_str(HVHOST_HEALTH_OK));
out:
	cli_close(&c);
	return rc;
}
