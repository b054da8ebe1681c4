/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): fdb stage, see include/vx_worker.h. */
