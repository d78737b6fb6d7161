//! The limits of `limits` that `tests/limits.rs` does not cover, each shown enforced with a clear
//! finding:
//!
//! - [`limits::MAX_IDENTITY_CERTS`]: certificates read from one `ServiceDigitalIdentity` (of a
//!   pointer or a service); the rest are skipped with a `tl.quirk.unreadable-value` finding that
//!   names the limit.
//!
//! - [`limits::MAX_LISTS`]: lists given to one `qualify` call; more are refused with the single
//!   finding `tl.limit.too-many-lists` and a "not qualified" result (the CLI also refuses more than
//!   64 `--tl` lists up front with a usage error:
//!   `crates/cli/tests/limits.rs::more_than_max_lists_trusted_lists_is_a_usage_error`).

use eidtrust_trustlist::{findings as f, limits, parse};

mod common;

/// The base64 body of a real (testpki) certificate, as a list carries it in `X509Certificate`.
fn cert_b64() -> String {
    let pem = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/rs/leaf/qualified-esig.pem"),
    )
    .unwrap();
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

/// A minimal list whose one pointer declares one identity with `pointer_certs` certificates, and
/// whose one service's identity has `service_certs`.
fn list(pointer_certs: usize, service_certs: usize) -> String {
    let c = format!("<X509Certificate>{}</X509Certificate>", cert_b64());
    format!(
        r#"<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier><TSLSequenceNumber>1</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType><SchemeTerritory>RS</SchemeTerritory><PointersToOtherTSL><OtherTSLPointer><ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId>{pc}</DigitalId></ServiceDigitalIdentity></ServiceDigitalIdentities><TSLLocation>https://example.invalid/tl.xml</TSLLocation></OtherTSLPointer></PointersToOtherTSL><ListIssueDateTime>2024-01-01T00:00:00Z</ListIssueDateTime><NextUpdate><dateTime>2024-07-01T00:00:00Z</dateTime></NextUpdate></SchemeInformation><TrustServiceProviderList><TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">TSP</Name></TSPName></TSPInformation><TSPServices><TSPService><ServiceInformation><ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier><ServiceName><Name xml:lang="en">CA</Name></ServiceName><ServiceDigitalIdentity><DigitalId>{sc}</DigitalId></ServiceDigitalIdentity><ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus><StatusStartingTime>2020-01-01T00:00:00Z</StatusStartingTime></ServiceInformation></TSPService></TSPServices></TrustServiceProvider></TrustServiceProviderList></TrustServiceStatusList>"#,
        pc = c.repeat(pointer_certs),
        sc = c.repeat(service_certs),
    )
}

fn limit_quirks(l: &eidtrust_trustlist::TrustedList) -> Vec<&report::Finding> {
    l.quirks.iter().filter(|q| q.message.contains("certificates in one identity")).collect()
}

#[test]
fn identity_certificates_at_the_limit_are_all_read() {
    let n = limits::MAX_IDENTITY_CERTS;
    let l = parse(list(n, n).as_bytes()).unwrap();
    assert_eq!(l.pointers.len(), 1);
    assert_eq!(l.pointers[0].digital_identities[0].certificates.len(), n);
    let services: Vec<_> = l.services().collect();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].1.current.digital_identity.certificates.len(), n);
    assert!(limit_quirks(&l).is_empty(), "{:?}", l.quirks);
}

#[test]
fn identity_certificates_over_the_limit_are_skipped_with_a_finding() {
    let n = limits::MAX_IDENTITY_CERTS;
    // A pointer's identity: one over the limit.
    let l = parse(list(n + 1, 1).as_bytes()).unwrap();
    assert_eq!(l.pointers[0].digital_identities[0].certificates.len(), n);
    let q = limit_quirks(&l);
    assert_eq!(q.len(), 1, "one finding per skipped certificate: {:?}", l.quirks);
    assert_eq!(q[0].id, f::QUIRK_BAD_VALUE.id);
    assert!(q[0].message.contains(&format!("more than {n} certificates in one identity")), "{}", q[0].message);

    // A service's identity, far over the limit: still n read, one finding per skipped one.
    let l = parse(list(1, n + 10).as_bytes()).unwrap();
    let services: Vec<_> = l.services().collect();
    assert_eq!(services[0].1.current.digital_identity.certificates.len(), n);
    assert_eq!(limit_quirks(&l).len(), 10, "{:?}", l.quirks);
}

/// `qualify` refuses more than `MAX_LISTS` lists itself: with exactly `MAX_LISTS` copies of a list
/// under which the certificate is qualified, it is qualified; with one more, nothing is read.
#[test]
fn qualify_refuses_more_than_max_lists() {
    use eidtrust_trustlist::build::{ListSpec, ProviderSpec, ServiceSpec, StatusSpec};
    use eidtrust_trustlist::qualify::qualify;
    let ca = common::synth::ca("Limit QC CA");
    let cert = common::synth::leaf(&ca, 2021, &["0.4.0.1862.1.1"], Some("0.4.0.1862.1.6.1"), &[]);
    let xml = ListSpec {
        territory: "XK".into(),
        sequence_number: 1,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
        operator: "Operator".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2024-07-01T00:00:00Z".into()),
        pointers: vec![],
        providers: vec![ProviderSpec {
            name: "TSP".into(),
            services: vec![ServiceSpec {
                type_identifier: "http://uri.etsi.org/TrstSvc/Svctype/CA/QC".into(),
                name: "QC CA".into(),
                certificate: ca.cert.der().to_vec(),
                statuses: vec![StatusSpec {
                    status: "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted".into(),
                    starting: "2016-07-01T00:00:00Z".into(),
                    qualifications: vec![],
                    asi: vec![],
                }],
            }],
        }],
    }
    .to_xml();
    let list = parse(xml.as_bytes()).unwrap();
    let at = 1_717_200_000; // 2024-06-01
    let many: Vec<&eidtrust_trustlist::TrustedList> = std::iter::repeat_n(&list, limits::MAX_LISTS).collect();
    let q = qualify(&cert, &many, at);
    assert!(q.qualified, "{:#?}", q.findings);
    assert!(!q.findings.iter().any(|x| x.id == f::LIMIT_TOO_MANY_LISTS.id));
    let too_many: Vec<&eidtrust_trustlist::TrustedList> = std::iter::repeat_n(&list, limits::MAX_LISTS + 1).collect();
    let q = qualify(&cert, &too_many, at);
    assert!(!q.qualified);
    assert!(q.services.is_empty());
    assert_eq!(q.findings.len(), 1, "{:#?}", q.findings);
    assert_eq!(q.findings[0].id, f::LIMIT_TOO_MANY_LISTS.id);
    assert!(q.findings[0].message.contains(&format!("at most {}", limits::MAX_LISTS)));
}
