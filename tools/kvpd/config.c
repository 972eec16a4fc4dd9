// SPDX-License-Identifier: GPL-2.0
/*
 * /etc/hvic/kvpd.conf: "name = value" lines, '#' comments.
 *
 *   exclude = docker* veth*       interface globs left out of the addresses
 *                                 reported to the host (repeatable)
 *   default-excludes = yes|no     also leave out lo, docker*, veth*, virbr*,
 *                                 br-*, cni*, flannel* (default yes)
 *   network-backend = auto|networkmanager|networkd|ifupdown|none
 *                                 where SET_IP_INFO persists (default auto)
 *   pool-dir = /var/lib/hyperv
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvpd.h"
#include "log.h"

const char *const kvpd_default_excludes[] = {
	"lo", "docker*", "veth*", "virbr*", "br-*", "cni*", "flannel*", NULL,
};

int kvpd_config_exclude(struct kvpd_config *c, const char *globs)
{
	char *copy = strdup(globs), *tok, *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		if (c->n_excludes >= KVPD_MAX_EXCLUDES) {
			free(copy);
			return -E2BIG;
		}
		c->excludes[c->n_excludes] = strdup(tok);
		if (!c->excludes[c->n_excludes]) {
			free(copy);
			return -ENOMEM;
		}
		c->n_excludes++;
	}
	free(copy);
	return 0;
}

bool kvpd_config_excluded(const struct kvpd_config *c, const char *ifname)
{
	unsigned int i;

	if (c->default_excludes)
		for (i = 0; kvpd_default_excludes[i]; i++)
			if (!fnmatch(kvpd_default_excludes[i], ifname, 0))
				return true;
	for (i = 0; i < c->n_excludes; i++)
		if (!fnmatch(c->excludes[i], ifname, 0))
			return true;
	return false;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

int kvpd_config_load(struct kvpd_config *c, const char *path, bool must_exist)
{
	char line[1024];
	unsigned int n = 0;
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return (errno == ENOENT && !must_exist) ? 0 : -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		char *name = line, *eq, *val;

		n++;
		line[strcspn(line, "#\n")] = 0;
		name = trim(line);
		if (!*name)
			continue;
		eq = strchr(name, '=');
		if (!eq) {
			log_err("%s:%u: expected \"name = value\"", path, n);
			ret = -EINVAL;
			break;
		}
		*eq = 0;
		name = trim(name);
		val = trim(eq + 1);
		if (!strcmp(name, "exclude")) {
			ret = kvpd_config_exclude(c, val);
		} else if (!strcmp(name, "default-excludes")) {
			ret = parse_bool(val, &c->default_excludes);
		} else if (!strcmp(name, "network-backend")) {
			if (strcmp(val, "auto") && strcmp(val, "networkmanager") &&
			    strcmp(val, "networkd") && strcmp(val, "ifupdown") &&
			    strcmp(val, "none"))
				ret = -EINVAL;
			else
				snprintf(c->backend, sizeof(c->backend), "%s", val);
		} else if (!strcmp(name, "pool-dir")) {
			snprintf(c->pool_dir, sizeof(c->pool_dir), "%s", val);
		} else {
			log_err("%s:%u: unknown setting \"%s\"", path, n, name);
			ret = -EINVAL;
		}
		if (ret)
			log_err("%s:%u: bad value for %s: \"%s\"", path, n, name, val);
	}
	fclose(f);
	return ret;
}

void kvpd_config_free(struct kvpd_config *c)
{
	unsigned int i;

	for (i = 0; i < c->n_excludes; i++)
		free(c->excludes[i]);
	c->n_excludes = 0;
}
