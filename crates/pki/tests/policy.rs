//! Certificate policy processing (RFC 5280 §6.1) on real, rcgen-built certificates.
//!
//! Each `pkits_4_*` test mirrors one NIST PKITS case of sections 4.8-4.12 (policy processing,
//! requireExplicitPolicy, policy mapping, inhibitPolicyMapping, inhibitAnyPolicy): the path is
//! rebuilt with the extensions PKITS describes for it (same roles, policies, mappings and
//! constraint values; the certificates themselves are generated here), and the expected outcome
//! and user-constrained-policy-set are those of PKITS' "Expected Result" for each procedure.
//! The PKITS trust anchor asserts no policy; it is not part of the path given to
//! `policy::process` (RFC 5280 §6.1).
//!
//! Then: the x509-limbo cases (the policy module must not reject any valid limbo chain), and
//! pathological mapping graphs that must end fast, with the budget error when they are too big.

extern crate eidtrust_pki as pki;

use pki::budget::Limits;
use pki::cert::Certificate;
use pki::policy::{self, PolicyError, PolicyInputs, PolicyOutcome, ANY_POLICY};
use rcgen::{BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, KeyPair};

// ---------------------------------------------------------------------------------------------
// A small DER writer for the policy extensions (RFC 5280 §4.2.1.4, .5, .11, .14).

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        body.extend(tmp);
    };
    push(arcs[0] * 40 + arcs[1]);
    for a in &arcs[2..] {
        push(*a);
    }
    tlv(0x06, &body)
}

fn int_body(v: u32) -> Vec<u8> {
    let mut b: Vec<u8> = v.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
    if b.first().is_none_or(|x| x & 0x80 != 0) {
        b.insert(0, 0);
    }
    b
}

fn arcs(dotted: &str) -> Vec<u64> {
    dotted.split('.').map(|a| a.parse().unwrap()).collect()
}

const P1: &str = "2.16.840.1.101.3.2.1.48.1";
const P2: &str = "2.16.840.1.101.3.2.1.48.2";
const P3: &str = "2.16.840.1.101.3.2.1.48.3";
const P4: &str = "2.16.840.1.101.3.2.1.48.4";
const P5: &str = "2.16.840.1.101.3.2.1.48.5";
const P6: &str = "2.16.840.1.101.3.2.1.48.6";
const ANY: &str = ANY_POLICY;
const ID_QT_CPS: &str = "1.3.6.1.5.5.7.2.1";
const ID_QT_UNOTICE: &str = "1.3.6.1.5.5.7.2.2";

/// A qualifier: (policyQualifierId, qualifier DER).
type Qualifier = (String, Vec<u8>);

fn user_notice(text: &str) -> Qualifier {
    // UserNotice ::= SEQUENCE { explicitText VisibleString }
    (ID_QT_UNOTICE.to_string(), seq(&[tlv(0x1a, text.as_bytes())]))
}

fn cps(uri: &str) -> Qualifier {
    (ID_QT_CPS.to_string(), tlv(0x16, uri.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Certificate specifications and the chain builder.

#[derive(Clone, Default)]
struct Spec {
    name: String,
    ca: bool,
    /// Subject equal to the issuer's subject (RFC 5280 §6.1 "self-issued").
    self_issued: bool,
    policies: Option<Vec<(String, Vec<Qualifier>)>>,
    mappings: Option<Vec<(String, String)>>,
    require_explicit: Option<u32>,
    inhibit_mapping: Option<u32>,
    inhibit_any: Option<u32>,
}

fn ca(name: &str) -> Spec {
    Spec { name: name.to_string(), ca: true, ..Spec::default() }
}

fn ee(name: &str) -> Spec {
    Spec { name: name.to_string(), ca: false, ..Spec::default() }
}

impl Spec {
    fn policies(mut self, p: &[&str]) -> Spec {
        self.policies = Some(p.iter().map(|p| (p.to_string(), Vec::new())).collect());
        self
    }
    fn qualified(mut self, p: &str, q: Qualifier) -> Spec {
        self.policies.get_or_insert_with(Vec::new).push((p.to_string(), vec![q]));
        self
    }
    fn maps(mut self, m: &[(&str, &str)]) -> Spec {
        self.mappings = Some(m.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect());
        self
    }
    fn require(mut self, n: u32) -> Spec {
        self.require_explicit = Some(n);
        self
    }
    fn inhibit_mapping(mut self, n: u32) -> Spec {
        self.inhibit_mapping = Some(n);
        self
    }
    fn inhibit_any(mut self, n: u32) -> Spec {
        self.inhibit_any = Some(n);
        self
    }
    fn self_issued(mut self) -> Spec {
        self.self_issued = true;
        self
    }

    fn extensions(&self) -> Vec<CustomExtension> {
        let mut out = Vec::new();
        if let Some(p) = &self.policies {
            let infos: Vec<Vec<u8>> = p
                .iter()
                .map(|(o, qs)| {
                    if qs.is_empty() {
                        seq(&[oid(o)])
                    } else {
                        let quals: Vec<Vec<u8>> = qs.iter().map(|(id, der)| seq(&[oid(id), der.clone()])).collect();
                        seq(&[oid(o), seq(&quals)])
                    }
                })
                .collect();
            out.push(CustomExtension::from_oid_content(&arcs("2.5.29.32"), seq(&infos)));
        }
        if let Some(m) = &self.mappings {
            let pairs: Vec<Vec<u8>> = m.iter().map(|(a, b)| seq(&[oid(a), oid(b)])).collect();
            let mut e = CustomExtension::from_oid_content(&arcs("2.5.29.33"), seq(&pairs));
            e.set_criticality(true);
            out.push(e);
        }
        if self.require_explicit.is_some() || self.inhibit_mapping.is_some() {
            let mut parts = Vec::new();
            if let Some(r) = self.require_explicit {
                parts.push(tlv(0x80, &int_body(r)));
            }
            if let Some(i) = self.inhibit_mapping {
                parts.push(tlv(0x81, &int_body(i)));
            }
            let mut e = CustomExtension::from_oid_content(&arcs("2.5.29.36"), seq(&parts));
            e.set_criticality(true);
            out.push(e);
        }
        if let Some(n) = self.inhibit_any {
            let mut e = CustomExtension::from_oid_content(&arcs("2.5.29.54"), tlv(0x02, &int_body(n)));
            e.set_criticality(true);
            out.push(e);
        }
        out
    }
}

fn dn(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CountryName, "US");
    d.push(DnType::OrganizationName, "Test Certificates 2011");
    d.push(DnType::CommonName, cn);
    d
}

/// Builds the path below a fresh trust anchor, anchor side first, as `policy::process` wants it.
fn build(specs: &[Spec]) -> Vec<Certificate> {
    let key = KeyPair::generate().unwrap();
    let mut anchor = CertificateParams::default();
    anchor.distinguished_name = dn("Trust Anchor");
    anchor.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let mut issuer = anchor.self_signed(&key).unwrap();
    let mut out = Vec::new();
    for s in specs {
        let mut p = CertificateParams::default();
        p.distinguished_name = if s.self_issued { issuer.params().distinguished_name.clone() } else { dn(&s.name) };
        p.is_ca = if s.ca { IsCa::Ca(BasicConstraints::Unconstrained) } else { IsCa::NoCa };
        p.custom_extensions = s.extensions();
        let cert = p.signed_by(&key, &issuer, &key).unwrap();
        let parsed = Certificate::from_der(cert.der()).unwrap();
        assert_eq!(parsed.is_self_issued(), s.self_issued, "{}", s.name);
        out.push(parsed);
        issuer = cert;
    }
    out
}

fn run_with(path: &[Certificate], inputs: &PolicyInputs) -> Result<PolicyOutcome, PolicyError> {
    let refs: Vec<&Certificate> = path.iter().collect();
    policy::process(&refs, inputs, &Limits::default())
}

/// PKITS "default settings" (§3 of PKITS): initial-policy-set any-policy, all initial
/// indicators unset.
fn default_settings() -> PolicyInputs {
    PolicyInputs::default()
}

fn policy_set(p: &[&str]) -> PolicyInputs {
    PolicyInputs { user_initial_policy_set: p.iter().map(|s| s.to_string()).collect(), ..PolicyInputs::default() }
}

fn explicit(p: &[&str]) -> PolicyInputs {
    PolicyInputs { initial_explicit_policy: true, ..policy_set(p) }
}

fn set(p: &[&str]) -> Option<Vec<String>> {
    let mut v: Vec<String> = p.iter().map(|s| s.to_string()).collect();
    v.sort();
    Some(v)
}

#[track_caller]
fn valid(path: &[Certificate], inputs: PolicyInputs, expected: Option<Vec<String>>) -> PolicyOutcome {
    match run_with(path, &inputs) {
        Ok(o) => {
            assert_eq!(o.valid_policies, expected, "user-constrained-policy-set");
            o
        }
        Err(e) => panic!("expected a valid path, got: {e}"),
    }
}

#[track_caller]
fn invalid(path: &[Certificate], inputs: PolicyInputs, id: &str) -> PolicyError {
    match run_with(path, &inputs) {
        Ok(o) => panic!("expected {id}, got a valid path: {o:?}"),
        Err(e) => {
            assert_eq!(e.finding_id(), id, "{e}");
            e
        }
    }
}

const NO_VALID: &str = "rfc5280.policy.no-valid-policy";

fn good_ca() -> Spec {
    ca("Good CA").policies(&[P1])
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.8: certificate policies.

#[test]
fn pkits_4_8_1_all_certificates_same_policy_test1() {
    let path = build(&[good_ca(), ee("All Certificates Same Policy Test1 EE").policies(&[P1])]);
    valid(&path, explicit(&[]), set(&[P1]));
    valid(&path, explicit(&[P1]), set(&[P1]));
    invalid(&path, explicit(&[P2]), NO_VALID);
    valid(&path, explicit(&[P1, P2]), set(&[P1]));
}

#[test]
fn pkits_4_8_2_all_certificates_no_policies_test2() {
    let path = build(&[ca("No Policies CA"), ee("All Certificates No Policies Test2 EE")]);
    let o = valid(&path, default_settings(), set(&[]));
    assert!(!o.explicit_policy_required);
    let e = invalid(&path, explicit(&[]), NO_VALID);
    assert_eq!(e.cert_index(), Some(0), "the first certificate already leaves no policy");
    assert!(e.to_string().contains("No Policies CA"), "{e}");
    assert!(e.to_string().contains("no certificatePolicies"), "{e}");
}

#[test]
fn pkits_4_8_3_different_policies_test3() {
    let path =
        build(&[good_ca(), ca("Policies P2 subCA").policies(&[P2]), ee("Different Policies Test3 EE").policies(&[P2])]);
    valid(&path, default_settings(), set(&[]));
    invalid(&path, explicit(&[]), NO_VALID);
    invalid(&path, explicit(&[P1, P2]), NO_VALID);
}

#[test]
fn pkits_4_8_4_different_policies_test4() {
    let path = build(&[
        good_ca(),
        ca("Good subCA").policies(&[P1]).require(0),
        ee("Different Policies Test4 EE").policies(&[P2]),
    ]);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert_eq!(e.cert_index(), Some(2));
    assert!(e.to_string().contains("requireExplicitPolicy in \"CN=Good subCA\""), "{e}");
}

#[test]
fn pkits_4_8_5_different_policies_test5() {
    let path = build(&[
        good_ca(),
        ca("Policies P2 subCA2").policies(&[P2]).require(0),
        ee("Different Policies Test5 EE").policies(&[P2]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_8_6_overlapping_policies_test6() {
    let path = build(&[
        ca("Policies P1234 CA").policies(&[P1, P2, P3, P4]).require(0),
        ca("Policies P1234 subCAP123").policies(&[P1, P2, P3]),
        ca("Policies P1234 subsubCAP123P12").policies(&[P1, P2]),
        ee("Overlapping Policies Test6 EE").policies(&[P1]),
    ]);
    valid(&path, default_settings(), set(&[P1]));
    valid(&path, policy_set(&[P1]), set(&[P1]));
    let e = invalid(&path, policy_set(&[P2]), NO_VALID);
    assert!(matches!(e, PolicyError::UserSetDisjoint { .. }), "{e:?}");
}

#[test]
fn pkits_4_8_7_different_policies_test7() {
    let path = build(&[
        ca("Policies P123 CA").policies(&[P1, P2, P3]).require(0),
        ca("Policies P123 subCAP12").policies(&[P1, P2]),
        ca("Policies P123 subsubCAP12P1").policies(&[P1]),
        ee("Different Policies Test7 EE").policies(&[P2]),
    ]);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert_eq!(e.cert_index(), Some(3));
}

#[test]
fn pkits_4_8_8_different_policies_test8() {
    let path = build(&[
        ca("Policies P12 CA").policies(&[P1, P2]).require(0),
        ca("Policies P12 subCAP1").policies(&[P1]),
        ca("Policies P12 subsubCAP1P2").policies(&[P2]),
        ee("Different Policies Test8 EE").policies(&[P1, P2]),
    ]);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert_eq!(e.cert_index(), Some(2), "the sub-subCA asserts only a policy its issuer dropped");
}

#[test]
fn pkits_4_8_9_different_policies_test9() {
    let path = build(&[
        ca("Policies P123 CA").policies(&[P1, P2, P3]).require(0),
        ca("Policies P123 subCAP12").policies(&[P1, P2]),
        ca("Policies P123 subsubCAP12P2").policies(&[P2]),
        ca("Policies P123 subsubsubCAP12P2P1").policies(&[P1]),
        ee("Different Policies Test9 EE").policies(&[P1]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_8_10_all_certificates_same_policies_test10() {
    let path = build(&[
        ca("Policies P12 CA").policies(&[P1, P2]).require(0),
        ee("All Certificates Same Policies Test10 EE").policies(&[P1, P2]),
    ]);
    valid(&path, default_settings(), set(&[P1, P2]));
    valid(&path, policy_set(&[P1]), set(&[P1]));
    valid(&path, policy_set(&[P2]), set(&[P2]));
}

#[test]
fn pkits_4_8_11_all_certificates_any_policy_test11() {
    let path = build(&[
        ca("anyPolicy CA").policies(&[ANY]).require(0),
        ee("All Certificates anyPolicy Test11 EE").policies(&[ANY]),
    ]);
    let o = valid(&path, default_settings(), None);
    assert_eq!(o.authorities_constrained, None);
    valid(&path, policy_set(&[P1]), set(&[P1]));
}

#[test]
fn pkits_4_8_12_different_policies_test12() {
    let path =
        build(&[ca("Policies P3 CA").policies(&[P3]).require(0), ee("Different Policies Test12 EE").policies(&[P1])]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_8_13_all_certificates_same_policies_test13() {
    let path = build(&[
        ca("Policies P123 CA").policies(&[P1, P2, P3]).require(0),
        ee("All Certificates Same Policies Test13 EE").policies(&[P1, P2, P3]),
    ]);
    valid(&path, policy_set(&[P1]), set(&[P1]));
    valid(&path, policy_set(&[P2]), set(&[P2]));
    valid(&path, policy_set(&[P3]), set(&[P3]));
}

#[test]
fn pkits_4_8_14_any_policy_test14() {
    let path = build(&[ca("anyPolicy CA").policies(&[ANY]).require(0), ee("AnyPolicy Test14 EE").policies(&[P1])]);
    valid(&path, policy_set(&[P1]), set(&[P1]));
    invalid(&path, policy_set(&[P2]), NO_VALID);
}

#[test]
fn pkits_4_8_15_user_notice_qualifier_test15() {
    let q1 = user_notice("q1:  This is the user notice from qualifier 1.");
    let path = build(&[ee("User Notice Qualifier EE Certificate Test15").qualified(P1, q1.clone())]);
    let o = valid(&path, default_settings(), set(&[P1]));
    assert_eq!(o.qualifiers.len(), 1);
    assert_eq!(o.qualifiers[0].policy, P1);
    assert_eq!(o.qualifiers[0].qualifiers, vec![q1]);
}

#[test]
fn pkits_4_8_16_user_notice_qualifier_test16() {
    let q1 = user_notice("q1:  This is the user notice from qualifier 1.");
    let q2 = user_notice("q2:  This user notice should not be displayed");
    let path = build(&[
        good_ca(),
        ee("User Notice Qualifier EE Certificate Test16").qualified(P1, q1.clone()).qualified(P2, q2),
    ]);
    let o = valid(&path, default_settings(), set(&[P1]));
    // Only the notice of NIST-test-policy-1 is on a valid path.
    assert_eq!(o.qualifiers.len(), 1, "{:?}", o.qualifiers);
    assert_eq!((o.qualifiers[0].cert_index, o.qualifiers[0].qualifiers.clone()), (1, vec![q1]));
}

#[test]
fn pkits_4_8_17_user_notice_qualifier_test17() {
    let q3 = user_notice("q3:  This is the user notice from qualifier 3.");
    let path = build(&[good_ca(), ee("User Notice Qualifier EE Certificate Test17").qualified(ANY, q3.clone())]);
    let o = valid(&path, default_settings(), set(&[P1]));
    assert_eq!(o.qualifiers.len(), 1, "{:?}", o.qualifiers);
    let q = &o.qualifiers[0];
    assert_eq!((q.policy.as_str(), q.asserted_as.as_str(), &q.qualifiers), (P1, ANY, &vec![q3]));
}

#[test]
fn pkits_4_8_18_user_notice_qualifier_test18() {
    let q4 = user_notice("q4:  This is the user notice from qualifier 4 associated with NIST-test-policy-1.");
    let q5 = user_notice("q5:  This is the user notice from qualifier 5 associated with anyPolicy.");
    let path = build(&[
        ca("Policies P12 CA").policies(&[P1, P2]),
        ee("User Notice Qualifier EE Certificate Test18").qualified(P1, q4.clone()).qualified(ANY, q5.clone()),
    ]);
    let o = valid(&path, policy_set(&[P1]), set(&[P1]));
    assert_eq!(o.qualifiers.iter().map(|q| q.qualifiers.clone()).collect::<Vec<_>>(), vec![vec![q4]]);
    let o = valid(&path, policy_set(&[P2]), set(&[P2]));
    assert_eq!(o.qualifiers.len(), 1);
    assert_eq!((o.qualifiers[0].policy.as_str(), o.qualifiers[0].asserted_as.as_str()), (P2, ANY));
    assert_eq!(o.qualifiers[0].qualifiers, vec![q5]);
}

#[test]
fn pkits_4_8_19_user_notice_qualifier_test19() {
    let long = "q6:  Section 4.2.1.5 of RFC 3280 states the maximum size of explicitText is 200 characters, \
                but warns that some non-conforming CAs exceed this limit.  Thus RFC 3280 states that certificate \
                users SHOULD gracefully handle explicitText with more than 200 characters.";
    let path = build(&[ee("User Notice Qualifier EE Certificate Test19").qualified(P1, user_notice(long))]);
    // Accepting an explicitText over 200 characters is allowed (the application may choose).
    valid(&path, default_settings(), set(&[P1]));
}

#[test]
fn pkits_4_8_20_cps_pointer_qualifier_test20() {
    let q = cps("http://csrc.nist.gov/pki/testing/x509paths.html");
    let path = build(&[ee("CPS Pointer Qualifier Test20 EE").qualified(P1, q.clone())]);
    let o = valid(&path, explicit(&[P1]), set(&[P1]));
    assert!(o.explicit_policy_required);
    assert_eq!(o.qualifiers[0].qualifiers, vec![q]);
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.9: requireExplicitPolicy.

fn chain_of_cas(first: Spec, extra: &[Spec], leaf: Spec) -> Vec<Spec> {
    let mut v = vec![first];
    v.extend_from_slice(extra);
    v.push(leaf);
    v
}

#[test]
fn pkits_4_9_1_valid_require_explicit_policy_test1() {
    let path = build(&chain_of_cas(
        ca("requireExplicitPolicy10 CA").require(10),
        &[
            ca("requireExplicitPolicy10 subCA"),
            ca("requireExplicitPolicy10 subsubCA"),
            ca("requireExplicitPolicy10 subsubsubCA"),
        ],
        ee("Valid requireExplicitPolicy Test1 EE"),
    ));
    valid(&path, default_settings(), set(&[]));
}

#[test]
fn pkits_4_9_2_valid_require_explicit_policy_test2() {
    let path = build(&chain_of_cas(
        ca("requireExplicitPolicy5 CA").require(5),
        &[
            ca("requireExplicitPolicy5 subCA"),
            ca("requireExplicitPolicy5 subsubCA"),
            ca("requireExplicitPolicy5 subsubsubCA"),
        ],
        ee("Valid requireExplicitPolicy Test2 EE"),
    ));
    let o = valid(&path, default_settings(), set(&[]));
    assert!(!o.explicit_policy_required);
}

#[test]
fn pkits_4_9_3_invalid_require_explicit_policy_test3() {
    let path = build(&chain_of_cas(
        ca("requireExplicitPolicy4 CA").require(4),
        &[
            ca("requireExplicitPolicy4 subCA"),
            ca("requireExplicitPolicy4 subsubCA"),
            ca("requireExplicitPolicy4 subsubsubCA"),
        ],
        ee("Invalid requireExplicitPolicy Test3 EE"),
    ));
    let e = invalid(&path, default_settings(), NO_VALID);
    assert!(e.to_string().contains("requireExplicitPolicy4 CA"), "{e}");
}

#[test]
fn pkits_4_9_4_valid_require_explicit_policy_test4() {
    let path = build(&chain_of_cas(
        ca("requireExplicitPolicy0 CA").policies(&[P1]).require(0),
        &[
            ca("requireExplicitPolicy0 subCA").policies(&[P1]),
            ca("requireExplicitPolicy0 subsubCA").policies(&[P1]),
            ca("requireExplicitPolicy0 subsubsubCA").policies(&[P1]),
        ],
        ee("Valid requireExplicitPolicy Test4 EE").policies(&[P1]),
    ));
    let o = valid(&path, default_settings(), set(&[P1]));
    assert!(o.explicit_policy_required);
}

#[test]
fn pkits_4_9_5_invalid_require_explicit_policy_test5() {
    let path = build(&chain_of_cas(
        ca("requireExplicitPolicy7 CA").require(7),
        &[
            ca("requireExplicitPolicy7 subCARE2").require(2),
            ca("requireExplicitPolicy7 subsubCARE2RE4").require(4),
            ca("requireExplicitPolicy7 subsubsubCARE2RE4"),
        ],
        ee("Invalid requireExplicitPolicy Test5 EE"),
    ));
    let e = invalid(&path, default_settings(), NO_VALID);
    assert!(e.to_string().contains("subCARE2"), "the tighter constraint of the subCA decides: {e}");
}

#[test]
fn pkits_4_9_6_valid_self_issued_require_explicit_policy_test6() {
    let path = build(&[
        ca("requireExplicitPolicy2 CA").require(2),
        ca("requireExplicitPolicy2 SelfIssued CA").self_issued(),
        ee("Valid Self-Issued requireExplicitPolicy Test6 EE"),
    ]);
    valid(&path, default_settings(), set(&[]));
}

#[test]
fn pkits_4_9_7_invalid_self_issued_require_explicit_policy_test7() {
    let path = build(&[
        ca("requireExplicitPolicy2 CA").require(2),
        ca("requireExplicitPolicy2 SelfIssued CA").self_issued(),
        ca("requireExplicitPolicy2 subCA"),
        ee("Invalid Self-Issued requireExplicitPolicy Test7 EE"),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_9_8_invalid_self_issued_require_explicit_policy_test8() {
    let path = build(&[
        ca("requireExplicitPolicy2 CA").require(2),
        ca("requireExplicitPolicy2 SelfIssued CA").self_issued(),
        ca("requireExplicitPolicy2 subCA"),
        ca("requireExplicitPolicy2 SelfIssued subCA").self_issued(),
        ee("Invalid Self-Issued requireExplicitPolicy Test8 EE"),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.10: policy mappings.

fn mapping_1to2_ca() -> Spec {
    ca("Mapping 1to2 CA").policies(&[P1]).maps(&[(P1, P2)]).require(0)
}

#[test]
fn pkits_4_10_1_valid_policy_mapping_test1() {
    let path = build(&[mapping_1to2_ca(), ee("Valid Policy Mapping Test1 EE").policies(&[P2])]);
    valid(&path, policy_set(&[P1]), set(&[P1]));
    invalid(&path, policy_set(&[P2]), NO_VALID);
    let inhibit = PolicyInputs { initial_policy_mapping_inhibit: true, ..default_settings() };
    invalid(&path, inhibit, NO_VALID);
}

#[test]
fn pkits_4_10_2_invalid_policy_mapping_test2() {
    let path = build(&[mapping_1to2_ca(), ee("Invalid Policy Mapping Test2 EE").policies(&[P1])]);
    invalid(&path, default_settings(), NO_VALID);
    let inhibit = PolicyInputs { initial_policy_mapping_inhibit: true, ..default_settings() };
    invalid(&path, inhibit, NO_VALID);
}

fn p12_mapping_1to3() -> Vec<Spec> {
    vec![
        ca("P12 Mapping 1to3 CA").policies(&[P1, P2]).require(0),
        ca("P12 Mapping 1to3 subCA").policies(&[P1, P2]).maps(&[(P1, P3)]),
        ca("P12 Mapping 1to3 subsubCA").policies(&[P2, P3]),
    ]
}

#[test]
fn pkits_4_10_3_valid_policy_mapping_test3() {
    let mut specs = p12_mapping_1to3();
    specs.push(ee("Valid Policy Mapping Test3 EE").policies(&[P2]));
    let path = build(&specs);
    invalid(&path, policy_set(&[P1]), NO_VALID);
    valid(&path, policy_set(&[P2]), set(&[P2]));
}

#[test]
fn pkits_4_10_4_invalid_policy_mapping_test4() {
    let mut specs = p12_mapping_1to3();
    specs.push(ee("Invalid Policy Mapping Test4 EE").policies(&[P1]));
    let path = build(&specs);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert_eq!(e.cert_index(), Some(3));
}

fn p1_mapping_1to234() -> Vec<Spec> {
    vec![
        ca("P1 Mapping 1to234 CA").policies(&[P1]).maps(&[(P1, P2), (P1, P3), (P1, P4)]).require(0),
        ca("P1 Mapping 1to234 subCA").policies(&[P2, P3, P4]),
    ]
}

#[test]
fn pkits_4_10_5_valid_policy_mapping_test5() {
    let mut specs = p1_mapping_1to234();
    specs.push(ee("Valid Policy Mapping Test5 EE").policies(&[P4]));
    let path = build(&specs);
    valid(&path, policy_set(&[P1]), set(&[P1]));
    invalid(&path, policy_set(&[P6]), NO_VALID);
}

#[test]
fn pkits_4_10_6_valid_policy_mapping_test6() {
    let mut specs = p1_mapping_1to234();
    specs.push(ee("Valid Policy Mapping Test6 EE").policies(&[P2, P3]));
    let path = build(&specs);
    valid(&path, policy_set(&[P1]), set(&[P1]));
    invalid(&path, policy_set(&[P6]), NO_VALID);
}

#[test]
fn pkits_4_10_7_invalid_mapping_from_any_policy_test7() {
    let path = build(&[
        ca("Mapping From anyPolicy CA").policies(&[P1]).maps(&[(ANY, P1)]).require(0),
        ee("Invalid Mapping From anyPolicy Test7 EE").policies(&[P1]),
    ]);
    let e = invalid(&path, default_settings(), "rfc5280.policy-mappings.any-policy");
    assert!(e.to_string().contains("Mapping From anyPolicy CA"), "{e}");
}

#[test]
fn pkits_4_10_8_invalid_mapping_to_any_policy_test8() {
    let path = build(&[
        ca("Mapping To anyPolicy CA").policies(&[P1]).maps(&[(P1, ANY)]).require(0),
        ee("Invalid Mapping To anyPolicy Test8 EE").policies(&[P1]),
    ]);
    invalid(&path, default_settings(), "rfc5280.policy-mappings.any-policy");
}

#[test]
fn pkits_4_10_9_valid_policy_mapping_test9() {
    // §6.1.4 (b)(1): the mapped policy exists only under anyPolicy.
    let path = build(&[
        ca("PanyPolicy Mapping 1to2 CA").policies(&[ANY]).maps(&[(P1, P2)]).require(0),
        ee("Valid Policy Mapping Test9 EE").policies(&[P2]),
    ]);
    valid(&path, default_settings(), set(&[P1]));
    valid(&path, policy_set(&[P1]), set(&[P1]));
    invalid(&path, policy_set(&[P2]), NO_VALID);
}

fn good_subca_any_mapping() -> Spec {
    ca("GoodsubCA PanyPolicy Mapping 1to2 CA").policies(&[ANY]).maps(&[(P1, P2)]).require(0)
}

#[test]
fn pkits_4_10_10_invalid_policy_mapping_test10() {
    let path = build(&[good_ca(), good_subca_any_mapping(), ee("Invalid Policy Mapping Test10 EE").policies(&[P1])]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_10_11_valid_policy_mapping_test11() {
    let path = build(&[good_ca(), good_subca_any_mapping(), ee("Valid Policy Mapping Test11 EE").policies(&[P2])]);
    let o = valid(&path, default_settings(), set(&[P1]));
    assert!(o.explicit_policy_required);
}

#[test]
fn pkits_4_10_12_valid_policy_mapping_test12() {
    let q7 = user_notice("q7:  This is the user notice from qualifier 7 associated with NIST-test-policy-3.");
    let q8 = user_notice("q8:  This is the user notice from qualifier 8 associated with anyPolicy.");
    let path = build(&[
        ca("P12 Mapping 1to3 CA").policies(&[P1, P2]).maps(&[(P1, P3)]),
        ee("Valid Policy Mapping Test12 EE").qualified(P3, q7.clone()).qualified(ANY, q8.clone()),
    ]);
    let o = valid(&path, policy_set(&[P1]), set(&[P1]));
    assert_eq!(
        o.qualifiers.iter().map(|q| (q.policy.as_str(), q.qualifiers.clone())).collect::<Vec<_>>(),
        vec![(P3, vec![q7])]
    );
    let o = valid(&path, policy_set(&[P2]), set(&[P2]));
    assert_eq!(
        o.qualifiers.iter().map(|q| (q.policy.as_str(), q.qualifiers.clone())).collect::<Vec<_>>(),
        vec![(P2, vec![q8])]
    );
}

fn p1_any_mapping_1to2_ca(q9: &(String, Vec<u8>), q10: &(String, Vec<u8>)) -> Spec {
    ca("P1anyPolicy Mapping 1to2 CA").qualified(P1, q9.clone()).qualified(ANY, q10.clone()).maps(&[(P1, P2)]).require(0)
}

#[test]
fn pkits_4_10_13_valid_policy_mapping_test13() {
    let q9 = user_notice("q9:  This is the user notice from qualifier 9 associated with NIST-test-policy-1.");
    let q10 = user_notice("q10:  This is the user notice from qualifier 10 associated with anyPolicy.");
    let path = build(&[p1_any_mapping_1to2_ca(&q9, &q10), ee("Valid Policy Mapping Test13 EE").policies(&[P2])]);
    let o = valid(&path, default_settings(), set(&[P1]));
    // The notice of NIST-test-policy-1 in the intermediate is on the path; anyPolicy's is not.
    assert_eq!(
        o.qualifiers.iter().map(|q| (q.cert_index, q.qualifiers.clone())).collect::<Vec<_>>(),
        vec![(0, vec![q9])]
    );
    // The mapped policy hangs from the explicit P1 node, not from anyPolicy (crbug.com/1403258).
    valid(&path, policy_set(&[P1, P2]), set(&[P1]));
    invalid(&path, policy_set(&[P2]), NO_VALID);
}

#[test]
fn pkits_4_10_14_valid_policy_mapping_test14() {
    let q9 = user_notice("q9:  This is the user notice from qualifier 9 associated with NIST-test-policy-1.");
    let q10 = user_notice("q10:  This is the user notice from qualifier 10 associated with anyPolicy.");
    let path = build(&[p1_any_mapping_1to2_ca(&q9, &q10), ee("Valid Policy Mapping Test14 EE").policies(&[P1])]);
    let o = valid(&path, default_settings(), set(&[P1]));
    // The EE's P1 hangs from the intermediate's anyPolicy node: its notice is the one shown.
    assert_eq!(
        o.qualifiers.iter().map(|q| (q.cert_index, q.policy.as_str(), q.qualifiers.clone())).collect::<Vec<_>>(),
        vec![(0, ANY, vec![q10])]
    );
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.11: inhibitPolicyMapping.

#[test]
fn pkits_4_11_1_invalid_inhibit_policy_mapping_test1() {
    let path = build(&[
        ca("inhibitPolicyMapping0 CA").policies(&[P1]).require(0).inhibit_mapping(0),
        ca("inhibitPolicyMapping0 subCA").policies(&[P1]).maps(&[(P1, P2)]),
        ee("Invalid inhibitPolicyMapping Test1 EE").policies(&[P2]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

fn ipm1_p12() -> Vec<Spec> {
    vec![
        ca("inhibitPolicyMapping1 P12 CA").policies(&[P1, P2]).require(0).inhibit_mapping(1),
        ca("inhibitPolicyMapping1 P12 subCA").policies(&[P1, P2]).maps(&[(P1, P3), (P2, P4)]),
    ]
}

#[test]
fn pkits_4_11_2_valid_inhibit_policy_mapping_test2() {
    let mut specs = ipm1_p12();
    specs.push(ee("Valid inhibitPolicyMapping Test2 EE").policies(&[P3]));
    let path = build(&specs);
    valid(&path, default_settings(), set(&[P1]));
}

fn ipm1_p12_subsub() -> Spec {
    ca("inhibitPolicyMapping1 P12 subsubCA").policies(&[P3, P4]).maps(&[(P3, P5)])
}

#[test]
fn pkits_4_11_3_invalid_inhibit_policy_mapping_test3() {
    let mut specs = ipm1_p12();
    specs.push(ipm1_p12_subsub());
    specs.push(ee("Invalid inhibitPolicyMapping Test3 EE").policies(&[P5]));
    let path = build(&specs);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_11_4_valid_inhibit_policy_mapping_test4() {
    let mut specs = ipm1_p12();
    specs.push(ipm1_p12_subsub());
    specs.push(ee("Valid inhibitPolicyMapping Test4 EE").policies(&[P4]));
    let path = build(&specs);
    valid(&path, default_settings(), set(&[P2]));
}

#[test]
fn pkits_4_11_5_invalid_inhibit_policy_mapping_test5() {
    let path = build(&[
        ca("inhibitPolicyMapping5 CA").policies(&[P1]).require(0).inhibit_mapping(5),
        ca("inhibitPolicyMapping5 subCA").policies(&[P1]).inhibit_mapping(1),
        ca("inhibitPolicyMapping5 subsubCA").policies(&[P1]),
        ca("inhibitPolicyMapping5 subsubsubCA").policies(&[P1]).maps(&[(P1, P2)]),
        ee("Invalid inhibitPolicyMapping Test5 EE").policies(&[P2]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_11_6_invalid_inhibit_policy_mapping_test6() {
    let path = build(&[
        ca("inhibitPolicyMapping1 P12 CA").policies(&[P1, P2]).require(0).inhibit_mapping(1),
        ca("inhibitPolicyMapping1 P12 subCAIPM0").policies(&[P1, P2]).inhibit_mapping(0),
        ca("inhibitPolicyMapping1 P12 subsubCAIPM0").policies(&[P1, P2]).maps(&[(P1, P3), (P2, P4)]),
        ee("Invalid inhibitPolicyMapping Test6 EE").policies(&[P3]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

fn ipm1_p1() -> Vec<Spec> {
    vec![
        ca("inhibitPolicyMapping1 P1 CA").policies(&[P1]).require(0).inhibit_mapping(1),
        ca("inhibitPolicyMapping1 P1 SelfIssued CA").policies(&[P1]).self_issued(),
    ]
}

#[test]
fn pkits_4_11_7_valid_self_issued_inhibit_policy_mapping_test7() {
    let mut specs = ipm1_p1();
    specs.push(ca("inhibitPolicyMapping1 P1 subCA").policies(&[P1]).maps(&[(P1, P2)]));
    specs.push(ee("Valid Self-Issued inhibitPolicyMapping Test7 EE").policies(&[P2]));
    let path = build(&specs);
    valid(&path, default_settings(), set(&[P1]));
}

#[test]
fn pkits_4_11_8_invalid_self_issued_inhibit_policy_mapping_test8() {
    let mut specs = ipm1_p1();
    specs.push(ca("inhibitPolicyMapping1 P1 subCA").policies(&[P1]));
    specs.push(ca("inhibitPolicyMapping1 P1 SelfIssued subCA").policies(&[P1]).maps(&[(P1, P2)]).self_issued());
    specs.push(ee("Invalid Self-Issued inhibitPolicyMapping Test8 EE").policies(&[P2]));
    let path = build(&specs);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_11_9_invalid_self_issued_inhibit_policy_mapping_test9() {
    let mut specs = ipm1_p1();
    specs.push(ca("inhibitPolicyMapping1 P1 subCA").policies(&[P1]));
    specs.push(ca("inhibitPolicyMapping1 P1 SelfIssued subCA").policies(&[P1]).maps(&[(P1, P2)]).self_issued());
    specs.push(ee("Invalid Self-Issued inhibitPolicyMapping Test9 EE").policies(&[P1]));
    let path = build(&specs);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_11_10_invalid_self_issued_inhibit_policy_mapping_test10() {
    let mut specs = ipm1_p1();
    specs.push(ca("inhibitPolicyMapping1 P1 subCA").policies(&[P1]).maps(&[(P1, P2)]));
    specs.push(ca("inhibitPolicyMapping1 P1 SelfIssued subCA").policies(&[P2]).maps(&[(P2, P3)]).self_issued());
    specs.push(ee("Invalid Self-Issued inhibitPolicyMapping Test10 EE").policies(&[P3]));
    let path = build(&specs);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_11_11_invalid_self_issued_inhibit_policy_mapping_test11() {
    let mut specs = ipm1_p1();
    specs.push(ca("inhibitPolicyMapping1 P1 subCA").policies(&[P1]).maps(&[(P1, P2)]));
    specs.push(ca("inhibitPolicyMapping1 P1 SelfIssued subCA").policies(&[P2]).maps(&[(P2, P3)]).self_issued());
    specs.push(ee("Invalid Self-Issued inhibitPolicyMapping Test11 EE").policies(&[P2]));
    let path = build(&specs);
    invalid(&path, default_settings(), NO_VALID);
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.12: inhibitAnyPolicy.

#[test]
fn pkits_4_12_1_invalid_inhibit_any_policy_test1() {
    let path = build(&[
        ca("inhibitAnyPolicy0 CA").policies(&[ANY]).require(0).inhibit_any(0),
        ee("Invalid inhibitAnyPolicy Test1 EE").policies(&[ANY]),
    ]);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert!(e.to_string().contains("inhibitAnyPolicy is in effect"), "{e}");
}

#[test]
fn pkits_4_12_2_valid_inhibit_any_policy_test2() {
    let path = build(&[
        ca("inhibitAnyPolicy0 CA").policies(&[ANY]).require(0).inhibit_any(0),
        ee("Valid inhibitAnyPolicy Test2 EE").policies(&[P1]),
    ]);
    valid(&path, default_settings(), set(&[P1]));
}

fn iap1_ca() -> Spec {
    ca("inhibitAnyPolicy1 CA").policies(&[ANY]).require(0).inhibit_any(1)
}

#[test]
fn pkits_4_12_3_inhibit_any_policy_test3() {
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 subCA1").policies(&[ANY]),
        ee("inhibitAnyPolicy Test3 EE").policies(&[P1]),
    ]);
    valid(&path, default_settings(), set(&[P1]));
    let inhibit = PolicyInputs { initial_any_policy_inhibit: true, ..default_settings() };
    invalid(&path, inhibit, NO_VALID);
}

#[test]
fn pkits_4_12_4_invalid_inhibit_any_policy_test4() {
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 subCA1").policies(&[ANY]),
        ee("Invalid inhibitAnyPolicy Test4 EE").policies(&[ANY]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_12_5_invalid_inhibit_any_policy_test5() {
    let path = build(&[
        ca("inhibitAnyPolicy5 CA").policies(&[ANY]).require(0).inhibit_any(5),
        ca("inhibitAnyPolicy5 subCA").policies(&[ANY]).inhibit_any(1),
        ca("inhibitAnyPolicy5 subsubCA").policies(&[ANY]),
        ee("Invalid inhibitAnyPolicy Test5 EE").policies(&[ANY]),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_12_6_invalid_inhibit_any_policy_test6() {
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 subCAIAP5").policies(&[ANY]).inhibit_any(5),
        ca("inhibitAnyPolicy1 subsubCAIAP5").policies(&[ANY]),
        ee("Invalid inhibitAnyPolicy Test6 EE").policies(&[ANY]),
    ]);
    // A larger inhibitAnyPolicy further down cannot relax the limit (§6.1.4 (j)).
    invalid(&path, default_settings(), NO_VALID);
}

#[test]
fn pkits_4_12_7_valid_self_issued_inhibit_any_policy_test7() {
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 SelfIssued CA").policies(&[ANY]).self_issued(),
        ca("inhibitAnyPolicy1 subCA2").policies(&[ANY]),
        ee("Valid Self-Issued inhibitAnyPolicy Test7 EE").policies(&[P1]),
    ]);
    valid(&path, default_settings(), set(&[P1]));
}

#[test]
fn pkits_4_12_8_invalid_self_issued_inhibit_any_policy_test8() {
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 SelfIssued CA").policies(&[ANY]).self_issued(),
        ca("inhibitAnyPolicy1 subCA2").policies(&[ANY]),
        ca("inhibitAnyPolicy1 subsubCA2").policies(&[ANY]),
        ee("Invalid Self-Issued inhibitAnyPolicy Test8 EE").policies(&[P1]),
    ]);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert_eq!(e.cert_index(), Some(3));
}

#[test]
fn pkits_4_12_9_valid_self_issued_inhibit_any_policy_test9() {
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 SelfIssued CA").policies(&[ANY]).self_issued(),
        ca("inhibitAnyPolicy1 subCA2").policies(&[ANY]),
        ca("inhibitAnyPolicy1 SelfIssued subCA2").policies(&[ANY]).self_issued(),
        ee("Valid Self-Issued inhibitAnyPolicy Test9 EE").policies(&[P1]),
    ]);
    valid(&path, default_settings(), set(&[P1]));
}

#[test]
fn pkits_4_12_10_invalid_self_issued_inhibit_any_policy_test10() {
    // The self-issued exception of §6.1.3 (d)(2) holds only for i < n: not for the leaf.
    let path = build(&[
        iap1_ca(),
        ca("inhibitAnyPolicy1 SelfIssued CA").policies(&[ANY]).self_issued(),
        ca("inhibitAnyPolicy1 subCA2").policies(&[ANY]),
        ee("Invalid Self-Issued inhibitAnyPolicy Test10 EE").policies(&[ANY]).self_issued(),
    ]);
    invalid(&path, default_settings(), NO_VALID);
}

// ---------------------------------------------------------------------------------------------
// Beyond PKITS.

#[test]
fn leaf_require_explicit_policy_zero_applies_at_the_end() {
    // §6.1.5 (b): the leaf's own requireExplicitPolicy 0 sets explicit_policy to 0.
    let path = build(&[good_ca(), ee("leaf").policies(&[P2]).require(0)]);
    let e = invalid(&path, default_settings(), NO_VALID);
    assert!(e.to_string().contains("requireExplicitPolicy in \"CN=leaf\""), "{e}");
    assert!(e.to_string().contains("§6.1.5 (g)"), "{e}");
    let path = build(&[good_ca(), ee("leaf").policies(&[P1]).require(0)]);
    let o = valid(&path, default_settings(), set(&[P1]));
    assert!(o.explicit_policy_required);
}

#[test]
fn leaf_mappings_are_not_processed() {
    // §6.1.4 applies to intermediates only: a leaf's policyMappings (even naming anyPolicy) is
    // not processed.
    let path = build(&[good_ca(), ee("leaf").policies(&[P1]).maps(&[(ANY, P2)])]);
    valid(&path, default_settings(), set(&[P1]));
}

#[test]
fn many_to_one_mappings_merge_into_one_node() {
    // P1 -> P3 and P2 -> P3: one node for P3 with two parents; both roots remain valid.
    let path = build(&[ca("CA").policies(&[P1, P2]).maps(&[(P1, P3), (P2, P3)]), ee("leaf").policies(&[P3])]);
    valid(&path, default_settings(), set(&[P1, P2]));
    valid(&path, explicit(&[P2]), set(&[P2]));
}

#[test]
fn empty_path_is_any_policy() {
    let o = policy::process(&[], &PolicyInputs::default(), &Limits::default()).unwrap();
    assert_eq!(o.valid_policies, None);
}

// ---------------------------------------------------------------------------------------------
// Pathological graphs (CVE-2023-0464 class): must finish fast.

/// `k` policies, each mapped to every one of the `k` (k² mappings): RFC 5280's tree grows as
/// k^depth; the graph stays at k nodes per depth.
#[test]
fn pathological_full_mapping_mesh_stays_small() {
    let k = 30;
    let ps: Vec<String> = (1..=k).map(|i| format!("1.3.6.1.4.1.55555.1.{i}")).collect();
    let p: Vec<&str> = ps.iter().map(String::as_str).collect();
    let pairs: Vec<(&str, &str)> = p.iter().flat_map(|a| p.iter().map(move |b| (*a, *b))).collect();
    let mut specs: Vec<Spec> = (0..8).map(|i| ca(&format!("mesh CA {i}")).policies(&p).maps(&pairs)).collect();
    specs.push(ee("leaf").policies(&p[..1]));
    let path = build(&specs);
    let t = std::time::Instant::now();
    // The tree would have 30^9 leaves; the graph has at most 30 nodes per depth.
    let o = run_with(&path, &explicit(&[p[0]])).unwrap();
    let elapsed = t.elapsed();
    eprintln!("full mapping mesh {k}x{k} over 9 certificates: {elapsed:?}");
    assert_eq!(o.valid_policies, set(&[p[0]]));
    assert!(elapsed < std::time::Duration::from_secs(5), "took {elapsed:?}");
}

/// Many certificates each mapping many distinct policies under anyPolicy: the graph grows by
/// thousands of nodes per certificate and must stop at `Limits::policy_nodes` with the budget
/// error, promptly.
#[test]
fn pathological_many_mappings_hit_the_node_budget() {
    let per_cert = 1500;
    let mut specs = Vec::new();
    for c in 0..8 {
        let pairs: Vec<(String, String)> = (0..per_cert)
            .map(|i| (format!("1.3.6.1.4.1.55555.{c}.{i}"), format!("1.3.6.1.4.1.55555.{}.{i}", c + 1)))
            .collect();
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        specs.push(ca(&format!("fan-out CA {c}")).policies(&[ANY]).maps(&refs));
    }
    specs.push(ee("leaf").policies(&[ANY]));
    let path = build(&specs);
    let t = std::time::Instant::now();
    let e = run_with(&path, &default_settings()).unwrap_err();
    let elapsed = t.elapsed();
    eprintln!("budget error after {elapsed:?}: {e}");
    assert_eq!(e.finding_id(), "rfc5280.policy.budget-exhausted");
    assert_eq!(e.exhausted(), Some(pki::budget::Exhausted::PolicyNodes));
    assert!(e.cert_index().is_some_and(|i| i < 8), "{e}");
    assert!(elapsed < std::time::Duration::from_secs(5), "took {elapsed:?}");

    // A larger budget lets the same path through: the limit is what stopped it.
    let refs: Vec<&Certificate> = path.iter().collect();
    let roomy = Limits { policy_nodes: 1_000_000, ..Limits::default() };
    let o = policy::process(&refs, &default_settings(), &roomy).unwrap();
    assert_eq!(o.valid_policies, None);
}

// ---------------------------------------------------------------------------------------------
// x509-limbo: policy processing must not reject a chain limbo expects to validate.

fn shared_dir() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/x509-limbo/limbo.json");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("EIDTRUST_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("EIDTRUST_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!("notice: {} not found; skipping the x509-limbo policy check", p.display());
    None
}

fn parse_pems(v: &serde_json::Value) -> Vec<Certificate> {
    let mut out = Vec::new();
    for pem in v.as_array().into_iter().flatten().filter_map(|p| p.as_str()) {
        if let Ok(ders) = pki::input::read(pem.as_bytes(), pki::input::Kind::Certificate) {
            out.extend(ders.iter().filter_map(|d| Certificate::from_der(d).ok()));
        }
    }
    out
}

/// Builds one path by name chaining (leaf up to the first anchor whose subject matches), anchor
/// side first, without the anchor. Enough for the policy module; path building proper is the
/// validator's job.
fn simple_path<'a>(
    leaf: &'a Certificate,
    inter: &'a [Certificate],
    anchors: &[Certificate],
) -> Option<Vec<&'a Certificate>> {
    let mut path = vec![leaf];
    for _ in 0..12 {
        let cur = *path.last()?;
        if anchors.iter().any(|a| a.subject.matches(&cur.issuer)) {
            path.reverse();
            return Some(path);
        }
        let next = inter.iter().find(|c| c.subject.matches(&cur.issuer) && !path.iter().any(|p| p.der() == c.der()))?;
        path.push(next);
    }
    None
}

#[test]
fn limbo_policy_processing_accepts_every_valid_chain() {
    let Some(file) = shared_dir() else { return };
    let data: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let cases = data["testcases"].as_array().unwrap();
    let (mut ok_paths, mut with_policy_ext, mut rejected_failures) = (0, 0, 0);
    let mut false_rejects = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or("?");
        let Some(leaf) = parse_pems(&serde_json::json!([case["peer_certificate"]])).into_iter().next() else {
            continue;
        };
        let inter = parse_pems(&case["untrusted_intermediates"]);
        let anchors = parse_pems(&case["trusted_certs"]);
        let Some(path) = simple_path(&leaf, &inter, &anchors) else { continue };
        let has_policy = path.iter().any(|c| {
            let e = &c.extensions;
            e.certificate_policies.is_some()
                || e.policy_mappings.is_some()
                || e.policy_constraints.is_some()
                || e.inhibit_any_policy.is_some()
        });
        with_policy_ext += usize::from(has_policy);
        let result = policy::process(&path, &PolicyInputs::default(), &Limits::default());
        match (case["expected_result"].as_str(), result) {
            (Some("SUCCESS"), Ok(_)) => ok_paths += 1,
            (Some("SUCCESS"), Err(e)) => false_rejects.push(format!("{id}: {e}")),
            (_, Err(_)) => rejected_failures += 1,
            _ => {}
        }
    }
    eprintln!(
        "limbo: {} cases; {ok_paths} expected-valid chains accepted by policy processing \
         ({with_policy_ext} chains carry policy extensions); {rejected_failures} expected-invalid chains \
         rejected by policy processing; false rejects: {}",
        cases.len(),
        false_rejects.len()
    );
    assert!(false_rejects.is_empty(), "policy processing rejects valid limbo chains:\n{}", false_rejects.join("\n"));
    // 928 limbo cases expect SUCCESS; name chaining alone builds all but a few of them.
    assert!(ok_paths >= 900, "too few limbo chains were built ({ok_paths}); the harness is broken");
}
