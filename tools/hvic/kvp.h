/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the "hvic kvp" subcommands. */
#ifndef HVIC_CLI_KVP_H
#define HVIC_CLI_KVP_H

#include <stdbool.h>
#include <stdio.h>

#include "pool.h"

#define POOL_ALL	-1

struct kvp_opts {
	int pool;		/* 0..4, or POOL_ALL */
	bool json;
	const char *dir;	/* pool directory */
	long count;		/* watch: stop after this many changes */
	int argc;		/* operands left */
	char **argv;
};

/*
 * Parse --pool, --json, --dir and --help for a subcommand.  def_pool: the
 * default pool; all_ok: whether "--pool all" is allowed.  Returns -1 when
 * parsing went fine, else the exit code to return (help printed: 0).
 */
int kvp_parse(int argc, char **argv, int def_pool, bool all_ok, const char *usage,
	      struct kvp_opts *o);
const char *kvp_pool_name(int pool);
/* Open a pool for reading (rdonly) or writing; prints the error. */
int kvp_open(const struct kvp_opts *o, int pool, bool write, struct hvic_pool **p);
/* Exit code for a library error (-ENOENT: not found, else I/O). */
int kvp_exit_code(int err);
/* A JSON string (quotes included); bytes that aren't UTF-8 become U+FFFD. */
void json_str(FILE *f, const char *s);
/* Check a key/value for set; prints why not.  0 or EXIT_USAGE. */
int kvp_check(const char *key, const char *value);

#endif
