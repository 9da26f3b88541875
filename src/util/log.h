/*
 * util/log.h: diagnostics on stderr as podman's logger (logrus) writes
 * them: "WARN[0000] text" on a terminal, time="..." level=warning
 * msg="text" otherwise; filtered by --log-level. Results never go here.
 * log_plain() is for the few warnings podman prints as bare lines
 * (fmt.Fprintln to stderr), whatever the level: "Port mappings have been
 * discarded as ...".
 */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };

void log_set_level(enum log_level l);
enum log_level log_get_level(void);
/* Parses a podman log level name; -1 if unknown. */
int log_parse_level(const char *s);
void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_trace(...) log_msg(LOG_TRACE, __VA_ARGS__)

#endif
