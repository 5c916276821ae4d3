#!/usr/bin/env bash
# Regenerates Sources/SOPRender/Site/SiteTheme.swift from site/theme/sop.css.
# Run after editing the stylesheet; ThemeTests fails until the two agree.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
css="$root/site/theme/sop.css"
out="$root/Sources/SOPRender/Site/SiteTheme.swift"
if grep -q '"""' "$css" || grep -q '\\' "$css"; then
    echo "sync-theme: sop.css must not contain a backslash or three double quotes" >&2; exit 1
fi
{
    echo '/// The site and packet stylesheet, compiled into the binary so `sop` works from any'
    echo '/// folder. `site/theme/sop.css` in the repository is the editable copy; a test'
    echo '/// (`ThemeTests`) fails when the two differ: run `Tests/Harness/sync-theme.sh`.'
    echo 'public enum SiteTheme {'
    echo '    /// Relative path of the stylesheet inside a built site.'
    echo '    public static let path = "theme/sop.css"'
    echo ''
    echo '    public static let css = """'
    cat "$css"
    echo ''
    echo '"""'
    echo '}'
} >"$out"
