import Foundation
import HummingbirdBcrypt
import SOPCore
import SOPStore

/// A token as `sop token create` returns it: the secret is shown once and never stored.
public struct NewToken: Sendable {
    public var token: AccessToken
    public var secret: String
}

/// An invitation as `sop invite` returns it: the link carries the secret, shown once.
public struct NewInvitation: Sendable {
    public var invitation: Invitation
    public var link: String
}

/// The role a team account may hold besides the templates' roles: it reads, and does nothing.
public let viewerRole = "Viewer"

extension SOPApplication {
    /// bcrypt's work factor: about 0.1 s per check on this class of machine, slow enough that a
    /// stolen table is expensive to guess through, fast enough for a sign-in.
    static let bcryptCost: UInt8 = 11

    /// `sop user add`: a team account with the template roles it holds (or `Viewer`).
    public func addUser(name: String, roles: [String], password: String?, by: String?) throws -> UserAccount {
        let actor = try context.actor(by)
        let name = try Self.accountName(name)
        let roles = try knownRoles(roles)
        var hash: String?
        if let password {
            guard password.count >= 12 else {
                throw AppError.badInput("the password is too short (at least 12 characters)")
            }
            guard password.utf8.count <= 72 else {
                throw AppError.badInput("the password is too long (bcrypt reads at most 72 bytes)")
            }
            hash = Bcrypt.hash(password, cost: Self.bcryptCost)
        }
        return try Tracker.with(context) { try $0.addUser(name: name, roles: roles, passwordHash: hash, by: actor) }
    }

    /// `sop user disable`: the account can no longer sign in; its tokens stop working.
    public func disableUser(name: String, by: String?) throws {
        let actor = try context.actor(by)
        try Tracker.with(context) { try $0.disableUser(name: name, by: actor) }
    }

    /// `sop user list`.
    public func users() throws -> [UserAccount] { try Tracker.with(context) { try $0.users() } }

    /// `sop token create`: a bearer token for scripts, valid until `expires` (`30d`, `12h`).
    public func createToken(user: String, expires: String, by: String?) throws -> NewToken {
        let actor = try context.actor(by)
        let until = try expiry(expires, option: "--expires")
        let secret = "sop_" + Self.randomSecret()
        let token = try Tracker.with(context) {
            try $0.addToken(
                user: user, tokenSHA256: ContentHash.sha256Hex(Data(secret.utf8)), expiresAt: until, by: actor)
        }
        return NewToken(token: token, secret: secret)
    }

    /// `sop invite`: a one-time sign-in link to the customer portal for one of the customer's
    /// template roles.
    public func invite(slug: String, role: String, email: String, expires: String, baseURL: String, by: String?)
        throws -> NewInvitation
    {
        let actor = try context.actor(by)
        let until = try expiry(expires, option: "--expires")
        let email = email.trimmingCharacters(in: .whitespaces)
        guard email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) != nil else {
            throw AppError.badInput("--email: '\(email)' is not an email address")
        }
        guard let base = URL(string: baseURL), ["http", "https"].contains(base.scheme ?? ""), base.host != nil else {
            throw AppError.badInput("--base-url: '\(baseURL)' is not an http(s) address")
        }
        let secret = Self.randomSecret()
        let invitation = try Tracker.with(context) { store in
            let customer = try store.customer(slug)
            let template = try context.pinnedTemplate(for: customer)
            guard let canonical = template.roles.first(where: { $0.caseInsensitiveCompare(role) == .orderedSame })
            else {
                throw AppError.badInput(
                    "--role: '\(role)' is not a role of \(template.reference) (roles: \(template.roles.joined(separator: ", ")))"
                )
            }
            return try store.addInvitation(
                customer: slug, role: canonical, email: email, tokenSHA256: ContentHash.sha256Hex(Data(secret.utf8)),
                expiresAt: until, by: actor)
        }
        let link = baseURL.hasSuffix("/") ? baseURL + "invite/" + secret : baseURL + "/invite/" + secret
        return NewInvitation(invitation: invitation, link: link)
    }

    /// The enabled account with this name and password, nil otherwise. The password is checked
    /// against a dummy hash when the account is unknown, so the answer takes as long either way.
    public func authenticate(name: String, password: String) throws -> UserAccount? {
        let user = try Tracker.with(context) { try $0.user(named: name) }
        guard let user, let hash = user.passwordHash, !user.isDisabled else {
            _ = Bcrypt.verify(password, hash: Self.dummyHash)
            return nil
        }
        return Bcrypt.verify(password, hash: hash) ? user : nil
    }

    /// The enabled, unexpired, unrevoked account behind a bearer token, nil otherwise.
    public func authenticate(bearer secret: String) throws -> UserAccount? {
        let sha = ContentHash.sha256Hex(Data(secret.utf8))
        let now = Timestamps.string(try context.now())
        guard let found = try Tracker.with(context, { try $0.token(sha256: sha) }),
            found.token.revokedAt == nil, found.token.expiresAt > now, !found.user.isDisabled
        else { return nil }
        return found.user
    }

    /// An enabled account by name (the trusted proxy's header names it), nil otherwise.
    public func account(named name: String) throws -> UserAccount? {
        guard let user = try Tracker.with(context, { try $0.user(named: name) }), !user.isDisabled else { return nil }
        return user
    }

    /// Uses an invitation link's secret once; refused when unknown, used or expired.
    public func redeemInvitation(secret: String) throws -> Invitation {
        let sha = ContentHash.sha256Hex(Data(secret.utf8))
        return try Tracker.with(context) { try $0.useInvitation(sha256: sha, by: "invitation") }
    }

    /// `sop signoff refuse` / the portal's refusal: recorded with its reason, state unchanged.
    public func refuseSignoff(slug: String, target: String, role: String, reason: String, by: String?) throws {
        let actor = try context.actor(by)
        try Tracker.with(context) {
            try $0.refuseSignoff(customer: slug, target: target, role: role, reason: reason, by: actor)
        }
    }

    /// The tracker's change counter (see `Store.changeCounter`).
    public func changeCounter() throws -> Int { try Tracker.with(context) { try $0.changeCounter() } }

    /// The change counter and whether `member` still has an enabled account, in one read: a
    /// member disabled since signing in is signed out at the next request (`user.disable` is an
    /// audit event, so it moves the counter too).
    public func changeCounter(member: String) throws -> (counter: Int, enabled: Bool) {
        let (counter, user) = try Tracker.with(context) { try $0.changeCounter(account: member) }
        return (counter, user.map { !$0.isDisabled } ?? false)
    }

    // MARK: Rules

    /// A name that can appear in the trail and on pages: printable, one line, not a secret.
    static func accountName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw AppError.badInput("the user name must not be empty") }
        guard name.count <= 100 else { throw AppError.badInput("the user name is longer than 100 characters") }
        guard
            !name.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            })
        else {
            throw AppError.badInput(
                "the user name '\(name.debugDescription.dropFirst().dropLast())' contains control characters")
        }
        if let finding = SecretScanner.scan(name).first {
            throw AppError.badInput(
                "refused: the user name looks like \(finding.kind.rawValue); secrets are never stored")
        }
        return name
    }

    /// The roles spelled as the templates spell them; an unknown role is refused.
    func knownRoles(_ roles: [String]) throws -> [String] {
        guard !roles.isEmpty else { throw AppError.badInput("--role: give at least one role") }
        var known = [viewerRole]
        for entry in context.templateLibrary.entries() {
            if let template = try? context.templateLibrary.load(entry.reference) {
                for role in template.roles where !known.contains(role) { known.append(role) }
            }
        }
        var result: [String] = []
        for role in roles {
            guard
                let match = known.first(where: {
                    $0.caseInsensitiveCompare(role.trimmingCharacters(in: .whitespaces)) == .orderedSame
                })
            else {
                throw AppError.badInput(
                    "--role: '\(role)' is not a role of any template (roles: \(known.joined(separator: ", ")))")
            }
            if !result.contains(match) { result.append(match) }
        }
        return result
    }

    /// `30d` or `12h` from now, at most a year; anything else is refused.
    func expiry(_ text: String, option: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, "dh".contains(unit), let count = Int(trimmed.dropLast()), count > 0,
            (unit == "d" ? count : (count + 23) / 24) <= 366
        else { throw AppError.badInput("\(option): '\(text)' is not a duration like 30d or 12h (at most 366d)") }
        let seconds = Double(count) * (unit == "d" ? 86_400 : 3_600)
        return Timestamps.string(try context.now().addingTimeInterval(seconds))
    }

    /// 32 random bytes from the system's generator, base64url without padding (43 characters).
    public static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A valid bcrypt hash of a random string, checked against when there is no account.
    static let dummyHash = Bcrypt.hash(randomSecret(), cost: bcryptCost)
}
