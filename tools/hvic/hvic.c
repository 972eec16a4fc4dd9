// SPDX-License-Identifier: GPL-2.0
/*
 * hvic: the guest's command line for the Hyper-V integration services.
 */
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

const char *prog;

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *description;
} subcommands[] = {
	{ "kvp", kvp_main, "Read, write and watch the key/value pairs shared with the host" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<args>]\n\nCommands:\n", prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-6s %s\n", subcommands[i].name, subcommands[i].description);
	fprintf(f, "\n\"%s <command> --help\" describes a command.\n"
		   "Exit status: 0 ok, 1 not found, 2 usage, 3 I/O error.\n", prog);
}

int main(int argc, char **argv)
{
	size_t i;

	prog = argv[0] && strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : "hvic";
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command \"%s\"\n", prog, argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
