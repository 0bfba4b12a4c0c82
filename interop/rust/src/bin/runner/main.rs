//! The interop matrix: every scenario of `interop/scenarios/` in every direction (client → server:
//! Rust → Rust, Rust → Python, Python → Rust, and Python → Python as the control), each on a fresh
//! key prefix of one private redis-server. Some scenarios run again over TLS (`<scenario>@tls`)
//! and over a local three-master Redis Cluster (`<scenario>@cluster`). Drivers are the executables
//! under `interop/drivers/`. Prints a table and exits 1 when any cell fails.
//!
//! Then the wire probes (`interop/wire-probes.json`): raw entries to a Python and a Rust server,
//! whose replies must not differ except where the probe file says why.
//!
//! `cargo run -p clamator-interop --bin interop-runner [-- <scenario>|<scenario>@tls|wire-probes …]`, after
//! `./scripts/interop-venv` (what `./scripts/test` does).

mod backend;
mod cell;
mod fixture_rows;
mod probes;
mod scenario;
mod schema_hash;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use clamator_test_redis::unique_prefix;

use backend::{Backend, Kind};
use cell::Cell;
use fixture_rows::{compare_fixture_differences, fixture_cell};
use probes::wire_probes;
use scenario::Scenario;
use schema_hash::schema_hash;

const LANGUAGES: [&str; 2] = ["rust", "python"];
/// How many rows of the matrix run at once.
const ROWS_AT_ONCE: usize = 3;

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
        .collect();
    let directions: Vec<(&str, &str)> = LANGUAGES
        .iter()
        .flat_map(|c| LANGUAGES.iter().map(move |s| (*c, *s)))
        .collect();
    let started = Instant::now();
    let wanted = |label: &str| only.is_empty() || only.iter().any(|o| o == label);
    let rows_over = |kind: Kind| -> Vec<&Scenario> {
        scenarios
            .iter()
            .filter(|s| kind.runs(&s.name) && wanted(&format!("{}{}", s.name, kind.suffix())))
            .collect()
    };
    let plain = Backend::plain();
    // TLS and the cluster are made only when a row runs over them (a cluster takes a second or
    // two).
    let tls = (!rows_over(Kind::Tls).is_empty()).then(Backend::tls);
    let cluster = (!rows_over(Kind::Cluster).is_empty()).then(Backend::cluster);
    let work: Vec<(&Backend, &Scenario)> = [Some(&plain), tls.as_ref(), cluster.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|backend| {
            rows_over(backend.kind())
                .into_iter()
                .map(move |s| (backend, s))
        })
        .collect();
    // Rows run a few at a time: their cells mostly wait on driver processes starting. Each row
    // has its own key prefixes, so they do not see each other's streams.
    let queue = Mutex::new(work.into_iter().enumerate());
    let mut rows: Vec<(usize, Row)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..ROWS_AT_ONCE)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        // Taken apart from the loop's condition, which would hold the lock
                        // through the row.
                        let next = queue.lock().unwrap().next();
                        let Some((i, (backend, scenario))) = next else {
                            break;
                        };
                        done.push((i, run_row(&root, backend, scenario, &directions)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a matrix worker"))
            .collect()
    });
    rows.sort_by_key(|(i, _)| *i);
    let rows: Vec<Row> = rows.into_iter().map(|(_, row)| row).collect();
    let cells = rows.iter().flat_map(|r| r.cells.iter().flatten());
    let (total, failures) = cells.fold((0, 0), |(t, f), c| (t + 1, f + usize::from(c.is_err())));
    print_table(&directions, &rows);
    let run_probes = only.is_empty() || only.iter().any(|o| o == "wire-probes");
    let probe_failures = if run_probes {
        match wire_probes(&root, &plain) {
            Ok(n) => n,
            Err(e) => {
                println!("wire probes: FAIL: {e}");
                1
            }
        }
    } else {
        0
    };
    println!("\nmatrix took {:.1} s", started.elapsed().as_secs_f64());
    println!("interop: {} passed, {failures} failed", total - failures);
    if probe_failures > 0 {
        println!("wire probes: {probe_failures} unexplained difference(s)");
    }
    if failures > 0 || probe_failures > 0 || (rows.is_empty() && !run_probes) {
        std::process::exit(1);
    }
}

/// One row of the matrix: a scenario over a backend, a cell per direction (`None`: not run).
struct Row {
    name: String,
    cells: Vec<Option<Result<(), String>>>,
}

/// `scenario` over `backend` in every direction (over TLS and the cluster, without the Python →
/// Python control: it would test only the Python packages).
fn run_row(
    root: &Path,
    backend: &Backend,
    scenario: &Scenario,
    directions: &[(&str, &str)],
) -> Row {
    let name = format!("{}{}", scenario.name, backend.kind().suffix());
    let mut cells = Vec::new();
    let mut fixture_rows = Vec::new();
    for (client_lang, server_lang) in directions {
        if backend.kind() != Kind::Plain && (*client_lang, *server_lang) == ("python", "python") {
            cells.push(None);
            continue;
        }
        let t = Instant::now();
        let cell = || Cell {
            root,
            backend,
            client_lang,
            server_lang,
            prefix: unique_prefix(&format!("interop-{}", scenario.name)),
        };
        let outcome = match scenario.check.as_deref() {
            Some("schema-hash") => {
                schema_hash(root, *client_lang == "rust" || *server_lang == "rust")
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
                "  {name:<28} {label:<15} pass ({:.1} s)",
                t.elapsed().as_secs_f64()
            ),
            Err(why) => eprintln!("  {name:<28} {label:<15} FAIL: {why}"),
        }
        cells.push(Some(outcome));
    }
    if fixture_rows.len() == directions.len() {
        let service = scenario.service.as_deref().unwrap_or_default();
        if let Err(why) = compare_fixture_differences(root, service, &fixture_rows) {
            eprintln!("  {name:<28} differences     FAIL: {why}");
            cells.push(Some(Err(why)));
        }
    }
    Row { name, cells }
}

fn print_table(directions: &[(&str, &str)], rows: &[Row]) {
    print!("\n{:<28}", "scenario (client→server)");
    for (c, s) in directions {
        print!(" | {:<15}", format!("{c}→{s}"));
    }
    println!();
    println!("{}", "-".repeat(28 + directions.len() * 18));
    for row in rows {
        print!("{:<28}", row.name);
        for cell in &row.cells {
            let verdict = match cell {
                None => "-",
                Some(Ok(())) => "pass",
                Some(Err(_)) => "FAIL",
            };
            print!(" | {verdict:<15}");
        }
        println!();
    }
    for row in rows {
        for ((c, s), cell) in directions.iter().zip(&row.cells) {
            if let Some(Err(why)) = cell {
                println!("  {} {c}→{s}: {why}", row.name);
            }
        }
    }
}
