// SPDX-License-Identifier: GPL-2.0
/*
 * Character-device transport shared by the daemons.  The kernel side allows
 * one opener, answers the registration with one message, then hands over
 * one request at a time and accepts one reply for it.
 *
 * The device goes away when its driver is unbound or unloaded or the host
 * rescinds the channel: the daemon closes it (so the module can unload) and
 * waits for the node to be created again, watching its directory with
 * inotify, with the back-off as the upper bound of each wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dev.h"
#include "log.h"

#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	5000
/* A device lost sooner than this after registering is flapping. */
#define FLAP_MS		1000
/* Node creations acted on at once in a row; then at most one per minimum. */
#define FREE_WAKES	3
/* Age a device node must have before we register through it; see settle(). */
#define SETTLE_MS	100
#define SETTLE_MAX_MS	5000
/* Every /dev/vmbus/hv_* node belongs to this module, ours or upstream's. */
#define MODULE_STATE	"/sys/module/hv_utils/initstate"

void hvic_dev_init(struct hvic_dev *dev, const char *path, size_t msg_size,
		   volatile sig_atomic_t *quit)
{
	memset(dev, 0, sizeof(*dev));
	dev->path = path;
	dev->msg_size = msg_size;
	dev->fd = -1;
	dev->backoff_ms = BACKOFF_MIN_MS;
	dev->quit = quit;
}

int hvic_dev_open(struct hvic_dev *dev)
{
	hvic_dev_close(dev);
	dev->fd = open(dev->path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0)
		return -errno;
	return 0;
}

void hvic_dev_close(struct hvic_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

int hvic_dev_write(struct hvic_dev *dev, const void *buf, size_t len)
{
	ssize_t n;

	do {
		n = write(dev->fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EPIPE;
}

int hvic_dev_recv(struct hvic_dev *dev, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = dev->fd, .events = POLLIN };
	ssize_t n;
	int ret;

	for (;;) {
		if (dev->quit && *dev->quit)
			return 0;
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (ret == 0)
			return 0;
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			return -EPIPE;
		if (pfd.revents & POLLIN)
			break;
	}
	do {
		n = read(dev->fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EBADF ? -EPIPE : -errno;
	if (n == 0)
		return -EPIPE;
	return (int)n;
}

void hvic_dev_backoff(struct hvic_dev *dev)
{
	struct timespec ts = {
		.tv_sec = dev->backoff_ms / 1000,
		.tv_nsec = (long)(dev->backoff_ms % 1000) * 1000000L,
	};

	if (!dev->quit || !*dev->quit)
		nanosleep(&ts, NULL);	/* a signal cuts it short */
	dev->backoff_ms *= 2;
	if (dev->backoff_ms > BACKOFF_MAX_MS)
		dev->backoff_ms = BACKOFF_MAX_MS;
}

static bool stopping(const struct hvic_dev *dev)
{
	return dev->quit && *dev->quit;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Watch the deepest existing directory on the device's path for the
 * creation of the next component: /dev/vmbus for "hv_kvp", or /dev for
 * "vmbus" when devtmpfs removed the emptied directory.  Returns the
 * inotify fd and points *name at that component inside dir, or -1.
 */
static int watch_path(const char *path, char *dir, size_t len,
		      const char **name)
{
	const uint32_t mask = IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF |
			      IN_MOVE_SELF;
	char *slash;
	int fd;

	if (strlen(path) >= len)
		return -1;
	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0)
		return -1;
	strcpy(dir, path);
	while ((slash = strrchr(dir, '/'))) {
		*slash = 0;
		*name = slash + 1;
		if (inotify_add_watch(fd, slash == dir ? "/" : dir, mask) >= 0)
			return fd;
		if (errno != ENOENT)
			break;
	}
	close(fd);
	return -1;
}

/* Whether the pending inotify events say the awaited name may be there. */
static bool watch_fired(int fd, const char *name)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	bool fired = false;
	ssize_t n, off;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			/* the directory itself went: look again */
			if (ev->mask & (IN_IGNORED | IN_DELETE_SELF |
					IN_MOVE_SELF | IN_Q_OVERFLOW))
				fired = true;
			else if (ev->len && !strcmp(ev->name, name))
				fired = true;
		}
	}
	return fired;
}

/* Whether the first len bytes of path name something that exists. */
static bool prefix_exists(const char *path, size_t len)
{
	char buf[PATH_MAX];

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, path, len);
	buf[len] = 0;
	return !access(buf, F_OK);
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	nanosleep(&ts, NULL);	/* a signal cuts it short */
}

/*
 * After a failed open or registration (err): sleep for the back-off, but
 * wake as soon as the device node is created again, so a reloaded module
 * or a re-offered channel is served at once.  Only the first few wakes in
 * a row are immediate (the directory, then the node); after that every
 * wait lasts at least the minimum back-off, whatever the events.  The
 * back-off only grows when nothing happened; without inotify it is all
 * there is.
 */
static void wait_for_device(struct hvic_dev *dev, int err)
{
	uint64_t start = now_ms(), deadline = start + dev->backoff_ms;
	struct pollfd pfd = { .events = POLLIN };
	const char *name = NULL;
	char dir[PATH_MAX];
	bool fired = false;
	int ret;

	if (stopping(dev))
		return;
	pfd.fd = watch_path(dev->path, dir, sizeof(dir), &name);
	if (pfd.fd < 0) {
		hvic_dev_backoff(dev);
		return;
	}
	/*
	 * Created between the failed open and the watch (the node, or the
	 * directory we are not watching yet): look again.
	 */
	if (err == -ENOENT &&
	    prefix_exists(dev->path, (size_t)(name - dir) + strlen(name)))
		fired = true;
	while (!fired && !stopping(dev)) {
		uint64_t now = now_ms();

		if (now >= deadline)
			break;
		ret = poll(&pfd, 1, (int)(deadline - now));
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0)
			fired = watch_fired(pfd.fd, name);
	}
	close(pfd.fd);
	if (fired) {
		uint64_t now = now_ms();

		if (++dev->wakes > FREE_WAKES && now < start + BACKOFF_MIN_MS &&
		    !stopping(dev))
			sleep_ms(start + BACKOFF_MIN_MS - now);
		return;
	}
	dev->wakes = 0;
	dev->backoff_ms *= 2;
	if (dev->backoff_ms > BACKOFF_MAX_MS)
		dev->backoff_ms = BACKOFF_MAX_MS;
}

/*
 * What opening a device that went away fails with until it is back: no
 * node, or the old node of a driver still tearing down.  Not worth a line
 * after "went away".
 */
static bool gone(int err)
{
	return err == -ENOENT || err == -ENODEV || err == -ENXIO || err == -EBADF;
}

/* Whether the module is still running its init (and so its probes). */
static bool module_coming(void)
{
	char state[16] = "";
	ssize_t n;
	int fd;

	fd = open(MODULE_STATE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;		/* not loaded as a module, or gone */
	n = read(fd, state, sizeof(state) - 1);
	close(fd);
	return n > 0 && !strncmp(state, "coming", 6);
}

/*
 * Upstream's hv_utils publishes the device node before it has finished
 * setting up behind it (the transport pointer its write handler uses is
 * stored only after the node exists): a registration written in that
 * window dereferences NULL in the kernel, and the oops kills us.  So before
 * registering, let the module finish loading (its init probes the devices)
 * and let a node created by a later probe (a sysfs bind) be SETTLE_MS old.
 * Our module publishes the node last; this costs it nothing but the wait
 * after a node appears.
 */
static void settle(struct hvic_dev *dev)
{
	uint64_t start = now_ms();
	struct timespec now;
	struct stat st;
	int64_t age_ms;

	while (module_coming() && now_ms() - start < SETTLE_MAX_MS &&
	       !stopping(dev))
		sleep_ms(10);
	if (fstat(dev->fd, &st) || clock_gettime(CLOCK_REALTIME, &now))
		return;
	age_ms = (int64_t)(now.tv_sec - st.st_ctim.tv_sec) * 1000 +
		 (now.tv_nsec - st.st_ctim.tv_nsec) / 1000000;
	if (age_ms >= 0 && age_ms < SETTLE_MS && !stopping(dev))
		sleep_ms(SETTLE_MS - age_ms);
}

/* Open and register, retrying with back-off.  0, or 1 when asked to quit. */
static int connect_dev(struct hvic_dev *dev, const struct hvic_dev_ops *ops,
		       void *ctx)
{
	int ret;

	for (;;) {
		if (stopping(dev))
			return 1;
		ret = hvic_dev_open(dev);
		if (!ret) {
			settle(dev);
			ret = ops->reg(dev, ctx);
			if (!ret)
				break;
			log_err("%s: registration failed: %s", dev->path,
				strerror(-ret));
			hvic_dev_close(dev);
		} else if (!dev->warned && !(dev->lost_ms && gone(ret))) {
			/* ENOENT: module not loaded; EBUSY: another daemon */
			log_warn("%s: %s; retrying", dev->path, strerror(-ret));
			dev->warned = true;
		}
		wait_for_device(dev, ret);
	}
	if (dev->lost_ms) {
		uint64_t ms = now_ms() - dev->lost_ms;

		log_notice("%s: back after %llu.%01llu s", dev->path,
			   (unsigned long long)ms / 1000,
			   (unsigned long long)ms % 1000 / 100);
		dev->lost_ms = 0;
	}
	dev->warned = false;
	dev->wakes = 0;
	dev->backoff_ms = BACKOFF_MIN_MS;
	dev->ready_ms = now_ms();
	if (ops->ready)
		ops->ready(ctx);
	return 0;
}

int hvic_dev_serve(struct hvic_dev *dev, const struct hvic_dev_ops *ops,
		   void *ctx)
{
	void *msg = calloc(1, dev->msg_size);
	int ret = 0;

	if (!msg)
		return -ENOMEM;
	while (!stopping(dev)) {
		if (dev->fd < 0 && connect_dev(dev, ops, ctx))
			break;
		ret = hvic_dev_recv(dev, msg, dev->msg_size,
				    ops->idle ? ops->idle(ctx) : -1);
		if (ret == 0)
			continue;		/* signal or idle timeout */
		if (ret > 0 && (size_t)ret != dev->msg_size)
			ret = -EPIPE;
		if (ret > 0) {
			ret = ops->handle(msg, dev->msg_size, ctx);
			if (ret > 0)
				ret = hvic_dev_write(dev, msg, dev->msg_size);
		}
		if (ret < 0) {
			/*
			 * The device went away (unbind, rmmod, rescind) or the
			 * kernel refused our reply (e.g. after a suspend it
			 * dropped the request): start over with a fresh open.
			 * Close first: the open file pins the module.
			 */
			hvic_dev_close(dev);
			dev->lost_ms = now_ms();
			if (ret == -EPIPE || ret == -EBADF) {
				log_notice("%s: the device went away (driver unbound or unloaded, or channel rescinded); waiting for it to come back",
					   dev->path);
			} else {
				log_notice("%s: %s; reopening", dev->path,
					   strerror(-ret));
			}
			if (ops->lost)
				ops->lost(ctx);
			/*
			 * Look for it again at once (connect_dev() waits for
			 * the node), unless it keeps failing right after
			 * registration: then back off.
			 */
			if ((ret != -EPIPE && ret != -EBADF) ||
			    dev->lost_ms - dev->ready_ms < FLAP_MS)
				hvic_dev_backoff(dev);
		}
		ret = 0;
	}
	hvic_dev_close(dev);
	free(msg);
	return ret;
}
