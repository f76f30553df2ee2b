import Foundation

/// Standalone SVG 1.1 figures of optimizer clouds.
///
/// `cloud(...)` and `marginals(...)` live in `CloudFigure.swift` and `MarginalsFigure.swift`;
/// this file holds the shared pieces: palette, nice ticks, number formatting, covariance
/// ellipses and axis drawing.
public enum Figures {

    // MARK: Palette

    /// Okabe–Ito colour-blind-safe palette, ordered for contrast on white
    /// (yellow is left out: it is unreadable on a white background; black is kept for the minimum).
    static let palette: [String] = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#CC79A7",  // reddish purple
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#7F4F24",  // brown (extra, still distinguishable)
    ]

    static func color(_ index: Int) -> String {
        palette[((index % palette.count) + palette.count) % palette.count]
    }

    // MARK: Nice ticks

    /// A "nice" step (1, 2 or 5 × 10^k) close to `span / target`.
    static func niceStep(span: Double, target: Int) -> Double? {
        guard span.isFinite, span > 0 else { return nil }
        let rough = span / Double(max(target, 1))
        guard rough.isFinite, rough > 0 else { return nil }
        let exponent = floor(log10(rough))
        let magnitude = pow(10, exponent)
        guard magnitude.isFinite, magnitude > 0 else { return nil }
        let residual = rough / magnitude
        let m: Double
        if residual < 1.5 { m = 1 } else if residual < 3 { m = 2 } else if residual < 7 { m = 5 } else { m = 10 }
        return m * magnitude
    }

    /// Nice tick values (multiples of 1/2/5 × 10^k) inside [lo, hi], about `target` of them.
    /// Tick values are computed as integer multiples divided by a power of ten, so e.g.
    /// 0…1 gives exactly 0, 0.2, 0.4, 0.6, 0.8, 1.
    static func niceTicks(_ lo: Double, _ hi: Double, target: Int = 6) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        if hi <= lo { return [lo] }
        guard let step = niceStep(span: hi - lo, target: target) else { return [lo, hi] }
        // Represent step = mantissa × 10^e with an integer mantissa in {1, 2, 5, 10}.
        let e = Int(floor(log10(step) + 1e-9))
        let p = pow(10, Double(abs(e)))
        let mantissa = (e >= 0 ? step / p : step * p).rounded()
        // A small tolerance so that e.g. 0.7 / 0.1 = 6.999… still yields the tick at 0.7.
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        // Guard against absurd tick counts or indices that do not fit in an Int.
        guard first.isFinite, last.isFinite, abs(first) < 1e12, abs(last) < 1e12, last - first < 1000 else {
            return [lo, hi]
        }
        var ticks: [Double] = []
        var i = Int(first)
        let n = Int(last)
        while i <= n {
            let k = Double(i) * mantissa
            let v = e >= 0 ? k * p : k / p
            ticks.append(v == 0 ? 0 : v)  // no negative zero
            i += 1
        }
        return ticks
    }

    /// Ticks for an axis `pixels` long: about one per `spacing` pixels, at least 3 where the range
    /// allows it, and fewer when the labels would overlap (x axis) or crowd (y axis).
    static func axisTicks(_ lo: Double, _ hi: Double, pixels: Double, spacing: Double, horizontal: Bool, font: Double) -> [Double] {
        guard pixels.isFinite, pixels > 0, spacing > 0 else { return niceTicks(lo, hi) }
        var target = max(2, min(20, Int(pixels / spacing)))
        var ticks = niceTicks(lo, hi, target: target)
        while ticks.count < 3 && target < 20 {
            target += 1
            ticks = niceTicks(lo, hi, target: target)
        }
        func crowded(_ t: [Double]) -> Bool {
            guard t.count > 1 else { return false }
            let gap = pixels * abs(t[1] - t[0]) / abs(hi - lo)
            let need = horizontal
                ? (tickLabels(t).map { textWidth($0, size: font) }.max() ?? 0) + 10
                : font * 1.8
            return gap < need
        }
        while crowded(ticks) && target > 2 {
            target -= 1
            ticks = niceTicks(lo, hi, target: target)
        }
        return ticks
    }

    /// Ticks and their labels for an axis: decades (`logTicks`) on a log₁₀ axis, else
    /// `axisTicks` with `tickLabels`.
    static func labelledTicks(_ lo: Double, _ hi: Double, log: Bool, pixels: Double, spacing: Double, horizontal: Bool,
                              font: Double) -> (positions: [Double], labels: [String]) {
        if log { return logTicks(lo, hi) }
        let ticks = axisTicks(lo, hi, pixels: pixels, spacing: spacing, horizontal: horizontal, font: font)
        return (ticks, tickLabels(ticks))
    }

    /// Labels for a set of ticks with a common step: fixed decimals for ordinary magnitudes,
    /// a shared exponent ("1.5e-6") for very large or very small ones.
    static func tickLabels(_ ticks: [Double]) -> [String] {
        guard !ticks.isEmpty else { return [] }
        let step: Double = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : 0
        let maxAbs = ticks.map { abs($0) }.filter { $0.isFinite }.max() ?? 0
        if step <= 0 || !step.isFinite {
            return ticks.map { formatNumber($0) }
        }
        let stepExp = Int(floor(log10(step) + 1e-9))
        if maxAbs >= 1e6 || stepExp < -4 {
            let e = maxAbs > 0 ? Int(floor(log10(maxAbs) + 1e-9)) : stepExp
            let decimals = min(max(0, e - stepExp), 10)
            let scale = pow(10, Double(e))
            return ticks.map { v in
                if v == 0 { return "0" }
                return cleanMinusZero(String(format: "%.\(decimals)f", v / scale)) + "e\(e)"
            }
        }
        let decimals = min(max(0, -stepExp), 10)
        return ticks.map { cleanMinusZero(String(format: "%.\(decimals)f", $0)) }
    }

    /// A number for display (legend, annotations): 4 significant digits, no noise.
    static func formatNumber(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        return cleanMinusZero(String(format: "%.4g", v))
    }

    private static func cleanMinusZero(_ s: String) -> String {
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(s.dropFirst())
        }
        return s
    }

    // MARK: Ranges

    /// Running min/max of finite values.
    struct Extent {
        var lo = Double.infinity
        var hi = -Double.infinity
        var isEmpty: Bool { !(lo <= hi) }
        mutating func add(_ v: Double) {
            guard v.isFinite else { return }
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
    }

    /// The extent padded by `margin` (fraction of its width) on each side; a zero-width extent
    /// is padded by ±1 first, and an empty one becomes [-1, 1].
    static func paddedRange(_ e: Extent, margin: Double = 0.05) -> (lo: Double, hi: Double) {
        guard !e.isEmpty else { return (-1, 1) }
        var lo = e.lo, hi = e.hi
        let scale = max(abs(lo), abs(hi))
        if !(hi - lo > 1e-12 * scale) || !(hi - lo).isFinite {
            if (hi - lo).isFinite {
                lo -= 1
                hi += 1
            } else {
                // The values are too far apart to represent the span: fall back to a symmetric range.
                lo = -1
                hi = 1
            }
        }
        let pad = (hi - lo) * margin
        if (lo - pad).isFinite && (hi + pad).isFinite {
            lo -= pad
            hi += pad
        }
        return (lo, hi)
    }

    // MARK: Covariance ellipses

    /// Points (in data coordinates) of the k-σ ellipse of a 2×2 covariance around `mean`,
    /// by closed-form eigen-decomposition. Returns nil for invalid input (wrong shape, NaN/inf,
    /// zero or negative variance, non-positive-semidefinite matrix).
    static func ellipse(
        mean: (x: Double, y: Double), covariance: [[Double]], k: Double, segments: Int = 72
    ) -> [(Double, Double)]? {
        guard let axes = ellipseAxes(covariance), mean.x.isFinite, mean.y.isFinite, k > 0 else { return nil }
        let (l1, l2, theta) = axes
        let a = k * l1.squareRoot(), b = k * l2.squareRoot()
        let ct = cos(theta), st = sin(theta)
        let n = max(segments, 8)
        var pts: [(Double, Double)] = []
        pts.reserveCapacity(n + 1)
        for i in 0..<n {
            let t = 2 * Double.pi * Double(i) / Double(n)
            let u = a * cos(t), v = b * sin(t)
            pts.append((mean.x + u * ct - v * st, mean.y + u * st + v * ct))
        }
        return pts
    }

    /// Eigenvalues (λ1 ≥ λ2 ≥ 0) and the angle of the major axis of a symmetric 2×2 covariance.
    static func ellipseAxes(_ c: [[Double]]) -> (Double, Double, Double)? {
        guard c.count == 2, c[0].count >= 2, c[1].count >= 2 else { return nil }
        let a = c[0][0], d = c[1][1]
        let b = 0.5 * (c[0][1] + c[1][0])
        guard a.isFinite, b.isFinite, d.isFinite, a > 0, d > 0 else { return nil }
        let mid = 0.5 * (a + d)
        let rad = (0.25 * (a - d) * (a - d) + b * b).squareRoot()
        guard mid.isFinite, rad.isFinite else { return nil }
        let l1 = mid + rad
        var l2 = mid - rad
        // Tolerate round-off just below zero; reject a clearly indefinite matrix.
        if l2 < 0 {
            if l2 > -1e-9 * l1 { l2 = 0 } else { return nil }
        }
        let theta = 0.5 * atan2(2 * b, a - d)
        return (l1, l2, theta)
    }

    /// Axis-aligned half-extents of the k-σ ellipse (exact bounding box), or nil if invalid.
    static func ellipseHalfExtents(_ c: [[Double]], k: Double) -> (Double, Double)? {
        guard ellipseAxes(c) != nil else { return nil }
        return (k * c[0][0].squareRoot(), k * c[1][1].squareRoot())
    }

    // MARK: Axes

    /// A linear map from a data interval to a pixel interval.
    struct Scale {
        var lo: Double
        var hi: Double
        var pixLo: Double
        var pixHi: Double
        func callAsFunction(_ v: Double) -> Double {
            let span = hi - lo
            guard span != 0, span.isFinite else { return 0.5 * (pixLo + pixHi) }
            return pixLo + (v - lo) / span * (pixHi - pixLo)
        }
    }

    /// Approximate rendered width of a string in a sans-serif font.
    static func textWidth(_ s: String, size: Double) -> Double {
        Double(s.count) * size * 0.62
    }

    /// Shortens a label to at most `maxChars` characters with an ellipsis.
    static func truncate(_ s: String, maxChars: Int) -> String {
        let m = max(maxChars, 2)
        guard s.count > m else { return s }
        return String(s.prefix(m - 1)) + "…"
    }

    /// Frame, light grid, ticks and tick labels for a plot area; optional axis titles.
    /// `xTickText`/`yTickText` replace the tick labels (e.g. powers of ten on a log axis).
    static func drawAxes(
        _ canvas: inout SVGCanvas, x: Scale, y: Scale, xTicks: [Double], yTicks: [Double],
        xLabel: String?, yLabel: String?, tickFont: Double = 11, labelFont: Double = 13,
        yLabelOffset: Double, xTickText: [String]? = nil, yTickText: [String]? = nil
    ) {
        let left = min(x.pixLo, x.pixHi), right = max(x.pixLo, x.pixHi)
        let top = min(y.pixLo, y.pixHi), bottom = max(y.pixLo, y.pixHi)
        canvas.openGroup("class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\"")
        for t in xTicks { canvas.line(x1: x(t), y1: top, x2: x(t), y2: bottom, attributes: "") }
        for t in yTicks { canvas.line(x1: left, y1: y(t), x2: right, y2: y(t), attributes: "") }
        canvas.closeGroup()

        canvas.openGroup("class=\"axes\" stroke=\"#444\" stroke-width=\"1\"")
        canvas.rect(x: left, y: top, width: right - left, height: bottom - top, attributes: "fill=\"none\"")
        for t in xTicks { canvas.line(x1: x(t), y1: bottom, x2: x(t), y2: bottom + 5, attributes: "") }
        for t in yTicks { canvas.line(x1: left - 5, y1: y(t), x2: left, y2: y(t), attributes: "") }
        canvas.closeGroup()

        canvas.openGroup("class=\"tick-labels\" fill=\"#333\"")
        for (t, label) in zip(xTicks, xTickText ?? tickLabels(xTicks)) {
            canvas.text(label, x: x(t), y: bottom + 7 + tickFont, size: tickFont, anchor: .middle, fill: "#333")
        }
        for (t, label) in zip(yTicks, yTickText ?? tickLabels(yTicks)) {
            canvas.text(label, x: left - 8, y: y(t) + tickFont * 0.35, size: tickFont, anchor: .end, fill: "#333")
        }
        canvas.closeGroup()

        if let xLabel {
            canvas.text(
                xLabel, x: 0.5 * (left + right), y: bottom + 14 + tickFont + labelFont,
                size: labelFont, anchor: .middle, extra: "class=\"axis-label\"")
        }
        if let yLabel {
            canvas.text(
                yLabel, x: left - yLabelOffset, y: 0.5 * (top + bottom), size: labelFont, anchor: .middle,
                rotate: -90, extra: "class=\"axis-label\"")
        }
    }

    /// Width needed left of the plot for the y tick labels.
    static func yTickLabelWidth(_ ticks: [Double], size: Double) -> Double {
        tickLabels(ticks).map { textWidth($0, size: size) }.max() ?? 0
    }
}
