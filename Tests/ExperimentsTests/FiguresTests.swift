import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Experiments

/// Collects element names and attributes while parsing an SVG document.
private final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        elements.append((elementName, attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }
}

private struct ParsedSVG {
    var elements: [(name: String, attributes: [String: String])]
    var text: String

    /// Elements whose class attribute contains all of the given class names.
    func count(_ name: String? = nil, classes: [String]) -> Int {
        elements.filter { e in
            if let name, e.name != name { return false }
            let cls = Set((e.attributes["class"] ?? "").split(separator: " ").map(String.init))
            return classes.allSatisfy { cls.contains($0) }
        }.count
    }

    func count(_ name: String) -> Int { elements.filter { $0.name == name }.count }
}

final class FiguresTests: XCTestCase {

    // MARK: Helpers

    private func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedSVG {
        let data = Data(svg.utf8)
        let parser = XMLParser(data: data)
        let collector = SVGCollector()
        parser.delegate = collector
        let ok = parser.parse()
        XCTAssertTrue(ok, "SVG is not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
        let parsed = ParsedSVG(elements: collector.elements, text: collector.text)
        XCTAssertEqual(parsed.elements.first?.name, "svg", file: file, line: line)
        let root = parsed.elements.first?.attributes ?? [:]
        XCTAssertEqual(root["xmlns"], "http://www.w3.org/2000/svg", file: file, line: line)
        XCTAssertNotNil(root["viewBox"], file: file, line: line)
        XCTAssertEqual(root["font-family"], "sans-serif", file: file, line: line)
        return parsed
    }

    /// No attribute anywhere may hold a NaN or an infinity.
    private func assertNoNonFinite(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let p = try? parse(svg, file: file, line: line) else { return }
        for e in p.elements {
            for (key, value) in e.attributes {
                let v = value.lowercased()
                XCTAssertFalse(v.contains("nan") || v.contains("inf"), "<\(e.name) \(key)=\"\(value)\">", file: file, line: line)
            }
        }
    }

    private func gaussianCloud(n: Int, sx: Double, sy: Double, rho: Double, seed: UInt64) -> [(x: Double, y: Double)] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        var pts: [(x: Double, y: Double)] = []
        for _ in 0..<n {
            let r = (-2 * log(uniform())).squareRoot(), t = 2 * Double.pi * uniform()
            let z1 = r * cos(t), z2 = r * sin(t)
            pts.append((sx * z1, sy * (rho * z1 + (1 - rho * rho).squareRoot() * z2)))
        }
        return pts
    }

    private func sampleCloudSeries() -> [CloudSeries] {
        let a = gaussianCloud(n: 1500, sx: 1.0, sy: 0.5, rho: 0.6, seed: 1)
        let b = gaussianCloud(n: 1500, sx: 0.4, sy: 0.8, rho: -0.3, seed: 2).map { (x: $0.x + 0.5, y: $0.y - 0.2) }
        return [
            CloudSeries(
                label: "SGD η=0.1", points: a, mean: (0, 0), covariance: [[1, 0.3], [0.3, 0.25]],
                theoryMean: (0, 0), theoryCovariance: [[0.9, 0.25], [0.25, 0.3]]),
            CloudSeries(
                label: "Momentum <β=0.9> & \"heavy\"", points: b, mean: (0.5, -0.2),
                covariance: [[0.16, -0.096], [-0.096, 0.64]]),
        ]
    }

    // MARK: Ticks

    func testNiceTicksUnitInterval() {
        XCTAssertEqual(Figures.niceTicks(0, 1, target: 5), [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(Figures.tickLabels([0, 0.2, 0.4, 0.6, 0.8, 1]), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    func testNiceTicksMixedSign() {
        let ticks = Figures.niceTicks(-3.2, 7.9, target: 6)
        XCTAssertEqual(ticks, [-2, 0, 2, 4, 6])
        XCTAssertEqual(Figures.tickLabels(ticks), ["-2", "0", "2", "4", "6"])
    }

    func testNiceTicksAreNiceForManyRanges() {
        let ranges: [(Double, Double)] = [
            (0, 1), (-3.2, 7.9), (0.001, 0.0047), (-1e-6, 3e-6), (12345, 98765), (-250, -3), (0, 2e6),
            (1e-9, 1e-9 + 3e-12), (-0.5, 0.5),
        ]
        for (lo, hi) in ranges {
            let ticks = Figures.niceTicks(lo, hi, target: 6)
            XCTAssertGreaterThanOrEqual(ticks.count, 2, "\(lo)…\(hi): \(ticks)")
            XCTAssertLessThanOrEqual(ticks.count, 12, "\(lo)…\(hi): \(ticks)")
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow(10, floor(log10(step) + 1e-9))
            XCTAssertTrue(
                [1, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "\(lo)…\(hi): step \(step) is not nice")
            for t in ticks {
                XCTAssertGreaterThanOrEqual(t, lo - 1e-12 * max(1, abs(lo)))
                XCTAssertLessThanOrEqual(t, hi + 1e-12 * max(1, abs(hi)))
            }
            let labels = Figures.tickLabels(ticks)
            XCTAssertEqual(Set(labels).count, labels.count, "duplicate labels \(labels)")
            for l in labels {
                XCTAssertLessThanOrEqual(l.count, 9, "noisy label \(l)")
                XCTAssertFalse(l.contains("e+"), l)
            }
        }
    }

    func testTickLabelsHaveNoNoiseDigits() {
        let ticks = Figures.niceTicks(0, 0.7, target: 7)
        XCTAssertEqual(Figures.tickLabels(ticks), ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        XCTAssertEqual(Figures.tickLabels(Figures.niceTicks(0, 2e6, target: 4)), ["0", "0.5e6", "1.0e6", "1.5e6", "2.0e6"])
        XCTAssertEqual(Figures.tickLabels([-0.0, 5]), ["0", "5"])
    }

    func testNiceTicksDegenerateInputs() {
        XCTAssertEqual(Figures.niceTicks(.nan, 1), [])
        XCTAssertEqual(Figures.niceTicks(0, .infinity), [])
        XCTAssertEqual(Figures.niceTicks(2, 2), [2])
        XCTAssertGreaterThanOrEqual(Figures.niceTicks(1e300, 1e300 * 1.0000000001).count, 2)
        XCTAssertEqual(Figures.niceTicks(1e15, 1e15 + 1), [1e15, 1e15 + 1])  // indices too large: just the ends
        XCTAssertEqual(Figures.niceTicks(-1e308, 1e308), [-1e308, 1e308])  // span overflows: just the ends
    }

    func testAxisTicksKeepAtLeastThreeAndAvoidOverlap() {
        let t = Figures.axisTicks(-4.6, 4.6, pixels: 230, spacing: 55, horizontal: true, font: 11)
        XCTAssertGreaterThanOrEqual(t.count, 3, "\(t)")
        let wide = Figures.axisTicks(123_456.7, 123_999.1, pixels: 200, spacing: 40, horizontal: true, font: 11)
        XCTAssertGreaterThanOrEqual(wide.count, 2)
        let labels = Figures.tickLabels(wide)
        let gap = 200 * (wide[1] - wide[0]) / (123_999.1 - 123_456.7)
        XCTAssertGreaterThan(gap, labels.map { Figures.textWidth($0, size: 11) }.max() ?? 0, "\(labels)")
    }

    func testNumberFormatting() {
        XCTAssertEqual(SVGCanvas.num(123.456789), "123.5")
        XCTAssertEqual(SVGCanvas.num(.nan), "0")
        XCTAssertEqual(SVGCanvas.num(-0.001), "0")
        XCTAssertEqual(Figures.formatNumber(0.1 + 0.2), "0.3")
        XCTAssertEqual(SVGCanvas.escape("a&b<c>\"d\""), "a&amp;b&lt;c&gt;&quot;d&quot;")
    }

    // MARK: Ellipses

    func testEllipseAxes() throws {
        let d = try XCTUnwrap(Figures.ellipseAxes([[4, 0], [0, 1]]))
        XCTAssertEqual(d.0, 4, accuracy: 1e-12)
        XCTAssertEqual(d.1, 1, accuracy: 1e-12)
        XCTAssertEqual(d.2, 0, accuracy: 1e-12)
        let r = try XCTUnwrap(Figures.ellipseAxes([[2, 1], [1, 2]]))
        XCTAssertEqual(r.0, 3, accuracy: 1e-12)
        XCTAssertEqual(r.1, 1, accuracy: 1e-12)
        XCTAssertEqual(r.2, Double.pi / 4, accuracy: 1e-12)
        let v = try XCTUnwrap(Figures.ellipseAxes([[1, 0], [0, 9]]))
        XCTAssertEqual(v.0, 9, accuracy: 1e-12)
        XCTAssertEqual(abs(v.2), Double.pi / 2, accuracy: 1e-12)
        // Perfectly correlated: degenerate but drawable.
        XCTAssertNotNil(Figures.ellipseAxes([[1, 1], [1, 1]]))
        XCTAssertNil(Figures.ellipseAxes([[0, 0], [0, 1]]))
        XCTAssertNil(Figures.ellipseAxes([[-1, 0], [0, 1]]))
        XCTAssertNil(Figures.ellipseAxes([[.nan, 0], [0, 1]]))
        XCTAssertNil(Figures.ellipseAxes([[1, 2], [2, 1]]))  // indefinite
        XCTAssertNil(Figures.ellipseAxes([[1]]))
        XCTAssertNil(Figures.ellipseAxes([]))
    }

    func testEllipsePointsSatisfyQuadraticForm() throws {
        let cov: [[Double]] = [[2, 0.7], [0.7, 0.5]]
        let pts = try XCTUnwrap(Figures.ellipse(mean: (1, -2), covariance: cov, k: 2))
        let det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0]
        for (x, y) in pts {
            let dx = x - 1, dy = y + 2
            let q = (cov[1][1] * dx * dx - 2 * cov[0][1] * dx * dy + cov[0][0] * dy * dy) / det
            XCTAssertEqual(q, 4, accuracy: 1e-9)
        }
    }

    // MARK: Cloud figure

    func testCloudIsValidSVGWithLegendAndEllipses() throws {
        let series = sampleCloudSeries()
        let svg = Figures.cloud(series, xIndex: 0, yIndex: 3, minimum: (0, 0), title: "SGD & friends <2-D>")
        let p = try parse(svg)
        XCTAssertEqual(p.count(classes: ["legend-entry"]), series.count)
        // Two empirical ellipses (1σ, 2σ) per covariance, two theory ellipses for the first series.
        XCTAssertEqual(p.count("path", classes: ["ellipse", "empirical"]), 4)
        XCTAssertEqual(p.count("path", classes: ["ellipse", "theory"]), 2)
        XCTAssertEqual(p.count("path", classes: ["ellipse", "theory"]) > 0, svg.contains("stroke-dasharray"))
        XCTAssertEqual(p.count("g", classes: ["minimum"]), 2)  // plot + legend key
        XCTAssertEqual(p.count("circle") - 2 /* means */ - 2 /* legend markers */, 3000)
        XCTAssertTrue(p.text.contains("x[0]"))
        XCTAssertTrue(p.text.contains("x[3]"))
        XCTAssertTrue(svg.contains("Momentum &lt;β=0.9&gt; &amp; &quot;heavy&quot;"))
        XCTAssertTrue(p.text.contains("SGD & friends <2-D>"))
        assertNoNonFinite(svg)
    }

    func testCloudSubsamplesLargeSeries() throws {
        let pts = gaussianCloud(n: 10_000, sx: 1, sy: 1, rho: 0, seed: 7)
        let s = CloudSeries(label: "big", points: pts, mean: (0, 0), covariance: [[1, 0], [0, 1]])
        let svg = Figures.cloud([s], xIndex: 1, yIndex: 2, minimum: nil, title: "big")
        let p = try parse(svg)
        let scatterCircles = p.count("circle") - 1 /* mean */ - 1 /* legend */
        XCTAssertLessThanOrEqual(scatterCircles, 3000)
        XCTAssertGreaterThan(scatterCircles, 2000)
        XCTAssertEqual(Figures.scatterSubsample(pts).count, 2500)
        XCTAssertEqual(p.count(classes: ["minimum"]), 0)
    }

    func testCloudDensityShading() throws {
        let xEdges = stride(from: -2.0, through: 2.0, by: 0.5).map { $0 }
        let yEdges = stride(from: -1.0, through: 1.0, by: 0.25).map { $0 }
        var grid = [[Double]](repeating: [Double](repeating: 0, count: yEdges.count - 1), count: xEdges.count - 1)
        for i in grid.indices {
            for j in grid[i].indices { grid[i][j] = Double(i + j) }
        }
        grid[0][1] = .nan
        let g = DensityGrid(xEdges: xEdges, yEdges: yEdges, density: grid)
        let s = CloudSeries(label: "density only", density: g, mean: (0, 0), covariance: [[0.5, 0], [0, 0.1]])
        let svg = Figures.cloud([s], xIndex: 0, yIndex: 1, minimum: (0, 0), title: "density")
        let p = try parse(svg)
        let cells = p.elements.filter { $0.name == "rect" && $0.attributes["fill-opacity"] != nil }
        XCTAssertGreaterThan(cells.count, 40)
        let maxOpacity = cells.compactMap { Double($0.attributes["fill-opacity"]!) }.max() ?? 0
        XCTAssertLessThanOrEqual(maxOpacity, 1)
        XCTAssertEqual(p.count(classes: ["legend-entry"]), 1)
        assertNoNonFinite(svg)

        // Mismatched shapes must not crash.
        let bad = DensityGrid(xEdges: [0, 1], yEdges: [0], density: [[1, 2, 3], [4]])
        let s2 = CloudSeries(label: "bad", density: bad, mean: (0, 0), covariance: [[1, 0], [0, 1]])
        _ = try parse(Figures.cloud([s2], xIndex: 0, yIndex: 1, minimum: nil, title: "bad"))
    }

    func testCloudSurvivesDegenerateInputs() throws {
        let nan = Double.nan, inf = Double.infinity
        let cases: [[CloudSeries]] = [
            [],
            [CloudSeries(label: "", mean: (0, 0), covariance: [])],
            [CloudSeries(label: "one point", points: [(1, 1)], mean: (1, 1), covariance: [[0, 0], [0, 0]])],
            [CloudSeries(
                label: "nan", points: [(nan, 1), (inf, 2), (3, -inf), (1, 2)], mean: (nan, nan),
                covariance: [[nan, 0], [0, 1]], theoryMean: (inf, 0), theoryCovariance: [[-1, 0], [0, -1]])],
            [CloudSeries(label: "line", points: [(1, 5), (1, 6), (1, 7)], mean: (1, 6), covariance: [[0, 0], [0, 1]])],
            [CloudSeries(label: "huge", points: [(-1e308, 1e308), (1e308, -1e308)], mean: (0, 0), covariance: [[1e300, 0], [0, 1e300]])],
            [CloudSeries(label: "all nan", points: [(nan, nan)], mean: (nan, nan), covariance: [[nan, nan], [nan, nan]],
                         theoryMean: nil, theoryCovariance: [[1]])],
        ]
        for (i, series) in cases.enumerated() {
            let svg = Figures.cloud(series, xIndex: 0, yIndex: 1, minimum: i == 3 ? (nan, 0) : (0, 0), title: "case \(i)")
            let p = try parse(svg)
            XCTAssertEqual(p.count(classes: ["legend-entry"]), series.count, "case \(i)")
            assertNoNonFinite(svg)
        }
        // The degenerate covariances above produce no ellipse at all.
        let svg = Figures.cloud(cases[3], xIndex: 0, yIndex: 1, minimum: nil, title: "nan")
        XCTAssertEqual(try parse(svg).count(classes: ["ellipse"]), 0)
    }

    // MARK: Marginals figure

    private func histogram(mean: Double, std: Double, bins: Int) -> (edges: [Double], density: [Double]) {
        let lo = mean - 4 * std, w = 8 * std / Double(bins)
        let edges = (0...bins).map { lo + Double($0) * w }
        let density = (0..<bins).map { i -> Double in
            let c = lo + (Double(i) + 0.5) * w, z = (c - mean) / std
            return exp(-0.5 * z * z) / (std * (2 * Double.pi).squareRoot())
        }
        return (edges, density)
    }

    func testMarginalsIsValidSVGWithLegendAndCurves() throws {
        var panels: [[MarginalSeries]] = []
        for k in 0..<5 {
            let h1 = histogram(mean: 0, std: 1 + 0.1 * Double(k), bins: 30)
            let h2 = histogram(mean: 0.3, std: 0.5, bins: 25)
            panels.append([
                MarginalSeries(label: "SGD", edges: h1.edges, density: h1.density, theoryMean: 0, theoryStd: 1),
                MarginalSeries(label: "Adam & co", edges: h2.edges, density: h2.density),
            ])
        }
        let svg = Figures.marginals(panels, title: "Marginals")
        let p = try parse(svg)
        XCTAssertEqual(p.count(classes: ["legend-entry"]), 2)
        XCTAssertEqual(p.count(classes: ["legend-key"]), 1)
        XCTAssertEqual(p.count(classes: ["panel"]), 5)
        XCTAssertEqual(p.count("path", classes: ["histogram"]), 10)
        XCTAssertEqual(p.count("path", classes: ["theory"]), 5)
        for k in 0..<5 { XCTAssertTrue(p.text.contains("x[\(k)]")) }
        let root = p.elements[0].attributes
        XCTAssertEqual(Double(root["width"] ?? ""), 3 * 300 + 24)
        XCTAssertTrue(svg.contains("Adam &amp; co"))
        assertNoNonFinite(svg)
    }

    func testMarginalsSurvivesDegenerateInputs() throws {
        let nan = Double.nan
        let cases: [[[MarginalSeries]]] = [
            [],
            [[]],
            [[MarginalSeries(label: "empty", edges: [], density: [])]],
            [[MarginalSeries(label: "nan", edges: [0, 1, nan, 3], density: [0.5, nan, 0.5], theoryMean: nan, theoryStd: 1)]],
            [[MarginalSeries(label: "zero width", edges: [2, 2], density: [1], theoryMean: 2, theoryStd: 0)]],
            [[MarginalSeries(label: "mismatch", edges: [0, 1], density: [1, 2, 3], theoryMean: 0.5, theoryStd: 1e-9)]],
            [[MarginalSeries(label: "spike", edges: [0, 1, 2], density: [0.5, 0.5], theoryMean: 1, theoryStd: 1e-3)],
             [MarginalSeries(label: "negative σ", edges: [0, 1], density: [1], theoryMean: 0, theoryStd: -1)]],
        ]
        for (i, panels) in cases.enumerated() {
            let svg = Figures.marginals(panels, title: "case \(i)")
            let p = try parse(svg)
            let labels = Set(panels.flatMap { $0.map(\.label) })
            XCTAssertEqual(p.count(classes: ["legend-entry"]), labels.count, "case \(i)")
            assertNoNonFinite(svg)
        }
    }

    // MARK: Timeseries figure

    func testTimeseriesIsValidSVGWithLogStepsAndBurnIn() throws {
        let steps = [1, 2, 5, 10, 50, 100, 500, 1000, 1001, 2000]
        let panels = [
            TimeseriesPanel(title: "mean loss", series: [
                TimeseriesSeries(label: "sgd", steps: steps, values: steps.map { 1 / Double($0) + 0.01 }),
                TimeseriesSeries(label: "adam & co", steps: steps, values: steps.map { 2 / Double($0) + 0.02 }),
            ]),
            TimeseriesPanel(title: "covariance trace", series: [
                TimeseriesSeries(label: "sgd", steps: steps, values: steps.map { -0.5 + Double($0) / 2000 }),
                TimeseriesSeries(label: "adam & co", steps: steps, values: steps.map { _ in 0.3 }),
            ]),
        ]
        let svg = Figures.timeseries(panels, burnIn: 1000, title: "approach <to> stationarity")
        let p = try parse(svg)
        XCTAssertEqual(p.count(classes: ["legend-entry"]), 2)
        XCTAssertEqual(p.count(classes: ["legend-key"]), 1)
        XCTAssertEqual(p.count(classes: ["panel"]), 2)
        XCTAssertEqual(p.count("path", classes: ["series"]), 4)
        XCTAssertEqual(p.count("line", classes: ["burn-in"]), 2)
        XCTAssertTrue(p.text.contains("mean loss (log scale)"), "positive values spanning ≥ 20× get a log axis")
        XCTAssertFalse(p.text.contains("covariance trace (log scale)"), "values ≤ 0: linear axis")
        for label in ["1", "10", "100", "1000"] { XCTAssertTrue(p.text.contains(label)) }
        XCTAssertTrue(svg.contains("adam &amp; co"))
        assertNoNonFinite(svg)
    }

    func testTimeseriesSurvivesDegenerateInputs() throws {
        let nan = Double.nan, inf = Double.infinity
        let cases: [[TimeseriesPanel]] = [
            [],
            [TimeseriesPanel(title: "empty", series: [])],
            [TimeseriesPanel(title: "one point", series: [TimeseriesSeries(label: "a", steps: [1], values: [0])])],
            [TimeseriesPanel(title: "bad", series: [TimeseriesSeries(label: "b", steps: [0, -3, 5, 7], values: [nan, inf, -inf, 1])])],
            [TimeseriesPanel(title: "mismatch", series: [TimeseriesSeries(label: "c", steps: [1, 2, 3], values: [1])])],
            [TimeseriesPanel(title: "huge", series: [TimeseriesSeries(label: "d", steps: [1, Int.max], values: [1e-300, 1e300])])],
        ]
        for (i, panels) in cases.enumerated() {
            let svg = Figures.timeseries(panels, burnIn: i % 2 == 0 ? 3 : nil, title: "case \(i)")
            let p = try parse(svg)
            XCTAssertEqual(p.count(classes: ["legend-entry"]), Set(panels.flatMap { $0.series.map(\.label) }).count, "case \(i)")
            assertNoNonFinite(svg)
        }
    }
}
