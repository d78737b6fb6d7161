//! The five real signed lists in ../shared: parsed with the right counts, signatures verified
//! (unanchored, against the LOTL pointers, against an explicit signer), and copies altered by one
//! character rejected.

mod common;
use common::*;
use eidtrust_trustlist::verify::{anchor_from_lotl, verify, Anchor, TrustSource};
use eidtrust_trustlist::{findings as f, parse};

struct Expect {
    file: &'static str,
    territory: &'static str,
    version: u32,
    seq: u64,
    issued: &'static str,
    providers: usize,
    services: usize,
    history: usize,
    pointers: usize,
}

// Counts taken independently with Python's ElementTree over the same files.
const EXPECT: &[Expect] = &[
    Expect {
        file: "TSL_HR.xml",
        territory: "HR",
        version: 5,
        seq: 52,
        issued: "2024-06-17T12:35:26Z",
        providers: 4,
        services: 35,
        history: 26,
        pointers: 1,
    },
    Expect {
        file: "TSL_SI.xml",
        territory: "SI",
        version: 6,
        seq: 86,
        issued: "2026-07-07T10:21:12Z",
        providers: 10,
        services: 111,
        history: 119,
        pointers: 1,
    },
    Expect {
        file: "TSL_BG.xml",
        territory: "BG",
        version: 6,
        seq: 64,
        issued: "2026-06-01T11:07:50Z",
        providers: 8,
        services: 115,
        history: 103,
        pointers: 1,
    },
    Expect {
        file: "TSL_CY.xml",
        territory: "CY",
        version: 6,
        seq: 53,
        issued: "2026-03-31T07:56:45Z",
        providers: 1,
        services: 8,
        history: 2,
        pointers: 1,
    },
    Expect {
        file: "eu-lotl.xml",
        territory: "EU",
        version: 6,
        seq: 390,
        issued: "2026-08-03T13:16:38Z",
        providers: 0,
        services: 0,
        history: 0,
        pointers: 43,
    },
];

#[test]
fn parses_all_five_with_the_right_counts() {
    for e in EXPECT {
        let Some(bytes) = shared(e.file) else { return };
        let l = parse(&bytes).unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(l.scheme_territory, e.territory, "{}", e.file);
        assert_eq!(l.version, e.version, "{}", e.file);
        assert_eq!(l.sequence_number, e.seq, "{}", e.file);
        assert_eq!(l.issue_date_time.text, e.issued, "{}", e.file);
        assert_eq!(l.providers.len(), e.providers, "{}", e.file);
        assert_eq!(l.services().count(), e.services, "{}", e.file);
        assert_eq!(l.services().map(|(_, s)| s.history.len()).sum::<usize>(), e.history, "{}", e.file);
        assert_eq!(l.pointers.len(), e.pointers, "{}", e.file);
        assert!(l.signed, "{}", e.file);
        assert!(l.next_update.is_some(), "{}", e.file);
        assert_eq!(l.is_lotl(), e.territory == "EU");
    }
}

#[test]
fn lotl_pointers_and_certificates() {
    let Some(bytes) = shared("eu-lotl.xml") else { return };
    let l = parse(&bytes).unwrap();
    // 43 pointers in the corpus: 32 to XML lists (the LOTL itself among them) and 11 to PDF renderings.
    let xml = l.pointers.iter().filter(|p| p.is_xml()).count();
    assert_eq!(xml, 32);
    assert_eq!(l.pointers.len() - xml, 11);
    for p in l.pointers.iter() {
        assert!(p.scheme_territory.is_some(), "pointer {} has no territory", p.location);
        assert!(p.certificates().count() >= 1, "pointer {} declares no certificate", p.location);
    }
    let hr = eidtrust_trustlist::verify::pointer_for(&l, "HR").unwrap();
    assert!(hr.is_xml());
    assert!(hr.location.starts_with("http"));
}

#[test]
fn quirks_are_reported_not_fatal() {
    // SI writes bare OIDs in PolicyIdentifier without a qualifier; BG writes bare OIDs with
    // Qualifier="OIDAsURI".
    let Some(si) = shared("TSL_SI.xml") else { return };
    let si = parse(&si).unwrap();
    assert!(si.quirks.iter().any(|q| q.id == f::QUIRK_BARE_OID.id));
    let Some(bg) = shared("TSL_BG.xml") else { return };
    let bg = parse(&bg).unwrap();
    assert!(bg.quirks.iter().any(|q| q.id == f::QUIRK_BARE_OID.id && q.message.contains("OIDAsURI")));
    // The bare OIDs are still read as policy OIDs.
    let has_policy = si.services().any(|(_, s)| {
        s.current.extensions.qualifications.iter().any(|q| {
            q.criteria.policy_sets.iter().flatten().any(|o| o == "0.4.0.194112.1.2")
                || q.criteria.nested.iter().any(|n| n.policy_sets.iter().flatten().any(|o| o == "0.4.0.194112.1.2"))
        })
    });
    assert!(has_policy);
}

#[test]
fn verifies_all_five_unanchored_and_says_so() {
    for name in LISTS {
        let Some(bytes) = shared(name) else { return };
        let o = verify(&bytes, &Anchor::Unanchored, T_2026_08_10);
        assert!(o.verified(), "{name}: {:?}", o.verdict);
        assert_eq!(o.trust, TrustSource::KeyInfoOnly);
        assert!(o.verdict.findings.iter().any(|x| x.id == f::SIG_SIGNER_UNANCHORED.id));
        assert!(o.signer.is_some());
    }
}

#[test]
fn verifies_national_lists_against_the_lotl_pointers() {
    let Some(lotl_bytes) = shared("eu-lotl.xml") else { return };
    let lotl = parse(&lotl_bytes).unwrap();
    for name in ["TSL_SI.xml", "TSL_BG.xml", "TSL_CY.xml", "eu-lotl.xml"] {
        let Some(bytes) = shared(name) else { return };
        let list = parse(&bytes).unwrap();
        let anchor = anchor_from_lotl(&lotl, &list).unwrap();
        let o = verify(&bytes, &anchor, T_2026_08_10);
        assert!(o.verified(), "{name}: {:?}", o.verdict);
        assert!(matches!(o.trust, TrustSource::LotlPointer { .. }), "{name}");
        assert!(!o.verdict.findings.iter().any(|x| x.id == f::SIG_SIGNER_UNANCHORED.id));
    }
}

#[test]
fn hr_signer_expired_is_a_warning_and_stale_list_too() {
    // HR's list was signed in June 2024 by a certificate valid until 2024-11-15; its NextUpdate was
    // 2024-12-17. At 2026-08-10 both are warnings, not a failed signature.
    let Some(bytes) = shared("TSL_HR.xml") else { return };
    let signer = x509_der_from_keyinfo(&bytes);
    let o = verify(&bytes, &Anchor::Explicit(vec![signer]), T_2026_08_10);
    assert!(o.verified(), "{:?}", o.verdict);
    assert_eq!(o.trust, TrustSource::ExplicitSigner);
    let ids: Vec<&str> = o.verdict.findings.iter().map(|x| &*x.id).collect();
    assert!(ids.contains(&f::SIG_SIGNER_EXPIRED.id), "{ids:?}");
    assert!(ids.contains(&f::LIST_STALE.id), "{ids:?}");
    // At the issue time, neither applies.
    let o = verify(&bytes, &Anchor::Unanchored, 1_718_700_000);
    assert!(!o.verdict.findings.iter().any(|x| x.id == f::SIG_SIGNER_EXPIRED.id || x.id == f::LIST_STALE.id));
}

#[test]
fn wrong_explicit_signer_is_rejected() {
    let (Some(si), Some(cy)) = (shared("TSL_SI.xml"), shared("TSL_CY.xml")) else { return };
    let cy_signer = x509_der_from_keyinfo(&cy);
    let o = verify(&si, &Anchor::Explicit(vec![cy_signer]), T_2026_08_10);
    assert!(!o.verified());
    assert!(o.verdict.findings.iter().any(|x| x.id == f::SIG_SIGNER_UNTRUSTED.id), "{:?}", o.verdict);
    // The LOTL pointer of another territory does not verify either.
    let Some(lotl) = shared("eu-lotl.xml") else { return };
    let lotl = parse(&lotl).unwrap();
    let bg = eidtrust_trustlist::verify::pointer_for(&lotl, "BG").unwrap();
    let o = verify(&si, &Anchor::from_pointer(bg), T_2026_08_10);
    assert!(!o.verified());
}

/// Replaces one character of `needle`'s first occurrence after `from` (by byte offset).
fn alter(bytes: &[u8], needle: &str, nth_char: usize) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let pos = text.find(needle).unwrap_or_else(|| panic!("{needle} not found")) + nth_char;
    let mut out = bytes.to_vec();
    let c = out[pos];
    assert!(c.is_ascii_alphanumeric(), "alter only ASCII alphanumerics");
    out[pos] = if c == b'A' {
        b'B'
    } else if c.is_ascii_digit() {
        if c == b'9' {
            b'8'
        } else {
            c + 1
        }
    } else {
        b'A'
    };
    out
}

#[test]
fn one_character_changes_are_rejected() {
    for name in LISTS {
        let Some(bytes) = shared(name) else { return };
        let text = std::str::from_utf8(&bytes).unwrap();
        // In the signed content: the sequence number, an operator name, a service status.
        let mut cases = vec![
            alter(&bytes, "<TSLSequenceNumber>", "<TSLSequenceNumber>".len()),
            alter(&bytes, "<Name xml:lang=\"en\">", "<Name xml:lang=\"en\">".len() + 1),
        ];
        if text.contains("Svcstatus/granted<") {
            cases.push(alter(&bytes, "Svcstatus/granted<", "Svcstatus/".len()));
        }
        // In the signature: the signature value, the XAdES signing time.
        let sv = text.find("SignatureValue").unwrap();
        let sv_content = text[sv..].find('>').unwrap() + sv + 1;
        let mut altered = bytes.clone();
        let i = (sv_content..).find(|&i| altered[i].is_ascii_alphabetic()).unwrap();
        altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
        cases.push(altered);
        cases.push(alter(&bytes, "SigningTime>", "SigningTime>".len() + 3));
        for (i, altered) in cases.iter().enumerate() {
            assert_ne!(altered, &bytes);
            let o = verify(altered, &Anchor::Unanchored, T_2026_08_10);
            assert!(!o.verified(), "{name} case {i}: an altered copy verified");
        }
    }
}

#[test]
fn signature_scope_is_checked() {
    let Some(bytes) = shared("TSL_CY.xml") else { return };
    let text = String::from_utf8(bytes).unwrap();
    // The URI="" reference retargeted: not the whole document any more.
    let t = text.replacen("URI=\"\"", "URI=\"#nothing\"", 1);
    let o = verify(t.as_bytes(), &Anchor::Unanchored, T_2026_08_10);
    assert!(!o.verified());
    assert!(o.verdict.findings.iter().any(|x| x.id == f::SIG_SCOPE.id), "{:?}", o.verdict);
    // Signature removed.
    let start = text.find("<ds:Signature").unwrap();
    let end = text.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let stripped = format!("{}{}", &text[..start], &text[end..]);
    let o = verify(stripped.as_bytes(), &Anchor::Unanchored, T_2026_08_10);
    assert!(!o.verified());
    assert!(o.verdict.findings.iter().any(|x| x.id == f::SIG_MISSING.id));
    // A second signature copied inside the provider list: refused (wrapping).
    let sig = &text[start..end];
    let wrapped = text.replacen("<TrustServiceProviderList>", &format!("<TrustServiceProviderList>{sig}"), 1);
    let o = verify(wrapped.as_bytes(), &Anchor::Unanchored, T_2026_08_10);
    assert!(!o.verified());
}

/// The DER of the certificate in the list's KeyInfo (test helper: find the base64 by text).
fn x509_der_from_keyinfo(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let text = std::str::from_utf8(bytes).unwrap();
    let ki = text.find("KeyInfo").unwrap();
    let start = text[ki..].find("X509Certificate>").unwrap() + ki + "X509Certificate>".len();
    let end = text[start..].find('<').unwrap() + start;
    let clean: String = text[start..end].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).unwrap()
}

#[test]
fn real_ca_certificates_match_their_issuing_services() {
    // Subordinate CA / TSA certificates listed in SI, BG and HR are issued by CA/QC services of the
    // same list: service matching (issuer name + signature check with the service key) finds them.
    // CA certificates among them carry no QC statements, so they are not qualified themselves.
    use eidtrust_trustlist::qualify::qualify;
    use x509_parser::prelude::*;
    for name in ["TSL_SI.xml", "TSL_BG.xml", "TSL_HR.xml"] {
        let Some(bytes) = shared(name) else { return };
        let list = parse(&bytes).unwrap();
        let caqc_subjects: Vec<Vec<u8>> = list
            .services()
            .filter(|(_, s)| s.current.type_identifier == eidtrust_trustlist::uri::SVC_CA_QC)
            .flat_map(|(_, s)| s.current.digital_identity.certificates.iter())
            .filter_map(|d| X509Certificate::from_der(d).ok().map(|(_, c)| c.subject().as_raw().to_vec()))
            .collect();
        let mut matched = 0;
        for (_, s) in list.services() {
            for der in &s.current.digital_identity.certificates {
                let (_, c) = X509Certificate::from_der(der).unwrap();
                let issued_by_listed = caqc_subjects.iter().any(|sub| sub == c.issuer().as_raw());
                if !issued_by_listed || c.subject() == c.issuer() {
                    continue;
                }
                let q = qualify(der, &[&list], T_2026_08_10);
                // Same subject but another key (a re-keyed root) must not match: only count matches.
                if q.services.is_empty() {
                    continue;
                }
                // A CA certificate claims no QC statements; some listed TSA units do (Halcom CA TS 5
                // carries QcCompliance and QcSSCD) and then legitimately come out qualified.
                let is_ca = c.basic_constraints().ok().flatten().is_some_and(|b| b.value.ca);
                if is_ca {
                    assert!(!q.qualified, "{name}: CA certificate {} came out qualified", c.subject());
                }
                matched += 1;
            }
        }
        assert!(matched >= 5, "{name}: only {matched} subordinate certificates matched");
    }
}

#[test]
fn the_anchor_can_be_chosen_from_the_list_itself_in_one_parse() {
    use eidtrust_trustlist::verify::{anchor_from_lotl_for, verify_choosing};
    let (Some(lotl_bytes), Some(si)) = (shared("eu-lotl.xml"), shared("TSL_SI.xml")) else { return };
    let lotl = parse(&lotl_bytes).unwrap();
    let mut seen = None;
    let o = verify_choosing(&si, T_2026_08_10, |id| {
        seen = id.map(|(t, ty)| (t.to_string(), ty.to_string()));
        let (t, ty) = id.ok_or("unreadable")?;
        anchor_from_lotl_for(&lotl, t, ty).ok_or("no pointer")
    })
    .unwrap();
    assert!(o.verified(), "{:?}", o.verdict);
    assert!(matches!(&o.trust, TrustSource::LotlPointer { territory, .. } if territory == "SI"));
    let (t, ty) = seen.unwrap();
    assert_eq!(t, "SI");
    assert!(ty.ends_with("EUgeneric"), "{ty}");
    // The LOTL's own anchor is its list-of-the-lists pointer.
    let o = verify_choosing(&lotl_bytes, T_2026_08_10, |id| {
        let (t, ty) = id.ok_or("unreadable")?;
        anchor_from_lotl_for(&lotl, t, ty).ok_or("no pointer")
    })
    .unwrap();
    assert!(o.verified());
    // The chooser's error is returned as is; a malformed list gives the chooser nothing.
    assert_eq!(verify_choosing(&si, T_2026_08_10, |_| Err::<Anchor, _>("refused")).unwrap_err(), "refused");
    let mut called_with = Some(("x".to_string(), "y".to_string()));
    let o = verify_choosing(b"<not-a-list/>", T_2026_08_10, |id| {
        called_with = id.map(|(a, b)| (a.to_string(), b.to_string()));
        Ok::<_, ()>(Anchor::Unanchored)
    })
    .unwrap();
    assert!(called_with.is_none());
    assert!(!o.verified());
}
