import ImageMetadata

/// What `ikmeta --version` prints: the package version, then each C library as loaded at run time.
enum VersionText {
    /// The package version; `scripts/package-deb.sh` reads it from the first line of `--version`.
    static let package = "0.1.0"

    static var full: String {
        (["ikmeta \(package)"] + LinkedLibrary.loaded.map { "\($0.name) \($0.version)" }).joined(separator: "\n")
    }
}
