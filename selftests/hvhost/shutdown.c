// SPDX-License-Identifier: GPL-2.0
/* Shutdown: poweroff / reboot / hibernate, optionally forced. */
#include <errno.h>
#include <string.h>

#include "internal.h"

int hvhost_build_shutdown(void *body, size_t cap,
			  const struct hvhost_shutdown_req *req)
{
	struct ic_shutdown *sd = body;
	size_t max = sizeof(sd->display_message);

	if (cap < sizeof(*sd))
		return -E2BIG;
	if (req->message_len > (req->unterminated ? max : max - 1))
		return -E2BIG;
	memset(sd, 0, sizeof(*sd));
	sd->reason_code = htole32(req->reason_code);
	sd->timeout_seconds = htole32(req->timeout_s);
	sd->flags = htole32(req->flags);
	if (req->message && req->message_len)
		memcpy(sd->display_message, req->message, req->message_len);
	return sizeof(*sd);
}

int hvhost_shutdown(struct hvhost *h, uint32_t id,
		    const struct hvhost_shutdown_req *req, uint32_t *status)
{
	struct ic_shutdown sd;
	int ret;

	ret = hvhost_build_shutdown(&sd, sizeof(sd), req);
	if (ret < 0)
		return ret;
	return hvhost_transact(h, id, HVHOST_MSG_SHUTDOWN, &sd, sizeof(sd),
			       NULL, NULL, status);
}
