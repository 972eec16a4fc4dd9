// SPDX-License-Identifier: GPL-2.0
/*
 * KVP, the daemon's side: registration over /dev/vmbus/hv_kvp, its answers
 * and its going away.  The transaction states are described in kvp.c.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "kvp.h"

/* What daemons report to the host as IntegrationServicesVersion. */
#define HVIC_KVP_DAEMON_VERSION	"3.1"

/* The daemon's first write: KVP_OP_REGISTER1, or the legacy REGISTER. */
static int hvic_kvp_on_register(void *priv, const void *msg, size_t len)
{
	struct hvic_kvp_state *kvp = priv;
	const struct hvic_kvp_msg *in = msg;
	u8 op = in->kvp_hdr.operation;
	struct hvic_kvp_msg *answer;
	int ret;

	if (op != HVIC_KVP_OP_REGISTER1 && op != HVIC_KVP_OP_REGISTER)
		return -EINVAL;
	answer = kzalloc(sizeof(*answer), GFP_KERNEL);
	if (!answer)
		return -ENOMEM;
	answer->kvp_hdr.operation = op;
	strscpy((char *)answer->body.kvp_register.version,
		HVIC_KVP_DAEMON_VERSION, sizeof(answer->body.kvp_register.version));
	spin_lock_bh(&kvp->lock);
	kvp->legacy = op == HVIC_KVP_OP_REGISTER;
	spin_unlock_bh(&kvp->lock);
	ret = hvic_cdev_register_reply(kvp->cdev, answer, sizeof(*answer));
	kfree(answer);
	if (!ret && op == HVIC_KVP_OP_REGISTER)
		dev_info(hvic_device(kvp->dev),
			 "kvp: legacy daemon registered: no IP injection\n");
	return ret;
}

static void hvic_kvp_on_ready(void *priv)
{
	struct hvic_kvp_state *kvp = priv;

	spin_lock_bh(&kvp->lock);
	if (kvp->xact == HVIC_KVP_WAIT_DAEMON)
		hvic_kvp_pass_on_locked(kvp);
	spin_unlock_bh(&kvp->lock);
}

static int hvic_kvp_on_reply(void *priv, const void *msg, size_t len)
{
	struct hvic_kvp_state *kvp = priv;
	struct hvic_kvp_outcome res = { };
	u32 status;

	spin_lock_bh(&kvp->lock);
	if (kvp->xact != HVIC_KVP_WAIT_REPLY) {
		spin_unlock_bh(&kvp->lock);
		return -EINVAL;
	}
	status = hvic_kvp_answer(kvp->dev, msg, kvp->host_body, kvp->op,
				 kvp->legacy, &res);
	if (res.bad)
		kvp->daemon_errors++;
	if (res.truncated)
		kvp->truncated++;
	hvic_kvp_finish_locked(kvp, status);
	spin_unlock_bh(&kvp->lock);
	return 0;
}

static void hvic_kvp_on_release(void *priv)
{
	struct hvic_kvp_state *kvp = priv;

	spin_lock_bh(&kvp->lock);
	if (kvp->xact == HVIC_KVP_WAIT_REPLY) {
		dev_warn_ratelimited(hvic_device(kvp->dev),
				     "kvp: daemon closed the device during request %u\n",
				     kvp->op);
		kvp->daemon_errors++;
		hvic_kvp_finish_locked(kvp, HVIC_E_FAIL);
	}
	spin_unlock_bh(&kvp->lock);
}

const struct hvic_cdev_ops hvic_kvp_cdev_ops = {
	.write_size = sizeof(struct hvic_kvp_msg),
	.max_msg = sizeof(struct hvic_kvp_msg),
	.on_register = hvic_kvp_on_register,
	.on_ready = hvic_kvp_on_ready,
	.on_reply = hvic_kvp_on_reply,
	.on_release = hvic_kvp_on_release,
};
