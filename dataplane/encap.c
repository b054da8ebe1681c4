/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): encap stage, see include/vx_worker.h. */
