//! SARIF 2.1.0 reader: only what the gate compares, strictly. Every field read has its
//! SARIF type (a wrong type is an error at its line and column); everything else in the
//! log is passed over. A log without a `runs` array, a run without `results`, and a
//! result without a rule or a location are errors naming the file and the result's
//! place in it.
//!
//! A result's rule is `ruleId`, else `rule.id`, else the id of the rule its index
//! points at (in `tool.driver.rules`, or in the extension `rule.toolComponent` names).
//! Its level is `level`, else `none` for a result whose `kind` is not `fail`, else the
//! rule's `defaultConfiguration.level`, else `warning` (SARIF §3.27.10). Results whose
//! kind is `pass`, `notApplicable` or `informational`, and suppressed results, are not
//! findings. A run whose tool says it did not run successfully, or could not analyse
//! something (an `error` notification), is an error: its silence proves nothing.

use safety_gate_core::InputError;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::model::{Finding, Findings, Level};
use crate::paths::{Roots, absolute_bases, uri_path};
use crate::position::{JsonPath, Step};

#[derive(Deserialize)]
struct Log {
    version: Option<String>,
    runs: Option<Vec<Run>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Option<Tool>,
    results: Option<Vec<SarifResult>>,
    artifacts: Option<Vec<Artifact>>,
    #[serde(default, deserialize_with = "unique_map")]
    original_uri_base_ids: Option<BTreeMap<String, ArtifactLocation>>,
    invocations: Option<Vec<Invocation>>,
}

#[derive(Deserialize)]
struct Tool {
    driver: Option<ToolComponent>,
    extensions: Option<Vec<ToolComponent>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ToolComponent {
    name: Option<String>,
    version: Option<String>,
    semantic_version: Option<String>,
    rules: Option<Vec<Rule>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: Option<String>,
    default_configuration: Option<RuleConfiguration>,
    #[serde(default, deserialize_with = "unique_map")]
    message_strings: Option<BTreeMap<String, MessageString>>,
}

#[derive(Deserialize)]
struct RuleConfiguration {
    level: Option<Level>,
}

#[derive(Deserialize)]
struct MessageString {
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: Option<String>,
    rule_index: Option<i64>,
    rule: Option<RuleReference>,
    kind: Option<Kind>,
    level: Option<Level>,
    message: Option<Message>,
    locations: Option<Vec<Location>>,
    #[serde(default, deserialize_with = "unique_map")]
    partial_fingerprints: Option<BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "unique_map")]
    fingerprints: Option<BTreeMap<String, String>>,
    suppressions: Option<Vec<Suppression>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleReference {
    id: Option<String>,
    index: Option<i64>,
    tool_component: Option<ToolComponentReference>,
}

#[derive(Deserialize)]
struct ToolComponentReference {
    name: Option<String>,
    index: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    NotApplicable,
    Pass,
    Fail,
    Review,
    Open,
    Informational,
}

#[derive(Deserialize)]
struct Message {
    text: Option<String>,
    id: Option<String>,
    arguments: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Option<PhysicalLocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Option<ArtifactLocation>,
    region: Option<Region>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: Option<String>,
    uri_base_id: Option<String>,
    index: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: Option<u64>,
    start_column: Option<u64>,
    snippet: Option<ArtifactContent>,
}

#[derive(Deserialize)]
struct ArtifactContent {
    text: Option<String>,
}

#[derive(Deserialize)]
struct Artifact {
    location: Option<ArtifactLocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    working_directory: Option<ArtifactLocation>,
    execution_successful: Option<bool>,
    tool_execution_notifications: Option<Vec<Notification>>,
    tool_configuration_notifications: Option<Vec<Notification>>,
}

#[derive(Deserialize)]
struct Notification {
    level: Option<Level>,
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Suppression {
    status: Option<SuppressionStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
enum SuppressionStatus {
    Accepted,
    UnderReview,
    Rejected,
}

/// A JSON object as a map, refusing a key given twice (serde would keep the last).
fn unique_map<'de, D, V>(deserializer: D) -> Result<Option<BTreeMap<String, V>>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = Option<BTreeMap<String, V>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                }
                out.insert(key, value);
            }
            Ok(Some(out))
        }
    }
    deserializer.deserialize_any(Unique(std::marker::PhantomData))
}

/// Reads the findings of a SARIF 2.1.0 log. Relative paths stay as written; absolute
/// ones are made relative to `roots` or the run's own bases.
pub fn read(path: &Path, text: &str, roots: &Roots) -> Result<Findings, InputError> {
    let log: Log = serde_json::from_str(text)
        .map_err(|e| crate::read::json_error(path, &e, "not a SARIF 2.1.0 log"))?;
    let fail = |at: JsonPath<'_>, what: String| {
        let (line, column) = at.locate(text).unzip();
        let place = if at.0.is_empty() {
            String::new()
        } else {
            format!("{at}: ")
        };
        InputError::malformed(path, line, column, format!("{place}{what}"))
    };
    let top = JsonPath::default();
    match log.version.as_deref() {
        Some("2.1.0") => {}
        Some(other) => {
            let at = top.with(Step::Key("version"));
            return Err(fail(at, format!("SARIF version `{other}` is not 2.1.0")));
        }
        None => return Err(fail(top, "has no `version`: not a SARIF 2.1.0 log".into())),
    }
    let Some(runs) = log.runs else {
        return Err(fail(
            top,
            "has no `runs` array: not a SARIF log of any run".into(),
        ));
    };
    if runs.is_empty() {
        let at = top.with(Step::Key("runs"));
        return Err(fail(
            at,
            "is empty: no tool ran, so nothing can be compared".into(),
        ));
    }
    let mut out = Findings::default();
    for (r, run) in runs.iter().enumerate() {
        let at = top.with(Step::Key("runs")).with(Step::Index(r));
        read_run(run, roots, &mut out).map_err(|(steps, what)| {
            let mut full = at.clone();
            full.0.extend(steps);
            fail(full, what)
        })?;
    }
    Ok(out)
}

/// What went wrong in a run: the path below the run, and the message.
type RunError = (Vec<Step<'static>>, String);

fn read_run(run: &Run, roots: &Roots, out: &mut Findings) -> Result<(), RunError> {
    let driver = run
        .tool
        .as_ref()
        .and_then(|t| t.driver.as_ref())
        .ok_or_else(|| {
            (
                vec![],
                "has no `tool.driver`: the tool is not named".to_string(),
            )
        })?;
    let tool = driver
        .name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            (
                vec![Step::Key("tool"), Step::Key("driver")],
                "has no `name`".to_string(),
            )
        })?;
    let version = driver
        .version
        .as_deref()
        .or(driver.semantic_version.as_deref());
    out.tool(tool, version);
    check_invocations(run, tool)?;
    let Some(results) = &run.results else {
        return Err((
            vec![],
            format!("has no `results` array: {tool} did not report whether it found anything"),
        ));
    };
    let bases: BTreeMap<String, (Option<String>, Option<String>)> = run
        .original_uri_base_ids
        .iter()
        .flatten()
        .map(|(id, loc)| (id.clone(), (loc.uri.clone(), loc.uri_base_id.clone())))
        .collect();
    let working = run
        .invocations
        .iter()
        .flatten()
        .filter_map(|i| i.working_directory.as_ref())
        .filter_map(|w| {
            w.uri
                .as_deref()
                .map(|u| uri_path(u, w.uri_base_id.as_deref(), &bases))
        });
    let roots = roots.with(absolute_bases(&bases).chain(working));
    let context = RunContext {
        tool,
        driver,
        extensions: run
            .tool
            .as_ref()
            .and_then(|t| t.extensions.as_deref())
            .unwrap_or(&[]),
        artifacts: run.artifacts.as_deref().unwrap_or(&[]),
        bases: &bases,
        roots: &roots,
    };
    for (i, result) in results.iter().enumerate() {
        let below = |what: String| (vec![Step::Key("results"), Step::Index(i)], what);
        if !is_finding(result) {
            out.not_findings += 1;
            out.suppressed += usize::from(is_suppressed_finding(result));
            continue;
        }
        out.findings.push(context.finding(result).map_err(below)?);
    }
    Ok(())
}

/// A run whose tool says it failed, or could not analyse something (a notification of
/// level `error`, such as a file it could not parse), found nothing that can be trusted.
fn check_invocations(run: &Run, tool: &str) -> Result<(), RunError> {
    for (i, invocation) in run.invocations.iter().flatten().enumerate() {
        let at = |more: Vec<Step<'static>>| {
            let mut steps = vec![Step::Key("invocations"), Step::Index(i)];
            steps.extend(more);
            steps
        };
        if invocation.execution_successful == Some(false) {
            let what = format!("{tool} reports that it did not run successfully");
            return Err((at(vec![Step::Key("executionSuccessful")]), what));
        }
        let lists = [
            (
                "toolExecutionNotifications",
                &invocation.tool_execution_notifications,
            ),
            (
                "toolConfigurationNotifications",
                &invocation.tool_configuration_notifications,
            ),
        ];
        for (key, list) in lists {
            let mut notes = list.iter().flatten().enumerate();
            if let Some((n, note)) = notes.find(|(_, n)| n.level == Some(Level::Error)) {
                let text = note
                    .message
                    .as_ref()
                    .and_then(|m| m.text.as_deref())
                    .unwrap_or("");
                let what = format!("{tool} could not analyse everything: {}", text.trim());
                return Err((at(vec![Step::Key(key), Step::Index(n)]), what));
            }
        }
    }
    Ok(())
}

/// Whether a result is a finding: its kind is `fail` (the default), `review` or
/// `open`, and no accepted suppression hides it.
fn is_finding(result: &SarifResult) -> bool {
    finding_kind(result) && !suppressed(result)
}

/// Whether a result would be a finding but for a suppression in effect.
fn is_suppressed_finding(result: &SarifResult) -> bool {
    finding_kind(result) && suppressed(result)
}

fn finding_kind(result: &SarifResult) -> bool {
    matches!(
        result.kind.unwrap_or(Kind::Fail),
        Kind::Fail | Kind::Review | Kind::Open
    )
}

fn suppressed(result: &SarifResult) -> bool {
    result.suppressions.iter().flatten().any(|s| {
        // A suppression without a status is in effect (SARIF §3.34.3).
        matches!(s.status, None | Some(SuppressionStatus::Accepted))
    })
}

/// What resolving a result needs from its run.
struct RunContext<'a> {
    tool: &'a str,
    driver: &'a ToolComponent,
    extensions: &'a [ToolComponent],
    artifacts: &'a [Artifact],
    bases: &'a BTreeMap<String, (Option<String>, Option<String>)>,
    roots: &'a Roots,
}

impl RunContext<'_> {
    fn finding(&self, result: &SarifResult) -> Result<Finding, String> {
        let (rule, descriptor) = self.rule(result)?;
        let level = match (result.level, result.kind) {
            (Some(level), _) => level,
            (None, Some(kind)) if kind != Kind::Fail => Level::None,
            (None, _) => descriptor
                .and_then(|d| d.default_configuration.as_ref())
                .and_then(|c| c.level)
                .unwrap_or(Level::Warning),
        };
        let message = message_text(result, descriptor)?;
        let physical = result
            .locations
            .iter()
            .flatten()
            .find_map(|l| l.physical_location.as_ref())
            .ok_or_else(|| "has no location: no `locations[].physicalLocation`".to_string())?;
        let file = self.file(physical)?;
        let region = physical.region.as_ref();
        let snippet = region
            .and_then(|r| r.snippet.as_ref())
            .and_then(|s| s.text.clone())
            .filter(|s| !s.trim().is_empty());
        Ok(Finding {
            tool: self.tool.to_string(),
            rule,
            level,
            message,
            file,
            line: region.and_then(|r| r.start_line),
            column: region.and_then(|r| r.start_column),
            snippet,
            fingerprints: result.fingerprints.clone().unwrap_or_default(),
            partial_fingerprints: result.partial_fingerprints.clone().unwrap_or_default(),
        })
    }

    /// The rule id and, when the run describes it, the rule.
    fn rule<'r>(&'r self, result: &SarifResult) -> Result<(String, Option<&'r Rule>), String> {
        let reference = result.rule.as_ref();
        let component = match reference.and_then(|r| r.tool_component.as_ref()) {
            Some(ToolComponentReference { index: Some(i), .. }) => usize::try_from(*i)
                .ok()
                .and_then(|i| self.extensions.get(i))
                .ok_or_else(|| {
                    format!("rule.toolComponent.index {i} names no extension of the tool")
                })?,
            Some(ToolComponentReference {
                name: Some(name), ..
            }) => self
                .extensions
                .iter()
                .find(|e| e.name.as_deref() == Some(name.as_str()))
                .unwrap_or(self.driver),
            _ => self.driver,
        };
        let rules = component.rules.as_deref().unwrap_or(&[]);
        let index = reference
            .and_then(|r| r.index)
            .or(result.rule_index)
            .filter(|i| *i != -1);
        let by_index = match index {
            Some(i) if i < 0 => {
                return Err(format!(
                    "its rule index {i} is negative (only -1, for none, is)"
                ));
            }
            Some(i) => Some(
                usize::try_from(i)
                    .ok()
                    .and_then(|i| rules.get(i))
                    .ok_or_else(|| {
                        format!(
                            "its rule index {i} is beyond the {} rules the tool describes",
                            rules.len()
                        )
                    })?,
            ),
            None => None,
        };
        let id = result
            .rule_id
            .clone()
            .or_else(|| reference.and_then(|r| r.id.clone()))
            .or_else(|| by_index.and_then(|r| r.id.clone()))
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| "names no rule: no `ruleId`, `rule.id` or rule index".to_string())?;
        let descriptor = by_index.or_else(|| rules.iter().find(|r| r.id.as_deref() == Some(&id)));
        Ok((id, descriptor))
    }

    /// The result's file: its artifact location, or the run's artifact it points at.
    fn file(&self, physical: &PhysicalLocation) -> Result<String, String> {
        let missing = || "has no location: no `artifactLocation.uri`".to_string();
        let mut location = physical.artifact_location.as_ref().ok_or_else(missing)?;
        if location.uri.is_none() {
            if let Some(i) = location.index {
                location = usize::try_from(i)
                    .ok()
                    .and_then(|i| self.artifacts.get(i))
                    .and_then(|a| a.location.as_ref())
                    .ok_or_else(|| {
                        format!("its artifact index {i} names no artifact of the run")
                    })?;
            }
        }
        let uri = location
            .uri
            .as_deref()
            .filter(|u| !u.is_empty())
            .ok_or_else(missing)?;
        let path = uri_path(uri, location.uri_base_id.as_deref(), self.bases);
        Ok(self.roots.relative(&path))
    }
}

/// The message text, or the rule's message string it names with its arguments put in.
fn message_text(result: &SarifResult, rule: Option<&Rule>) -> Result<String, String> {
    let message = result.message.as_ref().ok_or("has no `message`")?;
    if let Some(text) = &message.text {
        return Ok(text.clone());
    }
    let id = message
        .id
        .as_deref()
        .ok_or("its message has neither `text` nor `id`")?;
    let template = rule
        .and_then(|r| r.message_strings.as_ref())
        .and_then(|m| m.get(id))
        .and_then(|m| m.text.as_deref())
        .ok_or_else(|| format!("its message id `{id}` is not among its rule's messageStrings"))?;
    Ok(fill(template, message.arguments.as_deref().unwrap_or(&[])))
}

/// Puts arguments into `{0}`-style placeholders; `{{` and `}}` are literal braces.
fn fill(template: &str, arguments: &[String]) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let digits: String =
                    std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
                match (
                    digits.parse::<usize>().ok().and_then(|i| arguments.get(i)),
                    chars.peek(),
                ) {
                    (Some(argument), Some('}')) => {
                        chars.next();
                        out.push_str(argument);
                    }
                    _ => {
                        out.push('{');
                        out.push_str(&digits);
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Findings, String> {
        read(Path::new("x.sarif"), text, &Roots::new(Path::new("/repo"))).map_err(|e| e.to_string())
    }

    fn log(results: &str, rules: &str) -> String {
        format!(
            r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "t", "rules": [{rules}]}}}},
            "results": [{results}]}}]}}"#
        )
    }

    const AT: &str = r#""locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 3}}}]"#;

    #[test]
    fn levels_come_from_the_result_the_rule_or_the_default() {
        let rules = r#"{"id": "R1", "defaultConfiguration": {"level": "error"}}, {"id": "R2"}"#;
        let results = format!(
            r#"{{"ruleId": "R1", "message": {{"text": "m"}}, {AT}}},
               {{"ruleId": "R1", "level": "note", "message": {{"text": "m"}}, {AT}}},
               {{"ruleIndex": 1, "message": {{"text": "m"}}, {AT}}},
               {{"ruleId": "R9", "kind": "review", "message": {{"text": "m"}}, {AT}}},
               {{"ruleId": "R1", "kind": "pass", "message": {{"text": "m"}}, {AT}}},
               {{"ruleId": "R1", "suppressions": [{{"kind": "inSource"}}], "message": {{"text": "m"}}, {AT}}},
               {{"ruleId": "R1", "suppressions": [{{"kind": "external", "status": "rejected"}}], "message": {{"text": "m"}}, {AT}}}"#
        );
        let found = read_text(&log(&results, rules)).expect("valid");
        let got: Vec<(&str, Level)> = found
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.level))
            .collect();
        assert_eq!(
            got,
            [
                ("R1", Level::Error),
                ("R1", Level::Note),
                ("R2", Level::Warning),
                ("R9", Level::None),
                ("R1", Level::Error)
            ]
        );
        assert_eq!(found.not_findings, 2);
        assert_eq!(
            found.suppressed, 1,
            "the rejected suppression hides nothing"
        );
        assert_eq!(found.findings[0].place(), "a.py:3");
    }

    #[test]
    fn message_strings_take_their_arguments() {
        let rules =
            r#"{"id": "R1", "messageStrings": {"default": {"text": "{{x}} {0} of {1} {2}"}}}"#;
        let results = format!(
            r#"{{"ruleId": "R1", "message": {{"id": "default", "arguments": ["a", "b"]}}, {AT}}}"#
        );
        let found = read_text(&log(&results, rules)).expect("valid");
        assert_eq!(found.findings[0].message, "{x} a of b {2}");
    }

    #[test]
    fn broken_logs_name_the_file_and_the_place() {
        let cases = [
            (
                "{\"version\": \"2.1.0\"}",
                "x.sarif:1:1: has no `runs` array",
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": null}",
                "has no `runs` array",
            ),
            (
                "{\"version\": \"2.0.0\", \"runs\": []}",
                "x.sarif:1:13: version: SARIF version `2.0.0`",
            ),
            ("{\"version\": \"2.1.0\", \"runs\": []}", "runs: is empty"),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}}]}",
                "x.sarif:1:31: runs[0]: has no `results` array",
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [{\"results\": []}]}",
                "has no `tool.driver`",
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": 7}",
                "x.sarif:1:30: not a SARIF 2.1.0 log: invalid type: integer `7`, expected a sequence",
            ),
            (
                "{\"version\": \"2.1.0\", \"runs\": [], \"runs\": []}",
                "duplicate field `runs`",
            ),
            (
                "{\"version\": \"2.1.0\",",
                "x.sarif:1:20: not a SARIF 2.1.0 log: EOF",
            ),
        ];
        for (text, expected) in cases {
            let err = read_text(text).expect_err(text);
            assert!(err.contains(expected), "{text}\n{err}");
        }
        let no_rule = log(&format!(r#"{{"message": {{"text": "m"}}, {AT}}}"#), "");
        let err = read_text(&no_rule).expect_err("no rule");
        assert!(
            err.starts_with("x.sarif:2:25: runs[0].results[0]: names no rule"),
            "{err}"
        );
        let no_location = log(
            r#"{"ruleId": "R", "message": {"text": "m"}, "locations": [{}]}"#,
            "",
        );
        let err = read_text(&no_location).expect_err("no location");
        assert!(err.contains("runs[0].results[0]: has no location"), "{err}");
        let bad_index = log(
            &format!(r#"{{"ruleIndex": 3, "message": {{"text": "m"}}, {AT}}}"#),
            "",
        );
        let err = read_text(&bad_index).expect_err("bad index");
        assert!(err.contains("rule index 3 is beyond the 0 rules"), "{err}");
        let bad_level = log(
            &format!(r#"{{"ruleId": "R", "level": "info", "message": {{"text": "m"}}, {AT}}}"#),
            "",
        );
        let err = read_text(&bad_level).expect_err("bad level");
        assert!(err.contains("unknown variant `info`"), "{err}");
        let twice = log(
            &format!(
                r#"{{"ruleId": "R", "message": {{"text": "m"}}, "fingerprints": {{"a": "1", "a": "2"}}, {AT}}}"#
            ),
            "",
        );
        let err = read_text(&twice).expect_err("duplicate fingerprint");
        assert!(err.contains("duplicate key `a`"), "{err}");
    }

    #[test]
    fn deep_nesting_is_passed_over_where_unread_and_refused_where_read() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let ignored = log("", "").replace(
            "\"results\"",
            &format!("\"properties\": {deep}, \"results\""),
        );
        assert!(
            read_text(&ignored)
                .expect("passed over")
                .findings
                .is_empty()
        );
        let read_field = log(
            &format!(r#"{{"ruleId": "R", "message": {deep}, {AT}}}"#),
            "",
        );
        let err = read_text(&read_field).expect_err("a message is an object");
        assert!(err.contains("invalid type: sequence"), "{err}");
    }

    #[test]
    fn artifacts_bases_and_working_directories_resolve_paths() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}},
            "originalUriBaseIds": {"SRC": {"uri": "file:///build/ws/"}},
            "invocations": [{"workingDirectory": {"uri": "file:///tmp/run/"}}],
            "artifacts": [{"location": {"uri": "lib/b.py", "uriBaseId": "SRC"}}],
            "results": [
              {"ruleId": "R", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}}}]},
              {"ruleId": "R", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///tmp/run/c.py"}}}]},
              {"ruleId": "R", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///repo/d.py"}}}]},
              {"ruleId": "R", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///other/e.py"}}}]}
            ]}]}"#;
        let found = read_text(text).expect("valid");
        let files: Vec<&str> = found.findings.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(files, ["lib/b.py", "c.py", "d.py", "/other/e.py"]);
    }
}
