//! Baseline handling of the characterization gate: the golden baselines and the
//! expected-tests manifest are its baselines; `baseline accept` promotes the current
//! golden outputs and rewrites the manifest from the current reports, but only from
//! inputs the gate can read and from a green run.

use std::path::{Path, PathBuf};

use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::inputs::{expand, parse_json, read_text};
use safety_gate_core::{InputError, RunContext};

use crate::config::{CharacterizationConfig, GoldenFormat};
use crate::golden::jsonl::parse_jsonl;
use crate::golden::nonfinite::rewrite;
use crate::junit::Tally;
use crate::manifest::render_manifest;
use crate::rules::{blocks_a_manifest, rule_checks};
use crate::strictness::Severity;

/// The golden baselines and the manifest, for `--baseline-ref`.
pub(crate) fn baseline_files(config: &mut CharacterizationConfig) -> Vec<&mut PathBuf> {
    // A pair's check id defaults to its baseline path: pin it before the path is
    // pointed at a git ref's copy, so the id stays the same (waivers, history).
    for pair in &mut config.golden {
        pair.name = Some(pair.label());
    }
    let mut files: Vec<&mut PathBuf> = config.golden.iter_mut().map(|g| &mut g.baseline).collect();
    files.extend(config.expected.as_mut());
    files
}

/// The manifest rewritten from the current reports, and the current golden outputs.
pub(crate) fn accept(
    config: &CharacterizationConfig,
    ctx: &RunContext,
) -> Result<Vec<BaselineUpdate>, InputError> {
    let mut updates = Vec::new();
    if let Some(manifest) = &config.expected {
        updates.push(manifest_update(config, manifest, ctx)?);
    }
    for pair in &config.golden {
        // Promote only what the gate can read back: UTF-8 text that parses.
        let text = read_text(&pair.current, ctx.limits.max_bytes())?;
        match pair.effective_format() {
            GoldenFormat::Json => parse_json(&pair.current, &rewrite(&text)).map(drop)?,
            GoldenFormat::Jsonl => {
                let strict = config.effective_rules().jsonl == Severity::Fail;
                parse_jsonl(&pair.current, &text, strict).map(drop)?
            }
        }
        updates.push(BaselineUpdate {
            target: pair.baseline.clone(),
            source: pair.current.display().to_string(),
            contents: text.into_bytes(),
        });
    }
    Ok(updates)
}

/// The manifest of the tests that ran in the current reports, refused unless every
/// rule other than the manifest's own passes: a skipped or failing test must not
/// become the new expectation.
fn manifest_update(
    config: &CharacterizationConfig,
    manifest: &Path,
    ctx: &RunContext,
) -> Result<BaselineUpdate, InputError> {
    let mut tally = Tally::new(&[], true)
        .with_reruns(config.reruns)
        .with_max_bytes(ctx.limits.streamed());
    let mut sources = Vec::new();
    for pattern in &config.results {
        for file in expand(pattern, Path::new(""))? {
            tally.add_file(&file)?;
            sources.push(file);
        }
    }
    let red: Vec<String> = rule_checks(&tally, &config.effective_rules(), None)
        .into_iter()
        .filter(blocks_a_manifest)
        .map(|c| c.id)
        .collect();
    if sources.is_empty() || !red.is_empty() {
        return Err(InputError::malformed(
            manifest,
            None,
            None,
            format!(
                "not accepted: the JUnit reports of gate `{}` are not green ({}); fix the run first",
                config.name,
                if red.is_empty() {
                    "no report".to_string()
                } else {
                    red.join(", ")
                }
            ),
        ));
    }
    let ids = tally
        .ran_ids()
        .map(|s| s.iter().collect::<Vec<_>>())
        .unwrap_or_default();
    Ok(BaselineUpdate {
        target: manifest.to_path_buf(),
        source: BaselineUpdate::sources(&sources),
        contents: render_manifest(ids).into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::GoldenConfig;

    fn repo(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../..")
            .join(rel)
    }

    fn config(results: &str) -> CharacterizationConfig {
        CharacterizationConfig {
            name: "demo".into(),
            mode: Default::default(),
            strict: true,
            rules: Default::default(),
            reruns: Default::default(),
            results: vec![repo(results).display().to_string()],
            expected: Some(PathBuf::from("expected-tests.txt")),
            write_expected: None,
            golden: vec![GoldenConfig {
                name: None,
                baseline: PathBuf::from("events.jsonl"),
                current: repo("fixtures/demo/characterization/regressed/events.jsonl"),
                format: None,
                tolerances: Vec::new(),
                ignore: Vec::new(),
            }],
            rollback: Default::default(),
            run: None,
        }
    }

    #[test]
    fn green_run_promotes_manifest_and_golden_outputs() {
        let mut c = config("fixtures/demo/characterization/junit-*.xml");
        let updates = accept(&c, &RunContext::default()).expect("green");
        let targets: Vec<&Path> = updates.iter().map(|u| u.target.as_path()).collect();
        assert_eq!(
            targets,
            [Path::new("expected-tests.txt"), Path::new("events.jsonl")]
        );
        let committed =
            std::fs::read(repo("baselines/characterization/expected-tests.txt")).expect("manifest");
        assert_eq!(updates[0].contents, committed);
        let label = c.golden[0].label();
        for path in baseline_files(&mut c) {
            *path = PathBuf::from("/elsewhere/copy");
        }
        assert_eq!(
            c.golden[0].label(),
            label,
            "the check id survives a redirect"
        );
    }

    #[test]
    fn red_run_is_not_accepted() {
        let c = config("fixtures/demo/characterization/regressed/junit-*.xml");
        let err = accept(&c, &RunContext::default()).expect_err("a skip is not a baseline");
        assert!(err.to_string().contains("not green (no-skips)"), "{err}");
    }

    #[test]
    fn unreadable_golden_output_is_not_promoted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = config("fixtures/demo/characterization/junit-*.xml");
        c.expected = None;
        for (bytes, why) in [
            (b"{\"a\": 1,".as_slice(), "events.jsonl:1"),
            (b"{\"a\": \"\xff\"}\n".as_slice(), "UTF-8"),
        ] {
            let current = dir.path().join("events.jsonl");
            std::fs::write(&current, bytes).expect("write");
            c.golden[0].current = current;
            let err = accept(&c, &RunContext::default())
                .expect_err("not promoted")
                .to_string();
            assert!(err.contains(why), "{err}");
        }
    }
}
