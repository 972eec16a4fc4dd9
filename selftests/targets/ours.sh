# SPDX-License-Identifier: GPL-2.0
# Target "ours": hvic's hv_utils.ko from kernel/ (heartbeat, shutdown and
# time sync and KVP, served by hvic-kvpd).  Sourced by guest-side scripts; runs inside
# the test guest as root.

target_desc="hvic hv_utils.ko ($BUILD/$KVER/kernel)"
export HVIC_MODULE=ours

target_services() {
	echo "heartbeat shutdown timesync kvp"
}

# PTP first: the module imports ptp_clock_register.
target_load() {
	modprobe -q ptp 2>/dev/null || true
	insmod "$BUILD/$KVER/kernel/hv_utils.ko"
}

target_unload() {
	rmmod hv_utils
}

target_daemon() {
	case "$1" in
	kvp)	echo "$BUILD/tools/hvic-kvpd -n" ;;
	*)	echo "" ;;
	esac
}
