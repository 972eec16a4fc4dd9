// SPDX-License-Identifier: GPL-2.0
/* Transport: the ioctls of /dev/vmbus_sim, and the per-channel host state. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

int hvhost_ioctl(struct hvhost *h, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(h->fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

uint64_t hvhost_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hvhost_open(struct hvhost **out, const char *dev)
{
	struct hvhost *h;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->fd = open(dev ? dev : VMBUS_SIM_DEVICE, O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		int err = -errno;

		free(h);
		return err;
	}
	h->timeout_ms = HVHOST_DEFAULT_TIMEOUT_MS;
	h->buf = malloc(2 * HVHOST_MAX_PACKET);
	if (!h->buf) {
		close(h->fd);
		free(h);
		return -ENOMEM;
	}
	*out = h;
	return 0;
}

void hvhost_close(struct hvhost *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h->buf);
	free(h);
}

/* 2 * HVHOST_MAX_PACKET bytes for one transaction, or NULL. */
uint8_t *hvhost_buf_get(struct hvhost *h)
{
	if (!__atomic_exchange_n(&h->buf_busy, true, __ATOMIC_ACQUIRE))
		return h->buf;
	return malloc(2 * HVHOST_MAX_PACKET);
}

void hvhost_buf_put(struct hvhost *h, uint8_t *buf)
{
	if (buf == h->buf)
		__atomic_store_n(&h->buf_busy, false, __ATOMIC_RELEASE);
	else
		free(buf);
}

int hvhost_fd(const struct hvhost *h)
{
	return h->fd;
}

void hvhost_set_timeout(struct hvhost *h, unsigned int timeout_ms)
{
	h->timeout_ms = timeout_ms;
}

unsigned int hvhost_timeout(const struct hvhost *h)
{
	return h->timeout_ms;
}

int hvhost_offer_guid(struct hvhost *h, const uint8_t class_guid[16],
		      const uint8_t instance_guid[16], uint32_t *id)
{
	struct vmbus_sim_offer o = { .size = sizeof(o) };
	int ret;

	memcpy(o.class_guid, class_guid, 16);
	if (instance_guid)
		memcpy(o.instance_guid, instance_guid, 16);
	ret = hvhost_ioctl(h, VMBUS_SIM_OFFER, &o);
	if (!ret && id)
		*id = o.id;
	return ret;
}

int hvhost_offer(struct hvhost *h, enum hvhost_service s, uint32_t *id)
{
	const struct hvhost_service_info *si = hvhost_service_info(s);

	if (!si)
		return -EINVAL;
	return hvhost_offer_guid(h, si->class_guid, NULL, id);
}

int hvhost_list(struct hvhost *h, struct vmbus_sim_status **out, size_t *n)
{
	struct vmbus_sim_list l = { .size = sizeof(l) };
	struct vmbus_sim_status *e = NULL, *ne;
	uint32_t cap = 16, i;
	int ret;

	for (;;) {
		ne = realloc(e, cap * sizeof(*e));
		if (!ne) {
			free(e);
			return -ENOMEM;
		}
		e = ne;
		memset(e, 0, cap * sizeof(*e));
		for (i = 0; i < cap; i++)
			e[i].size = sizeof(*e);
		l.count = cap;
		l.entries = (uintptr_t)e;
		l.entry_size = sizeof(*e);
		ret = hvhost_ioctl(h, VMBUS_SIM_LIST, &l);
		if (ret) {
			free(e);
			return ret;
		}
		if (l.count <= cap)
			break;
		cap = l.count + 8;	/* more appeared: retry bigger */
	}
	*out = e;
	*n = l.count;
	return 0;
}

static bool live(uint32_t state)
{
	return state == VMBUS_SIM_OFFERED || state == VMBUS_SIM_OPEN ||
	       state == VMBUS_SIM_CLOSED;
}

int hvhost_find_guid(struct hvhost *h, const uint8_t class_guid[16],
		     uint32_t *id)
{
	struct vmbus_sim_status *e, *best = NULL;
	size_t n, i;
	int ret;

	ret = hvhost_list(h, &e, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (!live(e[i].state) || memcmp(e[i].class_guid, class_guid, 16))
			continue;
		if (!best ||
		    (e[i].state == VMBUS_SIM_OPEN) > (best->state == VMBUS_SIM_OPEN) ||
		    ((e[i].state == VMBUS_SIM_OPEN) == (best->state == VMBUS_SIM_OPEN) &&
		     e[i].id > best->id))
			best = &e[i];
	}
	if (best)
		*id = best->id;
	free(e);
	return best ? 0 : -ENOENT;
}

int hvhost_find(struct hvhost *h, enum hvhost_service s, uint32_t *id)
{
	const struct hvhost_service_info *si = hvhost_service_info(s);

	if (!si)
		return -EINVAL;
	return hvhost_find_guid(h, si->class_guid, id);
}

int hvhost_status(struct hvhost *h, uint32_t id, struct vmbus_sim_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->id = id;
	return hvhost_ioctl(h, VMBUS_SIM_STATUS, st);
}

int hvhost_wait_state(struct hvhost *h, uint32_t id, uint32_t mask,
		      unsigned int timeout_ms, uint32_t *state)
{
	struct vmbus_sim_wait w = {
		.size = sizeof(w),
		.id = id,
		.state_mask = mask,
		.timeout_ms = timeout_ms,
	};
	int ret;

	ret = hvhost_ioctl(h, VMBUS_SIM_WAIT, &w);
	if (!ret && state)
		*state = w.state;
	return ret;
}

int hvhost_wait_open(struct hvhost *h, uint32_t id, unsigned int timeout_ms)
{
	uint32_t mask = VMBUS_SIM_STATE_BIT(VMBUS_SIM_OPEN) |
			VMBUS_SIM_STATE_BIT(VMBUS_SIM_RESCINDED) |
			VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE);
	uint32_t state;
	int ret;

	ret = hvhost_wait_state(h, id, mask, timeout_ms, &state);
	if (ret == -ENOENT || ret == -ENODEV)
		return -ENOTCONN;
	if (ret)
		return ret;
	return state == VMBUS_SIM_OPEN ? 0 : -ENOTCONN;
}

int hvhost_rescind(struct hvhost *h, uint32_t id, unsigned int timeout_ms)
{
	int ret;

	ret = hvhost_ioctl(h, VMBUS_SIM_RESCIND, &id);
	if (ret || !timeout_ms)
		return ret;
	ret = hvhost_wait_state(h, id, VMBUS_SIM_STATE_BIT(VMBUS_SIM_GONE),
				timeout_ms, NULL);
	/* A freed id reads as GONE; be lenient with older sims. */
	if (ret == -ENOENT || ret == -ENODEV)
		ret = 0;
	return ret;
}

static int config(struct hvhost *h, uint32_t flags, uint32_t proto,
		  struct vmbus_sim_config *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = flags;
	c->proto_version = proto;
	return hvhost_ioctl(h, VMBUS_SIM_CONFIG, c);
}

int hvhost_set_vmbus_version(struct hvhost *h, uint32_t version)
{
	struct vmbus_sim_config c;

	return config(h, VMBUS_SIM_CFG_PROTO_VERSION, version, &c);
}

int hvhost_get_vmbus_version(struct hvhost *h, uint32_t *version)
{
	struct vmbus_sim_config c;
	int ret = config(h, 0, 0, &c);

	if (!ret)
		*version = c.proto_version;
	return ret;
}

int hvhost_reference_time(struct hvhost *h, uint64_t *ref)
{
	struct vmbus_sim_config c;
	int ret = config(h, 0, 0, &c);

	if (!ret)
		*ref = c.reference_time;
	return ret;
}

int hvhost_pm(struct hvhost *h, uint32_t id, uint32_t op)
{
	struct vmbus_sim_pm pm = { .size = sizeof(pm), .id = id, .op = op };

	return hvhost_ioctl(h, VMBUS_SIM_PM, &pm);
}

int hvhost_chandata_get(struct hvhost *h, uint32_t id, struct hvhost_chandata *cd)
{
	struct vmbus_sim_hostdata hd = { .size = sizeof(hd), .id = id };
	int ret;

	ret = hvhost_ioctl(h, VMBUS_SIM_HOSTDATA_GET, &hd);
	if (ret)
		return ret;
	memcpy(cd, hd.data, sizeof(*cd));
	if (cd->magic != HVHOST_CD_MAGIC) {
		memset(cd, 0, sizeof(*cd));
		cd->magic = HVHOST_CD_MAGIC;
	}
	return 0;
}

int hvhost_chandata_set(struct hvhost *h, uint32_t id,
			const struct hvhost_chandata *cd)
{
	struct vmbus_sim_hostdata hd = { .size = sizeof(hd), .id = id };

	memcpy(hd.data, cd, sizeof(*cd));
	((struct hvhost_chandata *)hd.data)->magic = HVHOST_CD_MAGIC;
	return hvhost_ioctl(h, VMBUS_SIM_HOSTDATA_SET, &hd);
}

int hvhost_negotiated(struct hvhost *h, uint32_t id, uint32_t *fw, uint32_t *srv)
{
	struct hvhost_chandata cd;
	struct vmbus_sim_status st;
	int ret;

	ret = hvhost_chandata_get(h, id, &cd);
	if (!ret)
		ret = hvhost_status(h, id, &st);
	if (ret)
		return ret;
	if (!(cd.flags & HVHOST_CD_NEGOTIATED) || cd.open_count != st.open_count)
		return -ENOPROTOOPT;
	if (fw)
		*fw = cd.fw_version;
	if (srv)
		*srv = cd.srv_version;
	return 0;
}

int hvhost_send_raw(struct hvhost *h, uint32_t id, uint64_t request_id,
		    const void *buf, size_t len)
{
	struct vmbus_sim_packet p = {
		.size = sizeof(p),
		.id = id,
		.request_id = request_id,
		.data = (uintptr_t)buf,
		.len = len,
	};

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	return hvhost_ioctl(h, VMBUS_SIM_SEND, &p);
}

int hvhost_recv_raw(struct hvhost *h, uint32_t id, void *buf, size_t *len,
		    uint64_t *request_id, unsigned int timeout_ms)
{
	struct vmbus_sim_packet p = {
		.size = sizeof(p),
		.id = id,
		.data = (uintptr_t)buf,
		.len = *len > UINT32_MAX ? UINT32_MAX : *len,
		.timeout_ms = timeout_ms,
	};
	int ret;

	ret = hvhost_ioctl(h, VMBUS_SIM_RECV, &p);
	if (ret == -EAGAIN && timeout_ms)
		ret = -ETIMEDOUT;
	if (!ret || ret == -ENOBUFS)
		*len = p.len;
	if (!ret && request_id)
		*request_id = p.request_id;
	return ret;
}

int hvhost_drain(struct hvhost *h, uint32_t id, unsigned int *n)
{
	static uint8_t buf[HVHOST_MAX_PACKET];
	unsigned int count = 0;
	size_t len;
	int ret;

	for (;;) {
		len = sizeof(buf);
		ret = hvhost_recv_raw(h, id, buf, &len, NULL, 0);
		if (ret == -EAGAIN)
			break;
		if (ret)
			return ret;
		count++;
	}
	if (n)
		*n = count;
	return 0;
}
