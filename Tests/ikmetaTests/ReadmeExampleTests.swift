import Foundation
import Testing

/// The README's examples are run: every indented `$ ikmeta …` line is executed from the
/// repository root and its output must equal the indented lines that follow it.
struct ReadmeExampleTests {
    struct Example: CustomStringConvertible, Sendable {
        var arguments: [String]
        var output: String
        var description: String { "ikmeta " + arguments.joined(separator: " ") }
    }

    static let examples: [Example] = {
        guard let text = try? String(contentsOf: CLI.repository.appendingPathComponent("README.md"), encoding: .utf8)
        else { return [] }
        var examples: [Example] = []
        var current: Example?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("    $ ikmeta ") {
                if let c = current { examples.append(c) }
                let command = line.dropFirst("    $ ikmeta ".count)
                current = Example(arguments: command.split(separator: " ").map(String.init), output: "")
            } else if current != nil, line.hasPrefix("    "), !line.trimmingCharacters(in: .whitespaces).isEmpty {
                current!.output += line.dropFirst(4) + "\n"
            } else if let c = current {
                examples.append(c)
                current = nil
            }
        }
        if let c = current { examples.append(c) }
        return examples
    }()

    @Test func theReadmeHasExamples() {
        #expect(Self.examples.count >= 1)
    }

    @Test(arguments: examples)
    func exampleOutputIsWhatIkmetaPrints(example: Example) throws {
        let result = try CLI.run(example.arguments, in: CLI.repository)
        #expect(result.stdout == example.output)
    }
}
