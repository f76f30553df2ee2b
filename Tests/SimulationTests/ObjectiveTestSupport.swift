@testable import Simulation

/// One landscape under test, with a box to draw points from and a finite-difference step
/// matched to its shortest length scale.
struct ObjectiveCase {
    let name: String
    let objective: any Objective
    let localMinima: [[Double]]
    let lower: [Double]
    let upper: [Double]
    /// Central-difference step.
    let step: Double

    init(_ name: String, _ objective: any Objective, localMinima: [[Double]], box: ClosedRange<Double>, step: Double = 1e-5) {
        self.name = name
        self.objective = objective
        self.localMinima = localMinima
        lower = [Double](repeating: box.lowerBound, count: objective.dimension)
        upper = [Double](repeating: box.upperBound, count: objective.dimension)
        self.step = step
    }

    init(_ name: String, _ objective: any Objective, localMinima: [[Double]], lower: [Double], upper: [Double], step: Double = 1e-5) {
        self.name = name
        self.objective = objective
        self.localMinima = localMinima
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    func randomPoint(_ random: inout ObjectiveTestRandom) -> [Double] {
        (0..<objective.dimension).map { lower[$0] + (upper[$0] - lower[$0]) * random.uniform() }
    }

    /// The landscapes of this change, with parameters off their defaults too.
    static let all: [ObjectiveCase] = {
        var cases: [ObjectiveCase] = []
        func add<O: Objective>(_ name: String, _ o: O, minima: [[Double]], box: ClosedRange<Double>) {
            cases.append(ObjectiveCase(name, o, localMinima: minima, box: box))
        }
        for (d, a, b) in [(2, 1.0, 100.0), (5, 1.0, 100.0), (2, -0.7, 30.0), (4, 0.5, 10.0), (3, -1.2, 50.0), (6, 1.5, 100.0)] {
            let o = Rosenbrock(dimension: d, a: a, b: b)
            add("rosenbrock d=\(d) a=\(a) b=\(b)", o, minima: o.localMinima, box: -2...2)
        }
        for (d, amplitude) in [(1, 10.0), (3, 10.0), (4, 2.5), (2, 0.0)] {
            let o = Rastrigin(dimension: d, amplitude: amplitude)
            add("rastrigin d=\(d) A=\(amplitude)", o, minima: o.localMinima, box: -5.12...5.12)
        }
        for d in [1, 3] {
            let o = StyblinskiTang(dimension: d)
            add("styblinski-tang d=\(d)", o, minima: o.localMinima, box: -5...5)
        }
        for (barrier, tilt, curvatures) in [(1.0, 0.0, [1.0, 4.0]), (1.0, 0.3, [2.0]), (2.0, -0.5, []), (1.0, 3.0, [0.5, 1, 2]), (0.5, 0.2, [0.0])] {
            let o = DoubleWell(barrier: barrier, tilt: tilt, curvatures: curvatures)
            add("double-well barrier=\(barrier) tilt=\(tilt) curvatures=\(curvatures)", o, minima: o.localMinima, box: -2...2)
        }
        for (depth, target) in [(1, 1.0), (2, 1.0), (3, 2.0), (4, -2.0), (3, -8.0), (5, 0.7)] {
            let o = LinearNetwork(depth: depth, target: target)
            add("linear-network depth=\(depth) target=\(target)", o, minima: o.localMinima, box: -1.5...1.5)
        }
        for (name, mixture) in gaussianMixtures {
            let lower = (0..<mixture.dimension).map { i in mixture.means.map { $0[i] }.min()! - 2 }
            let upper = (0..<mixture.dimension).map { i in mixture.means.map { $0[i] }.max()! + 2 }
            cases.append(ObjectiveCase(name, mixture, localMinima: mixture.localMinima, lower: lower, upper: upper))
        }
        return cases
    }()

    static let gaussianMixtures: [(String, GaussianMixture)] = [
        ("mixture 1-D, 3 components", try! GaussianMixture(
            weights: [0.5, 0.3, 0.2], means: [[-2], [0.5], [3]], covariances: [[0.25], [1], [0.49]])),
        ("mixture 2-D sharp+flat", try! GaussianMixture(
            weights: [0.4, 0.6], means: [[0, 0], [3, 1]],
            covariances: [[0.1, 0.03, 0.03, 0.05], [1.0, -0.3, -0.3, 0.8]])),
        ("mixture 3-D, 3 components", try! GaussianMixture(
            weights: [1, 2, 0.5], means: [[0, 0, 0], [2, -1, 1], [-1, 2, 0.5]],
            covariances: [[1, 0.2, 0, 0.2, 0.5, 0.1, 0, 0.1, 0.7],
                          [0.3, 0, 0, 0, 0.3, 0, 0, 0, 0.3],
                          [2, -0.5, 0.3, -0.5, 1, 0, 0.3, 0, 0.6]])),
    ]
}

/// A fixed-seed stream of uniforms: splitmix64 of a counter.
struct ObjectiveTestRandom {
    private var counter: UInt64

    init(seed: UInt64) { counter = seed &* 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        counter &+= 1
        return SplitMix64.mix(counter)
    }

    /// Uniform on [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal by Box–Muller.
    mutating func normal() -> Double {
        let u = 1 - uniform(), v = uniform()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }
}

/// Points laid out as one engine tile: coordinate k of chain c at k·stride + c, padding
/// slots c ≥ count holding NaN in x and a sentinel in the gradient.
struct ObjectiveTile {
    static let sentinel = -9876.5
    let dimension: Int, stride: Int, count: Int
    var x: [Double]
    var gradient: [Double]

    init(points: [[Double]], stride: Int) {
        dimension = points[0].count
        count = points.count
        self.stride = stride
        precondition(count <= stride)
        x = [Double](repeating: .nan, count: dimension * stride)
        gradient = [Double](repeating: Self.sentinel, count: dimension * stride)
        for c in 0..<count { for k in 0..<dimension { x[k * stride + c] = points[c][k] } }
    }

    mutating func evaluate(_ objective: any Objective) {
        let (s, n) = (stride, count)
        x.withUnsafeBufferPointer { xp in
            gradient.withUnsafeMutableBufferPointer { gp in
                objective.gradient(xp.baseAddress!, into: gp.baseAddress!, stride: s, count: n)
            }
        }
    }

    func gradient(chain c: Int) -> [Double] { (0..<dimension).map { gradient[$0 * stride + c] } }

    var paddingIsUntouched: Bool {
        for k in 0..<dimension {
            for c in count..<stride where gradient[k * stride + c].bitPattern != Self.sentinel.bitPattern { return false }
        }
        return true
    }
}

extension Objective {
    /// The tile gradient at one point (a tile of one chain).
    func tileGradient(at point: [Double]) -> [Double] {
        var tile = ObjectiveTile(points: [point], stride: 1)
        tile.evaluate(self)
        return tile.gradient(chain: 0)
    }
}

enum ObjectiveTestMath {
    static func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

    /// Eigenvalues of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations.
    static func symmetricEigenvalues(_ matrix: [Double], order n: Int) -> [Double] {
        var a = matrix
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
            var scale = 0.0
            for i in 0..<n * n { scale += a[i] * a[i] }
            if off <= 1e-30 * scale || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {  // A ← A·J
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {  // A ← Jᵀ·A
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { a[$0 * n + $0] }.sorted()
    }
}
