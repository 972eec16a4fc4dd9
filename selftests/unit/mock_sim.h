/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-process stand-in for /dev/vmbus_sim, for testing libhvhost's
 * transactions offline: the test program defines ioctl(), which the
 * library's static objects bind to.  A channel's "guest" is a callback run
 * synchronously on every SEND; it answers with mock_reply().
 */
#ifndef HVIC_MOCK_SIM_H
#define HVIC_MOCK_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "vmbus_sim.h"

struct mock_chan;
typedef void (*mock_guest_fn)(struct mock_chan *ch, uint64_t req,
			      uint8_t *pkt, size_t len);

#define MOCK_MAX_PKT	(64 * 1024)
#define MOCK_QUEUE	16

struct mock_chan {
	uint32_t id;
	uint32_t state;
	uint32_t open_count;
	uint8_t class_guid[16];
	uint8_t hostdata[VMBUS_SIM_HOSTDATA_LEN];
	mock_guest_fn guest;		/* NULL: never answers */
	void *ctx;			/* for the guest callback */
	/* guest -> host queue */
	unsigned int head, count;
	struct {
		uint64_t req;
		size_t len;
		uint8_t data[MOCK_MAX_PKT];
	} q[MOCK_QUEUE];
	/* last host -> guest packet, for inspection */
	uint8_t last[MOCK_MAX_PKT];
	size_t last_len;
	uint8_t scratch[MOCK_MAX_PKT];	/* the guest's receive buffer */
	unsigned int sent;
};

extern uint64_t mock_reference_time;
extern uint32_t mock_proto_version;

void mock_reset(void);
/* Create a channel in state OPEN (as if the guest driver opened it). */
struct mock_chan *mock_add(const uint8_t class_guid[16], mock_guest_fn guest);
struct mock_chan *mock_get(uint32_t id);
/* Queue a guest -> host packet. */
void mock_reply(struct mock_chan *ch, uint64_t req, const void *pkt, size_t len);
/* Set RESPONSE flags and status in pkt (in place) and queue it. */
void mock_respond(struct mock_chan *ch, uint64_t req, uint8_t *pkt, size_t len,
		  uint32_t status);
/*
 * Linux's negotiation rule, reimplemented: answer a NEGOTIATE packet in
 * place with the first of our own versions the host offers.
 */
void mock_negotiate(uint8_t *pkt, size_t len, const uint32_t *fw, size_t nfw,
		    const uint32_t *srv, size_t nsrv);

#endif
