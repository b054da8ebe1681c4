#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 30 over IPv6: group ff05::100 (seed 001's first line), MLDv2 reports
# and queries, underlay 2001:db8:1::/64.
MC_FAM=6 exec bash "$(dirname "$0")/30-multicast.sh"
