#!/usr/bin/env python3
"""The rows of the `sop serve` benchmark (Tests/Harness/bench-serve.sh), from its raw results.

  bench-serve-report.py wrk FILE              one wrk --latency output as one JSON line
  bench-serve-report.py table --out DIR [--append TABLE]
                                              DIR/table.md (its own table) and DIR/results.json;
                                              --append adds the same rows to bench.sh's table

DIR holds, per engine E (sqlite, postgresql) and page P (portfolio, customer, notmodified):
  E-P-sop.wrk, E-P-nginx.wrk   wrk outputs         E-P-sop.rss   VmHWM in kB after that run
  E-P.size                     "sop-bytes nginx-bytes" of one response body (0 for a 304)
  E-first.json                 {"portfolio_first_s", "portfolio_cached_s", "customer_first_s", ...}
  machine.txt, versions.txt
The throughput target (sop ≥ 0.25 × nginx requests/s) holds for / and the customer page; the
304 path and the other figures are reported.
"""
import argparse
import json
import os
import re
import sys

TARGET = 0.25
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def seconds(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(path):
    """Requests/s, p50/p99 latency (s), requests, bytes read, errors, non-2xx/3xx answers."""
    text = open(path).read()
    result = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not match:
        raise ValueError(f"{path}: no 'Requests/sec' line (did wrk run?)")
    result["requests_per_s"] = float(match.group(1))
    for pct in ("50", "99"):
        match = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+(?:us|ms|s|m))\s*$", text, re.M)
        result[f"p{pct}_s"] = seconds(match.group(1)) if match else None
    match = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+)(B|KB|MB|GB) read", text)
    if match:
        result["requests"] = int(match.group(1))
        result["bytes_read"] = float(match.group(3)) * SIZE_UNITS[match.group(4)]
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = sum(int(g) for g in match.groups()) if match else 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["bad_responses"] = int(match.group(1)) if match else 0
    return result


def ms(value):
    return "?" if value is None else (f"{value * 1000:.2f} ms" if value < 0.01 else f"{value * 1000:.1f} ms")


def mb(kb):
    return f"{kb / 1024:.0f} MB"


def table(args):
    out = args.out
    rows, results = [], {}
    versions = open(os.path.join(out, "versions.txt")).read().strip() if os.path.exists(
        os.path.join(out, "versions.txt")) else ""
    conns = open(os.path.join(out, "wrk-args.txt")).read().strip() if os.path.exists(
        os.path.join(out, "wrk-args.txt")) else "wrk"
    problems = []
    count_path = os.path.join(out, "customers.txt")
    count = int(open(count_path).read()) if os.path.exists(count_path) else 0

    def row(what, sop, ref, ratio, target, met):
        rows.append(("6", what, sop, ref, ratio, target, "yes" if met else ("NO" if met is not None else "-")))

    for engine, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        first_path = os.path.join(out, f"{engine}-first.json")
        if not os.path.exists(first_path):
            continue
        first = json.load(open(first_path))
        figures = {"first": first}
        for page, what in (("portfolio", f"GET / (portfolio, {count:,} customers)"),
                           ("customer", "GET /customers/SLUG (one customer)"),
                           ("notmodified", "GET / with If-None-Match (304)")):
            sop_path = os.path.join(out, f"{engine}-{page}-sop.wrk")
            ref_path = os.path.join(out, f"{engine}-{page}-nginx.wrk")
            if not (os.path.exists(sop_path) and os.path.exists(ref_path)):
                continue
            sop, ref = parse_wrk(sop_path), parse_wrk(ref_path)
            size_path = os.path.join(out, f"{engine}-{page}.size")
            sizes = open(size_path).read().split() if os.path.exists(size_path) else ["0", "0"]
            sop_bytes, ref_bytes = int(sizes[0]), int(sizes[1])
            for name, figures_of, body in (("sop", sop, sop_bytes), ("nginx", ref, ref_bytes)):
                if figures_of["socket_errors"] or figures_of["bad_responses"]:
                    problems.append(f"{engine} {page} {name}: {figures_of['socket_errors']} socket errors, "
                                    f"{figures_of['bad_responses']} non-2xx/3xx answers")
                # Every answer must have been the page (a lost session answers a small redirect).
                if body and figures_of.get("requests") and figures_of["bytes_read"] / figures_of["requests"] < 0.9 * body:
                    problems.append(f"{engine} {page} {name}: {figures_of['bytes_read'] / figures_of['requests']:.0f} "
                                    f"bytes an answer, the page has {body}")
            rss_path = os.path.join(out, f"{engine}-{page}-sop.rss")
            rss = int(open(rss_path).read().split()[0]) if os.path.exists(rss_path) else None
            ratio = sop["requests_per_s"] / ref["requests_per_s"]
            p99 = sop["p99_s"] / ref["p99_s"] if sop["p99_s"] and ref["p99_s"] else None
            figures[page] = {"sop": sop, "nginx": ref, "throughput_ratio": ratio, "p99_ratio": p99,
                             "sop_peak_rss_kb": rss, "sop_body_bytes": sop_bytes, "nginx_body_bytes": ref_bytes}
            size_note = f", {sop_bytes:,} vs {ref_bytes:,} bytes" if sop_bytes else ""
            # The target is the pages' (/ and a customer); the 304 path is shown, not targeted.
            targeted = page != "notmodified"
            row(f"sop serve on {label}: {what} vs nginx on the `sop site build` page, requests/s{size_note} ({conns})",
                f"{sop['requests_per_s']:,.0f}/s", f"{ref['requests_per_s']:,.0f}/s", f"{ratio:.2f}",
                f"≥ {TARGET}" if targeted else "report", (ratio >= TARGET) if targeted else None)
            row(f"sop serve on {label}: {what}, p99 latency (p50 {ms(sop['p50_s'])} vs {ms(ref['p50_s'])})",
                ms(sop["p99_s"]), ms(ref["p99_s"]), f"{p99:.2f}" if p99 else "?", "report", None)
            if rss:
                row(f"sop serve on {label}: {what}, peak RSS of the server during the run (VmHWM)",
                    mb(rss), "", "", "report", None)
        if first.get("portfolio_first_s") is not None:
            row(f"sop serve on {label}: first GET / after start (builds the page) vs a cached GET / "
                f"(median of {first.get('cached_runs', 5)}, curl)",
                ms(first["portfolio_first_s"]), ms(first["portfolio_cached_s"]),
                f"{first['portfolio_first_s'] / first['portfolio_cached_s']:.0f}", "report", None)
        if first.get("customer_first_s") is not None:
            row(f"sop serve on {label}: first GET /customers/SLUG vs a cached one (curl)",
                ms(first["customer_first_s"]), ms(first["customer_cached_s"]),
                f"{first['customer_first_s'] / first['customer_cached_s']:.0f}", "report", None)
        results[engine] = figures

    results["versions"] = versions.splitlines()
    results["problems"] = problems
    header = ("#", "measurement", "sop", "reference", "ratio", "target", "met")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    body = ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    with open(os.path.join(out, "table.md"), "w") as handle:
        handle.write("\n".join(lines + body) + "\n")
    with open(os.path.join(out, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    if args.append and os.path.exists(args.append):
        with open(args.append, "a") as handle:
            handle.write("\n".join(body) + "\n")
    print()
    print(versions)
    print()
    print("\n".join(lines + body))
    missed = [r for r in rows if r[6] == "NO"]
    print()
    print(f"sop serve: {len(missed)} target(s) missed" if missed else "sop serve: every target met")
    for problem in problems:
        print(f"sop serve: PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "wrk":
        print(json.dumps(parse_wrk(sys.argv[2])))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["table"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--append")
    return table(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
