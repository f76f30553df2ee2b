import Foundation

/// One optimizer's marginal histogram along one coordinate.
public struct MarginalSeries: Sendable {
    public var label: String
    /// n+1 bin edges.
    public var edges: [Double]
    /// n values, integrating to 1.
    public var density: [Double]
    /// Theory Gaussian (drawn dashed) when both mean and std are given.
    public var theoryMean: Double?
    public var theoryStd: Double?

    public init(label: String, edges: [Double], density: [Double], theoryMean: Double? = nil, theoryStd: Double? = nil) {
        self.label = label
        self.edges = edges
        self.density = density
        self.theoryMean = theoryMean
        self.theoryStd = theoryStd
    }
}

extension Figures {
    /// The theory Gaussian of a series, if both parameters are finite and σ > 0.
    static func theoryGaussian(_ s: MarginalSeries) -> (mean: Double, std: Double)? {
        guard let m = s.theoryMean, let sd = s.theoryStd, m.isFinite, sd.isFinite, sd > 0 else { return nil }
        return (m, sd)
    }

    /// Runs of consecutive valid bins as step-outline vertices (data coordinates), each run
    /// starting and ending on the baseline y = 0.
    static func stepOutlines(_ s: MarginalSeries) -> [[(Double, Double)]] {
        let n = min(s.density.count, max(s.edges.count - 1, 0))
        var runs: [[(Double, Double)]] = []
        var current: [(Double, Double)] = []
        func flush() {
            if let last = current.last {
                current.append((last.0, 0))
                runs.append(current)
            }
            current = []
        }
        for i in 0..<n {
            let e0 = s.edges[i], e1 = s.edges[i + 1], d = s.density[i]
            guard e0.isFinite, e1.isFinite, d.isFinite, e1 > e0 else {
                flush()
                continue
            }
            if let last = current.last, last.0 != e0 { flush() }
            if current.isEmpty { current.append((e0, 0)) }
            current.append((e0, d))
            current.append((e1, d))
        }
        flush()
        return runs
    }

    /// One panel per coordinate (grid of up to 3 columns), each with a step-outline histogram
    /// per series in its colour and the theory Gaussian density dashed in the same colour;
    /// shared legend.
    public static func marginals(_ panels: [[MarginalSeries]], title: String) -> String {
        let panelW = 300.0, panelH = 232.0, pad = 12.0
        let cols = max(1, min(3, panels.count))
        let rows = panels.isEmpty ? 0 : (panels.count + cols - 1) / cols
        let width = max(Double(cols) * panelW + 2 * pad, 440)
        let tickFont = 11.0, labelFont = 12.0, legendFont = 12.0

        // Colours by label, in order of first appearance, so a series keeps its colour in every panel.
        var labelOrder: [String] = []
        var colorIndex: [String: Int] = [:]
        var anyTheory = false
        for panel in panels {
            for s in panel {
                if colorIndex[s.label] == nil {
                    colorIndex[s.label] = labelOrder.count
                    labelOrder.append(s.label)
                }
                if theoryGaussian(s) != nil { anyTheory = true }
            }
        }

        // Legend flow layout under the title.
        struct Item { var text: String; var full: String; var colorIdx: Int?; var x: Double; var row: Int; var w: Double }
        var items: [Item] = []
        var lx = pad, row = 0
        var legendTexts: [(String, String, Int?)] = labelOrder.enumerated().map { (truncate($1, maxChars: 36), $1, $0) }
        if anyTheory { legendTexts.append(("theory Gaussian (dashed)", "theory Gaussian (dashed)", nil)) }
        for (text, full, ci) in legendTexts {
            let w = 30 + textWidth(text, size: legendFont) + 22
            if lx + w > width - pad && lx > pad {
                row += 1
                lx = pad
            }
            items.append(Item(text: text, full: full, colorIdx: ci, x: lx, row: row, w: w))
            lx += w
        }
        let legendRows = items.isEmpty ? 0 : row + 1
        let legendTop = 44.0
        let headerH = legendTop + Double(legendRows) * 20 + 6
        let height = panels.isEmpty ? max(headerH + 80, 160) : headerH + Double(rows) * panelH + pad

        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(
            truncate(title, maxChars: max(20, Int(width / 10))), x: width / 2, y: 28, size: 16, anchor: .middle,
            weight: "bold", extra: "class=\"title\"")

        // Legend.
        canvas.openGroup("class=\"legend\"")
        for it in items {
            let cy = legendTop + Double(it.row) * 20 + 10
            if let ci = it.colorIdx {
                canvas.openGroup("class=\"legend-entry\"")
                canvas.raw("<title>\(SVGCanvas.escape(it.full))</title>")
                canvas.rect(
                    x: it.x + 2, y: cy - 6, width: 22, height: 12,
                    attributes: "fill=\"\(color(ci))\" fill-opacity=\"0.15\" stroke=\"\(color(ci))\" stroke-width=\"1.8\"")
                canvas.text(it.text, x: it.x + 30, y: cy + legendFont * 0.35, size: legendFont)
            } else {
                canvas.openGroup("class=\"legend-key\"")
                canvas.line(
                    x1: it.x + 1, y1: cy, x2: it.x + 25, y2: cy,
                    attributes: "stroke=\"#555\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\"")
                canvas.text(it.text, x: it.x + 30, y: cy + legendFont * 0.35, size: legendFont, fill: "#444")
            }
            canvas.closeGroup()
        }
        canvas.closeGroup()

        if panels.isEmpty {
            canvas.text("no data", x: width / 2, y: headerH + 40, size: 14, anchor: .middle, fill: "#888")
            return canvas.render(title: title)
        }

        for (k, panel) in panels.enumerated() {
            let ox = 0.5 * (width - Double(cols) * panelW) + Double(k % cols) * panelW
            let oy = headerH + Double(k / cols) * panelH
            drawMarginalPanel(
                &canvas, panel, index: k, originX: ox, originY: oy, width: panelW, height: panelH,
                colorIndex: colorIndex, showYLabel: k % cols == 0,
                tickFont: tickFont, labelFont: labelFont)
        }
        return canvas.render(title: title)
    }

    static func drawMarginalPanel(
        _ canvas: inout SVGCanvas, _ panel: [MarginalSeries], index k: Int, originX ox: Double, originY oy: Double,
        width panelW: Double, height panelH: Double, colorIndex: [String: Int], showYLabel: Bool,
        tickFont: Double, labelFont: Double
    ) {
        // Ranges: bins plus theory ±4σ; y from 0 to the highest bar / theory peak.
        var ex = Extent()
        var histMax = 0.0, histMin = 0.0, theoryPeak = 0.0
        for s in panel {
            for run in stepOutlines(s) {
                for (x, y) in run {
                    ex.add(x)
                    histMax = max(histMax, y)
                    histMin = min(histMin, y)
                }
            }
            if let g = theoryGaussian(s) {
                ex.add(g.mean - 4 * g.std)
                ex.add(g.mean + 4 * g.std)
                theoryPeak = max(theoryPeak, 1 / (g.std * (2 * Double.pi).squareRoot()))
            }
        }
        let xr = paddedRange(ex, margin: 0.02)
        var yMax = histMax
        if theoryPeak.isFinite && theoryPeak > 0 {
            // A theory spike far above the histogram would flatten it: cap and clip the curve.
            yMax = histMax > 0 ? max(histMax, min(theoryPeak, 2.5 * histMax)) : theoryPeak
        }
        if !(yMax > histMin) || !yMax.isFinite { yMax = histMin + 1 }
        yMax = histMin + (yMax - histMin) * 1.08

        let plotTop = oy + 28
        let plotBottom = oy + panelH - 34
        let yTicks = axisTicks(histMin, yMax, pixels: plotBottom - plotTop, spacing: 40, horizontal: false, font: tickFont)
        let yTickWidth = yTickLabelWidth(yTicks, size: tickFont)
        let plotLeft = ox + 8 + labelFont + 8 + yTickWidth + 8
        let plotRight = ox + panelW - 14
        let xs = Scale(lo: xr.lo, hi: xr.hi, pixLo: plotLeft, pixHi: plotRight)
        let ys = Scale(lo: histMin, hi: yMax, pixLo: plotBottom, pixHi: plotTop)
        let xTicks = axisTicks(xr.lo, xr.hi, pixels: plotRight - plotLeft, spacing: 55, horizontal: true, font: tickFont)

        canvas.openGroup("class=\"panel\"")
        canvas.text(
            "x[\(k)]", x: 0.5 * (plotLeft + plotRight), y: oy + 18, size: 13, anchor: .middle, weight: "bold",
            extra: "class=\"panel-title\"")
        drawAxes(
            &canvas, x: xs, y: ys, xTicks: xTicks, yTicks: yTicks, xLabel: nil,
            yLabel: showYLabel ? "density" : nil, tickFont: tickFont, labelFont: labelFont,
            yLabelOffset: yTickWidth + 8 + 8)

        let clipID = "marginal-panel-\(k)"
        canvas.clipRect(id: clipID, x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop)
        canvas.openGroup("class=\"data\" clip-path=\"url(#\(clipID))\"")
        for (j, s) in panel.enumerated() {
            let col = color(colorIndex[s.label] ?? j)
            for run in stepOutlines(s) {
                canvas.polyline(
                    run.map { (xs($0.0), ys($0.1)) }, closed: true,
                    attributes: "class=\"histogram\" fill=\"\(col)\" fill-opacity=\"0.08\" stroke=\"\(col)\" stroke-width=\"1.6\" stroke-linejoin=\"miter\"")
            }
        }
        for (j, s) in panel.enumerated() {
            guard let g = theoryGaussian(s) else { continue }
            let col = color(colorIndex[s.label] ?? j)
            let n = 240
            let norm = 1 / (g.std * (2 * Double.pi).squareRoot())
            var pts: [(Double, Double)] = []
            pts.reserveCapacity(n + 1)
            for i in 0...n {
                let x = xr.lo + (xr.hi - xr.lo) * Double(i) / Double(n)
                let z = (x - g.mean) / g.std
                pts.append((xs(x), ys(norm * exp(-0.5 * z * z))))
            }
            canvas.polyline(
                pts,
                attributes: "class=\"theory\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\"")
        }
        canvas.closeGroup()
        if panel.isEmpty {
            canvas.text(
                "no data", x: 0.5 * (plotLeft + plotRight), y: 0.5 * (plotTop + plotBottom), size: 12,
                anchor: .middle, fill: "#888")
        }
        canvas.closeGroup()
    }
}
