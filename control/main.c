/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): daemon main, see control/ctl.h. */
#include "ctl.h"
#include "vx_worker.h"
int
main(void)
{
	return 1;
}
