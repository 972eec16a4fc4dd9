/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVIC_UTF8_H
#define HVIC_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether s[0..len) is well-formed UTF-8 (RFC 3629): no overlong forms, no
 * UTF-16 surrogates, nothing above U+10FFFF, no truncated sequence.
 */
bool hvic_utf8_valid(const char *s, size_t len);

#endif
