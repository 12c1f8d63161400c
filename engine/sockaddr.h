/*
 * sockaddr.h - reading the raw sockaddr a syscall was given (connect, bind,
 * sendto) out of a record.
 */
#ifndef VIGIL_SOCKADDR_H
#define VIGIL_SOCKADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr_info {
	int family;             /* AF_* */
	uint8_t addr[16];       /* AF_INET: first 4 bytes */
	uint16_t port;          /* host byte order */
	char path[112];         /* AF_UNIX; abstract names start with '@' */
};

/* false when the bytes are too short for their family */
bool sockaddr_decode(const uint8_t *sa, size_t len, struct sockaddr_info *out);

#endif /* VIGIL_SOCKADDR_H */
