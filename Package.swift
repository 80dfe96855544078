// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "jointplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jointplan", targets: ["jointplan"]),
        .library(name: "JointPlan", targets: ["JointPlan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        // The service's solver child processes: spawn, stdin/stdout pipes, signals, exit status.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.17.0"),
    ],
    targets: [
        // GLPK 5.0 from Debian's libglpk-dev (no pkg-config file ships).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK", providers: [.apt(["libglpk-dev"])]),
        // The one module that touches GLPK: nothing above it sees an OpaquePointer.
        .target(name: "GLPK", dependencies: ["CGLPK"]),
        // libxlsxwriter from Debian's libxlsxwriter-dev: the one module that writes XLSX.
        .systemLibrary(name: "CXLSXWriter", path: "Sources/CXLSXWriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // Reading XLSX: ZIPFoundation for the container, XMLCoder for the parts.
        .target(name: "Spreadsheet", dependencies: [
            "CXLSXWriter",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "XMLCoder", package: "XMLCoder"),
        ]),
        // The domain and the pipeline: scenario, calendar, draw, plan, checker, solver, baselines.
        .target(name: "JointPlan", dependencies: [
            "GLPK",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Collections", package: "swift-collections"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "JointPlanStore", dependencies: [
            "JointPlan", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "JointPlanExport", dependencies: [
            "JointPlan", "Spreadsheet", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The office's registers: workbook/CSV <-> scenario, actuals, rollover, holiday calendar.
        .target(name: "JointPlanRegisters", dependencies: ["JointPlan", "Spreadsheet"]),
        .target(name: "JointPlanService", dependencies: [
            "JointPlan", "JointPlanStore", "JointPlanExport", "JointPlanRegisters",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Subprocess", package: "swift-subprocess"),
        ]),
        .executableTarget(name: "jointplan", dependencies: [
            "JointPlan", "JointPlanStore", "JointPlanService", "JointPlanExport", "JointPlanRegisters",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet"]),
        .testTarget(name: "JointPlanTests", dependencies: ["JointPlan"], exclude: ["Fixtures"]),
        .testTarget(name: "JointPlanStoreTests", dependencies: ["JointPlanStore"]),
        .testTarget(name: "JointPlanServiceTests", dependencies: ["JointPlanService"]),
        .testTarget(name: "JointPlanExportTests", dependencies: ["JointPlanExport"]),
        .testTarget(name: "JointPlanRegistersTests", dependencies: ["JointPlanRegisters", "JointPlanStore"]),
    ],
    swiftLanguageModes: [.v6]
)
