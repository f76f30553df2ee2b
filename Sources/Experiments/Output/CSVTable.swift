import CSV
import Foundation

/// A CSV table with a header row; text cells quoted by CSV.swift (RFC 4180). Numbers are
/// written in full double precision (shortest round-trip form), non-finite ones as nan/inf,
/// which pandas.read_csv reads as NaN/inf.
///
/// A number's text never needs quoting, so only text cells go through CSV.swift — once per
/// distinct text (labels repeat on every row) — and rows are joined with "," and "\n": the
/// bytes CSV.swift writes for the whole table, without its per-cell cost (several μs, which
/// made a 3 600-row histogram table a noticeable part of a run).
public struct CSVTable: Sendable {
    public let header: [String]
    public private(set) var rows: [[CSVField]] = []

    public init(header: [String]) { self.header = header }

    public mutating func append(_ fields: [CSVField]) {
        precondition(fields.count == header.count, "row width must match the header")
        rows.append(fields)
    }

    public func data() throws -> Data {
        var quoted: [String: String] = [:]
        func cell(_ text: String) throws -> String {
            if let known = quoted[text] { return known }
            let stream = OutputStream(toMemory: ())
            let writer = try CSVWriter(stream: stream)
            try writer.write(field: text)
            stream.close()
            let data = (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data()
            let result = String(decoding: data, as: UTF8.self)
            quoted[text] = result
            return result
        }
        var out = try header.map(cell).joined(separator: ",")
        out += "\n"
        for row in rows {
            var first = true
            for field in row {
                if !first { out += "," }
                first = false
                if case .text(let text) = field { out += try cell(text) } else { out += field.text }
            }
            out += "\n"
        }
        return Data(out.utf8)
    }
}

/// One cell of a table.
public enum CSVField: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case text(String)
    case number(Double)
    case integer(Int)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }

    var text: String {
        switch self {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .number(let x):
            if x.isNaN { return "nan" }
            if x.isInfinite { return x > 0 ? "inf" : "-inf" }
            return "\(x)"
        }
    }
}
