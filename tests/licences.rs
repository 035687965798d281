//! Every dependency's licence lets kanbao be shipped as MIT OR Apache-2.0
//! (issue 16).
//!
//! The licences are read from `cargo metadata`, which lists every package
//! the lock file resolves for any platform, dev-dependencies included, so a
//! copyleft crate behind a platform gate or a test still fails here. An
//! expression passes when one of its `OR` branches is made only of allowed
//! licences; the old `A/B` form is read as `A OR B`.

use std::process::Command;

use rstest::rstest;

/// Licences that ask nothing of a program that links the code beyond
/// keeping notices.
const ALLOWED: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    // Copyleft per file only: changes to its own files stay MPL, the rest
    // of the program is untouched.
    "MPL-2.0",
    "CC0-1.0",
    "BSL-1.0",
    "0BSD",
    "Unlicense",
    // `terminfo` (via termwiz): no conditions at all.
    "WTFPL",
    // `webpki-roots`: Mozilla's root certificates as data; permissive, asks
    // only that the licence text travel with the data.
    "CDLA-Permissive-2.0",
];

/// Exceptions that only add permissions to the licence they follow.
const ALLOWED_EXCEPTIONS: &[&str] = &["LLVM-exception"];

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Open,
    Close,
    Word(&'a str),
}

fn tokens(expression: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for word in expression.split_whitespace() {
        // `Apache-2.0/MIT` and `(MIT` are several tokens.
        let mut rest = word;
        while !rest.is_empty() {
            let end = rest.find(['(', ')', '/']).unwrap_or(rest.len());
            if end == 0 {
                out.push(match rest.as_bytes()[0] {
                    b'(' => Token::Open,
                    b')' => Token::Close,
                    _ => Token::Word("OR"),
                });
                rest = &rest[1..];
            } else {
                out.push(Token::Word(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// Reads an SPDX expression and says whether it allows shipping under
/// kanbao's licence; `Err` names what could not be read.
fn allowed(expression: &str) -> Result<bool, String> {
    let tokens = tokens(expression);
    let mut at = 0;
    let verdict = or_expression(&tokens, &mut at)?;
    match tokens.get(at) {
        None => Ok(verdict),
        Some(t) => Err(format!("unexpected {t:?} in {expression:?}")),
    }
}

fn or_expression(tokens: &[Token], at: &mut usize) -> Result<bool, String> {
    let mut any = and_expression(tokens, at)?;
    while tokens.get(*at) == Some(&Token::Word("OR")) {
        *at += 1;
        // Both sides are read, so a malformed branch is an error even
        // after an allowed one.
        any |= and_expression(tokens, at)?;
    }
    Ok(any)
}

fn and_expression(tokens: &[Token], at: &mut usize) -> Result<bool, String> {
    let mut all = term(tokens, at)?;
    while tokens.get(*at) == Some(&Token::Word("AND")) {
        *at += 1;
        all &= term(tokens, at)?;
    }
    Ok(all)
}

fn term(tokens: &[Token], at: &mut usize) -> Result<bool, String> {
    match tokens.get(*at) {
        Some(Token::Open) => {
            *at += 1;
            let inner = or_expression(tokens, at)?;
            if tokens.get(*at) != Some(&Token::Close) {
                return Err("unclosed parenthesis".into());
            }
            *at += 1;
            Ok(inner)
        }
        Some(Token::Word(id)) if !matches!(*id, "OR" | "AND" | "WITH") => {
            *at += 1;
            let licence = ALLOWED.contains(&id.trim_end_matches('+'));
            if tokens.get(*at) != Some(&Token::Word("WITH")) {
                return Ok(licence);
            }
            *at += 1;
            match tokens.get(*at) {
                Some(Token::Word(exception)) => {
                    *at += 1;
                    Ok(licence && ALLOWED_EXCEPTIONS.contains(exception))
                }
                _ => Err(format!("WITH after {id} names no exception")),
            }
        }
        other => Err(format!("expected a licence, found {other:?}")),
    }
}

#[rstest]
#[case::single("MIT", true)]
#[case::either("MIT OR Apache-2.0", true)]
#[case::old_slash("Apache-2.0/MIT", true)]
#[case::old_slash_spaced("Apache-2.0 / MIT", true)]
#[case::both_needed("(MIT OR Apache-2.0) AND Unicode-3.0", true)]
#[case::exception("Apache-2.0 WITH LLVM-exception", true)]
#[case::exception_or("Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT", true)]
#[case::mpl("MIT OR MPL-2.0", true)]
#[case::gpl_alternative("MIT OR Apache-2.0 OR LGPL-2.1-or-later", true)]
#[case::gpl("GPL-3.0-only", false)]
#[case::gpl_plus("GPL-2.0+", false)]
#[case::lgpl("LGPL-2.1-or-later", false)]
#[case::agpl("AGPL-3.0-or-later", false)]
#[case::gpl_slash("MIT/GPL-3.0", true)]
#[case::gpl_and("MIT AND GPL-3.0-only", false)]
#[case::gpl_in_group("(MIT OR GPL-2.0) AND LGPL-3.0", false)]
#[case::gpl_exception("GPL-2.0 WITH Classpath-exception-2.0", false)]
#[case::unknown_exception("MIT WITH Some-exception", false)]
#[case::unknown("Proprietary", false)]
fn verdict(#[case] expression: &str, #[case] expected: bool) {
    assert_eq!(allowed(expression), Ok(expected), "{expression}");
}

#[rstest]
#[case::empty("")]
#[case::unclosed("(MIT OR Apache-2.0")]
#[case::dangling_or("MIT OR")]
#[case::dangling_with("Apache-2.0 WITH")]
#[case::stray_close("MIT)")]
fn malformed(#[case] expression: &str) {
    assert!(allowed(expression).is_err(), "{expression:?} read as valid");
}

#[test]
fn every_dependency_is_compatible() {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("running {cargo} metadata: {e}"));
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("cargo metadata: {e}"));
    let members = metadata["workspace_members"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    assert!(
        packages.len() > 50,
        "cargo metadata listed only {} packages",
        packages.len()
    );

    let mut refused = Vec::new();
    for package in &packages {
        let name = format!(
            "{} {}",
            package["name"].as_str().unwrap_or("?"),
            package["version"].as_str().unwrap_or("?")
        );
        let licence = package["license"].as_str();
        if members.contains(&package["id"]) {
            assert_eq!(
                licence,
                Some("MIT OR Apache-2.0"),
                "workspace member {name}"
            );
            continue;
        }
        match licence.map(allowed) {
            Some(Ok(true)) => {}
            Some(Ok(false)) => refused.push(format!("{name}: {}", licence.unwrap_or_default())),
            Some(Err(e)) => refused.push(format!("{name}: unreadable licence: {e}")),
            None => refused.push(format!("{name}: no SPDX licence (license-file only?)")),
        }
    }
    assert!(
        refused.is_empty(),
        "licences not compatible with MIT OR Apache-2.0:\n{}",
        refused.join("\n")
    );
}
