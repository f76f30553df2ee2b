import CSV
import Foundation
import XCTest

/// Reading the files of an output directory (SPEC §5) in tests.
enum RunOutput {
    /// The CSV files of SPEC §5 this version writes for Configs/small.yaml, with their exact
    /// header lines (basins.csv only on multi-basin objectives: `ReportFilesTests`).
    static let csvHeaders: [String: String] = [
        "moments.csv": "optimizer,coordinate,minimum,mean,bias,std,stderr,skewness,kurtosis,q05,q50,q95",
        "covariance.csv": "optimizer,row,column,value",
        "histograms.csv": "optimizer,coordinate,bin_lower,bin_upper,count,density",
        "histograms2d.csv": "optimizer,coordinate_x,coordinate_y,x_lower,x_upper,y_lower,y_upper,count,density",
        "diagnostics.csv": "optimizer,coordinate,r_hat,ess_bulk,ess_tail,mcse_mean,mcse_sd,tail_index",
        // d = 2 and no basins (Configs/small.yaml); basin_<b>_fraction columns follow on multi-basin objectives.
        "timeseries.csv": "optimizer,step,loss_mean,loss_mean_stderr,theory_loss_mean,distance_mean,covariance_trace,theory_covariance_trace,lr,alive_chains,mean_0,mean_1,variance_0,variance_1",
    ]

    /// Runs `optcloud run CONFIG --out DIRECTORY/out` plus `extra` and returns the output
    /// directory, failing the test unless the run succeeded.
    static func run(_ config: String, in directory: URL, outName: String = "out", extra: [String] = [],
                    file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let out = directory.appendingPathComponent(outName)
        let result = try Optcloud.run(["run", config, "--out", out.path, "--quiet"] + extra, in: directory, file: file, line: line)
        XCTAssertEqual(result.reason, .exit, result.diagnostic, file: file, line: line)
        XCTAssertEqual(result.status, 0, "run failed: \(result.diagnostic)", file: file, line: line)
        guard result.status == 0 else { throw RunFailed() }
        return out
    }

    struct RunFailed: Error {}
    struct Malformed: Error, CustomStringConvertible { let description: String }

    static func text(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try jsonObject(Data(contentsOf: url), what: url.lastPathComponent)
    }

    static func jsonObject(_ data: Data, what: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Malformed(description: "\(what) is not a JSON object")
        }
        return object
    }

    /// A CSV file parsed with CSVReader: the header and the rows, each checked to have the
    /// header's width.
    static func csv(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(string: try text(url), hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error { XCTFail("\(url.lastPathComponent): \(error)", file: file, line: line) }
        let header = reader.headerRow ?? []
        for (i, row) in rows.enumerated() where row.count != header.count {
            XCTFail("\(url.lastPathComponent) row \(i + 1) has \(row.count) fields, the header \(header.count): \(row)",
                    file: file, line: line)
        }
        return (header, rows)
    }

    /// Rows as dictionaries keyed by the header.
    static func records(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: String]] {
        let (header, rows) = try csv(url, file: file, line: line)
        return rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// A number from JSON (NSNumber) or nil.
    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        return nil
    }

    static func numbers(_ value: Any?) -> [Double]? {
        guard let items = value as? [Any] else { return nil }
        let values = items.compactMap(number)
        return values.count == items.count ? values : nil
    }

    static func matrix(_ value: Any?) -> [[Double]]? {
        guard let rows = value as? [Any] else { return nil }
        let values = rows.compactMap(numbers)
        return values.count == rows.count ? values : nil
    }

    /// summary.json without the lines whose key is a timing or the thread count.
    static func summaryWithoutTimings(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            line.range(of: #"^\s*"(wall_seconds|threads|seconds)"\s*:"#, options: .regularExpression) == nil
        }.joined(separator: "\n")
    }

    /// A parsed .npy file (format 1.0/2.0): header dictionary text, header length, data.
    struct NPY {
        let version: (UInt8, UInt8)
        let headerText: String
        /// Magic, version, length field and header: the offset of the data.
        let dataOffset: Int
        let data: Data

        init(_ bytes: Data) throws {
            let b = [UInt8](bytes)
            guard b.count >= 10, b[0] == 0x93, Array(b[1..<6]) == Array("NUMPY".utf8) else {
                throw Malformed(description: "no \\x93NUMPY magic")
            }
            version = (b[6], b[7])
            let headerLength: Int, start: Int
            if b[6] == 1 {
                headerLength = Int(b[8]) | Int(b[9]) << 8
                start = 10
            } else {
                guard b.count >= 12 else { throw Malformed(description: "truncated header length") }
                headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
                start = 12
            }
            guard b.count >= start + headerLength else { throw Malformed(description: "truncated header") }
            headerText = String(decoding: b[start..<(start + headerLength)], as: UTF8.self)
            dataOffset = start + headerLength
            data = Data(b[dataOffset...])
        }

        var doubles: [Double] {
            stride(from: 0, to: data.count - data.count % 8, by: 8).map { offset in
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(data[data.startIndex + offset + k]) << (8 * UInt64(k)) }
                return Double(bitPattern: bits)
            }
        }
    }
}
