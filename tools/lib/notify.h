/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVIC_NOTIFY_H
#define HVIC_NOTIFY_H

/*
 * The systemd readiness protocol without libsystemd: send one datagram
 * ("READY=1", "STATUS=...", "STOPPING=1", newline-separated) to the socket
 * named by $NOTIFY_SOCKET.  0 when sent, 0 when not under systemd, -errno.
 */
int hvic_sd_notify(const char *state);
int hvic_sd_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
