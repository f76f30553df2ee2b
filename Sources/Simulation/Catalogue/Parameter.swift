/// A typed parameter of a catalogue entry: its name, default, valid values and meaning, and
/// how to read it from the config. The catalogue text (`optcloud list`, the README), the
/// allowed keys, the reading with its checks and the resolved value all come from this one
/// declaration.
public struct Parameter<Value: Sendable>: Sendable {
    /// What happens when the key is absent.
    public enum Fallback: Sendable {
        /// This value.
        case value(Value)
        /// An error: the key must be given.
        case required
        /// Nothing is read (`ParameterReader.optional` returns nil): the entry derives the
        /// value, as the default text says.
        case derived
    }

    public let name: String
    public let fallback: Fallback
    public let meaning: String
    /// As the catalogue shows the valid values and the default.
    public let validText: String
    public let defaultText: String
    let read: @Sendable (any ConfigValue, ParameterContext) throws -> Value
    let resolve: @Sendable (Value) -> ParameterValue
    /// The fallback value in a context (a per-coordinate default broadcast to d).
    let adapt: @Sendable (Value, ParameterContext) -> Value

    public init(_ name: String, fallback: Fallback, valid validText: String, default defaultText: String, meaning: String,
                read: @escaping @Sendable (any ConfigValue, ParameterContext) throws -> Value,
                resolve: @escaping @Sendable (Value) -> ParameterValue,
                adapt: @escaping @Sendable (Value, ParameterContext) -> Value = { value, _ in value }) {
        self.adapt = adapt
        self.name = name
        self.fallback = fallback
        self.validText = validText
        self.defaultText = defaultText
        self.meaning = meaning
        self.read = read
        self.resolve = resolve
    }

    /// The default of a parameter with one (`.value`): the type's initialiser takes its
    /// default arguments from here, so that each default is written once.
    public var defaultValue: Value {
        guard case .value(let value) = fallback else { preconditionFailure("parameter \(name) has no default value") }
        return value
    }

    /// The parameter as the catalogue lists it.
    public var info: ParameterInfo {
        ParameterInfo(name: name, defaultValue: defaultText, range: validText, meaning: meaning)
    }

    /// Type-erased, for an entry's list of parameters: read (and resolved) in list order
    /// before the entry's build runs.
    public var erased: AnyParameter {
        AnyParameter(info: info) { reader in
            if case .derived = fallback { _ = try reader.optional(self) } else { _ = try reader(self) }
        }
    }

    /// Type-erased, but left for the entry's build to read when it needs it (after values
    /// it depends on).
    public var deferred: AnyParameter { AnyParameter(info: info) { _ in } }
}

/// What reading a parameter may depend on besides its own value.
public struct ParameterContext: Sendable {
    /// d, for per-coordinate values (nil while the objective, which sets it, is being read).
    public let dimension: Int?

    public init(dimension: Int?) { self.dimension = dimension }
}

/// A parameter as the catalogue lists it.
public struct ParameterInfo: Sendable, Equatable {
    public let name: String
    public let defaultValue: String
    public let range: String
    public let meaning: String

    public init(name: String, defaultValue: String, range: String, meaning: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.range = range
        self.meaning = meaning
    }
}

/// A parameter of any type: its catalogue line and how to read it (so that an entry's
/// parameters can be read in their declared order).
public struct AnyParameter: Sendable {
    public let info: ParameterInfo
    let readInto: @Sendable (inout ParameterReader) throws -> Void

    init(info: ParameterInfo, readInto: @escaping @Sendable (inout ParameterReader) throws -> Void) {
        self.info = info
        self.readInto = readInto
    }

    /// A key the config may give whose reading the entry does itself (a matrix, a file …).
    public static func documented(_ name: String, default defaultText: String, valid validText: String, meaning: String) -> AnyParameter {
        AnyParameter(info: ParameterInfo(name: name, defaultValue: defaultText, range: validText, meaning: meaning)) { _ in }
    }

    public var name: String { info.name }
}

// MARK: kinds

extension Parameter where Value == Double {
    /// A finite number in `valid`.
    public static func number(_ name: String, _ fallback: Fallback, _ valid: ValidRange<Double>, _ meaning: String,
                              defaultText: String? = nil) -> Parameter {
        Parameter(name, fallback: fallback, valid: valid.text, default: defaultText ?? fallback.text(ParameterText.number),
                  meaning: meaning,
                  read: { value, _ in try value.finite(valid.expected(name), valid.contains) },
                  resolve: { .number($0) })
    }
}

extension Parameter where Value == Int {
    /// An integer in `valid`.
    public static func integer(_ name: String, _ fallback: Fallback, _ valid: ValidRange<Int>, _ meaning: String,
                               defaultText: String? = nil) -> Parameter {
        Parameter(name, fallback: fallback, valid: valid.text, default: defaultText ?? fallback.text { String($0) },
                  meaning: meaning,
                  read: { value, _ in try value.integer(valid.expected(name), valid.contains) },
                  resolve: { .integer($0) })
    }
}

extension Parameter where Value == UInt64 {
    /// A seed: an integer in 0...2⁶⁴ − 1.
    public static func seed(_ name: String, _ fallback: Fallback, _ meaning: String, defaultText: String? = nil) -> Parameter {
        Parameter(name, fallback: fallback, valid: "integer ≥ 0", default: defaultText ?? fallback.text { String($0) },
                  meaning: meaning,
                  read: { value, _ in try value.unsigned("an integer in 0...18446744073709551615") },
                  resolve: { .unsigned($0) })
    }
}

extension Parameter where Value == Bool {
    /// true or false.
    public static func flag(_ name: String, _ defaultValue: Bool, _ meaning: String, valid: String = "bool") -> Parameter {
        Parameter(name, fallback: .value(defaultValue), valid: valid, default: String(defaultValue), meaning: meaning,
                  read: { value, _ in try value.bool() }, resolve: { .bool($0) })
    }
}

extension Parameter where Value == String {
    /// One of `options`.
    public static func choice(_ name: String, _ options: [String], _ fallback: Fallback, _ meaning: String) -> Parameter {
        Parameter(name, fallback: fallback, valid: options.joined(separator: " | "), default: fallback.text { $0 },
                  meaning: meaning, read: { value, _ in try value.choice(options) }, resolve: { .string($0) })
    }
}

extension Parameter where Value == [Double] {
    /// A list of `count` numbers, each in `valid` (betas).
    public static func numbers(_ name: String, count: Int, _ fallback: Fallback, each valid: ValidRange<Double>,
                               _ meaning: String) -> Parameter {
        Parameter(name, fallback: fallback, valid: "each \(valid.text.hasPrefix("[") || valid.text.hasPrefix("(") ? "in " : "")\(valid.text)",
                  default: fallback.text(ParameterText.numbers), meaning: meaning,
                  read: { value, _ in try value.vector(count: count, expected: "\(name) \(Self.inPhrase(valid))", valid.contains) },
                  resolve: { .numbers($0) })
    }

    /// One number per coordinate, or one for all, each in `valid`. `collapse` resolves a
    /// uniform value back to one number.
    public static func perCoordinate(_ name: String, _ defaultValue: Double, _ valid: ValidRange<Double>, _ meaning: String,
                                     what: String, collapse: Bool = false) -> Parameter {
        Parameter(name, fallback: .value([defaultValue]), valid: "\(valid.text), scalar or one per coordinate",
                  default: ParameterText.number(defaultValue), meaning: meaning,
                  read: { value, context in
                      try value.scalarOrVector(count: context.dimension ?? 1, expected: "\(what) \(valid.text)", valid.contains)
                  },
                  resolve: { collapse ? .uniformOrNumbers($0) : .numbers($0) },
                  adapt: { value, context in [Double](repeating: value[0], count: context.dimension ?? 1) })
    }

    static func inPhrase(_ valid: ValidRange<Double>) -> String {
        valid.text.hasPrefix("[") || valid.text.hasPrefix("(") ? "in \(valid.text)" : valid.text
    }
}

extension Parameter.Fallback {
    /// The default as the catalogue shows it.
    func text(_ render: (Value) -> String) -> String {
        switch self {
        case .value(let value): return render(value)
        case .required: return "required"
        case .derived: return "—"
        }
    }
}
