import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { generateProviderKey, type ProviderKeyPair } from '../core/pgp/pgp-crypto.ts';

/**
 * The provider's OpenPGP key pair (SPEC §16) in Secrets Manager. The secret exists from the stack
 * on (with a generated placeholder) or is created here where nothing declared it (an emulator
 * without the stack); `ensure` replaces a missing or placeholder value with a new key pair once,
 * and never replaces a key pair: partners encrypt to it.
 */

const storedSchema = z.object({
  privateKey: z.string().includes('BEGIN PGP PRIVATE KEY BLOCK'),
  publicKey: z.string().includes('BEGIN PGP PUBLIC KEY BLOCK'),
  fingerprint: z.string().min(16),
  createdAt: z.string(),
});

// The same token for every first write: Secrets Manager then accepts one value under it, so two
// `ensure` calls racing each other cannot both install a key; the loser reads the winner's.
const FIRST_VERSION_TOKEN = 'bx-provider-pgp-key-0001-first-version';

/** How long a process trusts what it read (a key created after a cold start is seen this soon). */
const CACHE_MS = 5 * 60 * 1000;

export interface ProviderKeySource {
  /** The key pair, or undefined while the environment has none. */
  get(): Promise<ProviderKeyPair | undefined>;
}

export class ProviderKeyStore implements ProviderKeySource {
  private cached?: { value: ProviderKeyPair | undefined; at: number };

  constructor(
    private readonly secrets: SecretsManagerClient,
    /** Secret name or ARN. */
    readonly secretId: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(): Promise<ProviderKeyPair | undefined> {
    if (this.cached?.value && this.clock() - this.cached.at < CACHE_MS) return this.cached.value;
    const value = await this.read();
    this.cached = { value, at: this.clock() };
    return value;
  }

  /** The key pair, created first when the environment has none. */
  async ensure(environment: string): Promise<{ created: boolean; key: ProviderKeyPair }> {
    const existing = await this.read();
    if (existing) return { created: false, key: existing };
    const key = await generateProviderKey(environment);
    const value = JSON.stringify(key);
    try {
      await this.secrets.send(
        new PutSecretValueCommand({ SecretId: this.secretId, SecretString: value, ClientRequestToken: FIRST_VERSION_TOKEN }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') {
        await this.secrets.send(
          new CreateSecretCommand({
            Name: this.secretId,
            SecretString: value,
            ClientRequestToken: FIRST_VERSION_TOKEN,
            Description: 'benefits-exchange provider OpenPGP key pair',
          }),
        );
      } else {
        const winner = await this.read();
        if (winner) return { created: false, key: winner };
        throw error;
      }
    }
    const stored = await this.read();
    if (!stored) throw new Error(`the provider key written to ${this.secretId} cannot be read back`);
    this.cached = { value: stored, at: this.clock() };
    return { created: stored.fingerprint === key.fingerprint, key: stored };
  }

  private async read(): Promise<ProviderKeyPair | undefined> {
    let text: string | undefined;
    try {
      text = (await this.secrets.send(new GetSecretValueCommand({ SecretId: this.secretId }))).SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    if (!text) return undefined;
    try {
      const parsed = storedSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // the stack's placeholder: not JSON
    }
  }
}
