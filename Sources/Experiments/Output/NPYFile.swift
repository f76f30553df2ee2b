import Foundation

/// A NumPy .npy file (format version 1.0) of little-endian float64 in C order.
public enum NPYFile {
    public static func data(_ values: [Double], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape must match the number of values")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        #if _endian(little)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
        #endif
        return data
    }
}

extension NPYFile {
    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a float64 or float32 array (either byte order is declared in the header; only
    /// little-endian is accepted), C or Fortran order, as row-major doubles with its shape.
    public static func read(_ data: Data) throws -> (values: [Double], shape: [Int]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw FormatError(description: "is not a NumPy .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else if major == 2 || major == 3, bytes.count >= 12 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        } else {
            throw FormatError(description: "has unsupported .npy version \(major)")
        }
        guard headerStart + headerLength <= bytes.count,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .ascii) else {
            throw FormatError(description: "has a truncated .npy header")
        }
        func field(_ key: String) -> String? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descr = field("descr") else { throw FormatError(description: "has no 'descr' in its .npy header") }
        let width: Int
        if descr.hasPrefix("'<f8'") || descr.hasPrefix("'=f8'") { width = 8 } else if descr.hasPrefix("'<f4'") || descr.hasPrefix("'=f4'") { width = 4 } else {
            throw FormatError(description: "holds \(descr.prefix(8)) data (expected little-endian float64 '<f8' or float32 '<f4')")
        }
        let fortran = field("fortran_order")?.hasPrefix("True") ?? false
        guard let shapeText = field("shape"), let open = shapeText.firstIndex(of: "("), let close = shapeText.firstIndex(of: ")") else {
            throw FormatError(description: "has no 'shape' in its .npy header")
        }
        let shape = shapeText[shapeText.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap { Int($0) }
        let count = shape.reduce(1, *)
        let start = headerStart + headerLength
        guard count >= 0, bytes.count - start >= count * width else {
            throw FormatError(description: "has \(bytes.count - start) data bytes, fewer than its shape \(shape) needs")
        }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let offset = start + i * width
            if width == 8 {
                var bits: UInt64 = 0
                for b in 0..<8 { bits |= UInt64(bytes[offset + b]) << (8 * UInt64(b)) }
                values[i] = Double(bitPattern: bits)
            } else {
                var bits: UInt32 = 0
                for b in 0..<4 { bits |= UInt32(bytes[offset + b]) << (8 * UInt32(b)) }
                values[i] = Double(Float(bitPattern: bits))
            }
        }
        if fortran, shape.count == 2 {
            let (rows, columns) = (shape[0], shape[1])
            var transposed = values
            for r in 0..<rows { for c in 0..<columns { transposed[r * columns + c] = values[c * rows + r] } }
            values = transposed
        }
        return (values, shape)
    }
}
