// SPDX-License-Identifier: GPL-2.0
/*
 * UTF-8 <-> UTF-16LE, strict both ways: the wire strings of KVP and fcopy
 * are UTF-16LE with byte sizes that include the NUL unit.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

/*
 * Decode one scalar value from s[0..len).  Returns its length in bytes and
 * stores it in *cp, or -EILSEQ for anything but shortest-form UTF-8 of a
 * non-surrogate value up to U+10FFFF.
 */
static int utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t c = s[0];
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
	} else {
		return -EILSEQ;
	}
	if (len < n)
		return -EILSEQ;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -EILSEQ;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -EILSEQ;
	*cp = c;
	return n;
}

static void put_le16(unsigned char *p, uint16_t u)
{
	p[0] = u & 0xff;
	p[1] = u >> 8;
}

int hvhost_utf8_to_utf16le(const char *s, size_t len, void *out, size_t cap,
			   size_t *out_size)
{
	const unsigned char *in = (const unsigned char *)s;
	unsigned char *o = out;
	size_t pos = 0, used = 0;
	uint32_t cp;
	int n;

	while (pos < len) {
		if (in[pos] == 0)
			return -EILSEQ;
		n = utf8_decode(in + pos, len - pos, &cp);
		if (n < 0)
			return n;
		pos += n;
		if (cp >= 0x10000) {
			if (used + 4 > cap)
				return -E2BIG;
			cp -= 0x10000;
			put_le16(o + used, 0xd800 | cp >> 10);
			put_le16(o + used + 2, 0xdc00 | (cp & 0x3ff));
			used += 4;
		} else {
			if (used + 2 > cap)
				return -E2BIG;
			put_le16(o + used, cp);
			used += 2;
		}
	}
	if (used + 2 > cap)
		return -E2BIG;
	put_le16(o + used, 0);
	used += 2;
	if (out_size)
		*out_size = used;
	return 0;
}

/* Append the UTF-8 form of cp; -E2BIG unless a NUL still fits after it. */
static int utf8_put(char *out, size_t cap, size_t *used, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = 0xc0 | cp >> 6;
		b[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | cp >> 12;
		b[1] = 0x80 | ((cp >> 6) & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		b[0] = 0xf0 | cp >> 18;
		b[1] = 0x80 | ((cp >> 12) & 0x3f);
		b[2] = 0x80 | ((cp >> 6) & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	if (*used + n + 1 > cap)
		return -E2BIG;
	memcpy(out + *used, b, n);
	*used += n;
	return 0;
}

int hvhost_utf16le_to_utf8(const void *in, size_t size, char *out, size_t cap,
			   size_t *out_len)
{
	const unsigned char *p = in;
	size_t units = size / 2, i, used = 0;
	uint32_t u, lo;
	int ret;

	if (size % 2)
		return -EINVAL;
	if (cap == 0)
		return -E2BIG;
	for (i = 0; i < units; i++) {
		u = p[2 * i] | p[2 * i + 1] << 8;
		if (u == 0)
			break;
		if (u >= 0xdc00 && u <= 0xdfff)
			return -EILSEQ;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 1 >= units)
				return -EILSEQ;
			lo = p[2 * i + 2] | p[2 * i + 3] << 8;
			if (lo < 0xdc00 || lo > 0xdfff)
				return -EILSEQ;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i++;
		}
		ret = utf8_put(out, cap, &used, u);
		if (ret)
			return ret;
	}
	out[used] = '\0';
	if (out_len)
		*out_len = used;
	return 0;
}

int hvhost_put_wstr(void *field, size_t units, const char *s, size_t *size)
{
	size_t sz;
	int ret;

	memset(field, 0, units * 2);
	if (!s)
		s = "";
	ret = hvhost_utf8_to_utf16le(s, strlen(s), field, units * 2, &sz);
	if (ret)
		return ret;
	if (size)
		*size = sz;
	return 0;
}

int hvhost_get_wstr(const void *field, size_t units, char *out, size_t cap)
{
	return hvhost_utf16le_to_utf8(field, units * 2, out, cap, NULL);
}
