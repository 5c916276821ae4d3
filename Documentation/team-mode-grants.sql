-- Least privilege for the role sop runs as day to day (here: sop_app), once `sop db migrate`
-- has created the schema as the owner role. psql -v app=sop_app -f team-mode-grants.sql
-- sop_app reads every table, adds rows, and updates the rows sop updates; it deletes nothing,
-- cannot alter the schema, and cannot touch an audit event once written (the trigger the
-- migration installs refuses UPDATE, DELETE and TRUNCATE of audit_event even for the owner).
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO :"app";
GRANT UPDATE ON customer, section, item, evidence, check_state, signoff, chain_head TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, grdb_migrations, blob, verification_run FROM :"app";
