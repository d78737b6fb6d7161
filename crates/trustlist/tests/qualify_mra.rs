//! TakenOverBy (TS 119 612 §5.5.9.3) and mutual recognition (EU MRA schema,
//! TrustServiceEquivalenceInformation on a LOTL pointer) in qualification, on synthetic lists
//! written with `build` (TakenOverBy, which the writer has no field for, edited in).

use eidtrust_trustlist::build::{
    with_mutual_recognition, EquivalenceSpec, ListSpec, MraSpec, PointerSpec, ProviderSpec, ServiceSpec, StatusSpec,
};
use eidtrust_trustlist::qualify::{qualify, QcType};
use eidtrust_trustlist::{findings as f, mra, parse, uri, TrustedList};

const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
const T2024: i64 = 1_717_200_000; // 2024-06-01

// Third-country vocabulary (what a non-EU scheme might write).
const UA_TYPE: &str = "http://example.org/tc/Svctype/QualifiedCA";
const UA_ACTIVE: &str = "http://example.org/tc/Svcstatus/active";
const UA_REVOKED: &str = "http://example.org/tc/Svcstatus/revoked";
const UA_QSCD: &str = "http://example.org/tc/SvcInfoExt/KeyOnQSCD";

mod common;
use common::synth::{ca, leaf, Ca};

/// A 2020 leaf with QcCompliance and QcType esign (no QcSSCD).
fn esign_leaf(ca: &Ca) -> Vec<u8> {
    leaf(ca, 2020, &["0.4.0.1862.1.1"], Some("0.4.0.1862.1.6.1"), &[])
}

fn list_xml(territory: &str, ca: &Ca, ty: &str, status: &str, qualifiers: Vec<String>) -> String {
    ListSpec {
        territory: territory.into(),
        sequence_number: 3,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
        operator: "Test operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![],
        providers: vec![ProviderSpec {
            name: "Old TSP".into(),
            services: vec![ServiceSpec {
                type_identifier: ty.into(),
                name: "QC CA".into(),
                certificate: ca.cert.der().to_vec(),
                statuses: vec![StatusSpec {
                    status: status.into(),
                    starting: "2016-07-01T00:00:00Z".into(),
                    qualifications: if qualifiers.is_empty() { vec![] } else { vec![(qualifiers, vec![])] },
                    asi: vec![uri::ASI_FOR_ESIG.into()],
                }],
            }],
        }],
    }
    .to_xml()
}

#[test]
fn taken_over_by_is_reported_and_does_not_change_the_result() {
    let ca = ca("QC CA T");
    let xml = list_xml("XK", &ca, CA_QC, GRANTED, vec![]);
    let taken = "<tsl:Extension Critical=\"false\"><tslx:TakenOverBy><tslx:URI xml:lang=\"en\">https://new-tsp.example/</tslx:URI><tslx:TSPName><tsl:Name xml:lang=\"en\">New TSP Ltd</tsl:Name></tslx:TSPName><tsl:SchemeOperatorName><tsl:Name xml:lang=\"en\">Test operator</tsl:Name></tsl:SchemeOperatorName><tsl:SchemeTerritory>XK</tsl:SchemeTerritory></tslx:TakenOverBy></tsl:Extension>";
    let edited =
        xml.replacen("<tsl:ServiceInformationExtensions>", &format!("<tsl:ServiceInformationExtensions>{taken}"), 1);
    assert_ne!(edited, xml);
    let list = parse(edited.as_bytes()).unwrap();
    let t = list.providers[0].services[0].current.extensions.taken_over_by.as_ref().unwrap();
    assert_eq!(t.scheme_territory.as_deref(), Some("XK"));
    let cert = esign_leaf(&ca);
    let q = qualify(&cert, &[&list], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Esig));
    let found = q.findings.iter().find(|x| x.id == f::QUAL_TAKEN_OVER.id).expect("a taken-over finding");
    assert!(found.message.contains("New TSP Ltd") && found.message.contains("XK"), "{}", found.message);
    // Without the extension, no such finding.
    let plain = qualify(&cert, &[&parse(xml.as_bytes()).unwrap()], T2024);
    assert!(plain.qualified);
    assert!(!plain.findings.iter().any(|x| x.id == f::QUAL_TAKEN_OVER.id));
}

/// A LOTL with one pointer to territory "TC" carrying an MRA whose single equivalence has
/// `status` (enacted/repealed) since `since`.
fn lotl_with_mra(status: &str, since: &str) -> TrustedList {
    let spec = ListSpec {
        territory: "EU".into(),
        sequence_number: 9,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists".into(),
        operator: "LOTL operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![PointerSpec {
            location: "https://tc.example/tl.xml".into(),
            territory: "TC".into(),
            tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
            certificates: vec![],
        }],
        providers: vec![],
    };
    let equivalence = EquivalenceSpec {
        legal_identifier: "http://ec.europa.eu/tools/lotl/mra/QCertESig".into(),
        status: status.into(),
        starting: since.into(),
        types: (CA_QC.into(), UA_TYPE.into()),
        valid: (vec![GRANTED.into()], vec![UA_ACTIVE.into()]),
        invalid: (vec!["http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn".into()], vec![UA_REVOKED.into()]),
        qualifiers: vec![("http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD".into(), UA_QSCD.into())],
        content: vec![],
        history: vec![],
    };
    let mra = MraSpec {
        pointing_legislation: "EU 910/2014".into(),
        pointed_legislation: "TC law".into(),
        equivalences: vec![equivalence],
    };
    let xml = with_mutual_recognition(&spec.to_xml(), "TC", &mra).expect("the LOTL has a TC pointer");
    parse(xml.as_bytes()).unwrap()
}

#[test]
fn an_enacted_equivalence_maps_a_third_country_service_to_eu_terms() {
    let ca = ca("TC QC CA");
    let tc = parse(list_xml("TC", &ca, UA_TYPE, UA_ACTIVE, vec![UA_QSCD.into()]).as_bytes()).unwrap();
    let cert = esign_leaf(&ca);
    // Read as it is, the third-country list has no CA/QC service.
    let q = qualify(&cert, &[&tc], T2024);
    assert!(!q.qualified);
    assert!(q.findings.iter().any(|x| x.id == f::QUAL_NO_SERVICE.id));

    let lotl = lotl_with_mra(mra::MRA_ENACTED, "2020-01-01T00:00:00Z");
    let agreement = lotl.pointers[0].mutual_recognition.as_ref().expect("the MRA is parsed");
    assert_eq!(agreement.equivalences.len(), 1);
    let (eu, findings) = mra::translate(&tc, agreement, T2024);
    assert!(findings.iter().any(|x| x.id == f::MRA_APPLIED.id));
    let info = &eu.providers[0].services[0].current;
    assert_eq!(info.type_identifier, CA_QC);
    assert_eq!(info.status, GRANTED);
    let q = qualify(&cert, &[&eu], T2024);
    assert!(q.qualified, "{:#?}", q.findings);
    assert_eq!(q.qc_type, Some(QcType::Esig));
    // The pointed party's QSCD qualifier became QCWithQSCD: QSCD although the certificate has no
    // QcSSCD statement.
    assert_eq!(q.qscd, Some(true));
}

#[test]
fn a_revoked_status_maps_to_withdrawn_and_a_repealed_or_future_agreement_recognises_nothing() {
    let ca = ca("TC QC CA 2");
    let cert = esign_leaf(&ca);
    let enacted = lotl_with_mra(mra::MRA_ENACTED, "2020-01-01T00:00:00Z");
    let revoked = parse(list_xml("TC", &ca, UA_TYPE, UA_REVOKED, vec![]).as_bytes()).unwrap();
    let (eu, _) = mra::translate(&revoked, enacted.pointers[0].mutual_recognition.as_ref().unwrap(), T2024);
    assert_eq!(
        eu.providers[0].services[0].current.status,
        "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn"
    );
    assert!(!qualify(&cert, &[&eu], T2024).qualified);

    let active = parse(list_xml("TC", &ca, UA_TYPE, UA_ACTIVE, vec![]).as_bytes()).unwrap();
    for lotl in [
        lotl_with_mra(mra::MRA_REPEALED, "2020-01-01T00:00:00Z"),
        lotl_with_mra(mra::MRA_ENACTED, "2025-01-01T00:00:00Z"),
    ] {
        let (eu, findings) = mra::translate(&active, lotl.pointers[0].mutual_recognition.as_ref().unwrap(), T2024);
        assert!(findings.iter().any(|x| x.id == f::MRA_NOT_ENACTED.id), "{findings:#?}");
        assert_eq!(eu.providers[0].services[0].current.type_identifier, UA_TYPE);
        assert!(!qualify(&cert, &[&eu], T2024).qualified);
    }
}
