import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct IKMeta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ikmeta",
        abstract: "Compute, offline, the metadata object ImageKit.io returns for an image.",
        discussion: """
            `ikmeta FILE...` is short for `ikmeta read FILE...`.
            """,
        version: "0.1.0",
        subcommands: [ReadCommand.self, PhashCommand.self, DistanceCommand.self, CompareCommand.self],
        defaultSubcommand: ReadCommand.self
    )

    /// Runs the command; usage errors exit with status 2 (the CLI contract), everything else
    /// as the command decides.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
