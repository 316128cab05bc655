import ImageMetadata

/// What `ikmeta --version` prints: the package version, then each C library as loaded at run time.
enum VersionText {
    /// The package version; `scripts/package-deb.sh` reads it from the first line of `--version`.
    static let package = "0.1.0"

    /// The first line, which the argument parser holds: asking every library for its version
    /// (and loading libheif to ask it) is left until `--version` is given (`IKMeta.main`).
    static let firstLine = "ikmeta \(package)"

    static var full: String {
        ([firstLine] + LinkedLibrary.loaded.map { "\($0.name) \($0.version)" }).joined(separator: "\n")
    }
}
