// SPDX-License-Identifier: GPL-2.0
/* UTF-8 <-> UTF-16LE conversions of libhvhost. */
#include <errno.h>
#include <stdlib.h>

#include "hvhost.h"
#include "tap.h"

/* Encode s, check the exact UTF-16LE bytes (without the NUL) and size. */
static void enc(const char *s, const uint8_t *want, size_t want_len,
		const char *name)
{
	uint8_t out[64];
	size_t size = 0;
	int ret;

	memset(out, 0xaa, sizeof(out));
	ret = hvhost_utf8_to_utf16le(s, strlen(s), out, sizeof(out), &size);
	tap_eq(ret, 0, name);
	tap_eq(size, want_len + 2, "  size includes the NUL unit");
	tap_ok(!memcmp(out, want, want_len) && out[want_len] == 0 &&
	       out[want_len + 1] == 0, "  bytes match");
}

static void roundtrip(const char *s, const char *name)
{
	uint8_t w[4096];
	char back[4096];
	size_t size, len;
	int r1, r2;

	r1 = hvhost_utf8_to_utf16le(s, strlen(s), w, sizeof(w), &size);
	r2 = r1 ? r1 : hvhost_utf16le_to_utf8(w, size, back, sizeof(back), &len);
	tap_ok(!r1 && !r2 && len == strlen(s) && !strcmp(back, s),
	       "round trip: %s", name);
}

static void bad8(const char *s, size_t len, const char *name)
{
	uint8_t out[64];

	tap_eq(hvhost_utf8_to_utf16le(s, len, out, sizeof(out), NULL), -EILSEQ,
	       name);
}

static void bad16(const uint8_t *in, size_t size, int want, const char *name)
{
	char out[64];

	tap_eq(hvhost_utf16le_to_utf8(in, size, out, sizeof(out), NULL), want,
	       name);
}

int main(void)
{
	static const uint8_t abc[] = { 'a', 0, 'b', 0, 'c', 0 };
	static const uint8_t eacute[] = { 0xe9, 0x00 };			/* é */
	static const uint8_t cjk[] = { 0x2d, 0x4e };			/* 中 */
	static const uint8_t emoji[] = { 0x3d, 0xd8, 0x00, 0xde };	/* U+1F600 */
	static const uint8_t maxcp[] = { 0xff, 0xdb, 0xff, 0xdf };	/* U+10FFFF */
	uint8_t buf[600], w[8];
	char out[1600], s8[600];
	size_t size, len;
	int ret;

	enc("abc", abc, sizeof(abc), "ASCII encodes one unit per byte");
	enc("\xc3\xa9", eacute, sizeof(eacute), "2-byte UTF-8 (U+00E9)");
	enc("\xe4\xb8\xad", cjk, sizeof(cjk), "3-byte UTF-8 (U+4E2D)");
	enc("\xf0\x9f\x98\x80", emoji, sizeof(emoji),
	    "4-byte UTF-8 becomes a surrogate pair (U+1F600)");
	enc("\xf4\x8f\xbf\xbf", maxcp, sizeof(maxcp), "U+10FFFF");
	enc("", abc, 0, "empty string is just the NUL");

	roundtrip("Hyper-V KVP key", "ASCII");
	roundtrip("caf\xc3\xa9.txt", "Latin-1 range");
	roundtrip("a\xe4\xb8\xad" "bcdef", "CJK");
	roundtrip("\xf0\x9f\x98\x80 \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", "non-BMP");
	roundtrip("\xef\xbf\xbd\xee\x80\x80", "U+FFFD and U+E000 (around surrogates)");

	bad8("\xc3", 1, "truncated 2-byte sequence rejected");
	bad8("\xe4\xb8", 2, "truncated 3-byte sequence rejected");
	bad8("\xc0\xaf", 2, "overlong '/' rejected");
	bad8("\xe0\x80\xaf", 3, "overlong 3-byte rejected");
	bad8("\xed\xa0\x80", 3, "encoded surrogate U+D800 rejected (CESU)");
	bad8("\xf4\x90\x80\x80", 4, "above U+10FFFF rejected");
	bad8("\x80", 1, "lone continuation byte rejected");
	bad8("\xff", 1, "0xFF rejected");
	bad8("a\0b", 3, "embedded NUL rejected");
	bad8("\xe4\x41\xad", 3, "bad continuation rejected");

	{
		static const uint8_t lone_hi[] = { 0x3d, 0xd8, 'a', 0 };
		static const uint8_t lone_lo[] = { 0x00, 0xde, 0, 0 };
		static const uint8_t hi_end[] = { 'x', 0, 0x3d, 0xd8 };
		static const uint8_t two_hi[] = { 0x3d, 0xd8, 0x3d, 0xd8 };

		bad16(lone_hi, sizeof(lone_hi), -EILSEQ,
		      "high surrogate followed by non-surrogate rejected");
		bad16(lone_lo, sizeof(lone_lo), -EILSEQ, "lone low surrogate rejected");
		bad16(hi_end, sizeof(hi_end), -EILSEQ,
		      "high surrogate at the end of the buffer rejected");
		bad16(two_hi, sizeof(two_hi), -EILSEQ, "two high surrogates rejected");
		bad16(abc, 5, -EINVAL, "odd byte size rejected");
	}

	/* Decoding stops at the first NUL: stale bytes after it are ignored. */
	{
		static const uint8_t stale[] = { 'o', 0, 'k', 0, 0, 0, 0x00, 0xdc };

		ret = hvhost_utf16le_to_utf8(stale, sizeof(stale), out, sizeof(out), &len);
		tap_ok(!ret && len == 2 && !strcmp(out, "ok"),
		       "decode stops at NUL, ignoring garbage after it");
		ret = hvhost_utf16le_to_utf8(abc, sizeof(abc), out, sizeof(out), &len);
		tap_ok(!ret && !strcmp(out, "abc"), "unterminated buffer decodes all units");
	}

	/* Limits: the KVP key field is 512 bytes = 255 units + NUL. */
	memset(s8, 'k', 255);
	s8[255] = 0;
	ret = hvhost_utf8_to_utf16le(s8, 255, buf, 512, &size);
	tap_ok(!ret && size == 512, "255 ASCII chars fill a 512-byte field exactly");
	memset(s8, 'k', 256);
	s8[256] = 0;
	tap_eq(hvhost_utf8_to_utf16le(s8, 256, buf, 512, &size), -E2BIG,
	       "256 ASCII chars do not fit 512 bytes (no room for NUL)");
	/* 127 ASCII + one surrogate pair = 129 units + NUL = 260 bytes. */
	memset(s8, 'x', 127);
	memcpy(s8 + 127, "\xf0\x9f\x98\x80", 5);
	ret = hvhost_utf8_to_utf16le(s8, 131, buf, 260, &size);
	tap_ok(!ret && size == 260, "pair ending exactly at the limit fits");
	tap_eq(hvhost_utf8_to_utf16le(s8, 131, buf, 258, &size), -E2BIG,
	       "pair not fitting whole is rejected, not split");
	tap_eq(hvhost_utf8_to_utf16le("ab", 2, w, 4, &size), -E2BIG,
	       "no room for the NUL unit is -E2BIG");

	/* UTF-8 output limits. */
	ret = hvhost_utf16le_to_utf8(cjk, sizeof(cjk), out, 4, &len);
	tap_ok(!ret && len == 3, "3-byte char + NUL fits a 4-byte buffer");
	tap_eq(hvhost_utf16le_to_utf8(cjk, sizeof(cjk), out, 3, &len), -E2BIG,
	       "3-byte char without room for NUL is -E2BIG");
	ret = hvhost_utf16le_to_utf8(emoji, sizeof(emoji), out, sizeof(out), &len);
	tap_ok(!ret && len == 4 && !memcmp(out, "\xf0\x9f\x98\x80", 5),
	       "surrogate pair decodes to 4-byte UTF-8");

	return tap_done();
}
