/// Reads the parameters of one catalogue entry from its config mapping, checking each as
/// its declaration says, and keeps the resolved values in the order read (the resolved
/// config: summary.json, `optcloud validate`).
public struct ParameterReader {
    /// The entry's mapping (its keys already checked against the entry's parameters).
    public let map: any ConfigMapping
    public let context: ParameterContext
    public private(set) var resolved: [(String, ParameterValue)] = []
    private var cache: [String: any Sendable] = [:]

    public init(map: any ConfigMapping, context: ParameterContext) {
        self.map = map
        self.context = context
    }

    /// The value of `parameter`: read and checked, or its default; required ones throw when
    /// absent. Read once: later calls return the same value.
    public mutating func callAsFunction<Value>(_ parameter: Parameter<Value>, record: Bool = true) throws -> Value {
        if let value = try optional(parameter, record: record) { return value }
        preconditionFailure("parameter \(parameter.name) derives its default: read it with optional(_:)")
    }

    /// The value of `parameter`, or nil when it is absent and its default is derived by the
    /// entry (which then records what it derived with `record`).
    /// `record: false` keeps it out of the resolved values (the entry records what it
    /// derives from it instead).
    public mutating func optional<Value>(_ parameter: Parameter<Value>, record: Bool = true) throws -> Value? {
        if let cached = cache[parameter.name] { return cached as? Value }
        let value: Value
        if let node = map[parameter.name] {
            value = try parameter.read(node, context)
        } else {
            switch parameter.fallback {
            case .value(let fallback): value = parameter.adapt(fallback, context)
            case .required:
                throw map.owner.error("is missing key '\(parameter.name)'",
                                      expected: "\(parameter.name): \(parameter.validText)")
            case .derived: return nil
            }
        }
        cache[parameter.name] = value
        if record { self.record(parameter.name, parameter.resolve(value)) }
        return value
    }

    /// Records a resolved value (replacing an earlier one of the same key in place).
    public mutating func record(_ key: String, _ value: ParameterValue) {
        if let i = resolved.firstIndex(where: { $0.0 == key }) { resolved[i].1 = value } else { resolved.append((key, value)) }
    }

    /// Removes a resolved value (one the resolved config does not list).
    public mutating func forget(_ key: String) {
        resolved.removeAll { $0.0 == key }
    }

    /// An error located at the key of `name` when the config gives it, else at the entry.
    public func error(at name: String, _ problem: String, expected: String? = nil) -> any Error {
        (map[name] ?? map.owner).error(problem, expected: expected)
    }

    /// Reads every parameter of a list in order (so that the resolved values follow it).
    mutating func read(_ parameters: [AnyParameter]) throws {
        for parameter in parameters { try parameter.readInto(&self) }
    }
}
