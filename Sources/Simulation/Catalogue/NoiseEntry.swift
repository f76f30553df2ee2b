/// The catalogue entry of a gradient-noise model: its name, summary and typed parameters,
/// and how to build the noise for the run's objective from them.
public struct NoiseEntry: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [AnyParameter]
    private let make: @Sendable (inout ParameterReader, NoiseContext) throws -> BuiltNoise

    /// - Parameter make: the noise, from the parameters (`reader`, which records what the
    ///   resolved config lists) and the run's objective (`context`).
    public init(_ name: String, summary: String, parameters: [AnyParameter] = [],
                make: @escaping @Sendable (inout ParameterReader, NoiseContext) throws -> BuiltNoise) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }

    public func build(_ reader: inout ParameterReader, context: NoiseContext) throws -> NoiseSpec {
        let built = try make(&reader, context)
        precondition(built.noise.dimension == context.objective.dimension, "\(name): noise of the wrong dimension")
        return NoiseSpec(type: name, noise: built.noise, parameters: reader.resolved, covariance: built.covariance, note: built.note)
    }
}

/// What a noise model's build returns: the noise, its covariance where it is constant and
/// known (nil for state-dependent or infinite-variance noise), and what that covariance is,
/// in words (for theory.json).
public struct BuiltNoise {
    public let noise: any GradientNoise
    public let covariance: [Double]?
    public let note: String

    /// `covariance` defaults to the noise's own.
    public init(_ noise: any GradientNoise, covariance: [Double]?? = nil, note: String) {
        self.noise = noise
        self.covariance = covariance ?? noise.covariance
        self.note = note
    }
}

/// What a noise model's build may use besides its own parameters.
public struct NoiseContext {
    /// The run's objective, built.
    public let objective: ObjectiveSpec
    public let build: BuildContext

    public init(objective: ObjectiveSpec, build: BuildContext) {
        self.objective = objective
        self.build = build
    }
}

/// The gradient-noise model of a run: its catalogue type, the noise, its resolved parameters,
/// and its covariance where constant and known.
public struct NoiseSpec: Sendable {
    public let type: String
    public let noise: any GradientNoise
    public let parameters: [(String, ParameterValue)]
    /// The covariance of ξ (row-major d×d) where it is state independent, known and finite.
    public let covariance: [Double]?
    /// What the covariance at x* is, in words.
    public let note: String

    public init(type: String, noise: any GradientNoise, parameters: [(String, ParameterValue)], covariance: [Double]?, note: String) {
        self.type = type
        self.noise = noise
        self.parameters = parameters
        self.covariance = covariance
        self.note = note
    }

    /// The resolved noise: its type, then its parameters.
    public var resolved: ParameterValue { .object([("type", .string(type))] + parameters) }
}
