import type { SFTPWrapper } from 'ssh2';

/**
 * Ends an SFTP channel the way OpenSSH's sftp-server does when it exits: an `exit-status` of 0,
 * then the close. `scp` in SFTP mode (OpenSSH ≥ 9) exits with the status its ssh child got, and
 * with none it reports failure after a good transfer, so scripts that check it would upload twice.
 * ssh2 offers `exit()` only on exec/shell channels, so the SFTP channel's own protocol is used.
 */

interface ChannelInternals {
  readonly outgoing?: { readonly id: number; readonly state: string };
  readonly _protocol?: { exitStatus(channel: number, status: number): void };
}

export function endWithExitStatus(sftp: SFTPWrapper, status = 0): void {
  const channel = sftp as unknown as ChannelInternals;
  if (channel.outgoing?.state === 'open' || channel.outgoing?.state === 'eof') {
    channel._protocol?.exitStatus(channel.outgoing.id, status);
  }
  sftp.end();
}
