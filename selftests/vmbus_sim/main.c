// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim: test-only stand-in for hv_vmbus.
 *
 * Registers the "vmbus" bus and exports the hv_vmbus API that the
 * integration-service drivers import, so that an unmodified hv_utils.ko
 * binds to devices offered from user space through /dev/vmbus_sim (see
 * vmbus_sim.h).  It also provides hv_read_reference_counter, which timesync
 * calls and which only a real Hyper-V guest has.  Never load it next to a
 * real hv_vmbus.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <asm/mshyperv.h>

#include "internal.h"

struct vmbus_sim sim = {
	.lock	= __MUTEX_INITIALIZER(sim.lock),
	.chans	= XARRAY_INIT(sim.chans, XA_FLAGS_ALLOC1),
};

/* VSS refuses hosts older than Win8.1; VMBUS_SIM_CONFIG can change it. */
__u32 vmbus_proto_version = VERSION_WIN10_V5_3;
EXPORT_SYMBOL_GPL(vmbus_proto_version);

/* The value hv_read_reference_counter had before we took it over. */
static u64 (*sim_saved_ref_counter)(void);

/* Hyper-V reference time: 100 ns units, monotonic. */
u64 sim_reference_time(void)
{
	return div_u64(ktime_get_ns(), 100);
}

static int __init sim_init(void)
{
	int ret;

	sim.wq = alloc_workqueue("vmbus_sim", WQ_UNBOUND, 0);
	if (!sim.wq)
		return -ENOMEM;
	ret = sim_bus_init();
	if (ret)
		goto out_destroy_wq;
	ret = sim_ctl_init();
	if (ret)
		goto out_bus_exit;

	sim_saved_ref_counter = hv_read_reference_counter;
	hv_read_reference_counter = sim_reference_time;
	return 0;

out_bus_exit:
	sim_bus_exit();
out_destroy_wq:
	destroy_workqueue(sim.wq);
	return ret;
}

static void __exit sim_exit(void)
{
	hv_read_reference_counter = sim_saved_ref_counter;
	sim_ctl_exit();
	/* No file is open (fops owner), so only rescinds can be running. */
	sim_rescind_all();
	sim_bus_exit();
	destroy_workqueue(sim.wq);
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_DESCRIPTION("Test-only VMBus stand-in for hv_utils (hvic selftests)");
MODULE_LICENSE("GPL");
