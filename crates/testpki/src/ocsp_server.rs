//! An OCSP responder and a CRL/AIA file server on loopback, for tests of revocation fetching.
//!
//! [`OcspResponder`] answers RFC 6960 requests for one CA of a synthetic PKI with knobs for every
//! way a response can go wrong: a status per serial (good, revoked, unknown), the response
//! window (an expired response), the signer (the CA, a delegated responder with or without
//! id-kp-OCSPSigning and id-pkix-ocsp-nocheck, a foreign key), the nonce (echoed, omitted,
//! changed) and the responseStatus (tryLater...). It can also build a response directly, for
//! stapled-response tests without HTTP.
//!
//! [`TestServer`] is a small HTTP/1.1 server (std::net, one thread per connection, bound to
//! 127.0.0.1 on a free port) that serves [`Route`]s: fixed bytes (CRLs, caIssuers
//! certificates), the responder, redirects, slow answers (a sleep beyond the client's timeout),
//! oversized bodies with and without Content-Length, and HTTP error statuses. Routes can be
//! replaced while the server runs (a CRL that changed since it was cached), and the server
//! counts requests per path.
//!
//! Times are fixed inputs, as everywhere in testpki: nothing here reads the clock.

use crate::der::{self, tag, TimeEncoding};
use crate::keys::{Curve, TestKey};
use crate::pki::{serial_for, times, Issued};
use crate::x509::{ext, ku, CertTemplate, Extension, Name, Reason};
use sha1::{Digest, Sha1};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use time::OffsetDateTime;

/// OIDs of RFC 6960.
pub mod oids {
    pub const OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
    pub const OCSP_NONCE: &str = "1.3.6.1.5.5.7.48.1.2";
    pub const OCSP_NOCHECK: &str = "1.3.6.1.5.5.7.48.1.5";
    pub const SHA1: &str = "1.3.14.3.2.26";
}

/// The status the responder gives a serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Good,
    Revoked { at: OffsetDateTime, reason: Option<Reason> },
    Unknown,
}

/// Who signs the responses.
#[derive(Debug, Clone)]
pub enum SignerChoice {
    /// The CA itself; responderID byName (RFC 6960 §4.2.2.2 case 2).
    Issuer,
    /// A delegated responder whose certificate is included; responderID byKey (case 3).
    Delegated(Issued),
    /// Another party altogether (its name as responderID, its key, its certificate included):
    /// the "wrong signer".
    Foreign(Issued),
    /// responderID names the CA but the signature is made with this other key.
    WrongKey(TestKey),
}

/// What happens to a nonce in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceMode {
    Echo,
    Omit,
    /// Echo a different value (one bit flipped).
    Wrong,
}

/// An OCSP responder for one CA.
#[derive(Debug, Clone)]
pub struct OcspResponder {
    pub ca: Issued,
    pub signer: SignerChoice,
    /// Per serial (INTEGER content octets): the status. Others get `default_status`.
    pub statuses: Vec<(Vec<u8>, Status)>,
    pub default_status: Status,
    pub produced_at: OffsetDateTime,
    pub this_update: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
    pub nonce: NonceMode,
    /// OCSPResponseStatus: 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater,
    /// 5 sigRequired, 6 unauthorized.
    pub response_status: u8,
}

/// The SHA-1 key hash of RFC 6960 (over the subjectPublicKey BIT STRING value).
pub fn key_hash(key: &TestKey) -> Vec<u8> {
    Sha1::digest(key.public_point()).to_vec()
}

/// The SHA-1 CertID DER of `leaf` issued by `ca` (RFC 6960 §4.1.1).
pub fn cert_id(leaf: &Issued, ca: &Issued) -> Vec<u8> {
    der::seq([
        der::seq([der::oid(oids::SHA1), der::null()]),
        der::octet_string(&Sha1::digest(leaf.template.issuer.to_der())),
        der::octet_string(&key_hash(&ca.key)),
        leaf.template.serial.to_der(),
    ])
}

/// The content octets of a serial as a CertID carries them.
pub fn serial_octets(leaf: &Issued) -> Vec<u8> {
    let d = leaf.template.serial.to_der();
    der::read_tlv(&d).map(|(t, _)| t.content.to_vec()).unwrap_or_default()
}

/// A delegated OCSP responder certificate issued by `ca` (P-256 key from `label`), with
/// digitalSignature, id-kp-OCSPSigning when `ocsp_signing`, id-pkix-ocsp-nocheck when `nocheck`.
pub fn delegated_responder(ca: &Issued, label: &str, ocsp_signing: bool, nocheck: bool) -> Issued {
    let key = TestKey::derive(&format!("ocsp-responder/{label}"), Curve::P256);
    let subject = Name::new()
        .with(crate::x509::attr::COUNTRY, ca.name().get(crate::x509::attr::COUNTRY).unwrap_or("XX"))
        .with(crate::x509::attr::ORGANIZATION, "eidtrust synthetic PKI (TEST ONLY)")
        .with(crate::x509::attr::COMMON_NAME, &format!("eidtrust TEST OCSP responder {label}"));
    let mut t = CertTemplate::new(0, ca.name().clone(), subject, times::CA_FROM, times::CA_TO);
    t.serial = serial_for(&format!("ocsp-responder/{label}"));
    t.extensions.push(Extension::authority_key_id(&ca.key_id()));
    t.extensions.push(Extension::subject_key_id(&key.key_id()));
    t.extensions.push(Extension::basic_constraints(false, None));
    t.extensions.push(Extension::key_usage(&[ku::DIGITAL_SIGNATURE]));
    if ocsp_signing {
        t.extensions.push(Extension::ext_key_usage(&[ext::KP_OCSP_SIGNING]));
    } else {
        t.extensions.push(Extension::ext_key_usage(&[ext::KP_CLIENT_AUTH]));
    }
    if nocheck {
        t.extensions.push(Extension::new(oids::OCSP_NOCHECK, false, der::null()));
    }
    let der = t.issue(&key, &ca.key);
    Issued { template: t, key, der }
}

/// A self-signed P-256 "CA" that is not part of the PKI (for the wrong-signer knob).
pub fn foreign_signer(label: &str) -> Issued {
    let key = TestKey::derive(&format!("ocsp-foreign/{label}"), Curve::P256);
    let name = Name::new().with(crate::x509::attr::COMMON_NAME, &format!("eidtrust TEST foreign responder {label}"));
    let mut t = CertTemplate::new(0, name.clone(), name, times::CA_FROM, times::CA_TO);
    t.serial = serial_for(&format!("ocsp-foreign/{label}"));
    t.extensions.push(Extension::basic_constraints(false, None));
    t.extensions.push(Extension::ext_key_usage(&[ext::KP_OCSP_SIGNING]));
    let der = t.issue(&key, &key);
    Issued { template: t, key, der }
}

fn gtime(t: OffsetDateTime) -> Vec<u8> {
    der::time(t, TimeEncoding::AlwaysGeneralized)
}

/// What a request asks: the CertIDs (DER, as sent) and the nonce extension's extnValue content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedRequest {
    pub cert_ids: Vec<Vec<u8>>,
    pub nonce: Option<Vec<u8>>,
}

/// Reads an OCSPRequest (RFC 6960 §4.1.1) far enough to answer it. `None` if it does not parse.
pub fn parse_request(req: &[u8]) -> Option<ParsedRequest> {
    let (outer, rest) = der::read_tlv(req)?;
    if outer.tag != tag::SEQUENCE || !rest.is_empty() {
        return None;
    }
    let top = der::children(outer.content)?;
    let tbs = top.first().filter(|t| t.tag == tag::SEQUENCE)?;
    let mut out = ParsedRequest::default();
    for part in der::children(tbs.content)? {
        match part.tag {
            tag::SEQUENCE => {
                for request in der::children(part.content)? {
                    let fields = der::children(request.content)?;
                    out.cert_ids.push(fields.first()?.raw.to_vec());
                }
            }
            0xa2 => {
                let exts = der::children(part.content)?;
                for e in der::children(exts.first()?.content)? {
                    let f = der::children(e.content)?;
                    if f.first()?.raw == der::oid(oids::OCSP_NONCE).as_slice() {
                        out.nonce = Some(f.last()?.content.to_vec());
                    }
                }
            }
            _ => {}
        }
    }
    if out.cert_ids.is_empty() {
        return None;
    }
    Some(out)
}

impl OcspResponder {
    /// A responder for `ca` signing itself, everything good, with a response window around
    /// `at`: producedAt and thisUpdate one hour before, nextUpdate seven days after.
    pub fn new(ca: &Issued, at: OffsetDateTime) -> Self {
        OcspResponder {
            ca: ca.clone(),
            signer: SignerChoice::Issuer,
            statuses: Vec::new(),
            default_status: Status::Good,
            produced_at: at - time::Duration::hours(1),
            this_update: at - time::Duration::hours(1),
            next_update: Some(at + time::Duration::days(7)),
            nonce: NonceMode::Echo,
            response_status: 0,
        }
    }

    /// Sets the status of `leaf`.
    pub fn set_status(&mut self, leaf: &Issued, status: Status) {
        let s = serial_octets(leaf);
        self.statuses.retain(|(k, _)| *k != s);
        self.statuses.push((s, status));
    }

    fn status_of(&self, cert_id: &[u8]) -> Status {
        let serial = der::read_tlv(cert_id)
            .and_then(|(t, _)| der::children(t.content))
            .and_then(|f| f.get(3).map(|s| s.content.to_vec()));
        match serial {
            Some(s) => self.statuses.iter().find(|(k, _)| *k == s).map(|(_, st)| *st).unwrap_or(self.default_status),
            None => Status::Unknown,
        }
    }

    /// The DER response to a request (malformedRequest when it does not parse).
    pub fn respond(&self, request: &[u8]) -> Vec<u8> {
        match parse_request(request) {
            Some(p) => self.response(&p.cert_ids, p.nonce.as_deref()),
            None => der::seq([der::enumerated(1)]),
        }
    }

    /// A response for `leaf` as a stapled response would be (no nonce).
    pub fn staple(&self, leaf: &Issued) -> Vec<u8> {
        self.response(&[cert_id(leaf, &self.ca)], None)
    }

    /// The response for these CertIDs, echoing `nonce` (the extnValue content) per the knob.
    pub fn response(&self, cert_ids: &[Vec<u8>], nonce: Option<&[u8]>) -> Vec<u8> {
        if self.response_status != 0 {
            return der::seq([der::enumerated(self.response_status)]);
        }
        let singles = cert_ids.iter().map(|id| {
            let status = match self.status_of(id) {
                Status::Good => der::implicit_primitive(0, &[]),
                Status::Unknown => der::implicit_primitive(2, &[]),
                Status::Revoked { at, reason } => {
                    let mut parts = vec![gtime(at)];
                    if let Some(r) = reason {
                        parts.push(der::explicit(0, &der::enumerated(r as u8)));
                    }
                    der::implicit_constructed(1, &der::concat(parts))
                }
            };
            let mut parts = vec![id.clone(), status, gtime(self.this_update)];
            if let Some(n) = self.next_update {
                parts.push(der::explicit(0, &gtime(n)));
            }
            der::seq(parts)
        });
        let (responder_id, sign_key, certs) = match &self.signer {
            SignerChoice::Issuer => (der::explicit(1, &self.ca.name().to_der()), &self.ca.key, None),
            SignerChoice::Delegated(r) => {
                (der::explicit(2, &der::octet_string(&key_hash(&r.key))), &r.key, Some(r.der.clone()))
            }
            SignerChoice::Foreign(r) => (der::explicit(1, &r.name().to_der()), &r.key, Some(r.der.clone())),
            SignerChoice::WrongKey(k) => (der::explicit(1, &self.ca.name().to_der()), k, None),
        };
        let mut tbs = vec![responder_id, gtime(self.produced_at), der::seq(singles)];
        let echoed = match (nonce, self.nonce) {
            (Some(n), NonceMode::Echo) => Some(n.to_vec()),
            (Some(n), NonceMode::Wrong) => {
                let mut v = n.to_vec();
                if let Some(b) = v.last_mut() {
                    *b ^= 1;
                }
                Some(v)
            }
            _ => None,
        };
        if let Some(n) = echoed {
            let e = Extension::new(oids::OCSP_NONCE, false, n);
            tbs.push(der::explicit(1, &der::seq([e.to_der()])));
        }
        let tbs = der::seq(tbs);
        let sig = sign_key.sign_der(&tbs);
        let mut basic = vec![tbs, sign_key.signature_algorithm(), der::bit_string(&sig)];
        if let Some(c) = certs {
            basic.push(der::explicit(0, &der::seq([c])));
        }
        let basic = der::seq(basic);
        let bytes = der::seq([der::oid(oids::OCSP_BASIC), der::octet_string(&basic)]);
        der::seq([der::enumerated(0), der::explicit(0, &bytes)])
    }
}

// ---------------------------------------------------------------------------------------------
// The HTTP server
// ---------------------------------------------------------------------------------------------

/// What the server does for one path.
#[derive(Debug, Clone)]
pub enum Route {
    /// 200 with these bytes and a Content-Length.
    Static { content_type: &'static str, body: Vec<u8> },
    /// The OCSP responder: POST with the DER request, or GET with it base64-encoded in the path
    /// after the route's path and a `/` (RFC 6960 Appendix A.1).
    Ocsp(Box<OcspResponder>),
    /// 302 Found to this location.
    Redirect(String),
    /// Sleep, then answer as the inner route.
    Slow { delay: Duration, then: Box<Route> },
    /// 200 with `len` bytes and no Content-Length (the body ends when the connection closes).
    Stream { len: usize },
    /// This HTTP status with an empty body.
    Status(u16),
}

/// A loopback HTTP server for revocation tests; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    hits: Arc<Mutex<HashMap<String, u32>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// A URL on loopback where nothing listens (the "server down" case): a port that was just free.
pub fn closed_port_url(path: &str) -> std::io::Result<String> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    let port = l.local_addr()?.port();
    drop(l);
    Ok(format!("http://127.0.0.1:{port}{path}"))
}

/// The largest request header block read: 16 KiB.
const MAX_HEADER: usize = 16 * 1024;
/// The largest request body read: 64 KiB (OCSP requests are a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;

impl TestServer {
    /// Binds 127.0.0.1 on a free port and starts serving.
    pub fn start() -> std::io::Result<TestServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let hits: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (r, h, s) = (routes.clone(), hits.clone(), stop.clone());
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    let (r, h) = (r.clone(), h.clone());
                    std::thread::spawn(move || serve(stream, &r, &h));
                }
            }
        });
        Ok(TestServer { addr, routes, hits, stop, accept: Some(accept) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Serves `route` at `path` (replacing what was there).
    pub fn set(&self, path: &str, route: Route) {
        if let Ok(mut m) = self.routes.lock() {
            m.insert(path.to_string(), route);
        }
    }

    /// Requests received for `path` so far.
    pub fn hits(&self, path: &str) -> u32 {
        self.hits.lock().ok().and_then(|m| m.get(path).copied()).unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        if buf.len() > MAX_HEADER {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(chunk.get(..n)?);
    };
    let head = String::from_utf8_lossy(buf.get(..header_end)?).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let mut len = 0usize;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok()?;
            }
        }
    }
    if len > MAX_BODY {
        return None;
    }
    let mut body = buf.get(header_end..)?.to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(chunk.get(..n)?);
    }
    body.truncate(len);
    Some(Request { method, path, body })
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(c) = b.get(i) {
        let decoded = (*c == b'%')
            .then(|| b.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(*c);
                i += 1;
            }
        }
    }
    out
}

fn write_response(stream: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8]) {
    let reason = match status {
        200 => "OK",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn serve(mut stream: TcpStream, routes: &Mutex<HashMap<String, Route>>, hits: &Mutex<HashMap<String, u32>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(req) = read_request(&mut stream) else { return };
    // The route: the exact path, or an OCSP route the path extends with "/<base64 request>".
    let found = routes.lock().ok().and_then(|m| {
        if let Some(r) = m.get(&req.path) {
            return Some((req.path.clone(), r.clone(), None));
        }
        m.iter().find_map(|(p, r)| match (r, req.path.strip_prefix(p.as_str()).and_then(|s| s.strip_prefix('/'))) {
            (Route::Ocsp(_), Some(rest)) if req.method == "GET" => Some((p.clone(), r.clone(), Some(rest.to_string()))),
            _ => None,
        })
    });
    let Some((path, route, get_request)) = found else {
        write_response(&mut stream, 404, &[("Content-Length", "0".into())], &[]);
        return;
    };
    if let Ok(mut h) = hits.lock() {
        *h.entry(path).or_insert(0) += 1;
    }
    let body = match get_request {
        Some(b64) => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.decode(percent_decode(&b64)).unwrap_or_default()
        }
        None => req.body,
    };
    answer(&mut stream, &route, &body);
}

fn answer(stream: &mut TcpStream, route: &Route, body: &[u8]) {
    match route {
        Route::Static { content_type, body } => write_response(
            stream,
            200,
            &[("Content-Type", content_type.to_string()), ("Content-Length", body.len().to_string())],
            body,
        ),
        Route::Ocsp(r) => {
            let out = r.respond(body);
            write_response(
                stream,
                200,
                &[("Content-Type", "application/ocsp-response".into()), ("Content-Length", out.len().to_string())],
                &out,
            )
        }
        Route::Redirect(to) => {
            write_response(stream, 302, &[("Location", to.clone()), ("Content-Length", "0".into())], &[])
        }
        Route::Slow { delay, then } => {
            std::thread::sleep(*delay);
            answer(stream, then, body)
        }
        Route::Stream { len } => {
            write_response(stream, 200, &[("Content-Type", "application/octet-stream".into())], &[]);
            let chunk = [0x30u8; 8192];
            let mut left = *len;
            while left > 0 {
                let n = left.min(chunk.len());
                if stream.write_all(chunk.get(..n).unwrap_or(&[])).is_err() {
                    return;
                }
                left -= n;
            }
        }
        Route::Status(s) => write_response(stream, *s, &[("Content-Length", "0".into())], &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::{LeafSpec, StatePki};

    fn fixture() -> (StatePki, Issued) {
        let state = crate::states::all().into_iter().next().unwrap();
        let pki = StatePki::build(&state);
        let spec = LeafSpec::valid(&state, crate::etsi::CertType::QualifiedEsig, "ocsp-test");
        let leaf = spec.issue(&pki.leaf_key("ocsp-test"), pki.issuing(crate::pki::IssuingCa::for_type(spec.cert_type)));
        (pki, leaf)
    }

    fn issuer_of<'a>(pki: &'a StatePki, leaf: &Issued) -> &'a Issued {
        if leaf.template.issuer == *pki.qualified_ca.name() {
            &pki.qualified_ca
        } else {
            &pki.ca
        }
    }

    #[test]
    fn request_round_trip_and_status() {
        let (pki, leaf) = fixture();
        let ca = issuer_of(&pki, &leaf);
        let mut r = OcspResponder::new(ca, crate::pki::VALIDATION_TIME);
        r.set_status(&leaf, Status::Unknown);
        let id = cert_id(&leaf, ca);
        let nonce = der::octet_string(&[9u8; 16]);
        let ext = Extension::new(oids::OCSP_NONCE, false, nonce.clone());
        let req =
            der::seq([der::seq([der::seq([der::seq([id.clone()])]), der::explicit(2, &der::seq([ext.to_der()]))])]);
        let p = parse_request(&req).unwrap();
        assert_eq!(p.cert_ids, vec![id]);
        assert_eq!(p.nonce.as_deref(), Some(nonce.as_slice()));
        let resp = r.respond(&req);
        // successful, basic, and the status octet for unknown (0x82 0x00) is in there
        let (outer, _) = der::read_tlv(&resp).unwrap();
        assert_eq!(der::children(outer.content).unwrap()[0].raw, &[0x0a, 0x01, 0x00]);
        assert!(resp.windows(2).any(|w| w == [0x82, 0x00]));
        assert!(resp.windows(nonce.len()).any(|w| w == nonce.as_slice()));
        assert_eq!(r.respond(b"junk"), vec![0x30, 0x03, 0x0a, 0x01, 0x01]);
    }

    #[test]
    fn server_serves_routes_and_counts() {
        let s = TestServer::start().unwrap();
        s.set("/a.crl", Route::Static { content_type: "application/pkix-crl", body: b"abc".to_vec() });
        let mut c = TcpStream::connect(s.addr()).unwrap();
        c.write_all(b"GET /a.crl HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(out.ends_with("abc"));
        assert_eq!(s.hits("/a.crl"), 1);
        let mut c = TcpStream::connect(s.addr()).unwrap();
        c.write_all(b"GET /missing HTTP/1.1\r\n\r\n").unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 404"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Bb%2F%3D"), b"a+b/=".to_vec());
        assert_eq!(percent_decode("%zz"), b"%zz".to_vec());
        assert_eq!(percent_decode("%25%"), b"%%".to_vec());
    }
}
