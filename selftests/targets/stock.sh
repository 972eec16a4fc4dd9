# SPDX-License-Identifier: GPL-2.0
# Target "stock": Debian's own hv_utils.ko and hyperv-daemons, unmodified.
# Sourced by guest-side scripts; runs inside the test guest as root.

target_desc="Debian stock hv_utils.ko + hyperv-daemons"
export HVIC_MODULE=stock

# Path of the distribution's hv_utils module for the running kernel.
stock_module() {
	local f
	for f in "/lib/modules/$KVER/kernel/drivers/hv/hv_utils.ko" \
		 "/lib/modules/$KVER/kernel/drivers/hv/hv_utils.ko.xz"; do
		[ -e "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# Services this target implements (6.10+ dropped fcopy from hv_utils).
target_services() {
	if modinfo -F alias "$(stock_module)" | grep -q '^vmbus:e34bd134e4dec8419ae76b174977c192$'; then
		echo "heartbeat shutdown timesync kvp vss fcopy"
	else
		echo "heartbeat shutdown timesync kvp vss"
	fi
}

# Load the service driver on top of vmbus_sim.  Plain insmod: the module is
# loaded exactly as Debian ships it.  Its own dependencies (connector, ptp)
# come from the distribution's module tree.
target_load() {
	modprobe -q cn 2>/dev/null || true
	modprobe -q ptp 2>/dev/null || true
	insmod "$(stock_module)"
}

target_unload() {
	rmmod hv_utils
}

# Daemon binaries for a service ("" when the target has none).
target_daemon() {
	case "$1" in
	kvp)	echo "/usr/sbin/hv_kvp_daemon -n" ;;
	vss)	echo "/usr/sbin/hv_vss_daemon -n" ;;
	fcopy)	echo "/usr/sbin/hv_fcopy_daemon -n" ;;
	*)	echo "" ;;
	esac
}
