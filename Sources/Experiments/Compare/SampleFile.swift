import Foundation

/// samples_<label>.npy of a run directory: float64 [chains, d] (`output.samples: final`) or
/// [chains, draws, d] (`all`). Rows holding a non-finite value (diverged chains) are dropped.
enum SampleFile {
    static let expected = "a float64 .npy of shape [chains, d] or [chains, draws, d]"

    /// The finite rows, or nil when the file does not exist.
    static func load(_ url: URL, shownAs path: String, dimension d: Int) throws -> CloudSamples? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError(file: path, line: nil, key: "", problem: "cannot be read", expected: expected)
        }
        guard declaredShapeFits(data) else {
            throw ConfigError(file: path, line: nil, key: "", problem: "declares a shape larger than any file", expected: expected)
        }
        let array: (values: [Double], shape: [Int])
        do { array = try NPYFile.read(data) } catch {
            throw ConfigError(file: path, line: nil, key: "", problem: "\(error)", expected: nil)
        }
        let shape = array.shape
        guard shape.count == 2 || shape.count == 3, shape.allSatisfy({ $0 >= 0 }), shape.last == d,
              array.values.count == shape.reduce(1, *) else {
            throw ConfigError(file: path, line: nil, key: "", problem: "has shape \(shape)",
                              expected: "[chains, \(d)] or [chains, draws, \(d)], d = \(d) as in summary.json")
        }
        let chains = shape[0], draws = shape.count == 3 ? shape[1] : 1
        var values: [Double] = []
        values.reserveCapacity(array.values.count)
        var chainRows: [Range<Int>] = []
        var kept = 0
        for c in 0..<chains {
            let first = kept
            for r in (c * draws)..<((c + 1) * draws) {
                let row = array.values[(r * d)..<((r + 1) * d)]
                if row.allSatisfy(\.isFinite) {
                    values.append(contentsOf: row)
                    kept += 1
                }
            }
            if kept > first { chainRows.append(first..<kept) }
        }
        return CloudSamples(file: path, values: values, rows: kept, chainRows: chainRows, droppedRows: chains * draws - kept)
    }

    /// False when the header's shape multiplies out (times 8 bytes) beyond Int: such a file
    /// is malformed, and reading it would overflow. The header is located as NPYFile does.
    static func declaredShapeFits(_ data: Data) -> Bool {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10 else { return true }
        let length = bytes[6] == 1 || bytes.count < 12
            ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let head = String(decoding: data.prefix(12 + length), as: UTF8.self)
        guard let key = head.range(of: "'shape':"), let open = head[key.upperBound...].firstIndex(of: "("),
              let close = head[open...].firstIndex(of: ")") else { return true }
        var product = 8
        for item in head[head.index(after: open)..<close].split(separator: ",") {
            guard let n = Int(item.trimmingCharacters(in: .whitespaces)) else { continue }
            guard n != Int.min else { return false }
            let (next, overflow) = product.multipliedReportingOverflow(by: Swift.max(Swift.abs(n), 1))
            if overflow { return false }
            product = next
        }
        return true
    }
}
