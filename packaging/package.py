"""Packages release binaries the way the action's installer expects them.

    python3 packaging/package.py archive --target TARGET --binary PATH --out DIR [--version V] [--no-run]
                                         [--docs-from BINARY]
        DIR/safety-gate-TARGET.tar.gz (safety-gate-TARGET.zip on Windows targets) holding
        safety-gate-TARGET/{safety-gate[.exe], README.md, LICENSE-*}. Unless --no-run (a
        cross-compiled binary this machine cannot run), the binary must answer
        `--version` with `safety-gate V` (V defaults to the workspace version). With
        --docs-from (a binary of the same version this machine runs: the target's own, or a
        host build for a cross target), the archive also holds shell completions
        (completions/) and the man page (man/safety-gate.1), as that binary prints them.
    python3 packaging/package.py checksums DIR
        DIR/SHA256SUMS: one `sha256sum` line for every other file in DIR, sorted.
    python3 packaging/package.py version [--tag TAG]
        Prints the workspace version; with --tag, fails unless TAG is `v` + that version.

Archives are reproducible: entries sorted, owner 0, timestamps from SOURCE_DATE_EPOCH
(else 0), gzip without a timestamp. Standard library only: it runs on every release runner.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from typing import List, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = "safety-gate"
CHECKSUMS = "SHA256SUMS"
#: Files of the repository root shipped beside the binary, when present.
EXTRA_FILES = ("README.md", "LICENSE-MIT", "LICENSE-APACHE")


def workspace_version() -> str:
    """The `[workspace.package]` version of Cargo.toml."""
    with open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8") as f:
        text = f.read()
    section = re.search(r"^\[workspace\.package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = section and re.search(r'^version\s*=\s*"([^"]+)"', section.group(1), re.M)
    if not found:
        sys.exit("Cargo.toml: no version in [workspace.package]")
    return found.group(1)


def epoch() -> int:
    """Timestamp for archive entries: SOURCE_DATE_EPOCH, else 0 (zip: 1980-01-01)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else 0


def entries(target: str, binary: str) -> List[Tuple[str, bytes, int]]:
    """(archive path, content, mode) of everything the archive holds, sorted."""
    folder = f"{TOOL}-{target}"
    exe = f"{TOOL}.exe" if "windows" in target else TOOL
    with open(binary, "rb") as f:
        items = [(f"{folder}/{exe}", f.read(), 0o755)]
    for name in EXTRA_FILES:
        path = os.path.join(ROOT, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                items.append((f"{folder}/{name}", f.read(), 0o644))
    return sorted(items)


#: Shells the binary writes completion scripts for, and where each is shipped.
COMPLETIONS = (
    ("bash", "completions/safety-gate.bash"),
    ("zsh", "completions/_safety-gate"),
    ("fish", "completions/safety-gate.fish"),
    ("elvish", "completions/safety-gate.elv"),
    ("powershell", "completions/_safety-gate.ps1"),
)


def generated(folder: str, docs_from: str, version: str) -> List[Tuple[str, bytes, int]]:
    """Completion scripts and the man page, as `docs_from` prints them."""
    def run(*args: str) -> bytes:
        try:
            done = subprocess.run([docs_from, *args], capture_output=True, timeout=60,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            sys.exit(f"{docs_from} {' '.join(args)}: {e}")
        if done.returncode != 0 or not done.stdout:
            sys.exit(f"{docs_from} {' '.join(args)} failed (exit {done.returncode}): "
                     f"{done.stderr.decode('utf-8', 'replace').strip()}")
        return done.stdout

    said = run("--version").decode("utf-8", "replace").strip()
    if said != f"{TOOL} {version}":
        sys.exit(f"--docs-from {docs_from} is {said!r}, not '{TOOL} {version}'")
    items = [(f"{folder}/{name}", run("completions", shell), 0o644) for shell, name in COMPLETIONS]
    items.append((f"{folder}/man/{TOOL}.1", run("man"), 0o644))
    return items


def write_tar_gz(path: str, items: List[Tuple[str, bytes, int]]) -> None:
    """A gzip-compressed tar with fixed owners and timestamps."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data, mode in items:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, epoch()
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
            gz.write(raw.getvalue())


def write_zip(path: str, items: List[Tuple[str, bytes, int]]) -> None:
    """A deflated zip with fixed timestamps and Unix modes."""
    import time

    stamp = time.gmtime(max(epoch(), 315532800))[:6]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in items:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def archive(args: argparse.Namespace) -> int:
    """`archive`: see the module's documentation."""
    version = args.version or workspace_version()
    if not os.path.isfile(args.binary):
        sys.exit(f"{args.binary}: no such file")
    if not args.no_run:
        try:
            done = subprocess.run([args.binary, "--version"], capture_output=True,
                                  timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            sys.exit(f"{args.binary} --version: {e}")
        said = done.stdout.decode("utf-8", "replace").strip()
        if done.returncode != 0 or said != f"{TOOL} {version}":
            sys.exit(f"{args.binary} --version said {said!r} (exit {done.returncode}), "
                     f"expected '{TOOL} {version}'")
    os.makedirs(args.out, exist_ok=True)
    items = entries(args.target, args.binary)
    if args.docs_from:
        items = sorted(items + generated(f"{TOOL}-{args.target}", args.docs_from, version))
    windows = "windows" in args.target
    path = os.path.join(args.out, f"{TOOL}-{args.target}.{'zip' if windows else 'tar.gz'}")
    tmp = path + ".tmp"
    (write_zip if windows else write_tar_gz)(tmp, items)
    os.replace(tmp, path)
    print(f"{path}: {os.path.getsize(path)} bytes, {len(items)} files")
    return 0


def checksums(args: argparse.Namespace) -> int:
    """`checksums`: see the module's documentation."""
    names = sorted(n for n in os.listdir(args.dir)
                   if n != CHECKSUMS and not n.endswith(".tmp")
                   and os.path.isfile(os.path.join(args.dir, n)))
    if not names:
        sys.exit(f"{args.dir}: nothing to checksum")
    lines = []
    for name in names:
        digest = hashlib.sha256()
        with open(os.path.join(args.dir, name), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        lines.append(f"{digest.hexdigest()}  {name}\n")
    path = os.path.join(args.dir, CHECKSUMS)
    with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    os.replace(path + ".tmp", path)
    print(f"{path}: {len(lines)} files")
    return 0


def version(args: argparse.Namespace) -> int:
    """`version`: see the module's documentation."""
    found = workspace_version()
    if args.tag is not None and args.tag != f"v{found}":
        sys.exit(f"tag {args.tag} does not match the workspace version {found} (expected v{found})")
    print(found)
    return 0


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("archive", help="archive one target's binary")
    a.add_argument("--target", required=True, help="Rust target triple, names the archive")
    a.add_argument("--binary", required=True, help="the built safety-gate binary")
    a.add_argument("--out", required=True, help="folder for the archive")
    a.add_argument("--version", help="expected `--version` (default: the workspace's)")
    a.add_argument("--no-run", action="store_true", help="do not run the binary (cross builds)")
    a.add_argument("--docs-from", metavar="BINARY",
                   help="add completions and the man page, as this runnable binary prints them")
    a.set_defaults(func=archive)
    c = sub.add_parser("checksums", help="write SHA256SUMS for a folder of release assets")
    c.add_argument("dir")
    c.set_defaults(func=checksums)
    v = sub.add_parser("version", help="print the workspace version, checking a tag")
    v.add_argument("--tag", help="release tag that must be v + the version")
    v.set_defaults(func=version)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
