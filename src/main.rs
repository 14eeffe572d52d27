#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    hotline::cli::main()
}
