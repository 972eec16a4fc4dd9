// SPDX-License-Identifier: GPL-2.0
/*
 * Character-device transport shared by the daemons.  The kernel side allows
 * one opener, answers the registration with one message, then hands over
 * one request at a time and accepts one reply for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dev.h"
#include "log.h"

#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	5000

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
			ret = ops->reg(dev, ctx);
			if (!ret)
				break;
			log_err("%s: registration failed: %s", dev->path,
				strerror(-ret));
			hvic_dev_close(dev);
		} else if (!dev->warned) {
			/* ENOENT: module not loaded; EBUSY: another daemon */
			log_warn("%s: %s; retrying", dev->path, strerror(-ret));
			dev->warned = true;
		}
		hvic_dev_backoff(dev);
	}
	dev->warned = false;
	dev->backoff_ms = BACKOFF_MIN_MS;
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
		ret = hvic_dev_recv(dev, msg, dev->msg_size, -1);
		if (ret == 0)
			continue;		/* signal: check quit */
		if (ret > 0 && (size_t)ret != dev->msg_size)
			ret = -EPIPE;
		if (ret > 0) {
			ret = ops->handle(msg, dev->msg_size, ctx);
			if (ret > 0)
				ret = hvic_dev_write(dev, msg, dev->msg_size);
		}
		if (ret < 0) {
			/*
			 * The device went away (rmmod, rescind) or the kernel
			 * refused our reply (e.g. after a suspend it dropped
			 * the request): start over with a fresh open.
			 */
			log_notice("%s: %s; reopening", dev->path,
				   strerror(-ret));
			hvic_dev_close(dev);
			hvic_dev_backoff(dev);
		}
		ret = 0;
	}
	hvic_dev_close(dev);
	free(msg);
	return ret;
}
