/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVIC_SUBCOMMANDS_H
#define HVIC_SUBCOMMANDS_H

extern const char *prog;

/* Exit codes of every subcommand. */
#define EXIT_OK		0
#define EXIT_NOTFOUND	1
#define EXIT_USAGE	2
#define EXIT_IO		3

int kvp_main(int argc, char **argv);

/* hvic kvp ... */
int kvp_get_main(int argc, char **argv);
int kvp_set_main(int argc, char **argv);
int kvp_delete_main(int argc, char **argv);
int kvp_list_main(int argc, char **argv);
int kvp_watch_main(int argc, char **argv);

#endif
