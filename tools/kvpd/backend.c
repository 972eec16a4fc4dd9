// SPDX-License-Identifier: GPL-2.0
/*
 * Persisting a SET_IP_INFO configuration for the next boot, in the format of
 * whichever network manager the guest runs (render.c): the configuration's
 * network-backend, or for "auto" the first of
 *
 *   /run/NetworkManager                   NetworkManager is running
 *   /run/systemd/netif/state              systemd-networkd is running
 *   .../multi-user.target.wants/NetworkManager.service      enabled
 *   .../multi-user.target.wants/systemd-networkd.service    enabled
 *   /etc/network/interfaces               ifupdown is installed
 *   /etc/NetworkManager/NetworkManager.conf                  installed
 *
 * (/run/systemd/netif alone proves nothing: systemd's tmpfiles create it
 * whether networkd runs or not).  The file is written beside its final name
 * under a hidden name no backend reads (".NAME.tmp"), synced, renamed over
 * it, and the directory synced; a missing directory is created.  Every path
 * is below cfg->root ($HVIC_KVPD_ROOT: tests, image builders).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvpd.h"
#include "log.h"

#define UNITS	"/etc/systemd/system/multi-user.target.wants/"

static const struct {
	const char *path;
	enum kvpd_backend backend;
} probes[] = {
	{ "/run/NetworkManager", KVPD_BACKEND_NM },
	{ "/run/systemd/netif/state", KVPD_BACKEND_NETWORKD },
	{ UNITS "NetworkManager.service", KVPD_BACKEND_NM },
	{ UNITS "systemd-networkd.service", KVPD_BACKEND_NETWORKD },
	{ "/etc/network/interfaces", KVPD_BACKEND_IFUPDOWN },
	{ "/etc/NetworkManager/NetworkManager.conf", KVPD_BACKEND_NM },
};

/* root + path into out; -ENAMETOOLONG if it doesn't fit. */
static int rooted(const struct kvpd_config *cfg, const char *path, char *out,
		  size_t len)
{
	int n = snprintf(out, len, "%s%s", cfg->root, path);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

enum kvpd_backend kvpd_backend_detect(const struct kvpd_config *cfg)
{
	char path[512];
	struct stat st;
	unsigned int i;

	if (!strcmp(cfg->backend, "networkmanager"))
		return KVPD_BACKEND_NM;
	if (!strcmp(cfg->backend, "networkd"))
		return KVPD_BACKEND_NETWORKD;
	if (!strcmp(cfg->backend, "ifupdown"))
		return KVPD_BACKEND_IFUPDOWN;
	if (cfg->backend[0] && strcmp(cfg->backend, "auto"))
		return KVPD_BACKEND_NONE;
	/* lstat: an enabled unit is a symlink whose target may be elsewhere */
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		if (!rooted(cfg, probes[i].path, path, sizeof(path)) && !lstat(path, &st))
			return probes[i].backend;
	return KVPD_BACKEND_NONE;
}

/* mkdir -p of path's directory: itself with mode, its parents 0755. */
static int make_dir(const char *path, mode_t mode)
{
	char dir[512], *slash;
	struct stat st;
	int ret;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	if (!stat(dir, &st))
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	ret = make_dir(dir, 0755);
	if (ret)
		return ret;
	if (mkdir(dir, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

static int sync_dir(const char *path)
{
	char dir[512];
	int fd, ret = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

/* Write text to path atomically with mode (its directory with dir_mode). */
static int write_file(const char *path, const char *text, mode_t mode,
		      mode_t dir_mode)
{
	char tmp[600], copy[512];
	size_t len = strlen(text);
	ssize_t n;
	int fd, ret;

	snprintf(copy, sizeof(copy), "%s", path);
	ret = snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dirname(copy),
		       strrchr(path, '/') + 1);
	if (ret < 0 || (size_t)ret >= sizeof(tmp))
		return -ENAMETOOLONG;
	ret = make_dir(path, dir_mode);
	if (ret)
		return ret;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	ret = 0;
	if (fchmod(fd, mode))
		ret = -errno;
	n = ret ? 0 : write(fd, text, len);
	if (!ret && n != (ssize_t)len)
		ret = n < 0 ? -errno : -EIO;
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	sync_dir(path);
	log_info("wrote %s", path);
	return 0;
}

/* line's first 36 characters into out if that is all it holds (and "\n"). */
static bool take_uuid(const char *line, char *out)
{
	if (strcspn(line, "\n") != 36)
		return false;
	memcpy(out, line, 36);
	out[36] = 0;
	return true;
}

/*
 * The connection's uuid (out: 37 bytes): kept from the file it replaces,
 * else a new one.  render.c checks its form.
 */
static void uuid_for(const char *path, char *out)
{
	char line[256];
	FILE *f = fopen(path, "re");
	bool found = false;

	out[0] = 0;
	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "uuid=", 5) && take_uuid(line + 5, out);
	if (f)
		fclose(f);
	if (found)
		return;
	f = fopen("/proc/sys/kernel/random/uuid", "re");
	if (f && fgets(line, sizeof(line), f))
		take_uuid(line, out);
	if (f)
		fclose(f);
}

int kvpd_backend_persist(const struct kvpd_config *cfg, const char *ifname,
			 const char *mac, const struct kvpd_ipconf *c)
{
	enum kvpd_backend b = kvpd_backend_detect(cfg);
	struct kvpd_nic nic = { .name = ifname, .mac = mac };
	static char text[8192];
	char file[256], path[512], uuid[37] = "", why[128] = "";
	int ret;

	if (b == KVPD_BACKEND_NONE) {
		log_warn("no network backend found: %s's configuration will not survive a reboot",
			 ifname);
		return -EOPNOTSUPP;
	}
	ret = kvpd_backend_file(b, ifname, file, sizeof(file));
	if (!ret)
		ret = rooted(cfg, file, path, sizeof(path));
	if (ret) {
		log_err("%s: no file name for interface %s", kvpd_backend_name(b), ifname);
		return ret;
	}
	if (b == KVPD_BACKEND_NM) {
		uuid_for(path, uuid);
		nic.uuid = uuid;
	}
	ret = kvpd_backend_render(b, &nic, c, text, sizeof(text), why, sizeof(why));
	if (ret) {
		log_err("%s: %s", kvpd_backend_name(b), ret == -EINVAL ? why : strerror(-ret));
		return ret;
	}
	/* a keyfile may hold secrets: NetworkManager ignores it unless 0600 */
	if (b == KVPD_BACKEND_NM)
		return write_file(path, text, 0600, 0700);
	return write_file(path, text, 0644, 0755);
}
