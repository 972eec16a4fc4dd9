// SPDX-License-Identifier: GPL-2.0
/* In-process /dev/vmbus_sim stand-in; see mock_sim.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mock_sim.h"

#define MAX_CHANS	8

static struct mock_chan *chans[MAX_CHANS];
static uint32_t next_id = 1;
uint64_t mock_reference_time = 1000000;
uint32_t mock_proto_version = (5 << 16) | 3;

void mock_reset(void)
{
	int i;

	for (i = 0; i < MAX_CHANS; i++) {
		free(chans[i]);
		chans[i] = NULL;
	}
}

struct mock_chan *mock_add(const uint8_t class_guid[16], mock_guest_fn guest)
{
	struct mock_chan *ch = calloc(1, sizeof(*ch));
	int i;

	ch->id = next_id++;
	ch->state = VMBUS_SIM_OPEN;
	ch->open_count = 1;
	memcpy(ch->class_guid, class_guid, 16);
	ch->guest = guest;
	for (i = 0; i < MAX_CHANS; i++) {
		if (!chans[i]) {
			chans[i] = ch;
			return ch;
		}
	}
	abort();
}

struct mock_chan *mock_get(uint32_t id)
{
	int i;

	for (i = 0; i < MAX_CHANS; i++)
		if (chans[i] && chans[i]->id == id)
			return chans[i];
	return NULL;
}

void mock_reply(struct mock_chan *ch, uint64_t req, const void *pkt, size_t len)
{
	unsigned int slot = (ch->head + ch->count) % MOCK_QUEUE;

	if (ch->count == MOCK_QUEUE || len > MOCK_MAX_PKT)
		abort();
	ch->q[slot].req = req;
	ch->q[slot].len = len;
	memcpy(ch->q[slot].data, pkt, len);
	ch->count++;
}

void mock_respond(struct mock_chan *ch, uint64_t req, uint8_t *pkt, size_t len,
		  uint32_t status)
{
	pkt[8 + 17] = 0x5;
	pkt[8 + 12] = status;
	pkt[8 + 13] = status >> 8;
	pkt[8 + 14] = status >> 16;
	pkt[8 + 15] = status >> 24;
	mock_reply(ch, req, pkt, len);
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static int pick(const uint8_t *offered, size_t n, const uint32_t *ours,
		size_t nours, uint32_t *chosen)
{
	size_t i, j;

	for (i = 0; i < nours; i++) {
		for (j = 0; j < n; j++) {
			uint32_t v = get16(offered + 4 * j) << 16 |
				     get16(offered + 4 * j + 2);
			if (v == ours[i]) {
				*chosen = v;
				return 1;
			}
		}
	}
	return 0;
}

void mock_negotiate(uint8_t *pkt, size_t len, const uint32_t *fw, size_t nfw,
		    const uint32_t *srv, size_t nsrv)
{
	uint8_t *body = pkt + 28;
	uint16_t nf, nm;
	uint32_t cf, cs;
	int ok = 0;

	put16(pkt + 8 + 10, 0x10);
	if (len >= 28 + 8) {
		nf = get16(body);
		nm = get16(body + 2);
		if (nf <= 100 && nm <= 100 && 28 + 8 + 4u * (nf + nm) <= len)
			ok = pick(body + 8, nf, fw, nfw, &cf) &&
			     pick(body + 8 + 4 * nf, nm, srv, nsrv, &cs);
	}
	if (ok) {
		put16(body, 1);
		put16(body + 2, 1);
		put16(body + 8, cf >> 16);
		put16(body + 10, cf & 0xffff);
		put16(body + 12, cs >> 16);
		put16(body + 14, cs & 0xffff);
	} else if (len >= 28 + 4) {
		put16(body, 0);
		put16(body + 2, 0);
	}
}

static int do_send(struct vmbus_sim_packet *p)
{
	struct mock_chan *ch = mock_get(p->id);

	if (!ch)
		return -ENOENT;
	if (ch->state != VMBUS_SIM_OPEN)
		return -ENOTCONN;
	if (p->len > MOCK_MAX_PKT)
		return -EMSGSIZE;
	memcpy(ch->last, (void *)(uintptr_t)p->data, p->len);
	ch->last_len = p->len;
	ch->sent++;
	memcpy(ch->scratch, ch->last, p->len);
	if (ch->guest)
		ch->guest(ch, p->request_id, ch->scratch, p->len);
	return 0;
}

static int do_recv(struct vmbus_sim_packet *p)
{
	struct mock_chan *ch = mock_get(p->id);
	unsigned int slot;

	if (!ch)
		return -ENOENT;
	if (!ch->count)
		return p->timeout_ms ? -ETIMEDOUT : -EAGAIN;
	slot = ch->head;
	if (p->len < ch->q[slot].len) {
		p->len = ch->q[slot].len;
		return -ENOBUFS;
	}
	memcpy((void *)(uintptr_t)p->data, ch->q[slot].data, ch->q[slot].len);
	p->len = ch->q[slot].len;
	p->request_id = ch->q[slot].req;
	p->type = 6;
	ch->head = (ch->head + 1) % MOCK_QUEUE;
	ch->count--;
	return 0;
}

static void fill_status(struct mock_chan *ch, struct vmbus_sim_status *st)
{
	st->id = ch->id;
	st->state = ch->state;
	st->open_count = ch->open_count;
	memcpy(st->class_guid, ch->class_guid, 16);
	strcpy(st->driver, "hv_utils");
	st->out_pending = ch->count;
}

static int do_list(struct vmbus_sim_list *l)
{
	struct vmbus_sim_status *e = (void *)(uintptr_t)l->entries;
	uint32_t n = 0;
	int i;

	for (i = 0; i < MAX_CHANS; i++) {
		if (!chans[i] || chans[i]->state == VMBUS_SIM_GONE)
			continue;
		if (n < l->count)
			fill_status(chans[i], &e[n]);
		n++;
	}
	l->count = n;
	return 0;
}

static int dispatch(unsigned long req, void *arg)
{
	struct mock_chan *ch;

	switch (req) {
	case VMBUS_SIM_OFFER: {
		struct vmbus_sim_offer *o = arg;

		ch = mock_add(o->class_guid, NULL);
		ch->state = VMBUS_SIM_OFFERED;
		ch->open_count = 0;
		o->id = ch->id;
		return 0;
	}
	case VMBUS_SIM_RESCIND:
		ch = mock_get(*(uint32_t *)arg);
		if (!ch)
			return -ENOENT;
		ch->state = VMBUS_SIM_GONE;
		return 0;
	case VMBUS_SIM_SEND:
		return do_send(arg);
	case VMBUS_SIM_RECV:
		return do_recv(arg);
	case VMBUS_SIM_STATUS: {
		struct vmbus_sim_status *st = arg;

		ch = mock_get(st->id);
		if (!ch)
			return -ENOENT;
		fill_status(ch, st);
		return 0;
	}
	case VMBUS_SIM_LIST:
		return do_list(arg);
	case VMBUS_SIM_WAIT: {
		struct vmbus_sim_wait *w = arg;

		ch = mock_get(w->id);
		if (!ch)
			return -ENOENT;
		w->state = ch->state;
		return (w->state_mask & VMBUS_SIM_STATE_BIT(ch->state)) ? 0 : -ETIMEDOUT;
	}
	case VMBUS_SIM_HOSTDATA_GET:
	case VMBUS_SIM_HOSTDATA_SET: {
		struct vmbus_sim_hostdata *hd = arg;

		ch = mock_get(hd->id);
		if (!ch)
			return -ENOENT;
		if (req == VMBUS_SIM_HOSTDATA_GET)
			memcpy(hd->data, ch->hostdata, sizeof(hd->data));
		else
			memcpy(ch->hostdata, hd->data, sizeof(hd->data));
		return 0;
	}
	case VMBUS_SIM_CONFIG: {
		struct vmbus_sim_config *c = arg;

		if (c->flags & VMBUS_SIM_CFG_PROTO_VERSION)
			mock_proto_version = c->proto_version;
		c->proto_version = mock_proto_version;
		c->reference_time = mock_reference_time;
		mock_reference_time += 10;
		return 0;
	}
	}
	return -ENOTTY;
}

/* Replaces libc's ioctl for the library's objects in this program. */
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	(void)fd;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	ret = dispatch(req, arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}
