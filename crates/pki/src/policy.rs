//! Certificate policy processing: RFC 5280 §6.1.2 (a)(d)(e)(f), §6.1.3 (d)(e)(f),
//! §6.1.4 (a)(b)(h)(i)(j) and §6.1.5 (a)(b)(g).
//!
//! # The valid-policy graph
//!
//! RFC 5280 describes a valid_policy_tree whose size can grow exponentially with crafted policy
//! mappings (CVE-2023-0464 in OpenSSL). Like BoringSSL (`crypto/x509/policy.c`) and Go's
//! crypto/x509 since 1.22, this module keeps an equivalent directed acyclic *graph*: at each depth
//! there is at most one node per valid_policy, plus a flag for the anyPolicy node. Tree nodes at
//! one depth with the same valid_policy have the same qualifiers source, the same expected
//! policy set and therefore the same descendants, so merging them loses nothing the algorithm's
//! outputs depend on. A node records the valid_policy values of its parents at the previous depth
//! (no entry means "child of the anyPolicy node"); the tree's pruning steps (§6.1.3 (d)(3),
//! §6.1.4 (b)(2)(ii), §6.1.5 (g)(iii)(4)) are replaced by a reachability walk from the last depth
//! at the end. Work is linear in the size of the certificates, and the number of nodes ever
//! created is bounded by [`Limits::policy_nodes`]: exceeding it is [`PolicyError::Budget`].
//!
//! # What the outcome means
//!
//! The user-constrained-policy-set (X.509 §12.5.2, RFC 5280 §6.1.6) is given in the policy domain
//! of the trust anchor, as PKITS and RFC 5280 §6.1.5 (g)(iii) define it: the valid_policy of the
//! nodes whose parent is anyPolicy. A path whose last certificate still has the anyPolicy node
//! (every certificate asserted anyPolicy) is valid for any policy, reported as `None`.
//!
//! Criticality of policyConstraints and inhibitAnyPolicy (§4.2.1.11, §4.2.1.14) is a certificate
//! profile rule checked by the validator, not here; this module processes the values.

use crate::budget::{Exhausted, Limits};
use crate::cert::{Certificate, PolicyConstraints, PolicyInfo};
use report::{FindingDef, Severity};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// The special policy anyPolicy (RFC 5280 §4.2.1.4): `{ id-ce-certificatePolicies 0 }`.
pub const ANY_POLICY: &str = "2.5.29.32.0";

/// `rfc5280.policy.no-valid-policy`: an explicit policy is required and the path has none (in the
/// user-initial-policy-set). RFC 5280 §6.1.3 (f), §6.1.5 (g).
pub const NO_VALID_POLICY: FindingDef = FindingDef {
    id: "rfc5280.policy.no-valid-policy",
    severity: Severity::Error,
    citation: "RFC 5280 §6.1.3 (f), §6.1.5 (g)",
    summary:
        "An explicit policy is required but no policy is valid for the whole path (within the user-initial-policy-set).",
};

/// `rfc5280.policy-mappings.any-policy`: a policyMappings extension maps to or from anyPolicy.
/// RFC 5280 §4.2.1.5 ("Policies MUST NOT be mapped either to or from the special value
/// anyPolicy"), §6.1.4 (a).
pub const MAPPING_ANY_POLICY: FindingDef = FindingDef {
    id: "rfc5280.policy-mappings.any-policy",
    severity: Severity::Error,
    citation: "RFC 5280 §4.2.1.5, §6.1.4 (a)",
    summary: "A CA certificate maps a policy to or from anyPolicy.",
};

/// `rfc5280.policy-mappings.empty`: policyMappings is `SEQUENCE SIZE (1..MAX)`. RFC 5280 §4.2.1.5.
pub const MAPPINGS_EMPTY: FindingDef = FindingDef {
    id: "rfc5280.policy-mappings.empty",
    severity: Severity::Error,
    citation: "RFC 5280 §4.2.1.5",
    summary: "A CA certificate has a policyMappings extension with no mapping.",
};

/// `rfc5280.policy.budget-exhausted`: the valid-policy graph grew past [`Limits::policy_nodes`].
/// Origin of the bound: CVE-2023-0464 (OpenSSL's exponential policy tree); BoringSSL and Go cap
/// the same graph.
pub const BUDGET_EXHAUSTED: FindingDef = FindingDef {
    id: "rfc5280.policy.budget-exhausted",
    severity: Severity::Error,
    citation: "RFC 5280 §6.1.3 (d), §6.1.4 (b); CVE-2023-0464",
    summary: "Policy processing stopped: the valid-policy graph exceeded its node budget.",
};

/// `rfc5280.policy.valid-policies`: informational, the user-constrained-policy-set of a valid path.
/// RFC 5280 §6.1.6.
pub const VALID_POLICIES: FindingDef = FindingDef {
    id: "rfc5280.policy.valid-policies",
    severity: Severity::Info,
    citation: "RFC 5280 §6.1.6",
    summary: "The policies the path is valid for (the user-constrained-policy-set).",
};

/// The finding ids of this module (merged into [`crate::findings::catalogue`]).
pub static FINDINGS: &[FindingDef] =
    &[NO_VALID_POLICY, MAPPING_ANY_POLICY, MAPPINGS_EMPTY, BUDGET_EXHAUSTED, VALID_POLICIES];

/// The caller's policy inputs (RFC 5280 §6.1.1 (c)(e)(f)(g)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyInputs {
    /// user-initial-policy-set, dotted OIDs; empty = {anyPolicy}.
    pub user_initial_policy_set: Vec<String>,
    pub initial_policy_mapping_inhibit: bool,
    pub initial_explicit_policy: bool,
    pub initial_any_policy_inhibit: bool,
}

/// The qualifiers a node of the valid-policy graph carries (RFC 5280 §6.1.2 (a): qualifier_set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeQualifiers {
    /// Index in `path` of the certificate the qualifiers come from (0 = issued by the anchor).
    pub cert_index: usize,
    /// The node's valid_policy ([`ANY_POLICY`] for the anyPolicy node).
    pub policy: String,
    /// The certificatePolicies entry they were taken from: `policy` itself, or [`ANY_POLICY`]
    /// when the node exists because the certificate asserted anyPolicy (§6.1.3 (d)(2),
    /// §6.1.4 (b)(1)).
    pub asserted_as: String,
    /// (policyQualifierId, qualifier DER) pairs, in certificate order.
    pub qualifiers: Vec<(String, Vec<u8>)>,
}

/// The result of policy processing for one path (RFC 5280 §6.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyOutcome {
    /// The user-constrained-policy-set (§6.1.6), in the trust anchor's policy domain, sorted;
    /// `None` when it is anyPolicy. `Some(empty)` when no policy is valid but none was required.
    pub valid_policies: Option<Vec<String>>,
    /// The explicit-policy indicator: explicit_policy reached 0 (§6.1.5 (a)(b)).
    pub explicit_policy_required: bool,
    /// The authorities-constrained-policy-set (the same set before intersecting with the
    /// user-initial-policy-set), sorted; `None` when it is anyPolicy.
    pub authorities_constrained: Option<Vec<String>>,
    /// Qualifiers of the graph nodes on paths that lead to [`PolicyOutcome::valid_policies`],
    /// anchor side first; nodes without qualifiers are left out.
    pub qualifiers: Vec<NodeQualifiers>,
}

/// Why the explicit-policy requirement holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplicitOrigin {
    /// The caller set initial-explicit-policy (§6.1.1 (f)).
    Caller,
    /// requireExplicitPolicy in the certificate at this index of `path`, with its label.
    Certificate { index: usize, label: String },
}

impl fmt::Display for ExplicitOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplicitOrigin::Caller => f.write_str("the caller's initial-explicit-policy"),
            ExplicitOrigin::Certificate { index, label } => {
                write!(f, "requireExplicitPolicy in \"{label}\" (certificate {} below the anchor)", index + 1)
            }
        }
    }
}

/// Why policy processing rejected a path. Display names the certificate and cites the clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// §6.1.3 (f): after processing this certificate the valid-policy graph is empty while an
    /// explicit policy is required.
    NoValidPolicy {
        index: usize,
        label: String,
        /// What the certificate asserts and what the path accepted before it.
        detail: String,
        origin: ExplicitOrigin,
        /// The step that found it: `§6.1.3 (f)`, or `§6.1.5 (g)` when the leaf's own
        /// requireExplicitPolicy 0 (§6.1.5 (b)) made the requirement.
        clause: &'static str,
    },
    /// §6.1.5 (g): the path is valid for some policies, none in the user-initial-policy-set, and
    /// an explicit policy is required.
    UserSetDisjoint {
        user_set: Vec<String>,
        /// The authorities-constrained-policy-set (`None` = anyPolicy, cannot happen here but
        /// kept total).
        authorities: Vec<String>,
        origin: ExplicitOrigin,
    },
    /// §6.1.4 (a): policyMappings names anyPolicy.
    MappingAnyPolicy { index: usize, label: String, issuer_domain: String, subject_domain: String },
    /// §4.2.1.5: policyMappings holds no mapping.
    EmptyMappings { index: usize, label: String },
    /// The graph exceeded [`Limits::policy_nodes`] while processing this certificate.
    Budget { index: usize, label: String, limit: usize },
}

impl PolicyError {
    /// The stable finding id of this error.
    pub fn finding_id(&self) -> &'static str {
        self.finding_def().id
    }

    /// The catalogue entry of this error.
    pub fn finding_def(&self) -> &'static FindingDef {
        match self {
            PolicyError::NoValidPolicy { .. } | PolicyError::UserSetDisjoint { .. } => &NO_VALID_POLICY,
            PolicyError::MappingAnyPolicy { .. } => &MAPPING_ANY_POLICY,
            PolicyError::EmptyMappings { .. } => &MAPPINGS_EMPTY,
            PolicyError::Budget { .. } => &BUDGET_EXHAUSTED,
        }
    }

    /// Index in `path` of the certificate concerned (0 = issued by the anchor), if one is.
    pub fn cert_index(&self) -> Option<usize> {
        match self {
            PolicyError::NoValidPolicy { index, .. }
            | PolicyError::MappingAnyPolicy { index, .. }
            | PolicyError::EmptyMappings { index, .. }
            | PolicyError::Budget { index, .. } => Some(*index),
            PolicyError::UserSetDisjoint { .. } => None,
        }
    }

    /// The budget that ran out, for errors that are budget exhaustion rather than a verdict.
    pub fn exhausted(&self) -> Option<Exhausted> {
        matches!(self, PolicyError::Budget { .. }).then_some(Exhausted::PolicyNodes)
    }
}

fn set_text(v: &[String]) -> String {
    if v.is_empty() {
        "{}".to_string()
    } else {
        format!("{{{}}}", v.join(", "))
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::NoValidPolicy { index, label, detail, origin, clause } => write!(
                f,
                "\"{label}\" (certificate {} below the anchor) leaves no valid certificate policy ({detail}), \
                 but an explicit policy is required by {origin} (RFC 5280 {clause})",
                index + 1
            ),
            PolicyError::UserSetDisjoint { user_set, authorities, origin } => write!(
                f,
                "the path is valid only for the policies {} and none of them is in the acceptable set {}, \
                 but an explicit policy is required by {origin} (RFC 5280 §6.1.5 (g))",
                set_text(authorities),
                set_text(user_set)
            ),
            PolicyError::MappingAnyPolicy { index, label, issuer_domain, subject_domain } => write!(
                f,
                "\"{label}\" (certificate {} below the anchor) maps {issuer_domain} to {subject_domain}: \
                 policies must not be mapped to or from anyPolicy (RFC 5280 §4.2.1.5, §6.1.4 (a))",
                index + 1
            ),
            PolicyError::EmptyMappings { index, label } => write!(
                f,
                "\"{label}\" (certificate {} below the anchor) has a policyMappings extension with no mapping \
                 (RFC 5280 §4.2.1.5: SIZE (1..MAX))",
                index + 1
            ),
            PolicyError::Budget { index, label, limit } => write!(
                f,
                "policy processing stopped at \"{label}\" (certificate {} below the anchor): the valid-policy \
                 graph would exceed {limit} nodes (the bound against CVE-2023-0464-style policy trees)",
                index + 1
            ),
        }
    }
}

impl std::error::Error for PolicyError {}

/// What policy processing reads from one certificate.
#[derive(Debug, Clone, Copy)]
struct View<'a> {
    self_issued: bool,
    policies: Option<&'a [PolicyInfo]>,
    mappings: Option<&'a [(String, String)]>,
    constraints: Option<PolicyConstraints>,
    inhibit_any: Option<u32>,
}

impl<'a> View<'a> {
    /// `self_issued` is computed only when `ask_self_issued`.
    fn of(c: &'a Certificate, ask_self_issued: bool) -> View<'a> {
        let e = &c.extensions;
        View {
            self_issued: ask_self_issued && c.is_self_issued(),
            policies: e.certificate_policies.as_ref().map(|x| x.value.as_slice()),
            mappings: e.policy_mappings.as_ref().map(|x| x.value.as_slice()),
            constraints: e.policy_constraints.as_ref().map(|x| x.value),
            inhibit_any: e.inhibit_any_policy.as_ref().map(|x| x.value),
        }
    }
}

/// Interned policy OID.
type Pid = u32;

/// Interns the policy OIDs of one run, borrowing them from the certificates (no allocation per
/// OID string).
#[derive(Default)]
struct Oids<'a> {
    ids: HashMap<&'a str, Pid>,
    names: Vec<&'a str>,
}

impl<'a> Oids<'a> {
    fn intern(&mut self, s: &'a str) -> Pid {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = Pid::try_from(self.names.len()).unwrap_or(Pid::MAX);
        self.names.push(s);
        self.ids.insert(s, id);
        id
    }
    fn get(&self, s: &str) -> Option<Pid> {
        self.ids.get(s).copied()
    }
    fn name(&self, id: Pid) -> &'a str {
        self.names.get(id as usize).copied().unwrap_or("?")
    }
}

/// Where a node's qualifier_set comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qual {
    /// Not yet decided (a node of the next depth, built from expected policy sets).
    Pending,
    /// The certificate's entry for this policy, by index in its certificatePolicies.
    Own(usize),
    /// The certificate's anyPolicy entry (AP-Q).
    Any,
}

#[derive(Debug, Clone)]
struct Node {
    /// valid_policy values of the parents at the previous depth, sorted and unique; empty means
    /// the parent is the anyPolicy node of the previous depth.
    parents: Vec<Pid>,
    /// §6.1.4 (b)(1): the node's expected_policy_set was replaced by mappings.
    mapped: bool,
    qual: Qual,
}

/// One depth of the graph.
#[derive(Debug, Clone, Default)]
struct Level {
    nodes: BTreeMap<Pid, Node>,
    /// There is an anyPolicy node at this depth.
    any: bool,
    /// Index of the anyPolicy entry in the certificate's certificatePolicies, if any.
    any_qual: Option<usize>,
}

impl Level {
    fn is_empty(&self) -> bool {
        self.nodes.is_empty() && !self.any
    }
}

struct NodeBudget {
    used: usize,
    limit: usize,
}

impl NodeBudget {
    fn spend(&mut self, index: usize, label: &dyn Fn() -> String) -> Result<(), PolicyError> {
        self.used = self.used.saturating_add(1);
        if self.used > self.limit {
            return Err(PolicyError::Budget { index, label: label(), limit: self.limit });
        }
        Ok(())
    }
}

/// Runs RFC 5280 policy processing over one candidate path.
///
/// `path` is ordered from the certificate issued by the trust anchor (index 0) down to the leaf
/// (last); the anchor itself is not in it (RFC 5280 §6.1: the anchor is input, not part of the
/// path).
pub fn process(path: &[&Certificate], inputs: &PolicyInputs, limits: &Limits) -> Result<PolicyOutcome, PolicyError> {
    if let Some(outcome) = without_policy_extensions(path.iter().map(|c| View::of(c, false)), inputs) {
        return Ok(outcome);
    }
    // Whether the leaf is self-issued is never read (§6.1.3 (d)(2) and §6.1.4 (h) ask it of
    // intermediates only), and finding out compares its names: it is left false.
    let last = path.len().saturating_sub(1);
    let views: Vec<View<'_>> = path.iter().enumerate().map(|(i, c)| View::of(c, i < last)).collect();
    let label = |i: usize| path.get(i).map(|c| c.label()).unwrap_or_default();
    run(&views, &label, inputs, limits.policy_nodes)
}

/// [`process`]'s outcome when no certificate of `path` (anchor side first, the anchor left
/// out) carries a policy extension and the caller does not require an explicit policy, without
/// building anything; `None` when [`process`] has to walk.
pub fn without_extensions<'a>(
    path: impl Iterator<Item = &'a Certificate>,
    inputs: &PolicyInputs,
) -> Option<PolicyOutcome> {
    // Whether a certificate is self-issued does not matter here, and finding out compares its
    // names: it is not asked.
    without_policy_extensions(path.map(|c| View::of(c, false)), inputs)
}

/// The outcome of [`run`] for a non-empty path in which no certificate carries
/// certificatePolicies, policyMappings, policyConstraints or inhibitAnyPolicy, when the caller
/// does not set initial-explicit-policy (the common case of most chains); `None` otherwise.
///
/// §6.1.3 (e) makes the tree NULL at the first certificate; explicit_policy starts at n+1
/// (§6.1.2 (d)) and falls by at most one per certificate (§6.1.4 (h), §6.1.5 (a)), so it never
/// reaches 0: (f) never fails and §6.1.5 (g) gives the empty policy set, nothing required.
fn without_policy_extensions<'a>(path: impl Iterator<Item = View<'a>>, inputs: &PolicyInputs) -> Option<PolicyOutcome> {
    if inputs.initial_explicit_policy {
        return None;
    }
    let mut n = 0usize;
    for v in path {
        if v.policies.is_some() || v.mappings.is_some() || v.constraints.is_some() || v.inhibit_any.is_some() {
            return None;
        }
        n += 1;
    }
    (n > 0).then(|| PolicyOutcome {
        valid_policies: Some(Vec::new()),
        explicit_policy_required: false,
        authorities_constrained: Some(Vec::new()),
        qualifiers: Vec::new(),
    })
}

fn run<'a>(
    path: &[View<'a>],
    label: &dyn Fn(usize) -> String,
    inputs: &PolicyInputs,
    node_limit: usize,
) -> Result<PolicyOutcome, PolicyError> {
    let n = path.len();
    // §6.1.2 (d)(e)(f): n+1 unless the caller sets the initial indicator.
    let start = |set: bool| if set { 0 } else { n.saturating_add(1) };
    let mut explicit_policy = start(inputs.initial_explicit_policy);
    let mut explicit_origin = ExplicitOrigin::Caller;
    let mut policy_mapping = start(inputs.initial_policy_mapping_inhibit);
    let mut inhibit_any_policy = start(inputs.initial_any_policy_inhibit);

    let mut oids = Oids::default();
    // §6.1.2 (a): the tree starts as one anyPolicy node at depth 0 (counted as one node).
    let mut budget = NodeBudget { used: 1, limit: node_limit };
    let mut levels: Vec<Level> = Vec::with_capacity(n);
    // The nodes the next certificate can match: its parents' expected policies.
    let mut pending = Level { nodes: BTreeMap::new(), any: true, any_qual: None };

    for (i, cert) in path.iter().enumerate() {
        let is_leaf = i + 1 == n;
        let lbl = || label(i);
        let prev_any = pending.any;

        // §6.1.3 (d) and (e).
        let mut level = match cert.policies {
            // (e): no certificatePolicies: the tree becomes NULL.
            None => Level::default(),
            Some(policies) => {
                let any_idx = policies.iter().position(|p| p.oid == ANY_POLICY);
                // (d)(2): anyPolicy counts if inhibit_anyPolicy > 0, or for a self-issued
                // intermediate.
                let any_allowed = inhibit_any_policy > 0 || (!is_leaf && cert.self_issued);
                let keep_all = any_idx.is_some() && any_allowed;
                let mut nodes = BTreeMap::new();
                // (d)(1): each policy other than anyPolicy.
                for (idx, p) in policies.iter().enumerate().filter(|(_, p)| p.oid != ANY_POLICY) {
                    let pid = oids.intern(&p.oid);
                    if let Some(mut node) = pending.nodes.remove(&pid) {
                        // (d)(1)(i): a parent expects it.
                        node.qual = Qual::Own(idx);
                        nodes.insert(pid, node);
                    } else if prev_any {
                        // (d)(1)(ii): only the anyPolicy node can be its parent.
                        budget.spend(i, &lbl)?;
                        nodes.insert(pid, Node { parents: Vec::new(), mapped: false, qual: Qual::Own(idx) });
                    }
                }
                // (d)(2): anyPolicy keeps every expected policy not asserted explicitly.
                if keep_all {
                    for (pid, mut node) in std::mem::take(&mut pending.nodes) {
                        node.qual = Qual::Any;
                        nodes.insert(pid, node);
                    }
                }
                let any = keep_all && prev_any;
                if any {
                    budget.spend(i, &lbl)?;
                }
                // (d)(3): pruning childless nodes of earlier depths is deferred to the
                // reachability walk of §6.1.5 (g).
                Level { nodes, any, any_qual: any_idx }
            }
        };

        // §6.1.3 (f).
        if explicit_policy == 0 && level.is_empty() {
            return Err(PolicyError::NoValidPolicy {
                index: i,
                label: lbl(),
                detail: empty_detail(
                    cert,
                    &pending_names(&oids, &pending, prev_any),
                    inhibit_any_policy > 0 || (!is_leaf && cert.self_issued),
                ),
                origin: explicit_origin,
                clause: "§6.1.3 (f)",
            });
        }

        if !is_leaf {
            // §6.1.4 (a): no mapping to or from anyPolicy; the extension is SIZE (1..MAX).
            if let Some(mappings) = cert.mappings {
                if mappings.is_empty() {
                    return Err(PolicyError::EmptyMappings { index: i, label: lbl() });
                }
                if let Some((a, b)) = mappings.iter().find(|(a, b)| a == ANY_POLICY || b == ANY_POLICY) {
                    return Err(PolicyError::MappingAnyPolicy {
                        index: i,
                        label: lbl(),
                        issuer_domain: a.clone(),
                        subject_domain: b.clone(),
                    });
                }
            }
            // §6.1.4 (b): policy mapping, then the expected policy sets become the next depth.
            pending = map_level(&mut level, cert.mappings, policy_mapping > 0, &mut oids, &mut budget, i, &lbl)?;

            // §6.1.4 (h): counters count down for certificates that are not self-issued.
            if !cert.self_issued {
                explicit_policy = explicit_policy.saturating_sub(1);
                policy_mapping = policy_mapping.saturating_sub(1);
                inhibit_any_policy = inhibit_any_policy.saturating_sub(1);
            }
            // §6.1.4 (i): policyConstraints.
            if let Some(pc) = cert.constraints {
                if let Some(r) = pc.require_explicit_policy {
                    let r = r as usize;
                    if r < explicit_policy {
                        explicit_policy = r;
                        explicit_origin = ExplicitOrigin::Certificate { index: i, label: lbl() };
                    }
                }
                if let Some(m) = pc.inhibit_policy_mapping {
                    policy_mapping = policy_mapping.min(m as usize);
                }
            }
            // §6.1.4 (j): inhibitAnyPolicy.
            if let Some(skip) = cert.inhibit_any {
                inhibit_any_policy = inhibit_any_policy.min(skip as usize);
            }
        } else {
            // §6.1.5 (a) and (b).
            explicit_policy = explicit_policy.saturating_sub(1);
            if cert.constraints.and_then(|pc| pc.require_explicit_policy) == Some(0) {
                explicit_policy = 0;
                explicit_origin = ExplicitOrigin::Certificate { index: i, label: lbl() };
            }
        }
        levels.push(level);
    }

    let outcome = intersect(&levels, path, &oids, inputs, explicit_policy == 0);
    // §6.1.5 (g): succeed if explicit_policy > 0 or the intersected tree is not NULL.
    if outcome.explicit_policy_required && outcome.valid_policies.as_ref().is_some_and(|v| v.is_empty()) {
        let authorities = outcome.authorities_constrained.clone().unwrap_or_default();
        if authorities.is_empty() {
            // Only reachable when §6.1.5 (b) set explicit_policy to 0 at the leaf.
            let i = n.saturating_sub(1);
            return Err(PolicyError::NoValidPolicy {
                index: i,
                label: label(i),
                detail: "no policy is valid for the whole path".to_string(),
                origin: explicit_origin,
                clause: "§6.1.5 (g)",
            });
        }
        return Err(PolicyError::UserSetDisjoint {
            user_set: inputs.user_initial_policy_set.clone(),
            authorities,
            origin: explicit_origin,
        });
    }
    Ok(outcome)
}

/// The most policies a message lists before summarising the rest.
const MESSAGE_POLICIES: usize = 8;

/// The policies the next certificate could have matched, for messages (at most
/// [`MESSAGE_POLICIES`] of them, then a count).
fn pending_names(oids: &Oids<'_>, pending: &Level, prev_any: bool) -> Vec<String> {
    let total = pending.nodes.len();
    let mut v: Vec<String> = pending.nodes.keys().take(MESSAGE_POLICIES).map(|p| oids.name(*p).to_string()).collect();
    if total > MESSAGE_POLICIES {
        v.push(format!("and {} more", total - MESSAGE_POLICIES));
    }
    if prev_any {
        v.push("anyPolicy".to_string());
    }
    v
}

fn empty_detail(cert: &View<'_>, acceptable: &[String], any_allowed: bool) -> String {
    match cert.policies {
        None => "it has no certificatePolicies extension".to_string(),
        Some(_) if acceptable.is_empty() => "an earlier certificate already left no valid policy".to_string(),
        Some(p) => {
            let asserted: Vec<String> = p
                .iter()
                .take(MESSAGE_POLICIES)
                .map(|p| if p.oid == ANY_POLICY { "anyPolicy".to_string() } else { p.oid.clone() })
                .collect();
            let inhibited = if !any_allowed && p.iter().any(|p| p.oid == ANY_POLICY) {
                "; its anyPolicy does not count because inhibitAnyPolicy is in effect (RFC 5280 §6.1.3 (d)(2))"
            } else {
                ""
            };
            format!(
                "it asserts {} while the path accepts only {}{inhibited}",
                set_text(&asserted),
                set_text(acceptable)
            )
        }
    }
}

/// §6.1.4 (b): applies the certificate's mappings to `level` and returns the next depth's
/// candidate nodes (one per expected policy, with the parents that expect it).
fn map_level<'a>(
    level: &mut Level,
    mappings: Option<&'a [(String, String)]>,
    mapping_allowed: bool,
    oids: &mut Oids<'a>,
    budget: &mut NodeBudget,
    index: usize,
    lbl: &dyn Fn() -> String,
) -> Result<Level, PolicyError> {
    // subjectDomainPolicy -> issuerDomainPolicies that map to it.
    let mut expected: BTreeMap<Pid, Vec<Pid>> = BTreeMap::new();
    if let Some(mappings) = mappings.filter(|m| !m.is_empty()) {
        if mapping_allowed {
            // (b)(1)
            let mut by_issuer: BTreeMap<Pid, Vec<Pid>> = BTreeMap::new();
            for (idp, sdp) in mappings {
                let (a, b) = (oids.intern(idp), oids.intern(sdp));
                by_issuer.entry(a).or_default().push(b);
            }
            for (idp, subjects) in by_issuer {
                match level.nodes.get_mut(&idp) {
                    Some(node) => node.mapped = true,
                    None if level.any => {
                        // A child of the anyPolicy node of the previous depth, qualified by AP-Q.
                        budget.spend(index, lbl)?;
                        level.nodes.insert(idp, Node { parents: Vec::new(), mapped: true, qual: Qual::Any });
                    }
                    None => continue,
                }
                for s in subjects {
                    expected.entry(s).or_default().push(idp);
                }
            }
        } else {
            // (b)(2)(i): mapping is inhibited: delete the nodes of the mapped policies. (ii) is
            // deferred to the reachability walk.
            for (idp, _) in mappings {
                if let Some(pid) = oids.get(idp) {
                    level.nodes.remove(&pid);
                }
            }
        }
    }
    // Unmapped nodes expect their own policy.
    for (pid, node) in &level.nodes {
        if !node.mapped {
            expected.entry(*pid).or_default().push(*pid);
        }
    }
    let mut next = Level { nodes: BTreeMap::new(), any: level.any, any_qual: None };
    for (pid, mut parents) in expected {
        budget.spend(index, lbl)?;
        parents.sort_unstable();
        parents.dedup();
        next.nodes.insert(pid, Node { parents, mapped: false, qual: Qual::Pending });
    }
    Ok(next)
}

/// §6.1.5 (g): the authorities- and user-constrained policy sets, and the qualifiers on the
/// paths that lead to them.
fn intersect(
    levels: &[Level],
    path: &[View<'_>],
    oids: &Oids<'_>,
    inputs: &PolicyInputs,
    explicit_required: bool,
) -> PolicyOutcome {
    let n = levels.len();
    // A NULL tree at the last depth (the common case of a path where some certificate asserts
    // no policy): nothing is valid, no node has qualifiers (§6.1.5 (g)(i)). The general walk
    // below gives the same outcome.
    if levels.last().is_some_and(|last| !last.any && last.nodes.is_empty()) {
        return PolicyOutcome {
            valid_policies: Some(Vec::new()),
            explicit_policy_required: explicit_required,
            authorities_constrained: Some(Vec::new()),
            qualifiers: Vec::new(),
        };
    }
    let user_any =
        inputs.user_initial_policy_set.is_empty() || inputs.user_initial_policy_set.iter().any(|p| p == ANY_POLICY);
    let user: BTreeSet<&str> = inputs.user_initial_policy_set.iter().map(String::as_str).collect();
    let Some(last) = levels.last() else {
        // No certificate: the tree is the anyPolicy node alone.
        let valid = (!user_any).then(|| user.iter().map(|s| s.to_string()).collect());
        return PolicyOutcome {
            valid_policies: valid,
            explicit_policy_required: explicit_required,
            authorities_constrained: None,
            qualifiers: Vec::new(),
        };
    };
    let any_at_leaf = last.any;

    // Walk back from the last depth: which nodes lie on a path that reaches it (the tree after
    // all pruning), and which of those hang from anyPolicy (the valid_policy_node_set of
    // §6.1.5 (g)(iii)(1)).
    let mut reach: Vec<BTreeSet<Pid>> = vec![BTreeSet::new(); n];
    if let Some(r) = reach.last_mut() {
        r.extend(last.nodes.keys().copied());
    }
    let mut roots: BTreeSet<&str> = BTreeSet::new();
    for i in (0..n).rev() {
        let (Some(level), Some(current)) = (levels.get(i), reach.get(i).cloned()) else { continue };
        for pid in current {
            let Some(node) = level.nodes.get(&pid) else { continue };
            if node.parents.is_empty() {
                roots.insert(oids.name(pid));
            } else if let Some(prev) = i.checked_sub(1).and_then(|j| reach.get_mut(j)) {
                prev.extend(node.parents.iter().copied());
            }
        }
    }
    let authorities: Vec<String> = roots.iter().map(|s| s.to_string()).collect();
    let accepted_root = |p: &str| user_any || user.contains(p);
    let valid_policies = if user_any {
        (!any_at_leaf).then(|| authorities.clone())
    } else {
        // (g)(iii)(2) keeps the roots in the user set; (3) adds every user policy when the
        // anyPolicy node reaches the last depth.
        Some(
            user.iter()
                .filter(|p| **p != ANY_POLICY && (any_at_leaf || roots.contains(*p)))
                .map(|p| p.to_string())
                .collect(),
        )
    };

    // Forward walk: nodes on paths that lead to an accepted policy, and how far down the
    // anyPolicy chain is part of those paths.
    let mut accepted: Vec<BTreeSet<Pid>> = vec![BTreeSet::new(); n];
    let mut any_needed = if any_at_leaf && valid_policies.as_ref().is_none_or(|v| !v.is_empty()) { n } else { 0 };
    for i in 0..n {
        let (Some(level), Some(candidates)) = (levels.get(i), reach.get(i)) else { continue };
        let mut ok = BTreeSet::new();
        for pid in candidates {
            let Some(node) = level.nodes.get(pid) else { continue };
            let keep = if node.parents.is_empty() {
                accepted_root(oids.name(*pid))
            } else {
                let prev = i.checked_sub(1).and_then(|j| accepted.get(j));
                node.parents.iter().any(|p| prev.is_some_and(|s| s.contains(p)))
            };
            if keep {
                ok.insert(*pid);
                if node.parents.is_empty() {
                    any_needed = any_needed.max(i);
                }
            }
        }
        if let Some(slot) = accepted.get_mut(i) {
            *slot = ok;
        }
    }

    let mut qualifiers = Vec::new();
    for (i, (level, view)) in levels.iter().zip(path).enumerate() {
        let policies = view.policies.unwrap_or(&[]);
        let entry = |idx: Option<usize>| policies.get(idx?);
        if i < any_needed && level.any {
            if let Some(p) = entry(level.any_qual).filter(|p| !p.qualifiers.is_empty()) {
                qualifiers.push(NodeQualifiers {
                    cert_index: i,
                    policy: ANY_POLICY.to_string(),
                    asserted_as: ANY_POLICY.to_string(),
                    qualifiers: p.qualifiers.clone(),
                });
            }
        }
        for pid in accepted.get(i).into_iter().flatten() {
            let Some(node) = level.nodes.get(pid) else { continue };
            let source = match node.qual {
                Qual::Own(idx) => entry(Some(idx)),
                Qual::Any => entry(level.any_qual),
                Qual::Pending => None,
            };
            if let Some(p) = source.filter(|p| !p.qualifiers.is_empty()) {
                qualifiers.push(NodeQualifiers {
                    cert_index: i,
                    policy: oids.name(*pid).to_string(),
                    asserted_as: p.oid.clone(),
                    qualifiers: p.qualifiers.clone(),
                });
            }
        }
    }

    PolicyOutcome {
        valid_policies,
        explicit_policy_required: explicit_required,
        authorities_constrained: (!any_at_leaf).then_some(authorities),
        qualifiers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: &str = "1.2.3.1";
    const P2: &str = "1.2.3.2";
    const P3: &str = "1.2.3.3";

    fn infos(p: &[&str]) -> Vec<PolicyInfo> {
        p.iter().map(|o| PolicyInfo { oid: o.to_string(), qualifiers: Vec::new() }).collect()
    }

    fn pairs(m: &[(&str, &str)]) -> Vec<(String, String)> {
        m.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    struct Owned {
        self_issued: bool,
        policies: Option<Vec<PolicyInfo>>,
        mappings: Option<Vec<(String, String)>>,
        constraints: Option<PolicyConstraints>,
        inhibit_any: Option<u32>,
    }

    fn cert(p: Option<&[&str]>) -> Owned {
        Owned { self_issued: false, policies: p.map(infos), mappings: None, constraints: None, inhibit_any: None }
    }

    fn go(certs: &[Owned], inputs: &PolicyInputs, limit: usize) -> Result<PolicyOutcome, PolicyError> {
        let views: Vec<View<'_>> = certs
            .iter()
            .map(|c| View {
                self_issued: c.self_issued,
                policies: c.policies.as_deref(),
                mappings: c.mappings.as_deref(),
                constraints: c.constraints,
                inhibit_any: c.inhibit_any,
            })
            .collect();
        run(&views, &|i| format!("cert{i}"), inputs, limit)
    }

    #[test]
    fn the_shortcut_without_policy_extensions_is_the_general_outcome() {
        let users: [&[&str]; 3] = [&[], &[P1], &[ANY_POLICY, P2]];
        for n in 0..5usize {
            for self_issued in 0..(1u32 << n) {
                for flags in 0..8u32 {
                    for user in users {
                        let certs: Vec<Owned> =
                            (0..n).map(|i| Owned { self_issued: self_issued & (1 << i) != 0, ..cert(None) }).collect();
                        let inputs = PolicyInputs {
                            user_initial_policy_set: user.iter().map(|s| s.to_string()).collect(),
                            initial_explicit_policy: flags & 1 != 0,
                            initial_policy_mapping_inhibit: flags & 2 != 0,
                            initial_any_policy_inhibit: flags & 4 != 0,
                        };
                        let views = certs.iter().map(|c| View {
                            self_issued: c.self_issued,
                            policies: None,
                            mappings: None,
                            constraints: None,
                            inhibit_any: None,
                        });
                        let general = go(&certs, &inputs, 100);
                        match without_policy_extensions(views, &inputs) {
                            Some(short) => assert_eq!(Ok(short), general, "n {n} flags {flags} user {user:?}"),
                            None => assert!(n == 0 || inputs.initial_explicit_policy),
                        }
                    }
                }
            }
        }
        // Any policy extension leaves it to the general walk.
        let v = View { self_issued: false, policies: None, mappings: None, constraints: None, inhibit_any: Some(0) };
        assert!(without_policy_extensions([v].into_iter(), &PolicyInputs::default()).is_none());
    }

    fn explicit() -> PolicyInputs {
        PolicyInputs { initial_explicit_policy: true, ..PolicyInputs::default() }
    }

    #[test]
    fn the_same_policy_everywhere_is_valid() {
        let certs = [cert(Some(&[P1])), cert(Some(&[P1]))];
        let o = go(&certs, &explicit(), 100).unwrap();
        assert_eq!(o.valid_policies, Some(vec![P1.to_string()]));
        assert!(o.explicit_policy_required);
    }

    #[test]
    fn a_missing_extension_empties_the_graph() {
        let certs = [cert(Some(&[P1])), cert(None)];
        assert_eq!(go(&certs, &PolicyInputs::default(), 100).unwrap().valid_policies, Some(vec![]));
        let e = go(&certs, &explicit(), 100).unwrap_err();
        assert_eq!((e.finding_id(), e.cert_index()), ("rfc5280.policy.no-valid-policy", Some(1)));
    }

    #[test]
    fn duplicate_mappings_and_parents_are_merged() {
        let mut ca = cert(Some(&[P1, P2]));
        ca.mappings = Some(pairs(&[(P1, P3), (P1, P3), (P2, P3)]));
        let certs = [ca, cert(Some(&[P3]))];
        let o = go(&certs, &PolicyInputs::default(), 100).unwrap();
        assert_eq!(o.valid_policies, Some(vec![P1.to_string(), P2.to_string()]));
    }

    #[test]
    fn mapping_inhibited_deletes_only_the_mapped_node() {
        let mut ca = cert(Some(&[P1, P2]));
        ca.mappings = Some(pairs(&[(P1, P3)]));
        let certs = [ca, cert(Some(&[P1, P2, P3]))];
        let inputs = PolicyInputs { initial_policy_mapping_inhibit: true, ..PolicyInputs::default() };
        assert_eq!(go(&certs, &inputs, 100).unwrap().valid_policies, Some(vec![P2.to_string()]));
    }

    #[test]
    fn mapping_any_policy_is_rejected_on_either_side() {
        for m in [(ANY_POLICY, P1), (P1, ANY_POLICY)] {
            let mut ca = cert(Some(&[P1]));
            ca.mappings = Some(pairs(&[m]));
            let e = go(&[ca, cert(Some(&[P1]))], &PolicyInputs::default(), 100).unwrap_err();
            assert_eq!(e.finding_id(), "rfc5280.policy-mappings.any-policy");
            assert!(e.to_string().contains("cert0"), "{e}");
        }
    }

    #[test]
    fn empty_mappings_are_rejected() {
        let mut ca = cert(Some(&[P1]));
        ca.mappings = Some(Vec::new());
        let e = go(&[ca, cert(Some(&[P1]))], &PolicyInputs::default(), 100).unwrap_err();
        assert_eq!(e.finding_id(), "rfc5280.policy-mappings.empty");
    }

    #[test]
    fn the_node_budget_is_enforced() {
        // 1 root + 3 nodes at depth 1 + 3 expected nodes for depth 2 + 3 at depth 2 = 7 spent... the
        // exact count matters less than the boundary: find the smallest limit that passes and
        // check that one less fails with the budget error.
        let certs = [cert(Some(&[P1, P2, P3])), cert(Some(&[P1, P2, P3]))];
        let needed = (1..100).find(|l| go(&certs, &PolicyInputs::default(), *l).is_ok()).unwrap();
        let e = go(&certs, &PolicyInputs::default(), needed - 1).unwrap_err();
        assert_eq!(e.finding_id(), "rfc5280.policy.budget-exhausted");
        assert_eq!(e.exhausted(), Some(Exhausted::PolicyNodes));
        assert!(e.to_string().contains(&format!("{} nodes", needed - 1)), "{e}");
        // Default limit is plenty for ordinary paths.
        assert!(go(&certs, &PolicyInputs::default(), Limits::default().policy_nodes).is_ok());
    }

    #[test]
    fn explicit_any_in_user_set_means_any() {
        let certs = [cert(Some(&[ANY_POLICY])), cert(Some(&[ANY_POLICY]))];
        let inputs = PolicyInputs { user_initial_policy_set: vec![ANY_POLICY.to_string()], ..explicit() };
        assert_eq!(go(&certs, &inputs, 100).unwrap().valid_policies, None);
    }

    #[test]
    fn messages_cite_clauses_and_name_certificates() {
        let e = go(&[cert(Some(&[P1])), cert(Some(&[P2]))], &explicit(), 100).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("\"cert1\"") && s.contains("§6.1.3 (f)") && s.contains(P2) && s.contains(P1), "{s}");
        assert!(s.contains("initial-explicit-policy"), "{s}");
    }

    #[test]
    fn catalogue_holds_every_error_id() {
        let errors = [
            PolicyError::NoValidPolicy {
                index: 0,
                label: String::new(),
                detail: String::new(),
                origin: ExplicitOrigin::Caller,
                clause: "§6.1.3 (f)",
            },
            PolicyError::UserSetDisjoint { user_set: vec![], authorities: vec![], origin: ExplicitOrigin::Caller },
            PolicyError::MappingAnyPolicy {
                index: 0,
                label: String::new(),
                issuer_domain: String::new(),
                subject_domain: String::new(),
            },
            PolicyError::EmptyMappings { index: 0, label: String::new() },
            PolicyError::Budget { index: 0, label: String::new(), limit: 1 },
        ];
        for e in errors {
            assert!(FINDINGS.iter().any(|d| d.id == e.finding_id()), "{}", e.finding_id());
        }
    }
}
