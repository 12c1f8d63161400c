/*
 * output_stream.h - an output sink writing lines to a stdio stream
 * (stdout, or a file opened for appending).
 */
#ifndef VIGIL_OUTPUT_STREAM_H
#define VIGIL_OUTPUT_STREAM_H

#include <stdio.h>
#include "output_queue.h"

/* a sink on f; close_it: fclose f when the queue stops */
struct output_sink output_stream_sink(FILE *f, const char *name, bool close_it);

#endif /* VIGIL_OUTPUT_STREAM_H */
