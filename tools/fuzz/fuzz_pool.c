// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: a pool file of arbitrary bytes is opened the way the daemon
 * opens it (parsed and repaired in place).  Afterwards the file must be
 * canonical (whole, valid, unique records) and hold, for every key, the
 * value of that key's last valid record in the input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "pool.h"

static char dir[64], path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	hvic_log_stderr(false);
	snprintf(dir, sizeof(dir), "/dev/shm/hvic-fuzz-pool.%d", getpid());
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(dir, sizeof(dir), "/tmp/hvic-fuzz-pool.%d", getpid());
		mkdir(dir, 0700);
	}
	snprintf(path, sizeof(path), "%s/.kvp_pool_0", dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char got[HVIC_POOL_VALUE_SIZE];
	const struct hvic_pool_rec *in = (const void *)data;
	struct hvic_pool_scan before, after;
	size_t n = size / HVIC_POOL_REC_SIZE, i, j;
	struct hvic_pool *p;
	char *buf;
	int fd;

	if (hvic_pool_scan(data, size, &before))
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);

	if (hvic_pool_open(&p, dir, 0, 0) || hvic_pool_sync(p))
		abort();
	if (hvic_pool_count(p) != (int)before.live)
		abort();
	/* every key's last valid record won */
	for (i = 0; i < n; i++) {
		if (!hvic_pool_rec_valid(&in[i]))
			continue;
		for (j = i + 1; j < n; j++)
			if (hvic_pool_rec_valid(&in[j]) &&
			    !strncmp(in[i].key, in[j].key, HVIC_POOL_KEY_SIZE))
				break;
		if (j < n)
			continue;
		if (hvic_pool_get(p, in[i].key, got, sizeof(got)) ||
		    strcmp(got, in[i].value))
			abort();
	}
	hvic_pool_close(p);

	/* and the file is canonical now */
	buf = malloc(size + 1);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, size + 1);
	close(fd);
	if (hvic_pool_scan(buf, n, &after) || after.tail || after.invalid ||
	    after.dups || after.live != before.live)
		abort();
	free(buf);
	return 0;
}
