/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_RCU_H
#define VX_RCU_H

/*
 * The control thread's wait for a grace period on the dataplane's QSBR
 * variable: returns once every reader online at the call has reported a
 * quiescent state since (readers offline are not waited for).
 *
 * rte_rcu_qsbr_synchronize() with no reader id does exactly this, but in
 * librte_rcu; these are the inline functions of rte_rcu_qsbr.h, compiled
 * into our code, so that a ThreadSanitizer build sees the acquire loads
 * that order a reader's last use of an object before its free.
 */

#include <stdbool.h>

#include <rte_rcu_qsbr.h>

static inline void
vx_rcu_wait(struct rte_rcu_qsbr *v)
{
	rte_rcu_qsbr_check(v, rte_rcu_qsbr_start(v), true);
}

#endif /* VX_RCU_H */
