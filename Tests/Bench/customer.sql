-- The reference for `sop status SLUG --json`: one customer's row, items, evidence and
-- sign-offs read by the sqlite3 shell as JSON (the data the store's customerReport reads).
-- :slug is replaced by bench.sh.
SELECT json_object('customer', (SELECT json_object('slug', slug, 'name', name, 'email', email, 'owner', owner,
                                                   'due', due, 'template', template_id || '@' || template_version)
                                FROM customer WHERE slug = ':slug'),
  'items', (SELECT json_group_array(json_object('id', i.item_id, 'section', i.section, 'title', i.title,
                'status', i.status, 'assignee', i.assignee, 'due', i.due,
                'evidence', (SELECT json_group_array(json_object('id', 'E' || e.id, 'kind', e.kind, 'sha256', e.sha256,
                                                                 'added_at', e.added_at, 'by', e.added_by))
                             FROM evidence e WHERE e.customer_id = i.customer_id AND e.item_id = i.item_id),
                'checks', (SELECT json_group_array(json_object('check', s.check_id, 'region', s.region,
                                                               'outcome', s.outcome, 'summary', s.summary))
                           FROM check_state s WHERE s.customer_id = i.customer_id AND s.item_id = i.item_id)))
            FROM item i JOIN customer c ON c.id = i.customer_id WHERE c.slug = ':slug' ORDER BY i.ordinal),
  'signoffs', (SELECT json_group_array(json_object('target', g.target, 'role', g.role, 'by', g.signed_by,
                                                   'at', g.signed_at, 'revoked_at', g.revoked_at))
               FROM signoff g JOIN customer c ON c.id = g.customer_id WHERE c.slug = ':slug'),
  'runs', (SELECT json_group_array(json_object('id', 'V' || r.id, 'passed', r.passed, 'failed', r.failed, 'run', json(r.content)))
           FROM verification_run r JOIN customer c ON c.id = r.customer_id WHERE c.slug = ':slug'));
