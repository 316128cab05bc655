// swift-tools-version:6.0
import PackageDescription

/// The libFuzzer target builds only on request: `IKMETA_FUZZ=1 swift build -Xswiftc -sanitize=fuzzer,address …`.
let fuzzing = Context.environment["IKMETA_FUZZ"] == "1"

let package = Package(
    name: "ikmeta",
    products: [
        .library(name: "ImageMetadata", targets: ["ImageMetadata"]),
        .library(name: "PerceptualHash", targets: ["PerceptualHash"]),
        .library(name: "PerceptualHashIndex", targets: ["PerceptualHashIndex"]),
        .executable(name: "ikmeta", targets: ["ikmeta"]),
        .library(name: "ImageKitMirror", targets: ["ImageKitMirror"]),
        .executable(name: "ikmeta-server", targets: ["ikmeta-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The local ImageKit server only; the `ikmeta` CLI links none of these.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // `swift package generate-documentation`: the DocC catalogs of ImageMetadata and PerceptualHash.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian packages named in `providers`).
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLCMS2", pkgConfig: "lcms2", providers: [.apt(["liblcms2-dev"])]),
        .systemLibrary(name: "CGIF", pkgConfig: "libgif", providers: [.apt(["libgif-dev"])]),
        // libheif's headers only: CImageShims opens the library with dlopen on first use, so that
        // its codecs are not loaded when ikmeta starts (README "Performance").
        .systemLibrary(name: "CHeif", providers: [.apt(["libheif-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebpdemux", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        // Hand-written C: guarded decoder calls (symbols prefixed CImageShims_).
        .target(
            name: "CImageShims", dependencies: ["CJPEG", "CPNG", "CGIF", "CHeif", "CWebP", "CTIFF"],
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("dl")]),
        // Hand-written C for `verify` only: libcurl opened with dlopen when first called (symbols
        // prefixed CHTTPFetch_), so no other command loads networking libraries.
        .target(name: "CHTTPFetch", linkerSettings: [.linkedLibrary("dl")]),
        // Pure Swift: 32×32 pixels → DCT → 64-bit hash.
        .target(name: "PerceptualHash"),
        // Pure Swift: exact Hamming-radius search over many pHashes, and its file form.
        .target(name: "PerceptualHashIndex", dependencies: ["PerceptualHash"]),
        .target(
            name: "ImageMetadata",
            dependencies: ["CExif", "PerceptualHash", "CImageShims", "CLCMS2"]
        ),
        .executableTarget(
            name: "ikmeta",
            dependencies: [
                "ImageMetadata",
                "PerceptualHash",
                "PerceptualHashIndex",
                "CHTTPFetch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `swift build -c release --product index-scale`: the index's one-machine figures.
        .executableTarget(name: "index-scale", dependencies: ["PerceptualHashIndex"], path: "Benchmarks/IndexScale"),
        // ImageKit's upload, metadata and file APIs over a local store (README "Local ImageKit for tests").
        .target(
            name: "ImageKitMirror",
            dependencies: [
                "ImageMetadata",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "ikmeta-server",
            dependencies: [
                "ImageKitMirror",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ImageKitMirrorTests",
            dependencies: ["ImageKitMirror", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "PerceptualHashTests", dependencies: ["PerceptualHash"]),
        .testTarget(name: "PerceptualHashIndexTests", dependencies: ["PerceptualHashIndex"]),
        .testTarget(name: "ImageMetadataTests", dependencies: ["ImageMetadata"]),
        .testTarget(name: "ikmetaTests", dependencies: ["ImageMetadata"]),
    ]
)

if fuzzing {
    // FuzzImageMetadata: the metadata object; FuzzExifView: the EXIF view (`ikmeta exif`);
    // FuzzIndexLoader: the .ikidx loader.
    package.targets.append(.target(name: "FuzzDriver"))
    for (name, library) in [("FuzzImageMetadata", "ImageMetadata"), ("FuzzExifView", "ImageMetadata"),
                            ("FuzzIndexLoader", "PerceptualHashIndex")] {
        package.targets.append(
            .executableTarget(
                name: name,
                dependencies: ["FuzzDriver", .target(name: library)],
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]
            ))
    }
}
