// @ts-check
'use strict';
/**
 * The mutual-TLS files of a stack on the Temporal server engine, generated at its first start into
 * DATA_DIR/tls/: a private CA (`ca.pem`, `ca-key.pem`), the server's pair (`server.pem`,
 * `server-key.pem`: the frontend's certificate, also what the server's own services present to
 * each other) and the client pair the API and the worker present (`client.pem`, `client-key.pem`).
 * Keys are owner-only files. A certificate that expires within 30 days, or that the CA did not
 * sign, is issued again at start; the CA (ten years) is kept.
 *
 * Written with Node's crypto alone (ECDSA P-256 keys and signatures) and a small DER encoder:
 * Node 20 can sign but has no API to build an X.509 certificate, and `openssl` is not on a
 * minimal Debian; a dependency for ~100 lines of ASN.1 would be one more thing to pin and audit.
 * Node's own X509Certificate parses and checks what is written here.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_DAYS = 3650;
const LEAF_DAYS = 825;
const RENEW_WITHIN_MS = 30 * DAY_MS;
/** The names the server certificate is valid for: where the frontend listens on this machine. */
const SERVER_DNS_NAMES = ['localhost'];
const SERVER_IPS = ['127.0.0.1'];

// ---------------------------------------------------------------------------------------------
// DER, just what a certificate needs

/** @param {number} tag @param {Buffer} content */
function tlv(tag, content) {
  const n = content.length;
  /** @type {number[]} */
  let len;
  if (n < 0x80) len = [n];
  else if (n < 0x100) len = [0x81, n];
  else if (n < 0x10000) len = [0x82, n >> 8, n & 0xff];
  else throw new Error('DER value too long');
  return Buffer.concat([Buffer.from([tag, ...len]), content]);
}
const seq = (/** @type {Buffer[]} */ ...items) => tlv(0x30, Buffer.concat(items));
const set = (/** @type {Buffer[]} */ ...items) => tlv(0x31, Buffer.concat(items));
const octets = (/** @type {Buffer} */ b) => tlv(0x04, b);
const bits = (/** @type {Buffer} */ b, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (/** @type {boolean} */ v) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (/** @type {string} */ s) => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (/** @type {number} */ n, /** @type {Buffer} */ b) => tlv(0xa0 + n, b);

/** @param {Buffer} magnitude big-endian, unsigned */
function integer(magnitude) {
  let b = magnitude;
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
  if (b[0] >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** @param {string} dotted */
function oid(dotted) {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  /** @type {number[]} */
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). @param {Date} date */
function time(date) {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** @param {string} commonName */
const name = (commonName) => seq(set(seq(oid(OID.organization), utf8('Appraise'))), set(seq(oid(OID.commonName), utf8(commonName))));

/** @param {string} id @param {boolean} critical @param {Buffer} value */
const extension = (id, critical, value) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2, method 1). @param {crypto.KeyObject} publicKey */
function keyId(publicKey) {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // ECDSA P-256 SPKI: SEQUENCE { AlgorithmIdentifier (21 bytes), BIT STRING (0x03 0x42 0x00 + 65 bytes) }
  return crypto.createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

/**
 * @typedef {object} CertificateRequest
 * @property {string} commonName
 * @property {crypto.KeyObject} publicKey
 * @property {string|null} issuer   the issuer's certificate (PEM); null: self-signed (the CA)
 * @property {crypto.KeyObject} signingKey
 * @property {number} days
 * @property {'ca'|'server'|'client'} kind
 * @property {string[]} [dnsNames]
 * @property {string[]} [ips]
 */

/** @param {CertificateRequest} r @returns {string} PEM */
function issueCertificate(r) {
  const notBefore = new Date(Date.now() - 5 * 60 * 1000); // a little clock skew between processes is fine
  const notAfter = new Date(notBefore.getTime() + r.days * DAY_MS);
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  const issuerCert = r.issuer ? new crypto.X509Certificate(r.issuer) : null;
  const issuerName = issuerCert ? issuerCert.raw.subarray(...subjectRange(issuerCert.raw)) : name(r.commonName);
  const authorityKey = keyId(issuerCert ? issuerCert.publicKey : r.publicKey);
  const extensions = [
    extension(OID.basicConstraints, true, r.kind === 'ca' ? seq(bool(true)) : seq()),
    // digitalSignature (bit 0), plus keyCertSign (5) and cRLSign (6) for the CA
    extension(OID.keyUsage, true, r.kind === 'ca' ? bits(Buffer.from([0x86]), 1) : bits(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyId, false, octets(keyId(r.publicKey))),
    extension(OID.authorityKeyId, false, seq(tlv(0x80, authorityKey))),
  ];
  // The server pair also serves as the client certificate of the server's own services (internode TLS).
  if (r.kind === 'server') extensions.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth), oid(OID.clientAuth))));
  if (r.kind === 'client') extensions.push(extension(OID.extKeyUsage, false, seq(oid(OID.clientAuth))));
  const altNames = [...(r.dnsNames || []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...(r.ips || []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number))))];
  if (altNames.length > 0) extensions.push(extension(OID.subjectAltName, false, seq(...altNames)));

  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    issuerName,
    seq(time(notBefore), time(notAfter)),
    name(r.commonName),
    r.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const signature = crypto.sign('sha256', tbs, r.signingKey); // DER-encoded ECDSA-Sig-Value
  const der = seq(tbs, algorithm, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}

/**
 * Where the subject Name sits in a DER certificate: the issuer of a certificate we sign must be
 * its issuer's subject byte for byte.
 * @param {Buffer} der @returns {[number, number]}
 */
function subjectRange(der) {
  /** @param {number} at @returns {{ start: number, content: number, end: number }} */
  const read = (at) => {
    let len = der[at + 1];
    let content = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i += 1) len = (len << 8) | der[at + 2 + i];
      content += n;
    }
    return { start: at, content, end: content + len };
  };
  const tbs = read(read(0).content);
  let at = tbs.content;
  /** @type {Array<{ start: number, content: number, end: number }>} */
  const fields = [];
  while (at < tbs.end) {
    const f = read(at);
    fields.push(f);
    at = f.end;
  }
  // version [0], serial, signature, issuer, validity, subject
  const subject = fields[der[fields[0].start] === 0xa0 ? 5 : 4];
  return [subject.start, subject.end];
}

// ---------------------------------------------------------------------------------------------
// The stack's files

/** @param {string} dataDir */
function tlsDir(dataDir) {
  return path.join(dataDir, 'tls');
}

/** @param {string} dataDir */
function tlsFiles(dataDir) {
  const dir = tlsDir(dataDir);
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca-key.pem'),
    server: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server-key.pem'),
    client: path.join(dir, 'client.pem'),
    clientKey: path.join(dir, 'client-key.pem'),
  };
}

/** @param {string} file @param {string} content @param {number} mode */
function writeAtomically(file, content, mode) {
  const staging = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(staging, content, { mode });
  fs.chmodSync(staging, mode);
  fs.renameSync(staging, file);
}

const newKey = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** @param {crypto.KeyObject} key */
const keyPem = (key) => /** @type {string} */ (key.export({ type: 'pkcs8', format: 'pem' }));

/** Still good for a while and signed by this CA? @param {string} file @param {crypto.X509Certificate} ca */
function stillValid(file, ca) {
  if (!fs.existsSync(file)) return false;
  try {
    const cert = new crypto.X509Certificate(fs.readFileSync(file));
    return cert.verify(ca.publicKey) && Date.parse(cert.validTo) - Date.now() > RENEW_WITHIN_MS;
  } catch {
    return false;
  }
}

/**
 * The stack's CA and certificates, created or renewed as needed (see the top of this file).
 * @param {string} dataDir
 * @returns {{ files: ReturnType<typeof tlsFiles>, created: string[] }}
 */
function ensureStackTls(dataDir) {
  const files = tlsFiles(dataDir);
  fs.mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  /** @type {string[]} */
  const created = [];
  if (!fs.existsSync(files.ca) || !fs.existsSync(files.caKey)) {
    const { publicKey, privateKey } = newKey();
    writeAtomically(files.caKey, keyPem(privateKey), 0o600);
    writeAtomically(files.ca, issueCertificate({ commonName: 'Appraise stack CA', publicKey, signingKey: privateKey, issuer: null, days: CA_DAYS, kind: 'ca' }), 0o644);
    created.push('ca.pem');
  }
  const caCert = fs.readFileSync(files.ca, 'utf8');
  const ca = new crypto.X509Certificate(caCert);
  const caKey = crypto.createPrivateKey(fs.readFileSync(files.caKey));
  /** @type {Array<{ cert: string, key: string, commonName: string, kind: 'server'|'client', dnsNames?: string[], ips?: string[] }>} */
  const leaves = [
    { cert: files.server, key: files.serverKey, commonName: 'localhost', kind: 'server', dnsNames: SERVER_DNS_NAMES, ips: SERVER_IPS },
    { cert: files.client, key: files.clientKey, commonName: 'appraise-client', kind: 'client' },
  ];
  for (const leaf of leaves) {
    if (stillValid(leaf.cert, ca) && fs.existsSync(leaf.key)) continue;
    const { publicKey, privateKey } = newKey();
    writeAtomically(leaf.key, keyPem(privateKey), 0o600);
    const pem = issueCertificate({ ...leaf, publicKey, signingKey: caKey, issuer: caCert, days: LEAF_DAYS });
    writeAtomically(leaf.cert, pem, 0o644);
    created.push(path.basename(leaf.cert));
  }
  return { files, created };
}

module.exports = { ensureStackTls, tlsFiles, SERVER_DNS_NAMES };
