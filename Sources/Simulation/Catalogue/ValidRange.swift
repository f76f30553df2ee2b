/// The values a parameter accepts: one value that both checks an input and renders itself,
/// for the catalogue ("≥ 0", "[0, 1)") and for the error message of a value outside it.
public struct ValidRange<Value: Sendable>: Sendable {
    /// As the catalogue shows it.
    public let text: String
    /// How an error names what was expected, given the parameter's name.
    let phrase: @Sendable (String) -> String
    let check: @Sendable (Value) -> Bool

    public init(_ text: String, phrase: (@Sendable (String) -> String)? = nil, _ check: @escaping @Sendable (Value) -> Bool) {
        self.text = text
        self.phrase = phrase ?? { name in "\(name): \(text)" }
        self.check = check
    }

    public func contains(_ value: Value) -> Bool { check(value) }

    /// What an error about parameter `name` says was expected, e.g. "eps ≥ 0".
    public func expected(_ name: String) -> String { phrase(name) }
}

extension ValidRange where Value == Double {
    /// Any finite number.
    public static var any: Self { ValidRange("any", phrase: { _ in "a number" }) { _ in true } }
    public static func atLeast(_ a: Double) -> Self {
        let text = "≥ \(ParameterText.number(a))"
        return ValidRange(text, phrase: { "\($0) \(text)" }) { $0 >= a }
    }
    public static func above(_ a: Double) -> Self {
        let text = "> \(ParameterText.number(a))"
        return ValidRange(text, phrase: { "\($0) \(text)" }) { $0 > a }
    }
    /// [a, b], [a, b), (a, b] or (a, b).
    public static func interval(_ a: Double, _ b: Double, closedBelow: Bool = true, closedAbove: Bool = true) -> Self {
        let text = (closedBelow ? "[" : "(") + "\(ParameterText.number(a)), \(ParameterText.number(b))" + (closedAbove ? "]" : ")")
        return ValidRange(text, phrase: { "\($0) in \(text)" }) { x in
            (closedBelow ? x >= a : x > a) && (closedAbove ? x <= b : x < b)
        }
    }
}

extension ValidRange where Value == Int {
    public static func atLeast(_ a: Int) -> Self {
        ValidRange("integer ≥ \(a)", phrase: { "\($0), an integer ≥ \(a)" }) { $0 >= a }
    }
    public static func within(_ range: ClosedRange<Int>) -> Self {
        ValidRange("integer in \(range.lowerBound)...\(range.upperBound)",
                   phrase: { "\($0), an integer in \(range.lowerBound)...\(range.upperBound)" }) { range.contains($0) }
    }
}

/// How the catalogue writes numbers: 1e-8, 0.004, 10, 1e10.
public enum ParameterText {
    public static func number(_ x: Double) -> String {
        if x == x.rounded(), Swift.abs(x) < 1e6 { return String(Int(x)) }
        if x == x.rounded(), x > 0 {
            var exponent = 0, scaled = x
            while scaled >= 10, scaled.truncatingRemainder(dividingBy: 10) == 0 { scaled /= 10; exponent += 1 }
            if scaled < 10 { return "\(Int(scaled))e\(exponent)" }
        }
        var text = "\(x)"
        // Swift writes 1e-08; the catalogue 1e-8.
        if let e = text.firstIndex(of: "e") {
            var exponent = String(text[text.index(after: e)...])
            let sign = exponent.hasPrefix("-") ? "-" : ""
            exponent = String(exponent.drop { $0 == "-" || $0 == "+" || $0 == "0" })
            text = String(text[..<e]) + "e" + sign + exponent
        }
        return text
    }

    public static func numbers(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }
}
