/// A token of the formula language, with the 1-based character column it starts at.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case identifier(String)
        case leftParenthesis, rightParenthesis, leftBracket, rightBracket, comma
        case plus, minus, star, slash, caret
        case end
        /// A character sequence that is no token; the parser reports it when it gets there.
        case invalid(String)
    }

    let kind: Kind
    let text: String
    let column: Int

    /// How the token is quoted in messages.
    var quoted: String { kind == .end ? "end of formula" : "'\(text)'" }

    /// The tokens of `formula`, whitespace dropped, always ending with `.end` (at one past
    /// the last character).
    ///
    /// Numbers are `1`, `0.5`, `1.`, `.5`, `1e-3`, `2.5E+4`; an `e` after a number is an
    /// exponent only when digits follow, so `2*e` and `2e-3` both mean what they say.
    static func tokens(of formula: String) -> [ExpressionToken] {
        let characters = Array(formula)
        var tokens: [ExpressionToken] = []
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < characters.count && characters[k].isASCII && characters[k].isNumber }
        func isLetter(_ k: Int) -> Bool {
            k < characters.count && characters[k].isASCII && (characters[k].isLetter || characters[k] == "_")
        }
        while i < characters.count {
            let start = i
            let c = characters[i]
            let kind: Kind
            if c.isWhitespace {
                i += 1
                continue
            } else if isDigit(i) || (c == "." && isDigit(i + 1)) {
                while isDigit(i) { i += 1 }
                if i < characters.count && characters[i] == "." {
                    i += 1
                    while isDigit(i) { i += 1 }
                }
                if i < characters.count && (characters[i] == "e" || characters[i] == "E") {
                    let signed = i + 1 < characters.count && (characters[i + 1] == "+" || characters[i + 1] == "-")
                    let digits = i + (signed ? 2 : 1)
                    if isDigit(digits) {
                        i = digits
                        while isDigit(i) { i += 1 }
                    }
                }
                let text = String(characters[start..<i])
                if let value = Double(text) {
                    kind = .number(value)
                } else {
                    kind = .invalid("malformed number '\(text)'")
                }
            } else if isLetter(i) {
                while isLetter(i) || isDigit(i) { i += 1 }
                kind = .identifier(String(characters[start..<i]))
            } else {
                i += 1
                switch c {
                case "(": kind = .leftParenthesis
                case ")": kind = .rightParenthesis
                case "[": kind = .leftBracket
                case "]": kind = .rightBracket
                case ",": kind = .comma
                case "+": kind = .plus
                case "-": kind = .minus
                case "*": kind = .star
                case "/": kind = .slash
                case "^": kind = .caret
                default: kind = .invalid("unexpected character '\(c)'")
                }
            }
            tokens.append(ExpressionToken(kind: kind, text: String(characters[start..<i]), column: start + 1))
        }
        tokens.append(ExpressionToken(kind: .end, text: "", column: characters.count + 1))
        return tokens
    }
}
