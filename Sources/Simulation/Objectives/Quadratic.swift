/// f(x) = ½ (x − x*)ᵀ H (x − x*) with a dense symmetric H.
public struct Quadratic: Objective {
    public let dimension: Int
    public let minimum: [Double]
    /// Row-major d×d, symmetric.
    public let hessian: [Double]

    public init(hessian: [Double], minimum: [Double]) {
        precondition(hessian.count == minimum.count * minimum.count, "Hessian must be d×d")
        self.dimension = minimum.count
        self.minimum = minimum
        self.hessian = hessian
    }

    public func value(at x: [Double]) -> Double {
        var total = 0.0
        for i in 0..<dimension {
            for j in 0..<dimension {
                total += (x[i] - minimum[i]) * hessian[i * dimension + j] * (x[j] - minimum[j])
            }
        }
        return 0.5 * total
    }

    public func hessian(at x: [Double]) -> [Double] { hessian }

    public func hessian(_ x: UnsafePointer<Double>, stride: Int, chain: Int, into h: UnsafeMutablePointer<Double>) {
        hessian.withUnsafeBufferPointer { h.update(from: $0.baseAddress!, count: dimension * dimension) }
    }

    public func gradient(
        _ x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) {
        hessian.withUnsafeBufferPointer { h in
            minimum.withUnsafeBufferPointer { m in
                for i in 0..<dimension {
                    let gi = g + i * stride
                    for c in 0..<count { gi[c] = 0 }
                    for j in 0..<dimension {
                        let hij = h[i * dimension + j]
                        if hij == 0 { continue }
                        let mj = m[j]
                        let xj = x + j * stride
                        for c in 0..<count { gi[c] += hij * (xj[c] - mj) }
                    }
                }
            }
        }
    }
}
