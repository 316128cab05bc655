#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// The C library's cosine. The ImageKit variant's bits on degenerate images (all coefficients
/// mathematically equal) depend on the last bit of these values; glibc's match the reference model.
@inline(__always)
func libmCos(_ x: Double) -> Double {
    cos(x)
}
