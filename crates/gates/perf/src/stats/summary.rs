//! One number per side: the statistic a report shows as baseline and current.

use serde::Deserialize;

/// Which summary of the samples is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Statistic {
    /// The median, compared by Hodges–Lehmann and Mann–Whitney U.
    Median,
    /// The geometric mean (mean of log-values), compared by Welch's t: the most
    /// powerful on timing noise once far outliers are dropped; the default.
    #[default]
    Mean,
    /// The minimum (the least disturbed run).
    Min,
}

impl Statistic {
    /// The name used in config, flags and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::Median => "median",
            Statistic::Mean => "mean",
            Statistic::Min => "min",
        }
    }
}

impl std::str::FromStr for Statistic {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "median" => Ok(Statistic::Median),
            "mean" => Ok(Statistic::Mean),
            "min" => Ok(Statistic::Min),
            other => Err(format!("statistic `{other}` must be median, mean or min")),
        }
    }
}

/// The statistic of finite, non-empty values (geometric mean for `Mean`, which needs
/// positive values; callers check that before comparing samples).
pub fn summarize(values: &[f64], statistic: Statistic) -> f64 {
    if let [single] = values {
        // Exactly as read: a round trip through ln/exp would perturb the last digit.
        return *single;
    }
    match statistic {
        Statistic::Median => median(values),
        Statistic::Mean if values.iter().all(|v| *v > 0.0) => {
            (values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp()
        }
        Statistic::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Statistic::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
    }
}

/// Median of finite, non-empty values.
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 && mid > 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!((summarize(&[1.0, 4.0], Statistic::Mean) - 2.0).abs() < 1e-12);
        assert_eq!(summarize(&[3.0, 1.0, 2.0], Statistic::Min), 1.0);
        assert_eq!("mean".parse::<Statistic>(), Ok(Statistic::Mean));
        assert!("avg".parse::<Statistic>().is_err());
    }
}
