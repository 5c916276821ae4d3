/// A condition on customer attributes that decides whether an item applies,
/// e.g. `compliance has hipaa` or `not compliance has gdpr and regions has eu-west-1`.
///
/// Grammar (keywords are lower case, `and` binds tighter than `or`):
/// ```
/// expr  := term ("or" term)*
/// term  := unary ("and" unary)*
/// unary := "not" unary | "(" expr ")" | ATTRIBUTE ("has" | "is") VALUE
/// ```
/// Attributes are `compliance` and `regions` (sets) and `param.NAME`.
public indirect enum Condition: Sendable, Hashable, CustomStringConvertible {
    case has(attribute: String, value: String)
    case equals(attribute: String, value: String)
    case not(Condition)
    case and(Condition, Condition)
    case or(Condition, Condition)

    /// The attributes a condition may name besides `param.*`.
    public static let setAttributes: Set<String> = ["compliance", "regions"]

    public var description: String {
        switch self {
        case .has(let a, let v): return "\(a) has \(v)"
        case .equals(let a, let v): return "\(a) is \(v)"
        case .not(let c): return "not " + c.parenthesized
        case .and(let l, let r): return "\(l.parenthesizedUnlessAnd) and \(r.parenthesizedUnlessAnd)"
        case .or(let l, let r): return "\(l) or \(r)"
        }
    }

    private var parenthesized: String {
        switch self {
        case .has, .equals, .not: return description
        default: return "(\(description))"
        }
    }

    private var parenthesizedUnlessAnd: String {
        if case .or = self { return "(\(description))" }
        return description
    }

    /// Every attribute the condition reads.
    public var attributes: [String] {
        switch self {
        case .has(let a, _), .equals(let a, _): return [a]
        case .not(let c): return c.attributes
        case .and(let l, let r), .or(let l, let r): return l.attributes + r.attributes
        }
    }

    /// Every comparison the condition makes, as (attribute, value).
    public var comparisons: [(attribute: String, value: String)] {
        switch self {
        case .has(let a, let v), .equals(let a, let v): return [(a, v)]
        case .not(let c): return c.comparisons
        case .and(let l, let r), .or(let l, let r): return l.comparisons + r.comparisons
        }
    }

    public func evaluate(_ customer: CustomerAttributes) -> Bool {
        switch self {
        case .has(let attribute, let value):
            return customer.values(of: attribute).contains { $0.caseInsensitiveCompare(value) == .orderedSame }
        case .equals(let attribute, let value):
            let values = customer.values(of: attribute)
            return values.count == 1 && values[0].caseInsensitiveCompare(value) == .orderedSame
        case .not(let c): return !c.evaluate(customer)
        case .and(let l, let r): return l.evaluate(customer) && r.evaluate(customer)
        case .or(let l, let r): return l.evaluate(customer) || r.evaluate(customer)
        }
    }

    /// How deep parentheses and `not` may nest, and how many comparisons one condition may hold.
    /// The parser and every walk over a condition recurse; these bounds keep the recursion far
    /// from the stack's end whatever a template file holds (a file nesting 100,000 parentheses
    /// gets a lint error, not a crash).
    public static let maxNesting = 32
    public static let maxComparisons = 256

    /// Parses a condition; the error names the offending word.
    public static func parse(_ text: String) throws(ConditionError) -> Condition {
        var parser = ConditionParser(tokens: ConditionParser.tokenize(text))
        let condition = try parser.expression()
        if let extra = parser.peek() {
            throw ConditionError("unexpected '\(extra.prefix(40))' in condition '\(Self.excerpt(text))'")
        }
        return condition
    }

    /// The start of a condition, for messages (a hostile one can be megabytes long).
    static func excerpt(_ text: String) -> String { text.count > 80 ? text.prefix(77) + "..." : text }
}

public struct ConditionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The customer facts conditions are evaluated against.
public struct CustomerAttributes: Sendable {
    public var compliance: Set<String>
    public var regions: Set<String>
    public var parameters: [String: ParameterValue]

    public init(compliance: Set<String> = [], regions: Set<String> = [], parameters: [String: ParameterValue] = [:]) {
        self.compliance = Set(compliance.map { $0.lowercased() })
        self.regions = regions
        self.parameters = parameters
    }

    func values(of attribute: String) -> [String] {
        switch attribute {
        case "compliance": return compliance.sorted()
        case "regions": return regions.sorted()
        default:
            guard attribute.hasPrefix("param.") else { return [] }
            let name = String(attribute.dropFirst("param.".count))
            switch parameters[name] {
            case .list(let l)?: return l
            case let value?: return [value.description]
            case nil: return []
            }
        }
    }
}

private struct ConditionParser {
    var tokens: [String]
    var index = 0
    /// Open parentheses and `not`s around the current position.
    var nesting = 0
    var comparisons = 0

    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for ch in text {
            if ch == "(" || ch == ")" {
                if !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
                tokens.append(String(ch))
            } else if ch.isWhitespace {
                if !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    func peek() -> String? { index < tokens.count ? tokens[index] : nil }

    mutating func next() -> String? {
        defer { index += 1 }
        return peek()
    }

    mutating func expression() throws(ConditionError) -> Condition {
        var left = try term()
        while peek() == "or" {
            index += 1
            left = .or(left, try term())
        }
        return left
    }

    mutating func term() throws(ConditionError) -> Condition {
        var left = try unary()
        while peek() == "and" {
            index += 1
            left = .and(left, try unary())
        }
        return left
    }

    mutating func unary() throws(ConditionError) -> Condition {
        guard let token = next() else { throw ConditionError("condition ends too early") }
        switch token {
        case "not", "(":
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= Condition.maxNesting else {
                throw ConditionError("condition nests 'not' and parentheses deeper than \(Condition.maxNesting) levels")
            }
            if token == "not" { return .not(try unary()) }
            let inner = try expression()
            guard next() == ")" else { throw ConditionError("missing ')' in condition") }
            return inner
        case ")", "and", "or", "has", "is":
            throw ConditionError("unexpected '\(token.prefix(40))' in condition")
        default:
            comparisons += 1
            guard comparisons <= Condition.maxComparisons else {
                throw ConditionError("condition has more than \(Condition.maxComparisons) comparisons")
            }
            guard Condition.setAttributes.contains(token) || (token.hasPrefix("param.") && token.count > 6) else {
                throw ConditionError(
                    "unknown attribute '\(token.prefix(40))' in condition (use compliance, regions or param.NAME)")
            }
            guard let op = next() else { throw ConditionError("expected 'has' or 'is' after '\(token)'") }
            guard let value = next(), !["and", "or", "not", "(", ")"].contains(value) else {
                throw ConditionError("expected a value after '\(token) \(op)'")
            }
            switch op {
            case "has": return .has(attribute: token, value: value)
            case "is": return .equals(attribute: token, value: value)
            default: throw ConditionError("expected 'has' or 'is' after '\(token)', found '\(op)'")
            }
        }
    }
}
