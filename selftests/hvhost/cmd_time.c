// SPDX-License-Identifier: GPL-2.0
/* hvhost time: push the host's clock to the guest. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost time sync|sample|probe [--offset SEC | --at ISO8601]\n"
"                  [--delay MS] [--version 3|4] [--stratum N] [--leap N]\n"
"\n"
"sync steps the guest clock, sample only updates its PTP clock source.\n"
"The host time is the guest's own clock plus --offset seconds (may be\n"
"negative or fractional; default 0), or --at an absolute UTC time such as\n"
"2030-01-02T03:04:05Z.  --delay samples the host and reference times,\n"
"waits MS, then sends: a TimeSync 4.0 guest corrects for the delay, a 3.0\n"
"one cannot.  --version forces the message body version.\n";

static void print_ft(const char *what, uint64_t ft)
{
	int64_t ns = hvhost_filetime_to_unix_ns(ft);
	time_t secs = ns / 1000000000;
	long frac = ns % 1000000000;
	char buf[64];
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		secs--;
	}
	gmtime_r(&secs, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	printf("%s: %s.%06ldZ (%" PRIu64 ")\n", what, buf, frac / 1000, ft);
}

int cmd_time(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "offset", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' },
		{ "delay", required_argument, NULL, 'd' },
		{ "version", required_argument, NULL, 'v' },
		{ "stratum", required_argument, NULL, 's' },
		{ "leap", required_argument, NULL, 'l' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	struct hvhost_timesync_req req = { 0 };
	struct hvhost_timesync_result res;
	uint32_t id;
	int64_t ns;
	double off;
	char *end;
	struct cli c;
	int opt, rc, ret;

	cli_init(&c, "hvhost time");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'o':
			off = strtod(optarg, &end);
			if (!*optarg || *end)
				return cli_usage(usage, false);
			req.offset_ns = (int64_t)(off * 1e9);
			break;
		case 'a':
			if (hvhost_parse_iso8601(optarg, &ns)) {
				fprintf(stderr, "%s: bad time '%s'\n", c.prog, optarg);
				return EXIT_USAGE;
			}
			req.absolute = true;
			req.parenttime = hvhost_unix_ns_to_filetime(ns);
			break;
		case 'd': req.delay_ms = cli_ull(&c, "--delay", optarg); break;
		case 'v':
			if (!cli_version(optarg, &req.version) || !req.version)
				return cli_usage(usage, false);
			break;
		case 's': req.stratum = cli_ull(&c, "--stratum", optarg); break;
		case 'l': req.leapflags = cli_ull(&c, "--leap", optarg); break;
		default:
			return cli_usage(usage, opt == 'h');
		}
	}
	if (optind + 1 != argc)
		return cli_usage(usage, false);
	if (!strcmp(argv[optind], "sync"))
		req.flags = HVHOST_TS_SYNC;
	else if (!strcmp(argv[optind], "sample"))
		req.flags = HVHOST_TS_SAMPLE;
	else if (!strcmp(argv[optind], "probe"))
		req.flags = HVHOST_TS_PROBE;
	else
		return cli_usage(usage, false);
	rc = cli_open(&c);
	if (rc)
		return rc;
	rc = cli_channel(&c, HVHOST_TIMESYNC, &id);
	if (rc)
		goto out;
	ret = hvhost_timesync(c.h, id, &req, &res);
	if (ret) {
		rc = cli_fail(&c, "time sync", ret);
		goto out;
	}
	printf("TimeSync %s body, flags 0x%x\n", res.v4 ? "4.0 (ref_data)" :
	       "3.0 (data)", req.flags);
	print_ft("Host time", res.parenttime);
	if (res.v4)
		printf("Reference time: %" PRIu64 "\n", res.reftime);
	rc = cli_status("TimeSync", res.status);
out:
	cli_close(&c);
	return rc;
}
