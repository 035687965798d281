use std::process::ExitCode;

fn main() -> ExitCode {
    kanbao::cli::main()
}
