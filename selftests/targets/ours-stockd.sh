# SPDX-License-Identifier: GPL-2.0
# Target "ours-stockd": hvic's hv_utils.ko from kernel/ with Debian's stock
# daemons (hyperv-daemons) for the services that need one: our kernel side
# of the daemon ABI against the daemons every distribution ships.  Sourced
# by guest-side scripts; runs inside the test guest as root.

target_desc="hvic hv_utils.ko ($BUILD/$KVER/kernel) + Debian stock hyperv-daemons"
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

# Daemon binaries for a service ("" when the target has none).
target_daemon() {
	case "$1" in
	kvp)	echo "/usr/sbin/hv_kvp_daemon -n" ;;
	*)	echo "" ;;
	esac
}

# The module's own behaviour is covered by the pure targets; a mixed target
# runs what concerns the module/daemon pairing.
target_suites() {
	echo "kvp_test kvp_fault_test lifecycle_test"
}
