import ImageMetadata

/// `--max-*` and `--time-limit`: the protections of `Limits`, configurable per run.
enum LimitOptions {
    static let options: [CommandLineSpec.Option] = [
        .init(long: "max-file-size", value: "bytes", section: "LIMITS", help: "Largest file read, in bytes."),
        .init(long: "max-pixels", value: "pixels", section: "LIMITS", help: "Largest image decoded for the pHash, in pixels (sharp's default)."),
        .init(long: "max-chunk-size", value: "bytes", section: "LIMITS", help: "Largest PNG iCCP/eXIf chunk read, in bytes."),
        .init(long: "max-exif-entries", value: "count", section: "LIMITS", help: "Most EXIF entries read from one file."),
        .init(long: "time-limit", value: "seconds", section: "LIMITS", help: "Longest time one file may take, in seconds."),
        .init(long: "image-memory", value: "bytes", section: "LIMITS",
              help: "Largest whole-image buffer kept in memory (a progressive JPEG's coefficients, an interlaced PNG's passes); bigger ones go to a temporary file in $TMPDIR. Default 32 MiB."),
    ]

    static func limits(_ parsed: ParsedCommandLine, _ spec: CommandLineSpec) throws(CommandLineExit) -> Limits {
        var l = Limits()
        l.fileSize = try parsed.int("max-file-size", default: l.fileSize, spec)
        l.pixels = try parsed.int("max-pixels", default: l.pixels, spec)
        l.chunkSize = try parsed.int("max-chunk-size", default: l.chunkSize, spec)
        l.exifEntries = try parsed.int("max-exif-entries", default: l.exifEntries, spec)
        l.seconds = try parsed.double("time-limit", default: l.seconds, spec)
        l.inMemoryImageBytes = try parsed.int("image-memory", default: l.inMemoryImageBytes, spec)
        guard l.fileSize > 0, l.pixels > 0, l.chunkSize > 0, l.exifEntries > 0 else {
            throw spec.usageError("Limits must be positive.")
        }
        guard l.seconds > 0, l.seconds.isFinite else { throw spec.usageError("--time-limit must be a positive number of seconds.") }
        guard l.inMemoryImageBytes >= 0 else { throw spec.usageError("--image-memory must be 0 or more.") }
        return l
    }
}
