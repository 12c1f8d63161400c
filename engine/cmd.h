/*
 * cmd.h - the entry point of each `vigil` subcommand. main.c dispatches on
 * the first argument; each command parses the rest of argv itself and
 * returns the process exit status (0 ok, 1 findings/validation errors,
 * 2 usage or setup errors).
 */
#ifndef VIGIL_CMD_H
#define VIGIL_CMD_H

int cmd_run(int argc, char **argv);       /* the agent */
int cmd_features(int argc, char **argv);  /* what this kernel allows */
int cmd_observe(int argc, char **argv);   /* JSON events -> lines for people */
int cmd_record(int argc, char **argv);    /* kernel records -> capture file */
int cmd_replay(int argc, char **argv);    /* capture file -> events, alerts, bench */
int cmd_rules(int argc, char **argv);     /* rules validate|list|explain */
int cmd_presets(int argc, char **argv);   /* presets list */
int cmd_enforce(int argc, char **argv);   /* enforce off|audit|on|list (control socket) */

#endif /* VIGIL_CMD_H */
