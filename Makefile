# SPDX-License-Identifier: GPL-2.0
#
# hvic: Hyper-V integration services for Linux guests.
#
#   make deps    install what the build and the test rig need (idempotent)
#   make         build the rig (vmbus_sim, hvhost, VM images) for each kernel
#   make check   unit tests + conformance suite on every kernel; last line
#                "N passed, N failed[, N skipped]"
#   make demo    boot a guest and let a simulated Hyper-V host drive it
#   make bench   KVP benchmark, ours against stock, printed as ratios
#
#   make modules build our hv_utils.ko (kernel/) for each kernel
#   make install install it for the running kernel, with the udev rule
#
# Kernels are discovered (selftests/vm/kernels), never hard-coded; KVERS=
# overrides the list, TARGETS= the implementations tested: stock (Debian's
# hv_utils.ko + hyperv-daemons), ours, and ours-stockd (our module with
# Debian's daemons).

TOP	:= $(abspath .)
BUILD	?= $(TOP)/build
KVERS	?= $(shell $(TOP)/selftests/vm/kernels 2>/dev/null)
TARGETS	?= stock ours ours-stockd stock-hvicd
V	?= 0
BENCH_TARGETS ?= stock ours

export TOP BUILD V

SUBMAKE	= $(MAKE) --no-print-directory

.PHONY: all deps modules rig check demo bench install style clean help

all: modules rig

help:
	@sed -n '3,16p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/selftests/vm/deps

modules: deps
	@set -e; for k in $(KVERS); do $(SUBMAKE) -C kernel KVER=$$k; done

install:
	@$(SUBMAKE) -C kernel install

style: deps
	@$(TOP)/selftests/kernel-checks --kernels ""

rig: deps modules
	@$(SUBMAKE) -C tools
	@$(SUBMAKE) -C selftests/hvhost
	@$(SUBMAKE) -C selftests/conformance
	@$(SUBMAKE) -C selftests/bench
	@set -e; for k in $(KVERS); do \
		$(SUBMAKE) -C selftests/vmbus_sim KVER=$$k; \
		$(SUBMAKE) -C selftests/vm KVER=$$k; \
	done

check: rig
	@$(TOP)/selftests/run-all --kernels "$(KVERS)" --targets "$(TARGETS)"

demo: rig
	@$(TOP)/selftests/demo --kernel "$(firstword $(KVERS))"

bench: rig
	@$(TOP)/selftests/bench/run --kernel "$(firstword $(KVERS))" --targets "$(BENCH_TARGETS)"

clean:
	rm -rf $(BUILD)
