#include <libpq-fe.h>

/// libpq prints server notices ("relation already exists, skipping") to stderr by default;
/// sop's output is its own, so notices are dropped.
static inline void sop_pq_ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static inline void sop_pq_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, sop_pq_ignore_notice, 0);
}
