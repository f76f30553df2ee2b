/// A resolved parameter value, as the resolved config (summary.json, `optcloud validate`)
/// records it: the config layer writes it as JSON.
public indirect enum ParameterValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case unsigned(UInt64)
    case string(String)
    case array([ParameterValue])
    /// Keys in the order given.
    case object([(String, ParameterValue)])

    public static func numbers(_ values: [Double]) -> ParameterValue { .array(values.map { .number($0) }) }

    /// d×d row-major values as a list of rows.
    public static func matrix(_ values: [Double], _ d: Int) -> ParameterValue {
        .array((0..<d).map { i in .numbers(Array(values[(i * d)..<((i + 1) * d)])) })
    }

    /// One number when every entry is the same, the list otherwise (a per-coordinate value
    /// given as a scalar reads back as one).
    public static func uniformOrNumbers(_ values: [Double]) -> ParameterValue {
        values.allSatisfy { $0 == values[0] } ? .number(values[0]) : .numbers(values)
    }
}
