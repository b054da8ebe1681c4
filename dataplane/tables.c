/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): tables stage, see include/vx_worker.h. */
