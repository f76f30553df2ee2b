import Foundation

/// A 2-D histogram: `density[ix][iy]` is the density on [xEdges[ix], xEdges[ix+1]] × [yEdges[iy], yEdges[iy+1]].
public struct DensityGrid: Sendable {
    public var xEdges: [Double]
    public var yEdges: [Double]
    public var density: [[Double]]

    public init(xEdges: [Double], yEdges: [Double], density: [[Double]]) {
        self.xEdges = xEdges
        self.yEdges = yEdges
        self.density = density
    }
}

/// One optimizer's cloud projected on two coordinates.
public struct CloudSeries: Sendable {
    public var label: String
    /// Subsample of the cloud; may be empty.
    public var points: [(x: Double, y: Double)]
    /// A 2-D histogram, used when `points` is empty.
    public var density: DensityGrid?
    public var mean: (x: Double, y: Double)
    /// 2×2 empirical covariance.
    public var covariance: [[Double]]
    public var theoryMean: (x: Double, y: Double)?
    /// 2×2 theoretical covariance, drawn dashed.
    public var theoryCovariance: [[Double]]?

    public init(
        label: String,
        points: [(x: Double, y: Double)] = [],
        density: DensityGrid? = nil,
        mean: (x: Double, y: Double),
        covariance: [[Double]],
        theoryMean: (x: Double, y: Double)? = nil,
        theoryCovariance: [[Double]]? = nil
    ) {
        self.label = label
        self.points = points
        self.density = density
        self.mean = mean
        self.covariance = covariance
        self.theoryMean = theoryMean
        self.theoryCovariance = theoryCovariance
    }
}

extension Figures {
    /// Most scatter points drawn per series; more are subsampled by a deterministic stride.
    static let maxScatterPoints = 3000

    /// The finite points of a series, subsampled by stride to at most `maxScatterPoints`.
    static func scatterSubsample(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let stride = points.count > maxScatterPoints
            ? (points.count + maxScatterPoints - 1) / maxScatterPoints : 1
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(min(points.count, maxScatterPoints))
        var i = 0
        while i < points.count {
            let p = points[i]
            if p.x.isFinite && p.y.isFinite { out.append(p) }
            i += stride
        }
        return out
    }

    /// The valid cells of a density grid: (x0, x1, y0, y1, density) with finite edges, x0 < x1, y0 < y1.
    static func densityCells(_ g: DensityGrid) -> [(Double, Double, Double, Double, Double)] {
        let nx = min(g.density.count, max(g.xEdges.count - 1, 0))
        var cells: [(Double, Double, Double, Double, Double)] = []
        for ix in 0..<nx {
            let row = g.density[ix]
            let ny = min(row.count, max(g.yEdges.count - 1, 0))
            let x0 = g.xEdges[ix], x1 = g.xEdges[ix + 1]
            guard x0.isFinite, x1.isFinite, x0 != x1 else { continue }
            for iy in 0..<ny {
                let d = row[iy]
                let y0 = g.yEdges[iy], y1 = g.yEdges[iy + 1]
                guard d.isFinite, d > 0, y0.isFinite, y1.isFinite, y0 != y1 else { continue }
                cells.append((min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1), d))
            }
        }
        return cells
    }

    /// The cloud of coordinates (xIndex, yIndex): one colour per series; scatter (points) or
    /// density shading; 1σ and 2σ empirical covariance ellipses (solid) and theory ellipses
    /// (dashed); the minimum as a cross; legend; axes with ticks and labels "x[i]".
    public static func cloud(
        _ series: [CloudSeries], xIndex: Int, yIndex: Int, minimum: (x: Double, y: Double)?, title: String
    ) -> String {
        let width = 720.0, height = 560.0
        let sigmas: [Double] = [1, 2]

        // Prepared per-series data.
        let scatter = series.map { scatterSubsample($0.points) }
        let cells: [[(Double, Double, Double, Double, Double)]] = series.indices.map { i in
            guard scatter[i].isEmpty, let g = series[i].density else { return [] }
            return densityCells(g)
        }

        // Data extent: points / density, means, 2σ ellipses (empirical and theory), minimum.
        var ex = Extent(), ey = Extent()
        for (i, s) in series.enumerated() {
            for p in s.points where p.x.isFinite && p.y.isFinite {
                ex.add(p.x)
                ey.add(p.y)
            }
            for c in cells[i] {
                ex.add(c.0); ex.add(c.1); ey.add(c.2); ey.add(c.3)
            }
            let centres: [((x: Double, y: Double), [[Double]]?)] = [
                (s.mean, s.covariance), (s.theoryMean ?? s.mean, s.theoryCovariance),
            ]
            for (m, cov) in centres {
                guard m.x.isFinite, m.y.isFinite else { continue }
                ex.add(m.x)
                ey.add(m.y)
                if let cov, let (hx, hy) = ellipseHalfExtents(cov, k: sigmas.max() ?? 2) {
                    ex.add(m.x - hx); ex.add(m.x + hx)
                    ey.add(m.y - hy); ey.add(m.y + hy)
                }
            }
            if let tm = s.theoryMean, tm.x.isFinite, tm.y.isFinite {
                ex.add(tm.x)
                ey.add(tm.y)
            }
        }
        if let m = minimum, m.x.isFinite, m.y.isFinite {
            ex.add(m.x)
            ey.add(m.y)
        }
        let xr = paddedRange(ex), yr = paddedRange(ey)

        // Legend geometry.
        let legendFont = 12.0
        let hasTheory = series.contains { s in s.theoryCovariance.map { ellipseAxes($0) != nil } ?? false }
        let hasEmpirical = series.contains { ellipseAxes($0.covariance) != nil }
        let hasMinimum = minimum.map { $0.x.isFinite && $0.y.isFinite } ?? false
        let maxLegendChars = 28
        let labels = series.map { truncate($0.label, maxChars: maxLegendChars) }
        var keyTexts: [String] = []
        if hasEmpirical { keyTexts.append("empirical 1σ, 2σ") }
        if hasTheory { keyTexts.append("theory 1σ, 2σ") }
        if hasMinimum { keyTexts.append("minimum") }
        let longest = (labels + keyTexts).map { textWidth($0, size: legendFont) }.max() ?? 0
        let legendWidth = min(max(longest + 44, 120), 240)

        // Plot geometry.
        let tickFont = 11.0, labelFont = 13.0
        let plotTop = 52.0
        let plotBottom = height - 58
        let plotRight = width - legendWidth - 28
        let yTicks = axisTicks(yr.lo, yr.hi, pixels: plotBottom - plotTop, spacing: 60, horizontal: false, font: tickFont)
        let yTickWidth = yTickLabelWidth(yTicks, size: tickFont)
        let plotLeft = 14 + labelFont + 12 + yTickWidth + 10
        let xs = Scale(lo: xr.lo, hi: xr.hi, pixLo: plotLeft, pixHi: plotRight)
        let ys = Scale(lo: yr.lo, hi: yr.hi, pixLo: plotBottom, pixHi: plotTop)
        let xTicks = axisTicks(xr.lo, xr.hi, pixels: plotRight - plotLeft, spacing: 70, horizontal: true, font: tickFont)

        var canvas = SVGCanvas(width: width, height: height)
        canvas.clipRect(id: "cloud-plot-area", x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop)

        canvas.text(
            truncate(title, maxChars: 90), x: width / 2, y: 30, size: 16, anchor: .middle, weight: "bold",
            extra: "class=\"title\"")
        drawAxes(
            &canvas, x: xs, y: ys, xTicks: xTicks, yTicks: yTicks,
            xLabel: "x[\(xIndex)]", yLabel: "x[\(yIndex)]", tickFont: tickFont, labelFont: labelFont,
            yLabelOffset: yTickWidth + 10 + 12)

        canvas.openGroup("class=\"data\" clip-path=\"url(#cloud-plot-area)\"")

        // Density shading (only for series without points).
        for (i, c) in cells.enumerated() where !c.isEmpty {
            let maxD = c.map { $0.4 }.max() ?? 0
            guard maxD > 0, maxD.isFinite else { continue }
            canvas.openGroup("class=\"density\" fill=\"\(color(i))\" stroke=\"none\"")
            for (x0, x1, y0, y1, d) in c {
                let alpha = 0.8 * d / maxD
                guard alpha >= 0.01 else { continue }
                let px0 = xs(x0), px1 = xs(x1), py0 = ys(y1), py1 = ys(y0)
                canvas.rect(
                    x: px0, y: py0, width: px1 - px0 + 0.3, height: py1 - py0 + 0.3,
                    attributes: "fill-opacity=\"\(SVGCanvas.opacity(alpha))\"")
            }
            canvas.closeGroup()
        }

        // Scatter.
        for (i, pts) in scatter.enumerated() where !pts.isEmpty {
            canvas.openGroup("class=\"scatter\" fill=\"\(color(i))\" fill-opacity=\"0.35\" stroke=\"none\"")
            for p in pts { canvas.circle(cx: xs(p.x), cy: ys(p.y), r: 1.7) }
            canvas.closeGroup()
        }

        // Ellipses: empirical solid, theory dashed; drawn on top of all clouds.
        for (i, s) in series.enumerated() {
            let col = color(i)
            for k in sigmas {
                let width = k == 1 ? 2.0 : 1.4
                if let e = ellipse(mean: s.mean, covariance: s.covariance, k: k) {
                    canvas.polyline(
                        e.map { (xs($0.0), ys($0.1)) }, closed: true,
                        attributes: "class=\"ellipse empirical sigma\(Int(k))\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"\(SVGCanvas.num(width))\"")
                }
                if let tc = s.theoryCovariance,
                   let e = ellipse(mean: s.theoryMean ?? s.mean, covariance: tc, k: k) {
                    canvas.polyline(
                        e.map { (xs($0.0), ys($0.1)) }, closed: true,
                        attributes: "class=\"ellipse theory sigma\(Int(k))\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"\(SVGCanvas.num(width))\" stroke-dasharray=\"7 4\"")
                }
            }
        }

        // Means: empirical filled dot, theory hollow diamond.
        for (i, s) in series.enumerated() {
            let col = color(i)
            if s.mean.x.isFinite, s.mean.y.isFinite {
                canvas.circle(
                    cx: xs(s.mean.x), cy: ys(s.mean.y), r: 3.5,
                    attributes: "class=\"mean\" fill=\"\(col)\" stroke=\"#fff\" stroke-width=\"1\"")
            }
            if let tm = s.theoryMean, tm.x.isFinite, tm.y.isFinite {
                let cx = xs(tm.x), cy = ys(tm.y), r = 5.0
                canvas.polyline(
                    [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], closed: true,
                    attributes: "class=\"theory-mean\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"1.4\"")
            }
        }

        // The minimum as a cross.
        if hasMinimum, let m = minimum {
            drawCross(&canvas, x: xs(m.x), y: ys(m.y), size: 7)
        }
        canvas.closeGroup()

        // Legend.
        let rowH = series.isEmpty ? 20.0 : min(20.0, max(11.0, (plotBottom - plotTop - 16 - Double(keyTexts.count) * 20 - 8) / Double(series.count)))
        let font = min(legendFont, rowH - 4)
        let lx = plotRight + 16
        var ly = plotTop
        let boxH = 12 + Double(series.count) * rowH + (keyTexts.isEmpty ? 0 : 8 + Double(keyTexts.count) * 20)
        canvas.openGroup("class=\"legend\"")
        if !series.isEmpty || !keyTexts.isEmpty {
            canvas.rect(x: lx, y: ly, width: legendWidth, height: boxH, attributes: "fill=\"#ffffff\" stroke=\"#bbb\" rx=\"3\"")
        }
        ly += 6
        for (i, s) in series.enumerated() {
            let cy = ly + rowH / 2
            canvas.openGroup("class=\"legend-entry\"")
            canvas.raw("<title>\(SVGCanvas.escape(s.label))</title>")
            if scatter[i].isEmpty && !cells[i].isEmpty {
                canvas.rect(x: lx + 10, y: cy - 5, width: 14, height: 10, attributes: "fill=\"\(color(i))\" fill-opacity=\"0.6\"")
            } else {
                canvas.line(x1: lx + 8, y1: cy, x2: lx + 26, y2: cy, attributes: "stroke=\"\(color(i))\" stroke-width=\"2\"")
                canvas.circle(cx: lx + 17, cy: cy, r: 4, attributes: "fill=\"\(color(i))\"")
            }
            canvas.text(labels[i], x: lx + 34, y: cy + font * 0.35, size: font)
            canvas.closeGroup()
            ly += rowH
        }
        if !keyTexts.isEmpty {
            ly += 4
            canvas.line(x1: lx + 6, y1: ly, x2: lx + legendWidth - 6, y2: ly, attributes: "stroke=\"#ddd\"")
            ly += 4
            for key in keyTexts {
                let cy = ly + 10
                canvas.openGroup("class=\"legend-key\"")
                switch key {
                case "minimum":
                    drawCross(&canvas, x: lx + 17, y: cy, size: 5)
                case "theory 1σ, 2σ":
                    canvas.line(x1: lx + 6, y1: cy, x2: lx + 28, y2: cy, attributes: "stroke=\"#555\" stroke-width=\"1.6\" stroke-dasharray=\"7 4\"")
                default:
                    canvas.line(x1: lx + 6, y1: cy, x2: lx + 28, y2: cy, attributes: "stroke=\"#555\" stroke-width=\"1.6\"")
                }
                canvas.text(key, x: lx + 34, y: cy + legendFont * 0.35, size: legendFont, fill: "#444")
                canvas.closeGroup()
                ly += 20
            }
        }
        canvas.closeGroup()

        if series.isEmpty {
            canvas.text(
                "no data", x: 0.5 * (plotLeft + plotRight), y: 0.5 * (plotTop + plotBottom), size: 14,
                anchor: .middle, fill: "#888")
        }
        return canvas.render(title: title)
    }

    /// An "×" marker in black with a white halo so it stays visible over dense clouds.
    static func drawCross(_ canvas: inout SVGCanvas, x: Double, y: Double, size: Double) {
        let segs = [(x - size, y - size, x + size, y + size), (x - size, y + size, x + size, y - size)]
        canvas.openGroup("class=\"minimum\"")
        for (x1, y1, x2, y2) in segs {
            canvas.line(x1: x1, y1: y1, x2: x2, y2: y2, attributes: "stroke=\"#ffffff\" stroke-width=\"4.5\" stroke-linecap=\"round\"")
        }
        for (x1, y1, x2, y2) in segs {
            canvas.line(x1: x1, y1: y1, x2: x2, y2: y2, attributes: "stroke=\"#000000\" stroke-width=\"2\" stroke-linecap=\"round\"")
        }
        canvas.closeGroup()
    }
}
