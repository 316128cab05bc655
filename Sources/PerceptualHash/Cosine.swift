#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// The C library's cosine, used by the imagehash and libpHash variants (their reference
/// implementations are numpy and C programs). The ImageKit variant uses `FdlibmCosine` instead.
@inline(__always)
func libmCos(_ x: Double) -> Double {
    cos(x)
}
