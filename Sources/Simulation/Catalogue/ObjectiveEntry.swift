/// The catalogue entry of an objective: its name, summary and typed parameters, and how to
/// build the landscape from them.
public struct ObjectiveEntry: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [AnyParameter]
    private let make: @Sendable (inout ParameterReader, BuildContext) throws -> any Objective

    /// - Parameter make: the objective, from the parameters (`reader`, which records what the
    ///   resolved config lists between `dim` and `minimum`).
    public init(_ name: String, summary: String, parameters: [AnyParameter] = [],
                make: @escaping @Sendable (inout ParameterReader, BuildContext) throws -> any Objective) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }

    public func build(_ reader: inout ParameterReader, context: BuildContext) throws -> ObjectiveSpec {
        let objective = try make(&reader, context)
        reader.forget("dim")
        return ObjectiveSpec(type: name, objective: objective, parameters: reader.resolved)
    }
}

/// What an objective's or a noise model's build may use besides its own parameters.
public struct BuildContext: Sendable {
    /// The run's seed (the default seed of generated data).
    public let seed: UInt64
    /// The directory of the config file, for the files it names.
    public let directory: String
    public let services: any CatalogueServices
    /// The weight decay of the first optimizer whose decay is > 0 on every coordinate, and
    /// where it comes from ("optimizers.K (label)"), for an objective of dimension d; nil
    /// when none has one.
    public let positiveDecay: @Sendable (_ dimension: Int) throws -> ([Double], String)?

    public init(seed: UInt64, directory: String, services: any CatalogueServices,
                positiveDecay: @escaping @Sendable (Int) throws -> ([Double], String)?) {
        self.seed = seed
        self.directory = directory
        self.services = services
        self.positiveDecay = positiveDecay
    }
}

/// What the layers above the engine lend a build: dense linear algebra (GSL, in Statistics)
/// and the reading of data files.
public protocol CatalogueServices: Sendable {
    /// Eigenvalues (ascending) and eigenvectors (columns, row-major) of a symmetric n×n matrix.
    func symmetricEigen(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double])
    /// The lower Cholesky factor L (row-major) with LLᵀ = A; throws when A is not positive definite.
    func cholesky(_ matrix: [Double], n: Int) throws -> [Double]
    /// The orthogonal factor Q of the QR decomposition of an n×n Gaussian matrix, signs fixed
    /// so that Q is Haar distributed.
    func orthogonal(fromGaussian matrix: [Double], n: Int) throws -> [Double]
    /// Rows of `columns` numbers from the .npy or .csv file the value names (relative to
    /// `directory`): the values row-major and the row count.
    func numberRows(_ file: any ConfigValue, columns: Int, directory: String) throws -> (values: [Double], rows: Int)
}

/// The objective of a run: its catalogue type, the landscape, and its resolved parameters
/// (the resolved config lists type, dim, these, then minimum).
public struct ObjectiveSpec: Sendable {
    public let type: String
    public let objective: any Objective
    public let parameters: [(String, ParameterValue)]

    public init(type: String, objective: any Objective, parameters: [(String, ParameterValue)]) {
        self.type = type
        self.objective = objective
        self.parameters = parameters
    }

    public var dimension: Int { objective.dimension }
    public var minimum: [Double] { objective.minimum }

    /// The resolved objective: type, dim, its parameters, minimum.
    public var resolved: ParameterValue {
        .object([("type", .string(type)), ("dim", .integer(dimension))] + parameters + [("minimum", .numbers(minimum))])
    }
}
