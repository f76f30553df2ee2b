/// A value of a config document, with where it came from: every read checks the type (and
/// range) and throws an error that names the file, the line, the dotted key and what was
/// expected. The config layer (Experiments) implements it over YAML; catalogue entries read
/// their parameters through it (`ParameterReader`).
public protocol ConfigValue {
    /// The dotted key path, e.g. `optimizers.0.betas`.
    var path: String { get }
    /// Whether the value is a list (rather than a scalar or a mapping).
    var isList: Bool { get }
    /// An error located at this value: `FILE:LINE: KEY: problem (expected …)`.
    func error(_ problem: String, expected: String?) -> any Error
    /// The error for a value that does not fit: "is '<value>' (expected …)".
    func invalid(expected: String) -> any Error

    /// A finite number satisfying `valid`, described by `expected`.
    func finite(_ expected: String, _ valid: (Double) -> Bool) throws -> Double
    /// An integer satisfying `valid` (1.0e6 style when exact).
    func integer(_ expected: String, _ valid: (Int) -> Bool) throws -> Int
    func unsigned(_ expected: String) throws -> UInt64
    func bool() throws -> Bool
    func string() throws -> String
    /// One of `options`, with the nearest one suggested otherwise.
    func choice(_ options: [String]) throws -> String
    func sequence() throws -> [any ConfigValue]
    /// A list of finite numbers satisfying `valid`, of length `count` when given.
    func vector(count: Int?, expected: String, _ valid: (Double) -> Bool) throws -> [Double]
    /// A number broadcast to `count` entries, or a list of exactly `count`.
    func scalarOrVector(count: Int, expected: String, _ valid: (Double) -> Bool) throws -> [Double]
    /// A square matrix (list of rows) of finite numbers, row-major; `size` when given.
    func squareMatrix(size: Int?) throws -> [Double]
    /// The entries of a mapping whose keys must be among `allowed`.
    func mapping(allowed: [String]) throws -> any ConfigMapping
}

/// A checked mapping of a config document: its entries by key.
public protocol ConfigMapping {
    /// The mapping itself, for errors about it as a whole ("is missing key …").
    var owner: any ConfigValue { get }
    /// The value of `key`, or nil when absent or null.
    subscript(_ key: String) -> (any ConfigValue)? { get }
}

extension ConfigMapping {
    public func has(_ key: String) -> Bool { self[key] != nil }

    public func required(_ key: String, expected: String) throws -> any ConfigValue {
        guard let value = self[key] else { throw owner.error("is missing key '\(key)'", expected: expected) }
        return value
    }
}
