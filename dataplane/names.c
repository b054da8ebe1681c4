/* SPDX-License-Identifier: BSD-3-Clause */
/* Names and explanations of drop reasons and events, from the X-macro lists. */

#include "vx_drop.h"

const char *const vx_drop_names[VX_DROP_MAX] = {
#define X(e, name, text) [VX_DROP_##e] = name,
	VX_DROP_REASONS(X)
#undef X
};

const char *const vx_drop_texts[VX_DROP_MAX] = {
#define X(e, name, text) [VX_DROP_##e] = text,
	VX_DROP_REASONS(X)
#undef X
};

const char *const vx_event_names[VX_EV_MAX] = {
#define X(e, name, text) [VX_EV_##e] = name,
	VX_EVENTS(X)
#undef X
};

const char *const vx_event_texts[VX_EV_MAX] = {
#define X(e, name, text) [VX_EV_##e] = text,
	VX_EVENTS(X)
#undef X
};
