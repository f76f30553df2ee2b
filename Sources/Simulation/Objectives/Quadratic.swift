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

    public var constantHessian: [Double]? { hessian }

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

/// A quadratic f(x) = ½(x − x*)ᵀH(x − x*) exactly, whose `constantHessian` is H: the
/// objective of the stationary theory.
public protocol QuadraticObjective: Objective {}

extension Quadratic: QuadraticObjective {
    /// quadratic: H given whole, as a diagonal, or by its eigenvalues under a random rotation.
    /// A diagonal H runs as `DiagonalQuadratic` (O(d) gradients).
    public static let entry = ObjectiveEntry(
        "quadratic", summary: "f(x) = ½ (x − x*)ᵀ H (x − x*)",
        parameters: [
            .documented("hessian", default: "—", valid: "symmetric, positive semi-definite d×d", meaning: "H as a list of rows"),
            .documented("diagonal", default: "—", valid: "≥ 0 each", meaning: "H = diag(values)"),
            .documented("eigenvalues", default: "—", valid: "≥ 0 each", meaning: "H = Q diag(λ) Qᵀ with Q a Haar-random rotation"),
            Parameter<UInt64>.seed("rotation_seed", .value(0), "seed of the rotation Q (with eigenvalues)").deferred,
            .documented("minimum", default: "zeros", valid: "d numbers", meaning: "x*"),
        ]
    ) { p, context in
        let map = p.map, owner = map.owner
        let forms = ["hessian", "diagonal", "eigenvalues"].filter { map.has($0) }
        guard forms.count == 1 else {
            throw owner.error(forms.isEmpty ? "gives no Hessian" : "gives the Hessian twice (\(forms.joined(separator: ", ")))",
                              expected: "exactly one of hessian, diagonal or eigenvalues")
        }
        if let seedNode = map["rotation_seed"], !map.has("eigenvalues") {
            throw seedNode.error("only applies with eigenvalues", expected: "eigenvalues: [...] beside rotation_seed")
        }
        var hessian: [Double]
        let d: Int
        if let h = map["hessian"] {
            hessian = try h.squareMatrix(size: nil)
            d = Int(Double(hessian.count).squareRoot())
            let scale = hessian.map(Swift.abs).max() ?? 0
            for i in 0..<d {
                for j in 0..<i where Swift.abs(hessian[i * d + j] - hessian[j * d + i]) > 1e-12 * Swift.max(scale, 1e-300) {
                    throw h.error("is not symmetric: entry [\(i)][\(j)] = \(hessian[i * d + j]) but [\(j)][\(i)] = \(hessian[j * d + i])",
                                  expected: "a symmetric matrix")
                }
            }
            // Exactly symmetric from here on.
            for i in 0..<d { for j in 0..<i { hessian[j * d + i] = hessian[i * d + j] } }
        } else if let diagonal = map["diagonal"] {
            let values = try diagonal.vector(count: nil, expected: "finite numbers") { _ in true }
            guard values.count <= 1000 else { throw owner.error("has dimension \(values.count)", expected: "at most 1000 coordinates") }
            d = values.count
            hessian = [Double](repeating: 0, count: d * d)
            for k in 0..<d { hessian[k * d + k] = values[k] }
            p.record("diagonal", .numbers(values))
        } else {
            let node = try map.required("eigenvalues", expected: "the eigenvalues of H")
            let values = try node.vector(count: nil, expected: "finite numbers") { _ in true }
            guard values.count <= 1000 else { throw node.error("has dimension \(values.count)", expected: "at most 1000 coordinates") }
            d = values.count
            let rotationSeed = try map["rotation_seed"]?.unsigned("an integer in 0...18446744073709551615") ?? 0
            hessian = try rotatedHessian(eigenvalues: values, seed: rotationSeed, services: context.services)
            p.record("eigenvalues", .numbers(values))
            p.record("rotation_seed", .unsigned(rotationSeed))
        }
        guard d <= 1000 else { throw owner.error("has dimension \(d)", expected: "at most 1000 coordinates") }
        let eigen: [Double]
        do { eigen = try context.services.symmetricEigen(hessian, n: d).values } catch {
            throw owner.error("the Hessian's eigenvalues could not be computed (\(error))", expected: nil)
        }
        let largest = eigen.map(Swift.abs).max() ?? 0
        if let smallest = eigen.first, smallest < -1e-12 * Swift.max(largest, 1e-300) {
            let key = map["hessian"] ?? map["diagonal"] ?? map["eigenvalues"] ?? owner
            throw key.error("has a negative eigenvalue \(smallest): the quadratic has no minimum", expected: "a positive semi-definite Hessian")
        }
        let minimum = try map["minimum"]?.vector(count: d, expected: "finite numbers") { _ in true } ?? [Double](repeating: 0, count: d)
        p.record("hessian", .matrix(hessian, d))
        var diagonal = true
        for i in 0..<d { for j in 0..<d where i != j && hessian[i * d + j] != 0 { diagonal = false } }
        if diagonal { return DiagonalQuadratic(curvatures: (0..<d).map { hessian[$0 * d + $0] }, minimum: minimum) }
        return Quadratic(hessian: hessian, minimum: minimum)
    }

    /// H = Q diag(λ) Qᵀ with Q Haar-random from the Philox stream of `seed`.
    static func rotatedHessian(eigenvalues: [Double], seed: UInt64, services: any CatalogueServices) throws -> [Double] {
        let d = eigenvalues.count
        let stream = NormalStream(generator: Philox4x32(seed: seed))
        var gaussian = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<((d + 1) / 2) {
                let (a, b) = stream.pair(chain: UInt32(i), step: 0, index: UInt32(j), purpose: .initialization)
                gaussian[i * d + 2 * j] = a
                if 2 * j + 1 < d { gaussian[i * d + 2 * j + 1] = b }
            }
        }
        let q = try services.orthogonal(fromGaussian: gaussian, n: d)
        var h = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = 0.0
                for k in 0..<d { s += q[i * d + k] * eigenvalues[k] * q[j * d + k] }
                h[i * d + j] = s
                h[j * d + i] = s
            }
        }
        return h
    }
}
