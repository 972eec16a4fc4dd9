// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim: vmbus_prep_negotiate_resp(), the IC version negotiation helper
 * hv_vmbus exports to the integration-service drivers.
 *
 * Behaviour kept from hv_vmbus (drivers rely on it): the reply is written in
 * place in the host's NEGOTIATE; icmsgsize becomes 0x10 once the counts are
 * readable; counts above IC_VERSION_NEGOTIATION_MAX_VER_COUNT or a version
 * array running past buflen are refused; our own lists are walked in
 * preference order and the first version the host also offers wins; the
 * reply carries one framework and one service version (counts 1/1), or
 * counts 0/0 when nothing matched.  Versions are major << 16 | minor.
 */
#include <linux/stddef.h>

#include "internal.h"

/* Index in @host[0..n) of the first of @ours (preference order) offered. */
static int sim_pick_version(const struct ic_version *host, int n,
			    const int *ours, int ours_cnt)
{
	int i, j;

	for (i = 0; i < ours_cnt; i++)
		for (j = 0; j < n; j++)
			if (host[j].major == (u16)(ours[i] >> 16) &&
			    host[j].minor == (u16)(ours[i] & 0xffff))
				return j;
	return -1;
}

static int sim_version(const struct ic_version *v)
{
	return v->major << 16 | v->minor;
}

bool vmbus_prep_negotiate_resp(struct icmsg_hdr *icmsghdrp, u8 *buf,
			       u32 buflen, const int *fw_version, int fw_vercnt,
			       const int *srv_version, int srv_vercnt,
			       int *nego_fw_version, int *nego_srv_version)
{
	struct icmsg_negotiate *neg;
	int fw_cnt, srv_cnt, fw, srv;
	int nego_fw, nego_srv;
	bool ok = false;

	if (buflen < ICMSG_HDR + offsetof(struct icmsg_negotiate, reserved)) {
		pr_err_ratelimited("vmbus_sim: negotiate message too short\n");
		return false;
	}
	icmsghdrp->icmsgsize = 0x10;
	neg = (struct icmsg_negotiate *)&buf[ICMSG_HDR];
	fw_cnt = neg->icframe_vercnt;
	srv_cnt = neg->icmsg_vercnt;

	/* hv_vmbus reports the host's counts as "versions" on failure. */
	nego_fw = fw_cnt << 16;
	nego_srv = srv_cnt << 16;

	if (fw_cnt > IC_VERSION_NEGOTIATION_MAX_VER_COUNT ||
	    srv_cnt > IC_VERSION_NEGOTIATION_MAX_VER_COUNT ||
	    ICMSG_NEGOTIATE_PKT_SIZE(fw_cnt, srv_cnt) > buflen) {
		pr_err_ratelimited("vmbus_sim: bad negotiate counts %d/%d\n",
				   fw_cnt, srv_cnt);
		goto reply;
	}

	fw = sim_pick_version(neg->icversion_data, fw_cnt,
			      fw_version, fw_vercnt);
	if (fw < 0)
		goto reply;
	nego_fw = sim_version(&neg->icversion_data[fw]);

	srv = sim_pick_version(neg->icversion_data + fw_cnt, srv_cnt,
			       srv_version, srv_vercnt);
	if (srv < 0)
		goto reply;
	nego_srv = sim_version(&neg->icversion_data[fw_cnt + srv]);
	ok = true;

reply:
	neg->icframe_vercnt = ok;
	neg->icmsg_vercnt = ok;
	if (nego_fw_version)
		*nego_fw_version = nego_fw;
	if (nego_srv_version)
		*nego_srv_version = nego_srv;
	/* Room for the two reply entries is all the reply needs. */
	if (ICMSG_NEGOTIATE_PKT_SIZE(1, 1) <= buflen) {
		neg->icversion_data[0].major = nego_fw >> 16;
		neg->icversion_data[0].minor = nego_fw & 0xffff;
		neg->icversion_data[1].major = nego_srv >> 16;
		neg->icversion_data[1].minor = nego_srv & 0xffff;
	}
	return ok;
}
EXPORT_SYMBOL_GPL(vmbus_prep_negotiate_resp);
