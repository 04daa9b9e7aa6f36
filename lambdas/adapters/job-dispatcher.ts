import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { JobDispatcher } from '../app/jobs/job-invocation.ts';

/** Invokes the running function itself asynchronously (`Event`): Lambda queues and retries it. */
export function selfDispatcher(): JobDispatcher {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  let lambda: LambdaClient | undefined;
  return {
    async dispatch(request) {
      if (!functionName) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set: fan-out runs only inside Lambda');
      lambda ??= new LambdaClient({});
      await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(request)) }),
      );
    },
  };
}
