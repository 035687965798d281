//! Writes a synthetic archive for benchmarks and tests:
//!
//! ```sh
//! cargo run --release --example synth-archive -- --articles 100000 /tmp/synth100k
//! kanbao --config /tmp/synth100k/config.toml
//! ```
//!
//! The pages are made of the sample page's text and of seven seed texts of
//! made-up news (sport, economy, rural affairs, culture, weather and
//! transport, courts, health) whose people, places, organisations, dates
//! and figures are made up anew for every article; the same seed gives
//! the same files (see `kanbao_synth`).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kanbao_synth::{self as synth, Options};

const HELP: &str = "\
synth-archive: write a synthetic kanbao archive for benchmarks and tests

Usage: synth-archive [--articles N] [--seed S] [--feeds K]
                     [--pages-per-issue A-B] [--articles-per-page A-B] DIR

Writes DIR/config.toml and page files DIR/feeds/<feed>/<date>/<NN>-<section>.txt.
About a quarter of the articles are made of the bundled sample page's
paragraphs, headlines and captions; the rest of seven made-up seed texts
(sport, economy, rural affairs, culture, weather and transport, courts,
health) with new names of people, places and organisations, dates and
figures in every article. Bylines name each feed's reporters. The same
options give byte-identical files. DIR must be new or empty.

Options:
  --articles N   articles in the whole archive, exactly (default 1000)
  --seed S       seed of the random choices (default 1)
  --feeds K      feeds (newspapers) to spread them over, 1 to 1000 (default 3)
  --pages-per-issue A-B
                 pages of each day's paper, A to B (or exactly N), up to 99
                 (default 4-8, a local daily; a national daily runs 16-24)
  --articles-per-page A-B
                 articles on each page, A to B (or exactly N), up to 40
                 (default 3-6)
  -h, --help     print this help

Then read it with: kanbao --config DIR/config.toml";

/// What the command line asks for.
enum Command {
    Help,
    Generate(Options, PathBuf),
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("synth-archive: {message}; see --help");
            return ExitCode::FAILURE;
        }
    };
    let (options, dir) = match command {
        Command::Help => {
            // A closed pipe (`| head`) is no reason to fail.
            let _ = writeln!(std::io::stdout(), "{HELP}");
            return ExitCode::SUCCESS;
        }
        Command::Generate(options, dir) => (options, dir),
    };
    let started = Instant::now();
    match synth::generate(&dir, &options) {
        Ok(summary) => {
            let mut out = std::io::stdout();
            let _ = writeln!(
                out,
                "wrote {} files ({} pages), {} articles, {:.1} MB to {} in {:.1} s",
                summary.files,
                summary.pages,
                summary.articles,
                summary.bytes as f64 / 1e6,
                dir.display(),
                started.elapsed().as_secs_f64()
            );
            let _ = writeln!(
                out,
                "read it with: kanbao --config {}",
                dir.join("config.toml").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth-archive: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: impl Iterator<Item = std::ffi::OsString>) -> Result<Command, String> {
    let mut options = Options::default();
    let mut dir: Option<PathBuf> = None;
    let mut args = args;
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            // Only the folder may be a path that is not UTF-8.
            if dir.replace(PathBuf::from(arg)).is_some() {
                return Err("more than one DIR given".to_owned());
            }
            continue;
        };
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (text, None),
        };
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "--articles" | "--seed" | "--feeds" | "--pages-per-issue" | "--articles-per-page" => {
                let ranged = matches!(name, "--pages-per-issue" | "--articles-per-page");
                let value = match inline {
                    Some(value) => value,
                    None => args
                        .next()
                        .and_then(|v| v.to_str().map(str::to_owned))
                        .ok_or_else(|| {
                            let wanted = if ranged {
                                "a range such as 16-24"
                            } else {
                                "a number"
                            };
                            format!("{name} needs {wanted}")
                        })?,
                };
                if ranged {
                    let range = synth::parse_range(&value).ok_or_else(|| {
                        format!("{name}: \"{value}\" is not a range such as 16-24 or a number")
                    })?;
                    if name == "--pages-per-issue" {
                        options.pages_per_issue = range;
                    } else {
                        options.articles_per_page = range;
                    }
                    continue;
                }
                let number = value
                    .trim()
                    .replace('_', "")
                    .parse::<u64>()
                    .map_err(|_| format!("{name}: \"{value}\" is not a whole number"))?;
                let size =
                    || usize::try_from(number).map_err(|_| format!("{name}: {value} is too large"));
                match name {
                    "--articles" => options.articles = size()?,
                    "--seed" => options.seed = number,
                    _ => options.feeds = size()?,
                }
            }
            "--" => {
                for rest in args.by_ref() {
                    if dir.replace(PathBuf::from(rest)).is_some() {
                        return Err("more than one DIR given".to_owned());
                    }
                }
            }
            _ if name.starts_with('-') && name.len() > 1 => {
                return Err(format!("unknown option \"{name}\""));
            }
            _ => {
                if dir.replace(PathBuf::from(text)).is_some() {
                    return Err("more than one DIR given".to_owned());
                }
            }
        }
    }
    match dir {
        Some(dir) => Ok(Command::Generate(options, dir)),
        None => Err("no DIR given: name the folder to write the archive to".to_owned()),
    }
}
