/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxt_flood: replay the frames of a pcap file, over and over, on an
 * interface at a given rate for a given time, from an AF_PACKET socket,
 * 64 frames per sendmmsg(). For the labs' attack phases (27-underlay-
 * attack.sh), where a Python sender does not reach tens of thousands of
 * frames a second on a loaded two-core machine.
 *
 *   vxt_flood IFACE PCAP PPS SECONDS
 *
 * Prints "sent N frames in T s (R pps)" on stdout. The rate is a ceiling:
 * the sender sleeps when it is ahead of PPS and never catches up more than
 * one batch at a time, so a slow machine gives a lower rate, which the
 * line says.
 */

#include <errno.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	   64
#define MAX_FRAMES 65536

struct frame {
	uint8_t *data;
	size_t len;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
load(const char *path, struct frame **out, size_t *n_out)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	struct frame *f;
	size_t n = 0;
	pcap_t *p;

	p = pcap_open_offline(path, err);
	if (p == NULL) {
		fprintf(stderr, "vxt_flood: %s: %s\n", path, err);
		return -1;
	}
	f = calloc(MAX_FRAMES, sizeof(*f));
	if (f == NULL)
		goto err_close;
	while (n < MAX_FRAMES && pcap_next_ex(p, &h, &d) == 1) {
		f[n].data = malloc(h->caplen);
		if (f[n].data == NULL)
			goto err_close;
		memcpy(f[n].data, d, h->caplen);
		f[n].len = h->caplen;
		n++;
	}
	pcap_close(p);
	if (n == 0) {
		fprintf(stderr, "vxt_flood: %s: no frames\n", path);
		return -1;
	}
	*out = f;
	*n_out = n;
	return 0;

err_close:
	fprintf(stderr, "vxt_flood: out of memory\n");
	pcap_close(p);
	return -1;
}

static int
open_socket(const char *ifname)
{
	struct sockaddr_ll sll;
	int s, buf = 4 << 20;

	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (s < 0) {
		perror("vxt_flood: socket");
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(ifname);
	if (sll.sll_ifindex == 0 || bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "vxt_flood: %s: %s\n", ifname, strerror(errno));
		close(s);
		return -1;
	}
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	return s;
}

int
main(int argc, char **argv)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	struct frame *f;
	size_t n, next = 0;
	uint64_t sent = 0;
	double pps, secs, t0, t, end;
	int s;

	if (argc != 5) {
		fprintf(stderr, "usage: vxt_flood IFACE PCAP PPS SECONDS\n");
		return 2;
	}
	pps = atof(argv[3]);
	secs = atof(argv[4]);
	if (pps <= 0 || secs <= 0 || load(argv[2], &f, &n) < 0)
		return 2;
	s = open_socket(argv[1]);
	if (s < 0)
		return 1;
	memset(msg, 0, sizeof(msg));
	t0 = now_s();
	end = t0 + secs;
	while ((t = now_s()) < end) {
		/* Frames due by now, at most one batch: no catching up after a stall. */
		uint64_t due = (uint64_t)((t - t0) * pps) + 1;
		int k = 0, r;

		if (due <= sent) {
			usleep(due + BATCH / 2 <= sent ? 1000 : 100);
			continue;
		}
		if (due - sent > BATCH)
			due = sent + BATCH;
		for (; sent + k < due; k++) {
			iov[k].iov_base = f[next].data;
			iov[k].iov_len = f[next].len;
			msg[k].msg_hdr.msg_iov = &iov[k];
			msg[k].msg_hdr.msg_iovlen = 1;
			next = (next + 1) % n;
		}
		r = sendmmsg(s, msg, k, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("vxt_flood: sendmmsg");
				return 1;
			}
			r = 0;
			usleep(100);
		}
		next = (next + n - (size_t)(k - r) % n) % n; /* the frames not sent go next */
		sent += r;
		if (sent + BATCH < (uint64_t)((now_s() - t0) * pps))
			t0 = now_s() - sent / pps; /* behind by more than a batch: drop the debt */
	}
	t = now_s() - (end - secs);
	printf("sent %llu frames in %.1f s (%.0f pps)\n", (unsigned long long)sent, t, sent / t);
	close(s);
	return 0;
}
