# SPDX-License-Identifier: GPL-2.0
# Target "ours-stockd": hvic's hv_utils.ko from kernel/ with Debian's stock
# daemons (hyperv-daemons) for the services that need one: our kernel side
# of the daemon ABI against the daemons every distribution ships.  Sourced
# by guest-side scripts; runs inside the test guest as root.  The module
# side is target "ours"'s; only the daemons differ.

# shellcheck source=ours.sh
. "$(dirname "${BASH_SOURCE[0]}")/ours.sh"

target_desc="hvic hv_utils.ko ($BUILD/$KVER/kernel) + Debian stock hyperv-daemons"

target_daemon() {
	case "$1" in
	kvp)	echo "/usr/sbin/hv_kvp_daemon -n" ;;
	*)	echo "" ;;
	esac
}

# The module's own behaviour is covered by the pure targets; a mixed target
# runs what concerns the module/daemon pairing.
target_suites() {
	echo "kvp_test kvp_ipconf_test kvp_fault_test lifecycle_test"
}
