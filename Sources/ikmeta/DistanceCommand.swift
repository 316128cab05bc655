import ArgumentParser
import ImageMetadata
import PerceptualHash

/// `ikmeta distance A B`: the Hamming distance between two pHashes (SPEC §4).
struct DistanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "Print the pHash distance (0–64 differing bits) between two hashes or images.",
        discussion: """
            A and B are each a pHash or an image file. An argument that names an
            existing file is read as an image and hashed as `ikmeta phash` would;
            anything else must be a pHash: 1 to 16 hex digits, upper or lower case,
            shorter values left-padded with zeros.

            Prints the number of differing bits. ImageKit's documentation calls 0
            identical and values up to about 10 similar (similarity = 1 - distance/64).

            Errors are ImageKit's SDK messages:
              Missing pHash value: Please pass two pHash values
              Invalid pHash value: Both pHash strings must be valid hexadecimal numbers
            Exit status: 0 with a distance, 1 when an image file could not be hashed,
            2 for a usage error (a missing or invalid pHash), 3 when the output could
            not be written.

            Examples:
              ikmeta distance 63433b3ccf8e1ebe 61433b3fcf8f9faf      # 8
              ikmeta distance first.jpg second.jpg
              ikmeta distance photo.jpg 63433b3ccf8e1ebe
            """
    )

    @Flag(name: .long, help: "Decode JPEG arguments at 1/2–1/8 scale: faster, but may differ from ImageKit by a few bits.")
    var fast = false

    @Argument(help: "A pHash (1–16 hex digits) or an image file.", completion: .file())
    var a: String?

    @Argument(help: "A pHash (1–16 hex digits) or an image file.", completion: .file())
    var b: String?

    func run() throws {
        do throws(CommandFailure) {
            // Missing first, then invalid: the order of ImageKit's Node SDK (SPEC §4).
            guard let a, let b, !a.isEmpty, !b.isEmpty else {
                throw CommandFailure(PHashDistanceError.missingValue.description, status: 2)
            }
            try printOutput(String(try hash(a).distance(to: try hash(b))))
        } catch {
            printError("ikmeta: \(error.message)")
            throw ExitCode(error.status)
        }
    }

    /// An existing path is an image file; anything else is parsed as hex.
    private func hash(_ value: String) throws(CommandFailure) -> PHash {
        if FileSystem.exists(value) { return try LocalPHash.of(path: value, fast: fast) }
        guard let hash = PHash(hex: value) else {
            throw CommandFailure(PHashDistanceError.invalidValue.description
                + " (\(value.debugDescription) is neither 1–16 hex digits nor an existing file)", status: 2)
        }
        return hash
    }
}
