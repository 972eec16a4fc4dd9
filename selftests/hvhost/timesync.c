// SPDX-License-Identifier: GPL-2.0
/*
 * Time sync.  Version <= 3.0 carries ictimesync_data (no reference time, so
 * the guest cannot correct for delivery delay); 4.0 carries
 * ictimesync_ref_data with the guest reference counter at the moment the
 * host time was sampled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

uint64_t hvhost_unix_ns_to_filetime(int64_t unix_ns)
{
	/* floor division so times before 1970 round down too */
	int64_t t = unix_ns / 100 - (unix_ns % 100 < 0);

	return (uint64_t)(t + (int64_t)HVHOST_WLTIMEDELTA);
}

int64_t hvhost_filetime_to_unix_ns(uint64_t filetime)
{
	return ((int64_t)filetime - (int64_t)HVHOST_WLTIMEDELTA) * 100;
}

uint64_t hvhost_filetime_now(int64_t offset_ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return hvhost_unix_ns_to_filetime((int64_t)ts.tv_sec * 1000000000 +
					  ts.tv_nsec + offset_ns);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int hvhost_parse_iso8601(const char *s, int64_t *unix_ns)
{
	int y, mo, d, hh, mi, ss, n = 0, tzh, tzm;
	int64_t frac = 0, scale = 100000000, t;
	const char *p;

	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &hh,
		   &mi, &ss, &n) != 6 || !n)
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 ||
	    ss > 60 || hh < 0 || mi < 0 || ss < 0)
		return -EINVAL;
	p = s + n;
	if (*p == '.' || *p == ',') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	t = (days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss);
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (sscanf(p + 1, "%2d:%2d", &tzh, &tzm) != 2)
			return -EINVAL;
		t -= (*p == '+' ? 1 : -1) * (tzh * 3600 + tzm * 60);
		p += 6;
	}
	if (*p)
		return -EINVAL;
	*unix_ns = t * 1000000000 + frac;
	return 0;
}

int hvhost_build_timesync_v3(void *body, size_t cap, uint64_t parenttime,
			     uint8_t flags)
{
	struct ic_timesync_v3 *ts = body;

	if (cap < sizeof(*ts))
		return -E2BIG;
	memset(ts, 0, sizeof(*ts));
	ts->parenttime = htole64(parenttime);
	ts->flags = flags;
	return sizeof(*ts);
}

int hvhost_build_timesync_v4(void *body, size_t cap, uint64_t parenttime,
			     uint64_t reftime, uint8_t flags,
			     uint8_t leapflags, uint8_t stratum)
{
	struct ic_timesync_v4 *ts = body;

	if (cap < sizeof(*ts))
		return -E2BIG;
	memset(ts, 0, sizeof(*ts));
	ts->parenttime = htole64(parenttime);
	ts->vmreferencetime = htole64(reftime);
	ts->flags = flags;
	ts->leapflags = leapflags;
	ts->stratum = stratum;
	return sizeof(*ts);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

int hvhost_timesync(struct hvhost *h, uint32_t id,
		    const struct hvhost_timesync_req *req,
		    struct hvhost_timesync_result *res)
{
	union {
		struct ic_timesync_v3 v3;
		struct ic_timesync_v4 v4;
	} body, reply;
	size_t rlen = sizeof(reply);
	uint32_t version = req->version;
	int len, ret;

	memset(res, 0, sizeof(*res));
	if (!version) {
		ret = hvhost_negotiated(h, id, NULL, &version);
		if (ret)
			return ret;
	}
	res->v4 = version > HVHOST_VERSION(3, 0);
	/* Sample host time and reference time together, then "deliver". */
	if (res->v4) {
		ret = hvhost_reference_time(h, &res->reftime);
		if (ret)
			return ret;
	}
	res->parenttime = req->absolute ? req->parenttime :
			  hvhost_filetime_now(req->offset_ns);
	if (req->delay_ms)
		sleep_ms(req->delay_ms);
	if (res->v4)
		len = hvhost_build_timesync_v4(&body, sizeof(body),
					       res->parenttime, res->reftime,
					       req->flags, req->leapflags,
					       req->stratum);
	else
		len = hvhost_build_timesync_v3(&body, sizeof(body),
					       res->parenttime, req->flags);
	ret = hvhost_transact(h, id, HVHOST_MSG_TIMESYNC, &body, len,
			      &reply, &rlen, &res->status);
	if (ret)
		return ret;
	if (rlen < (size_t)len)
		return -EBADMSG;
	if (res->v4) {
		res->reply_flags = reply.v4.flags;
	} else {
		res->reply_flags = reply.v3.flags;
		res->childtime = le64toh(reply.v3.childtime);
	}
	return 0;
}
