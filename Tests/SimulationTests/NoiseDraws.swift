import XCTest
@testable import Simulation

/// Samples of a noise model through its `perturb`, as the engine calls it.
enum NoiseDraws {
    /// ξ of chains firstChain ..< firstChain + chains at steps 1...steps (added to g = 0 in
    /// one tile of `chains` slots, every chain at `x`, the origin by default): for noise that
    /// replaces the gradient (minibatch) the stochastic gradient itself. result[k] lists
    /// coordinate k, step-major.
    static func draws<N: GradientNoise>(
        _ noise: N, at point: [Double]? = nil, chains: Int, steps: Int, seed: UInt64, firstChain: Int = 0
    ) -> [[Double]] {
        let d = noise.dimension
        let normals = NormalSource(generator: Philox4x32(seed: seed))
        var result = [[Double]](repeating: [], count: d)
        for k in 0..<d { result[k].reserveCapacity(chains * steps) }
        var g = [Double](repeating: 0, count: d * chains)
        var x = [Double](repeating: 0, count: d * chains)
        if let point { for k in 0..<d { for c in 0..<chains { x[k * chains + c] = point[k] } } }
        var scratch = [Double](repeating: 0, count: d * chains)
        for t in 1...steps {
            for i in g.indices { g[i] = 0 }
            perturb(noise, &g, x: x, stride: chains, count: chains, firstChain: firstChain,
                    step: UInt32(t), normals: normals, scratch: &scratch)
            for k in 0..<d { result[k].append(contentsOf: g[(k * chains)..<((k + 1) * chains)]) }
        }
        return result
    }

    /// `perturb` on arrays.
    static func perturb<N: GradientNoise>(
        _ noise: N, _ g: inout [Double], x: [Double], stride: Int, count: Int, firstChain: Int,
        step: UInt32, normals: NormalSource, scratch: inout [Double]
    ) {
        g.withUnsafeMutableBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    noise.perturb(gp.baseAddress!, x: xp.baseAddress!, stride: stride, count: count,
                                  firstChain: firstChain, step: step, normals: normals, scratch: sp.baseAddress!)
                }
            }
        }
    }

    /// The noise of chains firstChain ..< firstChain + total at `step`, computed tile by tile
    /// with tiles of `tile` slots inside buffers of capacity `stride`; result[k·total + c].
    static func tiled<N: GradientNoise>(
        _ noise: N, firstChain: Int, total: Int, tile: Int, stride: Int, step: UInt32, normals: NormalSource
    ) -> [Double] {
        let d = noise.dimension
        var result = [Double](repeating: .nan, count: d * total)
        var start = 0
        while start < total {
            let count = Swift.min(tile, total - start)
            var g = [Double](repeating: 0, count: d * stride)
            var scratch = g
            let x = g
            perturb(noise, &g, x: x, stride: stride, count: count, firstChain: firstChain + start,
                    step: step, normals: normals, scratch: &scratch)
            for k in 0..<d {
                for c in 0..<count { result[k * total + start + c] = g[k * stride + c] }
                for c in count..<stride { precondition(g[k * stride + c] == 0, "slot beyond count touched") }
            }
            start += count
        }
        return result
    }
}

/// Sample moments for the statistical tests.
enum SampleMoments {
    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    /// Mean and standard error of the mean (sample standard deviation / √n).
    static func meanAndStandardError(_ v: [Double]) -> (mean: Double, se: Double) {
        let m = mean(v)
        let variance = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
        return (m, (variance / Double(v.count)).squareRoot())
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = mean(a), mb = mean(b)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let da = a[i] - ma, db = b[i] - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        return sab / (saa * sbb).squareRoot()
    }

    /// Checks draws (result[k] per coordinate) against a mean and a covariance: every mean
    /// within 5 standard errors (sample sd/√N) and every entry of the sample covariance within
    /// 5 standard errors (the sd of the centred products/√N). Returns the sample covariance
    /// and its standard errors.
    @discardableResult
    static func checkMoments(
        _ samples: [[Double]], mean expectedMean: [Double], covariance expected: [Double],
        file: StaticString = #filePath, line: UInt = #line
    ) -> (cov: [Double], se: [Double]) {
        let d = samples.count
        let n = Double(samples[0].count)
        var means = [Double](repeating: 0, count: d)
        for k in 0..<d {
            let (mean, se) = SampleMoments.meanAndStandardError(samples[k])
            means[k] = mean
            XCTAssertLessThanOrEqual(abs(mean - expectedMean[k]), 5 * se, "mean of coordinate \(k)", file: file, line: line)
        }
        var cov = [Double](repeating: 0, count: d * d), ses = cov
        for k in 0..<d {
            for j in 0..<d {
                let products = zip(samples[k], samples[j]).map { ($0 - means[k]) * ($1 - means[j]) }
                let (c, se) = SampleMoments.meanAndStandardError(products)
                cov[k * d + j] = c * n / (n - 1)
                ses[k * d + j] = se
                XCTAssertLessThanOrEqual(abs(cov[k * d + j] - expected[k * d + j]), 5 * se,
                                         "covariance (\(k), \(j)): \(cov[k * d + j]) vs \(expected[k * d + j])",
                                         file: file, line: line)
            }
        }
        return (cov, ses)
    }
}
