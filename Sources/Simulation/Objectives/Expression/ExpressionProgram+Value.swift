extension ExpressionProgram {
    /// f(x) for x₀ … x_{d−1} stored contiguously.
    func value(at x: UnsafePointer<Double>) -> Double {
        code.withUnsafeBufferPointer { code in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: depth) { stack in
                let s = stack.baseAddress!
                var top = -1
                for instruction in code {
                    switch instruction {
                    case .constant(let c):
                        top += 1
                        s[top] = c
                    case .variable(let k):
                        top += 1
                        s[top] = x[k]
                    case .add:
                        top -= 1
                        s[top] += s[top + 1]
                    case .subtract:
                        top -= 1
                        s[top] -= s[top + 1]
                    case .multiply:
                        top -= 1
                        s[top] *= s[top + 1]
                    case .divide:
                        top -= 1
                        s[top] /= s[top + 1]
                    case .negate: s[top] = -s[top]
                    case .addConstant(let c): s[top] += c
                    case .multiplyConstant(let c): s[top] *= c
                    case .divideByConstant(let c): s[top] /= c
                    case .unary(let f): s[top] = f.value(s[top])
                    }
                }
                return s[0]
            }
        }
    }
}
