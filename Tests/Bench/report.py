#!/usr/bin/env python3
"""Turns the raw results of Tests/Harness/bench.sh (.build/bench/) into one table.

Prints the table (Markdown, readable as text) and writes it to OUT/table.md, and every
figure to OUT/results.json. Each figure is a ratio against a reference measured in the
same run; targets come from issue 7.
"""
import argparse
import glob
import json
import os
import re
import statistics

# Quoted, not measured here: Prowler's full scan of one account (given in the brief).
PROWLER_SECONDS = 42.7
PROWLER_RSS_MB = 429.0
GROWTH_TOLERANCE = 1.25  # per-customer cost may rise this much per size step and still count as linear


def load(path):
    with open(path) as handle:
        return json.load(handle)


def hyperfine(out, name):
    """(sop median, reference median) in seconds."""
    path = os.path.join(out, "hyperfine", f"{name}.json")
    if not os.path.exists(path):
        return None
    results = {r["command"]: r for r in load(path)["results"]}
    return results["sop"]["median"], results["reference"]["median"]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def rss_mb(time_file):
    try:
        text = open(time_file).read()
    except OSError:
        return None
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(match.group(1)) / 1024 if match else None


def verify_figures(out, scope, runs, delay):
    """Median wall time (proxy and direct), requests, depth and peak RSS of one scope."""
    proxy_walls, direct_walls, rss, requests, depths, proxied, overlaps = [], [], [], [], [], [], []
    prereq = 0
    for run in range(1, runs + 1):
        for kind, walls in (("proxy", proxy_walls), ("direct", direct_walls)):
            label = os.path.join(out, "verify", f"{scope}-{kind}-{run}")
            try:
                start, end = map(float, open(label + ".wall").read().split())
                report = load(label + ".json")
            except (OSError, ValueError):
                continue
            walls.append(end - start)
            value = rss_mb(label + ".time")
            if value:
                rss.append(value)
            if kind == "proxy":
                requests.append(report.get("requests", 0))
                depth = report.get("critical_path_depth", 0)
                # The calls before the fetch plan starts (sts:GetCallerIdentity, and ec2:DescribeRegions
                # for 'all') wait for nothing but are waited for; count them when the trace leaves them out.
                calls = report.get("calls") or []
                if calls:
                    depth = max(c.get("depth", 0) for c in calls)
                depths.append(depth)
                try:
                    lines = [json.loads(l) for l in open(label + ".proxy.jsonl") if l.strip()]
                except OSError:
                    lines = []
                proxied.append(len(lines))
                if lines:
                    busy = sum(l["end"] - l["start"] for l in lines)
                    span = max(l["end"] for l in lines) - min(l["start"] for l in lines)
                    overlaps.append(busy / span if span > 0 else 0)
    if not proxy_walls:
        return None
    wall = statistics.median(proxy_walls)
    depth = statistics.median(depths) if depths else 0
    return {
        "wall_s": wall,
        "direct_wall_s": statistics.median(direct_walls) if direct_walls else None,
        "requests": int(statistics.median(requests)) if requests else 0,
        "requests_at_proxy": int(statistics.median(proxied)) if proxied else 0,
        "depth": depth,
        "ratio": wall / (delay * depth) if depth else None,
        "peak_rss_mb": max(rss) if rss else None,
        "mean_in_flight": statistics.median(overlaps) if overlaps else None,
        "runs": len(proxy_walls),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--delay-ms", type=float, default=50)
    parser.add_argument("--verify-runs", type=int, default=3)
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    out = args.out
    sizes = [int(s) for s in args.sizes.split()]
    headline = sizes[1] if len(sizes) > 1 else sizes[0]
    delay = args.delay_ms / 1000
    rows = []  # (id, measurement, sop, reference, ratio, target, met)
    results = {"machine": open(os.path.join(out, "machine.txt")).read().strip().splitlines()}

    def row(ident, what, sop, ref, ratio, target, met):
        rows.append((ident, what, sop, ref, ratio, target, "yes" if met else ("NO" if met is not None else "-")))

    # 1. verification
    if not args.skip_verify:
        for scope, label in (("four", "4 regions"), ("every", "all enabled regions")):
            v = verify_figures(out, scope, args.verify_runs, delay)
            results[f"verify_{scope}"] = v
            if not v:
                row("1", f"verify, {label}", "no result", "", "", "≤ 1.5", False)
                continue
            ratio = v["ratio"]
            row("1", f"verify {label}: wall ÷ (D × depth); {v['requests']} requests, depth {v['depth']:g}",
                ms(v["wall_s"]), f"D×depth = {ms(delay * v['depth'])}", f"{ratio:.2f}" if ratio else "?",
                "≤ 1.5", ratio is not None and ratio <= 1.5)
            if v["direct_wall_s"]:
                row("1", f"verify {label} without injected latency (moto alone, D = 0)", ms(v["direct_wall_s"]),
                    "", "", "info", None)
            if v["peak_rss_mb"]:
                row("1", f"verify {label}: peak RSS", f"{v['peak_rss_mb']:.1f} MB", "", "", "≤ 64 MB",
                    v["peak_rss_mb"] <= 64)
        every = results.get("verify_every")
        if every:
            row("1", "Prowler, full scan (QUOTED figure from the brief, not measured here) ÷ sop all regions",
                ms(every["wall_s"]), f"{PROWLER_SECONDS} s (quoted)", f"{PROWLER_SECONDS / every['wall_s']:.1f}× faster",
                "info", None)
            if every["peak_rss_mb"]:
                row("1", "Prowler peak RSS (QUOTED) ÷ sop peak RSS", f"{every['peak_rss_mb']:.1f} MB",
                    f"{PROWLER_RSS_MB:.0f} MB (quoted)", f"{PROWLER_RSS_MB / every['peak_rss_mb']:.1f}× less", "info", None)

    # 2. portfolio
    status = hyperfine(out, f"status-{headline}")
    if status:
        sop, ref = status
        row("2", f"sop status --json, {headline:,} customers vs sqlite3 shell, same aggregate", ms(sop), ms(ref),
            f"{sop / ref:.2f}", "≤ 3×", sop / ref <= 3)
        results["status"] = {"sop_s": sop, "sqlite3_s": ref}
    customer = hyperfine(out, "customer")
    if customer:
        sop, ref = customer
        row("2", "sop status SLUG --json (one customer) vs sqlite3 shell", ms(sop), ms(ref), f"{sop / ref:.2f}",
            "info", None)
        results["customer"] = {"sop_s": sop, "sqlite3_s": ref}

    # 3. rendering
    site = hyperfine(out, f"site-{headline}")
    if site:
        sop, ref = site
        row("3", f"sop site build, {headline:,} customers vs cmark on the same pages (Markdown)", ms(sop), ms(ref),
            f"{sop / ref:.2f}", "≤ 2×", sop / ref <= 2)
        results["site"] = {"sop_s": sop, "cmark_s": ref}

    # 4. start-up
    startup = hyperfine(out, "startup")
    if startup:
        sop, ref = startup
        row("4", "sop --help (median) vs /bin/true", ms(sop), ms(ref), f"{sop / ref:.1f}", "≤ 20 ms", sop <= 0.020)
        results["startup"] = {"sop_s": sop, "true_s": ref}

    # 5. growth
    growth = {}
    for kind in ("status", "site"):
        per = []
        for size in sizes:
            figures = hyperfine(out, f"{kind}-{size}")
            if figures:
                per.append((size, figures[0], figures[0] / size))
        growth[kind] = [{"customers": s, "seconds": t, "per_customer_s": p} for s, t, p in per]
        for (s1, _, p1), (s2, t2, p2) in zip(per, per[1:]):
            factor = p2 / p1
            row("5", f"{'status --json' if kind == 'status' else 'site build'}: per customer at {s2:,} vs at {s1:,}",
                f"{p2 * 1e6:.0f} µs/customer ({ms(t2)})", f"{p1 * 1e6:.0f} µs/customer", f"{factor:.2f}",
                f"≤ {GROWTH_TOLERANCE} (linear)", factor <= GROWTH_TOLERANCE)
    results["growth"] = growth
    generated = {}
    for size in sizes:
        path = os.path.join(out, "data", f"generate-{size}.json")
        if os.path.exists(path):
            generated[size] = load(path)
    results["generation"] = generated
    for size in sizes:
        path = os.path.join(out, "data", f"site-time-{size}.txt")
        value = rss_mb(path)
        if value:
            results[f"site_rss_mb_{size}"] = value
            row("5", f"sop site build, {size:,} customers: peak RSS", f"{value:.0f} MB", "", "", "info", None)

    header = ("#", "measurement", "sop", "reference", "ratio", "target", "met")
    table = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    table += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    text = "\n".join(table)
    with open(os.path.join(out, "table.md"), "w") as handle:
        handle.write(text + "\n")
    with open(os.path.join(out, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2, default=str)
    print()
    print("\n".join(results["machine"]))
    print()
    print(text)
    missed = [r for r in rows if r[6] == "NO"]
    print()
    print(f"{len(missed)} target(s) missed" if missed else "every target met")


if __name__ == "__main__":
    main()
