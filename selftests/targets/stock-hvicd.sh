# SPDX-License-Identifier: GPL-2.0
# Target "stock-hvicd": Debian's own hv_utils.ko with hvic's KVP daemon
# (tools/kvpd) in place of hv_kvp_daemon; Debian's daemons for VSS and
# fcopy.  Sourced by guest-side scripts; runs inside the test guest as root.

target_desc="Debian stock hv_utils.ko + hvic-kvpd ($BUILD/tools) + stock VSS/fcopy daemons"
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

target_load() {
	modprobe -q cn 2>/dev/null || true
	modprobe -q ptp 2>/dev/null || true
	insmod "$(stock_module)"
}

target_unload() {
	rmmod hv_utils
}

target_daemon() {
	case "$1" in
	kvp)	echo "$BUILD/tools/hvic-kvpd -n" ;;
	vss)	echo "/usr/sbin/hv_vss_daemon -n" ;;
	fcopy)	echo "/usr/sbin/hv_fcopy_daemon -n" ;;
	*)	echo "" ;;
	esac
}

# The module's own behaviour is covered by the pure targets; a mixed target
# runs what concerns the module/daemon pairing.
target_suites() {
	echo "kvp_test kvp_fault_test lifecycle_test"
}
