import ArgumentParser
import Experiments
import Foundation
import Statistics

/// Exit status (SPEC §2): 0 success, 2 usage or config error, 1 any other failure.
/// Every error is one line on standard error: `optcloud: error: …`.
func runMain() -> Int32 {
    do {
        var command = try Optcloud.parseAsRoot()
        try command.run()
        return 0
    } catch let error as ConfigError {
        Terminal.error(error.description)
        return 2
    } catch let interrupted as RunInterrupted {
        Terminal.error("interrupted by signal \(interrupted.signal); \(interrupted.message)")
        return 128 + interrupted.signal
    } catch let failure as RunFailure {
        Terminal.error(failure.message)
        return 1
    } catch {
        let code = Optcloud.exitCode(for: error)
        if code == .success {
            print(Optcloud.fullMessage(for: error))
            return 0
        }
        if code.rawValue == ExitCode.validationFailure.rawValue || error is ValidationError {
            let message = Optcloud.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            Terminal.error("\(message) (see 'optcloud --help')")
            return 2
        }
        if code == .failure || code.rawValue != 0 {
            let message = Optcloud.message(for: error)
            Terminal.error(message.isEmpty ? "\(error)" : message.replacingOccurrences(of: "\n", with: " "))
            return code.rawValue == 0 ? 1 : (code.rawValue == 64 ? 2 : code.rawValue)
        }
        return 1
    }
}

Interruption.install()
disableGSLAbortHandler()
exit(runMain())
