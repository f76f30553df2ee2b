import XCTest
@testable import Statistics

final class DiscreteLyapunovTests: XCTestCase {
    /// A non-symmetric A (a preconditioned heavy-ball block, ρ < 1) and a 4×2 B: the doubling
    /// solution satisfies Σ = A Σ Aᵀ + B C Bᵀ and is symmetric.
    func testResidualForANonSymmetricRecursion() throws {
        let a = [0.9, -0.3, -0.05, 0.0, 0.1, 0.7, 0.0, -0.08, 0.2, 0.05, 0.85, 0.0, 0.01, 0.3, 0.0, 0.8]
        let b = [-0.1, 0.0, 0.02, -0.2, 0.1, 0.0, 0.0, 0.1]
        let c = [1.0, 0.4, 0.4, 0.5]
        XCTAssertLessThan(try LinearAlgebra.spectralRadius(a, n: 4), 1)
        let q = DiscreteLyapunov.input(b: b, noise: c, n: 4, d: 2)
        let sigma = DiscreteLyapunov.smithDoubling(a: a, q: q, n: 4)
        let image = LinearAlgebra.multiply(LinearAlgebra.multiply(a, sigma, n: 4), a, n: 4, transposeB: true)
        let scale = sigma.map(Swift.abs).max()!
        for i in 0..<16 {
            XCTAssertEqual(image[i] + q[i], sigma[i], accuracy: 1e-14 * scale)
            XCTAssertEqual(sigma[i], sigma[(i % 4) * 4 + i / 4], accuracy: 1e-15 * scale)
        }
        // Q = B C Bᵀ entry by entry.
        for i in 0..<4 {
            for j in 0..<4 {
                var expected = 0.0
                for k in 0..<2 { for l in 0..<2 { expected += b[i * 2 + k] * c[k * 2 + l] * b[j * 2 + l] } }
                XCTAssertEqual(q[i * 4 + j], expected, accuracy: 1e-16)
            }
        }
    }
}
