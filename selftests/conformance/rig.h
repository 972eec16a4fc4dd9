/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the conformance tests: what the rig set up for us
 * (target, services), and guest-side observations a user would make
 * (pool files, PTP clocks, uevents, process states, kernel log).
 */
#ifndef HVIC_RIG_H
#define HVIC_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "stock" or "ours" (HVIC_TARGET, set by guest-suite). */
const char *rig_target(void);
bool rig_target_is(const char *name);
/* The hv_utils module under test, "stock" or "ours" (HVIC_MODULE, exported
 * by the target file): properties of the kernel side key on this. */
bool rig_module_is(const char *name);
/* The KVP daemon's program name, e.g. "hv_kvp_daemon" or "hvic-kvpd"
 * (HVIC_KVP_DAEMON, set by guest-suite; "" when the target has none), and
 * its command line (HVIC_KVP_DAEMON_CMD). */
const char *rig_kvp_daemon(void);
bool rig_daemon_is(const char *name);
const char *rig_kvp_daemon_cmd(void);
/* The pid of a running process whose program name is name, or 0. */
pid_t rig_find_process(const char *name);
/* Start the target's KVP daemon again, detached (find it with
 * rig_find_process()); 0 or -errno. */
int rig_kvp_daemon_start(void);
/* Whether the target implements a service (HVIC_SERVICES). */
bool rig_has_service(const char *name);
/* Run a function of the target file, e.g. "target_load", the way
 * guest-suite does (HVIC_TOP, HVIC_BUILD); its exit status or -errno. */
int rig_target_call(const char *func);
/* Start cmd detached, like rig_kvp_daemon_start(), output appended to log. */
int rig_daemon_start(const char *cmd, const char *log);
/* Pids of the processes that have path open (up to max); how many. */
int rig_file_holders(const char *path, pid_t *pids, int max);
/* A process's command line, arguments joined by spaces; 0 or -errno. */
int rig_proc_cmdline(pid_t pid, char *buf, size_t len);
/* A process's start time (/proc/<pid>/stat field 22), 0 if gone. */
unsigned long long rig_proc_starttime(pid_t pid);
/* A loaded module's reference count, or -ENOENT when not loaded. */
int rig_module_refcnt(const char *name);

/* KVP pool files: the legacy record format, key[512] + value[2048]. */
#define RIG_KVP_KEY_BYTES	512
#define RIG_KVP_VALUE_BYTES	2048
#define RIG_KVP_POOL_DIR	"/var/lib/hyperv"
/*
 * Look a key up in /var/lib/hyperv/.kvp_pool_<pool>.  Compares up to the
 * NUL (records may hold leftovers after it).  Returns 1 and copies the value
 * when found, 0 when absent, -errno when the file can't be read or parsed.
 */
int rig_pool_lookup(int pool, const char *key, char *value, size_t len);
/* Number of records in a pool file, or -errno (size not a multiple). */
int rig_pool_count(int pool);

/* The PTP clock whose clock_name is @name: open /dev/ptpN, return the fd. */
int rig_ptp_open(const char *name);
/* Read a PTP clock (clockid from its fd) in ns; -errno on failure. */
int rig_ptp_read_ns(int fd, int64_t *ns);

/* Kernel uevents: open a listener, then wait for an event whose
 * environment contains every "KEY=VALUE" in @match (NULL-terminated).
 */
int rig_uevent_open(void);
int rig_uevent_wait(int fd, const char *const *match, int timeout_ms,
		    char *devpath, size_t len);

/* /proc/<pid>/stat state letter ('R', 'S', 'D', ...), 0 if gone. */
char rig_proc_state(pid_t pid);

/* Lines of the kernel log since rig_dmesg_mark() that look like a driver
 * bug (WARN, BUG, Oops, ...); returns their count, prints them.
 */
void rig_dmesg_mark(void);
int rig_dmesg_problems(void);
/* Number of kernel log lines since the mark that contain @needle. */
int rig_dmesg_count(const char *needle);

/* Clock helpers. */
int64_t rig_now_ns(int clockid);
int64_t rig_abs64(int64_t v);

/* An address of an interface or a gateway, as rtnetlink reports it. */
struct rig_ipaddr {
	int family;			/* AF_INET or AF_INET6 */
	char addr[46];			/* canonical text (inet_ntop) */
	unsigned int prefix;		/* prefix length; 0 for a gateway */
	unsigned int scope;		/* RT_SCOPE_UNIVERSE, _LINK, _HOST */
};
/* The addresses of ifindex, up to max into out: their number or -errno. */
int rig_if_addrs(int ifindex, struct rig_ipaddr *out, int max);
/* The gateways of the main table's default routes through ifindex. */
int rig_if_default_gateways(int ifindex, struct rig_ipaddr *out, int max);

#include <stdio.h>
#include <unistd.h>

#include "hvhost.h"

/*
 * SKIP from a FIXTURE_SETUP.  The 6.1 harness runs the test body after a
 * setup that only returned, so end the test's child here: exit code 255 is
 * the harness's "skipped", and the reason is in the shared results.
 */
#define RIG_SETUP_SKIP(fmt, ...) \
	SKIP(do { fflush(NULL); _exit(255); } while (0), fmt, ##__VA_ARGS__)

/*
 * Open the sim and find the live channel of service s, which the rig
 * offered at start, waiting up to 10 s for the guest to open it.
 */
int rig_open_service(struct hvhost **h, enum hvhost_service s, uint32_t *id);
/* Open + negotiate with host generation g (no-op if already negotiated). */
int rig_open_negotiated(struct hvhost **h, enum hvhost_service s,
			enum hvhost_generation g, uint32_t *id);

#endif
