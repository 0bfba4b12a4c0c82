//! The interop matrix: every scenario of `interop/scenarios/` in every direction (client → server:
//! Rust → Rust, Rust → Python, Python → Rust, and Python → Python as the control), each on a fresh
//! key prefix of one private redis-server. Drivers are the executables under `interop/drivers/`.
//! Prints a table and exits 1 when any cell fails.
//!
//! Then the wire probes (`interop/wire-probes.json`): raw entries to a Python and a Rust server,
//! whose replies must not differ except where the probe file says why.
//!
//! `cargo run -p clamator-interop --bin interop-runner [-- <scenario>|wire-probes …]`, after
//! `./scripts/interop-venv` (what `./scripts/test` does).

mod cell;
mod fixture_rows;
mod probes;
mod scenario;
mod schema_hash;

use std::path::{Path, PathBuf};
use std::time::Instant;

use clamator_test_redis::{RedisServer, unique_prefix};

use cell::Cell;
use fixture_rows::{compare_fixture_differences, fixture_cell};
use probes::wire_probes;
use scenario::Scenario;
use schema_hash::schema_hash;

const LANGUAGES: [&str; 2] = ["rust", "python"];

/// The last few non-empty lines of a log, for a one-line failure reason.
pub(crate) fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

fn repo_root() -> PathBuf {
    let from_crate = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    from_crate.canonicalize().unwrap_or(from_crate)
}

fn main() {
    let root = repo_root();
    let only: Vec<String> = std::env::args().skip(1).collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("interop/scenarios"))
        .expect("interop/scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let scenarios: Vec<Scenario> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read scenario");
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a scenario: {e}", p.display()))
        })
        .filter(|s: &Scenario| only.is_empty() || only.contains(&s.name))
        .collect();
    let redis = RedisServer::start();
    let directions: Vec<(&str, &str)> = LANGUAGES
        .iter()
        .flat_map(|c| LANGUAGES.iter().map(move |s| (*c, *s)))
        .collect();
    let mut rows = Vec::new();
    let mut failures = 0;
    let started = Instant::now();
    for scenario in &scenarios {
        let mut cells = Vec::new();
        let mut fixture_rows = Vec::new();
        for (client_lang, server_lang) in &directions {
            let t = Instant::now();
            let cell = || Cell {
                root: &root,
                redis: &redis,
                client_lang,
                server_lang,
                prefix: unique_prefix(&format!("interop-{}", scenario.name)),
            };
            let outcome = match scenario.check.as_deref() {
                Some("schema-hash") => {
                    schema_hash(&root, *client_lang == "rust" || *server_lang == "rust")
                }
                Some("fixture-service") => {
                    let service = scenario.service.as_deref().unwrap_or_default();
                    fixture_cell(&cell(), service).map(|rows| {
                        fixture_rows.push((format!("{client_lang}→{server_lang}"), rows));
                    })
                }
                Some(other) => Err(format!("unknown check {other:?}")),
                None => cell().run(scenario),
            };
            let label = format!("{client_lang}→{server_lang}");
            match &outcome {
                Ok(()) => eprintln!(
                    "  {:<20} {label:<15} pass ({:.1} s)",
                    scenario.name,
                    t.elapsed().as_secs_f64()
                ),
                Err(why) => {
                    failures += 1;
                    eprintln!("  {:<20} {label:<15} FAIL: {why}", scenario.name);
                }
            }
            cells.push(outcome);
        }
        if fixture_rows.len() == directions.len() {
            let service = scenario.service.as_deref().unwrap_or_default();
            if let Err(why) = compare_fixture_differences(&root, service, &fixture_rows) {
                failures += 1;
                eprintln!("  {:<20} differences     FAIL: {why}", scenario.name);
                cells.push(Err(why));
            }
        }
        rows.push((scenario.name.clone(), cells));
    }
    print_table(&directions, &rows);
    let run_probes = only.is_empty() || only.iter().any(|o| o == "wire-probes");
    let probe_failures = if run_probes {
        match wire_probes(&root, &redis) {
            Ok(n) => n,
            Err(e) => {
                println!("wire probes: FAIL: {e}");
                1
            }
        }
    } else {
        0
    };
    let total = rows.len() * directions.len();
    println!("\nmatrix took {:.1} s", started.elapsed().as_secs_f64());
    println!("interop: {} passed, {failures} failed", total - failures);
    if probe_failures > 0 {
        println!("wire probes: {probe_failures} unexplained difference(s)");
    }
    if failures > 0 || probe_failures > 0 || (rows.is_empty() && !run_probes) {
        std::process::exit(1);
    }
}

fn print_table(directions: &[(&str, &str)], rows: &[(String, Vec<Result<(), String>>)]) {
    print!("\n{:<20}", "scenario (client→server)");
    for (c, s) in directions {
        print!(" | {:<15}", format!("{c}→{s}"));
    }
    println!();
    println!("{}", "-".repeat(20 + directions.len() * 18));
    for (name, cells) in rows {
        print!("{name:<20}    ");
        for cell in cells {
            print!(" | {:<15}", if cell.is_ok() { "pass" } else { "FAIL" });
        }
        println!();
    }
    for (name, cells) in rows {
        for ((c, s), cell) in directions.iter().zip(cells) {
            if let Err(why) = cell {
                println!("  {name} {c}→{s}: {why}");
            }
        }
    }
}
