import Foundation

/// A minimal SVG 1.1 document builder used by the figure renderers.
///
/// Every coordinate passes through `SVGCanvas.num`, which prints ~4 significant digits and
/// turns non-finite values into `0`, so the output is always well-formed.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var defs: [String] = []
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    // MARK: Formatting

    /// A number for an SVG attribute: ~4 significant digits, no noise, never NaN/inf.
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        if abs(v) < 0.005 { return "0" }
        // Keep coordinates within a sane range so the viewer never sees absurd values.
        let c = min(max(v, -1e6), 1e6)
        var s = String(format: "%.4g", c)
        if s == "-0" { s = "0" }
        return s
    }

    /// An opacity in [0, 1] with 3 significant digits.
    static func opacity(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        return String(format: "%.3g", min(max(v, 0), 1))
    }

    /// Escapes text for use in element content or attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Drop control characters that XML 1.0 forbids.
                if let ascii = ch.asciiValue, ascii < 0x20, ascii != 0x09, ascii != 0x0A, ascii != 0x0D {
                    continue
                }
                out.append(ch)
            }
        }
        return out
    }

    // MARK: Structure

    mutating func addDef(_ raw: String) { defs.append(raw) }

    mutating func raw(_ s: String) { body.append(s) }

    mutating func openGroup(_ attributes: String = "") {
        body.append(attributes.isEmpty ? "<g>" : "<g \(attributes)>")
    }

    mutating func closeGroup() { body.append("</g>") }

    /// Declares a rectangular clip path with the given id.
    mutating func clipRect(id: String, x: Double, y: Double, width: Double, height: Double) {
        defs.append(
            "<clipPath id=\"\(id)\"><rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(max(width, 0)))\" height=\"\(Self.num(max(height, 0)))\"/></clipPath>"
        )
    }

    // MARK: Primitives

    mutating func rect(x: Double, y: Double, width: Double, height: Double, attributes: String) {
        body.append(
            "<rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(max(width, 0)))\" height=\"\(Self.num(max(height, 0)))\" \(attributes)/>"
        )
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, attributes: String) {
        body.append(
            "<line x1=\"\(Self.num(x1))\" y1=\"\(Self.num(y1))\" x2=\"\(Self.num(x2))\" y2=\"\(Self.num(y2))\" \(attributes)/>"
        )
    }

    mutating func circle(cx: Double, cy: Double, r: Double, attributes: String = "") {
        let tail = attributes.isEmpty ? "" : " \(attributes)"
        body.append("<circle cx=\"\(Self.num(cx))\" cy=\"\(Self.num(cy))\" r=\"\(Self.num(r))\"\(tail)/>")
    }

    /// A polyline path through the given pixel points (non-finite points break the line).
    mutating func polyline(_ pts: [(Double, Double)], closed: Bool = false, attributes: String) {
        let d = Self.pathData(pts, closed: closed)
        guard !d.isEmpty else { return }
        body.append("<path d=\"\(d)\" \(attributes)/>")
    }

    static func pathData(_ pts: [(Double, Double)], closed: Bool) -> String {
        var d = ""
        var penDown = false
        var allFinite = true
        for (x, y) in pts {
            guard x.isFinite, y.isFinite else {
                penDown = false
                allFinite = false
                continue
            }
            d += (penDown ? "L" : (d.isEmpty ? "M" : " M")) + num(x) + " " + num(y)
            penDown = true
        }
        if closed && allFinite && !d.isEmpty { d += "Z" }
        return d
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(
        _ s: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
        weight: String? = nil, rotate: Double? = nil, fill: String = "#222", extra: String = ""
    ) {
        var attrs = "x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" font-size=\"\(Self.num(size))\""
        if anchor != .start { attrs += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        if fill != "#222" { attrs += " fill=\"\(fill)\"" }
        if let rotate {
            attrs += " transform=\"rotate(\(Self.num(rotate)) \(Self.num(x)) \(Self.num(y)))\""
        }
        if !extra.isEmpty { attrs += " " + extra }
        body.append("<text \(attrs)>\(Self.escape(s))</text>")
    }

    // MARK: Output

    func render(title: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
        out += "width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" "
        out += "viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\" "
        out += "font-family=\"sans-serif\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        if !defs.isEmpty {
            out += "<defs>\n" + defs.joined(separator: "\n") + "\n</defs>\n"
        }
        out += "<rect x=\"0\" y=\"0\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" fill=\"#ffffff\"/>\n"
        out += body.joined(separator: "\n")
        out += "\n</svg>\n"
        return out
    }
}
