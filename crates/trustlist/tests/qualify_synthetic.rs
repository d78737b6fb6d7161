//! Qualification (ETSI TS 119 615) on synthetic lists written with `build`, around certificates
//! made with rcgen: every branch of the decision has a case that can fail.

use eidtrust_trustlist::build::{sign, ListSpec, ProviderSpec, ServiceSpec, StatusSpec};
use eidtrust_trustlist::qualify::{qualify, QcType};
use eidtrust_trustlist::verify::{verify, Anchor, TrustSource};
use eidtrust_trustlist::{findings as f, parse, uri};

const SVC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";
const Q: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";

mod common;
use common::synth::{ca, leaf, Ca};
use rcgen::{CertificateParams, DnType, KeyPair};

const COMPLIANCE: &str = "0.4.0.1862.1.1";
const SSCD: &str = "0.4.0.1862.1.4";
const ESIGN: &str = "0.4.0.1862.1.6.1";
const ESEAL: &str = "0.4.0.1862.1.6.2";

fn status(s: &str, starting: &str, quals: Vec<(Vec<String>, Vec<String>)>, asi: Vec<String>) -> StatusSpec {
    StatusSpec { status: s.into(), starting: starting.into(), qualifications: quals, asi }
}

fn list_with(services: Vec<ServiceSpec>) -> eidtrust_trustlist::TrustedList {
    let spec = ListSpec {
        territory: "XK".into(),
        sequence_number: 1,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
        operator: "Test operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![],
        providers: vec![ProviderSpec { name: "Test TSP".into(), services }],
    };
    parse(spec.to_xml().as_bytes()).unwrap()
}

fn svc(ca: &Ca, name: &str, statuses: Vec<StatusSpec>) -> ServiceSpec {
    ServiceSpec { type_identifier: SVC.into(), name: name.into(), certificate: ca.cert.der().to_vec(), statuses }
}

const T2024: i64 = 1_717_200_000; // 2024-06-01

#[test]
fn granted_service_and_certificate_claims_give_qualified_esig_qscd() {
    let ca = ca("QC CA 1");
    let list = list_with(vec![svc(
        &ca,
        "QC CA 1",
        vec![status(GRANTED, "2016-07-01T00:00:00Z", vec![], vec![uri::ASI_FOR_ESIG.into()])],
    )]);
    let cert = leaf(&ca, 2020, &[COMPLIANCE, SSCD], Some(ESIGN), &[]);
    let q = qualify(&cert, &[&list], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Esig));
    assert_eq!(q.qscd, Some(true));
    assert_eq!(q.tsp.as_deref(), Some("Test TSP"));
    assert_eq!(q.service.as_deref(), Some("QC CA 1"));
    let j = serde_json::to_value(&q).unwrap();
    assert_eq!(j["qualified"], true);
    assert_eq!(j["type"], "esig");
    assert_eq!(j["qscd"], true);
}

#[test]
fn certificate_from_another_ca_matches_no_service() {
    let ca1 = ca("QC CA 1");
    let other = ca("QC CA 1"); // same name, different key: the signature check must reject it
    let list = list_with(vec![svc(&ca1, "QC CA 1", vec![status(GRANTED, "2016-07-01T00:00:00Z", vec![], vec![])])]);
    let cert = leaf(&other, 2020, &[COMPLIANCE], Some(ESIGN), &[]);
    let q = qualify(&cert, &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_NO_SERVICE.id));
}

#[test]
fn withdrawn_at_time_t_is_not_qualified_but_granted_at_issuance_counts_from_history() {
    let ca = ca("QC CA 2");
    let list = list_with(vec![svc(
        &ca,
        "QC CA 2",
        vec![
            status(WITHDRAWN, "2023-01-01T00:00:00Z", vec![], vec![]),
            status(GRANTED, "2016-07-01T00:00:00Z", vec![], vec![]),
        ],
    )]);
    let cert = leaf(&ca, 2020, &[COMPLIANCE], Some(ESIGN), &[]);
    // At T after the withdrawal: not qualified.
    let q = qualify(&cert, &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_NOT_GRANTED_AT_TIME.id), "{:#?}", q.findings);
    // At T before the withdrawal: qualified (history gives the status).
    let q = qualify(&cert, &[&list], 1_640_995_200); // 2022-01-01
    assert!(q.qualified, "{:#?}", q.findings);
    // A certificate issued after the withdrawal is not qualified at issuance.
    let late = leaf(&ca, 2023, &[COMPLIANCE], Some(ESIGN), &[]);
    let q = qualify(&late, &[&list], T2024);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_NOT_GRANTED_AT_ISSUANCE.id));
}

#[test]
fn qualifiers_override_the_certificate() {
    let ca = ca("QC CA 3");
    let qscd_policy = "1.2.3.4.5";
    let list = list_with(vec![svc(
        &ca,
        "QC CA 3",
        vec![status(
            GRANTED,
            "2016-07-01T00:00:00Z",
            vec![
                // Certificates under policy 1.2.3.4.5: QC statement, e-seal, no QSCD.
                (
                    vec![format!("{Q}QCStatement"), format!("{Q}QCForESeal"), format!("{Q}QCNoQSCD")],
                    vec![qscd_policy.into()],
                ),
            ],
            vec![],
        )],
    )]);
    // Claims nothing itself, but matches the criteria.
    let cert = leaf(&ca, 2020, &[SSCD], None, &[qscd_policy]);
    let q = qualify(&cert, &[&list], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Eseal));
    assert_eq!(q.qscd, Some(false));
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_OVERRIDE.id));
    // Without the policy the criteria do not match: the certificate's own (non-)claims stand.
    let plain = leaf(&ca, 2020, &[], None, &[]);
    let q = qualify(&plain, &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_NOT_QC.id), "{:#?}", q.findings);
}

#[test]
fn not_qualified_qualifier_and_type_scope() {
    let ca = ca("QC CA 4");
    let list = list_with(vec![svc(
        &ca,
        "QC CA 4",
        vec![status(
            GRANTED,
            "2016-07-01T00:00:00Z",
            vec![(vec![format!("{Q}NotQualified")], vec!["1.2.3.9.9.9".into()])],
            vec![uri::ASI_FOR_ESEAL.into()],
        )],
    )]);
    let marked = leaf(&ca, 2020, &[COMPLIANCE], Some(ESEAL), &["1.2.3.9.9.9"]);
    let q = qualify(&marked, &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_NOT_QUALIFIED_QUALIFIER.id));
    // An e-signature certificate from a service granted only for e-seals.
    let esig = leaf(&ca, 2020, &[COMPLIANCE], Some(ESIGN), &[]);
    let q = qualify(&esig, &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_TYPE_MISMATCH.id), "{:#?}", q.findings);
    // An e-seal certificate is fine.
    let eseal = leaf(&ca, 2020, &[COMPLIANCE], Some(ESEAL), &[]);
    let q = qualify(&eseal, &[&list], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Eseal));
    assert_eq!(q.qscd, Some(false));
}

#[test]
fn pre_eidas_statuses_count_only_before_2016_07_01() {
    let ca = ca("QC CA 5");
    let list = list_with(vec![svc(
        &ca,
        "QC CA 5",
        vec![status(
            "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision",
            "2010-01-01T00:00:00Z",
            vec![],
            vec![],
        )],
    )]);
    let cert = leaf(&ca, 2015, &[COMPLIANCE], None, &[]);
    // At 2016-01-01 (before eIDAS) the Directive status counts.
    assert!(qualify(&cert, &[&list], 1_451_606_400).qualified);
    // After 2016-07-01 a list that was never migrated to "granted" does not qualify.
    assert!(!qualify(&cert, &[&list], T2024).qualified);
}

#[test]
fn conflicting_services_are_not_qualified() {
    let ca = ca("QC CA 6");
    let a = svc(
        &ca,
        "A",
        vec![status(GRANTED, "2016-07-01T00:00:00Z", vec![(vec![format!("{Q}QCStatement")], vec![])], vec![])],
    );
    let b = svc(
        &ca,
        "B",
        vec![status(GRANTED, "2016-07-01T00:00:00Z", vec![(vec![format!("{Q}NotQualified")], vec![])], vec![])],
    );
    let list = list_with(vec![a, b]);
    let cert = leaf(&ca, 2020, &[], None, &[]);
    let q = qualify(&cert, &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_CONFLICT.id), "{:#?}", q.findings);
    assert_eq!(q.services.len(), 2);
}

#[test]
fn malformed_certificate_is_a_finding() {
    let list = list_with(vec![]);
    let q = qualify(b"not a certificate", &[&list], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_CERT_MALFORMED.id));
}

#[test]
fn built_lists_sign_and_verify_with_explicit_signer_and_expiry_rules() {
    // A signer valid 2023-2025.
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "XK TL signer");
    p.not_before = rcgen::date_time_ymd(2023, 1, 1);
    p.not_after = rcgen::date_time_ymd(2025, 1, 1);
    let key = KeyPair::generate().unwrap();
    let signer = p.self_signed(&key).unwrap();
    let ca = ca("QC CA 7");
    let spec = ListSpec {
        territory: "XK".into(),
        sequence_number: 7,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
        operator: "Test operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![],
        providers: vec![ProviderSpec {
            name: "TSP".into(),
            services: vec![svc(&ca, "QC CA 7", vec![status(GRANTED, "2016-07-01T00:00:00Z", vec![], vec![])])],
        }],
    };
    let signed = sign(&spec.to_xml(), key.serialize_pem().as_bytes(), signer.der()).unwrap();
    let anchor = Anchor::Explicit(vec![signer.der().to_vec()]);
    let o = verify(signed.as_bytes(), &anchor, T2024);
    assert!(o.verified(), "{:?}", o.verdict);
    assert_eq!(o.trust, TrustSource::ExplicitSigner);
    assert!(o.verdict.findings.is_empty(), "{:?}", o.verdict.findings);
    // Two years later: signer expired and list stale are warnings, the signature still verifies.
    let o = verify(signed.as_bytes(), &anchor, T2024 + 2 * 365 * 86_400);
    assert!(o.verified());
    let ids: Vec<&str> = o.verdict.findings.iter().map(|x| &*x.id).collect();
    assert!(ids.contains(&f::SIG_SIGNER_EXPIRED.id) && ids.contains(&f::LIST_STALE.id), "{ids:?}");
    // A list issued when the signer was not valid fails.
    let mut late = spec.clone();
    late.issue = "2026-01-01T00:00:00Z".into();
    late.next_update = Some("2026-07-01T00:00:00Z".into());
    let signed_late = sign(&late.to_xml(), key.serialize_pem().as_bytes(), signer.der()).unwrap();
    let o = verify(signed_late.as_bytes(), &anchor, T2024);
    assert!(!o.verified());
    assert!(o.verdict.findings.iter().any(|x| x.id == f::SIG_SIGNER_NOT_VALID_AT_ISSUE.id));
    // One changed character in the signed content.
    let tampered = signed.replacen("QC CA 7", "QC CA 8", 1);
    assert!(!verify(tampered.as_bytes(), &anchor, T2024).verified());
    // Qualification works on the parsed signed list.
    let list = parse(signed.as_bytes()).unwrap();
    let cert = leaf(&ca, 2020, &[COMPLIANCE], Some(ESIGN), &[]);
    assert!(qualify(&cert, &[&list], T2024).qualified);
}
