import Foundation

/// A problem with the user's input, reported as one line
/// `FILE:LINE: KEY: problem (expected …)` and exit status 2.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int?
    public let key: String
    public let problem: String
    public let expected: String?

    public init(file: String, line: Int?, key: String, problem: String, expected: String? = nil) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        var text = key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
        if let expected { text += " (expected \(expected))" }
        return Self.oneLine(text)
    }

    /// One line, whatever the input held: every line break (CR, NEL, U+2028 … as well as LF)
    /// becomes a space and every other control character is shown escaped (`\u{1b}`), so an
    /// echoed key or value can neither split the message nor send escape sequences to the
    /// terminal.
    static func oneLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029:
                result.append(" ")
            case 0x09:
                result.append(scalar)
            case 0x00..<0x20, 0x7F..<0xA0:
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }
}

extension String {
    /// Levenshtein distance, for "did you mean" suggestions.
    func editDistance(to other: String) -> Int {
        let a = Array(self), b = Array(other)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count), current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// The closest candidate to a misspelt key, if any is close enough to be a plausible typo.
func suggestion(for key: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, key.lowercased().editDistance(to: $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= Swift.max(2, best.0.count / 3) ? best.0 : nil
}
