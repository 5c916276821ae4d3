import SOPChecks

/// The check ids `template lint` accepts: the catalog's.
enum CheckCatalogIDs {
    static var all: Set<String>? { nil }
}
