#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One step of a compiled formula: a stack machine over values (or, during
/// differentiation, over value-and-derivative jets).
///
/// Operations with a constant operand are fused (`x[0]*0.3` is one `.multiplyConstant`),
/// so constants rarely occupy the stack; every function of one argument, the powers with
/// a constant exponent among them, is a `.unary`, differentiated by the chain rule.
enum ExpressionInstruction: Sendable, Equatable {
    /// Push c.
    case constant(Double)
    /// Push x_k.
    case variable(Int)
    /// Pop b, pop a, push a ∘ b.
    case add, subtract, multiply, divide
    /// a → −a.
    case negate
    /// a → a + c (also a − c, as a + (−c), which IEEE rounds identically).
    case addConstant(Double)
    /// a → a·c.
    case multiplyConstant(Double)
    /// a → a / c.
    case divideByConstant(Double)
    /// a → f(a).
    case unary(ExpressionUnary)
}

/// A differentiable function of one argument, with its first and second derivatives.
///
/// Conventions at the edges: abs′(0) = 0; sqrt′(0) = +∞ (and sqrt″(0) = −∞), as are the
/// derivatives of `a^p` at 0 for p < 1; the integer powers use `pow` with an integer-valued
/// exponent, exact in sign for negative bases (`x^3` at −2 is −8 with slope 12).
enum ExpressionUnary: Sendable, Equatable {
    case exp, log, sin, cos, tanh, sqrt, abs
    /// a².
    case square
    /// aⁿ for a constant integer n ∉ {0, 1, 2}.
    case integerPower(Int)
    /// aᵖ for a constant non-integer p (NaN for a < 0).
    case realPower(Double)
    /// c / a.
    case reciprocal(Double)

    /// The function names of the grammar.
    static let named: [String: ExpressionUnary] = [
        "exp": .exp, "log": .log, "sin": .sin, "cos": .cos, "tanh": .tanh, "sqrt": .sqrt, "abs": .abs,
    ]

    @inline(__always)
    func value(_ a: Double) -> Double {
        switch self {
        case .exp: _exprExp(a)
        case .log: _exprLog(a)
        case .sin: _exprSin(a)
        case .cos: _exprCos(a)
        case .tanh: _exprTanh(a)
        case .sqrt: a.squareRoot()
        case .abs: Swift.abs(a)
        case .square: a * a
        case .integerPower(let n): _exprPow(a, Double(n))
        case .realPower(let p): _exprPow(a, p)
        case .reciprocal(let c): c / a
        }
    }

    /// (f(a), f′(a)).
    @inline(__always)
    func firstOrder(_ a: Double) -> (value: Double, slope: Double) {
        switch self {
        case .exp:
            let v = _exprExp(a)
            return (v, v)
        case .log: return (_exprLog(a), 1 / a)
        case .sin:
            let (s, c) = _sincos(a)
            return (s, c)
        case .cos:
            let (s, c) = _sincos(a)
            return (c, -s)
        case .tanh:
            let t = _exprTanh(a)
            return (t, 1 - t * t)
        case .sqrt:
            let r = a.squareRoot()
            return (r, 0.5 / r)
        case .abs: return (Swift.abs(a), a > 0 ? 1 : (a < 0 ? -1 : 0))
        case .square: return (a * a, 2 * a)
        case .integerPower(let n):
            let p = Double(n)
            return (_exprPow(a, p), p * _exprPow(a, p - 1))
        case .realPower(let p): return (_exprPow(a, p), p * _exprPow(a, p - 1))
        case .reciprocal(let c):
            let v = c / a
            return (v, -v / a)
        }
    }

    /// (f(a), f′(a), f″(a)).
    func secondOrder(_ a: Double) -> (value: Double, slope: Double, curvature: Double) {
        switch self {
        case .exp:
            let v = _exprExp(a)
            return (v, v, v)
        case .log: return (_exprLog(a), 1 / a, -1 / (a * a))
        case .sin:
            let (s, c) = _sincos(a)
            return (s, c, -s)
        case .cos:
            let (s, c) = _sincos(a)
            return (c, -s, -c)
        case .tanh:
            let t = _exprTanh(a)
            return (t, 1 - t * t, -2 * t * (1 - t * t))
        case .sqrt:
            let r = a.squareRoot()
            return (r, 0.5 / r, -0.25 / (r * a))
        case .abs: return (Swift.abs(a), a > 0 ? 1 : (a < 0 ? -1 : 0), 0)
        case .square: return (a * a, 2 * a, 2)
        case .integerPower(let n):
            let p = Double(n)
            return (_exprPow(a, p), p * _exprPow(a, p - 1), p * (p - 1) * _exprPow(a, p - 2))
        case .realPower(let p): return (_exprPow(a, p), p * _exprPow(a, p - 1), p * (p - 1) * _exprPow(a, p - 2))
        case .reciprocal(let c):
            let v = c / a
            return (v, -v / a, 2 * v / (a * a))
        }
    }
}

// libm under private names: inside ExpressionUnary, `exp` and friends name its cases.
@inline(__always) private func _exprExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func _exprLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func _exprSin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func _exprCos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func _exprTanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) private func _exprPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// p·s, except that an exactly zero partial stays zero: the chain rule treats 0·∞ as 0, so
/// `sqrt(x[0])` at x₀ = 0 has ∂/∂x₀ = +∞ but ∂/∂x₁ = 0, not NaN.
@inline(__always)
func chainProduct(_ p: Double, _ s: Double) -> Double { p == 0 ? 0 : p * s }
