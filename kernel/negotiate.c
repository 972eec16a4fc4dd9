// SPDX-License-Identifier: GPL-2.0
/*
 * Version negotiation, done here once for every service.
 *
 * The host offers framework versions and service versions; we walk our own
 * lists, most preferred first, and take the first entry the host offers
 * (the rule Linux has always used; with lists sorted newest first it is
 * "the newest version both speak", whatever order the host lists in).
 * The answer goes back in the host's buffer: both counts 1 and the two
 * chosen versions, or both counts 0 and HVIC_E_FAIL when there is no
 * common version or the request is malformed.  Until a negotiation
 * succeeds the service's own requests are refused.
 */
#include <linux/overflow.h>

#include "core.h"

/* Framework versions, most preferred first. */
static const u32 hvic_fw_versions[] = {
	HVIC_VER(3, 0),
	HVIC_VER(1, 0),
};

/* The first of ours[] that the host offers in theirs[], or 0. */
static u32 hvic_pick(const u32 *ours, unsigned int nours,
		     const struct hvic_version *theirs, unsigned int ntheirs)
{
	unsigned int i, j;

	for (i = 0; i < nours; i++) {
		for (j = 0; j < ntheirs; j++) {
			if (HVIC_VER(le16_to_cpu(theirs[j].major),
				     le16_to_cpu(theirs[j].minor)) == ours[i])
				return ours[i];
		}
	}
	return 0;
}

/* Check the host's lists; returns false (and says why) if malformed. */
static bool hvic_negotiate_valid(struct hvic_dev *dev,
				 const struct hvic_negotiate *neg, u32 len)
{
	unsigned int nfw = le16_to_cpu(neg->framework_count);
	unsigned int nsrv = le16_to_cpu(neg->message_count);

	if (nfw > HVIC_NEGOTIATE_MAX_COUNT || nsrv > HVIC_NEGOTIATE_MAX_COUNT) {
		hvic_bad_msg(dev, "negotiate with %u+%u versions, limit %u\n",
			     nfw, nsrv, HVIC_NEGOTIATE_MAX_COUNT);
		return false;
	}
	if (struct_size(neg, versions, nfw + nsrv) > len) {
		hvic_bad_msg(dev, "negotiate lists %u+%u versions in %u bytes\n",
			     nfw, nsrv, len);
		return false;
	}
	return true;
}

/* Record the outcome; fw and srv are both 0 on failure. */
static void hvic_negotiated(struct hvic_dev *dev, u32 fw, u32 srv)
{
	spin_lock_bh(&dev->lock);
	if (fw && srv) {
		hvic_set_state_locked(dev, HVIC_STATE_NEGOTIATED);
		dev->fw_version = fw;
		dev->srv_version = srv;
	} else {
		hvic_set_state_locked(dev, HVIC_STATE_WAITING);
	}
	spin_unlock_bh(&dev->lock);
}

u32 hvic_negotiate(struct hvic_dev *dev, struct hvic_icmsg_hdr *hdr,
		   void *body, u32 len)
{
	const struct hvic_service_ops *ops = dev->ops;
	struct hvic_negotiate *neg = body;
	unsigned int nfw, nsrv;
	u32 fw = 0, srv = 0;

	if (len < sizeof(*neg)) {
		hvic_bad_msg(dev, "negotiate of %u bytes\n", len);
		hvic_negotiated(dev, 0, 0);
		return HVIC_E_FAIL;
	}
	if (hvic_negotiate_valid(dev, neg, len)) {
		nfw = le16_to_cpu(neg->framework_count);
		nsrv = le16_to_cpu(neg->message_count);
		fw = hvic_pick(hvic_fw_versions, ARRAY_SIZE(hvic_fw_versions),
			       neg->versions, nfw);
		srv = hvic_pick(ops->versions, ops->nversions,
				neg->versions + nfw, nsrv);
		if (!fw || !srv)
			dev_warn_ratelimited(hvic_device(dev),
					     "%s: no common %s version with the host\n",
					     ops->name, fw ? "service" : "framework");
	}
	hvic_negotiated(dev, fw, srv);

	/* Both counts are known to fit: at least the 8-byte head was sent. */
	if (!fw || !srv) {
		neg->framework_count = 0;
		neg->message_count = 0;
		return HVIC_E_FAIL;
	}
	/* Two entries fit: the host sent at least one of each. */
	neg->framework_count = cpu_to_le16(1);
	neg->message_count = cpu_to_le16(1);
	neg->versions[0].major = cpu_to_le16(HVIC_VER_MAJOR(fw));
	neg->versions[0].minor = cpu_to_le16(HVIC_VER_MINOR(fw));
	neg->versions[1].major = cpu_to_le16(HVIC_VER_MAJOR(srv));
	neg->versions[1].minor = cpu_to_le16(HVIC_VER_MINOR(srv));
	hdr->size = cpu_to_le16(struct_size(neg, versions, 2));
	dev_dbg(hvic_device(dev), "%s: framework %u.%u, service %u.%u\n",
		ops->name, HVIC_VER_MAJOR(fw), HVIC_VER_MINOR(fw),
		HVIC_VER_MAJOR(srv), HVIC_VER_MINOR(srv));
	return HVIC_S_OK;
}
