/* SPDX-License-Identifier: BSD-3-Clause */
/* TODO(skeleton): see control/ctl.h. */
