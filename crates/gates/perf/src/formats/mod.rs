//! Format adapters: each turns one input (a file, or a criterion folder) into a
//! [`BenchSet`](crate::BenchSet). `auto` picks the adapter from the content (see
//! `detect.rs`); one file per tool.

mod asv;
mod benchmarkdotnet;
mod benchmarkjs;
mod benchmarkluau;
mod bmf;
mod callgrind;
mod catch2;
mod criterion;
mod criterion_text;
mod custom;
mod detect;
mod format;
mod generic_json;
mod go_bench;
mod google_benchmark;
mod hyperfine;
mod jmh;
mod json;
mod julia;
mod kv;
mod libtest;
mod pyperf;
mod pytest_benchmark;
mod qualify;
mod read;
mod text;
mod vitest;

pub use format::{FORMATS, Format};
pub use read::{ReadOptions, parse, read};
