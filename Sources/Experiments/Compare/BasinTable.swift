import CSV
import Foundation

/// basins.csv of a run directory (`optimizer,basin,location,occupancy,…`, SPEC §5): the
/// occupancy of each basin per optimizer. Only the columns `optimizer`, `basin` and
/// `occupancy` are read; the others may be anything.
enum BasinTable {
    /// Occupancies by optimizer label, in file order; nil when the directory has no basins.csv.
    static func load(directory: URL, path: String) throws -> [String: [BasinOccupancy]]? {
        let url = directory.appendingPathComponent("basins.csv")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = (path as NSString).appendingPathComponent("basins.csv")
        let expected = "a CSV table with columns optimizer, basin, occupancy"
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, line: nil, key: "", problem: "cannot be read as UTF-8 text", expected: expected)
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw ConfigError(file: file, line: 1, key: "", problem: "is not valid CSV (\(error))", expected: expected)
        }
        let header = reader.headerRow ?? []
        guard let optimizer = header.firstIndex(of: "optimizer"), let basin = header.firstIndex(of: "basin"),
              let occupancy = header.firstIndex(of: "occupancy") else {
            throw ConfigError(file: file, line: 1, key: "", problem: "has header \(header.joined(separator: ","))", expected: expected)
        }
        var table: [String: [BasinOccupancy]] = [:]
        var line = 1
        while let row = reader.next() {
            line += 1
            guard row.count > Swift.max(optimizer, basin, occupancy) else {
                throw ConfigError(file: file, line: line, key: "", problem: "has \(row.count) fields", expected: "\(header.count), as the header")
            }
            guard let fraction = Double(row[occupancy].trimmingCharacters(in: .whitespaces)) else {
                throw ConfigError(file: file, line: line, key: "occupancy", problem: "is '\(row[occupancy].prefix(40))'", expected: "a number")
            }
            table[row[optimizer], default: []].append(BasinOccupancy(basin: row[basin], fraction: fraction))
        }
        if let error = reader.error {
            throw ConfigError(file: file, line: line + 1, key: "", problem: "is not valid CSV (\(error))", expected: expected)
        }
        return table
    }
}
