import ArgumentParser

/// swift-argument-parser's time grows with the square of the values an array argument collects
/// (20,000 paths took 15 s, 60,000 about 100 s). A long argument list therefore reaches it with
/// each long run of plain arguments folded into one stand-in, and the runs are put back into the
/// command's list after parsing. Any other outcome parses the list as given, so the result, and
/// every message, is the one the parser gives for the full list.
struct FoldedArguments {
    /// A run shorter than this is left as it is: short lists parse quickly.
    static let shortestFold = 64
    /// The first arguments of a run stay as they are, for the subcommand names and the single
    /// positional arguments before a list (`index add INDEX FILE...`).
    static let keptAtRunStart = 4
    /// Starts every stand-in: an argument from the command line cannot hold a NUL byte.
    private static let prefix = "\u{0}folded-arguments-"

    /// The list the parser is given.
    private(set) var arguments: [String] = []
    /// The arguments each stand-in replaces, by its number.
    private(set) var runs: [ArraySlice<String>] = []

    /// Nil when no run is long enough to fold.
    ///
    /// A plain argument (one that does not start with `-`) after another plain argument cannot be
    /// an option's value, as every option here takes one value (no `.upToNextOption`), so the
    /// parser can only take it as a positional value; runs of those are what is folded.
    init?(_ original: [String]) {
        var start = 0
        while start < original.count {
            var end = start
            while end < original.count, end == 0 || Self.isPlain(original[end - 1]), Self.isPlain(original[end]) {
                end += 1
            }
            if end == start {
                arguments.append(original[start])
                start += 1
                continue
            }
            let kept = min(end, start + Self.keptAtRunStart)
            arguments += original[start..<kept]
            if end - kept >= Self.shortestFold {
                arguments.append(Self.prefix + String(runs.count))
                runs.append(original[kept..<end])
            } else {
                arguments += original[kept..<end]
            }
            start = end
        }
        if runs.isEmpty { return nil }
    }

    private static func isPlain(_ argument: String) -> Bool { argument.utf8.first != UInt8(ascii: "-") }

    /// Puts the runs back in place of their stand-ins in `list`; false unless every stand-in was there.
    func unfold(_ list: inout [String]) -> Bool {
        var found = 0
        var unfolded: [String] = []
        unfolded.reserveCapacity(list.count)
        for value in list {
            if value.utf8.first == 0, value.hasPrefix(Self.prefix), let number = Int(value.dropFirst(Self.prefix.count)),
                runs.indices.contains(number)
            {
                unfolded += runs[number]
                found += 1
            } else {
                unfolded.append(value)
            }
        }
        list = unfolded
        return found == runs.count
    }

    /// `parse(arguments)`, with long runs folded when every stand-in comes back in the command's
    /// list; otherwise (an error, `--help`, another command) the arguments as given are parsed.
    static func parse<Command>(_ arguments: [String], with parse: ([String]) throws -> Command) throws -> Command {
        if let folded = FoldedArguments(arguments), let parsed = try? parse(folded.arguments),
            var command = parsed as? UnfoldsArgumentLists, command.unfold(folded), let result = command as? Command
        {
            return result
        }
        return try parse(arguments)
    }
}

/// A command whose last argument is a list (of paths, mostly), which `FoldedArguments` may hand
/// over folded. The parser has already validated the folded list: every check there looks at the
/// list's length and at `-`, which folding keeps as they are.
protocol UnfoldsArgumentLists {
    /// Puts the folded runs back into the list; false unless every stand-in was there.
    mutating func unfold(_ folded: FoldedArguments) -> Bool
}

extension ReadCommand: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&input.inputs) }
}

extension PhashCommand: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&input.inputs) }
}

extension ExifCommand: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&input.inputs) }
}

extension SimilarCommand: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&queries) }
}

extension DuplicatesCommand: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&inputs) }
}

extension IndexCommand.Build: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&inputs) }
}

extension IndexCommand.Add: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&inputs) }
}

extension IndexCommand.Remove: UnfoldsArgumentLists {
    mutating func unfold(_ folded: FoldedArguments) -> Bool { folded.unfold(&paths) }
}
