/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): tx stage, see include/vx_worker.h. */
