/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command grammar: the input is lines of vxctl commands, run through
 * vx_cli_exec() on a switch with three ports, an underlay address of each
 * family, two links (one IPv4 with a port attached, one IPv6 with proxy),
 * a flood-list entry and a neighbour. A control poll follows each line.
 *
 * What must hold besides the sanitizers:
 *   - a command that fails says why ("error: ..." in its output);
 *   - the running configuration (vx_cli_config(), what `save` writes)
 *     replays without an error on a fresh switch (vx_cli_replay(), what
 *     the daemon does at start) and gives the same configuration again:
 *     a restart keeps every piece of static state.
 * `save` lines are skipped: they write files. At most FZ_CLI_LINES lines.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "fuzz_env.h"

#define FZ_CLI_LINES 48
#define FZ_CLI_LINE  1024

static const char *const script[] = {
	"addr add 198.51.100.1/24 dev eth0",
	"addr add 2001:db8:1::1/64 dev eth0",
	"link add vxlan10 type vxlan id 10 local 198.51.100.1 dev eth0",
	"link add vxlan20 type vxlan id 20 local 2001:db8:1::1 proxy",
	"link set dev eth1 master vxlan10",
	"link set dev eth1 master vxlan20 vlan 20",
	"fdb append 00:00:00:00:00:00 dev vxlan10 dst 198.51.100.2",
	"neigh add 198.51.100.2 lladdr 02:aa:00:00:00:02 dev eth0",
	NULL,
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return fz_init();
}

/* Is this line a `save` (leading options skipped, as vx_cli_exec does)? */
static bool
is_save(char **argv, int argc)
{
	int i = 0;

	while (i < argc && argv[i][0] == '-')
		i++;
	return i < argc && strcmp(argv[i], "save") == 0;
}

static void
run_line(struct vx_ctl *c, const char *line)
{
	char buf[FZ_CLI_LINE + 1], *argv[VX_CLI_MAX_WORDS + 1];
	struct vx_out out = {0};
	int argc, ret;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = vx_cli_split(buf, argv, VX_CLI_MAX_WORDS);
	if (argc <= 0 || is_save(argv, argc))
		return;
	ret = vx_cli_exec(c, argc, argv, 0, &out);
	if (ret < 0 && (out.buf == NULL || strstr(out.buf, "error: ") == NULL)) {
		fprintf(stderr, "fuzz cli: \"%s\" failed (%d) without an error message: %s\n", line,
			ret, out.buf != NULL ? out.buf : "(nothing)");
		abort();
	}
	vx_out_free(&out);
	fz_ctl_poll(c);
}

/* The configuration of c as text (caller frees). */
static char *
config_of(struct vx_ctl *c)
{
	struct vx_out o = {0};
	char *s;

	vx_cli_config(c, &o);
	s = strdup(o.buf != NULL ? o.buf : "");
	vx_out_free(&o);
	if (s == NULL)
		abort();
	return s;
}

/* What a restart does with cfg: replay it on a fresh switch; its configuration must be cfg. */
static void
check_replay(const char *cfg)
{
	struct vx_out err = {0};
	struct vx_ctl *c;
	char path[64], *again;
	int fd, lineno = 0, ret;

	fd = memfd_create("vxfuzz-config", 0);
	if (fd < 0 || write(fd, cfg, strlen(cfg)) != (ssize_t)strlen(cfg))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	c = fz_world_new(NULL);
	ret = vx_cli_replay(c, path, &lineno, &err);
	close(fd);
	if (ret < 0) {
		fprintf(stderr, "fuzz cli: the saved configuration does not replay: %s\n%s",
			err.buf != NULL ? err.buf : "?", cfg);
		abort();
	}
	vx_out_free(&err);
	again = config_of(c);
	if (strcmp(cfg, again) != 0) {
		fprintf(stderr,
			"fuzz cli: the replayed configuration differs\n--- saved\n%s--- "
			"replayed\n%s",
			cfg, again);
		abort();
	}
	free(again);
	fz_world_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vx_ctl *c = fz_world_new(script);
	char line[FZ_CLI_LINE + 1], *cfg;
	unsigned int lines = 0;
	size_t i = 0;

	while (i < size && lines < FZ_CLI_LINES) {
		size_t n = 0;

		while (i < size && data[i] != '\n') {
			if (n < FZ_CLI_LINE)
				line[n++] = data[i] != '\0' ? (char)data[i] : ' ';
			i++;
		}
		i++;
		line[n] = '\0';
		run_line(c, line);
		lines++;
	}
	cfg = config_of(c);
	fz_world_free(c);
	check_replay(cfg);
	free(cfg);
	return 0;
}
