import Foundation
import Statistics

extension CloudComparison {
    /// The header of comparison.csv.
    public static let csvHeader = [
        "cloud_a", "cloud_b", "w2_gaussian", "energy_distance", "energy_p_value", "kl_ab", "kl_ba", "principal_angle_deg",
        "bias_norm_a", "bias_norm_b", "trace_a", "trace_b", "logdet_a", "logdet_b", "flatness_a", "flatness_b",
        "occupancy_a", "occupancy_b",
    ]

    /// comparison.csv: one row per pair; a number that is not there (NaN: no samples, no
    /// flatness) is an empty field, ±inf is written as inf/-inf.
    public var table: CSVTable {
        var table = CSVTable(header: Self.csvHeader)
        func number(_ x: Double?) -> CSVField { x.map { $0.isNaN ? .text("") : .number($0) } ?? .text("") }
        for pair in pairs {
            let a = clouds[pair.a], b = clouds[pair.b]
            table.append([
                .text(a.name), .text(b.name), number(pair.wasserstein2), number(pair.energy?.statistic), number(pair.energy?.pValue),
                number(pair.klAB), number(pair.klBA), number(pair.principalAngle), number(a.biasNorm), number(b.biasNorm),
                number(a.fit.trace), number(b.fit.trace), number(a.fit.logDeterminant), number(b.fit.logDeterminant),
                number(a.flatness), number(b.flatness), .text(a.occupancyText), .text(b.occupancyText),
            ])
        }
        return table
    }

    /// The table printed on standard output: the clouds, then the pairs.
    public var summaryText: String {
        var clouds: [[String]] = [["cloud", "samples", "|bias|", "tr(cov)", "logdet(cov)", "flatness", "occupancy"]]
        for (i, c) in self.clouds.enumerated() {
            let used = subsamples[i].map { String($0.count / Swift.max(c.dimension, 1)) } ?? "-"
            clouds.append([c.name, used, Self.short(c.biasNorm), Self.short(c.fit.trace), Self.short(c.fit.logDeterminant),
                           Self.short(c.flatness), c.occupancy == nil ? "-" : c.occupancyText])
        }
        var pairs: [[String]] = [["cloud_a", "cloud_b", "W2", "energy", "p-value", "KL(a‖b)", "KL(b‖a)", "angle°"]]
        for p in self.pairs {
            pairs.append([self.clouds[p.a].name, self.clouds[p.b].name, Self.short(p.wasserstein2),
                          Self.short(p.energy?.statistic), Self.short(p.energy?.pValue), Self.short(p.klAB), Self.short(p.klBA),
                          Self.short(p.principalAngle)])
        }
        return Self.aligned(clouds) + "\n" + Self.aligned(pairs)
    }

    /// 4 significant digits; "-" for a missing value.
    static func short(_ x: Double?) -> String {
        guard let x, !x.isNaN else { return "-" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", x)
    }

    /// Columns padded to their widest cell: the first two left-aligned, the rest right-aligned.
    static func aligned(_ lines: [[String]]) -> String {
        guard let first = lines.first else { return "" }
        let widths = first.indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c < 2 && (c == 0 || first[1] == "cloud_b") ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
