// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the hvhost subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_init(struct cli *c, const char *prog)
{
	memset(c, 0, sizeof(*c));
	c->prog = prog;
	c->timeout_ms = HVHOST_DEFAULT_TIMEOUT_MS;
	c->id = -1;
	c->model = hvhost_host_model(HVHOST_DEFAULT_GENERATION);
	optind = 1;
}

unsigned long long cli_ull(const struct cli *c, const char *opt, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || *s == '-') {
		fprintf(stderr, "%s: %s: not a number: '%s'\n", c->prog, opt, s);
		exit(EXIT_USAGE);
	}
	return v;
}

bool cli_common_opt(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 0x100:
		c->device = arg;
		return true;
	case 0x101:
		c->timeout_ms = cli_ull(c, "--reply-timeout", arg);
		return true;
	case 0x102:
		c->id = cli_ull(c, "--id", arg);
		return true;
	case 0x103:
		c->model = hvhost_host_model_by_name(arg);
		if (!c->model) {
			fprintf(stderr, "%s: unknown host generation '%s'\n",
				c->prog, arg);
			exit(EXIT_USAGE);
		}
		return true;
	}
	return false;
}

int cli_usage(const char *usage, bool ok)
{
	fputs(usage, ok ? stdout : stderr);
	fputs(CLI_COMMON_HELP, ok ? stdout : stderr);
	return ok ? 0 : EXIT_USAGE;
}

int cli_fail(const struct cli *c, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", c->prog, what, strerror(-err));
	return EXIT_USAGE;
}

int cli_status(const char *what, uint32_t status)
{
	printf("%s: %s", what, hvhost_status_str(status));
	if (hvhost_status_name(status))
		printf(" (0x%08x)", status);
	printf("\n");
	return status == HV_S_OK ? EXIT_GUEST_OK : EXIT_GUEST_ERR;
}

int cli_open(struct cli *c)
{
	int ret = hvhost_open(&c->h, c->device);

	if (ret)
		return cli_fail(c, c->device ? c->device : VMBUS_SIM_DEVICE, ret);
	hvhost_set_timeout(c->h, c->timeout_ms);
	return 0;
}

void cli_close(struct cli *c)
{
	hvhost_close(c->h);
	c->h = NULL;
}

int cli_channel(struct cli *c, enum hvhost_service s, uint32_t *id)
{
	const struct hvhost_service_info *si = hvhost_service_info(s);
	struct hvhost_nego nego;
	int ret;

	if (c->id >= 0) {
		*id = c->id;
	} else {
		ret = hvhost_find(c->h, s, id);
		if (ret == -ENOENT) {
			fprintf(stderr, "%s: %s is not offered (try 'hvhost vm offer %s')\n",
				c->prog, si->display, si->name);
			return EXIT_USAGE;
		}
		if (ret)
			return cli_fail(c, "looking up the channel", ret);
	}
	ret = hvhost_wait_open(c->h, *id, c->timeout_ms);
	if (ret) {
		fprintf(stderr, "%s: %s (channel %u) is not open by the guest: %s\n",
			c->prog, si->display, *id, strerror(-ret));
		return EXIT_USAGE;
	}
	ret = hvhost_ensure_negotiated(c->h, *id, s, c->model, &nego);
	if (ret == -ENOPROTOOPT) {
		printf("%s: no common version (negotiate: %s)\n", si->display,
		       hvhost_status_str(nego.status));
		return EXIT_GUEST_ERR;
	}
	if (ret == -ENOTSUP) {
		fprintf(stderr, "%s: host %s does not offer %s\n", c->prog,
			c->model->name, si->display);
		return EXIT_USAGE;
	}
	if (ret == -ETIMEDOUT && s == HVHOST_KVP)
		fprintf(stderr, "%s: the guest kernel answers KVP only once hv_kvp_daemon has registered\n",
			c->prog);
	if (ret)
		return cli_fail(c, "negotiating", ret);
	return 0;
}

bool cli_version(const char *s, uint32_t *v)
{
	unsigned int maj, min = 0;
	char extra;

	if (sscanf(s, "%u.%u%c", &maj, &min, &extra) != 2 &&
	    sscanf(s, "%u%c", &maj, &extra) != 1)
		return false;
	if (maj > 0xffff || min > 0xffff)
		return false;
	*v = HVHOST_VERSION(maj, min);
	return true;
}

const char *cli_state_name(uint32_t state)
{
	static const char *const names[] = {
		[VMBUS_SIM_OFFERED] = "Offered",
		[VMBUS_SIM_OPEN] = "Open",
		[VMBUS_SIM_CLOSED] = "Closed",
		[VMBUS_SIM_RESCINDED] = "Rescinded",
		[VMBUS_SIM_GONE] = "Gone",
	};

	if (state < sizeof(names) / sizeof(names[0]) && names[state])
		return names[state];
	return "?";
}
