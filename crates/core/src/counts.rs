//! Named whole-number figures a gate reports beside its checks (how many tests ran,
//! passed, failed...), so machines read them as numbers instead of parsing prose.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Figures in the order they were set, serialised as a JSON object
/// (`{"tests": 12, "passed": 10, ...}`). Setting a name again replaces its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(Vec<(String, u64)>);

impl Counts {
    /// Sets `name` to `value`, keeping the position of a name already set.
    pub fn set(&mut self, name: impl Into<String>, value: u64) {
        let name = name.into();
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// The value of `name`, when set.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// Whether no figure is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The figures in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(n, v)| (n.as_str(), *v))
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_replaces_values() {
        let mut c = Counts::default();
        assert!(c.is_empty());
        c.set("tests", 3);
        c.set("passed", 2);
        c.set("tests", 4);
        assert_eq!(c.get("tests"), Some(4));
        assert_eq!(c.get("flaky"), None);
        assert_eq!(
            serde_json::to_string(&c).expect("serialises"),
            r#"{"tests":4,"passed":2}"#
        );
        assert_eq!(c.iter().count(), 2);
    }
}
