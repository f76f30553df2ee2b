import Foundation
@testable import Simulation

/// Maps a reference case's `optimizer` and `schedule` objects (torch's argument names, see
/// FORMAT.md) to our types. Anything unexpected — an unknown name, or a hyper-parameter we
/// would silently ignore — is an error, so a new case can never be skipped by accident.
extension ReferenceCase {
    struct Unmapped: Error, CustomStringConvertible {
        let description: String
    }

    /// The optimizer the case was recorded with: its rule and weight decay.
    func makeOptimizer() throws -> (rule: any Optimizer, decay: WeightDecay?) {
        let lr = try Self.number(optimizer, "lr", in: name)
        guard lr == (try Self.number(schedule, "base_lr", in: "schedule")) else {
            throw Unmapped(description: "\(name): optimizer lr \(lr) differs from the schedule's base_lr")
        }
        return try Self.optimizer(from: optimizer, dimension: dimension)
    }

    /// The optimizer described by a case's `optimizer` object, with weight decay for `dimension` coordinates.
    static func optimizer(from o: [String: Any], dimension: Int) throws -> (rule: any Optimizer, decay: WeightDecay?) {
        let name = o["name"] as? String ?? "<no name>"
        func decay(decoupled: Bool = false) throws -> WeightDecay {
            WeightDecay([Double](repeating: try number(o, "weight_decay", in: name), count: dimension),
                        coupling: decoupled ? .decoupled : .coupled)
        }
        func betas() throws -> (Double, Double) {
            guard let pair = o["betas"] as? [Any], pair.count == 2 else { throw Unmapped(description: "\(name): betas") }
            return (try number(pair[0], "betas[0]", in: name), try number(pair[1], "betas[1]", in: name))
        }
        _ = try number(o, "lr", in: name)
        let common: Set<String> = ["name", "lr", "update_rule"]
        switch name {
        case "SGD":
            try expectKeys(o, common.union(["momentum", "dampening", "weight_decay", "nesterov"]), in: name)
            return (SGD(momentum: try number(o, "momentum", in: name), dampening: try number(o, "dampening", in: name),
                        nesterov: try flag(o, "nesterov", in: name)), try decay())
        case "Adam", "AdamW":
            try expectKeys(o, common.union(["betas", "eps", "weight_decay", "amsgrad", "decoupled_weight_decay"]), in: name)
            let decoupled = try flag(o, "decoupled_weight_decay", in: name)
            // torch.optim.AdamW is Adam with decoupled_weight_decay = True; AdamW cannot turn it off.
            if name == "AdamW", !decoupled { throw Unmapped(description: "\(name): AdamW without decoupled decay") }
            let (b1, b2) = try betas()
            return (Adam(beta1: b1, beta2: b2, eps: try number(o, "eps", in: name), amsgrad: try flag(o, "amsgrad", in: name)),
                    try decay(decoupled: decoupled))
        case "RMSprop":
            try expectKeys(o, common.union(["alpha", "eps", "weight_decay", "momentum", "centered"]), in: name)
            return (RMSprop(alpha: try number(o, "alpha", in: name), eps: try number(o, "eps", in: name),
                            momentum: try number(o, "momentum", in: name), centered: try flag(o, "centered", in: name)), try decay())
        case "Adagrad":
            try expectKeys(o, common.union(["lr_decay", "weight_decay", "initial_accumulator_value", "eps"]), in: name)
            return (Adagrad(lrDecay: try number(o, "lr_decay", in: name),
                            initialAccumulatorValue: try number(o, "initial_accumulator_value", in: name),
                            eps: try number(o, "eps", in: name)), try decay())
        case "Adamax":
            try expectKeys(o, common.union(["betas", "eps", "weight_decay"]), in: name)
            let (b1, b2) = try betas()
            return (Adamax(beta1: b1, beta2: b2, eps: try number(o, "eps", in: name)), try decay())
        case "NAdam":
            try expectKeys(o, common.union(["betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay"]), in: name)
            let (b1, b2) = try betas()
            return (NAdam(beta1: b1, beta2: b2, eps: try number(o, "eps", in: name), momentumDecay: try number(o, "momentum_decay", in: name)),
                    try decay(decoupled: try flag(o, "decoupled_weight_decay", in: name)))
        case "RAdam":
            try expectKeys(o, common.union(["betas", "eps", "weight_decay", "decoupled_weight_decay"]), in: name)
            let (b1, b2) = try betas()
            return (RAdam(beta1: b1, beta2: b2, eps: try number(o, "eps", in: name)),
                    try decay(decoupled: try flag(o, "decoupled_weight_decay", in: name)))
        case "Lion":
            try expectKeys(o, common.union(["betas", "weight_decay", "decoupled_weight_decay"]), in: name)
            // optax.lion's decay is always decoupled (scaled by lr); the flag only documents it.
            if o["decoupled_weight_decay"] != nil, !(try flag(o, "decoupled_weight_decay", in: name)) {
                throw Unmapped(description: "\(name): Lion with coupled decay")
            }
            let (b1, b2) = try betas()
            return (Lion(beta1: b1, beta2: b2), try decay(decoupled: true))
        case "SignSGD", "sign_sgd":
            try expectKeys(o, common, in: name)
            return (SignSGD(), nil)
        case "Signum", "signum":
            try expectKeys(o, common.union(["beta"]), in: name)
            return (Signum(beta: try number(o, "beta", in: name)), nil)
        default:
            throw Unmapped(description: "no optimizer for \(name)")
        }
    }

    /// The learning-rate schedule the case was recorded with.
    func makeSchedule() throws -> any Schedule { try Self.schedule(from: schedule) }

    static func schedule(from s: [String: Any]) throws -> any Schedule {
        let name = s["name"] as? String ?? "<no name>"
        let base = try number(s, "base_lr", in: name)
        let common: Set<String> = ["name", "base_lr", "rule"]
        switch name {
        case "constant":
            try expectKeys(s, common, in: name)
            return ConstantSchedule(baseLR: base)
        case "LinearLR":
            try expectKeys(s, common.union(["start_factor", "end_factor", "total_iters"]), in: name)
            return LinearSchedule(baseLR: base, startFactor: try number(s, "start_factor", in: name),
                                  endFactor: try number(s, "end_factor", in: name), totalIters: try integer(s, "total_iters", in: name))
        case "CosineAnnealingLR":
            try expectKeys(s, common.union(["T_max", "eta_min"]), in: name)
            return CosineSchedule(baseLR: base, tMax: try integer(s, "T_max", in: name), etaMin: try number(s, "eta_min", in: name))
        case "CosineAnnealingWarmRestarts":
            try expectKeys(s, common.union(["T_0", "T_mult", "eta_min"]), in: name)
            return CosineWarmRestartsSchedule(baseLR: base, t0: try integer(s, "T_0", in: name),
                                              tMult: try integer(s, "T_mult", in: name), etaMin: try number(s, "eta_min", in: name))
        case "StepLR":
            try expectKeys(s, common.union(["step_size", "gamma"]), in: name)
            return StepSchedule(baseLR: base, stepSize: try integer(s, "step_size", in: name), gamma: try number(s, "gamma", in: name))
        case "ExponentialLR":
            try expectKeys(s, common.union(["gamma"]), in: name)
            return ExponentialSchedule(baseLR: base, gamma: try number(s, "gamma", in: name))
        case "SequentialLR":
            try expectKeys(s, common.union(["schedulers", "milestones"]), in: name)
            guard let parts = s["schedulers"] as? [[String: Any]], let milestones = s["milestones"] as? [Any] else {
                throw Unmapped(description: "SequentialLR: schedulers / milestones")
            }
            return SequentialSchedule(schedules: try parts.map { try schedule(from: $0) },
                                      milestones: try milestones.map { try integer($0, "milestones", in: name) })
        default:
            throw Unmapped(description: "no schedule for \(name)")
        }
    }

    /// The FORMAT.md errors of a replay: trajectory, grad and clipped grad (max_t ‖·‖∞ / max(1, ‖ref‖∞))
    /// and lr (max_t |lr − ref|/|ref|). Row counts must match, or the error is infinite.
    func errors(of replay: Replay) -> (trajectory: Double, grad: Double, clippedGrad: Double, lr: Double) {
        func metric(_ actual: [[Double]], _ reference: [[Double]]) -> Double {
            guard actual.count == reference.count, zip(actual, reference).allSatisfy({ $0.count == $1.count }) else { return .infinity }
            return Self.error(actual, reference)
        }
        var clipped = 0.0
        if let clippedGrad {
            clipped = metric(replay.clippedGrad, clippedGrad)
        } else if clip != nil {
            clipped = .infinity
        }
        var lrError = replay.lr.count == lr.count ? 0.0 : .infinity
        for (a, r) in zip(replay.lr, lr) { lrError = Swift.max(lrError, Swift.abs(a - r) / Swift.abs(r)) }
        return (metric(replay.trajectory, trajectory), metric(replay.grad, grad), clipped, lrError)
    }

    static func number(_ dictionary: [String: Any], _ key: String, in context: String) throws -> Double {
        guard let value = dictionary[key] else { throw Unmapped(description: "\(context): missing \(key)") }
        return try number(value, key, in: context)
    }

    static func number(_ value: Any, _ key: String, in context: String) throws -> Double {
        if let double = value as? Double { return double }
        if let int = value as? Int { return Double(int) }
        if let number = value as? NSNumber { return number.doubleValue }
        throw Unmapped(description: "\(context): \(key) is not a number")
    }

    static func integer(_ dictionary: [String: Any], _ key: String, in context: String) throws -> Int {
        guard let value = dictionary[key] else { throw Unmapped(description: "\(context): missing \(key)") }
        return try integer(value, key, in: context)
    }

    static func integer(_ value: Any, _ key: String, in context: String) throws -> Int {
        let double = try number(value, key, in: context)
        guard let int = Int(exactly: double) else { throw Unmapped(description: "\(context): \(key) = \(double) is not an integer") }
        return int
    }

    static func flag(_ dictionary: [String: Any], _ key: String, in context: String) throws -> Bool {
        guard let value = dictionary[key] as? Bool else { throw Unmapped(description: "\(context): \(key) is not a flag") }
        return value
    }

    static func expectKeys(_ dictionary: [String: Any], _ known: Set<String>, in context: String) throws {
        let unknown = Set(dictionary.keys).subtracting(known)
        guard unknown.isEmpty else { throw Unmapped(description: "\(context): unmapped hyper-parameters \(unknown.sorted())") }
    }
}
