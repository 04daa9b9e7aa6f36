import type { ServerChannel } from 'ssh2';

/**
 * The answer to an `exec` request: this server speaks SFTP only, as Transfer Family does. The
 * legacy SCP protocol (`scp -O`, or an OpenSSH older than 9) arrives as an exec of `scp -t|-f`;
 * it gets a message naming the fix and exit status 1, instead of a bare "exec request failed".
 */
export function refuseExec(channel: ServerChannel, command: string): void {
  const legacyScp = /^\s*scp(\s|$)/.test(command);
  const message = legacyScp
    ? 'This server does not support the legacy SCP protocol. Use SFTP: `sftp`, or `scp` without -O (OpenSSH 9 or later).'
    : 'This server accepts SFTP only: commands and shells are not available.';
  channel.stderr.write(`${message}\n`);
  channel.exit(1);
  channel.end();
}
