//! The shape of the code, checked from its source (issue 13): no circle of
//! imports between files or folders, a reader state of one field per
//! concern, and an `update` that does no I/O.
//!
//! Imports are read from the `crate::…` and `super::…` paths of every file
//! under `src/` (in `use` lines and in code; comments are skipped), each
//! resolved to the file of the longest module it names. At every folder the
//! rooms are its direct children (a file, or a subfolder as one room); an
//! arrow between two files inside the folder is an arrow between their
//! rooms. A folder's own `mod.rs` (or `lib.rs`) is where its children are
//! declared and is not a room of it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// A module path: `["ui", "update", "keys"]`; the crate root is empty.
type Module = Vec<String>;

/// Every source file as its module path, and its text.
fn sources() -> BTreeMap<Module, String> {
    let root = Path::new(MANIFEST_DIR).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut modules = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap_or_else(|e| panic!("{e}"));
        let mut module: Module = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        if module == ["main"] {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        modules.insert(module, text);
    }
    modules
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The paths a file names: each a list of segments from the crate root.
fn paths(module: &Module, text: &str) -> Vec<Module> {
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let code = code.split(" //").next().unwrap_or(code);
        for start in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(found_at) = code[from..].find(start) {
                let at = from + found_at;
                // What precedes it in the line, not in what is left of it:
                // the second `super::` of `super::super::` follows `::`.
                let before = code[..at].chars().last();
                let tail = &code[at..];
                from = at + start.len();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let mut base = if start == "crate::" {
                    Vec::new()
                } else {
                    // `super` of `a::b` is `a`, whether `b` is a file or a folder.
                    let mut base = module.clone();
                    base.pop();
                    base
                };
                let mut tree = &tail[start.len()..];
                while let Some(more) = tree.strip_prefix("super::") {
                    base.pop();
                    tree = more;
                }
                use_tree(&base, tree, &mut found);
            }
        }
    }
    found
}

/// Reads a path or a use tree (`a::b`, `a::{self, b::C}`) after `base`.
fn use_tree(base: &Module, text: &str, found: &mut Vec<Module>) {
    let mut path = base.clone();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end > 0 {
            path.push(rest[..end].to_owned());
        }
        rest = &rest[end..];
        if let Some(more) = rest.strip_prefix("::") {
            if let Some(inner) = more.strip_prefix('{') {
                for item in split_top(inner) {
                    use_tree(&path, item.trim(), found);
                }
                found.push(path);
                return;
            }
            rest = more;
            continue;
        }
        found.push(path);
        return;
    }
}

/// The comma-separated items of a `{…}` group, up to its closing brace.
fn split_top(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&text[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

/// File → files it imports.
fn arrows() -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = sources();
    let mut arrows = BTreeMap::new();
    for (module, text) in &modules {
        let mut targets = BTreeSet::new();
        for path in paths(module, text) {
            // The longest prefix that is a file.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains_key(p));
            if let Some(target) = target
                && target != *module
            {
                targets.insert(target);
            }
        }
        arrows.insert(module.clone(), targets);
    }
    arrows
}

/// A circle in `graph`, if there is one, as the rooms on it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    return Some(stack[from..].to_vec());
                }
                Some(_) => {}
                None => {
                    if let Some(found) = visit(next, graph, state, stack) {
                        return Some(found);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            let mut stack = Vec::new();
            if let Some(found) = visit(node, graph, &mut state, &mut stack) {
                return Some(found);
            }
        }
    }
    None
}

/// The rooms of each folder and the arrows between them.
fn rooms(
    arrows: &BTreeMap<Module, BTreeSet<Module>>,
) -> BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> {
    let mut folders: BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, targets) in arrows {
        for to in targets {
            // Every folder holding both, strictly above each.
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            for depth in 0..=common {
                let folder = from[..depth].to_vec();
                let (Some(a), Some(b)) = (from.get(depth), to.get(depth)) else {
                    continue;
                };
                if a != b {
                    folders
                        .entry(folder)
                        .or_default()
                        .entry(a.clone())
                        .or_default()
                        .insert(b.clone());
                }
            }
        }
    }
    folders
}

#[test]
fn no_circle_of_imports_between_files_or_folders() {
    let arrows = arrows();
    // The reading itself: arrows it must see.
    let sees = |from: &[&str], to: &[&str]| {
        let from: Module = from.iter().map(|s| (*s).to_owned()).collect();
        let to: Module = to.iter().map(|s| (*s).to_owned()).collect();
        arrows.get(&from).is_some_and(|t| t.contains(&to))
    };
    assert!(sees(&["cli"], &["library"]), "crate:: paths are read");
    assert!(
        sees(&["ui", "update", "keys"], &["ui", "app"]),
        "super::super:: paths are read"
    );
    assert!(
        sees(&["feed", "fetch"], &["feed", "http"]),
        "super:: paths are read"
    );
    assert!(
        sees(&["source", "item"], &["source", "page"]),
        "super:: paths are read"
    );

    let mut circles = Vec::new();
    for (folder, graph) in rooms(&arrows) {
        if let Some(found) = circle(&graph) {
            circles.push(format!(
                "in src/{}: {}",
                folder.join("/"),
                found.join(" → ")
            ));
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("source", "model"), ("feed", "source"), ("source", "feed")] {
        graph.entry(a.to_owned()).or_default().insert(b.to_owned());
    }
    let found = circle(&graph).unwrap_or_default();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&"source".to_owned()) && found.contains(&"feed".to_owned()));
    graph.entry("source".to_owned()).or_default().remove("feed");
    assert_eq!(circle(&graph), None);
}

/// The fields of `pub struct NAME { … }` in `text`.
fn fields(text: &str, name: &str) -> Vec<String> {
    let start = text
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("no struct {name}"));
    let body = &text[start..];
    let end = body.find("\n}").unwrap_or(body.len());
    body[..end]
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(':')
                .map(|(n, _)| n.trim_start_matches("pub ").trim().to_owned())
        })
        .collect()
}

#[test]
fn the_reader_state_is_one_field_per_concern() {
    let modules = sources();
    let app = &modules[&vec!["ui".to_owned(), "app".to_owned()]];
    let names = fields(app, "App");
    assert!(
        names.len() <= 12,
        "App has {} fields: {names:?}",
        names.len()
    );
    for concern in ["archive", "input", "status", "size", "panes"] {
        assert!(
            names.iter().any(|n| n == concern),
            "App has no {concern}: {names:?}"
        );
    }
}

#[test]
fn update_and_the_state_it_changes_do_no_io() {
    // What reads or writes files, starts processes, opens sockets or
    // threads: none of it may appear where update runs.
    const IO: [&str; 10] = [
        "std::fs",
        "fs::",
        "File::",
        "std::net",
        "std::process",
        "Command::",
        "thread::spawn",
        "read_article",
        "feed::fetch::run",
        ".open(",
    ];
    let modules = sources();
    let mut seen = Vec::new();
    for (module, text) in &modules {
        let pure = module.starts_with(&["ui".to_owned(), "update".to_owned()])
            || *module == ["ui", "app"]
            || *module == ["ui", "archive"]
            || *module == ["ui", "layout"]
            || *module == ["ui", "msg"];
        if !pure {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for io in IO {
                if code.contains(io) {
                    seen.push(format!("src/{}.rs:{}: {io}", module.join("/"), n + 1));
                }
            }
        }
    }
    assert!(
        seen.is_empty(),
        "I/O where update runs:\n{}",
        seen.join("\n")
    );
    assert!(
        modules[&vec!["ui".to_owned()]].contains("read_article"),
        "the loop in ui/mod.rs reads the bodies (the check looks for the right name)"
    );
}

#[test]
fn a_super_super_path_names_one_module() {
    let module: Module = ["ui", "update", "keys"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let found = paths(&module, "use super::super::app::App;");
    let want: Vec<Module> = vec![
        ["ui", "app", "App"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
    ];
    assert_eq!(found, want, "not also ui::update::app");
}
