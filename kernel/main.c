// SPDX-License-Identifier: GPL-2.0
/*
 * hv_utils: Hyper-V integration services for Linux guests.
 *
 * Only registration lives here: which services we bind and the driver
 * itself.  Everything a service has in common is in core.c, negotiate.c
 * and device.c; each service is one file.
 */
#include <linux/hyperv.h>
#include <linux/module.h>

#include "core.h"

static const struct hvic_service_ops *const hvic_services[] = {
	&hvic_heartbeat_ops,
	&hvic_shutdown_ops,
	&hvic_timesync_ops,
	&hvic_kvp_ops,
};

/* The same aliases as upstream hv_utils, for the services we have. */
static const struct hv_vmbus_device_id hvic_id_table[] = {
	{ HV_HEART_BEAT_GUID },
	{ HV_SHUTDOWN_GUID },
	{ HV_TS_GUID },
	{ HV_KVP_GUID },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, hvic_id_table);

/*
 * Map the device's class id to its service.  Not via driver_data: an id
 * added through the bus' new_id file carries none.
 */
static int hvic_bus_probe(struct hv_device *hdev,
			  const struct hv_vmbus_device_id *id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvic_services); i++) {
		if (guid_equal(&hdev->dev_type, &hvic_services[i]->guid))
			return hvic_probe(hdev, hvic_services[i]);
	}
	return -ENODEV;
}

static struct hv_driver hvic_driver = {
	.name = KBUILD_MODNAME,
	.id_table = hvic_id_table,
	.probe = hvic_bus_probe,
	.remove = HVIC_COMPAT_REMOVE,
	.suspend = hvic_suspend,
	.resume = hvic_resume,
	.driver = {
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

static int __init hvic_init(void)
{
	return vmbus_driver_register(&hvic_driver);
}

static void __exit hvic_exit(void)
{
	vmbus_driver_unregister(&hvic_driver);
}

module_init(hvic_init);
module_exit(hvic_exit);

MODULE_DESCRIPTION("Hyper-V integration services: heartbeat, shutdown, time sync, KVP");
MODULE_VERSION(HVIC_VERSION);
MODULE_LICENSE("GPL");
