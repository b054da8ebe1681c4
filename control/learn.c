/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO */
#include "core.h"
void
vx_core_poll(struct vx_ctl *c)
{
}
