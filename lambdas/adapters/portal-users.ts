import { randomInt } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { SignInRefused, type PortalAuth, type SignInResult } from '../app/web/web-ports.ts';

/**
 * The portal's users in Cognito (SPEC §18): one user per admin email, its username the email.
 * Invitations are ours (the caller mails the temporary password), so Cognito's own messages are
 * suppressed and the text is the same in local mode and on AWS.
 */

export interface UserPool {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Where the pool's signing keys are: Cognito's URL on AWS, the emulator's locally. */
  readonly jwksUrl: string;
  /** The `iss` of the pool's tokens (Cognito's URL, also on moto). */
  readonly issuer: string;
}

export function userPoolOf(userPoolId: string, clientId: string, endpoint?: string): UserPool {
  const region = userPoolId.split('_')[0] ?? 'us-east-1';
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const jwksUrl = endpoint ? `${endpoint.replace(/\/$/, '')}/${userPoolId}/.well-known/jwks.json` : `${issuer}/.well-known/jwks.json`;
  return { userPoolId, clientId, issuer, jwksUrl };
}

/** The id of the user pool named `name` (local mode names its pool; a stack gives its id as an output). */
export async function findUserPoolId(cognito: CognitoIdentityProviderClient, name: string): Promise<string | undefined> {
  const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  return pools.UserPools?.find((p) => p.Name === name)?.Id;
}

export class CognitoPortalAuth implements PortalAuth {
  private readonly keys;

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly pool: UserPool,
  ) {
    this.keys = createRemoteJWKSet(new URL(pool.jwksUrl));
  }

  async signIn(email: string, password: string): Promise<SignInResult> {
    try {
      const out = await this.cognito.send(
        new InitiateAuthCommand({
          ClientId: this.pool.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      if (out.ChallengeName === 'NEW_PASSWORD_REQUIRED' && out.Session) return { challenge: 'NEW_PASSWORD_REQUIRED', session: out.Session };
      return tokensOf(out.AuthenticationResult);
    } catch (error) {
      throw refusal(error, 'The email or password is not right.');
    }
  }

  async newPassword(email: string, session: string, newPassword: string): Promise<{ idToken: string; expiresIn: number }> {
    try {
      const out = await this.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
        }),
      );
      return tokensOf(out.AuthenticationResult);
    } catch (error) {
      throw refusal(error, 'The new password was refused.');
    }
  }

  async verify(idToken: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(idToken, this.keys, { issuer: this.pool.issuer, audience: this.pool.clientId });
      if (payload.token_use !== 'id') return undefined;
      // With email as the pool's username attribute, `cognito:username` is the user's id; `email` is the address.
      const name = payload.email ?? payload['cognito:username'];
      return typeof name === 'string' ? name.toLowerCase() : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Creates and removes the portal users of a partner's admin emails (the CLI's `partner` commands). */
export class PortalUsers {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  /** Creates the user with a temporary password and returns it; undefined when the user exists. */
  async invite(email: string): Promise<string | undefined> {
    const exists = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email })).then(
      () => true,
      (error: Error) => {
        if (error.name === 'UserNotFoundException') return false;
        throw error;
      },
    );
    if (exists) return undefined;
    const temporary = temporaryPassword();
    await this.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: this.userPoolId,
        Username: email,
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    return temporary;
  }

  async remove(email: string): Promise<void> {
    await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: email })).catch((error: Error) => {
      if (error.name !== 'UserNotFoundException') throw error;
    });
  }
}

function tokensOf(result: { IdToken?: string; ExpiresIn?: number } | undefined): { idToken: string; expiresIn: number } {
  if (!result?.IdToken) throw new Error('Cognito answered without a token');
  return { idToken: result.IdToken, expiresIn: result.ExpiresIn ?? 3600 };
}

function refusal(error: unknown, fallback: string): SignInRefused | unknown {
  const name = (error as Error).name;
  if (name === 'NotAuthorizedException' || name === 'UserNotFoundException') return new SignInRefused(fallback, 401);
  if (name === 'InvalidPasswordException') return new SignInRefused((error as Error).message, 400);
  if (name === 'CodeMismatchException' || name === 'ExpiredCodeException')
    return new SignInRefused('The sign-in took too long: sign in again.', 401);
  return error;
}

/** 16 characters with every class Cognito's default policy asks for. */
function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!#%+=?'];
  const all = sets.join('');
  const chars = [...sets.map((set) => set[randomInt(set.length)]), ...Array.from({ length: 12 }, () => all[randomInt(all.length)])];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
