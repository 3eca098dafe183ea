// swift-tools-version: 6.1
//
// Microdata: codebook → read → harmonise → estimate → disclosure check → write.

import PackageDescription

let package = Package(
    name: "microdata",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "microdata", targets: ["microdata"]),
        .library(name: "MicrodataCodebook", targets: ["MicrodataCodebook"]),
        .library(name: "MicrodataReaders", targets: ["MicrodataReaders"]),
        .library(name: "MicrodataHarmonise", targets: ["MicrodataHarmonise"]),
        .library(name: "MicrodataWeighting", targets: ["MicrodataWeighting"]),
        .library(name: "MicrodataDisclosure", targets: ["MicrodataDisclosure"]),
        .library(name: "MicrodataMobility", targets: ["MicrodataMobility"]),
        .library(name: "MicrodataWrite", targets: ["MicrodataWrite"]),
        .library(name: "MicrodataLink", targets: ["MicrodataLink"]),
        .library(name: "MicrodataModels", targets: ["MicrodataModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - C libraries (Debian packages, see README)
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        .systemLibrary(name: "CReadStat", providers: [.apt(["libreadstat-dev"])]),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),

        // MARK: - Pipeline stages
        .target(name: "MicrodataCodebook", dependencies: ["CLibXML2"]),
        .target(name: "MicrodataReaders", dependencies: ["MicrodataCodebook", "CZlib", "CReadStat"]),
        .target(name: "MicrodataHarmonise", dependencies: ["MicrodataCodebook", "MicrodataReaders", "MicrodataWrite"]),
        .target(name: "MicrodataWeighting", dependencies: ["MicrodataReaders", "MicrodataCodebook"]),
        .target(name: "MicrodataDisclosure", dependencies: ["MicrodataWeighting", "MicrodataWrite", "CGLPK"]),
        .target(name: "MicrodataWrite", dependencies: ["CXLSXWriter", "MicrodataCodebook"]),
        .target(name: "MicrodataLink", dependencies: ["MicrodataReaders", "MicrodataCodebook", "MicrodataWrite"]),
        .target(
            name: "MicrodataModels",
            dependencies: ["MicrodataWeighting", "MicrodataReaders", "MicrodataWrite", "MicrodataLink", "MicrodataDisclosure"]
        ),
        .target(
            name: "MicrodataMobility",
            dependencies: ["MicrodataWeighting", "MicrodataDisclosure", "MicrodataHarmonise", "MicrodataWrite"]
        ),
        .executableTarget(
            name: "microdata",
            dependencies: [
                "MicrodataCodebook", "MicrodataReaders", "MicrodataHarmonise", "MicrodataWeighting",
                "MicrodataDisclosure", "MicrodataMobility", "MicrodataWrite", "MicrodataLink", "MicrodataModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "MicrodataTestSupport", path: "Sources/MicrodataTestSupport"),

        // MARK: - Tests (Swift Testing); fixtures are read from the package's Fixtures/ folder
        .testTarget(name: "MicrodataCodebookTests", dependencies: ["MicrodataCodebook", "MicrodataTestSupport"]),
        .testTarget(name: "MicrodataReadersTests", dependencies: ["MicrodataReaders", "MicrodataCodebook", "MicrodataTestSupport"]),
        .testTarget(
            name: "MicrodataHarmoniseTests",
            dependencies: ["MicrodataHarmonise", "MicrodataCodebook", "MicrodataReaders", "MicrodataWeighting", "MicrodataTestSupport"]
        ),
        .testTarget(name: "MicrodataWeightingTests", dependencies: ["MicrodataWeighting", "MicrodataTestSupport"]),
        .testTarget(
            name: "MicrodataDisclosureTests",
            dependencies: ["MicrodataDisclosure", "MicrodataWeighting", "MicrodataWrite", "MicrodataTestSupport"]
        ),
        .testTarget(
            name: "MicrodataLinkTests",
            dependencies: ["MicrodataLink", "MicrodataReaders", "MicrodataCodebook", "MicrodataWeighting", "MicrodataTestSupport"]
        ),
        .testTarget(
            name: "MicrodataModelsTests",
            dependencies: [
                "MicrodataModels", "MicrodataReaders", "MicrodataWeighting", "MicrodataLink", "MicrodataDisclosure",
                "MicrodataTestSupport",
            ]
        ),
        .testTarget(name: "MicrodataWriteTests", dependencies: ["MicrodataWrite", "MicrodataReaders", "MicrodataTestSupport"]),
        .testTarget(
            name: "MicrodataMobilityTests",
            dependencies: [
                "MicrodataMobility", "MicrodataCodebook", "MicrodataReaders", "MicrodataHarmonise", "MicrodataWeighting",
                "MicrodataDisclosure", "MicrodataWrite", "MicrodataTestSupport",
            ]
        ),
        .testTarget(
            name: "MicrodataStatFilesTests",
            dependencies: ["MicrodataReaders", "MicrodataCodebook", "MicrodataWeighting", "MicrodataTestSupport"]
        ),
        .testTarget(
            name: "MicrodataReliabilityTests",
            dependencies: [
                "MicrodataCodebook", "MicrodataReaders", "MicrodataHarmonise", "MicrodataDisclosure", "MicrodataTestSupport",
                "MicrodataMobility",
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
