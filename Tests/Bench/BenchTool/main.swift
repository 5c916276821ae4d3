import Foundation
import SOPCore

/// `sop-bench`: the helper behind `make bench` (Tests/Harness/bench.sh).
///
/// It does the parts of the benchmark that need the libraries rather than the CLI:
/// generating a realistic portfolio in bulk through ``SOPStore`` (thousands of customers
/// would take hours as CLI calls) and exporting each customer's Markdown page for the
/// `cmark` reference. Everything it measures itself it prints as one JSON line.
let usage = """
    usage: sop-bench generate --db PATH --customers N [--templates DIR] [--template REF] [--seed S] [--workers W]
           sop-bench markdown --db PATH --out DIR
    """

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    guard let command = arguments.first else { throw BenchError(usage) }
    let options = try Options(Array(arguments.dropFirst()))
    switch command {
    case "generate":
        try PortfolioGenerator.run(options)
    case "markdown":
        try MarkdownExport.run(options)
    case "-h", "--help", "help":
        print(usage)
    default:
        throw BenchError("unknown command '\(command)'\n\(usage)")
    }
} catch {
    FileHandle.standardError.write(Data("sop-bench: \(error)\n".utf8))
    exit(2)
}
