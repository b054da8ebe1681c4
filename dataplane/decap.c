/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): decap stage, see include/vx_worker.h. */
