//! From the URIs and file names tools write to the paths findings are matched on:
//! `/`-separated and relative to the folder the tool ran in, so a baseline made on one
//! machine matches results made on another.
//!
//! A relative URI is kept as written (SARIF's `%SRCROOT%` convention). An absolute one
//! (`file:///home/ci/repo/src/app.py`, ruff's `/home/ci/repo/src/app.py`) loses the
//! first root it lies below: the configured root (the config file's folder by
//! default), then the run's declared base URIs and working directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folders absolute paths are made relative to, most preferred first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roots {
    roots: Vec<String>,
}

impl Roots {
    /// The configured root, as given and as the file system resolves it.
    pub fn new(root: &Path) -> Self {
        let mut roots = Roots::default();
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        if let Ok(real) = std::fs::canonicalize(root) {
            roots.push(&real.to_string_lossy());
        }
        if root.is_absolute() {
            roots.push(&root.to_string_lossy());
        }
        roots
    }

    /// These roots, then `more` (a run's own bases), outermost first so that a path
    /// keeps the most of itself.
    pub fn with(&self, more: impl IntoIterator<Item = String>) -> Roots {
        let mut roots = self.clone();
        let mut more: Vec<String> = more.into_iter().map(|r| clean(&r)).collect();
        more.sort_by_key(|r| (r.len(), r.clone()));
        for root in more {
            roots.push(&root);
        }
        roots
    }

    fn push(&mut self, root: &str) {
        let root = clean(root);
        if root.starts_with('/') && !self.roots.contains(&root) {
            self.roots.push(root);
        }
    }

    /// `path` relative to the first root it lies below, or as is.
    pub fn relative(&self, path: &str) -> String {
        let path = clean(path);
        for root in &self.roots {
            let prefix = if root.ends_with('/') {
                root.clone()
            } else {
                format!("{root}/")
            };
            if let Some(rest) = path.strip_prefix(&prefix) {
                return rest.to_string();
            }
        }
        path
    }
}

/// The path a URI names: `file:` scheme and host dropped, percent escapes decoded,
/// joined onto its base (`uriBaseId`, through the run's `originalUriBaseIds`) when that
/// is declared, with `.` and `..` folded. URIs of other schemes are kept whole.
pub fn uri_path(
    uri: &str,
    base_id: Option<&str>,
    bases: &BTreeMap<String, (Option<String>, Option<String>)>,
) -> String {
    let path = file_part(uri);
    if path.starts_with('/') || has_scheme(&path) {
        return clean(&path);
    }
    let mut full = path;
    let mut next = base_id.map(str::to_string);
    // Bases may chain; a cycle or a long chain stops at the last base reached.
    for _ in 0..8 {
        let Some(id) = next.take() else { break };
        let Some((Some(base), parent)) = bases.get(&id) else {
            break;
        };
        let base = file_part(base);
        full = if base.is_empty() {
            full
        } else {
            format!("{}/{full}", base.trim_end_matches('/'))
        };
        if full.starts_with('/') || has_scheme(&full) {
            break;
        }
        next = parent.clone();
    }
    clean(&full)
}

/// The declared base URIs of a run that are absolute folders, for [`Roots::with`].
pub fn absolute_bases(
    bases: &BTreeMap<String, (Option<String>, Option<String>)>,
) -> impl Iterator<Item = String> + '_ {
    bases
        .keys()
        .map(|id| uri_path("", Some(id), bases))
        .filter(|p| p.starts_with('/'))
}

/// A URI's path as text: `file://host/x` and `file:///x` become `/x`, a Windows drive
/// (`file:///C:/x`) becomes `C:/x`, and percent escapes are decoded.
fn file_part(uri: &str) -> String {
    let decoded = percent_decode(uri);
    let Some(rest) = decoded
        .strip_prefix("file://")
        .or_else(|| decoded.strip_prefix("file:").filter(|r| r.starts_with('/')))
    else {
        return decoded;
    };
    // `file://host/path`: the host (often empty or `localhost`) is not part of the path.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.find('/').map_or("", |i| &rest[i..])
    };
    let bytes = path.as_bytes();
    if bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':' {
        return path[1..].to_string();
    }
    path.to_string()
}

/// Whether text starts with a URI scheme other than a Windows drive letter.
fn has_scheme(text: &str) -> bool {
    match text.find(':') {
        Some(i) if i > 1 => text[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// Decodes `%XX` escapes; text whose escapes do not decode to UTF-8 is kept as is.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Encodes a path as a relative or `file:` URI: characters outside RFC 3986's
/// unreserved and path sets become `%XX`.
pub fn to_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    } else if has_scheme(path) || path.as_bytes().get(1) == Some(&b':') {
        out.push_str("file:///");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/`-separated, `.` and `..` folded, no trailing `/` (except the root itself).
fn clean(path: &str) -> String {
    let unified = path.replace('\\', "/");
    if has_scheme(&unified) {
        return unified;
    }
    let folded = safety_gate_core::config::normalize(&PathBuf::from(&unified));
    let text = folded.to_string_lossy().replace('\\', "/");
    if text == "." { String::new() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases(
        pairs: &[(&str, &str, Option<&str>)],
    ) -> BTreeMap<String, (Option<String>, Option<String>)> {
        pairs
            .iter()
            .map(|(id, uri, parent)| {
                (
                    id.to_string(),
                    (Some(uri.to_string()), parent.map(str::to_string)),
                )
            })
            .collect()
    }

    #[test]
    fn uris_become_paths() {
        let none = BTreeMap::new();
        assert_eq!(uri_path("src/app.py", None, &none), "src/app.py");
        assert_eq!(uri_path("./src/../app.py", None, &none), "app.py");
        assert_eq!(
            uri_path("file:///home/ci/my%20repo/app.py", None, &none),
            "/home/ci/my repo/app.py"
        );
        assert_eq!(
            uri_path("file://localhost/srv/app.py", None, &none),
            "/srv/app.py"
        );
        assert_eq!(
            uri_path("file:///C:/repo/app.py", None, &none),
            "C:/repo/app.py"
        );
        assert_eq!(uri_path("src\\app.py", None, &none), "src/app.py");
        assert_eq!(
            uri_path("https://x.org/a.py", None, &none),
            "https://x.org/a.py"
        );
        assert_eq!(uri_path("bad%zzescape.py", None, &none), "bad%zzescape.py");
    }

    #[test]
    fn declared_bases_chain_and_undeclared_ones_keep_the_uri() {
        let b = bases(&[
            ("SRCROOT", "file:///home/ci/repo/", None),
            ("SRC", "src/", Some("SRCROOT")),
            ("LOOP", "x/", Some("LOOP")),
        ]);
        assert_eq!(
            uri_path("app.py", Some("SRC"), &b),
            "/home/ci/repo/src/app.py"
        );
        assert_eq!(uri_path("app.py", Some("%SRCROOT%"), &b), "app.py");
        assert_eq!(uri_path("a.py", Some("LOOP"), &b), "x/x/x/x/x/x/x/x/a.py");
        let roots = Roots::default().with(absolute_bases(&b));
        assert_eq!(roots.relative("/home/ci/repo/src/app.py"), "src/app.py");
    }

    #[test]
    fn the_configured_root_wins_over_a_runs_own_bases() {
        let roots = Roots::new(Path::new("/home/ci/repo")).with(["/home/ci/repo/src".to_string()]);
        assert_eq!(roots.relative("/home/ci/repo/src/app.py"), "src/app.py");
        assert_eq!(roots.relative("/elsewhere/app.py"), "/elsewhere/app.py");
        assert_eq!(
            roots.relative("/home/ci/repository/app.py"),
            "/home/ci/repository/app.py"
        );
        assert_eq!(roots.relative("rel/app.py"), "rel/app.py");
    }

    #[test]
    fn paths_round_trip_through_uris() {
        let none = BTreeMap::new();
        for path in [
            "src/app.py",
            "my dir/ä#1?.py",
            "/abs/x%y.py",
            "C:/repo/a.py",
            "c:odd",
        ] {
            assert_eq!(
                uri_path(&to_uri(path), None, &none),
                path,
                "{}",
                to_uri(path)
            );
        }
        assert_eq!(to_uri("/abs/a b.py"), "file:///abs/a%20b.py");
    }
}
