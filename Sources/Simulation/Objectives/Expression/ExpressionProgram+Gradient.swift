/// How a tile's gradients are cut into forward-mode passes, so that the scratch fits in
/// the 1 KiB that `withUnsafeTemporaryAllocation` always takes from the stack (above that
/// the runtime checks the space left on the thread's stack, and falls back to the heap
/// only if it is short).
///
/// A pass carries, for `lanes` chains side by side, each stack slot's value and
/// `directions` partial derivatives. All d directions in one pass with up to 16 lanes when
/// they fit; otherwise one lane and as many directions per pass as fit, the value being
/// recomputed in each pass (the "chunk" mode of ForwardDiff.jl). Only a formula whose
/// stack is deeper than 63 slots exceeds the budget.
struct GradientTiling: Sendable, Equatable {
    static let stackBudget = 1024 / MemoryLayout<Double>.stride
    static let maximumLanes = 16

    let lanes: Int
    let directions: Int
    /// Doubles of scratch: the stack, then one slope per lane.
    let scratch: Int

    init(depth: Int, dimension d: Int) {
        var lanes = Self.maximumLanes
        while lanes > 1 && (depth * (1 + d) + 1) * lanes > Self.stackBudget { lanes -= 1 }
        let directions = lanes > 1 ? d : Swift.max(1, Swift.min(d, (Self.stackBudget - 1) / depth - 1))
        self.lanes = lanes
        self.directions = directions
        self.scratch = (depth * (1 + directions) + 1) * lanes
    }
}

extension ExpressionProgram {
    /// g[k·stride + c] = ∂f/∂x_k at chain c, for c < count, with x in the same layout;
    /// forward-mode differentiation, allocation-free (the scratch is on the stack).
    func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int,
        tiling: GradientTiling
    ) {
        let d = dimension
        code.withUnsafeBufferPointer { code in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: tiling.scratch) { scratch in
                let stack = scratch.baseAddress!
                let slopes = stack + (tiling.scratch - tiling.lanes)
                var start = 0
                while start < count {
                    let n = Swift.min(tiling.lanes, count - start)
                    var first = 0
                    while first < d {
                        let directions = Swift.min(tiling.directions, d - first)
                        Self.forwardPass(
                            code, x: x + start, stride: stride, lanes: n, first: first, directions: directions,
                            stack: stack, slopes: slopes)
                        for j in 0..<directions {
                            (g + (first + j) * stride + start).update(from: stack + (1 + j) * n, count: n)
                        }
                        first += directions
                    }
                    start += n
                }
            }
        }
    }

    /// Runs the code on jets (value, ∂/∂x_first … ∂/∂x_{first+directions−1}) of `lanes`
    /// chains; the result is left in the first stack slot.
    ///
    /// A slot is laid out component-major — the lanes' values, then the lanes' first
    /// partials, … — so every operation is a short loop over contiguous lanes.
    @inline(__always)
    private static func forwardPass(
        _ code: UnsafeBufferPointer<ExpressionInstruction>, x: UnsafePointer<Double>, stride: Int,
        lanes n: Int, first: Int, directions: Int,
        stack: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>
    ) {
        let slot = (1 + directions) * n
        var top = stack - slot
        for instruction in code {
            switch instruction {
            case .constant(let c):
                top += slot
                top.update(repeating: c, count: n)
                (top + n).update(repeating: 0, count: slot - n)
            case .variable(let k):
                top += slot
                top.update(from: x + k * stride, count: n)
                (top + n).update(repeating: 0, count: slot - n)
                let j = k - first
                if j >= 0 && j < directions { (top + (1 + j) * n).update(repeating: 1, count: n) }
            case .add:
                let b = top
                top -= slot
                for i in 0..<slot { top[i] += b[i] }
            case .subtract:
                let b = top
                top -= slot
                for i in 0..<slot { top[i] -= b[i] }
            case .multiply:
                let b = top
                top -= slot
                let a = top
                for j in 1...directions {
                    let aj = a + j * n, bj = b + j * n
                    for l in 0..<n { aj[l] = aj[l] * b[l] + a[l] * bj[l] }
                }
                for l in 0..<n { a[l] *= b[l] }
            case .divide:
                let b = top
                top -= slot
                let a = top
                for l in 0..<n { a[l] /= b[l] }
                for j in 1...directions {
                    let aj = a + j * n, bj = b + j * n
                    for l in 0..<n { aj[l] = (aj[l] - a[l] * bj[l]) / b[l] }
                }
            case .negate:
                for i in 0..<slot { top[i] = -top[i] }
            case .addConstant(let c):
                for l in 0..<n { top[l] += c }
            case .multiplyConstant(let c):
                for i in 0..<slot { top[i] *= c }
            case .divideByConstant(let c):
                for i in 0..<slot { top[i] /= c }
            case .unary(let f):
                // One loop per function, so each is a straight loop over the lanes.
                switch f {
                case .exp: chainRule(top, n, directions, slopes) { ExpressionUnary.exp.firstOrder($0) }
                case .log: chainRule(top, n, directions, slopes) { ExpressionUnary.log.firstOrder($0) }
                case .sin: chainRule(top, n, directions, slopes) { ExpressionUnary.sin.firstOrder($0) }
                case .cos: chainRule(top, n, directions, slopes) { ExpressionUnary.cos.firstOrder($0) }
                case .tanh: chainRule(top, n, directions, slopes) { ExpressionUnary.tanh.firstOrder($0) }
                case .sqrt: chainRule(top, n, directions, slopes) { ExpressionUnary.sqrt.firstOrder($0) }
                case .abs: chainRule(top, n, directions, slopes) { ExpressionUnary.abs.firstOrder($0) }
                case .square: chainRule(top, n, directions, slopes) { ExpressionUnary.square.firstOrder($0) }
                case .integerPower(let p):
                    chainRule(top, n, directions, slopes) { ExpressionUnary.integerPower(p).firstOrder($0) }
                case .realPower(let p):
                    chainRule(top, n, directions, slopes) { ExpressionUnary.realPower(p).firstOrder($0) }
                case .reciprocal(let c):
                    chainRule(top, n, directions, slopes) { ExpressionUnary.reciprocal(c).firstOrder($0) }
                }
            }
        }
    }

    /// The slot's value v → f(v) and each partial p → f′(v)·p (0 staying 0).
    @inline(__always)
    private static func chainRule(
        _ slot: UnsafeMutablePointer<Double>, _ n: Int, _ directions: Int, _ slopes: UnsafeMutablePointer<Double>,
        _ f: (Double) -> (value: Double, slope: Double)
    ) {
        for l in 0..<n {
            let (v, s) = f(slot[l])
            slot[l] = v
            slopes[l] = s
        }
        for j in 1...directions {
            let p = slot + j * n
            for l in 0..<n { p[l] = chainProduct(p[l], slopes[l]) }
        }
    }
}
