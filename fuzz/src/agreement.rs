// The check of the `agreement_toml` fuzz target: `interop::agreement::parse_str`, recognition
// agreements as TOML. It lives here, not in `eidtrust::fuzzcheck`, because `interop` sits above
// the facade; `crates/interop/tests/fuzz_regressions.rs` includes this file (`include!`) to replay
// `fuzz/regressions/agreement_toml/` in a normal `cargo test`, so it is written once.
//
// Asserts: no panic; the same outcome twice; an error has a message; an accepted instrument
// serialises and reads back to the same instrument. The file name given to the parser is
// `<id>.toml` with the id the text declares (the parser requires the stem to be the id), so that
// fuzzing reaches the checks behind that one.

/// Runs the agreement check; `Err` names the violated property.
pub fn check_agreement(data: &[u8]) -> Result<(), String> {
    let first = agreement_outcome(data)?;
    let second = agreement_outcome(data)?;
    if first != second {
        return Err(format!("not deterministic:\nfirst:  {first}\nsecond: {second}"));
    }
    Ok(())
}

fn agreement_outcome(data: &[u8]) -> Result<String, String> {
    use eidtrust_interop::agreement::parse_str;
    let Ok(text) = std::str::from_utf8(data) else { return Ok("not UTF-8".into()) };
    let id = toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_owned))
        .filter(|id| !id.is_empty() && !id.contains(['/', '\\', '.']))
        .unwrap_or_else(|| "fuzz".to_owned());
    let file = format!("{id}.toml");
    match parse_str(text, &file) {
        Ok(i) => {
            let s = toml::to_string(&i).map_err(|e| format!("an accepted agreement does not serialise: {e}"))?;
            let again =
                parse_str(&s, &file).map_err(|e| format!("an accepted agreement does not read back: {e}\n{s}"))?;
            if format!("{i:?}") != format!("{again:?}") {
                return Err(format!("round trip changed the agreement\n{i:?}\n{again:?}"));
            }
            Ok(format!("{i:?}"))
        }
        Err(e) => {
            if e.to_string().trim().is_empty() {
                return Err("an error whose message is empty".into());
            }
            Ok(format!("error: {e}"))
        }
    }
}
