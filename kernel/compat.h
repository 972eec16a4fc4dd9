/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place that knows about kernel versions.  Force-included into
 * every file (see Kbuild); the rest of the driver is written against the
 * newest kernel API.  Features are detected by probing the headers in
 * Kbuild (the COMPAT_* defines), not by version numbers.
 *
 * When merged into the kernel tree this file goes away, and with it the
 * HVIC_COMPAT_* names (each is the plain function on a current kernel).
 */
#ifndef HVIC_COMPAT_H
#define HVIC_COMPAT_H

#ifndef HVIC_VERSION
#define HVIC_VERSION "0.1"
#endif

/*
 * hv_driver.remove returns void since 6.3; before, it returned an int that
 * the bus ignored.  The driver is written with the void one.
 */
struct hv_device;
void hvic_remove(struct hv_device *hdev);

#ifdef COMPAT_HV_REMOVE_RETURNS_INT
static inline int hvic_compat_remove(struct hv_device *hdev)
{
	hvic_remove(hdev);
	return 0;
}

#define HVIC_COMPAT_REMOVE	hvic_compat_remove
#else
#define HVIC_COMPAT_REMOVE	hvic_remove
#endif

#endif /* HVIC_COMPAT_H */
