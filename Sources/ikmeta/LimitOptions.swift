import ArgumentParser
import ImageMetadata

/// `--max-*` and `--time-limit`: the protections of `Limits`, configurable per run.
struct LimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Largest file read, in bytes.", valueName: "bytes"))
    var maxFileSize: Int = Limits().fileSize

    @Option(name: .long, help: ArgumentHelp("Largest image decoded for the pHash, in pixels (sharp's default).", valueName: "pixels"))
    var maxPixels: Int = Limits().pixels

    @Option(name: .long, help: ArgumentHelp("Largest PNG iCCP/eXIf chunk read, in bytes.", valueName: "bytes"))
    var maxChunkSize: Int = Limits().chunkSize

    @Option(name: .long, help: ArgumentHelp(
        "Most metadata bytes kept (JPEG APP1/ICC segments) or inflated (PNG iCCP/zTXt/iTXt) for one file.", valueName: "bytes"))
    var maxMetadataSize: Int = Limits().metadataBytes

    @Option(name: .long, help: ArgumentHelp("Most EXIF entries read from one file.", valueName: "count"))
    var maxExifEntries: Int = Limits().exifEntries

    @Option(name: .long, help: ArgumentHelp("Longest time one file may take, in seconds.", valueName: "seconds"))
    var timeLimit: Double = Limits().seconds

    @Option(name: .long, help: ArgumentHelp(
        "Largest whole-image buffer kept in memory (a progressive JPEG's coefficients, an interlaced PNG's passes); bigger ones go to a temporary file in $TMPDIR.",
        valueName: "bytes"))
    var imageMemory: Int = Limits().inMemoryImageBytes

    func validate() throws {
        guard maxFileSize > 0, maxPixels > 0, maxChunkSize > 0, maxExifEntries > 0, maxMetadataSize > 0 else {
            throw ValidationError("Limits must be positive.")
        }
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds.") }
        guard imageMemory >= 0 else { throw ValidationError("--image-memory must be 0 or more.") }
    }

    var limits: Limits {
        var l = Limits()
        l.fileSize = maxFileSize
        l.pixels = maxPixels
        l.chunkSize = maxChunkSize
        l.exifEntries = maxExifEntries
        l.metadataBytes = maxMetadataSize
        l.seconds = timeLimit
        l.inMemoryImageBytes = imageMemory
        return l
    }
}
