//! `clamator-codegen-rs`: schema manifest in, Rust out.

use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Extra derives and attributes, and replaced types, as JSON. Default: clamator-codegen.json
    /// beside the manifest, if there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LayoutArg {
    Directory,
    SingleFile,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let layout = match args.layout {
        LayoutArg::Directory => clamator_codegen_rs::Layout::Directory,
        LayoutArg::SingleFile => clamator_codegen_rs::Layout::SingleFile,
    };
    match clamator_codegen_rs::cli::run_configured(
        &args.manifest,
        &args.out,
        args.check,
        layout,
        args.force,
        args.config.as_deref(),
    ) {
        Ok(outcome) => {
            if !outcome.report.is_empty() {
                eprint!("{}", outcome.report);
            }
            ExitCode::from(outcome.code)
        }
        Err(message) => {
            eprintln!("clamator-codegen-rs: {message}");
            ExitCode::from(2)
        }
    }
}
