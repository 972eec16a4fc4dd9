// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim_testdrv: a bare VMBus driver for vmbus_sim's own tests.
 *
 * Stock hv_utils always reads with big buffers and drains the ring in its
 * callback, so it cannot show vmbus_recvpacket's empty/ENOBUFS/truncation
 * results or a full ring.  This driver binds VMBUS_SIM_TESTDRV_GUID, opens
 * small rings with a small max_pkt_size, never reads in its callback, and
 * lets the test read and send from user space through debugfs:
 *
 *   vmbus_sim_testdrv/<instance>/bufsize    buffer size for the next read
 *   vmbus_sim_testdrv/<instance>/recv       read: one vmbus_recvpacket(),
 *                                           "ret actual reqid hexdata\n"
 *   vmbus_sim_testdrv/<instance>/send       write: one vmbus_sendpacket()
 *                                           (request id 0x77) or its error
 *   vmbus_sim_testdrv/<instance>/callbacks  callbacks run so far
 */
#include <linux/debugfs.h>
#include <linux/hyperv.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "compat.h"

/* c1a55e5f-7e57-4d72-b0b5-0123456789ab */
#define VMBUS_SIM_TESTDRV_GUID						\
	GUID_INIT(0xc1a55e5f, 0x7e57, 0x4d72, 0xb0, 0xb5, 0x01, 0x23,	\
		  0x45, 0x67, 0x89, 0xab)

#define TESTDRV_REQ_ID		0x77
#define TESTDRV_MAX_BUF		(64 * 1024)

static unsigned int ring_pages = 1;
module_param(ring_pages, uint, 0444);
MODULE_PARM_DESC(ring_pages, "data pages per ring (header page added)");

static unsigned int max_pkt = 256;
module_param(max_pkt, uint, 0444);
MODULE_PARM_DESC(max_pkt, "channel max_pkt_size set before vmbus_open");

struct testdrv {
	struct hv_device *hdev;
	struct dentry *dir;
	u32 bufsize;		/* debugfs-owned */
	atomic_t callbacks;	/* bumped by the channel tasklet */
};

static struct dentry *testdrv_root;

static void testdrv_callback(void *context)
{
	struct testdrv *td = context;

	atomic_inc(&td->callbacks);
}

static ssize_t testdrv_recv_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct testdrv *td = file->private_data;
	u32 size = min_t(u32, READ_ONCE(td->bufsize), TESTDRV_MAX_BUF);
	u32 actual = 0, len, i;
	u64 reqid = 0;
	char *out;
	u8 *buf;
	ssize_t ret;
	int err;

	if (*ppos)
		return 0;
	buf = kzalloc(size ? size : 1, GFP_KERNEL);
	out = kzalloc(3 * 64 + 64, GFP_KERNEL);
	if (!buf || !out) {
		ret = -ENOMEM;
		goto out_free;
	}
	err = vmbus_recvpacket(td->hdev->channel, buf, size, &actual, &reqid);
	len = scnprintf(out, 64, "%d %u %llu ", err, actual, reqid);
	for (i = 0; !err && i < min_t(u32, actual, 64); i++)
		len += scnprintf(out + len, 4, "%02x", buf[i]);
	out[len++] = '\n';
	ret = simple_read_from_buffer(ubuf, count, ppos, out, len);
out_free:
	kfree(out);
	kfree(buf);
	return ret;
}

static ssize_t testdrv_send_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct testdrv *td = file->private_data;
	void *buf;
	int err;

	if (count > TESTDRV_MAX_BUF)
		return -EMSGSIZE;
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = vmbus_sendpacket(td->hdev->channel, buf, count, TESTDRV_REQ_ID,
			       VM_PKT_DATA_INBAND, 0);
	kfree(buf);
	return err ? err : count;
}

static const struct file_operations testdrv_recv_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= testdrv_recv_read,
};

static const struct file_operations testdrv_send_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= testdrv_send_write,
};

static int testdrv_open(struct testdrv *td)
{
	u32 size = (ring_pages + 1) * PAGE_SIZE;

	td->hdev->channel->max_pkt_size = max_pkt;
	return vmbus_open(td->hdev->channel, size, size, NULL, 0,
			  testdrv_callback, td);
}

static int testdrv_probe(struct hv_device *hdev,
			 const struct hv_vmbus_device_id *id)
{
	struct testdrv *td;
	int ret;

	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return -ENOMEM;
	td->hdev = hdev;
	td->bufsize = 64;
	hv_set_drvdata(hdev, td);
	ret = testdrv_open(td);
	if (ret)
		goto out_free;

	td->dir = debugfs_create_dir(dev_name(&hdev->device), testdrv_root);
	debugfs_create_u32("bufsize", 0600, td->dir, &td->bufsize);
	debugfs_create_atomic_t("callbacks", 0400, td->dir, &td->callbacks);
	debugfs_create_file("recv", 0400, td->dir, td, &testdrv_recv_fops);
	debugfs_create_file("send", 0200, td->dir, td, &testdrv_send_fops);
	return 0;

out_free:
	kfree(td);
	return ret;
}

static void testdrv_teardown(struct hv_device *hdev)
{
	struct testdrv *td = hv_get_drvdata(hdev);

	debugfs_remove_recursive(td->dir);
	vmbus_close(hdev->channel);
	kfree(td);
}

#ifdef SIM_HV_REMOVE_RETURNS_VOID
static void testdrv_remove(struct hv_device *hdev)
{
	testdrv_teardown(hdev);
}
#else
static int testdrv_remove(struct hv_device *hdev)
{
	testdrv_teardown(hdev);
	return 0;
}
#endif

static int testdrv_suspend(struct hv_device *hdev)
{
	vmbus_close(hdev->channel);
	return 0;
}

static int testdrv_resume(struct hv_device *hdev)
{
	return testdrv_open(hv_get_drvdata(hdev));
}

static const struct hv_vmbus_device_id testdrv_ids[] = {
	{ .guid = VMBUS_SIM_TESTDRV_GUID },
	{ },
};

static struct hv_driver testdrv_driver = {
	.name		= "vmbus_sim_testdrv",
	.id_table	= testdrv_ids,
	.probe		= testdrv_probe,
	.remove		= testdrv_remove,
	.suspend	= testdrv_suspend,
	.resume		= testdrv_resume,
};

static int __init testdrv_init(void)
{
	int ret;

	testdrv_root = debugfs_create_dir("vmbus_sim_testdrv", NULL);
	ret = vmbus_driver_register(&testdrv_driver);
	if (ret)
		debugfs_remove_recursive(testdrv_root);
	return ret;
}

static void __exit testdrv_exit(void)
{
	vmbus_driver_unregister(&testdrv_driver);
	debugfs_remove_recursive(testdrv_root);
}

module_init(testdrv_init);
module_exit(testdrv_exit);

MODULE_DESCRIPTION("Bare VMBus driver for vmbus_sim's own tests");
MODULE_LICENSE("GPL");
