import { handle } from 'hono/aws-lambda';
import { WEB } from '../../lib/resources.ts';
import { awsClients } from '../adapters/aws-clients.ts';
import { lambdaLog } from '../adapters/observability.ts';
import { userPoolOf } from '../adapters/portal-users.ts';
import { createWebApi } from '../app/web/web-api.ts';
import { composeWeb } from '../wiring/compose-web.ts';
import { requiredEnv, resourceNamesFromEnv } from '../wiring/environment.ts';
import { composeRepositories } from '../wiring/repositories.ts';

/**
 * The web channel's JSON API (SPEC §18) behind API Gateway's HTTP API; the routes are in
 * app/web/web-api.ts, the same app local mode serves.
 */
let serve: ReturnType<typeof handle> | undefined;

/** Built on the first request, so importing this module needs no environment. */
export const handler: ReturnType<typeof handle> = (event, context) => {
  serve ??= handle(
    createWebApi(
      composeWeb(
        awsClients(),
        composeRepositories(awsClients(), resourceNamesFromEnv(['partners', 'uploads'])),
        userPoolOf(requiredEnv(WEB.env.userPoolId), requiredEnv(WEB.env.userPoolClientId)),
        lambdaLog,
      ),
    ),
  );
  return serve(event, context);
};
