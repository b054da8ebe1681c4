/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Words -> values for the command grammar: MAC and IP addresses, prefixes,
 * bounded numbers, VNIs, names; and a line -> its words (vx_cli_split(),
 * used by the daemon, --config and reload alike). Pure functions over
 * strings: no DPDK call, no EAL, so the unit tests and the fuzzers run them
 * on plain buffers. Every parser returns 0 or -EINVAL (-ERANGE) and leaves
 * its output untouched on error.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "cli/cli.h"

int
vx_parse_mac(const char *s, struct rte_ether_addr *mac)
{
	uint8_t b[RTE_ETHER_ADDR_LEN];
	int i;

	/* Exactly xx:xx:xx:xx:xx:xx (or '-' separators), hex digits, 1 or 2 per byte. */
	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		unsigned int v = 0, nd = 0;

		while (nd < 2 && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
				  (*s >= 'A' && *s <= 'F'))) {
			v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
			s++;
			nd++;
		}
		if (nd == 0)
			return -EINVAL;
		b[i] = v;
		if (i < RTE_ETHER_ADDR_LEN - 1) {
			if (*s != ':' && *s != '-')
				return -EINVAL;
			s++;
		}
	}
	if (*s != '\0')
		return -EINVAL;
	memcpy(mac->addr_bytes, b, sizeof(b));
	return 0;
}

int
vx_parse_ip(const char *s, struct vx_ip *ip)
{
	struct vx_ip t;

	memset(&t, 0, sizeof(t));
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &t.v6) != 1)
			return -EINVAL;
		t.family = AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, &t.v4) != 1)
			return -EINVAL;
		t.family = AF_INET;
	}
	*ip = t;
	return 0;
}

int
vx_parse_prefix(const char *s, struct vx_ip *ip, uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	struct vx_ip t;
	uint32_t l;
	char *slash;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (vx_parse_ip(buf, &t) < 0)
		return -EINVAL;
	if (slash == NULL)
		l = t.family == AF_INET ? 32 : 128;
	else if (vx_parse_u32(slash, 0, t.family == AF_INET ? 32 : 128, &l) < 0)
		return -EINVAL;
	*ip = t;
	*len = l;
	return 0;
}

int
vx_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	const char *errstr = NULL;
	long long n;

	if (s == NULL || *s == '\0' || *s == '+' || *s == '-' || *s == ' ')
		return -EINVAL;
	n = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

int
vx_parse_u32_hex(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long n = 0;
	const char *p;

	if (s == NULL || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return vx_parse_u32(s, min, max, v);
	p = s + 2;
	if (*p == '\0' || strlen(p) > 8)
		return -EINVAL;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			n = n * 16 + (*p - '0');
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			n = n * 16 + ((*p | 0x20) - 'a' + 10);
		else
			return -EINVAL;
	}
	if (n < min || n > max)
		return -ERANGE;
	*v = (uint32_t)n;
	return 0;
}

int
vx_parse_vni(const char *s, uint32_t *vni)
{
	return vx_parse_u32(s, 0, VX_VNI_MAX, vni);
}

int
vx_parse_name(const char *s)
{
	static const char *const reserved[] = {"dev", "type", "master", "nomaster", "vlan",
					       "all", "any",  "none",	"help",	    NULL};
	size_t n = strlen(s);

	if (n == 0 || n >= VX_NAME_LEN)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.' || ch == ':'))
			return -EINVAL;
	}
	for (int i = 0; reserved[i] != NULL; i++)
		if (strcmp(s, reserved[i]) == 0)
			return -EINVAL;
	return 0;
}

bool
vx_cli_verb_show(const char *verb)
{
	size_t n = strlen(verb);

	/* As ip: any prefix of show or list (`ip add sh`), and ls. */
	return n != 0 && (strncmp(verb, "show", n) == 0 || strncmp(verb, "list", n) == 0 ||
			  strcmp(verb, "ls") == 0);
}

int
vx_cli_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}
