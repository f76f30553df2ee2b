import XCTest
@testable import Statistics

final class LinearAlgebraTests: XCTestCase {
    func testSymmetricEigen() throws {
        let (values, vectors) = try LinearAlgebra.symmetricEigen([2, 1, 1, 2], n: 2)
        XCTAssertEqual(values[0], 1, accuracy: 1e-14)
        XCTAssertEqual(values[1], 3, accuracy: 1e-14)
        // A v = λ v for each column.
        for c in 0..<2 {
            let v = [vectors[c], vectors[2 + c]]
            XCTAssertEqual(2 * v[0] + v[1], values[c] * v[0], accuracy: 1e-14)
        }
    }

    func testCholeskyAndSolve() throws {
        let a = [4.0, 2, 2, 3]
        let l = try LinearAlgebra.cholesky(a, n: 2)
        XCTAssertEqual(l[1], 0)
        let product = LinearAlgebra.multiply(l, l, n: 2, transposeB: true)
        for i in 0..<4 { XCTAssertEqual(product[i], a[i], accuracy: 1e-14) }
        XCTAssertThrowsError(try LinearAlgebra.cholesky([1, 2, 2, 1], n: 2), "not positive definite")
        let x = try LinearAlgebra.solve(a, [2, 1], n: 2)
        XCTAssertEqual(4 * x[0] + 2 * x[1], 2, accuracy: 1e-14)
        XCTAssertEqual(2 * x[0] + 3 * x[1], 1, accuracy: 1e-14)
        XCTAssertThrowsError(try LinearAlgebra.solve([1, 1, 1, 1], [1, 1], n: 2), "singular")
    }

    func testSpectralRadiusOfARotation() throws {
        let c = 0.6, s = 0.8
        XCTAssertEqual(try LinearAlgebra.spectralRadius([0.5 * c, -0.5 * s, 0.5 * s, 0.5 * c], n: 2), 0.5, accuracy: 1e-14)
    }

    func testOrthogonalFromGaussian() throws {
        let g = [0.3, -1.2, 0.8, 2.0, 0.1, -0.5, 1.1, 0.7, -0.9]
        let q = try LinearAlgebra.orthogonal(fromGaussian: g, n: 3)
        let qtq = LinearAlgebra.multiply(q, q, n: 3, transposeA: true)
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(qtq[i * 3 + j], i == j ? 1 : 0, accuracy: 1e-14) } }
    }
}
