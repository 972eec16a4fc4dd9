/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for the host-side unit tests.  Each check prints
 * "ok N - name" or "not ok N - name" (with a "# " diagnostic line); the
 * plan "1..N" comes at the end, followed by "# N passed, N failed".
 * tap_done() returns the process exit status (1 if anything failed).
 */
#ifndef HVIC_TAP_H
#define HVIC_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static unsigned int tap_n, tap_failed;

static inline bool tap_ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static inline void tap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Compare integers; on failure say what we got. */
#define tap_eq(got, want, name)						\
	do {								\
		long long __g = (long long)(got), __w = (long long)(want); \
		if (!tap_ok(__g == __w, "%s", name))			\
			tap_diag("got %lld (0x%llx), want %lld (0x%llx)", \
				 __g, __g, __w, __w);			\
	} while (0)

#define tap_streq(got, want, name)					\
	do {								\
		const char *__g = (got), *__w = (want);			\
		if (!tap_ok(__g && !strcmp(__g, __w), "%s", name))	\
			tap_diag("got \"%s\", want \"%s\"",		\
				 __g ? __g : "(null)", __w);		\
	} while (0)

#define tap_memeq(got, want, len, name)					\
	tap_ok(!memcmp((got), (want), (len)), "%s", name)

static inline int tap_done(void)
{
	printf("1..%u\n# %u passed, %u failed\n", tap_n, tap_n - tap_failed,
	       tap_failed);
	return tap_failed ? 1 : 0;
}

/* Little-endian readers for checking raw wire bytes at fixed offsets. */
static inline uint16_t rd16(const void *p, size_t off)
{
	const uint8_t *b = (const uint8_t *)p + off;

	return b[0] | b[1] << 8;
}

static inline uint32_t rd32(const void *p, size_t off)
{
	return rd16(p, off) | (uint32_t)rd16(p, off + 2) << 16;
}

static inline uint64_t rd64(const void *p, size_t off)
{
	return rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

#endif /* HVIC_TAP_H */
