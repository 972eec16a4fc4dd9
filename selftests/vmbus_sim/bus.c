// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim: the "vmbus" bus, its devices and the driver registration API.
 *
 * Devices look like hv_vmbus' to drivers and to user space: named by the
 * instance GUID, dev_type = class GUID, MODALIAS=vmbus:<class bytes in hex>,
 * sysfs id/class_id/device_id/modalias/state.  Matching is on the driver's
 * id_table only (no dynamic ids, no hv_sock offers).
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "internal.h"

static inline struct hv_device *to_hdev(const struct device *dev)
{
	return container_of(dev, struct hv_device, device);
}

static inline struct sim_chan *hdev_to_sim(struct hv_device *hdev)
{
	return container_of(hdev, struct sim_chan, hdev);
}

static inline struct hv_driver *to_hdrv(const struct device_driver *drv)
{
	return container_of(drv, struct hv_driver, driver);
}

static const struct hv_vmbus_device_id *
sim_match_id(const struct hv_driver *drv, const struct hv_device *hdev)
{
	const struct hv_vmbus_device_id *id = drv->id_table;

	if (!id || drv->hvsock)
		return NULL;
	for (; !guid_is_null(&id->guid); id++)
		if (guid_equal(&id->guid, &hdev->dev_type))
			return id;
	return NULL;
}

static int sim_bus_match(struct device *dev,
			 SIM_MATCH_CONST struct device_driver *drv)
{
	return !!sim_match_id(to_hdrv(drv), to_hdev(dev));
}

static int sim_bus_uevent(SIM_UEVENT_CONST struct device *dev,
			  struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "MODALIAS=vmbus:%*phN", UUID_SIZE,
			      &to_hdev(dev)->dev_type);
}

static int sim_bus_probe(struct device *dev)
{
	struct hv_driver *drv = to_hdrv(dev->driver);
	struct hv_device *hdev = to_hdev(dev);
	int ret;

	if (!drv->probe)
		return -ENODEV;
	ret = drv->probe(hdev, sim_match_id(drv, hdev));
	if (ret) {
		dev_err(dev, "probe by %s failed (%d)\n", drv->name, ret);
		return ret;
	}
	sim_chan_set_driver(hdev_to_sim(hdev), drv->name);
	return 0;
}

static void sim_bus_remove(struct device *dev)
{
	struct hv_driver *drv = to_hdrv(dev->driver);
	struct hv_device *hdev = to_hdev(dev);

	/* int on 6.1, void since 6.3: the result is ignored like hv_vmbus. */
	if (drv->remove)
		drv->remove(hdev);
	sim_chan_set_driver(hdev_to_sim(hdev), NULL);
}

static void sim_bus_shutdown(struct device *dev)
{
	struct hv_driver *drv;

	if (!dev->driver)
		return;
	drv = to_hdrv(dev->driver);
	if (drv->shutdown)
		drv->shutdown(to_hdev(dev));
}

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  to_hdev(dev)->channel->offermsg.child_relid);
}
static DEVICE_ATTR_RO(id);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_hdev(dev)->channel->state));
}
static DEVICE_ATTR_RO(state);

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_hdev(dev)->dev_type);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_hdev(dev)->dev_instance);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "vmbus:%*phN\n", UUID_SIZE,
			  &to_hdev(dev)->dev_type);
}
static DEVICE_ATTR_RO(modalias);

static struct attribute *sim_dev_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_state.attr,
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_modalias.attr,
	NULL,
};
ATTRIBUTE_GROUPS(sim_dev);

static struct bus_type sim_bus_type = {
	.name		= "vmbus",
	.match		= sim_bus_match,
	.uevent		= sim_bus_uevent,
	.probe		= sim_bus_probe,
	.remove		= sim_bus_remove,
	.shutdown	= sim_bus_shutdown,
	.dev_groups	= sim_dev_groups,
};

int __vmbus_driver_register(struct hv_driver *hv_driver, struct module *owner,
			    const char *mod_name)
{
	hv_driver->driver.name = hv_driver->name;
	hv_driver->driver.owner = owner;
	hv_driver->driver.mod_name = mod_name;
	hv_driver->driver.bus = &sim_bus_type;
	spin_lock_init(&hv_driver->dynids.lock);
	INIT_LIST_HEAD(&hv_driver->dynids.list);
	return driver_register(&hv_driver->driver);
}
EXPORT_SYMBOL_GPL(__vmbus_driver_register);

void vmbus_driver_unregister(struct hv_driver *hv_driver)
{
	driver_unregister(&hv_driver->driver);
}
EXPORT_SYMBOL_GPL(vmbus_driver_unregister);

/* Last put_device(): nothing can reach the channel any more. */
static void sim_device_release(struct device *dev)
{
	struct sim_chan *sc = hdev_to_sim(to_hdev(dev));

	sim_chan_destroy(sc);
	kfree(sc);
}

static bool sim_instance_taken_locked(const guid_t *instance)
{
	struct sim_chan *sc;
	unsigned long id;

	lockdep_assert_held(&sim.lock);
	xa_for_each(&sim.chans, id, sc)
		if (guid_equal(&sc->hdev.dev_instance, instance))
			return true;
	return false;
}

/* Allocates the channel and its id; the id is not reachable until live. */
static struct sim_chan *sim_chan_alloc(const guid_t *class,
				       const guid_t *instance)
{
	struct sim_chan *sc;
	int ret;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return ERR_PTR(-ENOMEM);
	sim_chan_init(sc);
	sc->hdev.dev_type = *class;
	sc->hdev.dev_instance = *instance;
	sc->hdev.channel = &sc->chan;
	sc->chan.device_obj = &sc->hdev;
	sc->chan.offermsg.offer.if_type = *class;
	sc->chan.offermsg.offer.if_instance = *instance;

	mutex_lock(&sim.lock);
	if (sim_instance_taken_locked(instance)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	ret = xa_alloc_cyclic(&sim.chans, &sc->id, sc, XA_LIMIT(1, S32_MAX),
			      &sim.next_id, GFP_KERNEL);
	if (ret < 0)
		goto out_unlock;
	sim.top_id = max(sim.top_id, sc->id);
	ret = 0;
out_unlock:
	mutex_unlock(&sim.lock);
	if (ret) {
		kfree(sc);
		return ERR_PTR(ret);
	}
	sc->chan.offermsg.child_relid = sc->id;
	return sc;
}

static void sim_chan_unreserve(struct sim_chan *sc)
{
	mutex_lock(&sim.lock);
	xa_erase(&sim.chans, sc->id);
	sc->live = false;
	mutex_unlock(&sim.lock);
}

/* VMBUS_SIM_OFFER: create and register a device; binding may be async. */
int sim_offer(const guid_t *class, const guid_t *instance, u32 *id)
{
	struct sim_chan *sc;
	struct device *dev;
	int ret;

	sc = sim_chan_alloc(class, instance);
	if (IS_ERR(sc))
		return PTR_ERR(sc);

	dev = &sc->hdev.device;
	device_initialize(dev);
	dev->bus = &sim_bus_type;
	dev->parent = sim.root;
	dev->release = sim_device_release;
	sc->hdev.dma_mask = DMA_BIT_MASK(64);
	dev->dma_mask = &sc->hdev.dma_mask;
	dev->coherent_dma_mask = DMA_BIT_MASK(64);
	dev->dma_parms = &sc->hdev.dma_parms;
	ret = dev_set_name(dev, "%pUl", instance);
	if (ret)
		goto out_unreserve;

	ret = device_add(dev);
	if (ret)
		goto out_unreserve;

	/* The registry's reference: dropped by sim_rescind_work(). */
	get_device(dev);
	mutex_lock(&sim.lock);
	sc->live = true;
	mutex_unlock(&sim.lock);
	*id = sc->id;
	return 0;

out_unreserve:
	sim_chan_unreserve(sc);
	put_device(dev);
	return ret;
}

struct sim_chan *sim_chan_get(u32 id)
{
	struct sim_chan *sc;

	mutex_lock(&sim.lock);
	sc = xa_load(&sim.chans, id);
	if (sc && sc->live)
		get_device(&sc->hdev.device);
	else
		sc = NULL;
	mutex_unlock(&sim.lock);
	return sc;
}

void sim_chan_put(struct sim_chan *sc)
{
	put_device(&sc->hdev.device);
}

static void sim_rescind_work(struct work_struct *work)
{
	struct sim_chan *sc = container_of(work, struct sim_chan,
					   rescind_work);

	/* Runs the driver's remove, which may wait on user space. */
	device_unregister(&sc->hdev.device);
	sim_chan_unreserve(sc);
	sim_chan_set_state(sc, VMBUS_SIM_GONE);
	/* Drop the registry's reference taken in sim_offer(). */
	sim_chan_put(sc);
}

/* Starts a rescind once; the work finishes it.  Caller holds sim.lock. */
void sim_rescind_locked(struct sim_chan *sc)
{
	lockdep_assert_held(&sim.lock);
	if (READ_ONCE(sc->state) >= VMBUS_SIM_RESCINDED)
		return;
	sim_chan_set_state(sc, VMBUS_SIM_RESCINDED);
	INIT_WORK(&sc->rescind_work, sim_rescind_work);
	queue_work(sim.wq, &sc->rescind_work);
}

/* Module unload: rescind every live channel and wait for all of them. */
void sim_rescind_all(void)
{
	struct sim_chan *sc;
	unsigned long id;

	mutex_lock(&sim.lock);
	xa_for_each(&sim.chans, id, sc)
		if (sc->live)
			sim_rescind_locked(sc);
	mutex_unlock(&sim.lock);
	flush_workqueue(sim.wq);
}

/* VMBUS_SIM_PM: run the bound driver's suspend or resume hook. */
int sim_pm(struct sim_chan *sc, u32 op)
{
	struct device *dev = &sc->hdev.device;
	struct hv_driver *drv;
	int ret;

	ret = device_lock_interruptible(dev);
	if (ret)
		return ret;
	if (READ_ONCE(sc->state) >= VMBUS_SIM_RESCINDED) {
		ret = -ENODEV;
		goto out_unlock;
	}
	/* Like hv_vmbus: an unbound device has nothing to do. */
	if (!dev->driver)
		goto out_unlock;
	drv = to_hdrv(dev->driver);
	if (op == VMBUS_SIM_PM_SUSPEND)
		ret = drv->suspend ? drv->suspend(&sc->hdev) : -EOPNOTSUPP;
	else
		ret = drv->resume ? drv->resume(&sc->hdev) : -EOPNOTSUPP;
out_unlock:
	device_unlock(dev);
	return ret;
}

int sim_bus_init(void)
{
	int ret;

	sim.root = root_device_register("vmbus_sim");
	if (IS_ERR(sim.root))
		return PTR_ERR(sim.root);
	ret = bus_register(&sim_bus_type);
	if (ret)
		goto out_unregister_root;
	return 0;

out_unregister_root:
	root_device_unregister(sim.root);
	return ret;
}

void sim_bus_exit(void)
{
	bus_unregister(&sim_bus_type);
	root_device_unregister(sim.root);
}
