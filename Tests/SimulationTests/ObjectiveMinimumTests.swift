import XCTest
@testable import Simulation

/// The reference minima: stationary, positive semi-definite, lowest among the listed local
/// minima and random points, and where they should be.
final class ObjectiveMinimumTests: XCTestCase {
    /// ‖∇f(x)‖∞ at a minimiser found to rounding is a few ulps of the terms that cancel in ∇f,
    /// i.e. ~ε·max|H|·(1 + ‖x‖∞); 1e-9 of that scale is ~10⁷ ulps of slack, while a point off
    /// the minimum by δ has ‖∇f‖ ≈ |H|·δ, so the test pins x* to ~1e-9 relative.
    private func assertStationaryAndConvex(_ f: any Objective, at x: [Double], _ name: String,
                                           file: StaticString = #filePath, line: UInt = #line) {
        let d = f.dimension
        XCTAssertEqual(x.count, d, name, file: file, line: line)
        let hessian = f.hessian(at: x)
        let scale = max(1, ObjectiveTestMath.maxAbs(hessian)) * (1 + ObjectiveTestMath.maxAbs(x))
        XCTAssertLessThanOrEqual(ObjectiveTestMath.maxAbs(f.tileGradient(at: x)), 1e-9 * scale, "\(name): not stationary at \(x)", file: file, line: line)
        let eigenvalues = ObjectiveTestMath.symmetricEigenvalues(hessian, order: d)
        XCTAssertGreaterThanOrEqual(eigenvalues[0], -1e-9 * max(1, ObjectiveTestMath.maxAbs(hessian)),
                                    "\(name): Hessian at \(x) has eigenvalues \(eigenvalues)", file: file, line: line)
    }

    /// The test's own eigenvalue routine, on matrices with known spectra.
    func testJacobiEigenvalues() {
        let cases: [([Double], [Double])] = [
            ([2, 1, 1, 2], [1, 3]),
            ([2, -1, 0, -1, 2, -1, 0, -1, 2], [2 - Double(2).squareRoot(), 2, 2 + Double(2).squareRoot()]),
            ([1, 0, 0, 0, -4, 0, 0, 0, 0], [-4, 0, 1]),
            ([0, 3, 3, 0], [-3, 3]),
        ]
        for (matrix, exact) in cases {
            let n = exact.count
            for (found, expected) in zip(ObjectiveTestMath.symmetricEigenvalues(matrix, order: n), exact) {
                XCTAssertEqual(found, expected, accuracy: 1e-14, "\(matrix)")
            }
        }
    }

    func testMinimumIsAStationaryPointWithPositiveSemidefiniteHessian() {
        for test in ObjectiveCase.all {
            assertStationaryAndConvex(test.objective, at: test.objective.minimum, test.name)
            XCTAssertFalse(test.localMinima.isEmpty, test.name)
            for local in test.localMinima { assertStationaryAndConvex(test.objective, at: local, "\(test.name) local minimum") }
            XCTAssertTrue(test.localMinima.contains(test.objective.minimum), "\(test.name): the minimum is one of the local minima")
        }
    }

    func testMinimumIsLowestAmongLocalMinimaAndRandomPoints() {
        var random = ObjectiveTestRandom(seed: 3)
        for test in ObjectiveCase.all {
            let f = test.objective, best = f.value(at: f.minimum)
            for local in test.localMinima {
                XCTAssertLessThanOrEqual(best, f.value(at: local), "\(test.name): \(local) is lower")
            }
            for _ in 0..<2000 {
                let x = test.randomPoint(&random)
                XCTAssertLessThanOrEqual(best, f.value(at: x), "\(test.name): \(x) is lower")
            }
        }
    }

    /// Rosenbrock without a closed form: no damped Newton descent from 300 random starts in
    /// [−2, 2]ᵈ ends lower than the chosen minimum.
    func testRosenbrockMinimumIsLowestOfManyDescents() {
        var random = ObjectiveTestRandom(seed: 4)
        for (d, a, b) in [(4, 0.5, 10.0), (3, -1.2, 50.0), (6, 1.5, 100.0), (5, 2.0, 1.0)] {
            let f = Rosenbrock(dimension: d, a: a, b: b)
            let best = f.value(at: f.minimum)
            assertStationaryAndConvex(f, at: f.minimum, "rosenbrock d=\(d) a=\(a)")
            for _ in 0..<300 {
                let start = (0..<d).map { _ in -2 + 4 * random.uniform() }
                let end = NewtonMinimizer.minimize(
                    from: start, value: f.value(at:), gradient: f.tileGradient(at:),
                    solve: NewtonMinimizer.denseSolve(hessian: f.hessian(at:)), curvatureScale: 1)
                XCTAssertLessThanOrEqual(best, end.value + 1e-12 * abs(end.value), "rosenbrock d=\(d) a=\(a): \(end.x)")
            }
        }
    }

    func testClosedForms() {
        XCTAssertEqual(Rosenbrock(dimension: 7).minimum, [Double](repeating: 1, count: 7))
        XCTAssertEqual(Rosenbrock(dimension: 3, a: 0, b: 5).minimum, [0, 0, 0])
        XCTAssertEqual(Rosenbrock(dimension: 2, a: -0.7, b: 30).minimum, [-0.7, -0.7 * -0.7])
        XCTAssertEqual(Rosenbrock(dimension: 7).value(at: Rosenbrock(dimension: 7).minimum), 0)
        XCTAssertEqual(Rastrigin(dimension: 3).minimum, [0, 0, 0])
        XCTAssertEqual(Rastrigin(dimension: 3).value(at: [0, 0, 0]), 0)

        // The Styblinski–Tang coordinate is the root of 4x³ − 32x + 5 to within rounding of
        // the cubic (whose terms are ~100, so a few ulps of 100), and its well-known value.
        let root = StyblinskiTang.coordinateMinimum
        XCTAssertLessThanOrEqual(abs(4 * root * root * root - 32 * root + 5), 4 * 100 * Double.ulpOfOne)
        XCTAssertEqual(root, -2.903534, accuracy: 1e-6)
        XCTAssertEqual(StyblinskiTang(dimension: 4).value(at: StyblinskiTang(dimension: 4).minimum), -4 * 39.16616570377142,
                       accuracy: 1e-12 * 160)

        XCTAssertEqual(LinearNetwork(depth: 1, target: -3).minimum, [-3])
        XCTAssertEqual(LinearNetwork(depth: 2, target: 4).minimum, [2, 2])
        XCTAssertEqual(LinearNetwork(depth: 3, target: -8).minimum, [-2, -2, -2])
        XCTAssertEqual(LinearNetwork(depth: 3, target: 0).minimum, [0, 0, 0])
        let negativeEven = LinearNetwork(depth: 4, target: -16)
        XCTAssertEqual(negativeEven.minimum, [-2, 2, 2, 2])
        XCTAssertEqual(negativeEven.localMinima, [negativeEven.minimum])
        let odd = LinearNetwork(depth: 5, target: 0.7)
        XCTAssertEqual(odd.minimum.reduce(1, *), 0.7, accuracy: 1e-15)
        XCTAssertEqual(Set(odd.minimum).count, 1, "balanced")
    }

    func testDoubleWellWells() {
        let flat = DoubleWell(curvatures: [1])
        XCTAssertEqual(flat.localMinima, [[-1, 0], [1, 0]])
        XCTAssertEqual(flat.minimum, [1, 0], "a tie takes the right well")

        let tilted = DoubleWell(barrier: 1, tilt: 0.3, curvatures: [2, 3])
        XCTAssertEqual(tilted.localMinima.count, 2)
        XCTAssertEqual(tilted.minimum, tilted.localMinima[0], "a positive tilt lowers the left well")
        XCTAssertLessThan(tilted.minimum[0], -1)
        XCTAssertGreaterThan(tilted.localMinima[1][0], 0)
        XCTAssertLessThan(tilted.value(at: tilted.localMinima[0]), tilted.value(at: tilted.localMinima[1]))
        for well in tilted.localMinima {
            let x = well[0]
            XCTAssertLessThanOrEqual(abs(4 * x * (x * x - 1) + 0.3), 16 * Double.ulpOfOne, "root of 4x(x² − 1) + tilt")
            XCTAssertEqual(Array(well[1...]), [0, 0])
        }

        let leftward = DoubleWell(barrier: 2, tilt: -0.5, curvatures: [])
        XCTAssertEqual(leftward.dimension, 1)
        XCTAssertEqual(leftward.minimum, leftward.localMinima[1], "a negative tilt lowers the right well")

        // Beyond |tilt| = 8·barrier/(3√3) ≈ 1.54·barrier only the well against the tilt is left.
        let steep = DoubleWell(barrier: 1, tilt: 3, curvatures: [1])
        XCTAssertEqual(steep.localMinima.count, 1)
        XCTAssertEqual(steep.minimum, steep.localMinima[0])
        XCTAssertLessThan(steep.minimum[0], -1)
        let justBelow = DoubleWell(barrier: 1, tilt: 1.5, curvatures: [])
        XCTAssertEqual(justBelow.localMinima.count, 2)
        XCTAssertEqual(DoubleWell(barrier: 1, tilt: -1.6, curvatures: []).localMinima.count, 1)
    }

    /// One sharp, deep and one flat, shallow basin: a local minimum near each mean, the global
    /// one in the sharp basin although the flat one carries more weight.
    func testMixtureWithSharpAndFlatComponentsHasTwoMinima() throws {
        let mixture = try GaussianMixture(
            weights: [0.3, 0.7], means: [[0, 0], [4, 2]], covariances: [[0.02, 0, 0, 0.02], [1.5, 0.4, 0.4, 1]])
        XCTAssertEqual(mixture.localMinima.count, 2)
        XCTAssertEqual(mixture.minimum, mixture.localMinima[0])
        let sharp = mixture.localMinima[0], flat = mixture.localMinima[1]
        XCTAssertLessThan(ObjectiveTestMath.maxAbs(sharp), 1e-4, "the flat component barely moves the sharp mode")
        XCTAssertLessThan(ObjectiveTestMath.maxAbs(zip(flat, [4.0, 2.0]).map { $0 - $1 }), 0.05)
        XCTAssertLessThan(mixture.value(at: sharp), mixture.value(at: flat))
        for local in mixture.localMinima {
            XCTAssertGreaterThan(ObjectiveTestMath.symmetricEigenvalues(mixture.hessian(at: local), order: 2)[0], 0)
        }
        // The basins are genuinely separate: f rises on the segment between the modes.
        let midpoint = zip(sharp, flat).map { 0.5 * ($0 + $1) }
        XCTAssertGreaterThan(mixture.value(at: midpoint), mixture.value(at: flat))
    }

    /// A light component inside a heavy one's basin has no minimum of its own; two equal
    /// components closer than 2σ merge into one minimum half-way.
    func testMixtureMergedComponentsGiveOneMinimum() throws {
        let swamped = try GaussianMixture(weights: [1, 0.05], means: [[0, 0], [0.8, 0]],
                                          covariances: [[1, 0, 0, 1], [0.5, 0, 0, 0.5]])
        XCTAssertEqual(swamped.localMinima.count, 1)
        let merged = try GaussianMixture(weights: [1, 1], means: [[-0.5], [0.5]], covariances: [[1], [1]])
        XCTAssertEqual(merged.localMinima.count, 1)
        XCTAssertEqual(merged.minimum[0], 0, accuracy: 1e-15)
        let split = try GaussianMixture(weights: [1, 1], means: [[-1.5], [1.5]], covariances: [[1], [1]])
        XCTAssertEqual(split.localMinima.count, 2)
        XCTAssertEqual(split.localMinima[0][0], -split.localMinima[1][0], accuracy: 1e-14)
    }

    func testMixtureRejectsInvalidParameters() {
        func error(_ w: [Double], _ m: [[Double]], _ c: [[Double]]) -> GaussianMixture.ParameterError? {
            do {
                _ = try GaussianMixture(weights: w, means: m, covariances: c)
                return nil
            } catch {
                return error as? GaussianMixture.ParameterError
            }
        }
        XCTAssertEqual(error([], [], []), .noComponents)
        XCTAssertEqual(error([1], [[0]], []), .componentCountMismatch(weights: 1, means: 1, covariances: 0))
        XCTAssertEqual(error([1], [[]], [[]]), .emptyMean)
        XCTAssertEqual(error([1, 1], [[0, 0], [0]], [[1, 0, 0, 1], [1]]), .meanDimension(component: 1, count: 1, expected: 2))
        XCTAssertEqual(error([1], [[0, 0]], [[1, 0, 1]]), .covarianceShape(component: 0, count: 3, expected: 4))
        XCTAssertEqual(error([1, 0], [[0], [1]], [[1], [1]]), .nonPositiveWeight(component: 1, weight: 0))
        XCTAssertEqual(error([1], [[.nan]], [[1]]), .notFinite(component: 0))
        XCTAssertEqual(error([1], [[0, 0]], [[1, 0.5, 0.4, 1]]), .asymmetricCovariance(component: 0, row: 0, column: 1))
        XCTAssertEqual(error([1], [[0, 0]], [[1, 2, 2, 1]]), .notPositiveDefinite(component: 0))
        XCTAssertEqual(error([1, 1], [[0, 0], [1, 1]], [[1, 0, 0, 1], [1, 1, 1, 1]]), .notPositiveDefinite(component: 1))
        XCTAssertEqual(error([1], [[0]], [[-1]]), .notPositiveDefinite(component: 0))
        XCTAssertTrue("\(GaussianMixture.ParameterError.notPositiveDefinite(component: 1))".contains("covariance 1"))
    }
}
