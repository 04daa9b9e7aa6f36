import { describe, expect, it } from 'vitest';
import { resolveDeployment } from '../../cli/deployment.ts';

describe('resolveDeployment in local mode', () => {
  it('defaults to the emulator on 127.0.0.1:4566 and the bx-local names, with no Transfer server', async () => {
    expect(await resolveDeployment({}, {})).toEqual({
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      bucket: 'bx-local-exchange',
      tables: {
        partners: 'bx-local-partners',
        uploads: 'bx-local-uploads',
        employees: 'bx-local-employees',
        credits: 'bx-local-credits',
        platformEvents: 'bx-local-platformEvents',
      },
      secrets: { providerPgpKey: 'bx-local/providerPgpKey' },
    });
  });

  it('follows AWS_ENDPOINT_URL, BX_LOCAL_PREFIX and AWS_REGION', async () => {
    const deployment = await resolveDeployment(
      {},
      { AWS_ENDPOINT_URL: 'http://localhost:5000/', BX_LOCAL_PREFIX: 't1', AWS_REGION: 'sa-east-1' },
    );
    expect(deployment).toMatchObject({
      endpoint: 'http://localhost:5000',
      region: 'sa-east-1',
      bucket: 't1-exchange',
      tables: { partners: 't1-partners', uploads: 't1-uploads', employees: 't1-employees', credits: 't1-credits' },
    });
    expect(deployment.transfer).toBeUndefined();
  });
});
