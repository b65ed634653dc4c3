"""Python processes of the app's own (`python -m bot ...`, or a script given with -c), as
replicas and deployments run it: configured only by their environment."""

import os
import subprocess

from bot.runtime.settings import KEYS
from support import ROOT


def environment(**settings: str) -> dict:
    """This process's environment for a child, with Rapport importable from anywhere and
    every setting blank (unset, and winning over any .env python-dotenv finds) but
    `settings`, e.g. DATABASE_URL="sqlite:///...". Slack's variables are left out."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    return {**inherited, **dict.fromkeys(KEYS, ""), "PYTHONPATH": str(ROOT), **settings}


def finish(processes: list[subprocess.Popen], timeout: float) -> list[tuple[int, str, str]]:
    """(exit code, output, errors) of each process once it has ended; any still running
    after `timeout` seconds, or left when something fails, is killed."""
    results = []
    try:
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            results.append((process.returncode, out, err))
    finally:
        kill_leftovers(processes)
    return results


def kill_leftovers(processes: list[subprocess.Popen]) -> None:
    """Kill (SIGKILL) those of `processes` still running, and reap them."""
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
