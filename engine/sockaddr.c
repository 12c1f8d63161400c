/*
 * sockaddr.c - sockaddr_in / sockaddr_in6 / sockaddr_un decoding.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "sockaddr.h"

bool sockaddr_decode(const uint8_t *sa, size_t len, struct sockaddr_info *out)
{
	uint16_t family;

	memset(out, 0, sizeof(*out));
	if (!sa || len < sizeof(family))
		return false;
	memcpy(&family, sa, sizeof(family));
	out->family = family;
	switch (family) {
	case AF_INET: {
		struct sockaddr_in in;

		if (len < sizeof(in))
			return false;
		memcpy(&in, sa, sizeof(in));
		memcpy(out->addr, &in.sin_addr, 4);
		out->port = ntohs(in.sin_port);
		return true;
	}
	case AF_INET6: {
		struct sockaddr_in6 in6;

		if (len < sizeof(in6))
			return false;
		memcpy(&in6, sa, sizeof(in6));
		memcpy(out->addr, &in6.sin6_addr, 16);
		out->port = ntohs(in6.sin6_port);
		return true;
	}
	case AF_UNIX: {
		size_t off = offsetof(struct sockaddr_un, sun_path);
		size_t n = len > off ? len - off : 0;

		if (n >= sizeof(out->path))
			n = sizeof(out->path) - 1;
		memcpy(out->path, sa + off, n);
		out->path[n] = 0;
		if (n && out->path[0] == 0)
			out->path[0] = '@';  /* abstract socket, shown like ss(8) does */
		return true;
	}
	default:
		return true;
	}
}
