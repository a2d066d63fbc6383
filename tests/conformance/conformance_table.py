#!/usr/bin/env python3
"""Prints the per-file conformance table of docs/conformance.md.

Usage: conformance_table.py PATH/TO/trialscreen_tests
Runs the summary test, reads its "conformance FILE PASSED/TOTAL" lines and puts
them next to the peers' scores from peer-results/*.json.
"""
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent / "jsonlogic"
PEERS = [  # (results file, implementation, column title)
    ("rust.json", "DataLogic", "DataLogic (Rust)"),
    ("javascript.json", "json-logic-engine", "json-logic-engine (JS)"),
    ("ruby.json", "shiny_json_logic", "shiny_json_logic (Ruby)"),
    ("javascript.json", "json-logic-js", "json-logic-js"),
]


def main():
    output = subprocess.run(
        [sys.argv[1], "--gtest_filter=LogicConformance.*"], capture_output=True, text=True, check=False
    ).stdout
    ours = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "conformance":
            ours[parts[1]] = parts[2]
    peers = [json.loads((HERE / "peer-results" / f).read_text())["test_suites"] for f, _, _ in PEERS]
    index = json.loads((HERE / "suites" / "index.json").read_text())
    print("| suite file | trialscreen | " + " | ".join(title for _, _, title in PEERS) + " |")
    print("|---|---|" + "---|" * len(PEERS))
    totals = [0] * len(PEERS)
    for name in index:
        cells = []
        for k, ((_, implementation, _), suites) in enumerate(zip(PEERS, peers)):
            score = suites.get(name, {}).get(implementation)
            if score:
                totals[k] += score["passed"]
                cells.append(f"{score['passed']}/{score['total']}")
            else:
                cells.append("-")
        print(f"| {name} | {ours.get(name, '?')} | " + " | ".join(cells) + " |")
    total = ours.get("total", "?")
    print(f"| **all 1138** | **{total}** | " + " | ".join(f"{t}" for t in totals) + " |")
    print(f"| legacy-tests.json (277) | {ours.get('legacy-tests.json', '?')} | " + " | ".join("-" for _ in PEERS) + " |")


if __name__ == "__main__":
    main()
