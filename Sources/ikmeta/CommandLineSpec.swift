/// The command line of one command: its options and arguments, how they are parsed, and the
/// `--help` text written from the same description.
///
/// Written here rather than taken from a package because start-up time matters: a headers-only
/// read of a photo takes about 0.3 ms, and a reflection-based parser cost more than that on every
/// run (README, "Benchmarks").
struct CommandLineSpec {
    struct Option {
        let long: String
        var short: Character? = nil
        /// The value's placeholder (`n`, `file`); nil for a flag, which takes no value.
        var value: String? = nil
        /// The help section it is listed under.
        var section = "OPTIONS"
        let help: String
    }

    struct Argument {
        let name: String
        let help: String
    }

    /// `ikmeta read`, `ikmeta phash`, …
    let name: String
    let abstract: String
    let discussion: String
    /// The part of the usage line after the name, e.g. `[<options>] <file> ...`.
    let usage: String
    let options: [Option]
    let arguments: [Argument]

    static let help = Option(long: "help", short: "h", help: "Show this help.")

    /// Splits `words` into flags, option values and positional arguments. `--name=value`,
    /// `--name value`, `-x value`, `-xvalue` and grouped short flags (`-qv`) are accepted; `--`
    /// ends the options and `-` alone is an argument (standard input).
    func parse(_ words: [String]) throws(CommandLineExit) -> ParsedCommandLine {
        var parsed = ParsedCommandLine()
        var i = 0
        func value(for option: Option, attached: String?) throws(CommandLineExit) -> String {
            if let attached { return attached }
            i += 1
            guard i < words.count else { throw usageError("Missing value for '\(display(option))'.") }
            return words[i]
        }
        while i < words.count {
            let word = words[i]
            if word == "--" {
                parsed.positionals += words[(i + 1)...]
                break
            }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let attached = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                if name == "help" { throw CommandLineExit.help(helpText()) }
                guard let option = options.first(where: { $0.long == name }) else {
                    throw usageError("Unknown option '--\(name)'.")
                }
                if option.value == nil {
                    if attached != nil { throw usageError("'--\(name)' takes no value.") }
                    parsed.flags.insert(name)
                } else {
                    parsed.values[name] = try value(for: option, attached: attached)
                }
            } else if word.hasPrefix("-") && word.count > 1 {
                var letters = Substring(word.dropFirst())
                while let letter = letters.first {
                    letters = letters.dropFirst()
                    if letter == "h" { throw CommandLineExit.help(helpText()) }
                    guard let option = options.first(where: { $0.short == letter }) else {
                        throw usageError("Unknown option '-\(letter)'.")
                    }
                    if option.value == nil {
                        parsed.flags.insert(option.long)
                    } else {
                        parsed.values[option.long] = try value(for: option, attached: letters.isEmpty ? nil : String(letters))
                        break
                    }
                }
            } else {
                parsed.positionals.append(word)
            }
            i += 1
        }
        return parsed
    }

    /// A usage error of this command: the message, the usage line and where help is.
    func usageError(_ message: String) -> CommandLineExit {
        .usage("Error: \(message)\nUsage: \(name) \(usage)\n  See '\(name) --help' for more information.")
    }

    func helpText() -> String {
        var text = "OVERVIEW: \(abstract)\n\n"
        if !discussion.isEmpty { text += discussion + "\n\n" }
        text += "USAGE: \(name) \(usage)\n"
        if !arguments.isEmpty {
            text += "\nARGUMENTS:\n" + arguments.map { Self.row("<\($0.name)>", $0.help) }.joined()
        }
        var sections: [String] = []
        for option in options where !sections.contains(option.section) { sections.append(option.section) }
        if !sections.contains("OPTIONS") { sections.append("OPTIONS") }
        for section in sections {
            text += "\n\(section):\n"
            for option in options where option.section == section { text += Self.row(display(option), option.help) }
            if section == "OPTIONS" { text += Self.row(display(Self.help), Self.help.help) }
        }
        return text
    }

    private func display(_ option: Option) -> String {
        let names = (option.short.map { "-\($0), " } ?? "") + "--" + option.long
        return option.value.map { names + " <\($0)>" } ?? names
    }

    /// `  name   help`, the help wrapped at 80 columns and indented under itself.
    static func row(_ name: String, _ help: String) -> String {
        let column = 26
        var lines: [String] = []
        var line = ""
        for word in help.split(separator: " ") {
            if !line.isEmpty && column + line.count + 1 + word.count > 80 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(line)
        let first = "  " + name
        let pad = first.count + 2 <= column ? String(repeating: " ", count: column - first.count) : "\n" + String(repeating: " ", count: column)
        let indent = "\n" + String(repeating: " ", count: column)
        return first + pad + lines.joined(separator: indent) + "\n"
    }
}

/// What a command line asked for, before the command checks it.
struct ParsedCommandLine {
    var flags: Set<String> = []
    var values: [String: String] = [:]
    var positionals: [String] = []

    func flag(_ long: String) -> Bool { flags.contains(long) }

    func string(_ long: String) -> String? { values[long] }

    func int(_ long: String, default fallback: Int, _ spec: CommandLineSpec) throws(CommandLineExit) -> Int {
        guard let text = values[long] else { return fallback }
        guard let value = Int(text) else { throw spec.usageError("'--\(long)' needs a whole number, not '\(text)'.") }
        return value
    }

    func double(_ long: String, default fallback: Double, _ spec: CommandLineSpec) throws(CommandLineExit) -> Double {
        guard let text = values[long] else { return fallback }
        guard let value = Double(text) else { throw spec.usageError("'--\(long)' needs a number, not '\(text)'.") }
        return value
    }
}

/// How a command ends other than by finishing normally.
enum CommandLineExit: Error {
    /// `--help`: the text goes to stdout and the status is 0.
    case help(String)
    /// A usage error: the text goes to stderr and the status is 2 (the CLI contract).
    case usage(String)
    /// The command ran and sets the status (1 when a file failed, 2 when it could not work).
    case status(Int32)
}
