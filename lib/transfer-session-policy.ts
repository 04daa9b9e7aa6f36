/**
 * The session policy attached to every Transfer Family user (SPEC §3, §13 "partner isolation
 * enforced by the Transfer user's scope"). The user's IAM role may reach the whole partners/
 * prefix; this policy narrows each session to the partner's own tree, whatever the role allows.
 *
 * It is one policy for all partners: `${transfer:UserName}` (the partner id) is substituted by
 * Transfer at login, so onboarding never has to render per-partner IAM.
 */

/** Transfer substitutes this with the SFTP user name, which is the partner id. */
const USER = '${transfer:UserName}';

/** Roots a partner tree can have (single-entity has none, SPEC §3). */
const ROOTS = ['', 'multientity/', 'channelpartner/'] as const;

/** Upload areas partners write into. */
const UPLOAD_AREAS = ['employees/upload/', 'flexben/upload/'] as const;

const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'];

/**
 * The JSON session policy for a Transfer user of the exchange bucket: list and read the partner's
 * own tree, write only into its upload folders, never overwrite what the system writes there.
 *
 * @param bucketName - the exchange bucket (the stack's `BucketName` output)
 * @returns the policy document as compact JSON (Transfer caps session policies at 2,048 chars)
 */
export function transferSessionPolicy(bucketName: string): string {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const home = `partners/${USER}/`;
  const objects = (suffix: string): string => `${bucketArn}/${home}${suffix}`;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListOwnTree',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        // Always with the trailing slash: prefix `partners/acme` would also list `partners/acme-2/`.
        Condition: { StringLike: { 's3:prefix': [home, `${home}*`] } },
      },
      {
        Sid: 'ReadOwnTree',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: objects('*'),
      },
      {
        Sid: 'WriteUploadFolders',
        Effect: 'Allow',
        // AbortMultipartUpload lets Transfer clean up a large put the client abandons.
        Action: [...WRITE_ACTIONS, 's3:AbortMultipartUpload'],
        // Anchored on the known roots rather than `*employees/upload/*`, which would also match
        // `reports/employees/upload/...` and let a partner write outside its upload folders.
        Resource: ROOTS.flatMap((root) => UPLOAD_AREAS.map((area) => objects(`${root}${area}*`))),
      },
      {
        Sid: 'KeepSystemFiles',
        Effect: 'Deny',
        Action: WRITE_ACTIONS,
        Resource: [
          objects('*employees/upload/status.csv'),
          objects('*employees/upload/error-details/*'),
          objects('*/upload/approvals/*-pending.csv'),
        ],
      },
    ],
  };
  return JSON.stringify(policy);
}
