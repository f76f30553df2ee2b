import XCTest
@testable import Simulation

final class LinearRegressionTests: XCTestCase {
    static func finite(n: Int = 50, seed: UInt64 = 7) -> LinearRegression {
        LinearRegression(data: .generate(dimension: 3, count: n, weights: nil, featureScales: [1, 0.5, 2],
                                         noiseStd: 0.3, seed: seed))
    }

    static func stream() -> LinearRegression {
        LinearRegression(data: .generate(dimension: 3, count: nil, weights: [1, -2, 0.5], featureScales: [1, 0.5, 2],
                                         noiseStd: 0.3, seed: 7))
    }

    /// ∇f at one point through the tile interface, with the point in slot 1 of a 3-slot tile.
    static func gradient(_ o: LinearRegression, at x: [Double]) -> [Double] {
        let d = o.dimension, stride = 3
        var tile = [Double](repeating: 9, count: d * stride)
        for k in 0..<d { tile[k * stride + 1] = x[k] }
        var g = [Double](repeating: .nan, count: d * stride)
        tile.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                o.gradient(xp.baseAddress!, into: gp.baseAddress!, stride: stride, count: 2)
            }
        }
        for k in 0..<d { XCTAssertTrue(g[k * stride + 2].isNaN, "slot beyond count written") }
        return (0..<d).map { g[$0 * stride + 1] }
    }

    func testGradientAndHessianMatchCentralDifferences() {
        let x = [0.3, -1.1, 0.8]
        for o in [Self.finite(), Self.stream()] {
            let h = 1e-5
            let g = Self.gradient(o, at: x)
            let hessian = o.hessian(at: x)
            for k in 0..<3 {
                var plus = x, minus = x
                plus[k] += h
                minus[k] -= h
                // f is quadratic: the central difference is exact up to rounding ~ ε·|f|/h.
                let fd = (o.value(at: plus) - o.value(at: minus)) / (2 * h)
                XCTAssertEqual(g[k], fd, accuracy: 1e-7 * (1 + abs(fd)))
                let gPlus = Self.gradient(o, at: plus), gMinus = Self.gradient(o, at: minus)
                for j in 0..<3 {
                    let fdH = (gPlus[j] - gMinus[j]) / (2 * h)
                    XCTAssertEqual(hessian[j * 3 + k], fdH, accuracy: 1e-7 * (1 + abs(fdH)))
                }
            }
        }
    }

    func testStreamIsThePopulationObjective() {
        let o = Self.stream()
        let x = [0.3, -1.1, 0.8]
        let expected = 0.5 * ((0.3 - 1) * (0.3 - 1) * 1 + (-1.1 + 2) * (-1.1 + 2) * 0.25 + (0.8 - 0.5) * (0.8 - 0.5) * 4 + 0.09)
        XCTAssertEqual(o.value(at: x), expected, accuracy: 1e-14)
        XCTAssertEqual(o.minimum, [1, -2, 0.5])
        XCTAssertEqual(Self.gradient(o, at: o.minimum), [0, 0, 0])
    }

    func testMinimumIsStationary() {
        for o in [Self.finite(), Self.finite(n: 3, seed: 2), Self.finite(n: 2000, seed: 3), Self.stream()] {
            let g = Self.gradient(o, at: o.minimum)
            let scale = o.crossMoment.map(abs).reduce(0, +) + o.secondMoment.map(abs).reduce(0, +) * o.minimum.map(abs).reduce(0, +)
            XCTAssertLessThanOrEqual(g.map(abs).reduce(0, Swift.max), 1e-10 * scale, "\(g)")
            // A minimum of the value too: any small step raises f.
            let f0 = o.value(at: o.minimum)
            for k in 0..<3 {
                var y = o.minimum
                y[k] += 1e-3
                XCTAssertGreaterThan(o.value(at: y), f0)
            }
        }
    }

    func testFewerExamplesThanFeaturesGiveTheMinimumNormSolution() {
        let o = LinearRegression(data: .generate(dimension: 4, count: 2, weights: nil, featureScales: [1, 1, 1, 1],
                                                 noiseStd: 0.1, seed: 5))
        // Interpolation: every residual is zero, and x* lies in the row space of Z.
        let d = 4, z = o.data.features, y = o.data.targets
        for i in 0..<2 {
            let r = (0..<d).map { z[i * d + $0] * o.minimum[$0] }.reduce(0, +) - y[i]
            XCTAssertEqual(r, 0, accuracy: 1e-8)
        }
        XCTAssertEqual(o.value(at: o.minimum), 0, accuracy: 1e-14)
    }

    func testDataGenerationIsDeterministic() {
        let a = RegressionData.generate(dimension: 3, count: 20, weights: nil, featureScales: [1, 2, 3], noiseStd: 0.5, seed: 11)
        let b = RegressionData.generate(dimension: 3, count: 20, weights: nil, featureScales: [1, 2, 3], noiseStd: 0.5, seed: 11)
        let c = RegressionData.generate(dimension: 3, count: 20, weights: nil, featureScales: [1, 2, 3], noiseStd: 0.5, seed: 12)
        XCTAssertEqual(a.features, b.features)
        XCTAssertEqual(a.targets, b.targets)
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertEqual(a.count, 20)
        XCTAssertEqual(a.features.count, 60)
        XCTAssertNotEqual(a.features, c.features)
        XCTAssertNotEqual(a.targets, c.targets)
        XCTAssertNotEqual(a.weights, c.weights)
        // Examples are distinct, and given weights are kept.
        XCTAssertNotEqual(Array(a.features[0..<3]), Array(a.features[3..<6]))
        let given = RegressionData.generate(dimension: 3, count: nil, weights: [1, 2, 3], featureScales: [1, 1, 1], noiseStd: 0, seed: 11)
        XCTAssertEqual(given.weights, [1, 2, 3])
        XCTAssertNil(given.count)
        XCTAssertTrue(given.features.isEmpty && given.targets.isEmpty)
        // The drawn weights do not depend on n or on streaming.
        let streamed = RegressionData.generate(dimension: 3, count: nil, weights: nil, featureScales: [1, 2, 3], noiseStd: 0.5, seed: 11)
        XCTAssertEqual(streamed.weights, a.weights)
    }

    func testGeneratedDataFollowTheModel() {
        // 20000 examples: the sample variance of feature k has relative standard error
        // √(2/n) ≈ 1%, so 5% is 5σ; the residual variance likewise.
        let n = 20000
        let data = RegressionData.generate(dimension: 2, count: n, weights: [0.5, -1], featureScales: [0.5, 2], noiseStd: 0.3, seed: 3)
        for k in 0..<2 {
            let v = (0..<n).map { data.features[$0 * 2 + k] * data.features[$0 * 2 + k] }.reduce(0, +) / Double(n)
            XCTAssertEqual(v, data.featureScales[k] * data.featureScales[k], accuracy: 0.05 * data.featureScales[k] * data.featureScales[k])
        }
        let residual = (0..<n).map { i -> Double in
            let r = data.targets[i] - 0.5 * data.features[2 * i] + data.features[2 * i + 1]
            return r * r
        }.reduce(0, +) / Double(n)
        XCTAssertEqual(residual, 0.09, accuracy: 0.05 * 0.09)
    }

    func testExampleGradientCovarianceMatchesDirectSum() {
        let o = Self.finite(n: 30)
        let x = [0.4, 0.1, -0.7]
        let d = 3, n = 30
        let grads = (0..<n).map { i -> [Double] in
            let z = Array(o.data.features[(i * d)..<((i + 1) * d)])
            let r = zip(z, x).map { $0 * $1 }.reduce(0, +) - o.data.targets[i]
            return z.map { $0 * r }
        }
        let mean = (0..<d).map { k in grads.map { $0[k] }.reduce(0, +) / Double(n) }
        let full = Self.gradient(o, at: x)
        for k in 0..<d { XCTAssertEqual(mean[k], full[k], accuracy: 1e-12) }
        let cov = o.exampleGradientCovariance(at: x, labelNoiseStd: 0.5)
        for k in 0..<d {
            for j in 0..<d {
                let direct = grads.map { ($0[k] - mean[k]) * ($0[j] - mean[j]) }.reduce(0, +) / Double(n)
                XCTAssertEqual(cov[k * d + j], direct + 0.25 * o.secondMoment[k * d + j], accuracy: 1e-12)
            }
        }
    }
}
