//! OCSP (RFC 6960) and opt-in fetching, against testpki's synthetic PKI and loopback servers, and
//! against `openssl ocsp` as an independent responder and client when it is installed.
//!
//! The HTTP tests need the `fetch` feature: `cargo test -p eidtrust-pki --features fetch --test ocsp`.

use eidtrust_pki as pki;
use pki::budget::{Budget, Limits};
use pki::cert::Certificate;
use pki::crypto::RingVerifier;
use pki::ocsp::{
    self, build_request, check_response, check_response_with, CertIdHash, CertRole, CheckOptions, NonceRule,
    NonceState, OcspError, OcspOutcome, OcspResponse, OcspStatus, Signer, MAX_RESPONSE_CERTS, MAX_SINGLE_RESPONSES,
};
use report::{Indication, Severity, SubIndication};
use testpki::der;
use testpki::ocsp_server::{
    cert_id, delegated_responder, foreign_signer, NonceMode, OcspResponder, SignerChoice, Status,
};
use testpki::pki::{times, Issued, IssuingCa, LeafSpec, StatePki, VALIDATION_TIME};
use testpki::x509::Reason;

const T: i64 = 1_748_736_000; // 2025-06-01T00:00:00Z, testpki's VALIDATION_TIME

fn secs(n: u64) -> std::time::Duration {
    std::time::Duration::from_secs(n)
}

struct Fx {
    pki: StatePki,
    ca: Issued,
    leaf: Issued,
}

fn fx_with(label: &str, ocsp_url: Option<String>, crl_url: Option<String>, ca_issuers: Option<String>) -> Fx {
    let state = testpki::states::all().into_iter().next().expect("a state");
    let pki = StatePki::build(&state);
    let mut spec = LeafSpec::valid(&state, testpki::etsi::CertType::QualifiedEsig, label);
    spec.serial = testpki::pki::serial_for(&format!("ocsp-test/{label}"));
    spec.ocsp = ocsp_url;
    spec.crl_dp = crl_url;
    spec.ca_issuers = ca_issuers;
    let ca = pki.issuing(IssuingCa::for_type(spec.cert_type)).clone();
    let leaf = spec.issue(&pki.leaf_key(label), &ca);
    Fx { pki, ca, leaf }
}

fn fx() -> Fx {
    fx_with("leaf", None, None, None)
}

fn cert(i: &Issued) -> Certificate {
    Certificate::from_der(&i.der).expect("testpki certificate parses")
}

fn budget() -> Budget {
    Budget::new(Limits::default())
}

fn check(f: &Fx, resp: &[u8], nonce: Option<&[u8]>) -> OcspStatus {
    check_response(&cert(&f.leaf), &cert(&f.ca), resp, T, &RingVerifier, nonce, &mut budget())
}

fn ids(s: &OcspStatus) -> Vec<&str> {
    s.findings.iter().map(|f| &*f.id).collect()
}

fn responder(f: &Fx) -> OcspResponder {
    OcspResponder::new(&f.ca, VALIDATION_TIME)
}

/// A request with the nonce extension as RFC 8954 writes it.
fn request_with_nonce(f: &Fx, nonce: &[u8]) -> Vec<u8> {
    build_request(&cert(&f.leaf), &cert(&f.ca), CertIdHash::Sha1, Some(nonce)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Responses given as bytes (stapled)
// ---------------------------------------------------------------------------------------------

#[test]
fn good_signed_by_the_ca() {
    let f = fx();
    let st = check(&f, &responder(&f).staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::Good, "{:?}", st.findings);
    let ev = st.evidence.as_ref().unwrap();
    assert!(matches!(ev.signer, Signer::Issuer { .. }));
    assert_eq!(ev.cert_id_hash, CertIdHash::Sha1);
    assert_eq!(ev.next_update, Some(T + 7 * 86_400));
    assert_eq!(ids(&st), vec!["rfc6960.status.good"]);
    let v = st.verdict(CertRole::InUse);
    assert!(v.is_valid());
    assert!(st.findings[0].message.contains("signed by the issuing CA"), "{}", st.findings[0].message);
}

#[test]
fn revoked_maps_to_etsi_sub_indications() {
    let f = fx();
    let mut r = responder(&f);
    r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: Some(Reason::KeyCompromise) });
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::Revoked { time: times::REVOKED_AT.unix_timestamp(), reason: Some(1) });
    assert_eq!(ids(&st), vec!["rfc6960.status.revoked"]);
    assert!(st.findings[0].message.contains("keyCompromise"), "{}", st.findings[0].message);
    let v = st.verdict(CertRole::InUse);
    assert_eq!((v.indication, v.sub_indication), (Indication::Failed, Some(SubIndication::Revoked)));
    let v = st.verdict(CertRole::Signing);
    assert_eq!((v.indication, v.sub_indication), (Indication::Indeterminate, Some(SubIndication::RevokedNoPoe)));
    let v = st.verdict(CertRole::SigningCa);
    assert_eq!(v.sub_indication, Some(SubIndication::RevokedCaNoPoe));
}

#[test]
fn revoked_after_the_validation_time_is_good_at_that_time() {
    let f = fx();
    let mut r = responder(&f);
    r.set_status(&f.leaf, Status::Revoked { at: VALIDATION_TIME + secs(30 * 60), reason: None });
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::Good);
    assert_eq!(ids(&st), vec!["rfc6960.status.revoked-after-time"]);
}

#[test]
fn unknown_is_indeterminate_try_later() {
    let f = fx();
    let mut r = responder(&f);
    r.set_status(&f.leaf, Status::Unknown);
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::Unknown);
    assert_eq!(ids(&st), vec!["rfc6960.status.unknown"]);
    let v = st.verdict(CertRole::InUse);
    assert_eq!((v.indication, v.sub_indication), (Indication::Indeterminate, Some(SubIndication::TryLater)));
}

#[test]
fn expired_response_is_not_used() {
    let f = fx();
    let mut r = responder(&f);
    r.this_update = VALIDATION_TIME - secs(8 * 86_400);
    r.produced_at = r.this_update;
    r.next_update = Some(VALIDATION_TIME - secs(86_400));
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::NoStatus);
    assert_eq!(ids(&st), vec!["rfc6960.response.expired"]);
    assert_eq!(st.verdict(CertRole::InUse).sub_indication, Some(SubIndication::TryLater));
}

#[test]
fn leeway_is_applied_both_ways() {
    let f = fx();
    let mut r = responder(&f);
    // nextUpdate 200 s before the validation time: inside the 300 s leeway.
    r.next_update = Some(VALIDATION_TIME - secs(200));
    assert_eq!(check(&f, &r.staple(&f.leaf), None).outcome, OcspOutcome::Good);
    // thisUpdate and producedAt 200 s after: inside; 400 s after: not yet valid.
    let mut r = responder(&f);
    r.this_update = VALIDATION_TIME + secs(200);
    r.produced_at = r.this_update;
    assert_eq!(check(&f, &r.staple(&f.leaf), None).outcome, OcspOutcome::Good);
    r.this_update = VALIDATION_TIME + secs(400);
    r.produced_at = r.this_update;
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(ids(&st), vec!["rfc6960.response.not-yet-valid", "rfc6960.response.produced-after-time"]);
    // No leeway at all.
    let opts = CheckOptions { leeway: 0, ..CheckOptions::at(T) };
    let mut r = responder(&f);
    r.next_update = Some(VALIDATION_TIME - secs(1));
    let st = check_response_with(&cert(&f.leaf), &cert(&f.ca), &r.staple(&f.leaf), &opts, &RingVerifier, &mut budget());
    assert_eq!(ids(&st), vec!["rfc6960.response.expired"]);
}

#[test]
fn response_without_next_update_ages_out() {
    let f = fx();
    let mut r = responder(&f);
    r.next_update = None;
    assert_eq!(check(&f, &r.staple(&f.leaf), None).outcome, OcspOutcome::Good);
    r.this_update = VALIDATION_TIME - secs(11 * 86_400);
    r.produced_at = r.this_update;
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(ids(&st), vec!["rfc6960.response.too-old"]);
}

#[test]
fn delegated_responder_with_nocheck() {
    let f = fx();
    let mut r = responder(&f);
    r.signer = SignerChoice::Delegated(delegated_responder(&f.ca, "good", true, true));
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::Good, "{:?}", st.findings);
    assert!(matches!(st.evidence.clone().unwrap().signer, Signer::Delegated { nocheck: true, .. }));
    assert_eq!(ids(&st).len(), 1);
}

#[test]
fn delegated_responder_without_nocheck_is_a_warning() {
    let f = fx();
    let mut r = responder(&f);
    r.signer = SignerChoice::Delegated(delegated_responder(&f.ca, "no-nocheck", true, false));
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::Good);
    assert_eq!(ids(&st), vec!["rfc6960.responder.status-not-checked", "rfc6960.status.good"]);
    assert_eq!(st.findings[0].severity, Severity::Warning);
}

#[test]
fn responder_without_ocsp_signing_is_refused() {
    let f = fx();
    let mut r = responder(&f);
    r.signer = SignerChoice::Delegated(delegated_responder(&f.ca, "no-eku", false, true));
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::NoStatus);
    assert_eq!(ids(&st), vec!["rfc6960.responder.no-ocsp-signing"]);
}

#[test]
fn responder_of_another_ca_is_refused() {
    let f = fx();
    let other_ca = if f.ca.der == f.pki.ca.der { f.pki.qualified_ca.clone() } else { f.pki.ca.clone() };
    let mut r = responder(&f);
    r.signer = SignerChoice::Delegated(delegated_responder(&other_ca, "other-ca", true, true));
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(ids(&st), vec!["rfc6960.responder.not-issued-by-ca"]);
}

#[test]
fn wrong_signer_is_refused() {
    let f = fx();
    let mut r = responder(&f);
    r.signer = SignerChoice::Foreign(foreign_signer("x"));
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(st.outcome, OcspOutcome::NoStatus);
    assert_eq!(ids(&st), vec!["rfc6960.responder.not-issued-by-ca"]);

    // The CA's name as responderID, another key's signature.
    r.signer = SignerChoice::WrongKey(f.pki.root.key.clone());
    let st = check(&f, &r.staple(&f.leaf), None);
    assert_eq!(ids(&st), vec!["rfc6960.signature.invalid"]);
}

#[test]
fn unknown_responder_id_is_refused() {
    let f = fx();
    let mut r = responder(&f);
    r.signer = SignerChoice::Foreign(foreign_signer("y"));
    // Without the certs the responderID names nobody known.
    let st = check(&f, &strip_certs(&r.staple(&f.leaf)), None);
    assert_eq!(ids(&st), vec!["rfc6960.responder.not-found"]);
    // A delegated responder whose certificate is missing.
    r.signer = SignerChoice::Delegated(delegated_responder(&f.ca, "absent", true, true));
    let st = check(&f, &strip_certs(&r.staple(&f.leaf)), None);
    assert_eq!(ids(&st), vec!["rfc6960.responder.not-found"]);
}

/// The same response without its `certs` field (the signature stays valid: certs are outside
/// tbsResponseData).
fn strip_certs(resp: &[u8]) -> Vec<u8> {
    let (outer, _) = der::read_tlv(resp).unwrap();
    let top = der::children(outer.content).unwrap();
    let rb = der::children(top[1].content).unwrap();
    let rbs = der::children(rb[0].content).unwrap();
    let (basic, _) = der::read_tlv(rbs[1].content).unwrap();
    let parts = der::children(basic.content).unwrap();
    let basic = der::seq(parts.iter().take(3).map(|p| p.raw.to_vec()));
    let bytes = der::seq([rbs[0].raw.to_vec(), der::octet_string(&basic)]);
    der::seq([top[0].raw.to_vec(), der::explicit(0, &bytes)])
}

/// The same response with `extra` more copies of its certificate in `certs`.
fn with_certs(resp: &[u8], n: usize, cert_der: &[u8]) -> Vec<u8> {
    let (outer, _) = der::read_tlv(resp).unwrap();
    let top = der::children(outer.content).unwrap();
    let rb = der::children(top[1].content).unwrap();
    let rbs = der::children(rb[0].content).unwrap();
    let (basic, _) = der::read_tlv(rbs[1].content).unwrap();
    let parts = der::children(basic.content).unwrap();
    let mut v: Vec<Vec<u8>> = parts.iter().take(3).map(|p| p.raw.to_vec()).collect();
    v.push(der::explicit(0, &der::seq(std::iter::repeat_n(cert_der.to_vec(), n))));
    let basic = der::seq(v);
    let bytes = der::seq([rbs[0].raw.to_vec(), der::octet_string(&basic)]);
    der::seq([top[0].raw.to_vec(), der::explicit(0, &bytes)])
}

#[test]
fn certs_limit_is_enforced() {
    let f = fx();
    let mut r = responder(&f);
    let d = delegated_responder(&f.ca, "many", true, true);
    r.signer = SignerChoice::Delegated(d.clone());
    let ok = with_certs(&r.staple(&f.leaf), MAX_RESPONSE_CERTS, &d.der);
    assert_eq!(check(&f, &ok, None).outcome, OcspOutcome::Good);
    let too_many = with_certs(&r.staple(&f.leaf), MAX_RESPONSE_CERTS + 1, &d.der);
    assert_eq!(
        OcspResponse::from_der(&too_many),
        Err(OcspError::TooMany { what: "certificates", limit: MAX_RESPONSE_CERTS })
    );
    assert_eq!(ids(&check(&f, &too_many, None)), vec!["rfc6960.response.limit"]);
}

#[test]
fn single_responses_limit_is_enforced() {
    let f = fx();
    let r = responder(&f);
    let id = cert_id(&f.leaf, &f.ca);
    let ok = r.response(&vec![id.clone(); MAX_SINGLE_RESPONSES], None);
    assert_eq!(OcspResponse::from_der(&ok).unwrap().responses.len(), MAX_SINGLE_RESPONSES);
    assert_eq!(check(&f, &ok, None).outcome, OcspOutcome::Good);
    let too_many = r.response(&vec![id; MAX_SINGLE_RESPONSES + 1], None);
    assert_eq!(
        OcspResponse::from_der(&too_many),
        Err(OcspError::TooMany { what: "SingleResponses", limit: MAX_SINGLE_RESPONSES })
    );
}

#[test]
fn response_about_another_certificate_is_not_used() {
    let f = fx();
    let other = fx_with("other", None, None, None);
    let st = check(&f, &responder(&f).staple(&other.leaf), None);
    assert_eq!(ids(&st), vec!["rfc6960.response.certid-mismatch"]);
    assert_eq!(st.outcome, OcspOutcome::NoStatus);
}

#[test]
fn sha256_cert_ids_match() {
    let f = fx();
    let req = build_request(&cert(&f.leaf), &cert(&f.ca), CertIdHash::Sha256, None).unwrap();
    let resp = responder(&f).respond(&req);
    let st = check(&f, &resp, None);
    assert_eq!(st.outcome, OcspOutcome::Good, "{:?}", st.findings);
    assert_eq!(st.evidence.unwrap().cert_id_hash, CertIdHash::Sha256);
}

#[test]
fn nonce_echo_mismatch_and_absence() {
    let f = fx();
    let nonce = [0x5au8; 32];
    let req = request_with_nonce(&f, &nonce);
    let mut r = responder(&f);
    let st = check(&f, &r.respond(&req), Some(&nonce));
    assert_eq!(st.outcome, OcspOutcome::Good, "{:?}", st.findings);
    assert_eq!(st.evidence.unwrap().nonce, NonceState::Echoed);

    r.nonce = NonceMode::Wrong;
    let st = check(&f, &r.respond(&req), Some(&nonce));
    assert_eq!(st.outcome, OcspOutcome::NoStatus);
    assert_eq!(ids(&st), vec!["rfc6960.nonce.mismatch"]);
    assert_eq!(st.evidence.unwrap().nonce, NonceState::Mismatch);

    r.nonce = NonceMode::Omit;
    let st = check(&f, &r.respond(&req), Some(&nonce));
    assert_eq!(st.outcome, OcspOutcome::Good);
    assert_eq!(ids(&st), vec!["rfc6960.nonce.missing", "rfc6960.status.good"]);
    let opts = CheckOptions { nonce: Some(&nonce), nonce_rule: NonceRule::Require, ..CheckOptions::at(T) };
    let st = check_response_with(&cert(&f.leaf), &cert(&f.ca), &r.respond(&req), &opts, &RingVerifier, &mut budget());
    assert_eq!(st.outcome, OcspOutcome::NoStatus);
    assert_eq!(ids(&st), vec!["rfc6960.nonce.missing-required"]);
}

#[test]
fn error_statuses_are_try_later() {
    let f = fx();
    for code in [1u8, 2, 3, 5, 6] {
        let mut r = responder(&f);
        r.response_status = code;
        let st = check(&f, &r.staple(&f.leaf), None);
        assert_eq!(ids(&st), vec!["rfc6960.response.not-successful"]);
        assert_eq!(st.verdict(CertRole::InUse).sub_indication, Some(SubIndication::TryLater));
    }
}

#[test]
fn signature_budget_is_spent() {
    let f = fx();
    let mut b = Budget::new(Limits { signature_checks: 0, ..Limits::default() });
    let st =
        check_response(&cert(&f.leaf), &cert(&f.ca), &responder(&f).staple(&f.leaf), T, &RingVerifier, None, &mut b);
    assert_eq!(ids(&st), vec!["rfc6960.budget-exhausted"]);
    // A delegated responder costs two checks: the certificate and the response.
    let mut r = responder(&f);
    r.signer = SignerChoice::Delegated(delegated_responder(&f.ca, "budget", true, true));
    let mut b = Budget::new(Limits { signature_checks: 1, ..Limits::default() });
    let st = check_response(&cert(&f.leaf), &cert(&f.ca), &r.staple(&f.leaf), T, &RingVerifier, None, &mut b);
    assert_eq!(ids(&st), vec!["rfc6960.budget-exhausted"]);
    let mut b = Budget::new(Limits { signature_checks: 2, ..Limits::default() });
    let st = check_response(&cert(&f.leaf), &cert(&f.ca), &r.staple(&f.leaf), T, &RingVerifier, None, &mut b);
    assert_eq!(st.outcome, OcspOutcome::Good);
}

#[test]
fn truncated_and_mutated_responses_never_pass() {
    let f = fx();
    let mut r = responder(&f);
    r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: None });
    let resp = r.staple(&f.leaf);
    for n in 0..resp.len() {
        let st = check(&f, &resp[..n], None);
        assert_eq!(st.outcome, OcspOutcome::NoStatus, "truncated at {n}");
    }
    // Flipping any bit must never turn "revoked" into "good".
    for i in 0..resp.len() {
        for bit in [0x01u8, 0x80] {
            let mut m = resp.clone();
            m[i] ^= bit;
            let st = check(&f, &m, None);
            assert_ne!(st.outcome, OcspOutcome::Good, "byte {i} bit {bit:#x}: {:?}", st.findings);
        }
    }
}

#[test]
fn malformed_response_errors_name_the_byte() {
    let f = fx();
    let resp = responder(&f).staple(&f.leaf);
    let e = OcspResponse::from_der(&resp[..resp.len() - 1]).unwrap_err();
    assert!(matches!(e, OcspError::Malformed { .. }), "{e}");
    assert!(e.to_string().contains("byte"), "{e}");
}

#[test]
fn ocsp_findings_are_in_the_module_catalogue() {
    // Every id the checks above produced is catalogued with a citation.
    for d in ocsp::FINDINGS.iter().chain(pki::fetch::FINDINGS) {
        assert!(!d.citation.is_empty() && !d.summary.is_empty(), "{}", d.id);
    }
}

/// A fetcher that serves fixed bytes (no network).
struct Fixed(Vec<u8>);

impl pki::fetch::Fetcher for Fixed {
    fn fetch(&self, _req: &pki::fetch::FetchRequest<'_>) -> Result<Vec<u8>, pki::fetch::FetchError> {
        Ok(self.0.clone())
    }
}

fn certs_only(certs: &[Vec<u8>]) -> Vec<u8> {
    let sd = der::seq([
        der::small_uint(1),
        der::set_of(Vec::<Vec<u8>>::new()),
        der::seq([der::oid("1.2.840.113549.1.7.1")]),
        der::implicit_constructed(0, &der::concat(certs)),
        der::set_of(Vec::<Vec<u8>>::new()),
    ]);
    der::seq([der::oid("1.2.840.113549.1.7.2"), der::explicit(0, &sd)])
}

#[test]
fn ca_issuers_der_pem_and_cms_bundles() {
    use pki::fetch::{fetch_ca_issuers, FetchLimits, FetchSession, MAX_CA_ISSUERS_CERTS};
    let f = fx_with("aia-forms", None, None, Some("http://aia.example/ca.p7c".into()));
    let leaf = cert(&f.leaf);
    for (what, body, n) in [
        ("DER", f.ca.der.clone(), 1),
        ("PEM", f.ca.pem().into_bytes(), 1),
        ("CMS", certs_only(&[f.ca.der.clone(), f.pki.root.der.clone()]), 2),
    ] {
        let fx = Fixed(body);
        let session = FetchSession::new(&fx, FetchLimits::default());
        let (certs, fs) = fetch_ca_issuers(&leaf, &session);
        assert!(fs.is_empty(), "{what}: {fs:?}");
        assert_eq!(certs.len(), n, "{what}");
        assert_eq!(certs[0], cert(&f.ca), "{what}");
    }
    // The per-response limit.
    let fx = Fixed(certs_only(&vec![f.ca.der.clone(); MAX_CA_ISSUERS_CERTS + 1]));
    let session = FetchSession::new(&fx, FetchLimits::default());
    let (certs, fs) = fetch_ca_issuers(&leaf, &session);
    assert!(certs.is_empty());
    assert_eq!(fs[0].id, "fetch.ca-issuers-malformed");
    assert!(fs[0].message.contains("more than"), "{}", fs[0].message);
    // Garbage.
    let fx = Fixed(b"<html>not found</html>".to_vec());
    let session = FetchSession::new(&fx, FetchLimits::default());
    let (certs, fs) = fetch_ca_issuers(&leaf, &session);
    assert!(certs.is_empty());
    assert_eq!(fs[0].id, "fetch.ca-issuers-malformed");
}

// ---------------------------------------------------------------------------------------------
// OCSP in path validation (Validator::validate_with)
// ---------------------------------------------------------------------------------------------

mod path {
    use super::*;
    use pki::revocation::{GivenOcsp, Sources};
    use pki::validate::{Options, RevocationMode, RevocationScope, Store, Validator};

    pub fn validator(f: &Fx) -> Validator {
        Validator::new(Store::new(vec![cert(&f.pki.root)]))
    }

    pub fn opts(mode: RevocationMode) -> Options {
        let mut o = Options::at(T);
        o.revocation = mode;
        o.revocation_scope = RevocationScope::EndEntityOnly;
        o
    }

    pub fn given(der: Vec<u8>) -> Vec<GivenOcsp> {
        vec![GivenOcsp::new("stapled", der)]
    }

    fn ids(v: &pki::Validation) -> Vec<&str> {
        v.verdict.findings.iter().map(|f| &*f.id).collect()
    }

    #[test]
    fn stapled_good_response_satisfies_required_revocation() {
        let f = fx();
        let staple = given(responder(&f).staple(&f.leaf));
        let v = validator(&f).validate_with(
            &cert(&f.leaf),
            &[cert(&f.ca)],
            &Sources { ocsp: &staple, ..Sources::default() },
            &opts(RevocationMode::Require),
        );
        assert!(v.is_valid(), "{:?}", v.verdict.findings);
        assert_eq!(v.revocation.len(), 1);
        assert_eq!((v.revocation[0].0, v.revocation[0].1.kind, v.revocation[0].1.status), (0, "ocsp", "good"));
        assert_eq!(v.revocation[0].1.source, "stapled");
    }

    #[test]
    fn stapled_revoked_response_fails_the_path() {
        let f = fx();
        let mut r = responder(&f);
        r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: Some(Reason::KeyCompromise) });
        let staple = given(r.staple(&f.leaf));
        for mode in [RevocationMode::Prefer, RevocationMode::Require] {
            let v = validator(&f).validate_with(
                &cert(&f.leaf),
                &[cert(&f.ca)],
                &Sources { ocsp: &staple, ..Sources::default() },
                &opts(mode),
            );
            assert_eq!(
                (v.verdict.indication, v.verdict.sub_indication),
                (Indication::Failed, Some(SubIndication::Revoked))
            );
            assert!(ids(&v).contains(&"rfc5280.revocation.revoked"), "{:?}", ids(&v));
            let msg = &v.verdict.findings[0].message;
            assert!(msg.contains("per ocsp stapled"), "{msg}");
        }
    }

    #[test]
    fn nothing_usable_is_indeterminate_under_require_and_a_warning_under_prefer() {
        let f = fx();
        // A response for another certificate is not evidence for this one.
        let other = fx_with("other", None, None, None);
        let staple = given(responder(&other).staple(&other.leaf));
        let src = Sources { ocsp: &staple, ..Sources::default() };
        let v = validator(&f).validate_with(&cert(&f.leaf), &[cert(&f.ca)], &src, &opts(RevocationMode::Require));
        assert_eq!(
            (v.verdict.indication, v.verdict.sub_indication),
            (Indication::Indeterminate, Some(SubIndication::TryLater))
        );
        assert!(v.revocation.is_empty());
        let v = validator(&f).validate_with(&cert(&f.leaf), &[cert(&f.ca)], &src, &opts(RevocationMode::Prefer));
        assert!(v.is_valid());
        assert!(ids(&v).contains(&"rfc5280.revocation.status-unknown-soft"), "{:?}", ids(&v));
    }

    #[test]
    fn unknown_or_expired_response_falls_back_to_the_crl() {
        let f = fx();
        let mut r = responder(&f);
        r.set_status(&f.leaf, Status::Unknown);
        let staple = given(r.staple(&f.leaf));
        let crl = pki::crl::Crl::from_der(
            &StatePki::crl(&f.ca, 1, times::CRL_THIS, times::CRL_NEXT, vec![]).issue(&f.ca.key),
        )
        .unwrap();
        let crls = [crl];
        let v = validator(&f).validate_with(
            &cert(&f.leaf),
            &[cert(&f.ca)],
            &Sources { ocsp: &staple, crls: &crls, ..Sources::default() },
            &opts(RevocationMode::Require),
        );
        assert!(v.is_valid(), "{:?}", v.verdict.findings);
        let kinds: Vec<(&str, &str)> = v.revocation.iter().map(|(_, e)| (e.kind, e.status)).collect();
        assert_eq!(kinds, vec![("ocsp", "unknown"), ("crl", "good")]);
        // The OCSP "unknown" that did not decide is kept, but no longer fails anything.
        assert!(v.verdict.findings.iter().all(|f| !f.severity.is_failure()), "{:?}", v.verdict.findings);
    }

    #[test]
    fn revocation_off_ignores_responses() {
        let f = fx();
        let mut r = responder(&f);
        r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: None });
        let staple = given(r.staple(&f.leaf));
        let v = validator(&f).validate_with(
            &cert(&f.leaf),
            &[cert(&f.ca)],
            &Sources { ocsp: &staple, ..Sources::default() },
            &opts(RevocationMode::Off),
        );
        assert!(v.is_valid());
        assert!(v.revocation.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Over HTTP, against the loopback server (feature `fetch`)
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "fetch")]
mod http {
    use super::*;
    use pki::crl::{self, Crl, CrlContext, RevocationStatus};
    use pki::fetch::{
        fetch_ca_issuers, fetch_crls, CachingFetcher, FetchError, FetchKind, FetchLimits, FetchSession, FixedClock,
        HttpConfig, HttpFetcher,
    };
    use pki::ocsp::{check_online, NonceMode as Nonce, OnlineOptions};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    use testpki::ocsp_server::{closed_port_url, Route, TestServer};

    fn http() -> HttpFetcher {
        HttpFetcher::new(HttpConfig::default()).unwrap()
    }

    fn online(f: &Fx, session: &FetchSession<'_>, nonce: Nonce) -> OcspStatus {
        let opts = OnlineOptions { nonce, ..OnlineOptions::at(T) };
        check_online(&cert(&f.leaf), &cert(&f.ca), session, &opts, &RingVerifier, &mut budget())
    }

    fn server_fx(label: &str) -> (TestServer, Fx) {
        let s = TestServer::start().unwrap();
        let f = fx_with(label, Some(s.url("/ocsp")), Some(s.url("/crl/ca.crl")), Some(s.url("/ca.cer")));
        (s, f)
    }

    #[test]
    fn good_and_revoked_over_http_with_nonce() {
        let (s, f) = server_fx("http-good");
        s.set("/ocsp", Route::Ocsp(Box::new(responder(&f))));
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let st = online(&f, &session, Nonce::Require);
        assert_eq!(st.outcome, OcspOutcome::Good, "{:?}", st.findings);
        let ev = st.evidence.unwrap();
        assert_eq!(ev.nonce, NonceState::Echoed);
        assert_eq!(ev.source.as_deref(), Some(s.url("/ocsp").as_str()));
        assert_eq!(s.hits("/ocsp"), 1);

        let mut r = responder(&f);
        r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: Some(Reason::KeyCompromise) });
        s.set("/ocsp", Route::Ocsp(Box::new(r)));
        let st = online(&f, &session, Nonce::Send);
        assert!(matches!(st.outcome, OcspOutcome::Revoked { .. }), "{:?}", st.findings);
        assert_eq!(session.used(), 2);
    }

    #[test]
    fn unknown_expired_wrong_signer_and_nonce_mismatch_over_http() {
        let (s, f) = server_fx("http-bad");
        let h = http();
        type Knob = Box<dyn Fn(&mut OcspResponder)>;
        let cases: Vec<(Knob, &str)> = vec![
            (Box::new(|r: &mut OcspResponder| r.default_status = Status::Unknown), "rfc6960.status.unknown"),
            (
                Box::new(|r: &mut OcspResponder| r.next_update = Some(VALIDATION_TIME - secs(2 * 86_400))),
                "rfc6960.response.expired",
            ),
            (
                Box::new(|r: &mut OcspResponder| r.signer = SignerChoice::Foreign(foreign_signer("http"))),
                "rfc6960.responder.not-issued-by-ca",
            ),
            (Box::new(|r: &mut OcspResponder| r.nonce = NonceMode::Wrong), "rfc6960.nonce.mismatch"),
            (
                Box::new(|r: &mut OcspResponder| {
                    r.signer = SignerChoice::Delegated(delegated_responder(&r.ca, "http-no-eku", false, true))
                }),
                "rfc6960.responder.no-ocsp-signing",
            ),
        ];
        for (knob, id) in cases {
            let mut r = responder(&f);
            knob(&mut r);
            s.set("/ocsp", Route::Ocsp(Box::new(r)));
            let session = FetchSession::new(&h, FetchLimits::default());
            let st = online(&f, &session, Nonce::Send);
            assert!(ids(&st).contains(&id), "{id}: {:?}", st.findings);
            assert_ne!(st.outcome, OcspOutcome::Good, "{id}");
            assert_eq!(st.verdict(CertRole::InUse).indication, Indication::Indeterminate, "{id}");
        }
    }

    #[test]
    fn get_requests_are_answered_too() {
        // RFC 6960 Appendix A.1: GET with the base64 request in the path.
        let (s, f) = server_fx("http-get");
        s.set("/ocsp", Route::Ocsp(Box::new(responder(&f))));
        let req = build_request(&cert(&f.leaf), &cert(&f.ca), CertIdHash::Sha1, None).unwrap();
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&req).replace('+', "%2B").replace('/', "%2F");
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let body = session.fetch(&format!("{}/{b64}", s.url("/ocsp")), FetchKind::Ocsp, None).unwrap();
        assert_eq!(check(&f, &body, None).outcome, OcspOutcome::Good);
    }

    #[test]
    fn server_down_is_indeterminate_not_a_pass() {
        let url = closed_port_url("/ocsp").unwrap();
        let f = fx_with("down", Some(url.clone()), None, None);
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let st = online(&f, &session, Nonce::Off);
        assert_eq!(st.outcome, OcspOutcome::NoStatus);
        assert_eq!(ids(&st), vec!["rfc6960.responder.unreachable"]);
        assert!(st.findings[0].message.contains("fetch.unreachable"), "{}", st.findings[0].message);
        let v = st.verdict(CertRole::InUse);
        assert_eq!((v.indication, v.sub_indication), (Indication::Indeterminate, Some(SubIndication::TryLater)));
    }

    #[test]
    fn offline_by_default() {
        let (s, f) = server_fx("offline");
        s.set("/ocsp", Route::Ocsp(Box::new(responder(&f))));
        let session = FetchSession::new(&pki::fetch::Offline, FetchLimits::default());
        let st = online(&f, &session, Nonce::Off);
        assert_eq!(st.outcome, OcspOutcome::NoStatus);
        assert!(st.findings[0].message.contains("fetch.offline"));
        assert_eq!(s.hits("/ocsp"), 0);
    }

    #[test]
    fn slow_server_times_out() {
        let (s, f) = server_fx("slow");
        s.set(
            "/ocsp",
            Route::Slow { delay: Duration::from_secs(5), then: Box::new(Route::Ocsp(Box::new(responder(&f)))) },
        );
        let h = http();
        let limits = FetchLimits { per_request: Duration::from_millis(500), ..FetchLimits::default() };
        let session = FetchSession::new(&h, limits);
        let start = Instant::now();
        let st = online(&f, &session, Nonce::Off);
        let took = start.elapsed();
        assert!(took < Duration::from_millis(2_000), "took {took:?}");
        assert_eq!(st.outcome, OcspOutcome::NoStatus);
        assert!(st.findings[0].message.contains("fetch.timeout"), "{}", st.findings[0].message);
    }

    #[test]
    fn every_url_stalling_finishes_within_the_total_timeout() {
        // Three OCSP responders and a CRL distribution point, all stalling for 10 s.
        let s = TestServer::start().unwrap();
        let stall = |then: Route| Route::Slow { delay: Duration::from_secs(10), then: Box::new(then) };
        for p in ["/o1", "/o2", "/o3", "/crl/ca.crl"] {
            s.set(p, stall(Route::Status(500)));
        }
        let f = fx_with("stall", Some(s.url("/o1")), Some(s.url("/crl/ca.crl")), None);
        let h = http();
        let limits = FetchLimits {
            max_fetches: 10,
            per_request: Duration::from_millis(800),
            total: Duration::from_millis(1_500),
        };
        let session = FetchSession::new(&h, limits);
        let start = Instant::now();
        let opts = OnlineOptions { urls: Some(vec![s.url("/o1"), s.url("/o2"), s.url("/o3")]), ..OnlineOptions::at(T) };
        let st = check_online(&cert(&f.leaf), &cert(&f.ca), &session, &opts, &RingVerifier, &mut budget());
        let (crls, crl_findings) = fetch_crls(&cert(&f.leaf), &session);
        let took = start.elapsed();
        assert!(took < Duration::from_millis(2_000), "took {took:?}");
        assert_eq!(st.outcome, OcspOutcome::NoStatus);
        assert!(crls.is_empty());
        let all: Vec<String> = st.findings.iter().chain(crl_findings.iter()).map(|f| f.message.to_string()).collect();
        assert!(all.iter().any(|m| m.contains("total fetch time")), "{all:?}");
    }

    #[test]
    fn oversized_responses_are_capped() {
        let s = TestServer::start().unwrap();
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        // With a Content-Length over the cap.
        s.set("/big", Route::Static { content_type: "application/ocsp-response", body: vec![0u8; 200 * 1024] });
        let e = session.fetch(&s.url("/big"), FetchKind::Ocsp, Some(b"x")).unwrap_err();
        assert!(matches!(e, FetchError::TooLarge { limit: 102_400, .. }), "{e}");
        // Without a Content-Length: the read stops at the cap.
        s.set("/stream", Route::Stream { len: 5 * 1024 * 1024 });
        let e = session.fetch(&s.url("/stream"), FetchKind::Ocsp, Some(b"x")).unwrap_err();
        assert!(matches!(e, FetchError::TooLarge { .. }), "{e}");
        // Exactly at the cap is fine.
        s.set("/edge", Route::Static { content_type: "application/ocsp-response", body: vec![0u8; 100 * 1024] });
        assert_eq!(session.fetch(&s.url("/edge"), FetchKind::Ocsp, Some(b"x")).unwrap().len(), 100 * 1024);
        // CRLs have their own, larger cap.
        s.set("/big.crl", Route::Static { content_type: "application/pkix-crl", body: vec![0u8; 200 * 1024] });
        assert!(session.fetch(&s.url("/big.crl"), FetchKind::Crl, None).is_ok());
    }

    #[test]
    fn redirects_only_to_http_and_at_most_three() {
        let s = TestServer::start().unwrap();
        let h = http();
        let session = FetchSession::new(&h, FetchLimits { max_fetches: 100, ..FetchLimits::default() });
        s.set("/target", Route::Static { content_type: "application/pkix-crl", body: b"ok".to_vec() });
        for (i, to) in
            ["file:///etc/passwd", "ftp://127.0.0.1/x.crl", "ldap://127.0.0.1/cn=x", "data:,hello"].iter().enumerate()
        {
            let p = format!("/r{i}");
            s.set(&p, Route::Redirect(to.to_string()));
            let e = session.fetch(&s.url(&p), FetchKind::Crl, None).unwrap_err();
            assert_eq!(e.finding_id(), "fetch.redirect-refused", "{to}: {e}");
        }
        // A chain of three redirects is followed; four are not.
        s.set("/c1", Route::Redirect(s.url("/c2")));
        s.set("/c2", Route::Redirect(s.url("/c3")));
        s.set("/c3", Route::Redirect(s.url("/target")));
        assert_eq!(session.fetch(&s.url("/c1"), FetchKind::Crl, None).unwrap(), b"ok");
        s.set("/c0", Route::Redirect(s.url("/c1")));
        let e = session.fetch(&s.url("/c0"), FetchKind::Crl, None).unwrap_err();
        assert_eq!(e.finding_id(), "fetch.redirect-refused", "{e}");
        // Non-http URLs are refused before any connection.
        let e = session.fetch("ftp://127.0.0.1/x", FetchKind::Crl, None).unwrap_err();
        assert_eq!(e.finding_id(), "fetch.url-refused");
    }

    #[test]
    fn http_errors_are_reported() {
        let s = TestServer::start().unwrap();
        s.set("/e", Route::Status(503));
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        assert_eq!(
            session.fetch(&s.url("/e"), FetchKind::Crl, None),
            Err(FetchError::HttpStatus { url: s.url("/e"), status: 503 })
        );
        assert!(matches!(
            session.fetch(&s.url("/nothing"), FetchKind::Crl, None),
            Err(FetchError::HttpStatus { status: 404, .. })
        ));
    }

    fn crl_der(f: &Fx, number: u64, revoked: Vec<testpki::x509::Revoked>) -> Vec<u8> {
        StatePki::crl(&f.ca, number, times::CRL_THIS, times::CRL_NEXT, revoked).issue(&f.ca.key)
    }

    fn crl_status(f: &Fx, crls: &[Crl], time: i64) -> RevocationStatus {
        let none = |_: &pki::name::Name, _: Option<&[u8]>| -> Option<Certificate> { None };
        let ctx = CrlContext { crls, time, verifier: &RingVerifier, find_crl_signer: &none };
        crl::check(&cert(&f.leaf), &cert(&f.ca), &ctx, &mut budget())
    }

    #[test]
    fn crl_changed_since_the_cache() {
        let (s, f) = server_fx("crl-cache");
        s.set("/crl/ca.crl", Route::Static { content_type: "application/pkix-crl", body: crl_der(&f, 1, vec![]) });
        let clock = Arc::new(FixedClock::new(T));
        let cache = CachingFetcher::new(http(), clock.clone());

        let session = FetchSession::new(&cache, FetchLimits::default());
        let (crls, fs) = fetch_crls(&cert(&f.leaf), &session);
        assert!(fs.is_empty(), "{fs:?}");
        assert_eq!(crl_status(&f, &crls, T), RevocationStatus::Good);
        assert_eq!(s.hits("/crl/ca.crl"), 1);

        // The CA publishes a new CRL revoking the leaf before the cached one's nextUpdate.
        let revoked = testpki::pki::revoked(&f.leaf.template.serial, times::REVOKED_AT);
        s.set(
            "/crl/ca.crl",
            Route::Static { content_type: "application/pkix-crl", body: crl_der(&f, 2, vec![revoked]) },
        );
        let session = FetchSession::new(&cache, FetchLimits::default());
        let (crls, _) = fetch_crls(&cert(&f.leaf), &session);
        // Served from the cache: the cached CRL is current until its nextUpdate (RFC 5280 §5.1.2.5).
        assert_eq!(s.hits("/crl/ca.crl"), 1);
        assert_eq!(crls[0].number().map(|n| n.to_string()), Some("1".to_string()));
        assert_eq!(cache.stats().hits, 1);

        // Past nextUpdate the cache fetches again and sees the new CRL.
        let after = times::CRL_NEXT.unix_timestamp() + 1;
        clock.set(after);
        let session = FetchSession::new(&cache, FetchLimits::default());
        let (crls, _) = fetch_crls(&cert(&f.leaf), &session);
        assert_eq!(s.hits("/crl/ca.crl"), 2);
        assert_eq!(crls[0].number().map(|n| n.to_string()), Some("2".to_string()));
        assert!(matches!(crl_status(&f, &crls, T), RevocationStatus::Revoked { .. }));

        // And an invalidation forces a refetch at once.
        cache.invalidate(&s.url("/crl/ca.crl"));
        let session = FetchSession::new(&cache, FetchLimits::default());
        let _ = fetch_crls(&cert(&f.leaf), &session);
        assert_eq!(s.hits("/crl/ca.crl"), 3);
    }

    #[test]
    fn cached_ocsp_response_is_reused_until_next_update() {
        let (s, f) = server_fx("ocsp-cache");
        s.set("/ocsp", Route::Ocsp(Box::new(responder(&f))));
        let clock = Arc::new(FixedClock::new(T));
        let cache = CachingFetcher::new(http(), clock.clone());
        for _ in 0..3 {
            let session = FetchSession::new(&cache, FetchLimits::default());
            assert_eq!(online(&f, &session, Nonce::Off).outcome, OcspOutcome::Good);
        }
        assert_eq!(s.hits("/ocsp"), 1);
        // With a nonce every request differs: nothing is served from the cache.
        let session = FetchSession::new(&cache, FetchLimits::default());
        assert_eq!(online(&f, &session, Nonce::Send).outcome, OcspOutcome::Good);
        assert_eq!(s.hits("/ocsp"), 2);
        clock.set(T + 8 * 86_400);
        let session = FetchSession::new(&cache, FetchLimits::default());
        let _ = online(&f, &session, Nonce::Off);
        assert_eq!(s.hits("/ocsp"), 3);
    }

    // ---- OCSP, CRLs and missing intermediates fetched during path validation

    fn fetch_sources<'a>(session: &'a FetchSession<'a>) -> pki::revocation::Sources<'a> {
        pki::revocation::Sources { fetch: Some(session), ..Default::default() }
    }

    #[test]
    fn path_validation_fetches_ocsp_only_when_asked() {
        let (s, f) = server_fx("path-ocsp");
        let mut r = responder(&f);
        r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: None });
        s.set("/ocsp", Route::Ocsp(Box::new(r)));
        let opts = super::path::opts(pki::validate::RevocationMode::Require);
        // Offline (no session): nothing fetched, INDETERMINATE.
        let v = super::path::validator(&f).validate(&cert(&f.leaf), &[cert(&f.ca)], &[], &opts);
        assert_eq!(v.verdict.sub_indication, Some(SubIndication::TryLater));
        assert_eq!(s.hits("/ocsp"), 0);
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let v =
            super::path::validator(&f).validate_with(&cert(&f.leaf), &[cert(&f.ca)], &fetch_sources(&session), &opts);
        assert_eq!(v.verdict.sub_indication, Some(SubIndication::Revoked), "{:?}", v.verdict.findings);
        assert_eq!(s.hits("/ocsp"), 1);
        assert_eq!(v.revocation[0].1.source, s.url("/ocsp"));
    }

    #[test]
    fn path_validation_falls_back_to_the_distribution_point() {
        let (s, f) = server_fx("path-crl");
        s.set("/ocsp", Route::Status(503));
        s.set("/crl/ca.crl", Route::Static { content_type: "application/pkix-crl", body: crl_der(&f, 1, vec![]) });
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let opts = super::path::opts(pki::validate::RevocationMode::Require);
        let v =
            super::path::validator(&f).validate_with(&cert(&f.leaf), &[cert(&f.ca)], &fetch_sources(&session), &opts);
        assert!(v.is_valid(), "{:?}", v.verdict.findings);
        let kinds: Vec<(&str, &str)> = v.revocation.iter().map(|(_, e)| (e.kind, e.status)).collect();
        assert_eq!(kinds, vec![("ocsp", "no-status"), ("crl", "good")]);
        // The unreachable responder is reported, as a notice since the CRL decided.
        assert!(v.verdict.findings.iter().any(|f| f.id.starts_with("fetch.") || f.id.starts_with("rfc6960.")));
    }

    #[test]
    fn path_validation_fetches_a_missing_intermediate() {
        let (s, f) = server_fx("path-aia");
        s.set("/ca.cer", Route::Static { content_type: "application/pkix-cert", body: f.ca.der.clone() });
        let opts = pki::validate::Options::at(T);
        let v = super::path::validator(&f).validate(&cert(&f.leaf), &[], &[], &opts);
        assert_eq!(v.verdict.sub_indication, Some(SubIndication::NoCertificateChainFound));
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let v = super::path::validator(&f).validate_with(&cert(&f.leaf), &[], &fetch_sources(&session), &opts);
        assert!(v.is_valid(), "{:?}", v.verdict.findings);
        assert_eq!(v.fetched, vec![cert(&f.ca)]);
        assert_eq!(
            v.path,
            vec![pki::validate::Source::Leaf, pki::validate::Source::Intermediate(0), pki::validate::Source::Anchor(0)]
        );
        assert_eq!(s.hits("/ca.cer"), 1);
    }

    #[test]
    fn path_validation_with_every_url_down_is_bounded_and_not_a_pass() {
        let (s, f) = server_fx("path-down");
        let stall = |then: Route| Route::Slow { delay: Duration::from_secs(10), then: Box::new(then) };
        s.set("/ocsp", stall(Route::Status(500)));
        s.set("/crl/ca.crl", stall(Route::Status(500)));
        let h = http();
        let limits = FetchLimits { per_request: secs(1), total: secs(2), ..FetchLimits::default() };
        let session = FetchSession::new(&h, limits);
        let opts = super::path::opts(pki::validate::RevocationMode::Require);
        let started = Instant::now();
        let v =
            super::path::validator(&f).validate_with(&cert(&f.leaf), &[cert(&f.ca)], &fetch_sources(&session), &opts);
        assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
        assert_eq!(v.verdict.sub_indication, Some(SubIndication::TryLater), "{:?}", v.verdict.findings);
    }

    #[test]
    fn ca_issuers_fetch() {
        let (s, f) = server_fx("aia");
        s.set("/ca.cer", Route::Static { content_type: "application/pkix-cert", body: f.ca.der.clone() });
        let h = http();
        let session = FetchSession::new(&h, FetchLimits::default());
        let (certs, fs) = fetch_ca_issuers(&cert(&f.leaf), &session);
        assert!(fs.is_empty(), "{fs:?}");
        assert_eq!(certs, vec![cert(&f.ca)]);
    }

    #[test]
    fn fetch_count_bounds_a_validation() {
        let s = TestServer::start().unwrap();
        for i in 0..20 {
            s.set(&format!("/o{i}"), Route::Status(500));
        }
        let urls: Vec<String> = (0..20).map(|i| s.url(&format!("/o{i}"))).collect();
        let f = fx_with("count", None, None, None);
        let h = http();
        let session = FetchSession::new(&h, FetchLimits { max_fetches: 4, ..FetchLimits::default() });
        let opts = OnlineOptions { urls: Some(urls), ..OnlineOptions::at(T) };
        let st = check_online(&cert(&f.leaf), &cert(&f.ca), &session, &opts, &RingVerifier, &mut budget());
        assert_eq!(st.outcome, OcspOutcome::NoStatus);
        let total: u32 = (0..20).map(|i| s.hits(&format!("/o{i}"))).sum();
        assert_eq!(total, 4);
        assert!(st.findings.last().unwrap().message.contains("fetch.count-limit"));
    }
}

// ---------------------------------------------------------------------------------------------
// openssl as an independent responder and client
// ---------------------------------------------------------------------------------------------

mod openssl {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn openssl_present() -> bool {
        let ok = Command::new("openssl").arg("version").output().map(|o| o.status.success()).unwrap_or(false);
        if !ok {
            eprintln!("notice: openssl is not installed; skipping the openssl interop test");
        }
        ok
    }

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("eidtrust-ocsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn run(dir: &Path, args: &[&str]) -> std::process::Output {
        let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    #[test]
    fn our_request_equals_openssls() {
        if !openssl_present() {
            return;
        }
        let f = fx();
        let d = tmpdir("req");
        std::fs::write(d.join("ca.pem"), f.ca.pem()).unwrap();
        std::fs::write(d.join("leaf.pem"), f.leaf.pem()).unwrap();
        run(&d, &["ocsp", "-issuer", "ca.pem", "-cert", "leaf.pem", "-no_nonce", "-reqout", "req.der"]);
        let theirs = std::fs::read(d.join("req.der")).unwrap();
        let ours = build_request(&cert(&f.leaf), &cert(&f.ca), CertIdHash::Sha1, None).unwrap();
        assert_eq!(ours, theirs);
        // And openssl parses our request with a nonce.
        std::fs::write(d.join("ours.der"), request_with_nonce(&f, &[7u8; 16])).unwrap();
        let out = run(&d, &["ocsp", "-reqin", "ours.der", "-req_text"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("OCSP Nonce"), "{text}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn openssl_accepts_testpki_responses() {
        if !openssl_present() {
            return;
        }
        let f = fx();
        let d = tmpdir("client");
        std::fs::write(d.join("ca.pem"), f.ca.pem()).unwrap();
        std::fs::write(d.join("root.pem"), f.pki.root.pem()).unwrap();
        std::fs::write(d.join("leaf.pem"), f.leaf.pem()).unwrap();
        let mut r = responder(&f);
        r.signer = SignerChoice::Delegated(delegated_responder(&f.ca, "openssl", true, true));
        r.set_status(&f.leaf, Status::Revoked { at: times::REVOKED_AT, reason: Some(Reason::KeyCompromise) });
        std::fs::write(d.join("resp.der"), r.staple(&f.leaf)).unwrap();
        let attime = T.to_string();
        let out = run(
            &d,
            &[
                "ocsp",
                "-respin",
                "resp.der",
                "-issuer",
                "ca.pem",
                "-cert",
                "leaf.pem",
                "-CAfile",
                "root.pem",
                "-verify_other",
                "ca.pem",
                "-attime",
                &attime,
                "-no_nonce",
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        // openssl checks the window against the clock, not -attime, so it warns that the
        // (2025) status times are stale; what matters here is that it parses and verifies.
        assert!(text.contains("revoked") && text.contains("Reason: keyCompromise"), "{text}{err}");
        assert!(err.contains("Response verify OK"), "{text}{err}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn openssl_certs_only_bundle_is_read() {
        use pki::fetch::{fetch_ca_issuers, FetchLimits, FetchSession};
        if !openssl_present() {
            return;
        }
        let f = fx_with("p7c", None, None, Some("http://aia.example/ca.p7c".into()));
        let d = tmpdir("p7c");
        std::fs::write(d.join("ca.pem"), format!("{}{}", f.ca.pem(), f.pki.root.pem())).unwrap();
        run(&d, &["crl2pkcs7", "-nocrl", "-certfile", "ca.pem", "-outform", "DER", "-out", "ca.p7c"]);
        let fx = Fixed(std::fs::read(d.join("ca.p7c")).unwrap());
        let _ = std::fs::remove_dir_all(&d);
        let session = FetchSession::new(&fx, FetchLimits::default());
        let (certs, fs) = fetch_ca_issuers(&cert(&f.leaf), &session);
        assert!(fs.is_empty(), "{fs:?}");
        assert_eq!(certs, vec![cert(&f.ca), cert(&f.pki.root)]);
    }

    /// An RSA CA and leaf made by openssl (certificates from elsewhere), a delegated responder,
    /// and `openssl ocsp` answering on loopback: our client must read good and revoked.
    #[cfg(feature = "fetch")]
    #[test]
    fn openssl_responder_on_loopback() {
        use pki::fetch::{FetchLimits, FetchSession, HttpConfig, HttpFetcher};
        use pki::ocsp::{check_online, NonceMode as Nonce, OnlineOptions};
        use std::process::Stdio;
        if !openssl_present() {
            return;
        }
        let d = tmpdir("responder");
        let cnf = "[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=openssl OCSP test CA\n\
                   [v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n\
                   [v3_leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\n\
                   [v3_ocsp]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\nnoCheck=ignored\n";
        std::fs::write(d.join("ext.cnf"), cnf).unwrap();
        run(
            &d,
            &[
                "req",
                "-config",
                "ext.cnf",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "30",
                "-extensions",
                "v3_ca",
            ],
        );
        for (name, serial, ext) in
            [("good", "0x1001", "v3_leaf"), ("bad", "0x1002", "v3_leaf"), ("resp", "0x1003", "v3_ocsp")]
        {
            run(
                &d,
                &[
                    "req",
                    "-config",
                    "ext.cnf",
                    "-new",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    &format!("{name}.key"),
                    "-out",
                    &format!("{name}.csr"),
                    "-subj",
                    &format!("/CN={name}"),
                ],
            );
            run(
                &d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &format!("{name}.csr"),
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-set_serial",
                    serial,
                    "-days",
                    "30",
                    "-extfile",
                    "ext.cnf",
                    "-extensions",
                    ext,
                    "-out",
                    &format!("{name}.pem"),
                ],
            );
        }
        let exp = "300101000000Z";
        let index = format!(
            "V\t{exp}\t\t1001\tunknown\t/CN=good\nR\t{exp}\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=bad\n"
        );
        std::fs::write(d.join("index.txt"), index).unwrap();
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut child = Command::new("openssl")
            .args([
                "ocsp",
                "-index",
                "index.txt",
                "-port",
                &port.to_string(),
                "-rsigner",
                "resp.pem",
                "-rkey",
                "resp.key",
                "-CA",
                "ca.pem",
                "-ndays",
                "1",
            ])
            .current_dir(&d)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}/");
        // Wait until the responder says it listens. (Probing with a bare connection would wedge
        // its single-threaded loop: it waits for a request on the probe.)
        let (tx, rx) = std::sync::mpsc::channel();
        for pipe in [
            child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let tx = tx.clone();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                    if line.contains("waiting for OCSP client connections") {
                        let _ = tx.send(());
                    }
                }
            });
        }
        let _ = rx.recv_timeout(std::time::Duration::from_secs(10));
        let load = |n: &str| {
            let pem = std::fs::read(d.join(n)).unwrap();
            Certificate::from_der(&pki::input::read(&pem, pki::input::Kind::Certificate).unwrap()[0]).unwrap()
        };
        let (ca, good, bad) = (load("ca.pem"), load("good.pem"), load("bad.pem"));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let h = HttpFetcher::new(HttpConfig::default()).unwrap();
        let session = FetchSession::new(&h, FetchLimits::default());
        let opts = OnlineOptions { time: now, nonce: Nonce::Require, urls: Some(vec![url.clone()]) };
        let st_good = check_online(&good, &ca, &session, &opts, &RingVerifier, &mut budget());
        let st_bad = check_online(&bad, &ca, &session, &opts, &RingVerifier, &mut budget());
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&d);
        assert_eq!(st_good.outcome, OcspOutcome::Good, "{:?}", st_good.findings);
        let ev = st_good.evidence.unwrap();
        assert!(matches!(ev.signer, Signer::Delegated { nocheck: true, .. }), "{ev:?}");
        assert_eq!(ev.nonce, NonceState::Echoed);
        assert!(matches!(st_bad.outcome, OcspOutcome::Revoked { reason: Some(1), .. }), "{:?}", st_bad.findings);
    }
}
