"""install.py against a loopback server laid out like GitHub's release downloads: a good
checksum installs into the tool cache; a bad checksum, a missing asset, a malformed
checksum file or a binary of another version is a clear error; a ref or platform no
release matches falls back to building, saying why."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import unittest

from helpers import ROOT, run_script
import fake_github
import install

TARGET = "x86_64-unknown-linux-musl"
ARCHIVE = f"safety-gate-{TARGET}.tar.gz"
RELEASES = "safety-gate/safety-gate/releases/download"


def fake_binary(folder: str, version: str) -> str:
    """A stand-in binary that answers `--version` like the real one."""
    path = os.path.join(folder, "safety-gate")
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\necho 'safety-gate {version}'\n")
    os.chmod(path, 0o755)
    return path


class Release:
    """A release folder v{version} made with packaging/package.py."""

    def __init__(self, root: str, version: str = "0.1.0", reports: str = None,
                 target: str = TARGET):
        self.dir = os.path.join(root, RELEASES, f"v{version}")
        os.makedirs(self.dir)
        with tempfile.TemporaryDirectory() as tmp:
            binary = fake_binary(tmp, reports or version)
            args = ["archive", "--target", target, "--binary", binary, "--out", self.dir,
                    "--version", version]
            if reports:
                args.append("--no-run")
            subprocess.run([sys.executable, os.path.join(ROOT, "packaging", "package.py"), *args],
                           check=True, capture_output=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "packaging", "package.py"),
                        "checksums", self.dir], check=True, capture_output=True)

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)


class InstallTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="safety-gate-install-")
        self.root = os.path.join(self.tmp, "www")
        self.cache = os.path.join(self.tmp, "toolcache")
        os.makedirs(self.root)
        self.server = fake_github.files_server(self.root).__enter__()

    def tearDown(self):
        self.server.__exit__(None, None, None)
        shutil.rmtree(self.tmp)

    def run_install(self, **env):
        base = {"INPUT_DOWNLOAD_URL": f"{self.server.url}/{RELEASES}", "ACTION_REF": "v0.1.0",
                "ACTION_PATH": ROOT, "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
                "RUNNER_TOOL_CACHE": self.cache}
        base.update(env)
        return run_script("install.py", {k: v for k, v in base.items() if v is not None})

    def assert_error(self, result, *fragments):
        self.assertEqual(result.code, 1, result)
        self.assertIn("::error title=safety-gate::", result.stdout)
        for fragment in fragments:
            self.assertIn(fragment, result.stdout)
        self.assertNotIn("binary-path", result.outputs)
        self.assertFalse(os.path.exists(os.path.join(self.cache, "safety-gate", "0.1.0", "x64.complete")))

    def test_good_checksum_installs_then_the_tool_cache_serves(self):
        Release(self.root)
        first = self.run_install()
        self.assertEqual(first.code, 0, first)
        binary = first.outputs["binary-path"]
        self.assertEqual(binary, os.path.join(self.cache, "safety-gate", "0.1.0", "x64", "safety-gate"))
        self.assertEqual(first.outputs["source"], "release")
        self.assertIn(f"Installed safety-gate 0.1.0 ({TARGET}) from {self.server.url}", first.stdout)
        self.assertIn("verified against SHA256SUMS", first.stdout)
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
        self.assertEqual(out.stdout.strip(), "safety-gate 0.1.0")
        self.assertTrue(os.stat(binary).st_mode & stat.S_IXUSR)
        # The second run needs no server.
        shutil.rmtree(self.root)
        second = self.run_install()
        self.assertEqual((second.code, second.outputs["source"]), (0, "cache"), second)
        self.assertIn("from the tool cache", second.stdout)

    def test_windows_zip_installs_the_exe(self):
        # The stand-in is a script; named .exe it still runs here, which is all the
        # installer's `--version` check needs.
        Release(self.root, target="x86_64-pc-windows-msvc")
        result = self.run_install(RUNNER_OS="Windows", RUNNER_ARCH="X64")
        self.assertEqual(result.code, 0, result)
        self.assertTrue(result.outputs["binary-path"].endswith(os.path.join("x64", "safety-gate.exe")))
        self.assertIn("safety-gate-x86_64-pc-windows-msvc.zip", result.stdout)

    def test_bad_checksum_is_refused(self):
        release = Release(self.root)
        with open(release.path(ARCHIVE), "ab") as f:
            f.write(b"tampered")
        result = self.run_install()
        self.assert_error(result, "checksum mismatch", ARCHIVE, "refusing to install")

    def test_asset_missing_from_checksums_is_an_error(self):
        release = Release(self.root)
        with open(release.path("SHA256SUMS"), "w") as f:
            f.write("0" * 64 + "  safety-gate-aarch64-apple-darwin.tar.gz\n")
        self.assert_error(self.run_install(), f"has no {ARCHIVE} in SHA256SUMS",
                          "safety-gate-aarch64-apple-darwin.tar.gz")

    def test_asset_listed_but_not_uploaded_is_an_error(self):
        release = Release(self.root)
        os.unlink(release.path(ARCHIVE))
        self.assert_error(self.run_install(), f"lists {ARCHIVE}", "HTTP 404")

    def test_malformed_checksum_file_names_the_line(self):
        release = Release(self.root)
        with open(release.path("SHA256SUMS"), "a") as f:
            f.write("not a checksum line\n")
        self.assert_error(self.run_install(), "SHA256SUMS:2: not a `SHA256  NAME` line")

    def test_binary_of_another_version_is_refused(self):
        Release(self.root, reports="0.0.9")
        self.assert_error(self.run_install(), "reports 'safety-gate 0.0.9', expected 'safety-gate 0.1.0'")

    def test_archive_without_the_binary_is_refused_and_nothing_escapes(self):
        release = Release(self.root)
        data = io.BytesIO()
        with tarfile.open(fileobj=data, mode="w:gz") as tar:
            evil = tarfile.TarInfo("../../escaped")
            payload = b"#!/bin/sh\n"
            evil.size = len(payload)
            tar.addfile(evil, io.BytesIO(payload))
        with open(release.path(ARCHIVE), "wb") as f:
            f.write(data.getvalue())
        subprocess.run([sys.executable, os.path.join(ROOT, "packaging", "package.py"),
                        "checksums", release.dir], check=True, capture_output=True)
        self.assert_error(self.run_install(), f"has no safety-gate-{TARGET}/safety-gate")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "escaped")))

    def test_tampered_cache_is_downloaded_again(self):
        Release(self.root)
        binary = self.run_install().outputs["binary-path"]
        with open(binary, "a") as f:
            f.write("# changed\n")
        again = self.run_install()
        self.assertEqual((again.code, again.outputs["source"]), (0, "release"), again)
        self.assertIn("does not match its recorded digest", again.stdout)

    def test_unknown_platform_falls_back_and_says_why(self):
        result = self.run_install(RUNNER_OS="Windows", RUNNER_ARCH="ARM64")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.outputs["fallback"], "true")
        self.assertIn("releases have no binary for Windows/ARM64", result.outputs["fallback-reason"])
        self.assertIn("building from source", result.stdout)
        self.assertEqual(len(result.outputs["cache-key"]), 16)

    def test_unknown_platform_with_a_pinned_version_is_an_error(self):
        result = self.run_install(RUNNER_OS="Linux", RUNNER_ARCH="ARM", INPUT_VERSION="0.1.0")
        self.assert_error(result, "version 0.1.0 is pinned, but releases have no binary for Linux/ARM")

    def test_branch_commit_and_local_refs_fall_back(self):
        for ref, reason in [("main", "'main' is a branch"), ("", "uses: ./"),
                            ("0" * 40, "pinned to commit 000000000000"),
                            ("v7", "ref v7 does not match its own version 0.1.0")]:
            with self.subTest(ref=ref):
                result = self.run_install(ACTION_REF=ref)
                self.assertEqual((result.code, result.outputs.get("fallback")), (0, "true"), result)
                self.assertIn(reason, result.outputs["fallback-reason"])

    def test_major_tag_installs_the_actions_own_version(self):
        Release(self.root)
        result = self.run_install(ACTION_REF="v0")
        self.assertEqual((result.code, result.outputs.get("version")), (0, "0.1.0"), result)

    def test_tag_without_a_release_falls_back_but_a_pinned_one_fails(self):
        result = self.run_install(ACTION_REF="v9.9.9")
        self.assertEqual(result.outputs.get("fallback"), "true", result)
        self.assertIn("no release v9.9.9", result.outputs["fallback-reason"])
        self.assert_error(self.run_install(INPUT_VERSION="9.9.9"), "no release v9.9.9", "HTTP 404")

    def test_pinned_version_wins_over_the_ref(self):
        Release(self.root)
        result = self.run_install(ACTION_REF="main", INPUT_VERSION="v0.1.0")
        self.assertEqual((result.code, result.outputs.get("source")), (0, "release"), result)

    def test_bad_pinned_version_is_an_error(self):
        self.assert_error(self.run_install(INPUT_VERSION="latest"), "'latest' is not a release version")

    def test_installed_binary_input_is_used_as_is(self):
        binary = fake_binary(self.tmp, "0.1.0")
        result = self.run_install(INPUT_BINARY=binary, ACTION_REF="main")
        self.assertEqual((result.code, result.outputs["binary-path"]), (0, binary), result)
        self.assertIn("Using the installed safety-gate 0.1.0", result.stdout)
        missing = self.run_install(INPUT_BINARY=os.path.join(self.tmp, "nope"))
        self.assertEqual(missing.code, 1)
        self.assertIn("does not exist", missing.stdout)


class TablesTest(unittest.TestCase):
    def test_every_runner_maps_to_a_release_target_with_its_archive(self):
        self.assertEqual(len(set(install.TARGETS.values())), 5)
        self.assertEqual(install.archive_name("x86_64-pc-windows-msvc"),
                         "safety-gate-x86_64-pc-windows-msvc.zip")
        self.assertEqual(install.binary_name("x86_64-pc-windows-msvc"), "safety-gate.exe")
        self.assertEqual(install.archive_name("aarch64-apple-darwin"),
                         "safety-gate-aarch64-apple-darwin.tar.gz")

    def test_release_workflow_builds_every_target_the_installer_knows(self):
        with open(os.path.join(ROOT, ".github", "workflows", "release.yml")) as f:
            text = f.read()
        for target in install.TARGETS.values():
            self.assertIn(f"target: {target}\n", text)

    def test_versions(self):
        self.assertEqual(install.resolve_version("", "v1.2.3", ROOT), ("1.2.3", False))
        self.assertEqual(install.resolve_version("1.2.3-rc.1", "main", ROOT), ("1.2.3-rc.1", True))
        self.assertEqual(install.resolve_version("", "v0.1", ROOT), ("0.1.0", False))
        with self.assertRaises(install.Fallback):
            install.resolve_version("", "v0.10", ROOT)  # 0.1.0 is not a 0.10 release
        with self.assertRaises(install.Fallback):
            install.resolve_version("", "1.2.3", ROOT)  # tags carry the v

    def test_checksum_lines(self):
        digest = hashlib.sha256(b"x").hexdigest()
        self.assertEqual(install.parse_checksums(f"{digest}  a.tar.gz\n{digest.upper()} *b.zip\n", "S"),
                         {"a.tar.gz": digest, "b.zip": digest})


if __name__ == "__main__":
    unittest.main()
