import yauzl from 'yauzl';

/** Every entry of a zip held in memory (test files are small), by name, as text. */
export function unzipText(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error('not a zip'));
      const entries = new Map<string, string>();
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream
            .on('data', (c: Buffer) => chunks.push(c))
            .on('error', reject)
            .on('end', () => {
              entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
              file.readEntry();
            });
        });
      });
      file.on('end', () => resolve(entries)).on('error', reject);
      file.readEntry();
    });
  });
}
