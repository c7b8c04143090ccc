//! The HTML report (`check --html FILE`) and the trend page (`history show --html`):
//! one self-contained file each, inline CSS and SVG, no script and no network, laid out
//! by minijinja templates (`templates/`) from view data built here.

mod checks;
mod history;
mod page;
mod templates;

pub use history::{history_page, history_svg};
pub use page::render;
pub use templates::HtmlError;
