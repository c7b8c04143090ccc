//! Baselines named by globs under `--baseline-ref`: the saved snapshots and released
//! schemas of a snapshot gate are files a pattern matches, not one path. What each
//! pattern matches is listed at the ref, not in the working tree, and those files are
//! copied out of the ref; the gate then reads exactly them. A released schema the
//! change rewrites to fit its own breaking schema, or a saved snapshot it edits or
//! deletes, is therefore not the one judged.

use globset::Glob;
use safety_gate_core::baselines::RefFile;
use safety_gate_core::config::normalize;
use safety_gate_core::inputs::{expand, is_glob, literal_prefix, read_bytes};
use std::path::{Path, PathBuf};

use crate::git;

/// What one pattern named at the ref, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedGlob {
    /// The pattern as the gate resolved it.
    pub pattern: String,
    /// The pattern relative to the repository's top folder.
    pub relative: String,
    /// How many files the ref has that it matches.
    pub files: usize,
    /// Those whose working-tree copy differs or is missing, repository-relative.
    pub differ: Vec<String>,
    /// Files it matches in the working tree that the ref does not have.
    pub extra: Vec<String>,
}

/// Lists the files `pattern` (resolved, absolute) matches at `refname`, copies each
/// into `into` under its repository-relative path, and returns them with the summary.
/// A pattern matching nothing at the ref yields no file (the gate reports it).
pub fn read_at_ref(
    pattern: &str,
    refname: &str,
    into: &Path,
    max_bytes: u64,
) -> Result<(Vec<RefFile>, PinnedGlob), String> {
    let text = pattern.replace('\\', "/");
    let prefix = literal_prefix(&text);
    let (top, rel_prefix) = locate_folder(&prefix)?;
    let rest = text
        .strip_prefix(&prefix.to_string_lossy().replace('\\', "/"))
        .unwrap_or(&text)
        .trim_start_matches('/');
    let relative = join(&rel_prefix, rest);
    let commit = resolve_commit(refname, &top)?;
    let failed = |e: String| format!("failed to list {pattern} at {refname}: {e}");
    let mut args = vec!["ls-tree", "-r", "-z", "--name-only", commit.as_str()];
    if !rel_prefix.is_empty() {
        args.extend(["--", rel_prefix.as_str()]);
    }
    let listing = git::git(&args, &top).map_err(failed)?;
    let matcher = Glob::new(&relative)
        .map_err(|e| format!("invalid glob {pattern}: {e}"))?
        .compile_matcher();
    let mut files = Vec::new();
    let mut differ = Vec::new();
    for name in listing.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let matched = if is_glob(&relative) {
            matcher.is_match(&name)
        } else {
            name == relative
        };
        if !matched {
            continue;
        }
        let spec = format!("{commit}:{name}");
        let bytes = git::git(&["cat-file", "blob", &spec], &top)
            .map_err(|e| format!("failed to read {name} from {refname}: {e}"))?;
        let inside = name
            .strip_prefix(&rel_prefix)
            .unwrap_or(&name)
            .trim_start_matches('/');
        let path = prefix.join(inside);
        let copy = into.join(&name);
        if let Some(parent) = copy.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("failed to create {}: {e}", parent.display()))?;
        }
        std::fs::write(&copy, &bytes)
            .map_err(|e| format!("failed to write {}: {e}", copy.display()))?;
        if read_bytes(&path, max_bytes).map_or(true, |local| local != bytes) {
            differ.push(name.clone());
        }
        files.push(RefFile { path, copy });
    }
    let named: Vec<PathBuf> = files.iter().map(|f| normalize(&f.path)).collect();
    let extra = expand(pattern, Path::new(""))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.is_file() && !named.contains(&normalize(p)))
        .map(|p| {
            let inside = p.strip_prefix(&prefix).unwrap_or(&p).to_path_buf();
            join(&rel_prefix, &inside.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    let summary = PinnedGlob {
        pattern: pattern.to_string(),
        relative,
        files: files.len(),
        differ,
        extra,
    };
    Ok((files, summary))
}

/// The full commit id `refname` names, so that nothing later reads it as an option.
fn resolve_commit(refname: &str, top: &Path) -> Result<String, String> {
    let spec = format!("{refname}^{{commit}}");
    git::git_line(&["rev-parse", "--verify", "--quiet", &spec], top)
        .ok()
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| format!("{refname} does not name a commit in {}", top.display()))
}

/// `a/b` from `a` and `b`, either of which may be empty.
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

/// The repository holding `folder` and the folder relative to its top (empty for the
/// top itself), `/`-separated. The folder need not exist in the working tree.
fn locate_folder(folder: &Path) -> Result<(PathBuf, String), String> {
    let (top, rel) = crate::baseline_ref::locate(&folder.join("_"), "baseline")?;
    let rel = rel.strip_suffix("_").unwrap_or(&rel).trim_end_matches('/');
    Ok((top, rel.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::git::git_in_test as git;

    #[test]
    fn a_pattern_names_what_the_ref_has_not_what_the_working_tree_has() {
        let repo = tempfile::tempdir().expect("tempdir");
        let root = repo.path().canonicalize().expect("canonical");
        let write = |name: &str, text: &str| {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("schemas/v1.json", "{\"type\": \"object\"}");
        write("schemas/v2.json", "{}");
        write("schemas/notes.txt", "not a schema");
        write("top.json", "[]");
        git(&root, &["init", "-q"]);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "released"]);
        // The change rewrites one released schema, deletes another and adds a third.
        write("schemas/v1.json", "{\"type\": \"array\"}");
        std::fs::remove_file(root.join("schemas/v2.json")).expect("rm");
        write("schemas/v3.json", "{}");

        let into = tempfile::tempdir().expect("tempdir");
        let pattern = root.join("schemas/*.json").to_string_lossy().into_owned();
        let (files, summary) =
            read_at_ref(&pattern, "HEAD", into.path(), u64::MAX).expect("listed");
        let named: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            named,
            [root.join("schemas/v1.json"), root.join("schemas/v2.json")]
        );
        let read = std::fs::read_to_string(&files[0].copy).expect("copy");
        assert_eq!(read, "{\"type\": \"object\"}");
        assert_eq!(summary.relative, "schemas/*.json");
        assert_eq!(summary.differ, ["schemas/v1.json", "schemas/v2.json"]);
        assert_eq!(summary.extra, ["schemas/v3.json"]);

        // A pattern at the top folder (`*` crosses folders, as in the working tree), a
        // plain path, and one the ref has nothing for.
        let top = root.join("*.json").to_string_lossy().into_owned();
        let (files, _) = read_at_ref(&top, "HEAD", into.path(), u64::MAX).expect("top");
        let named: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        let in_tree = expand(&top, Path::new("")).expect("working tree");
        assert_eq!(named.len(), 3, "{named:?}");
        assert!(named.contains(&root.join("top.json")), "{named:?}");
        assert!(
            in_tree.contains(&root.join("schemas/v3.json")),
            "{in_tree:?}"
        );
        let plain = root.join("schemas/v2.json").to_string_lossy().into_owned();
        let (files, _) = read_at_ref(&plain, "HEAD", into.path(), u64::MAX).expect("plain");
        assert_eq!(files.len(), 1);
        let none = root.join("released/*.json").to_string_lossy().into_owned();
        let (files, summary) = read_at_ref(&none, "HEAD", into.path(), u64::MAX).expect("none");
        assert!(files.is_empty() && summary.files == 0);

        let err = read_at_ref(&pattern, "--output=x", into.path(), u64::MAX).expect_err("option");
        assert!(err.contains("does not name a commit"), "{err}");
    }
}
