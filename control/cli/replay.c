/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * replay: a file of vxctl lines (a saved configuration, `--config`) run
 * through the command layer line by line, stopping at the first error,
 * whose message names the file and the line. A line ending in a backslash
 * continues on the next; a line may start with "vxctl".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int
vx_cli_replay(struct vx_ctl *c, const char *path, int *lineno, struct vx_out *err)
{
	char *line = NULL, *argv[VX_CLI_MAX_WORDS + 1];
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int ret = 0, argc;
	bool was = c->replaying;

	*lineno = 0;
	f = fopen(path, "r");
	if (f == NULL)
		return vx_err(err, -errno, "%s: %s", path, strerror(errno));
	c->replaying = true;
	while ((n = getline(&line, &cap, f)) >= 0) {
		(*lineno)++;
		/* A line ending in a backslash continues on the next one, as in a shell. */
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (n > 0 && line[n - 1] == '\\') {
			char *more = NULL;
			size_t mcap = 0;
			ssize_t m = getline(&more, &mcap, f);
			char *nl;

			line[--n] = ' ';
			if (m < 0) {
				free(more);
				break;
			}
			(*lineno)++;
			nl = realloc(line, n + 1 + m + 1);
			if (nl == NULL) {
				free(more);
				break;
			}
			line = nl;
			cap = n + 1 + m + 1;
			memcpy(line + n + 1, more, m + 1);
			n += 1 + m;
			free(more);
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
		}
		argc = vx_cli_split(line, argv, RTE_DIM(argv) - 1);
		if (argc < 0) {
			ret = vx_err(err, -E2BIG, "%s:%d: too many words", path, *lineno);
			break;
		}
		if (argc == 0)
			continue;
		/* A saved line may start with "vxctl" (copied from a shell). */
		if (strcmp(argv[0], "vxctl") == 0) {
			memmove(argv, argv + 1, (argc - 1) * sizeof(argv[0]));
			argc--;
			if (argc == 0)
				continue;
		}
		vx_out_reset(err);
		ret = vx_cli_exec(c, argc, argv, 0, err);
		if (ret < 0) {
			struct vx_out m = {0};

			vx_out_printf(&m, "%s:%d: %s", path, *lineno,
				      err->buf != NULL ? err->buf : "error\n");
			vx_out_reset(err);
			vx_out_printf(err, "%s", m.buf);
			vx_out_free(&m);
			break;
		}
	}
	if (ret == 0)
		vx_out_reset(err);
	free(line);
	fclose(f);
	c->replaying = was;
	return ret;
}
