import SOPChecks

/// The check ids `template lint` accepts: exactly the catalog's.
enum CheckCatalogIDs {
    static var all: Set<String>? { Set(CheckCatalog.ids) }
}
