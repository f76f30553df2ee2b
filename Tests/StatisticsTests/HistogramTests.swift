import XCTest
@testable import Statistics

final class HistogramTests: XCTestCase {
    func testDensityIntegratesToOne() throws {
        let h = try Histogram1D(range: -2...3, counts: [1, 4, 0, 7, 3])
        for (edge, expected) in zip(h.edges, [-2.0, -1, 0, 1, 2, 3]) { XCTAssertEqual(edge, expected, accuracy: 1e-15) }
        let integral = zip(h.density, zip(h.edges, h.edges.dropFirst())).reduce(0) { $0 + $1.0 * ($1.1.1 - $1.1.0) }
        XCTAssertEqual(integral, 1, accuracy: 1e-15)
    }

    /// Quantiles interpolate the cumulative counts linearly, and count samples outside the range.
    func testQuantiles() throws {
        let h = try Histogram1D(range: 0...4, counts: [10, 10, 10, 10])
        XCTAssertEqual(try h.quantile(0.5, below: 0, above: 0), 2, accuracy: 1e-12)
        XCTAssertEqual(try h.quantile(0.125, below: 0, above: 0), 0.5, accuracy: 1e-12)
        // 10 more samples below the range shift the median left by one bin's worth.
        XCTAssertEqual(try h.quantile(0.5, below: 10, above: 0), 1.5, accuracy: 1e-12)
        XCTAssertTrue(try h.quantile(0.05, below: 10, above: 0).isNaN, "quantile below the range")
    }

    func testMerging() throws {
        let h = try Histogram1D(range: 0...6, counts: [1, 2, 3, 4, 5, 6]).merged(by: 3)
        XCTAssertEqual(h.counts, [6, 15])
        for (edge, expected) in zip(h.edges, [0.0, 3, 6]) { XCTAssertEqual(edge, expected, accuracy: 1e-15) }
    }

    func test2DDensity() throws {
        let h = try Histogram2D(xIndex: 0, yIndex: 1, xRange: 0...2, yRange: 0...1, bins: 2, counts: [1, 2, 3, 4])
        for (edge, expected) in zip(h.xEdges + h.yEdges, [0.0, 1, 2, 0, 0.5, 1]) { XCTAssertEqual(edge, expected, accuracy: 1e-15) }
        XCTAssertEqual(h.density.reduce(0, +) * 0.5, 1, accuracy: 1e-15)
    }
}
