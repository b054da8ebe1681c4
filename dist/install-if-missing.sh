#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# install-if-missing.sh SRC DIR NAME: install SRC as $DESTDIR/DIR/NAME unless
# that file exists. Configuration files: `meson install` on a running system
# never replaces the ones an operator edited.
set -eu
dest="${DESTDIR:-}$2/$3"
if [ -e "$dest" ]; then
	echo "keeping $dest"
	exit 0
fi
install -D -m 0644 "$1" "$dest"
echo "installed $dest"
