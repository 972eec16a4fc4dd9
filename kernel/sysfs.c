// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only status in /sys/bus/vmbus/devices/<instance>/hvic/: the files
 * every service has; a service merges its own into the same directory.
 * Documented in Documentation/ABI-sysfs-hvic.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "core.h"

static struct hvic_dev *to_hvic_dev(struct device *device)
{
	return dev_get_drvdata(device);
}

static ssize_t service_show(struct device *device,
			    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_hvic_dev(device)->ops->name);
}
static DEVICE_ATTR_RO(service);

static ssize_t hvic_version_emit(char *buf, u32 version)
{
	if (!version)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u.%u\n", HVIC_VER_MAJOR(version),
			  HVIC_VER_MINOR(version));
}

static ssize_t framework_version_show(struct device *device,
				      struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = to_hvic_dev(device);
	u32 version;

	spin_lock_bh(&dev->lock);
	version = dev->fw_version;
	spin_unlock_bh(&dev->lock);
	return hvic_version_emit(buf, version);
}
static DEVICE_ATTR_RO(framework_version);

static ssize_t service_version_show(struct device *device,
				    struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = to_hvic_dev(device);
	u32 version;

	spin_lock_bh(&dev->lock);
	version = dev->srv_version;
	spin_unlock_bh(&dev->lock);
	return hvic_version_emit(buf, version);
}
static DEVICE_ATTR_RO(service_version);

static ssize_t state_show(struct device *device,
			  struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = to_hvic_dev(device);
	enum hvic_state state;

	spin_lock_bh(&dev->lock);
	state = dev->state;
	spin_unlock_bh(&dev->lock);
	return sysfs_emit(buf, "%s\n", hvic_state_name(state));
}
static DEVICE_ATTR_RO(state);

/* For show(): a counter read under the lock that protects it. */
ssize_t hvic_emit_u64(char *buf, spinlock_t *lock, const u64 *val)
{
	u64 copy;

	spin_lock_bh(lock);
	copy = *val;
	spin_unlock_bh(lock);
	return sysfs_emit(buf, "%llu\n", copy);
}

ssize_t hvic_emit_s64(char *buf, spinlock_t *lock, const s64 *val)
{
	s64 copy;

	spin_lock_bh(lock);
	copy = *val;
	spin_unlock_bh(lock);
	return sysfs_emit(buf, "%lld\n", copy);
}

static ssize_t messages_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = to_hvic_dev(device);

	return hvic_emit_u64(buf, &dev->lock, &dev->messages);
}
static DEVICE_ATTR_RO(messages);

static ssize_t errors_show(struct device *device,
			   struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = to_hvic_dev(device);

	return hvic_emit_u64(buf, &dev->lock, &dev->errors);
}
static DEVICE_ATTR_RO(errors);

static ssize_t send_errors_show(struct device *device,
				struct device_attribute *attr, char *buf)
{
	struct hvic_dev *dev = to_hvic_dev(device);

	return hvic_emit_u64(buf, &dev->lock, &dev->send_errors);
}
static DEVICE_ATTR_RO(send_errors);

static struct attribute *hvic_attrs[] = {
	&dev_attr_service.attr,
	&dev_attr_framework_version.attr,
	&dev_attr_service_version.attr,
	&dev_attr_state.attr,
	&dev_attr_messages.attr,
	&dev_attr_errors.attr,
	&dev_attr_send_errors.attr,
	NULL
};

static const struct attribute_group hvic_group = {
	.name = "hvic",
	.attrs = hvic_attrs,
};

int hvic_sysfs_add(struct hvic_dev *dev)
{
	struct kobject *kobj = &hvic_device(dev)->kobj;
	int ret;

	ret = sysfs_create_group(kobj, &hvic_group);
	if (ret)
		return ret;
	if (dev->ops->attrs) {
		ret = sysfs_merge_group(kobj, dev->ops->attrs);
		if (ret)
			goto out_remove_group;
	}
	return 0;

out_remove_group:
	sysfs_remove_group(kobj, &hvic_group);
	return ret;
}

void hvic_sysfs_remove(struct hvic_dev *dev)
{
	struct kobject *kobj = &hvic_device(dev)->kobj;

	if (dev->ops->attrs)
		sysfs_unmerge_group(kobj, dev->ops->attrs);
	sysfs_remove_group(kobj, &hvic_group);
}
