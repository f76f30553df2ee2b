import Simulation

/// The catalogue as text: aligned for the terminal, or Markdown tables for the README —
/// both printed from the entries' own declarations.
public enum CatalogueText {
    public static func render(_ section: Catalogue.Section, markdown: Bool, catalogue: Catalogue = .standard) -> String {
        var out = markdown ? "#### \(section.rawValue)\n\n" : "\(section.rawValue.uppercased())\n"
        if section == .optimizers {
            let common = OptimizerEntry.commonParameters.map(\.info)
            out += markdown ? "Every optimizer takes:\n\n" + table(common) + "\n" : "\n  every optimizer:\n" + lines(common)
        }
        for entry in catalogue.listings(section) {
            if markdown {
                out += "**`\(entry.name)`** — \(entry.summary)\n\n"
                if !entry.parameters.isEmpty { out += table(entry.parameters) + "\n" }
            } else {
                out += "\n  \(entry.name): \(entry.summary)\n" + lines(entry.parameters)
            }
        }
        return out
    }

    private static func table(_ parameters: [ParameterInfo]) -> String {
        var out = "| parameter | default | valid | meaning |\n| --- | --- | --- | --- |\n"
        for p in parameters {
            out += "| `\(p.name)` | \(escape(p.defaultValue)) | \(escape(p.range)) | \(escape(p.meaning)) |\n"
        }
        return out
    }

    private static func lines(_ parameters: [ParameterInfo]) -> String {
        let width = parameters.map(\.name.count).max() ?? 0
        return parameters.map { p in
            "    \(p.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(p.meaning); default \(p.defaultValue); \(p.range)\n"
        }.joined()
    }

    private static func escape(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
