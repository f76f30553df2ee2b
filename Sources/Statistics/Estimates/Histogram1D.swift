import CGSL

/// A 1-D histogram with uniform bins, held by GSL (gsl_histogram).
public struct Histogram1D: Sendable {
    /// bins + 1 edges.
    public let edges: [Double]
    public let counts: [Int]

    public init(range: ClosedRange<Double>, counts: [Int]) throws {
        _ = GSL.setUp
        let bins = counts.count
        guard let h = gsl_histogram_alloc(bins) else { throw GSLError(routine: "gsl_histogram_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_histogram_free(h) }
        try GSL.check(gsl_histogram_set_ranges_uniform(h, range.lowerBound, range.upperBound), "gsl_histogram_set_ranges_uniform")
        edges = (0...bins).map { h.pointee.range[$0] }
        self.counts = counts
    }

    public var bins: Int { counts.count }
    public var total: Int { counts.reduce(0, +) }

    /// count / (total · width): integrates to 1 over the range (0 when empty).
    public var density: [Double] {
        let n = Double(total)
        return (0..<bins).map { b in n > 0 ? Double(counts[b]) / (n * (edges[b + 1] - edges[b])) : 0 }
    }

    /// Sums `factor` neighbouring bins.
    func merged(by factor: Int) throws -> Histogram1D {
        let merged = Swift.stride(from: 0, to: bins, by: factor).map { counts[$0..<Swift.min(bins, $0 + factor)].reduce(0, +) }
        return try Histogram1D(range: edges[0]...edges[bins], counts: merged)
    }

    /// The level-quantile of all samples (including `below` and `above` the range), by
    /// linear interpolation of the cumulative histogram: gsl_histogram_pdf_sample. NaN when
    /// the quantile lies outside the range.
    func quantile(_ level: Double, below: Int, above: Int) throws -> Double {
        let inside = Double(total)
        let all = inside + Double(below + above)
        guard inside > 0 else { return .nan }
        let r = (level * all - Double(below)) / inside
        guard r >= 0, r < 1 else { return .nan }
        guard let h = gsl_histogram_alloc(bins), let pdf = gsl_histogram_pdf_alloc(bins) else {
            throw GSLError(routine: "gsl_histogram_pdf_alloc", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_histogram_free(h); gsl_histogram_pdf_free(pdf) }
        try GSL.check(gsl_histogram_set_ranges_uniform(h, edges[0], edges[bins]), "gsl_histogram_set_ranges_uniform")
        for b in 0..<bins { h.pointee.bin[b] = Double(counts[b]) }
        try GSL.check(gsl_histogram_pdf_init(pdf, h), "gsl_histogram_pdf_init")
        return gsl_histogram_pdf_sample(pdf, r)
    }
}

/// A 2-D histogram of coordinates (xIndex, yIndex), held by GSL (gsl_histogram2d).
public struct Histogram2D: Sendable {
    public let xIndex: Int
    public let yIndex: Int
    public let xEdges: [Double]
    public let yEdges: [Double]
    /// [ix·bins + iy]
    public let counts: [Int]

    public init(xIndex: Int, yIndex: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, bins: Int, counts: [Int]) throws {
        _ = GSL.setUp
        guard let h = gsl_histogram2d_alloc(bins, bins) else { throw GSLError(routine: "gsl_histogram2d_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_histogram2d_free(h) }
        try GSL.check(gsl_histogram2d_set_ranges_uniform(h, xRange.lowerBound, xRange.upperBound, yRange.lowerBound, yRange.upperBound),
                      "gsl_histogram2d_set_ranges_uniform")
        self.xIndex = xIndex
        self.yIndex = yIndex
        xEdges = (0...bins).map { h.pointee.xrange[$0] }
        yEdges = (0...bins).map { h.pointee.yrange[$0] }
        self.counts = counts
    }

    public var bins: Int { xEdges.count - 1 }

    /// count / (total · cell area): integrates to 1 over the grid.
    public var density: [Double] {
        let n = Double(counts.reduce(0, +))
        let area = (xEdges[1] - xEdges[0]) * (yEdges[1] - yEdges[0])
        return counts.map { n > 0 ? Double($0) / (n * area) : 0 }
    }
}
