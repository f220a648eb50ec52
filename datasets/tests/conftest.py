"""Session fixtures: build the threadlens binary once and a dataset with it.

The dataset is built from the bundled samples (no sources) and then from the
shared corpus's WordPress and textdump pages, into a temporary directory; a
third run repeats the corpus run to check re-runs add nothing. Tests then read
the tables back with pyarrow, DuckDB, pandas and polars.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
TABLES = ["threads", "comments", "sentences", "theme_hits", "entities", "tokens"]

SUMMARY_RE = re.compile(
    r"(?P<written>\d+) threads written, (?P<unchanged>\d+) unchanged.*?"
    r"(?P<comments>\d+) comments, (?P<sentences>\d+) sentences, "
    r"(?P<theme_hits>\d+) theme hits \((?P<theme_tags>\d+) theme tags\), "
    r"(?P<entities>\d+) entities, (?P<tokens>\d+) tokens"
)


@dataclass
class Run:
    """One threadlens run: its arguments, exit code, output and summary."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    summary: dict[str, int] = field(default_factory=dict)


@dataclass
class Dataset:
    """The dataset built for the session."""

    out: Path
    binary: Path
    runs: list[Run]
    corpus_sources: list[str]

    def table(self, name: str) -> Path:
        return self.out / name

    def glob(self, name: str) -> str:
        return str(self.out / name / "*.parquet")

    def manifest(self) -> dict:
        return json.loads((self.out / "_manifest.json").read_text(encoding="utf-8"))


def corpus_sources() -> list[str]:
    """The corpus's WordPress and textdump pages, or [] when absent."""
    if not (CORPUS / "SOURCES.md").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared corpus missing at {CORPUS} (required when CI=true)")
        return []
    return [str(CORPUS / d) for d in ("wordpress", "textdump") if (CORPUS / d).is_dir()]


def run_threadlens(binary: Path, out: Path, sources: list[str]) -> Run:
    args = [str(binary), "--out", str(out), "--log-level", "warn", *sources]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=1200, stdin=subprocess.DEVNULL)
    run = Run(args, proc.returncode, proc.stdout, proc.stderr)
    # 0: all sources done; 1: some failed, the rest written.
    assert proc.returncode in (0, 1), f"threadlens exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    m = SUMMARY_RE.search(proc.stdout)
    assert m, f"no summary line in the output:\n{proc.stdout}"
    run.summary = {k: int(v) for k, v in m.groupdict().items()}
    return run


@pytest.fixture(scope="session")
def binary(tmp_path_factory) -> Path:
    go = shutil.which("go")
    assert go, "Go is required to build threadlens"
    path = tmp_path_factory.mktemp("bin") / "threadlens"
    subprocess.run([go, "build", "-o", str(path), "./cmd/threadlens"], cwd=REPO, check=True, timeout=1200)
    return path


@pytest.fixture(scope="session")
def dataset(binary, tmp_path_factory) -> Dataset:
    out = tmp_path_factory.mktemp("dataset") / "out"
    runs = [run_threadlens(binary, out, [])]
    sources = corpus_sources()
    if sources:
        runs.append(run_threadlens(binary, out, sources))
    return Dataset(out=out, binary=binary, runs=runs, corpus_sources=sources)


@pytest.fixture(scope="session")
def rerun(dataset) -> list[Run]:
    """The same runs once more into the same dataset."""
    runs = [run_threadlens(dataset.binary, dataset.out, [])]
    if dataset.corpus_sources:
        runs.append(run_threadlens(dataset.binary, dataset.out, dataset.corpus_sources))
    return runs
