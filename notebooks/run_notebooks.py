"""Execute every notebook in this folder against a freshly built dataset.

Run by `make test` (and so by CI): builds threadlens, runs it on the bundled
samples (plus the shared corpus pages when present) into a temporary
directory, then executes each notebook with nbclient, failing on the first
cell error. Notebooks read the dataset from $THREADLENS_DATA.
"""

import os
import pathlib
import subprocess
import sys
import tempfile

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def build_dataset(tmp: pathlib.Path) -> pathlib.Path:
    binary = tmp / "threadlens"
    subprocess.run(["go", "build", "-o", str(binary), "./cmd/threadlens"], cwd=ROOT, check=True)
    out = tmp / "out"
    # The bundled samples (no arguments), then the corpus WordPress pages on top.
    subprocess.run([str(binary), "--out", str(out), "--log-level", "warn"], cwd=ROOT, check=True)
    corpus = ROOT.parent / "shared" / "corpus" / "wordpress"
    if corpus.is_dir():
        # Exit status 1 (some pages failed) still leaves the rest written.
        r = subprocess.run([str(binary), "--out", str(out), "--log-level", "warn", str(corpus)], cwd=ROOT)
        if r.returncode not in (0, 1):
            raise SystemExit(f"threadlens failed on the corpus with exit {r.returncode}")
    return out


def main() -> int:
    notebooks = sorted(HERE.glob("*.ipynb"))
    if not notebooks:
        print("no notebooks found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = pathlib.Path(tmpdir)
        data = build_dataset(tmp)
        os.environ["THREADLENS_DATA"] = str(data)
        os.environ["THREADLENS_FIGS"] = str(tmp / "figures")
        passed = failed = 0
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(HERE)}})
            try:
                client.execute()
            except Exception as exc:  # report every notebook, then fail
                failed += 1
                print(f"FAIL {path.name}: {exc}", file=sys.stderr)
                continue
            passed += 1
            print(f"ok   {path.name} ({len(nb.cells)} cells)")
        figures = sorted(p.name for p in (tmp / "figures").glob("*.png"))
        print(f"figures written: {', '.join(figures) or 'none'}")
        print(f"notebooks: {passed} passed, {failed} failed")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
