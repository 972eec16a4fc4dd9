// SPDX-License-Identifier: GPL-2.0
/*
 * KVP benchmark, run inside the test guest as the host: fill pool 0 with
 * 1,000 records, then time host SET+GET pairs on it, and time bare
 * heartbeat round trips on the same rig for scale.  Prints one line of
 * key=value results for selftests/bench/run to compare across targets.
 *
 *   kvp_bench [--records N] [--seconds S]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hvhost.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int die(const char *what, int err)
{
	fprintf(stderr, "kvp_bench: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	unsigned int records = 1000, i, ops = 0, hbs = 0, errors = 0;
	double seconds = 5, t0, t1, kvp_rate, hb_rate, set_s = 0, get_s = 0;
	uint32_t kvp, hb, status;
	struct hvhost *h;
	char key[64], val[64];
	int ret, opt;

	while ((opt = getopt(argc, argv, "r:s:")) != -1) {
		if (opt == 'r')
			records = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			seconds = strtod(optarg, NULL);
		else
			return 2;
	}
	ret = hvhost_open(&h, NULL);
	if (ret)
		return die("open", ret);
	hvhost_set_timeout(h, 15000);
	ret = hvhost_find(h, HVHOST_KVP, &kvp);
	if (!ret)
		ret = hvhost_ensure_negotiated(h, kvp, HVHOST_KVP,
					       hvhost_host_model(HVHOST_DEFAULT_GENERATION), NULL);
	if (ret)
		return die("kvp channel", ret);
	ret = hvhost_find(h, HVHOST_HEARTBEAT, &hb);
	if (!ret)
		ret = hvhost_ensure_negotiated(h, hb, HVHOST_HEARTBEAT,
					       hvhost_host_model(HVHOST_DEFAULT_GENERATION), NULL);
	if (ret)
		return die("heartbeat channel", ret);

	for (i = 0; i < records; i++) {
		struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = val };

		snprintf(key, sizeof(key), "bench-%u", i);
		snprintf(val, sizeof(val), "value of record %u", i);
		ret = hvhost_kvp_set(h, kvp, 0, key, &v, &status);
		if (ret || status != HV_S_OK)
			return die("prefill", ret ? ret : -EIO);
	}

	/* SET+GET pairs on keys spread over the pool. */
	t0 = now_s();
	for (i = 0; now_s() - t0 < seconds; i++) {
		struct hvhost_kvp_value v = { .type = HVHOST_REG_SZ, .sz = val };
		struct hvhost_kvp_record rec;

		snprintf(key, sizeof(key), "bench-%u", (i * 7919) % records);
		snprintf(val, sizeof(val), "updated %u", i);
		t1 = now_s();
		ret = hvhost_kvp_set(h, kvp, 0, key, &v, &status);
		if (ret)
			return die("set", ret);
		errors += status != HV_S_OK;
		set_s += now_s() - t1;
		t1 = now_s();
		ret = hvhost_kvp_get(h, kvp, 0, key, &rec, &status);
		if (ret)
			return die("get", ret);
		errors += status != HV_S_OK;
		get_s += now_s() - t1;
		ops += 2;
	}
	kvp_rate = ops / (now_s() - t0);

	t0 = now_s();
	for (i = 0; now_s() - t0 < seconds; i++) {
		ret = hvhost_heartbeat(h, hb, i, NULL, &status);
		if (ret)
			return die("heartbeat", ret);
		hbs++;
	}
	hb_rate = hbs / (now_s() - t0);

	printf("bench: records=%u kvp_ops=%u kvp_ops_per_s=%.1f kvp_us=%.1f set_us=%.1f get_us=%.1f hb_per_s=%.1f hb_us=%.1f errors=%u\n",
	       records, ops, kvp_rate, 1e6 / kvp_rate, 2e6 * set_s / ops,
	       2e6 * get_s / ops, hb_rate, 1e6 / hb_rate, errors);
	hvhost_close(h);
	return 0;
}
