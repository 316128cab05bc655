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
            `ikmeta FILE...` is short for `ikmeta read FILE...` (a file named like a
            subcommand needs the long form or a path: `ikmeta ./compare`).

            Examples:
              ikmeta photo.jpg                        the object, as ImageKit sends it
              ikmeta --jsonl -o meta.jsonl ~/Photos   one line per file, in parallel
              ikmeta phash a.jpg b.png                pHash of each file
              ikmeta distance a.jpg 63433b3ccf8e1ebe  differing bits, files or hashes
              ikmeta compare photo.jpg response.json  local object vs a saved response
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
