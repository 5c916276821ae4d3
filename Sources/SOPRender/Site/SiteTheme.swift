/// The site and packet stylesheet, compiled into the binary so `sop` works from any
/// folder. `site/theme/sop.css` in the repository is the editable copy; a test
/// (`ThemeTests`) fails when the two differ: run `Tests/Harness/sync-theme.sh`.
public enum SiteTheme {
    /// Relative path of the stylesheet inside a built site.
    public static let path = "theme/sop.css"

    public static let css = """
        /* sop theme: shared by the wiki site (site/theme/sop.css) and inlined into handover.html.
           Kept byte-identical to SiteTheme.css in Sources/SOPRender/Site/SiteTheme.swift by a test. */
        :root {
          --ink: #1d2330; --muted: #5b6474; --line: #d9dee7; --paper: #ffffff; --wash: #f5f7fa;
          --accent: #1f5fbf; --done: #1e7b46; --progress: #b26b00; --blocked: #b3261e; --na: #6b7280;
          --todo: #44546a;
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; color: var(--ink); background: var(--wash);
          font: 15px/1.55 -apple-system, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", sans-serif;
        }
        main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; background: var(--paper); }
        nav.top { max-width: 1040px; margin: 0 auto; padding: 12px 32px; background: #14213d; }
        nav.top a { color: #fff; text-decoration: none; margin-right: 18px; font-weight: 600; }
        h1, h2, h3, h4 { line-height: 1.25; margin: 1.4em 0 .5em; }
        h1 { font-size: 28px; margin-top: .3em; }
        h2 { font-size: 21px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 17px; }
        h4 { font-size: 15px; }
        a { color: var(--accent); }
        code { font: 12.5px/1.4 "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
          background: var(--wash); padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
        p, li, td, th, dd { overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
        th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
        th { background: var(--wash); font-weight: 600; }
        tr.item-id td:first-child { white-space: nowrap; }
        .muted { color: var(--muted); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
          color: #fff; white-space: nowrap; }
        .badge.done, .badge.pass, .badge.valid { background: var(--done); }
        .badge.in-progress, .badge.stale { background: var(--progress); }
        .badge.blocked, .badge.failed, .badge.fail, .badge.missing, .badge.revoked, .badge.overdue { background: var(--blocked); }
        .badge.na, .badge.not-applicable { background: var(--na); }
        .badge.todo, .badge.error { background: var(--todo); }
        .bar { display: inline-block; width: 160px; height: 10px; background: var(--line); border-radius: 5px;
          overflow: hidden; vertical-align: middle; }
        .bar > span { display: block; height: 100%; background: var(--done); }
        .evidence { list-style: none; margin: 0; padding: 0; font-size: 13px; }
        .evidence li { margin: 0 0 2px; }
        .cover { padding: 72px 0 24px; }
        .cover .kicker { text-transform: uppercase; letter-spacing: .12em; color: var(--muted); font-size: 13px; }
        .cover h1 { font-size: 36px; margin: 8px 0 28px; }
        .cover dl { display: grid; grid-template-columns: 180px 1fr; gap: 8px 16px; margin: 0; }
        .cover dt { color: var(--muted); }
        .cover dd { margin: 0; font-weight: 600; }
        .stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 20px; }
        .stats div { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 120px; }
        .stats strong { display: block; font-size: 22px; }
        .signature { display: inline-block; min-width: 180px; border-bottom: 1px solid var(--ink); }
        .sop-body li { margin: 2px 0; }
        .sop-body .item-id code { background: #e8eefb; color: #173f7a; }
        footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
        @media print {
          @page { size: A4; margin: 18mm 16mm; }
          body { background: #fff; font-size: 11pt; }
          nav.top { display: none; }
          main { max-width: none; padding: 0; }
          section.page { break-before: page; page-break-before: always; }
          section.page:first-of-type { break-before: auto; page-break-before: auto; }
          tr, li, .stats div { break-inside: avoid; page-break-inside: avoid; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          .badge, .bar > span, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          a { color: inherit; text-decoration: none; }
        }

        """
}
