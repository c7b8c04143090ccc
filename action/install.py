"""The action's install step: puts a safety-gate binary in place without building it.

Order of choice:
1. `binary:` names an installed binary: use it.
2. The version is `version:` when pinned, else the action's own ref (`github.action_ref`)
   when it is a release tag (`v1.2.3`, or `v1`/`v1.2` matching the version in the
   action's Cargo.toml).
3. The runner's OS and architecture pick the release target.
4. A binary of that version already in the tool cache is reused (its SHA-256 is checked
   against the one recorded when it was installed); otherwise the release's SHA256SUMS
   and archive are downloaded, the archive's digest is checked, and the binary is
   extracted into the tool cache.

When no release can match (a branch or commit ref, a local `uses: ./`, a platform
without release binaries, or no release published for a tag), the step says why and
sets `fallback=true`, and the action builds from source. A pinned version that cannot
be installed, a checksum mismatch, an asset missing from a release or a binary that
does not report the expected version is an error: the step fails.

Environment: INPUT_BINARY, INPUT_VERSION, INPUT_DOWNLOAD_URL, ACTION_REF, ACTION_PATH,
RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GITHUB_OUTPUT.
Outputs: binary-path, version, source (input, cache, release, fallback), fallback,
fallback-reason, cache-key (on fallback).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import time
import zipfile
from typing import Dict, Optional, Tuple

import common
from common import ActionError, HttpError

#: Where releases are published; `download-url` replaces it (mirrors, tests).
DEFAULT_DOWNLOAD_URL = "https://github.com/safety-gate/safety-gate/releases/download"

#: The runner's (RUNNER_OS, RUNNER_ARCH) to the release target built for it.
TARGETS: Dict[Tuple[str, str], str] = {
    ("Linux", "X64"): "x86_64-unknown-linux-musl",
    ("Linux", "ARM64"): "aarch64-unknown-linux-musl",
    ("macOS", "X64"): "x86_64-apple-darwin",
    ("macOS", "ARM64"): "aarch64-apple-darwin",
    ("Windows", "X64"): "x86_64-pc-windows-msvc",
}

CHECKSUMS = "SHA256SUMS"
TOOL = "safety-gate"
SEMVER = re.compile(r"^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$")
PARTIAL = re.compile(r"^v(\d+(?:\.\d+)?)$")
SHA = re.compile(r"^[0-9a-f]{40}$")
MAX_ARCHIVE_BYTES = 256 << 20


class Fallback(Exception):
    """No release matches; the message says why."""


def archive_name(target: str) -> str:
    """The release asset holding the binary for `target`."""
    ext = "zip" if "windows" in target else "tar.gz"
    return f"{TOOL}-{target}.{ext}"


def binary_name(target: str) -> str:
    """The binary's file name on `target`."""
    return f"{TOOL}.exe" if "windows" in target else TOOL


def action_version(action_path: str) -> Optional[str]:
    """The `[workspace.package]` version in the action's own Cargo.toml, if readable."""
    try:
        with open(os.path.join(action_path, "Cargo.toml"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return None
    section = re.search(r"^\[workspace\.package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not section:
        return None
    found = re.search(r'^version\s*=\s*"([^"]+)"', section.group(1), re.M)
    return found.group(1) if found else None


def resolve_version(pinned: str, ref: str, action_path: str) -> Tuple[str, bool]:
    """The release version to install and whether it was pinned; raises `Fallback`
    when the action's ref is no release."""
    if pinned:
        m = SEMVER.match(pinned)
        if not m:
            raise ActionError(
                f"version '{pinned}' is not a release version such as 1.2.3 or v1.2.3")
        return m.group(1), True
    m = SEMVER.match(ref)
    if m and ref.startswith("v"):
        return m.group(1), False
    if not ref:
        raise Fallback("the action runs from a path (uses: ./), not from a release tag")
    if SHA.match(ref):
        raise Fallback(f"the action is pinned to commit {ref[:12]}, not a release tag; "
                       "set `version:` to install that commit's release")
    m = PARTIAL.match(ref)
    if m:
        own = action_version(action_path)
        if own and (own == m.group(1) or own.startswith(m.group(1) + ".")):
            return own, False
        raise Fallback(f"the action's ref {ref} does not match its own version "
                       f"{own or '(unreadable Cargo.toml)'}")
    raise Fallback(f"the action's ref '{ref}' is a branch, not a release tag")


def resolve_target(runner_os: str, runner_arch: str) -> str:
    """The release target for this runner; raises `Fallback` when there is none."""
    target = TARGETS.get((runner_os, runner_arch))
    if target is None:
        known = ", ".join(f"{o}/{a}" for o, a in TARGETS)
        raise Fallback(f"releases have no binary for {runner_os or '?'}/{runner_arch or '?'} "
                       f"(they cover {known})")
    return target


def parse_checksums(text: str, source: str) -> Dict[str, str]:
    """`sha256sum` lines (`HEX  NAME` or `HEX *NAME`) to {name: hex}."""
    sums: Dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9a-fA-F]{64}) [ *](\S.*)$", line)
        if not m:
            raise ActionError(f"{source}:{number}: not a `SHA256  NAME` line: {line[:80]!r}")
        sums[m.group(2).strip()] = m.group(1).lower()
    return sums


def file_sha256(path: str) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract_binary(archive: str, target: str) -> bytes:
    """The bytes of `safety-gate-TARGET/safety-gate[.exe]` inside the archive; only that
    one regular file is read, so no path in the archive can escape."""
    member = f"{TOOL}-{target}/{binary_name(target)}"
    try:
        if archive.endswith(".zip"):
            with zipfile.ZipFile(archive) as z:
                try:
                    return z.read(member)
                except KeyError:
                    pass
        else:
            with tarfile.open(archive, "r:gz") as t:
                try:
                    info = t.getmember(member)
                except KeyError:
                    info = None
                if info is not None:
                    if not info.isfile():
                        raise ActionError(f"{archive}: {member} is not a regular file")
                    f = t.extractfile(info)
                    assert f is not None
                    return f.read()
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as e:
        raise ActionError(f"{archive}: not a readable archive: {e}") from None
    raise ActionError(f"{archive}: has no {member}")


def check_version(binary: str, version: Optional[str]) -> str:
    """Runs `binary --version`; returns its output line, or raises when it does not
    run or names another version."""
    done = common.run([binary, "--version"], timeout=30)
    text = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise ActionError(f"{binary} --version exited {done.returncode}: "
                          f"{done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    if version is not None and text != f"{TOOL} {version}":
        raise ActionError(f"{binary} reports '{text}', expected '{TOOL} {version}'")
    return text


def cache_dir(tool_cache: str, version: str, arch: str) -> Tuple[str, str]:
    """The tool-cache folder of a version and its completion marker (the layout of
    @actions/tool-cache: TOOL/VERSION/ARCH and ARCH.complete)."""
    folder = os.path.join(tool_cache, TOOL, version, arch.lower())
    return folder, folder + ".complete"


def cached(folder: str, marker: str, target: str) -> Optional[str]:
    """The cached binary when its marker records the digest it still has."""
    binary = os.path.join(folder, binary_name(target))
    try:
        with open(marker, encoding="utf-8") as f:
            recorded = f.read().strip()
    except OSError:
        return None
    if not os.path.isfile(binary) or file_sha256(binary) != recorded:
        common.warning(f"the cached {binary} does not match its recorded digest; "
                       "downloading it again")
        return None
    return binary


def download(base: str, version: str, target: str, pinned: bool, work: str) -> Tuple[str, str, str]:
    """Downloads and verifies the archive; returns (archive path, its URL, digest)."""
    release = f"{base.rstrip('/')}/v{version}"
    sums_url = f"{release}/{CHECKSUMS}"
    try:
        _, _, body = common.http("GET", sums_url, max_bytes=1 << 16)
    except HttpError as e:
        if e.status == 404 and not pinned:
            raise Fallback(f"no release v{version} at {release} ({CHECKSUMS}: HTTP 404)")
        if e.status == 404:
            raise ActionError(f"no release v{version}: {sums_url} answered HTTP 404") from None
        raise
    sums = parse_checksums(body.decode("utf-8", "replace"), sums_url)
    name = archive_name(target)
    if name not in sums:
        listed = ", ".join(sorted(sums)) or "nothing"
        raise ActionError(f"release v{version} has no {name} in {CHECKSUMS} (it lists {listed})")
    url = f"{release}/{name}"
    path = os.path.join(work, name)
    with open(path, "wb") as sink:
        try:
            common.http("GET", url, max_bytes=MAX_ARCHIVE_BYTES, sink=sink)
        except HttpError as e:
            raise ActionError(f"release v{version} lists {name} but {url} answered "
                              f"HTTP {e.status}") from None
    digest = file_sha256(path)
    if digest != sums[name]:
        raise ActionError(f"checksum mismatch for {url}: {CHECKSUMS} says {sums[name]}, "
                          f"the download is {digest}; refusing to install it")
    return path, url, digest


def lock_key() -> str:
    """A short digest of the action's Cargo.lock, keying the fallback build's cache."""
    path = os.path.join(common.env("ACTION_PATH", "."), "Cargo.lock")
    return file_sha256(path)[:16] if os.path.isfile(path) else "no-lock"


def install() -> int:
    """The step: see the module's documentation."""
    given = common.env("INPUT_BINARY")
    if given:
        binary = os.path.abspath(given)
        if not os.path.isfile(binary):
            raise ActionError(f"binary: {given} does not exist")
        text = check_version(binary, None)
        common.info(f"Using the installed {text} at {binary}")
        common.set_outputs({"binary-path": binary, "version": text.split()[-1],
                            "source": "input", "fallback": "false"})
        return 0
    pinned = common.env("INPUT_VERSION")
    try:
        version, is_pinned = resolve_version(pinned, common.env("ACTION_REF"),
                                             common.env("ACTION_PATH", "."))
        runner_os, runner_arch = common.env("RUNNER_OS"), common.env("RUNNER_ARCH")
        try:
            target = resolve_target(runner_os, runner_arch)
        except Fallback:
            if is_pinned:
                raise ActionError(f"version {version} is pinned, but releases have no binary "
                                  f"for {runner_os}/{runner_arch}") from None
            raise
        tool_cache = common.env("RUNNER_TOOL_CACHE") or common.env("RUNNER_TEMP") \
            or tempfile.gettempdir()
        folder, marker = cache_dir(tool_cache, version, runner_arch)
        binary = cached(folder, marker, target)
        if binary:
            text = check_version(binary, version)
            common.info(f"Using {text} ({target}) from the tool cache: {binary}")
            common.set_outputs({"binary-path": binary, "version": version,
                                "source": "cache", "fallback": "false"})
            return 0
        started = time.monotonic()
        work = tempfile.mkdtemp(prefix="safety-gate-", dir=common.env("RUNNER_TEMP") or None)
        try:
            base = common.env("INPUT_DOWNLOAD_URL", DEFAULT_DOWNLOAD_URL)
            archive, url, digest = download(base, version, target, is_pinned, work)
            size = os.path.getsize(archive)
            data = extract_binary(archive, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except Fallback as why:
        common.notice(f"No release binary matches, building from source: {why}")
        common.set_outputs({"fallback": "true", "fallback-reason": str(why),
                            "source": "fallback", "cache-key": lock_key()})
        return 0
    binary = os.path.join(folder, binary_name(target))
    common.write_atomic(binary, data, mode=0o755)
    check_version(binary, version)
    common.write_atomic(marker, (hashlib.sha256(data).hexdigest() + "\n").encode())
    took = time.monotonic() - started
    common.info(f"Installed {TOOL} {version} ({target}) from {url}\n"
                f"  archive sha256 {digest} ({size / 1e6:.1f} MB, verified against {CHECKSUMS})\n"
                f"  binary {binary} ({len(data) / 1e6:.1f} MB) in {took:.2f} s")
    common.set_outputs({"binary-path": binary, "version": version, "source": "release",
                        "fallback": "false"})
    return 0


if __name__ == "__main__":
    common.main_guard(install)
