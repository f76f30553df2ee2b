// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "optcloud",
    products: [
        .executable(name: "optcloud", targets: ["optcloud"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        // GNU Scientific Library; reachable only from Statistics.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // The hot path: objectives, noise, optimizers, schedules, engine. No dependencies,
        // so every generic specialises inside one module. Without C's errno, √x is the square
        // root instruction (the same correctly rounded value) and loops with it vectorise.
        .target(name: "Simulation", swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),
        // Accumulators → estimates, histograms, theory. The only user of CGSL.
        .target(name: "Statistics", dependencies: ["CGSL", "Simulation"]),
        // Config schema and validation (Yams), output writers (CSV, JSON, NPY, SVG).
        .target(
            name: "Experiments",
            dependencies: [
                "Simulation", "Statistics",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .executableTarget(
            name: "optcloud",
            dependencies: [
                "Experiments", "Simulation", "Statistics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Simulation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Statistics", "Simulation"]),
        .testTarget(
            name: "optcloudTests",
            dependencies: ["Experiments", "Statistics", "Simulation", .product(name: "CSV", package: "CSV.swift"), .product(name: "Yams", package: "Yams")],
            resources: [.copy("Configs")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
