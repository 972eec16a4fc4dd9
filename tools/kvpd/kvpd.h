/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvic-kvpd: the KVP daemon.  handler.c speaks the protocol of
 * /dev/vmbus/hv_kvp (uapi/linux/hvic.h) and is free of system calls other
 * than the pool files', so it can be fuzzed; what it needs from the system
 * (the auto pool's values, IP configuration) goes through struct kvpd_ops.
 */
#ifndef HVIC_KVPD_H
#define HVIC_KVPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/hvic.h>

#include "pool.h"

_Static_assert(sizeof(struct hvic_kvp_msg) == HVIC_KVP_MSG_SIZE, "msg size");
_Static_assert(sizeof(struct hvic_kvp_ip_value) == HVIC_KVP_IP_VALUE_SIZE, "ip size");
_Static_assert(sizeof(struct hvic_kvp_value) == HVIC_KVP_VALUE_RECORD_SIZE, "value size");

/* The auto pool (pool 2), generated: its keys in enumeration order. */
enum kvpd_auto {
	KVPD_FQDN,
	KVPD_IS_VERSION,
	KVPD_IPV4,
	KVPD_IPV6,
	KVPD_OS_BUILD,
	KVPD_OS_NAME,
	KVPD_OS_MAJOR,
	KVPD_OS_MINOR,
	KVPD_OS_VERSION,
	KVPD_ARCH,
	KVPD_AUTO_COUNT,
};
extern const char *const kvpd_auto_keys[KVPD_AUTO_COUNT];

/* Interface-name globs left out of the guest's addresses (config.c). */
#define KVPD_MAX_EXCLUDES	64
struct kvpd_config {
	char *excludes[KVPD_MAX_EXCLUDES];
	unsigned int n_excludes;
	bool default_excludes;		/* lo, docker*, veth*, ... */
	char backend[32];		/* auto|networkmanager|networkd|ifupdown|none */
	char pool_dir[256];
	char root[256];			/* $HVIC_KVPD_ROOT: prefixes the backends' paths */
};
extern const char *const kvpd_default_excludes[];
int kvpd_config_load(struct kvpd_config *c, const char *path, bool must_exist);
int kvpd_config_exclude(struct kvpd_config *c, const char *globs);
bool kvpd_config_excluded(const struct kvpd_config *c, const char *ifname);
void kvpd_config_free(struct kvpd_config *c);

/*
 * SET_IP_INFO, parsed and checked (ipconf.c): at most this many of each,
 * every address in canonical text form.
 */
#define KVPD_MAX_ADDRS		16
#define KVPD_MAX_GW		8
#define KVPD_MAX_DNS		8
#define KVPD_ADDR_LEN		46	/* INET6_ADDRSTRLEN */

struct kvpd_addr {
	int family;			/* AF_INET / AF_INET6 */
	char addr[KVPD_ADDR_LEN];
	unsigned int prefix;
};

struct kvpd_ipconf {
	char adapter_id[HVIC_KVP_ADAPTER_ID_UNITS * 2];
	bool dhcp;			/* IPv4 by DHCP: IPv4 addresses and gateways unused */
	unsigned int n_addrs, n_gw, n_dns;
	struct kvpd_addr addrs[KVPD_MAX_ADDRS];
	struct kvpd_addr gw[KVPD_MAX_GW];
	struct kvpd_addr dns[KVPD_MAX_DNS];
};

/* Parse a SET_IP_INFO body.  0, or -EINVAL with a reason in why. */
int kvpd_ipconf_parse(const struct hvic_kvp_ip_value *ip, struct kvpd_ipconf *c,
		      char *why, size_t len);
/*
 * Check a parsed configuration again (the backends do, before writing):
 * counts, each address's family, syntax and kind, prefixes, gateways on a
 * subnet of the configuration.  0, or -EINVAL with a reason in why.
 */
int kvpd_ipconf_check(const struct kvpd_ipconf *c, char *why, size_t len);
/* Put the reason for a refusal in why (len bytes); returns -EINVAL. */
int kvpd_refuse(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The first gateway of family that is used (none for IPv4 with DHCP), or NULL. */
const struct kvpd_addr *kvpd_ipconf_gateway(const struct kvpd_ipconf *c, int family);

struct kvpd;

struct kvpd_ops {
	/* Value of auto-pool item i into buf (NUL-terminated). 0 or -errno. */
	int (*auto_value)(struct kvpd *d, unsigned int i, char *buf, size_t len);
	/* GET_IP_INFO: fill ip (adapter_id and addr_family set); HVIC status. */
	uint32_t (*get_ip_info)(struct kvpd *d, struct hvic_kvp_ip_value *ip);
	/* SET_IP_INFO with a checked configuration; HVIC status. */
	uint32_t (*set_ip_info)(struct kvpd *d, const struct kvpd_ipconf *c);
};

struct kvpd {
	struct hvic_pool *pool[HVIC_KVP_POOL_COUNT];
	char lic_version[HVIC_KVP_KEY_SIZE];	/* from the registration */
	const struct kvpd_ops *ops;
	struct kvpd_config cfg;
	unsigned long requests;
};

/* Open every pool file (repairing them).  -errno. */
int kvpd_pools_open(struct kvpd *d, const char *dir);
void kvpd_pools_close(struct kvpd *d);
/* End the pools' leases that are due; ms until the next one is, or -1. */
int kvpd_pools_idle(struct kvpd *d);
/* End every pool's lease now. */
void kvpd_pools_release(struct kvpd *d);

/*
 * Handle one request in place: the reply status goes to m->error, any data
 * into the body.  Returns the status.
 */
uint32_t kvpd_handle(struct kvpd *d, struct hvic_kvp_msg *m);

/* The real system's ops (guestinfo.c, ipinfo.c). */
extern const struct kvpd_ops kvpd_system_ops;
int kvpd_auto_value(struct kvpd *d, unsigned int i, char *buf, size_t len);
uint32_t kvpd_get_ip_info(struct kvpd *d, struct hvic_kvp_ip_value *ip);
uint32_t kvpd_set_ip_info(struct kvpd *d, const struct kvpd_ipconf *c);

/*
 * Persisting a configuration for the next boot: which network manager
 * (backend.c) and its file (render.c).
 */
enum kvpd_backend {
	KVPD_BACKEND_NONE,
	KVPD_BACKEND_NM,		/* NetworkManager keyfile */
	KVPD_BACKEND_NETWORKD,		/* systemd-networkd .network */
	KVPD_BACKEND_IFUPDOWN,		/* /etc/network/interfaces.d */
};

/* The interface a configuration is for. */
struct kvpd_nic {
	const char *name;		/* kernel name */
	const char *mac;		/* "00:15:5d:0a:0b:0c", or "" if unknown */
	const char *uuid;		/* NetworkManager connection uuid */
};

/* cfg->backend, or for "auto" the one found under cfg->root. */
enum kvpd_backend kvpd_backend_detect(const struct kvpd_config *cfg);
const char *kvpd_backend_name(enum kvpd_backend b);
/* b's file for ifname, below the root ("/etc/..."); 0, -EINVAL, -ENAMETOOLONG. */
int kvpd_backend_file(enum kvpd_backend b, const char *ifname, char *path,
		      size_t len);
/*
 * b's file for nic and c, NUL-terminated in buf.  Every field is checked
 * first: 0, -EINVAL (with a reason in why) or -ENOSPC.
 */
int kvpd_backend_render(enum kvpd_backend b, const struct kvpd_nic *nic,
			const struct kvpd_ipconf *c, char *buf, size_t len,
			char *why, size_t why_len);
/* Write the detected backend's file.  0, -EOPNOTSUPP (none) or -errno. */
int kvpd_backend_persist(const struct kvpd_config *cfg, const char *ifname,
			 const char *mac, const struct kvpd_ipconf *c);

#endif
