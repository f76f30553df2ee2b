#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The compiled code of a subexpression, and the rules that join subexpressions.
///
/// Joining folds constants (`2^3^2` compiles to the single constant 512), fuses a constant
/// operand into its operation, and evaluates the deeper operand of `+` and `*` first
/// (Sethi–Ullman order) so the stack stays shallow. None of this changes a result: the
/// folded constants are computed with the operations the evaluators use, `a + b` equals
/// `b + a` in IEEE arithmetic, and `a − c` equals `a + (−c)`.
struct ExpressionFragment {
    enum Operator { case add, subtract, multiply, divide, power }

    private(set) var code: [ExpressionInstruction]
    /// Stack slots needed to evaluate `code`.
    private(set) var depth: Int

    static func constant(_ c: Double) -> Self { Self(code: [.constant(c)], depth: 1) }
    static func variable(_ k: Int) -> Self { Self(code: [.variable(k)], depth: 1) }

    var constantValue: Double? {
        if code.count == 1, case .constant(let c) = code[0] { return c }
        return nil
    }

    func negated() -> Self {
        if let c = constantValue { return .constant(-c) }
        var result = self
        switch code.last {
        case .negate?: result.code.removeLast()
        case .multiplyConstant(let c)?: result.code[code.count - 1] = .multiplyConstant(-c)
        default: result.code.append(.negate)
        }
        return result
    }

    func applying(_ f: ExpressionUnary) -> Self {
        if let c = constantValue { return .constant(f.value(c)) }
        var result = self
        result.code.append(.unary(f))
        return result
    }

    /// aᵖ for a constant exponent: x^0 = 1, x^1 = x, x^2 a square, other integers exact
    /// integer powers, the rest `pow`.
    func raised(to p: Double) -> Self {
        if p == p.rounded(.towardZero) && Swift.abs(p) <= 1e9 {
            switch Int(p) {
            case 0: return .constant(1)
            case 1: return self
            case 2: return applying(.square)
            case let n: return applying(.integerPower(n))
            }
        }
        return applying(.realPower(p))
    }

    static func combine(_ op: Operator, _ a: Self, _ b: Self) -> Self {
        switch (op, a.constantValue, b.constantValue) {
        case (.add, let x?, let y?): return .constant(x + y)
        case (.add, let x?, nil): return b.appending(.addConstant(x))
        case (.add, nil, let y?): return a.appending(.addConstant(y))
        case (.add, nil, nil): return commutative(.add, a, b)

        case (.subtract, let x?, let y?): return .constant(x - y)
        case (.subtract, let x?, nil): return b.negated().appending(.addConstant(x))
        case (.subtract, nil, let y?): return a.appending(.addConstant(-y))
        case (.subtract, nil, nil): return ordered(.subtract, a, b)

        case (.multiply, let x?, let y?): return .constant(x * y)
        case (.multiply, let x?, nil): return b.appending(.multiplyConstant(x))
        case (.multiply, nil, let y?): return a.appending(.multiplyConstant(y))
        case (.multiply, nil, nil): return commutative(.multiply, a, b)

        case (.divide, let x?, let y?): return .constant(x / y)
        case (.divide, let x?, nil): return b.applying(.reciprocal(x))
        case (.divide, nil, let y?): return a.appending(.divideByConstant(y))
        case (.divide, nil, nil): return ordered(.divide, a, b)

        case (.power, _, let p?): return a.raised(to: p)
        // cᵇ = exp(b·log c); NaN for c < 0, as the general power.
        case (.power, let c?, nil):
            return c == M_E ? b.applying(.exp) : b.appending(.multiplyConstant(log(c))).applying(.exp)
        // aᵇ = exp(b·log a) when the exponent varies.
        case (.power, nil, nil): return combine(.multiply, a.applying(.log), b).applying(.exp)
        }
    }

    private func appending(_ instruction: ExpressionInstruction) -> Self {
        var result = self
        result.code.append(instruction)
        return result
    }

    private static func instruction(_ op: Operator) -> ExpressionInstruction {
        switch op {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .power: preconditionFailure("a power is compiled to exp and log")
        }
    }

    /// a ∘ b, a first.
    private static func ordered(_ op: Operator, _ a: Self, _ b: Self) -> Self {
        Self(code: a.code + b.code + [instruction(op)], depth: Swift.max(a.depth, b.depth + 1))
    }

    /// a ∘ b = b ∘ a, the deeper operand first.
    private static func commutative(_ op: Operator, _ a: Self, _ b: Self) -> Self {
        b.depth > a.depth ? ordered(op, b, a) : ordered(op, a, b)
    }
}
