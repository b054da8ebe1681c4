/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): parse stage, see include/vx_worker.h. */
