import Simulation

/// A config node as the catalogue's entries read it (`ConfigValue`): every read is the
/// node's own, with its located errors.
struct ConfigNodeValue: ConfigValue {
    let node: ConfigNode

    var path: String { node.path }
    var isList: Bool { if case .sequence = node.node { return true } else { return false } }
    func error(_ problem: String, expected: String?) -> any Error { node.error(problem, expected: expected) }
    func invalid(expected: String) -> any Error { node.error("is \(node.kind)", expected: expected) }
    func finite(_ expected: String, _ valid: (Double) -> Bool) throws -> Double { try node.finite(expected, valid) }
    func integer(_ expected: String, _ valid: (Int) -> Bool) throws -> Int { try node.integer(expected, valid) }
    func unsigned(_ expected: String) throws -> UInt64 { try node.unsigned(expected) }
    func bool() throws -> Bool { try node.bool() }
    func string() throws -> String { try node.string() }
    func choice(_ options: [String]) throws -> String { try node.choice(options) }
    func sequence() throws -> [any ConfigValue] { try node.sequence().map(\.value) }
    func vector(count: Int?, expected: String, _ valid: (Double) -> Bool) throws -> [Double] {
        try node.vector(count: count, expected: expected, valid)
    }
    func scalarOrVector(count: Int, expected: String, _ valid: (Double) -> Bool) throws -> [Double] {
        try node.scalarOrVector(count: count, expected: expected, valid)
    }
    func squareMatrix(size: Int?) throws -> [Double] { try node.squareMatrix(size: size) }
    func mapping(allowed: [String]) throws -> any ConfigMapping { ConfigNodeMapping(mapping: try node.mapping(allowed: allowed)) }
}

/// A checked config mapping as the catalogue's entries read it (`ConfigMapping`).
struct ConfigNodeMapping: ConfigMapping {
    let mapping: ConfigNode.Mapping

    var owner: any ConfigValue { mapping.owner.value }
    subscript(_ key: String) -> (any ConfigValue)? { mapping[key]?.value }
}

extension ConfigNode {
    /// The node as the catalogue's entries read it.
    var value: any ConfigValue { ConfigNodeValue(node: self) }
}
