import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';

/** Outgoing email, as the flows need it: plain text to a list of admins. */
export interface Mailer {
  send(message: { to: readonly string[]; subject: string; text: string }): Promise<void>;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly sender: string,
  ) {}

  async send(message: { to: readonly string[]; subject: string; text: string }): Promise<void> {
    await this.ses.send(
      new SendEmailCommand({
        Source: this.sender,
        Destination: { ToAddresses: [...message.to] },
        Message: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
        },
      }),
    );
  }
}
