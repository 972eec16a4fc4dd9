// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-side observations for the conformance tests.  Everything here looks
 * at the system the way a user or a consumer (cloud-init, chrony, a backup
 * agent) would: files, clocks, uevents, process states and the kernel log.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rig.h"

const char *rig_target(void)
{
	const char *t = getenv("HVIC_TARGET");

	return t && *t ? t : "stock";
}

bool rig_target_is(const char *name)
{
	return strcmp(rig_target(), name) == 0;
}

bool rig_module_is(const char *name)
{
	const char *m = getenv("HVIC_MODULE");

	/* older target files export nothing: the target is the module */
	return strcmp(m && *m ? m : rig_target(), name) == 0;
}

const char *rig_kvp_daemon(void)
{
	const char *d = getenv("HVIC_KVP_DAEMON");

	return d ? d : "";
}

bool rig_daemon_is(const char *name)
{
	return strcmp(rig_kvp_daemon(), name) == 0;
}

const char *rig_kvp_daemon_cmd(void)
{
	const char *c = getenv("HVIC_KVP_DAEMON_CMD");

	return c ? c : "";
}

pid_t rig_find_process(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = 0;

	while (d && !found && (e = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = 0;
			/*
			 * comm is cut to 15 characters.  A process that is
			 * exiting (zombie, dead, being reaped: its stat
			 * unreadable) is not running.
			 */
			char st = rig_proc_state(atoi(e->d_name));

			if (!strncmp(comm, name, 15) && st && !strchr("ZXx", st))
				found = atoi(e->d_name);
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

int rig_kvp_daemon_start(void)
{
	const char *cmd = rig_kvp_daemon_cmd();
	pid_t pid;

	if (!*cmd)
		return -ENOENT;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		int fd = open("/var/log/hvic-daemon-kvp.log",
			      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		setsid();
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* its own process, not our child: the harness may exit */
		if (fork() == 0) {
			char line[1024];

			snprintf(line, sizeof(line), "exec %s", cmd);
			execl("/bin/sh", "sh", "-c", line, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return 0;
}

bool rig_has_service(const char *name)
{
	const char *s = getenv("HVIC_SERVICES");
	size_t n = strlen(name);

	while (s && *s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, name, n) && (s[n] == ' ' || !s[n]))
			return true;
		s = strchr(s, ' ');
	}
	return false;
}

static int pool_open(int pool, off_t *size)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), RIG_KVP_POOL_DIR "/.kvp_pool_%d", pool);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* read it the way cloud-init does: under flock() */
	if (flock(fd, LOCK_SH) < 0 ||
	    fstat(fd, &st) < 0 || st.st_size % (RIG_KVP_KEY_BYTES + RIG_KVP_VALUE_BYTES)) {
		close(fd);
		return -EBADMSG;
	}
	*size = st.st_size;
	return fd;
}

int rig_pool_count(int pool)
{
	off_t size;
	int fd = pool_open(pool, &size);

	if (fd < 0)
		return fd;
	close(fd);
	return size / (RIG_KVP_KEY_BYTES + RIG_KVP_VALUE_BYTES);
}

int rig_pool_lookup(int pool, const char *key, char *value, size_t len)
{
	char rec[RIG_KVP_KEY_BYTES + RIG_KVP_VALUE_BYTES];
	int found = 0;
	off_t size;
	int fd = pool_open(pool, &size);

	if (fd < 0)
		return fd;
	while (read(fd, rec, sizeof(rec)) == (ssize_t)sizeof(rec)) {
		if (strncmp(rec, key, RIG_KVP_KEY_BYTES) ||
		    strnlen(rec, RIG_KVP_KEY_BYTES) != strlen(key))
			continue;
		snprintf(value, len, "%.*s", (int)strnlen(rec + RIG_KVP_KEY_BYTES,
			 RIG_KVP_VALUE_BYTES), rec + RIG_KVP_KEY_BYTES);
		found = 1;
	}
	close(fd);
	return found;
}

int rig_ptp_open(const char *name)
{
	char path[300], buf[64];
	struct dirent *de;
	DIR *d = opendir("/sys/class/ptp");
	int fd = -ENOENT;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		FILE *f;

		if (strncmp(de->d_name, "ptp", 3))
			continue;
		snprintf(path, sizeof(path), "/sys/class/ptp/%s/clock_name", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && !strncmp(buf, name, strlen(name)) &&
		    (buf[strlen(name)] == '\n' || !buf[strlen(name)])) {
			snprintf(path, sizeof(path), "/dev/%s", de->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				fd = -errno;
		}
		fclose(f);
		if (fd != -ENOENT)
			break;
	}
	closedir(d);
	return fd;
}

/* The dynamic POSIX clock id of an open PTP character device. */
#define RIG_FD_TO_CLOCKID(fd)	((~(clockid_t)(fd) << 3) | 3)

int rig_ptp_read_ns(int fd, int64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(RIG_FD_TO_CLOCKID(fd), &ts) < 0)
		return -errno;
	*ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	return 0;
}

int rig_uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	sa.nl_pid = 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* True when every "KEY=VALUE" of @match is one of the NUL-separated
 * strings of the uevent in @buf.
 */
static bool uevent_matches(const char *buf, size_t len, const char *const *match)
{
	for (; *match; match++) {
		size_t off = 0;
		bool hit = false;

		while (off < len) {
			const char *s = buf + off;

			if (!strcmp(s, *match)) {
				hit = true;
				break;
			}
			off += strnlen(s, len - off) + 1;
		}
		if (!hit)
			return false;
	}
	return true;
}

int rig_uevent_wait(int fd, const char *const *match, int timeout_ms,
		    char *devpath, size_t len)
{
	int64_t deadline = rig_now_ns(CLOCK_MONOTONIC) + timeout_ms * 1000000LL;
	char buf[8192];

	for (;;) {
		int64_t left = deadline - rig_now_ns(CLOCK_MONOTONIC);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, left / 1000000 + 1) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = 0;
		if (uevent_matches(buf, n, match)) {
			const char *at = strchr(buf, '@');

			if (devpath)
				snprintf(devpath, len, "%s", at ? at + 1 : buf);
			return 0;
		}
	}
}

char rig_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static size_t dmesg_mark;

static char *dmesg_read(size_t *len)
{
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;
	int n;

	if (size <= 0)
		size = 1 << 20;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	n = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	if (n < 0)
		n = 0;
	buf[n] = 0;
	*len = n;
	return buf;
}

/* The kernel log ring can wrap; we mark by content length, which is
 * good enough for the short windows the tests look at.
 */
void rig_dmesg_mark(void)
{
	char *buf = dmesg_read(&dmesg_mark);

	free(buf);
}

static int dmesg_scan(const char *const *needles, bool print)
{
	size_t len;
	char *buf = dmesg_read(&len), *line, *save = NULL;
	int hits = 0;

	if (!buf)
		return -ENOMEM;
	for (line = strtok_r(buf + (dmesg_mark < len ? dmesg_mark : 0), "\n", &save);
	     line; line = strtok_r(NULL, "\n", &save)) {
		const char *const *n;

		for (n = needles; *n; n++) {
			if (strstr(line, *n)) {
				hits++;
				if (print)
					fprintf(stderr, "# dmesg: %s\n", line);
				break;
			}
		}
	}
	free(buf);
	return hits;
}

int rig_dmesg_problems(void)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "Oops", "general protection", "Call Trace",
		"UBSAN", "KASAN", "refcount_t", "corruption", NULL,
	};

	return dmesg_scan(bad, true);
}

int rig_dmesg_count(const char *needle)
{
	const char *const n[] = { needle, NULL };

	return dmesg_scan(n, false);
}

int64_t rig_now_ns(int clockid)
{
	struct timespec ts;

	clock_gettime(clockid, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t rig_abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

int rig_open_service(struct hvhost **h, enum hvhost_service s, uint32_t *id)
{
	int ret = hvhost_open(h, NULL);

	if (ret)
		return ret;
	ret = hvhost_find(*h, s, id);
	if (!ret)
		ret = hvhost_wait_open(*h, *id, 10000);
	if (ret) {
		hvhost_close(*h);
		*h = NULL;
	}
	return ret;
}

int rig_open_negotiated(struct hvhost **h, enum hvhost_service s,
			enum hvhost_generation g, uint32_t *id)
{
	int ret = rig_open_service(h, s, id);

	if (ret)
		return ret;
	/* KVP is not answered until the daemon registered: allow for it. */
	hvhost_set_timeout(*h, 15000);
	ret = hvhost_ensure_negotiated(*h, *id, s, hvhost_host_model(g), NULL);
	hvhost_set_timeout(*h, HVHOST_DEFAULT_TIMEOUT_MS);
	if (ret) {
		hvhost_close(*h);
		*h = NULL;
	}
	return ret;
}

int rig_target_call(const char *func)
{
	const char *top = getenv("HVIC_TOP"), *build = getenv("HVIC_BUILD");
	char line[1024];
	pid_t pid;
	int st;

	if (!top || !*top || !build || !*build)
		return -ENOENT;
	/* the target files read BUILD (and KVER, which guest-lib exports) */
	snprintf(line, sizeof(line),
		 "BUILD='%s'; . '%s/selftests/targets/%s.sh' && %s",
		 build, top, rig_target(), func);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execl("/bin/bash", "bash", "-c", line, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -EINTR;
}

int rig_daemon_start(const char *cmd, const char *log)
{
	pid_t pid;

	if (!cmd || !*cmd)
		return -ENOENT;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		setsid();
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* its own process, not our child: the harness may exit */
		if (fork() == 0) {
			char line[1024];

			snprintf(line, sizeof(line), "exec %s", cmd);
			execl("/bin/sh", "sh", "-c", line, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return 0;
}

int rig_file_holders(const char *path, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	size_t plen = strlen(path);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char dir[64], link[330], target[300];
		struct dirent *f;
		DIR *fds;
		ssize_t len;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(dir, sizeof(dir), "/proc/%d/fd", atoi(e->d_name));
		fds = opendir(dir);
		while (fds && (f = readdir(fds))) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "%s/%s", dir, f->d_name);
			len = readlink(link, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = 0;
			/* a node removed since it was opened reads "(deleted)" */
			if (!strncmp(target, path, plen) &&
			    (!target[plen] || !strcmp(target + plen, " (deleted)"))) {
				if (n < max)
					pids[n] = atoi(e->d_name);
				n++;
				break;
			}
		}
		if (fds)
			closedir(fds);
	}
	if (d)
		closedir(d);
	return n;
}

int rig_proc_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	while (n > 0 && !buf[n - 1])
		n--;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = 0;
	return 0;
}

unsigned long long rig_proc_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* fields after the ")" that ends comm start with field 3, the state */
	p = strrchr(buf, ')');
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}

int rig_module_refcnt(const char *name)
{
	char path[300];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	if (fscanf(f, "%d", &n) != 1)
		n = -EIO;
	fclose(f);
	return n;
}

/*
 * rtnetlink, read directly (no ip(8) output to parse, no libnl): one dump
 * request of type for family, each message of the answer given to cb.
 */
struct rig_nl_walk {
	int ifindex;
	struct rig_ipaddr *out;
	int max;
	int n;
};

static int rig_nl_dump(int type, int family,
		       void (*cb)(struct nlmsghdr *nh, struct rig_nl_walk *w),
		       struct rig_nl_walk *w)
{
	struct {
		struct nlmsghdr nh;
		struct rtmsg rtm;	/* or the shorter struct ifaddrmsg */
	} req = {
		.nh.nlmsg_type = type,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.nh.nlmsg_seq = 1,
	};
	static char buf[65536];
	int fd, ret = 0;
	bool done = false;

	req.nh.nlmsg_len = NLMSG_LENGTH(type == RTM_GETADDR ? sizeof(struct ifaddrmsg) :
					sizeof(struct rtmsg));
	req.rtm.rtm_family = family;	/* both start with the family */
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		ret = -errno;
	while (!ret && !done) {
		int n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		if (n < 0) {
			ret = -errno;
			break;
		}
		for (; NLMSG_OK(nh, (unsigned int)n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
				ret = ret ? ret : -EIO;
				break;
			}
			if (nh->nlmsg_type == (type == RTM_GETADDR ? RTM_NEWADDR : RTM_NEWROUTE))
				cb(nh, w);
		}
	}
	close(fd);
	return ret ? ret : w->n;
}

static void rig_nl_add(struct rig_nl_walk *w, int family, const void *bin,
		       unsigned int prefix, unsigned int scope)
{
	struct rig_ipaddr *a;

	if (w->n >= w->max)
		return;
	a = &w->out[w->n];
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->prefix = prefix;
	a->scope = scope;
	if (inet_ntop(family, bin, a->addr, sizeof(a->addr)))
		w->n++;
}

static void rig_nl_addr(struct nlmsghdr *nh, struct rig_nl_walk *w)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = IFA_PAYLOAD(nh);
	const void *addr = NULL, *local = NULL;
	struct rtattr *rta;

	if ((int)ifa->ifa_index != w->ifindex)
		return;
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFA_ADDRESS)
			addr = RTA_DATA(rta);
		else if (rta->rta_type == IFA_LOCAL)
			local = RTA_DATA(rta);
	}
	/* IFA_LOCAL is the interface's own address (IFA_ADDRESS the peer's) */
	if (local || addr)
		rig_nl_add(w, ifa->ifa_family, local ? local : addr, ifa->ifa_prefixlen,
			   ifa->ifa_scope);
}

int rig_if_addrs(int ifindex, struct rig_ipaddr *out, int max)
{
	struct rig_nl_walk w = { .ifindex = ifindex, .out = out, .max = max };

	return rig_nl_dump(RTM_GETADDR, AF_UNSPEC, rig_nl_addr, &w);
}

static void rig_nl_route(struct nlmsghdr *nh, struct rig_nl_walk *w)
{
	struct rtmsg *rtm = NLMSG_DATA(nh);
	int len = RTM_PAYLOAD(nh), oif = 0;
	unsigned int table = rtm->rtm_table;
	const void *gw = NULL;
	struct rtattr *rta;

	for (rta = RTM_RTA(rtm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == RTA_GATEWAY)
			gw = RTA_DATA(rta);
		else if (rta->rta_type == RTA_OIF)
			oif = *(int *)RTA_DATA(rta);
		else if (rta->rta_type == RTA_TABLE)
			table = *(unsigned int *)RTA_DATA(rta);
	}
	if (table == RT_TABLE_MAIN && rtm->rtm_dst_len == 0 && gw && oif == w->ifindex)
		rig_nl_add(w, rtm->rtm_family, gw, 0, rtm->rtm_scope);
}

int rig_if_default_gateways(int ifindex, struct rig_ipaddr *out, int max)
{
	struct rig_nl_walk w = { .ifindex = ifindex, .out = out, .max = max };
	int n4, n;

	n4 = rig_nl_dump(RTM_GETROUTE, AF_INET, rig_nl_route, &w);
	if (n4 < 0)
		return n4;
	n = rig_nl_dump(RTM_GETROUTE, AF_INET6, rig_nl_route, &w);
	return n;
}
