# vxswitch configuration, written by `vxctl save`
