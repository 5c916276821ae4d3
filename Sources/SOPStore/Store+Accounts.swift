import Foundation
import SOPJSON

/// Accounts, tokens and invitations for `sop serve`, each write an audit event like any other.
///
/// Secrets never reach this layer: the application layer hands over a bcrypt hash or the
/// SHA-256 of a random token, and looks rows up by that hash.
extension Store {
    /// Adds a team account; the name must be new.
    @discardableResult
    public func addUser(name: String, roles: [String], passwordHash: String?, by actor: String) throws -> UserAccount {
        try write { db in
            if try db.integer("SELECT count(*) FROM app_user WHERE name = ?", [.text(name)]) > 0 {
                throw StoreError.badInput("user '\(name)' already exists")
            }
            let rolesJSON = CanonicalJSONValue.strings(roles).text
            try db.execute(
                "INSERT INTO app_user (name, roles, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(name), .text(rolesJSON), passwordHash.map(SQLValue.text) ?? .null, .text(nowString),
                    .text(actor),
                ])
            try audit(
                db, customer: nil, actor: actor, action: "user.add", target: name,
                after: CanonicalJSONValue.object([
                    "roles": .strings(roles), "password": .bool(passwordHash != nil),
                ]).text)
            guard let user = try Self.user(db, name) else { throw StoreError(.integrity, "user row vanished") }
            return user
        }
    }

    /// Disables an account: it can no longer sign in, and its tokens stop working.
    public func disableUser(name: String, by actor: String) throws {
        try write { db in
            guard let user = try Self.user(db, name) else { throw StoreError.badInput("unknown user '\(name)'") }
            guard !user.isDisabled else { throw StoreError.badInput("user '\(name)' is already disabled") }
            try db.execute(
                "UPDATE app_user SET disabled_at = ?, disabled_by = ? WHERE name = ?",
                [.text(nowString), .text(actor), .text(name)])
            try audit(db, customer: nil, actor: actor, action: "user.disable", target: name)
        }
    }

    /// Every account, by name.
    public func users() throws -> [UserAccount] {
        try read { db in try db.rows("SELECT * FROM app_user ORDER BY name", []).map(Self.user(row:)) }
    }

    /// One account, nil when there is none of that name.
    public func user(named name: String) throws -> UserAccount? {
        try read { db in try Self.user(db, name) }
    }

    /// Records a bearer token (by its hash) for an enabled account.
    @discardableResult
    public func addToken(user name: String, tokenSHA256: String, expiresAt: String, by actor: String) throws
        -> AccessToken
    {
        try write { db in
            guard let user = try Self.user(db, name) else { throw StoreError.badInput("unknown user '\(name)'") }
            guard !user.isDisabled else { throw StoreError.badInput("user '\(name)' is disabled") }
            let id = "T" + tokenSHA256.prefix(10)
            try db.execute(
                """
                INSERT INTO api_token (id, user_name, token_sha256, created_at, created_by, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(id), .text(name), .text(tokenSHA256), .text(nowString), .text(actor), .text(expiresAt)])
            try audit(
                db, customer: nil, actor: actor, action: "token.create", target: id,
                after: CanonicalJSON.object(["user": name, "expires": expiresAt]))
            return AccessToken(id: id, user: name, createdAt: nowString, expiresAt: expiresAt, revokedAt: nil)
        }
    }

    /// The token with this hash and its account, nil when unknown.
    public func token(sha256: String) throws -> (token: AccessToken, user: UserAccount)? {
        try read { db in
            guard let row = try db.rows("SELECT * FROM api_token WHERE token_sha256 = ?", [.text(sha256)]).first,
                let user = try Self.user(db, row.string("user_name"))
            else { return nil }
            let token = AccessToken(
                id: row.string("id"), user: row.string("user_name"), createdAt: row.string("created_at"),
                expiresAt: row.string("expires_at"), revokedAt: row["revoked_at"].text)
            return (token, user)
        }
    }

    /// Records an invitation (by the hash of its link's secret) for one customer and role.
    @discardableResult
    public func addInvitation(
        customer slug: String, role: String, email: String, tokenSHA256: String, expiresAt: String, by actor: String
    ) throws -> Invitation {
        try write { db in
            let customer = try customerRecord(db, slug)
            let id = "I" + tokenSHA256.prefix(10)
            try db.execute(
                """
                INSERT INTO invite (id, customer_id, role, email, token_sha256, created_at, created_by, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(id), SQLValue(customer.id), .text(role), .text(email), .text(tokenSHA256), .text(nowString),
                    .text(actor), .text(expiresAt),
                ])
            try audit(
                db, customer: slug, actor: actor, action: "invite.create", target: id,
                after: CanonicalJSON.object(["role": role, "email": email, "expires": expiresAt]))
            return Invitation(
                id: id, customer: slug, role: role, email: email, createdAt: nowString, createdBy: actor,
                expiresAt: expiresAt, usedAt: nil)
        }
    }

    /// The invitation with this hash, nil when unknown.
    public func invitation(sha256: String) throws -> Invitation? {
        try read { db in
            try db.rows(
                """
                SELECT invite.*, customer.slug AS slug FROM invite JOIN customer ON customer.id = invite.customer_id
                WHERE token_sha256 = ?
                """, [.text(sha256)]
            ).first.map(Self.invitation(row:))
        }
    }

    /// Every invitation of a customer, newest first.
    public func invitations(customer slug: String) throws -> [Invitation] {
        try read { db in
            let customer = try customerRecord(db, slug)
            return try db.rows(
                """
                SELECT invite.*, customer.slug AS slug FROM invite JOIN customer ON customer.id = invite.customer_id
                WHERE invite.customer_id = ? ORDER BY invite.created_at DESC, invite.id
                """, [SQLValue(customer.id)]
            ).map(Self.invitation(row:))
        }
    }

    /// Uses an invitation once: refused when it was used already (also by a concurrent sign-in,
    /// since the check and the write are one transaction) or has expired by `now`.
    @discardableResult
    public func useInvitation(sha256: String, by actor: String) throws -> Invitation {
        try write { db in
            guard
                let row = try db.rows(
                    """
                    SELECT invite.*, customer.slug AS slug FROM invite
                    JOIN customer ON customer.id = invite.customer_id WHERE token_sha256 = ?
                    """, [.text(sha256)]
                ).first
            else { throw StoreError(.refused, "this invitation link is not valid") }
            var invitation = Self.invitation(row: row)
            guard invitation.usedAt == nil else { throw StoreError(.refused, "this invitation link was used already") }
            guard invitation.expiresAt > nowString else {
                throw StoreError(.refused, "this invitation link has expired")
            }
            try db.execute("UPDATE invite SET used_at = ? WHERE id = ?", [.text(nowString), .text(invitation.id)])
            try audit(
                db, customer: invitation.customer, actor: actor, action: "invite.use", target: invitation.id,
                after: CanonicalJSON.object(["role": invitation.role]))
            invitation.usedAt = nowString
            return invitation
        }
    }

    /// Records that a role refused its sign-off of a target, with the reason: an event only
    /// (a refusal changes no state; the target stays unsigned, and a given sign-off is revoked
    /// through ``revokeSignoff(customer:target:role:reason:by:)``).
    public func refuseSignoff(customer slug: String, target: String, role: String, reason: String, by actor: String)
        throws
    {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.problem(.reasonRequired(.signoffRevocation)) }
        try SecretScanner.check(reason, what: "the reason")
        try write { db in
            let customer = try customerRecord(db, slug)
            let resolved = try signoffTarget(db, customer, target)
            guard let canonical = resolved.roles.first(where: { $0.caseInsensitiveCompare(role) == .orderedSame })
            else { throw StoreError.badInput("role '\(role)' does not sign off \(resolved.label)") }
            try audit(
                db, customer: slug, actor: actor, action: "signoff.refuse", target: resolved.target,
                after: CanonicalJSON.object(["role": canonical, "reason": reason]))
        }
    }

    /// The tracker's change counter: the number of audit events. Every write appends one, so
    /// a page built at one count is current for as long as the count stays the same.
    public func changeCounter() throws -> Int {
        try readStatement { db in Int(try db.integer("SELECT count FROM chain_head WHERE id = 1", [])) }
    }

    /// The change counter and, in the same statement, one account (nil: no such user): what
    /// `sop serve` needs to know on every request, in one round trip.
    public func changeCounter(account name: String) throws -> (counter: Int, user: UserAccount?) {
        try readStatement { db in
            let rows = try db.rows(
                "SELECT h.count AS sop_counter, u.* FROM chain_head h LEFT JOIN app_user u ON u.name = ? WHERE h.id = 1",
                [.text(name)])
            guard let row = rows.first else {
                throw StoreError(.integrity, "audit trail head is missing (run sop audit verify)")
            }
            return (row.int("sop_counter"), row["name"].text == nil ? nil : Self.user(row: row))
        }
    }

    /// The customers with audit events after the `counter`-th: what changed since a page (or a
    /// count kept beside one) was built at that counter. Events not about one customer (users,
    /// tokens) are left out.
    public func customersChanged(since counter: Int) throws -> Set<String> {
        try readStatement { db in
            Set(
                try db.rows(
                    "SELECT DISTINCT customer FROM audit_event WHERE seq > ? AND customer IS NOT NULL",
                    [.integer(Int64(counter))]
                ).map { $0.string("customer") })
        }
    }

    static func user(_ db: StoreSession, _ name: String) throws -> UserAccount? {
        try db.rows("SELECT * FROM app_user WHERE name = ?", [.text(name)]).first.map(user(row:))
    }

    static func user(row: SQLRow) -> UserAccount {
        var roles: [String] = []
        var reader = JSONReader(Array(row.string("roles").utf8))
        roles = reader.stringArray() ?? []
        return UserAccount(
            name: row.string("name"), roles: roles, passwordHash: row["password_hash"].text,
            createdAt: row.string("created_at"), createdBy: row.string("created_by"),
            disabledAt: row["disabled_at"].text)
    }

    static func invitation(row: SQLRow) -> Invitation {
        Invitation(
            id: row.string("id"), customer: row.string("slug"), role: row.string("role"), email: row.string("email"),
            createdAt: row.string("created_at"), createdBy: row.string("created_by"),
            expiresAt: row.string("expires_at"), usedAt: row["used_at"].text)
    }
}
