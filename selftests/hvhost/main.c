// SPDX-License-Identifier: GPL-2.0
/* hvhost: play the Hyper-V host against guest IC drivers over vmbus_sim. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *desc;
} subcommands[] = {
	{ "vm", cmd_vm, "offer/rescind IC channels, show their status (Get-VM)" },
	{ "negotiate", cmd_negotiate, "negotiate a service's IC versions" },
	{ "heartbeat", cmd_heartbeat, "send heartbeats, check seq + 1 comes back" },
	{ "stop", cmd_stop, "shut down, reboot or hibernate the guest (Stop-VM)" },
	{ "time", cmd_time, "send a time sync or sample" },
	{ "kvp", cmd_kvp, "key-value pair exchange: get/set/delete/list, ip" },
	{ "backup", cmd_backup, "VSS: freeze, thaw, hot-backup, dm-info" },
	{ "copy-file", cmd_copy_file, "copy a file into the guest (Copy-VMFile)" },
};

static void show_usage(FILE *f, const char *prog)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<args>]\n\nCommands:\n", prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].desc);
	fprintf(f, "\n'%s <command> --help' describes a command.\n", prog);
}

int main(int argc, char **argv)
{
	size_t i;

	argv[0] = "hvhost";
	if (argc < 2) {
		show_usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		show_usage(stdout, argv[0]);
		return 0;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", argv[0], argv[1]);
	show_usage(stderr, argv[0]);
	return EXIT_USAGE;
}
