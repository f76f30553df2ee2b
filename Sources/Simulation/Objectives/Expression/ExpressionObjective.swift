/// A landscape written as a formula, e.g. `(x[0]^2 - 1)^2 + 0.3*x[0] + 0.5*x[1]^2`, with its
/// gradient and Hessian by forward-mode automatic differentiation.
///
/// The formula is parsed once into postfix code for a stack machine (`ExpressionProgram`);
/// the grammar is in `ExpressionParser`. Gradients over a tile run the code on
/// value-and-partials jets of up to 16 chains at a time in stack scratch, so they neither
/// allocate nor share mutable state. A formula that is NaN or infinite somewhere is
/// accepted; the engine's divergence check sees the non-finite iterates.
///
/// Derivative conventions: abs′(0) = 0; sqrt′(0) = +∞; an exactly zero partial stays zero
/// through the chain rule (0·∞ = 0, so ∂/∂x₁ sqrt(x[0]) = 0 even at x₀ = 0); `a^n` with a
/// constant integer n is exact for negative a; `a^b` with a varying exponent is
/// exp(b·log a), hence NaN for a < 0.
public struct ExpressionObjective: Objective {
    public let formula: String
    public let dimension: Int
    public let minimum: [Double]
    let program: ExpressionProgram
    let tiling: GradientTiling

    /// - Parameters:
    ///   - formula: f in terms of x[0] … x[dimension − 1].
    ///   - dimension: d ≥ 1.
    ///   - minimum: x*; when nil, found by damped Newton from a few starting points (see
    ///     `searchMinimum`), throwing "no minimum found: …" if none converges.
    /// - Throws: `ExpressionError`, with the column of the offending token.
    public init(formula: String, dimension: Int, minimum: [Double]? = nil) throws {
        guard dimension >= 1 else {
            throw ExpressionError(position: 1, message: "dim must be at least 1, not \(dimension)")
        }
        let program = try ExpressionParser.program(for: formula, dimension: dimension)
        if let minimum, minimum.count != dimension {
            throw ExpressionError(position: 1, message: "minimum has \(minimum.count) coordinates for dim \(dimension)")
        }
        self.formula = formula
        self.dimension = dimension
        self.program = program
        self.tiling = GradientTiling(depth: program.depth, dimension: dimension)
        self.minimum = try minimum ?? Self.searchMinimum(program)
    }

    public func value(at x: [Double]) -> Double {
        precondition(x.count == dimension, "point must have \(dimension) coordinates")
        return x.withUnsafeBufferPointer { program.value(at: $0.baseAddress!) }
    }

    public func hessian(at x: [Double]) -> [Double] { program.secondOrder(at: x).hessian }

    /// Second-order forward mode with the jet stack on the thread's stack.
    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        let d = dimension
        withUnsafeTemporaryAllocation(of: Double.self, capacity: program.secondOrderScratch) { buffer in
            let stack = buffer.baseAddress!
            program.secondOrder(x, stride: stride, chain: chain, stack: stack)
            h.update(from: stack + 1 + d, count: d * d)
        }
    }

    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        program.gradient(x, into: g, stride: stride, count: count, tiling: tiling)
    }
}

extension ExpressionObjective {
    public static let entry: ObjectiveEntry = {
        let dim = Parameter<Int>.integer("dim", .required, .within(1...100), "d")
        let formula = AnyParameter.documented("f", default: "required", valid: "+ - * / ^, ( ), exp log sin cos tanh sqrt abs, pi, e, numbers, x[i]",
                                              meaning: "the formula, e.g. \"(x[0]^2 - 1)^2 + 0.3*x[0] + 0.5*x[1]^2\"")
        let minimum = AnyParameter.documented("minimum", default: "found by Newton's method", valid: "d numbers",
                                              meaning: "x*, the point bias is measured from")
        return ObjectiveEntry("expression", summary: "f written as a formula of x[0] … x[d−1]; gradient and Hessian by automatic differentiation",
                              parameters: [formula, dim.deferred, minimum]) { p, _ in
            let formulaNode = try p.map.required("f", expected: "a formula such as \"(x[0]^2 - 1)^2 + 0.5*x[1]^2\"")
            let text = try formulaNode.string()
            let d = try p(dim)
            let point = try p.map["minimum"]?.vector(count: d, expected: "finite numbers") { _ in true }
            p.record("f", .string(text))
            do {
                return try ExpressionObjective(formula: text, dimension: d, minimum: point)
            } catch let error as ExpressionError {
                throw formulaNode.error(error.description,
                                        expected: error.message.hasPrefix("no minimum") ? "a bounded-below formula, or minimum: [...]" : "a valid formula")
            }
        }
    }()
}
