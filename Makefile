# SPDX-License-Identifier: GPL-2.0
#
# hvic: Hyper-V integration services for Linux guests.
#
#   make deps    install what the build and the test rig need (idempotent)
#   make         build the rig (vmbus_sim, hvhost, VM images) for each kernel
#   make check   unit tests + conformance suite on every kernel; last line
#                "N passed, N failed[, N skipped]"
#   make demo    boot a guest and let a simulated Hyper-V host drive it
#
# Kernels are discovered (selftests/vm/kernels), never hard-coded; KVERS=
# overrides the list, TARGETS= the implementations tested (stock).

TOP	:= $(abspath .)
BUILD	?= $(TOP)/build
KVERS	?= $(shell $(TOP)/selftests/vm/kernels 2>/dev/null)
TARGETS	?= stock
V	?= 0

export TOP BUILD V

SUBMAKE	= $(MAKE) --no-print-directory

.PHONY: all deps rig check unit conformance demo clean help

all: rig

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/selftests/vm/deps

rig: deps
	@$(SUBMAKE) -C selftests/hvhost
	@$(SUBMAKE) -C selftests/conformance
	@set -e; for k in $(KVERS); do \
		$(SUBMAKE) -C selftests/vmbus_sim KVER=$$k; \
		$(SUBMAKE) -C selftests/vm KVER=$$k; \
	done

check: rig
	@$(TOP)/selftests/run-all --kernels "$(KVERS)" --targets "$(TARGETS)"

demo: rig
	@$(TOP)/selftests/demo --kernel "$(firstword $(KVERS))"

clean:
	rm -rf $(BUILD)
