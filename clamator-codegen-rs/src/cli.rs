//! What the command line does, as a library function so it can be tested without a process.

use std::path::Path;

use crate::Layout;
use crate::output::write_files;

/// The result of a run: an exit code and a report for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// 0 done or current, 1 drift.
    pub code: u8,
    /// What to print.
    pub report: String,
}

/// Generates (or, with `check`, compares) in `layout`. `Err` is bad input: exit code 2.
pub fn run(manifest: &Path, out: &Path, check: bool, layout: Layout) -> Result<Outcome, String> {
    run_with(manifest, out, check, layout, false)
}

/// [`run`], and with `force`, files generated from another manifest may be replaced.
pub fn run_with(
    manifest: &Path,
    out: &Path,
    check: bool,
    layout: Layout,
    force: bool,
) -> Result<Outcome, String> {
    run_configured(manifest, out, check, layout, force, None)
}

/// The name of the options file read from beside the manifest when no `--config` is given.
pub const CONFIG_FILE: &str = "clamator-codegen.json";

/// The options file's choices ([`crate::customize`]): `config`, else [`CONFIG_FILE`] beside the
/// manifest if there is one, else none.
pub fn customize_for(
    manifest: &Path,
    config: Option<&Path>,
) -> Result<crate::customize::Customize, String> {
    let beside = manifest
        .parent()
        .map(|dir| dir.join(CONFIG_FILE))
        .filter(|p| p.is_file());
    let Some(path) = config.map(Path::to_path_buf).or(beside) else {
        return Ok(crate::customize::Customize::default());
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::customize::Customize::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// [`run_with`], with the options file `config` (or the one beside the manifest).
pub fn run_configured(
    manifest: &Path,
    out: &Path,
    check: bool,
    layout: Layout,
    force: bool,
    config: Option<&Path>,
) -> Result<Outcome, String> {
    let bytes =
        std::fs::read(manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let name = manifest.file_name().map_or_else(
        || manifest.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut options = crate::Options::default().layout(layout);
    options.customize = customize_for(manifest, config)?;
    if check {
        return crate::check::check(&name, &bytes, manifest, out, &options);
    }
    let files = crate::generate_with(&name, &bytes, &options).map_err(|e| e.to_string())?;
    let report = write_files(out, &files, &name, force)?;
    let mut text = String::new();
    for (what, names) in [("wrote", &report.written), ("removed", &report.removed)] {
        for n in names {
            text.push_str(&format!("{what} {}\n", out.join(n).display()));
        }
    }
    if report.written.is_empty() && report.removed.is_empty() {
        text.push_str(&format!(
            "{} is current ({} files)\n",
            out.display(),
            report.unchanged.len()
        ));
    }
    Ok(Outcome {
        code: 0,
        report: text,
    })
}
