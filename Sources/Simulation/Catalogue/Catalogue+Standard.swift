extension Catalogue {
    /// The registry: every entry optcloud ships, in the order `optcloud list` prints them.
    /// A new objective, noise model, optimizer or schedule is one file with its type and its
    /// `entry`, and one line here.
    public static let standard = Catalogue(
        objectives: [
            Quadratic.entry,
            Rosenbrock.entry,
            Rastrigin.entry,
            StyblinskiTang.entry,
            DoubleWell.entry,
            GaussianMixture.entry,
            LinearNetwork.entry,
            LinearRegression.entry,
            LogisticRegression.entry,
            ExpressionObjective.entry,
        ],
        noise: [
            NoNoise.entry,
            GaussianNoise.entry,
            HessianNoise.entry,
            StudentTNoise.entry,
            AlphaStableNoise.entry,
            MinibatchNoise.entry,
            MinibatchNoise.labelNoiseEntry,
            RecordedNoise.entry,
        ],
        optimizers: [
            SGD.entry,
            Adam.entry,
            Adam.decoupledEntry,
            RMSprop.entry,
            Adagrad.entry,
            Adamax.entry,
            NAdam.entry,
            RAdam.entry,
            Lion.entry,
            SignSGD.entry,
            Signum.entry,
            SGLD.entry,
        ],
        schedules: [
            ConstantSchedule.entry,
            LinearSchedule.entry,
            CosineSchedule.entry,
            CosineWarmRestartsSchedule.entry,
            StepSchedule.entry,
            MultiStepSchedule.entry,
            ExponentialSchedule.entry,
            InverseSqrtSchedule.entry,
            SequentialSchedule.entry,
        ]
    )
}
