import Foundation

/// One line of a sweep figure: a metric against the first axis for one optimizer at one
/// combination of the other axes, with the theory's curve where there is one.
public struct SweepSeries: Sendable {
    public var label: String
    public var x: [Double]
    public var values: [Double]
    /// Dense (x, value) of the prediction, drawn dashed in the series' colour.
    public var theory: [(x: Double, value: Double)]

    public init(label: String, x: [Double], values: [Double], theory: [(x: Double, value: Double)] = []) {
        self.label = label
        self.x = x
        self.values = values
        self.theory = theory
    }
}

/// One metric (a panel of the figure), a line per series.
public struct SweepPanel: Sendable {
    public var title: String
    public var series: [SweepSeries]
    /// A log value axis whenever the values are all positive (else only when they span a
    /// factor ≥ 20): log–log with a log first axis, for power laws such as steps to target.
    public var logValues: Bool

    public init(title: String, series: [SweepSeries], logValues: Bool = false) {
        self.title = title
        self.series = series
        self.logValues = logValues
    }
}

extension Figures {
    /// Panels stacked vertically, the first axis of the sweep horizontally (log scale when
    /// `logX`), a line with a marker per point for each series in its colour (the same in
    /// every panel), the theory dashed; shared legend. Non-finite values break the lines;
    /// values ≤ 0 do so on a log value axis (used when all are positive and span a factor ≥ 20).
    public static func sweep(_ panels: [SweepPanel], xLabel: String, logX: Bool, title: String) -> String {
        let width = 760.0, panelH = 250.0, pad = 12.0, legendFont = 12.0
        var labels: [String] = []
        for panel in panels { for s in panel.series where !labels.contains(s.label) { labels.append(s.label) } }
        let hasTheory = panels.contains { $0.series.contains { !$0.theory.isEmpty } }
        var entries: [(text: String, full: String, color: Int?)] = labels.enumerated().map { (truncate($1, maxChars: 40), $1, $0) }
        if hasTheory { entries.append(("theory", "theory", nil)) }
        var items: [(text: String, full: String, color: Int?, x: Double, row: Int)] = []
        var lx = pad, row = 0
        for entry in entries {
            let w = 30 + textWidth(entry.text, size: legendFont) + 22
            if lx + w > width - pad && lx > pad {
                row += 1
                lx = pad
            }
            items.append((entry.text, entry.full, entry.color, lx, row))
            lx += w
        }
        let legendTop = 44.0
        let headerH = legendTop + Double(items.isEmpty ? 0 : row + 1) * 20 + 6
        let height = panels.isEmpty ? max(headerH + 80, 160) : headerH + Double(panels.count) * panelH + pad

        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(truncate(title, maxChars: 76), x: width / 2, y: 28, size: 16, anchor: .middle, weight: "bold",
                    extra: "class=\"title\"")
        canvas.openGroup("class=\"legend\"")
        for item in items {
            let cy = legendTop + Double(item.row) * 20 + 10
            canvas.openGroup("class=\"legend-entry\"")
            canvas.raw("<title>\(SVGCanvas.escape(item.full))</title>")
            let stroke = item.color.map(color) ?? "#555"
            let dash = item.color == nil ? " stroke-dasharray=\"5 3\"" : ""
            canvas.line(x1: item.x + 1, y1: cy, x2: item.x + 25, y2: cy, attributes: "stroke=\"\(stroke)\" stroke-width=\"2\"\(dash)")
            canvas.text(item.text, x: item.x + 30, y: cy + legendFont * 0.35, size: legendFont)
            canvas.closeGroup()
        }
        canvas.closeGroup()
        if panels.isEmpty {
            canvas.text("no data", x: width / 2, y: headerH + 40, size: 14, anchor: .middle, fill: "#888")
            return canvas.render(title: title)
        }
        for (p, panel) in panels.enumerated() {
            drawSweepPanel(&canvas, panel, index: p, top: headerH + Double(p) * panelH, width: width, height: panelH,
                           labels: labels, xLabel: xLabel, logX: logX)
        }
        return canvas.render(title: title)
    }

    static func drawSweepPanel(_ canvas: inout SVGCanvas, _ panel: SweepPanel, index p: Int, top oy: Double, width: Double,
                               height panelH: Double, labels: [String], xLabel: String, logX: Bool) {
        let tickFont = 11.0, labelFont = 12.0
        func xValue(_ x: Double) -> Double { logX ? (x > 0 ? log10(x) : .nan) : x }
        var xs = Extent(), values = Extent()
        var allPositive = true
        for s in panel.series {
            // Every point's x, with or without a value, so that the panels share their x axis.
            for x in s.x { xs.add(xValue(x)) }
            for (x, v) in zip(s.x, s.values) where xValue(x).isFinite && v.isFinite {
                values.add(v)
                if v <= 0 { allPositive = false }
            }
        }
        let logValues = allPositive && !values.isEmpty && values.lo > 0 && (panel.logValues || values.hi / values.lo >= logValueSpan)
        func y(_ v: Double) -> Double {
            guard v.isFinite else { return .nan }
            return logValues ? (v > 0 ? log10(v) : .nan) : v
        }
        var yExtent = Extent()
        if !values.isEmpty { yExtent.add(y(values.lo)); yExtent.add(y(values.hi)) }
        let xr = paddedRange(xs, margin: 0.03)
        let yr = paddedRange(yExtent, margin: 0.08)

        let plotTop = oy + 28, plotBottom = oy + panelH - 44
        let (yTicks, yText) = labelledTicks(yr.lo, yr.hi, log: logValues, pixels: plotBottom - plotTop, spacing: 40,
                                            horizontal: false, font: tickFont)
        let yTickWidth = yText.map { textWidth($0, size: tickFont) }.max() ?? 0
        let plotLeft = 8 + labelFont + 8 + yTickWidth + 8 + 12, plotRight = width - 18
        let xScale = Scale(lo: xr.lo, hi: xr.hi, pixLo: plotLeft, pixHi: plotRight)
        let yScale = Scale(lo: yr.lo, hi: yr.hi, pixLo: plotBottom, pixHi: plotTop)
        let (xTicks, xText) = labelledTicks(xr.lo, xr.hi, log: logX, pixels: plotRight - plotLeft, spacing: 70,
                                            horizontal: true, font: tickFont)

        canvas.openGroup("class=\"panel\"")
        canvas.text(panel.title + (logValues ? " (log scale)" : ""), x: 0.5 * (plotLeft + plotRight), y: oy + 18, size: 13,
                    anchor: .middle, weight: "bold", extra: "class=\"panel-title\"")
        drawAxes(&canvas, x: xScale, y: yScale, xTicks: xTicks, yTicks: yTicks, xLabel: truncate(xLabel, maxChars: 80), yLabel: nil,
                 tickFont: tickFont, labelFont: labelFont, yLabelOffset: yTickWidth + 16, xTickText: xText, yTickText: yText)
        let clipID = "sweep-panel-\(p)"
        canvas.clipRect(id: clipID, x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop)
        canvas.openGroup("class=\"data\" clip-path=\"url(#\(clipID))\"")
        for (j, s) in panel.series.enumerated() {
            let col = color(labels.firstIndex(of: s.label) ?? j)
            if !s.theory.isEmpty {
                let points = s.theory.map { t -> (Double, Double) in
                    let px = xValue(t.x), py = y(t.value)
                    // Far outside the panel (a prediction diverging at the stability limit): break the line.
                    guard px.isFinite, py.isFinite, Swift.abs(py - yr.lo) < 100 * (yr.hi - yr.lo) else { return (.nan, .nan) }
                    return (xScale(px), yScale(py))
                }
                canvas.polyline(points, attributes: "class=\"theory\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"1.4\" stroke-dasharray=\"5 3\"")
            }
            let points = zip(s.x, s.values).map { x, v -> (Double, Double) in
                let px = xValue(x), py = y(v)
                return px.isFinite && py.isFinite ? (xScale(px), yScale(py)) : (.nan, .nan)
            }
            canvas.polyline(points, attributes: "class=\"series\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"1.8\" stroke-linejoin=\"round\"")
            canvas.openGroup("class=\"markers\" fill=\"\(col)\"")
            for point in points where point.0.isFinite && point.1.isFinite { canvas.circle(cx: point.0, cy: point.1, r: 2.6) }
            canvas.closeGroup()
        }
        canvas.closeGroup()
        if values.isEmpty {
            canvas.text("no data", x: 0.5 * (plotLeft + plotRight), y: 0.5 * (plotTop + plotBottom), size: 12, anchor: .middle,
                        fill: "#888")
        }
        canvas.closeGroup()
    }
}
