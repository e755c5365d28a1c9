// Independent check of the client's RSA PKCS#1 v1.5 encryption, driven by
// `rsa_seal.rs::openssl_opens_what_the_client_seals`: Node's OpenSSL decrypts every block of
// each sealed header with the private key (raw RSA, RSA_NO_PADDING), and this script checks the
// padding as RFC 8017 §7.2.1 says (EM = 00 02 PS 00 M, PS at least 8 nonzero bytes) before
// comparing the concatenated messages with the expected header JSON.
//
// Raw RSA rather than RSA_PKCS1_PADDING: Node ≥ 20.11 refuses PKCS#1 v1.5 private decryption
// (Marvin attack) unless started with --security-revert, and checking the padding here keeps
// the check independent of any one PKCS#1 implementation.
//
// Usage: node openssl_decrypt.mjs cases.json   (prints "N headers opened", exits 1 on a mismatch)
import { readFileSync } from 'node:fs';
import crypto from 'node:crypto';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let opened = 0;
for (const [i, c] of cases.entries()) {
  const key = crypto.createPrivateKey({
    key: Buffer.from(c.private_key_pkcs1_der_b64, 'base64'),
    format: 'der',
    type: 'pkcs1',
  });
  const k = (key.asymmetricKeyDetails.modulusLength + 7) >> 3;
  const raw = Buffer.from(c.header, 'base64');
  const fail = (why) => {
    console.error(`case ${i} (${key.asymmetricKeyDetails.modulusLength} bits): ${why}`);
    process.exit(1);
  };
  if (raw.length === 0 || raw.length % k !== 0) fail(`${raw.length} bytes is not a multiple of k = ${k}`);
  const parts = [];
  for (let off = 0; off < raw.length; off += k) {
    const em = crypto.privateDecrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, raw.subarray(off, off + k));
    if (em.length !== k) fail(`block at ${off}: EM of ${em.length} bytes`);
    if (em[0] !== 0 || em[1] !== 2) fail(`block at ${off}: EM starts ${em[0]} ${em[1]}`);
    const sep = em.indexOf(0, 2);
    if (sep < 0) fail(`block at ${off}: no separator`);
    if (sep - 2 < 8) fail(`block at ${off}: PS of ${sep - 2} bytes`);
    parts.push(em.subarray(sep + 1));
  }
  const plaintext = Buffer.concat(parts).toString('utf8');
  if (plaintext !== c.plaintext) fail(`opened ${JSON.stringify(plaintext)}, expected ${JSON.stringify(c.plaintext)}`);
  opened += 1;
}
console.log(`${opened} headers opened`);
