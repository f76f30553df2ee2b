/// The catalogue: every objective, noise model, optimizer and schedule a config can name,
/// each by its entry (name, summary, typed parameters, how to build it). `optcloud list` and
/// the README's catalogue print it, the config reader looks names up in it (an unknown or
/// unregistered name is an error) and builds what the entry says.
///
/// `standard` lists what optcloud ships; a test can read configs with a catalogue extended
/// by entries of its own (`adding`).
public struct Catalogue: Sendable {
    public var objectives: [ObjectiveEntry]
    public var noise: [NoiseEntry]
    public var optimizers: [OptimizerEntry]
    public var schedules: [ScheduleEntry]

    public init(objectives: [ObjectiveEntry], noise: [NoiseEntry], optimizers: [OptimizerEntry], schedules: [ScheduleEntry]) {
        self.objectives = objectives
        self.noise = noise
        self.optimizers = optimizers
        self.schedules = schedules
        for section in Section.allCases {
            let names = self.names(section)
            precondition(Set(names).count == names.count, "two \(section.rawValue) entries share a name")
        }
    }

    public enum Section: String, CaseIterable, Sendable {
        case objectives, noise, optimizers, schedules

        /// How an error names one entry of the section.
        public var singular: String {
            switch self {
            case .objectives: return "objective"
            case .noise: return "noise"
            case .optimizers: return "optimizer"
            case .schedules: return "schedule"
            }
        }
    }

    /// What `optcloud list` shows of one entry.
    public struct Listing: Sendable {
        public let name: String
        public let summary: String
        public let parameters: [ParameterInfo]
    }

    public func names(_ section: Section) -> [String] { listings(section).map(\.name) }

    public func listings(_ section: Section) -> [Listing] {
        switch section {
        case .objectives: return objectives.map { Listing(name: $0.name, summary: $0.summary, parameters: $0.parameters.map(\.info)) }
        case .noise: return noise.map { Listing(name: $0.name, summary: $0.summary, parameters: $0.parameters.map(\.info)) }
        case .optimizers: return optimizers.map { Listing(name: $0.name, summary: $0.summary, parameters: $0.parameters.map(\.info)) }
        case .schedules: return schedules.map { Listing(name: $0.name, summary: $0.summary, parameters: $0.parameters.map(\.info)) }
        }
    }

    /// The keys a config mapping of entry `name` may hold (besides `type`).
    public func keys(_ section: Section, _ name: String) -> [String] {
        let own = listings(section).first { $0.name == name }?.parameters.map(\.name) ?? []
        return section == .optimizers ? OptimizerEntry.commonParameters.map(\.name) + own : own
    }

    public func objective(_ name: String) -> ObjectiveEntry? { objectives.first { $0.name == name } }
    public func noise(_ name: String) -> NoiseEntry? { noise.first { $0.name == name } }
    public func optimizer(_ name: String) -> OptimizerEntry? { optimizers.first { $0.name == name } }
    public func schedule(_ name: String) -> ScheduleEntry? { schedules.first { $0.name == name } }

    /// This catalogue with more entries (a name already present is replaced).
    public func adding(objectives: [ObjectiveEntry] = [], noise: [NoiseEntry] = [], optimizers: [OptimizerEntry] = [],
                       schedules: [ScheduleEntry] = []) -> Catalogue {
        func merged<Entry>(_ old: [Entry], _ new: [Entry], _ name: (Entry) -> String) -> [Entry] {
            old.filter { entry in !new.contains { name($0) == name(entry) } } + new
        }
        return Catalogue(objectives: merged(self.objectives, objectives, \.name), noise: merged(self.noise, noise, \.name),
                         optimizers: merged(self.optimizers, optimizers, \.name), schedules: merged(self.schedules, schedules, \.name))
    }
}
