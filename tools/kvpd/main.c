// SPDX-License-Identifier: GPL-2.0
/*
 * hvic-kvpd: serves the Hyper-V host's key/value requests that the kernel
 * passes on through /dev/vmbus/hv_kvp.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev.h"
#include "kvpd.h"
#include "log.h"
#include "nl.h"
#include "notify.h"

#define KVP_DEVICE	"/dev/vmbus/hv_kvp"
#define DEFAULT_CONFIG	"/etc/hvic/kvpd.conf"

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: hvic-kvpd [OPTIONS]\n"
"\n"
"Serve the Hyper-V host's key/value pair (KVP) requests: the pool files in\n"
"%s, the guest's information in the auto pool, and the host's\n"
"IP configuration requests.\n"
"\n"
"  -n, --no-daemon        stay in the foreground, log to stderr as well\n"
"  -d, --debug            log every request\n"
"  -c, --config FILE      configuration file (default %s)\n"
"  -x, --exclude GLOBS    leave interfaces matching GLOBS (space- or\n"
"                         comma-separated, repeatable) out of the addresses\n"
"                         reported to the host\n"
"      --no-default-excludes\n"
"                         report container and loopback interfaces too\n"
"                         (default excludes: lo docker* veth* virbr* br-* cni* flannel*)\n"
"  -b, --backend NAME     where SET_IP_INFO persists: auto, networkmanager,\n"
"                         networkd, ifupdown or none (default auto)\n"
"  -p, --pool-dir DIR     pool files' directory (default %s)\n"
"      --device PATH      the kernel's device (default %s)\n"
"  -h, --help             this text\n"
"\n"
"Under systemd (Type=notify) it reports READY=1 once registered with the kernel.\n"
"$HVIC_KVPD_ROOT, if set, prefixes the paths SET_IP_INFO probes and writes.\n",
		HVIC_POOL_DIR, DEFAULT_CONFIG, HVIC_POOL_DIR, KVP_DEVICE);
}

static int kvp_register(struct hvic_dev *dev, void *ctx)
{
	struct kvpd *d = ctx;
	static struct hvic_kvp_msg m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.kvp_hdr.operation = HVIC_KVP_OP_REGISTER1;
	ret = hvic_dev_write(dev, &m, sizeof(m));
	if (ret)
		return ret;
	ret = hvic_dev_recv(dev, &m, sizeof(m), 10000);
	if (ret == 0)
		return quit ? -EINTR : -ETIMEDOUT;
	if (ret < 0)
		return ret;
	if (ret != sizeof(m) || m.kvp_hdr.operation != HVIC_KVP_OP_REGISTER1)
		return -EPROTO;
	memcpy(d->lic_version, m.body.kvp_register.version, sizeof(d->lic_version));
	d->lic_version[sizeof(d->lic_version) - 1] = 0;
	return 0;
}

static void kvp_ready(void *ctx)
{
	struct kvpd *d = ctx;

	log_info("registered with the kernel (version %s)", d->lic_version);
	hvic_sd_notifyf("READY=1\nSTATUS=Serving the host's KVP requests (kernel %s)",
			d->lic_version);
}

/*
 * Until the device is back, say so where the administrator looks, and let
 * go of the pool files: nobody should wait for a host that is gone.
 */
static void kvp_lost(void *ctx)
{
	kvpd_pools_release(ctx);
	hvic_sd_notify("STATUS=Waiting for the KVP device to come back (driver unbound or unloaded, or channel rescinded)");
}

static int kvp_handle(void *msg, size_t len, void *ctx)
{
	(void)len;
	kvpd_handle(ctx, msg);
	return 1;
}

/* Let go of the pool files' locks once the host pauses (see pool.c). */
static int kvp_idle(void *ctx)
{
	return kvpd_pools_idle(ctx);
}

static const struct hvic_dev_ops kvp_dev_ops = {
	.reg	= kvp_register,
	.ready	= kvp_ready,
	.lost	= kvp_lost,
	.handle	= kvp_handle,
	.idle	= kvp_idle,
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-daemon", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "no-default-excludes", no_argument, NULL, 'E' },
		{ "backend", required_argument, NULL, 'b' },
		{ "pool-dir", required_argument, NULL, 'p' },
		{ "device", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = DEFAULT_CONFIG, *device = KVP_DEVICE;
	bool foreground = false, debug = false, config_given = false;
	bool no_defaults = false;
	static struct kvpd d;
	struct sigaction sa = { .sa_handler = on_signal };
	struct hvic_dev dev;
	char *excludes[KVPD_MAX_EXCLUDES];
	unsigned int n_ex = 0, i;
	const char *backend = NULL, *pool_dir = NULL, *root;
	int c, ret;

	while ((c = getopt_long(argc, argv, "ndc:x:b:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			foreground = true;
			break;
		case 'd':
			debug = true;
			break;
		case 'c':
			config = optarg;
			config_given = true;
			break;
		case 'x':
			if (n_ex < KVPD_MAX_EXCLUDES)
				excludes[n_ex++] = optarg;
			break;
		case 'E':
			no_defaults = true;
			break;
		case 'b':
			backend = optarg;
			break;
		case 'p':
			pool_dir = optarg;
			break;
		case 'D':
			device = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	d.cfg.default_excludes = true;
	snprintf(d.cfg.backend, sizeof(d.cfg.backend), "auto");
	ret = kvpd_config_load(&d.cfg, config, config_given);
	if (ret) {
		fprintf(stderr, "hvic-kvpd: %s: %s\n", config, strerror(-ret));
		return 1;
	}
	for (i = 0; i < n_ex; i++)
		if (kvpd_config_exclude(&d.cfg, excludes[i])) {
			fprintf(stderr, "hvic-kvpd: too many excludes\n");
			return 2;
		}
	if (no_defaults)
		d.cfg.default_excludes = false;
	if (backend)
		snprintf(d.cfg.backend, sizeof(d.cfg.backend), "%s", backend);
	if (pool_dir)
		snprintf(d.cfg.pool_dir, sizeof(d.cfg.pool_dir), "%s", pool_dir);
	root = getenv("HVIC_KVPD_ROOT");
	if (root && strlen(root) >= sizeof(d.cfg.root)) {
		fprintf(stderr, "hvic-kvpd: HVIC_KVPD_ROOT is too long\n");
		return 2;
	}
	snprintf(d.cfg.root, sizeof(d.cfg.root), "%s", root ? root : "");

	/* systemd's Type=notify wants us in the foreground */
	if (!foreground && !getenv("NOTIFY_SOCKET") && daemon(0, 0)) {
		perror("hvic-kvpd: daemon");
		return 1;
	}
	/* under systemd stderr goes to the journal too: syslog is enough */
	hvic_log_init("hvic-kvpd", foreground && !getenv("JOURNAL_STREAM"), debug);
	log_info("starting (pid %d)", (int)getpid());

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	d.ops = &kvpd_system_ops;
	ret = kvpd_pools_open(&d, d.cfg.pool_dir[0] ? d.cfg.pool_dir : NULL);
	if (ret) {
		hvic_sd_notifyf("STATUS=Cannot open the pool files: %s", strerror(-ret));
		return 1;
	}
	hvic_dev_init(&dev, device, sizeof(struct hvic_kvp_msg), &quit);
	ret = hvic_dev_serve(&dev, &kvp_dev_ops, &d);
	hvic_sd_notify("STOPPING=1");
	log_info("stopping after %lu requests", d.requests);
	kvpd_pools_close(&d);
	hvnl_fini();
	kvpd_config_free(&d.cfg);
	return ret ? 1 : 0;
}
