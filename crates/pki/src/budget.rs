//! Work budgets for one validation. Each limit has a cited origin; exceeding one ends the search
//! with a finding, never a hang.

/// Limits on the work one validation may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Signature verifications per validation. 100, as rustls-webpki (`MAX_SIGNATURE_CHECKS`, from
    /// the Chromium/BoringSSL "pathological" path-building experience; x509-limbo's pathological
    /// cases need far fewer).
    pub signature_checks: u32,
    /// Path-building steps (issuer candidates considered). 200,000, as rustls-webpki's
    /// `build_chain_calls` budget.
    pub build_steps: u32,
    /// Name-constraint comparisons (one subtree against one name). 250,000: rustls-webpki and
    /// Go's crypto/x509 bound this work to stop quadratic blow-up (Go: 250,000 for its own
    /// "too many constraints" check, CVE-2022-41716 class).
    pub name_constraint_checks: u64,
    /// Nodes of the valid-policy graph. 10,000: RFC 5280 §6.1's tree grows exponentially with
    /// crafted mappings (CVE-2023-0464 in OpenSSL); BoringSSL and Go cap the graph.
    pub policy_nodes: usize,
    /// The longest path, counted in certificates including leaf and anchor. 10 by default (the
    /// deepest eIDAS hierarchies have 4); `--max-depth` overrides.
    pub max_path_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            signature_checks: 100,
            build_steps: 200_000,
            name_constraint_checks: 250_000,
            policy_nodes: 10_000,
            max_path_len: 10,
        }
    }
}

/// The work left in one validation.
#[derive(Debug, Clone)]
pub struct Budget {
    pub limits: Limits,
    pub signatures: u32,
    pub steps: u32,
    pub name_constraint_checks: u64,
}

/// Which budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    Signatures,
    BuildSteps,
    NameConstraints,
    PolicyNodes,
}

impl std::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Exhausted::Signatures => "the signature-check budget",
            Exhausted::BuildSteps => "the path-building step budget",
            Exhausted::NameConstraints => "the name-constraint comparison budget",
            Exhausted::PolicyNodes => "the policy-graph node budget",
        })
    }
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Budget { limits, signatures: 0, steps: 0, name_constraint_checks: 0 }
    }
    pub fn signature(&mut self) -> Result<(), Exhausted> {
        self.signatures += 1;
        if self.signatures > self.limits.signature_checks {
            return Err(Exhausted::Signatures);
        }
        Ok(())
    }
    pub fn step(&mut self) -> Result<(), Exhausted> {
        self.steps += 1;
        if self.steps > self.limits.build_steps {
            return Err(Exhausted::BuildSteps);
        }
        Ok(())
    }
    /// Spends `n` name-constraint comparisons.
    pub fn name_constraints(&mut self, n: u64) -> Result<(), Exhausted> {
        self.name_constraint_checks = self.name_constraint_checks.saturating_add(n);
        if self.name_constraint_checks > self.limits.name_constraint_checks {
            return Err(Exhausted::NameConstraints);
        }
        Ok(())
    }
}
