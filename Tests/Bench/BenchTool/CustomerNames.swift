/// Deterministic, varied customer names and slugs (`acme-logistics-0042`).
enum CustomerNames {
    static let first = [
        "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
        "Tyrell", "Cyberdyne", "Aperture", "Wonka", "Gringotts", "Monarch", "Oceanic", "Nakatomi",
        "Massive", "Dunder", "Pied Piper",
    ]
    static let second = [
        "Logistics", "Health", "Retail", "Analytics", "Foods", "Energy", "Media", "Finance",
        "Robotics", "Travel", "Insurance", "Biotech", "Games", "Telecom", "Shipping",
    ]

    static func parts(_ index: Int) -> (String, String) {
        (first[index % first.count], second[(index / first.count) % second.count])
    }

    static func name(_ index: Int) -> String {
        let (a, b) = parts(index)
        return "\(a) \(b) \(index / (first.count * second.count) + 1)"
    }

    static func slug(_ index: Int) -> String {
        let (a, b) = parts(index)
        let base = "\(a)-\(b)".lowercased().replacingOccurrences(of: " ", with: "-")
        let number = String(index)
        return base + "-" + String(repeating: "0", count: max(0, 4 - number.count)) + number
    }
}
