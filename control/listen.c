/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's listening UNIX socket: its directory created as `mkdir -p`
 * does, a stale socket file replaced (a live daemon on the same path
 * refused), the file created 0600 whatever the umask and then given to
 * its group with mode 0660, so only root and that group may connect; and
 * every connection's peer checked again (SO_PEERCRED), so that a socket
 * file whose mode someone widened still serves only them.
 */

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>
#include <rte_common.h>

#include "server.h"

static int
mkdir_parent(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	/* Parents one by one, as mkdir -p; 0755 so that the socket's own mode decides. */
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
resolve_group(const char *group, gid_t *gid)
{
	const struct group *gr;
	const char *errstr;
	long long n;

	if (group == NULL || group[0] == '\0') {
		*gid = 0;
		return 0;
	}
	gr = getgrnam(group);
	if (gr != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	n = strtonum(group, 0, INT_MAX, &errstr);
	if (errstr != NULL)
		return -ENOENT;
	*gid = (gid_t)n;
	return 0;
}

/* A socket file at path: refuse it if a daemon answers there, else remove it as stale. */
static int
clear_stale(const struct sockaddr_un *sa, const char *path, char *err, size_t errlen)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0) {
		if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
			close(fd);
			snprintf(err, errlen, "%s: another vxswitch is listening there", path);
			return -EADDRINUSE;
		}
		close(fd);
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove stale %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

/* bind 0600, then group gid and 0660, then listen. */
static int
bind_listen(int fd, const struct sockaddr_un *sa, const char *path, const char *group, gid_t gid,
	    char *err, size_t errlen)
{
	mode_t old_mask = umask(0177);
	int ret = bind(fd, (const struct sockaddr *)sa, sizeof(*sa));

	umask(old_mask);
	if (ret < 0) {
		snprintf(err, errlen, "bind %s: %s", path, strerror(errno));
		return -errno;
	}
	if (chown(path, -1, gid) < 0) {
		ret = -errno;
		snprintf(err, errlen, "chown %s to group %s: %s", path, group ? group : "root",
			 strerror(errno));
		goto err_unlink;
	}
	if (chmod(path, 0660) < 0) {
		ret = -errno;
		snprintf(err, errlen, "chmod %s: %s", path, strerror(errno));
		goto err_unlink;
	}
	if (listen(fd, 128) < 0) {
		ret = -errno;
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		goto err_unlink;
	}
	return 0;

err_unlink:
	unlink(path);
	return ret;
}

int
vx_listen_unix(const char *path, const char *group, gid_t *gidp, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	gid_t gid;
	int ret, fd;

	if (strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long (max %zu): %s", sizeof(sa.sun_path) - 1,
			 path);
		return -ENAMETOOLONG;
	}
	if (resolve_group(group, &gid) < 0) {
		snprintf(err, errlen, "unknown group: %s", group);
		return -ENOENT;
	}
	ret = mkdir_parent(path);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create the directory of %s: %s", path,
			 strerror(-ret));
		return ret;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -errno;
	}
	ret = clear_stale(&sa, path, err, errlen);
	if (ret == 0)
		ret = bind_listen(fd, &sa, path, group, gid, err, errlen);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	*gidp = gid;
	return fd;
}

/* Is uid a member of group gid (its primary group or a supplementary one)? */
static bool
user_in_group(uid_t uid, gid_t pgid, gid_t gid)
{
	struct passwd pw, *res = NULL;
	gid_t groups[64];
	int n = RTE_DIM(groups);
	char buf[4096];

	if (pgid == gid)
		return true;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return false;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

bool
vx_listen_peer_ok(int fd, gid_t gid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	return cr.uid == 0 || (gid != 0 && user_in_group(cr.uid, cr.gid, gid));
}
