/// Turns user-given file names into names that are safe on every file system, in a
/// `sha256sum` manifest, in a URL and in a wiki title.
public enum FileNames {
    /// Keeps ASCII letters, digits, `.`, `-` and `_`; everything else becomes `_`.
    /// No leading dot (no hidden files, no `..`), at most 100 characters (keeping the
    /// extension), never empty.
    public static func sanitize(_ raw: String, fallback: String = "file") -> String {
        var name = ""
        for scalar in UserText.line(raw).unicodeScalars {
            let c = Character(scalar)
            if c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") {
                name.append(c)
            } else if !name.hasSuffix("_") {
                name.append("_")
            }
        }
        while let range = name.range(of: "_.") { name.replaceSubrange(range, with: ".") }
        while name.hasPrefix(".") || name.hasPrefix("_") || name.hasPrefix("-") { name.removeFirst() }
        while name.hasSuffix(".") || name.hasSuffix("_") { name.removeLast() }
        if name.isEmpty { name = fallback }
        if name.count > 100 {
            let (stem, ext) = split(name)
            let keepExt = ext.count <= 16 ? ext : ""
            name = String(stem.prefix(100 - keepExt.count)) + keepExt
        }
        return name
    }

    /// `report.pdf` → (`report`, `.pdf`); names without a dot have no extension.
    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// A name not yet in `taken` (compared case-insensitively, for case-insensitive
    /// file systems): `report.pdf`, `report-2.pdf`, `report-3.pdf`, …
    public static func unique(_ name: String, taken: Set<String>) -> String {
        guard taken.contains(name.lowercased()) else { return name }
        let (stem, ext) = split(name)
        var n = 2
        while taken.contains("\(stem)-\(n)\(ext)".lowercased()) { n += 1 }
        return "\(stem)-\(n)\(ext)"
    }
}
