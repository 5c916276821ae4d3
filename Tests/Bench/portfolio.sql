-- The reference for `sop status --json`: the same aggregate the store runs
-- (Store.portfolioSQL in Sources/SOPStore/Store+Portfolio.swift), with the urgency order
-- done in SQL, printed as JSON by the sqlite3 shell. Keep in step with the store's query.
SELECT c.slug, c.name, c.template_id, c.template_version, c.owner, c.due, c.last_activity_at,
       COUNT(*) FILTER (WHERE i.status <> 'n/a') AS total,
       COUNT(*) FILTER (WHERE i.status = 'done') AS done,
       COUNT(*) FILTER (WHERE i.status = 'blocked') AS blocked,
       COUNT(*) FILTER (WHERE i.status = 'failed') AS failed,
       COUNT(*) FILTER (WHERE i.due < date('now') AND i.status NOT IN ('done', 'n/a')) AS overdue,
       (SELECT COUNT(DISTINCT s.check_id || '@' || s.region) FROM check_state s
        WHERE s.customer_id = c.id AND s.outcome = 'fail') AS failing
FROM customer c
LEFT JOIN item i ON i.customer_id = c.id AND i.archived_at IS NULL
GROUP BY c.id
ORDER BY (blocked + overdue + failing + failed) > 0 DESC, (blocked + overdue + failing + failed) DESC,
         coalesce(c.due, '9999-99-99'), (done * 100 / max(total, 1)), c.slug;
