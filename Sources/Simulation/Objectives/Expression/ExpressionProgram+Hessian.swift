extension ExpressionProgram {
    /// f, ∇f and the row-major Hessian at one point, by second-order forward mode: every
    /// stack slot holds a jet (v, g, H) and the operations follow the product, quotient and
    /// chain rules, e.g. f(a) ↦ (f(v), f′(v)·g, f′(v)·H + f″(v)·g gᵀ).
    ///
    /// The partials are formed in the same order as in `gradient`, so the two agree to
    /// the last bit; allocates its stack (one per call).
    func secondOrder(at x: [Double]) -> (value: Double, gradient: [Double], hessian: [Double]) {
        precondition(x.count == dimension, "point must have \(dimension) coordinates")
        let d = dimension, m = 1 + d + d * d
        var stack = [Double](repeating: 0, count: secondOrderScratch)
        x.withUnsafeBufferPointer { point in
            stack.withUnsafeMutableBufferPointer { buffer in
                secondOrder(point.baseAddress!, stride: 1, chain: 0, stack: buffer.baseAddress!)
            }
        }
        return (stack[0], Array(stack[1...d]), Array(stack[(1 + d)..<m]))
    }

    /// Doubles of jet stack that `secondOrder` needs: depth·(1 + d + d²).
    var secondOrderScratch: Int { depth * (1 + dimension + dimension * dimension) }

    /// The second-order pass at one chain of a tile (coordinate k at x[k·stride + chain]),
    /// without allocating: the jets live in `stack` (`secondOrderScratch` doubles), and the
    /// result is its first jet — f at stack[0], ∇f at stack[1...d], the row-major Hessian after.
    func secondOrder(_ x: UnsafePointer<Double>, stride: Int, chain: Int, stack base: UnsafeMutablePointer<Double>) {
        let d = dimension, m = 1 + d + d * d
        code.withUnsafeBufferPointer { code in
            var top = base - m
            for instruction in code {
                switch instruction {
                case .constant(let c):
                    top += m
                    top.update(repeating: 0, count: m)
                    top[0] = c
                case .variable(let k):
                    top += m
                    top.update(repeating: 0, count: m)
                    top[0] = x[k * stride + chain]
                    top[1 + k] = 1
                case .add:
                    let b = top
                    top -= m
                    for i in 0..<m { top[i] += b[i] }
                case .subtract:
                    let b = top
                    top -= m
                    for i in 0..<m { top[i] -= b[i] }
                case .multiply:
                    let b = top
                    top -= m
                    let a = top
                    let av = a[0], bv = b[0]
                    let ga = a + 1, gb = b + 1, ha = a + 1 + d, hb = b + 1 + d
                    for i in 0..<d {
                        for j in 0..<d {
                            ha[i * d + j] = ha[i * d + j] * bv + av * hb[i * d + j] + ga[i] * gb[j] + gb[i] * ga[j]
                        }
                    }
                    for i in 0..<d { ga[i] = ga[i] * bv + av * gb[i] }
                    a[0] = av * bv
                case .divide:
                    // q = a/b, so a = q·b: ∇q = (∇a − q∇b)/b, Hq = (Ha − ∇q∇bᵀ − ∇b∇qᵀ − q·Hb)/b.
                    let b = top
                    top -= m
                    let a = top
                    let bv = b[0], q = a[0] / bv
                    let ga = a + 1, gb = b + 1, ha = a + 1 + d, hb = b + 1 + d
                    for i in 0..<d { ga[i] = (ga[i] - q * gb[i]) / bv }
                    for i in 0..<d {
                        for j in 0..<d {
                            ha[i * d + j] = (ha[i * d + j] - ga[i] * gb[j] - gb[i] * ga[j] - q * hb[i * d + j]) / bv
                        }
                    }
                    a[0] = q
                case .negate:
                    for i in 0..<m { top[i] = -top[i] }
                case .addConstant(let c):
                    top[0] += c
                case .multiplyConstant(let c):
                    for i in 0..<m { top[i] *= c }
                case .divideByConstant(let c):
                    for i in 0..<m { top[i] /= c }
                case .unary(let f):
                    let (v, s1, s2) = f.secondOrder(top[0])
                    let g = top + 1, h = top + 1 + d
                    for i in 0..<d {
                        for j in 0..<d {
                            h[i * d + j] = chainProduct(h[i * d + j], s1) + chainProduct(g[i] * g[j], s2)
                        }
                    }
                    for i in 0..<d { g[i] = chainProduct(g[i], s1) }
                    top[0] = v
                }
            }
        }
    }
}
