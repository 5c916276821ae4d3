#include <libpq-fe.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

/// libpq prints server notices ("relation already exists, skipping") to stderr by default;
/// sop's output is its own, so notices are dropped.
static inline void sop_pq_ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static inline void sop_pq_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, sop_pq_ignore_notice, 0);
}

/// The connection's `connect_timeout` in seconds (libpq's default: 0, wait forever).
static inline int sop_pq_connect_timeout(PGconn *connection) {
    int seconds = 0;
    PQconninfoOption *options = PQconninfo(connection);
    if (!options) return 0;
    for (PQconninfoOption *option = options; option->keyword; option++) {
        if (strcmp(option->keyword, "connect_timeout") == 0 && option->val) seconds = atoi(option->val);
    }
    PQconninfoFree(options);
    return seconds;
}

/// `PQconnectdbParams`, with notices silenced from the first byte: a server shutting down while
/// a client authenticates sends a WARNING that the blocking call would print to stderr. Each
/// wait for the server is bounded by `connect_timeout`, as the blocking call bounds it.
static inline PGconn *sop_pq_connect(const char *const *keywords, const char *const *values, int *timedOut) {
    *timedOut = 0;
    PGconn *connection = PQconnectStartParams(keywords, values, 1);
    if (!connection) return NULL;
    sop_pq_silence_notices(connection);
    if (PQstatus(connection) == CONNECTION_BAD) return connection;
    int timeout = sop_pq_connect_timeout(connection);
    PostgresPollingStatusType state = PGRES_POLLING_WRITING;
    while (state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
        struct pollfd descriptor = {PQsocket(connection), state == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0};
        int ready = poll(&descriptor, 1, timeout > 0 ? timeout * 1000 : -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            *timedOut = 1;
            PQfinish(connection);
            return NULL;
        }
        state = PQconnectPoll(connection);
    }
    return connection;
}
