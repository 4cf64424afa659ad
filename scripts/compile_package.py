"""Ship bytecode in the Lambda zip: `.pyc` files that stay valid after unzip.

    python scripts/compile_package.py dist/deployment.zip

`chalice package` zips sources only (and any `__pycache__` it finds, stale or
not), and /var/task is read-only, so every cold start would compile chalice,
PyJWT, cryptography's Python and chalicelib again (65-85 ms measured). This
rewrites the zip: every stale `__pycache__` entry removed, then each `.py`
compiled with `compileall --invalidation-mode unchecked-hash` (PEP 552): the
.pyc is tied to its source by a hash Python never re-checks, not to file times
that the unzip on Lambda changes. The interpreter compiling must be the
runtime's version (chalice derives the runtime, e.g. python3.11, from it too).
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path

PYCACHE = "__pycache__/"


def compile_zip(archive: Path) -> int:
    """Rewrite `archive` in place with fresh unchecked-hash .pyc files; the number compiled."""
    with tempfile.TemporaryDirectory(prefix="compile-package-") as scratch:
        root = Path(scratch) / "pkg"
        with zipfile.ZipFile(archive) as source:
            infos = [i for i in source.infolist()
                     if PYCACHE not in i.filename and not i.filename.endswith(".pyc")]
            for info in infos:
                source.extract(info, root)
        if not compileall.compile_dir(root, quiet=2, workers=1, ddir="/var/task",
                                      invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH):
            raise SystemExit(f"compile_package: some sources in {archive} do not compile")
        compiled = sorted(p for p in root.rglob("*.pyc"))
        rewritten = archive.with_suffix(".tmp.zip")
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:  # the original entries, with their permissions and dates
                target.writestr(info, (root / info.filename).read_bytes() if not info.is_dir() else b"",
                                compress_type=zipfile.ZIP_DEFLATED)
            for pyc in compiled:
                name = pyc.relative_to(root).as_posix()
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.external_attr = 0o644 << 16
                target.writestr(entry, pyc.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        rewritten.replace(archive)
    return len(compiled)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("zip", type=Path)
    args = parser.parse_args(argv)
    count = compile_zip(args.zip)
    print(f"compile_package: {count} .pyc files (unchecked-hash, Python "
          f"{sys.version_info.major}.{sys.version_info.minor}) in {args.zip}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
