import { describe, expect, it } from 'vitest';
import { formatEmail, sentEmailsFromMotoData, sentTo } from '../../cli/emails.ts';
import { decodeHeader, htmlToText } from '../../cli/mime.ts';

/** The `ses` part of moto's /moto-api/data.json, as moto 5 writes it. */
const motoData = {
  iam: { AccountSummary: [] },
  ses: {
    EmailIdentity: [{ email_identity: 'noreply@bx.example' }],
    Message: [
      {
        id: 'm-1',
        source: 'noreply@bx.example',
        subject: 'Upload rejected',
        body: '<html><body><p>Your upload <b>all.csv</b> was rejected.</p><p>See error-details &amp; fix it.</p></body></html>',
        destinations: { ToAddresses: ['HR@acme.example'], CcAddresses: ['it@acme.example'] },
      },
    ],
    RawMessage: [
      {
        id: 'r-1',
        source: 'noreply@bx.example',
        destinations: ['ops@beta.example', 'ops@beta.example'],
        raw_data: [
          'From: Benefits <noreply@bx.example>',
          'To: Ops <ops@beta.example>',
          'Subject: =?UTF-8?B?Q29uY2Vpw6fDo28=?= rejected',
          'Date: Sun, 22 Nov 2026 14:03:09 +0000',
          'MIME-Version: 1.0',
          'Content-Type: multipart/alternative; boundary="XYZ"',
          '',
          '--XYZ',
          'Content-Type: text/plain; charset=UTF-8',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          'Jos=C3=A9 was not found.',
          '--XYZ',
          'Content-Type: text/html; charset=UTF-8',
          '',
          '<p>José was not found.</p>',
          '--XYZ--',
          '',
        ].join('\r\n'),
      },
    ],
    TemplateMessage: [],
  },
};

describe('sentEmailsFromMotoData', () => {
  it('reads SendEmail messages, flattening the HTML body moto keeps', () => {
    const [email] = sentEmailsFromMotoData(motoData);
    expect(email).toEqual({
      id: 'm-1',
      date: null,
      from: 'noreply@bx.example',
      to: ['HR@acme.example'],
      cc: ['it@acme.example'],
      bcc: [],
      subject: 'Upload rejected',
      body: 'Your upload all.csv was rejected.\nSee error-details & fix it.',
    });
  });

  it('reads SendRawEmail messages: headers, encoded subject, date and the text/plain part', () => {
    const raw = sentEmailsFromMotoData(motoData)[1];
    expect(raw).toMatchObject({
      id: 'r-1',
      date: '2026-11-22T14:03:09.000Z',
      to: ['ops@beta.example'],
      subject: 'Conceição rejected',
      body: 'José was not found.',
    });
  });

  it('tolerates documents without SES data', () => {
    expect(sentEmailsFromMotoData({})).toEqual([]);
    expect(sentEmailsFromMotoData(null)).toEqual([]);
    expect(sentEmailsFromMotoData({ ses: { Message: 'x' } })).toEqual([]);
  });

  it('filters by recipient case-insensitively', () => {
    const [email, raw] = sentEmailsFromMotoData(motoData);
    expect(sentTo(email!, ['hr@ACME.example'])).toBe(true);
    expect(sentTo(email!, ['it@acme.example'])).toBe(true);
    expect(sentTo(raw!, ['hr@acme.example'])).toBe(false);
  });
});

describe('formatEmail', () => {
  it('prints date, from, to, subject, then the body', () => {
    const [email] = sentEmailsFromMotoData(motoData);
    expect(formatEmail(email!).split('\n').slice(0, 7)).toEqual([
      'Date:    (not recorded by the emulator)',
      'From:    noreply@bx.example',
      'To:      HR@acme.example',
      'Cc:      it@acme.example',
      'Subject: Upload rejected',
      '',
      'Your upload all.csv was rejected.',
    ]);
  });
});

describe('mime helpers', () => {
  it('decodes Q and B encoded words', () => {
    expect(decodeHeader('=?utf-8?Q?Jos=C3=A9_Silva?=')).toBe('José Silva');
    expect(decodeHeader('=?UTF-8?B?Sm9zw6k=?= =?UTF-8?B?IFNpbHZh?=')).toBe('José Silva');
  });

  it('turns HTML into lines of text', () => {
    expect(htmlToText('<ul><li>one</li><li>two &lt;3&gt;</li></ul><br/>&#233;')).toBe('- one\n- two <3>\n\né');
  });
});
