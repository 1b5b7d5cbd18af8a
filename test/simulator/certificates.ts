// A throwaway certificate authority, so that the simulator can answer https://<shop>.myshopify.com itself.
//
// Certificates are DER-encoded here by hand (X.509 v3, ECDSA P-256 with SHA-256) rather than with a library:
// node:crypto makes and signs the keys in microseconds, and the few ASN.1 structures a TLS server certificate
// needs fit in a page. (@peculiar/x509 would need the reflect-metadata polyfill installed globally; node-forge
// signs only with RSA.)
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority {
  /** The CA certificate, for NODE_EXTRA_CA_CERTS or a client's `ca` option. */
  certPem: string;
  /** A server certificate for `hostname`, signed by this CA (cached per host name). */
  serverCertificate(hostname: string): IssuedCertificate;
}

const OID = {
  commonName: "2.5.4.3",
  organizationName: "2.5.4.10",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
} as const;

const DAY_MS = 86_400_000;

export function createCertificateAuthority(name = "Creator Ledger store simulator CA"): CertificateAuthority {
  const caKeys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const caSpki = caKeys.publicKey.export({ type: "spki", format: "der" });
  const caKeyId = keyIdentifier(caSpki);
  const caName = distinguishedName(name);
  // Back-dated a day: the client's clock may lag the simulator's a little.
  const notBefore = new Date(Date.now() - DAY_MS);
  const notAfter = new Date(Date.now() + 30 * DAY_MS);

  const caCertDer = signCertificate(
    {
      issuer: caName,
      subject: caName,
      subjectSpki: caSpki,
      notBefore,
      notAfter,
      extensions: [
        extension(OID.basicConstraints, sequence(boolean(true)), true),
        extension(OID.keyUsage, keyUsageBits({ keyCertSign: true, cRLSign: true }), true),
        extension(OID.subjectKeyIdentifier, octetString(caKeyId)),
      ],
    },
    caKeys.privateKey,
  );

  const issued = new Map<string, IssuedCertificate>();
  return {
    certPem: toPem("CERTIFICATE", caCertDer),
    serverCertificate(hostname: string): IssuedCertificate {
      const cached = issued.get(hostname);
      if (cached) return cached;
      const keys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const spki = keys.publicKey.export({ type: "spki", format: "der" });
      const der = signCertificate(
        {
          issuer: caName,
          subject: distinguishedName(hostname),
          subjectSpki: spki,
          notBefore,
          notAfter,
          extensions: [
            extension(OID.basicConstraints, sequence(), true),
            extension(OID.keyUsage, keyUsageBits({ digitalSignature: true }), true),
            extension(OID.extKeyUsage, sequence(objectIdentifier(OID.serverAuth))),
            // Clients match the host against the subjectAltName only (the common name is ignored).
            extension(OID.subjectAltName, sequence(tagged(0x82, Buffer.from(hostname, "ascii")))),
            extension(OID.subjectKeyIdentifier, octetString(keyIdentifier(spki))),
            extension(OID.authorityKeyIdentifier, sequence(tagged(0x80, caKeyId))),
          ],
        },
        caKeys.privateKey,
      );
      const certificate = {
        certPem: toPem("CERTIFICATE", der),
        keyPem: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      };
      issued.set(hostname, certificate);
      return certificate;
    },
  };
}

interface CertificateFields {
  issuer: Buffer;
  subject: Buffer;
  subjectSpki: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function signCertificate(fields: CertificateFields, issuerKey: KeyObject): Buffer {
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  // A positive 127-bit serial in minimal DER: the top bit cleared keeps the INTEGER from reading as negative, and the
  // next bit set keeps the first byte from being zero (a leading zero byte before one under 0x80 is "illegal
  // padding" to OpenSSL: one certificate in 256 failed to parse).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const tbs = sequence(
    tagged(0xa0, integer(Buffer.from([2]))), // version 3
    integer(serial),
    signatureAlgorithm,
    fields.issuer,
    sequence(utcTime(fields.notBefore), utcTime(fields.notAfter)),
    fields.subject,
    fields.subjectSpki,
    tagged(0xa3, sequence(...fields.extensions)),
  );
  // dsaEncoding "der" gives the ECDSA-Sig-Value structure X.509 expects.
  const signature = sign("sha256", tbs, { key: issuerKey, dsaEncoding: "der" });
  return sequence(tbs, signatureAlgorithm, bitString(signature));
}

/** A key identifier: a SHA-1 hash of the public key, one of the methods RFC 5280 suggests. */
function keyIdentifier(spki: Buffer): Buffer {
  return createHash("sha1").update(spki).digest();
}

function distinguishedName(commonName: string): Buffer {
  const attribute = (oid: string, value: string) => set(sequence(objectIdentifier(oid), tagged(0x0c, Buffer.from(value, "utf8"))));
  return sequence(attribute(OID.organizationName, "Creator Ledger store simulator"), attribute(OID.commonName, commonName));
}

function extension(oid: string, value: Buffer, critical = false): Buffer {
  return critical ? sequence(objectIdentifier(oid), boolean(true), octetString(value)) : sequence(objectIdentifier(oid), octetString(value));
}

/** KeyUsage is a named BIT STRING: bit 0 (digitalSignature) is the first byte's most significant bit. */
function keyUsageBits(usage: { digitalSignature?: boolean; keyCertSign?: boolean; cRLSign?: boolean }): Buffer {
  let bits = 0;
  if (usage.digitalSignature) bits |= 0x80;
  if (usage.keyCertSign) bits |= 0x04;
  if (usage.cRLSign) bits |= 0x02;
  // DER drops trailing zero bits and says how many of the last byte's bits are unused.
  let unused = 0;
  while (unused < 7 && ((bits >> unused) & 1) === 0) unused++;
  return tagged(0x03, Buffer.from([unused, bits]));
}

// --- DER ---------------------------------------------------------------------------------------------------

function tagged(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...items: Buffer[]): Buffer {
  return tagged(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tagged(0x31, Buffer.concat(items));
}

function integer(bigEndian: Buffer): Buffer {
  // A leading 0x00 keeps a value whose top bit is set positive.
  return tagged(0x02, bigEndian[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bigEndian]) : bigEndian);
}

function boolean(value: boolean): Buffer {
  return tagged(0x01, Buffer.from([value ? 0xff : 0x00]));
}

function octetString(content: Buffer): Buffer {
  return tagged(0x04, content);
}

function bitString(content: Buffer): Buffer {
  return tagged(0x03, Buffer.concat([Buffer.from([0]), content]));
}

function objectIdentifier(oid: string): Buffer {
  const [first, second, ...rest] = oid.split(".").map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tagged(0x06, Buffer.from(bytes));
}

/** UTCTime (YYMMDDHHMMSSZ): RFC 5280 requires it for dates before 2050. */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tagged(0x17, Buffer.from(text, "ascii"));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
