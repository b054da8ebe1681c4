/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): worker stage, see include/vx_worker.h. */
