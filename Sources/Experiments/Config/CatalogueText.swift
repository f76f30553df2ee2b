/// The catalogue as text: aligned for the terminal, or Markdown tables for the README.
public enum CatalogueText {
    public static func render(_ section: Catalogue.Section, markdown: Bool) -> String {
        var out = markdown ? "#### \(section.rawValue)\n\n" : "\(section.rawValue.uppercased())\n"
        let common = section == .optimizers ? Catalogue.commonOptimizerParameters : []
        if !common.isEmpty {
            out += markdown ? "Every optimizer takes:\n\n" + table(common) + "\n" : "\n  every optimizer:\n" + lines(common)
        }
        for var entry in Catalogue.entries(section) {
            entry = Catalogue.Entry(name: entry.name, summary: entry.summary,
                                    parameters: entry.parameters.filter { p in !common.contains { $0.name == p.name } })
            if markdown {
                out += "**`\(entry.name)`** — \(entry.summary)\n\n"
                if !entry.parameters.isEmpty { out += table(entry.parameters) + "\n" }
            } else {
                out += "\n  \(entry.name): \(entry.summary)\n" + lines(entry.parameters)
            }
        }
        if let missing = Catalogue.notYetImplemented[section] {
            out += markdown ? "Not implemented yet: \(missing.map { "`\($0)`" }.joined(separator: ", ")).\n\n"
                            : "\n  not implemented yet: \(missing.joined(separator: ", "))\n"
        }
        return out
    }

    private static func table(_ parameters: [Catalogue.Parameter]) -> String {
        var out = "| parameter | default | valid | meaning |\n| --- | --- | --- | --- |\n"
        for p in parameters {
            out += "| `\(p.name)` | \(escape(p.defaultValue)) | \(escape(p.range)) | \(escape(p.meaning)) |\n"
        }
        return out
    }

    private static func lines(_ parameters: [Catalogue.Parameter]) -> String {
        let width = parameters.map(\.name.count).max() ?? 0
        return parameters.map { p in
            "    \(p.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(p.meaning); default \(p.defaultValue); \(p.range)\n"
        }.joined()
    }

    private static func escape(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
