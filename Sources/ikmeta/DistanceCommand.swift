import ImageMetadata
import PerceptualHash

/// `ikmeta distance A B`: the Hamming distance between two pHashes (SPEC §4).
struct DistanceCommand {
    static let spec = CommandLineSpec(
        name: "ikmeta distance",
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
            2 for a usage error (a missing or invalid pHash).

            Examples:
              ikmeta distance 63433b3ccf8e1ebe 61433b3fcf8f9faf      # 8
              ikmeta distance first.jpg second.jpg
              ikmeta distance photo.jpg 63433b3ccf8e1ebe
            """,
        usage: "[--fast] <a> <b>",
        options: [
            .init(long: "fast", help: "Decode JPEG arguments at 1/2–1/8 scale: faster, but may differ from ImageKit by a few bits."),
        ],
        arguments: [
            .init(name: "a", help: "A pHash (1–16 hex digits) or an image file."),
            .init(name: "b", help: "A pHash (1–16 hex digits) or an image file."),
        ]
    )

    let fast: Bool
    let a: String?
    let b: String?

    /// Fewer than two values is not a usage error: it gets the SDK's "Missing pHash value" (SPEC §4).
    init(_ words: ArraySlice<String>) throws(CommandLineExit) {
        let parsed = try Self.spec.parse(Array(words))
        fast = parsed.flag("fast")
        if parsed.positionals.count > 2 {
            throw Self.spec.usageError("Unexpected argument '\(parsed.positionals[2])': give two pHashes or image files.")
        }
        a = parsed.positionals.first
        b = parsed.positionals.dropFirst().first
    }

    func run() throws(CommandLineExit) {
        do throws(CommandFailure) {
            // Missing first, then invalid: the order of ImageKit's Node SDK (SPEC §4).
            guard let a, let b, !a.isEmpty, !b.isEmpty else {
                throw CommandFailure(PHashDistanceError.missingValue.description, status: 2)
            }
            print(try hash(a).distance(to: try hash(b)))
        } catch {
            printError("ikmeta: \(error.message)")
            throw .status(error.status)
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
