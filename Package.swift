// swift-tools-version:6.0
import PackageDescription

/// The libFuzzer target builds only on request: `IKMETA_FUZZ=1 swift build -Xswiftc -sanitize=fuzzer,address …`.
let fuzzing = Context.environment["IKMETA_FUZZ"] == "1"

let package = Package(
    name: "ikmeta",
    products: [
        .library(name: "ImageMetadata", targets: ["ImageMetadata"]),
        .library(name: "PerceptualHash", targets: ["PerceptualHash"]),
        .executable(name: "ikmeta", targets: ["ikmeta"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation`: the DocC catalogs of ImageMetadata and PerceptualHash.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian packages named in `providers`).
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLCMS2", pkgConfig: "lcms2", providers: [.apt(["liblcms2-dev"])]),
        // The only hand-written C: setjmp-guarded libjpeg/libpng calls (symbols prefixed CImageShims_).
        .target(name: "CImageShims", dependencies: ["CJPEG", "CPNG"], linkerSettings: [.linkedLibrary("z")]),
        // Pure Swift: 32×32 pixels → DCT → 64-bit hash.
        .target(name: "PerceptualHash"),
        .target(
            name: "ImageMetadata",
            dependencies: ["CExif", "PerceptualHash", "CImageShims", "CLCMS2"]
        ),
        .executableTarget(
            name: "ikmeta",
            dependencies: [
                "ImageMetadata",
                "PerceptualHash",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PerceptualHashTests", dependencies: ["PerceptualHash"]),
        .testTarget(name: "ImageMetadataTests", dependencies: ["ImageMetadata"]),
        .testTarget(name: "ikmetaTests", dependencies: ["ImageMetadata"]),
    ]
)

if fuzzing {
    package.targets.append(
        .executableTarget(
            name: "FuzzImageMetadata",
            dependencies: ["ImageMetadata"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
}
