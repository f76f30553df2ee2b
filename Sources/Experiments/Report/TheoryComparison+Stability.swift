import Foundation
import Statistics

extension TheoryComparison {
    /// Why the linear theory says the optimizer has no stationary law — the spectral radius
    /// of its linear recursion is ≥ 1, for plain SGD: lr ≥ 2/λmax(H + λ) — or nil when it is
    /// stable or there is no theory. `validate` warns with it before anything runs.
    public var instability: String? { Self.instability(theory, lr: lr) }

    /// `instability` from the Lyapunov theory alone (`lyapunov`), for checks of many configs.
    public static func instability(config: RunConfig, optimizer spec: OptimizerSpec) -> String? {
        instability(lyapunov(config: config, optimizer: spec).1, lr: spec.lr)
    }

    static func instability(_ theory: SGDStationaryTheory?, lr: Double) -> String? {
        guard let theory, theory.spectralRadius >= 1 else { return nil }
        let radius = String(format: "spectral radius of the linear dynamics %.6g ≥ 1", theory.spectralRadius)
        guard let limit = theory.stabilityLimit else { return radius }
        return String(format: "lr = %.6g is not below 2/λmax = %.6g (%@)", lr, limit, radius)
    }

    /// For the message about an optimizer whose every chain diverged: the stability limit
    /// 2/λmax beside the lr when it is known, else the spectral radius when it is ≥ 1.
    public var stabilityHint: String {
        if let limit = theory?.stabilityLimit { return String(format: " (2/λmax = %.6g, lr = %.6g)", limit, lr) }
        if let rho = theory?.spectralRadius, rho >= 1 { return String(format: " (spectral radius of the linear dynamics %.6g ≥ 1)", rho) }
        return ""
    }
}
