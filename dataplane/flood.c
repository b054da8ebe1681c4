/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): flood stage, see include/vx_worker.h. */
