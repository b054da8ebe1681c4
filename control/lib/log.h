/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_LOG_H
#define VX_LOG_H

/*
 * The control plane's log lines: rte_log with vxswitch's own log type
 * ("vxswitch", level INFO unless EAL's --log-level=vxswitch:LEVEL says
 * otherwise), one line per event, the level written in the line. Where
 * the lines go (stderr, the journal) is the daemon's choice of stream
 * (service.c). Control thread only, never from a worker: a log that
 * traffic can trigger goes through a rate limit (see watch.c).
 */

#include <rte_log.h>

extern int vx_logtype;

#define VX_LOG(lvl, fmt, ...) \
	rte_log(RTE_LOG_##lvl, vx_logtype, "vxswitch: " #lvl ": " fmt "\n", ##__VA_ARGS__)

#endif /* VX_LOG_H */
