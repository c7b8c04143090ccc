//! Shared configuration pieces: loading TOML with positions in errors, and resolving
//! paths against the config file's folder. What a gate's table must provide is
//! [`crate::gate::GateConfig`].

use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

use crate::error::{ConfigError, InputError};
use crate::inputs;

/// Largest config file read (1 MiB).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads and deserializes a TOML file. Syntax errors and unknown keys name the file,
/// the line and the column.
pub fn load_toml<T: DeserializeOwned>(path: &Path) -> Result<T, ConfigError> {
    let text = inputs::read_text(path, MAX_CONFIG_BYTES)?;
    parse_toml(path, &text)
}

/// Deserializes TOML text read from `path`.
pub fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = inputs::line_column(text.as_bytes(), span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let message = crate::hints::for_message(e.message().trim_end());
        ConfigError::Input(InputError::malformed(path, line, column, message))
    })
}

/// Joins `path` onto `base` unless it is already absolute, then folds `.` and `..`
/// components lexically so reports show `baselines/x.json`, not `a/../../baselines/x.json`.
pub fn resolve(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    normalize(&joined)
}

/// [`resolve`] for a path or glob given as text: joined onto `base` unless absolute, with
/// `.` and `..` folded so reports show clean relative paths. Globs keep `/` separators,
/// which is what they match against.
pub fn resolve_pattern(base: &Path, pattern: &str) -> String {
    let joined = resolve(base, Path::new(pattern))
        .to_string_lossy()
        .into_owned();
    if inputs::is_glob(pattern) {
        joined.replace('\\', "/")
    } else {
        joined
    }
}

/// Folds `.` and `..` without touching the file system; a leading `..` that cannot be
/// folded is kept.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) => {}
                _ => out.push(part),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            resolve(Path::new("fixtures/demo"), Path::new("../../b/x.json")),
            PathBuf::from("b/x.json")
        );
        assert_eq!(
            resolve(Path::new(""), Path::new("./a/./b")),
            PathBuf::from("a/b")
        );
        assert_eq!(
            resolve(Path::new("a"), Path::new("../../x")),
            PathBuf::from("../x")
        );
        assert_eq!(
            resolve(Path::new("a"), Path::new("/abs/x")),
            PathBuf::from("/abs/x")
        );
    }

    #[test]
    fn patterns_resolve_like_paths() {
        assert_eq!(
            resolve_pattern(Path::new("/repo"), "./out/*.sarif"),
            "/repo/out/*.sarif"
        );
        assert_eq!(resolve_pattern(Path::new("a/b"), "../x.json"), "a/x.json");
        assert_eq!(
            resolve_pattern(Path::new("/repo"), "/abs/*.xml"),
            "/abs/*.xml"
        );
    }

    #[test]
    fn unknown_keys_are_named_with_position() {
        let err = parse_toml::<Sample>(Path::new("c.toml"), "name = \"a\"\nthreshhold = 1\n")
            .expect_err("unknown key");
        let text = err.to_string();
        assert!(text.starts_with("c.toml:2:1"), "{text}");
        assert!(text.contains("threshhold"), "{text}");
    }
}
