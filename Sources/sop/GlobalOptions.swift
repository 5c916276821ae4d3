import ArgumentParser
import Foundation
import SOPApp

/// Options every command that reads templates or the tracker accepts.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The tracker database (default: $SOP_DB, else $XDG_DATA_HOME/sop/sop.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("An extra folder of templates (also $SOP_TEMPLATES).", valueName: "dir"))
    var templates: [String] = []

    /// The application layer for this process: its environment, stderr for warnings and
    /// progress, the standard HTTP transport.
    var app: SOPApplication {
        SOPApplication(.live(database: db, templates: templates, output: TerminalOutput()))
    }
}
