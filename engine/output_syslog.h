/*
 * output_syslog.h - an output sink sending each line to syslog(3), at the
 * level the queue passes along (the rule's priority, which is numbered
 * like syslog levels), with ident "vigil".
 */
#ifndef VIGIL_OUTPUT_SYSLOG_H
#define VIGIL_OUTPUT_SYSLOG_H

#include "output_queue.h"

/* LOG_USER, LOG_DAEMON, LOG_LOCAL0..7 ... from a name ("local0"); -1 if unknown */
int syslog_facility_parse(const char *name);
struct output_sink output_syslog_sink(int facility);

#endif /* VIGIL_OUTPUT_SYSLOG_H */
