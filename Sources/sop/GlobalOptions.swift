import ArgumentParser
import Foundation
import SOPCore

/// Options every command that reads templates or the tracker accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The tracker database (default: $SOP_DB, else $XDG_DATA_HOME/sop/sop.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("An extra folder of templates (also $SOP_TEMPLATES).", valueName: "dir"))
    var templates: [String] = []

    /// The template library: `--templates`, then `$SOP_TEMPLATES`, then the shipped `Templates/`.
    func templateLibrary() -> TemplateLibrary {
        TemplateLibrary(searchPaths: TemplateLibrary.defaultSearchPaths(explicit: templates), knownChecks: CheckCatalogIDs.all)
    }
}
