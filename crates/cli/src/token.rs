//! `eidtrust token ...`: verify and inspect signed eID tokens (JWT, JWS JSON, SD-JWT, SD-JWT+KB).
//!
//! Exit codes: 0 valid; 1 not valid, including a malformed token (FORMAT_FAILURE with a finding);
//! 2 for usage errors, unreadable files, and keys, anchors or profiles the caller supplies that
//! cannot be used.

use crate::common::{now_unix, parse_rfc3339, read_input, CmdResult, Outcome, TextOrJson, UsageError};
use eidtrust::token::policy::{KeyBinding, TokenPolicy};
use eidtrust::token::x5c::PkiChainValidator;
use eidtrust::token::{self as tk, HmacKeys, KeySet, VerifyContext};
use serde_json::{json, Value};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Verify a token: signature (configured keys or x5c against anchors), JOSE header rules,
    /// claims, SD-JWT disclosures and key binding, SD-JWT VC and EUDI PID rules.
    Verify(VerifyArgs),
    /// Decode a token WITHOUT verifying anything.
    Inspect(InspectArgs),
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The token file, or `-` for standard input.
    file: String,
    /// Trust anchors (PEM or DER certificates) for issuer keys carried in `x5c`. Repeatable.
    #[arg(long = "anchors", value_name = "FILE")]
    anchors: Vec<String>,
    /// Issuer verification keys: a JWK, a JWKS or PEM (PUBLIC KEY / CERTIFICATE). Repeatable.
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<String>,
    /// A national profile id (`rs`, `eu-eidas`, ...) or a profile file: its `[tokens]` rules
    /// (kinds, algorithms, issuers, required claims, key binding) apply and its LoA mapping is
    /// reported; a profile without `[tokens]` restricts the algorithms only.
    #[arg(long)]
    profile: Option<String>,
    /// Validation time (RFC 3339); default: now.
    #[arg(long)]
    at: Option<String>,
    /// The audience this verifier identifies as (JWT aud, KB-JWT aud).
    #[arg(long)]
    audience: Option<String>,
    /// The nonce this verifier issued (JWT nonce, KB-JWT nonce).
    #[arg(long)]
    nonce: Option<String>,
    /// Refuse an SD-JWT presented without a KB-JWT.
    #[arg(long)]
    require_key_binding: bool,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

#[derive(clap::Args)]
pub struct InspectArgs {
    /// The token file, or `-` for standard input.
    file: String,
    #[arg(long, value_enum, default_value = "text")]
    format: TextOrJson,
}

pub fn run(cmd: Command) -> CmdResult {
    match cmd {
        Command::Verify(a) => verify(a),
        Command::Inspect(a) => inspect(a),
    }
}

fn verify(a: VerifyArgs) -> CmdResult {
    let at = match &a.at {
        Some(s) => parse_rfc3339(s)?,
        None => now_unix(),
    };
    if a.keys.is_empty() && a.anchors.is_empty() {
        return Err(UsageError::new(
            "give at least one --key (JWK, JWKS or PEM) or --anchors (for x5c): nothing could verify the token",
        ));
    }
    let mut keys = KeySet::new();
    for k in &a.keys {
        let bytes = read_input(k)?;
        keys.add_from_bytes(&bytes, HmacKeys::Reject).map_err(|e| UsageError::new(format!("--key {k}: {e}")))?;
    }
    let mut anchor_ders = Vec::new();
    for f in &a.anchors {
        let bytes = read_input(f)?;
        let ders = eidtrust::pki::input::read(&bytes, eidtrust::pki::input::Kind::Certificate)
            .map_err(|e| UsageError::new(format!("--anchors {f}: {e:?}")))?;
        anchor_ders.extend(ders);
    }
    let validator = if anchor_ders.is_empty() {
        None
    } else {
        Some(
            PkiChainValidator::from_anchor_ders(&anchor_ders)
                .map_err(|e| UsageError::new(format!("--anchors: {e}")))?,
        )
    };
    let policy = match &a.profile {
        Some(id) => {
            let p = eidtrust::profile::resolve(id).map_err(|e| UsageError::new(format!("--profile {id}: {e}")))?;
            let policy = tk::profile_rules::policy_for_profile(&p);
            if policy.allowed_algs.is_empty() {
                return Err(UsageError::new(format!("--profile {id}: the profile allows no JWS signature algorithm")));
            }
            policy
        }
        None => TokenPolicy::default(),
    };
    let mut policy = policy;
    if a.require_key_binding {
        policy.key_binding = KeyBinding::Required;
    }
    let token = read_input(&a.file)?;
    let mut cx = VerifyContext::new(&keys, &policy, at);
    cx.chain_validator = validator.as_ref().map(|v| v as &dyn tk::ChainValidator);
    cx.audience = a.audience.as_deref();
    cx.nonce = a.nonce.as_deref();
    let r = tk::verify_token(&token, &cx);
    let valid = r.is_valid();
    match a.format {
        TextOrJson::Json => {
            let out = json!({
                "valid": valid,
                "kind": r.kind.map(|k| k.as_str()),
                "class": r.class.map(|c| c.as_str()),
                "profile": policy.profile,
                "loa": r.loa,
                "claims": r.claims.clone().map(Value::Object),
                "findings": r.verdict.findings,
            });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        TextOrJson::Text => {
            let kind = r.kind.map_or("unrecognised", |k| k.as_str());
            let ind = match r.verdict.sub_indication {
                Some(s) => format!("{} / {}", r.verdict.indication, s),
                None => r.verdict.indication.to_string(),
            };
            println!("{}: {kind} token ({ind})", if valid { "VALID" } else { "NOT VALID" });
            if let Some(l) = &r.loa {
                println!("level of assurance: {l}");
            }
            for f in &r.verdict.findings {
                println!("  {f}");
            }
            if let Some(c) = &r.claims {
                println!("claims (disclosures applied):");
                println!("{}", serde_json::to_string_pretty(c).unwrap_or_default());
            }
        }
    }
    Ok(Outcome::from_valid(valid))
}

const NOT_VERIFIED: &str = "NOT VERIFIED: decoded only; no signature, key, time or disclosure check was made";

fn inspect(a: InspectArgs) -> CmdResult {
    let token = read_input(&a.file)?;
    let i = tk::inspect(&token);
    eprintln!("eidtrust: WARNING: {NOT_VERIFIED}");
    match a.format {
        TextOrJson::Json => {
            let mut v = serde_json::to_value(&i).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("verified".into(), json!(false));
                m.insert("warning".into(), json!(NOT_VERIFIED));
            }
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        TextOrJson::Text => {
            println!("*** {NOT_VERIFIED} ***");
            println!("kind: {}", i.kind.map_or("unrecognised", |k| k.as_str()));
            for (n, h) in i.headers.iter().enumerate() {
                println!("header[{n}]: {h}");
            }
            if let Some(p) = &i.payload {
                println!("payload: {}", serde_json::to_string_pretty(p).unwrap_or_default());
            }
            for (n, d) in i.disclosures.iter().enumerate() {
                println!("disclosure[{n}]: {d}");
            }
            if let Some(h) = &i.kb_jwt_header {
                println!("kb-jwt header: {h}");
            }
            if let Some(p) = &i.kb_jwt_payload {
                println!("kb-jwt payload: {p}");
            }
            for p in &i.problems {
                println!("problem: {p}");
            }
            println!("*** {NOT_VERIFIED} ***");
        }
    }
    // Decoding is not a verdict: a token that decodes exits 0, one that does not exits 1.
    Ok(Outcome::from_valid(i.payload.is_some() && i.problems.is_empty()))
}
