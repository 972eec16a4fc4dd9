# SPDX-License-Identifier: GPL-2.0
# Shared by the guest-side scripts: environment and bring-up of vmbus_sim plus
# a target implementation.  Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KVER=$(uname -r)
BUILD=${BUILD:-$TOP/build}
BIN=$BUILD/conformance
HVHOST=$BUILD/hvhost/hvhost

# rig_up TARGET: load vmbus_sim and the target's module.
rig_up() {
	# shellcheck source=../targets/stock.sh
	. "$TOP/selftests/targets/$1.sh" || return 1
	export HVIC_TARGET=$1 HVIC_TOP=$TOP HVIC_BUILD=$BUILD KVER
	insmod "$BUILD/$KVER/vmbus_sim/vmbus_sim.ko" || return 1
	target_load
}
