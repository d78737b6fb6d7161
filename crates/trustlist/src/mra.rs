//! Mutual recognition: reading a third-country list through the equivalences its LOTL pointer
//! declares (the EU MRA extension, schema `http://ec.europa.eu/tools/lotl/mra/schema/v2#`, carried
//! in the pointer's `AdditionalInformation`; the EU DSS "MRA" support was the public reference for
//! the mapping and for the certificate-content contexts).
//!
//! **Which equivalence is in force.** Each `TrustServiceEquivalenceInformation` has a current
//! status (`TrustServiceEquivalenceStatus`, `http://ec.europa.eu/tools/lotl/mra/enacted` or
//! `.../repealed`, since `TrustServiceEquivalenceStatusStartingTime`) and a
//! `TrustServiceEquivalenceHistory` of earlier instances, each with its own status, starting time
//! and equivalence lists. The one in force at a time t is the entry with the latest starting time
//! not after t ([`TrustServiceEquivalenceInformation::in_force_at`]); it applies at t only when its
//! status is *enacted*.
//!
//! **Time-resolved translation.** A service's status at time t is read through the equivalence in
//! force at t: the translated service gets an entry at every starting time of its own history and
//! at every starting time of the agreement's entries up to the evaluation time, each entry being
//! the service's own information in force then, mapped by the equivalence in force then. So
//! [`crate::TspService::status_at`] on the translated list answers "the EU reading at t" both at
//! the certificate's issuance and at T (a certificate issued before an agreement was enacted, or
//! evaluated after it was repealed, is not recognised). Consecutive identical readings are merged.
//!
//! **Mapping**, for a service entry whose type is in the in-force equivalence's pointed-party type
//! list:
//!
//! - the service type to the pointing (EU) party's type (`TrustServiceTSLTypeEquivalenceList`);
//! - a status in the pointed party's *valid* list to `granted`, one in its *invalid* list to
//!   `withdrawn` (`TrustServiceTSLStatusEquivalenceList`); any other status is kept (and is then
//!   never granted in EU terms);
//! - each Qualifications qualifier URI of the pointed party to the pointing party's
//!   (`TrustServiceTSLQualificationExtensionEquivalenceList`);
//! - the certificate-content equivalences (`CertificateContentReferencesEquivalenceList`) are
//!   attached to the entry ([`crate::ServiceInformation::mra_content_equivalences`]) and applied by
//!   [`crate::qualify`] to the certificate's own claims (QcCompliance, QcType, QcQSCD contexts)
//!   before the Qualifications extension.
//!
//! A service no enacted equivalence covers keeps its own type: a third-country type URI is never a
//! CA/QC service in EU terms, so it qualifies nothing.

use crate::findings as f;
use crate::model::{
    DateTime, MutualRecognitionAgreement, ServiceInformation, TrustServiceEquivalenceInformation, TrustedList,
    TspService,
};
use crate::uri::STATUS_GRANTED;
use crate::verify::fmt_time;
use report::Finding;

/// The MRA status of an equivalence in force.
pub const MRA_ENACTED: &str = "http://ec.europa.eu/tools/lotl/mra/enacted";
/// The MRA status of an equivalence no longer in force.
pub const MRA_REPEALED: &str = "http://ec.europa.eu/tools/lotl/mra/repealed";
const STATUS_WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

fn is_enacted(e: &TrustServiceEquivalenceInformation) -> bool {
    e.status.as_deref().map(str::trim) == Some(MRA_ENACTED)
}

fn start_of(e: &TrustServiceEquivalenceInformation) -> i64 {
    e.status_starting_time.as_ref().map_or(0, |s| s.unix)
}

/// The enacted equivalence entry covering `info`'s type at `t`, and whether it is a history
/// instance (not the current entry).
fn equivalence_at<'m>(
    mra: &'m MutualRecognitionAgreement,
    info: &ServiceInformation,
    t: i64,
) -> Option<(&'m TrustServiceEquivalenceInformation, bool)> {
    mra.equivalences.iter().find_map(|e| {
        let inst = e.in_force_at(t)?;
        (is_enacted(inst) && covers(inst, info)).then_some((inst, !std::ptr::eq(inst, e)))
    })
}

/// The list as the pointing (EU) party reads it, with the agreement's changes up to `at` (Unix
/// seconds), and findings on what was mapped.
pub fn translate(list: &TrustedList, mra: &MutualRecognitionAgreement, at: i64) -> (TrustedList, Vec<Finding>) {
    let mut out = list.clone();
    let mut findings = Vec::new();
    let enacted_now = mra.equivalences.iter().filter_map(|e| e.in_force_at(at)).filter(|e| is_enacted(e)).count();
    if enacted_now == 0 {
        findings.push(Finding::from_def(
            &f::MRA_NOT_ENACTED,
            format!(
                "the mutual recognition agreement for {} has no equivalence enacted at {}: none of its services is recognised",
                list.scheme_territory,
                fmt_time(at)
            ),
        ));
    }
    // Every time the agreement changed, up to the evaluation time.
    let mut changes: Vec<i64> = mra
        .equivalences
        .iter()
        .flat_map(|e| std::iter::once(e).chain(e.history.iter()))
        .map(start_of)
        .filter(|t| *t <= at)
        .collect();
    changes.sort_unstable();
    changes.dedup();

    let (mut mapped, mut unmapped) = (0usize, 0usize);
    let mut history_used: Vec<String> = Vec::new();
    for p in &mut out.providers {
        for s in &mut p.services {
            let (svc, counts) = translate_service(s, mra, &changes, &mut history_used);
            *s = svc;
            mapped += counts.0;
            unmapped += counts.1;
        }
    }
    history_used.sort();
    history_used.dedup();
    for h in history_used {
        findings.push(Finding::from_def(
            &f::MRA_HISTORY_USED,
            format!("{}: service entries read through the historical equivalence {h}", list.scheme_territory),
        ));
    }
    findings.push(Finding::from_def(
        &f::MRA_APPLIED,
        format!(
            "{}: read through the mutual recognition agreement ({enacted_now} equivalence(s) enacted at {}): {mapped} service entries mapped to EU equivalents, {unmapped} not covered",
            list.scheme_territory,
            fmt_time(at)
        ),
    ));
    (out, findings)
}

/// One service's time-resolved EU reading: (translated service, (mapped entries, unmapped entries)).
fn translate_service(
    s: &TspService,
    mra: &MutualRecognitionAgreement,
    changes: &[i64],
    history_used: &mut Vec<String>,
) -> (TspService, (usize, usize)) {
    let own: Vec<&ServiceInformation> = std::iter::once(&s.current).chain(s.history.iter()).collect();
    // A service no entry of the agreement ever covers is read as it is (no reading per change).
    let ever_covered = mra
        .equivalences
        .iter()
        .flat_map(|e| std::iter::once(e).chain(e.history.iter()))
        .any(|e| own.iter().any(|i| covers(e, i)));
    if !ever_covered {
        return (s.clone(), (0, own.len()));
    }
    let Some(first) = own.iter().map(|i| i.status_starting_time.unix).min() else {
        return (s.clone(), (0, 0));
    };
    let mut starts: Vec<i64> = own.iter().map(|i| i.status_starting_time.unix).collect();
    starts.extend(changes.iter().copied().filter(|t| *t > first));
    starts.sort_unstable();
    starts.dedup();

    // Oldest first: (reading, identity of its sources — equivalence entry, own entry — for merging).
    let mut timeline: Vec<(ServiceInformation, (Option<usize>, usize))> = Vec::new();
    let (mut mapped, mut unmapped) = (0usize, 0usize);
    for t in starts {
        let Some(base) = s.status_at(t) else { continue };
        let eq = equivalence_at(mra, base, t);
        let key = (
            eq.map(|(e, _)| e as *const TrustServiceEquivalenceInformation as usize),
            base as *const ServiceInformation as usize,
        );
        if timeline.last().is_some_and(|(_, k)| *k == key) {
            continue;
        }
        let mut info = base.clone();
        if info.status_starting_time.unix != t {
            info.status_starting_time = DateTime { text: fmt_time(t), unix: t };
        }
        match eq {
            Some((e, historical)) => {
                map_info(&mut info, e);
                mapped += 1;
                if historical {
                    history_used.push(format!(
                        "{} ({} since {})",
                        e.legal_identifier.as_deref().unwrap_or("(no legal identifier)"),
                        e.status.as_deref().unwrap_or(""),
                        e.status_starting_time.as_ref().map(|d| d.text.as_str()).unwrap_or("(no time)")
                    ));
                }
            }
            None => unmapped += 1,
        }
        timeline.push((info, key));
    }
    let mut entries: Vec<ServiceInformation> = timeline.into_iter().rev().map(|(i, _)| i).collect();
    if entries.is_empty() {
        return (s.clone(), (0, 0));
    }
    let current = entries.remove(0);
    (TspService { current, history: entries }, (mapped, unmapped))
}

fn covers(e: &TrustServiceEquivalenceInformation, info: &ServiceInformation) -> bool {
    e.type_equivalence.as_ref().is_some_and(|(_, pointed)| pointed.iter().any(|t| t.trim() == info.type_identifier))
}

fn map_info(info: &mut ServiceInformation, e: &TrustServiceEquivalenceInformation) {
    if let Some(t) = e.type_equivalence.as_ref().and_then(|(pointing, _)| pointing.first()) {
        info.type_identifier = t.trim().to_string();
    }
    let in_list = |l: &Option<(Vec<String>, Vec<String>)>| {
        l.as_ref().is_some_and(|(_, pointed)| pointed.iter().any(|s| s.trim() == info.status))
    };
    if in_list(&e.status_valid_equivalence) {
        info.status = STATUS_GRANTED.to_string();
    } else if in_list(&e.status_invalid_equivalence) {
        info.status = STATUS_WITHDRAWN.to_string();
    }
    for q in &mut info.extensions.qualifications {
        for uri in &mut q.qualifiers {
            if let Some((pointing, _)) = e.qualifier_equivalences.iter().find(|(_, pointed)| pointed.trim() == uri) {
                *uri = pointing.trim().to_string();
            }
        }
    }
    info.mra_content_equivalences = e.content_equivalences.clone();
}
