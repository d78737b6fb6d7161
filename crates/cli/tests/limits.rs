//! The CLI's own limits (docs/limits.md), each shown enforced through the binary with a clear
//! error and exit code 2 (a usage error, not a verdict):
//!
//! - `common::MAX_INPUT_BYTES` (64 MiB) on every input file and on standard input: a file one byte
//!   over the cap is refused before it is read, with a message naming the file; a file at the cap is
//!   read (and then judged by the command: not a size error);
//! - `trustlist::limits::MAX_LISTS` (64) on the `--tl` lists of `tl qualify`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `crates/cli/src/common.rs` `MAX_INPUT_BYTES` (the binary crate has no library to import it from).
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;
/// `eidtrust_trustlist::limits::MAX_LISTS`.
const MAX_LISTS: usize = eidtrust::trustlist::limits::MAX_LISTS;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("eidtrust-cli-limits-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A sparse file of `len` bytes (zeros): no disk space or time spent on its contents.
fn sparse(path: &Path, len: u64) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(len).unwrap();
}

fn eidtrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eidtrust")).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn leaf() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../test-vectors/rs/leaf/qualified-esig.pem")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_file_one_byte_over_the_input_cap_is_a_usage_error_naming_it() {
    let dir = TempDir::new("over");
    let big = dir.path("list-over-the-cap.xml");
    sparse(&big, MAX_INPUT_BYTES + 1);
    let name = big.to_string_lossy().into_owned();
    for args in [
        vec!["tl", "inspect", name.as_str()],
        vec!["tl", "verify", name.as_str(), "--at", "2025-06-01T00:00:00Z"],
        vec!["tl", "qualify", "--cert", name.as_str(), "--tl", name.as_str(), "--at", "2025-06-01T00:00:00Z"],
    ] {
        let o = eidtrust(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&name), "{args:?}: the message names the file: {err}");
        assert!(
            err.contains(&format!("{} bytes, over the input limit of {MAX_INPUT_BYTES} bytes", MAX_INPUT_BYTES + 1)),
            "{args:?}: the message gives the size and the limit: {err}"
        );
        assert!(o.stdout.is_empty(), "{args:?}: no verdict on stdout");
    }
}

#[test]
fn a_file_at_the_input_cap_is_read() {
    let dir = TempDir::new("at");
    let at_cap = dir.path("list-at-the-cap.xml");
    sparse(&at_cap, MAX_INPUT_BYTES);
    let o = eidtrust(&["tl", "inspect", &at_cap.to_string_lossy()]);
    let err = stderr(&o);
    // Read in full, then refused by the trusted-list parser (32 MiB list limit): a verdict (exit 1),
    // not the CLI's input cap.
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("input limit"), "{err}");
}

#[test]
fn standard_input_over_the_cap_is_a_usage_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eidtrust"))
        .args(["tl", "inspect", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        let mut written = 0u64;
        while written <= MAX_INPUT_BYTES {
            // The reader stops at the cap plus one byte and may exit: a broken pipe ends the writer.
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            written += chunk.len() as u64;
        }
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("over the input limit of {MAX_INPUT_BYTES} bytes")), "{err}");
}

/// A minimal unsigned list: parses, does not verify (so `tl qualify` reports it unusable: exit 1).
const MINI: &str = r#"<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier><TSLSequenceNumber>1</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType><SchemeTerritory>XK</SchemeTerritory><ListIssueDateTime>2024-01-01T00:00:00Z</ListIssueDateTime><NextUpdate><dateTime>2024-07-01T00:00:00Z</dateTime></NextUpdate></SchemeInformation></TrustServiceStatusList>"#;

fn qualify_with(lists: &[String]) -> Output {
    let leaf = leaf();
    let mut args = vec!["tl", "qualify", "--cert", leaf.as_str(), "--at", "2024-03-01T00:00:00Z"];
    for l in lists {
        args.extend(["--tl", l.as_str()]);
    }
    eidtrust(&args)
}

#[test]
fn more_than_max_lists_trusted_lists_is_a_usage_error() {
    let dir = TempDir::new("lists");
    let lists: Vec<String> = (0..=MAX_LISTS)
        .map(|i| {
            let p = dir.path(&format!("tl-{i}.xml"));
            std::fs::write(&p, MINI).unwrap();
            p.to_string_lossy().into_owned()
        })
        .collect();

    // MAX_LISTS lists: read and judged (none is signed, so none is usable: exit 1, no usage error).
    let o = qualify_with(&lists[..MAX_LISTS]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}\n{}", String::from_utf8_lossy(&o.stdout));
    assert!(!err.contains("lists may be given"), "{err}");

    // One more: refused before any list is read.
    let o = qualify_with(&lists);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("at most {MAX_LISTS} lists may be given")), "{err}");
    assert!(o.stdout.is_empty());
}
