"""The CI entry point must parse and run the README's test command.

A shell syntax error in `.ci/run` fails CI before a single test runs, and no test
of the package would notice; this one does.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CI_SCRIPT = ROOT / ".ci" / "run"


def readme_test_command() -> str:
    """The command the README's quick start gives for the tests."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^(make test)\b", readme, re.MULTILINE)
    assert match, "the README's quick start names no test command"
    return match.group(1)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_ci_script_is_valid_bash():
    result = subprocess.run(
        ["bash", "-n", str(CI_SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_ci_script_ends_by_running_the_readme_test_command():
    commands = [
        line.strip()
        for line in CI_SCRIPT.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == readme_test_command()
