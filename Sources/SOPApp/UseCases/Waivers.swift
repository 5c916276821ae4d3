import CloudRegions
import SOPChecks
import SOPCore
import SOPJSON
import SOPStore

extension SOPApplication {
    /// `sop waive`: asks for a waiver of an item or a check (optionally in one region, for some
    /// resources) until a date. It covers nothing until someone else approves it.
    public func requestWaiver(_ request: WaiverRequest, by: String?) throws -> WaiverInfo {
        let actor = try context.actor(by)
        if let at = request.target.lastIndex(of: "@") {
            let region = String(request.target[request.target.index(after: at)...])
            guard region == "global" || AWSRegionName.isValid(region) else {
                throw AppError.badInput("'\(region)' in '\(request.target)' is not an AWS region name")
            }
        }
        return try Tracker.with(context) { store in
            try store.recordExpiredWaivers(customer: request.customer)
            return try store.requestWaiver(request, checks: Set(CheckCatalog.ids), by: actor)
        }
    }

    /// `sop waiver approve|reject|revoke`: decides a waiver, as a role the template names for
    /// its item's sign-off, never by whoever asked for it.
    @discardableResult
    public func decideWaiver(
        slug: String, id: String, decision: WaiverInfo.Decision, role: String?, note: String? = nil, by: String?
    ) throws -> WaiverInfo {
        let actor = try context.actor(by)
        return try Tracker.with(context) { store in
            try store.recordExpiredWaivers(customer: slug)
            return try store.decideWaiver(
                customer: slug, id: id, decision: decision, role: role, note: note, by: actor)
        }
    }

    /// `sop waiver list`: every waiver (of one customer, or all), with the state in force today.
    public func waivers(slug: String?) throws -> WaiverList {
        try Tracker.with(context) { store in
            try store.recordExpiredWaivers(customer: slug)
            return WaiverList(
                today: String(Timestamps.string(try context.now()).prefix(10)),
                waivers: try store.waivers(customer: slug))
        }
    }

    /// `sop baseline set`: marks a run as the accepted state `sop verify --gate` compares with.
    public func setBaseline(slug: String, run: String?, by: String?) throws -> BaselineInfo {
        let actor = try context.actor(by)
        return try Tracker.with(context) { try $0.setBaseline(customer: slug, run: run, by: actor) }
    }
}

/// Waivers and the day their states are judged on.
public struct WaiverList: Sendable {
    public var today: String
    public var waivers: [WaiverInfo]

    /// The documented shape of `sop waiver list --json`: an array of
    /// `{"id","customer","target","target_kind","region","resources","reason","expires","state",
    /// "requested_by","requested_at","decided_by","decided_role","decided_at","ended_by","ended_at","note"}`.
    public var json: String {
        PrettyJSON.render(.array(waivers.map { WaiverJSON.value($0, today: today) }))
    }
}

enum WaiverJSON {
    static func value(_ waiver: WaiverInfo, today: String) -> PrettyJSON.Value {
        func optional(_ text: String?) -> PrettyJSON.Value { text.map { .string($0) } ?? .null }
        return .object([
            ("customer", .string(waiver.customer)), ("decided_at", optional(waiver.decidedAt)),
            ("decided_by", optional(waiver.decidedBy)), ("decided_role", optional(waiver.decidedRole)),
            ("ended_at", optional(waiver.endedAt)), ("ended_by", optional(waiver.endedBy)),
            ("expires", .string(waiver.expires)), ("id", .string(waiver.id)), ("note", optional(waiver.note)),
            ("reason", .string(waiver.reason)), ("region", optional(waiver.region)),
            ("requested_at", .string(waiver.requestedAt)), ("requested_by", .string(waiver.requestedBy)),
            ("resources", .strings(waiver.resources)), ("state", .string(waiver.state(today: today).rawValue)),
            ("target", .string(waiver.target)), ("target_kind", .string(waiver.targetKind)),
        ])
    }
}
