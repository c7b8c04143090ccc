//! `safety-gate init`: writes a commented config for what the project holds, then says
//! what to run next. An existing config is never overwritten without `--force`.

use safety_gate_core::exit_code;
use safety_gate_engine::init;

use super::output::print;
use crate::args::InitArgs;
use crate::error::Error;

/// Looks through the project and writes (or, with `--dry-run`, prints) its config.
pub fn run(args: &InitArgs) -> Result<u8, Error> {
    let target = args.dir.join(&args.config);
    let plan = init::plan(&args.dir, &target)?;
    if args.dry_run {
        print(&plan.config.text)?;
        return Ok(exit_code::PASS);
    }
    if (target.exists() || target.is_symlink()) && !args.force {
        return Err(Error::Failed(format!(
            "{} exists: rerun with --force to overwrite it, or with --dry-run to see what \
             init would write",
            target.display()
        )));
    }
    safety_gate_core::atomic::write_atomic(&target, plan.config.text.as_bytes())
        .map_err(|e| Error::Failed(e.to_string()))?;
    print(&init::next_steps(&args.config, &plan))?;
    Ok(exit_code::PASS)
}
