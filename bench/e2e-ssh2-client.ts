import ssh2, { type SFTPWrapper } from 'ssh2';

/** An ssh2 SFTP session for the benchmark when no OpenSSH `sftp` is installed. */
export interface Ssh2Session {
  fastPut(localPath: string, remotePath: string): Promise<void>;
  end(): void;
}

export function connectSftp(port: number, username: string, privateKey: string): Promise<Ssh2Session> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client
      .on('ready', () => {
        client.sftp((err: Error | undefined, sftp: SFTPWrapper) => {
          if (err) return reject(err);
          resolve({
            fastPut: (from, to) => new Promise((res, rej) => sftp.fastPut(from, to, (e) => (e ? rej(e) : res()))),
            end: () => client.end(),
          });
        });
      })
      .on('error', reject)
      .connect({ host: '127.0.0.1', port, username, privateKey });
  });
}
