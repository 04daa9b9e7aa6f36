import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';

/** Outgoing email, as the flows need it: plain text (and its HTML version) to a list of admins. */
export interface OutgoingEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The same content as HTML; mail clients show it, the text part is the fallback. */
  readonly html?: string;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<void>;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly sender: string,
  ) {}

  async send(message: OutgoingEmail): Promise<void> {
    await this.ses.send(
      new SendEmailCommand({
        Source: this.sender,
        Destination: { ToAddresses: [...message.to] },
        Message: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
          },
        },
      }),
    );
  }
}
