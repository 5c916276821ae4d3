import Foundation
import SOPApp
import Synchronization

/// Browser sessions, in the server's memory: a random 256-bit id in an `HttpOnly` cookie maps
/// to the principal, its expiry, the token its forms carry and a one-time notice.
///
/// Nothing about a session is written to disk or to the tracker (a restart signs everyone out,
/// which is the safe direction); the sign-in itself is in the tracker only for invitations.
final class SessionStore: Sendable {
    struct Session: Sendable {
        var principal: Principal
        var expires: Date
        /// Carried by every form as `csrf`; a post without it is refused.
        var formToken: String
        /// Shown once on the next page (what the last action did, or why it was refused).
        var notice: Notice?
    }

    struct Notice: Sendable, Equatable {
        var text: String
        var isError: Bool
    }

    private let sessions = Mutex<[String: Session]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval) { self.lifetime = lifetime }

    /// A new session for `principal`; returns its id (the cookie's value).
    func create(_ principal: Principal, now: Date = Date()) -> String {
        let id = SOPApplication.randomSecret()
        let session = Session(
            principal: principal, expires: now.addingTimeInterval(lifetime), formToken: SOPApplication.randomSecret())
        sessions.withLock { table in
            // Expired sessions go when new ones come: the table never grows without bound.
            table = table.filter { $0.value.expires > now }
            table[id] = session
        }
        return id
    }

    /// The live session with this id, nil when unknown or expired.
    func session(_ id: String, now: Date = Date()) -> Session? {
        sessions.withLock { table in
            guard let session = table[id] else { return nil }
            guard session.expires > now else {
                table[id] = nil
                return nil
            }
            return session
        }
    }

    /// Takes the session's notice (it is shown once).
    func takeNotice(_ id: String) -> Notice? {
        sessions.withLock { table in
            let notice = table[id]?.notice
            table[id]?.notice = nil
            return notice
        }
    }

    func setNotice(_ id: String, _ notice: Notice) {
        sessions.withLock { $0[id]?.notice = notice }
    }

    func remove(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Ends every session of a team member (after their account is disabled).
    func removeAll(member name: String) {
        sessions.withLock { table in
            table = table.filter { if case .member(name, _) = $0.value.principal { false } else { true } }
        }
    }
}

/// Sign-in attempts per client address and per account name: after `limit` failures within
/// `window`, further attempts are refused until the window has passed (a guessing script gets
/// five tries per quarter hour, a person who mistyped is not locked out for long).
final class SignInLimiter: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `keys` may try again, nil when they may try now.
    func wait(_ keys: [String], now: Date = Date()) -> Int? {
        failures.withLock { table in
            var longest: TimeInterval?
            for key in keys {
                let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
                table[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let first = recent.first {
                    longest = max(longest ?? 0, window - now.timeIntervalSince(first))
                }
            }
            return longest.map { Int($0.rounded(.up)) }
        }
    }

    func failed(_ keys: [String], now: Date = Date()) {
        failures.withLock { table in
            for key in keys { table[key, default: []].append(now) }
        }
    }

    func succeeded(_ keys: [String]) {
        failures.withLock { table in
            for key in keys { table[key] = nil }
        }
    }
}
