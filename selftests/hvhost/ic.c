// SPDX-License-Identifier: GPL-2.0
/*
 * IC framing, the request/response exchange, and version negotiation.
 *
 * Host request:  pipe hdr {1, 20 + body} | icmsg_hdr {.., icflags 0x3} | body
 * Guest reply:   the same buffer, same length, icflags 0x5, status set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void put_version(struct ic_version *v, uint32_t ver)
{
	v->major = htole16(HVHOST_VER_MAJOR(ver));
	v->minor = htole16(HVHOST_VER_MINOR(ver));
}

static uint32_t get_version(const struct ic_version *v)
{
	return HVHOST_VERSION(le16toh(v->major), le16toh(v->minor));
}

int hvhost_build_packet(void *pkt, size_t cap, const struct hvhost_ichdr *hdr,
			const void *body, size_t body_len)
{
	struct ic_hdr *p = pkt;

	if (body_len > HVHOST_MAX_PACKET - sizeof(*p) || body_len > 0xffff)
		return -EMSGSIZE;
	if (cap < sizeof(*p) + body_len)
		return -E2BIG;
	memset(p, 0, sizeof(*p));
	p->pipe.flags = htole32(IC_PIPE_FLAG_DATA);
	p->pipe.msgsize = htole32(sizeof(p->ic) + body_len);
	put_version(&p->ic.icverframe, hdr->fw_version);
	p->ic.icmsgtype = htole16(hdr->msgtype);
	put_version(&p->ic.icvermsg, hdr->msg_version);
	p->ic.icmsgsize = htole16(body_len);
	p->ic.status = htole32(hdr->status);
	p->ic.ictransaction_id = hdr->transaction_id;
	p->ic.icflags = hdr->icflags ? hdr->icflags :
			HVHOST_ICFLAG_TRANSACTION | HVHOST_ICFLAG_REQUEST;
	if (body && body_len)
		memcpy(p + 1, body, body_len);
	else if (body_len)
		memset(p + 1, 0, body_len);	/* caller fills it in */
	return sizeof(*p) + body_len;
}

int hvhost_parse_reply(const void *pkt, size_t len, int msgtype,
		       struct hvhost_reply *r)
{
	const struct ic_hdr *p = pkt;

	if (len < sizeof(*p))
		return -EBADMSG;
	memset(r, 0, sizeof(*r));
	r->status = le32toh(p->ic.status);
	r->msgtype = le16toh(p->ic.icmsgtype);
	r->icmsgsize = le16toh(p->ic.icmsgsize);
	r->fw_version = get_version(&p->ic.icverframe);
	r->msg_version = get_version(&p->ic.icvermsg);
	r->icflags = p->ic.icflags;
	r->transaction_id = p->ic.ictransaction_id;
	r->body = (const uint8_t *)(p + 1);
	r->body_len = len - sizeof(*p);
	if (!(r->icflags & HVHOST_ICFLAG_RESPONSE))
		return -EPROTO;
	if (msgtype >= 0 && r->msgtype != msgtype)
		return -EPROTO;
	return 0;
}

/* Take the channel's next request id (persisted in its chandata). */
static int next_request(struct hvhost *h, uint32_t id, uint64_t *req)
{
	struct hvhost_chandata cd;
	int ret;

	ret = hvhost_chandata_get(h, id, &cd);
	if (ret)
		return ret;
	if (!cd.next_request)
		cd.next_request = 1;
	*req = cd.next_request++;
	return hvhost_chandata_set(h, id, &cd);
}

/*
 * Send pkt as request req and wait for the guest's packet carrying req,
 * discarding others (late answers to requests that timed out).
 */
static int exchange(struct hvhost *h, uint32_t id, uint64_t req,
		    const void *pkt, size_t len, void *rpkt, size_t *rlen)
{
	uint64_t deadline, now, got;
	size_t cap = *rlen;
	int ret;

	ret = hvhost_send_raw(h, id, req, pkt, len);
	if (ret)
		return ret;
	deadline = hvhost_now_ms() + h->timeout_ms;
	for (;;) {
		now = hvhost_now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		*rlen = cap;
		ret = hvhost_recv_raw(h, id, rpkt, rlen, &got, deadline - now);
		if (ret)
			return ret;
		if (got == req)
			return 0;
	}
}

/*
 * Frame body as msgtype with the given header versions, exchange it and
 * parse the reply into r (pointing into rpkt, HVHOST_MAX_PACKET bytes).
 */
static int transact_pkt(struct hvhost *h, uint32_t id, uint16_t msgtype,
			uint32_t fw, uint32_t srv, const void *body,
			size_t body_len, uint8_t *pkt, uint8_t *rpkt,
			struct hvhost_reply *r)
{
	struct hvhost_ichdr hdr = {
		.msgtype = msgtype, .fw_version = fw, .msg_version = srv,
	};
	size_t rlen = HVHOST_MAX_PACKET;
	uint64_t req;
	int len, ret;

	ret = next_request(h, id, &req);
	if (ret)
		return ret;
	hdr.transaction_id = req & 0xff;
	len = hvhost_build_packet(pkt, HVHOST_MAX_PACKET, &hdr, body, body_len);
	ret = len < 0 ? len : exchange(h, id, req, pkt, len, rpkt, &rlen);
	if (ret)
		return ret;
	return hvhost_parse_reply(rpkt, rlen, msgtype, r);
}

int hvhost_transact(struct hvhost *h, uint32_t id, uint16_t msgtype,
		    const void *body, size_t body_len,
		    void *rbody, size_t *rlen, uint32_t *status)
{
	uint32_t fw = 0, srv = 0;
	struct hvhost_reply r;
	uint8_t *pkt;
	int ret;

	ret = hvhost_negotiated(h, id, &fw, &srv);
	if (ret && ret != -ENOPROTOOPT)
		return ret;
	pkt = hvhost_buf_get(h);
	if (!pkt)
		return -ENOMEM;
	ret = transact_pkt(h, id, msgtype, fw, srv, body, body_len, pkt,
			   pkt + HVHOST_MAX_PACKET, &r);
	if (!ret) {
		if (status)
			*status = r.status;
		if (rbody && rlen)
			memcpy(rbody, r.body, r.body_len < *rlen ? r.body_len : *rlen);
		if (rlen)
			*rlen = r.body_len;
	}
	hvhost_buf_put(h, pkt);
	return ret;
}

/* ---- negotiation ---- */

int hvhost_build_negotiate(void *pkt, size_t cap, struct hvhost_verlist fw,
			   struct hvhost_verlist srv, uint8_t txid)
{
	struct hvhost_ichdr hdr = {
		.msgtype = HVHOST_MSG_NEGOTIATE, .transaction_id = txid,
	};
	struct ic_negotiate *n;
	size_t i, body_len;
	int ret;

	if (fw.count > 0xffff || srv.count > 0xffff)
		return -EINVAL;
	body_len = sizeof(*n) + sizeof(struct ic_version) * (fw.count + srv.count);
	if (fw.count)
		hdr.fw_version = fw.v[fw.count - 1];
	if (srv.count)
		hdr.msg_version = srv.v[srv.count - 1];
	ret = hvhost_build_packet(pkt, cap, &hdr, NULL, body_len);
	if (ret < 0)
		return ret;
	n = (struct ic_negotiate *)((uint8_t *)pkt + sizeof(struct ic_hdr));
	memset(n, 0, body_len);
	n->icframe_vercnt = htole16(fw.count);
	n->icmsg_vercnt = htole16(srv.count);
	for (i = 0; i < fw.count; i++)
		put_version(&n->icversion_data[i], fw.v[i]);
	for (i = 0; i < srv.count; i++)
		put_version(&n->icversion_data[fw.count + i], srv.v[i]);
	return ret;
}

static bool in_list(struct hvhost_verlist l, uint32_t v)
{
	size_t i;

	for (i = 0; i < l.count; i++)
		if (l.v[i] == v)
			return true;
	return false;
}

int hvhost_parse_negotiate(const void *pkt, size_t len,
			   struct hvhost_verlist fw, struct hvhost_verlist srv,
			   struct hvhost_nego *nego)
{
	const struct ic_negotiate *n;
	struct hvhost_reply r;
	uint16_t nf, nm;
	int ret;

	memset(nego, 0, sizeof(*nego));
	ret = hvhost_parse_reply(pkt, len, HVHOST_MSG_NEGOTIATE, &r);
	if (ret)
		return ret;
	nego->status = r.status;
	if (r.body_len < sizeof(*n))
		return -EBADMSG;
	n = (const struct ic_negotiate *)r.body;
	nf = le16toh(n->icframe_vercnt);
	nm = le16toh(n->icmsg_vercnt);
	if (nf == 0 && nm == 0)
		return 0;		/* no common version */
	if (nf != 1 || nm != 1)
		return -EPROTO;
	if (r.body_len < sizeof(*n) + 2 * sizeof(struct ic_version))
		return -EBADMSG;
	nego->fw_version = get_version(&n->icversion_data[0]);
	nego->srv_version = get_version(&n->icversion_data[1]);
	if (!in_list(fw, nego->fw_version) || !in_list(srv, nego->srv_version))
		return -EPROTO;
	nego->agreed = true;
	return 0;
}

/* Record (or forget) the negotiated versions for this open of the channel. */
static int record_nego(struct hvhost *h, uint32_t id,
		       const struct hvhost_nego *nego)
{
	struct vmbus_sim_status st;
	struct hvhost_chandata cd;
	int ret;

	ret = hvhost_status(h, id, &st);
	if (!ret)
		ret = hvhost_chandata_get(h, id, &cd);
	if (ret)
		return ret;
	cd.flags &= ~HVHOST_CD_NEGOTIATED;
	cd.fw_version = 0;
	cd.srv_version = 0;
	if (nego->agreed) {
		cd.flags |= HVHOST_CD_NEGOTIATED;
		cd.fw_version = nego->fw_version;
		cd.srv_version = nego->srv_version;
	}
	cd.open_count = st.open_count;
	return hvhost_chandata_set(h, id, &cd);
}

int hvhost_negotiate(struct hvhost *h, uint32_t id,
		     struct hvhost_verlist fw, struct hvhost_verlist srv,
		     struct hvhost_nego *nego)
{
	size_t rlen = HVHOST_MAX_PACKET;
	uint8_t *pkt, *rpkt;
	uint64_t req;
	int len, ret;

	ret = next_request(h, id, &req);
	if (ret)
		return ret;
	pkt = hvhost_buf_get(h);
	if (!pkt)
		return -ENOMEM;
	rpkt = pkt + HVHOST_MAX_PACKET;
	len = hvhost_build_negotiate(pkt, HVHOST_MAX_PACKET, fw, srv, req & 0xff);
	ret = len < 0 ? len : exchange(h, id, req, pkt, len, rpkt, &rlen);
	if (!ret)
		ret = hvhost_parse_negotiate(rpkt, rlen, fw, srv, nego);
	hvhost_buf_put(h, pkt);
	if (!ret)
		ret = record_nego(h, id, nego);
	return ret;
}

int hvhost_negotiate_model(struct hvhost *h, uint32_t id, enum hvhost_service s,
			   const struct hvhost_host_model *m,
			   struct hvhost_nego *nego)
{
	if ((unsigned int)s >= HVHOST_SERVICE_COUNT || !m)
		return -EINVAL;
	if (!m->srv[s].count)
		return -ENOTSUP;
	return hvhost_negotiate(h, id, m->fw, m->srv[s], nego);
}

int hvhost_ensure_negotiated(struct hvhost *h, uint32_t id,
			     enum hvhost_service s,
			     const struct hvhost_host_model *m,
			     struct hvhost_nego *nego)
{
	struct hvhost_nego tmp;
	uint32_t fw, srv;
	int ret;

	if (!nego)
		nego = &tmp;
	ret = hvhost_negotiated(h, id, &fw, &srv);
	if (!ret) {
		memset(nego, 0, sizeof(*nego));
		nego->agreed = true;
		nego->fw_version = fw;
		nego->srv_version = srv;
		return 0;
	}
	if (ret != -ENOPROTOOPT)
		return ret;
	ret = hvhost_negotiate_model(h, id, s, m, nego);
	if (!ret && !nego->agreed)
		ret = -ENOPROTOOPT;
	return ret;
}
