//! The templates, compiled into the binary, and the one environment that renders them.
//! Names ending in `.html` are escaped for HTML; `style.css` is included verbatim.

use minijinja::Environment;
use serde::Serialize;

/// A page that could not be laid out or drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// A template failed to render.
    #[error("failed to lay out the HTML page: {0}")]
    Template(#[from] minijinja::Error),
    /// A chart failed to draw.
    #[error(transparent)]
    Chart(#[from] crate::charts::ChartError),
}

const TEMPLATES: &[(&str, &str)] = &[
    ("style.css", include_str!("../../templates/style.css")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("history.html", include_str!("../../templates/history.html")),
];

/// Renders the template `name` with `context`.
pub(crate) fn render(name: &str, context: impl Serialize) -> Result<String, HtmlError> {
    let mut env = Environment::new();
    for (template, source) in TEMPLATES {
        env.add_template(template, source)?;
    }
    let context = minijinja::Value::from(minijinja::value::Serde(context));
    Ok(env.get_template(name)?.render(context)?)
}
