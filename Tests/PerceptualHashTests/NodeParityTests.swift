import Foundation
import Testing
@testable import PerceptualHash

/// ImageKit's hash stage runs sharp-phash in Node (SPEC §4), so `PHashVariant.imagekit` must give
/// Node's bits even where rounding noise decides them. When `node` is on PATH these tests run the
/// published JavaScript in it and compare; the literal values below were produced the same way
/// (Node 20, V8 11.3), so the tests still assert Node's answers without it.
struct NodeParityTests {
    // MARK: The cosine table

    @Test("the COS table has V8's Math.cos bits, all 1024", .enabled(if: NodeJS.path != nil, NodeJS.missing))
    func cosTableMatchesNode() throws {
        let script = """
            const N = 32, b = Buffer.alloc(8), out = [];
            for (let k = 0; k < N; k++) for (let n = 0; n < N; n++) {
              b.writeDoubleBE(Math.cos(((2 * k + 1) / (2.0 * N)) * n * Math.PI));
              out.push(b.toString("hex"));
            }
            console.log(out.join("\\n"));
            """
        let node = try NodeJS.run(script).split(separator: "\n").map(String.init)
        try #require(node.count == 1024)
        let ours = SharpPHash.cosTable.map(hexBits)
        for i in 0..<1024 {
            #expect(ours[i] == node[i], "COS[\(i / 32)][\(i % 32)]")
        }
    }

    @Test("COS entries where V8 and a correctly rounded cosine differ, as Node gives them", arguments: [
        (0, 15, "3fe7b5df226aafb0"),   // |x| < π/4, kernel cos with the x²/4 split
        (8, 1, "3fe57d69348ceca0"),    // n = 1: −sin of the reduced argument
        (21, 2, "bfde2b5d3806f640"),   // n = 3: sin
        (14, 12, "bfc8f8b83c69a64a"),
        (31, 16, "3fe6a09e667f3bd2"),  // medium-size reduction
        (30, 28, "bfe1c73b39ae68e4"),
    ])
    func cosTableLiterals(k: Int, nu: Int, expected: String) {
        #expect(hexBits(SharpPHash.cosTable[32 * k + nu]) == expected)
    }

    @Test("the fdlibm cosine is within one ulp of the C library's")
    func cosNearLibm() {
        let tableArguments = (0..<1024).map { (i: Int) -> Double in
            let k = Double(2 * (i / 32) + 1), nu = Double(i % 32)
            return (k / 64.0) * nu * Double.pi
        }
        for x in tableArguments + cosArguments() {
            let ours = FdlibmCosine.cos(x), libm = libmCos(x)
            #expect(ours == libm || ours.nextUp == libm || ours.nextDown == libm, "cos(\(x))")
        }
    }

    @Test("Math.cos bits on arguments covering every reduction path", .enabled(if: NodeJS.path != nil, NodeJS.missing))
    func cosArgumentsMatchNode() throws {
        let args = cosArguments()
        let script = """
            const lines = require("fs").readFileSync(0, "utf8").split("\\n").filter((l) => l.length > 0);
            const b = Buffer.alloc(8);
            console.log(lines.map((h) => {
              b.writeDoubleBE(Math.cos(Buffer.from(h, "hex").readDoubleBE(0)));
              return b.toString("hex");
            }).join("\\n"));
            """
        let node = try NodeJS.run(script, input: args.map(hexBits).joined(separator: "\n")).split(separator: "\n").map(String.init)
        try #require(node.count == args.count)
        for (x, expected) in zip(args, node) {
            #expect(hexBits(FdlibmCosine.cos(x)) == expected, "cos(\(x))")
        }
    }

    // MARK: Whole hashes

    @Test("hashes equal sharp-phash run in Node", .enabled(if: NodeJS.path != nil, NodeJS.missing))
    func hashesMatchNode() throws {
        let inputs = Self.inputs
        let payload = inputs.map { "[" + $0.pixels.map { String($0) }.joined(separator: ",") + "]" }.joined(separator: "\n")
        let node = try NodeJS.run(Self.sharpPHashScript, input: payload).split(separator: "\n").map(String.init)
        try #require(node.count == inputs.count)
        for (input, expected) in zip(inputs, node) {
            #expect(PerceptualHash.hash(pixels: input.pixels).description == expected, "\(input.name)")
        }
    }

    @Test("hashes of degenerate and LCG inputs, as Node gives them", arguments: [
        ("flat 0", "0000000000000000"),
        ("flat 1", "dcb0d01380eef490"),
        ("flat 31", "ec32f2c058c26f43"),
        ("flat 109", "387754a93dd76412"),
        ("flat 128", "dcb0d01380eef490"),
        ("flat 200", "3220b8f7781d9c24"),
        ("flat 255", "ccc9e67048f23f1d"),
        ("horizontal gradient", "51a071f4d9e265bf"),
        ("vertical gradient", "f1825951e44254b0"),
        ("diagonal gradient", "51ef7bef3bff4f37"),
        ("anti-diagonal gradient", "51687bf6cfdf9625"),
        ("checkerboard 1", "55ff55ff55ff55ff"),
        ("checkerboard 8", "5fff5ffff5fff7ff"),
        ("checkerboard 16", "77ffddff77ffddff"),
        ("LCG 380", "00dc4e71165ebed3"),
        ("LCG 343", "e75322d35eaa2629"),
        ("LCG 7", "c8876ec1fe269565"),
    ])
    func hashLiterals(name: String, expected: String) throws {
        let input = try #require(Self.inputs.first { $0.name == name })
        #expect(PerceptualHash.hash(pixels: input.pixels).description == expected)
    }

    struct Input: Sendable {
        let name: String
        let pixels: [Double]
    }

    /// Flat greys, gradients and checkerboards (degenerate: every block coefficient is
    /// mathematically equal) and LCG noise (phash.md §3.2); `pixels[32y + x]`.
    static let inputs: [Input] = {
        func image(_ name: String, _ f: (Int, Int) -> Int) -> Input {
            Input(name: name, pixels: (0..<1024).map { Double(f($0 % 32, $0 / 32)) })
        }
        var list = [0, 1, 31, 64, 109, 128, 200, 255].map { g in image("flat \(g)") { _, _ in g } }
        list.append(image("horizontal gradient") { x, _ in 8 * x })
        list.append(image("vertical gradient") { _, y in 8 * y })
        list.append(image("diagonal gradient") { x, y in 4 * (x + y) })
        list.append(image("anti-diagonal gradient") { x, y in 4 * (x + 31 - y) })
        list += [1, 2, 4, 8, 16].map { k in image("checkerboard \(k)") { x, y in (x / k + y / k) % 2 * 255 } }
        list += [UInt64(380), 343, 7, 1].map { Input(name: "LCG \($0)", pixels: lcgPixels(seed: $0)) }
        return list
    }()

    /// sharp-phash's hash stage in JavaScript (`scripts/sharp-phash-stage.js`, shared with
    /// `scripts/check-degenerate-phash.py`).
    static let sharpPHashScript: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/sharp-phash-stage.js")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? "throw new Error('scripts/sharp-phash-stage.js not found')"
    }()
}

/// Arguments for the cosine: both sides of every multiple of π/2 up to 40 (the careful reduction
/// paths), the kernels' branch points, tiny and negative values, and a spread up to 2¹⁹·π/2.
private func cosArguments() -> [Double] {
    var args: [Double] = [0, 1e-300, 0x1p-28, -0x1p-28, 0.29, 0.31, 0.7, 0.785, 0.79, 2.0, -2.0, 2.3, 3.0, -100.5]
    for n in 1...40 {
        let x = Double(n) * (Double.pi / 2)
        args += [x, x.nextUp, x.nextDown, -x, x + 1e-9, x - 1e-9, x + 0.7]
    }
    var s: UInt64 = 12345
    for _ in 0..<400 {
        s = (6_364_136_223_846_793_005 &* s &+ 1_442_695_040_888_963_407)
        let unit = Double(s >> 11) * 0x1p-53
        args.append((unit * 2 - 1) * 823_000)
    }
    return args
}

/// The IEEE bits of a double as 16 lowercase hex digits.
private func hexBits(_ x: Double) -> String {
    let hex = String(x.bitPattern, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// The `node` executable on PATH, if any, and a way to run a script in it.
enum NodeJS {
    static let missing: Comment = "node is not on PATH; the literal Node values are checked instead"

    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return dirs.map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `node -e script` with `input` on stdin and returns its stdout.
    static func run(_ script: String, input: String = "") throws -> String {
        guard let path else { throw Failure(description: missing.rawValue) }
        let inputFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("phash-node-\(UUID().uuidString).txt")
        try Data(input.utf8).write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-e", script]
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "node exited with status \(process.terminationStatus)")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
