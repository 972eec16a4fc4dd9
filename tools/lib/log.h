/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging for the hvic helpers: syslog (which the journal collects under
 * systemd), plus stderr when running in the foreground.
 */
#ifndef HVIC_LOG_H
#define HVIC_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* ident: syslog tag ("hvic-kvpd"); foreground: also write to stderr. */
void hvic_log_init(const char *ident, bool foreground, bool debug);
/* Whether messages also go to stderr (default: yes until hvic_log_init). */
void hvic_log_stderr(bool on);
/* Only messages up to this priority are emitted (LOG_INFO, or LOG_DEBUG). */
bool hvic_log_debug_enabled(void);

void hvic_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	hvic_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	hvic_log(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	hvic_log(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	hvic_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	hvic_log(LOG_DEBUG, __VA_ARGS__)

#endif
