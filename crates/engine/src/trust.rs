//! The trust boundary of `--baseline-ref`: baselines, waivers and every gate's settings
//! come from the trusted ref; the change under test brings only its results.
//!
//! The config and the waivers file are read at the ref (the same paths in the
//! repository) and compared with the working tree's. Each thing the change loosens (a
//! waiver added or held longer, a gate removed, a mode weakened, a threshold raised, a
//! metric, golden pair or expected-tests manifest dropped, a tolerance or ignore added,
//! a different producer... see each gate's [`safety_gate_core::Gate::loosenings`]) is
//! a failing check of the bookkeeping gate `trust/<REF>`, and the gates are judged
//! with the ref's settings. With `--allow-loosening` (a maintainer's approval, e.g. a
//! pull-request label) each is a warning instead and the change's own settings are
//! judged. A gate the change adds is judged with its own settings and reported as a
//! warning. Report paths, `jobs` and `max_input_size` are not verdict settings: the
//! change's are used.

use safety_gate_core::{Check, GateReport, Instance, Loosening, Status};
use std::path::{Path, PathBuf};

use crate::baseline_ref::file_at_ref;
use crate::config::{self, Config};
use crate::waivers::{self, WaiverFile};

/// What `--baseline-ref` asks of the config and waivers.
#[derive(Debug, Clone)]
pub struct TrustOptions<'a> {
    /// The trusted ref.
    pub refname: &'a str,
    /// A maintainer allowed the change to loosen settings.
    pub allow_loosening: bool,
    /// The config file in the working tree.
    pub config_path: &'a Path,
    /// The waivers file in the working tree (the default path when none was given).
    pub waivers_path: &'a Path,
}

/// The waivers a run applies: where they come from (for messages), and the file or why
/// it could not be read.
#[derive(Debug)]
pub struct Waivers {
    /// `path`, or `REF:path` for the ref's file.
    pub source: String,
    /// The file shown in locations.
    pub path: PathBuf,
    /// The waivers, or the error reading them.
    pub file: Result<WaiverFile, String>,
}

/// The settled config and waivers, and the report on what the change loosens.
#[derive(Debug)]
pub struct Settled {
    /// The config to judge with.
    pub config: Config,
    /// The waivers to apply, when there are any.
    pub waivers: Option<Waivers>,
    /// The bookkeeping gate `trust/<REF>`.
    pub report: GateReport,
}

/// Settles what a run judges with against `options.refname`. Fails when the ref cannot
/// be read at all (not a commit, the config outside the repository, the ref's config
/// malformed): nothing then can be trusted.
pub fn settle(head: Config, options: &TrustOptions<'_>) -> Result<Settled, String> {
    let refname = options.refname;
    let mut trust = Trust {
        report: GateReport::bookkeeping("trust", refname),
        options,
    };
    let config = match file_at_ref(options.config_path, refname)? {
        None => {
            trust.loosened(
                "config",
                &format!(
                    "{refname} has no config at {}: every gate's settings are this change's own",
                    options.config_path.display()
                ),
                options.config_path,
            );
            head
        }
        Some(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                format!(
                    "{refname}:{} is not UTF-8 text",
                    options.config_path.display()
                )
            })?;
            let reference = config::parse(options.config_path, &text)
                .map_err(|e| format!("the config at {refname} cannot be read: {e}"))?;
            trust.compare(reference, head)
        }
    };
    let waivers = trust.waivers()?;
    if trust.report.checks.is_empty() {
        trust.report.push(
            Check::pass(
                "settings",
                format!(
                    "gates, settings and waivers are judged as {refname} has them; this change \
                     loosens none"
                ),
            )
            .with_file(options.config_path)
            .bookkeeping(),
        );
    }
    Ok(Settled {
        config,
        waivers,
        report: trust.report,
    })
}

struct Trust<'a> {
    report: GateReport,
    options: &'a TrustOptions<'a>,
}

impl Trust<'_> {
    /// Records one loosening: a failure, or a warning when a maintainer allowed it.
    fn loosened(&mut self, id: &str, what: &str, file: &Path) {
        let refname = self.options.refname;
        let (status, verdict) = if self.options.allow_loosening {
            (
                Status::Warn,
                "allowed by --allow-loosening: judged with this change's settings".to_string(),
            )
        } else {
            (
                Status::Fail,
                format!(
                    "judged with {refname}'s settings; a maintainer can allow it with \
                     --allow-loosening"
                ),
            )
        };
        self.report.push(
            Check::new(id, status, format!("{what}; {verdict}"))
                .with_file(file)
                .bookkeeping(),
        );
    }

    fn loosening(&mut self, label: &str, found: &Loosening, file: &Path) {
        let what = format!(
            "{label}: {} loosened by this change ({} in {}, {} here)",
            found.setting, found.was, self.options.refname, found.now
        );
        self.loosened(&format!("loosened:{label}:{}", found.setting), &what, file);
    }

    /// Compares the ref's gates with the change's and returns the config to judge with.
    fn compare(&mut self, mut reference: Config, head: Config) -> Config {
        let file = self.options.config_path;
        for was in reference.instances() {
            let label = was.label();
            match find(&head, was) {
                None => self.loosened(
                    &format!("removed:{label}"),
                    &format!("{label}: gate removed by this change"),
                    file,
                ),
                Some(now) => {
                    for found in now.loosenings_from(was).unwrap_or_default() {
                        self.loosening(&label, &found, file);
                    }
                }
            }
        }
        for now in head.instances() {
            if find(&reference, now).is_none() {
                let label = now.label();
                self.report.push(
                    Check::warn(
                        format!("added:{label}"),
                        format!(
                            "{label}: gate added by this change, judged with its own settings \
                             ({} has no such gate)",
                            self.options.refname
                        ),
                    )
                    .with_file(file)
                    .bookkeeping(),
                );
            }
        }
        if self.options.allow_loosening {
            return head;
        }
        // Settings that do not decide a verdict are the change's.
        reference.max_input_size = head.max_input_size;
        reference.jobs = head.jobs;
        reference.adopt_new(head);
        reference
    }

    /// Reads the waivers at the ref and in the working tree, reports the ones the change
    /// adds or holds longer, and returns the ones to apply.
    fn waivers(&mut self) -> Result<Option<Waivers>, String> {
        let (refname, path) = (self.options.refname, self.options.waivers_path);
        let at_ref = file_at_ref(path, refname)?.map(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| "not UTF-8 text".to_string())
                .and_then(|t| waivers::parse(path, &t).map_err(|e| e.to_string()))
        });
        let here = path
            .exists()
            .then(|| waivers::load(path).map_err(|e| e.to_string()));
        if let Some(Err(e)) = &here {
            self.report.push(
                Check::error(
                    "waivers",
                    format!("this change's waivers cannot be read, so what they waive cannot be told: {e}"),
                )
                .with_file(path)
                .bookkeeping(),
            );
        }
        let empty = WaiverFile { waiver: Vec::new() };
        if let Some(Ok(now)) = &here {
            let was = match &at_ref {
                Some(Ok(was)) => was,
                _ => &empty,
            };
            for found in waivers::loosenings(was, now) {
                let what = format!(
                    "{} by this change ({} in {refname}, {} here)",
                    found.setting, found.was, found.now
                );
                self.loosened(&format!("loosened:{}", found.setting), &what, path);
            }
        }
        let (source, file) = if self.options.allow_loosening {
            (path.display().to_string(), here)
        } else {
            (format!("{refname}:{}", path.display()), at_ref)
        };
        Ok(file.map(|file| Waivers {
            source,
            path: path.to_path_buf(),
            file,
        }))
    }
}

/// The instance of `config` with the kind and name of `like`.
fn find<'c>(config: &'c Config, like: &dyn Instance) -> Option<&'c dyn Instance> {
    config
        .instances()
        .into_iter()
        .find(|g| g.kind() == like.kind() && g.name() == like.name())
}
