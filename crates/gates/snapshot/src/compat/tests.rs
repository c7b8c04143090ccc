//! Whole-schema comparisons through the public entry point.
