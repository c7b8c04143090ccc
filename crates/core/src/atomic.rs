//! Atomic file writes: outputs and baselines are either the old file or the whole new
//! one, never a torn mix, even if the process dies mid-write.
//!
//! What is at the target decides how it is written:
//! - nothing: a new file, created with mode `0666` less the umask (like `touch`);
//! - a regular file (or a symbolic link to one): a temporary file in the same folder,
//!   given the old file's mode (and owner, when allowed), synced, then renamed over
//!   it. A link stays a link; the file it points to is replaced;
//! - a character device or a pipe (`/dev/null`, `/dev/stdout`, `/dev/fd/N` from a
//!   shell's `>(...)`): written through, never replaced, since naming one can only
//!   mean "send it there". The open does not block: a named pipe with no reader is an
//!   error at once, not a hang;
//! - anything else (a folder, a socket, a block device, a dangling link): refused.
//!
//! Several files that must change together go through [`crate::staging::Staging`].

use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::fcntl::{FcntlArg, OFlag, fcntl};
use tempfile::NamedTempFile;

use crate::error::WriteError;

/// Writes `bytes` to `path` as the module header says. Creates missing parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, bytes, |_| {})
}

/// [`write_atomic`], calling `before_rename` with the temporary file's path once it is
/// written and synced, just before it replaces the target (not called when the target
/// is written through). Tests use it to simulate a crash at the worst moment.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path),
) -> Result<(), WriteError> {
    prepare(path)?.commit_with(bytes, before_rename)
}

/// A write that has opened its destination and written nothing yet: a temporary file
/// beside the target (with the old file's mode), or the device or pipe itself. A run
/// prepares every output first, so it knows which ones cannot be written before it
/// decides what they all say; dropping it leaves the target as it was.
#[derive(Debug)]
pub struct Prepared {
    path: PathBuf,
    how: Opened,
}

#[derive(Debug)]
enum Opened {
    Through(File),
    Replace { real: PathBuf, tmp: NamedTempFile },
}

/// Opens `path` for a [`write_atomic`]: every refusal (a folder, a socket, a dangling
/// link, a pipe nobody reads) and every failure to create the temporary file (no
/// permission, a read-only folder) happens here.
pub fn prepare(path: &Path) -> Result<Prepared, WriteError> {
    let err = |source| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let how = match inspect(path).map_err(err)? {
        Target::WriteThrough => Opened::Through(open_through(path).map_err(err)?),
        Target::File { real, old } => {
            let tmp = create_temporary(&real, old.as_ref()).map_err(err)?;
            Opened::Replace { real, tmp }
        }
    };
    Ok(Prepared {
        path: path.to_path_buf(),
        how,
    })
}

impl Prepared {
    /// The target, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the target is a device or pipe written in place: what is written there
    /// cannot be taken back, and a failure (a full device) shows only when written.
    pub fn writes_through(&self) -> bool {
        matches!(self.how, Opened::Through(_))
    }

    /// Writes `bytes` and puts them in place (synced, then renamed over the target).
    pub fn commit(self, bytes: &[u8]) -> Result<(), WriteError> {
        self.commit_with(bytes, |_| {})
    }

    fn commit_with(
        self,
        bytes: &[u8],
        before_rename: impl FnOnce(&Path),
    ) -> Result<(), WriteError> {
        let path = self.path;
        let err = |source| WriteError {
            path: path.clone(),
            source,
        };
        match self.how {
            Opened::Through(mut file) => file
                .write_all(bytes)
                .and_then(|()| file.flush())
                .map_err(err),
            Opened::Replace { real, mut tmp } => {
                tmp.write_all(bytes).map_err(err)?;
                tmp.as_file().sync_all().map_err(err)?;
                before_rename(tmp.path());
                tmp.persist(&real).map_err(|e| err(e.error))?;
                Ok(())
            }
        }
    }
}

/// What a write finds at its target.
pub(crate) enum Target {
    /// A device or pipe, written through in place.
    WriteThrough,
    /// A regular file to replace (`old` is its metadata) or to create (`old` is none).
    /// `real` is the path with symbolic links resolved, so a link survives.
    File {
        /// Where the new file goes.
        real: PathBuf,
        /// The file it replaces, if any.
        old: Option<Metadata>,
    },
}

/// Looks at the target without touching it; errors say why it cannot be written.
pub(crate) fn inspect(path: &Path) -> io::Result<Target> {
    let link = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Target::File {
                real: path.to_path_buf(),
                old: None,
            });
        }
        Err(e) => return Err(e),
    };
    let meta = if link.file_type().is_symlink() {
        std::fs::metadata(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => refusal("is a symbolic link to nothing"),
            _ => e,
        })?
    } else {
        link.clone()
    };
    let kind = meta.file_type();
    if kind.is_file() {
        let real = if link.file_type().is_symlink() {
            std::fs::canonicalize(path)?
        } else {
            path.to_path_buf()
        };
        return Ok(Target::File {
            real,
            old: Some(meta),
        });
    }
    if kind.is_char_device() || kind.is_fifo() {
        return Ok(Target::WriteThrough);
    }
    let what = if kind.is_dir() {
        "a directory"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "not a regular file"
    };
    Err(refusal(&format!(
        "is {what}; refusing to replace it (name a file, a character device or a pipe)"
    )))
}

/// An error that is a refusal, not an operating-system failure.
pub(crate) fn refusal(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_string())
}

/// Writes `bytes` into a synced temporary file beside `real`, with the mode (and, when
/// allowed, the owner) of `old`, or `0666` less the umask for a new file.
pub(crate) fn write_temporary(
    real: &Path,
    old: Option<&Metadata>,
    bytes: &[u8],
) -> io::Result<NamedTempFile> {
    let mut tmp = create_temporary(real, old)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// An empty temporary file beside `real`, with the mode (and, when allowed, the owner)
/// of `old`, or `0666` less the umask for a new file. Creates missing parent folders.
fn create_temporary(real: &Path, old: Option<&Metadata>) -> io::Result<NamedTempFile> {
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)?;
    // open(2) applies the umask to this mode, as it would for a plain new file.
    let tmp = tempfile::Builder::new()
        .prefix(".safety-gate-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(parent)?;
    if let Some(old) = old {
        keep_owner_and_mode(tmp.as_file(), old)?;
    }
    Ok(tmp)
}

/// Gives `file` the owner (when this process may) and then the exact mode of `old`;
/// the mode is set after the owner because a change of owner clears set-id bits.
fn keep_owner_and_mode(file: &File, old: &Metadata) -> io::Result<()> {
    let new = file.metadata()?;
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        // Only root may give a file away; anyone else's replacement is theirs, as
        // with any editor's save.
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    file.set_permissions(Permissions::from_mode(old.mode() & 0o7777))
}

/// Opens a device or pipe to write into it in place. The open does not wait for a
/// reader.
fn open_through(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .custom_flags(OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == nix::errno::Errno::ENXIO as i32 => {
                refusal("is a named pipe that nobody reads")
            }
            _ => e,
        })?;
    // Back to blocking writes: a slow reader is waited for, like any shell redirect.
    fcntl(&file, FcntlArg::F_SETFL(OFlag::empty())).map_err(io::Error::from)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("stat").mode() & 0o7777
    }

    #[test]
    fn a_prepared_write_refuses_early_and_changes_nothing_until_committed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = prepare(dir.path()).expect_err("a folder");
        assert!(err.to_string().contains("is a directory"), "{err}");
        let target = dir.path().join("out.json");
        std::fs::write(&target, b"old").expect("write");
        let prepared = prepare(&target).expect("opens");
        assert_eq!(std::fs::read(&target).expect("read"), b"old");
        drop(prepared);
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("ls").count(),
            1,
            "no temp left"
        );
        prepare(&target)
            .expect("opens")
            .commit(b"new")
            .expect("commits");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        let full = prepare(Path::new("/dev/full")).expect("a device opens");
        assert!(full.writes_through());
        assert!(
            full.commit(b"x").is_err(),
            "a full device fails when written"
        );
    }

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("sub/out.json");
        write_atomic(&target, b"old").expect("first write");
        write_atomic(&target, b"new").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        let leftovers = std::fs::read_dir(dir.path().join("sub"))
            .expect("ls")
            .count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        for wanted in [0o644, 0o600, 0o664, 0o755, 0o400] {
            let target = dir.path().join(format!("f{wanted:o}"));
            std::fs::write(&target, "old").expect("write");
            std::fs::set_permissions(&target, Permissions::from_mode(wanted)).expect("chmod");
            write_atomic(&target, b"new").expect("replace");
            assert_eq!(mode(&target), wanted, "{wanted:o}");
            assert_eq!(std::fs::read(&target).expect("read"), b"new");
        }
    }

    #[test]
    fn a_new_file_gets_0666_less_the_umask() {
        // The umask of this process, read back from a file made by plain open(2).
        let dir = tempfile::tempdir().expect("tempdir");
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").expect("probe");
        let expected = mode(&probe);
        let target = dir.path().join("new.json");
        write_atomic(&target, b"{}").expect("write");
        assert_eq!(mode(&target), expected);
    }

    #[test]
    fn a_symbolic_link_stays_a_link_to_the_new_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").expect("write");
        std::fs::set_permissions(&real, Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).expect("link");
        write_atomic(&link, b"new").expect("write");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("lstat")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).expect("read"), b"new");
        assert_eq!(mode(&real), 0o640);
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("nowhere", &dangling).expect("link");
        let err = write_atomic(&dangling, b"x").expect_err("dangling");
        assert!(
            err.to_string().contains("symbolic link to nothing"),
            "{err}"
        );
    }

    /// A character device like /dev/null: a fresh one in `dir` when this process may
    /// make devices (so a regression cannot replace the machine's own), else
    /// /dev/null itself, which a process that may not make devices cannot replace.
    pub(crate) fn null_device(dir: &Path) -> PathBuf {
        use nix::sys::stat::{Mode, SFlag, makedev, mknod};
        let path = dir.join("null");
        match mknod(
            &path,
            SFlag::S_IFCHR,
            Mode::from_bits_truncate(0o666),
            makedev(1, 3),
        ) {
            Ok(()) => path,
            Err(_) => PathBuf::from("/dev/null"),
        }
    }

    #[test]
    fn a_character_device_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let device = null_device(dir.path());
        write_atomic(&device, b"report").expect("write through");
        let meta = std::fs::symlink_metadata(&device).expect("stat");
        assert!(
            meta.file_type().is_char_device(),
            "{} was replaced",
            device.display()
        );
    }

    #[test]
    fn a_pipe_with_a_reader_receives_the_bytes_and_without_one_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600))
            .expect("mkfifo");
        let err = write_atomic(&fifo, b"x").expect_err("no reader");
        assert!(err.to_string().contains("nobody reads"), "{err}");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).expect("read fifo"))
        };
        // Retry until the reader thread has opened its end.
        let mut written = false;
        for _ in 0..500 {
            if write_atomic(&fifo, b"through").is_ok() {
                written = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(written, "the reader never showed up");
        assert_eq!(reader.join().expect("reader"), b"through");
        assert!(
            std::fs::symlink_metadata(&fifo)
                .expect("lstat")
                .file_type()
                .is_fifo()
        );
    }

    #[test]
    fn directories_and_sockets_are_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("taken")).expect("mkdir");
        let err = write_atomic(&dir.path().join("taken"), b"x").expect_err("dir in the way");
        let text = err.to_string();
        assert!(
            text.contains("taken") && text.contains("is a directory"),
            "{text}"
        );
        let socket = dir.path().join("sock");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
        let err = write_atomic(&socket, b"x").expect_err("socket");
        assert!(err.to_string().contains("is a socket"), "{err}");
        assert!(
            std::fs::symlink_metadata(&socket)
                .expect("lstat")
                .file_type()
                .is_socket()
        );
    }
}
