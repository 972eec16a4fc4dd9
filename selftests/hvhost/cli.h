/* SPDX-License-Identifier: GPL-2.0 */
/* hvhost CLI: subcommands and the helpers they share. */
#ifndef HVHOST_CLI_H
#define HVHOST_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "hvhost.h"

/* Exit codes of every verb. */
enum {
	EXIT_GUEST_OK	= 0,	/* the guest answered HV_S_OK */
	EXIT_GUEST_ERR	= 1,	/* it answered an error status */
	EXIT_USAGE	= 2,	/* usage, transport or protocol error */
};

/* Options every verb takes; see CLI_COMMON_HELP. */
struct cli {
	const char *prog;	/* "hvhost vm" etc., for messages */
	const char *device;	/* --device */
	unsigned int timeout_ms; /* --reply-timeout */
	long id;		/* --id: channel id, -1 to look it up */
	const struct hvhost_host_model *model; /* --host */
	struct hvhost *h;
};

#define CLI_COMMON_LONGOPTS					\
	{ "device", required_argument, NULL, 0x100 },		\
	{ "reply-timeout", required_argument, NULL, 0x101 },	\
	{ "id", required_argument, NULL, 0x102 },		\
	{ "host", required_argument, NULL, 0x103 },		\
	{ "help", no_argument, NULL, 'h' }

#define CLI_COMMON_HELP \
"Common options:\n" \
"  --host GEN            host generation: ws2012, ws2012r2, ws2016, ws2019,\n" \
"                        ws2022 (default) -- its IC version lists\n" \
"  --id N                use channel N instead of the service's live channel\n" \
"  --reply-timeout MS    wait this long for each guest reply (default 5000)\n" \
"  --device PATH         control device (default " VMBUS_SIM_DEVICE ")\n" \
"Exit status: 0 the guest answered HV_S_OK, 1 it answered an error status,\n" \
"2 usage, transport or protocol error.\n"

void cli_init(struct cli *c, const char *prog);
/* Handle a common option; true if opt was one. Exits 2 on bad values. */
bool cli_common_opt(struct cli *c, int opt, const char *arg);
/* Print usage (to stderr unless ok) and return the exit code to use. */
int cli_usage(const char *usage, bool ok);
/* Open the device into c->h; prints and returns EXIT_USAGE on failure. */
int cli_open(struct cli *c);
void cli_close(struct cli *c);
/*
 * The open channel of service s (c->id or the live one, waiting up to the
 * reply timeout for the guest to open it), negotiated with c->model unless
 * already done.  0, or an exit code after printing why.
 */
int cli_channel(struct cli *c, enum hvhost_service s, uint32_t *id);
/* Print "what: -errno text" and return EXIT_USAGE. */
int cli_fail(const struct cli *c, const char *what, int err);
/* Print "what: STATUS" and return 0 for HV_S_OK, else 1. */
int cli_status(const char *what, uint32_t status);
/* Parse numbers; exit 2 with a message when malformed. */
unsigned long long cli_ull(const struct cli *c, const char *opt, const char *s);
/* "3.0" or "3" -> version; false when malformed. */
bool cli_version(const char *s, uint32_t *v);
const char *cli_state_name(uint32_t state);

int cmd_vm(int argc, char **argv);
int cmd_negotiate(int argc, char **argv);
int cmd_heartbeat(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_time(int argc, char **argv);
int cmd_kvp(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_copy_file(int argc, char **argv);

#endif /* HVHOST_CLI_H */
