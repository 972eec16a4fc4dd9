// SPDX-License-Identifier: GPL-2.0
/*
 * Logging: syslog always (the journal picks it up), stderr as well in the
 * foreground.  Before hvic_log_init() messages go to stderr only, so the
 * library is usable from the CLI and the tests without any set-up.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static bool log_syslog;
static bool log_stderr = true;
static bool log_debug_on;
static const char *log_ident = "hvic";

void hvic_log_init(const char *ident, bool foreground, bool debug)
{
	log_ident = ident;
	log_stderr = foreground;
	log_debug_on = debug;
	log_syslog = true;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	setlogmask(LOG_UPTO(debug ? LOG_DEBUG : LOG_INFO));
}

void hvic_log_stderr(bool on)
{
	log_stderr = on;
}

bool hvic_log_debug_enabled(void)
{
	return log_debug_on;
}

void hvic_log(int prio, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (prio == LOG_DEBUG && !log_debug_on)
		return;
	if (log_syslog) {
		va_start(ap, fmt);
		vsyslog(prio, fmt, ap);
		va_end(ap);
	}
	if (log_stderr) {
		va_start(ap, fmt);
		fprintf(stderr, "%s: ", log_ident);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	errno = saved;
}
