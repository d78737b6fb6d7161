//! Mutual recognition: reading a third-country list through the equivalences its LOTL pointer
//! declares (the EU MRA extension, schema `http://ec.europa.eu/tools/lotl/mra/schema/v2#`, carried
//! in the pointer's `AdditionalInformation`; the EU DSS "MRA" support was the public reference for
//! the mapping).
//!
//! Each `TrustServiceEquivalenceInformation` that is **enacted** at T (its
//! `TrustServiceEquivalenceStatus` is `http://ec.europa.eu/tools/lotl/mra/enacted` and its starting
//! time is not after T) maps, for the services of the third-country (pointed) list whose type is
//! in its pointed-party type list:
//!
//! - the service type to the pointing (EU) party's type (`TrustServiceTSLTypeEquivalenceList`);
//! - a status in the pointed party's *valid* list to `granted`, one in its *invalid* list to
//!   `withdrawn` (`TrustServiceTSLStatusEquivalenceList`); any other status is kept (and is then
//!   never granted in EU terms);
//! - each Qualifications qualifier URI of the pointed party to the pointing party's
//!   (`TrustServiceTSLQualificationExtensionEquivalenceList`).
//!
//! A service no enacted equivalence covers keeps its own type: a third-country type URI is never a
//! CA/QC service in EU terms, so it qualifies nothing. Not implemented: the certificate-content
//! equivalences (third-country QC statement OIDs read as EU ones) — a certificate must carry the
//! EU QC statements itself.

use crate::findings as f;
use crate::model::{MutualRecognitionAgreement, ServiceInformation, TrustServiceEquivalenceInformation, TrustedList};
use crate::uri::STATUS_GRANTED;
use report::Finding;

/// The MRA status of an equivalence in force.
pub const MRA_ENACTED: &str = "http://ec.europa.eu/tools/lotl/mra/enacted";
/// The MRA status of an equivalence no longer in force.
pub const MRA_REPEALED: &str = "http://ec.europa.eu/tools/lotl/mra/repealed";
const STATUS_WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

fn enacted_at(e: &TrustServiceEquivalenceInformation, at: i64) -> bool {
    e.status.as_deref().map(str::trim) == Some(MRA_ENACTED)
        && e.status_starting_time.as_ref().is_none_or(|s| s.unix <= at)
}

/// The list as the pointing (EU) party reads it at `at`, and findings on what was mapped.
pub fn translate(list: &TrustedList, mra: &MutualRecognitionAgreement, at: i64) -> (TrustedList, Vec<Finding>) {
    let mut out = list.clone();
    let mut findings = Vec::new();
    let enacted: Vec<&TrustServiceEquivalenceInformation> =
        mra.equivalences.iter().filter(|e| enacted_at(e, at)).collect();
    if enacted.is_empty() {
        findings.push(Finding::from_def(
            &f::MRA_NOT_ENACTED,
            format!(
                "the mutual recognition agreement for {} has no equivalence enacted at {}: none of its services is recognised",
                list.scheme_territory,
                crate::verify::fmt_time(at)
            ),
        ));
    }
    let mut mapped = 0usize;
    let mut unmapped = 0usize;
    for p in &mut out.providers {
        for s in &mut p.services {
            for info in std::iter::once(&mut s.current).chain(s.history.iter_mut()) {
                match enacted.iter().find(|e| covers(e, info)) {
                    Some(e) => {
                        map_info(info, e);
                        mapped += 1;
                    }
                    None => unmapped += 1,
                }
            }
        }
    }
    findings.push(Finding::from_def(
        &f::MRA_APPLIED,
        format!(
            "{}: read through the mutual recognition agreement ({} enacted equivalence(s)): {mapped} service entries mapped to EU equivalents, {unmapped} not covered",
            list.scheme_territory,
            enacted.len()
        ),
    ));
    (out, findings)
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
}
