import Foundation
import SOPJSON

/// ``ChangeRecorder`` and ``BeforeImages`` on PostgreSQL: row triggers note every row a write
/// transaction inserts, updates or deletes in a tracked table, with its image after the change
/// and its first image before it, so the audit event appended in that transaction carries the
/// same images as on SQLite, and a transaction that changed a tracked row no event explains
/// is refused.
///
/// The triggers are part of the schema (migration `v4`), but they write into temporary tables
/// that only a `sop` store's connection creates: any other session (`psql`, a copy) changes
/// rows without leaving notes, and `sop audit verify` then names those rows.
enum ChangeCapture {
    /// Per connection, created once before its first write.
    static let temporaryTables = """
        CREATE TEMP TABLE IF NOT EXISTS sop_changes (
            n BIGSERIAL, tbl TEXT NOT NULL, k TEXT NOT NULL, image TEXT NOT NULL, before TEXT,
            deleted BOOLEAN NOT NULL DEFAULT FALSE, PRIMARY KEY (tbl, k))
        """

    /// The trigger functions and triggers, one per tracked table, generated from
    /// ``TrackedTable``: the image leaves out the derived columns, the key is the table's.
    static func triggers(for names: [String]) -> String {
        names.compactMap { TrackedTable.byName[$0] }.map { table in
            let key = table.key.map { "NEW.\"\($0)\"" }.joined(separator: ", ")
            let oldKey = table.key.map { "OLD.\"\($0)\"" }.joined(separator: ", ")
            let derived = table.derived.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            let strip = derived.isEmpty ? "" : " - ARRAY[\(derived)]::text[]"
            // A blob's bytes never enter JSON: the image names only its hash and size.
            let image =
                table.name == "blob"
                ? "jsonb_build_object('sha256', NEW.sha256, 'size', NEW.size)" : "to_jsonb(NEW)\(strip)"
            let before =
                table.name == "blob"
                ? "jsonb_build_object('sha256', OLD.sha256, 'size', OLD.size)" : "to_jsonb(OLD)\(strip)"
            return """
                CREATE FUNCTION "sop_capture_\(table.name)"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF to_regclass('pg_temp.sop_changes') IS NULL THEN RETURN NULL; END IF;
                    IF TG_OP = 'DELETE' THEN
                        INSERT INTO pg_temp.sop_changes (tbl, k, image, deleted)
                            VALUES ('\(table.name)', json_build_array(\(oldKey))::text, '{}', TRUE)
                            ON CONFLICT (tbl, k) DO UPDATE SET deleted = TRUE;
                        RETURN NULL;
                    END IF;
                    INSERT INTO pg_temp.sop_changes (tbl, k, image, before)
                        VALUES ('\(table.name)', json_build_array(\(key))::text, (\(image))::text,
                            CASE WHEN TG_OP = 'UPDATE' THEN (\(before))::text END)
                        ON CONFLICT (tbl, k) DO UPDATE SET image = EXCLUDED.image,
                            before = COALESCE(pg_temp.sop_changes.before, EXCLUDED.before);
                    RETURN NULL;
                END
                $$;
                DO $$
                DECLARE columns TEXT;
                BEGIN
                    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO columns
                        FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = '\(table.name)'
                            AND column_name <> ALL (ARRAY[\(derived)]::text[]);
                    EXECUTE format('CREATE TRIGGER "sop_capture_\(table.name)" AFTER INSERT OR DELETE OR UPDATE OF %s '
                        || 'ON "\(table.name)" FOR EACH ROW EXECUTE FUNCTION "sop_capture_\(table.name)"()', columns);
                END
                $$;
                """
        }.joined(separator: "\n")
    }

    /// The images of the rows changed since the last event, and a fresh start for the next.
    static func drain(_ session: StoreSession) throws -> [RowImage] {
        let rows = try session.rows("SELECT tbl, image, before, deleted FROM pg_temp.sop_changes ORDER BY n", [])
        guard !rows.isEmpty else { return [] }
        try session.execute("DELETE FROM pg_temp.sop_changes", [])
        var images: [RowImage] = []
        images.reserveCapacity(rows.count)
        for row in rows {
            let name = row.string("tbl")
            guard let table = TrackedTable.byName[name] else { continue }
            if row.int("deleted") != 0 {
                throw StoreError(.integrity, "a row of \(name) was deleted; sop never deletes tracked rows")
            }
            guard let values = ImageValues.object(row.string("image")) else {
                throw StoreError(.integrity, "the image of a changed \(name) row is unreadable")
            }
            let key = CanonicalJSONValue.array(table.key.map { values[$0] ?? .null }).text
            var image = RowImage(table: name, key: key, image: CanonicalJSONValue.object(values).text)
            if let text = row["before"].text {
                guard let before = ImageValues.object(text) else {
                    throw StoreError(.integrity, "the earlier image of a \(name) row is unreadable")
                }
                image.before = CanonicalJSONValue.object(ImageValues.changed(from: before, to: values)).text
            }
            images.append(image)
        }
        return images
    }

    /// Refuses the commit when a tracked row changed after the last event.
    static func requireExplained(_ session: StoreSession) throws {
        if try session.integer("SELECT count(*) FROM pg_temp.sop_changes", []) > 0 {
            throw StoreError(.integrity, "a tracked row changed without an audit event (nothing was saved)")
        }
    }
}
