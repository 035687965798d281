//! How a run of the kanbao binary ended, for the tests that run it.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::process::{Command, Output};

use serde_json::Value;

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` with stdout and stderr piped.
    pub fn of(command: &mut Command) -> Run {
        Run::from(command.output().expect("run the kanbao binary"))
    }

    /// Stdout as JSON; fails the test, showing stdout, if it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The stderr lines, for comparing whole messages.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().expect("kanbao exited with a code"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// The keys of a JSON object, sorted: for checking a JSON shape.
pub fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}
