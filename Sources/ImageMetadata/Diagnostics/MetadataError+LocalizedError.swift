#if canImport(FoundationEssentials)
import FoundationEssentials
#elseif canImport(Foundation)
import Foundation
#endif

/// Apps that show `localizedDescription` get the message; the help is the recovery suggestion.
extension MetadataError: LocalizedError {
    /// The message (``MetadataError/message``).
    public var errorDescription: String? { message }
    /// The help (``MetadataError/help``).
    public var recoverySuggestion: String? { help }
}
