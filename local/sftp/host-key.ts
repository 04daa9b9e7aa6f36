import ssh2 from 'ssh2';

/**
 * The server's host key. Local mode has no persistent identity to protect, so when none is given a
 * fresh ed25519 key is generated per start; clients must then skip host-key checking (or the
 * caller passes a stable key, e.g. one kept under `--persist`).
 */
export function resolveHostKey(hostKey?: string | Buffer): string | Buffer {
  if (hostKey === undefined) return generateEd25519KeyPair().private;
  const parsed = ssh2.utils.parseKey(hostKey);
  if (parsed instanceof Error || !parsed.isPrivateKey()) {
    throw new Error(`the SFTP host key is not a usable private key${parsed instanceof Error ? `: ${parsed.message}` : ''}`);
  }
  return hostKey;
}

/**
 * An ed25519 key pair in OpenSSH format (`private` PEM, `public` authorized_keys line).
 * ssh2 1.17's generateKeyPairSync drops a leading zero byte of the public key (about 1 key in
 * 256), writing keys that neither ssh2 nor OpenSSH can load; such a pair is discarded and
 * generated again.
 */
export function generateEd25519KeyPair(comment?: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', comment ? { comment } : {});
    const parsed = ssh2.utils.parseKey(pair.private);
    if (!(parsed instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) return pair;
  }
  throw new Error('could not generate a valid ed25519 key pair');
}
