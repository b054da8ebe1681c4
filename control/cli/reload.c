/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `reload [FILE]` (and SIGHUP): the running configuration made that of a
 * file, the --config one by default, by running only the changes
 * vx_cfg_diff finds between the two. Whatever the diff does not name is
 * never touched: an unchanged link is not deleted and added again, its
 * learned entries and its traffic go on.
 *
 * The file is read and checked whole first (every line must be a
 * configuration line; nothing configured twice); then the changes run in
 * order through the command layer, each validated as any command is. If
 * one fails, those already made are undone in reverse order (removed
 * entries added again, added ones removed), so a reload changes all or
 * nothing, save for what no line can restore: entries a removed link had
 * learned.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/log.h"

#define RELOAD_MAX_BYTES (1u << 30)

/* The whole file, NUL-terminated. */
static int
read_all(const char *path, char **text, struct vx_out *err)
{
	struct stat st;
	size_t off = 0;
	int fd, ret = 0;
	char *b;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vx_err(err, -errno, "reload %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_size > RELOAD_MAX_BYTES) {
		close(fd);
		return vx_err(err, -EFBIG, "reload %s: not a readable file of at most 1 GiB", path);
	}
	b = malloc(st.st_size + 1);
	while (b != NULL && off < (size_t)st.st_size) {
		ssize_t n = read(fd, b + off, st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = vx_err(err, n < 0 ? -errno : -EIO, "reload %s: read: %s", path,
				     n < 0 ? strerror(errno) : "file shrank");
			break;
		}
		off += n;
	}
	close(fd);
	if (b == NULL)
		return vx_err(err, -ENOMEM, "reload %s: out of memory", path);
	if (ret < 0) {
		free(b);
		return ret;
	}
	b[off] = '\0';
	*text = b;
	return 0;
}

/* One command line through the command layer (removals may remove static data). */
static int
run_line(struct vx_ctl *c, vx_cli_exec_fn exec, const char *line, struct vx_out *eo)
{
	char *buf = strdup(line), *argv[VX_CLI_MAX_WORDS + 1];
	int argc, ret;

	vx_out_reset(eo);
	if (buf == NULL)
		return vx_err(eo, -ENOMEM, "out of memory");
	argc = vx_cli_split(buf, argv, VX_CLI_MAX_WORDS);
	if (argc <= 0)
		ret = vx_err(eo, -EINVAL, "bad command \"%s\"", line);
	else
		ret = exec(c, argc, argv, VX_CMD_FORCE, eo);
	free(buf);
	return ret;
}

/* Undo changes [0, done) in reverse order; how many undo lines failed. */
static unsigned int
undo(struct vx_ctl *c, vx_cli_exec_fn exec, const struct vx_cfg_diff *d, unsigned int done)
{
	struct vx_out eo = {0};
	unsigned int bad = 0;

	for (unsigned int k = done; k-- > 0;) {
		char *lines = strdup(d->ch[k].undo), *save = NULL;

		for (char *l = lines != NULL ? strtok_r(lines, "\n", &save) : NULL; l != NULL;
		     l = strtok_r(NULL, "\n", &save)) {
			if (run_line(c, exec, l, &eo) == 0)
				continue;
			bad++;
			VX_LOG(ERR, "reload: undo \"%s\": %s", l, eo.buf ? eo.buf : "failed");
		}
		bad += lines == NULL;
		free(lines);
	}
	vx_out_free(&eo);
	return bad;
}

/* The bare reason of a command's "error: ...\n". */
static const char *
reason(const struct vx_out *eo)
{
	const char *m = eo->buf != NULL ? eo->buf : "failed";

	return strncmp(m, "error: ", 7) == 0 ? m + 7 : m;
}

/* Run d's changes; on a failure undo them and say which line of path failed. */
static int
apply(struct vx_ctl *c, vx_cli_exec_fn exec, const struct vx_cfg_diff *d, const char *path,
      struct vx_out *out)
{
	struct vx_out eo = {0};
	unsigned int k, bad;
	int ret = 0;

	for (k = 0; k < d->n && ret == 0; k++)
		ret = run_line(c, exec, d->ch[k].cmd, &eo);
	if (ret == 0) {
		vx_out_free(&eo);
		return 0;
	}
	k--;
	bad = undo(c, exec, d, k);
	if (d->ch[k].lineno > 0)
		vx_err(out, ret, "reload %s:%d: %.*s%s", path, d->ch[k].lineno,
		       (int)strcspn(reason(&eo), "\n"), reason(&eo),
		       bad ? "; undoing the changes before it failed too (see the log)"
			   : "; the changes before it were undone");
	else
		vx_err(out, ret, "reload %s: %s: %.*s%s", path, d->ch[k].cmd,
		       (int)strcspn(reason(&eo), "\n"), reason(&eo),
		       bad ? "; undoing the changes before it failed too (see the log)"
			   : "; the changes before it were undone");
	vx_out_free(&eo);
	return ret;
}

int
vx_cfg_reload(struct vx_ctl *c, const char *path, struct vx_out *out, vx_cli_exec_fn exec)
{
	struct vx_out run = {0};
	struct vx_cfg_diff d;
	char *text = NULL;
	int ret;

	if (path == NULL)
		path = c->config_path != NULL ? c->config_path : VX_DEFAULT_CONFIG;
	ret = read_all(path, &text, out);
	if (ret == 0) {
		vx_cli_config(c, &run);
		ret = vx_cfg_diff(run.buf != NULL ? run.buf : "", text, path, &d, out);
		if (ret < 0) {
			char *m = strdup(reason(out));

			vx_err(out, ret, "reload %.*s", m != NULL ? (int)strcspn(m, "\n") : 0,
			       m != NULL ? m : "");
			free(m);
		}
	}
	if (ret == 0) {
		ret = apply(c, exec, &d, path, out);
		if (ret == 0)
			vx_out_printf(out,
				      "reload %s: %u removed, %u added, %u changed in place, %u "
				      "ports renamed\n",
				      path, d.n_del, d.n_add, d.n_set, d.n_rename);
		vx_cfg_diff_free(&d);
	}
	if (ret == 0)
		VX_LOG(NOTICE, "%.*s", (int)strcspn(out->buf, "\n"), out->buf);
	else
		VX_LOG(ERR, "%.*s", (int)strcspn(reason(out), "\n"), reason(out));
	vx_out_free(&run);
	free(text);
	return ret;
}
