// SPDX-License-Identifier: GPL-2.0
/* Tables: status names, the IC services, host generations, GUID text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct {
	uint32_t code;
	const char *name;
} status_names[] = {
	{ HV_S_OK, "HV_S_OK" },
	{ HV_E_FAIL, "HV_E_FAIL" },
	{ HV_S_CONT, "HV_S_CONT" },
	{ HV_ERROR_NOT_SUPPORTED, "HV_ERROR_NOT_SUPPORTED" },
	{ HV_ERROR_MACHINE_LOCKED, "HV_ERROR_MACHINE_LOCKED" },
	{ HV_ERROR_DEVICE_NOT_CONNECTED, "HV_ERROR_DEVICE_NOT_CONNECTED" },
	{ HV_INVALIDARG, "HV_INVALIDARG" },
	{ HV_GUID_NOTFOUND, "HV_GUID_NOTFOUND" },
	{ HV_ERROR_ALREADY_EXISTS, "HV_ERROR_ALREADY_EXISTS" },
	{ HV_ERROR_DISK_FULL, "HV_ERROR_DISK_FULL" },
};

const char *hvhost_status_name(uint32_t status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(status_names); i++)
		if (status_names[i].code == status)
			return status_names[i].name;
	return NULL;
}

const char *hvhost_status_str(uint32_t status)
{
	static char buf[16];
	const char *name = hvhost_status_name(status);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "0x%08x", status);
	return buf;
}

/* Class GUIDs in wire order (include/linux/hyperv.h, guid_t layout). */
static const struct hvhost_service_info services[HVHOST_SERVICE_COUNT] = {
	[HVHOST_HEARTBEAT] = {
		HVHOST_HEARTBEAT, "heartbeat", "Heartbeat",
		{ 0x39, 0x4f, 0x16, 0x57, 0x15, 0x91, 0x78, 0x4e,
		  0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, 0x2d },
		HVHOST_MSG_HEARTBEAT },
	[HVHOST_SHUTDOWN] = {
		HVHOST_SHUTDOWN, "shutdown", "Shutdown",
		{ 0x31, 0x60, 0x0b, 0x0e, 0x13, 0x52, 0x34, 0x49,
		  0x81, 0x8b, 0x38, 0xd9, 0x0c, 0xed, 0x39, 0xdb },
		HVHOST_MSG_SHUTDOWN },
	[HVHOST_TIMESYNC] = {
		HVHOST_TIMESYNC, "timesync", "Time Synchronization",
		{ 0x30, 0xe6, 0x27, 0x95, 0xae, 0xd0, 0x7b, 0x49,
		  0xad, 0xce, 0xe8, 0x0a, 0xb0, 0x17, 0x5c, 0xaf },
		HVHOST_MSG_TIMESYNC },
	[HVHOST_KVP] = {
		HVHOST_KVP, "kvp", "Key-Value Pair Exchange",
		{ 0xe7, 0xf4, 0xa0, 0xa9, 0x45, 0x5a, 0x96, 0x4d,
		  0xb8, 0x27, 0x8a, 0x84, 0x1e, 0x8c, 0x03, 0xe6 },
		HVHOST_MSG_KVPEXCHANGE },
	[HVHOST_VSS] = {
		HVHOST_VSS, "vss", "VSS",
		{ 0x29, 0x2e, 0xfa, 0x35, 0x23, 0xea, 0x36, 0x42,
		  0x96, 0xae, 0x3a, 0x6e, 0xba, 0xcb, 0xa4, 0x40 },
		HVHOST_MSG_VSS },
	[HVHOST_FCOPY] = {
		HVHOST_FCOPY, "fcopy", "Guest Service Interface",
		{ 0xe3, 0x4b, 0xd1, 0x34, 0xe4, 0xde, 0xc8, 0x41,
		  0x9a, 0xe7, 0x6b, 0x17, 0x49, 0x77, 0xc1, 0x92 },
		HVHOST_MSG_FCOPY },
};

const struct hvhost_service_info *hvhost_service_info(enum hvhost_service s)
{
	if ((unsigned int)s >= HVHOST_SERVICE_COUNT)
		return NULL;
	return &services[s];
}

int hvhost_service_by_name(const char *name)
{
	static const struct {
		const char *alias;
		enum hvhost_service s;
	} aliases[] = {
		{ "time", HVHOST_TIMESYNC },
		{ "backup", HVHOST_VSS },
		{ "guest-service", HVHOST_FCOPY },
		{ "copy", HVHOST_FCOPY },
	};
	size_t i;

	for (i = 0; i < HVHOST_SERVICE_COUNT; i++)
		if (!strcasecmp(name, services[i].name))
			return i;
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(name, aliases[i].alias))
			return aliases[i].s;
	return -ENOENT;
}

int hvhost_service_by_guid(const uint8_t guid[16])
{
	size_t i;

	for (i = 0; i < HVHOST_SERVICE_COUNT; i++)
		if (!memcmp(guid, services[i].class_guid, 16))
			return i;
	return -ENOENT;
}

/*
 * Text "aabbccdd-eeff-gghh-iijj-kkllmmnnoopp": the first three groups are
 * stored little endian on the wire, the last two byte by byte.
 */
static const int guid_order[16] = {
	3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hvhost_guid_parse(const char *str, uint8_t guid[16])
{
	uint8_t text[16];
	int i = 0, hi, lo;
	const char *p = str;

	if (strlen(str) != 36)
		return -EINVAL;
	while (*p) {
		if ((p - str == 8 || p - str == 13 || p - str == 18 ||
		     p - str == 23)) {
			if (*p++ != '-')
				return -EINVAL;
			continue;
		}
		hi = hexval(p[0]);
		lo = hexval(p[1]);
		if (hi < 0 || lo < 0 || i >= 16)
			return -EINVAL;
		text[i++] = hi << 4 | lo;
		p += 2;
	}
	for (i = 0; i < 16; i++)
		guid[guid_order[i]] = text[i];
	return 0;
}

void hvhost_guid_format(const uint8_t guid[16], char out[37])
{
	char *p = out;
	int i;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", guid[guid_order[i]]);
	}
}

/* ---- host generations (a model; see hvhost.h) ---- */

#define V(a, b)	HVHOST_VERSION(a, b)
#define LIST(a)	{ a, ARRAY_SIZE(a) }

static const uint32_t fw_all[] = { V(1, 0), V(3, 0) };
static const uint32_t hb_all[] = { V(1, 0), V(3, 0) };
static const uint32_t sd_2012[] = { V(1, 0), V(3, 0) };
static const uint32_t sd_2016[] = { V(1, 0), V(3, 0), V(3, 1), V(3, 2) };
static const uint32_t ts_2012[] = { V(1, 0), V(3, 0) };
static const uint32_t ts_2016[] = { V(1, 0), V(3, 0), V(4, 0) };
static const uint32_t kvp_all[] = { V(1, 0), V(3, 0), V(4, 0) };
static const uint32_t vss_all[] = { V(5, 0) };
static const uint32_t fcopy_all[] = { V(1, 1) };

#define WS2012_SRV \
	[HVHOST_HEARTBEAT] = LIST(hb_all), \
	[HVHOST_SHUTDOWN] = LIST(sd_2012), \
	[HVHOST_TIMESYNC] = LIST(ts_2012), \
	[HVHOST_KVP] = LIST(kvp_all)
#define WS2016_SRV \
	[HVHOST_HEARTBEAT] = LIST(hb_all), \
	[HVHOST_SHUTDOWN] = LIST(sd_2016), \
	[HVHOST_TIMESYNC] = LIST(ts_2016), \
	[HVHOST_KVP] = LIST(kvp_all), \
	[HVHOST_VSS] = LIST(vss_all), \
	[HVHOST_FCOPY] = LIST(fcopy_all)

static const struct hvhost_host_model models[HVHOST_GENERATION_COUNT] = {
	[HVHOST_WS2012] = { "ws2012", V(2, 4), LIST(fw_all),
			    { WS2012_SRV } },
	[HVHOST_WS2012R2] = { "ws2012r2", V(3, 0), LIST(fw_all),
			      { WS2012_SRV,
				[HVHOST_VSS] = LIST(vss_all),
				[HVHOST_FCOPY] = LIST(fcopy_all) } },
	[HVHOST_WS2016] = { "ws2016", V(4, 0), LIST(fw_all), { WS2016_SRV } },
	[HVHOST_WS2019] = { "ws2019", V(5, 2), LIST(fw_all), { WS2016_SRV } },
	[HVHOST_WS2022] = { "ws2022", V(5, 3), LIST(fw_all), { WS2016_SRV } },
};

const struct hvhost_host_model *hvhost_host_model(enum hvhost_generation g)
{
	if ((unsigned int)g >= HVHOST_GENERATION_COUNT)
		return NULL;
	return &models[g];
}

const struct hvhost_host_model *hvhost_host_model_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < HVHOST_GENERATION_COUNT; i++)
		if (!strcasecmp(name, models[i].name))
			return &models[i];
	return NULL;
}
