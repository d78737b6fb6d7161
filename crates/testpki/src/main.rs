//! `eidtrust-testpki generate DIR` writes the synthetic vectors; `eidtrust-testpki check DIR`
//! exits 1 if DIR differs from what the generator produces.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: eidtrust-testpki generate DIR   write the vectors under DIR\n       eidtrust-testpki check DIR      compare DIR with the generator (exit 1 on drift)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, dir) = match args.as_slice() {
        [cmd, dir] => (cmd.as_str(), PathBuf::from(dir)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match cmd {
        "generate" => match eidtrust_testpki::write_dir(&dir) {
            Ok(n) => {
                println!("wrote {n} files under {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        "check" => {
            let result =
                eidtrust_testpki::generate_files().and_then(|files| eidtrust_testpki::compare_dir(&dir, &files));
            match result {
                Ok(drift) if drift.is_empty() => {
                    println!("{} matches the generator", dir.display());
                    ExitCode::SUCCESS
                }
                Ok(drift) => {
                    for d in &drift {
                        println!("{d}");
                    }
                    println!(
                        "{} differences; regenerate with `cargo run -p eidtrust-testpki -- generate {}`",
                        drift.len(),
                        dir.display()
                    );
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
