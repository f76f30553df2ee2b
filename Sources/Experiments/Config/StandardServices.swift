import CSV
import Foundation
import Simulation
import Statistics

/// What catalogue entries borrow from the layers above the engine: GSL's dense linear
/// algebra (`LinearAlgebra`) and the reading of .npy and .csv files of number rows.
struct StandardServices: CatalogueServices {
    func symmetricEigen(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        try LinearAlgebra.symmetricEigen(matrix, n: n)
    }

    func cholesky(_ matrix: [Double], n: Int) throws -> [Double] { try LinearAlgebra.cholesky(matrix, n: n) }

    func orthogonal(fromGaussian matrix: [Double], n: Int) throws -> [Double] { try LinearAlgebra.orthogonal(fromGaussian: matrix, n: n) }

    /// .npy of shape [rows, columns] (or [rows] for one column), or .csv rows of `columns`
    /// numbers with an optional header.
    func numberRows(_ file: any ConfigValue, columns d: Int, directory: String) throws -> (values: [Double], rows: Int) {
        let name = try file.string()
        let path = name.hasPrefix("/") ? name : URL(fileURLWithPath: directory).appendingPathComponent(name).path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw file.error("'\(name)' cannot be read", expected: "an existing .npy or .csv file")
        }
        if path.lowercased().hasSuffix(".npy") {
            let array: (values: [Double], shape: [Int])
            do { array = try NPYFile.read(data) } catch {
                throw file.error("'\(name)' \(error)", expected: "a float64 .npy array of shape [rows, \(d)]")
            }
            let shape = array.shape
            guard (shape.count == 2 && shape[1] == d) || (shape.count == 1 && d == 1), let first = shape.first, first > 0 else {
                throw file.error("'\(name)' has shape \(shape)", expected: "shape [rows, \(d)] with rows ≥ 1")
            }
            return (array.values, first)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw file.error("'\(name)' is not UTF-8 text", expected: "a .csv file of numbers") }
        return try Self.csvRows(text, file: file, name: name, columns: d)
    }

    /// Rows of d numbers; a first row that is not numeric is a header.
    static func csvRows(_ text: String, file: any ConfigValue, name: String, columns d: Int) throws -> ([Double], Int) {
        let reader: CSVReader
        do { reader = try CSVReader(string: text) } catch {
            throw file.error("'\(name)' is not valid CSV (\(error))", expected: "rows of \(d) numbers")
        }
        var values: [Double] = [], rows = 0, line = 0
        while let row = reader.next() {
            line += 1
            let fields = row.map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.allSatisfy(\.isEmpty) { continue }
            let numbers = fields.compactMap(Double.init)
            if numbers.count != fields.count {
                if rows == 0 && line == 1 { continue }
                throw file.error("'\(name)' line \(line) is not numeric", expected: "rows of \(d) numbers")
            }
            guard numbers.count == d else {
                throw file.error("'\(name)' line \(line) has \(numbers.count) values", expected: "\(d) per row (one per coordinate)")
            }
            values += numbers
            rows += 1
        }
        guard rows > 0 else { throw file.error("'\(name)' has no rows of numbers", expected: "rows of \(d) numbers") }
        return (values, rows)
    }
}
