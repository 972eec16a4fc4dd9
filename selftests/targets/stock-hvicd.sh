# SPDX-License-Identifier: GPL-2.0
# Target "stock-hvicd": Debian's own hv_utils.ko with hvic's KVP daemon
# (tools/kvpd) in place of hv_kvp_daemon; Debian's daemons for VSS and
# fcopy.  Sourced by guest-side scripts; runs inside the test guest as root.
# The module side is target "stock"'s; only the KVP daemon differs.

# shellcheck source=stock.sh
. "$(dirname "${BASH_SOURCE[0]}")/stock.sh"

target_desc="Debian stock hv_utils.ko + hvic-kvpd ($BUILD/tools) + stock VSS/fcopy daemons"

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
	echo "kvp_test kvp_ipconf_test kvp_fault_test lifecycle_test"
}
