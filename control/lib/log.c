/* SPDX-License-Identifier: BSD-3-Clause */
/* The "vxswitch" log type (log.h), registered before main() so --log-level can name it. */

#include <rte_log.h>

#include "lib/log.h"

RTE_LOG_REGISTER(vx_logtype, vxswitch, INFO);
