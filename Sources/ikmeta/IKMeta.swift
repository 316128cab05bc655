import ArgumentParser

@main
struct IKMeta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ikmeta",
        abstract: "Compute, offline, the metadata object ImageKit.io returns for an image.",
        version: "0.1.0",
        subcommands: [ReadCommand.self],
        defaultSubcommand: ReadCommand.self
    )
}
