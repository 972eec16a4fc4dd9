// SPDX-License-Identifier: GPL-2.0
/* File copy (Copy-VMFile): START, WRITE fragments, COMPLETE or CANCEL. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const char *const fcopy_ops[] = {
	"START_FILE_COPY", "WRITE_TO_FILE", "COMPLETE_FCOPY", "CANCEL_FCOPY",
};

const char *hvhost_fcopy_op_name(uint8_t op)
{
	return op < ARRAY_SIZE(fcopy_ops) ? fcopy_ops[op] : "UNKNOWN";
}

int hvhost_build_fcopy_start(void *body, size_t cap, const char *file_name,
			     const char *path_name, uint32_t copy_flags,
			     uint64_t file_size)
{
	struct fcopy_start *m = body;
	int ret;

	if (cap < sizeof(*m))
		return -E2BIG;
	memset(m, 0, sizeof(*m));
	m->hdr.operation = htole32(HVHOST_FCOPY_START);
	ret = hvhost_put_wstr(m->file_name, FCOPY_PATH_UNITS, file_name, NULL);
	if (!ret)
		ret = hvhost_put_wstr(m->path_name, FCOPY_PATH_UNITS, path_name,
				      NULL);
	if (ret)
		return ret;
	m->copy_flags = htole32(copy_flags);
	m->file_size = htole64(file_size);
	return sizeof(*m);
}

int hvhost_build_fcopy_write(void *body, size_t cap, uint64_t offset,
			     const void *data, uint32_t len)
{
	struct fcopy_write *m = body;

	if (len > FCOPY_FRAGMENT)
		return -EINVAL;
	if (cap < sizeof(*m))
		return -E2BIG;
	memset(m, 0, sizeof(*m));
	m->hdr.operation = htole32(HVHOST_FCOPY_WRITE);
	m->offset = htole64(offset);
	m->size = htole32(len);
	if (len)
		memcpy(m->data, data, len);
	return sizeof(*m);
}

int hvhost_build_fcopy_op(void *body, size_t cap, uint32_t op)
{
	struct fcopy_hdr *m = body;

	if (cap < sizeof(*m))
		return -E2BIG;
	memset(m, 0, sizeof(*m));
	m->operation = htole32(op);
	return sizeof(*m);
}

static int fcopy_send(struct hvhost *h, uint32_t id, const void *body,
		      int len, uint32_t *status)
{
	if (len < 0)
		return len;
	return hvhost_transact(h, id, HVHOST_MSG_FCOPY, body, len, NULL, NULL,
			       status);
}

int hvhost_fcopy_start(struct hvhost *h, uint32_t id, const char *file_name,
		       const char *path_name, uint32_t copy_flags,
		       uint64_t file_size, uint32_t *status)
{
	struct fcopy_start m;

	return fcopy_send(h, id, &m,
			  hvhost_build_fcopy_start(&m, sizeof(m), file_name,
						   path_name, copy_flags,
						   file_size), status);
}

int hvhost_fcopy_write(struct hvhost *h, uint32_t id, uint64_t offset,
		       const void *data, uint32_t len, uint32_t *status)
{
	struct fcopy_write *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	ret = fcopy_send(h, id, m,
			 hvhost_build_fcopy_write(m, sizeof(*m), offset, data,
						  len), status);
	free(m);
	return ret;
}

static int fcopy_simple(struct hvhost *h, uint32_t id, uint32_t op,
			uint32_t *status)
{
	struct fcopy_hdr m;

	return fcopy_send(h, id, &m, hvhost_build_fcopy_op(&m, sizeof(m), op),
			  status);
}

int hvhost_fcopy_complete(struct hvhost *h, uint32_t id, uint32_t *status)
{
	return fcopy_simple(h, id, HVHOST_FCOPY_COMPLETE, status);
}

int hvhost_fcopy_cancel(struct hvhost *h, uint32_t id, uint32_t *status)
{
	return fcopy_simple(h, id, HVHOST_FCOPY_CANCEL, status);
}

/* Send every fragment of fd; stops at the first non-OK status. */
static int copy_data(struct hvhost *h, uint32_t id, int fd, uint64_t size,
		     hvhost_fcopy_step_cb step, void *ctx, uint32_t *status)
{
	uint8_t *buf = malloc(FCOPY_FRAGMENT);
	uint64_t off = 0;
	ssize_t n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	*status = HV_S_OK;
	while (off < size) {
		n = pread(fd, buf, FCOPY_FRAGMENT, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;	/* shrank under us */
			break;
		}
		ret = hvhost_fcopy_write(h, id, off, buf, n, status);
		if (ret)
			break;
		if (step)
			step(HVHOST_FCOPY_WRITE, off, n, *status, ctx);
		if (*status != HV_S_OK)
			break;
		off += n;
	}
	free(buf);
	return ret;
}

int hvhost_copy_file(struct hvhost *h, uint32_t id, const char *local,
		     const char *guest_dir, const char *guest_name,
		     uint32_t copy_flags, hvhost_fcopy_step_cb step, void *ctx,
		     uint32_t *status)
{
	uint32_t st, cst;
	struct stat sb;
	int fd, ret;

	fd = open(local, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb)) {
		ret = -errno;
		goto out_close;
	}
	if (!guest_name) {
		guest_name = strrchr(local, '/');
		guest_name = guest_name ? guest_name + 1 : local;
	}
	ret = hvhost_fcopy_start(h, id, guest_name, guest_dir, copy_flags,
				 sb.st_size, &st);
	if (ret)
		goto out_close;
	if (step)
		step(HVHOST_FCOPY_START, 0, 0, st, ctx);
	if (st != HV_S_OK)
		goto out_status;
	ret = copy_data(h, id, fd, sb.st_size, step, ctx, &st);
	if (ret || st != HV_S_OK) {
		/* Tell the guest to drop the partial file. */
		if (!hvhost_fcopy_cancel(h, id, &cst) && step)
			step(HVHOST_FCOPY_CANCEL, 0, 0, cst, ctx);
		goto out_status;
	}
	ret = hvhost_fcopy_complete(h, id, &st);
	if (!ret && step)
		step(HVHOST_FCOPY_COMPLETE, 0, 0, st, ctx);
out_status:
	if (status)
		*status = st;
out_close:
	close(fd);
	return ret;
}
