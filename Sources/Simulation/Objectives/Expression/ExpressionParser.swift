#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Recursive descent from tokens to a compiled `ExpressionProgram`.
///
/// Grammar (Python's precedence: `^` binds tighter than a unary sign on its left, and its
/// exponent may carry one, so `-2^2` = −4 and `2^-1` = 0.5; `^` is right-associative):
///
///     expression := term (('+' | '-') term)*
///     term       := unary (('*' | '/') unary)*
///     unary      := ('+' | '-') unary | power
///     power      := primary ('^' unary)?
///     primary    := number | 'x' '[' integer ']' | 'pi' | 'e'
///                 | function '(' expression ')' | '(' expression ')'
///     function   := exp | log | sin | cos | tanh | sqrt | abs
///
/// Errors are checked in three passes — characters that are no token, then unbalanced
/// parentheses, then the grammar from left to right — and report the column of the
/// offending token.
struct ExpressionParser {
    /// Parentheses, signs, function calls and exponents nested deeper than this are an error
    /// (they would only exhaust the parser's own stack).
    static let maximumNesting = 256

    private let tokens: [ExpressionToken]
    private let dimension: Int
    private var index = 0
    private var nesting = 0

    private init(tokens: [ExpressionToken], dimension: Int) {
        self.tokens = tokens
        self.dimension = dimension
    }

    /// The program computing `formula` over x₀ … x_{dimension−1}.
    static func program(for formula: String, dimension: Int) throws -> ExpressionProgram {
        let tokens = ExpressionToken.tokens(of: formula)
        if tokens.count == 1 { throw ExpressionError(position: 1, message: "empty expression") }
        for token in tokens {
            if case .invalid(let message) = token.kind { throw ExpressionError(position: token.column, message: message) }
        }
        try checkParentheses(tokens)
        var parser = ExpressionParser(tokens: tokens, dimension: dimension)
        let fragment = try parser.expression()
        let rest = parser.current
        if rest.kind != .end {
            throw ExpressionError(position: rest.column, message: "unexpected \(rest.quoted): expected an operator")
        }
        return ExpressionProgram(code: fragment.code, dimension: dimension)
    }

    /// Every '(' closed by a later ')': names the ')' without a partner, or else the
    /// innermost '(' left open.
    private static func checkParentheses(_ tokens: [ExpressionToken]) throws {
        var open: [Int] = []
        for token in tokens {
            if token.kind == .leftParenthesis {
                open.append(token.column)
            } else if token.kind == .rightParenthesis {
                if open.popLast() == nil {
                    throw ExpressionError(position: token.column, message: "unbalanced parenthesis: ')' has no matching '('")
                }
            }
        }
        if let column = open.last {
            throw ExpressionError(position: column, message: "unbalanced parenthesis: '(' is never closed")
        }
    }

    private var current: ExpressionToken { tokens[index] }

    private mutating func advance() -> ExpressionToken {
        defer { index += 1 }
        return tokens[index]
    }

    /// Runs `body` one level deeper, `opener` (a parenthesis, sign or `^`) being the token
    /// that opened the level.
    private mutating func nested<T>(in opener: ExpressionToken, _ body: (inout Self) throws -> T) throws -> T {
        guard nesting < Self.maximumNesting else {
            throw ExpressionError(position: opener.column, message: "formula nested too deeply (over \(Self.maximumNesting) levels)")
        }
        nesting += 1
        defer { nesting -= 1 }
        return try body(&self)
    }

    private mutating func expression() throws -> ExpressionFragment {
        var left = try term()
        while true {
            switch current.kind {
            case .plus:
                index += 1
                left = ExpressionFragment.combine(.add, left, try term())
            case .minus:
                index += 1
                left = ExpressionFragment.combine(.subtract, left, try term())
            default:
                return left
            }
        }
    }

    private mutating func term() throws -> ExpressionFragment {
        var left = try unary()
        while true {
            switch current.kind {
            case .star:
                index += 1
                left = ExpressionFragment.combine(.multiply, left, try unary())
            case .slash:
                index += 1
                left = ExpressionFragment.combine(.divide, left, try unary())
            default:
                return left
            }
        }
    }

    private mutating func unary() throws -> ExpressionFragment {
        switch current.kind {
        case .minus:
            let sign = advance()
            return try nested(in: sign) { try $0.unary() }.negated()
        case .plus:
            let sign = advance()
            return try nested(in: sign) { try $0.unary() }
        default:
            return try power()
        }
    }

    private mutating func power() throws -> ExpressionFragment {
        let base = try primary()
        guard current.kind == .caret else { return base }
        let caret = advance()
        let exponent = try nested(in: caret) { try $0.unary() }
        return ExpressionFragment.combine(.power, base, exponent)
    }

    private mutating func primary() throws -> ExpressionFragment {
        let token = current
        switch token.kind {
        case .number(let value):
            index += 1
            return .constant(value)
        case .leftParenthesis:
            index += 1
            let inner = try nested(in: token) { try $0.expression() }
            try expectClosingParenthesis()
            return inner
        case .identifier(let name):
            index += 1
            if name == "x" { return try variable(at: token) }
            if let f = ExpressionUnary.named[name] { return try call(f, named: token) }
            if name == "pi" { return .constant(.pi) }
            if name == "e" { return .constant(M_E) }
            if current.kind == .leftParenthesis {
                throw ExpressionError(position: token.column, message: "unknown function '\(name)'")
            }
            throw ExpressionError(position: token.column, message: "unknown identifier '\(name)'")
        default:
            throw ExpressionError(position: token.column, message: "expected a number or x[i]")
        }
    }

    /// `x` has been read; `[i]` follows.
    private mutating func variable(at x: ExpressionToken) throws -> ExpressionFragment {
        guard current.kind == .leftBracket else {
            throw ExpressionError(position: current.column, message: "expected '[' after 'x', as in x[0]")
        }
        index += 1
        let indexToken = advance()
        guard case .number = indexToken.kind, indexToken.text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ExpressionError(position: indexToken.column, message: "malformed variable: the i in x[i] must be a non-negative integer")
        }
        guard current.kind == .rightBracket else {
            throw ExpressionError(position: current.column, message: "expected ']' after x[\(indexToken.text)")
        }
        index += 1
        guard let k = Int(indexToken.text), k < dimension else {
            throw ExpressionError(position: x.column, message: "x[\(indexToken.text)] is out of range for dim \(dimension)")
        }
        return .variable(k)
    }

    /// A function name has been read; `(argument)` follows.
    private mutating func call(_ f: ExpressionUnary, named name: ExpressionToken) throws -> ExpressionFragment {
        guard current.kind == .leftParenthesis else {
            throw ExpressionError(position: current.column, message: "expected '(' after '\(name.text)'")
        }
        let parenthesis = advance()
        let argument = try nested(in: parenthesis) { try $0.expression() }
        if current.kind == .comma {
            throw ExpressionError(position: current.column, message: "'\(name.text)' takes one argument")
        }
        try expectClosingParenthesis()
        return argument.applying(f)
    }

    private mutating func expectClosingParenthesis() throws {
        guard current.kind == .rightParenthesis else {
            throw ExpressionError(position: current.column, message: "unexpected \(current.quoted): expected an operator or ')'")
        }
        index += 1
    }
}
