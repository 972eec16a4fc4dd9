// SPDX-License-Identifier: GPL-2.0
/*
 * hvhost CLI verbs against mock guests: exit codes (0 HV_S_OK, 1 guest
 * error status, 2 usage/transport) and the status names they print.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "mock_sim.h"
#include "tap.h"

static char output[65536];

/* Run a verb with "--device /dev/null" appended; its stdout in output. */
static int run(int (*fn)(int, char **), const char *const *args)
{
	char *argv[32];
	int argc = 0, fd, saved, saved_err, rc;
	ssize_t n;

	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc++] = "--device";
	argv[argc++] = "/dev/null";
	argv[argc] = NULL;
	fflush(stdout);
	fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	saved = dup(1);
	saved_err = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, 1);
	dup2(saved_err, 2);
	close(saved);
	close(saved_err);
	n = pread(fd, output, sizeof(output) - 1, 0);
	output[n > 0 ? n : 0] = 0;
	close(fd);
	return rc;
}

#define V(a, b)	HVHOST_VERSION(a, b)

/* Linux-like guest for heartbeat/shutdown: negotiates 3.0/3.0. */
static uint32_t answer = HV_S_OK;

static void guest(struct mock_chan *ch, uint64_t req, uint8_t *p, size_t len)
{
	static const uint32_t fw[] = { V(3, 0), V(1, 0) };
	static const uint32_t srv[] = { V(3, 2), V(3, 0), V(1, 0) };
	uint64_t seq;
	int i;

	if (p[12] == 0) {
		mock_negotiate(p, len, fw, 2, srv, 3);
		mock_respond(ch, req, p, len, HV_S_OK);
		return;
	}
	if (p[12] == 1) {
		seq = rd64(p, 28) + 1;
		for (i = 0; i < 8; i++)
			p[28 + i] = seq >> (8 * i);
	}
	mock_respond(ch, req, p, len, answer);
}

int main(void)
{
	const struct hvhost_service_info *hb = hvhost_service_info(HVHOST_HEARTBEAT);
	const struct hvhost_service_info *sd = hvhost_service_info(HVHOST_SHUTDOWN);
	struct mock_chan *chb, *csd;

	chb = mock_add(hb->class_guid, guest);
	csd = mock_add(sd->class_guid, guest);

	tap_eq(run(cmd_heartbeat, (const char *[]){ "heartbeat", "--count", "3",
		   "--interval", "0", NULL }), 0, "heartbeat x3 exits 0");
	tap_ok(strstr(output, "seq 1 -> 2: Heartbeat: HV_S_OK") &&
	       strstr(output, "seq 5 -> 6") && strstr(output, "Operating normally"),
	       "  prints each sequence and status by name");
	tap_ok(chb->hostdata[0] == 'H', "  negotiated first (HOSTDATA set)");
	tap_eq(run(cmd_heartbeat, (const char *[]){ "heartbeat", NULL }), 0,
	       "next heartbeat invocation");
	tap_ok(strstr(output, "seq 7 -> 8") != NULL,
	       "  continues the sequence across invocations");

	tap_eq(run(cmd_negotiate, (const char *[]){ "negotiate", "shutdown",
		   "--host", "ws2016", NULL }), 0, "negotiate shutdown (ws2016)");
	tap_ok(strstr(output, "framework 3.0, shutdown 3.2") != NULL,
	       "  chose 3.0 / 3.2");
	tap_eq(run(cmd_negotiate, (const char *[]){ "negotiate", "shutdown",
		   "--srv", "2.0,5.0", NULL }), 1, "negotiate with gaps exits 1");
	tap_ok(strstr(output, "no common version") != NULL, "  says no common version");
	tap_eq(run(cmd_negotiate, (const char *[]){ "negotiate", "shutdown",
		   "--srv", "x.y", NULL }), 2, "bad version list exits 2");

	answer = HV_E_FAIL;
	tap_eq(run(cmd_stop, (const char *[]){ "stop", "--hibernate", NULL }), 1,
	       "stop --hibernate refused by the guest exits 1");
	tap_ok(strstr(output, "Hibernate: HV_E_FAIL (0x80004005)") != NULL,
	       "  prints HV_E_FAIL by name");
	tap_ok(rd32(csd->last, 36) == 4 && rd32(csd->last, 28) == 0x80000000u,
	       "  flags 4, reason 0x80000000 on the wire");
	answer = HV_S_OK;
	tap_eq(run(cmd_stop, (const char *[]){ "stop", "--reboot", "--force",
		   "--message", "bye", NULL }), 0, "stop --reboot --force exits 0");
	tap_ok(rd32(csd->last, 36) == 3 && csd->last[40] == 'b',
	       "  flags 3 and the message on the wire");
	tap_eq(run(cmd_stop, (const char *[]){ "stop", "--bogus", NULL }), 2,
	       "unknown option exits 2");

	tap_eq(run(cmd_time, (const char *[]){ "time", "sync", NULL }), 2,
	       "time sync without a timesync channel exits 2");
	tap_ok(strstr(output, "is not offered") != NULL, "  and says so");
	tap_eq(run(cmd_vm, (const char *[]){ "vm", "status", NULL }), 0,
	       "vm status exits 0");
	tap_ok(strstr(output, "Heartbeat:     Operating normally") &&
	       strstr(output, "Shutdown") && strstr(output, "3.0/3.2"),
	       "  shows heartbeat health and negotiated versions");

	chb->guest = NULL;
	tap_eq(run(cmd_heartbeat, (const char *[]){ "heartbeat", "--reply-timeout",
		   "30", NULL }), 2, "silent guest: heartbeat exits 2");
	tap_eq(run(cmd_vm, (const char *[]){ "vm", "status", "--reply-timeout",
		   "30", NULL }), 0, "vm status with a silent guest");
	tap_ok(strstr(output, "Lost communication") != NULL, "  Lost communication");

	tap_eq(run(cmd_vm, (const char *[]){ "vm", "offer", "kvp", NULL }), 0,
	       "vm offer kvp");
	tap_ok(strstr(output, "Offered kvp (Key-Value Pair Exchange) as channel") != NULL,
	       "  reports the channel");
	tap_eq(run(cmd_vm, (const char *[]){ "vm", "offer", "nope", NULL }), 2,
	       "offering an unknown service exits 2");
	mock_reset();
	return tap_done();
}
