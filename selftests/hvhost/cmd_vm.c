// SPDX-License-Identifier: GPL-2.0
/* hvhost vm: channel life cycle and a Get-VM / Get-VMIntegrationService view. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"Usage: hvhost vm offer <service|all> [--wait] [--guid GUID]\n"
"       hvhost vm rescind <service|channel-id>\n"
"       hvhost vm status\n"
"       hvhost vm host [<generation>]\n"
"\n"
"offer    offer an IC channel to the guest (all: every service the --host\n"
"         generation offers, and set its VMBus version); --wait waits for\n"
"         the guest driver to open it; --guid offers a raw class GUID\n"
"rescind  rescind the service's live channel (or channel-id), wait for it\n"
"         to be gone\n"
"status   each service: channel, state, driver, negotiated versions,\n"
"         status, and the VM's heartbeat (Get-VM)\n"
"host     show, or set from a generation, the VMBus protocol version\n"
"Services: heartbeat shutdown timesync kvp vss fcopy\n";

static int offer_one(struct cli *c, enum hvhost_service s, bool wait)
{
	const struct hvhost_service_info *si = hvhost_service_info(s);
	uint32_t id;
	int ret;

	ret = hvhost_offer(c->h, s, &id);
	if (ret)
		return cli_fail(c, si->name, ret);
	printf("Offered %s (%s) as channel %u\n", si->name, si->display, id);
	if (!wait)
		return 0;
	ret = hvhost_wait_open(c->h, id, c->timeout_ms);
	if (ret)
		return cli_fail(c, "waiting for the guest to open it", ret);
	printf("Channel %u opened by the guest\n", id);
	return 0;
}

static int vm_offer(struct cli *c, const char *what, const char *guid, bool wait)
{
	uint8_t g[16];
	uint32_t id;
	int s, ret, rc = 0;

	if (guid) {
		if (hvhost_guid_parse(guid, g)) {
			fprintf(stderr, "%s: bad GUID '%s'\n", c->prog, guid);
			return EXIT_USAGE;
		}
		ret = hvhost_offer_guid(c->h, g, NULL, &id);
		if (ret)
			return cli_fail(c, guid, ret);
		printf("Offered %s as channel %u\n", guid, id);
		return wait ? (hvhost_wait_open(c->h, id, c->timeout_ms) ?
			       EXIT_USAGE : 0) : 0;
	}
	if (!what)
		return cli_usage(usage, false);
	if (strcmp(what, "all")) {
		s = hvhost_service_by_name(what);
		if (s < 0) {
			fprintf(stderr, "%s: unknown service '%s'\n", c->prog, what);
			return EXIT_USAGE;
		}
		return offer_one(c, s, wait);
	}
	ret = hvhost_set_vmbus_version(c->h, c->model->vmbus_version);
	if (ret)
		return cli_fail(c, "setting the VMBus version", ret);
	for (s = 0; s < HVHOST_SERVICE_COUNT; s++) {
		if (!c->model->srv[s].count)
			continue;
		ret = offer_one(c, s, wait);
		if (ret)
			rc = ret;
	}
	return rc;
}

static int vm_rescind(struct cli *c, const char *what)
{
	uint32_t id;
	int s, ret;

	if (!what)
		return cli_usage(usage, false);
	s = hvhost_service_by_name(what);
	if (s >= 0) {
		ret = hvhost_find(c->h, s, &id);
		if (ret)
			return cli_fail(c, what, ret);
	} else {
		id = cli_ull(c, "channel", what);
	}
	ret = hvhost_rescind(c->h, id, c->timeout_ms);
	if (ret)
		return cli_fail(c, "rescind", ret);
	printf("Rescinded channel %u\n", id);
	return 0;
}

static void version_str(char *buf, size_t len, struct cli *c, uint32_t id)
{
	uint32_t fw, srv;

	if (hvhost_negotiated(c->h, id, &fw, &srv))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%u.%u/%u.%u", HVHOST_VER_MAJOR(fw),
			 HVHOST_VER_MINOR(fw), HVHOST_VER_MAJOR(srv),
			 HVHOST_VER_MINOR(srv));
}

static int vm_status(struct cli *c)
{
	struct vmbus_sim_status *e;
	enum hvhost_health health;
	char vers[32], guid[37];
	uint32_t vmbus;
	size_t n, i;
	int s, ret;

	ret = hvhost_get_vmbus_version(c->h, &vmbus);
	if (ret)
		return cli_fail(c, "reading the VMBus version", ret);
	ret = hvhost_heartbeat_health(c->h, &health);
	if (ret)
		return cli_fail(c, "heartbeat", ret);
	ret = hvhost_list(c->h, &e, &n);
	if (ret)
		return cli_fail(c, "listing channels", ret);
	printf("VMBus version: %u.%u\n", HVHOST_VER_MAJOR(vmbus),
	       HVHOST_VER_MINOR(vmbus));
	printf("Heartbeat:     %s\n\n", hvhost_health_str(health));
	printf("%-24s %-3s %-9s %-10s %-5s %-9s %s\n", "Name", "Id", "State",
	       "Driver", "Opens", "Fw/Srv", "PrimaryStatus");
	for (i = 0; i < n; i++) {
		const struct hvhost_service_info *si;
		const char *name, *st;

		s = hvhost_service_by_guid(e[i].class_guid);
		si = s >= 0 ? hvhost_service_info(s) : NULL;
		hvhost_guid_format(e[i].class_guid, guid);
		name = si ? si->display : guid;
		version_str(vers, sizeof(vers), c, e[i].id);
		if (e[i].state != VMBUS_SIM_OPEN)
			st = "No Contact";
		else if (s == HVHOST_HEARTBEAT && health == HVHOST_HEALTH_LOST)
			st = "Lost Communication";
		else
			st = strcmp(vers, "-") ? "OK" : "OK (not negotiated)";
		printf("%-24s %-3u %-9s %-10s %-5u %-9s %s\n", name, e[i].id,
		       cli_state_name(e[i].state),
		       e[i].driver[0] ? e[i].driver : "-", e[i].open_count,
		       vers, st);
	}
	if (!n)
		printf("(no channels offered)\n");
	free(e);
	return 0;
}

static int vm_host(struct cli *c, const char *gen)
{
	const struct hvhost_host_model *m;
	uint32_t v;
	int ret;

	if (gen) {
		m = hvhost_host_model_by_name(gen);
		if (!m) {
			fprintf(stderr, "%s: unknown generation '%s'\n", c->prog, gen);
			return EXIT_USAGE;
		}
		ret = hvhost_set_vmbus_version(c->h, m->vmbus_version);
		if (ret)
			return cli_fail(c, "setting the VMBus version", ret);
	}
	ret = hvhost_get_vmbus_version(c->h, &v);
	if (ret)
		return cli_fail(c, "reading the VMBus version", ret);
	printf("VMBus version: %u.%u\n", HVHOST_VER_MAJOR(v), HVHOST_VER_MINOR(v));
	return 0;
}

int cmd_vm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", no_argument, NULL, 'w' },
		{ "guid", required_argument, NULL, 'g' },
		CLI_COMMON_LONGOPTS,
		{ 0 }
	};
	const char *guid = NULL, *verb, *arg;
	bool wait = false;
	struct cli c;
	int opt, rc;

	cli_init(&c, "hvhost vm");
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'w':
			wait = true;
			break;
		case 'g':
			guid = optarg;
			break;
		case 'h':
			return cli_usage(usage, true);
		default:
			return cli_usage(usage, false);
		}
	}
	if (optind >= argc)
		return cli_usage(usage, false);
	verb = argv[optind];
	arg = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (optind + 2 < argc)
		return cli_usage(usage, false);
	rc = cli_open(&c);
	if (rc)
		return rc;
	if (!strcmp(verb, "offer"))
		rc = vm_offer(&c, arg, guid, wait);
	else if (!strcmp(verb, "rescind"))
		rc = vm_rescind(&c, arg);
	else if (!strcmp(verb, "status") && !arg)
		rc = vm_status(&c);
	else if (!strcmp(verb, "host"))
		rc = vm_host(&c, arg);
	else
		rc = cli_usage(usage, false);
	cli_close(&c);
	return rc;
}
