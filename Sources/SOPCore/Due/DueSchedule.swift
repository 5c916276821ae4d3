/// Every item's due day for one customer, from the template's ``DueRule``s.
///
/// `start` is the day the customer was created; `customerDue` the customer's own due date. An
/// item without a rule has no due date, and so has an item anchored on one without a due date
/// (a chain through `customer-due-…` of a customer with no due date, or through an item with no
/// rule): a date made up from nothing would look like a plan. Chains are resolved iteratively in
/// any order of the template; a cycle (which the validator refuses) leaves its items undated
/// rather than looping.
public enum DueSchedule {
    public static func compute(_ items: [Item], start: String, customerDue: String?) -> [String: String] {
        guard let startDay = WorkingDays.dayNumber(start) else { return [:] }
        let dueDay = customerDue.flatMap(WorkingDays.dayNumber)
        let rules = Dictionary(
            items.compactMap { item in item.due.map { (item.id, $0) } }, uniquingKeysWith: { first, _ in first })
        var resolved: [String: Int64?] = [:]

        func direct(_ rule: DueRule) -> Int64?? {
            switch rule {
            case .start(let offset): return .some(offset.apply(to: startDay))
            case .customerDue(let offset): return .some(dueDay.map { offset.apply(to: $0, backwards: true) })
            case .after: return nil
            }
        }

        for item in items where resolved[item.id] == nil {
            // Walk the chain down to an anchor with a date (or none), then fill it back up.
            var chain: [String] = []
            var current: String? = item.id
            var base: Int64?
            while let id = current {
                if let known = resolved[id] {
                    base = known
                    break
                }
                if chain.contains(id) {  // a cycle: nothing in it is dated
                    base = nil
                    break
                }
                guard let rule = rules[id] else {
                    resolved[id] = .some(nil)
                    base = nil
                    break
                }
                chain.append(id)
                if let value = direct(rule) {
                    base = value
                    resolved[id] = .some(value)
                    chain.removeLast()
                    break
                }
                current = rule.anchorItem
            }
            for id in chain.reversed() {
                guard case .after(_, let offset)? = rules[id] else { continue }
                base = base.map { offset.apply(to: $0) }
                resolved[id] = .some(base)
            }
        }
        var days: [String: String] = [:]
        for (id, day) in resolved {
            if let day = day { days[id] = WorkingDays.text(day) }
        }
        return days
    }
}
