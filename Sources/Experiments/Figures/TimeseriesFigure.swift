import Foundation

/// One optimizer's values of an ensemble statistic at its timeseries steps.
public struct TimeseriesSeries: Sendable {
    public var label: String
    public var steps: [Int]
    public var values: [Double]
    /// The theory's values at the same steps, drawn dashed (empty: no theory).
    public var theory: [Double]

    public init(label: String, steps: [Int], values: [Double], theory: [Double] = []) {
        self.label = label
        self.steps = steps
        self.values = values
        self.theory = theory
    }
}

/// One statistic (a panel of the figure), a line per optimizer.
public struct TimeseriesPanel: Sendable {
    public var title: String
    public var series: [TimeseriesSeries]

    public init(title: String, series: [TimeseriesSeries]) {
        self.title = title
        self.series = series
    }
}

extension Figures {
    /// A log axis is used for the values when all are positive and span at least this factor.
    static let logValueSpan = 20.0

    /// Ticks of a base-10 log axis over [lo, hi] (in log10 units): the decades, thinned to at
    /// most 8; with fewer than two decades inside, also 2·10ᵏ and 5·10ᵏ; with fewer than two
    /// of those, nice linear ticks of the values. Returns (log10 positions, labels).
    static func logTicks(_ lo: Double, _ hi: Double) -> (positions: [Double], labels: [String]) {
        guard lo.isFinite, hi.isFinite, hi > lo, hi - lo < 600 else { return ([], []) }
        let first = Int(lo.rounded(.up)), last = Int(hi.rounded(.down))
        var decades = first <= last ? Array(first...last) : []
        let every = Swift.max(1, (decades.count + 7) / 8)
        decades = decades.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        func label(_ k: Int) -> String { (-3...3).contains(k) ? formatNumber(pow(10, Double(k))) : "1e\(k)" }
        if decades.count >= 2 { return (decades.map(Double.init), decades.map(label)) }
        var positions: [(Double, String)] = []
        for k in (first - 1)...(last + 1) {
            for m in [1.0, 2, 5] {
                let p = log10(m) + Double(k)
                if p >= lo - 1e-12 && p <= hi + 1e-12 { positions.append((p, m == 1 ? label(k) : formatNumber(m * pow(10, Double(k))))) }
            }
        }
        if positions.count >= 2 { return (positions.map(\.0), positions.map(\.1)) }
        let linear = niceTicks(pow(10, lo), pow(10, hi), target: 4).filter { $0 > 0 }
        return (linear.map(log10), tickLabels(linear))
    }

    /// Panels stacked vertically, the step on a log axis; a line per series in its colour
    /// (the same in every panel), its theory (if any) dashed in the same colour; the end of
    /// burn-in as a dashed vertical line; shared legend.
    /// Values ≤ 0 on a log axis and non-finite values break the lines.
    public static func timeseries(_ panels: [TimeseriesPanel], burnIn: Int?, title: String) -> String {
        let width = 760.0, panelH = 250.0, pad = 12.0
        let tickFont = 11.0, labelFont = 12.0, legendFont = 12.0

        var labels: [String] = []
        for panel in panels { for s in panel.series where !labels.contains(s.label) { labels.append(s.label) } }
        struct Item { var text: String; var full: String; var colorIndex: Int?; var x: Double; var row: Int }
        var items: [Item] = []
        var lx = pad, row = 0
        var entries: [(String, String, Int?)] = labels.enumerated().map { (truncate($1, maxChars: 36), $1, $0) }
        if burnIn != nil { entries.append(("end of burn-in", "end of burn-in", nil)) }
        let anyTheory = panels.contains { $0.series.contains { !$0.theory.isEmpty } }
        if anyTheory { entries.append(("exact theory (dashed)", "exact theory (dashed)", nil)) }
        for (text, full, index) in entries {
            let w = 30 + textWidth(text, size: legendFont) + 22
            if lx + w > width - pad && lx > pad {
                row += 1
                lx = pad
            }
            items.append(Item(text: text, full: full, colorIndex: index, x: lx, row: row))
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
            if let ci = item.colorIndex {
                canvas.openGroup("class=\"legend-entry\"")
                canvas.raw("<title>\(SVGCanvas.escape(item.full))</title>")
                canvas.line(x1: item.x + 1, y1: cy, x2: item.x + 25, y2: cy, attributes: "stroke=\"\(color(ci))\" stroke-width=\"2.2\"")
                canvas.text(item.text, x: item.x + 30, y: cy + legendFont * 0.35, size: legendFont)
            } else if item.full == "exact theory (dashed)" {
                canvas.openGroup("class=\"legend-key\"")
                canvas.line(x1: item.x + 1, y1: cy, x2: item.x + 25, y2: cy,
                            attributes: "stroke=\"#555\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\"")
                canvas.text(item.text, x: item.x + 30, y: cy + legendFont * 0.35, size: legendFont, fill: "#444")
            } else {
                canvas.openGroup("class=\"legend-key\"")
                canvas.line(x1: item.x + 13, y1: cy - 7, x2: item.x + 13, y2: cy + 7,
                            attributes: "stroke=\"#777\" stroke-width=\"1.4\" stroke-dasharray=\"4 3\"")
                canvas.text(item.text, x: item.x + 30, y: cy + legendFont * 0.35, size: legendFont, fill: "#444")
            }
            canvas.closeGroup()
        }
        canvas.closeGroup()
        if panels.isEmpty {
            canvas.text("no data", x: width / 2, y: headerH + 40, size: 14, anchor: .middle, fill: "#888")
            return canvas.render(title: title)
        }

        for (p, panel) in panels.enumerated() {
            drawTimeseriesPanel(&canvas, panel, index: p, top: headerH + Double(p) * panelH, width: width, height: panelH,
                                labels: labels, burnIn: burnIn, tickFont: tickFont, labelFont: labelFont)
        }
        return canvas.render(title: title)
    }

    static func drawTimeseriesPanel(
        _ canvas: inout SVGCanvas, _ panel: TimeseriesPanel, index p: Int, top oy: Double, width: Double, height panelH: Double,
        labels: [String], burnIn: Int?, tickFont: Double, labelFont: Double
    ) {
        var steps = Extent(), values = Extent()
        var allPositive = true
        for s in panel.series {
            for (t, v) in Array(zip(s.steps, s.values)) + Array(zip(s.steps, s.theory)) where t >= 1 && v.isFinite {
                steps.add(log10(Double(t)))
                values.add(v)
                if v <= 0 { allPositive = false }
            }
        }
        let logValues = allPositive && !values.isEmpty && values.lo > 0 && values.hi / values.lo >= logValueSpan
        func y(_ v: Double) -> Double {
            guard v.isFinite else { return .nan }
            return logValues ? (v > 0 ? log10(v) : .nan) : v
        }
        var yExtent = Extent()
        if !values.isEmpty { yExtent.add(y(values.lo)); yExtent.add(y(values.hi)) }
        let xr = paddedRange(steps, margin: 0.02)
        let yr = paddedRange(yExtent, margin: 0.06)

        let plotTop = oy + 28, plotBottom = oy + panelH - 40
        let (yTicks, yText) = labelledTicks(yr.lo, yr.hi, log: logValues, pixels: plotBottom - plotTop, spacing: 40,
                                            horizontal: false, font: tickFont)
        let yTickWidth = yText.map { textWidth($0, size: tickFont) }.max() ?? 0
        let plotLeft = 8 + labelFont + 8 + yTickWidth + 8 + 12, plotRight = width - 18
        let xs = Scale(lo: xr.lo, hi: xr.hi, pixLo: plotLeft, pixHi: plotRight)
        let ys = Scale(lo: yr.lo, hi: yr.hi, pixLo: plotBottom, pixHi: plotTop)
        let (xTicks, xText) = logTicks(xr.lo, xr.hi)

        canvas.openGroup("class=\"panel\"")
        canvas.text(panel.title + (logValues ? " (log scale)" : ""), x: 0.5 * (plotLeft + plotRight), y: oy + 18, size: 13,
                    anchor: .middle, weight: "bold", extra: "class=\"panel-title\"")
        drawAxes(&canvas, x: xs, y: ys, xTicks: xTicks, yTicks: yTicks, xLabel: "step", yLabel: nil, tickFont: tickFont,
                 labelFont: labelFont, yLabelOffset: yTickWidth + 16, xTickText: xText, yTickText: yText)
        let clipID = "timeseries-panel-\(p)"
        canvas.clipRect(id: clipID, x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop)
        canvas.openGroup("class=\"data\" clip-path=\"url(#\(clipID))\"")
        if let burnIn, burnIn >= 1 {
            let bx = xs(log10(Double(burnIn)))
            canvas.line(x1: bx, y1: plotTop, x2: bx, y2: plotBottom,
                        attributes: "class=\"burn-in\" stroke=\"#777\" stroke-width=\"1.4\" stroke-dasharray=\"4 3\"")
        }
        for (j, s) in panel.series.enumerated() {
            let col = color(labels.firstIndex(of: s.label) ?? j)
            let points = zip(s.steps, s.values).map { t, v -> (Double, Double) in
                t >= 1 && y(v).isFinite ? (xs(log10(Double(t))), ys(y(v))) : (.nan, .nan)
            }
            canvas.polyline(points, attributes: "class=\"series\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"1.8\" stroke-linejoin=\"round\"")
            if !s.theory.isEmpty {
                let theory = zip(s.steps, s.theory).map { t, v -> (Double, Double) in
                    t >= 1 && y(v).isFinite ? (xs(log10(Double(t))), ys(y(v))) : (.nan, .nan)
                }
                canvas.polyline(theory, attributes: "class=\"theory\" fill=\"none\" stroke=\"\(col)\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\"")
            }
        }
        canvas.closeGroup()
        if values.isEmpty {
            canvas.text("no data", x: 0.5 * (plotLeft + plotRight), y: 0.5 * (plotTop + plotBottom), size: 12, anchor: .middle,
                        fill: "#888")
        }
        canvas.closeGroup()
    }
}
