import { textToHtml } from '../uploads/email-html.ts';

/** The portal invitation (SPEC §18): sent by us, not by Cognito, so it reads the same everywhere. */
export function invitationEmail(
  email: string,
  temporaryPassword: string,
  portalUrl: string,
  partnerId: string,
): { to: string[]; subject: string; text: string; html: string } {
  const text = [
    `You are an administrator of ${partnerId} on the benefits exchange.`,
    '',
    `Sign in to the portal at ${portalUrl} with`,
    `  email: ${email}`,
    `  temporary password: ${temporaryPassword}`,
    '',
    'The first sign-in asks you to choose a new password. The temporary one works once.',
    'There you can upload census and credit files (with a preview first), read each upload’s errors,',
    'download your files and approve pending removals.',
  ].join('\n');
  const subject = 'Your benefits exchange portal account';
  return { to: [email], subject, text, html: textToHtml(subject, text) };
}
