/// The catalogue entry of a learning-rate schedule: its name, summary and typed parameters,
/// and how to build the schedule (for the optimizer's base learning rate) from them.
public struct ScheduleEntry: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [AnyParameter]
    private let make: @Sendable (inout ParameterReader, ScheduleContext) throws -> @Sendable (Double) -> any Schedule

    /// - Parameter make: the schedule for a base learning rate, from the parameters.
    public init(_ name: String, summary: String, parameters: [AnyParameter] = [],
                make: @escaping @Sendable (inout ParameterReader, ScheduleContext) throws -> @Sendable (Double) -> any Schedule) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }

    /// The schedule of the entry's config mapping, with its resolved parameters.
    public func build(_ reader: inout ParameterReader, context: ScheduleContext) throws -> ScheduleSpec {
        try reader.read(parameters)
        let factory = try make(&reader, context)
        return ScheduleSpec(type: name, parameters: reader.resolved, factory: factory)
    }
}

/// What a schedule's build may use besides its own parameters.
public struct ScheduleContext {
    /// Reads a schedule nested in this one (a piece of `sequential`).
    public let nested: (any ConfigValue) throws -> ScheduleSpec
    /// Whether this schedule is itself nested.
    public let isNested: Bool

    public init(isNested: Bool, nested: @escaping (any ConfigValue) throws -> ScheduleSpec) {
        self.isNested = isNested
        self.nested = nested
    }
}

/// A learning-rate schedule read from the config: its catalogue type and resolved
/// parameters, and the schedule for a base learning rate.
public struct ScheduleSpec: Sendable {
    public let type: String
    public let parameters: [(String, ParameterValue)]
    private let factory: @Sendable (Double) -> any Schedule

    public init(type: String, parameters: [(String, ParameterValue)], factory: @escaping @Sendable (Double) -> any Schedule) {
        self.type = type
        self.parameters = parameters
        self.factory = factory
    }

    /// lr_t = lr for every t.
    public static let constant = ScheduleSpec(type: ConstantSchedule.entry.name, parameters: []) { ConstantSchedule(baseLR: $0) }

    public var isConstant: Bool { type == ConstantSchedule.entry.name }

    public func make(baseLR: Double) -> any Schedule { factory(baseLR) }

    /// The resolved schedule: its type, then its parameters.
    public var resolved: ParameterValue { .object([("type", .string(type))] + parameters) }
}
