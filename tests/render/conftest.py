"""Workbooks as LibreOffice shows them: Debian's libreoffice-calc converts one to PDF
(headless, a fresh profile each time), poppler's pdftoppm draws its first page as a PNG
kept in test-artifacts/ (the first, or the one asked for).

Skipped where soffice or pdftoppm is missing, except in CI (CI=true), where .ci/run
installs them and a missing tool fails."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support import ROOT

ARTIFACTS = ROOT / "test-artifacts"
TOOLS = ("soffice", "pdftoppm", "pdfinfo")
SECONDS = 120  # a conversion takes 2 to 5 s; a hung LibreOffice fails the test instead
DPI = 150


@pytest.fixture
def render(tmp_path):
    """A function: a workbook's bytes, a name and a page (1: the first, -1: the last) ->
    (that page as a PNG in test-artifacts/, how many pages the PDF has)."""
    if missing := [tool for tool in TOOLS if not shutil.which(tool)]:
        reason = f"no {', '.join(missing)} (apt-get install libreoffice-calc poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {reason}: .ci/run installs them", pytrace=False)
        pytest.skip(reason)

    def render(content: bytes, name: str, page: int = 1) -> tuple[Path, int]:
        workbook = tmp_path / f"{name}.xlsx"
        workbook.write_bytes(content)
        run(
            "soffice",
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        )
        pdf = workbook.with_suffix(".pdf")
        info = run("pdfinfo", str(pdf))
        pages = int(
            next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page = pages + 1 + page if page < 0 else page
        drawn = str(ARTIFACTS / name)
        run(
            "pdftoppm",
            "-png",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            drawn,
        )
        return ARTIFACTS / f"{name}.png", pages

    return render


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS)
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"
    return done.stdout
