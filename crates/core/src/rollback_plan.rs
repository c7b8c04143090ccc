//! What to do when a gate triggers a rollback: the procedure, the risk of the change it
//! guards, and how long rolling back takes. Every gate config embeds one
//! [`RollbackPlan`] under the key `rollback`, so the rollback report can say the same
//! things for every gate.

use serde::{Deserialize, Deserializer, Serialize};

/// The `rollback` key of a gate table: either a procedure alone,
/// `rollback = "docs/ROLLBACK.md#phase-1-1"`, or a table,
/// `rollback = { procedure = "...", risk = "high", time_to_rollback = "15 minutes" }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RollbackPlan {
    /// A link to the procedure (`docs/ROLLBACK.md#phase-1-1`) or the procedure as text.
    pub procedure: Option<String>,
    /// How risky the guarded change is.
    pub risk: Option<Risk>,
    /// How long a rollback takes, as free text (`15 minutes`).
    pub time_to_rollback: Option<String>,
}

/// Risk level of the change a gate guards.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Cosmetic or easily reverted.
    Low,
    /// Noticeable for users.
    Medium,
    /// Breaks users or data.
    High,
    /// Outage or data loss.
    Critical,
}

impl Risk {
    /// Lowercase name as in config.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
            Risk::Critical => "critical",
        }
    }
}

impl RollbackPlan {
    /// Whether nothing was configured.
    pub fn is_empty(&self) -> bool {
        self.procedure.is_none() && self.risk.is_none() && self.time_to_rollback.is_none()
    }

    /// Whether the procedure reads as a link to a document (`path#anchor` or a URL)
    /// rather than inline text.
    pub fn procedure_is_link(&self) -> bool {
        self.procedure.as_deref().is_some_and(|p| {
            let p = p.trim();
            !p.contains(char::is_whitespace)
                && (p.contains("://") || p.contains('#') || p.ends_with(".md"))
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanTable {
    #[serde(default)]
    procedure: Option<String>,
    #[serde(default)]
    risk: Option<Risk>,
    #[serde(default)]
    time_to_rollback: Option<String>,
}

impl<'de> Deserialize<'de> for RollbackPlan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Procedure(String),
            Table(PlanTable),
        }
        // An untagged enum hides the table's own error (an unknown key, a bad risk);
        // parse the table again to report it.
        let value = toml::Value::deserialize(d)?;
        if !matches!(value, toml::Value::String(_) | toml::Value::Table(_)) {
            return Err(serde::de::Error::custom(format!(
                "`rollback` is a procedure or a table, not {}: write rollback = \
                 \"docs/ROLLBACK.md#section\" or rollback = {{ procedure = \"...\", \
                 risk = \"high\", time_to_rollback = \"15 minutes\" }}",
                value.type_str()
            )));
        }
        match Form::deserialize(value.clone()) {
            Ok(Form::Procedure(p)) => Ok(RollbackPlan {
                procedure: Some(p),
                ..RollbackPlan::default()
            }),
            Ok(Form::Table(t)) => Ok(RollbackPlan {
                procedure: t.procedure,
                risk: t.risk,
                time_to_rollback: t.time_to_rollback,
            }),
            Err(_) => match PlanTable::deserialize(value) {
                Err(e) => Err(serde::de::Error::custom(format!(
                    "in `rollback`: {}",
                    e.to_string().trim_end()
                ))),
                Ok(_) => Err(serde::de::Error::custom(
                    "`rollback` must be a string or a table",
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Gate {
        #[serde(default)]
        rollback: RollbackPlan,
    }

    fn parse(text: &str) -> Result<RollbackPlan, String> {
        toml::from_str::<Gate>(text)
            .map(|g| g.rollback)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn string_or_table() {
        let plan = parse("rollback = \"docs/ROLLBACK.md#phase-1-1\"").expect("string");
        assert_eq!(
            plan.procedure.as_deref(),
            Some("docs/ROLLBACK.md#phase-1-1")
        );
        assert!(plan.procedure_is_link());
        let plan = parse(
            "rollback = { procedure = \"Revert the merge and redeploy.\", risk = \"high\", time_to_rollback = \"15 minutes\" }",
        )
        .expect("table");
        assert_eq!(plan.risk, Some(Risk::High));
        assert_eq!(plan.time_to_rollback.as_deref(), Some("15 minutes"));
        assert!(!plan.procedure_is_link());
        assert!(parse("").expect("absent").is_empty());
    }

    #[test]
    fn bad_tables_are_explained() {
        let err = parse("rollback = { risk = \"extreme\" }").expect_err("bad risk");
        assert!(err.contains("extreme"), "{err}");
        let err = parse("rollback = { procdure = \"x\" }").expect_err("typo");
        assert!(err.contains("procdure"), "{err}");
        let err = parse("rollback = 5").expect_err("number");
        assert!(
            err.contains("not integer: write rollback = \"docs/ROLLBACK.md#section\""),
            "{err}"
        );
    }
}
