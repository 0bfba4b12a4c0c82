//! `clamator-codegen-rs`: schema manifest in, Rust out.

use std::path::PathBuf;
use std::process::ExitCode;

use clamator_codegen_rs::{Error, Layout, Options};
use clap::Parser;

/// Generates Rust types, typed client proxies and service traits from a clamator schema manifest.
#[derive(Debug, Parser)]
#[command(
    name = "clamator-codegen-rs",
    version,
    after_help = "Examples:\n  \
        clamator-codegen-rs --manifest contracts.schema.json --out src/generated\n  \
        clamator-codegen-rs --manifest contracts.schema.json --out src/generated --check\n\n\
        Exit codes: 0 done (or current), 1 drift found by --check, 2 bad input (manifest, schema, directory).\n\
        Make a schema manifest from Zod contracts with clamator-manifest."
)]
struct Args {
    /// The manifest: a schema manifest (from clamator-manifest) to generate from; with --check, a
    /// hash-only manifest (from @clamator/codegen) works too.
    #[arg(long, value_name = "FILE")]
    manifest: PathBuf,
    /// Directory of generated files (one per service, plus mod.rs).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write nothing; exit 1 if the directory is not what the manifest generates.
    #[arg(long)]
    check: bool,
    /// `directory`: one file per service and a mod.rs, to commit; `single-file`: one
    /// `clamator.rs` with a module per service, which `include!` accepts.
    #[arg(long, value_enum, default_value_t = LayoutArg::Directory)]
    layout: LayoutArg,
    /// Replace (or remove) files in --out that were generated from another manifest. Files
    /// without the generated header are never touched.
    #[arg(long)]
    force: bool,
    /// Extra derives and attributes, replaced types, the runtime's path, as JSON. Default:
    /// clamator-codegen.json beside the manifest, if there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LayoutArg {
    Directory,
    SingleFile,
}

/// Generates or checks; the report for stderr and whether `--check` found the directory current.
fn run(args: &Args) -> Result<(String, bool), Error> {
    let layout = match args.layout {
        LayoutArg::Directory => Layout::Directory,
        LayoutArg::SingleFile => Layout::SingleFile,
    };
    let options = match &args.config {
        Some(path) => Options::from_config_file(path)?,
        None => Options::for_manifest(&args.manifest)?,
    }
    .layout(layout);
    if args.check {
        let outcome = clamator_codegen_rs::check(&args.manifest, &args.out, &options)?;
        return Ok((outcome.report, outcome.current));
    }
    let report = clamator_codegen_rs::write(&args.manifest, &args.out, &options, args.force)?;
    let mut text = String::new();
    for (what, names) in [("wrote", &report.written), ("removed", &report.removed)] {
        for name in names {
            text.push_str(&format!("{what} {}\n", args.out.join(name).display()));
        }
    }
    if report.written.is_empty() && report.removed.is_empty() {
        text.push_str(&format!(
            "{} is current ({} files)\n",
            args.out.display(),
            report.unchanged.len()
        ));
    }
    Ok((text, true))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok((report, current)) => {
            eprint!("{report}");
            ExitCode::from(if current { 0 } else { 1 })
        }
        Err(e) => {
            eprintln!("clamator-codegen-rs: {e}");
            ExitCode::from(2)
        }
    }
}
