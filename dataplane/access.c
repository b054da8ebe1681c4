/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): access stage, see include/vx_worker.h. */
