/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon side of /dev/vmbus/hv_{kvp,vss,fcopy} (uapi/linux/hvic.h):
 * open, register, then poll/read/handle/write one message at a time; on
 * POLLHUP/POLLERR, EBADF or a short transfer close the device and open it
 * again: at once when its node is created again (inotify), otherwise after
 * a back-off of 0.1 s doubling up to 5 s.
 */
#ifndef HVIC_DEV_H
#define HVIC_DEV_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct hvic_dev;

struct hvic_dev_ops {
	/*
	 * Write the registration message and read the kernel's answer
	 * (hvic_dev_write/hvic_dev_recv).  0 when registered, -errno.
	 */
	int (*reg)(struct hvic_dev *dev, void *ctx);
	/* Called after every successful registration. */
	void (*ready)(void *ctx);
	/* Optional: the device was closed after it went away or failed;
	 * serving resumes (ready) once it is registered again. */
	void (*lost)(void *ctx);
	/*
	 * Handle one request in msg (len bytes, the message size), in place.
	 * Return 1 to write msg back as the reply, 0 for no reply, -errno to
	 * drop the device and reopen it.
	 */
	int (*handle)(void *msg, size_t len, void *ctx);
	/*
	 * Optional: called before every wait for a request.  Returns how
	 * long (ms) that wait may last before idle is called again, -1 for
	 * as long as it takes.
	 */
	int (*idle)(void *ctx);
};

struct hvic_dev {
	const char *path;
	size_t msg_size;
	int fd;
	unsigned int backoff_ms;
	bool warned;		/* an open failure was logged already */
	unsigned int wakes;	/* waits in a row ended by the node's creation */
	unsigned long long ready_ms; /* CLOCK_MONOTONIC ms of the last registration */
	unsigned long long lost_ms; /* CLOCK_MONOTONIC ms it was lost, or 0 */
	volatile sig_atomic_t *quit;
};

void hvic_dev_init(struct hvic_dev *dev, const char *path, size_t msg_size,
		   volatile sig_atomic_t *quit);
int hvic_dev_open(struct hvic_dev *dev);
void hvic_dev_close(struct hvic_dev *dev);
/* Exactly len bytes or -errno (-EPIPE for a short transfer). */
int hvic_dev_write(struct hvic_dev *dev, const void *buf, size_t len);
/* Wait up to timeout_ms (-1: forever) for a message and read it.
 * Returns the length read, 0 on timeout or when *quit was set, -EPIPE when
 * the device hung up, -errno otherwise. */
int hvic_dev_recv(struct hvic_dev *dev, void *buf, size_t len, int timeout_ms);
/* Sleep for the current back-off (interrupted by a signal), then double it. */
void hvic_dev_backoff(struct hvic_dev *dev);

/*
 * Serve until *quit: open + register (retrying with back-off), then handle
 * requests.  Returns 0 on a requested stop, -errno on a fatal error.
 */
int hvic_dev_serve(struct hvic_dev *dev, const struct hvic_dev_ops *ops,
		   void *ctx);

#endif
