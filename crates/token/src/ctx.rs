//! The findings collector shared by the verification steps.

use report::{Finding, FindingDef, Indication, Location, SubIndication, Verdict};

/// The ETSI EN 319 102-1 indication that goes with a sub-indication in this crate.
pub(crate) fn indication_for(sub: SubIndication) -> Indication {
    use SubIndication::*;
    match sub {
        FormatFailure | HashFailure | SigCryptoFailure | SigConstraintsFailure | Revoked => Indication::Failed,
        _ => Indication::Indeterminate,
    }
}

#[derive(Debug, Default)]
pub(crate) struct Ctx {
    pub findings: Vec<Finding>,
    /// The first failure decides the verdict: later checks run on a subject already refused.
    pub failure: Option<SubIndication>,
}

impl Ctx {
    pub fn fail(
        &mut self,
        def: &FindingDef,
        sub: SubIndication,
        msg: impl Into<std::borrow::Cow<'static, str>>,
        path: &str,
    ) {
        self.push(def, msg, path);
        if self.failure.is_none() {
            self.failure = Some(sub);
        }
    }

    pub fn note(&mut self, def: &FindingDef, msg: impl Into<std::borrow::Cow<'static, str>>, path: &str) {
        self.push(def, msg, path);
    }

    fn push(&mut self, def: &FindingDef, msg: impl Into<std::borrow::Cow<'static, str>>, path: &str) {
        let mut f = Finding::from_def(def, msg);
        if !path.is_empty() {
            f = f.at(Location::path(path));
        }
        self.findings.push(f);
    }

    pub fn failed(&self) -> bool {
        self.failure.is_some()
    }

    pub fn into_verdict(self) -> Verdict {
        match self.failure {
            None => Verdict::passed(self.findings),
            Some(sub) => {
                Verdict { indication: indication_for(sub), sub_indication: Some(sub), findings: self.findings }
            }
        }
    }
}
