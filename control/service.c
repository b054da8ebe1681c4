/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon under a service manager: where log lines go, and what
 * systemd is told.
 *
 * Logs: every rte_log line (EAL's, the PMDs', vxswitch's own through
 * VX_LOG) goes to standard error, one write per line. When standard error
 * is the journal (systemd sets JOURNAL_STREAM to its device and inode),
 * each line starts with its syslog priority, "<3>" for an error, which
 * journald takes as the entry's priority: `journalctl -p warning -u
 * vxswitch` then works. This stream replaces EAL's default one, which
 * writes to standard output and to syslog as well (two copies of each line
 * in the journal).
 *
 * Notifications (Type=notify): READY=1 once the ports are up and the
 * socket listens, STOPPING=1 when a signal stops the daemon, STATUS= a
 * line of what it does; nothing when NOTIFY_SOCKET is not set or the
 * build has no libsystemd.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_log.h>

#ifdef VX_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "daemon.h"

#define LOG_LINE_MAX 2048

static struct {
	pthread_mutex_t lock;
	bool journal; /* standard error is the journal: priority prefixes */
	char line[LOG_LINE_MAX];
	size_t len;
} log_st = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Is fd 2 the stream JOURNAL_STREAM ("DEVICE:INODE") names? */
static bool
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* One complete line (with its '\n') to standard error, in one write. */
static void
log_emit(const char *p, size_t n)
{
	char out[LOG_LINE_MAX + 8];
	size_t off = 0;
	int lvl;

	if (log_st.journal) {
		/* rte_log levels are syslog's plus one (RTE_LOG_EMERG = 1). */
		lvl = (int)rte_log_cur_msg_loglevel() - 1;
		if (lvl < 0 || lvl > 7)
			lvl = 6;
		off = snprintf(out, sizeof(out), "<%d>", lvl);
	}
	if (n > sizeof(out) - off)
		n = sizeof(out) - off;
	memcpy(out + off, p, n);
	off += n;
	while (off > 0) {
		ssize_t w = write(STDERR_FILENO, out, off);

		if (w < 0 && errno == EINTR)
			continue;
		break; /* nothing sensible to do with a log that cannot be written */
	}
}

/* fopencookie write: cut what rte_log printed into lines. */
static ssize_t
log_write(void *cookie, const char *buf, size_t size)
{
	RTE_SET_USED(cookie);
	pthread_mutex_lock(&log_st.lock);
	for (size_t i = 0; i < size; i++) {
		log_st.line[log_st.len++] = buf[i];
		if (buf[i] == '\n' || log_st.len == sizeof(log_st.line) - 1) {
			if (buf[i] != '\n')
				log_st.line[log_st.len++] = '\n';
			log_emit(log_st.line, log_st.len);
			log_st.len = 0;
		}
	}
	pthread_mutex_unlock(&log_st.lock);
	return size;
}

int
vx_service_log_init(void)
{
	cookie_io_functions_t io = {.write = log_write};
	FILE *f;

	log_st.journal = stderr_is_journal();
	f = fopencookie(NULL, "w", io);
	if (f == NULL)
		return -errno;
	/* Flushed by rte_log after every message; the cookie cuts lines itself. */
	setvbuf(f, NULL, _IOLBF, 0);
	return rte_openlog_stream(f);
}

void
vx_service_notify(const char *fmt, ...)
{
#ifdef VX_HAVE_SYSTEMD
	char msg[512];
	va_list ap;
	int ret;

	if (getenv("NOTIFY_SOCKET") == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ret = sd_notify(0, msg);
	if (ret < 0)
		VX_LOG(WARNING, "sd_notify: %s", strerror(-ret));
#else
	RTE_SET_USED(fmt);
#endif
}
