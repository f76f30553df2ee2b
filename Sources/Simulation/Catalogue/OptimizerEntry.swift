/// The catalogue entry of an optimizer: its name, summary and typed hyper-parameters, the
/// weight decay it takes (a transformation the engine applies before the rule), and how to
/// build the rule from the parameters. `optcloud list`, the README's catalogue, the config
/// reader, the resolved config and the runner all work from it.
///
/// Every optimizer also takes the keys of `commonParameters` (label, lr, schedule, clip),
/// which the config layer reads.
public struct OptimizerEntry: Sendable {
    public let name: String
    public let summary: String
    /// The optimizer's own parameters in catalogue order (the weight decay's among them).
    public let parameters: [AnyParameter]
    public let weightDecay: WeightDecayDeclaration?
    /// The rule's type, for code that asks which rule an entry builds.
    public let rule: any Optimizer.Type
    private let make: @Sendable (inout ParameterReader) throws -> any Optimizer

    /// - Parameters:
    ///   - parameters: the parameters in catalogue order; those of `weightDecay` not listed
    ///     (to place them) follow the others.
    ///   - make: the rule from the parameters (`reader(parameter)` gives each value); throws
    ///     `reader.error(at:…)` for combinations the parameters' ranges do not catch.
    public init<Rule: Optimizer>(
        _ name: String, summary: String, parameters: [AnyParameter] = [], weightDecay: WeightDecayDeclaration? = nil,
        make: @escaping @Sendable (inout ParameterReader) throws -> Rule
    ) {
        self.name = name
        self.summary = summary
        let listed = Set(parameters.map(\.name))
        self.parameters = parameters + (weightDecay?.parameters ?? []).filter { !listed.contains($0.name) }
        self.weightDecay = weightDecay
        self.rule = Rule.self
        self.make = { reader in try make(&reader) }
    }

    /// The rule and its weight decay from the entry's config mapping; `reader` collects the
    /// resolved parameters, in catalogue order.
    public func build(_ reader: inout ParameterReader) throws -> (rule: any Optimizer, decay: WeightDecay?) {
        try reader.read(parameters)
        let rule = try make(&reader)
        return (rule, try weightDecay?.make(&reader))
    }

    /// The keys every optimizer takes besides its own, which the config layer reads.
    public static let commonParameters = [
        AnyParameter.documented("label", default: "the type", valid: "letters, digits, - _ .; unique",
                                meaning: "name in outputs (samples_<label>.npy, CSV rows)"),
        learningRate.erased,
        AnyParameter.documented("schedule", default: "{type: constant}", valid: "a schedule", meaning: "learning-rate schedule"),
        AnyParameter.documented("clip", default: "none", valid: "{max_norm, norm_type, stage} or {max_value, stage}",
                                meaning: "clipping of the raw stochastic gradient (stage: gradient) or of the update (stage: update)"),
    ]

    /// lr, the base learning rate.
    public static let learningRate = Parameter<Double>(
        "lr", fallback: .required, valid: "≥ 0", default: "required", meaning: "base learning rate; lr_t = schedule(t − 1)",
        read: { value, _ in try value.finite("a learning rate ≥ 0") { $0 >= 0 } }, resolve: { .number($0) })
}

/// The weight decay an optimizer's entry declares: its parameter (λ, one per coordinate or
/// one for all) and how it couples — always the same way, or as a flag chooses.
public struct WeightDecayDeclaration: Sendable {
    /// λ: `weight_decay`, one value per coordinate or one for all.
    public let decay: Parameter<[Double]>
    public let coupling: Coupling

    public enum Coupling: Sendable {
        case fixed(WeightDecay.Coupling)
        /// Decoupled when the flag is true.
        case flag(Parameter<Bool>)
    }

    var parameters: [AnyParameter] {
        switch coupling {
        case .fixed: return [decay.erased]
        case .flag(let flag): return [decay.erased, flag.erased]
        }
    }

    func make(_ reader: inout ParameterReader) throws -> WeightDecay {
        switch coupling {
        case .fixed(let coupling): return WeightDecay(try reader(decay), coupling: coupling)
        case .flag(let flag): return WeightDecay(try reader(decay), coupling: try reader(flag) ? .decoupled : .coupled)
        }
    }

    /// torch's `weight_decay`: g ← g + λ·x.
    public static func coupled(default value: Double = 0) -> WeightDecayDeclaration {
        WeightDecayDeclaration(decay: parameter(value, meaning: "coupled L2: g ← g + λ·x before the update"), coupling: .fixed(.coupled))
    }

    /// x ← x·(1 − lr·λ), scaled by the scheduled learning rate.
    public static func decoupled(default value: Double, meaning: String = "decoupled decay λ, scaled by the scheduled lr")
        -> WeightDecayDeclaration {
        WeightDecayDeclaration(decay: parameter(value, meaning: meaning), coupling: .fixed(.decoupled))
    }

    /// Coupled, or decoupled when `flag` is true.
    public static func coupled(default value: Double = 0, decoupledBy flag: Parameter<Bool>) -> WeightDecayDeclaration {
        WeightDecayDeclaration(decay: parameter(value, meaning: "coupled L2: g ← g + λ·x before the update"), coupling: .flag(flag))
    }

    static func parameter(_ value: Double, meaning: String) -> Parameter<[Double]> {
        .perCoordinate("weight_decay", value, .atLeast(0), meaning, what: "a weight decay", collapse: true)
    }
}
