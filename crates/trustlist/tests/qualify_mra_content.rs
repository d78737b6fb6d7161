//! Mutual recognition, the rest of the EU MRA schema v2: the equivalence history
//! (`TrustServiceEquivalenceHistory`: the status in force at the relevant time) and the
//! certificate-content equivalences (`CertificateContentReferencesEquivalenceList`: a
//! third-country certificate carrying its party's content is read as carrying the EU one), on
//! synthetic lists written with `build` (including `build::with_mutual_recognition`).

use eidtrust_trustlist::build::{
    with_mutual_recognition, ContentEquivalenceSpec, DeclarationSpec, EquivalenceSpec, ListSpec, MraSpec, PointerSpec,
    ProviderSpec, QcStatementSpec, ServiceSpec, StatusSpec,
};
use eidtrust_trustlist::qualify::{
    qualify, QcType, MRA_CONTEXT_QC_COMPLIANCE, MRA_CONTEXT_QC_QSCD, MRA_CONTEXT_QC_TYPE,
};
use eidtrust_trustlist::{findings as f, mra, parse, TrustedList};

mod common;
use common::synth::{ca, leaf, Ca};

const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";
const T2022: i64 = 1_654_041_600; // 2022-06-01
const T2024: i64 = 1_717_200_000; // 2024-06-01

// Third-country vocabulary.
const TC_TYPE: &str = "http://example.org/tc/Svctype/QualifiedCA";
const TC_ACTIVE: &str = "http://example.org/tc/Svcstatus/active";
const TC_REVOKED: &str = "http://example.org/tc/Svcstatus/revoked";
// The third country's own certificate content: a "qualified" statement, a QSCD statement and a
// policy for natural persons' signatures.
const TC_QC_STATEMENT: &str = "1.3.6.1.4.1.99999.1.1";
const TC_QSCD_STATEMENT: &str = "1.3.6.1.4.1.99999.1.4";
const TC_POLICY_ESIG: &str = "1.3.6.1.4.1.99999.2.1";

fn tc_list(ca: &Ca) -> TrustedList {
    let xml = ListSpec {
        territory: "TC".into(),
        sequence_number: 7,
        tsl_type: "http://example.org/tc/TSLType/generic".into(),
        operator: "TC operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![],
        providers: vec![ProviderSpec {
            name: "TC TSP".into(),
            services: vec![ServiceSpec {
                type_identifier: TC_TYPE.into(),
                name: "TC QC CA".into(),
                certificate: ca.cert.der().to_vec(),
                statuses: vec![StatusSpec {
                    status: TC_ACTIVE.into(),
                    starting: "2016-07-01T00:00:00Z".into(),
                    qualifications: vec![],
                    asi: vec![],
                }],
            }],
        }],
    }
    .to_xml();
    parse(xml.as_bytes()).unwrap()
}

fn equivalence(status: &str, starting: &str, content: Vec<ContentEquivalenceSpec>) -> EquivalenceSpec {
    EquivalenceSpec {
        legal_identifier: "http://ec.europa.eu/tools/lotl/mra/QCertESig".into(),
        status: status.into(),
        starting: starting.into(),
        types: (CA_QC.into(), TC_TYPE.into()),
        valid: (vec![GRANTED.into()], vec![TC_ACTIVE.into()]),
        invalid: (vec![WITHDRAWN.into()], vec![TC_REVOKED.into()]),
        qualifiers: vec![],
        content,
        history: vec![],
    }
}

/// The content equivalences of an agreement recognising the TC content: its QC statement as
/// QcCompliance, its e-signature policy as QcType esign, its QSCD statement as QcSSCD.
fn content() -> Vec<ContentEquivalenceSpec> {
    let st = |id: &str, qc_type: Option<&str>| QcStatementSpec { id: id.into(), qc_type: qc_type.map(Into::into) };
    vec![
        ContentEquivalenceSpec {
            context: MRA_CONTEXT_QC_COMPLIANCE.into(),
            pointing: DeclarationSpec { qc_statements: vec![st("0.4.0.1862.1.1", None)], policies: vec![] },
            pointed: DeclarationSpec { qc_statements: vec![st(TC_QC_STATEMENT, None)], policies: vec![] },
        },
        ContentEquivalenceSpec {
            context: MRA_CONTEXT_QC_TYPE.into(),
            pointing: DeclarationSpec {
                qc_statements: vec![st("0.4.0.1862.1.6", Some("0.4.0.1862.1.6.1"))],
                policies: vec![],
            },
            pointed: DeclarationSpec { qc_statements: vec![], policies: vec![TC_POLICY_ESIG.into()] },
        },
        ContentEquivalenceSpec {
            context: MRA_CONTEXT_QC_QSCD.into(),
            pointing: DeclarationSpec { qc_statements: vec![st("0.4.0.1862.1.4", None)], policies: vec![] },
            pointed: DeclarationSpec { qc_statements: vec![st(TC_QSCD_STATEMENT, None)], policies: vec![] },
        },
    ]
}

fn lotl(equivalences: Vec<EquivalenceSpec>) -> TrustedList {
    let xml = ListSpec {
        territory: "EU".into(),
        sequence_number: 9,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists".into(),
        operator: "LOTL operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![PointerSpec {
            location: "https://tc.example/tl.xml".into(),
            territory: "TC".into(),
            tsl_type: "http://example.org/tc/TSLType/generic".into(),
            certificates: vec![],
        }],
        providers: vec![],
    }
    .to_xml();
    let mra =
        MraSpec { pointing_legislation: "EU 910/2014".into(), pointed_legislation: "TC law".into(), equivalences };
    let xml = with_mutual_recognition(&xml, "TC", &mra).expect("the LOTL has a TC pointer");
    parse(xml.as_bytes()).unwrap()
}

fn read_through(lotl: &TrustedList, list: &TrustedList, at: i64) -> (TrustedList, Vec<report::Finding>) {
    let agreement = lotl.pointers[0].mutual_recognition.as_ref().expect("the MRA is parsed");
    mra::translate(list, agreement, at)
}

/// A leaf the EU way: QcCompliance + QcType esign.
fn eu_leaf(ca: &Ca, year: i32) -> Vec<u8> {
    leaf(ca, year, &["0.4.0.1862.1.1"], Some("0.4.0.1862.1.6.1"), &[])
}

fn ids(findings: &[report::Finding]) -> Vec<&str> {
    findings.iter().map(|x| &*x.id).collect()
}

#[test]
fn the_history_is_parsed_with_its_own_statuses_and_content() {
    let mut current = equivalence(mra::MRA_REPEALED, "2023-01-01T00:00:00Z", vec![]);
    current.history = vec![equivalence(mra::MRA_ENACTED, "2020-01-01T00:00:00Z", content())];
    let l = lotl(vec![current]);
    let e = &l.pointers[0].mutual_recognition.as_ref().unwrap().equivalences[0];
    assert_eq!(e.status.as_deref(), Some(mra::MRA_REPEALED));
    assert_eq!(e.history.len(), 1);
    assert_eq!(e.history_instances, 1);
    let h = &e.history[0];
    assert_eq!(h.status.as_deref(), Some(mra::MRA_ENACTED));
    assert_eq!(h.legal_identifier, e.legal_identifier);
    assert_eq!(h.content_equivalences.len(), 3);
    let qc = &h.content_equivalences[0];
    assert_eq!(qc.context, MRA_CONTEXT_QC_COMPLIANCE);
    assert_eq!(qc.pointed.qc_statement_sets[0][0].id, TC_QC_STATEMENT);
    assert_eq!(qc.pointing.qc_statement_sets[0][0].id, "0.4.0.1862.1.1");
    let ty = &h.content_equivalences[1];
    assert_eq!(ty.pointing.qc_statement_sets[0][0].qc_type.as_deref(), Some("0.4.0.1862.1.6.1"));
    assert_eq!(ty.pointed.policy_sets, vec![vec![TC_POLICY_ESIG.to_string()]]);
    // In force: the history instance in 2022, the current (repealed) entry in 2024, none in 2019.
    assert_eq!(e.in_force_at(T2022).and_then(|x| x.status.as_deref()), Some(mra::MRA_ENACTED));
    assert_eq!(e.in_force_at(T2024).and_then(|x| x.status.as_deref()), Some(mra::MRA_REPEALED));
    assert!(e.in_force_at(1_546_300_800).is_none()); // 2019-01-01
}

#[test]
fn enacted_then_repealed_recognises_the_service_only_while_enacted() {
    let ca = ca("TC QC CA H");
    let tc = tc_list(&ca);
    let cert = eu_leaf(&ca, 2020); // issued 2020-06-01
    let mut current = equivalence(mra::MRA_REPEALED, "2023-01-01T00:00:00Z", vec![]);
    current.history = vec![equivalence(mra::MRA_ENACTED, "2020-01-01T00:00:00Z", vec![])];
    let l = lotl(vec![current]);

    // 2022: the historical (enacted) instance is in force at issuance and at T.
    let (eu, findings) = read_through(&l, &tc, T2022);
    assert!(ids(&findings).contains(&f::MRA_HISTORY_USED.id), "{findings:#?}");
    assert!(!ids(&findings).contains(&f::MRA_NOT_ENACTED.id));
    let q = qualify(&cert, &[&eu], T2022);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Esig));

    // 2024: repealed since 2023 — no longer recognised at T (granted at issuance is not enough).
    let (eu, findings) = read_through(&l, &tc, T2024);
    assert!(ids(&findings).contains(&f::MRA_NOT_ENACTED.id), "{findings:#?}");
    let svc = &eu.providers[0].services[0];
    assert_eq!(svc.status_at(T2024).unwrap().type_identifier, TC_TYPE);
    assert_eq!(svc.status_at(T2022).unwrap().type_identifier, CA_QC);
    assert_eq!(svc.status_at(T2022).unwrap().status, GRANTED);
    let q = qualify(&cert, &[&eu], T2024);
    assert!(!q.qualified, "{:#?}", q.findings);
    assert!(ids(&q.findings).contains(&f::QUAL_NOT_GRANTED_AT_TIME.id), "{:#?}", q.findings);

    // Reading only the current status (repealed) would have recognised nothing in 2022 either:
    // the history is what makes 2022 qualified.
    let only_current = lotl(vec![equivalence(mra::MRA_REPEALED, "2023-01-01T00:00:00Z", vec![])]);
    let (eu, _) = read_through(&only_current, &tc, T2022);
    assert!(!qualify(&cert, &[&eu], T2022).qualified);

    // A certificate issued before the agreement was enacted (2019) is not recognised: at its
    // issuance the service was not an EU-equivalent service.
    let early = eu_leaf(&ca, 2019);
    let (eu, _) = read_through(&l, &tc, T2022);
    let q = qualify(&early, &[&eu], T2022);
    assert!(!q.qualified, "{:#?}", q.findings);
    assert!(ids(&q.findings).contains(&f::QUAL_NOT_GRANTED_AT_ISSUANCE.id), "{:#?}", q.findings);
}

#[test]
fn a_content_equivalence_makes_a_third_country_qc_qualify() {
    let ca = ca("TC QC CA C");
    let tc = tc_list(&ca);
    // A TC-style certificate: the TC "qualified" and QSCD statements and the TC e-signature
    // policy; none of the EU QC statements or policies.
    let cert = leaf(&ca, 2021, &[TC_QC_STATEMENT, TC_QSCD_STATEMENT], None, &[TC_POLICY_ESIG]);
    let l = lotl(vec![equivalence(mra::MRA_ENACTED, "2020-01-01T00:00:00Z", content())]);
    let (eu, _) = read_through(&l, &tc, T2024);
    assert_eq!(eu.providers[0].services[0].current.mra_content_equivalences.len(), 3);
    let q = qualify(&cert, &[&eu], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Esig));
    assert_eq!(q.qscd, Some(true));
    let applied: Vec<&report::Finding> = q.findings.iter().filter(|x| x.id == f::MRA_CONTENT_APPLIED.id).collect();
    for ctx in [MRA_CONTEXT_QC_COMPLIANCE, MRA_CONTEXT_QC_TYPE, MRA_CONTEXT_QC_QSCD] {
        assert!(applied.iter().any(|x| x.message.contains(ctx)), "{ctx} not reported: {applied:#?}");
    }

    // Without the QSCD statement: qualified, but no QSCD (only the matching contexts apply).
    let no_qscd = leaf(&ca, 2021, &[TC_QC_STATEMENT], None, &[TC_POLICY_ESIG]);
    let q = qualify(&no_qscd, &[&eu], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qscd, Some(false));
}

#[test]
fn without_the_content_equivalence_the_third_country_qc_is_not_qualified() {
    let ca = ca("TC QC CA N");
    let tc = tc_list(&ca);
    let cert = leaf(&ca, 2021, &[TC_QC_STATEMENT, TC_QSCD_STATEMENT], None, &[TC_POLICY_ESIG]);
    // The service is recognised (type and status equivalences), but the agreement declares no
    // certificate-content equivalence: the TC statements mean nothing in EU terms.
    let l = lotl(vec![equivalence(mra::MRA_ENACTED, "2020-01-01T00:00:00Z", vec![])]);
    let (eu, _) = read_through(&l, &tc, T2024);
    assert_eq!(eu.providers[0].services[0].current.type_identifier, CA_QC);
    let q = qualify(&cert, &[&eu], T2024);
    assert!(!q.qualified, "{:#?}", q.findings);
    assert!(ids(&q.findings).contains(&f::QUAL_NOT_QC.id), "{:#?}", q.findings);
    assert!(!ids(&q.findings).contains(&f::MRA_CONTENT_APPLIED.id));

    // With the equivalence, a certificate that lacks the TC statement is not read as qualified.
    let l = lotl(vec![equivalence(mra::MRA_ENACTED, "2020-01-01T00:00:00Z", content())]);
    let (eu, _) = read_through(&l, &tc, T2024);
    let plain = leaf(&ca, 2021, &[], None, &[TC_POLICY_ESIG]);
    let q = qualify(&plain, &[&eu], T2024);
    assert!(!q.qualified, "{:#?}", q.findings);

    // And the content equivalence of a repealed agreement does nothing.
    let l = lotl(vec![equivalence(mra::MRA_REPEALED, "2020-01-01T00:00:00Z", content())]);
    let (eu, _) = read_through(&l, &tc, T2024);
    assert!(!qualify(&cert, &[&eu], T2024).qualified);
}

#[test]
fn an_unknown_content_context_is_reported_not_applied() {
    let ca = ca("TC QC CA U");
    let tc = tc_list(&ca);
    let cert = leaf(&ca, 2021, &[TC_QC_STATEMENT], None, &[]);
    let mut c = content();
    c.truncate(1);
    c[0].context = "http://example.org/unknown-context".into();
    let l = lotl(vec![equivalence(mra::MRA_ENACTED, "2020-01-01T00:00:00Z", c)]);
    let (eu, _) = read_through(&l, &tc, T2024);
    let q = qualify(&cert, &[&eu], T2024);
    assert!(!q.qualified);
    assert!(ids(&q.findings).contains(&f::MRA_CONTENT_UNSUPPORTED.id), "{:#?}", q.findings);
}

/// `limits::MAX_MRA_EQUIVALENCE_ENTRIES` (16): entries past the limit (equivalences and history
/// instances together) are skipped with a finding that names the limit.
#[test]
fn equivalence_entries_over_the_limit_are_skipped_with_a_finding() {
    use eidtrust_trustlist::limits::MAX_MRA_EQUIVALENCE_ENTRIES;
    let at_limit = |history: usize| {
        let mut e = equivalence(mra::MRA_ENACTED, "2023-01-01T00:00:00Z", vec![]);
        e.history = (0..history)
            .map(|i| equivalence(mra::MRA_ENACTED, &format!("{}-01-01T00:00:00Z", 2022 - i), vec![]))
            .collect();
        lotl(vec![e])
    };
    let ok = at_limit(MAX_MRA_EQUIVALENCE_ENTRIES - 1);
    let e = &ok.pointers[0].mutual_recognition.as_ref().unwrap().equivalences[0];
    assert_eq!(e.history.len(), MAX_MRA_EQUIVALENCE_ENTRIES - 1);
    assert!(!ok.quirks.iter().any(|q| q.id == f::QUIRK_BAD_VALUE.id));

    let over = at_limit(MAX_MRA_EQUIVALENCE_ENTRIES + 1); // 18 entries: 2 over
    let e = &over.pointers[0].mutual_recognition.as_ref().unwrap().equivalences[0];
    assert_eq!(e.history.len(), MAX_MRA_EQUIVALENCE_ENTRIES - 1);
    let skipped: Vec<_> = over.quirks.iter().filter(|q| q.id == f::QUIRK_BAD_VALUE.id).collect();
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
    assert!(skipped[0].message.contains(&MAX_MRA_EQUIVALENCE_ENTRIES.to_string()));
}
