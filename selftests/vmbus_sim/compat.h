/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbus_sim: the only place that knows kernel versions.
 *
 * The rest of the module is written against the newest driver-core API; the
 * few signatures that changed between the kernels we test on are spelled
 * through the macros below.
 */
#ifndef VMBUS_SIM_COMPAT_H
#define VMBUS_SIM_COMPAT_H

#include <linux/version.h>

/* bus_type.match takes a const driver since 6.11. */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define SIM_MATCH_CONST const
#else
#define SIM_MATCH_CONST
#endif

/* bus_type.uevent takes a const device since 6.3. */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define SIM_UEVENT_CONST const
#else
#define SIM_UEVENT_CONST
#endif

/*
 * hv_driver.remove returns void since 6.3 (int before).  The bus ignores
 * the result either way, as hv_vmbus does; only a driver defining the
 * callback (testdrv.c) needs to know.
 */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define SIM_HV_REMOVE_RETURNS_VOID 1
#endif

#endif /* VMBUS_SIM_COMPAT_H */
