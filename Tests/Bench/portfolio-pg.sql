-- The reference for `sop status --json --db postgresql://…`: the store's aggregate
-- (Store.portfolioSQL in Sources/SOPStore/Store+Portfolio.swift) on PostgreSQL, with the urgency
-- order done in SQL, printed as JSON by psql. Keep in step with the store's query and portfolio.sql.
SELECT coalesce(json_agg(p ORDER BY (p.blocked + p.overdue + p.failing + p.failed) > 0 DESC,
                                    (p.blocked + p.overdue + p.failing + p.failed) DESC,
                                    coalesce(p.due, '9999-99-99'), p.done * 100 / greatest(p.total, 1), p.slug), '[]')
FROM (
    SELECT c.slug, c.name, c.template_id, c.template_version, c.owner, c.due, c.last_activity_at,
           COUNT(*) FILTER (WHERE i.status <> 'n/a') AS total,
           COUNT(*) FILTER (WHERE i.status = 'done') AS done,
           COUNT(*) FILTER (WHERE i.status = 'blocked') AS blocked,
           COUNT(*) FILTER (WHERE i.status = 'failed') AS failed,
           COUNT(*) FILTER (WHERE i.due < to_char(current_date, 'YYYY-MM-DD') AND i.status NOT IN ('done', 'n/a'))
               AS overdue,
           (SELECT COUNT(DISTINCT s.check_id || '@' || s.region) FROM check_state s
            WHERE s.customer_id = c.id AND s.outcome = 'fail') AS failing
    FROM customer c
    LEFT JOIN item i ON i.customer_id = c.id AND i.archived_at IS NULL
    GROUP BY c.id
) p;
