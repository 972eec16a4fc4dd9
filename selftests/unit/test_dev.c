// SPDX-License-Identifier: GPL-2.0
/*
 * The daemons' device loop (tools/lib/dev.c) without a kernel: a FIFO in a
 * temporary directory stands in for /dev/vmbus/hv_*.  What is checked is
 * how the loop waits for a device that is not there yet:
 *
 *   - with no node and no directory it backs off, and the node's creation
 *     (directory and all) wakes it long before the back-off would;
 *   - it registers only once the node is SETTLE_MS old (upstream's
 *     hv_utils publishes the node before it can take a registration);
 *   - a failed registration is retried;
 *   - it stops when asked, also while waiting.
 *
 * The loop runs in a child; what it did is reported through shared memory.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "dev.h"
#include "log.h"

#define MSG_SIZE	64

struct shared {
	unsigned int regs;		/* registration attempts */
	unsigned int fail_regs;		/* how many of them to fail */
	unsigned int readies;
	uint64_t first_reg_ms;		/* CLOCK_REALTIME ms of the first one */
	uint64_t ready_ms;		/* ... of the first success */
};

static struct shared *sh;
static volatile sig_atomic_t quit;
static char dir[64], sub[80], node[96];

static uint64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fake_reg(struct hvic_dev *dev, void *ctx)
{
	(void)dev;
	(void)ctx;
	if (!sh->regs++)
		sh->first_reg_ms = real_ms();
	if (sh->fail_regs) {
		sh->fail_regs--;
		return -EIO;
	}
	return 0;
}

static void fake_ready(void *ctx)
{
	(void)ctx;
	if (!sh->readies++)
		sh->ready_ms = real_ms();
}

static int fake_handle(void *msg, size_t len, void *ctx)
{
	(void)msg;
	(void)len;
	(void)ctx;
	return 0;
}

static const struct hvic_dev_ops fake_ops = {
	.reg = fake_reg,
	.ready = fake_ready,
	.handle = fake_handle,
};

static void on_term(int sig)
{
	(void)sig;
	quit = 1;
}

/* The daemon's side: serve node until SIGTERM; exit status 0 on a clean stop. */
static pid_t start_loop(void)
{
	struct sigaction sa = { .sa_handler = on_term };
	struct hvic_dev dev;
	pid_t pid = fork();

	if (pid)
		return pid;
	sigaction(SIGTERM, &sa, NULL);
	hvic_dev_init(&dev, node, MSG_SIZE, &quit);
	_exit(hvic_dev_serve(&dev, &fake_ops, NULL) ? 1 : 0);
}

/* Stop the loop; whether it stopped cleanly within 2 s. */
static bool stop_loop(pid_t pid)
{
	int st, i;

	kill(pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) && !WEXITSTATUS(st);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return false;
}

static void wait_for(unsigned int *what, unsigned int n, unsigned int ms)
{
	while (__atomic_load_n(what, __ATOMIC_ACQUIRE) < n && ms >= 10) {
		usleep(10000);
		ms -= 10;
	}
}

/* No node, no directory: the creation of both wakes the waiting loop. */
static void test_woken_by_creation(void)
{
	uint64_t created;
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	pid = start_loop();
	/*
	 * Let the back-off grow: waits of 0.1, 0.2, 0.4, 0.8, 1.6 and 3.2 s
	 * end 0.1, 0.3, 0.7, 1.5, 3.1 and 6.3 s in, so at 3.5 s the loop is
	 * in a wait with 2.8 s left.
	 */
	usleep(3500 * 1000);
	tap_eq(sh->regs, 0, "no node: no registration");
	created = real_ms();
	tap_ok(!mkdir(sub, 0755) && !mkfifo(node, 0600), "directory and node created");
	wait_for(&sh->readies, 1, 2500);
	tap_eq(sh->readies, 1, "registered once the node exists");
	tap_ok(sh->ready_ms - created < 1500,
	       "woken by the creation, not by the back-off (%llu ms)",
	       (unsigned long long)(sh->ready_ms - created));
	/* the node's ctime has a clock tick's grain: allow 10 ms */
	tap_ok(sh->first_reg_ms + 10 >= created + 100,
	       "registration waited for the node to be 100 ms old (%llu ms)",
	       (unsigned long long)(sh->first_reg_ms - created));
	tap_ok(stop_loop(pid), "stops when asked while serving");
	unlink(node);
	rmdir(sub);
}

/* A registration that fails is retried, with back-off. */
static void test_failed_registration_retried(void)
{
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	sh->fail_regs = 2;
	tap_ok(!mkdir(sub, 0755) && !mkfifo(node, 0600), "node created");
	pid = start_loop();
	wait_for(&sh->readies, 1, 5000);
	tap_eq(sh->regs, 3, "two failed registrations, then one that worked");
	tap_eq(sh->readies, 1, "ready once");
	tap_ok(stop_loop(pid), "stops when asked");
	unlink(node);
	rmdir(sub);
}

/* Asked to stop while waiting for a node that never comes. */
static void test_stop_while_waiting(void)
{
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	pid = start_loop();
	usleep(1000 * 1000);
	tap_ok(stop_loop(pid), "stops when asked while waiting for the node");
	tap_eq(sh->regs, 0, "never registered");
}

int main(void)
{
	hvic_log_stderr(false);		/* the "retrying" lines are expected */
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	snprintf(dir, sizeof(dir), "/tmp/hvic-dev-test.%d", (int)getpid());
	snprintf(sub, sizeof(sub), "%s/vmbus", dir);
	snprintf(node, sizeof(node), "%s/hv_test", sub);
	if (mkdir(dir, 0700)) {
		perror(dir);
		return 1;
	}
	test_woken_by_creation();
	test_failed_registration_retried();
	test_stop_while_waiting();
	rmdir(dir);
	return tap_done();
}
