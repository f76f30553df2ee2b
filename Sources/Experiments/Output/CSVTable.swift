import CSV
import Foundation

/// A CSV table with a header row, written with CSV.swift (RFC 4180 quoting). Numbers are
/// written in full double precision (shortest round-trip form), non-finite ones as nan/inf,
/// which pandas.read_csv reads as NaN/inf.
public struct CSVTable: Sendable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func append(_ fields: [CSVField]) {
        precondition(fields.count == header.count, "row width must match the header")
        rows.append(fields.map(\.text))
    }

    public func data() throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row) }
        stream.close()
        var data = (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data()
        data.append(contentsOf: [0x0A])
        return data
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
