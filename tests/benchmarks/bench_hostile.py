"""Benchmark: peak memory and time of every network command against each hostile scenario.

Run: .venv/bin/python tests/benchmarks/bench_hostile.py [SCENARIO NAME ...]
Prints, per scenario and command, the exit code, the child's peak RSS (measured by a small
launcher with wait4) and the wall time. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fixtures.cli_runs import command_env, run_all
from tests.fixtures.hostile import SCENARIOS, HostileServer, serving
from tests.integration.cli.test_cli_hostile import COMMANDS


def main() -> None:
    wanted = set(sys.argv[1:])
    for row in SCENARIOS:
        if wanted and row.name not in wanted:
            continue
        with serving(HostileServer()) as server:
            server.scenario = row.scenario
            commands = {
                name: [arg.format(base=server.base_url) for arg in args]
                for name, args in COMMANDS.items()
                if row.applies_to(name)
            }
            runs = run_all(commands, command_env(server.base_url + "/client/v4"))
        cells = "  ".join(
            f"{name} {run.returncode:>2} {run.peak_rss_mb:4.0f} MB {run.seconds:4.1f} s"
            for name, run in runs.items()
        )
        print(f"{row.name:<42} {cells}", flush=True)


if __name__ == "__main__":
    main()
