//! Signed ETSI TS 119 612 trusted lists for the Western Balkans test PKIs (issue 5, item 7).
//!
//! For each of rs, me, mk, al, ba and xk, `test-vectors/<state>/tl/tl.xml` lists the state's
//! synthetic qualified CA as a CA/QC service, granted since the CA's notBefore, for e-signatures,
//! e-seals and website authentication (AdditionalServiceInformation, TS 119 612 §5.5.9.4), with a
//! Qualifications extension `QCQSCDStatusAsInCert` over every certificate (§5.5.9.2.3: the QSCD
//! status is what the certificate's QcSSCD statement says). `tl-signer.pem` is the scheme
//! operator's self-signed signing certificate; its key is derived from `<state>/tl-signer` like
//! every other key ([`crate::keys::TestKey::derive`]), and the list is signed with
//! `trustlist::build::sign` (exclusive c14n, ECDSA P-256 with SHA-256, RFC 6979 deterministic), so
//! regenerating gives the same bytes.
//!
//! The lists are test material: their NextUpdate ([`NEXT_UPDATE`]) is far in the future so that
//! the profiles using them do not go stale, where TS 119 612 §5.3.15 would ask for at most six
//! months after the issue time.

use crate::keys::{Curve, TestKey};
use crate::pki::{serial_for, Issued, StatePki};
use crate::states::State;
use crate::x509::{attr, ku, CertTemplate, Extension, Name};
use std::collections::BTreeMap;
use time::macros::datetime;
use trustlist::build::{sign, ListSpec, ProviderSpec, ServiceSpec, StatusSpec};

/// The states that get a trusted list: the Western Balkans test PKIs (the EU states' lists are
/// the real ones).
pub const STATES: &[&str] = &["rs", "me", "mk", "al", "ba", "xk"];

/// ListIssueDateTime of every synthetic list.
pub const ISSUE: &str = "2025-01-01T00:00:00Z";
/// NextUpdate of every synthetic list (see the module docs).
pub const NEXT_UPDATE: &str = "2035-12-31T00:00:00Z";
/// StatusStartingTime of the CA/QC services: the qualified CAs' notBefore.
pub const GRANTED_SINCE: &str = "2021-01-01T00:00:00Z";

const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const QSCD_AS_IN_CERT: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCQSCDStatusAsInCert";
const ASI: [&str; 3] = [
    "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures",
    "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals",
    "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForWebSiteAuthentication",
];
const TSL_TYPE: &str = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric";

/// The scheme operator's signing certificate of `state`: self-signed P-256, digitalSignature and
/// nonRepudiation, valid 2024-01-01 to 2036-01-01.
pub fn signer(state: &State) -> Issued {
    let label = format!("{}/tl-signer", state.code);
    let key = TestKey::derive(&label, Curve::P256);
    let name = Name::new()
        .with(attr::COUNTRY, state.country)
        .with(attr::ORGANIZATION, "eidtrust synthetic PKI (TEST ONLY)")
        .with(attr::COMMON_NAME, &format!("eidtrust TEST Trusted List Signer {}", state.code.to_uppercase()));
    let mut t = CertTemplate::new(
        0,
        name.clone(),
        name,
        datetime!(2024-01-01 00:00:00 UTC),
        datetime!(2036-01-01 00:00:00 UTC),
    );
    t.serial = serial_for(&label);
    t.extensions = vec![
        Extension::subject_key_id(&key.key_id()),
        Extension::basic_constraints(false, None),
        Extension::key_usage(&[ku::DIGITAL_SIGNATURE, ku::NON_REPUDIATION]),
    ];
    let der = t.issue(&key, &key);
    Issued { template: t, key, der }
}

/// The (unsigned) list of `pki`'s state, with sequence number `sequence`.
pub fn list_spec(pki: &StatePki, sequence: u64) -> ListSpec {
    let code = pki.state.code.to_uppercase();
    ListSpec {
        territory: pki.state.country.to_string(),
        sequence_number: sequence,
        tsl_type: TSL_TYPE.into(),
        operator: format!("eidtrust TEST supervisory body {code} (synthetic, never for production)"),
        issue: ISSUE.into(),
        next_update: Some(NEXT_UPDATE.into()),
        pointers: Vec::new(),
        providers: vec![ProviderSpec {
            name: format!("eidtrust TEST qualified TSP {code}"),
            services: vec![ServiceSpec {
                type_identifier: CA_QC.into(),
                name: format!("eidtrust TEST Qualified CA {code}"),
                certificate: pki.qualified_ca.der.clone(),
                statuses: vec![StatusSpec {
                    status: GRANTED.into(),
                    starting: GRANTED_SINCE.into(),
                    qualifications: vec![(vec![QSCD_AS_IN_CERT.into()], Vec::new())],
                    asi: ASI.iter().map(|s| s.to_string()).collect(),
                }],
            }],
        }],
    }
}

/// The signed list of `pki`'s state (sequence number 1).
pub fn signed_list(pki: &StatePki) -> Result<String, trustlist::build::SignError> {
    let s = signer(&pki.state);
    sign(&list_spec(pki, 1).to_xml(), s.key.pkcs8_pem().as_bytes(), &s.der)
}

/// `<state>/tl/tl.xml` and `<state>/tl/tl-signer.pem` for every state of [`STATES`].
pub fn files() -> Result<BTreeMap<String, Vec<u8>>, crate::Error> {
    let mut out = BTreeMap::new();
    for state in crate::states::all().into_iter().filter(|s| STATES.contains(&s.code)) {
        let pki = StatePki::build(&state);
        let path = format!("{}/tl/tl.xml", state.code);
        let xml = signed_list(&pki).map_err(|e| crate::Error::Write {
            path: path.clone().into(),
            source: std::io::Error::other(e.to_string()),
        })?;
        out.insert(path, xml.into_bytes());
        out.insert(format!("{}/tl/tl-signer.pem", state.code), signer(&state).pem().into_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_deterministic_and_verify_with_their_signer() {
        let a = files().unwrap();
        let b = files().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 2 * STATES.len());
        for code in STATES {
            let xml = &a[&format!("{code}/tl/tl.xml")];
            let pem = &a[&format!("{code}/tl/tl-signer.pem")];
            let certs = trustlist::certificates_from_bytes(pem);
            assert_eq!(certs.len(), 1);
            let at = 1_748_736_000; // 2025-06-01
            let o = trustlist::verify::verify(xml, &trustlist::verify::Anchor::Explicit(certs), at);
            assert!(o.verified(), "{code}: {:?}", o.verdict);
            // Another state's signer does not verify it.
            let other = if *code == "rs" { "me" } else { "rs" };
            let wrong = trustlist::certificates_from_bytes(&a[&format!("{other}/tl/tl-signer.pem")]);
            assert!(!trustlist::verify::verify(xml, &trustlist::verify::Anchor::Explicit(wrong), at).verified());
        }
    }
}
