/*
 * control.h - the running agent's control socket: a root-only unix socket
 * (/run/vigil/control.sock) through which `vigil enforce` switches modes
 * and lists what enforcement is doing, without restarting the agent.
 *
 * The protocol is one request line per connection ("mode audit", "list")
 * and a reply that ends when the agent closes the connection; the first
 * reply line is "ok" or "error: <reason>".
 */
#ifndef VIGIL_CONTROL_H
#define VIGIL_CONTROL_H

#include <stddef.h>
#include <stdio.h>

#define CONTROL_SOCKET "/run/vigil/control.sock"

/* listen on path (replacing a stale socket); -1 with a message on stderr */
int control_listen(const char *path);
void control_close(int fd, const char *path);

/*
 * Serve one connection waiting on the listening fd: read its request line
 * and answer with handler(ctx, request, reply stream). Connections from
 * anyone but root are refused.
 */
void control_serve(int fd, void (*handler)(void *ctx, const char *request, FILE *reply), void *ctx);

/* client: send a request and copy the reply to out; returns 0 if it began with "ok" */
int control_request(const char *path, const char *request, FILE *out);

#endif /* VIGIL_CONTROL_H */
