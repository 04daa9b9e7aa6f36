import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../cli/mime.ts';
import { textToHtml } from '../../lambdas/core/uploads/email-html.ts';
import { composeSettledEmail } from '../../lambdas/core/uploads/upload-email.ts';
import type { UploadRecord } from '../../lambdas/core/uploads/upload.ts';

const upload = {
  partnerId: 'acme',
  ts: 1700000000,
  name: 'a <b> & c.csv',
  status: 'Succeeded',
  statusArea: 'employees',
  counts: { rowsRead: 3, rowsApplied: 3, rowsRejected: 0 },
} as unknown as UploadRecord;

describe('emails in text and HTML', () => {
  it('renders the HTML part from the text, escaped, saying the same thing', () => {
    // Prepare
    const { subject, text } = composeSettledEmail(upload, '/employees/upload/status.csv', undefined);
    // Act
    const html = textToHtml(subject, text);
    // Assess
    expect(html).toContain('File: 1700000000-a &lt;b&gt; &amp; c.csv');
    expect(html).not.toContain('<b>');
    expect(htmlToText(html.replace(/<title>.*<\/title>/, ''))).toBe(text);
  });

  it('names the file, the partner, the status, counts and where the files are', () => {
    const { subject, text } = composeSettledEmail(upload, '/employees/upload/status.csv', '/employees/upload/error-details/x.csv');
    expect(subject).toBe('benefits-exchange: 1700000000-a <b> & c.csv Succeeded');
    expect(text.split('\n')).toEqual([
      'File: 1700000000-a <b> & c.csv',
      'Partner: acme',
      'Status: Succeeded',
      'Rows read: 3',
      'Rows applied: 3',
      'Rows rejected: 0',
      '',
      'The report is in your SFTP folder: /employees/upload/error-details/x.csv',
      'The status of your uploads is in: /employees/upload/status.csv',
    ]);
  });
});
